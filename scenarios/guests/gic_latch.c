/* gic_latch.c - pending latches (SPEC GIC-3, GIC-1 ICFGR). No device drives
 * a line here, so pending state comes from ISPENDR and SGIR (software
 * latches); what GIC-3 says about them is checked:
 * arg0 "edge": an edge-configured SPI made pending while it cannot be
 *   delivered is latched and delivered exactly once when it can:
 *   SPI 45 pending (twice) while disabled, SPI 46 while PSTATE.I is set,
 *   SPI 47 while PMR masks it (edge configured, priority 0x80).
 *   FAIL 0xE01 ICFGR does not read back edge for 45..47
 *   FAIL 0xE02 SPI 45 delivered while disabled, or not exactly once after enable
 *   FAIL 0xE03 SPI 46 delivered while PSTATE.I set, or not exactly once after
 *   FAIL 0xE04 SPI 47 delivered while PMR masked it, or not exactly once after
 *   FAIL 0xE05 a pending bit is left set after the deliveries
 * arg0 "level": a level-configured SPI (50) made pending by ISPENDR with no
 *   line asserted: the acknowledge clears the software pending state, so it
 *   is delivered once and not again after the EOI.
 *   FAIL 0xE11 ICFGR of SPI 50 is not level (reset value)
 *   FAIL 0xE12 in the handler: ISPENDR still shows SPI 50, or not active
 *   FAIL 0xE13 not delivered exactly once
 * arg0 "again": an interrupt that is active and pending again is delivered
 *   after its EOI. The first run of each handler makes its own interrupt
 *   pending again: level SPI 51 and edge SPI 52 through ISPENDR, SGI 4
 *   through SGIR.
 *   FAIL 0xE21 in the first handler run: the interrupt is not both active and
 *              pending after re-pending it
 *   FAIL 0xE22 in the first handler run: IAR does not read 1023 (the active
 *              and pending interrupt must not be acknowledged again yet)
 *   FAIL 0xE23 SPI 51 not delivered exactly twice
 *   FAIL 0xE24 SPI 52 not delivered exactly twice
 *   FAIL 0xE25 SGI 4 not delivered exactly twice
 *   FAIL 0xE26 a second run started before the first one's EOI (nesting)
 * Expected: exit 0, no FAIL, console "latch MODE done". */
#include "hv.h"
#include "gic.h"

static volatile uint32_t hits[64];
static volatile uint32_t depth;

static uint32_t bit(uint32_t id) { return 1u << (id % 32); }
static void set_pending(uint32_t id) { gicd_write(GICD_ISPENDR + 4 * (id / 32), bit(id)); }
static uint32_t is_pending(uint32_t id) { return (gicd_read(GICD_ISPENDR + 4 * (id / 32)) & bit(id)) != 0; }
static uint32_t is_active(uint32_t id) { return (gicd_read(GICD_ISACTIVER + 4 * (id / 32)) & bit(id)) != 0; }

static void on_simple(uint32_t intid, void *arg)
{
	(void)arg;
	if (intid == 50) {
		hv_expect32(is_pending(50), 0, 0xE12, "SPI 50 pending in handler");
		hv_expect32(is_active(50), 1, 0xE12, "SPI 50 active in handler");
	}
	hits[intid]++;
}

static void on_again(uint32_t intid, void *arg)
{
	(void)arg;
	if (depth++)
		hv_fail(0xE26);
	if (hits[intid] == 0) {
		if (intid < 16)
			gic_send_sgi_self(intid);
		else
			set_pending(intid);
		hv_expect32(is_pending(intid), 1, 0xE21, "pending again in handler");
		hv_expect32(is_active(intid), 1, 0xE21, "active in handler");
		hv_expect32(gic_ack(), 1023, 0xE22, "IAR with own interrupt active+pending");
	}
	hits[intid]++;
	depth--;
}

static void mode_edge(void)
{
	for (uint32_t i = 45; i <= 47; i++) {
		irq_register(i, on_simple, 0);
		gic_set_priority(i, 0x80);
		gic_set_edge(i, 1);
	}
	hv_expect32(gicd_read(GICD_ICFGR + 4 * (45 / 16)) >> 26, 0x2A, 0xE01, "ICFGR2 fields 45..47");

	/* 45: pending while disabled. */
	set_pending(45);
	set_pending(45);
	irq_wait_count(&hits[45], 1, 500);
	hv_expect32(hits[45], 0, 0xE02, "SPI 45 deliveries while disabled");
	gic_enable(45);
	irq_wait_count(&hits[45], 2, 2000);
	hv_expect32(hits[45], 1, 0xE02, "SPI 45 deliveries after enable");

	/* 46: pending while PSTATE.I is set (enabled). */
	gic_enable(46);
	set_pending(46);
	for (volatile int k = 0; k < 200; k++)
		;
	hv_expect32(hits[46], 0, 0xE03, "SPI 46 deliveries while PSTATE.I set");
	irq_wait_count(&hits[46], 2, 2000);
	hv_expect32(hits[46], 1, 0xE03, "SPI 46 deliveries after unmask");

	/* 47: pending while PMR masks it. */
	gic_set_pmr(0x80);
	gic_enable(47);
	set_pending(47);
	set_pending(47);
	irq_wait_count(&hits[47], 1, 500);
	hv_expect32(hits[47], 0, 0xE04, "SPI 47 deliveries while PMR masks");
	gic_set_pmr(0xF0);
	irq_wait_count(&hits[47], 2, 2000);
	hv_expect32(hits[47], 1, 0xE04, "SPI 47 deliveries after PMR raised");

	hv_expect32(gicd_read(GICD_ISPENDR + 4) & (7u << 13), 0, 0xE05, "ISPENDR1 45..47 afterwards");
}

static void mode_level(void)
{
	irq_register(50, on_simple, 0);
	gic_set_priority(50, 0x80);
	hv_expect32((gicd_read(GICD_ICFGR + 4 * (50 / 16)) >> (2 * (50 % 16))) & 3, 0, 0xE11, "ICFGR SPI 50");
	gic_enable(50);
	set_pending(50);
	irq_wait_count(&hits[50], 2, 3000);
	hv_expect32(hits[50], 1, 0xE13, "SPI 50 deliveries");
	hv_expect32(is_pending(50), 0, 0xE13, "SPI 50 pending afterwards");
}

static void mode_again(void)
{
	static const uint32_t ids[3] = { 51, 52, 4 };
	gic_set_edge(52, 1);
	for (uint32_t k = 0; k < 3; k++) {
		irq_register(ids[k], on_again, 0);
		gic_set_priority(ids[k], 0x80);
		gic_enable(ids[k]);
	}
	set_pending(51);
	irq_wait_count(&hits[51], 3, 3000);
	hv_expect32(hits[51], 2, 0xE23, "SPI 51 deliveries");
	set_pending(52);
	irq_wait_count(&hits[52], 3, 3000);
	hv_expect32(hits[52], 2, 0xE24, "SPI 52 deliveries");
	gic_send_sgi_self(4);
	irq_wait_count(&hits[4], 3, 3000);
	hv_expect32(hits[4], 2, 0xE25, "SGI 4 deliveries");
}

int main(void)
{
	const char *mode = hv_argc() > 0 ? hv_arg_str(0) : "edge";
	gic_init();
	if (!strcmp(mode, "edge"))
		mode_edge();
	else if (!strcmp(mode, "level"))
		mode_level();
	else if (!strcmp(mode, "again"))
		mode_again();
	else
		hv_fail(0xBAD);
	printf("latch %s done\n", mode);
	return 0;
}
