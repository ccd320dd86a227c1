/* test_gic.c - the GICv2 model (SPEC section 11) driven through its register
 * frames, in register language, with a fake plat that records events. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tests/unit.h"
#include "sim/gic.h"
#include "sim/gicv2_regs.h"

/* ---- fake plat: records events ---- */

#define MAX_EVS 256
static struct rec {
	enum ev_kind kind;
	uint32_t intid;
	char text[160];
} evs[MAX_EVS];
static int n_evs;

static void fake_emit(void *ctx, struct ev *e)
{
	(void)ctx;
	if (n_evs == MAX_EVS)
		return;
	evs[n_evs].kind = e->kind;
	evs[n_evs].intid = e->intid;
	snprintf(evs[n_evs].text, sizeof(evs[n_evs].text), "%s", e->text ? e->text : "");
	n_evs++;
}

static const struct plat fake_plat = { .emit = fake_emit };

static int count_evs(enum ev_kind k)
{
	int n = 0;
	for (int i = 0; i < n_evs; i++)
		n += evs[i].kind == k;
	return n;
}

static struct gic *new_gic(void)
{
	n_evs = 0;
	struct gic *g = gic_new(&fake_plat);
	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	return g;
}

/* ---- register helpers ---- */

static void acc_w(const struct mmio_ops *ops, struct gic *g, uint64_t off, unsigned len, uint64_t v)
{
	uint8_t b[8];
	le_put(b, len, v);
	ops->write(g, off, len, b);
}

static uint64_t acc_r(const struct mmio_ops *ops, struct gic *g, uint64_t off, unsigned len)
{
	uint8_t b[8];
	ops->read(g, off, len, b);
	return le_get(b, len);
}

static void gicd_w32(struct gic *g, uint64_t off, uint32_t v) { acc_w(&gicd_ops, g, off, 4, v); }
static uint32_t gicd_r32(struct gic *g, uint64_t off) { return (uint32_t)acc_r(&gicd_ops, g, off, 4); }
static void gicd_w8(struct gic *g, uint64_t off, uint8_t v) { acc_w(&gicd_ops, g, off, 1, v); }
static uint8_t gicd_r8(struct gic *g, uint64_t off) { return (uint8_t)acc_r(&gicd_ops, g, off, 1); }
static void gicc_w32(struct gic *g, uint64_t off, uint32_t v) { acc_w(&gicc_ops, g, off, 4, v); }
static uint32_t gicc_r32(struct gic *g, uint64_t off) { return (uint32_t)acc_r(&gicc_ops, g, off, 4); }

static void enable_irq(struct gic *g, uint32_t id, uint8_t prio)
{
	gicd_w8(g, GICD_IPRIORITYR + id, prio);
	gicd_w32(g, GICD_ISENABLER + 4 * (id / 32), 1u << (id % 32));
}

static void set_edge(struct gic *g, uint32_t id)
{
	uint64_t off = GICD_ICFGR + 4 * (id / 16);
	gicd_w32(g, off, gicd_r32(g, off) | 2u << (2 * (id % 16)));
}

static bool bit_in(struct gic *g, uint64_t base, uint32_t id)
{
	return (gicd_r32(g, base + 4 * (id / 32)) >> (id % 32)) & 1;
}

/* Distributor and CPU interface on, PMR lets everything but 0xF8 through. */
static void gic_on(struct gic *g)
{
	gicd_w32(g, GICD_CTLR, 1);
	gicc_w32(g, GICC_CTLR, 1);
	gicc_w32(g, GICC_PMR, 0xF8);
}

static uint32_t ack(struct gic *g) { return gicc_r32(g, GICC_IAR); }
static void eoi(struct gic *g, uint32_t iar) { gicc_w32(g, GICC_EOIR, iar); }

/* ---- tests ---- */

static void test_id_registers(void)
{
	struct gic *g = new_gic();
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_TYPER), 7);
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_IIDR), 0x0200143B);
	gicd_w32(g, GICD_TYPER, 0xFFFFFFFF);
	gicd_w32(g, GICD_IIDR, 0);
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_TYPER), 7);
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_IIDR), 0x0200143B);
	/* RO CPU-interface registers ignore writes too */
	gicc_w32(g, GICC_RPR, 0x10);
	gicc_w32(g, GICC_HPPIR, 5);
	CU_ASSERT_EQUAL(gicc_r32(g, GICC_RPR), 0xFF);
	CU_ASSERT_EQUAL(gicc_r32(g, GICC_HPPIR), 1023);
	CU_ASSERT_EQUAL(count_evs(EV_NOTE), 0);
	gic_free(g);
}

static void test_ctlr_bits(void)
{
	struct gic *g = new_gic();
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_CTLR), 0);
	CU_ASSERT_EQUAL(gicc_r32(g, GICC_CTLR), 0);
	gicd_w32(g, GICD_CTLR, 0xFFFFFFFF);
	gicc_w32(g, GICC_CTLR, 0xFFFFFFFF);
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_CTLR), 1);
	CU_ASSERT_EQUAL(gicc_r32(g, GICC_CTLR), 1);
	gicc_w32(g, GICC_PMR, 0xFF);
	CU_ASSERT_EQUAL(gicc_r32(g, GICC_PMR), 0xF8);
	gic_free(g);
}

