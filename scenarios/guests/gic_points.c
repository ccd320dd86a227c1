/* gic_points.c - GIC register accesses are scheduling points (SPEC GIC-8).
 * Marks 1..N, each followed by a GIC access (a read of GICD_TYPER and of
 * GICC_RPR, checked) when arg1 is 1, or by the same number of plain
 * instructions when arg1 is 0. Under the random policy with a large
 * quantum, two such VMs interleave at the GIC accesses; without them they
 * run one after the other (see the scenarios' expectations).
 * arg0 = N (default 20), arg1 = 1 for GIC accesses (default 1).
 * FAIL 0x1501 GICD_TYPER read != 7; FAIL 0x1502 GICC_RPR != 0xFF.
 * Expected: exit 0, no FAIL, marks 1..N in order. */
#include "hv.h"
#include "gic.h"

int main(void)
{
	uint32_t n = hv_argc() > 0 ? (uint32_t)hv_arg(0) : 20;
	uint32_t gic = hv_argc() > 1 ? (uint32_t)hv_arg(1) : 1;

	for (uint32_t i = 1; i <= n; i++) {
		hv_mark(i);
		if (gic) {
			if (gicd_read(GICD_TYPER) != 7)
				hv_fail(0x1501);
			if (gicc_read(GICC_RPR) != 0xFF)
				hv_fail(0x1502);
		} else {
			__asm__ volatile(".rept 8\n\tnop\n\t.endr" ::: "memory");
		}
	}
	return 0;
}
