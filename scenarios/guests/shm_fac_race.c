/* shm_fac_race.c - several VMs create-or-attach the same region at once
 * (SPEC FAC-6, CRE-1, CRE-2, CRE-5): requests are serialized, so exactly one
 * of them creates it and every VM reads that creator's size.
 *
 * args: [DEV, NAME, ROUNDS]
 *   DEV    "0xADDR" (`loc` instance) or "pN" (N-th shmem PCI function)
 *   NAME   the region every VM uses
 *   ROUNDS how many times the VM detaches and attaches again in between
 * VM i asks for i + 1 pages. After its first attach it writes the size it read
 * into data word i and waits (yielding) until every VM has written its word,
 * then checks them all equal: had two requests raced into two creations,
 * the VMs would sit in different regions and never see each other's words.
 * Then ROUNDS times: attach again (a second connection: the size must be the
 * same, the status read right after the store must be GSS_OK) and detach it.
 *   FAIL 0x301 a request did not read GSS_OK on the very next load
 *   FAIL 0x302 size not in 1..NVMS
 *   FAIL 0x303 the VMs read different sizes
 *   FAIL 0x304 a later attach read another size than the first
 * Console: "race vmN size S" and "race vmN done".
 * Exit 0. A final mark 100 + i tells when VM i is done with the region.
 */
#include "hv.h"
#include "shmem.h"

int main(void)
{
	struct shm_dev dev;
	struct shm_conn c, c2;
	const char *d = hv_arg_str(0);
	const char *name = hv_arg_str(1);
	uint32_t rounds = (uint32_t)hv_arg(2);
	uint32_t me = hv_vmid(), n = hv_nvms();
	int r = d[0] == 'p' ? shm_probe_pci(&dev, (int)hv_strtou(d + 1)) : shm_probe_loc(&dev, hv_strtou(d));

	if (!hv_check(r == 0, 0x300))
		return 1;
	int st = shm_create(&dev, name, me + 1, &c);
	if (!hv_check(st == GSS_OK, 0x301))
		return 1;
	printf("race vm%u size %u\n", me, c.pages);
	hv_check(c.pages >= 1 && c.pages <= n, 0x302);

	volatile uint32_t *w = (volatile uint32_t *)shm_data(&c);
	/* The words are flags between VMs: store-release, load-acquire. */
	st_rel32(&w[me], c.pages);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t v;
		while ((v = ld_acq32(&w[i])) == 0)
			hv_yield();
		hv_check(v == c.pages, 0x303);
	}
	for (uint32_t k = 0; k < rounds; k++) {
		st = shm_create(&dev, name, 100 + me, &c2);
		hv_check(st == GSS_OK, 0x301);
		hv_check(st != GSS_OK || c2.pages == c.pages, 0x304);
		if (st == GSS_OK)
			shm_detach(&c2);
	}
	/* Stay until every VM has checked the words (they live in the region). */
	st_rel32(&w[n + me], 1);
	for (uint32_t i = 0; i < n; i++)
		while (ld_acq32(&w[n + i]) == 0)
			hv_yield();
	printf("race vm%u done\n", me);
	hv_mark(100 + me);
	return 0;
}
