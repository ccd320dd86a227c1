/* gic.c - a GICv2 for one uniprocessor VM (SPEC section 11), as a pure state
 * machine: register accesses in, events out through struct plat.
 *
 * Distributor (GICD, offsets from 0x0800_0000), 32-bit registers unless noted:
 *
 *   0x000        CTLR        RW  bit 0 = forward interrupts to the CPU interface
 *   0x004        TYPER       RO  ITLinesNumber 7 (256 INTIDs), CPUNumber 0 (GIC-1)
 *   0x008        IIDR        RO  0x0200143B
 *   0x080-0x0FC  IGROUPR     RAZ/WI (no Security Extensions: everything Group 0)
 *   0x100-0x11C  ISENABLER   RW1S  \
 *   0x180-0x19C  ICENABLER   RW1C   |
 *   0x200-0x21C  ISPENDR     RW1S   | one bit per INTID, 8 words for 256 INTIDs;
 *   0x280-0x29C  ICPENDR     RW1C   | the rest of each 0x80 block is RAZ/WI
 *   0x300-0x31C  ISACTIVER   RW1S   |
 *   0x380-0x39C  ICACTIVER   RW1C  /
 *   0x400-0x4FC  IPRIORITYR  RW  byte-accessible, 5 bits implemented (mask 0xF8)
 *   0x800-0x8FC  ITARGETSR   RAZ/WI, byte-accessible (uniprocessor, GIC-1)
 *   0xC00-0xC3C  ICFGR       RW  2 bits per INTID, bit 1 = edge
 *   0xF00        SGIR        WO  TargetListFilter 25:24, CPUTargetList 23:16, INTID 3:0
 *   0xF10-0xF1F  CPENDSGIR   RW1C  byte per SGI, bit 0 = pending from CPU 0
 *   0xF20-0xF2F  SPENDSGIR   RW1S  byte per SGI, bit 0 = pending from CPU 0
 *   0xFE8        ICPIDR2     RO  ArchRev 2 (0x20)
 *   anything else            RAZ/WI (GIC-4)
 *
 * CPU interface (GICC, offsets from 0x0801_0000), all 32-bit only:
 *
 *   0x00  CTLR   RW  bit 0 = signal interrupts to the processor
 *   0x04  PMR    RW  priority mask, 5 bits implemented (mask 0xF8)
 *   0x08  BPR    RW  binary point, 2..7 (minimum 2 for 5 priority bits)
 *   0x0C  IAR    RO  acknowledge (GIC-2)
 *   0x10  EOIR   WO  priority drop + deactivate (GIC-2)
 *   0x14  RPR    RO  running priority, 0xFF when idle
 *   0x18  HPPIR  RO  highest priority pending interrupt
 *   0xFC  IIDR   RO  0x0202143B (GICv2 CPU interface, ARM)
 *   anything else  RAZ/WI (GIC-4); GICC_DIR and EOImode are not implemented.
 *
 * Choices where GICv2 leaves freedom (see also the comments at each place):
 * - SGI and PPI enable bits are writable like SPI ones; all reset disabled.
 * - ICFGR: SGIs read as edge (0b10) and ignore writes; PPIs and SPIs reset
 *   to level and bit 1 of each field is writable; bit 0 is RAZ/WI.
 * - Pending for a level-configured INTID is (input line) OR (software latch).
 *   ISPENDR sets the latch, ICPENDR and an acknowledge clear it, so a line
 *   held high stays pending whatever software does, and an edge pulse with
 *   no acknowledge in between leaves nothing pending (GIC-1, GIC-3).
 * - SGI pending bits can be set only through SGIR/SPENDSGIR and cleared only
 *   through CPENDSGIR or an acknowledge (GICD_ISPENDR0/ICPENDR0 SGI bits are
 *   read-only, as on GICv2).
 * - Preemption uses group priorities per BPR and an active-priorities bitmap
 *   (the GICC_APR0 of a 5-bit GIC): the acknowledge sets the bit of the
 *   interrupt's group priority, EOIR clears the highest one. RPR reads the
 *   group priority of that highest bit (with the reset BPR of 2 the group
 *   priority is the whole 5-bit priority).
 * - HPPIR reports the highest priority pending, enabled, inactive INTID
 *   forwarded by the distributor, whatever PMR and the running priority say.
 * - Halfword accesses to byte-accessible registers act as byte accesses;
 *   byte/halfword accesses to word-only registers are ignored (read 0) and
 *   logged as a note (STYLE 7).
 * - Events: irq-ack for every IAR read that returns a real INTID; irq-eoi for
 *   every EOIR write of INTID 0..1019, followed by a note when that INTID was
 *   not active (the write then changes nothing). EOIR of 1020..1023 is
 *   ignored silently, as GICv2 says. The machine logs irq-line itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gic.h"
#include "gicv2_regs.h"

#define GIC_WORDS       (GIC_NR_IRQS / 32)
#define GIC_NR_SGIS     16
#define GIC_PRIO_MASK   0xF8u        /* 5 implemented priority bits (GIC-1) */
#define GIC_MIN_BPR     2u           /* 7 - 5 implemented bits */
#define GIC_IDLE_PRIO   0xFFu        /* RPR with nothing active */
#define GIC_TYPER_VAL   0x7u         /* ITLinesNumber 7, CPUNumber 0 (GIC-1) */
#define GIC_PIDR2_VAL   0x20u        /* ArchRev = 2 */
#define GICC_IIDR_VAL   0x0202143Bu

