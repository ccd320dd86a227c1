/* gic_write_then_irq.c - regression (was a simulator bug): with PSTATE.I clear, a GIC store
 * that makes an interrupt deliverable must be followed by the IRQ at the
 * next instruction boundary (GIC-5 "at the first boundary where it is
 * deliverable"): ELR_EL1 = the instruction after the store.
 * Setup: SGI 1 sent with PSTATE.I set (the simulator stops and starts a new
 * slice with an IRQ signalled). In that same slice, one asm block: ack SGI 1
 * through IAR, EOI it, unmask, then send SGI 2 through SGIR; L: 128 nops.
 *   FAIL 1: SGI 2 not taken during the nops
 *   FAIL 2: ELR of SGI 2 != L (prints how many nops ran first) */
#include "hv.h"
#include "gic.h"

static volatile uint32_t hits;
static volatile uint64_t h_elr;

static void on_irq(uint32_t i, void *a)
{
	(void)i; (void)a;
	__asm__ volatile("mrs %0, elr_el1" : "=r"(h_elr));
	hits++;
}

int main(void)
{
	uint64_t label;
	uint32_t iar;

	gic_init();
	irq_register(2, on_irq, 0);
	gic_set_priority(1, 0x80);
	gic_set_priority(2, 0x80);
	gic_enable(1);
	gic_enable(2);
	gic_send_sgi_self(1);                       /* PSTATE.I set */
	__asm__ volatile("ldr %w1, [%2, #0x0c]\n\t"    /* IAR: acks SGI 1 */
			 "str %w1, [%2, #0x10]\n\t"    /* EOIR */
			 "msr daifclr, #2\n\t"
			 "adr %0, 1f\n\t"
			 "str %w4, [%3]\n"             /* SGIR: SGI 2 to self */
			 "1:\n\t"
			 ".rept 128\n\tnop\n\t.endr"
			 : "=&r"(label), "=&r"(iar)
			 : "r"(GICC_BASE), "r"(GICD_BASE + GICD_SGIR), "r"((2u << 24) | 2)
			 : "memory");
	irq_disable();
	printf("acked %u; SGI 2 taken %u time(s), %ld nops after the SGIR store\n",
	       iar, hits, hits ? (long)((h_elr - label) / 4) : -1L);
	hv_check(hits == 1, 1);
	hv_check(h_elr == label, 2);
	return 0;
}
