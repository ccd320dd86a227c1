/* shm_ntf_fan.c - one notify reaches exactly the connections its mask
 * selects, across VMs, with interrupts (SPEC NTF-1, NTF-2, IRQ-1, IRQ-4
 * within a region), through the instance at 0x1c050000.
 * VM 0 is the sender, every other VM a receiver with one connection.
 * arg0 = region name, arg1 = sel, a bit mask of receiver VM ids the first
 * notify is meant for (the same in every VM).
 * Handshake in the data page (flags stored with store-release and polled
 * with load-acquire, docs/races.md): byte 0x100 + vmid = 1 + the receiver's index
 * (so the sender can turn VM ids into indices whatever order they attached
 * in); word 0x80 = phase; byte 0x180 + vmid = 1 when a receiver is through
 * phase 2. Sender: waits (YIELD) for every receiver's index, sets phase 1,
 * notifies the mask of the selected receivers' indices, sets phase 2, waits
 * for every receiver's byte 0x180, sets phase 3 and notifies 0xFFFFFFFF.
 * Receivers: IRQ handler reads status (32-bit) and keeps the pending bits;
 * a selected receiver sleeps (wfi) until the sender's bit arrives, then acks;
 * an unselected one polls (YIELD) for phase 2 and then checks that the
 * sender's bit has not arrived (handler or a fresh status read), then acks.
 * Both then sleep until the sender's bit comes with phase 3 and exit.
 * FAIL 0x511 sender: a receiver index never appeared / connection failed
 * FAIL 0x512 an unselected receiver got the sender's bit before phase 3
 * FAIL 0x513 a pending bit from a connection other than the sender's
 * FAIL 0x514 a selected receiver got the sender's first notify in phase 3
 *            (or before phase 1)
 * Console: "fan vmV sel=S idx=I got=phase" per receiver, "fan sender mask=M".
 * Expected: exit 0 everywhere. */
#include "hv.h"
#include "gic.h"
#include "shmem.h"

#define FAC0 0x1c050000ul
#define IDX_OF 0x100
#define ACKED  0x180
#define PHASE  0x80

static struct shm_dev d;
static struct shm_conn c;
static volatile uint32_t seen, first_phase, fin, n_irq;
static uint32_t sender_bit = 0xFFFFFFFFu;

static volatile uint8_t *data8(void) { return shm_data(&c); }
static volatile uint32_t *phase(void) { return (volatile uint32_t *)(shm_data(&c) + PHASE); }

static void take(uint32_t st)
{
	uint32_t pend = st & 0xFFFF;
	if (pend & ~sender_bit) {
		printf("FAIL 0x513: pending 0x%x, sender bit 0x%x\n", pend, sender_bit);
		hv_fail(0x513);
	}
	if (pend & sender_bit) {
		uint32_t ph = ld_acq32(phase());
		if (!seen)
			first_phase = ph;
		seen = 1;
		if (ph == 3)
			fin = 1;
	}
}

static void on_irq(uint32_t intid, void *arg)
{
	(void)intid;
	(void)arg;
	n_irq++;
	take(shm_status(&c));
}

static void sleep_until(volatile uint32_t *flag)
{
	while (!*flag) {
		wfi();
		uint32_t k = n_irq;
		irq_enable();
		for (int i = 0; i < 100000 && n_irq == k; i++)
			;
		irq_disable();
	}
}

int main(void)
{
	const char *name = hv_arg_str(0);
	uint32_t sel = (uint32_t)hv_arg(1);
	uint32_t vm = hv_vmid(), nvms = hv_nvms();

	if (shm_probe_loc(&d, FAC0))
		return 1;
	if (shm_create(&d, name, 1, &c) != GSS_OK) {
		hv_fail(0x511);
		return 1;
	}
	if (vm == 0) {
		uint32_t mask = 0;
		for (uint32_t k = 1; k < nvms; k++) {
			while (!ld_acq8(&data8()[IDX_OF + k]))
				hv_yield();
			if (sel & (1u << k))
				mask |= 1u << (data8()[IDX_OF + k] - 1);
		}
		st_rel8(&data8()[IDX_OF], (uint8_t)(c.idx + 1));
		st_rel32(phase(), 1);
		shm_notify(&c, mask);
		st_rel32(phase(), 2);
		printf("fan sender mask=0x%x\n", mask);
		for (uint32_t k = 1; k < nvms; k++)
			while (!ld_acq8(&data8()[ACKED + k]))
				hv_yield();
		st_rel32(phase(), 3);
		shm_notify(&c, SHM_NOTIFY_OTHERS);
		return 0;
	}

	gic_init();
	gic_set_priority(d.vector, 0x80);
	irq_register(d.vector, on_irq, 0);
	gic_enable(d.vector);
	st_rel8(&data8()[IDX_OF + vm], (uint8_t)(c.idx + 1));
	/* The sender's index: it attached first or is learned from its slot. */
	while (!ld_acq8(&data8()[IDX_OF]))
		hv_yield();
	sender_bit = 1u << (data8()[IDX_OF] - 1);

	int selected = (sel >> vm) & 1;
	if (selected) {
		sleep_until(&seen);
		if (first_phase < 1 || first_phase > 2) {
			printf("FAIL 0x514: first notify seen in phase %u\n", first_phase);
			hv_fail(0x514);
		}
	} else {
		while (ld_acq32(phase()) < 2)
			hv_yield();
		take(shm_status(&c));
		if (seen) {
			printf("FAIL 0x512: unselected vm%u got the sender's bit in phase %u\n", vm,
			       first_phase);
			hv_fail(0x512);
		}
	}
	printf("fan vm%u sel=%d idx=%u got=%u\n", vm, selected, c.idx, selected ? first_phase : 0);
	st_rel8(&data8()[ACKED + vm], 1);
	sleep_until(&fin);
	return 0;
}