static void test_raz_wi(void)
{
	static const uint32_t d_offs[] = { GICD_IGROUPR, 0x0C, 0x120, 0x1A0, 0x220, 0x2A0, 0x320,
		0x3A0, 0x500, 0x7FC, 0xC40, 0xD00, 0xE00, 0xF04, 0xF30, 0xFFC, 0x1000, 0xFFFC };
	static const uint32_t c_offs[] = { 0x1C, 0x20, 0x40, 0xD0, 0x1000, 0xFFFC };
	struct gic *g = new_gic();
	for (size_t i = 0; i < sizeof(d_offs) / sizeof(d_offs[0]); i++) {
		gicd_w32(g, d_offs[i], 0xFFFFFFFF);
		CU_ASSERT_EQUAL(gicd_r32(g, d_offs[i]), 0);
	}
	for (size_t i = 0; i < sizeof(c_offs) / sizeof(c_offs[0]); i++) {
		gicc_w32(g, c_offs[i], 0xFFFFFFFF);
		CU_ASSERT_EQUAL(gicc_r32(g, c_offs[i]), 0);
	}
	/* byte accesses to holes are RAZ/WI as well, without a note */
	gicd_w8(g, 0x081, 0xFF);
	CU_ASSERT_EQUAL(gicd_r8(g, 0x081), 0);
	CU_ASSERT_EQUAL(count_evs(EV_NOTE), 0);
	/* nothing leaked into real registers */
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_ISENABLER), 0);
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_ISPENDR + 4), 0);
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_CTLR), 0);
	gic_free(g);
}

static void test_priority_bytes(void)
{
	struct gic *g = new_gic();
	gicd_w8(g, GICD_IPRIORITYR + 33, 0xFF);
	CU_ASSERT_EQUAL(gicd_r8(g, GICD_IPRIORITYR + 33), 0xF8);
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_IPRIORITYR + 32), 0xF800);
	gicd_w32(g, GICD_IPRIORITYR + 64, 0x12345678);
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_IPRIORITYR + 64), 0x10305078);
	CU_ASSERT_EQUAL(gicd_r8(g, GICD_IPRIORITYR + 66), 0x30);
	/* a byte store leaves its neighbours alone */
	gicd_w8(g, GICD_IPRIORITYR + 65, 0x00);
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_IPRIORITYR + 64), 0x10300078);
	gicd_w8(g, GICD_IPRIORITYR + 255, 0xA7);
	CU_ASSERT_EQUAL(gicd_r8(g, GICD_IPRIORITYR + 255), 0xA0);
	CU_ASSERT_EQUAL(count_evs(EV_NOTE), 0);
	gic_free(g);
}

static void test_itargetsr_raz_wi(void)
{
	struct gic *g = new_gic();
	gicd_w8(g, GICD_ITARGETSR + 40, 0x01);
	gicd_w32(g, GICD_ITARGETSR + 32, 0x01010101);
	CU_ASSERT_EQUAL(gicd_r8(g, GICD_ITARGETSR + 40), 0);
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_ITARGETSR + 32), 0);
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_ITARGETSR), 0);
	CU_ASSERT_EQUAL(count_evs(EV_NOTE), 0);
	gic_free(g);
}

static void test_word_only_byte_access(void)
{
	struct gic *g = new_gic();
	gicd_w8(g, GICD_CTLR, 1);
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_CTLR), 0);
	CU_ASSERT_EQUAL(count_evs(EV_NOTE), 1);
	CU_ASSERT_EQUAL(gicd_r8(g, GICD_TYPER), 0);
	CU_ASSERT_EQUAL(count_evs(EV_NOTE), 2);
	acc_w(&gicd_ops, g, GICD_ISENABLER + 2, 2, 0xFFFF);
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_ISENABLER), 0);
	CU_ASSERT_EQUAL(count_evs(EV_NOTE), 3);
	acc_w(&gicc_ops, g, GICC_PMR, 1, 0xF0);
	CU_ASSERT_EQUAL(gicc_r32(g, GICC_PMR), 0);
	CU_ASSERT_EQUAL(count_evs(EV_NOTE), 4);
	CU_ASSERT_PTR_NOT_NULL(strstr(evs[n_evs - 1].text, "word-only"));
	gic_free(g);
}

static void test_partial_iar_read_no_ack(void)
{
	struct gic *g = new_gic();
	gic_on(g);
	enable_irq(g, 40, 0x80);
	gic_set_input(g, 40, 1);
	CU_ASSERT_EQUAL(acc_r(&gicc_ops, g, GICC_IAR, 1), 0);
	CU_ASSERT_EQUAL(count_evs(EV_IRQ_ACK), 0);
	CU_ASSERT_FALSE(bit_in(g, GICD_ISACTIVER, 40));
	CU_ASSERT_EQUAL(ack(g), 40);
	gic_free(g);
}

/* A debugger's peek: IAR shows the INTID a read would acknowledge, nothing
 * is acknowledged (no event, not active, still signalled); the real read
 * then acknowledges it. The distributor reads as it does for the guest. */
static uint32_t peek32(const struct mmio_ops *ops, struct gic *g, uint64_t off)
{
	uint8_t b[4] = {0};
	ops->peek(g, off, 4, b);
	return (uint32_t)le_get(b, 4);
}

static void test_peek_no_side_effects(void)
{
	struct gic *g = new_gic();
	gic_on(g);
	enable_irq(g, 40, 0x80);
	gic_set_input(g, 40, 1);
	int evs_before = n_evs;
	CU_ASSERT_PTR_NOT_NULL_FATAL(gicc_ops.peek);
	CU_ASSERT_EQUAL(peek32(&gicc_ops, g, GICC_IAR), 40);
	CU_ASSERT_EQUAL(peek32(&gicc_ops, g, GICC_IAR), 40);
	CU_ASSERT_EQUAL(peek32(&gicc_ops, g, GICC_HPPIR), 40);
	CU_ASSERT_EQUAL(peek32(&gicc_ops, g, GICC_PMR), 0xF8);
	CU_ASSERT_EQUAL(peek32(&gicd_ops, g, GICD_ISENABLER + 4), gicd_r32(g, GICD_ISENABLER + 4));
	CU_ASSERT_EQUAL(n_evs, evs_before);
	CU_ASSERT_FALSE(bit_in(g, GICD_ISACTIVER, 40));
	CU_ASSERT_TRUE(gic_irq_signalled(g));
	CU_ASSERT_EQUAL(ack(g), 40);                   /* the real read still sees it */
	CU_ASSERT_EQUAL(count_evs(EV_IRQ_ACK), 1);
	CU_ASSERT_EQUAL(peek32(&gicc_ops, g, GICC_IAR), 1023);   /* acknowledged: spurious */
	gic_free(g);
}

