/* marks.c - records MARK 1..N (N = arg0, default 3) with a YIELD between
 * consecutive marks. Exercises: mark events and host triggers on marks,
 * order/latency expectations, YIELD as a scheduling point (explore).
 * Expected: mark events 1, 2, ..., N in order; exit 0; no console output. */
#include "hv.h"

int main(void)
{
    uint32_t n = hv_argc() > 0 ? (uint32_t)hv_arg(0) : 3;
    for (uint32_t i = 1; i <= n; i++) {
        hv_mark(i);
        if (i < n)
            hv_yield();
    }
    return 0;
}
