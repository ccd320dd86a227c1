/* test_merge.c - shards of an exploration joined as one: the union of the
 * shards runs exactly the serial search's schedules and finds its failure.
 * Uses the guests built by `make all`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tests/unit.h"
#include "conformance/explore.h"
#include "conformance/merge.h"
#include "conformance/result_json.h"
#include "reports/report.h"

static struct engine_opts opts(void)
{
	struct engine_opts o = { .argv0 = "hvsim" };
	o.ov.guest_dir = "build/guests";
	return o;
}

/* Explore `path` in n shards into rs[0..n), and serially into *serial. */
static void shards(const char *path, uint32_t n, struct sc_result *rs, struct sc_result *serial)
{
	struct engine_opts o = opts();
	struct explore_stats st;
	for (uint32_t k = 1; k <= n; k++) {
		struct explore_cfg cfg = { .jobs = 1, .shard_k = k, .shard_n = n };
		CU_ASSERT_EQUAL(explore_file(path, &o, &cfg, &rs[k - 1], &st), 0);
		CU_ASSERT_EQUAL(rs[k - 1].explore.shard_k, k);
		CU_ASSERT_EQUAL(rs[k - 1].explore.shard_n, n);
	}
	struct explore_cfg one = { .jobs = 1 };
	CU_ASSERT_EQUAL(explore_file(path, &o, &one, serial, &st), 0);
}

static void free_all(struct sc_result *rs, int n)
{
	for (int i = 0; i < n; i++)
		result_free(&rs[i]);
}

static void test_shards_add_up_to_the_serial_search(void)
{
	struct sc_result rs[3], serial, *out = NULL;
	int m = 0;
	char err[256];
	shards("scenarios/races/create-race-sizes.json", 3, rs, &serial);
	CU_ASSERT_EQUAL(serial.explore.runs, 365);
	for (int k = 0; k < 3; k++) {
		CU_ASSERT_EQUAL(rs[k].status, SC_PASS);
		CU_ASSERT(rs[k].explore.runs > 100 && rs[k].explore.runs < 365);
	}
	CU_ASSERT_EQUAL_FATAL(merge_results(rs, 3, &out, &m, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(m, 1);
	CU_ASSERT_EQUAL(out[0].status, SC_PASS);
	CU_ASSERT_EQUAL(out[0].explore.runs, serial.explore.runs);
	CU_ASSERT_EQUAL(out[0].explore.digest, serial.explore.digest);
	CU_ASSERT_EQUAL(out[0].explore.shard_n, 1);
	free_all(out, m);
	free(out);
	result_free(&serial);
}

static void test_shards_find_the_serial_failure(void)
{
	struct sc_result rs[3], serial, *out = NULL;
	int m = 0;
	char err[256];
	shards("examples/checkset-race.json", 3, rs, &serial);
	CU_ASSERT_EQUAL(serial.status, SC_FAIL);
	CU_ASSERT_EQUAL_FATAL(merge_results(rs, 3, &out, &m, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(m, 1);
	CU_ASSERT_EQUAL(out[0].status, SC_FAIL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out[0].schedule);
	CU_ASSERT_PTR_NOT_NULL_FATAL(serial.schedule);
	CU_ASSERT_STRING_EQUAL(out[0].schedule, serial.schedule);
	free_all(out, m);
	free(out);
	result_free(&serial);
}

/* A missing shard is INCOMPLETE; a shard given twice is an error; results
 * that are not shards pass through in order; the --json report reads back. */
static void test_missing_and_repeated_shards(void)
{
	struct sc_result rs[2], serial, *out = NULL, extra[3];
	int m = 0;
	char err[256] = "";
	shards("scenarios/races/create-race-sizes.json", 2, rs, &serial);
	result_free(&serial);

	/* Through the JSON report and back, with a non-shard result between. */
	memset(extra, 0, sizeof(extra));
	extra[0] = rs[0];
	extra[1].file = strdup("scenarios/x.json");
	extra[1].name = strdup("x");
	extra[1].status = SC_PASS;
	struct run_summary s = { .title = "t", .results = extra, .n = 2 };
	char path[] = "/tmp/hvsim-test-merge-XXXXXX";
	int fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL_FATAL(report_json(&s, path, err, sizeof(err)), 0);
	FILE *f = fopen(path, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	static char text[1 << 20];
	size_t len = fread(text, 1, sizeof(text) - 1, f);
	text[len] = 0;
	fclose(f);
	remove(path);
	struct sc_result *back = NULL;
	int nb = 0;
	CU_ASSERT_EQUAL_FATAL(results_from_report(text, &back, &nb, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(nb, 2);
	CU_ASSERT_TRUE(back[0].explore.present);
	CU_ASSERT_EQUAL(back[0].explore.shard_k, 1);
	CU_ASSERT_EQUAL(back[0].explore.digest, rs[0].explore.digest);
	CU_ASSERT_FALSE(back[1].explore.present);
	free_all(extra, 2);
	result_free(&rs[1]);

	CU_ASSERT_EQUAL_FATAL(merge_results(back, nb, &out, &m, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(m, 2);
	CU_ASSERT_EQUAL(out[0].status, SC_INCOMPLETE);
	CU_ASSERT_PTR_NOT_NULL(out[0].reason && strstr(out[0].reason, "shard 2/2 missing"));
	CU_ASSERT_STRING_EQUAL(out[1].name, "x");
	free_all(out, m);
	free(out);
	free_all(back, nb);
	free(back);

	CU_ASSERT_EQUAL(results_from_report("{\"results\": 3}", &back, &nb, err, sizeof(err)), -1);
	/* The same shard twice does not fit together. */
	struct sc_result twice[2] = {0};
	for (int i = 0; i < 2; i++) {
		twice[i].file = strdup("a.json");
		twice[i].status = SC_PASS;
		twice[i].explore = (struct sc_explore){ .present = true, .shard_k = 1, .shard_n = 2 };
	}
	CU_ASSERT_EQUAL(merge_results(twice, 2, &out, &m, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "shard 1/2 given twice"));
	free_all(twice, 2);
}

static CU_TestInfo merge_tests[] = {
	{ "explore shards add up to the serial search", test_shards_add_up_to_the_serial_search },
	{ "explore shards find the serial search's failure", test_shards_find_the_serial_failure },
	{ "missing and repeated shards, reports read back", test_missing_and_repeated_shards },
	CU_TEST_INFO_NULL,
};

UNIT_SUITE("merge", merge_tests);