/* A peek and a read decode through the same code: every word of both
 * frames (IAR aside, whose read acknowledges) peeks as it reads, and a
 * narrow peek shows what a narrow read returns (0 on a word-only register)
 * without the read's note. */
static void test_peek_reads_like_a_read(void)
{
	struct gic *g = new_gic();
	gic_on(g);
	enable_irq(g, 40, 0x80);
	enable_irq(g, 33, 0x40);
	enable_irq(g, 5, 0x00);
	set_edge(g, 33);
	gicd_w32(g, GICD_ISPENDR + 4, 1u << 1);        /* 33 latched */
	gic_set_input(g, 40, 1);                       /* 40 pending by level */
	gicd_w32(g, GICD_SGIR, (2u << 24) | 5);        /* SGI 5 pending */
	CU_ASSERT_EQUAL(ack(g), 5);                    /* active, running priority 0 */
	for (uint64_t off = 0; off < 0x1000; off += 4) {
		CU_ASSERT_EQUAL(peek32(&gicd_ops, g, off), gicd_r32(g, off));
		if (off < 0x100 && off != GICC_IAR)
			CU_ASSERT_EQUAL(peek32(&gicc_ops, g, off), gicc_r32(g, off));
	}
	uint8_t b[4] = {0xAA, 0xAA, 0xAA, 0xAA};
	int notes = count_evs(EV_NOTE);
	gicc_ops.peek(g, GICC_PMR, 1, b);               /* word-only: a read gives 0 */
	CU_ASSERT_EQUAL(b[0], 0);
	gicd_ops.peek(g, GICD_IPRIORITYR + 40, 2, b);   /* byte registers: the bytes */
	CU_ASSERT_EQUAL(b[0], 0x80);
	CU_ASSERT_EQUAL(b[1], 0);
	CU_ASSERT_EQUAL(count_evs(EV_NOTE), notes);     /* a peek notes nothing */
	CU_ASSERT_EQUAL(gicc_r32(g, GICC_HPPIR), 33);
	CU_ASSERT_EQUAL(count_evs(EV_IRQ_ACK), 1);
	gic_free(g);
}

static void test_enable_disable(void)
{
	struct gic *g = new_gic();
	gicd_w32(g, GICD_ISENABLER + 4, 0x00000101);  /* INTIDs 32 and 40 */
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_ISENABLER + 4), 0x101);
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_ICENABLER + 4), 0x101);
	gicd_w32(g, GICD_ISENABLER + 4, 0x00010000);  /* set-only: 32, 40 stay */
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_ISENABLER + 4), 0x10101);
	gicd_w32(g, GICD_ICENABLER + 4, 0x00000001);
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_ISENABLER + 4), 0x10100);
	/* SGI and PPI enables are writable (model's choice) */
	gicd_w32(g, GICD_ISENABLER, 0xFFFFFFFF);
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_ISENABLER), 0xFFFFFFFF);
	gicd_w32(g, GICD_ICENABLER, 0x0000FFFF);
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_ISENABLER), 0xFFFF0000);
	gic_free(g);
}

static void test_set_clear_pending(void)
{
	struct gic *g = new_gic();
	gicd_w32(g, GICD_ISPENDR + 4, 1u << 8);        /* INTID 40 */
	CU_ASSERT_TRUE(bit_in(g, GICD_ISPENDR, 40));
	CU_ASSERT_TRUE(bit_in(g, GICD_ICPENDR, 40));
	gicd_w32(g, GICD_ICPENDR + 4, 1u << 8);
	CU_ASSERT_FALSE(bit_in(g, GICD_ISPENDR, 40));
	/* SGI bits of ISPENDR0/ICPENDR0 are read-only: SGIR and C/SPENDSGIR only */
	gicd_w32(g, GICD_ISPENDR, 0x0000FFFF);
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_ISPENDR), 0);
	gicd_w8(g, GICD_SPENDSGIR + 3, 1);
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_ISPENDR), 1u << 3);
	CU_ASSERT_EQUAL(gicd_r8(g, GICD_SPENDSGIR + 3), 1);
	CU_ASSERT_EQUAL(gicd_r8(g, GICD_CPENDSGIR + 3), 1);
	gicd_w32(g, GICD_ICPENDR, 0xFFFF);
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_ISPENDR), 1u << 3);
	gicd_w8(g, GICD_CPENDSGIR + 3, 1);
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_ISPENDR), 0);
	/* PPI pending bits are writable */
	gicd_w32(g, GICD_ISPENDR, 1u << 27);
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_ISPENDR), 1u << 27);
	gic_free(g);
}

static void test_set_clear_active(void)
{
	struct gic *g = new_gic();
	gicd_w32(g, GICD_ISACTIVER + 8, 0x80000001);  /* 64 and 95 */
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_ISACTIVER + 8), 0x80000001);
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_ICACTIVER + 8), 0x80000001);
	gicd_w32(g, GICD_ICACTIVER + 8, 0x80000000);
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_ISACTIVER + 8), 1);
	/* an active interrupt is not delivered again until deactivated */
	gic_on(g);
	enable_irq(g, 64, 0x40);
	gicd_w32(g, GICD_ISPENDR + 8, 1);
	CU_ASSERT_FALSE(gic_irq_signalled(g));
	CU_ASSERT_EQUAL(ack(g), 1023);
	gicd_w32(g, GICD_ICACTIVER + 8, 1);
	CU_ASSERT_TRUE(gic_irq_signalled(g));
	CU_ASSERT_EQUAL(ack(g), 64);
	gic_free(g);
}

