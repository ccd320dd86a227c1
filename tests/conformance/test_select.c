/* test_select.c - scenario selection: -k expressions (grammar, precedence,
 * errors), scenario metadata read without running, the --last-failed state
 * file (merge of a partial run), and sel_filter. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <CUnit/CUnit.h>
#include "tests/unit.h"
#include "conformance/select.h"

/* A scenario's metadata by hand; its clause array lives in a pool so that
 * each one made in a test has its own. */
static struct sel_meta meta(const char *name, const char *area, const char *c1, const char *c2)
{
	static char *pool[64][2];
	static int used;
	char **cl = pool[used++ % 64];
	struct sel_meta m = { .name = (char *)name, .area = (char *)area, .clauses = cl };
	cl[0] = (char *)c1;
	cl[1] = (char *)c2;
	m.n_clauses = c2 ? 2 : c1 ? 1 : 0;
	return m;
}

/* Whether EXPR selects m; aborts the test on a parse error. */
static int k(const char *expr, const struct sel_meta *m)
{
	char err[256];
	struct sel_expr *e = sel_parse(expr, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL(e);
	if (!e) {
		fprintf(stderr, "\n%s: %s\n", expr, err);
		return -1;
	}
	int r = sel_match(e, m);
	sel_free(e);
	return r;
}

static void test_k_words(void)
{
	struct sel_meta m = meta("notify-coalesce", "notify", "NTF-3", "IRQ-2");
	CU_ASSERT_EQUAL(k("coalesce", &m), 1);      /* name */
	CU_ASSERT_EQUAL(k("notify", &m), 1);        /* area (and name) */
	CU_ASSERT_EQUAL(k("NTF-3", &m), 1);         /* clause */
	CU_ASSERT_EQUAL(k("ntf-3", &m), 1);         /* case-insensitive */
	CU_ASSERT_EQUAL(k("IRQ", &m), 1);           /* substring of a clause */
	CU_ASSERT_EQUAL(k("gic", &m), 0);
	struct sel_meta g = meta("edge-pending", "gic", NULL, NULL);
	CU_ASSERT_EQUAL(k("gic", &g), 1);           /* area only */
	CU_ASSERT_EQUAL(k("NTF", &g), 0);
}

static void test_k_operators(void)
{
	struct sel_meta a = meta("edge-pending", "gic", "GIC-3", NULL);
	struct sel_meta b = meta("level-hold", "gic", "GIC-4", NULL);
	struct sel_meta c = meta("create-race", "races", "CRE-7", NULL);
	CU_ASSERT_EQUAL(k("not edge", &a), 0);
	CU_ASSERT_EQUAL(k("not edge", &b), 1);
	CU_ASSERT_EQUAL(k("gic and not edge", &a), 0);
	CU_ASSERT_EQUAL(k("gic and not edge", &b), 1);
	CU_ASSERT_EQUAL(k("gic and not edge", &c), 0);
	CU_ASSERT_EQUAL(k("CRE-7 or edge", &a), 1);
	CU_ASSERT_EQUAL(k("CRE-7 or edge", &b), 0);
	CU_ASSERT_EQUAL(k("CRE-7 or edge", &c), 1);
	/* and binds tighter than or: (races and level) or edge */
	CU_ASSERT_EQUAL(k("races and level or edge", &a), 1);
	CU_ASSERT_EQUAL(k("races and level or edge", &c), 0);
	/* parentheses: races and (level or create) */
	CU_ASSERT_EQUAL(k("races and (level or create)", &c), 1);
	CU_ASSERT_EQUAL(k("races and (level or edge)", &c), 0);
	CU_ASSERT_EQUAL(k("not not gic", &a), 1);
	CU_ASSERT_EQUAL(k("not (gic or races)", &c), 0);
	CU_ASSERT_EQUAL(k("  gic   and\tGIC-4 ", &b), 1);
}

static void test_k_errors(void)
{
	const char *bad[][2] = {
		{ "", "-k: empty expression" },
		{ "   ", "-k: empty expression" },
		{ "gic and", "-k: expected a word after 'and'" },
		{ "gic or", "-k: expected a word after 'or'" },
		{ "not", "-k: expected a word after 'not'" },
		{ "and gic", "-k: unexpected 'and'" },
		{ "gic edge", "-k: unexpected 'edge'" },
		{ "(gic", "-k: expected ')'" },
		{ "gic)", "-k: unexpected ')'" },
		{ "()", "-k: unexpected ')'" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char err[256] = "";
		struct sel_expr *e = sel_parse(bad[i][0], err, sizeof(err));
		CU_ASSERT_PTR_NULL(e);
		sel_free(e);
		CU_ASSERT_STRING_EQUAL(err, bad[i][1]);
		if (strcmp(err, bad[i][1]))
			fprintf(stderr, "\n'%s': got '%s'\n", bad[i][0], err);
	}
}

static void test_meta_read(void)
{
	struct sel_meta m;
	CU_ASSERT_EQUAL_FATAL(sel_meta_read("scenarios/platform/hello.json", &m), 0);
	CU_ASSERT(m.readable);
	CU_ASSERT_STRING_EQUAL(m.name, "hello");
	CU_ASSERT_STRING_EQUAL(m.area, "platform");
	CU_ASSERT_EQUAL_FATAL(m.n_clauses, 2);
	CU_ASSERT_STRING_EQUAL(m.clauses[0], "PLT-1");
	CU_ASSERT_STRING_EQUAL(m.clauses[1], "PLT-2");
	sel_meta_free(&m);
	/* unreadable: the name is the file's, the area its directory */
	CU_ASSERT_EQUAL_FATAL(sel_meta_read("nowhere/missing-one.json", &m), 0);
	CU_ASSERT(!m.readable);
	CU_ASSERT_STRING_EQUAL(m.name, "missing-one");
	CU_ASSERT_STRING_EQUAL(m.area, "nowhere");
	CU_ASSERT_EQUAL(m.n_clauses, 0);
	sel_meta_free(&m);
	CU_ASSERT_EQUAL_FATAL(sel_meta_read("top.json", &m), 0);
	CU_ASSERT_STRING_EQUAL(m.area, "misc");
	sel_meta_free(&m);
}

static void test_lastfailed(void)
{
	char state[] = "/tmp/hvsim-lastfailed-XXXXXX";
	int fd = mkstemp(state);
	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	unlink(state);
	struct file_list lf;
	/* no state yet: an empty list */
	CU_ASSERT_EQUAL_FATAL(sel_lastfailed_read(state, &lf), 0);
	CU_ASSERT_EQUAL(lf.n, 0);
	file_list_free(&lf);

	char *ran[] = { "scenarios/platform/hello.json", "scenarios/gic/../platform/exit-codes.json",
			"gone.json" };
	bool failed[] = { true, true, false };
	CU_ASSERT_EQUAL_FATAL(sel_lastfailed_update(state, ran, failed, 3), 0);
	CU_ASSERT_EQUAL_FATAL(sel_lastfailed_read(state, &lf), 0);
	CU_ASSERT_EQUAL(lf.n, 2);
	CU_ASSERT(lf.n && lf.v[0][0] == '/');         /* absolute: any spelling finds it */
	CU_ASSERT(sel_lastfailed_has(&lf, "scenarios/platform/hello.json"));
	CU_ASSERT(sel_lastfailed_has(&lf, "./scenarios/platform/exit-codes.json"));
	CU_ASSERT(!sel_lastfailed_has(&lf, "gone.json"));
	file_list_free(&lf);

	/* a partial run: hello passes now, exit-codes did not run and stays,
	 * a missing file that errored enters as given */
	char *ran2[] = { "scenarios/platform/hello.json", "gone.json" };
	bool failed2[] = { false, true };
	CU_ASSERT_EQUAL_FATAL(sel_lastfailed_update(state, ran2, failed2, 2), 0);
	CU_ASSERT_EQUAL_FATAL(sel_lastfailed_read(state, &lf), 0);
	CU_ASSERT_EQUAL(lf.n, 2);
	CU_ASSERT(!sel_lastfailed_has(&lf, "scenarios/platform/hello.json"));
	CU_ASSERT(sel_lastfailed_has(&lf, "scenarios/platform/exit-codes.json"));
	CU_ASSERT(sel_lastfailed_has(&lf, "gone.json"));
	file_list_free(&lf);

	/* the state cannot be written: -1, nothing left behind */
	CU_ASSERT_EQUAL(sel_lastfailed_update("/nonexistent-dir/state", ran2, failed2, 2), -1);
	unlink(state);
}

static void test_filter(void)
{
	struct file_list l = {0};
	const char *paths[] = { "a.json", "b.json", "c.json" };
	CU_ASSERT_EQUAL_FATAL(runner_collect(paths, 3, 0, 0, &l), 0);
	bool keep[] = { false, true, false };
	sel_filter(&l, keep);
	CU_ASSERT_EQUAL_FATAL(l.n, 1);
	CU_ASSERT_STRING_EQUAL(l.v[0], "b.json");
	file_list_free(&l);
}

static CU_TestInfo select_tests[] = {
	{ "-k: words match name, area or clause, any case", test_k_words },
	{ "-k: not, and, or, parentheses, precedence", test_k_operators },
	{ "-k: malformed expressions say what is wrong", test_k_errors },
	{ "metadata read without running", test_meta_read },
	{ "--last-failed state: absolute paths, partial runs merge", test_lastfailed },
	{ "filter keeps order", test_filter },
	CU_TEST_INFO_NULL,
};
UNIT_SUITE("select", select_tests);
