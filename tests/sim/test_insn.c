/* test_insn.c - the AArch64 load/store decoder (sim/insn.c) on real encodings.
 * Every word below was produced by aarch64-linux-gnu-as and checked with
 * aarch64-linux-gnu-objdump -d; the assembly is kept beside it. */
#include <stdint.h>
#include <string.h>
#include "tests/unit.h"
#include <stdlib.h>
#include "sim/insn.h"

#define PC    0x40001000ull
#define X2    0x10000ull                 /* base register of most forms */
#define X3    0x12345678fffffff0ull      /* index: low word is -16 */
#define SPV   0x80000ull                 /* SP (register number 31) */

static uint64_t regs[32];

static uint64_t fake_reg(void *ctx, unsigned n)
{
	(void)ctx;
	CU_ASSERT_FATAL(n < 32);
	return regs[n];
}

static struct ldst dec_at(uint32_t w, uint64_t pc)
{
	memset(regs, 0, sizeof(regs));
	for (unsigned i = 0; i < 31; i++)
		regs[i] = 0xdead0000ull + i * 0x100;   /* values the tests must not pick up */
	regs[2] = X2;
	regs[3] = X3;
	regs[31] = SPV;
	return insn_decode_ldst(w, pc, fake_reg, NULL);
}

static struct ldst dec(uint32_t w) { return dec_at(w, PC); }

/* One decoded access: valid, direction, element size, total size, address. */
#define CHECK(w, st, el, tot, addr) do { \
	struct ldst d_ = dec(w); \
	CU_ASSERT_TRUE(d_.valid); \
	CU_ASSERT_EQUAL(d_.is_store, (st)); \
	CU_ASSERT_EQUAL(d_.elem, (el)); \
	CU_ASSERT_EQUAL(d_.total, (tot)); \
	CU_ASSERT_EQUAL(d_.ea, (uint64_t)(addr)); \
} while (0)

#define LOAD  false
#define STORE true

#define NOT_LDST(w) CU_ASSERT_FALSE(dec(w).valid)

static void test_unsigned_offset(void)
{
	CHECK(0xb9400841, LOAD, 4, 4, X2 + 8);     /* ldr  w1, [x2, #8] */
	CHECK(0xf9400841, LOAD, 8, 8, X2 + 16);    /* ldr  x1, [x2, #16] */
	CHECK(0xb9000441, STORE, 4, 4, X2 + 4);    /* str  w1, [x2, #4] */
	CHECK(0xf9000441, STORE, 8, 8, X2 + 8);    /* str  x1, [x2, #8] */
	CHECK(0x39400c41, LOAD, 1, 1, X2 + 3);     /* ldrb w1, [x2, #3] */
	CHECK(0x39001441, STORE, 1, 1, X2 + 5);    /* strb w1, [x2, #5] */
	CHECK(0x79400c41, LOAD, 2, 2, X2 + 6);     /* ldrh w1, [x2, #6] */
	CHECK(0x79000441, STORE, 2, 2, X2 + 2);    /* strh w1, [x2, #2] */
}

static void test_signed_loads(void)
{
	CHECK(0xb9800441, LOAD, 4, 4, X2 + 4);     /* ldrsw x1, [x2, #4] */
	CHECK(0x39800441, LOAD, 1, 1, X2 + 1);     /* ldrsb x1, [x2, #1] */
	CHECK(0x79c00441, LOAD, 2, 2, X2 + 2);     /* ldrsh w1, [x2, #2] */
}

static void test_unscaled(void)
{
	CHECK(0xf85f8041, LOAD, 8, 8, X2 - 8);     /* ldur x1, [x2, #-8] */
	CHECK(0xb81fd041, STORE, 4, 4, X2 - 3);    /* stur w1, [x2, #-3] */
	CHECK(0xf8408841, LOAD, 8, 8, X2 + 8);     /* ldtr x1, [x2, #8] */
}

/* Pre-index: the address includes the offset; post-index: the base as it was
 * before writeback. */
static void test_pre_post_index(void)
{
	CHECK(0xf8410c41, LOAD, 8, 8, X2 + 16);    /* ldr x1, [x2, #16]! */
	CHECK(0xb81fcc41, STORE, 4, 4, X2 - 4);    /* str w1, [x2, #-4]! */
	CHECK(0xf8410441, LOAD, 8, 8, X2);         /* ldr x1, [x2], #16 */
	CHECK(0xb81fc441, STORE, 4, 4, X2);        /* str w1, [x2], #-4 */
}

