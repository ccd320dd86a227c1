/* fuzz_gic.c - libFuzzer harness for the GICv2 model (sim/gic.h).
 *
 * The input is a byte stream of operations on one GIC: distributor and CPU
 * interface loads and stores of any naturally aligned width (1..16 bytes),
 * acknowledges and EOIs, input line changes and pulses, SGIR, reset, and
 * snapshot save/load (also of a foreign buffer). Before and after each
 * operation the harness reads the guest-visible state through the register
 * frames (reads without side effects: IAR is never read for that) and
 * abort()s when SPEC section 11 is broken:
 *
 *   GIC-2  an acknowledge returns 1023 or the highest priority pending,
 *          enabled, inactive INTID (lowest INTID on a tie), and only when
 *          both frames are enabled and it beats PMR and the running
 *          priority; gic_irq_signalled() says the same; the INTID is then
 *          active and RPR is its group priority; HPPIR is that candidate
 *   GIC-2  EOIR of an active INTID deactivates it and never raises the
 *          running priority; of an inactive one changes nothing
 *   GIC-3  a level-configured input held high is pending; a rising edge on
 *          an edge-configured input latches pending; an acknowledged edge
 *          interrupt is no longer pending
 *   GIC-1  TYPER, IIDR read their constants; priorities and PMR read back
 *          masked with 0xF8; SGIs read as edge-configured; SGIR to CPU 0
 *          makes the SGI pending
 *   and    gic_save/gic_load round-trips every visible register
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sim/gic.h"
#include "sim/gicv2_regs.h"

#define MAX_OPS 256
#define WORDS   (GIC_NR_IRQS / 32)

#define CHECK(cond) do { if (!(cond)) fail(#cond, __LINE__); } while (0)

static void fail(const char *what, int line)
{
	fprintf(stderr, "fuzz_gic: invariant violated at line %d: %s\n", line, what);
	abort();
}

/* ---- input ---- */

static const uint8_t *in_p;
static size_t in_n;

static uint8_t take8(void)
{
	if (!in_n)
		return 0;
	in_n--;
	return *in_p++;
}

static uint32_t take32(void)
{
	uint32_t v = 0;
	for (int i = 0; i < 4; i++)
		v |= (uint32_t)take8() << (8 * i);
	return v;
}

/* ---- register access ---- */

static const struct plat no_plat;    /* events are not needed */
static struct gic *g;
static bool line[GIC_NR_IRQS];       /* the inputs as the harness drives them */

static uint32_t rd(const struct mmio_ops *ops, uint64_t off)
{
	uint8_t b[4];
	ops->read(g, off, 4, b);
	return (uint32_t)le_get(b, 4);
}

/* n words from off, in 16-byte loads (one access each, as ldp of two X
 * registers makes: the model splits them into words itself). */
static void rd_words(const struct mmio_ops *ops, uint64_t off, uint32_t *out, unsigned n)
{
	uint8_t b[16];
	for (unsigned w = 0; w < n; w += 4) {
		ops->read(g, off + 4 * w, 16, b);
		for (unsigned k = 0; k < 4 && w + k < n; k++)
			out[w + k] = (uint32_t)le_get(b + 4 * k, 4);
	}
}

static void wr(const struct mmio_ops *ops, uint64_t off, uint32_t v)
{
	uint8_t b[4];
	le_put(b, 4, v);
	ops->write(g, off, 4, b);
}

/* Everything a guest can see without side effects. */
struct view {
	uint32_t dctlr, cctlr, pmr, bpr, rpr, hppir, typer, iidr;
	uint32_t enabled[WORDS], pending[WORDS], active[WORDS], cfg[GIC_NR_IRQS / 16];
	uint8_t prio[GIC_NR_IRQS];
};

static void look(struct view *v)
{
	v->dctlr = rd(&gicd_ops, GICD_CTLR);
	v->typer = rd(&gicd_ops, GICD_TYPER);
	v->iidr = rd(&gicd_ops, GICD_IIDR);
	v->cctlr = rd(&gicc_ops, GICC_CTLR);
	v->pmr = rd(&gicc_ops, GICC_PMR);
	v->bpr = rd(&gicc_ops, GICC_BPR);
	v->rpr = rd(&gicc_ops, GICC_RPR);
	v->hppir = rd(&gicc_ops, GICC_HPPIR);
	uint32_t ic[WORDS], prio[GIC_NR_IRQS / 4];

	/* the set and clear views of each bit register read the same */
	rd_words(&gicd_ops, GICD_ISENABLER, v->enabled, WORDS);
	rd_words(&gicd_ops, GICD_ICENABLER, ic, WORDS);
	CHECK(!memcmp(ic, v->enabled, sizeof(ic)));
	rd_words(&gicd_ops, GICD_ISPENDR, v->pending, WORDS);
	rd_words(&gicd_ops, GICD_ICPENDR, ic, WORDS);
	CHECK(!memcmp(ic, v->pending, sizeof(ic)));
	rd_words(&gicd_ops, GICD_ISACTIVER, v->active, WORDS);
	rd_words(&gicd_ops, GICD_ICACTIVER, ic, WORDS);
	CHECK(!memcmp(ic, v->active, sizeof(ic)));
	rd_words(&gicd_ops, GICD_ICFGR, v->cfg, GIC_NR_IRQS / 16);
	rd_words(&gicd_ops, GICD_IPRIORITYR, prio, GIC_NR_IRQS / 4);
	for (unsigned i = 0; i < GIC_NR_IRQS / 4; i++)
		le_put(&v->prio[4 * i], 4, prio[i]);
}

