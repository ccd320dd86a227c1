/* shm_det_pending.c - what happens to the pending bits a detached connection
 * had set in its peers (SPEC DET-2, profile detached_pending). One VM,
 * instance at 0x1c050000, connections A, B, C (indices 0, 1, 2) to one new
 * region. B notifies A and C, C notifies A; then B detaches and A and C read
 * their status (32-bit).
 * arg0 = region name, arg1 = "keep" (default: bits stay) or "clear".
 *   FAIL 0xA11 A's pending bits are not 0x6 (keep) / 0x4 (clear): C's bit
 *              must stay in both
 *   FAIL 0xA12 C's pending bits are not 0x2 (keep) / 0 (clear)
 *   FAIL 0xA13 the live set seen by A or C is not 0x5 (B is gone)
 *   FAIL 0xA14 a second read of A or C shows pending bits (read-to-clear)
 *   FAIL 0xAFF a request failed
 * Console: "det-pending MODE A=0x.. C=0x..". Expected: exit 0. */
#include "hv.h"
#include "shmem.h"

#define FAC0 0x1c050000ul

int main(void)
{
	const char *name = hv_arg_str(0);
	int keep = strcmp(hv_arg_str(1), "clear") != 0;
	struct shm_dev d;
	struct shm_conn a, b, c;

	if (shm_probe_loc(&d, FAC0))
		return 1;
	if (shm_create(&d, name, 1, &a) || shm_create(&d, name, 1, &b) ||
	    shm_create(&d, name, 1, &c) || a.idx != 0 || b.idx != 1 || c.idx != 2) {
		hv_fail(0xAFF);
		return 1;
	}
	shm_status(&a);
	shm_status(&c);
	shm_notify(&b, 0x5);
	shm_notify(&c, 0x1);
	shm_detach(&b);
	uint32_t sa = shm_status(&a), sc = shm_status(&c);
	printf("det-pending %s A=0x%x C=0x%x\n", keep ? "keep" : "clear", sa, sc);
	if ((sa & 0xFFFF) != (keep ? 0x6u : 0x4u)) {
		printf("FAIL 0xA11: A pending 0x%x\n", sa & 0xFFFF);
		hv_fail(0xA11);
	}
	if ((sc & 0xFFFF) != (keep ? 0x2u : 0x0u)) {
		printf("FAIL 0xA12: C pending 0x%x\n", sc & 0xFFFF);
		hv_fail(0xA12);
	}
	if ((sa >> 16) != 0x5 || (sc >> 16) != 0x5)
		hv_fail(0xA13);
	if ((shm_status(&a) & 0xFFFF) || (shm_status(&c) & 0xFFFF))
		hv_fail(0xA14);
	return 0;
}