static void test_icfgr(void)
{
	struct gic *g = new_gic();
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_ICFGR), 0xAAAAAAAA);   /* SGIs: edge */
	gicd_w32(g, GICD_ICFGR, 0);
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_ICFGR), 0xAAAAAAAA);
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_ICFGR + 4), 0);        /* PPIs: level */
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_ICFGR + 8), 0);        /* SPIs reset to level */
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_ICFGR + 0x3C), 0);
	gicd_w32(g, GICD_ICFGR + 8, 0xFFFFFFFF);                /* bit 0 of each field: RAZ/WI */
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_ICFGR + 8), 0xAAAAAAAA);
	gicd_w32(g, GICD_ICFGR + 8, 0x00000008);                /* INTID 33 edge only */
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_ICFGR + 8), 0x8);
	gic_free(g);
}

static void test_iar_priority_order(void)
{
	struct gic *g = new_gic();
	gic_on(g);
	enable_irq(g, 50, 0xA0);
	enable_irq(g, 60, 0x20);
	enable_irq(g, 45, 0x60);
	enable_irq(g, 44, 0x60);
	gicd_w32(g, GICD_ISPENDR + 4, (1u << 18) | (1u << 28) | (1u << 13) | (1u << 12));
	CU_ASSERT_EQUAL(gicc_r32(g, GICC_HPPIR), 60);
	uint32_t got[4];
	for (int i = 0; i < 4; i++) {
		got[i] = ack(g);
		eoi(g, got[i]);
	}
	CU_ASSERT_EQUAL(got[0], 60);
	CU_ASSERT_EQUAL(got[1], 44);  /* equal priority: lower INTID first */
	CU_ASSERT_EQUAL(got[2], 45);
	CU_ASSERT_EQUAL(got[3], 50);
	CU_ASSERT_EQUAL(ack(g), 1023);
	CU_ASSERT_EQUAL(count_evs(EV_IRQ_ACK), 4);
	CU_ASSERT_EQUAL(count_evs(EV_IRQ_EOI), 4);
	CU_ASSERT_EQUAL(evs[0].kind, EV_IRQ_ACK);
	CU_ASSERT_EQUAL(evs[0].intid, 60);
	CU_ASSERT_EQUAL(evs[1].kind, EV_IRQ_EOI);
	CU_ASSERT_EQUAL(evs[1].intid, 60);
	CU_ASSERT_EQUAL(count_evs(EV_NOTE), 0);
	gic_free(g);
}

static void test_disabled_not_delivered(void)
{
	struct gic *g = new_gic();
	gic_on(g);
	gicd_w8(g, GICD_IPRIORITYR + 40, 0x10);
	gic_set_input(g, 40, 1);
	CU_ASSERT_TRUE(bit_in(g, GICD_ISPENDR, 40));
	CU_ASSERT_FALSE(gic_irq_signalled(g));
	CU_ASSERT_EQUAL(gicc_r32(g, GICC_HPPIR), 1023);
	CU_ASSERT_EQUAL(ack(g), 1023);
	gicd_w32(g, GICD_ISENABLER + 4, 1u << 8);
	CU_ASSERT_EQUAL(gicc_r32(g, GICC_HPPIR), 40);
	CU_ASSERT_EQUAL(ack(g), 40);
	gic_free(g);
}

static void test_pmr_masking(void)
{
	struct gic *g = new_gic();
	gic_on(g);
	enable_irq(g, 40, 0x80);
	gicc_w32(g, GICC_PMR, 0x80);              /* equal priority does not beat PMR */
	gic_set_input(g, 40, 1);
	CU_ASSERT_FALSE(gic_irq_signalled(g));
	CU_ASSERT_EQUAL(ack(g), 1023);
	CU_ASSERT_EQUAL(gicc_r32(g, GICC_HPPIR), 40);  /* HPPIR ignores PMR */
	gicc_w32(g, GICC_PMR, 0x88);
	CU_ASSERT_TRUE(gic_irq_signalled(g));
	CU_ASSERT_EQUAL(ack(g), 40);
	/* PMR 0 (reset) masks everything, even priority 0 */
	eoi(g, 40);
	gic_set_input(g, 40, 0);
	enable_irq(g, 41, 0x00);
	gicc_w32(g, GICC_PMR, 0);
	gic_set_input(g, 41, 1);
	CU_ASSERT_FALSE(gic_irq_signalled(g));
	gic_free(g);
}

static void test_preemption(void)
{
	struct gic *g = new_gic();
	gic_on(g);
	enable_irq(g, 40, 0x80);
	enable_irq(g, 41, 0x40);
	enable_irq(g, 42, 0x40);
	enable_irq(g, 43, 0x90);
	gic_set_input(g, 40, 1);
	CU_ASSERT_EQUAL(ack(g), 40);
	CU_ASSERT_EQUAL(gicc_r32(g, GICC_RPR), 0x80);
	/* lower priority than running: not signalled */
	gic_set_input(g, 43, 1);
	CU_ASSERT_FALSE(gic_irq_signalled(g));
	CU_ASSERT_EQUAL(ack(g), 1023);
	/* higher priority preempts */
	gic_set_input(g, 41, 1);
	CU_ASSERT_TRUE(gic_irq_signalled(g));
	CU_ASSERT_EQUAL(ack(g), 41);
	CU_ASSERT_EQUAL(gicc_r32(g, GICC_RPR), 0x40);
	/* equal priority does not preempt */
	gic_set_input(g, 42, 1);
	CU_ASSERT_FALSE(gic_irq_signalled(g));
	CU_ASSERT_EQUAL(ack(g), 1023);
	/* EOI of 41 drops to 0x80: 42 (0x40) now beats it */
	gic_set_input(g, 41, 0);
	eoi(g, 41);
	CU_ASSERT_EQUAL(gicc_r32(g, GICC_RPR), 0x80);
	CU_ASSERT_EQUAL(ack(g), 42);
	gic_set_input(g, 42, 0);
	eoi(g, 42);
	gic_set_input(g, 40, 0);
	eoi(g, 40);
	CU_ASSERT_EQUAL(gicc_r32(g, GICC_RPR), 0xFF);
	CU_ASSERT_EQUAL(ack(g), 43);
	gic_free(g);
}

