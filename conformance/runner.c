/* runner.c - worker processes for `hvsim run`/`conform` (-j N). Each worker
 * runs one scenario and writes its result as JSON (and its event log) to a
 * temporary file; the parent reads them back in file order. A worker that
 * dies leaves no result and is reported as an ERROR naming its signal; one
 * that outlives its wall-clock budget is ended by SIGALRM (CONTRACT 4). */
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

struct job { pid_t pid; bool done, timed_out; char tmp[64]; };

static void run_in_child(const char *file, const struct runner *rn, const char *tmp)
{
	struct engine_opts eo = *rn->eo;
	char part[96];
	/* The budget bounds a run and never changes one that finishes: the
	 * default action of SIGALRM ends the worker wherever it is. */
	signal(SIGALRM, SIG_DFL);
	alarm(rn->timeout_s);
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
	FILE *f = fopen(tmp, "w");
	if (!f || !json || fputs(json, f) < 0 || fclose(f))
		_exit(3);
	_exit(0);
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

int runner_run(const struct runner *rn, const struct file_list *files, struct sc_result *results)
{
	int n = files->n, next = 0, running = 0, handed = 0;
	bool stopping = false;    /* -x: a finished file failed; start no more */
	struct job *jobs = calloc(n + 1, sizeof(*jobs));
	if (!jobs)
		return -1;
	while (handed < n) {
		while (!stopping && running < rn->jobs && next < n) {
			struct job *j = &jobs[next];
			fflush(NULL);   /* a child must not write the parent's buffers again */
			snprintf(j->tmp, sizeof(j->tmp), "/tmp/hvsim-%d-%d.json", (int)getpid(), next);
			j->pid = fork();
			if (j->pid == 0)
				run_in_child(files->v[next], rn, j->tmp);
			if (j->pid < 0) {
				crashed(rn, &results[next], files->v[next], 0);
				j->done = true;
			} else {
				running++;
			}
			next++;
		}
		if (running && !(handed < next && jobs[handed].done)) {
			int status;
			pid_t pid = wait(&status);
			if (pid < 0)
				break;
			for (int i = 0; i < next; i++)
				if (jobs[i].pid == pid && !jobs[i].done) {
					take_result(rn, &jobs[i], files->v[i], status, &results[i]);
					jobs[i].timed_out = is_timeout(rn, status);
					jobs[i].done = true;
					running--;
					if (rn->exitfirst && failed(&results[i]))
						stopping = true;
				}
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
	for (int i = handed; i < next; i++) {
		if (!jobs[i].done && jobs[i].pid > 0) {
			kill(jobs[i].pid, SIGTERM);
			waitpid(jobs[i].pid, NULL, 0);
		}
		if (jobs[i].pid > 0)
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