static bool bit(const uint32_t *m, unsigned i)
{
	return (m[i / 32] >> (i % 32)) & 1;
}

static bool is_edge(const struct view *v, unsigned i)
{
	return (v->cfg[i / 16] >> (2 * (i % 16) + 1)) & 1;
}

static uint32_t group_prio(const struct view *v, unsigned i)
{
	return v->prio[i] & ((0xFFu << (v->bpr + 1)) & 0xFF);
}

/* GIC-2: the highest priority pending, enabled, inactive INTID. */
static uint32_t best(const struct view *v)
{
	uint32_t b = GIC_SPURIOUS;
	if (!(v->dctlr & 1))
		return b;
	for (unsigned i = 0; i < GIC_NR_IRQS; i++)
		if (bit(v->pending, i) && bit(v->enabled, i) && !bit(v->active, i) &&
		    (b == GIC_SPURIOUS || v->prio[i] < v->prio[b]))
			b = i;
	return b;
}

static bool signalled(const struct view *v)
{
	uint32_t b = best(v);
	return b != GIC_SPURIOUS && (v->cctlr & 1) && v->prio[b] < v->pmr &&
	       group_prio(v, b) < v->rpr;
}

/* Invariants of one view (GIC-1, GIC-2, GIC-3). */
static void check_view(const struct view *v)
{
	CHECK(v->typer == 7 && v->iidr == GIC_IIDR);
	CHECK(v->dctlr <= 1 && v->cctlr <= 1);
	CHECK((v->pmr & ~0xF8u) == 0 && v->bpr >= 2 && v->bpr <= 7);
	CHECK(v->rpr == 0xFF || (v->rpr & ~0xF8u) == 0);
	CHECK(v->hppir == best(v));
	CHECK(gic_irq_signalled(g) == signalled(v));
	CHECK((v->cfg[0] == 0xAAAAAAAAu));                        /* SGIs are edge */
	for (unsigned i = 0; i < GIC_NR_IRQS; i++) {
		CHECK((v->prio[i] & ~0xF8u) == 0);
		if (i >= 16 && line[i] && !is_edge(v, i))
			CHECK(bit(v->pending, i));                /* GIC-3 level */
	}
}

/* ---- operations ---- */

/* An acknowledge, checked against the view before it (GIC-2). */
static uint32_t ack_checked(uint32_t id, const struct view *before)
{
	struct view after;
	CHECK(id == GIC_SPURIOUS || id < GIC_NR_IRQS);
	if (!signalled(before)) {
		CHECK(id == GIC_SPURIOUS);
		return id;
	}
	CHECK(id == best(before));
	look(&after);
	CHECK(bit(after.active, id));
	CHECK(after.rpr == group_prio(before, id));
	if (id < 16 || is_edge(before, id) || !line[id])
		CHECK(!bit(after.pending, id));                   /* latch cleared */
	return id;
}

static struct view cur;              /* the view after the last operation */
static uint32_t acked[8];
static int n_acked;

static void op_ack(void)
{
	uint32_t id = ack_checked(rd(&gicc_ops, GICC_IAR), &cur);
	if (id != GIC_SPURIOUS && n_acked < 8)
		acked[n_acked++] = id;
}

static void op_eoi(void)
{
	const struct view *bp = &cur;
	struct view a;
	uint32_t v = n_acked && take8() < 200 ? acked[--n_acked] : take32();
	uint32_t id = v & 0x3FF;

	wr(&gicc_ops, GICC_EOIR, v);
	look(&a);
	if (id < GIC_NR_IRQS && bit(bp->active, id) && (id >= 16 || ((v >> 10) & 7) == 0)) {
		CHECK(!bit(a.active, id));
		CHECK(a.rpr >= bp->rpr);                          /* a drop, never a rise */
	} else {
		CHECK(!memcmp(a.active, bp->active, sizeof(a.active)) && a.rpr == bp->rpr);
	}
}

