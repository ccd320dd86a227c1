/* fault_alignment.c - an unaligned 32-bit load from a device page: the test
 * device at TESTDEV_BASE + 2 (0x09010002).
 * Expected console: "unaligned read of 0x09010002\n".
 * Expected (default fault delivery): fault alignment, addr 0x9010002.
 * With fault_delivery=guest and no handler: FAIL 0xE5E5 (EC 0x25, data abort)
 * and exit 0xE5. FAIL 1 + exit 1 means the load did not fault. */
#include "hv.h"

int main(void)
{
    printf("unaligned read of 0x09010002\n");
    uint32_t v = mmio_read32(TESTDEV_BASE + 2);
    hv_fail(1);
    printf("read returned 0x%x\n", v);
    return 1;
}
