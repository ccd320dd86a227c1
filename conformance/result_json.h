/* result_json.h - a scenario's result as lossless JSON: the --json report's
 * per-scenario object, and what a `-j N` worker sends its parent. Schema:
 * docs/json-schema.md. The value codecs are shared with the JSON report. */
#ifndef HVSIM_RESULT_JSON_H
#define HVSIM_RESULT_JSON_H

#include <stddef.h>
#include <stdint.h>
#include "result.h"

char *result_to_json(const struct sc_result *r);        /* malloc'd string */
int result_from_json(const char *text, struct sc_result *r, char *err, size_t errlen);
/* Every result of a whole --json report (malloc'd array of *n). 0 or -1. */
int results_from_report(const char *text, struct sc_result **out, int *n, char *err,
			size_t errlen);

/* "0x" + lower-case hex into buf (at least RJ_HEX_BUF bytes); returns buf. */
#define RJ_HEX_BUF 19
const char *rj_hex(char *buf, uint64_t v);
/* Parse an unsigned 64-bit value: "0x..." hex or decimal, whole string, no
 * sign, no overflow. Returns 0 or -1. */
int rj_parse_u64(const char *s, uint64_t *out);
/* Parse a signed 64-bit value: optional '-' then decimal, or "0x..." hex of
 * the two's complement. Returns 0 or -1. */
int rj_parse_i64(const char *s, int64_t *out);

/* A JSON value holding string s losslessly (cJSON inside): NULL -> null;
 * valid UTF-8 -> a JSON string; anything else -> {"bytes": "<hex>"} so the
 * document stays valid UTF-8. rj_str_get reverses it: 0 with a malloc'd
 * string (NULL for null), -1 when v is neither form. */
struct cJSON;
struct cJSON *rj_str(const char *s);
int rj_str_get(const struct cJSON *v, char **out);

#endif
