/* unit.h - how a test file adds its CUnit suite to build/unit-tests.
 *
 *   static CU_TestInfo gic_tests[] = { {"name", fn}, CU_TEST_INFO_NULL };
 *   UNIT_SUITE("gic", gic_tests);
 *
 * Each file registers itself (a constructor), so adding a module's tests
 * never touches a shared list. */
#ifndef HVSIM_UNIT_H
#define HVSIM_UNIT_H

#include <CUnit/CUnit.h>

void unit_register(const char *name, CU_TestInfo *tests);

#define UNIT_SUITE(name, tests) \
	__attribute__((constructor)) static void unit_register_##tests(void) \
	{ unit_register(name, tests); }

#endif
