/* result_json.c - a scenario's result in a lossless
 * JSON form (the --json report's per-scenario object, and what a `-j N`
 * worker sends its parent). Schema: docs/json-schema.md.
 *
 * Encoding rules (so nothing loses precision through a JSON double):
 *   - unsigned 64-bit values are strings "0x<hex>";
 *   - signed 64-bit values are JSON numbers when |v| <= 2^53, else decimal
 *     strings; the reader accepts either form (and "0x" two's complement);
 *   - strings are JSON strings when valid UTF-8, else {"bytes": "<hex>"};
 *     a NULL string is null (or, inside events, an absent key);
 *   - event fields that are zero are left out; an absent field reads as zero.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "result_json.h"
#include "utf8.h"

#define JSON_SAFE_INT 9007199254740992.0   /* 2^53 */

/* ---- values ---- */

const char *rj_hex(char *buf, uint64_t v)
{
	snprintf(buf, RJ_HEX_BUF, "0x%" PRIx64, v);
	return buf;
}

int rj_parse_u64(const char *s, uint64_t *out)
{
	char *end;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ' || *s == '\t')
		return -1;
	if ((s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) && !s[2])
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ? 16 : 10);
	if (errno || *end)
		return -1;
	*out = (uint64_t)v;
	return 0;
}

int rj_parse_i64(const char *s, int64_t *out)
{
	if (s && s[0] == '-') {
		char *end;
		if (!(s[1] >= '0' && s[1] <= '9'))
			return -1;
		errno = 0;
		long long v = strtoll(s, &end, 10);
		if (errno || *end)
			return -1;
		*out = (int64_t)v;
		return 0;
	}
	uint64_t u;
	if (rj_parse_u64(s, &u))
		return -1;
	bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	if (!hex && u > (uint64_t)INT64_MAX)
		return -1;
	*out = (int64_t)u;   /* hex: two's complement */
	return 0;
}


