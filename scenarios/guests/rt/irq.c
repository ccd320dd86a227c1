/* irq.c - exception dispatch for the vectors in vectors.S.
 *
 * IRQ: acknowledge through GICC_IAR, call the handler registered for the
 * INTID (none: FAIL 0xDEAD), count it, then EOI (GICC_EOIR). INTIDs 1020-1023
 * are special/spurious: no handler, no EOI.
 * Sync: svc (EC 0x15) goes to the svc handler with its imm16; any other
 * exception goes to the sync handler, or without one records FAIL 0xE5C0 + EC
 * and exits with code 0xE5 (only reachable with fault_delivery=guest: by
 * default the simulator stops the VM at the fault). */
#include "hv.h"
#include "gic.h"

#define RT_MAX_INTID 256
#define EC_SVC64     0x15
#define FRAME_ELR    31

volatile uint32_t irq_count[RT_MAX_INTID];

static struct {
    irq_handler_t fn;
    void *arg;
} irq_table[RT_MAX_INTID];

static svc_handler_t svc_handler;
static sync_handler_t sync_handler;
static uint64_t sync_resume;
static int sync_resume_set;

void irq_register(uint32_t intid, irq_handler_t fn, void *arg)
{
    if (intid >= RT_MAX_INTID)
        return;
    irq_table[intid].arg = arg;
    irq_table[intid].fn = fn;
}

void svc_register(svc_handler_t fn) { svc_handler = fn; }
void sync_register(sync_handler_t fn) { sync_handler = fn; }

void sync_set_resume(uint64_t pc)
{
    sync_resume = pc;
    sync_resume_set = 1;
}

void rt_irq_dispatch(void)
{
    uint32_t iar = gic_ack();
    uint32_t intid = iar & 0x3ff;
    if (intid >= 1020)
        return;              /* spurious: nothing to EOI */
    if (intid < RT_MAX_INTID && irq_table[intid].fn)
        irq_table[intid].fn(intid, irq_table[intid].arg);
    else
        hv_fail(0xDEAD);
    if (intid < RT_MAX_INTID)
        irq_count[intid]++;
    gic_eoi(iar);
}

void rt_sync_dispatch(uint64_t *frame)
{
    uint64_t esr, far;
    __asm__ volatile("mrs %0, esr_el1" : "=r"(esr));
    __asm__ volatile("mrs %0, far_el1" : "=r"(far));
    uint32_t ec = (uint32_t)(esr >> 26) & 0x3f;

    if (ec == EC_SVC64 && svc_handler) {
        svc_handler((uint32_t)(esr & 0xffff), frame);
        return;              /* ELR already points past the svc */
    }
    if (ec != EC_SVC64 && sync_handler) {
        sync_resume_set = 0;
        sync_handler(esr, far, frame[FRAME_ELR]);
        frame[FRAME_ELR] = sync_resume_set ? sync_resume : frame[FRAME_ELR] + 4;
        return;
    }
    hv_fail(0xE5C0 + ec);
    hv_exit(0xE5);
}

int irq_wait_count(volatile uint32_t *count, uint32_t want, uint32_t budget)
{
    uint32_t t0 = hv_clock();
    irq_enable();
    while (*count < want && hv_clock() - t0 < budget)
        ;
    irq_disable();
    return *count >= want;
}
