/* test_explore_races.c - the race reports of a search in several processes:
 * merged in any order, the set is the serial search's (each race with the
 * first schedule in serial order that showed it, in that order, the first
 * MAX_RACES distinct ones, none past the last schedule counted). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tests/unit.h"
#include "conformance/explore_races.h"

/* Schedule `no`'s result: race `id` of `kind` between a and b (swapped:
 * b first), its schedule string naming no. */
static void one_race(struct sc_result *r, struct race_rec *rec, uint64_t no, int id,
		     const char *kind, bool swapped)
{
	memset(rec, 0, sizeof(*rec));
	snprintf(rec->kind, sizeof(rec->kind), "%s", kind);
	snprintf(rec->first.vm, sizeof(rec->first.vm), "%s", swapped ? "b" : "a");
	snprintf(rec->second.vm, sizeof(rec->second.vm), "%s", swapped ? "a" : "b");
	rec->first.pc = swapped ? 0x2000 + id : 0x1000 + id;
	rec->second.pc = swapped ? 0x1000 + id : 0x2000 + id;
	snprintf(rec->schedule, sizeof(rec->schedule), "s%llu", (unsigned long long)no);
	memset(r, 0, sizeof(*r));
	r->races = rec;
	r->n_races = 1;
}

/* Schedules 0..n-1 each show race id[k] (swapped[k]); merged in the order
 * `perm`, applied up to `last`. */
static void merge_in(struct race_set *s, const int *id, const bool *swapped, const int *perm,
		     int n)
{
	memset(s, 0, sizeof(*s));
	for (int k = 0; k < n; k++) {
		struct sc_result r;
		struct race_rec rec;
		one_race(&r, &rec, (uint64_t)perm[k], id[perm[k]], "data-race", swapped[perm[k]]);
		race_set_merge(s, (uint64_t)perm[k], &r);
	}
}

/* Later schedules merged first: each race keeps its first showing (a data
 * race in the other order is the same), the set in serial order, and
 * schedules past `last` leave nothing. */
static void test_merged_backwards_as_serial(void)
{
	static const int id[6] = { 7, 3, 7, 5, 3, 9 };
	static const bool swapped[6] = { false, true, true, false, false, false };
	static const int back[6] = { 5, 4, 3, 2, 1, 0 }, serial[6] = { 0, 1, 2, 3, 4, 5 };
	struct race_set *s = calloc(2, sizeof(*s));
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	merge_in(&s[0], id, swapped, serial, 6);
	merge_in(&s[1], id, swapped, back, 6);
	struct sc_result r[2] = {0};
	for (int k = 0; k < 2; k++)
		race_set_apply(&r[k], &s[k], 3);   /* schedule 3 failed: the last counted */
	for (int k = 0; k < 2; k++) {
		CU_ASSERT_EQUAL_FATAL(r[k].n_races, 3);   /* 7, 3, 5: 9 is schedule 5's */
		CU_ASSERT_STRING_EQUAL(r[k].races[0].schedule, "s0");
		CU_ASSERT_EQUAL(r[k].races[0].first.pc, 0x1007);
		CU_ASSERT_STRING_EQUAL(r[k].races[1].schedule, "s1");
		CU_ASSERT_EQUAL(r[k].races[1].first.pc, 0x2003);   /* shown swapped there */
		CU_ASSERT_STRING_EQUAL(r[k].races[2].schedule, "s3");
		CU_ASSERT_EQUAL(r[k].races[2].first.pc, 0x1005);
		free(r[k].races);
	}
	free(s);
}

/* More distinct races than the set holds, merged backwards: the first
 * MAX_RACES in serial order, as the serial search keeps. */
static void test_full_set_keeps_the_first(void)
{
	enum { N = MAX_RACES + 9 };
	int id[N], perm[N], serial[N];
	bool swapped[N] = {0};
	for (int k = 0; k < N; k++) {
		id[k] = k;
		perm[k] = N - 1 - k;
		serial[k] = k;
	}
	struct race_set *s = calloc(2, sizeof(*s));
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	merge_in(&s[0], id, swapped, serial, N);
	merge_in(&s[1], id, swapped, perm, N);
	for (int k = 0; k < 2; k++) {
		struct sc_result r = {0};
		race_set_apply(&r, &s[k], UINT64_MAX);
		CU_ASSERT_EQUAL_FATAL(r.n_races, MAX_RACES);
		for (int i = 0; i < MAX_RACES; i++)
			CU_ASSERT_EQUAL(r.races[i].first.pc, 0x1000u + (unsigned)i);
		free(r.races);
	}
	free(s);
}

static CU_TestInfo explore_races_tests[] = {
	{ "race reports merged backwards: the serial set", test_merged_backwards_as_serial },
	{ "a full race set keeps the first in serial order", test_full_set_keeps_the_first },
	CU_TEST_INFO_NULL,
};

UNIT_SUITE("explore-races", explore_races_tests);
