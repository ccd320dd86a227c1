/* scenario_expect.c - the `expect` array of a scenario (CONTRACT section 3).
 *
 * Each entry is one expectation; its kind is told by its leading key (vm,
 * region, order, never, latency, host). Names of VMs and host connections are
 * checked against the parsed `vms` and `host`, event patterns against the
 * event kinds of CONTRACT 5, regexes by compiling them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <inttypes.h>
#include "scenario_expect.h"
#include "scenario_vms.h"
#include "re.h"
#include "sim/evlog.h"
#include "sim/race.h"

#define INTID_MAX      1019            /* GICv2: 1020..1023 are special */
#define MAX_EXPECT     4096

static const char *const fault_kinds[] = {
	"read-unmapped", "write-unmapped", "fetch-unmapped", "fetch-device", "alignment",
	"undefined", "breakpoint", "limit", "deadlock", NULL,
};

static const struct { const char *name; enum ev_kind kind; } event_kinds[] = {
	{ "mark", EV_MARK }, { "irq", EV_IRQ_ACK }, { "exit", EV_EXIT }, { "fault", EV_FAULT },
	{ "attach", EV_ATTACH }, { "detach", EV_DETACH }, { "notify", EV_NOTIFY },
	{ "status", EV_STATUS },   /* extension: a host status read and its value (HST-2) */
};
#define N_EVENT_KINDS (int)(sizeof(event_kinds) / sizeof(event_kinds[0]))

/* Leading keys, and the keys each kind of expectation takes besides its own. */
static const char *const primaries[] = { "vm", "region", "order", "never", "latency", "host",
					 "races", "race", NULL };
static const char *const vm_checks[] = { "exit", "fault", "console", "fails", "irqs", NULL };
static const char *const region_checks[] = { "exists", "clients", "peak_clients", "pages",
					     "data", NULL };
static const char *const all_keys[] = {
	"vm", "exit", "fault", "console", "fails", "irqs",
	"region", "exists", "clients", "peak_clients", "pages", "data",
	"order", "never", "latency", "host", "status", "races", "race", "clause", NULL,
};

static bool in_list(const char *s, const char *const *list)
{
	for (int i = 0; list[i]; i++)
		if (!strcmp(list[i], s))
			return true;
	return false;
}

static void join(char *buf, size_t size, const char *const *list, const char *sep)
{
	size_t len = 0;
	buf[0] = 0;
	for (int i = 0; list[i] && len < size; i++) {
		int n = snprintf(buf + len, size - len, "%s%s", i ? sep : "", list[i]);
		if (n < 0)
			break;
		len += (size_t)n;
	}
}

static int fault_kind(struct jctx *c, const cJSON *v, const char *path, char **out)
{
	const char *s = NULL;
	char list[200];

	if (jv_string(c, v, path, &s))
		return -1;
	if (!in_list(s, fault_kinds)) {
		join(list, sizeof(list), fault_kinds, ", ");
		return jerr(c, path, "'%s' is not a fault kind (accepted: %s)", s, list);
	}
	return jdup(c, path, s, out);
}

