/* insn.c - AArch64 load/store decoding (Arm ARM C4.1.4 "Loads and Stores").
 * Covers the forms a driver uses on device memory: unsigned offset, unscaled,
 * pre/post-index, register offset, pair, exclusive/acquire-release, literal.
 * Anything else (atomics, cache maintenance, SIMD structures) reports !valid,
 * and the bus faults on it (FAC-3). */
#include <stdlib.h>
#include "insn.h"

static uint64_t sext(uint64_t v, unsigned bits)
{
	uint64_t m = 1ull << (bits - 1);
	v &= (1ull << bits) - 1;
	return (v ^ m) - m;
}

static uint64_t extend_reg(uint64_t v, unsigned option, unsigned shift)
{
	switch (option) {
	case 2: v = (uint32_t)v; break;                    /* UXTW */
	case 6: v = (uint64_t)(int64_t)(int32_t)v; break;  /* SXTW */
	default: break;                                    /* LSL/UXTX, SXTX */
	}
	return v << shift;
}

struct ldst_form insn_ldst_form(uint32_t insn)
{
	struct ldst_form f = {0};
	struct ldst *d = &f.d;
	unsigned rn = (insn >> 5) & 31;
	unsigned size = insn >> 30;
	bool v = (insn >> 26) & 1;

	f.rn = (uint8_t)rn;
	if ((insn & 0x3f000000u) == 0x08000000u) {
		/* Exclusive / acquire-release: [Xn], pair when o1 (bit 21). */
		bool pair = (insn >> 21) & 1;
		bool o2 = (insn >> 23) & 1;
		if (pair && (o2 || size < 2))
			return (struct ldst_form){0};   /* cas, casp: atomics, not accesses */
		d->is_store = !((insn >> 22) & 1);
		d->exclusive = !o2;                  /* o2 = 1 is ldar/stlr */
		d->elem = pair ? (4u << (size & 1)) : (1u << size);
		d->total = pair ? 2 * d->elem : d->elem;
		d->valid = true;
	} else if ((insn & 0x3b000000u) == 0x18000000u) {
		/* Load literal: PC-relative. opc 00: 4, 01: 8, 10: 4 (ldrsw), 11: prfm. */
		unsigned opc = size;
		if (!v && opc == 3)
			return (struct ldst_form){0};
		d->elem = v ? (4u << opc) : (opc == 1 ? 8 : 4);
		d->total = d->elem;
		f.base = LDST_BASE_PC;
		f.imm = sext(insn >> 5, 19) << 2;
		d->valid = true;
	} else if ((insn & 0x3a000000u) == 0x28000000u) {
		/* Load/store pair: opc (31:30), V, L (22), imm7, forms by bits 24:23. */
		unsigned form = (insn >> 23) & 3;   /* 0 no-alloc, 1 post, 2 offset, 3 pre */
		unsigned scale = v ? 2 + size : 2 + (size >> 1);
		d->is_store = !((insn >> 22) & 1);
		d->elem = 1u << scale;
		d->total = 2 * d->elem;
		if (form != 1)
			f.imm = sext(insn >> 15, 7) << scale;
		d->valid = true;
	} else if ((insn & 0x3b000000u) == 0x39000000u || (insn & 0x3b200000u) == 0x38000000u ||
		   (insn & 0x3b200c00u) == 0x38200800u) {
		/* Single register: unsigned offset, imm9 forms, register offset. */
		unsigned opc = (insn >> 22) & 3;
		unsigned scale = v ? ((opc & 2) << 1 | size) : size;
		if (!v && size == 3 && opc == 2)
			return (struct ldst_form){0};   /* prfm: no access */
		if (scale > 4)
			return (struct ldst_form){0};
		d->is_store = v ? !(opc & 1) : opc == 0;
		d->elem = 1u << scale;
		d->total = d->elem;
		if (insn & (1u << 24)) {
			f.imm = ((insn >> 10) & 0xfff) << scale;
		} else if (insn & (1u << 21)) {
			unsigned s = (insn >> 12) & 1;
			f.rm = (uint8_t)((insn >> 16) & 31);
			f.option = (uint8_t)((insn >> 13) & 7);
			f.shift = (uint8_t)(s ? scale : 0);
			f.base = LDST_BASE_REG_RM;
		} else {
			unsigned idx = (insn >> 10) & 3;  /* 0 unscaled, 1 post, 2 unpriv, 3 pre */
			f.imm = idx == 1 ? 0 : sext(insn >> 12, 9);
		}
		d->valid = true;
	}
	return f;
}

uint64_t insn_ldst_ea_of(const struct ldst_form *f, uint64_t pc, uint64_t xn, uint64_t xm)
{
	switch (f->base) {
	case LDST_BASE_PC:
		return pc + f->imm;
	case LDST_BASE_REG_RM:
		return xn + extend_reg(f->rm == 31 ? 0 : xm, f->option, f->shift);   /* Rm 31 is XZR here */
	default:
		return xn + f->imm;
	}
}

