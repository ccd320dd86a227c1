/* shm_clients.c - many connections to one region from several VMs (SPEC
 * CTL-4, CRE-6 step 6, CTL-3), through the instance at 0x1c050000.
 * arg0 = region name; arg1 = n, connections this VM makes (create-or-attach,
 * 1 page; each must succeed); arg2 = extra, requests made once every VM of
 * the scenario has made its n (each must give GSS_CLIENT_MAX); arg3 = wait:
 * 1 = stay connected until a VM with extra > 0 says it is done.
 * Cross-VM handshake in the data page (one writer per byte, store-release
 * and load-acquire: docs/races.md):
 * byte 0x100 + vmid = 1 when that VM has its n connections; byte 0x80 = 1
 * when the extra requests are done. Waiting loops YIELD.
 * After its extra requests the VM detaches its last connection and asks once
 * more: that request must succeed and get the index just freed.
 * Marks: 100 + vmid after the n connections; 200 after the extra requests
 * (host steps can hook both).
 * FAIL 0x601 one of the n requests did not return GSS_OK
 * FAIL 0x602 an extra request did not return GSS_CLIENT_MAX
 * FAIL 0x603 the live set (status bits 31:16) is not 0xFFFF when the extra
 *            requests run
 * FAIL 0x604 after detaching one connection the retry failed or got another
 *            index than the one freed
 * FAIL 0x605 two of this VM's connections have the same index
 * Console: "clients vmV: idx i i i ..." and "clients vmV extra=K status=S".
 * Expected: exit 0. */
#include "hv.h"
#include "shmem.h"

#define FAC0 0x1c050000ul
#define FLAG_DONE 0x80
#define FLAG_VM   0x100

static struct shm_conn c[16];

int main(void)
{
	const char *name = hv_arg_str(0);
	uint32_t n = (uint32_t)hv_arg(1);
	uint32_t extra = hv_argc() > 2 ? (uint32_t)hv_arg(2) : 0;
	uint32_t wait = hv_argc() > 3 ? (uint32_t)hv_arg(3) : 0;
	uint32_t vm = hv_vmid(), nvms = hv_nvms();
	struct shm_dev d;
	char line[160];
	int len;

	if (n < 1 || n > 16 || shm_probe_loc(&d, FAC0))
		return 1;
	len = snprintf(line, sizeof(line), "clients vm%u: idx", vm);
	uint32_t seen = 0;
	for (uint32_t i = 0; i < n; i++) {
		int st = shm_create(&d, name, 1, &c[i]);
		if (st != GSS_OK) {
			printf("FAIL 0x601: request %u status %d\n", i, st);
			hv_fail(0x601);
			return 1;
		}
		if (seen & (1u << c[i].idx)) {
			printf("FAIL 0x605: index %u given twice\n", c[i].idx);
			hv_fail(0x605);
		}
		seen |= 1u << c[i].idx;
		len += snprintf(line + len, sizeof(line) - len, " %u", c[i].idx);
	}
	printf("%s\n", line);
	volatile uint8_t *data = shm_data(&c[0]);
	st_rel8(&data[FLAG_VM + vm], 1);
	hv_mark(100 + vm);

	if (extra) {
		for (uint32_t k = 0; k < nvms; k++)
			while (!ld_acq8(&data[FLAG_VM + k]))
				hv_yield();
		uint32_t live = shm_status(&c[0]) >> 16;
		if (live != 0xFFFF) {
			printf("FAIL 0x603: live set 0x%x\n", live);
			hv_fail(0x603);
		}
		struct shm_conn x;
		int st = GSS_OK;
		for (uint32_t k = 0; k < extra; k++) {
			st = shm_create(&d, name, 1, &x);
			if (st != GSS_CLIENT_MAX) {
				printf("FAIL 0x602: extra request %u status %d\n", k, st);
				hv_fail(0x602);
			}
		}
		printf("clients vm%u extra=%u status=%d\n", vm, extra, st);
		hv_mark(200);

		uint32_t freed = c[n - 1].idx;
		shm_detach(&c[n - 1]);
		st = shm_create(&d, name, 1, &x);
		if (st != GSS_OK || x.idx != freed) {
			printf("FAIL 0x604: retry status %d idx %u (freed %u)\n", st, x.idx, freed);
			hv_fail(0x604);
		}
		st_rel8(&data[FLAG_DONE], 1);
	} else if (wait) {
		while (!ld_acq8(&data[FLAG_DONE]))
			hv_yield();
	}
	return 0;
}