/* The whole guest-visible state: plain data, no pointers, no padding, so a
 * snapshot is a memcpy (gic_save/gic_load). */
struct gic_state {
	uint32_t dctlr;              /* GICD_CTLR.Enable */
	uint32_t cctlr;              /* GICC_CTLR.Enable */
	uint32_t pmr;                /* GICC_PMR, masked 0xF8 */
	uint32_t bpr;                /* GICC_BPR, 2..7 */
	uint32_t apr;                /* active priorities: bit n = group priority n << 3 */
	uint32_t enabled[GIC_WORDS];
	uint32_t latch[GIC_WORDS];   /* pending latch: edges, ISPENDR, SGIR */
	uint32_t line[GIC_WORDS];    /* input line levels (GIC-3) */
	uint32_t active[GIC_WORDS];
	uint32_t edge[GIC_WORDS];    /* ICFGR Int_config[1]: 1 = edge */
	uint8_t prio[GIC_NR_IRQS];   /* IPRIORITYR, masked 0xF8 */
};

struct gic {
	const struct plat *plat;
	struct gic_state s;
	/* Derived by gic_update from s, never saved. */
	uint32_t hppi;               /* best candidate, GIC_SPURIOUS if none */
	bool signalled;
};

/* ---- pure helpers ---------------------------------------------------- */

static bool bit_get(const uint32_t *m, uint32_t i)
{
	return (m[i / 32] >> (i % 32)) & 1u;
}

static void bit_set(uint32_t *m, uint32_t i)
{
	m[i / 32] |= 1u << (i % 32);
}

static void bit_clr(uint32_t *m, uint32_t i)
{
	m[i / 32] &= ~(1u << (i % 32));
}

/* GIC-3: pending = latch OR (line high AND level-configured). */
static uint32_t pending_word(const struct gic_state *s, unsigned w)
{
	return s->latch[w] | (s->line[w] & ~s->edge[w]);
}

/* Group priority mask for BPR n: priority bits [7:n+1]. */
static uint32_t group_mask(const struct gic_state *s)
{
	return (0xFFu << (s->bpr + 1)) & 0xFFu;
}

/* Running priority from the active-priorities bitmap (GIC-2). */
static uint32_t running_prio(const struct gic_state *s)
{
	for (uint32_t n = 0; n < 32; n++)
		if (s->apr & (1u << n))
			return n << 3;
	return GIC_IDLE_PRIO;
}

/* Highest priority pending, enabled, inactive INTID (lowest INTID wins a
 * tie), GIC_SPURIOUS if none or the distributor is disabled. */
