/* hello.c - the smallest guest: console output, VMID/NVMS and args.
 * Exercises: UART console, test device VMID/NVMS/ARGC/ARGSEL/ARG_*, exit 0.
 * A guest cannot tell an integer arg from a string one, so every arg is
 * printed as its raw 64-bit value (a string arg shows its RAM address).
 * Expected console (VM 0 of 2, args [5, "x"], 16 MiB RAM, for example):
 *   hello from vm 0 of 2
 *   argc=2 arg[0]=0x5 arg[1]=0x40fffff0
 * (the exact string address depends on RAM size and the args).
 * Expected: exit 0, no FAIL. */
#include "hv.h"

int main(void)
{
    printf("hello from vm %u of %u\n", hv_vmid(), hv_nvms());
    uint32_t argc = hv_argc();
    printf("argc=%u", argc);
    for (uint32_t i = 0; i < argc; i++)
        printf(" arg[%u]=0x%lx", i, hv_arg(i));
    printf("\n");
    return 0;
}