static void test_register_offset(void)
{
	CHECK(0xf8637841, LOAD, 8, 8, X2 + (X3 << 3));               /* ldr x1, [x2, x3, lsl #3] */
	CHECK(0xf8236841, STORE, 8, 8, X2 + X3);                     /* str x1, [x2, x3] */
	CHECK(0xb8635841, LOAD, 4, 4, X2 + (uint64_t)0xfffffff0u * 4); /* ldr w1, [x2, w3, uxtw #2] */
	CHECK(0xf863c841, LOAD, 8, 8, X2 - 16);                      /* ldr x1, [x2, w3, sxtw] */
	CHECK(0xf863d841, LOAD, 8, 8, X2 - 16 * 8);                  /* ldr x1, [x2, w3, sxtw #3] */
	CHECK(0x38636841, LOAD, 1, 1, X2 + X3);                      /* ldrb w1, [x2, x3] */
	CHECK(0x78637841, LOAD, 2, 2, X2 + (X3 << 1));               /* ldrh w1, [x2, x3, lsl #1] */
	CHECK(0xb8a37841, LOAD, 4, 4, X2 + (X3 << 2));               /* ldrsw x1, [x2, x3, lsl #2] */
}

static void test_pairs(void)
{
	CHECK(0x29411041, LOAD, 4, 8, X2 + 8);     /* ldp w1, w4, [x2, #8] */
	CHECK(0x293f1041, STORE, 4, 8, X2 - 8);    /* stp w1, w4, [x2, #-8] */
	CHECK(0xa9411041, LOAD, 8, 16, X2 + 16);   /* ldp x1, x4, [x2, #16] */
	CHECK(0xa9bf1041, STORE, 8, 16, X2 - 16);  /* stp x1, x4, [x2, #-16]! */
	CHECK(0xa8c21041, LOAD, 8, 16, X2);        /* ldp x1, x4, [x2], #32 */
	CHECK(0xa8411041, LOAD, 8, 16, X2 + 16);   /* ldnp x1, x4, [x2, #16] */
	CHECK(0x69411041, LOAD, 4, 8, X2 + 8);     /* ldpsw x1, x4, [x2, #8] */
}

static void test_exclusive_acquire_release(void)
{
	CHECK(0xc85f7c41, LOAD, 8, 8, X2);         /* ldxr x1, [x2] */
	CHECK(0x885f7c41, LOAD, 4, 4, X2);         /* ldxr w1, [x2] */
	CHECK(0xc8057c41, STORE, 8, 8, X2);        /* stxr w5, x1, [x2] */
	CHECK(0x88057c41, STORE, 4, 4, X2);        /* stxr w5, w1, [x2] */
	CHECK(0xc8dffc41, LOAD, 8, 8, X2);         /* ldar x1, [x2] */
	CHECK(0x889ffc41, STORE, 4, 4, X2);        /* stlr w1, [x2] */
	CHECK(0x885ffc41, LOAD, 4, 4, X2);         /* ldaxr w1, [x2] */
	CHECK(0xc805fc41, STORE, 8, 8, X2);        /* stlxr w5, x1, [x2] */
	CHECK(0xc87f1041, LOAD, 8, 16, X2);        /* ldxp x1, x4, [x2] */
	CHECK(0x88251041, STORE, 4, 8, X2);        /* stxp w5, w1, w4, [x2] */
}

/* Literal loads are PC-relative (words assembled at offsets 0x0..0x10 of a
 * section whose label l1 is at 0x18, l0 at 0x0). */