static uint32_t best_candidate(const struct gic_state *s)
{
	uint32_t best = GIC_SPURIOUS, best_prio = 0x100;

	if (!(s->dctlr & 1))
		return GIC_SPURIOUS;
	for (unsigned w = 0; w < GIC_WORDS; w++) {
		uint32_t c = pending_word(s, w) & s->enabled[w] & ~s->active[w];
		for (unsigned b = 0; c; b++, c >>= 1) {
			uint32_t i = w * 32 + b;
			if ((c & 1) && s->prio[i] < best_prio) {
				best = i;
				best_prio = s->prio[i];
			}
		}
	}
	return best;
}

static void gic_emit(struct gic *g, enum ev_kind kind, uint32_t intid, char *text)
{
	struct ev e;

	if (!g->plat || !g->plat->emit)
		return;
	memset(&e, 0, sizeof(e));
	e.kind = kind;
	e.intid = intid;
	e.text = text; /* the log copies it */
	g->plat->emit(g->plat->ctx, &e);
}

static void gic_note(struct gic *g, const char *frame, const char *what,
		     uint64_t off, unsigned len, char dir)
{
	char buf[128];

	snprintf(buf, sizeof(buf), "%s: %u-byte %s at 0x%03llx: %s", frame, len,
		 dir == 'r' ? "read" : "write", (unsigned long long)off, what);
	gic_emit(g, EV_NOTE, 0, buf);
}

/* ---- the one recompute (STYLE 4) ------------------------------------- */

/* GIC-2: the CPU interface signals the best candidate when both frames are
 * enabled and it beats PMR and the running priority (by group priority). */
static void gic_update(struct gic *g)
{
	const struct gic_state *s = &g->s;

	g->hppi = best_candidate(s);
	g->signalled = false;
	if (g->hppi != GIC_SPURIOUS && (s->cctlr & 1)) {
		uint32_t p = s->prio[g->hppi];
		g->signalled = p < s->pmr && (p & group_mask(s)) < running_prio(s);
	}
}

/* ---- side effects ---------------------------------------------------- */

/* GIC-2: acknowledge. Marks the interrupt active, clears its latch (a
 * level-configured INTID whose line is still high stays pending: active and
 * pending), raises the running priority. A peek returns the same INTID and
 * acknowledges nothing. */
static uint32_t gicc_iar_read(struct gic *g, bool peek)
{
	struct gic_state *s = &g->s;
	uint32_t id = g->hppi;

	if (!g->signalled)
		return GIC_SPURIOUS;
	if (peek)
		return id;
	bit_set(s->active, id);
	bit_clr(s->latch, id);
	s->apr |= 1u << ((s->prio[id] & group_mask(s)) >> 3);
	gic_emit(g, EV_IRQ_ACK, id, NULL);
	gic_update(g);
	/* Bits 12:10 = source CPU of an SGI: always CPU 0 here. */
	return id;
}

/* GIC-2: EOIR drops the running priority (the highest active priority, as
 * GICv2 requires EOIs in reverse order of acknowledges) and deactivates. */
static void gicc_eoir_write(struct gic *g, uint32_t v)
{
	struct gic_state *s = &g->s;
	uint32_t id = v & 0x3FF, cpu = (v >> 10) & 7;

	if (id >= 1020)
		return; /* special INTIDs: GICv2 ignores the write */
	gic_emit(g, EV_IRQ_EOI, id, NULL);
	if (id >= GIC_NR_IRQS || !bit_get(s->active, id) || (id < GIC_NR_SGIS && cpu != 0)) {
		char buf[96];
		snprintf(buf, sizeof(buf), "gicc: EOIR write 0x%x for INTID %u that is not active: ignored",
			 v, id);
		gic_emit(g, EV_NOTE, id, buf);
		return;
	}
	s->apr &= s->apr - 1; /* clear the lowest set bit */
	bit_clr(s->active, id);
}

