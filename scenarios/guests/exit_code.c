/* exit_code.c - exits with arg0 (low 32 bits) as its code; 0 without args.
 * Expected: exit = arg0 (e.g. args [42] -> exit 42); no console output. */
#include "hv.h"

int main(void)
{
    return hv_argc() > 0 ? (int)(uint32_t)hv_arg(0) : 0;
}
