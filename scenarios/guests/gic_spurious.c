/* gic_spurious.c - GICC_IAR returns the spurious INTID 1023 when there is
 * nothing to acknowledge (SPEC GIC-2), and such reads change nothing.
 * IRQs stay masked (PSTATE.I) throughout: everything is polled.
 * FAIL ids (console "FAIL 0xID: what got=.. want=.."):
 *   0xF01 nothing pending: IAR 1023 (three reads), HPPIR 1023
 *   0xF02 SPI 40 pending+enabled but GICD_CTLR.Enable 0: IAR 1023, HPPIR 1023
 *   0xF03 GICD on but GICC_CTLR.Enable 0: IAR 1023
 *   0xF04 SPI 40 pending but disabled: IAR 1023
 *   0xF05 a write of 1023 to EOIR changes nothing (RPR 0xFF, SPI 40 still
 *         pending, nothing active)
 *   0xF06 after all spurious reads: nothing active, RPR 0xFF, SPI 40 still
 *         pending (the reads did not consume it)
 * The scenario also expects no irq-ack event at all (a 1023 read is not an
 * acknowledgement).
 * Expected: exit 0, no FAIL, console "spurious done". */
#include "hv.h"
#include "gic.h"

int main(void)
{
	gic_init();
	for (int k = 0; k < 3; k++)
		hv_expect32(gic_ack(), 1023, 0xF01, "IAR idle");
	hv_expect32(gicc_read(GICC_HPPIR), 1023, 0xF01, "HPPIR idle");

	gic_set_priority(40, 0x80);
	gic_enable(40);
	gicd_write(GICD_CTLR, 0);
	gicd_write(GICD_ISPENDR + 4, 1u << 8);
	hv_expect32(gic_ack(), 1023, 0xF02, "IAR with GICD disabled");
	hv_expect32(gicc_read(GICC_HPPIR) & 0x3FF, 1023, 0xF02, "HPPIR with GICD disabled");

	gicd_write(GICD_CTLR, 1);
	gicc_write(GICC_CTLR, 0);
	hv_expect32(gic_ack(), 1023, 0xF03, "IAR with GICC disabled");
	gicc_write(GICC_CTLR, 1);

	gic_disable(40);
	hv_expect32(gic_ack(), 1023, 0xF04, "IAR with SPI disabled");

	gic_eoi(1023);
	hv_expect32(gicc_read(GICC_RPR), 0xFF, 0xF05, "RPR after EOI 1023");
	hv_expect32(gicd_read(GICD_ISPENDR + 4) & (1u << 8), 1u << 8, 0xF05, "SPI 40 pending after EOI 1023");

	for (uint32_t w = 0; w < 8; w++)
		hv_expect32(gicd_read(GICD_ISACTIVER + 4 * w), 0, 0xF06, "ISACTIVER after spurious reads");
	hv_expect32(gicc_read(GICC_RPR), 0xFF, 0xF06, "RPR after spurious reads");
	hv_expect32(gicd_read(GICD_ISPENDR + 4) & (1u << 8), 1u << 8, 0xF06, "SPI 40 still pending");
	gicd_write(GICD_ICPENDR + 4, 1u << 8);
	printf("spurious done\n");
	return 0;
}
