/* test_runner.c - finding scenario files (sorting, directories, shards) and
 * running them in long-lived worker processes with results in file order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <CUnit/CUnit.h>
#include "tests/unit.h"
#include "conformance/runner.h"

static void test_collect_sorts_and_expands(void)
{
	const char *paths[] = { "scenarios/sched", "scenarios/platform/hello.json", "nope.json" };
	struct file_list l;
	CU_ASSERT_EQUAL_FATAL(runner_collect(paths, 3, 0, 0, &l), 0);
	/* eight-vms, random-seeds (from the directory), hello, nope: bytewise. */
	CU_ASSERT_EQUAL_FATAL(l.n, 4);
	CU_ASSERT_STRING_EQUAL(l.v[0], "nope.json");
	CU_ASSERT_STRING_EQUAL(l.v[1], "scenarios/platform/hello.json");
	CU_ASSERT_STRING_EQUAL(l.v[2], "scenarios/sched/eight-vms.json");
	CU_ASSERT_STRING_EQUAL(l.v[3], "scenarios/sched/random-seeds.json");
	file_list_free(&l);
}

static void test_collect_shards_partition(void)
{
	const char *paths[] = { "scenarios" };
	struct file_list all, s1, s2, s3;
	CU_ASSERT_EQUAL_FATAL(runner_collect(paths, 1, 0, 0, &all), 0);
	CU_ASSERT_EQUAL_FATAL(runner_collect(paths, 1, 1, 3, &s1), 0);
	CU_ASSERT_EQUAL_FATAL(runner_collect(paths, 1, 2, 3, &s2), 0);
	CU_ASSERT_EQUAL_FATAL(runner_collect(paths, 1, 3, 3, &s3), 0);
	CU_ASSERT(all.n > 100);
	CU_ASSERT_EQUAL(s1.n + s2.n + s3.n, all.n);
	/* File i (from 0) belongs to slice i mod N + 1. */
	for (int i = 0; i < all.n; i++) {
		struct file_list *s = i % 3 == 0 ? &s1 : i % 3 == 1 ? &s2 : &s3;
		CU_ASSERT_STRING_EQUAL(s->v[i / 3], all.v[i]);
	}
	file_list_free(&all);
	file_list_free(&s1);
	file_list_free(&s2);
	file_list_free(&s3);
}

static int order_seen[8], n_seen;

static void seen(void *ctx, const struct sc_result *r)
{
	struct sc_result *base = ctx;
	if (n_seen < 8)
		order_seen[n_seen++] = (int)(r - base);
}

static void test_run_in_workers_in_order(void)
{
	const char *paths[] = { "scenarios/sched/eight-vms.json", "nope.json",
				"scenarios/platform/hello.json", "scenarios/faults/deadlock.json" };
	struct file_list l;
	struct sc_result res[4];
	struct engine_opts eo = { .argv0 = "hvsim" };
	eo.ov.guest_dir = "build/guests";
	CU_ASSERT_EQUAL_FATAL(runner_collect(paths, 4, 0, 0, &l), 0);
	memset(res, 0, sizeof(res));
	n_seen = 0;
	struct runner rn = { .jobs = 2, .eo = &eo, .on_result = seen, .ctx = res };
	CU_ASSERT_EQUAL(runner_run(&rn, &l, res), 0);
	CU_ASSERT_EQUAL(n_seen, 4);
	for (int i = 0; i < 4; i++)
		CU_ASSERT_EQUAL(order_seen[i], i);     /* handed back in file order */
	CU_ASSERT_EQUAL(res[0].status, SC_ERROR);  /* nope.json */
	CU_ASSERT_PTR_NOT_NULL(res[0].reason && strstr(res[0].reason, "nope.json: cannot open"));
	CU_ASSERT_EQUAL(res[1].status, SC_PASS);   /* deadlock (expected) */
	CU_ASSERT_EQUAL(res[2].status, SC_PASS);   /* hello */
	CU_ASSERT_EQUAL(res[3].status, SC_PASS);   /* eight-vms */
	CU_ASSERT_STRING_EQUAL(res[3].name, "eight-vms");
	for (int i = 0; i < 4; i++)
		result_free(&res[i]);
	file_list_free(&l);
}

/* A scenario that spins for over an hour of host time is stopped by its
 * wall-clock budget as an ERROR naming it; the file after it (run by the
 * same single worker slot, so after the timeout) still passes. */
