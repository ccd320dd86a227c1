/* shm_ctl_index.c - index allocation and the 16-client limit (SPEC CTL-3,
 * CTL-4), one VM making every connection itself through the instance at
 * 0x1c050000.
 * arg0 = region name (new), arg1 = "lowest" (profile index_alloc default
 * lowest-free) or "rr" (round-robin).
 * Sequence and the index each request must get (lowest / rr):
 *   three connections                      0,1,2   / 0,1,2
 *   detach 1, connect                      1       / 3
 *   connect until 16 are live              3..15   / 4..15, then 1 (wraps)
 *   17th request                           GSS_CLIENT_MAX (both)
 *   detach 7, connect                      7       / 7 (the only free one)
 *   detach 3 and 12, connect               3       / 12 (cursor after 7)
 *   detach everything (region destroyed), connect again: 0 / 0 (cursor reset)
 * FAIL 0x401 the first three are not 0,1,2
 * FAIL 0x402 the index after detaching 1 is wrong for the mode
 * FAIL 0x403 while filling up, an index is wrong for the mode
 * FAIL 0x404 the 16 live indices are not exactly 0..15 (live set != 0xFFFF)
 * FAIL 0x405 the 17th request did not give GSS_CLIENT_MAX, or it changed
 *            the live set
 * FAIL 0x406 the index after detaching 7 is not 7, or another request then
 *            did not give GSS_CLIENT_MAX
 * FAIL 0x407 the index after detaching 3 and 12 is wrong for the mode
 * FAIL 0x408 after the region was destroyed and made again the index is not 0
 * FAIL 0x409 a request that should succeed did not return GSS_OK
 * Console: one line "idx MODE: i i i ..." with every index given, then
 * "index MODE done". Expected: exit 0; region peak_clients 16. */
#include "hv.h"
#include "shmem.h"

#define FAC0 0x1c050000ul

static struct shm_dev d;
static struct shm_conn by_idx[16];
static const char *name;
static char log[256];
static int loglen;

/* Connect; returns the index (or 99 on failure, recorded as 0x409). */
static uint32_t conn(void)
{
	struct shm_conn c;
	int st = shm_create(&d, name, 1, &c);
	if (st != GSS_OK) {
		printf("FAIL 0x409: request status %d\n", st);
		hv_fail(0x409);
		return 99;
	}
	by_idx[c.idx & 15] = c;
	loglen += snprintf(log + loglen, sizeof(log) - loglen, " %u", c.idx);
	return c.idx;
}

static void det(uint32_t idx)
{
	shm_detach(&by_idx[idx]);
}

static uint32_t live_set(void)
{
	for (int i = 0; i < 16; i++)
		if (by_idx[i].ctl)
			return mmio_read32(by_idx[i].ctl + CTL_STATUS) >> 16;
	return 0;
}

int main(void)
{
	name = hv_arg_str(0);
	const char *mode = hv_argc() > 1 ? hv_arg_str(1) : "lowest";
	int rr = !strcmp(mode, "rr");
	struct shm_conn extra;

	if (shm_probe_loc(&d, FAC0))
		return 1;

	for (uint32_t i = 0; i < 3; i++)
		hv_expect32(conn(), i, 0x401, "first three");
	det(1);
	hv_expect32(conn(), rr ? 3 : 1, 0x402, "after detaching 1");
	if (rr) {
		for (uint32_t i = 4; i < 16; i++)
			hv_expect32(conn(), i, 0x403, "filling (rr)");
		hv_expect32(conn(), 1, 0x403, "filling (rr wraps to 1)");
	} else {
		for (uint32_t i = 3; i < 16; i++)
			hv_expect32(conn(), i, 0x403, "filling (lowest)");
	}
	hv_expect32(live_set(), 0xFFFF, 0x404, "live set with 16");

	hv_expect32(shm_create(&d, name, 1, &extra), GSS_CLIENT_MAX, 0x405, "17th request");
	hv_expect32(live_set(), 0xFFFF, 0x405, "live set after the 17th");

	det(7);
	hv_expect32(conn(), 7, 0x406, "after detaching 7");
	hv_expect32(shm_create(&d, name, 1, &extra), GSS_CLIENT_MAX, 0x406, "17th again");

	det(3);
	det(12);
	hv_expect32(conn(), rr ? 12 : 3, 0x407, "after detaching 3 and 12");

	for (int i = 0; i < 16; i++)
		if (by_idx[i].ctl)
			det((uint32_t)i);
	hv_expect32(conn(), 0, 0x408, "first index of the region made again");

	printf("idx %s:%s\n", mode, log);
	printf("index %s done\n", mode);
	return 0;
}
