/* summary.h - results in words (a VM's end, the first failure, an event's
 * details) and per-run tallies: shared by the report writers and the
 * command line. */
#ifndef HVSIM_SUMMARY_H
#define HVSIM_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>
#include "report.h"

/* The scenario's area: the name of its file's parent directory
 * ("scenarios/gic/x.json" -> "gic"); "misc" when there is none. Written into
 * buf (size n); returns buf. */
const char *summary_area(const char *file, char *buf, size_t n);

/* The first failed expectation's words: r->reason when set, else the first
 * failed exp's "what: message"; NULL when nothing failed. Returns its index
 * in r->exps through *exp_idx (-1 when none failed). The string is owned by r
 * or by buf (size n). */
const char *summary_first_failure(const struct sc_result *r, int *exp_idx, char *buf, size_t n);

/* A VM's end in words: "exit 0", "fault read-unmapped at pc 0x... addr 0x...
 * (ldr x0, [x1])", "did not stop". Written into buf (size n); returns buf. */
const char *summary_vm_outcome(const struct vm_result *v, char *buf, size_t n);

struct summary_counts {
	int passed, failed, errors, skipped, incomplete, total;
	double seconds;
};
void summary_count(const struct run_summary *s, struct summary_counts *c);

/* Clause coverage, per rule: each expectation result carries the IDs it
 * checks (its own "clause", else the scenario's list). summary_names_clause:
 * r names clause id (its list, which includes the expectations' IDs).
 * summary_clause_state_in: for one result, "fail" when an expectation naming
 * id failed (or the scenario errored, or failed with no expectation
 * checked), "pass" when one passed, "skip" for a skipped or incomplete
 * scenario, else "uncovered" (the scenario names id but no expectation
 * checks it). summary_clause_state: over the run, "fail" when any result
 * fails id, else "pass" when one passes it, else "skip", else "uncovered".
 * summary_extra_clauses: the IDs scenarios name that are not in
 * s->all_clauses, each once, in first-seen order (a malloc'd array of
 * pointers into the results; *n its length; NULL when there are none). */
bool summary_names_clause(const struct sc_result *r, const char *id);
const char *summary_clause_state_in(const struct sc_result *r, const char *id);
const char *summary_clause_state(const struct run_summary *s, const char *id);
const char **summary_extra_clauses(const struct run_summary *s, int *n);

/* Whether the command line colours its PASS/FAIL/ERROR words: only on a
 * terminal, and never when NO_COLOR is set to a non-empty value
 * (https://no-color.org). no_color is getenv("NO_COLOR"). */
bool summary_colour(bool is_tty, const char *no_color);

/* Seconds as a short human string: "0.012 s", "4.2 s", "3 min 12 s". */
const char *summary_duration(double seconds, char *buf, size_t n);

/* A VM's name in a result ("host" for EV_HOST, "vm#N" if unknown). */
const char *summary_vm_name(const struct sc_result *r, int vm, char *buf, size_t n);
/* An event's details in words (malloc'd), e.g. "intid=36". */
char *summary_ev_details(const struct sc_result *r, const struct ev *e);

/* One access of a race report in words: "poller read 0x0 (4 bytes) at
 * 0x1800001000 = fp+0x0, pc 0x40001088 <wait_flag+0x28>". Into buf. */
const char *summary_race_side(const struct race_side_rec *s, char *buf, size_t n);
/* A whole race report (race mode, docs/races.md), several lines, each
 * starting with `indent`: kind, both accesses, the missing happens-before
 * chain, the replay command (argv0 replay FILE --races --schedule ...).
 * malloc'd; NULL on out-of-memory. */
char *summary_race_text(const struct sc_result *r, int i, const char *argv0, const char *indent);

#endif