static void test_timeout_stops_hung_scenario(void)
{
	char *v[] = { (char *)"tests/timeout-scenarios/loop-forever.json",
		      (char *)"scenarios/platform/hello.json" };
	struct file_list two = { .v = v, .n = 2, .cap = 2 };
	struct sc_result res[2];
	struct engine_opts eo = { .argv0 = "hvsim" };
	eo.ov.guest_dir = "build/guests";
	memset(res, 0, sizeof(res));
	struct runner rn = { .jobs = 1, .eo = &eo, .timeout_s = 2 };
	time_t t0 = time(NULL);
	alarm(60);   /* a guard: a hang here ends the test run, never stalls it */
	CU_ASSERT_EQUAL(runner_run(&rn, &two, res), 0);
	alarm(0);
	time_t took = time(NULL) - t0;
	CU_ASSERT(took >= 1 && took <= 10);
	CU_ASSERT_EQUAL(res[0].status, SC_ERROR);
	CU_ASSERT_PTR_NOT_NULL_FATAL(res[0].reason);
	CU_ASSERT_STRING_EQUAL(res[0].reason,
			       "tests/timeout-scenarios/loop-forever.json: timed out after 2 s");
	CU_ASSERT_EQUAL(res[1].status, SC_PASS);
	for (int i = 0; i < 2; i++)
		result_free(&res[i]);
}

/* -x: the first failure in file order stops the run. With two workers the
 * one still spinning (a scenario that would run for an hour) is ended at
 * once, nothing after the failure is handed back or counted, and no
 * temporary file is left behind. */
static void test_exitfirst_stops(void)
{
	char *v[] = { (char *)"a-missing.json", (char *)"tests/timeout-scenarios/loop-forever.json",
		      (char *)"scenarios/platform/hello.json" };
	struct file_list three = { .v = v, .n = 3, .cap = 3 };
	struct sc_result res[3];
	struct engine_opts eo = { .argv0 = "hvsim" };
	eo.ov.guest_dir = "build/guests";
	memset(res, 0, sizeof(res));
	n_seen = 0;
	int ran = -1;
	char trace[] = "/tmp/hvsim-x-trace-XXXXXX";
	int fd = mkstemp(trace);
	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	struct runner rn = { .jobs = 2, .eo = &eo, .on_result = seen, .ctx = res,
			     .exitfirst = true, .n_ran = &ran, .trace = fopen(trace, "w") };
	time_t t0 = time(NULL);
	alarm(60);   /* a guard: a hang here ends the test run, never stalls it */
	CU_ASSERT_EQUAL(runner_run(&rn, &three, res), 0);
	alarm(0);
	fclose(rn.trace);
	CU_ASSERT(time(NULL) - t0 <= 10);
	CU_ASSERT_EQUAL(ran, 1);
	CU_ASSERT_EQUAL(n_seen, 1);
	CU_ASSERT_EQUAL(res[0].status, SC_ERROR);
	CU_ASSERT_PTR_NULL(res[1].name);           /* not run: left zeroed */
	CU_ASSERT_PTR_NULL(res[2].name);
	char tmp[96];
	for (int i = 0; i < 3; i++) {
		snprintf(tmp, sizeof(tmp), "/tmp/hvsim-%d-%d.json.part", (int)getpid(), i);
		CU_ASSERT_NOT_EQUAL(access(tmp, F_OK), 0);
		tmp[strlen(tmp) - 5] = 0;
		CU_ASSERT_NOT_EQUAL(access(tmp, F_OK), 0);
	}
	/* the trace has the failing file's header only */
	FILE *f = fopen(trace, "r");
	char line[256] = "";
	CU_ASSERT_PTR_NOT_NULL(f && fgets(line, sizeof(line), f));
	CU_ASSERT_STRING_EQUAL(line, "{\"scenario\":\"a-missing.json\",\"file\":\"a-missing.json\"}\n");
	CU_ASSERT_PTR_NULL(f ? fgets(line, sizeof(line), f) : NULL);
	if (f)
		fclose(f);
	unlink(trace);
	result_free(&res[0]);
}

/* The trace's scenario header is JSON: quotes, backslashes and control
 * characters in a name or path are escaped. */
static void test_trace_header_escapes(void)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(runner_trace_header(m, "hello", "scenarios/platform/hello.json"), 0);
	CU_ASSERT_EQUAL(runner_trace_header(m, "a\"b\\c\nd", "dir \"x\"/\t.json"), 0);
	CU_ASSERT_EQUAL(runner_trace_header(m, NULL, "f.json"), 0);
	fclose(m);
	CU_ASSERT_STRING_EQUAL(text,
		"{\"scenario\":\"hello\",\"file\":\"scenarios/platform/hello.json\"}\n"
		"{\"scenario\":\"a\\\"b\\\\c\\nd\",\"file\":\"dir \\\"x\\\"/\\t.json\"}\n"
		"{\"scenario\":null,\"file\":\"f.json\"}\n");
	free(text);
}

