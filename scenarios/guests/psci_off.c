/* psci_off.c - stops the VM with PSCI SYSTEM_OFF: hvc #0, x0 = 0x84000008.
 * Expected console: "psci: system off\n". Expected: exit 0 (from PSCI, not
 * from main). If the hvc returns: FAIL 1 and exit 2. */
#include "hv.h"

int main(void)
{
    printf("psci: system off\n");
    register uint64_t x0 __asm__("x0") = 0x84000008ul;
    /* SMCCC: x1-x17 may be clobbered by the call. */
    __asm__ volatile("hvc #0" : "+r"(x0) :: "x1", "x2", "x3", "x4", "x5", "x6", "x7",
                     "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17",
                     "memory");
    hv_fail(1);
    printf("psci: hvc returned 0x%lx\n", x0);
    return 2;
}
