/* shm_irq_quiet.c - an instance with no connection to a busy region never
 * sees its line rise (SPEC IRQ-4). The VM enables its instance's vector
 * (instance at 0x1c050000) in the GIC and runs with IRQs enabled for a
 * while (its own clock), yielding so the other VMs run; any interrupt is
 * counted.
 * arg0 = region name to connect to ("" = make no connection at all), arg1 =
 * instructions to stay (own clock).
 *   FAIL 0x761 an interrupt was taken
 *   FAIL 0x762 the vector is pending in GICD_ISPENDR at the end
 *   FAIL 0x763 the request failed
 * Console: "quiet irqs=K". Expected: exit 0. */
#include "hv.h"
#include "gic.h"
#include "shmem.h"

#define FAC0 0x1c050000ul

static volatile uint32_t n_irq;

static void on_irq(uint32_t intid, void *arg)
{
	(void)intid;
	(void)arg;
	n_irq++;
}

int main(void)
{
	const char *name = hv_arg_str(0);
	uint32_t budget = (uint32_t)hv_arg(1);
	struct shm_dev d;
	struct shm_conn c;

	if (shm_probe_loc(&d, FAC0))
		return 1;
	gic_init();
	gic_set_priority(d.vector, 0x80);
	irq_register(d.vector, on_irq, 0);
	gic_enable(d.vector);
	if (name[0] && shm_create(&d, name, 1, &c) != GSS_OK) {
		hv_fail(0x763);
		return 1;
	}
	uint32_t t0 = hv_clock();
	irq_enable();
	while (hv_clock() - t0 < budget)
		hv_yield();
	irq_disable();
	uint32_t p = (gicd_read(GICD_ISPENDR + 4 * (d.vector / 32)) >> (d.vector % 32)) & 1;
	printf("quiet irqs=%u\n", n_irq);
	if (n_irq)
		hv_fail(0x761);
	if (p)
		hv_fail(0x762);
	return 0;
}