/* [VM, KIND, VALUE?] */
static int parse_event(struct jctx *c, const cJSON *v, const char *path,
		       const struct scenario *sc, struct sc_evpat *ev)
{
	char p[JPATH_MAX];
	const char *vm = NULL, *kind = NULL;
	int k, n = cJSON_GetArraySize(v);

	if (!cJSON_IsArray(v) || n < 2 || n > 3)
		return jerr(c, path, "expected an event [VM, KIND] or [VM, KIND, VALUE], got %s",
			    cJSON_IsArray(v) ? "an array of another length" : jtype_name(v));
	jpath_idx(p, path, 0);
	if (jv_string(c, cJSON_GetArrayItem(v, 0), p, &vm))
		return -1;
	if (!strcmp(vm, "host"))
		ev->vm = EV_HOST;
	else if ((ev->vm = sc_vm_index(sc, vm)) < 0)
		return sc_unknown_vm(c, p, sc, vm);
	jpath_idx(p, path, 1);
	if (jv_string(c, cJSON_GetArrayItem(v, 1), p, &kind))
		return -1;
	for (k = 0; k < N_EVENT_KINDS && strcmp(event_kinds[k].name, kind); k++)
		;
	if (k == N_EVENT_KINDS)
		return jerr(c, p, "'%s' is not an event kind (accepted: mark, irq, exit, fault, "
			    "attach, detach, notify, status)", kind);
	ev->kind = (int)event_kinds[k].kind;
	if (ev->vm == EV_HOST && ev->kind != EV_ATTACH && ev->kind != EV_DETACH &&
	    ev->kind != EV_NOTIFY && ev->kind != EV_STATUS)
		return jerr(c, p, "the host makes no '%s' events (only attach, detach, notify, "
			    "status)", kind);
	if (ev->vm != EV_HOST && ev->kind == EV_STATUS)
		return jerr(c, p, "only the host makes 'status' events (guests read status "
			    "through their control page)");
	if (n == 2)
		return 0;
	const cJSON *val = cJSON_GetArrayItem(v, 2);
	uint32_t u = 0;
	jpath_idx(p, path, 2);
	ev->has_value = true;
	switch (ev->kind) {
	case EV_MARK:
	case EV_EXIT:
		return jv_i64(c, val, p, &ev->value);
	case EV_IRQ_ACK:
		if (jv_u32(c, val, p, 0, INTID_MAX, &u))
			return -1;
		ev->value = u;
		return 0;
	case EV_NOTIFY:
	case EV_STATUS:
		if (jv_u32(c, val, p, 0, UINT32_MAX, &u))
			return -1;
		ev->value = u;
		return 0;
	case EV_FAULT:
		ev->has_value = false;    /* the value is the string */
		return fault_kind(c, val, p, &ev->str);
	default: {                        /* attach, detach: a region name */
		const char *s = NULL;
		ev->has_value = false;
		if (jv_string(c, val, p, &s))
			return -1;
		return jdup(c, p, s, &ev->str);
	}
	}
}

static int alloc_events(struct jctx *c, const char *path, struct sc_expect *e, int n)
{
	e->events = calloc((size_t)n, sizeof(*e->events));
	if (!e->events)
		return jerr(c, path, "out of memory");
	e->n_events = n;
	return 0;
}

static int parse_console(struct jctx *c, const cJSON *v, const char *path, struct sc_expect *e)
{
	static const char *const keys[] = { "regex", NULL };
	const char *s = NULL;
	char p[JPATH_MAX];

	if (cJSON_IsString(v)) {
		if (!*v->valuestring)
			return jerr(c, path, "empty text (it would match any console)");
		e->kind = EXP_CONSOLE;
		return jdup(c, path, v->valuestring, &e->text);
	}
	if (!cJSON_IsObject(v))
		return jerr(c, path, "expected a string or {\"regex\": PATTERN}, got %s", jtype_name(v));
	if (jcheck_object(c, v, path, keys) || jget_string(c, v, path, "regex", true, &s) < 0)
		return -1;
	jpath_key(p, path, "regex");
	char msg[400];
	struct re *re = re_compile(s, msg, sizeof(msg));
	if (!re)
		return jerr(c, p, "%s", msg);
	re_free(re);
	e->kind = EXP_CONSOLE_RE;
	return jdup(c, p, s, &e->text);
}

static int parse_fails(struct jctx *c, const cJSON *v, const char *path, struct sc_expect *e)
{
	const cJSON *id;
	char p[JPATH_MAX];
	int i = 0;

	if (!cJSON_IsArray(v))
		return jerr(c, path, "expected an array of FAIL ids, got %s", jtype_name(v));
	e->ids = calloc((size_t)cJSON_GetArraySize(v) + 1, sizeof(*e->ids));
	if (!e->ids)
		return jerr(c, path, "out of memory");
	cJSON_ArrayForEach(id, v) {
		jpath_idx(p, path, i);
		if (jv_i64(c, id, p, &e->ids[i]))
			return -1;
		e->n_ids = ++i;
	}
	e->kind = EXP_FAILS;
	return 0;
}