static void test_bpr_group_priority(void)
{
	struct gic *g = new_gic();
	CU_ASSERT_EQUAL(gicc_r32(g, GICC_BPR), 2);
	gicc_w32(g, GICC_BPR, 0);
	CU_ASSERT_EQUAL(gicc_r32(g, GICC_BPR), 2);   /* minimum for 5 priority bits */
	gicc_w32(g, GICC_BPR, 3);
	CU_ASSERT_EQUAL(gicc_r32(g, GICC_BPR), 3);
	gic_on(g);
	enable_irq(g, 40, 0x88);
	enable_irq(g, 41, 0x80);   /* same group priority 0x80 under BPR 3 */
	enable_irq(g, 42, 0x70);   /* group 0x70: preempts */
	gic_set_input(g, 40, 1);
	CU_ASSERT_EQUAL(ack(g), 40);
	CU_ASSERT_EQUAL(gicc_r32(g, GICC_RPR), 0x80);
	gic_set_input(g, 41, 1);
	CU_ASSERT_FALSE(gic_irq_signalled(g));
	gic_set_input(g, 42, 1);
	CU_ASSERT_TRUE(gic_irq_signalled(g));
	CU_ASSERT_EQUAL(ack(g), 42);
	/* BPR 7: no preemption at all */
	gic_free(g);
	g = new_gic();
	gic_on(g);
	gicc_w32(g, GICC_BPR, 7);
	enable_irq(g, 40, 0x80);
	enable_irq(g, 41, 0x00);
	gic_set_input(g, 40, 1);
	CU_ASSERT_EQUAL(ack(g), 40);
	gic_set_input(g, 41, 1);
	CU_ASSERT_FALSE(gic_irq_signalled(g));
	gic_free(g);
}

static void test_level_held_high_repends(void)
{
	struct gic *g = new_gic();
	gic_on(g);
	enable_irq(g, 40, 0x80);
	gic_set_input(g, 40, 1);
	CU_ASSERT_EQUAL(ack(g), 40);
	/* active and pending while the line stays high */
	CU_ASSERT_TRUE(bit_in(g, GICD_ISACTIVER, 40));
	CU_ASSERT_TRUE(bit_in(g, GICD_ISPENDR, 40));
	CU_ASSERT_FALSE(gic_irq_signalled(g));
	CU_ASSERT_EQUAL(gicc_r32(g, GICC_HPPIR), 1023);
	eoi(g, 40);
	CU_ASSERT_TRUE(gic_irq_signalled(g));        /* GIC-3: delivered after its EOI */
	CU_ASSERT_EQUAL(ack(g), 40);
	gic_set_input(g, 40, 0);
	CU_ASSERT_FALSE(bit_in(g, GICD_ISPENDR, 40));
	eoi(g, 40);
	CU_ASSERT_FALSE(gic_irq_signalled(g));
	CU_ASSERT_EQUAL(ack(g), 1023);
	CU_ASSERT_EQUAL(count_evs(EV_IRQ_ACK), 2);
	gic_free(g);
}

static void test_level_icpendr_keeps_line(void)
{
	struct gic *g = new_gic();
	gic_on(g);
	enable_irq(g, 40, 0x80);
	gic_set_input(g, 40, 1);
	gicd_w32(g, GICD_ICPENDR + 4, 1u << 8);   /* clears the latch only */
	CU_ASSERT_TRUE(bit_in(g, GICD_ISPENDR, 40));
	gic_set_input(g, 40, 0);
	CU_ASSERT_FALSE(bit_in(g, GICD_ISPENDR, 40));
	/* a software-set pending on a level INTID is a latch: survives line low */
	gicd_w32(g, GICD_ISPENDR + 4, 1u << 8);
	CU_ASSERT_TRUE(bit_in(g, GICD_ISPENDR, 40));
	CU_ASSERT_EQUAL(ack(g), 40);              /* acknowledge clears the latch */
	CU_ASSERT_FALSE(bit_in(g, GICD_ISPENDR, 40));
	gic_free(g);
}

static void test_edge_latch_while_disabled(void)
{
	struct gic *g = new_gic();
	set_edge(g, 40);
	gicd_w8(g, GICD_IPRIORITYR + 40, 0x80);
	gic_set_input(g, 40, 1);
	gic_set_input(g, 40, 0);
	CU_ASSERT_TRUE(bit_in(g, GICD_ISPENDR, 40));
	gic_on(g);
	CU_ASSERT_FALSE(gic_irq_signalled(g));    /* not enabled yet */
	gicd_w32(g, GICD_ISENABLER + 4, 1u << 8);
	CU_ASSERT_TRUE(gic_irq_signalled(g));
	CU_ASSERT_EQUAL(ack(g), 40);
	CU_ASSERT_FALSE(bit_in(g, GICD_ISPENDR, 40));
	eoi(g, 40);
	CU_ASSERT_EQUAL(ack(g), 1023);
	/* masked by PMR, then unmasked */
	gicc_w32(g, GICC_PMR, 0x80);
	gic_set_input(g, 40, 1);
	CU_ASSERT_FALSE(gic_irq_signalled(g));
	gic_set_input(g, 40, 0);
	gicc_w32(g, GICC_PMR, 0xF0);
	CU_ASSERT_EQUAL(ack(g), 40);
	eoi(g, 40);
	/* a line held high gives one edge only */
	gic_set_input(g, 40, 1);
	gic_set_input(g, 40, 1);
	CU_ASSERT_EQUAL(ack(g), 40);
	eoi(g, 40);
	CU_ASSERT_EQUAL(ack(g), 1023);
	gic_free(g);
}