static void test_literal(void)
{
	struct ldst d = dec_at(0x580000c1, PC);           /* 0x00: ldr x1, l1 */
	CU_ASSERT_TRUE(d.valid);
	CU_ASSERT_FALSE(d.is_store);
	CU_ASSERT_EQUAL(d.elem, 8);
	CU_ASSERT_EQUAL(d.total, 8);
	CU_ASSERT_EQUAL(d.ea, PC + 0x18);
	d = dec_at(0x180000a1, PC + 4);                   /* 0x04: ldr w1, l1 */
	CU_ASSERT_TRUE(d.valid);
	CU_ASSERT_EQUAL(d.elem, 4);
	CU_ASSERT_EQUAL(d.ea, PC + 0x18);
	d = dec_at(0x98000081, PC + 8);                   /* 0x08: ldrsw x1, l1 */
	CU_ASSERT_TRUE(d.valid);
	CU_ASSERT_FALSE(d.is_store);
	CU_ASSERT_EQUAL(d.elem, 4);
	CU_ASSERT_EQUAL(d.total, 4);
	CU_ASSERT_EQUAL(d.ea, PC + 0x18);
	d = dec_at(0x58ffff81, PC + 0x10);                /* 0x10: ldr x1, l0 (backwards) */
	CU_ASSERT_TRUE(d.valid);
	CU_ASSERT_EQUAL(d.elem, 8);
	CU_ASSERT_EQUAL(d.ea, PC);
	CU_ASSERT_FALSE(dec_at(0xd8000060, PC + 0xc).valid);   /* 0x0c: prfm pldl1keep, l1 */
}

static void test_prefetch_not_access(void)
{
	NOT_LDST(0xf9800440);   /* prfm  pldl1keep, [x2, #8] */
	NOT_LDST(0xf8a36840);   /* prfm  pldl1keep, [x2, x3] */
	NOT_LDST(0xf8801040);   /* prfum pldl1keep, [x2, #1] */
}

static void test_not_load_store(void)
{
	NOT_LDST(0x8b030041);   /* add x1, x2, x3 */
	NOT_LDST(0x14000002);   /* b   .+8 */
	NOT_LDST(0xd503201f);   /* nop */
	NOT_LDST(0xd2800020);   /* mov x0, #1 */
	NOT_LDST(0xd4000001);   /* svc #0 */
	NOT_LDST(0x00000000);   /* udf #0 */
	NOT_LDST(INSN_WFI);     /* wfi */
}

/* Forms the bus must not take for a plain access (FAC-3): it faults on them. */
static void test_atomics_and_others_not_plain(void)
{
	NOT_LDST(0xd50b7422);   /* dc  zva, x2 */
	NOT_LDST(0xc8a17c44);   /* cas x1, x4, [x2] */
	NOT_LDST(0x88e17c44);   /* casa w1, w4, [x2] */
	NOT_LDST(0x48207c46);   /* casp x0, x1, x6, x7, [x2] */
	NOT_LDST(0xf8210044);   /* ldadd x1, x4, [x2] */
	NOT_LDST(0xf8218044);   /* swp x1, x4, [x2] */
	NOT_LDST(0x4c407040);   /* ld1 {v0.16b}, [x2] */
	struct ldst d = dec(0xc87f8440);   /* ldaxp x0, x1, [x2] */
	CU_ASSERT_TRUE(d.valid && d.exclusive && d.total == 16);
}

/* Rn = 31 is SP; Rm = 31 is XZR. */
static void test_sp_base_xzr_index(void)
{
	CHECK(0xf94007e1, LOAD, 8, 8, SPV + 8);    /* ldr x1, [sp, #8] */
	CHECK(0xb81f0fe1, STORE, 4, 4, SPV - 16);  /* str w1, [sp, #-16]! */
	CHECK(0x29bf13e1, STORE, 4, 8, SPV - 8);   /* stp w1, w4, [sp, #-8]! */
	CHECK(0xf87f6841, LOAD, 8, 8, X2);         /* ldr x1, [x2, xzr] */
}

static void test_simd_fp(void)
{
	CHECK(0xbd400441, LOAD, 4, 4, X2 + 4);     /* ldr s1, [x2, #4] */
	CHECK(0xfd000441, STORE, 8, 8, X2 + 8);    /* str d1, [x2, #8] */
	CHECK(0x3dc00441, LOAD, 16, 16, X2 + 16);  /* ldr q1, [x2, #16] */
	CHECK(0xad411041, LOAD, 16, 32, X2 + 32);  /* ldp q1, q4, [x2, #32] */
}

