/* shm_ntf_mask.c - notify masks (SPEC NTF-1..4), one VM polling status, no
 * interrupts. Five connections c0..c4 (indices 0..4) to one new region
 * through the instance at 0x1c050000. Each step clears every pending bit
 * (32-bit status reads), makes one or more notifies, then reads the status
 * (32-bit) of every connection and compares bits 15:0 with what the rules
 * say; a mismatch prints "FAIL 0xID step: cK pending got=.. want=..".
 * arg0 = region name, arg1 = profile self_notify as the scenario sets it:
 * "allowed" (default) or "masked".
 *   FAIL 0x501 c0 notifies 0x0A: c1 and c3 get bit 0, nobody else (NTF-1)
 *   FAIL 0x502 c2 notifies 0xFFFFFFFF: everyone but c2 gets bit 2 (NTF-2)
 *   FAIL 0x503 c2 notifies 0x4 (itself only): c2 gets bit 2 when allowed,
 *              nothing happens when masked (NTF-2)
 *   FAIL 0x504 c2 notifies 0xFFFF: every live connection gets bit 2, c2 too
 *              only when allowed (NTF-2, NTF-3)
 *   FAIL 0x505 c1 notifies 0xFFFFFFFE (not the all-others constant: bits
 *              15:0 = 0xFFFE): c2..c4 get bit 1, c1 too when allowed, not c0
 *   FAIL 0x506 c1 notifies 0xFFFF0000 (bits 15:0 empty): nobody
 *   FAIL 0x507 c0 notifies 0 (NTF-3): nobody
 *   FAIL 0x508 c0 notifies 0xFFE0 (only dead indices 5..15): nobody; then a
 *              new connection c5 (index 5) starts with nothing pending
 *   FAIL 0x509 c3 notifies c0 three times and c4 once: c0 reads 0x18 once
 *              and 0 at the next read (NTF-4)
 *   FAIL 0x50A c4 notifies 0x10001 (bit 16 ignored, bit 0 = c0): c0 only
 *   FAIL 0x5FF setup: a create failed or an index is not the expected one
 * Console: "ntf-mask SELF done". Expected: exit 0. */
#include "hv.h"
#include "shmem.h"

#define FAC0 0x1c050000ul
#define N 6

static struct shm_dev d;
static struct shm_conn c[N];
static int live_n = 5;

static void notify(int from, uint32_t mask) { mmio_write32(c[from].ctl + CTL_NOTIFY, mask); }
static uint32_t pending(int i) { return mmio_read32(c[i].ctl + CTL_STATUS) & 0xFFFF; }

static void drain(void)
{
	for (int i = 0; i < live_n; i++)
		pending(i);
}

/* want[i] = expected pending bits of ci. */
static void check(uint32_t id, const char *step, const uint32_t *want)
{
	for (int i = 0; i < live_n; i++) {
		uint32_t got = pending(i);
		if (got != want[i]) {
			printf("FAIL 0x%x %s: c%d pending got=0x%x want=0x%x\n", id, step, i, got, want[i]);
			hv_fail(id);
		}
	}
}

int main(void)
{
	const char *name = hv_arg_str(0);
	int allowed = hv_argc() < 2 || strcmp(hv_arg_str(1), "masked");
	uint32_t s;

	if (shm_probe_loc(&d, FAC0))
		return 1;
	for (int i = 0; i < 5; i++)
		if (shm_create(&d, name, 1, &c[i]) != GSS_OK || c[i].idx != (uint32_t)i) {
			hv_fail(0x5FF);
			return 1;
		}

	drain();
	notify(0, 0x0A);
	check(0x501, "mask 0x0A from c0", (const uint32_t[]){ 0, 1, 0, 1, 0 });

	drain();
	notify(2, 0xFFFFFFFFu);
	check(0x502, "0xFFFFFFFF from c2", (const uint32_t[]){ 4, 4, 0, 4, 4 });

	drain();
	notify(2, 0x4);
	s = allowed ? 4 : 0;
	check(0x503, "self 0x4 from c2", (const uint32_t[]){ 0, 0, s, 0, 0 });

	drain();
	notify(2, 0xFFFF);
	check(0x504, "0xFFFF from c2", (const uint32_t[]){ 4, 4, s, 4, 4 });

	drain();
	notify(1, 0xFFFFFFFEu);
	s = allowed ? 2 : 0;
	check(0x505, "0xFFFFFFFE from c1", (const uint32_t[]){ 0, s, 2, 2, 2 });

	drain();
	notify(1, 0xFFFF0000u);
	check(0x506, "0xFFFF0000 from c1", (const uint32_t[]){ 0, 0, 0, 0, 0 });

	drain();
	notify(0, 0);
	check(0x507, "0 from c0", (const uint32_t[]){ 0, 0, 0, 0, 0 });

	drain();
	notify(0, 0xFFE0);
	check(0x508, "0xFFE0 from c0", (const uint32_t[]){ 0, 0, 0, 0, 0 });
	if (shm_create(&d, name, 1, &c[5]) != GSS_OK || c[5].idx != 5) {
		hv_fail(0x5FF);
		return 1;
	}
	live_n = 6;
	check(0x508, "new c5 after 0xFFE0", (const uint32_t[]){ 0, 0, 0, 0, 0, 0 });

	drain();
	notify(3, 0x1);
	notify(3, 0x1);
	notify(4, 0x1);
	notify(3, 0x1);
	check(0x509, "3+1 notifies to c0", (const uint32_t[]){ 0x18, 0, 0, 0, 0, 0 });
	check(0x509, "second read", (const uint32_t[]){ 0, 0, 0, 0, 0, 0 });

	drain();
	notify(4, 0x10001);
	check(0x50A, "0x10001 from c4", (const uint32_t[]){ 0x10, 0, 0, 0, 0, 0 });

	printf("ntf-mask %s done\n", allowed ? "allowed" : "masked");
	return 0;
}