static int parse_irqs(struct jctx *c, const cJSON *v, const char *path, struct sc_expect *e)
{
	static const char *const keys[] = { "intid", "count", "min", "max", NULL };
	int r;

	e->kind = EXP_IRQS;
	if (jcheck_object(c, v, path, keys) ||
	    jget_u32(c, v, path, "intid", true, 0, INTID_MAX, &e->intid) < 0 ||
	    (r = jget_u64(c, v, path, "count", false, 0, UINT64_MAX, &e->count)) < 0)
		return -1;
	e->has_count = r;
	if ((r = jget_u64(c, v, path, "min", false, 0, UINT64_MAX, &e->min)) < 0)
		return -1;
	e->has_min = r;
	if ((r = jget_u64(c, v, path, "max", false, 0, UINT64_MAX, &e->max)) < 0)
		return -1;
	e->has_max = r;
	if (e->has_count && (e->has_min || e->has_max))
		return jerr(c, path, "count together with min/max: give count, or min and/or max");
	if (!e->has_count && !e->has_min && !e->has_max)
		return jerr(c, path, "give count, or min and/or max");
	if (e->has_min && e->has_max && e->min > e->max)
		return jerr(c, path, "min %" PRIu64 " is above max %" PRIu64, e->min, e->max);
	return 0;
}

static int parse_vm_expect(struct jctx *c, const cJSON *obj, const char *path,
			   const struct scenario *sc, struct sc_expect *e)
{
	const char *name, *check = NULL;
	char p[JPATH_MAX];
	const cJSON *v;

	for (int i = 0; vm_checks[i]; i++) {
		if (!jmember(obj, vm_checks[i]))
			continue;
		if (check)
			return jerr(c, path, "both %s and %s: one check per entry", check,
				    vm_checks[i]);
		check = vm_checks[i];
	}
	if (!check)
		return jerr(c, path, "a vm expectation needs one of exit, fault, console, fails, "
			    "irqs");
	if (jget_string(c, obj, path, "vm", true, &name) < 0)
		return -1;
	jpath_key(p, path, "vm");
	if ((e->vm = sc_vm_index(sc, name)) < 0)
		return sc_unknown_vm(c, p, sc, name);
	v = jmember(obj, check);
	jpath_key(p, path, check);
	if (!strcmp(check, "exit")) {
		e->kind = EXP_EXIT;
		return jv_i64(c, v, p, &e->code);
	}
	if (!strcmp(check, "fault")) {
		static const char *const keys[] = { "kind", "addr", NULL };
		e->kind = EXP_FAULT;
		if (cJSON_IsString(v))
			return fault_kind(c, v, p, &e->text);
		if (!cJSON_IsObject(v))
			return jerr(c, p, "expected a fault kind or {\"kind\": KIND, \"addr\": A}, "
				    "got %s", jtype_name(v));
		if (jcheck_object(c, v, p, keys))
			return -1;
		char kp[JPATH_MAX];
		jpath_key(kp, p, "kind");
		if (!jmember(v, "kind"))
			return jerr(c, kp, "missing (required)");
		if (fault_kind(c, jmember(v, "kind"), kp, &e->text))
			return -1;
		int r = jget_u64(c, v, p, "addr", false, 0, UINT64_MAX, &e->addr);
		e->has_addr = r > 0;
		return r < 0 ? -1 : 0;
	}
	if (!strcmp(check, "console"))
		return parse_console(c, v, p, e);
	if (!strcmp(check, "fails"))
		return parse_fails(c, v, p, e);
	return parse_irqs(c, v, p, e);
}

static int parse_region_expect(struct jctx *c, const cJSON *obj, const char *path,
			       struct sc_expect *e)
{
	static const char *const data_keys[] = { "offset", "hex", NULL };
	const char *name = NULL;
	const cJSON *data = NULL;
	char p[JPATH_MAX];
	int r;

	e->kind = EXP_REGION;
	if (jget_string(c, obj, path, "region", true, &name) < 0)
		return -1;
	jpath_key(p, path, "region");
	if (!*name)
		return jerr(c, p, "empty region name");
	if (jdup(c, p, name, &e->text))
		return -1;
	if ((r = jget_bool(c, obj, path, "exists", false, &e->exists)) < 0)
		return -1;
	e->has_exists = r;
	if ((r = jget_u32(c, obj, path, "clients", false, 0, UINT32_MAX, &e->clients)) < 0)
		return -1;
	e->has_clients = r;
	if ((r = jget_u32(c, obj, path, "peak_clients", false, 0, UINT32_MAX,
			  &e->peak_clients)) < 0)
		return -1;
	e->has_peak = r;
	if ((r = jget_u32(c, obj, path, "pages", false, 0, UINT32_MAX, &e->pages)) < 0)
		return -1;
	e->has_pages = r;
	if ((r = jget_object(c, obj, path, "data", false, &data)) < 0)
		return -1;
	if (r) {
		jpath_key(p, path, "data");
		if (jcheck_object(c, data, p, data_keys) ||
		    jget_u64(c, data, p, "offset", true, 0, UINT64_MAX, &e->data_offset) < 0)
			return -1;
		char hp[JPATH_MAX];
		jpath_key(hp, p, "hex");
		if (!jmember(data, "hex"))
			return jerr(c, hp, "missing (required)");
		if (jv_hex(c, jmember(data, "hex"), hp, &e->data, &e->data_len))
			return -1;
		e->has_data = true;
	}
	if (!e->has_exists && !e->has_clients && !e->has_peak && !e->has_pages && !e->has_data)
		return jerr(c, path, "a region expectation needs one of exists, clients, "
			    "peak_clients, pages, data");
	return 0;
}