/* SGIR: uniprocessor, so the only possible target is CPU 0 (ourselves). */
static void gicd_sgir_write(struct gic *g, uint32_t v)
{
	uint32_t id = v & 0xF, filter = (v >> 24) & 3, list = (v >> 16) & 0xFF;

	switch (filter) {
	case 0: /* the CPUTargetList: only bit 0 names a CPU that exists */
		if (list & 1)
			bit_set(g->s.latch, id);
		break;
	case 1: /* all CPUs but the requester: there are none */
		break;
	case 2: /* the requester only */
		bit_set(g->s.latch, id);
		break;
	default:
		gic_note(g, "gicd", "SGIR TargetListFilter 3 is reserved: ignored",
			 GICD_SGIR, 4, 'w');
		break;
	}
}

/* ---- register decode ------------------------------------------------- */

/* Which 1-bit-per-INTID block an offset is in, or -1. Only the first
 * GIC_WORDS words of each block are implemented. */
static int bitreg_block(uint64_t off)
{
	if (off < GICD_ISENABLER || off >= GICD_IPRIORITYR)
		return -1;
	if ((off & 0x7F) >= GIC_WORDS * 4)
		return -1;
	return (int)((off - GICD_ISENABLER) >> 7);  /* 0..5 */
}

static uint32_t *bitreg_map(struct gic_state *s, int block)
{
	switch (block / 2) {
	case 0: return s->enabled;
	case 1: return s->latch;
	default: return s->active;
	}
}

static bool gicd_byte_reg(uint64_t off)
{
	return (off >= GICD_IPRIORITYR && off < GICD_ICFGR) ||   /* IPRIORITYR, ITARGETSR */
	       (off >= GICD_CPENDSGIR && off < GICD_SPENDSGIR + 16);
}

/* An implemented register that takes 32-bit accesses only. */
static bool gicd_word_reg(uint64_t w)
{
	return w == GICD_CTLR || w == GICD_TYPER || w == GICD_IIDR || bitreg_block(w) >= 0 ||
	       (w >= GICD_ICFGR && w < GICD_ICFGR + GIC_NR_IRQS / 4) ||
	       w == GICD_SGIR || w == GICD_ICPIDR2;
}

static bool gicc_word_reg(uint64_t w)
{
	return w <= GICC_HPPIR || w == GICC_IIDR;
}

/* Byte registers of the distributor: off is one of gicd_byte_reg, so it lies
 * in IPRIORITYR..ITARGETSR (0x400-0xBFF) or CPENDSGIR..SPENDSGIR (0xF10-0xF2F);
 * below, each range test needs only the bound that the previous one left open. */
static uint8_t gicd_read8(struct gic *g, uint64_t off)
{
	struct gic_state *s = &g->s;

	if (off < GICD_IPRIORITYR + GIC_NR_IRQS)
		return s->prio[off - GICD_IPRIORITYR];
	if (off >= GICD_SPENDSGIR)
		return bit_get(s->latch, (uint32_t)(off - GICD_SPENDSGIR));
	if (off >= GICD_CPENDSGIR)
		return bit_get(s->latch, (uint32_t)(off - GICD_CPENDSGIR));
	return 0; /* ITARGETSR RAZ/WI (GIC-1), unimplemented priorities */
}

static void gicd_write8(struct gic *g, uint64_t off, uint8_t v)
{
	struct gic_state *s = &g->s;

	if (off < GICD_IPRIORITYR + GIC_NR_IRQS)
		s->prio[off - GICD_IPRIORITYR] = v & GIC_PRIO_MASK;  /* GIC-1 */
	else if (off >= GICD_SPENDSGIR && (v & 1))
		bit_set(s->latch, (uint32_t)(off - GICD_SPENDSGIR));
	else if (off >= GICD_CPENDSGIR && off < GICD_SPENDSGIR && (v & 1))
		bit_clr(s->latch, (uint32_t)(off - GICD_CPENDSGIR));
	/* bits for CPUs 1..7 of C/SPENDSGIR and ITARGETSR: WI */
}

