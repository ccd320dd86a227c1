/* workers.c - long-lived worker processes (workers.h). */
#include <errno.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "workers.h"

/* A worker whose resident set has grown by more than this since it started
 * trims its heap after a task; if it is still past, it exits and a fresh one
 * takes the next task: one task's huge heap is not carried through the
 * rest. Relative to the start, which holds what it shares with its parent
 * (more under a sanitizer). The suite's largest scenario peaks near 60 MiB
 * of the whole process while it runs and leaves far less behind. */
#define WORKER_RSS_GROWTH ((size_t)40 << 20)

/* What a worker answers when a task is done. */
struct answer { int index; int retire; };

int workers_init(struct workers *ws, int n)
{
	ws->n = n;
	ws->w = calloc((size_t)n + 1, sizeof(*ws->w));
	ws->pf = calloc((size_t)n + 1, sizeof(*ws->pf));
	if (!ws->w || !ws->pf) {
		free(ws->w);
		free(ws->pf);
		return -1;
	}
	for (int k = 0; k < n; k++)
		ws->w[k].cur = -1;
	return 0;
}

static size_t resident_bytes(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	unsigned long size = 0, res = 0;
	if (f) {
		if (fscanf(f, "%lu %lu", &size, &res) != 2)
			res = 0;
		fclose(f);
	}
	return res * (size_t)sysconf(_SC_PAGESIZE);
}

/* True when the worker should exit after this task. */
static bool over_budget(size_t max)
{
	if (resident_bytes() <= max)
		return false;
	malloc_trim(0);
	return resident_bytes() > max;
}

/* The worker process: tasks from the socket until it closes. */
static _Noreturn void worker_main(const struct workers *ws, int fd)
{
	size_t max = ws->rss_max ? ws->rss_max : resident_bytes() + WORKER_RSS_GROWTH;
	/* The budget bounds a task and never changes one that finishes: the
	 * default action of SIGALRM ends the worker wherever it is. */
	signal(SIGALRM, SIG_DFL);
	int i;
	while (read(fd, &i, sizeof(i)) == (ssize_t)sizeof(i)) {
		alarm(ws->timeout_s);
		if (ws->run(i, ws->ctx))
			_exit(3);
		alarm(0);
		struct answer a = { i, over_budget(max) };
		if (write(fd, &a, sizeof(a)) != (ssize_t)sizeof(a) || a.retire)
			_exit(0);
	}
	_exit(0);
}

static int start(struct workers *ws, int k)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return -1;
	fflush(NULL);   /* a child must not write the parent's buffers again */
	pid_t pid = fork();
	if (pid < 0) {
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (pid == 0) {
		/* The other workers' sockets: a copy held here would keep
		 * them open after their parent end is closed (no end seen). */
		for (int j = 0; j < ws->n; j++)
			if (j != k && ws->w[j].pid > 0)
				close(ws->w[j].fd);
		close(sv[0]);
		worker_main(ws, sv[1]);
	}
	close(sv[1]);
	ws->w[k] = (struct worker){ .pid = pid, .fd = sv[0], .cur = -1 };
	return 0;
}

/* Close slot k's socket (an idle worker then exits) and reap its worker.
 * Returns its waitpid status. */
static int reap(struct worker *w)
{
	int status = 0;
	close(w->fd);
	while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
		;
	*w = (struct worker){ .pid = 0, .fd = -1, .cur = -1 };
	return status;
}

int workers_give(struct workers *ws, int k, int i)
{
	struct worker *w = &ws->w[k];
	/* A worker that died idle is replaced once; a fresh one that cannot
	 * take a task is a failure, not a reason to fork forever. */
	for (int fresh = 0; fresh < 2; fresh++) {
		if (!w->pid && start(ws, k))
			return -1;
		if (send(w->fd, &i, sizeof(i), MSG_NOSIGNAL) == (ssize_t)sizeof(i)) {
			w->cur = i;
			return 0;
		}
		reap(w);
	}
	return -1;
}

int workers_wait(struct workers *ws, void (*done)(void *ctx, int i, int status), void *ctx)
{
	int np = 0;
	for (int k = 0; k < ws->n; k++)
		if (ws->w[k].pid > 0 && ws->w[k].cur >= 0)
			ws->pf[np++] = (struct pollfd){ .fd = ws->w[k].fd, .events = POLLIN };
	if (!np)
		return -1;
	if (poll(ws->pf, (nfds_t)np, -1) < 0)
		return errno == EINTR ? 0 : -1;
	for (int k = 0, p = 0; k < ws->n; k++) {
		struct worker *w = &ws->w[k];
		if (w->pid <= 0 || w->cur < 0 || !ws->pf[p++].revents)
			continue;
		int i = w->cur, status = -1;
		struct answer a;
		bool ok = recv(w->fd, &a, sizeof(a), 0) == (ssize_t)sizeof(a) && a.index == i;
		w->cur = -1;
		if (!ok)
			status = reap(w);   /* ended without answering */
		else if (a.retire)
			reap(w);            /* answered, then exits */
		done(ctx, i, status);
	}
	return 0;
}

void workers_end(struct workers *ws)
{
	for (int k = 0; k < ws->n; k++)
		if (ws->w[k].pid > 0 && ws->w[k].cur >= 0)
			kill(ws->w[k].pid, SIGTERM);
	for (int k = 0; k < ws->n; k++)
		if (ws->w[k].pid > 0)
			reap(&ws->w[k]);
	free(ws->w);
	free(ws->pf);
	ws->w = NULL;
	ws->pf = NULL;
}
