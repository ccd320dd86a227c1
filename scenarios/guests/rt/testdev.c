/* testdev.c - the test device at TESTDEV_BASE (CONTRACT 2): one 32-bit
 * access per call, so every call is exactly one device event. */
#include "hv.h"

#define TD(off) (TESTDEV_BASE + (off))

void hv_exit(int code)
{
    mmio_write32(TD(TD_EXIT), (uint32_t)code);
    for (;;)                 /* the simulator stops the VM at the store */
        __asm__ volatile("" ::: "memory");
}

void hv_mark(uint32_t value) { mmio_write32(TD(TD_MARK), value); }
void hv_fail(uint32_t id)    { mmio_write32(TD(TD_FAIL), id); }
uint32_t hv_vmid(void)       { return mmio_read32(TD(TD_VMID)); }
uint32_t hv_nvms(void)       { return mmio_read32(TD(TD_NVMS)); }
uint32_t hv_argc(void)       { return mmio_read32(TD(TD_ARGC)); }
uint32_t hv_clock(void)      { return mmio_read32(TD(TD_CLOCK)); }
void hv_yield(void)          { mmio_write32(TD(TD_YIELD), 0); }

uint64_t hv_arg(uint32_t i)
{
    mmio_write32(TD(TD_ARGSEL), i);
    uint64_t lo = mmio_read32(TD(TD_ARG_LO));
    uint64_t hi = mmio_read32(TD(TD_ARG_HI));
    return lo | (hi << 32);
}

/* A string arg's value is the guest-physical address of its NUL-terminated
 * copy in RAM; MMU off, so that address is the pointer. */
const char *hv_arg_str(uint32_t i)
{
    return (const char *)(uintptr_t)hv_arg(i);
}

int hv_check(int cond, uint32_t id)
{
    if (!cond)
        hv_fail(id);
    return cond;
}

int hv_expect32(uint32_t got, uint32_t want, uint32_t id, const char *what)
{
    if (got == want)
        return 1;
    printf("FAIL 0x%x: %s got=0x%x want=0x%x\n", id, what, got, want);
    hv_fail(id);
    return 0;
}
