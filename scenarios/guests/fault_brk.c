/* fault_brk.c - a software breakpoint (brk #1).
 * Expected console: "executing brk\n".
 * Expected (default fault delivery): fault breakpoint, addr = PC of the brk.
 * With fault_delivery=guest and no handler: FAIL 0xE5FC (EC 0x3C, brk) and
 * exit 0xE5. FAIL 1 + exit 1 means brk did not stop the guest. */
#include "hv.h"

int main(void)
{
    printf("executing brk\n");
    __asm__ volatile("brk #1" ::: "memory");
    hv_fail(1);
    return 1;
}
