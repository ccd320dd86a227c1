/* gic_eoi_other.c - an EOIR write deactivates the interrupt it names and
 * drops the running priority only when that interrupt is active (SPEC GIC-2:
 * EOIR drops the running priority and deactivates; docs/device-model.md: an
 * EOIR for an interrupt that is not active changes nothing). IRQs stay masked
 * (PSTATE.I) throughout: everything is polled through IAR, RPR and ISACTIVER.
 * SPI 40 (priority 0x80) is made pending with ISPENDR and acknowledged, then
 * SGI 3 (priority 0x40) is sent to self with SGIR and acknowledged (it beats
 * the running priority 0x80), so both are active, SGI 3 running.
 *   0x1801 the set-up: IAR does not return SPI 40, then SGI 3 from CPU 0
 *   0x1802 EOIR with INTID 300 (no such interrupt: 256 INTIDs) changed
 *          something: RPR is not 0x40 or an active bit moved
 *   0x1803 EOIR with INTID 41 (implemented, never pending) changed something
 *   0x1804 EOIR of SGI 3 with CPUID 1 (no CPU 1 exists, so no such active
 *          SGI) changed something
 *   0x1805 the EOIR of SGI 3 from CPU 0 did not deactivate it and drop RPR
 *          to 0x80, SPI 40 still active
 *   0x1806 the EOIR of SPI 40 did not leave everything idle (RPR 0xFF)
 * Console: "eoi-other done". Expected: exit 0, no FAIL. */
#include "hv.h"
#include "gic.h"

static void state(uint32_t rpr, uint32_t act0, uint32_t act1, uint32_t id, const char *what)
{
	hv_expect32(gicc_read(GICC_RPR), rpr, id, what);
	hv_expect32(gicd_read(GICD_ISACTIVER), act0, id, what);
	hv_expect32(gicd_read(GICD_ISACTIVER + 4), act1, id, what);
	for (uint32_t w = 2; w < 8; w++)
		hv_expect32(gicd_read(GICD_ISACTIVER + 4 * w), 0, id, what);
}

int main(void)
{
	gic_init();
	gic_set_pmr(0xF8);
	gic_set_priority(40, 0x80);
	gic_set_priority(3, 0x40);
	gic_enable(40);
	gic_enable(41);
	gic_enable(3);
	gicd_write(GICD_ISPENDR + 4, 1u << 8);
	hv_expect32(gic_ack(), 40, 0x1801, "IAR returns SPI 40");
	gic_send_sgi_self(3);
	hv_expect32(gic_ack(), 3, 0x1801, "IAR returns SGI 3 from CPU 0");
	state(0x40, 1u << 3, 1u << 8, 0x1801, "both active");

	gic_eoi(300);
	state(0x40, 1u << 3, 1u << 8, 0x1802, "after EOIR 300");
	gic_eoi(41);
	state(0x40, 1u << 3, 1u << 8, 0x1803, "after EOIR 41");
	gic_eoi(3 | 1u << 10);
	state(0x40, 1u << 3, 1u << 8, 0x1804, "after EOIR of SGI 3 from CPU 1");

	gic_eoi(3);
	state(0x80, 0, 1u << 8, 0x1805, "after EOIR of SGI 3");
	gic_eoi(40);
	state(0xFF, 0, 0, 0x1806, "after EOIR of SPI 40");
	hv_expect32(gic_ack(), 1023, 0x1806, "nothing left to acknowledge");
	printf("eoi-other done\n");
	return 0;
}
