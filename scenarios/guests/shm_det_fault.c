/* shm_det_fault.c - after a detach the connection's pages are gone (SPEC
 * DET-1, PLT-4 and profile fault_delivery). One VM, instance at 0x1c050000
 * (default window 0x18_0000_0000): connection A (2 data pages) gets the
 * first fit, control page 0x1800000000, data 0x1800001000..0x1800002FFF;
 * connection B follows at 0x1800003000. A writes its data, then detaches.
 * arg0 = region name (new); arg1 = which access of A's old pages follows:
 * "ctl-read" (status, 32-bit load at 0x1800000000), "ctl-write" (notify
 * store at 0x1800000008), "data-read" (load at 0x1800001000), "data-write"
 * (store at 0x1800002FFC), "beyond" (load at 0x1800006000, just past B's
 * last data page: never mapped, a control for the others); arg2 = "stop"
 * (profile fault_delivery default: the VM must stop with a fault record
 * there) or "guest" (the access enters the sync vector: ESR_EL1.EC 0x25,
 * WnR for stores, FAR_EL1 = the address; the handler returns past the
 * access and the VM goes on).
 *   FAIL 0xA01 after A detached, B's live set (status bits 31:16) is not
 *              B's bit alone
 *   FAIL 0xA02 the access did not fault (stop mode: the VM went on)
 *   FAIL 0xA03 guest mode: no sync exception, or EC not 0x25
 *   FAIL 0xA04 guest mode: FAR_EL1 not the address accessed
 *   FAIL 0xA05 guest mode: ESR_EL1.WnR wrong for the access direction
 *   FAIL 0xA06 guest mode, not "beyond": a new connection does not get A's
 *              freed index 0 at A's old address (first fit reuses the space), or does not
 *              see the bytes A stored (the region lives on through B)
 *   FAIL 0xAFF a request failed
 * Console: "det-fault touching ADDR" before the access; guest mode
 * "det-fault handled esr=.. far=..". Expected (stop): fault of the kind for
 * the access at ADDR; (guest): exit 0. */
#include "hv.h"
#include "shmem.h"

#define FAC0 0x1c050000ul

static struct shm_dev d;
static struct shm_conn a, b, n;
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
	const char *what = hv_arg_str(1);
	int guest = !strcmp(hv_arg_str(2), "guest");
	uint64_t addr;
	int write;

	if (shm_probe_loc(&d, FAC0))
		return 1;
	if (shm_create(&d, name, 2, &a) != GSS_OK || shm_create(&d, name, 2, &b) != GSS_OK) {
		hv_fail(0xAFF);
		return 1;
	}
	uint64_t a_ctl = a.ctl;
	shm_data(&a)[0] = 0x5A;
	shm_data(&a)[0x1FFC] = 0x77;
	shm_status(&b);
	shm_detach(&a);
	uint32_t live = shm_status(&b) >> 16;
	if (live != (1u << b.idx)) {
		printf("FAIL 0xA01: B's live set 0x%x after A detached\n", live);
		hv_fail(0xA01);
	}

	if (!strcmp(what, "ctl-read")) {
		addr = a_ctl + CTL_STATUS;
		write = 0;
	} else if (!strcmp(what, "ctl-write")) {
		addr = a_ctl + CTL_NOTIFY;
		write = 1;
	} else if (!strcmp(what, "data-read")) {
		addr = a_ctl + SHM_PAGE;
		write = 0;
	} else if (!strcmp(what, "beyond")) {
		addr = b.ctl + 3 * SHM_PAGE;
		write = 0;
	} else {
		addr = a_ctl + 3 * SHM_PAGE - 4;
		write = 1;
	}
	if (guest)
		sync_register(on_sync);
	printf("det-fault touching 0x%lx\n", addr);
	if (write)
		mmio_write32(addr, 0xFFFFFFFFu);
	else
		(void)mmio_read32(addr);

	if (!guest) {
		printf("FAIL 0xA02: the access to 0x%lx did not fault\n", addr);
		hv_fail(0xA02);
		return 2;
	}
	printf("det-fault handled esr=0x%lx far=0x%lx\n", h_esr, h_far);
	if (h_count != 1 || (h_esr >> 26) != 0x25) {
		printf("FAIL 0xA03: %u sync exceptions, EC 0x%lx\n", h_count, h_esr >> 26);
		hv_fail(0xA03);
	}
	if (h_far != addr) {
		printf("FAIL 0xA04: FAR 0x%lx, accessed 0x%lx\n", h_far, addr);
		hv_fail(0xA04);
	}
	if (((h_esr >> 6) & 1) != (uint64_t)write) {
		printf("FAIL 0xA05: WnR %lu for a %s\n", (h_esr >> 6) & 1, write ? "store" : "load");
		hv_fail(0xA05);
	}
	if (strcmp(what, "beyond") == 0)
		return 0;
	if (shm_create(&d, name, 2, &n) != GSS_OK || n.idx != 0 || n.ctl != a_ctl ||
	    shm_data(&n)[0] != 0x5A || shm_data(&n)[0x1FFC] != 0x77) {
		printf("FAIL 0xA06: new connection idx %u at 0x%lx\n", n.idx, n.ctl);
		hv_fail(0xA06);
	}
	return 0;
}
