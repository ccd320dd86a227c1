/* json_util.c - typed cJSON getters with JSON-path error messages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include <inttypes.h>
#include "json_util.h"
#include "vdev/profile.h"

int jerr(struct jctx *c, const char *path, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!c->err || !c->errlen)
		return -1;
	n = path && *path ? snprintf(c->err, c->errlen, "%s: %s: ", c->file, path)
			  : snprintf(c->err, c->errlen, "%s: ", c->file);
	if (n >= 0 && (size_t)n < c->errlen) {
		va_start(ap, fmt);
		vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	/* One line, whatever the file holds: control bytes become '?'. */
	for (char *p = c->err; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return -1;
}

void jpath_key(char *out, const char *parent, const char *key)
{
	snprintf(out, JPATH_MAX, "%s%s%s", parent, *parent ? "." : "", key);
}

void jpath_idx(char *out, const char *parent, int i)
{
	snprintf(out, JPATH_MAX, "%s[%d]", parent, i);
}

const char *jtype_name(const cJSON *v)
{
	if (!v || cJSON_IsInvalid(v))
		return "nothing";
	if (cJSON_IsNull(v))
		return "null";
	if (cJSON_IsBool(v))
		return "a boolean";
	if (cJSON_IsNumber(v))
		return "a number";
	if (cJSON_IsString(v))
		return "a string";
	if (cJSON_IsArray(v))
		return "an array";
	return "an object";
}

const cJSON *jmember(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

/* Edit distance, capped: only small distances matter for "did you mean". */
static int edit_distance(const char *a, const char *b)
{
	enum { MAXL = 40 };
	int la = (int)strlen(a), lb = (int)strlen(b);
	int prev[MAXL + 1], cur[MAXL + 1];

	if (la > MAXL || lb > MAXL)
		return MAXL;
	for (int j = 0; j <= lb; j++)
		prev[j] = j;
	for (int i = 1; i <= la; i++) {
		cur[0] = i;
		for (int j = 1; j <= lb; j++) {
			int sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			int del = prev[j] + 1, ins = cur[j - 1] + 1;
			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		memcpy(prev, cur, sizeof(prev));
	}
	return prev[lb];
}

static const char *closest(const char *word, const char *const *known)
{
	const char *best = NULL;
	int best_d = 3;   /* at most two edits */

	for (int i = 0; known[i]; i++) {
		int d = edit_distance(word, known[i]);
		if (d < best_d && d < (int)strlen(known[i])) {
			best_d = d;
			best = known[i];
		}
	}
	return best;
}

int jcheck_object(struct jctx *c, const cJSON *v, const char *path, const char *const *known)
{
	char p[JPATH_MAX];

	if (!cJSON_IsObject(v))
		return jerr(c, path, "expected an object, got %s", jtype_name(v));
	for (const cJSON *m = v->child; m; m = m->next) {
		const char *key = m->string ? m->string : "";
		jpath_key(p, path, key);
		for (const cJSON *o = v->child; o != m; o = o->next)
			if (o->string && !strcmp(o->string, key))
				return jerr(c, p, "duplicate key");
		int ok = 0;
		for (int i = 0; known[i] && !ok; i++)
			ok = !strcmp(known[i], key);
		if (ok)
			continue;
		const char *near = closest(key, known);
		if (near)
			return jerr(c, p, "unknown key (did you mean '%s'?)", near);
		char list[400] = "";
		size_t len = 0;
		for (int i = 0; known[i] && len < sizeof(list); i++) {
			int n = snprintf(list + len, sizeof(list) - len, "%s%s", i ? ", " : "", known[i]);
			if (n < 0)
				break;
			len += (size_t)n;
		}
		return jerr(c, p, "unknown key (known: %s)", list);
	}
	return 0;
}

/* The shortest decimal form that reads back as d. */
static void fmt_double(char *buf, size_t size, double d)
{
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, size, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			return;
	}
}

int jv_string(struct jctx *c, const cJSON *v, const char *path, const char **out)
{
	if (!cJSON_IsString(v) || !v->valuestring)
		return jerr(c, path, "expected a string, got %s", jtype_name(v));
	*out = v->valuestring;
	return 0;
}

int jv_bool(struct jctx *c, const cJSON *v, const char *path, bool *out)
{
	if (!cJSON_IsBool(v))
		return jerr(c, path, "expected a boolean (true or false), got %s", jtype_name(v));
	*out = cJSON_IsTrue(v);
	return 0;
}

static double fabs_(double d)
{
	return d < 0 ? -d : d;
}

/* A JSON number that must be an integer of at most 2^31 in magnitude. */
static int json_int(struct jctx *c, const cJSON *v, const char *path, int64_t *out)
{
	double d = v->valuedouble;
	char buf[40];

	fmt_double(buf, sizeof(buf), d);
	if (!(d >= -2147483648.0 && d <= 2147483648.0)) {
		if (d != d)
			return jerr(c, path, "not a number");
		if (fabs_(d) <= 9007199254740992.0 && d == (double)(int64_t)d)  /* 2^53: exact */
			return jerr(c, path, "%.0f is too large for a JSON number (above 2^31); "
				    "write it as a string: \"%.0f\"", d, d);
		return jerr(c, path, "%s is too large for a JSON number (above 2^31); "
			    "write it as a string", buf);
	}
	if (d != (double)(int64_t)d)
		return jerr(c, path, "%s is not an integer", buf);
	*out = (int64_t)d;
	return 0;
}

/* True when s looks like a number (so a parse failure means overflow). */
static bool number_syntax(const char *s)
{
	const char *digits = "0123456789";

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		digits = "0123456789abcdefABCDEF";
	}
	size_t n = strspn(s, digits);
	if (!n)
		return false;
	s += n;
	if (*s && strchr("kKmMgG", *s))
		s++;
	return !*s;
}

