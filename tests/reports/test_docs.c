/* test_docs.c - the reference pages in docs/ keep step with the code:
 *
 * - every clause ID of conformance/clauses.c (the rows of the report's
 *   coverage matrix) is a heading or a table row of docs/device-model.md;
 * - every key the scenario loader accepts at the top level, in a VM, in a
 *   shmem instance and in an expectation, and every profile switch, is
 *   named (in backquotes) in docs/scenario-format.md;
 * - every event kind (ev_kind_name) is named in docs/event-log.md;
 * - the complete example of docs/scenario-format.md (its first ```json
 *   block) loads without error.
 *
 * The loader's key lists are static arrays, so this test reads them from the
 * source text (conformance/scenario_*.c). Paths are relative to the
 * repository root, where `make test` runs build/unit-tests. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <unistd.h>
#include <CUnit/CUnit.h>
#include "tests/unit.h"
#include "conformance/clauses.h"
#include "conformance/scenario_load.h"
#include "sim/evlog.h"
#include "vdev/profile.h"

#define MAX_KEYS 64

/* The whole file, NUL-terminated, or NULL (with a message). */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f) {
		fprintf(stderr, "\n  %s: cannot open (run build/unit-tests from the repository root)\n",
			path);
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n + 1)) != NULL) {
		if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		} else {
			buf[n] = 0;
		}
	}
	fclose(f);
	return buf;
}

static bool id_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-';
}

/* `word` occurs in [s, end) with no identifier character on either side
 * ("CRE-1" is not found in "CRE-10"). */
static bool has_word(const char *s, const char *end, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = s; p + n <= end; p++) {
		if (memcmp(p, word, n))
			continue;
		if ((p == s || !id_char(p[-1])) && (p + n == end || !id_char(p[n])))
			return true;
	}
	return false;
}

/* Some line of text that is a heading ('#') or a table row ('|') holds id. */
static bool in_heading_or_row(const char *text, const char *id)
{
	for (const char *line = text; *line;) {
		const char *end = strchr(line, '\n');
		if (!end)
			end = line + strlen(line);
		if ((*line == '#' || *line == '|') && has_word(line, end, id))
			return true;
		line = *end ? end + 1 : end;
	}
	return false;
}

/* "`key`" occurs in text. */
static bool names_key(const char *text, const char *key)
{
	char quoted[80];
	snprintf(quoted, sizeof(quoted), "`%s`", key);
	return strstr(text, quoted) != NULL;
}

/* The string literals of the first array initializer "NAME[] = { ... }"
 * after `anchor` in src: copies into keys[] (malloc'd), returns how many,
 * or -1 when the text is not found. */
static int keys_after(const char *src, const char *anchor, const char *name, char **keys, int max)
{
	char pat[64];
	const char *p = strstr(src, anchor), *end;
	int n = 0;

	snprintf(pat, sizeof(pat), "%s[] = {", name);
	if (!p || !(p = strstr(p, pat)) || !(end = strstr(p, "};")))
		return -1;
	for (p += strlen(pat); p < end && n < max;) {
		const char *q = memchr(p, '"', (size_t)(end - p)), *close;
		if (!q || !(close = memchr(q + 1, '"', (size_t)(end - q - 1))))
			break;
		keys[n++] = strndup(q + 1, (size_t)(close - q - 1));
		p = close + 1;
	}
	return n;
}

static void test_clause_ids_in_device_model(void)
{
	char *doc = slurp("docs/device-model.md");
	int missing = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	CU_ASSERT(n_spec_clauses > 50);
	for (int i = 0; i < n_spec_clauses; i++) {
		if (in_heading_or_row(doc, spec_clauses[i]))
			continue;
		fprintf(stderr, "\n  docs/device-model.md: no heading or table row for %s (%s)",
			spec_clauses[i], clause_title(spec_clauses[i]));
		missing++;
	}
	CU_ASSERT_EQUAL(missing, 0);
	free(doc);
}

/* Every key of one loader array is named in docs/scenario-format.md. */
static void check_loader_keys(const char *doc, const char *file, const char *anchor,
			      const char *array, int at_least)
{
	char *src = slurp(file), *keys[MAX_KEYS];
	int n, missing = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(src);
	n = keys_after(src, anchor, array, keys, MAX_KEYS);
	if (n < at_least)
		fprintf(stderr, "\n  %s: found %d keys in %s[] after '%s', expected at least %d "
			"(did the loader change shape?)", file, n, array, anchor, at_least);
	CU_ASSERT(n >= at_least);
	for (int i = 0; i < n; i++) {
		if (!names_key(doc, keys[i])) {
			fprintf(stderr, "\n  docs/scenario-format.md: key `%s` (%s, %s[]) is not "
				"described", keys[i], file, array);
			missing++;
		}
		free(keys[i]);
	}
	CU_ASSERT_EQUAL(missing, 0);
	free(src);
}