cJSON *rj_str(const char *s)
{
	if (!s)
		return cJSON_CreateNull();
	if (utf8_valid(s))
		return cJSON_CreateString(s);
	size_t len = strlen(s);
	char *hex = malloc(len * 2 + 1);
	if (!hex)
		return NULL;
	for (size_t i = 0; i < len; i++)
		snprintf(hex + 2 * i, 3, "%02x", (unsigned char)s[i]);
	hex[len * 2] = 0;
	cJSON *o = cJSON_CreateObject();
	if (o && !cJSON_AddStringToObject(o, "bytes", hex)) {
		cJSON_Delete(o);
		o = NULL;
	}
	free(hex);
	return o;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

int rj_str_get(const cJSON *v, char **out)
{
	*out = NULL;
	if (!v || cJSON_IsNull(v))
		return 0;
	if (cJSON_IsString(v) && v->valuestring) {
		*out = strdup(v->valuestring);
		return *out ? 0 : -1;
	}
	if (!cJSON_IsObject(v))
		return -1;
	const cJSON *b = cJSON_GetObjectItemCaseSensitive(v, "bytes");
	if (!cJSON_IsString(b) || !b->valuestring || cJSON_GetArraySize(v) != 1)
		return -1;
	size_t len = strlen(b->valuestring);
	if (len % 2)
		return -1;
	char *s = malloc(len / 2 + 1);
	if (!s)
		return -1;
	for (size_t i = 0; i < len / 2; i++) {
		int hi = hexval(b->valuestring[2 * i]), lo = hexval(b->valuestring[2 * i + 1]);
		if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {   /* no NUL inside a C string */
			free(s);
			return -1;
		}
		s[i] = (char)(hi << 4 | lo);
	}
	s[len / 2] = 0;
	*out = s;
	return 0;
}

/* ---- writing ---- */

struct jw {
	bool oom;
};

static void add(struct jw *w, cJSON *obj, const char *key, cJSON *v)
{
	if (!v) {
		w->oom = true;
		return;
	}
	if (cJSON_IsArray(obj)) {
		if (!cJSON_AddItemToArray(obj, v)) {
			cJSON_Delete(v);
			w->oom = true;
		}
	} else if (!cJSON_AddItemToObject(obj, key, v)) {
		cJSON_Delete(v);
		w->oom = true;
	}
}

static void add_str(struct jw *w, cJSON *obj, const char *key, const char *s)
{
	add(w, obj, key, rj_str(s));
}

static void add_u64(struct jw *w, cJSON *obj, const char *key, uint64_t v)
{
	char buf[RJ_HEX_BUF];
	add(w, obj, key, cJSON_CreateString(rj_hex(buf, v)));
}

static cJSON *i64_value(int64_t v)
{
	if (v <= ((int64_t)1 << 53) && v >= -((int64_t)1 << 53))
		return cJSON_CreateNumber((double)v);
	char buf[24];
	snprintf(buf, sizeof(buf), "%lld", (long long)v);
	return cJSON_CreateString(buf);
}

static void add_i64(struct jw *w, cJSON *obj, const char *key, int64_t v)
{
	add(w, obj, key, i64_value(v));
}

static void add_num(struct jw *w, cJSON *obj, const char *key, double v)
{
	add(w, obj, key, cJSON_CreateNumber(v));
}

static void add_bool(struct jw *w, cJSON *obj, const char *key, bool v)
{
	add(w, obj, key, cJSON_CreateBool(v));
}

/* A fixed char array: up to its first NUL or its size. */
static void add_chars(struct jw *w, cJSON *obj, const char *key, const char *a, size_t size)
{
	char buf[64];
	size_t n = strnlen(a, size);
	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	memcpy(buf, a, n);
	buf[n] = 0;
	add_str(w, obj, key, buf);
}

static cJSON *event_to_cjson(struct jw *w, const struct ev *e)
{
	cJSON *o = cJSON_CreateObject();
	if (!o) {
		w->oom = true;
		return NULL;
	}
	add_u64(w, o, "seq", e->seq);
	add_u64(w, o, "clock", e->clock);
	add_u64(w, o, "icount", e->icount);
	add_u64(w, o, "pc", e->pc);
	add_num(w, o, "vm", e->vm);
	if ((unsigned)e->kind < EV_KIND_COUNT)
		add_str(w, o, "kind", ev_kind_name(e->kind));
	else
		add_num(w, o, "kind", (double)(int)e->kind);
	if (e->dev[0])
		add_chars(w, o, "dev", e->dev, sizeof(e->dev));
	if (e->off)
		add_u64(w, o, "off", e->off);
	if (e->width)
		add_num(w, o, "width", e->width);
	if (e->dir) {
		char d[2] = { e->dir, 0 };
		if (e->dir > 0x20 && e->dir < 0x7f)
			add_str(w, o, "dir", d);
		else
			add_num(w, o, "dir", (unsigned char)e->dir);
	}
	if (e->value)
		add_u64(w, o, "value", e->value);
	if (e->value_hi)
		add_u64(w, o, "value_hi", e->value_hi);
	if (e->intid)
		add_num(w, o, "intid", e->intid);
	if (e->level)
		add_num(w, o, "level", e->level);
	if (e->region)
		add_str(w, o, "region", e->region);
	if (e->idx)
		add_num(w, o, "idx", e->idx);
	if (e->shmem)
		add_u64(w, o, "shmem", e->shmem);
	if (e->status)
		add_num(w, o, "status", e->status);
	if (e->from)
		add_num(w, o, "from", e->from);
	if (e->mask)
		add_num(w, o, "mask", e->mask);
	if (e->targets)
		add_num(w, o, "targets", e->targets);
	if (e->code)
		add_i64(w, o, "code", e->code);
	if (e->text)
		add_str(w, o, "text", e->text);
	if (e->fault_kind[0])
		add_chars(w, o, "fault_kind", e->fault_kind, sizeof(e->fault_kind));
	if (e->addr)
		add_u64(w, o, "addr", e->addr);
	if (e->to)
		add_num(w, o, "to", e->to);
	return o;
}

static cJSON *race_side_to_cjson(struct jw *w, const struct race_side_rec *s)
{
	cJSON *o = cJSON_CreateObject();
	if (!o) {
		w->oom = true;
		return NULL;
	}
	char d[2] = { s->dir, 0 };
	add_chars(w, o, "vm", s->vm, sizeof(s->vm));
	add_u64(w, o, "pc", s->pc);
	add_chars(w, o, "symbol", s->sym, sizeof(s->sym));
	add_u64(w, o, "addr", s->addr);
	add_chars(w, o, "region", s->region, sizeof(s->region));
	add_u64(w, o, "offset", s->off);
	add_num(w, o, "width", s->width);
	add_u64(w, o, "value", s->value);
	add_str(w, o, "dir", d);
	add_bool(w, o, "atomic", s->atomic);
	add_u64(w, o, "clock", s->clock);
	add_i64(w, o, "seq", s->seq);
	return o;
}

static void races_to_cjson(struct jw *w, cJSON *o, const struct sc_result *r)
{
	if (!r->race_mode && !r->n_races)
		return;
	add_bool(w, o, "race_mode", r->race_mode);
	cJSON *a = cJSON_CreateArray();
	add(w, o, "races", a);
	for (int i = 0; a && r->races && i < r->n_races; i++) {
		const struct race_rec *x = &r->races[i];
		cJSON *e = cJSON_CreateObject();
		add(w, a, NULL, e);
		if (!e)
			continue;
		add_str(w, e, "kind", x->kind);
		add(w, e, "first", race_side_to_cjson(w, &x->first));
		add(w, e, "second", race_side_to_cjson(w, &x->second));
		add_str(w, e, "why", x->why);
		add_str(w, e, "schedule", x->schedule);
	}
}

char *result_to_json(const struct sc_result *r)
{
	struct jw w = { false };
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return NULL;

	add_str(&w, o, "file", r->file);
	add_str(&w, o, "name", r->name);
	add_str(&w, o, "description", r->description);
	cJSON *a = cJSON_CreateArray();
	add(&w, o, "clauses", a);
	for (int i = 0; a && r->clauses && i < r->n_clauses; i++)
		add_str(&w, a, NULL, r->clauses[i]);
	add_str(&w, o, "status", result_status_name(r->status));
	add_str(&w, o, "reason", r->reason);
	add_str(&w, o, "schedule", r->schedule);
	add_str(&w, o, "replay", r->replay);

	a = cJSON_CreateArray();
	add(&w, o, "expectations", a);
	for (int i = 0; a && r->exps && i < r->n_exps; i++) {
		const struct exp_result *e = &r->exps[i];
		cJSON *x = cJSON_CreateObject();
		add(&w, a, NULL, x);
		if (!x)
			break;
		add_str(&w, x, "where", e->where);
		add_str(&w, x, "what", e->what);
		add_bool(&w, x, "pass", e->pass);
		add_str(&w, x, "message", e->message);
		add_i64(&w, x, "ev_seq", e->ev_seq);
		cJSON *cl = cJSON_CreateArray();
		add(&w, x, "clauses", cl);
		for (int j = 0; cl && e->clauses && j < e->n_clauses; j++)
			add_str(&w, cl, NULL, e->clauses[j]);
	}

	a = cJSON_CreateArray();
	add(&w, o, "vms", a);
	for (int i = 0; a && r->vms && i < r->n_vms; i++) {
		const struct vm_result *v = &r->vms[i];
		cJSON *x = cJSON_CreateObject();
		add(&w, a, NULL, x);
		if (!x)
			break;
		add_str(&w, x, "name", v->name);
		add_str(&w, x, "program", v->program);
		add_bool(&w, x, "exited", v->exited);
		add_i64(&w, x, "exit_code", v->exit_code);
		add_bool(&w, x, "faulted", v->faulted);
		add_chars(&w, x, "fault_kind", v->fault_kind, sizeof(v->fault_kind));
		add_u64(&w, x, "fault_addr", v->fault_addr);
		add_u64(&w, x, "fault_pc", v->fault_pc);
		add_str(&w, x, "fault_insn", v->fault_insn);
		add_u64(&w, x, "icount", v->icount);
		add_str(&w, x, "console", v->console);
		cJSON *f = cJSON_CreateArray();
		add(&w, x, "fails", f);
		for (int j = 0; f && v->fails && j < v->n_fails; j++)
			add(&w, f, NULL, i64_value(v->fails[j]));
	}

	add_u64(&w, o, "clock", r->clock);
	add_u64(&w, o, "n_events", r->n_events);
	a = cJSON_CreateArray();
	add(&w, o, "events", a);
	for (int i = 0; a && r->events && i < r->n_kept; i++)
		add(&w, a, NULL, event_to_cjson(&w, &r->events[i]));
	add_num(&w, o, "seconds", r->seconds - r->seconds == 0 ? r->seconds : 0);  /* finite */
	races_to_cjson(&w, o, r);
	if (r->explore.present) {
		cJSON *x = cJSON_CreateObject();
		add(&w, o, "explore", x);
		if (x) {
			add_u64(&w, x, "runs", r->explore.runs);
			add_u64(&w, x, "digest", r->explore.digest);
			add_u64(&w, x, "left", r->explore.left);
			add_u64(&w, x, "max_preemptions", r->explore.max_preemptions);
			add_u64(&w, x, "shard_k", r->explore.shard_k);
			add_u64(&w, x, "shard_n", r->explore.shard_n);
		}
	}

	char *s = w.oom ? NULL : cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return s;
}

/* ---- reading ---- */

struct jr {
	char *err;
	size_t errlen;
};

static int jerr(struct jr *c, const char *path, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int jerr(struct jr *c, const char *path, const char *key, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->err && c->errlen)
		snprintf(c->err, c->errlen, "result JSON: %s%s%s: %s", path, *path && key ? "." : "",
			 key ? key : "", msg);
	return -1;
}

static const cJSON *item(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

static int races_from_cjson(struct jr *c, const cJSON *o, struct sc_result *r);

static int get_str(struct jr *c, const cJSON *o, const char *path, const char *key, char **out)
{
	const cJSON *v = item(o, key);
	if (rj_str_get(v, out))
		return jerr(c, path, key, "expected a string, null or {\"bytes\": hex}");
	return 0;
}

static int get_chars(struct jr *c, const cJSON *o, const char *path, const char *key,
		     char *dst, size_t size)
{
	char *s;
	if (get_str(c, o, path, key, &s))
		return -1;
	memset(dst, 0, size);
	if (!s)
		return 0;
	if (strlen(s) > size) {   /* exactly `size` bytes (no NUL) round-trips too */
		free(s);
		return jerr(c, path, key, "longer than %zu bytes", size);
	}
	memcpy(dst, s, strlen(s));
	free(s);
	return 0;
}

static int get_bool(struct jr *c, const cJSON *o, const char *path, const char *key, bool *out)
{
	const cJSON *v = item(o, key);
	*out = false;
	if (!v)
		return 0;
	if (!cJSON_IsBool(v))
		return jerr(c, path, key, "expected true or false");
	*out = cJSON_IsTrue(v);
	return 0;
}

static int u64_of(const cJSON *v, uint64_t *out)
{
	if (cJSON_IsString(v) && v->valuestring)
		return rj_parse_u64(v->valuestring, out);
	if (cJSON_IsNumber(v)) {
		double d = v->valuedouble;
		if (!(d >= 0 && d <= JSON_SAFE_INT) || d != (double)(uint64_t)d)
			return -1;
		*out = (uint64_t)d;
		return 0;
	}
	return -1;
}

static int i64_of(const cJSON *v, int64_t *out)
{
	if (cJSON_IsString(v) && v->valuestring)
		return rj_parse_i64(v->valuestring, out);
	if (cJSON_IsNumber(v)) {
		double d = v->valuedouble;
		if (!(d >= -JSON_SAFE_INT && d <= JSON_SAFE_INT) || d != (double)(int64_t)d)
			return -1;
		*out = (int64_t)d;
		return 0;
	}
	return -1;
}

static int get_u64(struct jr *c, const cJSON *o, const char *path, const char *key, uint64_t *out)
{
	const cJSON *v = item(o, key);
	*out = 0;
	if (!v)
		return 0;
	if (u64_of(v, out))
		return jerr(c, path, key, "expected an unsigned 64-bit value (\"0x...\")");
	return 0;
}

static int get_i64(struct jr *c, const cJSON *o, const char *path, const char *key,
		   int64_t *out, int64_t dflt)
{
	const cJSON *v = item(o, key);
	*out = dflt;
	if (!v)
		return 0;
	if (i64_of(v, out))
		return jerr(c, path, key, "expected a signed 64-bit integer");
	return 0;
}

/* An integer JSON number within [lo, hi]. */
static int get_int(struct jr *c, const cJSON *o, const char *path, const char *key,
		   double lo, double hi, double *out)
{
	const cJSON *v = item(o, key);
	*out = 0;
	if (!v)
		return 0;
	if (!cJSON_IsNumber(v) || !(v->valuedouble >= lo && v->valuedouble <= hi) ||
	    v->valuedouble != (double)(int64_t)v->valuedouble)
		return jerr(c, path, key, "expected an integer in %.0f..%.0f", lo, hi);
	*out = v->valuedouble;
	return 0;
}

#define GET_INT(c, o, path, key, lo, hi, dst) do { \
	double d_; \
	if (get_int(c, o, path, key, lo, hi, &d_)) \
		return -1; \
	dst = d_; \
} while (0)

/* An optional array: *out = the array (NULL when absent or null), *n its size. */
static int get_array(struct jr *c, const cJSON *o, const char *path, const char *key,
		     const cJSON **out, int *n)
{
	const cJSON *v = item(o, key);
	*out = NULL;
	*n = 0;
	if (!v || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsArray(v))
		return jerr(c, path, key, "expected an array");
	*out = v;
	*n = cJSON_GetArraySize(v);
	return 0;
}

static int event_from_cjson(struct jr *c, const cJSON *o, const char *path, struct ev *e)
{
	if (!cJSON_IsObject(o))
		return jerr(c, path, NULL, "expected an object");
	if (get_u64(c, o, path, "seq", &e->seq) || get_u64(c, o, path, "clock", &e->clock) ||
	    get_u64(c, o, path, "icount", &e->icount) || get_u64(c, o, path, "pc", &e->pc))
		return -1;
	GET_INT(c, o, path, "vm", -2147483648.0, 2147483647.0, e->vm);
	const cJSON *k = item(o, "kind");
	if (cJSON_IsString(k) && k->valuestring) {
		int found = -1;
		for (int i = 0; i < EV_KIND_COUNT; i++)
			if (!strcmp(k->valuestring, ev_kind_name((enum ev_kind)i)))
				found = i;
		if (found < 0)
			return jerr(c, path, "kind", "unknown event kind");
		e->kind = (enum ev_kind)found;
	} else if (cJSON_IsNumber(k)) {
		GET_INT(c, o, path, "kind", -2147483648.0, 2147483647.0, e->kind);
	} else {
		return jerr(c, path, "kind", "expected an event kind");
	}
	if (get_chars(c, o, path, "dev", e->dev, sizeof(e->dev)) ||
	    get_u64(c, o, path, "off", &e->off))
		return -1;
	GET_INT(c, o, path, "width", 0, 4294967295.0, e->width);
	const cJSON *d = item(o, "dir");
	if (cJSON_IsString(d) && d->valuestring && strlen(d->valuestring) == 1)
		e->dir = d->valuestring[0];
	else if (d && cJSON_IsNumber(d))
		GET_INT(c, o, path, "dir", -128, 255, e->dir);
	else if (d)
		return jerr(c, path, "dir", "expected one character");
	if (get_u64(c, o, path, "value", &e->value) || get_u64(c, o, path, "value_hi", &e->value_hi))
		return -1;
	GET_INT(c, o, path, "intid", 0, 4294967295.0, e->intid);
	GET_INT(c, o, path, "level", -2147483648.0, 2147483647.0, e->level);
	if (get_str(c, o, path, "region", &e->region))
		return -1;
	GET_INT(c, o, path, "idx", -2147483648.0, 2147483647.0, e->idx);
	if (get_u64(c, o, path, "shmem", &e->shmem))
		return -1;
	GET_INT(c, o, path, "status", -2147483648.0, 2147483647.0, e->status);
	GET_INT(c, o, path, "from", 0, 4294967295.0, e->from);
	GET_INT(c, o, path, "mask", 0, 4294967295.0, e->mask);
	GET_INT(c, o, path, "targets", 0, 4294967295.0, e->targets);
	if (get_i64(c, o, path, "code", &e->code, 0) || get_str(c, o, path, "text", &e->text) ||
	    get_chars(c, o, path, "fault_kind", e->fault_kind, sizeof(e->fault_kind)) ||
	    get_u64(c, o, path, "addr", &e->addr))
		return -1;
	GET_INT(c, o, path, "to", -2147483648.0, 2147483647.0, e->to);
	return 0;
}

static int vm_from_cjson(struct jr *c, const cJSON *o, const char *path, struct vm_result *v)
{
	if (!cJSON_IsObject(o))
		return jerr(c, path, NULL, "expected an object");
	if (get_str(c, o, path, "name", &v->name) || get_str(c, o, path, "program", &v->program) ||
	    get_bool(c, o, path, "exited", &v->exited) ||
	    get_i64(c, o, path, "exit_code", &v->exit_code, 0) ||
	    get_bool(c, o, path, "faulted", &v->faulted) ||
	    get_chars(c, o, path, "fault_kind", v->fault_kind, sizeof(v->fault_kind)) ||
	    get_u64(c, o, path, "fault_addr", &v->fault_addr) ||
	    get_u64(c, o, path, "fault_pc", &v->fault_pc) ||
	    get_str(c, o, path, "fault_insn", &v->fault_insn) ||
	    get_u64(c, o, path, "icount", &v->icount) ||
	    get_str(c, o, path, "console", &v->console))
		return -1;
	const cJSON *a;
	int n;
	if (get_array(c, o, path, "fails", &a, &n))
		return -1;
	if (n > 0) {
		v->fails = calloc((size_t)n, sizeof(*v->fails));
		if (!v->fails)
			return jerr(c, path, "fails", "out of memory");
		v->n_fails = n;
		int i = 0;
		const cJSON *x;
		cJSON_ArrayForEach(x, a) {
			if (i64_of(x, &v->fails[i]))
				return jerr(c, path, "fails", "item %d: expected an integer", i);
			i++;
		}
	}
	return 0;
}

static int from_cjson(struct jr *c, const cJSON *o, struct sc_result *r)
{
	char path[48];
	const cJSON *a, *x;
	int n, i;

	if (!cJSON_IsObject(o))
		return jerr(c, "", NULL, "expected an object");
	if (get_str(c, o, "", "file", &r->file) || get_str(c, o, "", "name", &r->name) ||
	    get_str(c, o, "", "description", &r->description))
		return -1;

	if (get_array(c, o, "", "clauses", &a, &n))
		return -1;
	if (n > 0) {
		if (!(r->clauses = calloc((size_t)n, sizeof(*r->clauses))))
			return jerr(c, "", "clauses", "out of memory");
		r->n_clauses = n;
		i = 0;
		cJSON_ArrayForEach(x, a) {
			if (rj_str_get(x, &r->clauses[i]) || !r->clauses[i])
				return jerr(c, "", "clauses", "item %d: expected a string", i);
			i++;
		}
	}

	const cJSON *st = item(o, "status");
	if (!cJSON_IsString(st) || result_status_parse(st->valuestring, &r->status))
		return jerr(c, "", "status", "expected \"pass\", \"fail\", \"error\" or \"skip\"");
	if (get_str(c, o, "", "reason", &r->reason) || get_str(c, o, "", "schedule", &r->schedule) ||
	    get_str(c, o, "", "replay", &r->replay))
		return -1;

	if (get_array(c, o, "", "expectations", &a, &n))
		return -1;
	if (n > 0) {
		if (!(r->exps = calloc((size_t)n, sizeof(*r->exps))))
			return jerr(c, "", "expectations", "out of memory");
		r->n_exps = n;
		i = 0;
		cJSON_ArrayForEach(x, a) {
			struct exp_result *e = &r->exps[i];
			e->ev_seq = -1;
			snprintf(path, sizeof(path), "expectations[%d]", i);
			if (!cJSON_IsObject(x))
				return jerr(c, path, NULL, "expected an object");
			if (get_str(c, x, path, "where", &e->where) ||
			    get_str(c, x, path, "what", &e->what) ||
			    get_bool(c, x, path, "pass", &e->pass) ||
			    get_str(c, x, path, "message", &e->message) ||
			    get_i64(c, x, path, "ev_seq", &e->ev_seq, -1))
				return -1;
			const cJSON *ca, *cx;
			int nc, j = 0;
			if (get_array(c, x, path, "clauses", &ca, &nc))
				return -1;
			if (nc > 0 && !(e->clauses = calloc((size_t)nc, sizeof(*e->clauses))))
				return jerr(c, path, "clauses", "out of memory");
			cJSON_ArrayForEach(cx, ca) {
				if (rj_str_get(cx, &e->clauses[j]) || !e->clauses[j])
					return jerr(c, path, "clauses", "item %d: expected a string", j);
				e->n_clauses = ++j;
			}
			i++;
		}
	}

	if (get_array(c, o, "", "vms", &a, &n))
		return -1;
	if (n > 0) {
		if (!(r->vms = calloc((size_t)n, sizeof(*r->vms))))
			return jerr(c, "", "vms", "out of memory");
		r->n_vms = n;
		i = 0;
		cJSON_ArrayForEach(x, a) {
			snprintf(path, sizeof(path), "vms[%d]", i);
			if (vm_from_cjson(c, x, path, &r->vms[i]))
				return -1;
			i++;
		}
	}

	if (get_u64(c, o, "", "clock", &r->clock) || get_u64(c, o, "", "n_events", &r->n_events))
		return -1;
	if (get_array(c, o, "", "events", &a, &n))
		return -1;
	if (n > 0) {
		if (!(r->events = calloc((size_t)n, sizeof(*r->events))))
			return jerr(c, "", "events", "out of memory");
		r->n_kept = n;
		i = 0;
		cJSON_ArrayForEach(x, a) {
			snprintf(path, sizeof(path), "events[%d]", i);
			if (event_from_cjson(c, x, path, &r->events[i]))
				return -1;
			i++;
		}
	}

	const cJSON *sec = item(o, "seconds");
	if (sec && !cJSON_IsNull(sec)) {
		if (!cJSON_IsNumber(sec))
			return jerr(c, "", "seconds", "expected a number");
		r->seconds = sec->valuedouble;
	}
	const cJSON *ex = item(o, "explore");
	if (ex && !cJSON_IsNull(ex)) {
		uint64_t mp, k, nn;
		if (!cJSON_IsObject(ex))
			return jerr(c, "", "explore", "expected an object");
		if (get_u64(c, ex, "explore", "runs", &r->explore.runs) ||
		    get_u64(c, ex, "explore", "digest", &r->explore.digest) ||
		    get_u64(c, ex, "explore", "left", &r->explore.left) ||
		    get_u64(c, ex, "explore", "max_preemptions", &mp) ||
		    get_u64(c, ex, "explore", "shard_k", &k) || get_u64(c, ex, "explore", "shard_n", &nn))
			return -1;
		if (nn < 1 || k < 1 || k > nn || nn > UINT32_MAX || mp > UINT32_MAX)
			return jerr(c, "", "explore", "shard_k/shard_n out of range");
		r->explore = (struct sc_explore){ true, r->explore.runs, r->explore.digest,
						  r->explore.left, (uint32_t)mp, (uint32_t)k, (uint32_t)nn };
	}
	return races_from_cjson(c, o, r);
}

static int race_side_from_cjson(struct jr *c, const cJSON *o, const char *path,
				struct race_side_rec *s)
{
	char dir[2];
	double width;
	if (!cJSON_IsObject(o))
		return jerr(c, path, NULL, "expected an object");
	if (get_chars(c, o, path, "vm", s->vm, sizeof(s->vm) - 1) ||
	    get_u64(c, o, path, "pc", &s->pc) ||
	    get_chars(c, o, path, "symbol", s->sym, sizeof(s->sym) - 1) ||
	    get_u64(c, o, path, "addr", &s->addr) ||
	    get_chars(c, o, path, "region", s->region, sizeof(s->region) - 1) ||
	    get_u64(c, o, path, "offset", &s->off) ||
	    get_int(c, o, path, "width", 0, 4294967295.0, &width) ||
	    get_u64(c, o, path, "value", &s->value) ||
	    get_chars(c, o, path, "dir", dir, 1) ||
	    get_bool(c, o, path, "atomic", &s->atomic) ||
	    get_u64(c, o, path, "clock", &s->clock) ||
	    get_i64(c, o, path, "seq", &s->seq, -1))
		return -1;
	s->width = (uint32_t)width;
	s->dir = dir[0];
	return 0;
}

/* The optional "race_mode" and "races" of a result. */
static int races_from_cjson(struct jr *c, const cJSON *o, struct sc_result *r)
{
	const cJSON *a, *x;
	int n, i = 0;
	char path[48], p2[64];
	if (get_bool(c, o, "", "race_mode", &r->race_mode) || get_array(c, o, "", "races", &a, &n))
		return -1;
	if (n <= 0)
		return 0;
	if (!(r->races = calloc((size_t)n, sizeof(*r->races))))
		return jerr(c, "", "races", "out of memory");
	r->n_races = n;
	cJSON_ArrayForEach(x, a) {
		struct race_rec *d = &r->races[i];
		snprintf(path, sizeof(path), "races[%d]", i++);
		if (!cJSON_IsObject(x))
			return jerr(c, path, NULL, "expected an object");
		if (get_chars(c, x, path, "kind", d->kind, sizeof(d->kind) - 1) ||
		    get_chars(c, x, path, "why", d->why, sizeof(d->why) - 1) ||
		    get_chars(c, x, path, "schedule", d->schedule, sizeof(d->schedule) - 1))
			return -1;
		snprintf(p2, sizeof(p2), "%s.first", path);
		if (race_side_from_cjson(c, item(x, "first"), p2, &d->first))
			return -1;
		snprintf(p2, sizeof(p2), "%s.second", path);
		if (race_side_from_cjson(c, item(x, "second"), p2, &d->second))
			return -1;
	}
	return 0;
}

int results_from_report(const char *text, struct sc_result **out, int *n, char *err,
			size_t errlen)
{
	struct jr c = { err, errlen };
	*out = NULL;
	*n = 0;
	cJSON *o = text ? cJSON_ParseWithOpts(text, NULL, 1) : NULL;
	const cJSON *a = o ? item(o, "results") : NULL;
	if (!cJSON_IsArray(a)) {
		if (err && errlen)
			snprintf(err, errlen, "not an hvsim --json report (no \"results\" array)");
		cJSON_Delete(o);
		return -1;
	}
	int cnt = cJSON_GetArraySize(a), i = 0;
	struct sc_result *rs = calloc((size_t)cnt + 1, sizeof(*rs));
	const cJSON *x;
	if (!rs) {
		cJSON_Delete(o);
		return jerr(&c, "", NULL, "out of memory");
	}
	cJSON_ArrayForEach(x, a) {
		char where[32];
		if (from_cjson(&c, x, &rs[i])) {
			snprintf(where, sizeof(where), " (results[%d])", i);
			if (err && strlen(err) + strlen(where) < errlen)
				strcat(err, where);
			for (int k = 0; k <= i; k++)
				result_free(&rs[k]);
			free(rs);
			cJSON_Delete(o);
			return -1;
		}
		i++;
	}
	cJSON_Delete(o);
	*out = rs;
	*n = cnt;
	return 0;
}

int result_from_json(const char *text, struct sc_result *r, char *err, size_t errlen)
{
	struct jr c = { err, errlen };

	memset(r, 0, sizeof(*r));
	if (!text) {
		jerr(&c, "", NULL, "no text");
		return -1;
	}
	cJSON *o = cJSON_ParseWithOpts(text, NULL, 1);
	if (!o) {
		const char *at = cJSON_GetErrorPtr();
		long off = at && at >= text ? (long)(at - text) : -1;
		if (err && errlen)
			snprintf(err, errlen, "result JSON: syntax error near byte %ld", off);
		return -1;
	}
	int rc = from_cjson(&c, o, r);
	cJSON_Delete(o);
	if (rc) {
		result_free(r);
		return -1;
	}
	return 0;
}
