/* runner.c - worker processes for `hvsim run`/`conform` (-j N). Each worker
 * runs one scenario and writes its result as JSON (and its event log) to a
 * temporary file; the parent reads them back in file order. A worker that
 * dies leaves no result and is reported as an ERROR naming its signal; one
 * that outlives its wall-clock budget is ended by SIGALRM (CONTRACT 4). */
#include <dirent.h>
#include <malloc.h>
#include <poll.h>
#include <sys/socket.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include "runner.h"
#include "result_json.h"

/* ---- finding files ---------------------------------------------------------- */

int file_list_add(struct file_list *l, const char *s)
{
	if (l->n == l->cap) {
		int cap = l->cap ? l->cap * 2 : 64;
		char **v = realloc(l->v, cap * sizeof(*v));
		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	if (!(l->v[l->n] = strdup(s)))
		return -1;
	l->n++;
	return 0;
}

void file_list_free(struct file_list *l)
{
	for (int i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int cmp_bytes(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The directories from the top to here, so a link back to one of them (a
 * loop) is walked once, not forever. */
struct dir_chain { dev_t dev; ino_t ino; const struct dir_chain *up; int depth; };

static int collect_dir(const char *dir, struct file_list *out, const struct dir_chain *up)
{
	struct stat self;
	if (stat(dir, &self))
		return 0;
	for (const struct dir_chain *c = up; c; c = c->up)
		if (c->dev == self.st_dev && c->ino == self.st_ino)
			return 0;   /* a loop back to an ancestor */
	struct dir_chain here = { self.st_dev, self.st_ino, up, up ? up->depth + 1 : 0 };
	if (here.depth > 64)
		return 0;
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	struct dirent *e;
	int rc = 0;
	while (!rc && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char path[PATH_MAX];
		if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= (int)sizeof(path))
			continue;
		struct stat st;
		size_t len = strlen(e->d_name);
		if (stat(path, &st))
			continue;
		if (S_ISDIR(st.st_mode))
			rc = collect_dir(path, out, &here);
		else if (len > 5 && !strcmp(e->d_name + len - 5, ".json") &&
			 !(len > 12 && !strcmp(e->d_name + len - 12, ".schema.json")))
			rc = file_list_add(out, path);   /* scenarios/scenario.schema.json is no scenario */
	}
	closedir(d);
	return rc;
}

int runner_collect(const char *const *paths, int n_paths, int shard_k, int shard_n,
		   struct file_list *out)
{
	memset(out, 0, sizeof(*out));
	for (int i = 0; i < n_paths; i++) {
		struct stat st;
		int rc = !stat(paths[i], &st) && S_ISDIR(st.st_mode) ? collect_dir(paths[i], out, NULL)
								      : file_list_add(out, paths[i]);
		if (rc) {
			file_list_free(out);
			return -1;
		}
	}
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), cmp_bytes);
	if (shard_n > 1) {
		int k = 0;
		for (int i = 0; i < out->n; i++) {
			if (i % shard_n + 1 == shard_k)
				out->v[k++] = out->v[i];
			else
				free(out->v[i]);
		}
		out->n = k;
	}
	return 0;
}

/* ---- workers ------------------------------------------------------------------ */

/* One file's run: where its worker leaves the result (and the event log, in
 * tmp + ".part"), and how it ended. */
struct job { bool done, timed_out; char tmp[64]; };

/* A worker process: the parent's end of its socket and the file it is
 * running (-1: idle). pid 0: none (not started yet, or ended). */
struct worker { pid_t pid; int fd, cur; };

/* What a worker sends back when a file's result is written. */
struct done_msg { int index; int retire; };

/* A worker whose heap (resident set) grew past this after a file trims it,
 * and if that does not bring it under, exits and a fresh one takes the next
 * file: one scenario's huge heap is not carried through the rest. */
#define WORKER_RSS_MAX (48u << 20)

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

/* True when the worker should exit after this file. */
static bool over_budget(void)
{
	if (resident_bytes() <= WORKER_RSS_MAX)
		return false;
	malloc_trim(0);
	return resident_bytes() > WORKER_RSS_MAX;
}

/* One file in a worker: result JSON to tmp, event log to tmp.part. Returns
 * 0, or -1 when the result could not be written. */
static int run_one(const char *file, const struct runner *rn, const char *tmp)
{
	struct engine_opts eo = *rn->eo;
	char part[96];
	eo.trace = NULL;
	if (rn->trace) {
		snprintf(part, sizeof(part), "%s.part", tmp);
		eo.trace = fopen(part, "w");
	}
	struct sc_result r;
	engine_run_file(file, &eo, &r);
	if (eo.trace)
		fclose(eo.trace);
	char *json = result_to_json(&r);
	result_free(&r);
	FILE *f = fopen(tmp, "w");
	int rc = !f || !json || fputs(json, f) < 0 ? -1 : 0;
	if (f && fclose(f))
		rc = -1;
	free(json);
	return rc;
}

/* A worker: runs the files whose indices come down the socket, one after
 * another, until the socket closes. Nothing of one file's run outlives it
 * (the engine frees what it built; sim/, vdev/ and conformance/ keep no
 * state between runs), so a file's result and event log do not depend on
 * the files run before it in the same worker. */
static _Noreturn void worker_main(int fd, const struct runner *rn, const struct file_list *files,
				  const struct job *jobs)
{
	/* Freed memory stays in the heap for the next file instead of going
	 * back to the kernel (and being faulted in again). */
	mallopt(M_TRIM_THRESHOLD, WORKER_RSS_MAX);
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	/* The budget bounds a run and never changes one that finishes: the
	 * default action of SIGALRM ends the worker wherever it is. */
	signal(SIGALRM, SIG_DFL);
	int i;
	while (read(fd, &i, sizeof(i)) == (ssize_t)sizeof(i)) {
		if (i < 0 || i >= files->n)
			_exit(4);
		alarm(rn->timeout_s);
		if (run_one(files->v[i], rn, jobs[i].tmp))
			_exit(3);
		alarm(0);
		struct done_msg m = { i, over_budget() };
		if (write(fd, &m, sizeof(m)) != (ssize_t)sizeof(m) || m.retire)
			_exit(0);
	}
	_exit(0);
}

/* Fork worker k. Returns 0, or -1 when no process could be made. */
static int worker_start(struct worker *ws, int nw, int k, const struct runner *rn,
			const struct file_list *files, const struct job *jobs)
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
		/* the other workers' sockets: held here, a closed one would
		 * not read as the end for its worker */
		for (int j = 0; j < nw; j++)
			if (j != k && ws[j].pid > 0)
				close(ws[j].fd);
		close(sv[0]);
		worker_main(sv[1], rn, files, jobs);
	}
	close(sv[1]);
	ws[k].pid = pid;
	ws[k].fd = sv[0];
	ws[k].cur = -1;
	return 0;
}