/* No distributor read has a side effect: a peek reads the same. */
static uint32_t gicd_read32(struct gic *g, uint64_t off, bool peek)
{
	struct gic_state *s = &g->s;
	int blk;

	(void)peek;
	if (gicd_byte_reg(off))
		return gicd_read8(g, off) | (uint32_t)gicd_read8(g, off + 1) << 8 |
		       (uint32_t)gicd_read8(g, off + 2) << 16 | (uint32_t)gicd_read8(g, off + 3) << 24;
	if ((blk = bitreg_block(off)) >= 0) {
		unsigned w = (unsigned)(off & 0x7F) / 4;
		if (blk / 2 == 1)
			return pending_word(s, w);
		return bitreg_map(s, blk)[w];
	}
	if (off >= GICD_ICFGR && off < GICD_ICFGR + GIC_NR_IRQS / 4) {
		unsigned first = (unsigned)(off - GICD_ICFGR) * 4;  /* INTID of field 0 */
		uint32_t v = 0;
		for (unsigned k = 0; k < 16; k++)
			if (bit_get(s->edge, first + k))
				v |= 2u << (2 * k);
		return v;
	}
	switch (off) {
	case GICD_CTLR:    return s->dctlr;
	case GICD_TYPER:   return GIC_TYPER_VAL;
	case GICD_IIDR:    return GIC_IIDR;
	case GICD_ICPIDR2: return GIC_PIDR2_VAL;
	default:           return 0;  /* SGIR is WO; the rest RAZ (GIC-4) */
	}
}

static void gicd_write32(struct gic *g, uint64_t off, uint32_t v)
{
	struct gic_state *s = &g->s;
	int blk;

	if (gicd_byte_reg(off)) {
		for (unsigned k = 0; k < 4; k++)
			gicd_write8(g, off + k, (uint8_t)(v >> (8 * k)));
		return;
	}
	if ((blk = bitreg_block(off)) >= 0) {
		unsigned w = (unsigned)(off & 0x7F) / 4;
		uint32_t *m = bitreg_map(s, blk);
		if (blk / 2 == 1 && w == 0)
			v &= ~0xFFFFu;  /* SGI pending: SGIR/SPENDSGIR/CPENDSGIR only */
		if (blk & 1)
			m[w] &= ~v;     /* IC*: clears only the latch for pending (GIC-3) */
		else
			m[w] |= v;
		return;
	}
	if (off >= GICD_ICFGR && off < GICD_ICFGR + GIC_NR_IRQS / 4) {
		unsigned first = (unsigned)(off - GICD_ICFGR) * 4;
		if (first < GIC_NR_SGIS)
			return;  /* SGIs are always edge */
		for (unsigned k = 0; k < 16; k++) {
			if ((v >> (2 * k + 1)) & 1)
				bit_set(s->edge, first + k);
			else
				bit_clr(s->edge, first + k);
		}
		return;
	}
	switch (off) {
	case GICD_CTLR:
		s->dctlr = v & 1;
		break;
	case GICD_SGIR:
		gicd_sgir_write(g, v);
		break;
	default:
		break;  /* RO registers and unimplemented offsets (GIC-4) */
	}
}

static uint32_t gicc_read32(struct gic *g, uint64_t off, bool peek)
{
	const struct gic_state *s = &g->s;

	switch (off) {
	case GICC_CTLR:  return s->cctlr;
	case GICC_PMR:   return s->pmr;
	case GICC_BPR:   return s->bpr;
	case GICC_IAR:   return gicc_iar_read(g, peek);
	case GICC_RPR:   return running_prio(s);
	case GICC_HPPIR: return g->hppi;
	case GICC_IIDR:  return GICC_IIDR_VAL;
	default:         return 0;  /* EOIR is WO; the rest RAZ (GIC-4) */
	}
}