/* insn_mem_order: what race mode counts as atomic, acquire, release. */
static void test_mem_order(void)
{
	const unsigned A = INSN_ATOMIC, ACQ = INSN_ACQUIRE, REL = INSN_RELEASE;
	CU_ASSERT_EQUAL(insn_mem_order(0xb9400041), 0);             /* ldr w1, [x2] */
	CU_ASSERT_EQUAL(insn_mem_order(0xb9000041), 0);             /* str w1, [x2] */
	CU_ASSERT_EQUAL(insn_mem_order(0xb8636841), 0);             /* ldr w1, [x2, x3] */
	CU_ASSERT_EQUAL(insn_mem_order(0x885f7c41), A);             /* ldxr w1, [x2] */
	CU_ASSERT_EQUAL(insn_mem_order(0x88037c41), A);             /* stxr w3, w1, [x2] */
	CU_ASSERT_EQUAL(insn_mem_order(0x885ffc41), A | ACQ);       /* ldaxr w1, [x2] */
	CU_ASSERT_EQUAL(insn_mem_order(0x8803fc41), A | REL);       /* stlxr w3, w1, [x2] */
	CU_ASSERT_EQUAL(insn_mem_order(0x88dffc41), A | ACQ);       /* ldar w1, [x2] */
	CU_ASSERT_EQUAL(insn_mem_order(0x889ffc41), A | REL);       /* stlr w1, [x2] */
	CU_ASSERT_EQUAL(insn_mem_order(0xb8bfc041), A | ACQ);       /* ldapr w1, [x2] */
	CU_ASSERT_EQUAL(insn_mem_order(0xb8230041), A);             /* ldadd w3, w1, [x2] */
	CU_ASSERT_EQUAL(insn_mem_order(0xb8e30041), A | ACQ | REL); /* ldaddal w3, w1, [x2] */
	CU_ASSERT_EQUAL(insn_mem_order(0xb8638041), A | REL);       /* swpl w3, w1, [x2] */
	CU_ASSERT_EQUAL(insn_mem_order(0x88a37c41), A);             /* cas w3, w1, [x2] */
	CU_ASSERT_EQUAL(insn_mem_order(0x88e3fc41), A | ACQ | REL); /* casal w3, w1, [x2] */
	CU_ASSERT_EQUAL(insn_mem_order(0x99400041), A | ACQ);       /* ldapur w1, [x2] */
	CU_ASSERT_EQUAL(insn_mem_order(0x99000041), A | REL);       /* stlur w1, [x2] */
}

/* insn_barrier: which DMB/DSB order stores or loads for another CPU. */
static void test_barriers(void)
{
	static const struct { uint32_t w; bool barrier, st, ld; } cases[] = {
		{ 0xd5033bbf, true, true, true },    /* dmb ish */
		{ 0xd5033abf, true, true, false },   /* dmb ishst */
		{ 0xd50339bf, true, false, true },   /* dmb ishld */
		{ 0xd50337bf, true, false, false },  /* dmb nsh: this CPU only */
		{ 0xd5033fbf, true, true, true },    /* dmb sy */
		{ 0xd5033ebf, true, true, false },   /* dmb st */
		{ 0xd5033dbf, true, false, true },   /* dmb ld */
		{ 0xd5033f9f, true, true, true },    /* dsb sy */
		{ 0xd5033a9f, true, true, false },   /* dsb ishst */
		{ 0xd503369f, true, false, false },  /* dsb nshst */
		{ 0xd5033fdf, false, false, false }, /* isb */
		{ 0xd503309f, false, false, false }, /* ssbb */
		{ 0xb9400041, false, false, false }, /* ldr w1, [x2] */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool st = false, ld = false;
		bool b = insn_barrier(cases[i].w, &st, &ld);
		CU_ASSERT_EQUAL(b, cases[i].barrier);
		if (b) {
			CU_ASSERT_EQUAL(st, cases[i].st);
			CU_ASSERT_EQUAL(ld, cases[i].ld);
		}
	}
}


/* The static analysis behind exact counting without the count (docs/engine.md):
 * how many hooked ranges `code` (at 0x1000) gets, and the first. */
static int hook_ranges(const uint32_t *code, size_t n, struct insn_range *first)
{
	struct insn_range *r = NULL;
	int nr = -1;
	CU_ASSERT_EQUAL_FATAL(insn_hook_ranges(code, n, 0x1000, &r, &nr), 0);
	if (nr > 0)
		*first = r[0];
	free(r);
	return nr;
}