static int parse_order(struct jctx *c, const cJSON *v, const char *path,
		       const struct scenario *sc, struct sc_expect *e)
{
	const cJSON *ev;
	char p[JPATH_MAX];
	int i = 0;

	e->kind = EXP_ORDER;
	if (!cJSON_IsArray(v))
		return jerr(c, path, "expected an array of events, got %s", jtype_name(v));
	int n = cJSON_GetArraySize(v);
	if (n < 2)
		return jerr(c, path, "an order needs at least 2 events, got %d", n);
	if (alloc_events(c, path, e, n))
		return -1;
	cJSON_ArrayForEach(ev, v) {
		jpath_idx(p, path, i);
		if (parse_event(c, ev, p, sc, &e->events[i++]))
			return -1;
	}
	return 0;
}

static int parse_latency(struct jctx *c, const cJSON *v, const char *path,
			 const struct scenario *sc, struct sc_expect *e)
{
	static const char *const keys[] = { "from", "to", "max", NULL };
	static const char *const ends[] = { "from", "to" };
	char p[JPATH_MAX];

	e->kind = EXP_LATENCY;
	if (jcheck_object(c, v, path, keys) || alloc_events(c, path, e, 2))
		return -1;
	for (int i = 0; i < 2; i++) {
		jpath_key(p, path, ends[i]);
		if (!jmember(v, ends[i]))
			return jerr(c, p, "missing (required)");
		if (parse_event(c, jmember(v, ends[i]), p, sc, &e->events[i]))
			return -1;
	}
	return jget_u64(c, v, path, "max", true, 0, UINT64_MAX, &e->max) < 0 ? -1 : 0;
}

static int parse_host_status(struct jctx *c, const cJSON *obj, const char *path,
			     const struct scenario *sc, struct sc_expect *e)
{
	const char *id = NULL;
	char p[JPATH_MAX], num[32];
	const char *text = NULL;
	const cJSON *v;
	bool attached = false;

	e->kind = EXP_HOST_STATUS;
	if (jget_string(c, obj, path, "host", true, &id) < 0)
		return -1;
	jpath_key(p, path, "host");
	for (int i = 0; i < sc->m.n_host && !attached; i++)
		attached = sc->m.host[i].op == HOST_ATTACH && !strcmp(sc->m.host[i].id, id);
	if (!attached)
		return jerr(c, p, "'%s' is not attached by any host step", id);
	if (jdup(c, p, id, &e->text))
		return -1;
	jpath_key(p, path, "status");
	if (!(v = jmember(obj, "status")))
		return jerr(c, p, "missing (required)");
	if (cJSON_IsNumber(v)) {
		int64_t n = 0;
		if (jv_i64(c, v, p, &n))
			return -1;
		snprintf(num, sizeof(num), "%" PRId64, n);
		text = num;
	} else if (!cJSON_IsString(v)) {
		return jerr(c, p, "expected a GSS status name or number, got %s", jtype_name(v));
	} else {
		text = v->valuestring;
	}
	if ((e->status = gss_parse(text)) < 0)
		return jerr(c, p, "'%s' is not a GSS status (GSS_OK, GSS_UNKNOWN_FAILURE, "
			    "GSS_NOMEM, GSS_CLIENT_MAX, GSS_ILLEGAL_NAME, GSS_NO_PERMISSION, "
			    "GSS_DOES_NOT_EXIST, or 0..6)", text);
	return 0;
}

