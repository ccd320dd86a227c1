/* compat.h - the client compatibility matrix: every client-style scenario
 * (scenarios/clients/) run once under each reading of the device that SPEC
 * section 9 leaves open (docs/device-model.md, "Profile switches"), so a
 * report can say which readings a client survives and, where it breaks,
 * which expectation failed. */
#ifndef HVSIM_COMPAT_H
#define HVSIM_COMPAT_H

#include "runner.h"
#include "result.h"

/* One column: the defaults (kv NULL) or one switch set to one alternative. */
struct compat_reading {
	const char *kv;          /* "irq_trigger=edge", NULL for all defaults */
	const char *rule;        /* the SPEC rule the switch belongs to */
};
extern const struct compat_reading compat_readings[];
extern const int n_compat_readings;

/* One cell: the scenario's status under the reading, and its first failed
 * expectation (or error) in words, NULL when it passed. */
struct compat_cell {
	enum sc_status status;
	char *why;
};

struct compat_table {
	int n_rows, n_cols;      /* scenarios x readings (n_cols = n_compat_readings) */
	char **row_names;        /* scenario names, in file order */
	char **row_files;
	struct compat_cell *cells;   /* row-major: cells[row * n_cols + col] */
};

/* Is this file a client-style scenario (its area is "clients")? */
bool compat_is_client(const char *file);

/* Run every file of `files` under every reading, `base` giving the workers,
 * the timeout and the user's own overrides (a reading's switch is applied
 * after them and wins). base->on_result and base->trace are not used.
 * Returns 0, or -1 when out of memory or nothing could start. */
int compat_run(const struct runner *base, const struct file_list *files, struct compat_table *out);

/* Cells that passed, out of all. */
int compat_passed(const struct compat_table *t);

void compat_free(struct compat_table *t);

#endif
