/* deadline.h - a test step under a wall-clock deadline. A step that overruns
 * is abandoned (SIGALRM, siglongjmp out) and fails its test, so a regression
 * to a hang fails instead of stalling the run. Locals the step changes and
 * the test reads afterwards must be volatile. */
#ifndef HVSIM_TEST_DEADLINE_H
#define HVSIM_TEST_DEADLINE_H

#include <setjmp.h>
#include <signal.h>
#include <CUnit/CUnit.h>

extern sigjmp_buf deadline_env;
extern volatile sig_atomic_t deadline_fired;
void deadline_start(unsigned seconds);
void deadline_stop(void);

#define WITHIN(seconds, step) do {					\
	deadline_fired = 0;						\
	if (sigsetjmp(deadline_env, 1) == 0) {				\
		deadline_start(seconds);				\
		step;							\
	}								\
	deadline_stop();						\
	CU_ASSERT_FALSE(deadline_fired);				\
} while (0)

#endif
