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
	CU_ASSERT_EQUAL(acc(d, 0, 0, 4, false, 0, 0x30), 1);
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
	{ "kind names round-trip", test_kind_names },
	CU_TEST_INFO_NULL,
};

UNIT_SUITE("race", race_tests);
