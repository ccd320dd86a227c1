/* gic_sgi.c - software generated interrupts to self (SPEC GIC-1 SGIR,
 * GIC-2 IAR): GICD_SGIR with TargetListFilter 2 (self) and 0 (list), the
 * IAR value of an SGI (INTID in 9:0, source CPU in 12:10 = CPU 0), and the
 * SGI pending registers SPENDSGIR/CPENDSGIR. All SGIs priority 0x80.
 * FAIL ids (console "FAIL 0xID: what got=.. want=.."):
 *   0x1101 + 0  SGIR filter 2: IAR (polled, PSTATE.I set) != SGI number with
 *               source CPU 0, for some SGI 0..15
 *   0x1102 SGIR filter 2 with IRQs unmasked: SGI 7 delivered once via vector
 *   0x1103 filter 0, CPUTargetList 0x01 (CPU 0): SGI 9 pending
 *   0x1104 filter 0, CPUTargetList 0x02 (no such CPU): nothing pending
 *   0x1105 filter 1 (all but self): nothing pending
 *   0x1106 after SGIR: ISPENDR0 bit and SPENDSGIR byte (bit 0 = CPU 0) set
 *   0x1107 CPENDSGIR byte write clears the SGI (IAR 1023 afterwards)
 *   0x1108 SPENDSGIR byte write makes the SGI pending; it is acknowledged
 *   0x1109 SGIR filter 3 (reserved): nothing pending
 *   0x110A ICFGR0 reads all SGIs edge (0xAAAAAAAA)
 * Expected: exit 0, no FAIL, console "sgi done". */
#include "hv.h"
#include "gic.h"

#define SPENDSGIR 0xF20
#define CPENDSGIR 0xF10

static volatile uint32_t hits[16];

static void on_sgi(uint32_t intid, void *arg)
{
	(void)arg;
	hits[intid]++;
}

static uint32_t sgi_pending_mask(void)
{
	return gicd_read(GICD_ISPENDR) & 0xFFFF;
}

int main(void)
{
	gic_init();
	for (uint32_t i = 0; i < 16; i++) {
		gic_set_priority(i, 0x80);
		gic_enable(i);
		irq_register(i, on_sgi, 0);
	}
	hv_expect32(gicd_read(GICD_ICFGR), 0xAAAAAAAA, 0x110A, "ICFGR0");

	for (uint32_t i = 0; i < 16; i++) {
		gic_send_sgi_self(i);
		uint32_t iar = gic_ack();
		hv_expect32(iar, i, 0x1101, "IAR for SGI to self");
		gic_eoi(iar);
	}

	irq_enable();
	gic_send_sgi_self(7);
	uint32_t t0 = hv_clock();
	while (!hits[7] && hv_clock() - t0 < 2000)
		;
	irq_disable();
	hv_expect32(hits[7], 1, 0x1102, "SGI 7 deliveries");

	gicd_write(GICD_SGIR, (0u << 24) | (0x01u << 16) | 9);
	hv_expect32(sgi_pending_mask(), 1u << 9, 0x1103, "pending after filter 0 list 0x01");
	uint32_t iar = gic_ack();
	hv_expect32(iar, 9, 0x1103, "IAR after filter 0 list 0x01");
	gic_eoi(iar);

	gicd_write(GICD_SGIR, (0u << 24) | (0x02u << 16) | 10);
	hv_expect32(sgi_pending_mask(), 0, 0x1104, "pending after filter 0 list 0x02");
	gicd_write(GICD_SGIR, (1u << 24) | (0xFFu << 16) | 11);
	hv_expect32(sgi_pending_mask(), 0, 0x1105, "pending after filter 1");
	gicd_write(GICD_SGIR, (3u << 24) | (0xFFu << 16) | 12);
	hv_expect32(sgi_pending_mask(), 0, 0x1109, "pending after filter 3");

	gic_send_sgi_self(13);
	hv_expect32(sgi_pending_mask(), 1u << 13, 0x1106, "ISPENDR0 after SGIR");
	hv_expect32(mmio_read8(GICD_BASE + SPENDSGIR + 13) & 1, 1, 0x1106, "SPENDSGIR byte 13");
	hv_expect32(mmio_read8(GICD_BASE + CPENDSGIR + 13) & 1, 1, 0x1106, "CPENDSGIR byte 13");
	mmio_write8(GICD_BASE + CPENDSGIR + 13, 1);
	hv_expect32(sgi_pending_mask(), 0, 0x1107, "ISPENDR0 after CPENDSGIR");
	hv_expect32(gic_ack(), 1023, 0x1107, "IAR after CPENDSGIR");

	mmio_write8(GICD_BASE + SPENDSGIR + 14, 1);
	hv_expect32(sgi_pending_mask(), 1u << 14, 0x1108, "ISPENDR0 after SPENDSGIR");
	iar = gic_ack();
	hv_expect32(iar, 14, 0x1108, "IAR after SPENDSGIR");
	gic_eoi(iar);

	printf("sgi done\n");
	return 0;
}