static void gicc_write32(struct gic *g, uint64_t off, uint32_t v)
{
	struct gic_state *s = &g->s;

	switch (off) {
	case GICC_CTLR:
		s->cctlr = v & 1;
		break;
	case GICC_PMR:
		s->pmr = v & GIC_PRIO_MASK;
		break;
	case GICC_BPR:
		s->bpr = (v & 7) < GIC_MIN_BPR ? GIC_MIN_BPR : (v & 7);
		break;
	case GICC_EOIR:
		gicc_eoir_write(g, v);
		break;
	default:
		break;  /* RO registers and unimplemented offsets (GIC-4) */
	}
}

/* ---- bus entry points ------------------------------------------------ */

/* One access of len bytes (normally 1..16, naturally aligned) is split into
 * the 32-bit words it covers. A whole word goes to the word handler; part of
 * a word goes byte by byte to a byte-accessible register, and is ignored with
 * a note on a word-only one. Any off and len are safe.
 *
 * A peek is a debugger's read: the bytes a read would return, with no side
 * effect (IAR acknowledges nothing, no note, no update of the CPU's
 * interrupt line). */
struct frame {
	const char *name;
	bool (*byte_reg)(uint64_t off);
	bool (*word_reg)(uint64_t off);
	uint32_t (*read32)(struct gic *g, uint64_t off, bool peek);
	void (*write32)(struct gic *g, uint64_t off, uint32_t v);
	uint8_t (*read8)(struct gic *g, uint64_t off);
	void (*write8)(struct gic *g, uint64_t off, uint8_t v);
};

static bool no_byte_reg(uint64_t off)
{
	(void)off;
	return false;
}

static const struct frame gicd_frame = {
	"gicd", gicd_byte_reg, gicd_word_reg, gicd_read32, gicd_write32, gicd_read8, gicd_write8,
};
static const struct frame gicc_frame = {
	"gicc", no_byte_reg, gicc_word_reg, gicc_read32, gicc_write32, NULL, NULL,
};

static void frame_access(struct gic *g, const struct frame *f, uint64_t off, unsigned len,
			 uint8_t *out, const uint8_t *data, bool peek)
{
	bool noted = peek;   /* a peek notes nothing */

	if (out)
		memset(out, 0, len);
	for (unsigned i = 0; i < len;) {
		uint64_t a = off + i, w = a & ~3ull;
		unsigned first = (unsigned)(a & 3), n = 4 - first;
		if (n > len - i)
			n = len - i;
		if (first == 0 && n == 4) {
			if (out)
				le_put(out + i, 4, f->read32(g, w, peek));
			else
				f->write32(g, w, (uint32_t)le_get(data + i, 4));
		} else if (f->byte_reg(w)) {
			for (unsigned k = 0; k < n; k++) {
				if (out)
					out[i + k] = f->read8(g, a + k);
				else
					f->write8(g, a + k, data[i + k]);
			}
		} else if (f->word_reg(w) && !noted) {
			noted = true;
			gic_note(g, f->name, out ? "word-only register, partial read returns 0"
					       : "word-only register, partial write ignored",
				 off, len, out ? 'r' : 'w');
		}
		i += n;
	}
	if (!peek)
		gic_update(g);
}

static void gicd_read(void *opaque, uint64_t off, unsigned len, uint8_t *out)
{
	frame_access(opaque, &gicd_frame, off, len, out, NULL, false);
}

static void gicd_write(void *opaque, uint64_t off, unsigned len, const uint8_t *data)
{
	frame_access(opaque, &gicd_frame, off, len, NULL, data, false);
}

static void gicc_read(void *opaque, uint64_t off, unsigned len, uint8_t *out)
{
	frame_access(opaque, &gicc_frame, off, len, out, NULL, false);
}

static void gicc_write(void *opaque, uint64_t off, unsigned len, const uint8_t *data)
{
	frame_access(opaque, &gicc_frame, off, len, NULL, data, false);
}

static void gicd_peek(void *opaque, uint64_t off, unsigned len, uint8_t *out)
{
	frame_access(opaque, &gicd_frame, off, len, out, NULL, true);
}

static void gicc_peek(void *opaque, uint64_t off, unsigned len, uint8_t *out)
{
	frame_access(opaque, &gicc_frame, off, len, out, NULL, true);
}

