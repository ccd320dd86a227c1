/* gic_active.c - the active state (SPEC GIC-2, GIC-1 ISACTIVER/ICACTIVER):
 * IAR makes the interrupt active and raises the running priority, EOIR
 * deactivates and drops it; an active interrupt is not acknowledged again.
 * SPI 40 priority 0x80 and SGI 2 priority 0x50, PMR 0xF0.
 * FAIL ids (console "FAIL 0xID: what got=.. want=.."):
 *   0xA01 in the SPI 40 handler: ISACTIVER1 and ICACTIVER1 show SPI 40 active
 *   0xA02 in the handler: ISPENDR1 no longer shows SPI 40 (ack cleared it)
 *   0xA03 in the handler: RPR == 0x80 (the SPI's priority)
 *   0xA04 in the handler: IAR reads 1023 (nothing else to acknowledge)
 *   0xA05 after the handler's EOI: not active, RPR 0xFF
 *   0xA06 in the SGI 2 handler: ISACTIVER0 shows SGI 2, RPR 0x50
 *   0xA07 ISACTIVER1 write sets SPI 40 active (read back), ICACTIVER clears
 *   0xA08 SPI 40 pending+enabled but active (set by ISACTIVER): IAR 1023,
 *         HPPIR 1023, and not delivered with IRQs unmasked
 *   0xA09 ICACTIVER1 then clears it: the SPI is delivered (second handler run)
 *   0xA0A the handler ran exactly twice for SPI 40 and once for SGI 2
 * Expected: exit 0, no FAIL, console "active done". */
#include "hv.h"
#include "gic.h"

#define SPI  40
#define BIT  (1u << (SPI % 32))

static volatile uint32_t spi_hits, sgi_hits;

static void on_spi(uint32_t intid, void *arg)
{
	(void)intid; (void)arg;
	if (spi_hits == 0) {
		hv_expect32(gicd_read(GICD_ISACTIVER + 4) & BIT, BIT, 0xA01, "ISACTIVER1 in handler");
		hv_expect32(gicd_read(GICD_ICACTIVER + 4) & BIT, BIT, 0xA01, "ICACTIVER1 in handler");
		hv_expect32(gicd_read(GICD_ISPENDR + 4) & BIT, 0, 0xA02, "ISPENDR1 in handler");
		hv_expect32(gicc_read(GICC_RPR), 0x80, 0xA03, "RPR in handler");
		hv_expect32(gic_ack() & 0x3FF, 1023, 0xA04, "IAR in handler");
	}
	spi_hits++;
}

static void on_sgi(uint32_t intid, void *arg)
{
	(void)intid; (void)arg;
	hv_expect32(gicd_read(GICD_ISACTIVER) & (1u << 2), 1u << 2, 0xA06, "ISACTIVER0 in SGI handler");
	hv_expect32(gicc_read(GICC_RPR), 0x50, 0xA06, "RPR in SGI handler");
	sgi_hits++;
}

int main(void)
{
	irq_register(SPI, on_spi, 0);
	irq_register(2, on_sgi, 0);
	gic_init();
	gic_set_priority(SPI, 0x80);
	gic_set_priority(2, 0x50);
	gic_enable(SPI);
	gic_enable(2);

	gicd_write(GICD_ISPENDR + 4, BIT);
	irq_wait_count(&spi_hits, 1, 2000);
	hv_expect32(gicd_read(GICD_ISACTIVER + 4) & BIT, 0, 0xA05, "ISACTIVER1 after EOI");
	hv_expect32(gicc_read(GICC_RPR), 0xFF, 0xA05, "RPR after EOI");

	gic_send_sgi_self(2);
	irq_wait_count(&sgi_hits, 1, 2000);
	hv_expect32(gicd_read(GICD_ISACTIVER) & (1u << 2), 0, 0xA06, "ISACTIVER0 after SGI EOI");

	gicd_write(GICD_ISACTIVER + 4, BIT);
	hv_expect32(gicd_read(GICD_ISACTIVER + 4), BIT, 0xA07, "ISACTIVER1 after set");
	hv_expect32(gicd_read(GICD_ICACTIVER + 4), BIT, 0xA07, "ICACTIVER1 after set");
	gicd_write(GICD_ICACTIVER + 4, BIT);
	hv_expect32(gicd_read(GICD_ISACTIVER + 4), 0, 0xA07, "ISACTIVER1 after clear");

	gicd_write(GICD_ISACTIVER + 4, BIT);
	gicd_write(GICD_ISPENDR + 4, BIT);
	hv_expect32(gic_ack() & 0x3FF, 1023, 0xA08, "IAR with SPI active+pending");
	hv_expect32(gicc_read(GICC_HPPIR) & 0x3FF, 1023, 0xA08, "HPPIR with SPI active+pending");
	irq_wait_count(&spi_hits, 2, 500);
	hv_expect32(spi_hits, 1, 0xA08, "deliveries while active");
	gicd_write(GICD_ICACTIVER + 4, BIT);
	irq_wait_count(&spi_hits, 2, 2000);
	hv_expect32(spi_hits, 2, 0xA09, "deliveries after ICACTIVER");

	hv_expect32(spi_hits, 2, 0xA0A, "SPI handler runs");
	hv_expect32(sgi_hits, 1, 0xA0A, "SGI handler runs");
	printf("active done\n");
	return 0;
}
