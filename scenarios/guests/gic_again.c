/* gic_again.c - an interrupt raised again while it is active (SPEC GIC-3):
 * pending again while active, not taken again before its EOI (IAR 1023
 * inside the handler), delivered once more after it.
 *
 * arg0 "sgi": no device at all. SGI 5 (priority 0x80) sent through GICD_SGIR
 *   twice with PSTATE.I set: one latch, one delivery (GIC-3 edge latch).
 *   Then the handler sends SGI 5 again on its first run, before the EOI.
 *   FAIL 0x1701 after two SGIRs with PSTATE.I set: SGI 5 not pending
 *   FAIL 0x1702 two SGIs sent while masked not delivered exactly once
 *   FAIL 0x1703 in the handler after the new SGIR: not active and pending
 *   FAIL 0x1704 in the handler: IAR does not read 1023
 *   FAIL 0x1705 not delivered exactly twice (the SGI sent inside the handler
 *               must be taken once after the EOI)
 * arg0 "edge-notify": the shmem instance at 0x1c050000 (profile irq_trigger
 *   edge, ICFGR edge for its vector). A self-notify pulses the line; the
 *   handler notifies itself again on its first run, before the EOI, and
 *   never reads status (so only the edge can make it pending).
 *   FAIL 0x1710 no shmem connection
 *   FAIL 0x1713 in the handler after the second notify: not active and pending
 *   FAIL 0x1714 in the handler: IAR does not read 1023
 *   FAIL 0x1715 not delivered exactly twice
 * Console: "again MODE done". Expected: exit 0, no FAIL. */
#include "hv.h"
#include "gic.h"
#include "shmem.h"

#define FAC0 0x1c050000ul
#define SGI  5

static struct shm_dev d;
static struct shm_conn c;
static volatile uint32_t hits;
static uint32_t fail_base;
static volatile int arm;          /* raise again on the next first run */

static uint32_t bit(uint32_t id) { return 1u << (id % 32); }
static uint32_t is_pending(uint32_t id) { return (gicd_read(GICD_ISPENDR + 4 * (id / 32)) & bit(id)) != 0; }
static uint32_t is_active(uint32_t id) { return (gicd_read(GICD_ISACTIVER + 4 * (id / 32)) & bit(id)) != 0; }

static void raise_again(uint32_t intid)
{
	if (intid == SGI)
		gic_send_sgi_self(SGI);
	else
		shm_notify(&c, 1u << c.idx);
}

static void on_irq(uint32_t intid, void *arg)
{
	(void)arg;
	hits++;
	if (hits != 1 || !arm)
		return;
	arm = 0;
	raise_again(intid);
	hv_expect32(is_active(intid) && is_pending(intid), 1, fail_base + 3,
		    "active and pending after raising it again in the handler");
	hv_expect32(gic_ack(), 1023, fail_base + 4, "IAR in the handler");
}

int main(void)
{
	const char *mode = hv_arg_str(0);
	uint32_t id;

	gic_init();
	if (!strcmp(mode, "sgi")) {
		fail_base = 0x1700;
		id = SGI;
		gic_set_priority(id, 0x80);
		irq_register(id, on_irq, 0);
		gic_enable(id);
		/* two SGIs while masked: one latch */
		gic_send_sgi_self(SGI);
		gic_send_sgi_self(SGI);
		hv_expect32(is_pending(id), 1, 0x1701, "SGI pending while masked");
		irq_wait_count(&hits, 2, 2000);
		hv_expect32(hits, 1, 0x1702, "deliveries of two SGIs sent while masked");
		hits = 0;
		arm = 1;
		gic_send_sgi_self(SGI);
	} else {
		fail_base = 0x1710;
		if (shm_probe_loc(&d, FAC0) || shm_create(&d, "again", 1, &c) != GSS_OK) {
			printf("FAIL 0x1710: no shmem connection\n");
			hv_fail(0x1710);
			return 1;
		}
		id = d.vector;
		shm_status(&c);
		gic_set_priority(id, 0x80);
		gic_set_edge(id, 1);
		irq_register(id, on_irq, 0);
		gic_enable(id);
		arm = 1;
		shm_notify(&c, 1u << c.idx);
	}
	irq_wait_count(&hits, 3, 4000);
	hv_expect32(hits, 2, fail_base + 5, "deliveries (one raised inside the handler)");
	printf("again %s done\n", mode);
	return 0;
}
