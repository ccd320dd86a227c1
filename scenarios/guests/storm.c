/* storm.c - a guest that floods the machine: arg0 = 1 marks, 2 FAILs, 3
 * console lines, in a loop until the instruction limit. Shows that a run
 * stays bounded in memory (the event log and the FAIL list are capped, and
 * say so) and ends with fault `limit`. */
#include "hv.h"

int main(void)
{
    uint32_t kind = hv_argc() ? (uint32_t)hv_arg(0) : 1;
    for (uint32_t i = 0;; i++) {
        if (kind == 1)
            hv_mark(i);
        else if (kind == 2)
            hv_fail(i);
        else
            puts("x");
    }
}