/* A link back to a parent directory is walked once: no endless recursion. */
static void test_collect_survives_a_link_loop(void)
{
	char dir[] = "/tmp/hvsim-test-loop-XXXXXX", sub[128], file[160], link[160];
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(sub, sizeof(sub), "%s/a", dir);
	snprintf(file, sizeof(file), "%s/x.json", sub);
	snprintf(link, sizeof(link), "%s/up", sub);
	CU_ASSERT_EQUAL_FATAL(mkdir(sub, 0700), 0);
	FILE *f = fopen(file, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fclose(f);
	CU_ASSERT_EQUAL_FATAL(symlink(dir, link), 0);   /* a/up -> the top */
	alarm(20);   /* a regression would recurse until the path is too long, or hang */
	struct file_list l = {0};
	const char *paths[] = { dir };
	CU_ASSERT_EQUAL(runner_collect(paths, 1, 0, 0, &l), 0);
	alarm(0);
	CU_ASSERT_EQUAL(l.n, 1);
	if (l.n >= 1)
		CU_ASSERT_STRING_EQUAL(l.v[0], file);
	file_list_free(&l);
	remove(link);
	remove(file);
	rmdir(sub);
	rmdir(dir);
}

/* The event log of one run of `v` (n files, one worker), as text. */
static char *trace_of(char **v, int n)
{
	char *text = NULL;
	size_t len = 0;
	struct file_list l = { .v = v, .n = n, .cap = n };
	struct sc_result res[8];
	struct engine_opts eo = { .argv0 = "hvsim" };
	eo.ov.guest_dir = "build/guests";
	memset(res, 0, sizeof(res));
	struct runner rn = { .jobs = 1, .eo = &eo, .trace = open_memstream(&text, &len) };
	CU_ASSERT_PTR_NOT_NULL_FATAL(rn.trace);
	CU_ASSERT_EQUAL(runner_run(&rn, &l, res), 0);
	fclose(rn.trace);
	for (int i = 0; i < n; i++) {
		CU_ASSERT_EQUAL(res[i].status, SC_PASS);
		result_free(&res[i]);
	}
	return text;
}

/* The events of `file` in a trace of several files: the lines after its
 * header up to the next header (malloc'd, "" when absent). */
static char *section(const char *trace, const char *file)
{
	char head[256];
	snprintf(head, sizeof(head), "\"file\":\"%s\"}\n", file);
	const char *at = strstr(trace, head);
	if (!at)
		return strdup("");
	at += strlen(head);
	const char *end = strstr(at, "\n{\"scenario\":");
	size_t n = end ? (size_t)(end - at) + 1 : strlen(at);
	return strndup(at, n);
}

/* One worker runs file after file: each file's event log is the one it has
 * run alone (its own worker), whatever ran before it in that worker, in
 * either order. A machine of race mode, shared memory and interrupts, PCI,
 * and eight VMs with random schedules: state a run left behind (in sim/,
 * vdev/ or the engine) would show in the next one's log. */
static void test_worker_reuse_keeps_logs(void)
{
	char *fwd[] = { (char *)"scenarios/datarace/flag-poll-plain.json",
			(char *)"scenarios/clients/hab-channels.json",
			(char *)"scenarios/pci/bar-relocate-old-faults.json",
			(char *)"scenarios/irq/shared-intid-wired-or.json",
			(char *)"scenarios/sched/random-seeds.json" };
	enum { N = sizeof(fwd) / sizeof(fwd[0]) };
	char *rev[N];
	for (int i = 0; i < N; i++)
		rev[i] = fwd[N - 1 - i];
	char *all_fwd = trace_of(fwd, N), *all_rev = trace_of(rev, N);
	CU_ASSERT_PTR_NOT_NULL_FATAL(all_fwd);
	CU_ASSERT_PTR_NOT_NULL_FATAL(all_rev);
	for (int i = 0; i < N; i++) {
		char *alone = trace_of(&fwd[i], 1);
		char *a = section(all_fwd, fwd[i]), *b = section(all_rev, fwd[i]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(alone);
		CU_ASSERT(strlen(alone) > 1000);   /* a real log, not an empty match */
		CU_ASSERT_STRING_EQUAL(a, alone);
		CU_ASSERT_STRING_EQUAL(b, alone);
		free(alone);
		free(a);
		free(b);
	}
	free(all_fwd);
	free(all_rev);
}

static CU_TestInfo runner_tests[] = {
	{ "collect: a link loop is walked once", test_collect_survives_a_link_loop },
	{ "collect: directories expanded, sorted bytewise", test_collect_sorts_and_expands },
	{ "collect: shards partition the suite", test_collect_shards_partition },
	{ "run: worker processes, results in file order", test_run_in_workers_in_order },
	{ "run: --timeout ends a hung scenario, the next passes", test_timeout_stops_hung_scenario },
	{ "run: -x stops at the first failure, ends the other workers", test_exitfirst_stops },
	{ "trace: the scenario header line is escaped JSON", test_trace_header_escapes },
	{ "run: a file's log does not depend on what its worker ran before",
	  test_worker_reuse_keeps_logs },
	CU_TEST_INFO_NULL,
};
UNIT_SUITE("runner", runner_tests);
