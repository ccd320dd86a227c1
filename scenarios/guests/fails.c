/* fails.c - records FAIL id = argi for every arg, in order, then exits 0.
 * Exercises: the `fails` expectation (exact ordered list) and the default
 * "no FAIL record" rule. Expected: fails == args; exit 0; no console. */
#include "hv.h"

int main(void)
{
    uint32_t n = hv_argc();
    for (uint32_t i = 0; i < n; i++)
        hv_fail((uint32_t)hv_arg(i));
    return 0;
}
