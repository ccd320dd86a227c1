/* args.c - reads an integer arg and a string arg (copied by the simulator to
 * the top of RAM). Expected console with args [123, "moo"]:
 *   args: argc=2 a0=123 a1=moo
 * Missing args print a0=0 / a1=(none). Expected: exit 0. */
#include "hv.h"

int main(void)
{
    uint32_t argc = hv_argc();
    uint64_t a0 = argc > 0 ? hv_arg(0) : 0;
    const char *a1 = argc > 1 ? hv_arg_str(1) : "(none)";
    printf("args: argc=%u a0=%lu a1=%s\n", argc, a0, a1);
    return 0;
}