uint64_t insn_ldst_ea(const struct ldst_form *f, uint64_t pc, insn_reg_fn reg, void *ctx)
{
	if (f->base == LDST_BASE_PC)
		return insn_ldst_ea_of(f, pc, 0, 0);
	uint64_t xm = f->base == LDST_BASE_REG_RM && f->rm != 31 ? reg(ctx, f->rm) : 0;
	return insn_ldst_ea_of(f, pc, reg(ctx, f->rn), xm);
}

struct ldst insn_decode_ldst(uint32_t insn, uint64_t pc, insn_reg_fn reg, void *ctx)
{
	struct ldst_form f = insn_ldst_form(insn);
	if (f.d.valid)
		f.d.ea = insn_ldst_ea(&f, pc, reg, ctx);
	return f.d;
}

unsigned insn_mem_order(uint32_t insn)
{
	if ((insn & 0x3f000000u) == 0x08000000u) {
		/* Exclusive / acquire-release family (C4.1.4): o2 bit 23, L bit 22,
		 * o1 bit 21, o0 bit 15. CAS/CASP sit here too (o2 = 1 or pair). */
		bool o2 = (insn >> 23) & 1, l = (insn >> 22) & 1, o1 = (insn >> 21) & 1;
		bool o0 = (insn >> 15) & 1;
		if (o1 && (o2 || (insn >> 30) < 2)) {   /* CAS, CASP: L acquire, o0 release */
			return INSN_ATOMIC | (l ? INSN_ACQUIRE : 0) | (o0 ? INSN_RELEASE : 0);
		}
		if (o2 && !o0)                          /* LDLAR/STLLR: LORegion forms */
			return INSN_ATOMIC | (l ? INSN_ACQUIRE : INSN_RELEASE);
		unsigned f = INSN_ATOMIC;
		if (o0)
			f |= l ? INSN_ACQUIRE : INSN_RELEASE;
		return f;
	}
	if ((insn & 0x3f200c00u) == 0x38200000u) {
		/* LSE atomic memory operations and SWP: A bit 23, R bit 22. LDAPR
		 * (o3 = 1, opc = 100, A = 1) is a load-acquire (RCpc). */
		return INSN_ATOMIC | ((insn >> 23) & 1 ? INSN_ACQUIRE : 0) |
		       ((insn >> 22) & 1 ? INSN_RELEASE : 0);
	}
	if ((insn & 0x3f200c00u) == 0x19000000u) {
		/* LDAPUR/STLUR (unscaled, RCpc): opc 00 is the store. */
		return INSN_ATOMIC | (((insn >> 22) & 3) ? INSN_ACQUIRE : INSN_RELEASE);
	}
	return 0;
}

bool insn_barrier(uint32_t insn, bool *stores, bool *loads)
{
	bool dmb = (insn & 0xfffff0ffu) == 0xd50330bfu;
	bool dsb = (insn & 0xfffff0ffu) == 0xd503309fu;
	unsigned crm = (insn >> 8) & 15;
	if (!dmb && !dsb)
		return false;
	if (dsb && (crm == 0 || crm == 4))
		return false;                        /* SSBB, PSSBB */
	unsigned domain = crm >> 2, type = crm & 3;
	bool shareable = domain != 1;            /* 01: NSH */
	if (type == 0)
		type = 3;                            /* reserved types act as full */
	*stores = shareable && (type & 2);
	*loads = shareable && (type & 1);
	return true;
}

/* ---- exactness without a per-instruction hook (docs/engine.md) ---------- */

static bool ldst_group(uint32_t w)
{
	return (w & 0x0a000000u) == 0x08000000u;
}

static bool sys_insn(uint32_t w)
{
	return (w & 0xfff80000u) == 0xd5080000u;   /* SYS: DC ZVA and the rest */
}

unsigned insn_mem_kind(uint32_t w)
{
	if (sys_insn(w))
		return INSN_MEM_ANY;
	if (!ldst_group(w))
		return 0;
	struct ldst_form f = insn_ldst_form(w);
	if (!f.d.valid)
		return INSN_MEM_ANY;   /* atomics, SIMD structures, prfm...: any */
	return f.d.is_store ? INSN_MEM_STORE : INSN_MEM_LOAD;
}

static uint32_t bit(unsigned r)
{
	return 1u << (r & 31);
}

/* Rd = 31 is SP (not ZR) for ADD/SUB immediate and extended register and
 * for logical immediate, when they do not set flags. */
static bool rd_is_sp(uint32_t w)
{
	if (w & (1u << 29))
		return (w & 0x1f800000u) == 0x12000000u && ((w >> 29) & 3) != 3;   /* orr/eor imm */
	return (w & 0x1f000000u) == 0x11000000u ||     /* add/sub imm */
	       (w & 0x1fe00000u) == 0x0b200000u ||     /* add/sub extended */
	       (w & 0x1f800000u) == 0x12000000u;       /* and/orr/eor imm */
}