/* "MIN..MAX" for messages; 2^64-1 spelled so. */
static const char *range_text(char *buf, size_t n, uint64_t min, uint64_t max)
{
	if (max == UINT64_MAX)
		snprintf(buf, n, "%" PRIu64 "..2^64-1", min);
	else
		snprintf(buf, n, "%" PRIu64 "..%" PRIu64, min, max);
	return buf;
}

/* s is the number's text after any '-'; shown is the whole string;
 * range names the accepted values for an overflow. */
static int string_u64(struct jctx *c, const char *s, const char *shown, const char *path,
		      const char *range, uint64_t *out)
{
	if (!parse_size(s, out))
		return 0;
	if (number_syntax(s) && !(s[0] == '0' && s[1] >= '0' && s[1] <= '9'))
		return jerr(c, path, "'%s' is out of range (%s)", shown, range);
	return jerr(c, path, "'%s' is not a number (decimal or 0x hex, optional K/M/G suffix; "
		    "no octal)", shown);
}

/* Every numeric field: the message names the accepted range (issue 13). */
int jv_u64(struct jctx *c, const cJSON *v, const char *path,
	   uint64_t min, uint64_t max, uint64_t *out)
{
	char range[64];
	uint64_t u = 0;

	range_text(range, sizeof(range), min, max);
	if (cJSON_IsNumber(v)) {
		double d = v->valuedouble;
		int64_t i = 0;
		/* an exact integer outside the range is reported as such, whatever its size */
		bool exact = fabs_(d) <= 9007199254740992.0 && d == (double)(int64_t)d;
		if (exact && (d < (double)min || d > (double)max))
			return jerr(c, path, "%.0f is out of range (%s)", d, range);
		if (json_int(c, v, path, &i))
			return -1;
		if (i < 0)
			return jerr(c, path, "%" PRId64 " is out of range (%s)", i, range);
		u = (uint64_t)i;
	} else if (cJSON_IsString(v) && v->valuestring) {
		if (v->valuestring[0] == '-')
			return jerr(c, path, "'%s' is out of range (%s)", v->valuestring, range);
		if (string_u64(c, v->valuestring, v->valuestring, path, range, &u))
			return -1;
	} else {
		return jerr(c, path, "expected a number or a string in C notation, got %s",
			    jtype_name(v));
	}
	if (u < min || u > max)
		return jerr(c, path, "%" PRIu64 " is out of range (%s)", u, range);
	*out = u;
	return 0;
}

int jv_u32(struct jctx *c, const cJSON *v, const char *path,
	   uint32_t min, uint32_t max, uint32_t *out)
{
	uint64_t u = 0;

	if (jv_u64(c, v, path, min, max, &u))
		return -1;
	*out = (uint32_t)u;
	return 0;
}

int jv_i64(struct jctx *c, const cJSON *v, const char *path, int64_t *out)
{
	if (cJSON_IsNumber(v))
		return json_int(c, v, path, out);
	if (!cJSON_IsString(v) || !v->valuestring)
		return jerr(c, path, "expected a number or a string in C notation, got %s",
			    jtype_name(v));
	const char *s = v->valuestring;
	const char *range = "-2^63..2^63-1";
	bool neg = s[0] == '-';
	uint64_t u = 0;
	if (string_u64(c, s + neg, s, path, range, &u))
		return -1;
	if (neg ? u > (uint64_t)INT64_MAX + 1 : u > (uint64_t)INT64_MAX)
		return jerr(c, path, "'%s' is out of range (%s)", s, range);
	*out = neg ? (int64_t)(0 - u) : (int64_t)u;
	return 0;
}

int jv_hex(struct jctx *c, const cJSON *v, const char *path, uint8_t **out, size_t *len)
{
	const char *s = NULL;
	size_t n;

	if (jv_string(c, v, path, &s))
		return -1;
	n = strlen(s);
	if (!n)
		return jerr(c, path, "empty hex string");
	for (size_t i = 0; i < n; i++)
		if (!strchr("0123456789abcdefABCDEF", s[i]))
			return jerr(c, path, "'%c' at position %zu is not a hex digit", s[i], i);
	if (n % 2)
		return jerr(c, path, "odd number of hex digits (%zu): bytes take two each", n);
	uint8_t *b = malloc(n / 2);
	if (!b)
		return jerr(c, path, "out of memory");
	for (size_t i = 0; i < n / 2; i++) {
		char two[3] = { s[2 * i], s[2 * i + 1], 0 };
		b[i] = (uint8_t)strtoul(two, NULL, 16);
	}
	*out = b;
	*len = n / 2;
	return 0;
}

