/* shm_host_acl.c - one request through the instance at 0x1c050000 whose
 * status the scenario predicts (used to show that an ACL refuses a guest
 * what the host may do, SPEC HST-1, ACL-1).
 * arg0 = region name, arg1 = expected GSS status.
 *   FAIL 0xB21 the status is not the expected one
 * Console: "acl NAME status=S". Expected: exit 0. */
#include "hv.h"
#include "shmem.h"

int main(void)
{
	const char *name = hv_arg_str(0);
	uint32_t want = (uint32_t)hv_arg(1);
	struct shm_dev d;
	struct shm_conn c;

	if (shm_probe_loc(&d, 0x1c050000ul))
		return 1;
	int st = shm_create(&d, name, 1, &c);
	printf("acl %s status=%d\n", name, st);
	if ((uint32_t)st != want)
		hv_fail(0xB21);
	return 0;
}