static void test_edge_repend_while_active(void)
{
	struct gic *g = new_gic();
	gic_on(g);
	set_edge(g, 40);
	enable_irq(g, 40, 0x80);
	gic_set_input(g, 40, 1);
	gic_set_input(g, 40, 0);
	CU_ASSERT_EQUAL(ack(g), 40);
	gic_set_input(g, 40, 1);                   /* second edge while active */
	gic_set_input(g, 40, 0);
	CU_ASSERT_FALSE(gic_irq_signalled(g));
	eoi(g, 40);
	CU_ASSERT_EQUAL(ack(g), 40);
	gic_free(g);
}

static void test_edge_pulse_into_level_lost(void)
{
	struct gic *g = new_gic();
	gic_on(g);
	enable_irq(g, 40, 0x80);                   /* level by reset (GIC-1) */
	gic_set_input(g, 40, 1);
	CU_ASSERT_TRUE(gic_irq_signalled(g));
	gic_set_input(g, 40, 0);
	CU_ASSERT_FALSE(gic_irq_signalled(g));
	CU_ASSERT_FALSE(bit_in(g, GICD_ISPENDR, 40));
	CU_ASSERT_EQUAL(ack(g), 1023);
	CU_ASSERT_EQUAL(count_evs(EV_IRQ_ACK), 0);
	gic_free(g);
}

static void test_sgi_self(void)
{
	struct gic *g = new_gic();
	gic_on(g);
	enable_irq(g, 5, 0x40);
	gicd_w32(g, GICD_SGIR, (2u << 24) | 5);    /* TargetListFilter 2: self */
	CU_ASSERT_TRUE(bit_in(g, GICD_ISPENDR, 5));
	uint32_t iar = ack(g);
	CU_ASSERT_EQUAL(iar & 0x3FF, 5);
	CU_ASSERT_EQUAL((iar >> 10) & 7, 0);       /* source CPU 0 */
	CU_ASSERT_EQUAL(iar, 5);
	CU_ASSERT_FALSE(bit_in(g, GICD_ISPENDR, 5));
	eoi(g, iar);
	CU_ASSERT_FALSE(bit_in(g, GICD_ISACTIVER, 5));
	/* filter 1 (all others): nobody on a uniprocessor */
	gicd_w32(g, GICD_SGIR, (1u << 24) | 5);
	CU_ASSERT_FALSE(bit_in(g, GICD_ISPENDR, 5));
	/* filter 0: the list; only CPU 0's bit targets anything */
	gicd_w32(g, GICD_SGIR, (0u << 24) | (0x02u << 16) | 5);
	CU_ASSERT_FALSE(bit_in(g, GICD_ISPENDR, 5));
	gicd_w32(g, GICD_SGIR, (0u << 24) | (0x01u << 16) | 5);
	CU_ASSERT_TRUE(bit_in(g, GICD_ISPENDR, 5));
	/* filter 3 is reserved: ignored with a note */
	gicd_w8(g, GICD_CPENDSGIR + 5, 1);
	gicd_w32(g, GICD_SGIR, (3u << 24) | 5);
	CU_ASSERT_FALSE(bit_in(g, GICD_ISPENDR, 5));
	CU_ASSERT_EQUAL(count_evs(EV_NOTE), 1);
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_SGIR), 0);   /* WO */
	gic_free(g);
}

static void test_spurious(void)
{
	struct gic *g = new_gic();
	CU_ASSERT_EQUAL(ack(g), 1023);             /* everything off */
	gic_on(g);
	CU_ASSERT_EQUAL(ack(g), 1023);             /* nothing pending */
	CU_ASSERT_EQUAL(gicc_r32(g, GICC_HPPIR), 1023);
	CU_ASSERT_EQUAL(count_evs(EV_IRQ_ACK), 0);
	eoi(g, 1023);                               /* ignored, silently */
	CU_ASSERT_EQUAL(n_evs, 0);
	gic_free(g);
}

static void test_eoi_not_active(void)
{
	struct gic *g = new_gic();
	gic_on(g);
	enable_irq(g, 40, 0x80);
	gic_set_input(g, 40, 1);
	CU_ASSERT_EQUAL(ack(g), 40);
	n_evs = 0;
	eoi(g, 41);
	CU_ASSERT_EQUAL(count_evs(EV_NOTE), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(evs[n_evs - 1].text, "not active"));
	/* the mistake changed nothing: 40 still active, priority still held */
	CU_ASSERT_TRUE(bit_in(g, GICD_ISACTIVER, 40));
	CU_ASSERT_EQUAL(gicc_r32(g, GICC_RPR), 0x80);
	eoi(g, 40);
	CU_ASSERT_EQUAL(count_evs(EV_NOTE), 1);
	CU_ASSERT_FALSE(bit_in(g, GICD_ISACTIVER, 40));
	CU_ASSERT_EQUAL(gicc_r32(g, GICC_RPR), 0xFF);
	eoi(g, 40);                                 /* twice */
	CU_ASSERT_EQUAL(count_evs(EV_NOTE), 2);
	gic_free(g);
}

