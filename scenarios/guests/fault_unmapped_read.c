/* fault_unmapped_read.c - a load from an address nothing maps.
 * 0x20000000 lies in the PCI memory window with no BAR placed there.
 * Expected console: "reading 0x20000000\n".
 * Expected (default fault delivery): fault read-unmapped, addr 0x20000000.
 * With fault_delivery=guest and no handler: FAIL 0xE5E5 (0xE5C0 + EC 0x25,
 * data abort) and exit 0xE5. FAIL 1 + exit 1 means the load did not fault. */
#include "hv.h"

int main(void)
{
    printf("reading 0x20000000\n");
    uint32_t v = mmio_read32(0x20000000ul);
    hv_fail(1);
    printf("read returned 0x%x\n", v);
    return 1;
}
