/* gic_line.c - GIC input lines driven by a device (SPEC GIC-3, GIC-1 ICFGR,
 * GIC-6): the shmem instance at `loc` 0x1c050000 drives its vector INTID;
 * with profile irq_trigger level its line is high while a connection has
 * unread pending bits (IRQ-3), so a self-notify raises it and a status read
 * lowers it. Only the GIC side is checked here.
 * arg0 "level" (profile level, ICFGR level): one self-notify with PSTATE.I
 *   set, then the line stays high while the handler does not read status:
 *   FAIL 0x1601 line high: the vector does not read pending in ISPENDR
 *   FAIL 0x1602 ICPENDR does not clear a level interrupt whose line is high
 *   FAIL 0x1603 in handler runs 1 and 2 (status not read): not active and
 *               pending (the held line keeps it pending while active)
 *   FAIL 0x1604 in those runs IAR does not read 1023
 *   FAIL 0x1605 in run 3 (status read, line low): still pending
 *   FAIL 0x1606 not exactly 3 deliveries (re-delivered after each EOI while
 *               the line is high, never after it dropped)
 * arg0 "edge" (profile edge, ICFGR edge): each notify is one pulse, latched:
 *   the handler never reads status, yet each pulse is delivered exactly once.
 *   FAIL 0x1611 ICFGR does not read edge for the vector
 *   FAIL 0x1612 a pulse made while PSTATE.I was set is not pending
 *   FAIL 0x1613 not exactly one delivery per notify (2 notifies)
 * arg0 "edge-into-level" (profile edge, ICFGR left level): a pulse into a
 *   level-configured INTID is lost (GIC-1): nothing pending, no delivery.
 *   FAIL 0x1621 the vector reads pending after the pulse
 *   FAIL 0x1622 it was delivered
 * arg0 "sleep" (profile level; a host step notifies this VM while it sleeps):
 *   with PSTATE.I set, mark 1, wfi, mark 2. The wfi must sleep (no
 *   instruction retired meanwhile: CLOCK advances by 2 across it) until the
 *   host's notify raises the line, then wake although PSTATE.I is set.
 *   FAIL 0x1631 more than 2 instructions retired across the wfi
 *   FAIL 0x1632 after waking the vector is not pending
 *   FAIL 0x1633 not delivered exactly once after unmasking
 * arg0 "spin": marks 1, runs arg1 instructions of plain loop, marks 2 (a
 *   companion VM that keeps the system clock going).
 * FAIL 0x1600 the shmem instance or the connection failed.
 * Console: "line MODE done". Expected: exit 0, no FAIL. */
#include "hv.h"
#include "gic.h"
#include "shmem.h"

#define FAC0 0x1c050000ul

static struct shm_dev d;
static struct shm_conn c;
static volatile uint32_t hits;
static int mode_level;

static uint32_t bit(uint32_t id) { return 1u << (id % 32); }
static uint32_t is_pending(uint32_t id) { return (gicd_read(GICD_ISPENDR + 4 * (id / 32)) & bit(id)) != 0; }
static uint32_t is_active(uint32_t id) { return (gicd_read(GICD_ISACTIVER + 4 * (id / 32)) & bit(id)) != 0; }

static void on_vector(uint32_t intid, void *arg)
{
	(void)arg;
	hits++;
	if (!mode_level)
		return;
	if (hits < 3) {
		hv_expect32(is_active(intid), 1, 0x1603, "active in handler (line high)");
		hv_expect32(is_pending(intid), 1, 0x1603, "pending in handler (line high)");
		hv_expect32(gic_ack(), 1023, 0x1604, "IAR in handler");
	} else {
		shm_status(&c);                      /* read-to-clear: the line drops */
		hv_expect32(is_pending(intid), 0, 0x1605, "pending after status read");
	}
}

static void connect(const char *region)
{
	if (shm_probe_loc(&d, FAC0) || shm_create(&d, region, 1, &c) != GSS_OK) {
		printf("FAIL 0x1600: no shmem connection\n");
		hv_fail(0x1600);
		hv_exit(1);
	}
	shm_status(&c);                              /* start with nothing unread */
	gic_init();
	gic_set_priority(d.vector, 0x80);
	irq_register(d.vector, on_vector, 0);
}

