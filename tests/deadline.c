/* deadline.c - see deadline.h. */
#include <string.h>
#include <unistd.h>
#include "tests/deadline.h"

sigjmp_buf deadline_env;
volatile sig_atomic_t deadline_fired;
static struct sigaction saved;

static void on_alarm(int sig)
{
	(void)sig;
	deadline_fired = 1;
	siglongjmp(deadline_env, 1);
}

void deadline_start(unsigned seconds)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, &saved);
	alarm(seconds);
}

void deadline_stop(void)
{
	alarm(0);
	sigaction(SIGALRM, &saved, NULL);
}
