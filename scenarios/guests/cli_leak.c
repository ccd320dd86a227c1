/* cli_leak.c - a driver that "reconnects" to its region once per round:
 * each round it opens the region (create-or-attach, 1 page), bumps a
 * counter at data offset 0 and closes it. The leaking version forgets to
 * close: it opens again while its old connection is still live. Nothing in
 * the device deduplicates (CRE-3), so every round holds one more index,
 * until the region's 16 are used up (CTL-4: GSS_CLIENT_MAX) or the
 * instance's connection budget is (CRE-6: GSS_NOMEM). The fixed version
 * writes detach before reopening (DET-1), so one connection at a time.
 *
 * args: loc (factory page), region name, "leak" or "fixed", rounds.
 * Exit: 0 every round opened; 10 + GSS at the first round that failed
 * (after printing it); 20 no device.
 * FAIL 0xD01 the counter read back is not the rounds done so far (CRE-5:
 *            every connection sees the same bytes)
 * FAIL 0xD02 the new connection reuses a live connection's control page
 * Console: "leak MODE round R idx=I", "leak MODE round R: status S",
 * "leak MODE done rounds=R". */
#include "hv.h"
#include "shmem.h"

#define MAX_ROUNDS 64

int main(void)
{
	struct shm_dev d;
	uint64_t open_ctl[MAX_ROUNDS] = {0};
	int n_open = 0;
	const char *name = hv_arg_str(1);
	const char *mode = hv_arg_str(2);
	int fixed = !strcmp(mode, "fixed");
	uint32_t rounds = (uint32_t)hv_arg(3);

	if (shm_probe_loc(&d, hv_arg(0)) || rounds > MAX_ROUNDS)
		return 20;
	for (uint32_t r = 1; r <= rounds; r++) {
		struct shm_conn c;
		int gss = shm_create(&d, name, 1, &c);
		if (gss != GSS_OK) {
			printf("leak %s round %u: status %d\n", mode, r, gss);
			return 10 + gss;
		}
		for (int i = 0; i < n_open; i++)
			hv_check(open_ctl[i] != c.ctl, 0xD02);
		volatile uint32_t *counter = (volatile uint32_t *)shm_data(&c);
		hv_check(*counter == r - 1, 0xD01);
		*counter = r;
		printf("leak %s round %u idx=%u\n", mode, r, c.idx);
		if (fixed)
			shm_detach(&c);
		else
			open_ctl[n_open++] = c.ctl;
	}
	printf("leak %s done rounds=%u\n", mode, rounds);
	return 0;
}
