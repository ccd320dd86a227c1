/* shm_det_life.c - region lifetime (SPEC DET-3, profile region_lifetime).
 * One VM, instance at 0x1c050000. The only connection A to region R
 * (create-or-attach with p1 pages) stores 0xA5 x 4 at data offset 0, then
 * detaches: R has no connection left. A new request for R with p2 pages then
 * shows whether R survived: a new region reads `size` = p2 and zero data; a
 * surviving one keeps its first size and the 0xA5 bytes. That connection
 * stores 0x5A x 4 at offset 4 and detaches too.
 * arg0 = R, arg1 = "gone" (R must have been destroyed: a guest-made region
 * under destroy-on-last) or "kept" (region_lifetime persist, or R made by
 * the `create` option or by the host), arg2 = p1, arg3 = p2 (p1 != p2).
 *   FAIL 0xA21 the second request's `size` is not p2 (gone) / the first size
 *   FAIL 0xA22 data offset 0 is not 0 (gone) / 0xA5A5A5A5 (kept)
 *   FAIL 0xA23 the second connection's index is not 0 (it is alone)
 *   FAIL 0xAFF a request failed
 * Marks (for host steps): 1 after the first store, 2 after the detach.
 * Console: "det-life R first=P second=P data=0x..". Expected: exit 0. */
#include "hv.h"
#include "shmem.h"

#define FAC0 0x1c050000ul

int main(void)
{
	const char *name = hv_arg_str(0);
	int kept = !strcmp(hv_arg_str(1), "kept");
	uint32_t p1 = (uint32_t)hv_arg(2), p2 = (uint32_t)hv_arg(3);
	struct shm_dev d;
	struct shm_conn a, b;

	if (shm_probe_loc(&d, FAC0))
		return 1;
	if (shm_create(&d, name, p1, &a) != GSS_OK) {
		printf("FAIL 0xAFF: first request status %u\n", shm_last_status(&d));
		hv_fail(0xAFF);
		return 1;
	}
	uint32_t first = a.pages;
	*(volatile uint32_t *)shm_data(&a) = 0xA5A5A5A5u;
	hv_mark(1);
	shm_detach(&a);
	hv_mark(2);
	if (shm_create(&d, name, p2, &b) != GSS_OK) {
		printf("FAIL 0xAFF: second request status %u\n", shm_last_status(&d));
		hv_fail(0xAFF);
		return 1;
	}
	uint32_t w = *(volatile uint32_t *)shm_data(&b);
	printf("det-life %s first=%u second=%u data=0x%x\n", name, first, b.pages, w);
	if (b.pages != (kept ? first : p2)) {
		printf("FAIL 0xA21: size %u\n", b.pages);
		hv_fail(0xA21);
	}
	if (w != (kept ? 0xA5A5A5A5u : 0u)) {
		printf("FAIL 0xA22: data 0x%x\n", w);
		hv_fail(0xA22);
	}
	if (b.idx != 0) {
		printf("FAIL 0xA23: index %u\n", b.idx);
		hv_fail(0xA23);
	}
	*(volatile uint32_t *)(shm_data(&b) + 4) = 0x5A5A5A5Au;
	shm_detach(&b);
	return 0;
}