static void test_scenario_keys_in_format(void)
{
	char *doc = slurp("docs/scenario-format.md");
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);

	/* The top level: the list parse_root checks every file against. */
	check_loader_keys(doc, "conformance/scenario_load.c", "static int parse_root(", "keys", 11);
	check_loader_keys(doc, "conformance/scenario_load.c", "static int parse_schedule(",
			  "keys", 3);
	check_loader_keys(doc, "conformance/scenario_load.c", "static int parse_limits_explore(",
			  "lkeys", 1);
	check_loader_keys(doc, "conformance/scenario_load.c", "static int parse_limits_explore(",
			  "ekeys", 2);
	check_loader_keys(doc, "conformance/scenario_load.c", "static int parse_trigger(",
			  "keys", 2);
	check_loader_keys(doc, "conformance/scenario_load.c", "static int parse_host_step(",
			  "keys", 8);
	check_loader_keys(doc, "conformance/scenario_vms.c", "static int parse_vm(", "keys", 5);
	check_loader_keys(doc, "conformance/scenario_shmem.c", "int sc_parse_shmem(", "keys", 9);
	check_loader_keys(doc, "conformance/scenario_expect.c", "Leading keys", "all_keys", 17);

	int missing = 0;
	for (int i = 0; profile_keys[i]; i++)
		if (!names_key(doc, profile_keys[i])) {
			fprintf(stderr, "\n  docs/scenario-format.md: profile key `%s` is not described",
				profile_keys[i]);
			missing++;
		}
	CU_ASSERT_EQUAL(missing, 0);
	free(doc);
}

static void test_event_kinds_in_event_log(void)
{
	char *doc = slurp("docs/event-log.md");
	int missing = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	for (int k = 0; k < EV_KIND_COUNT; k++) {
		const char *name = ev_kind_name((enum ev_kind)k);
		CU_ASSERT_STRING_NOT_EQUAL(name, "?");
		if (!names_key(doc, name)) {
			fprintf(stderr, "\n  docs/event-log.md: event kind `%s` is not described", name);
			missing++;
		}
	}
	CU_ASSERT_EQUAL(missing, 0);
	free(doc);
}

/* The example of docs/scenario-format.md is a valid scenario. */
static void test_format_example_loads(void)
{
	char *doc = slurp("docs/scenario-format.md"), *start, *end;
	char path[] = "/tmp/hvsim-doc-example-XXXXXX.json", err[512] = "";
	struct scenario sc;
	int fd;

	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	start = strstr(doc, "```json\n");
	end = start ? strstr(start + 8, "\n```") : NULL;
	CU_ASSERT_PTR_NOT_NULL_FATAL(end);
	start += 8;
	fd = mkstemps(path, 5);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(write(fd, start, (size_t)(end - start)), end - start);
	close(fd);
	int rc = scenario_load(path, NULL, &sc, err, sizeof(err));
	if (rc)
		fprintf(stderr, "\n  docs/scenario-format.md example: %s", err);
	CU_ASSERT_EQUAL(rc, 0);
	if (!rc) {
		CU_ASSERT_EQUAL(sc.m.n_vms, 2);
		CU_ASSERT_EQUAL(sc.m.n_host, 3);
		CU_ASSERT_EQUAL(sc.n_expect, 10);
		scenario_free(&sc);
	}
	unlink(path);
	free(doc);
}

/* The checks above must be able to fail: a word inside a longer ID does not
 * count, and a key list is read from the text it is given. */
static void test_helpers(void)
{
	const char *text = "intro CRE-1 in prose\n| CRE-10 | x |\n### FAC-2 Map\n";
	CU_ASSERT_FALSE(in_heading_or_row(text, "CRE-1"));
	CU_ASSERT_TRUE(in_heading_or_row(text, "CRE-10"));
	CU_ASSERT_TRUE(in_heading_or_row(text, "FAC-2"));
	CU_ASSERT_FALSE(in_heading_or_row(text, "FAC-20"));

	char *keys[4];
	const char *src = "static int f(void)\n{\n\tstatic const char *const keys[] = "
			  "{ \"a\", \"bc\",\n\t\t\"d\", NULL };\n";
	CU_ASSERT_EQUAL(keys_after(src, "static int f(", "keys", keys, 4), 3);
	CU_ASSERT_STRING_EQUAL(keys[1], "bc");
	for (int i = 0; i < 3; i++)
		free(keys[i]);
	CU_ASSERT_EQUAL(keys_after(src, "static int g(", "keys", keys, 4), -1);
	CU_ASSERT_TRUE(names_key("the `vms` key", "vms"));
	CU_ASSERT_FALSE(names_key("the vms key", "vms"));
}

static CU_TestInfo docs_tests[] = {
	{ "helpers", test_helpers },
	{ "clause IDs in docs/device-model.md", test_clause_ids_in_device_model },
	{ "scenario keys in docs/scenario-format.md", test_scenario_keys_in_format },
	{ "event kinds in docs/event-log.md", test_event_kinds_in_event_log },
	{ "docs/scenario-format.md example loads", test_format_example_loads },
	CU_TEST_INFO_NULL,
};

UNIT_SUITE("docs", docs_tests);
