/* wfi_deadlock.c - sleeps in WFI with IRQs masked and no interrupt source
 * configured: nothing can ever wake it.
 * Expected console: "wfi forever\n". Expected: fault deadlock (when every
 * other VM has stopped and no host step can fire). */
#include "hv.h"

int main(void)
{
    printf("wfi forever\n");
    irq_disable();
    for (;;)
        wfi();
}
