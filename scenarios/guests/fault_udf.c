/* fault_udf.c - a permanently undefined instruction (udf #0).
 * Expected console: "executing udf\n".
 * Expected (default fault delivery): fault undefined, addr = PC of the udf.
 * With fault_delivery=guest and no handler: FAIL 0xE5C0 (EC 0x00, unknown)
 * and exit 0xE5. FAIL 1 + exit 1 means udf did not fault. */
#include "hv.h"

int main(void)
{
    printf("executing udf\n");
    __asm__ volatile("udf #0" ::: "memory");
    hv_fail(1);
    return 1;
}
