/* textutil.h - text helpers shared by the result serialiser and the report
 * writers: XML/HTML escaping that survives any byte a guest prints, UTF-8
 * checks, hex formatting and parsing, anchor ids, and small per-run tallies.
 * No Unicorn, no cJSON types in the interface. */
#ifndef HVSIM_TEXTUTIL_H
#define HVSIM_TEXTUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "result.h"

/* How tu_escape writes text.
 *   TU_XML_TEXT  element content: & < > escaped, CR as &#13;
 *   TU_XML_ATTR  attribute value: also " ' and TAB/LF/CR as character references
 *   TU_HTML      HTML text or attribute: & < > " ' escaped, whitespace kept
 * In every mode the output is valid UTF-8 and valid XML 1.0 characters:
 * bytes that are not valid UTF-8 become U+FFFD, C0 control characters other
 * than TAB/LF/CR and DEL become their visible "control picture" (U+2400 + c,
 * U+2421), and the non-characters U+FFFE/U+FFFF become U+FFFD. */
enum tu_esc { TU_XML_TEXT, TU_XML_ATTR, TU_HTML };

void tu_escape(FILE *f, const char *s, enum tu_esc mode);
/* As tu_escape, reading at most `max` bytes of s (never splitting a UTF-8
 * sequence). Returns the number of input bytes consumed. */
size_t tu_escape_n(FILE *f, const char *s, size_t max, enum tu_esc mode);

/* Length of the valid UTF-8 sequence at p (1..4, code point in *cp), or 0 if
 * the bytes there are not valid UTF-8 (overlong, surrogate, > U+10FFFF,
 * truncated). p must point at a non-NUL byte of a NUL-terminated string. */
int tu_utf8_seq(const unsigned char *p, uint32_t *cp);
/* True when the whole string is valid UTF-8. */
bool tu_utf8_valid(const char *s);

/* Write an HTML id / URL fragment made from s: [A-Za-z0-9_.-] kept, every
 * other byte as _XX (hex). Safe unescaped in attributes and in "#..." hrefs. */
void tu_write_id(FILE *f, const char *s);

/* "0x" + lower-case hex into buf (at least TU_HEX_BUF bytes); returns buf. */
#define TU_HEX_BUF 19
const char *tu_hex(char *buf, uint64_t v);
/* Parse an unsigned 64-bit value: "0x..." hex or decimal, whole string, no
 * sign, no overflow. Returns 0 or -1. */
int tu_parse_u64(const char *s, uint64_t *out);
/* Parse a signed 64-bit value: optional '-' then decimal, or "0x..." hex of
 * the two's complement. Returns 0 or -1. */
int tu_parse_i64(const char *s, int64_t *out);

/* Status words: "pass"/"fail"/"error"/"skip" and "PASS"/"FAIL"/... */
const char *tu_status_name(enum sc_status st);
const char *tu_status_label(enum sc_status st);
/* Parse a status word (lower case). Returns 0 or -1. */
int tu_status_parse(const char *s, enum sc_status *st);

/* The scenario's area: the name of its file's parent directory
 * ("scenarios/gic/x.json" -> "gic"); "misc" when there is none. Written into
 * buf (size n); returns buf. */
const char *tu_area(const char *file, char *buf, size_t n);

/* The first failed expectation's words: r->reason when set, else the first
 * failed exp's "what: message"; NULL when nothing failed. Returns its index
 * in r->exps through *exp_idx (-1 when none failed). The string is owned by r
 * or by buf (size n). */
const char *tu_first_failure(const struct sc_result *r, int *exp_idx, char *buf, size_t n);

/* A VM's end in words: "exit 0", "fault read-unmapped at pc 0x... addr 0x...
 * (ldr x0, [x1])", "did not stop". Written into buf (size n); returns buf. */
const char *tu_vm_outcome(const struct vm_result *v, char *buf, size_t n);

struct tu_counts {
	int passed, failed, errors, skipped, total;
	double seconds;
};
void tu_count(const struct run_summary *s, struct tu_counts *c);

/* A JSON value holding string s losslessly (cJSON inside): NULL -> null;
 * valid UTF-8 -> a JSON string; anything else -> {"bytes": "<hex>"} so the
 * document stays valid UTF-8. tu_json_str_get reverses it: 0 with a malloc'd
 * string (NULL for null), -1 when v is neither form. */
struct cJSON;
struct cJSON *tu_json_str(const char *s);
int tu_json_str_get(const struct cJSON *v, char **out);

/* Clause coverage. tu_names_clause: r lists clause id. tu_clause_state:
 * "fail" when a scenario naming id failed or errored, else "pass" when one
 * passed, else "skip" when one was skipped, else "uncovered".
 * tu_extra_clauses: the IDs scenarios name that are not in
 * s->all_clauses, each once, in first-seen order (a malloc'd array of
 * pointers into the results; *n its length; NULL when there are none). */
bool tu_names_clause(const struct sc_result *r, const char *id);
const char *tu_clause_state(const struct run_summary *s, const char *id);
const char **tu_extra_clauses(const struct run_summary *s, int *n);

/* Seconds as a short human string: "0.012 s", "4.2 s", "3 min 12 s". */
const char *tu_duration(double seconds, char *buf, size_t n);

/* A VM's name in a result ("host" for EV_HOST, "vm#N" if unknown). */
const char *tu_vm_name(const struct sc_result *r, int vm, char *buf, size_t n);
/* An event's details in words (malloc'd), e.g. "intid=36". */
char *tu_ev_details(const struct sc_result *r, const struct ev *e);

#endif
