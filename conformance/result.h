/* result.h - what one scenario run produced, as plain data: the input of the
 * reports (JUnit, HTML, JSON) and what a worker process sends its parent for
 * `-j N` (serialised with result_to_json / result_from_json). */
#ifndef HVSIM_RESULT_H
#define HVSIM_RESULT_H

#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include "../sim/evlog.h"

enum sc_status { SC_PASS, SC_FAIL, SC_ERROR, SC_SKIP };

struct exp_result {
	char *where;          /* "expect[2]" or "default: vm a exit" */
	char *what;           /* the expectation in words: "vm b console contains \"size=16\"" */
	bool pass;
	char *message;        /* on failure: expected X, got Y */
	int64_t ev_seq;       /* event most relevant to the outcome, -1 if none */
};

struct vm_result {
	char *name;
	char *program;
	bool exited; int64_t exit_code;
	bool faulted; char fault_kind[20]; uint64_t fault_addr; uint64_t fault_pc; char *fault_insn;
	uint64_t icount;
	char *console;        /* whole console output */
	int64_t *fails; int n_fails;
};

struct sc_result {
	char *file;
	char *name;
	char *description;
	char **clauses; int n_clauses;
	enum sc_status status;
	char *reason;         /* first failed expectation, or the error; NULL on pass */
	char *schedule;       /* schedule string (CONTRACT 4) */
	char *replay;         /* full replay command */
	struct exp_result *exps; int n_exps;
	struct vm_result *vms; int n_vms;
	uint64_t clock;       /* system clock at the end */
	uint64_t n_events;    /* events in the full log */
	struct ev *events;    /* events kept for the timeline (no mmio), in order */
	int n_kept;
	double seconds;       /* host time taken: reports only, never behaviour */
};

void result_free(struct sc_result *r);

/* Serialise for machines and for worker processes (cJSON inside). */
char *result_to_json(const struct sc_result *r);        /* malloc'd string */
int result_from_json(const char *text, struct sc_result *r, char *err, size_t errlen);

/* Reports over a whole run (CONTRACT 6). `title` is e.g. "hvsim conform".
 * Each returns 0 or -1 with a message. */
struct run_summary {
	const char *title;
	const char *command;       /* the command line, for the report header */
	const char *version;
	struct sc_result *results; int n;
	const char *const *all_clauses; int n_all_clauses;  /* SPEC IDs, in order */
};
int report_junit(const struct run_summary *s, const char *path, char *err, size_t errlen);
int report_html(const struct run_summary *s, const char *path, char *err, size_t errlen);
int report_json(const struct run_summary *s, const char *path, char *err, size_t errlen);

#endif
