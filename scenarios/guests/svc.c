/* svc.c - a supervisor call through the guest's own vector (VBAR_EL1 +
 * 0x200, ESR_EL1.EC = 0x15). The handler records the immediate and sets
 * x0 = x0 + 1000 in the saved frame; the guest then resumes after the svc.
 * Expected console: "svc imm=42 x0=1007\n". Expected: exit 0; FAIL 1 if the
 * handler did not run with imm 42, FAIL 2 if x0 was not modified to 1007. */
#include "hv.h"

static volatile uint32_t svc_imm = 0xffffffffu;

static void on_svc(uint32_t imm, uint64_t *regs)
{
    svc_imm = imm;
    regs[0] += 1000;
}

int main(void)
{
    svc_register(on_svc);
    register uint64_t x0 __asm__("x0") = 7;
    __asm__ volatile("svc #42" : "+r"(x0) :: "memory");
    uint64_t r = x0;
    printf("svc imm=%u x0=%lu\n", svc_imm, r);
    hv_check(svc_imm == 42, 1);
    hv_check(r == 1007, 2);
    return 0;
}
