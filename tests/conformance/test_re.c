/* test_re.c - console regexes (conformance/re.c): POSIX-like semantics for
 * the suite's patterns, refused patterns, and matches that give up in time
 * instead of backtracking for hours (issue 13). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "tests/unit.h"
#include "tests/deadline.h"
#include "conformance/re.h"

static char err[512];

static int match(const char *pat, const char *s)
{
	struct re *re = re_compile(pat, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL(re);
	if (!re)
		return -2;
	int m = re_match(re, s, strlen(s), err, sizeof(err));
	re_free(re);
	return m;
}

static void test_semantics(void)
{
	CU_ASSERT_EQUAL(match("hello from vm [0-9]+ of 2", "x\nhello from vm 12 of 2\n"), 1);
	CU_ASSERT_EQUAL(match("vm0 sees (4|8) pages", "vm0 sees 8 pages\n"), 1);
	CU_ASSERT_EQUAL(match("id [0-9a-f]{8} class", "id 1af41110 class"), 1);
	CU_ASSERT_EQUAL(match("id [0-9a-f]{8} class", "id 1af4111 class"), 0);
	/* '$' only at the very end, '^' only at the start, '.' matches newline */
	CU_ASSERT_EQUAL(match("count=[0-9]+$", "count=12\n"), 0);
	CU_ASSERT_EQUAL(match("count=[0-9]+$", "count=12"), 1);
	CU_ASSERT_EQUAL(match("^b", "a\nb"), 0);
	CU_ASSERT_EQUAL(match("a.b", "a\nb"), 1);
	CU_ASSERT_EQUAL(match("[[:digit:]]+", "x7"), 1);
	CU_ASSERT_EQUAL(match("^$", ""), 1);
	/* bytes that are not UTF-8 are just bytes */
	CU_ASSERT_EQUAL(match("a.b", "a\xff" "b"), 1);
}

static void refused(const char *pat, const char *want)
{
	struct re *re = re_compile(pat, err, sizeof(err));
	CU_ASSERT_PTR_NULL(re);
	re_free(re);
	if (!strstr(err, want))
		fprintf(stderr, "\n  '%s': got '%s', want '%s'\n", pat, err, want);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, want));
}

static void test_refused(void)
{
	char big[RE_MAX_LEN + 2];
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	refused(big, "regex too long (1025 bytes, at most 1024)");
	big[RE_MAX_LEN] = 0;
	struct re *re = re_compile(big, err, sizeof(err));   /* exactly the cap */
	CU_ASSERT_PTR_NOT_NULL(re);
	re_free(re);
	refused("size=(16", "bad regex 'size=(16': missing closing parenthesis (at offset 8)");
	refused("((a{1000}){1000}){1000}", "regular expression is too large");
	refused("(ab){600}", "regex too large once compiled");
	refused("(?<!a+)b", "lookbehind assertion is not fixed length");
	refused("(*UTF)a", "disabled by the application");
	refused("\\C", "disabled by the application");
}

/* A hostile pattern on a 1 MiB console: PCRE2's own limits apply per start
 * position, so without the shared step budget this takes minutes. */
static void test_gives_up(void)
{
	static const char *const hostile[] = {
		"(a+)+$", "((((((a+)+)+)+)+)+)+$", "(a|aa)+$", "(a|a)+$", NULL,
	};
	size_t n = 1u << 20;
	char *con = malloc(n + 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(con);
	for (size_t i = 0; i < n; i++)
		con[i] = i % 24 == 23 ? '!' : 'a';
	con[n] = 0;
	for (int k = 0; hostile[k]; k++) {
		struct re *re = re_compile(hostile[k], err, sizeof(err));
		CU_ASSERT_PTR_NOT_NULL(re);
		if (!re)
			continue;
		volatile int m = 2;
		time_t t0 = time(NULL);
		WITHIN(20, m = re_match(re, con, n, err, sizeof(err)));
		if (m != -1)
			fprintf(stderr, "\n  '%s': %d\n", hostile[k], m);
		CU_ASSERT_EQUAL(m, -1);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, "regex match gave up"));
		CU_ASSERT(time(NULL) - t0 <= 5);
		/* the budget is spent: a later match on the same re gives up at once */
		WITHIN(20, m = re_match(re, "aaaa", 4, err, sizeof(err)));
		CU_ASSERT_EQUAL(m, -1);
		re_free(re);
	}
	free(con);
}

static CU_TestInfo re_tests[] = {
	{ "POSIX-like semantics", test_semantics },
	{ "refused patterns", test_refused },
	{ "hostile matches give up in time", test_gives_up },
	CU_TEST_INFO_NULL,
};

UNIT_SUITE("re", re_tests);
