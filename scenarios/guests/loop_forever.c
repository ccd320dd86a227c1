/* loop_forever.c - spins forever without touching any device (no console,
 * no scheduling points): only the quantum can preempt it.
 * Expected: fault limit (limits.instructions reached); no console output.
 * Other VMs in the same scenario still run to completion. */
#include "hv.h"

int main(void)
{
    uint64_t x = 0;
    for (;;) {
        x++;
        __asm__ volatile("" : "+r"(x));
    }
}
