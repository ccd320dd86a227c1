/* hvc_unsupported.c - hvc calls other than SYSTEM_OFF return x0 = -1 (PSCI
 * NOT_SUPPORTED) and the guest goes on (the simulator logs them).
 * Calls: hvc #0 with x0 = 0x12345678 (no such function), then with
 * x0 = 0x84000009 (PSCI SYSTEM_RESET, not provided).
 * Expected console:
 *   hvc 0x12345678 -> -1
 *   hvc 0x84000009 -> -1
 * Expected: exit 0; FAIL 1 / FAIL 2 when the first / second call does not
 * return -1. */
#include "hv.h"

static int64_t hvc0(uint64_t fn)
{
    register uint64_t x0 __asm__("x0") = fn;
    __asm__ volatile("hvc #0" : "+r"(x0) :: "x1", "x2", "x3", "x4", "x5", "x6", "x7",
                     "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17",
                     "memory");
    return (int64_t)x0;
}

int main(void)
{
    int64_t r = hvc0(0x12345678ul);
    printf("hvc 0x12345678 -> %ld\n", r);
    hv_check(r == -1, 1);
    r = hvc0(0x84000009ul);
    printf("hvc 0x84000009 -> %ld\n", r);
    hv_check(r == -1, 2);
    return 0;
}
