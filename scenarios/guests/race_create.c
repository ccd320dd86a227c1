/* race_create.c - two (or more) VMs race to create-or-attach one region with
 * different sizes (CRE-1, CRE-2, FAC-6). Whatever the interleaving, every VM
 * must see the same size, and it must be one of the sizes asked for.
 * args: NAME, PAGES, OTHER_PAGES. Each VM publishes the size it saw in data
 * word 1 + VMID, then waits (yielding) for the other's.
 * FAIL 1: request failed; 2: sizes differ between VMs; 3: size neither asked. */
#include "hv.h"
#include "shmem.h"

#define FAC 0x1c050000ul

int main(void)
{
	struct shm_dev d;
	struct shm_conn c;
	uint32_t me = hv_vmid(), other = me ^ 1;
	uint32_t pages = (uint32_t)hv_arg(1), other_pages = (uint32_t)hv_arg(2);

	if (shm_probe_loc(&d, FAC))
		return 1;
	if (!hv_check(shm_create(&d, hv_arg_str(0), pages, &c) == GSS_OK, 1))
		return 1;
	volatile uint32_t *data = (volatile uint32_t *)shm_data(&c);
	st_rel32(&data[1 + me], c.pages);      /* docs/races.md: a flag between VMs */
	uint32_t seen;
	while ((seen = ld_acq32(&data[1 + other])) == 0)
		hv_yield();
	hv_check(seen == c.pages, 2);
	hv_check(c.pages == pages || c.pages == other_pages, 3);
	printf("vm%u sees %u pages\n", me, c.pages);
	return 0;
}
