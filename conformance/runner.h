/* runner.h - many scenario files, each run in its own worker process (so a
 * crash in one is reported as that file's ERROR and the others complete),
 * at most `jobs` at a time, results handed back in file order. And finding
 * the files: directories expanded, sorted bytewise, sharded (CONTRACT 1). */
#ifndef HVSIM_RUNNER_H
#define HVSIM_RUNNER_H

#include <stdbool.h>
#include <stdio.h>
#include "engine.h"
#include "result.h"

struct file_list { char **v; int n, cap; };

/* Every *.json below a directory; other paths as given (one that cannot be
 * read stays: its run reports the error). Sorted bytewise; with shard_n > 1
 * only file i (from 0) with i mod shard_n + 1 == shard_k. */
int runner_collect(const char *const *paths, int n_paths, int shard_k, int shard_n,
		   struct file_list *out);
void file_list_free(struct file_list *l);
/* A whole text file (malloc'd, NUL-ended), or NULL. */
char *runner_read_text(const char *path);
/* Append a copy of s. Returns 0, or -1 when out of memory. */
int file_list_add(struct file_list *l, const char *s);

struct runner {
	int jobs;                         /* worker processes at once, >= 1 */
	const struct engine_opts *eo;     /* its trace is not used: see `trace` */
	FILE *trace;                      /* event logs in file order, or NULL; with
					   * several files each follows a
					   * {"scenario":...,"file":...} line */
	unsigned timeout_s;               /* wall-clock budget per file, 0 = none:
					   * the worker is ended and the file is an
					   * ERROR "timed out after N s" */
	void (*on_result)(void *ctx, const struct sc_result *r);   /* in file order */
	void *ctx;
	bool exitfirst;                   /* -x: stop at the first FAIL or ERROR in file
					   * order: start no more workers, end the
					   * running ones (SIGTERM), hand back nothing
					   * after it */
	int *n_ran;                       /* out (or NULL): results handed back; less
					   * than files->n only after exitfirst stopped
					   * (results[n_ran..] are left zeroed) */
};

/* Run files->v[i] into results[i] (n = files->n). Returns 0, or -1 when
 * nothing could be started. */
int runner_run(const struct runner *rn, const struct file_list *files, struct sc_result *results);

/* The line that heads one scenario's events in a trace of several:
 * {"scenario":NAME,"file":PATH} and a newline, both strings JSON-escaped. */
int runner_trace_header(FILE *f, const char *name, const char *file);

#endif