/* {"races": N}: exactly N reports. {"race": {"kind": K, "between": [A, B]}}:
 * some report of kind K (any when absent) whose two accesses are A and B in
 * either order, each {"vm": NAME or "host", "function": F, "dir": "r"|"w"}
 * (function and dir optional). Race mode must be on in the file. */
static int parse_race_side(struct jctx *c, const cJSON *v, const char *path,
			   const struct scenario *sc, struct sc_race_side *out)
{
	static const char *const keys[] = { "vm", "function", "dir", NULL };
	const char *s = NULL;
	char p[JPATH_MAX];
	int r;
	if (!cJSON_IsObject(v))
		return jerr(c, path, "expected an object {\"vm\", \"function\", \"dir\"}, got %s",
			    jtype_name(v));
	if (jcheck_object(c, v, path, keys) || jget_string(c, v, path, "vm", true, &s) < 0)
		return -1;
	jpath_key(p, path, "vm");
	if (!strcmp(s, "host")) {
		out->vm = EV_HOST;
	} else if ((out->vm = sc_vm_index(sc, s)) < 0) {
		return jerr(c, p, "no VM named '%s' in vms (or \"host\")", s);
	}
	if ((r = jget_string(c, v, path, "function", false, &s)) < 0)
		return -1;
	jpath_key(p, path, "function");
	if (r && (!*s || jdup(c, p, s, &out->function)))
		return *s ? -1 : jerr(c, p, "must not be empty");
	if ((r = jget_string(c, v, path, "dir", false, &s)) < 0)
		return -1;
	jpath_key(p, path, "dir");
	if (r && strcmp(s, "r") && strcmp(s, "w"))
		return jerr(c, p, "'%s': expected \"r\" or \"w\"", s);
	out->dir = r ? s[0] : 0;
	return 0;
}

static int parse_race_expect(struct jctx *c, const cJSON *obj, const char *path,
			     const struct scenario *sc, struct sc_expect *e)
{
	char p[JPATH_MAX], q[JPATH_MAX];
	const char *key = jmember(obj, "races") ? "races" : "race";
	jpath_key(p, path, key);
	if (!sc->m.races)
		return jerr(c, p, "race expectations need race mode: add \"races\": true at the top level");
	if (!strcmp(key, "races")) {
		e->kind = EXP_RACES;
		return jv_u64(c, jmember(obj, "races"), p, 0, 256, &e->count) ? -1 : 0;
	}
	static const char *const keys[] = { "kind", "between", NULL };
	const cJSON *v = jmember(obj, "race"), *arr = NULL;
	const char *k = NULL;
	int r;
	e->kind = EXP_RACE;
	e->race_kind = -1;
	if (!cJSON_IsObject(v))
		return jerr(c, p, "expected an object {\"kind\", \"between\"}, got %s", jtype_name(v));
	if (jcheck_object(c, v, p, keys) || (r = jget_string(c, v, p, "kind", false, &k)) < 0)
		return -1;
	jpath_key(q, p, "kind");
	if (r && (e->race_kind = race_kind_parse(k)) < 0)
		return jerr(c, q, "'%s': expected data-race, missing-barrier-store or "
			    "missing-barrier-load", k);
	if (jget_array(c, v, p, "between", true, &arr) < 0)
		return -1;
	jpath_key(q, p, "between");
	if (cJSON_GetArraySize(arr) != 2)
		return jerr(c, q, "expected the two accesses, got %d", cJSON_GetArraySize(arr));
	for (int i = 0; i < 2; i++) {
		char qi[JPATH_MAX];
		jpath_idx(qi, q, i);
		if (parse_race_side(c, cJSON_GetArrayItem(arr, i), qi, sc, &e->race[i]))
			return -1;
	}
	return 0;
}

