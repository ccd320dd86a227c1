/* report.h - the report writers (CONTRACT 6): they read result records
 * only, never the simulator. */
#ifndef HVSIM_REPORT_H
#define HVSIM_REPORT_H

#include <stddef.h>
#include "conformance/result.h"

struct compat_table;

/* Reports over a whole run (CONTRACT 6). `title` is e.g. "hvsim conform".
 * Each returns 0 or -1 with a message. */
struct run_summary {
	const char *title;
	const char *command;       /* the command line, for the report header */
	const char *version;
	struct sc_result *results; int n;
	const char *const *all_clauses; int n_all_clauses;  /* SPEC IDs, in order */
	const struct compat_table *compat;   /* client x reading matrix, or NULL */
};
int report_junit(const struct run_summary *s, const char *path, char *err, size_t errlen);
int report_html(const struct run_summary *s, const char *path, char *err, size_t errlen);
int report_json(const struct run_summary *s, const char *path, char *err, size_t errlen);
/* TAP version 13: one test point per result, failures with a YAML block. */
int report_tap(const struct run_summary *s, const char *path, char *err, size_t errlen);

#endif
