/* shm_irq_line.c - the instance's interrupt line as the GIC sees it, level
 * vs edge (SPEC IRQ-2, IRQ-3; GIC-1 ICFGR, GIC-3), one VM. Connections go
 * through the instance at 0x1c050000; V = its `vector`. The pending state of
 * V is read from GICD_ISPENDR (for a level-configured INTID: line OR latch;
 * edge-configured: the latch of rising edges) with PSTATE.I set, and
 * GICD_ICPENDR clears the latch. Connection A (index 0) and B (index 1).
 * arg0 = region name, arg1 = mode:
 * "level" (profile irq_trigger level, V level in the GIC):
 *   FAIL 0x701 V pending after A alone attached (attach_irq_self false)
 *   FAIL 0x702 V not pending after B attached (A's attach-list event)
 *   FAIL 0x703 V not pending after ICPENDR (the line is still high)
 *   FAIL 0x704 V not pending after reading B's status (A's event holds it)
 *   FAIL 0x705 V still pending after reading A's status (32-bit)
 *   FAIL 0x706 V not pending after A notified B
 *   FAIL 0x707 after a second notify and ICPENDR, V not pending
 *   FAIL 0x708 V still pending after B read its status (32-bit)
 *   FAIL 0x709 V pending after A notified mask 0 (NTF-3: no event)
 *   FAIL 0x70A with IRQs enabled, one notify to B and a handler that reads
 *              B's status only on its 3rd run: not exactly 3 deliveries
 *              (the level line re-delivers until the read; none after it)
 * "edge" (profile irq_trigger edge, V edge in the GIC):
 *   FAIL 0x711 V pending after A alone attached
 *   FAIL 0x712 V not pending after B attached (one pulse for A's event)
 *   FAIL 0x713 V pending after ICPENDR (nothing holds it: it was a pulse)
 *   FAIL 0x714 V not pending after A notified B
 *   FAIL 0x715 V pending after ICPENDR
 *   FAIL 0x716 V not pending after a second notify while B's bit is still
 *              unread (one pulse per event, whatever is pending)
 *   FAIL 0x717 V pending after B read its status (reads make no pulse)
 *   FAIL 0x718 V pending after a notify with mask 0
 *   FAIL 0x719 with IRQs enabled and a handler that never reads status,
 *              three notifies (each waited for) gave not exactly 3 deliveries
 * "lost" (profile irq_trigger edge, V left level in the GIC):
 *   FAIL 0x721 V pending after A notified B (a pulse into a level input is
 *              lost, GIC-1)
 *   FAIL 0x722 an interrupt was delivered with IRQs enabled
 * "narrow" (level, ten connections c0..c9; c1 and c9 notify c0):
 *   FAIL 0x731 V not pending after a byte load of status offset 0 of c0
 *              (bit 9 is still unread)
 *   FAIL 0x732 V still pending after the byte load of offset 1
 *   FAIL 0x733 after c10 attaches (attach-list event for c0..c9): reading
 *              bytes 0..1 of c1..c9 and all of c0 except a 16-bit load of
 *              offset 0 leaves V pending; then a 16-bit load of c0's offset 2
 *              (which shows the live set) drops V
 * Console: "irq-line MODE done deliveries=K". Expected: exit 0. */
#include "hv.h"
#include "gic.h"
#include "shmem.h"

#define FAC0 0x1c050000ul

static struct shm_dev d;
static struct shm_conn a, b, cc[11];
static volatile uint32_t runs;
static uint32_t read_on_run;      /* 0: never read status in the handler */

static uint32_t pend(void)
{
	return (gicd_read(GICD_ISPENDR + 4 * (d.vector / 32)) >> (d.vector % 32)) & 1;
}

static void unpend(void)
{
	gicd_write(GICD_ICPENDR + 4 * (d.vector / 32), 1u << (d.vector % 32));
}

static void on_irq(uint32_t intid, void *arg)
{
	(void)intid;
	(void)arg;
	runs++;
	if (read_on_run && runs == read_on_run)
		shm_status(&b);
}

/* IRQs on for `budget` instructions (clock), or until runs reaches stop. */
static void irqs_on(uint32_t budget, uint32_t stop)
{
	uint32_t t0 = hv_clock();
	irq_enable();
	while (hv_clock() - t0 < budget && runs < stop)
		;
	irq_disable();
}

static void connect(struct shm_conn *c, const char *name)
{
	if (shm_create(&d, name, 1, c) != GSS_OK) {
		printf("FAIL 0x7ff: create\n");
		hv_fail(0x7FF);
		hv_exit(1);
	}
}

