/* unit_main.c - the CUnit runner: every suite registered through UNIT_SUITE.
 * `build/unit-tests [SUITE]` runs all suites or just the named one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <CUnit/Basic.h>
#include "unit.h"

#define MAX_SUITES 64

static struct { const char *name; CU_TestInfo *tests; } suites[MAX_SUITES];
static int n_suites;

void unit_register(const char *name, CU_TestInfo *tests)
{
	if (n_suites == MAX_SUITES) {
		fprintf(stderr, "unit-tests: more than %d suites\n", MAX_SUITES);
		exit(2);
	}
	suites[n_suites].name = name;
	suites[n_suites].tests = tests;
	n_suites++;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int main(int argc, char **argv)
{
	const char *only = argc > 1 ? argv[1] : NULL;

	/* Constructors run in link order; sort for a stable report. */
	qsort(suites, n_suites, sizeof(suites[0]), by_name);
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	int added = 0;
	for (int i = 0; i < n_suites; i++) {
		if (only && strcmp(only, suites[i].name))
			continue;
		CU_SuiteInfo info[2] = {
			{ .pName = suites[i].name, .pTests = suites[i].tests },
			CU_SUITE_INFO_NULL,
		};
		if (CU_register_suites(info) != CUE_SUCCESS) {
			fprintf(stderr, "unit-tests: cannot register %s\n", suites[i].name);
			return 2;
		}
		added++;
	}
	if (only && !added) {
		fprintf(stderr, "unit-tests: no suite named '%s'\n", only);
		return 2;
	}
	CU_basic_set_mode(CU_BRM_NORMAL);
	CU_basic_run_tests();
	unsigned failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	unsigned run = CU_get_number_of_tests_run();
	CU_cleanup_registry();
	if (run == 0) {
		fprintf(stderr, "unit-tests: no test ran\n");
		return 1;
	}
	return failed ? 1 : 0;
}
