/* json_util.h - typed cJSON getters whose errors name the file and the JSON
 * path ("FILE: vms[1].shmem[0].loc: what is wrong"), in the style of
 * TinyEMU's vm_get_int(): required or optional, type-checked, one message.
 *
 * Getters of members (jget_*) return 1 when the key is present and its value
 * is good, 0 when an optional key is absent (*out untouched), -1 with the
 * message in c->err otherwise. Getters of values (jv_*) return 0 or -1.
 *
 * Numbers (CONTRACT 3) are JSON numbers (integers, |n| <= 2^31: larger ones
 * lose precision in cJSON, so they must be strings) or strings in C notation
 * ("0x1c050000", "-3", "16M"; see parse_size()).
 */
#ifndef HVSIM_JSON_UTIL_H
#define HVSIM_JSON_UTIL_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include <cjson/cJSON.h>

#define JPATH_MAX 200

struct jctx {
	const char *file;     /* as given: starts every message */
	char *err;
	size_t errlen;
};

/* "FILE: PATH: message" (no PATH part when path is empty). Returns -1. */
int jerr(struct jctx *c, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Paths: parent.key, parent[i]. */
void jpath_key(char *out, const char *parent, const char *key);
void jpath_idx(char *out, const char *parent, int i);

/* "a string", "an object", ... for messages. */
const char *jtype_name(const cJSON *v);

/* v is an object without duplicate keys whose keys are all in `known`
 * (NULL-terminated). An unknown key gets a "did you mean" when one is close. */
int jcheck_object(struct jctx *c, const cJSON *v, const char *path, const char *const *known);

/* The member, or NULL (case-sensitive, unlike cJSON_GetObjectItem). */
const cJSON *jmember(const cJSON *obj, const char *key);

int jv_string(struct jctx *c, const cJSON *v, const char *path, const char **out);
int jv_bool(struct jctx *c, const cJSON *v, const char *path, bool *out);
int jv_u64(struct jctx *c, const cJSON *v, const char *path,
	   uint64_t min, uint64_t max, uint64_t *out);
int jv_u32(struct jctx *c, const cJSON *v, const char *path,
	   uint32_t min, uint32_t max, uint32_t *out);
int jv_i64(struct jctx *c, const cJSON *v, const char *path, int64_t *out);

int jget_string(struct jctx *c, const cJSON *obj, const char *path, const char *key,
		bool required, const char **out);
int jget_bool(struct jctx *c, const cJSON *obj, const char *path, const char *key,
	      bool required, bool *out);
int jget_u64(struct jctx *c, const cJSON *obj, const char *path, const char *key,
	     bool required, uint64_t min, uint64_t max, uint64_t *out);
int jget_u32(struct jctx *c, const cJSON *obj, const char *path, const char *key,
	     bool required, uint32_t min, uint32_t max, uint32_t *out);
int jget_i64(struct jctx *c, const cJSON *obj, const char *path, const char *key,
	     bool required, int64_t *out);
/* An array or object member (type checked); *out is the cJSON node. */
int jget_array(struct jctx *c, const cJSON *obj, const char *path, const char *key,
	       bool required, const cJSON **out);
int jget_object(struct jctx *c, const cJSON *obj, const char *path, const char *key,
		bool required, const cJSON **out);

/* Even-length hex string -> malloc'd bytes (at least one byte). */
int jv_hex(struct jctx *c, const cJSON *v, const char *path, uint8_t **out, size_t *len);

/* s is non-empty and every byte of it is in `set`. */
bool str_all_of(const char *s, const char *set);
#define CHARS_LOWER_DIGITS "abcdefghijklmnopqrstuvwxyz0123456789"
#define CHARS_UPPER        "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

/* -1 with "FILE: PATH: string contains a NUL character (\\u0000)" when a
 * string (or key) of root, parsed from text, holds \\u0000: cJSON would cut
 * it short there. */
int jcheck_nul(struct jctx *c, const char *text, const cJSON *root);

/* strdup that reports failure as a message. */
int jdup(struct jctx *c, const char *path, const char *s, char **out);

#endif
