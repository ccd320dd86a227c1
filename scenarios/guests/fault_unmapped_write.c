/* fault_unmapped_write.c - a store to an address nothing maps: 0x70_0000_0000
 * is above 4 GiB and far past the default shmem windows (0x18_0000_0000 +
 * 4 GiB * k would need instance k = 88 to reach it).
 * Expected console: "writing 0x7000000000\n".
 * Expected (default fault delivery): fault write-unmapped, addr 0x7000000000.
 * With fault_delivery=guest and no handler: FAIL 0xE5E5 (EC 0x25) and exit
 * 0xE5. FAIL 1 + exit 1 means the store did not fault. */
#include "hv.h"

int main(void)
{
    printf("writing 0x7000000000\n");
    mmio_write32(0x7000000000ul, 0x12345678);
    hv_fail(1);
    return 1;
}