uint32_t insn_writes(uint32_t w)
{
	unsigned rt = w & 31, rn = (w >> 5) & 31, rt2 = (w >> 10) & 31, rs = (w >> 16) & 31;
	if (!ldst_group(w))
		return rt == 31 && !rd_is_sp(w) ? 0 : bit(rt);     /* Rd */
	if ((w & 0x3f000000u) == 0x08000000u)                    /* exclusive, CAS */
		return bit(rt) | bit(rt + 1) | bit(rt2) | bit(rs) | bit(rs + 1);
	unsigned kind = insn_mem_kind(w);
	uint32_t m = kind == INSN_MEM_STORE ? 0 : bit(rt);       /* a load's Rt */
	if ((w & 0x3a000000u) == 0x28000000u) {                  /* pair */
		unsigned form = (w >> 23) & 3;
		if (kind != INSN_MEM_STORE)
			m |= bit(rt2);
		return m | (form == 1 || form == 3 ? bit(rn) : 0);
	}
	if ((w & 0x3b200000u) == 0x38000000u) {                  /* imm9 forms */
		unsigned idx = (w >> 10) & 3;
		return m | (idx == 1 || idx == 3 ? bit(rn) : 0);
	}
	if ((w & 0x3b000000u) == 0x39000000u || (w & 0x3b200c00u) == 0x38200800u ||
	    (w & 0x3b000000u) == 0x18000000u)                    /* offset, literal */
		return m;
	/* Atomics, SIMD structures and the rest: anything they name. */
	return bit(rt) | bit(rt + 1) | bit(rn) | bit(rt2) | bit(rs) | bit(rs + 1);
}

uint32_t insn_addr_regs(uint32_t w)
{
	if (sys_insn(w))
		return bit(w);                     /* DC ZVA, Xt */
	if ((w & 0x3b000000u) == 0x18000000u)
		return 0;                          /* literal: PC-relative */
	if ((w & 0x3b200c00u) == 0x38200800u || insn_mem_kind(w) == INSN_MEM_ANY)
		return bit(w >> 5) | bit(w >> 16); /* Rn, Rm */
	return bit(w >> 5);                        /* Rn */
}

bool insn_ends_block(uint32_t w)
{
	return (w & 0x7c000000u) == 0x14000000u ||   /* B, BL */
	       (w & 0xff000010u) == 0x54000000u ||   /* B.cond */
	       (w & 0x7e000000u) == 0x34000000u ||   /* CBZ, CBNZ */
	       (w & 0x7e000000u) == 0x36000000u ||   /* TBZ, TBNZ */
	       (w & 0xfe000000u) == 0xd6000000u ||   /* BR, BLR, RET, ERET */
	       (w & 0xff000000u) == 0xd4000000u ||   /* SVC, HVC, SMC, BRK, HLT */
	       w == INSN_WFI;
}

static int range_cmp(const void *a, const void *b)
{
	const struct insn_range *x = a, *y = b;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

int insn_hook_ranges(const uint32_t *code, size_t n, uint64_t base,
		     struct insn_range **out, int *n_out)
{
	struct insn_range *r = NULL;
	int nr = 0, cap = 0;
	for (size_t j = 0; j < n; j++) {
		unsigned kj = insn_mem_kind(code[j]);
		if (!kj)
			continue;
		size_t last = sys_insn(code[j]) ? j + 1 : j;
		uint32_t regs = insn_addr_regs(code[j]), wr = 0;
		for (size_t i = j + 1; i < n && i - j <= INSN_BLOCK_MAX; i++) {
			wr |= insn_writes(code[i - 1]);
			if (insn_ends_block(code[i - 1]))
				break;                     /* i starts another block */
			if (!(insn_mem_kind(code[i]) & kj))
				continue;
			if (kj == INSN_MEM_ANY || (wr & regs))
				last = i;
		}
		if (last == j)
			continue;
		if (nr == cap) {
			cap = cap ? 2 * cap : 16;
			struct insn_range *g = realloc(r, cap * sizeof(*g));
			if (!g) {
				free(r);
				return -1;
			}
			r = g;
		}
		r[nr++] = (struct insn_range){ base + 4 * j, base + 4 * last };
	}
	if (nr)
		qsort(r, nr, sizeof(*r), range_cmp);
	int m = 0;
	for (int k = 0; k < nr; k++) {
		if (m && r[k].lo <= r[m - 1].hi + 4) {
			if (r[k].hi > r[m - 1].hi)
				r[m - 1].hi = r[k].hi;
		} else {
			r[m++] = r[k];
		}
	}
	*out = r;
	*n_out = m;
	return 0;
}
