/* workers.h - long-lived worker processes. Each runs task after task: the
 * parent hands it a task index down a socket, it runs the task and answers
 * with the index. A worker that dies mid-task (a crash, its per-task
 * wall-clock budget) closes its socket: the parent sees the end, reaps it
 * and learns how it ended; the next task given to that slot starts a fresh
 * worker. Knows nothing of scenarios: the task is a callback. */
#ifndef HVSIM_WORKERS_H
#define HVSIM_WORKERS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct pollfd;

/* One slot: the parent's end of its worker's socket and the task it runs
 * (-1: idle). pid 0: no worker (not started yet, or ended). */
struct worker { pid_t pid; int fd, cur; };

struct workers {
	int n;                            /* slots */
	struct worker *w;
	struct pollfd *pf;                /* scratch for workers_wait */
	/* In the worker: run task i. Non-zero ends the worker (exit status 3):
	 * the parent sees a task without a result. */
	int (*run)(int i, void *ctx);
	void *ctx;
	unsigned timeout_s;               /* per task, 0 = none: past it SIGALRM
					   * ends the worker */
	size_t rss_max;                   /* a worker whose resident set is still
					   * past this after a task (and a heap
					   * trim) exits after it; 0: 40 MiB above
					   * its resident set when it started */
};

/* n slots, no worker started. Returns 0, or -1 when out of memory. */
int workers_init(struct workers *ws, int n);
/* Give task i to idle slot k (starting its worker when it has none, or
 * once more when it died idle).
 * Returns 0, or -1 when no worker could be started. */
int workers_give(struct workers *ws, int k, int i);
/* Wait until at least one busy slot's task ends; for each, done(ctx, i,
 * status): status -1 when the worker answered (a result is there), else how
 * its process ended (waitpid). Returns 0, or -1 when no slot is busy or
 * waiting failed. */
int workers_wait(struct workers *ws, void (*done)(void *ctx, int i, int status), void *ctx);
/* End every worker: busy ones with SIGTERM first (their tasks are dropped),
 * idle ones by closing their sockets; each is reaped. Frees the slots. */
void workers_end(struct workers *ws);

#endif
