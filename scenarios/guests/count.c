/* count.c - a compute loop cut into four chunks with a YIELD between them.
 * Exercises: round-robin interleaving of many VMs (8 VMs running count show
 * their lines interleaved), YIELD as a scheduling point, the quantum.
 * arg0 = iterations N (default 100000 when no arg). Iteration i (0-based)
 * adds i + 1, so the final sum is N * (N + 1) / 2.
 * Expected console of VM v (N = 1000):
 *   count vm<v> 1/4 sum=31375
 *   count vm<v> 2/4 sum=125250
 *   count vm<v> 3/4 sum=281625
 *   count vm<v> 4/4 sum=500500
 *   count vm<v> done sum=500500
 * Expected: exit 0; FAIL 1 if the sum is not N*(N+1)/2. */
#include "hv.h"

int main(void)
{
    uint32_t vm = hv_vmid();
    uint64_t n = hv_argc() > 0 ? hv_arg(0) : 100000;
    uint64_t sum = 0, i = 0;

    for (uint32_t q = 1; q <= 4; q++) {
        uint64_t end = n * q / 4;
        for (; i < end; i++) {
            sum += i + 1;
            __asm__ volatile("" : "+r"(sum));   /* keep the loop a loop */
        }
        printf("count vm%u %u/4 sum=%lu\n", vm, q, sum);
        hv_yield();
    }
    hv_check(sum == n * (n + 1) / 2, 1);
    printf("count vm%u done sum=%lu\n", vm, sum);
    return 0;
}