/* "clause": one ID or a non-empty array of IDs, each once. */
static int parse_clause(struct jctx *c, const cJSON *v, const char *path, struct sc_expect *e)
{
	char p[JPATH_MAX];
	bool one = cJSON_IsString(v);
	int n = one ? 1 : cJSON_IsArray(v) ? cJSON_GetArraySize(v) : -1;

	if (n < 0)
		return jerr(c, path, "expected a clause ID or an array of them, got %s",
			    jtype_name(v));
	if (!n)
		return jerr(c, path, "an empty array: drop the key to check the scenario's "
			    "clauses, or name the rules this expectation checks");
	if (!(e->clauses = calloc((size_t)n + 1, sizeof(char *))))
		return jerr(c, path, "out of memory");
	for (int i = 0; i < n; i++) {
		const cJSON *x = one ? v : cJSON_GetArrayItem(v, i);
		const char *s = NULL;
		if (one)
			snprintf(p, sizeof(p), "%s", path);
		else
			jpath_idx(p, path, i);
		if (jv_string(c, x, p, &s))
			return -1;
		if (!sc_clause_id_ok(s))
			return jerr(c, p, "'%s' is not a clause ID (like \"CRE-1\")", s);
		for (int k = 0; k < e->n_clauses; k++)
			if (!strcmp(e->clauses[k], s))
				return jerr(c, p, "'%s' is named twice", s);
		if (jdup(c, p, s, &e->clauses[e->n_clauses]))
			return -1;
		e->n_clauses++;
	}
	return 0;
}

static int parse_expect_one(struct jctx *c, const cJSON *obj, int i,
			    const struct scenario *sc, struct sc_expect *e)
{
	char path[JPATH_MAX], p[JPATH_MAX], list[160];
	const char *primary = NULL;

	jpath_idx(path, "expect", i);
	if (jdup(c, path, path, &e->where) || jcheck_object(c, obj, path, all_keys))
		return -1;
	for (int k = 0; primaries[k]; k++) {
		if (!jmember(obj, primaries[k]))
			continue;
		if (primary)
			return jerr(c, path, "both '%s' and '%s': one expectation per entry",
				    primary, primaries[k]);
		primary = primaries[k];
	}
	if (!primary) {
		join(list, sizeof(list), primaries, ", ");
		return jerr(c, path, "not an expectation: it needs one of the keys %s", list);
	}
	/* Keys of other kinds: "pages" in a vm expectation is a mistake. */
	const char *const *takes = !strcmp(primary, "vm") ? vm_checks
				 : !strcmp(primary, "region") ? region_checks
				 : !strcmp(primary, "host") ? (const char *const[]){ "status", NULL }
				 : (const char *const[]){ NULL };
	for (const cJSON *m = obj->child; m; m = m->next) {
		if (!strcmp(m->string, primary) || in_list(m->string, takes) ||
		    !strcmp(m->string, "clause"))
			continue;
		jpath_key(p, path, m->string);
		join(list, sizeof(list), takes, ", ");
		return jerr(c, p, "not used by a '%s' expectation%s%s%s", primary,
			    *list ? " (it takes " : "", list, *list ? ")" : "");
	}
	jpath_key(p, path, "clause");
	if (jmember(obj, "clause") && parse_clause(c, jmember(obj, "clause"), p, e))
		return -1;
	jpath_key(p, path, primary);
	if (!strcmp(primary, "vm"))
		return parse_vm_expect(c, obj, path, sc, e);
	if (!strcmp(primary, "region"))
		return parse_region_expect(c, obj, path, e);
	if (!strcmp(primary, "order"))
		return parse_order(c, jmember(obj, "order"), p, sc, e);
	if (!strcmp(primary, "never")) {
		e->kind = EXP_NEVER;
		return alloc_events(c, p, e, 1) ||
		       parse_event(c, jmember(obj, "never"), p, sc, &e->events[0]) ? -1 : 0;
	}
	if (!strcmp(primary, "latency"))
		return parse_latency(c, jmember(obj, "latency"), p, sc, e);
	if (!strcmp(primary, "races") || !strcmp(primary, "race"))
		return parse_race_expect(c, obj, path, sc, e);
	return parse_host_status(c, obj, path, sc, e);
}

int sc_parse_expect(struct jctx *c, const cJSON *arr, struct scenario *sc)
{
	const cJSON *v;
	int i = 0;

	int n = cJSON_GetArraySize(arr);
	if (n > MAX_EXPECT)
		return jerr(c, "expect", "%d expectations: at most %d", n, MAX_EXPECT);
	sc->expect = calloc((size_t)n + 1, sizeof(*sc->expect));
	if (!sc->expect)
		return jerr(c, "expect", "out of memory");
	sc->n_expect = n;
	cJSON_ArrayForEach(v, arr) {
		if (parse_expect_one(c, v, i, sc, &sc->expect[i]))
			return -1;
		i++;
	}
	return 0;
}
