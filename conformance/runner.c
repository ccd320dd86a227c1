/* runner.c - `hvsim run`/`conform` on N long-lived worker processes (-j N,
 * workers.h). The files are handed out in file order, one at a time to
 * whichever worker is free; a worker writes each file's result as JSON (and
 * its event log) to a temporary file, and the parent reads them back in file
 * order. A worker that dies running a file leaves no result and that file
 * alone is an ERROR naming its signal; one that outlives a file's wall-clock
 * budget is ended by SIGALRM (CONTRACT 4). Either way a fresh worker takes
 * the files after it. */
#include <dirent.h>
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
#include "workers.h"

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

/* ---- running files in workers ------------------------------------------------ */

/* One file's run: where its worker leaves the result (and the event log, in
 * tmp + ".part"), and how it ended. */
struct job { bool done, timed_out; char tmp[64]; };

/* A `hvsim run` in progress. */
struct run {
	const struct runner *rn;
	const struct file_list *files;
	struct sc_result *results;
	struct job *jobs;
	int running;    /* files given to workers and not back yet */
	bool stopping;  /* -x: a finished file failed; give out no more */
};

/* In a worker: file i, its result as JSON to tmp and its event log to
 * tmp.part. Returns 0, or -1 when the result could not be written. A worker
 * runs file after file; nothing of one run outlives it (the engine frees
 * what it built; sim/, vdev/ and conformance/ keep no state between runs),
 * so a result and an event log do not depend on the files run before. */
static int run_one(int i, void *ctx)
{
	const struct run *run = ctx;
	const struct runner *rn = run->rn;
	const char *tmp = run->jobs[i].tmp;
	struct engine_opts eo = *rn->eo;
	char part[96];
	eo.trace = NULL;
	if (rn->trace) {
		snprintf(part, sizeof(part), "%s.part", tmp);
		eo.trace = fopen(part, "w");
	}
	struct sc_result r;
	engine_run_file(run->files->v[i], &eo, &r);
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

/* status: -1 when the worker answered, else how it ended (waitpid). */
static void take_result(const struct runner *rn, struct job *j, const char *file, int status,
			struct sc_result *r)
{
	char err[256];
	char *text = runner_read_text(j->tmp);
	if (!text || status != -1 || result_from_json(text, r, err, sizeof(err)))
		crashed(rn, r, file, status == -1 ? 0 : status);
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

/* Give the next files to the idle workers, in file order. */
static void give_out(struct run *run, struct workers *ws, int *next)
{
	for (int k = 0; k < ws->n && *next < run->files->n && !run->stopping; k++) {
		if (ws->w[k].cur >= 0)
			continue;
		int i = (*next)++;
		if (workers_give(ws, k, i)) {
			crashed(run->rn, &run->results[i], run->files->v[i], 0);
			run->jobs[i].done = true;
		} else {
			run->running++;
		}
	}
}

/* A worker finished file i (status -1) or ended while running it. */
static void file_done(void *ctx, int i, int status)
{
	struct run *run = ctx;
	take_result(run->rn, &run->jobs[i], run->files->v[i], status, &run->results[i]);
	run->jobs[i].timed_out = status != -1 && is_timeout(run->rn, status);
	run->jobs[i].done = true;
	run->running--;
	if (run->rn->exitfirst && failed(&run->results[i]))
		run->stopping = true;
}

int runner_run(const struct runner *rn, const struct file_list *files, struct sc_result *results)
{
	int n = files->n, next = 0, handed = 0;
	struct run run = { .rn = rn, .files = files, .results = results };
	struct workers ws = { .run = run_one, .ctx = &run, .timeout_s = rn->timeout_s };
	if (!(run.jobs = calloc(n + 1, sizeof(*run.jobs))))
		return -1;
	if (workers_init(&ws, rn->jobs < n ? rn->jobs : n)) {
		free(run.jobs);
		return -1;
	}
	for (int i = 0; i < n; i++)
		snprintf(run.jobs[i].tmp, sizeof(run.jobs[i].tmp), "/tmp/hvsim-%d-%d.json",
			 (int)getpid(), i);
	struct job *jobs = run.jobs;
	while (handed < n) {
		give_out(&run, &ws, &next);
		if (run.running && !(handed < next && jobs[handed].done) &&
		    workers_wait(&ws, file_done, &run))
			break;
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
		if (stop || (!run.running && handed == next && next < n && run.stopping))
			break;
	}
	/* -x: the files after the failing one are not run; the workers still at
	 * them are ended and their results and traces dropped. */
	workers_end(&ws);
	for (int i = handed; i < next; i++) {
		discard(&jobs[i]);
		if (jobs[i].done)
			result_free(&results[i]);
		memset(&results[i], 0, sizeof(results[i]));
	}
	if (rn->n_ran)
		*rn->n_ran = handed;
	free(jobs);
	return 0;
}