const struct mmio_ops gicd_ops = { gicd_read, gicd_write, true, gicd_peek };  /* GIC-8 */
const struct mmio_ops gicc_ops = { gicc_read, gicc_write, true, gicc_peek };

/* ---- input lines and the CPU's view ---------------------------------- */

/* GIC-3: level-configured INTIDs are pending while the line is high (through
 * pending_word); edge-configured ones latch on a rising edge. */
void gic_set_input(struct gic *g, uint32_t intid, int level)
{
	struct gic_state *s = &g->s;
	bool was;

	if (intid < GIC_NR_SGIS || intid >= GIC_NR_IRQS)
		return;  /* SGIs have no input line */
	was = bit_get(s->line, intid);
	if (level) {
		bit_set(s->line, intid);
		if (!was && bit_get(s->edge, intid))
			bit_set(s->latch, intid);
	} else {
		bit_clr(s->line, intid);
	}
	gic_update(g);
}

bool gic_irq_signalled(const struct gic *g)
{
	return g->signalled;
}

/* ---- reset, snapshots, create/destroy -------------------------------- */

/* Every register to its reset value. Input line levels are wires driven by
 * devices, not GIC state, so they survive a reset. */
void gic_reset(struct gic *g)
{
	struct gic_state *s = &g->s;
	uint32_t line[GIC_WORDS];

	memcpy(line, s->line, sizeof(line));
	memset(s, 0, sizeof(*s));
	memcpy(s->line, line, sizeof(line));
	s->dctlr = 0;
	s->cctlr = 0;
	s->pmr = 0;                 /* everything masked */
	s->bpr = GIC_MIN_BPR;
	s->apr = 0;                 /* idle: RPR = 0xFF */
	s->edge[0] = 0xFFFFu;       /* SGIs are edge; PPIs and SPIs reset to level (GIC-1) */
	/* enabled, latch, active, prio: all zero */
	gic_update(g);
}

size_t gic_state_size(void)
{
	return sizeof(struct gic_state);
}

void gic_save(const struct gic *g, void *buf)
{
	memcpy(buf, &g->s, sizeof(g->s));
}

void gic_load(struct gic *g, const void *buf)
{
	struct gic_state *s = &g->s;

	memcpy(s, buf, sizeof(*s));
	/* Keep the invariants even for a foreign buffer. */
	s->dctlr &= 1;
	s->cctlr &= 1;
	s->pmr &= GIC_PRIO_MASK;
	s->bpr = (s->bpr & 7) < GIC_MIN_BPR ? GIC_MIN_BPR : (s->bpr & 7);
	s->edge[0] |= 0xFFFFu;
	for (unsigned i = 0; i < GIC_NR_IRQS; i++)
		s->prio[i] &= GIC_PRIO_MASK;
	gic_update(g);
}

struct gic *gic_new(const struct plat *plat)
{
	struct gic *g = calloc(1, sizeof(*g));

	if (!g)
		return NULL;
	g->plat = plat;
	gic_reset(g);
	return g;
}

void gic_free(struct gic *g)
{
	free(g);
}

bool gic_delivery_enabled(const struct gic *g)
{
	return g->s.dctlr && g->s.cctlr;
}

void gic_peek_state(const struct gic *g, struct gic_peek *out)
{
	const struct gic_state *s = &g->s;
	memset(out, 0, sizeof(*out));
	out->dist_enabled = s->dctlr & 1;
	out->cpu_enabled = s->cctlr & 1;
	out->pmr = s->pmr;
	out->bpr = s->bpr;
	out->running_prio = running_prio(s);
	out->hppi = g->hppi;
	out->signalled = g->signalled;
	for (unsigned w = 0; w < GIC_WORDS; w++) {
		out->enabled[w] = s->enabled[w];
		out->pending[w] = pending_word(s, w);
		out->active[w] = s->active[w];
		out->edge[w] = s->edge[w];
		out->line[w] = s->line[w];
	}
	memcpy(out->prio, s->prio, sizeof(out->prio));
}
