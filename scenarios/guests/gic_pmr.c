/* gic_pmr.c - priority masking by GICC_PMR (SPEC GIC-2): an interrupt is
 * signalled only when its priority is numerically lower than PMR.
 * SPI 40 priority 0x80 pending and enabled; SGI 1 priority 0x00.
 * FAIL ids (console "FAIL 0xID: what got=.. want=.."):
 *   0xB01 PMR 0x80 (equal priority): IAR 1023, not delivered when unmasked
 *   0xB02 PMR written 0x81 reads 0x80 and still masks
 *   0xB03 PMR 0x00 masks everything
 *   0xB04 PMR raised to 0x88: delivered exactly once
 *   0xB05 priority 0x00 with PMR 0x00: IAR 1023; with PMR 0x08: IAR 1
 * Console also prints HPPIR while PMR masks SPI 40, for information only (the
 * model's documented choice is that HPPIR ignores PMR; not checked).
 * Marks: 1 before the masked unmasks, 2 just before PMR is raised.
 * Expected: exit 0, no FAIL, console "pmr done". */
#include "hv.h"
#include "gic.h"

#define SPI  40
#define BIT  (1u << (SPI % 32))

static volatile uint32_t hits;

static void on_spi(uint32_t intid, void *arg)
{
	(void)intid; (void)arg;
	hits++;
}

int main(void)
{
	irq_register(SPI, on_spi, 0);
	gic_init();
	gic_set_priority(SPI, 0x80);
	gic_enable(SPI);
	gic_set_pmr(0x80);
	gicd_write(GICD_ISPENDR + 4, BIT);

	hv_mark(1);
	hv_expect32(gic_ack(), 1023, 0xB01, "IAR with priority == PMR");
	irq_wait_count(&hits, 1, 500);
	hv_expect32(hits, 0, 0xB01, "deliveries with priority == PMR");

	gic_set_pmr(0x81);
	hv_expect32(gicc_read(GICC_PMR), 0x80, 0xB02, "PMR after 0x81");
	irq_wait_count(&hits, 1, 500);
	hv_expect32(hits, 0, 0xB02, "deliveries with PMR 0x81");

	gic_set_pmr(0x00);
	irq_wait_count(&hits, 1, 500);
	hv_expect32(hits, 0, 0xB03, "deliveries with PMR 0");

	printf("info: HPPIR with PMR masking = %u\n", gicc_read(GICC_HPPIR) & 0x3FF);

	hv_mark(2);
	gic_set_pmr(0x88);
	irq_wait_count(&hits, 1, 2000);
	hv_expect32(hits, 1, 0xB04, "deliveries after PMR 0x88");
	irq_wait_count(&hits, 2, 500);
	hv_expect32(hits, 1, 0xB04, "deliveries after a further wait");

	gic_set_priority(1, 0x00);
	gic_enable(1);
	gic_set_pmr(0x00);
	gic_send_sgi_self(1);
	hv_expect32(gic_ack(), 1023, 0xB05, "IAR priority 0 with PMR 0");
	gic_set_pmr(0x08);
	uint32_t iar = gic_ack();
	hv_expect32(iar, 1, 0xB05, "IAR priority 0 with PMR 8");
	gic_eoi(iar);

	printf("pmr done\n");
	return 0;
}