static void op_line(bool pulse)
{
	struct view a;
	uint32_t id = take8();            /* 0..255: SGIs have no line and must ignore it */
	int level = pulse ? 1 : take8() & 1;

	gic_set_input(g, id, level);
	look(&a);
	if (id >= 16 && level && !line[id] && is_edge(&cur, id))
		CHECK(bit(a.pending, id));                        /* GIC-3 edge latches */
	if (id < 16)
		CHECK(!memcmp(a.pending, cur.pending, sizeof(a.pending)));
	else
		line[id] = level;
	if (pulse) {
		gic_set_input(g, id, 0);
		if (id >= 16)
			line[id] = false;
	}
}

/* A random access of a naturally aligned width to one frame. */
static void op_access(const struct mmio_ops *ops, bool write, uint64_t lim)
{
	unsigned len = 1u << (take8() % 5);
	uint64_t off = ((uint64_t)take8() << 4 | take8()) % lim & ~(uint64_t)(len - 1);
	uint8_t buf[16];

	if (write) {
		for (unsigned k = 0; k < len; k++)
			buf[k] = take8();
		ops->write(g, off, len, buf);
		return;
	}
	ops->read(g, off, len, buf);
	/* a read that covers GICC_IAR as a whole word acknowledges */
	if (ops == &gicc_ops && off <= GICC_IAR && off + len >= GICC_IAR + 4)
		ack_checked((uint32_t)le_get(buf + (GICC_IAR - off), 4), &cur);
}

/* A register that matters, written whole: priorities, enables, pending,
 * config, the control registers, SGIR. */
static void op_reg(void)
{
	static const uint64_t d[] = { GICD_CTLR, GICD_ISENABLER, GICD_ICENABLER, GICD_ISPENDR,
				      GICD_ICPENDR, GICD_ISACTIVER, GICD_ICACTIVER,
				      GICD_IPRIORITYR, GICD_ICFGR, GICD_SGIR };
	uint8_t b = take8();
	uint32_t v = take32();

	if (b & 0x80) {                                           /* CPU interface */
		static const uint64_t c[] = { GICC_CTLR, GICC_PMR, GICC_BPR };
		wr(&gicc_ops, c[b % 3], v);
		return;
	}
	uint64_t base = d[b % 10], off = base;
	if (base == GICD_IPRIORITYR)
		off += (take8() & 0xFC);
	else if (base == GICD_ICFGR)
		off += 4 * (take8() % 16);
	else if (base != GICD_CTLR && base != GICD_SGIR)
		off += 4 * (take8() % WORDS);
	wr(&gicd_ops, off, v);
	if (base == GICD_SGIR) {
		struct view a;
		look(&a);
		uint32_t filter = (v >> 24) & 3;
		if ((filter == 0 && (v >> 16) & 1) || filter == 2)
			CHECK(bit(a.pending, v & 0xF));           /* SGI to CPU 0 */
	}
	if (base == GICD_IPRIORITYR) {
		struct view a;
		look(&a);
		uint64_t i = off - GICD_IPRIORITYR;
		for (unsigned k = 0; k < 4; k++)
			CHECK(a.prio[i + k] == ((v >> (8 * k)) & 0xF8));    /* GIC-1 */
	}
}

static void op_snapshot(bool foreign)
{
	size_t n = gic_state_size();
	uint8_t *buf = calloc(1, n);
	struct view a;

	CHECK(buf != NULL);
	if (foreign) {
		for (size_t k = 0; k < n && in_n; k++)
			buf[k] = take8();
		gic_load(g, buf);
		/* the buffer brought line levels of its own: drive every line low
		 * so that the harness knows them again */
		for (unsigned i = 16; i < GIC_NR_IRQS; i++) {
			gic_set_input(g, i, 0);
			line[i] = false;
		}
	} else {
		gic_save(g, buf);
		gic_reset(g);
		gic_load(g, buf);
		look(&a);
		CHECK(!memcmp(&a, &cur, sizeof(a)));
	}
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	in_p = data;
	in_n = size;
	n_acked = 0;
	memset(line, 0, sizeof(line));
	g = gic_new(&no_plat);
	if (!g)
		abort();
	look(&cur);
	for (int ops = 0; in_n && ops < MAX_OPS; ops++) {
		switch (take8() % 13) {
		case 0: case 1: op_reg(); break;
		case 2: op_access(&gicd_ops, true, 0x1000); break;
		case 3: op_access(&gicd_ops, false, 0x1000); break;
		case 4: op_access(&gicc_ops, true, 0x100); break;
		case 5: op_access(&gicc_ops, false, 0x100); break;
		case 6: case 7: op_ack(); break;
		case 8: op_eoi(); break;
		case 9: op_line(false); break;
		case 10: op_line(true); break;
		case 11: op_snapshot(take8() & 1); break;
		default: gic_reset(g); n_acked = 0; break;
		}
		look(&cur);
		check_view(&cur);
	}
	gic_free(g);
	return 0;
}
