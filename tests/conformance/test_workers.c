/* test_workers.c - long-lived worker processes: one worker runs task after
 * task; a task that crashes, outlives its budget or fails ends only its
 * worker (a fresh one takes the tasks after it); a worker past its memory
 * bound retires after answering. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <CUnit/CUnit.h>
#include "tests/unit.h"
#include "conformance/workers.h"

#define TASKS 6

/* Shared with the workers (MAP_SHARED): which process ran each task. */
struct seen { pid_t pid[TASKS]; };

enum how { RUNS, CRASHES, HANGS, FAILS };

struct plan {
	struct seen *seen;
	enum how how[TASKS];
	int status[TASKS];   /* what the parent learnt (workers_wait) */
	int n_done[TASKS];
};

static int task(int i, void *ctx)
{
	struct plan *p = ctx;
	p->seen->pid[i] = getpid();
	switch (p->how[i]) {
	case CRASHES:
		abort();   /* SIGABRT: not one a sanitizer turns into an exit */
	case HANGS:
		for (;;)
			pause();
	case FAILS:
		return -1;
	case RUNS:
		break;
	}
	return 0;
}

static void done(void *ctx, int i, int status)
{
	struct plan *p = ctx;
	p->status[i] = status;
	p->n_done[i]++;
}

/* Every task in order on one slot (the next given once the last is back). */
static void drive(struct plan *p, unsigned timeout_s, size_t rss_max)
{
	p->seen = mmap(NULL, sizeof(*p->seen), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		       -1, 0);
	CU_ASSERT_FATAL(p->seen != MAP_FAILED);
	memset(p->seen, 0, sizeof(*p->seen));
	struct workers ws = { .run = task, .ctx = p, .timeout_s = timeout_s, .rss_max = rss_max };
	CU_ASSERT_EQUAL_FATAL(workers_init(&ws, 1), 0);
	alarm(60);   /* a guard: a hang here ends the test run, never stalls it */
	for (int i = 0; i < TASKS; i++) {
		CU_ASSERT_EQUAL_FATAL(workers_give(&ws, 0, i), 0);
		while (ws.w[0].cur >= 0)
			CU_ASSERT_EQUAL_FATAL(workers_wait(&ws, done, p), 0);
	}
	alarm(0);
	CU_ASSERT_EQUAL(workers_wait(&ws, done, p), -1);   /* none busy */
	workers_end(&ws);
	for (int i = 0; i < TASKS; i++)
		CU_ASSERT_EQUAL(p->n_done[i], 1);
}

static void test_one_worker_runs_every_task(void)
{
	struct plan p = {0};
	drive(&p, 0, 0);
	for (int i = 0; i < TASKS; i++) {
		CU_ASSERT_EQUAL(p.status[i], -1);          /* answered */
		CU_ASSERT(p.seen->pid[i] > 0 && p.seen->pid[i] != getpid());
		CU_ASSERT_EQUAL(p.seen->pid[i], p.seen->pid[0]);   /* one process */
	}
	munmap(p.seen, sizeof(*p.seen));
}

/* A crash (2), a budget overrun (3, SIGALRM) and a failed task (4, exit
 * status 3) end their worker; the others are answered, each stretch of them
 * by one fresh worker. */
static void test_a_dead_worker_ends_only_its_task(void)
{
	struct plan p = { .how = { RUNS, RUNS, CRASHES, HANGS, FAILS, RUNS } };
	drive(&p, 1, 0);
	const pid_t *pid = p.seen->pid;
	CU_ASSERT_EQUAL(p.status[0], -1);
	CU_ASSERT_EQUAL(p.status[1], -1);
	CU_ASSERT(WIFSIGNALED(p.status[2]) && WTERMSIG(p.status[2]) == SIGABRT);
	CU_ASSERT(WIFSIGNALED(p.status[3]) && WTERMSIG(p.status[3]) == SIGALRM);
	CU_ASSERT(WIFEXITED(p.status[4]) && WEXITSTATUS(p.status[4]) == 3);
	CU_ASSERT_EQUAL(p.status[5], -1);
	CU_ASSERT_EQUAL(pid[1], pid[0]);
	CU_ASSERT_EQUAL(pid[2], pid[0]);        /* the crash is in the same worker */
	CU_ASSERT_NOT_EQUAL(pid[3], pid[2]);    /* then a fresh one for each */
	CU_ASSERT_NOT_EQUAL(pid[4], pid[3]);
	CU_ASSERT_NOT_EQUAL(pid[5], pid[4]);
	munmap(p.seen, sizeof(*p.seen));
}

/* Past its memory bound (one byte: always) a worker answers, then exits:
 * each task in a fresh worker, none lost. */
static void test_a_worker_past_its_bound_retires(void)
{
	struct plan p = {0};
	drive(&p, 0, 1);
	for (int i = 0; i < TASKS; i++) {
		CU_ASSERT_EQUAL(p.status[i], -1);
		for (int j = 0; j < i; j++)
			CU_ASSERT_NOT_EQUAL(p.seen->pid[i], p.seen->pid[j]);
	}
	munmap(p.seen, sizeof(*p.seen));
}

static CU_TestInfo workers_tests[] = {
	{ "one worker runs task after task", test_one_worker_runs_every_task },
	{ "a crash, timeout or failure ends only its task", test_a_dead_worker_ends_only_its_task },
	{ "a worker past its memory bound retires", test_a_worker_past_its_bound_retires },
	CU_TEST_INFO_NULL,
};
UNIT_SUITE("workers", workers_tests);
