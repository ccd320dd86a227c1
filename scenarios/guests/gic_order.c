/* gic_order.c - acknowledge order of several pending interrupts (SPEC
 * GIC-2): IAR returns the highest priority (numerically lowest) pending,
 * enabled interrupt first. Made pending while PSTATE.I is set:
 *   SPI 40 prio 0xA0, SPI 41 prio 0x40, SPI 42 prio 0x80, SGI 3 prio 0x60
 * so after unmasking the handlers (which run with IRQs masked) must run in
 * the order 41, 3, 42, 40 - each after the previous one's EOI.
 * FAIL ids (console "FAIL 0xID: what got=.. want=.."):
 *   0xC01 HPPIR before unmasking names SPI 41
 *   0xC02 nothing delivered while PSTATE.I is set (all four still pending)
 *   0xC03 all four delivered after unmasking
 *   0xC04 + k  the k-th delivery (k = 0..3) is not the expected INTID
 *   0xC08 in each handler RPR equals that interrupt's priority
 * Mark 1 just before unmasking.
 * Expected: exit 0, no FAIL, console "order 41 3 42 40". */
#include "hv.h"
#include "gic.h"

static volatile uint32_t n_seen;
static volatile uint32_t seen[8];
static const uint32_t want[4] = { 41, 3, 42, 40 };
static const uint8_t prio[64] = { [40] = 0xA0, [41] = 0x40, [42] = 0x80, [3] = 0x60 };

static void on_irq(uint32_t intid, void *arg)
{
	(void)arg;
	hv_expect32(gicc_read(GICC_RPR), prio[intid], 0xC08, "RPR in handler");
	if (n_seen < 8)
		seen[n_seen] = intid;
	n_seen++;
}

int main(void)
{
	gic_init();
	for (uint32_t i = 0; i < 64; i++)
		if (prio[i]) {
			irq_register(i, on_irq, 0);
			gic_set_priority(i, prio[i]);
			gic_enable(i);
		}
	gicd_write(GICD_ISPENDR + 4, (1u << 8) | (1u << 10));  /* 40, 42 */
	gic_send_sgi_self(3);
	gicd_write(GICD_ISPENDR + 4, 1u << 9);                 /* 41 */

	hv_expect32(gicc_read(GICC_HPPIR) & 0x3FF, 41, 0xC01, "HPPIR before unmasking");
	hv_expect32(n_seen, 0, 0xC02, "deliveries while masked");
	hv_expect32(gicd_read(GICD_ISPENDR + 4) & (7u << 8), 7u << 8, 0xC02, "SPIs pending");
	hv_expect32(gicd_read(GICD_ISPENDR) & (1u << 3), 1u << 3, 0xC02, "SGI pending");

	hv_mark(1);
	irq_wait_count(&n_seen, 4, 5000);
	hv_expect32(n_seen, 4, 0xC03, "deliveries");
	for (uint32_t k = 0; k < 4; k++)
		hv_expect32(seen[k], want[k], 0xC04 + k, "delivery order");
	printf("order %u %u %u %u\n", seen[0], seen[1], seen[2], seen[3]);
	return 0;
}