static void test_signalled_transitions(void)
{
	struct gic *g = new_gic();
	enable_irq(g, 40, 0x80);
	gicc_w32(g, GICC_PMR, 0xF8);
	gic_set_input(g, 40, 1);
	CU_ASSERT_FALSE(gic_irq_signalled(g));     /* both frames off */
	gicd_w32(g, GICD_CTLR, 1);
	CU_ASSERT_FALSE(gic_irq_signalled(g));     /* CPU interface off */
	CU_ASSERT_EQUAL(gicc_r32(g, GICC_HPPIR), 40);
	CU_ASSERT_EQUAL(ack(g), 1023);
	gicc_w32(g, GICC_CTLR, 1);
	CU_ASSERT_TRUE(gic_irq_signalled(g));
	gicd_w32(g, GICD_CTLR, 0);
	CU_ASSERT_FALSE(gic_irq_signalled(g));     /* distributor off */
	gicd_w32(g, GICD_CTLR, 1);
	CU_ASSERT_TRUE(gic_irq_signalled(g));
	gicd_w32(g, GICD_ICENABLER + 4, 1u << 8);
	CU_ASSERT_FALSE(gic_irq_signalled(g));
	gicd_w32(g, GICD_ISENABLER + 4, 1u << 8);
	CU_ASSERT_TRUE(gic_irq_signalled(g));
	CU_ASSERT_EQUAL(ack(g), 40);
	CU_ASSERT_FALSE(gic_irq_signalled(g));     /* active */
	gic_set_input(g, 40, 0);
	eoi(g, 40);
	CU_ASSERT_FALSE(gic_irq_signalled(g));
	gic_free(g);
}

static void test_save_load(void)
{
	struct gic *g = new_gic();
	gic_on(g);
	gicc_w32(g, GICC_BPR, 4);
	set_edge(g, 50);
	enable_irq(g, 40, 0x80);
	enable_irq(g, 50, 0x40);
	gic_set_input(g, 40, 1);
	CU_ASSERT_EQUAL(ack(g), 40);
	gic_set_input(g, 50, 1);                    /* edge latched, line high */

	size_t n = gic_state_size();
	CU_ASSERT_TRUE(n > 0);
	unsigned char *buf = calloc(1, n), *buf2 = calloc(1, n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(buf2);
	gic_save(g, buf);

	/* a fresh GIC loaded from the snapshot reads the same */
	struct gic *h = gic_new(&fake_plat);
	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	gic_load(h, buf);
	gic_save(h, buf2);
	CU_ASSERT_EQUAL(memcmp(buf, buf2, n), 0);
	CU_ASSERT_EQUAL(gicc_r32(h, GICC_BPR), 4);
	CU_ASSERT_EQUAL(gicc_r32(h, GICC_RPR), 0x80);
	CU_ASSERT_EQUAL(gicd_r32(h, GICD_ICFGR + 12), 2u << 4);
	CU_ASSERT_TRUE(bit_in(h, GICD_ISACTIVER, 40));
	CU_ASSERT_TRUE(gic_irq_signalled(h));
	CU_ASSERT_EQUAL(ack(h), 50);
	/* the line level was saved: a second 1 is no new edge */
	eoi(h, 50);
	gic_set_input(h, 50, 1);
	CU_ASSERT_FALSE(bit_in(h, GICD_ISPENDR, 50));

	/* mutate the original, then roll it back */
	eoi(g, 40);
	gicd_w32(g, GICD_CTLR, 0);
	gicd_w8(g, GICD_IPRIORITYR + 40, 0x10);
	CU_ASSERT_FALSE(gic_irq_signalled(g));
	gic_load(g, buf);
	CU_ASSERT_TRUE(gic_irq_signalled(g));      /* derived state recomputed */
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_CTLR), 1);
	CU_ASSERT_EQUAL(gicd_r8(g, GICD_IPRIORITYR + 40), 0x80);
	CU_ASSERT_TRUE(bit_in(g, GICD_ISACTIVER, 40));
	CU_ASSERT_EQUAL(ack(g), 50);
	free(buf);
	free(buf2);
	gic_free(h);
	gic_free(g);
}

static void test_reset(void)
{
	struct gic *g = new_gic();
	gic_on(g);
	enable_irq(g, 40, 0x80);
	gicd_w32(g, GICD_ISPENDR + 4, 1u << 8);
	CU_ASSERT_EQUAL(ack(g), 40);
	gic_reset(g);
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_CTLR), 0);
	CU_ASSERT_EQUAL(gicc_r32(g, GICC_PMR), 0);
	CU_ASSERT_EQUAL(gicc_r32(g, GICC_RPR), 0xFF);
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_ISACTIVER + 4), 0);
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_ISENABLER + 4), 0);
	CU_ASSERT_EQUAL(gicd_r8(g, GICD_IPRIORITYR + 40), 0);
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_ICFGR), 0xAAAAAAAA);
	/* input lines are wires, not registers: a line held high through a
	 * reset leaves its level-configured INTID pending */
	gic_set_input(g, 41, 1);
	gic_reset(g);
	CU_ASSERT_TRUE(bit_in(g, GICD_ISPENDR, 41));
	gic_free(g);
}

