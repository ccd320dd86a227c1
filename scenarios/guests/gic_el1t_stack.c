/* gic_el1t_stack.c - regression (was a simulator bug): minimal repro: IRQ taken at EL1t (PSTATE.SP = 0).
 * Architecturally the exception is taken to EL1h, so the handler runs on
 * SP_EL1, and eret back to EL1t leaves SP_EL1 untouched.
 * The guest switches to SP_EL0 (a private 4 KiB stack), unmasks IRQs and
 * sends SGI 1 to itself, then switches back to SP_EL1 and reports:
 *   FAIL 1: the handler's SP lies inside the SP_EL0 stack (should be SP_EL1)
 *   FAIL 2: SP_EL1 after `msr spsel, #1` differs from its value before
 * (SP is repaired from a saved copy before returning to C.) */
#include "hv.h"
#include "gic.h"

static volatile uint64_t h_sp;
volatile uint64_t pre_sp1, post_sp1;
static uint64_t el0_stack[512] __attribute__((aligned(16)));

static void on_irq(uint32_t i, void *a)
{
	(void)i; (void)a;
	uint64_t s;
	__asm__ volatile("mov %0, sp" : "=r"(s));
	h_sp = s;
}

__asm__(
"	.globl t1\n"
"t1:\n"                              /* x0 = SGIR address, w1 = value, x2 = SP_EL0 top */
"	mov	x5, sp\n"
"	adrp	x6, pre_sp1\n"
"	str	x5, [x6, :lo12:pre_sp1]\n"
"	msr	sp_el0, x2\n"
"	msr	spsel, #0\n"
"	msr	daifclr, #2\n"
"	str	w1, [x0]\n"                  /* IRQ taken right after this store */
"	nop\n"
"	msr	daifset, #2\n"
"	msr	spsel, #1\n"
"	mov	x8, sp\n"
"	adrp	x6, post_sp1\n"
"	str	x8, [x6, :lo12:post_sp1]\n"
"	mov	sp, x5\n"
"	ret\n");
void t1(uint64_t, uint32_t, uint64_t);

int main(void)
{
	uint64_t top = (uint64_t)(uintptr_t)&el0_stack[512];
	gic_init();
	irq_register(1, on_irq, 0);
	gic_set_priority(1, 0x80);
	gic_enable(1);
	t1(GICD_BASE + GICD_SGIR, (2u << 24) | 1, top);
	printf("SP_EL0 stack %lx..%lx; SP_EL1 before %lx; handler SP %lx; SP_EL1 after %lx\n",
	       (unsigned long)(top - sizeof(el0_stack)), (unsigned long)top, (unsigned long)pre_sp1,
	       (unsigned long)h_sp, (unsigned long)post_sp1);
	hv_check(!(h_sp > top - sizeof(el0_stack) && h_sp <= top), 1);
	hv_check(post_sp1 == pre_sp1, 2);
	return 0;
}
