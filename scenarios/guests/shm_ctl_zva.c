/* shm_ctl_zva.c - DC ZVA on a control page (SPEC FAC-3, PLT-4): Device
 * memory does not support it, so it faults (alignment) without touching any
 * register: no notify from the zeroed doorbell, no detach. One VM, instance
 * at 0x1c050000: connections A (control page 0x1800000000) and B of region
 * arg0; arg1 = "stop" (profile fault_delivery default: the VM stops there)
 * or "guest" (the sync vector runs: ESR_EL1 EC 0x25, WnR, FSC 0x21, FAR =
 * A's control page; the handler returns past the DC ZVA and the VM goes on).
 *   FAIL 0xB01 the DC ZVA did not fault (stop mode: the VM went on)
 *   FAIL 0xB02 guest mode: not one sync exception with ESR 0x96000061
 *   FAIL 0xB03 guest mode: FAR_EL1 not A's control page
 *   FAIL 0xB04 guest mode: A was detached, B got a notification, or A's
 *              idx changed (a register was touched)
 *   FAIL 0xBFF a request failed
 * Console: "zva on 0x..." before it; guest mode "zva handled esr=.. far=..".
 * Expected (stop): fault alignment at 0x1800000000; (guest): exit 0. */
#include "hv.h"
#include "shmem.h"

#define FAC0 0x1c050000ul

static struct shm_dev d;
static struct shm_conn a, b;
static volatile uint64_t h_esr, h_far;
static volatile uint32_t h_count;

static void on_sync(uint64_t esr, uint64_t far, uint64_t elr)
{
	(void)elr;
	h_esr = esr;
	h_far = far;
	h_count++;
}

int main(void)
{
	const char *name = hv_arg_str(0);
	int guest = !strcmp(hv_arg_str(1), "guest");

	if (shm_probe_loc(&d, FAC0))
		return 1;
	if (shm_create(&d, name, 1, &a) != GSS_OK || shm_create(&d, name, 1, &b) != GSS_OK) {
		hv_fail(0xBFF);
		return 1;
	}
	shm_status(&b);
	if (guest)
		sync_register(on_sync);
	printf("zva on 0x%lx\n", a.ctl);
	__asm__ volatile("dc zva, %0" :: "r"(a.ctl) : "memory");

	if (!guest) {
		printf("FAIL 0xB01: DC ZVA on 0x%lx did not fault\n", a.ctl);
		hv_fail(0xB01);
		return 2;
	}
	printf("zva handled esr=0x%lx far=0x%lx\n", h_esr, h_far);
	hv_check(h_count == 1 && h_esr == 0x96000061, 0xB02);
	hv_check(h_far == a.ctl, 0xB03);
	uint32_t st = shm_status(&b);
	if (st != (((1u << a.idx) | (1u << b.idx)) << 16) || shm_idx(&a) != a.idx) {
		printf("FAIL 0xB04: B's status 0x%x, A's idx %u\n", st, shm_idx(&a));
		hv_fail(0xB04);
	}
	shm_detach(&a);
	shm_detach(&b);
	return 0;
}