static void mode_level(const char *name)
{
	connect(&a, name);
	hv_expect32(pend(), 0, 0x701, "pending after A attached");
	connect(&b, name);
	hv_expect32(pend(), 1, 0x702, "pending after B attached");
	unpend();
	hv_expect32(pend(), 1, 0x703, "pending after ICPENDR");
	shm_status(&b);
	hv_expect32(pend(), 1, 0x704, "pending after B's status read");
	shm_status(&a);
	hv_expect32(pend(), 0, 0x705, "pending after A's status read");
	shm_notify(&a, 1u << b.idx);
	hv_expect32(pend(), 1, 0x706, "pending after A notified B");
	shm_notify(&a, 1u << b.idx);
	unpend();
	hv_expect32(pend(), 1, 0x707, "pending after 2nd notify + ICPENDR");
	hv_expect32(shm_status(&b) & 0xFFFF, 1, 0x708, "B's pending bits");
	hv_expect32(pend(), 0, 0x708, "pending after B's status read");
	shm_notify(&a, 0);
	hv_expect32(pend(), 0, 0x709, "pending after notify 0");

	read_on_run = 3;
	shm_notify(&a, 1u << b.idx);
	irqs_on(20000, 100);
	hv_expect32(runs, 3, 0x70A, "deliveries for one notify, read on the 3rd");
}

static void mode_edge(const char *name)
{
	gic_set_edge(d.vector, 1);
	connect(&a, name);
	hv_expect32(pend(), 0, 0x711, "pending after A attached");
	connect(&b, name);
	hv_expect32(pend(), 1, 0x712, "pending after B attached");
	unpend();
	hv_expect32(pend(), 0, 0x713, "pending after ICPENDR");
	shm_status(&a);
	shm_notify(&a, 1u << b.idx);
	hv_expect32(pend(), 1, 0x714, "pending after A notified B");
	unpend();
	hv_expect32(pend(), 0, 0x715, "pending after ICPENDR");
	shm_notify(&a, 1u << b.idx);
	hv_expect32(pend(), 1, 0x716, "pending after 2nd notify, B unread");
	unpend();
	hv_expect32(shm_status(&b) & 0xFFFF, 1, 0x717, "B's pending bits");
	hv_expect32(pend(), 0, 0x717, "pending after B's status read");
	shm_notify(&a, 0);
	hv_expect32(pend(), 0, 0x718, "pending after notify 0");

	read_on_run = 0;
	for (uint32_t k = 1; k <= 3; k++) {
		shm_notify(&a, 1u << b.idx);
		irqs_on(5000, k);
	}
	irqs_on(20000, 100);
	hv_expect32(runs, 3, 0x719, "deliveries for three notifies, status never read");
}

static void mode_lost(const char *name)
{
	connect(&a, name);
	connect(&b, name);
	shm_status(&a);
	unpend();
	shm_notify(&a, 1u << b.idx);
	hv_expect32(pend(), 0, 0x721, "pending after a pulse into a level input");
	irqs_on(5000, 100);
	hv_expect32(runs, 0, 0x722, "deliveries");
}

static void mode_narrow(const char *name)
{
	for (int i = 0; i < 10; i++)
		connect(&cc[i], name);
	for (int i = 0; i < 10; i++)
		shm_status(&cc[i]);
	hv_expect32(pend(), 0, 0x731, "pending after every status was read");
	mmio_write32(cc[1].ctl + CTL_NOTIFY, 1);
	mmio_write32(cc[9].ctl + CTL_NOTIFY, 1);
	hv_expect32(mmio_read8(cc[0].ctl + 0), 0x02, 0x731, "byte 0 of c0");
	hv_expect32(pend(), 1, 0x731, "pending after byte 0 (bit 9 unread)");
	hv_expect32(mmio_read8(cc[0].ctl + 1), 0x02, 0x732, "byte 1 of c0");
	hv_expect32(pend(), 0, 0x732, "pending after byte 1");

	connect(&cc[10], name);
	shm_status(&cc[10]);
	for (int i = 1; i < 10; i++)
		shm_status(&cc[i]);
	mmio_read16(cc[0].ctl + 0);
	hv_expect32(pend(), 1, 0x733, "pending with c0's list change seen only through bytes 0..1");
	hv_expect32(mmio_read16(cc[0].ctl + 2), 0x07FF, 0x733, "c0 bytes 2..3");
	hv_expect32(pend(), 0, 0x733, "pending after c0's bytes 2..3 were read");
}

int main(void)
{
	const char *name = hv_arg_str(0);
	const char *mode = hv_arg_str(1);

	if (shm_probe_loc(&d, FAC0))
		return 1;
	gic_init();
	gic_set_priority(d.vector, 0x80);
	irq_register(d.vector, on_irq, 0);
	gic_enable(d.vector);

	if (!strcmp(mode, "level"))
		mode_level(name);
	else if (!strcmp(mode, "edge"))
		mode_edge(name);
	else if (!strcmp(mode, "lost"))
		mode_lost(name);
	else if (!strcmp(mode, "narrow"))
		mode_narrow(name);
	else
		hv_fail(0xBAD);
	printf("irq-line %s done deliveries=%u\n", mode, runs);
	return 0;
}
