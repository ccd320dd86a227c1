/* gic_wfi.c - WFI and interrupts (SPEC GIC-6): a vCPU in wfi sleeps until
 * an interrupt would be signalled to it, even with PSTATE.I set.
 * Within one VM nothing can raise an interrupt while the vCPU sleeps (only
 * SGIs and ISPENDR exist), so what is checked is the decision at the wfi:
 * arg0 "pending": SGI 1 enabled and pending, PSTATE.I set, so it is
 *   signalled: wfi must not sleep (it completes at once), then the SGI is
 *   taken as soon as IRQs are unmasked.
 *   FAIL 0x1401 more than WFI_MAX instructions retired across the wfi
 *   FAIL 0x1402 the SGI was taken while PSTATE.I was set
 *   FAIL 0x1403 the SGI not taken after unmasking
 *   FAIL 0x1404 the SGI was not pending any more after the wfi
 * arg0 "loop": the same, 8 times in a row (SGI re-sent each time), with
 *   IRQs unmasked after each wfi: 8 deliveries, no sleep.
 *   FAIL 0x1411 fewer than 8 deliveries
 * arg0 "pmr": SPI 40 pending and enabled but PMR masks it (not signalled):
 *   wfi must sleep; nothing can wake it, so the VM ends with fault deadlock
 *   and never reaches mark 2.
 * arg0 "disabled": SPI 40 pending but not enabled: same, deadlock.
 * arg0 "gicoff": SPI 40 pending and enabled, GICC_CTLR.Enable 0: deadlock.
 * Marks: 1 just before the (first) wfi, 2 just after it.
 * Console: "wfi MODE took N" (instructions from before to after the wfi).
 * Expected: "pending"/"loop": exit 0, no FAIL; others: fault deadlock. */
#include "hv.h"
#include "gic.h"

#define WFI_MAX 4    /* wfi plus the CLOCK-read/mark overhead in the asm block */

static volatile uint32_t hits;

static void on_irq(uint32_t intid, void *arg)
{
	(void)intid; (void)arg;
	hits++;
}

/* mark 1; t0 = CLOCK; wfi; t1 = CLOCK; mark 2. Returns t1 - t0: wfi plus the
 * first CLOCK load = 2 when the wfi does not sleep. */
static uint32_t timed_wfi(void)
{
	uint32_t t0, t1;
	__asm__ volatile("mov w9, #1\n\t"
			 "str w9, [%2, #4]\n\t"     /* MARK 1 */
			 "ldr %w0, [%2, #0x24]\n\t" /* CLOCK */
			 "wfi\n\t"
			 "ldr %w1, [%2, #0x24]\n\t"
			 "mov w9, #2\n\t"
			 "str w9, [%2, #4]"         /* MARK 2 */
			 : "=&r"(t0), "=&r"(t1) : "r"(TESTDEV_BASE) : "x9", "memory");
	return t1 - t0;
}

int main(void)
{
	const char *mode = hv_argc() > 0 ? hv_arg_str(0) : "pending";

	gic_init();
	irq_register(1, on_irq, 0);
	irq_register(40, on_irq, 0);
	gic_set_priority(1, 0x80);
	gic_set_priority(40, 0x80);
	gic_enable(1);

	if (!strcmp(mode, "pending")) {
		gic_send_sgi_self(1);
		uint32_t took = timed_wfi();
		printf("wfi %s took %u\n", mode, took);
		if (took > WFI_MAX)
			hv_fail(0x1401);
		if (hits)
			hv_fail(0x1402);
		if (!(gicd_read(GICD_ISPENDR) & (1u << 1)))
			hv_fail(0x1404);
		irq_enable();
		uint32_t t0 = hv_clock();
		while (!hits && hv_clock() - t0 < 2000)
			;
		irq_disable();
		if (hits != 1)
			hv_fail(0x1403);
		return 0;
	}
	if (!strcmp(mode, "loop")) {
		for (int i = 0; i < 8; i++) {
			gic_send_sgi_self(1);
			wfi();
			irq_enable();
			uint32_t t0 = hv_clock();
			while (hits <= (uint32_t)i && hv_clock() - t0 < 2000)
				;
			irq_disable();
		}
		printf("wfi %s hits %u\n", mode, hits);
		if (hits != 8)
			hv_fail(0x1411);
		return 0;
	}

	/* Not signalled: SPI 40 pending but masked by PMR / disabled / GICC off. */
	gicd_write(GICD_ISPENDR + 4, 1u << 8);
	if (!strcmp(mode, "pmr")) {
		gic_enable(40);
		gic_set_pmr(0x80);
	} else if (!strcmp(mode, "gicoff")) {
		gic_enable(40);
		gicc_write(GICC_CTLR, 0);
	} else if (strcmp(mode, "disabled")) {
		hv_fail(0xBAD);
	}
	printf("wfi %s: sleeping\n", mode);
	uint32_t took = timed_wfi();
	printf("wfi %s took %u\n", mode, took);   /* never reached */
	return 0;
}
