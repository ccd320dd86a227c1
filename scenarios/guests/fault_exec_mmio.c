/* fault_exec_mmio.c - a branch into a device page (the UART at 0x09000000).
 * Expected console: "jumping to 0x09000000\n".
 * Expected (default fault delivery): fault fetch-device, addr 0x9000000.
 * With fault_delivery=guest and no handler: FAIL 0xE5E1 (EC 0x21,
 * instruction abort) and exit 0xE5. FAIL 1 + exit 1 means the call returned. */
#include "hv.h"

int main(void)
{
    printf("jumping to 0x09000000\n");
    void (*fn)(void) = (void (*)(void))UART_BASE;
    __asm__ volatile("" : "+r"(fn));      /* an indirect branch, as written */
    fn();
    hv_fail(1);
    return 1;
}
