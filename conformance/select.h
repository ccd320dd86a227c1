/* select.h - which scenarios a run takes, as pytest and ctest users expect:
 * `-k EXPR` (a keyword expression over each scenario's name, area and
 * clause IDs), `--last-failed` (the files that failed last time, kept in a
 * small state file), and what `--list` shows. Pure logic and small files;
 * tools/hvsim.c parses the options and prints.
 *
 * The -k grammar (words are case-insensitive substrings):
 *   expr := and_expr { "or" and_expr }
 *   and_expr := unary { "and" unary }
 *   unary := "not" unary | "(" expr ")" | WORD
 * WORD is any run of characters other than blanks and parentheses that is
 * not one of the keywords "and", "or", "not". A WORD matches a scenario
 * when it is a substring of its name, its area (the file's directory) or
 * one of its clause IDs. "not" binds tightest, then "and", then "or":
 * "gic and not edge or CRE-7" is "(gic and (not edge)) or CRE-7". */
#ifndef HVSIM_SELECT_H
#define HVSIM_SELECT_H

#include <stdbool.h>
#include <stddef.h>
#include "runner.h"

/* What selection sees of one scenario file, read without running it. */
struct sel_meta {
	char *file;
	char *name;        /* "name", or the file name without .json */
	char *area;        /* the file's parent directory name, "misc" when none */
	char **clauses; int n_clauses;
	bool readable;     /* false: not JSON or not an object (its run will say why) */
};
/* Never fails except out of memory (-1). */
int sel_meta_read(const char *file, struct sel_meta *m);
void sel_meta_free(struct sel_meta *m);

struct sel_expr;
/* Parse a -k expression. Returns NULL with a message ("-k: expected a word
 * after 'and'") when it is not in the grammar above. */
struct sel_expr *sel_parse(const char *text, char *err, size_t errlen);
bool sel_match(const struct sel_expr *e, const struct sel_meta *m);
void sel_free(struct sel_expr *e);

/* --last-failed. The state file holds one absolute path (realpath) per
 * line: the files whose last run was FAIL, ERROR or INCOMPLETE. */

/* Read the state into out (absolute paths). A missing file is an empty
 * list. Returns 0, or -1 when it exists and cannot be read. */
int sel_lastfailed_read(const char *state, struct file_list *out);
/* Whether `file` (any spelling) is in the list read above. */
bool sel_lastfailed_has(const struct file_list *lf, const char *file);
/* After a run: every file that ran leaves the state, those that failed
 * (failed[i]) enter it; files that did not run keep their entry. The file
 * is replaced whole (written beside it, then renamed). Returns 0 or -1. */
int sel_lastfailed_update(const char *state, char *const *ran, const bool *failed, int n);

/* Keep the files for which keep[i] is true, in order (frees the others). */
void sel_filter(struct file_list *l, const bool *keep);

#endif
