/* test_race.c - the happens-before detector (sim/race.c) driven by hand:
 * accesses, sync edges and barriers of two VMs and the host on a buffer
 * that stands for a shared page. */
#include <stdint.h>
#include <string.h>
#include "tests/unit.h"
#include "sim/race.h"

static uint8_t page[8192] __attribute__((aligned(4096)));
static const char *const names[] = { "a", "b" };
static int described;

static void describe(void *ctx, struct race_side *s, const uint8_t *host)
{
	(void)ctx;
	described++;
	if (host) {
		snprintf(s->region, sizeof(s->region), "r");
		s->off = (uint64_t)(host - page);
	}
}

static struct race_det *det(void)
{
	struct race_det *d = race_new(2, names, describe, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	return d;
}

static int acc(struct race_det *d, int actor, unsigned off, unsigned len, bool write,
	       unsigned order, uint64_t pc)
{
	struct race_mem m = { .actor = actor, .host = page + off, .len = len, .write = write,
			      .order = order, .pc = pc, .addr = 0x1000 + off };
	return race_mem_access(d, &m);
}

static int n_reports(struct race_det *d)
{
	int n;
	race_reports(d, &n);
	return n;
}

static void test_unordered_write_read(void)
{
	struct race_det *d = det();
	CU_ASSERT_EQUAL(acc(d, 0, 0, 4, true, 0, 0x10), 0);
	CU_ASSERT_EQUAL(acc(d, 1, 2, 4, false, 0, 0x20), 1);   /* bytes 2..3 overlap */
	int n;
	const struct race_report *r = race_reports(d, &n);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_EQUAL(r[0].kind, RACE_DATA);
	CU_ASSERT_EQUAL(r[0].first.vm, 0);
	CU_ASSERT_EQUAL(r[0].first.pc, 0x10);
	CU_ASSERT_EQUAL(r[0].first.dir, 'w');
	CU_ASSERT_EQUAL(r[0].second.vm, 1);
	CU_ASSERT_EQUAL(r[0].second.pc, 0x20);
	CU_ASSERT_STRING_EQUAL(r[0].first.region, "r");
	CU_ASSERT_PTR_NOT_NULL(strstr(r[0].why, "from a's write to b's read"));
	/* the same pair again, and the reverse order: one data race */
	CU_ASSERT_EQUAL(acc(d, 1, 0, 4, false, 0, 0x20), 0);
	CU_ASSERT_EQUAL(acc(d, 0, 0, 4, true, 0, 0x10), 0);
	CU_ASSERT_EQUAL(n_reports(d), 1);
	race_free(d);
}

static void test_disjoint_and_reads(void)
{
	struct race_det *d = det();
	CU_ASSERT_EQUAL(acc(d, 0, 0, 4, true, 0, 0x10), 0);
	CU_ASSERT_EQUAL(acc(d, 1, 4, 4, true, 0, 0x20), 0);   /* next word: no overlap */
	CU_ASSERT_EQUAL(acc(d, 0, 8, 4, false, 0, 0x30), 0);
	CU_ASSERT_EQUAL(acc(d, 1, 8, 4, false, 0, 0x40), 0);  /* two reads never race */
	CU_ASSERT_EQUAL(acc(d, 0, 0, 4, true, 0, 0x50), 0);   /* same actor */
	CU_ASSERT_EQUAL(n_reports(d), 0);
	race_free(d);
}

static void test_notify_orders(void)
{
	struct race_det *d = det();
	acc(d, 0, 0, 8, true, 0, 0x10);
	race_release(d, 0, race_obj_inbox(d, 1));      /* a notifies b */
	acc(d, 0, 16, 4, true, 0, 0x18);               /* after the notify: not covered */
	race_acquire(d, 1, race_obj_inbox(d, 1));      /* b takes the interrupt */
	CU_ASSERT_EQUAL(acc(d, 1, 0, 8, false, 0, 0x20), 0);
	CU_ASSERT_EQUAL(acc(d, 1, 16, 4, false, 0, 0x28), 1);
	/* a read by b, then a's write with no edge back: a read-write race */
	CU_ASSERT_EQUAL(acc(d, 0, 0, 4, true, 0, 0x30), 1);
	CU_ASSERT_EQUAL(n_reports(d), 2);
	race_free(d);
}

static void test_device_and_host(void)
{
	struct race_det *d = det();
	int host = race_host_actor(d);
	CU_ASSERT_EQUAL(host, 2);
	acc(d, 0, 0, 4, true, 0, 0x10);
	race_release(d, 0, race_obj_device(d));        /* a detaches */
	race_acquire(d, host, race_obj_device(d));     /* the host attaches later */
	CU_ASSERT_EQUAL(acc(d, host, 0, 4, true, 0, 0), 0);
	CU_ASSERT_EQUAL(acc(d, 1, 0, 4, false, 0, 0x20), 1);   /* b never synchronised */
	int n;
	const struct race_report *r = race_reports(d, &n);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_EQUAL(r[0].first.vm, -1);
	race_free(d);
}

static void test_atomics(void)
{
	struct race_det *d = det();
	/* both atomic: no race; a plain access against an atomic one: a race */
	CU_ASSERT_EQUAL(acc(d, 0, 0, 4, true, RACE_ATOMIC, 0x10), 0);
	CU_ASSERT_EQUAL(acc(d, 1, 0, 4, true, RACE_ATOMIC, 0x20), 0);
	/* (a plain aligned load: held back until it is known not to be an
	 * acquire-fenced relaxed atomic, here at the end of the run) */
	CU_ASSERT_EQUAL(acc(d, 0, 0, 4, false, 0, 0x30), 0);
	CU_ASSERT_EQUAL(race_finish(d), 1);
	/* message passing with a store-release and a load-acquire orders data */
	acc(d, 0, 64, 16, true, 0, 0x40);
	acc(d, 0, 128, 4, true, RACE_ATOMIC | RACE_RELEASE, 0x44);
	CU_ASSERT_EQUAL(acc(d, 1, 128, 4, false, RACE_ATOMIC | RACE_ACQUIRE, 0x50), 0);
	CU_ASSERT_EQUAL(acc(d, 1, 64, 16, false, 0, 0x54), 0);
	/* the same with a relaxed (plain exclusive) flag does not */
	acc(d, 0, 256, 4, true, 0, 0x60);
	acc(d, 0, 320, 4, true, RACE_ATOMIC, 0x64);
	CU_ASSERT_EQUAL(acc(d, 1, 320, 4, false, RACE_ATOMIC, 0x70), 0);
	CU_ASSERT_EQUAL(acc(d, 1, 256, 4, false, 0, 0x74), 1);
	race_free(d);
}

static void test_store_barrier(void)
{
	struct race_det *d = det();
	struct race_mem bell = { .actor = 0, .len = 4, .write = true, .pc = 0x80, .addr = 0x9008 };
	acc(d, 0, 0, 4, true, 0, 0x10);
	CU_ASSERT_EQUAL(race_doorbell(d, &bell, "shmem0.ctl0", 8), 1);
	int n;
	const struct race_report *r = race_reports(d, &n);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_EQUAL(r[0].kind, RACE_STORE_BARRIER);
	CU_ASSERT_EQUAL(r[0].first.pc, 0x10);
	CU_ASSERT_EQUAL(r[0].second.pc, 0x80);
	CU_ASSERT_STRING_EQUAL(r[0].second.region, "shmem0.ctl0");
	/* a store barrier between: nothing */
	acc(d, 0, 0, 4, true, 0, 0x14);
	race_barrier(d, 0, true, false);
	CU_ASSERT_EQUAL(race_doorbell(d, &bell, "shmem0.ctl0", 8), 0);
	/* a load barrier does not order stores */
	acc(d, 0, 0, 4, true, 0, 0x18);
	race_barrier(d, 0, false, true);
	bell.pc = 0x84;
	CU_ASSERT_EQUAL(race_doorbell(d, &bell, "shmem0.ctl0", 8), 1);
	/* a doorbell that is a store-release needs none */
	acc(d, 0, 0, 4, true, 0, 0x1c);
	bell.pc = 0x88;
	bell.order = RACE_RELEASE;
	CU_ASSERT_EQUAL(race_doorbell(d, &bell, "shmem0.ctl0", 8), 0);
	race_free(d);
}

static void test_load_barrier(void)
{
	struct race_det *d = det();
	struct race_mem st = { .actor = 1, .len = 4, .pc = 0x90, .addr = 0x9000 };
	race_status_read(d, &st, "shmem0.ctl1", 0);
	CU_ASSERT_EQUAL(acc(d, 1, 0, 4, false, 0, 0x94), 1);
	CU_ASSERT_EQUAL(race_reports(d, &(int){0})[0].kind, RACE_LOAD_BARRIER);
	race_status_read(d, &st, "shmem0.ctl1", 0);
	race_barrier(d, 1, false, true);
	CU_ASSERT_EQUAL(acc(d, 1, 0, 4, false, 0, 0x98), 0);
	race_status_read(d, &st, "shmem0.ctl1", 0);
	race_barrier(d, 1, true, false);               /* a store barrier does not order loads */
	CU_ASSERT_EQUAL(acc(d, 1, 0, 4, false, 0, 0x9c), 1);
	st.order = RACE_ACQUIRE;                       /* ldar of the status */
	race_status_read(d, &st, "shmem0.ctl1", 0);
	CU_ASSERT_EQUAL(acc(d, 1, 0, 4, false, 0, 0xa0), 0);
	race_free(d);
}

/* ---- fences (docs/races.md "Fences") ---------------------------------------- */

/* Message passing: a writes 16 bytes of data at 64, then the flag at 128;
 * b polls the flag (once before a's store, once after), then reads the
 * data. bar_w: a store barrier between a's data and flag; bar_r: a load
 * barrier between b's flag load and its data load. Returns the reports. */
static int message_passing(bool bar_w, bool bar_r, unsigned flag_len, unsigned flag_off)
{
	struct race_det *d = det();
	int found = 0;
	found += acc(d, 1, flag_off, flag_len, false, 0, 0x50);    /* reads 0 */
	found += acc(d, 1, flag_off, flag_len, false, 0, 0x50);
	found += acc(d, 0, 64, 8, true, 0, 0x10);
	found += acc(d, 0, 72, 8, true, 0, 0x10);
	if (bar_w)
		found += race_barrier(d, 0, true, false);
	found += acc(d, 0, flag_off, flag_len, true, 0, 0x14);     /* flag = 1 */
	found += acc(d, 1, flag_off, flag_len, false, 0, 0x54);    /* reads 1 */
	if (bar_r)
		found += race_barrier(d, 1, false, true);
	found += acc(d, 1, 64, 8, false, 0, 0x58);
	found += acc(d, 1, 72, 8, false, 0, 0x58);
	found += race_finish(d);
	CU_ASSERT_EQUAL(found, n_reports(d));
	race_free(d);
	return found;
}

static bool has_pair(struct race_det *d, uint64_t pc1, uint64_t pc2)
{
	int n;
	const struct race_report *r = race_reports(d, &n);
	for (int i = 0; i < n; i++)
		if (r[i].kind == RACE_DATA && r[i].first.pc == pc1 && r[i].second.pc == pc2)
			return true;
	return false;
}

static void test_fence_message_passing(void)
{
	/* dmb ishst before the flag store, dmb ishld after the flag load: the
	 * flag accesses are relaxed atomics, the fences synchronise: nothing */
	CU_ASSERT_EQUAL(message_passing(true, true, 4, 128), 0);
	CU_ASSERT_EQUAL(message_passing(true, true, 8, 128), 0);
	CU_ASSERT_EQUAL(message_passing(true, true, 1, 131), 0);
	/* no barrier on either side: the flag races (the poll before the set,
	 * the set before the poll that sees it: two pairs) and so does the data */
	CU_ASSERT_EQUAL(message_passing(false, false, 4, 128), 3);
	/* only one side fenced: the same three */
	CU_ASSERT_EQUAL(message_passing(true, false, 4, 128), 3);
	CU_ASSERT_EQUAL(message_passing(false, true, 4, 128), 3);
	/* a flag that is not single-copy atomic (misaligned, or wider than 8
	 * bytes) is a plain access whatever the fences */
	CU_ASSERT_EQUAL(message_passing(true, true, 4, 130), 3);
	CU_ASSERT_EQUAL(message_passing(true, true, 16, 128), 3);
}

static void test_fence_reports_pcs(void)
{
	/* without barriers: the flag pair (poll, set) and the data pair */
	struct race_det *d = det();
	acc(d, 1, 128, 4, false, 0, 0x50);
	acc(d, 0, 64, 8, true, 0, 0x10);
	CU_ASSERT_EQUAL(acc(d, 0, 128, 4, true, 0, 0x14), 1);   /* plain store: now */
	acc(d, 1, 128, 4, false, 0, 0x54);
	CU_ASSERT_EQUAL(acc(d, 1, 64, 8, false, 0, 0x58), 1);
	CU_ASSERT(has_pair(d, 0x50, 0x14));
	CU_ASSERT(has_pair(d, 0x10, 0x58));
	race_free(d);
	/* writer fenced, reader not: the flag pair waits for the reader's
	 * verdict (its next access) and is reported then */
	d = det();
	acc(d, 1, 128, 4, false, 0, 0x50);
	acc(d, 0, 64, 8, true, 0, 0x10);
	race_barrier(d, 0, true, false);
	CU_ASSERT_EQUAL(acc(d, 0, 128, 4, true, 0, 0x14), 0);
	CU_ASSERT_EQUAL(acc(d, 1, 128, 4, false, 0, 0x54), 0);
	CU_ASSERT_EQUAL(acc(d, 1, 64, 8, false, 0, 0x58), 3);
	CU_ASSERT(has_pair(d, 0x50, 0x14));
	CU_ASSERT(has_pair(d, 0x14, 0x54));
	CU_ASSERT(has_pair(d, 0x10, 0x58));
	race_free(d);
}

static void test_fence_first_store_only(void)
{
	/* the store barrier covers the next shared store only: a second store
	 * after it is plain, and not ordered before the reader's loads */
	struct race_det *d = det();
	acc(d, 0, 64, 8, true, 0, 0x10);
	race_barrier(d, 0, true, false);
	acc(d, 0, 128, 4, true, 0, 0x14);          /* flag: relaxed atomic */
	acc(d, 0, 72, 8, true, 0, 0x18);           /* after the fence: plain */
	acc(d, 1, 128, 4, false, 0, 0x50);
	race_barrier(d, 1, false, true);
	CU_ASSERT_EQUAL(acc(d, 1, 64, 8, false, 0, 0x54), 0);
	CU_ASSERT_EQUAL(acc(d, 1, 72, 8, false, 0, 0x58), 1);
	CU_ASSERT_EQUAL(race_finish(d), 0);
	CU_ASSERT(has_pair(d, 0x18, 0x58));
	race_free(d);
}

/* a: data at 64 (pc 0x10), a barrier ordering stores (st) and/or loads
 * (ld), the flag at 128 (pc 0x14). */
static void fenced_write(struct race_det *d, bool st, bool ld)
{
	acc(d, 0, 64, 8, true, 0, 0x10);
	race_barrier(d, 0, st, ld);
	acc(d, 0, 128, 4, true, 0, 0x14);
}

/* b: the flag (pc 0x50), a barrier, the data (pc 0x54), the end of the run. */
static void fenced_read(struct race_det *d, bool st, bool ld)
{
	acc(d, 1, 128, 4, false, 0, 0x50);
	race_barrier(d, 1, st, ld);
	acc(d, 1, 64, 8, false, 0, 0x54);
	race_finish(d);
}

static void test_fence_kinds(void)
{
	/* a load barrier is no release fence, a store barrier no acquire fence */
	struct race_det *d = det();
	fenced_write(d, false, true);
	fenced_read(d, true, false);
	CU_ASSERT(has_pair(d, 0x14, 0x50));
	CU_ASSERT(has_pair(d, 0x10, 0x54));
	race_free(d);
	/* a full barrier is both */
	d = det();
	fenced_write(d, true, true);
	fenced_read(d, true, true);
	CU_ASSERT_EQUAL(n_reports(d), 0);
	race_free(d);
}

static void test_fence_broken_by_access(void)
{
	/* the candidate run is the last loads of one location: another shared
	 * access before the load barrier makes them plain */
	struct race_det *d = det();
	fenced_write(d, true, false);
	acc(d, 1, 128, 4, false, 0, 0x50);
	acc(d, 1, 200, 4, false, 0, 0x52);         /* another location first */
	race_barrier(d, 1, false, true);
	acc(d, 1, 64, 8, false, 0, 0x54);
	race_finish(d);
	CU_ASSERT(has_pair(d, 0x14, 0x50));
	CU_ASSERT(has_pair(d, 0x10, 0x54));
	race_free(d);
	/* a device access (the doorbell) between the store barrier and the
	 * store: the barrier was the doorbell's, the store is plain */
	d = det();
	struct race_mem bell = { .actor = 0, .len = 4, .write = true, .pc = 0x80, .addr = 0x9008 };
	acc(d, 0, 64, 8, true, 0, 0x10);
	race_barrier(d, 0, true, false);
	race_doorbell(d, &bell, "shmem0.ctl0", 8);
	acc(d, 0, 128, 4, true, 0, 0x14);
	fenced_read(d, false, true);
	CU_ASSERT(has_pair(d, 0x14, 0x50));
	CU_ASSERT(has_pair(d, 0x10, 0x54));
	race_free(d);
}

static void test_fence_reads_from(void)
{
	/* the acquire fence synchronises with the release the last load read
	 * from: a load that saw the old flag (before the writer's store) and a
	 * load barrier after it order nothing of the writer */
	struct race_det *d = det();
	acc(d, 1, 128, 4, false, 0, 0x50);         /* reads 0 */
	acc(d, 0, 64, 8, true, 0, 0x10);
	race_barrier(d, 0, true, false);
	acc(d, 0, 128, 4, true, 0, 0x14);          /* flag = 1, a relaxed atomic */
	race_barrier(d, 1, false, true);           /* b's barrier after reading 0 */
	CU_ASSERT_EQUAL(acc(d, 1, 64, 8, false, 0, 0x54), 1);
	CU_ASSERT(has_pair(d, 0x10, 0x54));
	CU_ASSERT_FALSE(has_pair(d, 0x50, 0x14));  /* both flag accesses atomic */
	race_free(d);
}

static void test_kind_names(void)
{
	for (int k = RACE_DATA; k <= RACE_LOAD_BARRIER; k++)
		CU_ASSERT_EQUAL(race_kind_parse(race_kind_name((enum race_kind)k)), k);
	CU_ASSERT_EQUAL(race_kind_parse("race"), -1);
}

static CU_TestInfo race_tests[] = {
	{ "unordered write then read: one report, both sides", test_unordered_write_read },
	{ "disjoint bytes, two reads, same actor: nothing", test_disjoint_and_reads },
	{ "notify then interrupt orders only what came before", test_notify_orders },
	{ "device requests order; the host is an actor", test_device_and_host },
	{ "atomics: both atomic, release/acquire, relaxed", test_atomics },
	{ "missing store barrier before the doorbell", test_store_barrier },
	{ "missing load barrier after a status read", test_load_barrier },
	{ "fences: message passing with dmb ishst / dmb ishld", test_fence_message_passing },
	{ "fences: the pairs reported, and when", test_fence_reports_pcs },
	{ "fences: a store barrier covers the next store only", test_fence_first_store_only },
	{ "fences: load barrier no release, store barrier no acquire, full both",
	  test_fence_kinds },
	{ "fences: another access or a device access breaks the pairing",
	  test_fence_broken_by_access },
	{ "fences: the acquire takes what the load read from", test_fence_reads_from },
	{ "kind names round-trip", test_kind_names },
	CU_TEST_INFO_NULL,
};

UNIT_SUITE("race", race_tests);
