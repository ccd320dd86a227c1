/* shm_ctl_clear.c - status read-to-clear at every access width (SPEC CTL-2),
 * one VM, no interrupts. Ten connections c0..c9 to one new region through
 * the instance at 0x1c050000 (indices 0..9, CTL-3 lowest free). Pending bits
 * in both bytes of c0's status are made by c1 and c9 notifying c0: pending =
 * 0x0202, live set 0x03FF.
 * arg0 = region name, arg1 = which part: "w32", "narrow" or "all".
 * w32:
 *   FAIL 0x201 a 32-bit read does not return 0x03FF0202
 *   FAIL 0x202 a second 32-bit read does not return 0x03FF0000 (pending
 *              cleared, live set kept)
 *   FAIL 0x203 after c1 notifies c0 twice and c9 once more, one read does not
 *              return 0x03FF0202 (coalesced) or a second read is not 0x03FF0000
 * narrow:
 *   FAIL 0x211 byte load of offset 1 does not return 0x02
 *   FAIL 0x212 the following 32-bit read is not 0x03FF0002 (only 15:8 cleared)
 *   FAIL 0x213 byte load of offset 0 does not return 0x02
 *   FAIL 0x214 the following 32-bit read is not 0x03FF0200 (only 7:0 cleared)
 *   FAIL 0x215 16-bit load of offset 2 does not return 0x03FF
 *   FAIL 0x216 byte loads of offsets 2 and 3 do not return 0xFF and 0x03
 *   FAIL 0x217 after the loads of bytes 2..3 a 32-bit read is not 0x03FF0202
 *              (they must clear nothing)
 *   FAIL 0x218 16-bit load of offset 0 does not return 0x0202
 *   FAIL 0x219 after it a 32-bit read is not 0x03FF0000
 *   FAIL 0x21A a byte load of offset 1 with nothing pending in 15:8 cleared
 *              bits 7:0 (next 32-bit read not 0x03FF0002 after c1 notified)
 * Any part:
 *   FAIL 0x2FF a create did not return GSS_OK or gave an unexpected index
 * Console: "clear PART done". Expected: exit 0. */
#include "hv.h"
#include "shmem.h"

#define FAC0 0x1c050000ul
#define N 10

static struct shm_conn c[N];

static uint32_t st32(void) { return mmio_read32(c[0].ctl + CTL_STATUS); }

/* c1 and c9 notify c0: pending 0x0202. */
static void make_pending(void)
{
	mmio_write32(c[1].ctl + CTL_NOTIFY, 1u << 0);
	mmio_write32(c[9].ctl + CTL_NOTIFY, 1u << 0);
}

static void part_w32(void)
{
	make_pending();
	hv_expect32(st32(), 0x03FF0202, 0x201, "first 32-bit read");
	hv_expect32(st32(), 0x03FF0000, 0x202, "second 32-bit read");
	make_pending();
	mmio_write32(c[1].ctl + CTL_NOTIFY, 1u << 0);
	hv_expect32(st32(), 0x03FF0202, 0x203, "read after three notifies");
	hv_expect32(st32(), 0x03FF0000, 0x203, "read after that");
}

static void part_narrow(void)
{
	uint64_t s = c[0].ctl + CTL_STATUS;

	make_pending();
	hv_expect32(mmio_read8(s + 1), 0x02, 0x211, "byte load offset 1");
	hv_expect32(st32(), 0x03FF0002, 0x212, "32-bit read after byte 1");

	make_pending();
	hv_expect32(mmio_read8(s + 0), 0x02, 0x213, "byte load offset 0");
	hv_expect32(st32(), 0x03FF0200, 0x214, "32-bit read after byte 0");

	make_pending();
	hv_expect32(mmio_read16(s + 2), 0x03FF, 0x215, "16-bit load offset 2");
	hv_expect32(mmio_read8(s + 2), 0xFF, 0x216, "byte load offset 2");
	hv_expect32(mmio_read8(s + 3), 0x03, 0x216, "byte load offset 3");
	hv_expect32(st32(), 0x03FF0202, 0x217, "32-bit read after bytes 2..3");

	make_pending();
	hv_expect32(mmio_read16(s + 0), 0x0202, 0x218, "16-bit load offset 0");
	hv_expect32(st32(), 0x03FF0000, 0x219, "32-bit read after 16-bit load 0");

	mmio_write32(c[1].ctl + CTL_NOTIFY, 1u << 0);
	hv_expect32(mmio_read8(s + 1), 0x00, 0x21A, "byte load offset 1, nothing in 15:8");
	hv_expect32(st32(), 0x03FF0002, 0x21A, "32-bit read after it");
}

int main(void)
{
	const char *name = hv_arg_str(0);
	const char *part = hv_argc() > 1 ? hv_arg_str(1) : "all";
	struct shm_dev d;

	if (shm_probe_loc(&d, FAC0))
		return 1;
	for (uint32_t i = 0; i < N; i++) {
		if (shm_create(&d, name, 1, &c[i]) != GSS_OK || c[i].idx != i) {
			printf("FAIL 0x2ff: connection %u idx %u\n", i, c[i].idx);
			hv_fail(0x2FF);
			return 1;
		}
	}
	/* Attach-list changes are not pending bits: start from a clean read. */
	hv_expect32(st32(), 0x03FF0000, 0x2FF, "status after the attaches");

	int all = !strcmp(part, "all");
	if (all || !strcmp(part, "w32"))
		part_w32();
	if (all || !strcmp(part, "narrow"))
		part_narrow();
	printf("clear %s done\n", part);
	return 0;
}
