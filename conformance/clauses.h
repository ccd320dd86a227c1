/* clauses.h - the rule IDs of SPEC.md (FAC-1 .. PLT-4), in document order,
 * with a short title each: the rows of the HTML report's coverage matrix. */
#ifndef HVSIM_CLAUSES_H
#define HVSIM_CLAUSES_H

extern const char *const spec_clauses[];
extern const int n_spec_clauses;

/* A few words describing rule `id`, or NULL when id is not a SPEC.md rule. */
const char *clause_title(const char *id);

/* The SPEC.md section a rule belongs to, from its prefix ("GIC-5" ->
 * "Interrupt controller (GIC)"), or NULL for an unknown prefix. */
const char *clause_section(const char *id);

#endif