int jdup(struct jctx *c, const char *path, const char *s, char **out)
{
	*out = strdup(s);
	return *out ? 0 : jerr(c, path, "out of memory");
}

/* Member getters: find the member, then the value getter with its path. */
#define MEMBER(obj, key, required)						\
	char p[JPATH_MAX];							\
	const cJSON *v = jmember(obj, key);					\
	jpath_key(p, path, key);						\
	if (!v)									\
		return required ? jerr(c, p, "missing (required)") : 0;

int jget_string(struct jctx *c, const cJSON *obj, const char *path, const char *key,
		bool required, const char **out)
{
	MEMBER(obj, key, required);
	return jv_string(c, v, p, out) ? -1 : 1;
}

int jget_bool(struct jctx *c, const cJSON *obj, const char *path, const char *key,
	      bool required, bool *out)
{
	MEMBER(obj, key, required);
	return jv_bool(c, v, p, out) ? -1 : 1;
}

int jget_u64(struct jctx *c, const cJSON *obj, const char *path, const char *key,
	     bool required, uint64_t min, uint64_t max, uint64_t *out)
{
	MEMBER(obj, key, required);
	return jv_u64(c, v, p, min, max, out) ? -1 : 1;
}

int jget_u32(struct jctx *c, const cJSON *obj, const char *path, const char *key,
	     bool required, uint32_t min, uint32_t max, uint32_t *out)
{
	MEMBER(obj, key, required);
	return jv_u32(c, v, p, min, max, out) ? -1 : 1;
}

int jget_i64(struct jctx *c, const cJSON *obj, const char *path, const char *key,
	     bool required, int64_t *out)
{
	MEMBER(obj, key, required);
	return jv_i64(c, v, p, out) ? -1 : 1;
}

int jget_array(struct jctx *c, const cJSON *obj, const char *path, const char *key,
	       bool required, const cJSON **out)
{
	MEMBER(obj, key, required);
	if (!cJSON_IsArray(v))
		return jerr(c, p, "expected an array, got %s", jtype_name(v));
	*out = v;
	return 1;
}

int jget_object(struct jctx *c, const cJSON *obj, const char *path, const char *key,
		bool required, const cJSON **out)
{
	MEMBER(obj, key, required);
	if (!cJSON_IsObject(v))
		return jerr(c, p, "expected an object, got %s", jtype_name(v));
	*out = v;
	return 1;
}

bool str_all_of(const char *s, const char *set)
{
	return *s && strspn(s, set) == strlen(s);
}

/* ---- NUL characters (issue 13) ------------------------------------------
 * cJSON decodes "\u0000" into a NUL that ends valuestring early: "a\u0000b"
 * would read as "a". The text is scanned for the first string token holding
 * that escape; walking the tree in document order (a key, then its value)
 * finds the same token, and so its path. */

/* Index of the first string token containing \u0000, or -1. */
static long first_nul_token(const char *text)
{
	long idx = 0;

	for (const char *p = text; *p; p++) {
		if (*p != '"')
			continue;
		for (p++; *p && *p != '"'; p++) {
			if (*p != '\\')
				continue;
			if (p[1] == 'u' && !strncmp(p + 2, "0000", 4))
				return idx;
			if (p[1])
				p++;
		}
		if (!*p)
			break;
		idx++;
	}
	return -1;
}

/* Count string tokens of v (and its keys) until token `want`; 1 when found. */
static int find_token(struct jctx *c, const cJSON *v, const char *path, long want, long *n)
{
	char p[JPATH_MAX];
	int i = 0;

	if (cJSON_IsString(v)) {
		if ((*n)++ != want)
			return 0;
		jerr(c, path, "string contains a NUL character (\\u0000)");
		return 1;
	}
	if (!cJSON_IsArray(v) && !cJSON_IsObject(v))
		return 0;
	for (const cJSON *m = v->child; m; m = m->next, i++) {
		if (cJSON_IsObject(v)) {
			jpath_key(p, path, m->string ? m->string : "");
			if ((*n)++ == want) {
				jerr(c, p, "key contains a NUL character (\\u0000)");
				return 1;
			}
		} else {
			jpath_idx(p, path, i);
		}
		if (find_token(c, m, p, want, n))
			return 1;
	}
	return 0;
}

int jcheck_nul(struct jctx *c, const char *text, const cJSON *root)
{
	long want = first_nul_token(text), n = 0;

	if (want < 0)
		return 0;
	if (!find_token(c, root, "", want, &n))
		jerr(c, "", "a string contains a NUL character (\\u0000)");
	return -1;
}
