/* gic_irqcheck.c - how soon a pending interrupt is taken after the guest
 * clears PSTATE.I (SPEC GIC-5): the simulator cannot see `msr daifclr` or
 * an `eret` that restores I = 0, so it polls every irq_check instructions;
 * the IRQ must be taken at the latest irq_check instructions after the
 * unmask (irq_check 1 = exactly at the boundary after it).
 * arg0 = the scenario's irq_check N.
 * arg1 = how the interrupt gets pending and unmasked:
 *   0: SGI 1 sent with PSTATE.I set, then unmask in the same slice
 *   1: the same with a YIELD between (the next slice starts with it pending)
 *   2: SGI 1 (prio 0x40) and SGI 2 (prio 0x80) sent, YIELD, unmask: SGI 1 is
 *      taken first; its EOI (made with I set in the handler) makes SGI 2
 *      deliverable, and the handler's eret restores I = 0: SGI 2 must be
 *      taken at most N instructions after that eret.
 * The measured block is "mark 1; adr; msr daifclr, #2; L: 256 x nop": the
 * handler records ELR_EL1, which must lie in the nop run; k = (ELR - L) / 4
 * nops ran after the unmask, so 1 + k instructions (msr included) retired
 * between the unmask and the IRQ: 1 + k <= N. For SGI 2 (mode 2) the
 * unmask is the eret returning to ELR1, so 1 + (ELR2 - ELR1) / 4 <= N.
 * FAIL ids (console "FAIL 0xID: ..."):
 *   0x1301 SGI 1 not taken at all during the nop run
 *   0x1302 ELR_EL1 outside the nop run (taken too late or elsewhere)
 *   0x1303 1 + k > N (taken later than irq_check allows)
 *   0x1304 the IRQ was taken before the unmask (PSTATE.I set)
 *   0x1311 mode 2: SGI 2 not taken during the nop run
 *   0x1312 mode 2: SGI 2 taken before SGI 1's eret, or outside the nop run
 *   0x1313 mode 2: SGI 2 taken more than N instructions after the eret
 * Console: "irqcheck N=.. mode=.. k=.." (and " k2=.." in mode 2).
 * Expected: exit 0, no FAIL. */
#include "hv.h"
#include "gic.h"

#define NOPS 256

static volatile uint32_t hits[3];
static volatile uint64_t h_elr[3];

static void on_sgi(uint32_t intid, void *arg)
{
	(void)arg;
	__asm__ volatile("mrs %0, elr_el1" : "=r"(h_elr[intid]));
	hits[intid]++;
}

int main(void)
{
	uint32_t n = hv_argc() > 0 ? (uint32_t)hv_arg(0) : 64;
	uint32_t mode = hv_argc() > 1 ? (uint32_t)hv_arg(1) : 0;
	uint64_t label, mark = TESTDEV_BASE + TD_MARK;

	irq_register(1, on_sgi, 0);
	irq_register(2, on_sgi, 0);
	gic_init();
	gic_set_priority(1, 0x40);
	gic_set_priority(2, 0x80);
	gic_enable(1);
	gic_enable(2);
	gic_send_sgi_self(1);                  /* pending, PSTATE.I set */
	if (mode == 2)
		gic_send_sgi_self(2);
	if (mode >= 1)
		hv_yield();
	if (hits[1] || hits[2])
		hv_fail(0x1304);
	__asm__ volatile("mov w9, #1\n\t"
			 "str w9, [%1]\n\t"      /* MARK 1 */
			 "adr %0, 1f\n\t"
			 "msr daifclr, #2\n"
			 "1:\n\t"
			 ".rept 256\n\tnop\n\t.endr"
			 : "=&r"(label) : "r"(mark) : "x9", "memory");
	irq_disable();
	uint64_t k = (h_elr[1] - label) / 4;
	uint64_t k2 = (h_elr[2] - h_elr[1]) / 4;
	printf("irqcheck N=%u mode=%u k=%ld", n, mode, hits[1] ? (long)k : -1L);
	if (mode == 2)
		printf(" k2=%ld", hits[2] ? (long)k2 : -1L);
	printf("\n");
	if (!hits[1])
		hv_fail(0x1301);
	else if (h_elr[1] < label || h_elr[1] > label + 4 * NOPS)
		hv_fail(0x1302);
	else if (1 + k > n)
		hv_fail(0x1303);
	if (mode == 2) {
		if (!hits[2])
			hv_fail(0x1311);
		else if (h_elr[2] < h_elr[1] || h_elr[2] > label + 4 * NOPS)
			hv_fail(0x1312);
		else if (1 + k2 > n)
			hv_fail(0x1313);
	}
	return 0;
}