static void mode_level_run(void)
{
	mode_level = 1;
	connect("gl");
	gic_enable(d.vector);
	shm_notify(&c, 1u << c.idx);                 /* self: line high */
	hv_expect32(is_pending(d.vector), 1, 0x1601, "pending with line high");
	gicd_write(GICD_ICPENDR + 4 * (d.vector / 32), bit(d.vector));
	hv_expect32(is_pending(d.vector), 1, 0x1602, "pending after ICPENDR with line high");
	irq_wait_count(&hits, 4, 5000);
	hv_expect32(hits, 3, 0x1606, "deliveries");
}

static void mode_edge_run(int cfg_edge)
{
	connect("ge");
	if (cfg_edge) {
		gic_set_edge(d.vector, 1);
		hv_expect32((gicd_read(GICD_ICFGR + 4 * (d.vector / 16)) >> (2 * (d.vector % 16))) & 2, 2,
			 0x1611, "ICFGR edge");
	}
	gic_enable(d.vector);
	shm_notify(&c, 1u << c.idx);                 /* one pulse */
	if (!cfg_edge) {
		hv_expect32(is_pending(d.vector), 0, 0x1621, "pending after a pulse into level");
		irq_wait_count(&hits, 1, 1000);
		hv_expect32(hits, 0, 0x1622, "deliveries of a pulse into level");
		return;
	}
	hv_expect32(is_pending(d.vector), 1, 0x1612, "pending after a pulse");
	irq_wait_count(&hits, 2, 2000);
	hv_expect32(hits, 1, 0x1613, "deliveries after one pulse");
	shm_notify(&c, 1u << c.idx);                 /* status never read: new pulse */
	irq_wait_count(&hits, 3, 2000);
	hv_expect32(hits, 2, 0x1613, "deliveries after two pulses");
}

static void mode_sleep_run(void)
{
	uint32_t t0, t1;

	connect("gw");
	gic_enable(d.vector);
	__asm__ volatile("mov w9, #1\n\t"
			 "str w9, [%2, #4]\n\t"     /* MARK 1 */
			 "ldr %w0, [%2, #0x24]\n\t" /* CLOCK */
			 "wfi\n\t"
			 "ldr %w1, [%2, #0x24]\n\t"
			 "mov w9, #2\n\t"
			 "str w9, [%2, #4]"         /* MARK 2 */
			 : "=&r"(t0), "=&r"(t1) : "r"(TESTDEV_BASE) : "x9", "memory");
	printf("line sleep: %u instructions across the wfi\n", t1 - t0);
	hv_expect32(t1 - t0 <= 2, 1, 0x1631, "instructions across the wfi <= 2");
	hv_expect32(is_pending(d.vector), 1, 0x1632, "pending after waking");
	mode_level = 0;
	irq_wait_count(&hits, 1, 2000);
	shm_status(&c);                              /* line low */
	irq_wait_count(&hits, 2, 1000);
	hv_expect32(hits, 1, 0x1633, "deliveries after waking");
}

int main(void)
{
	const char *mode = hv_argc() > 0 ? hv_arg_str(0) : "level";

	if (!strcmp(mode, "level"))
		mode_level_run();
	else if (!strcmp(mode, "edge"))
		mode_edge_run(1);
	else if (!strcmp(mode, "edge-into-level"))
		mode_edge_run(0);
	else if (!strcmp(mode, "sleep"))
		mode_sleep_run();
	else if (!strcmp(mode, "spin")) {
		uint32_t n = hv_argc() > 1 ? (uint32_t)hv_arg(1) : 10000;
		hv_mark(1);
		for (volatile uint32_t i = 0; i < n / 6; i++)
			;
		hv_mark(2);
	} else {
		printf("unknown mode %s\n", mode);
		hv_fail(0xBAD);
		return 1;
	}
	printf("line %s done\n", mode);
	return 0;
}