#define RANGES(code, first) hook_ranges(code, sizeof(code) / sizeof(code[0]), first)

static void test_hook_ranges(void)
{
	struct insn_range f = { 0, 0 };
	/* ldr w1, [x0]; mov x0, x5; ldr w2, [x0]: at the second load's callback
	 * the first computes the same address now: hooked from one to the other. */
	static const uint32_t hazard[] = { 0xb9400001, 0xaa0503e0, 0xb9400002, 0xd65f03c0 };
	CU_ASSERT_EQUAL(RANGES(hazard, &f), 1);
	CU_ASSERT(f.lo == 0x1000 && f.hi == 0x1008);
	/* No register changes: the first matching candidate is the one. */
	static const uint32_t plain[] = { 0xb9400001, 0xb9400402, 0xb9000003, 0xd65f03c0 };
	CU_ASSERT_EQUAL(RANGES(plain, &f), 0);
	/* A branch ends the block: ldr w1,[x0]; b.ne; mov x0,x5; ldr w2,[x0]. */
	static const uint32_t split[] = { 0xb9400001, 0x54000041, 0xaa0503e0, 0xb9400002 };
	CU_ASSERT_EQUAL(RANGES(split, &f), 0);
	/* A load and a store never mistake each other: ldr x0, [x0]; str w1, [x0]. */
	static const uint32_t kinds[] = { 0xf9400000, 0xb9000001, 0xd65f03c0 };
	CU_ASSERT_EQUAL(RANGES(kinds, &f), 0);
	/* dc zva, x0 is hooked with the instruction after it. */
	static const uint32_t zva[] = { 0xd503201f, 0xd50b7420, 0xd503201f, 0xd65f03c0 };
	CU_ASSERT_EQUAL(RANGES(zva, &f), 1);
	CU_ASSERT(f.lo == 0x1004 && f.hi == 0x1008);
	/* cmp (subs xzr) does not write SP; add sp, sp, #16 does. */
	static const uint32_t cmp_sp[] = { 0xa90107fd, 0xf100003f, 0xf90007e2, 0xd65f03c0 };
	CU_ASSERT_EQUAL(RANGES(cmp_sp, &f), 0);
	static const uint32_t add_sp[] = { 0xa90107fd, 0x910043ff, 0xf90007e2, 0xd65f03c0 };
	CU_ASSERT_EQUAL(RANGES(add_sp, &f), 1);
	CU_ASSERT_EQUAL(insn_mem_kind(0xb9400001), INSN_MEM_LOAD);
	CU_ASSERT_EQUAL(insn_mem_kind(0xb9000003), INSN_MEM_STORE);
	CU_ASSERT_EQUAL(insn_mem_kind(0xd50b7420), INSN_MEM_ANY);
	CU_ASSERT_EQUAL(insn_mem_kind(0x91000421), 0);
}

static CU_TestInfo insn_tests[] = {
	{ "ldr/str w/x/b/h unsigned offset", test_unsigned_offset },
	{ "ldrsw/ldrsb/ldrsh", test_signed_loads },
	{ "ldur/stur/ldtr unscaled", test_unscaled },
	{ "pre/post-index: ea before writeback", test_pre_post_index },
	{ "register offset LSL/UXTW/SXTW", test_register_offset },
	{ "ldp/stp w and x, ldnp, ldpsw", test_pairs },
	{ "ldxr/stxr/ldar/stlr/ldxp/stxp", test_exclusive_acquire_release },
	{ "ldr literal (PC-relative)", test_literal },
	{ "prfm/prfum are not accesses", test_prefetch_not_access },
	{ "add/b/nop/svc/udf/wfi are not loads or stores", test_not_load_store },
	{ "dc zva, cas/casp, LSE atomics, ld1 are not plain accesses", test_atomics_and_others_not_plain },
	{ "SP as base, XZR as index", test_sp_base_xzr_index },
	{ "SIMD/FP loads and stores", test_simd_fp },
	{ "memory order: exclusives, acquire/release, LSE, CAS", test_mem_order },
	{ "DMB/DSB: domain and type", test_barriers },
	{ "hook ranges: where a callback could mistake its instruction", test_hook_ranges },
	CU_TEST_INFO_NULL,
};

UNIT_SUITE("insn", insn_tests);
