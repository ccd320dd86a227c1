/* cov_exit.c - linked only into build/cov/hvsim-cov (`make coverage`).
 * The runner's worker processes end with _exit(), which skips the gcov
 * exit handler, so their counters would be lost. Linked with
 * -Wl,--wrap=_exit, every _exit first writes the counters. */
#include <stdnoreturn.h>

void __gcov_dump(void);
noreturn void __real__exit(int status);
noreturn void __wrap__exit(int status);

noreturn void __wrap__exit(int status)
{
	__gcov_dump();
	__real__exit(status);
}
