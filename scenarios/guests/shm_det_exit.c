/* shm_det_exit.c - a VM that stops loses all its connections (SPEC DET-4,
 * DET-1, IRQ-2), through the instance at 0x1c050000.
 * arg0 = region name, arg1 = role:
 * "watch": connects, then sleeps (wfi, IRQs enabled for each wakeup) taking
 *   the instance's interrupt; its handler reads status (32-bit). It waits
 *   until the quitter has said it was there (data byte 0x10 = 1) and the
 *   live set is its own bit alone again, then checks the quitter's data
 *   (byte 0x20 = 0x77) is still there (the region lives on through it).
 *   FAIL 0xA31 the data the quitter stored is gone
 *   FAIL 0xA32 a pending (notify) bit arrived: nobody notifies here
 *   Console: "watch: peers gone, irqs=K".
 * "quit": connects arg2 times (1..4), waits (YIELD) until another connection
 *   is in the live set (the watcher, when there is one: arg4 = 1, default)
 *   and YIELDs once more (so the watcher has seen the attach before the end),
 *   stores byte 0x20 = 0x77 and byte 0x10 = 1, marks 1, then ends as arg3
 *   says: "exit" (exit code 3), "fault"
 *   (load from unmapped 0x20000000), "limit" (spins until the scenario's
 *   instruction limit), "sleep" (wfi with IRQs masked and its line never
 *   raised: deadlock at the end of the run).
 * FAIL 0xAFF a request failed. */
#include "hv.h"
#include "gic.h"
#include "shmem.h"

#define FAC0 0x1c050000ul

static struct shm_dev d;
static struct shm_conn c[4];
static volatile uint32_t n_irq, live, bad;

static void on_irq(uint32_t intid, void *arg)
{
	(void)intid;
	(void)arg;
	n_irq++;
	uint32_t st = shm_status(&c[0]);
	live = st >> 16;
	if (st & 0xFFFF)
		bad = st;
}

int main(void)
{
	const char *name = hv_arg_str(0);
	const char *role = hv_arg_str(1);

	if (shm_probe_loc(&d, FAC0))
		return 1;
	if (!strcmp(role, "watch")) {
		gic_init();
		gic_set_priority(d.vector, 0x80);
		irq_register(d.vector, on_irq, 0);
		gic_enable(d.vector);
		if (shm_create(&d, name, 1, &c[0]) != GSS_OK)
			return hv_fail(0xAFF), 1;
		volatile uint8_t *data = shm_data(&c[0]);
		live = shm_status(&c[0]) >> 16;
		while (!(ld_acq8(&data[0x10]) && live == (1u << c[0].idx))) {
			wfi();
			uint32_t k = n_irq;
			irq_enable();
			for (int i = 0; i < 100000 && n_irq == k; i++)
				;
			irq_disable();
		}
		if (data[0x20] != 0x77) {
			printf("FAIL 0xA31: data 0x%x\n", data[0x20]);
			hv_fail(0xA31);
		}
		if (bad) {
			printf("FAIL 0xA32: status 0x%x\n", bad);
			hv_fail(0xA32);
		}
		printf("watch: peers gone, irqs=%u\n", n_irq);
		return 0;
	}

	uint32_t n = (uint32_t)hv_arg(2);
	const char *how = hv_arg_str(3);
	for (uint32_t i = 0; i < n && i < 4; i++)
		if (shm_create(&d, name, 1, &c[i]) != GSS_OK)
			return hv_fail(0xAFF), 1;
	uint32_t mine = 0;
	for (uint32_t i = 0; i < n && i < 4; i++)
		mine |= 1u << c[i].idx;
	if (hv_argc() < 5 || hv_arg(4)) {
		while (!((shm_status(&c[0]) >> 16) & ~mine))
			hv_yield();
		hv_yield();     /* let the watcher take the attach event first */
	}
	shm_data(&c[0])[0x20] = 0x77;
	st_rel8(&shm_data(&c[0])[0x10], 1);     /* after 0x20 (docs/races.md) */
	hv_mark(1);
	printf("quit: %u connections, ending by %s\n", n, how);
	if (!strcmp(how, "fault"))
		(void)mmio_read32(0x20000000ul);
	else if (!strcmp(how, "limit"))
		for (;;)
			__asm__ volatile("" ::: "memory");
	else if (!strcmp(how, "sleep"))
		for (;;)
			wfi();
	return 3;
}