/* Close a worker's socket (an idle one then exits) and wait for it. */
static int worker_end(struct worker *w)
{
	int status = 0;
	close(w->fd);
	while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
		;
	w->pid = 0;
	w->fd = -1;
	w->cur = -1;
	return status;
}

static bool is_timeout(const struct runner *rn, int status)
{
	return rn->timeout_s && WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM;
}

static void crashed(const struct runner *rn, struct sc_result *r, const char *file, int status)
{
	char msg[256];
	memset(r, 0, sizeof(*r));
	if (is_timeout(rn, status))
		snprintf(msg, sizeof(msg), "%s: timed out after %u s", file, rn->timeout_s);
	else if (WIFSIGNALED(status))
		snprintf(msg, sizeof(msg), "%s: hvsim crashed running it (signal %d)", file,
			 WTERMSIG(status));
	else
		snprintf(msg, sizeof(msg), "%s: worker ended with status %d and no result", file,
			 WEXITSTATUS(status));
	r->file = strdup(file);
	r->name = strdup(file);
	r->status = SC_ERROR;
	r->reason = strdup(msg);
}

char *runner_read_text(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	char buf[4096];
	size_t got;
	while (m && (got = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, got, m);
	if (m)
		fclose(m);
	fclose(f);
	return text;
}

static void take_result(const struct runner *rn, struct job *j, const char *file, int status,
			struct sc_result *r)
{
	char err[256];
	char *text = runner_read_text(j->tmp);
	if (!text || !WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
	    result_from_json(text, r, err, sizeof(err)))
		crashed(rn, r, file, status);
	free(text);
	unlink(j->tmp);
}

int runner_trace_header(FILE *f, const char *name, const char *file)
{
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return -1;
	cJSON_AddItemToObject(o, "scenario", name ? cJSON_CreateString(name) : cJSON_CreateNull());
	cJSON_AddItemToObject(o, "file", file ? cJSON_CreateString(file) : cJSON_CreateNull());
	char *text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (!text)
		return -1;
	int rc = fprintf(f, "%s\n", text) < 0 ? -1 : 0;
	cJSON_free(text);
	return rc;
}

/* A worker ended by -x before it finished: no result, no trace, no files. */
static void discard(struct job *j)
{
	char part[96];
	snprintf(part, sizeof(part), "%s.part", j->tmp);
	unlink(j->tmp);
	unlink(part);
}

static bool failed(const struct sc_result *r)
{
	return r->status == SC_FAIL || r->status == SC_ERROR;
}

static void take_trace(const struct runner *rn, struct job *j, const struct sc_result *r, bool many)
{
	char part[96];
	snprintf(part, sizeof(part), "%s.part", j->tmp);
	FILE *in = fopen(part, "r");
	if (!in)
		return;
	if (many)
		runner_trace_header(rn->trace, r->name, r->file);
	/* How far a timed-out run got depends on the host: keep none of it.
	 * Copied in blocks: a long log is hundreds of MB. */
	char buf[1 << 16];
	size_t got;
	while (!j->timed_out && (got = fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, got, rn->trace);
	fclose(in);
	unlink(part);
}

/* Hand the next files to the idle workers, starting a fresh one where none
 * runs (at first, or after one crashed, timed out or retired). */
static void hand_out(const struct runner *rn, const struct file_list *files, struct job *jobs,
		     struct sc_result *results, struct worker *ws, int nw, int *next, int *running)
{
	for (int k = 0; k < nw; k++) {
		struct worker *w = &ws[k];
		while (*next < files->n && w->cur < 0) {
			if (!w->pid && worker_start(ws, nw, k, rn, files, jobs)) {
				crashed(rn, &results[*next], files->v[*next], 0);
				jobs[(*next)++].done = true;
				continue;
			}
			if (send(w->fd, next, sizeof(*next), MSG_NOSIGNAL) == (ssize_t)sizeof(*next)) {
				w->cur = (*next)++;
				(*running)++;
			} else {
				worker_end(w);   /* it died idle: a fresh one takes the file */
			}
		}
	}
}

/* Wait until a busy worker reports a result or dies, and take what it left. */
static int await_one(const struct runner *rn, const struct file_list *files, struct job *jobs,
		     struct sc_result *results, struct worker *ws, int nw, int *running)
{
	struct pollfd pf[nw];
	int who[nw], np = 0;
	for (int k = 0; k < nw; k++)
		if (ws[k].pid > 0 && ws[k].cur >= 0) {
			pf[np] = (struct pollfd){ .fd = ws[k].fd, .events = POLLIN };
			who[np++] = k;
		}
	if (!np)
		return -1;
	if (poll(pf, np, -1) < 0)
		return errno == EINTR ? 0 : -1;
	for (int p = 0; p < np; p++) {
		if (!pf[p].revents)
			continue;
		struct worker *w = &ws[who[p]];
		int i = w->cur, status = 0;
		struct done_msg m;
		ssize_t got = recv(w->fd, &m, sizeof(m), 0);
		bool ok = got == (ssize_t)sizeof(m) && m.index == i;
		if (!ok || m.retire)
			status = worker_end(w);   /* ended (or ending) with or without the result */
		w->cur = -1;
		(*running)--;
		take_result(rn, &jobs[i], files->v[i], ok ? 0 : status, &results[i]);
		jobs[i].timed_out = !ok && is_timeout(rn, status);
		jobs[i].done = true;
	}
	return 0;
}

int runner_run(const struct runner *rn, const struct file_list *files, struct sc_result *results)
{
	int n = files->n, next = 0, running = 0, handed = 0;
	int nw = rn->jobs < n ? rn->jobs : n;
	bool stopping = false;    /* -x: a finished file failed; start no more */
	struct job *jobs = calloc(n + 1, sizeof(*jobs));
	struct worker *ws = calloc(nw + 1, sizeof(*ws));
	if (!jobs || !ws) {
		free(jobs);
		free(ws);
		return -1;
	}
	for (int k = 0; k < nw; k++)
		ws[k].cur = -1;
	for (int i = 0; i < n; i++)
		snprintf(jobs[i].tmp, sizeof(jobs[i].tmp), "/tmp/hvsim-%d-%d.json", (int)getpid(), i);
	while (handed < n) {
		if (!stopping)
			hand_out(rn, files, jobs, results, ws, nw, &next, &running);
		if (running && !(handed < next && jobs[handed].done)) {
			if (await_one(rn, files, jobs, results, ws, nw, &running))
				break;
			for (int i = handed; i < next && rn->exitfirst; i++)
				if (jobs[i].done && failed(&results[i]))
					stopping = true;
		}
		bool stop = false;
		while (handed < n && handed < next && jobs[handed].done) {
			if (rn->trace)
				take_trace(rn, &jobs[handed], &results[handed], n > 1);
			if (rn->on_result)
				rn->on_result(rn->ctx, &results[handed]);
			handed++;
			if (rn->exitfirst && failed(&results[handed - 1])) {
				stop = true;
				break;
			}
		}
		if (stop || (!running && handed == next && next < n && stopping))
			break;
	}
	/* -x: the files after the failing one are not run; the workers still at
	 * them are ended and their results and traces dropped. */
	for (int k = 0; k < nw; k++)
		if (ws[k].pid > 0 && ws[k].cur >= 0)
			kill(ws[k].pid, SIGTERM);
	for (int k = 0; k < nw; k++)
		if (ws[k].pid > 0)
			worker_end(&ws[k]);
	for (int i = handed; i < next; i++) {
		discard(&jobs[i]);
		if (jobs[i].done)
			result_free(&results[i]);
		memset(&results[i], 0, sizeof(results[i]));
	}
	if (rn->n_ran)
		*rn->n_ran = handed;
	free(ws);
	free(jobs);
	return 0;
}
