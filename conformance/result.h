/* result.h - what one scenario run produced, as plain data: the input of the
 * reports (reports/) and what a worker process sends its parent for `-j N`
 * (serialised by result_json.h). */
#ifndef HVSIM_RESULT_H
#define HVSIM_RESULT_H

#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include "sim/evlog.h"

/* SC_INCOMPLETE: an exploration cut short by its budget before it could
 * prove anything (no failure found, bound not exhausted). */
enum sc_status { SC_PASS, SC_FAIL, SC_ERROR, SC_SKIP, SC_INCOMPLETE };

struct exp_result {
	char *where;          /* "expect[2]" or "default: vm a exit" */
	char *what;           /* the expectation in words: "vm b console contains \"size=16\"" */
	bool pass;
	char *message;        /* on failure: expected X, got Y */
	int64_t ev_seq;       /* event most relevant to the outcome, -1 if none */
	char **clauses; int n_clauses;   /* the rule IDs it checks: its own "clause",
					  * else the scenario's listed ones */
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

/* One report of race mode (docs/races.md; sim/race.h in words): plain
 * fixed-size data, so the explorer can share it between processes. */
struct race_side_rec {
	char vm[32];              /* VM name or "host" */
	uint64_t pc;
	char sym[64];             /* "wait_flag+0x28" or "" */
	uint64_t addr;            /* guest address (host: region offset) */
	char region[64];          /* region, or the device page for a register */
	uint64_t off;
	uint32_t width;
	uint64_t value;
	char dir;                 /* 'r' or 'w' */
	bool atomic;
	uint64_t clock;
	int64_t seq;              /* the event-log position of the access */
};
struct race_rec {
	char kind[24];            /* data-race, missing-barrier-store, missing-barrier-load */
	struct race_side_rec first, second;
	char why[1024];            /* the missing happens-before chain */
	char schedule[1024];      /* the schedule that showed it (replay it) */
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
	uint64_t log_hash;    /* hash of the event log (engine_opts.hash_log), else 0 */
	struct ev *events;    /* events kept for the timeline, in order (mmio: failed only) */
	int n_kept;
	double seconds;       /* host time taken: reports only, never behaviour */
	bool race_mode;       /* the run was in race mode */
	struct race_rec *races; int n_races;   /* its reports (explore: distinct, all schedules) */
	bool race_deferred;   /* explore: race expectations judged on all schedules' reports
			       * (expect_check_races), not on each run's */
	struct sc_explore {   /* hvsim explore only (`present`) */
		bool present;
		uint64_t runs;        /* schedules run */
		uint64_t digest;      /* sum of their hashes: shards add up to the whole */
		uint64_t left;        /* schedules in the bound known not to be run */
		uint32_t max_preemptions;
		uint32_t shard_k, shard_n;   /* this part of the tree (1/1: all of it) */
	} explore;
};

void result_free(struct sc_result *r);
/* The scenario's area: its file's parent directory ("scenarios/gic/x.json"
 * -> "gic"); "misc" when there is none. Written into buf (size n). */
const char *result_area(const char *file, char *buf, size_t n);

/* Status words: "pass"/"fail"/"error"/"skip"/"incomplete" and "PASS"/"FAIL"/... */
const char *result_status_name(enum sc_status st);
const char *result_status_label(enum sc_status st);
/* Parse a status word (lower case). Returns 0 or -1. */
int result_status_parse(const char *s, enum sc_status *st);


#endif