static void test_wide_accesses(void)
{
	struct gic *g = new_gic();
	uint8_t b[16];

	/* 8-byte store over ISENABLER0/1 */
	acc_w(&gicd_ops, g, GICD_ISENABLER, 8, 0x0000010000000002ull);
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_ISENABLER), 2);
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_ISENABLER + 4), 0x100);
	CU_ASSERT_EQUAL(acc_r(&gicd_ops, g, GICD_ISENABLER, 8), 0x0000010000000002ull);
	/* 16-byte store (stp) over IPRIORITYR 32..47 */
	for (int i = 0; i < 16; i++)
		b[i] = (uint8_t)(0x11 * i);
	gicd_ops.write(g, GICD_IPRIORITYR + 32, 16, b);
	for (int i = 0; i < 16; i++)
		CU_ASSERT_EQUAL(gicd_r8(g, GICD_IPRIORITYR + 32 + i), (0x11 * i) & 0xF8);
	memset(b, 0xEE, sizeof(b));
	gicd_ops.read(g, GICD_IPRIORITYR + 32, 16, b);
	CU_ASSERT_EQUAL(b[0], 0x00);
	CU_ASSERT_EQUAL(b[9], 0x98);
	CU_ASSERT_EQUAL(b[15], 0xF8);
	/* 16-byte read at GICD 0: CTLR, TYPER, IIDR, hole */
	memset(b, 0xEE, sizeof(b));
	gicd_ops.read(g, 0, 16, b);
	CU_ASSERT_EQUAL(le_get(b + 4, 4), 7);
	CU_ASSERT_EQUAL(le_get(b + 8, 4), 0x0200143B);
	CU_ASSERT_EQUAL(le_get(b + 12, 4), 0);
	/* 8-byte store to GICC CTLR+PMR */
	acc_w(&gicc_ops, g, GICC_CTLR, 8, 0x000000F000000001ull);
	CU_ASSERT_EQUAL(gicc_r32(g, GICC_CTLR), 1);
	CU_ASSERT_EQUAL(gicc_r32(g, GICC_PMR), 0xF0);
	gicd_w32(g, GICD_CTLR, 1);
	/* 8-byte load of BPR+IAR acknowledges once */
	gicd_w32(g, GICD_ISPENDR + 4, 1u << 8);
	uint64_t v = acc_r(&gicc_ops, g, GICC_BPR, 8);
	CU_ASSERT_EQUAL(v & 0xFFFFFFFF, 2);
	CU_ASSERT_EQUAL(v >> 32, 40);
	CU_ASSERT_EQUAL(count_evs(EV_IRQ_ACK), 1);
	/* 8-byte store of EOIR + RPR(RO) completes it */
	acc_w(&gicc_ops, g, GICC_EOIR, 8, 0x0000001000000028ull);
	CU_ASSERT_EQUAL(count_evs(EV_IRQ_EOI), 1);
	CU_ASSERT_FALSE(bit_in(g, GICD_ISACTIVER, 40));
	CU_ASSERT_EQUAL(gicc_r32(g, GICC_RPR), 0xFF);
	/* 8-byte store into C/SPENDSGIR bytes */
	acc_w(&gicd_ops, g, GICD_SPENDSGIR + 8, 8, 0x0101000000000001ull);
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_ISPENDR) & 0xFFFF, (1u << 8) | (1u << 14) | (1u << 15));
	CU_ASSERT_EQUAL(count_evs(EV_NOTE), 0);
	gic_free(g);
}

/* Every offset of both frames with every length 1..16: no crash, and RO
 * identity registers survive the storm. */
static void test_fuzz_offsets(void)
{
	struct gic *g = new_gic();
	uint8_t b[16];
	uint32_t x = 12345;

	for (uint64_t off = 0; off < 0x10000; off += 1) {
		for (unsigned len = 1; len <= 16; len++) {
			if (off % 1024 && len > 4 && off % 7)
				continue;  /* keep it quick: full lengths on a subset */
			for (unsigned i = 0; i < len; i++) {
				x = x * 1103515245u + 12345u;
				b[i] = (uint8_t)(x >> 16);
			}
			gicd_ops.write(g, off, len, b);
			gicd_ops.read(g, off, len, b);
			gicc_ops.write(g, off, len, b);
			gicc_ops.read(g, off, len, b);
			if (n_evs > MAX_EVS / 2)
				n_evs = 0;
		}
	}
	gic_set_input(g, 0, 1);
	gic_set_input(g, 300, 1);
	gic_set_input(g, 0xFFFFFFFF, 1);
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_TYPER), 7);
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_IIDR), 0x0200143B);
	CU_ASSERT_EQUAL(gicd_r32(g, GICD_ICFGR), 0xAAAAAAAA);
	CU_ASSERT_EQUAL(gicc_r32(g, GICC_PMR) & 0x7, 0);
	gic_free(g);
}

static CU_TestInfo gic_tests[] = {
	{ "TYPER/IIDR values, RO registers", test_id_registers },
	{ "CTLR/PMR implemented bits", test_ctlr_bits },
	{ "peek: IAR without acknowledge, no events", test_peek_no_side_effects },
	{ "peek: every register as a read returns it", test_peek_reads_like_a_read },
	{ "unimplemented offsets RAZ/WI", test_raz_wi },
	{ "IPRIORITYR byte access, 0xF8 mask", test_priority_bytes },
	{ "ITARGETSR RAZ/WI", test_itargetsr_raz_wi },
	{ "byte access to word-only register: note", test_word_only_byte_access },
	{ "partial IAR read does not acknowledge", test_partial_iar_read_no_ack },
	{ "ISENABLER/ICENABLER", test_enable_disable },
	{ "ISPENDR/ICPENDR, SGI pending", test_set_clear_pending },
	{ "ISACTIVER/ICACTIVER", test_set_clear_active },
	{ "ICFGR", test_icfgr },
	{ "IAR priority order", test_iar_priority_order },
	{ "disabled INTID not delivered", test_disabled_not_delivered },
	{ "PMR masking", test_pmr_masking },
	{ "running priority preemption", test_preemption },
	{ "BPR group priority", test_bpr_group_priority },
	{ "level held high re-pends after EOI", test_level_held_high_repends },
	{ "level: ICPENDR clears latch only", test_level_icpendr_keeps_line },
	{ "edge latched while disabled/masked", test_edge_latch_while_disabled },
	{ "edge re-pended while active", test_edge_repend_while_active },
	{ "edge pulse into level INTID lost", test_edge_pulse_into_level_lost },
	{ "SGI to self via SGIR", test_sgi_self },
	{ "spurious 1023", test_spurious },
	{ "EOI of non-active INTID: note", test_eoi_not_active },
	{ "irq_signalled transitions", test_signalled_transitions },
	{ "save/load round trip", test_save_load },
	{ "reset values", test_reset },
	{ "8- and 16-byte accesses split", test_wide_accesses },
	{ "any offset, any length", test_fuzz_offsets },
	CU_TEST_INFO_NULL,
};

UNIT_SUITE("gic", gic_tests);
