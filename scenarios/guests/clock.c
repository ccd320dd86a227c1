/* clock.c - the deterministic clock: CLOCK reads the instructions this VM
 * retired before the load, exactly.
 * Check 1: two hv_clock() calls around 100 nops (.rept 100). The difference
 *   is 100 + CLOCK_CALL_OVERHEAD, the instructions retired from the first
 *   CLOCK load up to the second, read from `objdump -d build/guests/clock.elf`
 *   (see below). FAIL 1 if different.
 * Check 2: one asm block "ldr; 100 x nop; ldr" on CLOCK: the difference is
 *   exactly 101 (the first load itself + 100 nops), whatever the compiler
 *   does. FAIL 2 if different.
 * Expected console: "clock: call diff=N1 (expect N1) asm diff=101 (expect 101)"
 * Expected: exit 0, no FAIL. */
#include "hv.h"

#define NOPS 100

/* Instructions retired from the first CLOCK load (inclusive) to the second
 * (exclusive) besides the nops, at -O2 with GCC 12.2 (objdump -d):
 *   hv_clock:  ldr  w0, [x0]           <- first load (counted: it retires
 *              ret                        before the second load)
 *   main:      mov  w20, w0            (keep the first value)
 *              100 x nop
 *              bl   hv_clock
 *   hv_clock:  mov  x0, #0x24
 *              movk x0, #0x901, lsl #16
 *              ldr  w0, [x0]           <- second load (not counted)
 * = ldr + ret + mov + bl + mov + movk = 6. Recheck this if the compiler,
 * its flags, or hv_clock/main change. */
#define CLOCK_CALL_OVERHEAD 6

int main(void)
{
    uint32_t t0 = hv_clock();
    __asm__ volatile(".rept 100\n\tnop\n\t.endr" ::: "memory");
    uint32_t t1 = hv_clock();
    uint32_t call_diff = t1 - t0;

    uint32_t a0, a1;
    __asm__ volatile("ldr %w0, [%2]\n\t"
                     ".rept 100\n\tnop\n\t.endr\n\t"
                     "ldr %w1, [%2]"
                     : "=&r"(a0), "=&r"(a1)
                     : "r"(TESTDEV_BASE + TD_CLOCK)
                     : "memory");
    uint32_t asm_diff = a1 - a0;

    printf("clock: call diff=%u (expect %u) asm diff=%u (expect %u)\n",
           call_diff, NOPS + CLOCK_CALL_OVERHEAD, asm_diff, NOPS + 1);
    hv_check(call_diff == NOPS + CLOCK_CALL_OVERHEAD, 1);
    hv_check(asm_diff == NOPS + 1, 2);
    return 0;
}
