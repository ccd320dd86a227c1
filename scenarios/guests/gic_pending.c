/* gic_pending.c - pending state of an SPI through GICD_ISPENDR/ICPENDR
 * (SPEC GIC-1), and delivery of a pending SPI once it is enabled (GIC-2).
 * SPI 40 (level, the reset configuration), priority 0x80, PMR 0xF0.
 * FAIL ids (console "FAIL 0xID: what got=.. want=.."):
 *   0x801 ISPENDR1..7 and ICPENDR1..7 read 0 at reset
 *   0x802 ISPENDR1 write sets SPI 40 pending: reads back in ISPENDR1 and ICPENDR1
 *   0x803 writing 0 bits to ISPENDR1/ICPENDR1 changes nothing
 *   0x804 ICPENDR1 clears SPI 40 (both registers read 0)
 *   0x805 SGI pending bits of ISPENDR0/ICPENDR0 ignore writes (SGIR only)
 *   0x806 pending but disabled: HPPIR 1023 and not delivered with IRQs unmasked
 *   0x807 pending and enabled: HPPIR 40 (IRQs masked)
 *   0x808 delivered exactly once after unmasking, pending clear afterwards
 *   0x809 set pending then cleared by ICPENDR before unmasking: not delivered
 *   0x80A enabled SPI with IRQs unmasked: an ISPENDR write delivers it
 * Marks: 1 before the first unmask (nothing must be acknowledged before it),
 * 2 before the delivering unmask.
 * Expected: exit 0, no FAIL, console "pending done", SPI 40 acked twice. */
#include "hv.h"
#include "gic.h"

#define SPI   40
#define WORD  (GICD_ISPENDR + 4 * (SPI / 32))
#define CWORD (GICD_ICPENDR + 4 * (SPI / 32))
#define BIT   (1u << (SPI % 32))

static volatile uint32_t hits;

static void on_spi(uint32_t intid, void *arg)
{
	(void)intid; (void)arg;
	hits++;
}

int main(void)
{
	for (uint32_t w = 1; w < 8; w++)
		if (gicd_read(GICD_ISPENDR + 4 * w) || gicd_read(GICD_ICPENDR + 4 * w)) {
			hv_expect32(gicd_read(GICD_ISPENDR + 4 * w), 0, 0x801, "ISPENDR reset");
			hv_expect32(gicd_read(GICD_ICPENDR + 4 * w), 0, 0x801, "ICPENDR reset");
			break;
		}

	irq_register(SPI, on_spi, 0);
	gic_init();
	gic_set_priority(SPI, 0x80);

	gicd_write(WORD, BIT);
	hv_expect32(gicd_read(WORD), BIT, 0x802, "ISPENDR1 after set");
	hv_expect32(gicd_read(CWORD), BIT, 0x802, "ICPENDR1 after set");
	gicd_write(WORD, 0);
	gicd_write(CWORD, 0);
	hv_expect32(gicd_read(WORD), BIT, 0x803, "ISPENDR1 after writing zeros");
	gicd_write(CWORD, BIT);
	hv_expect32(gicd_read(WORD), 0, 0x804, "ISPENDR1 after clear");
	hv_expect32(gicd_read(CWORD), 0, 0x804, "ICPENDR1 after clear");

	/* SGI bits: ISPENDR0 writes ignored; an SGIR-made SGI survives ICPENDR0. */
	gicd_write(GICD_ISPENDR, 0xFFFF);
	hv_expect32(gicd_read(GICD_ISPENDR) & 0xFFFF, 0, 0x805, "ISPENDR0 SGI bits after write");
	gic_send_sgi_self(3);           /* SGI 3 disabled: stays pending */
	gicd_write(GICD_ICPENDR, 1u << 3);
	hv_expect32(gicd_read(GICD_ISPENDR) & 0xFFFF, 1u << 3, 0x805, "SGI 3 pending after ICPENDR0");
	mmio_write8(GICD_BASE + 0xF10 + 3, 1);  /* CPENDSGIR: the way to clear it */
	hv_expect32(gicd_read(GICD_ISPENDR) & 0xFFFF, 0, 0x805, "SGI 3 after CPENDSGIR");

	/* Pending but disabled: not signalled. */
	gicd_write(WORD, BIT);
	hv_expect32(gicc_read(GICC_HPPIR) & 0x3FF, 1023, 0x806, "HPPIR with SPI disabled");
	hv_mark(1);
	irq_wait_count(&hits, 1, 500);
	hv_expect32(hits, 0, 0x806, "deliveries while disabled");

	gic_enable(SPI);
	hv_expect32(gicc_read(GICC_HPPIR) & 0x3FF, SPI, 0x807, "HPPIR once enabled");
	hv_mark(2);
	irq_wait_count(&hits, 1, 2000);
	hv_expect32(hits, 1, 0x808, "deliveries once enabled");
	irq_wait_count(&hits, 2, 500);
	hv_expect32(hits, 1, 0x808, "deliveries after a further wait");
	hv_expect32(gicd_read(WORD), 0, 0x808, "ISPENDR1 after delivery");

	gicd_write(WORD, BIT);
	gicd_write(CWORD, BIT);
	irq_wait_count(&hits, 2, 500);
	hv_expect32(hits, 1, 0x809, "deliveries after set+clear");

	irq_enable();
	gicd_write(WORD, BIT);
	uint32_t t0 = hv_clock();
	while (hits < 2 && hv_clock() - t0 < 2000)
		;
	irq_disable();
	hv_expect32(hits, 2, 0x80A, "deliveries after ISPENDR with IRQs unmasked");

	printf("pending done\n");
	return 0;
}
