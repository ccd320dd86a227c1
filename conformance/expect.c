/* expect.c - checking expectations after a run (CONTRACT section 3).
 *
 * Everything is read from the event log and the VMs' final states (struct
 * vm_result, filled by the runner); region expectations ask the shmem model
 * through shm_region_query. Each check produces one struct exp_result whose
 * message, on failure, says in one line what was expected and what happened,
 * citing the most relevant event (ev_seq, and its seq/clock in the text).
 *
 * Order of r->exps: first the default checks (one per VM whose `exit`,
 * `fault` or `fails` no expectation names), then the expectations in file
 * order. A fault or FAIL record is usually the root cause of other failures,
 * so it comes first in r->reason.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <inttypes.h>
#include "expect.h"
#include "sim/race.h"
#include "re.h"

#define CONSOLE_TAIL  200   /* bytes of console shown when a console check fails */
#define DATA_CONTEXT  8     /* bytes shown either side of the first data difference */
#define REGION_PAGE   4096u

/* ---- a growable string; allocation failure is sticky ---- */

struct sb {
	char *p;
	size_t n, cap;
	bool oom;
};

static void sb_grow(struct sb *b, size_t more)
{
	if (b->oom || b->n + more + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->n + more + 1)
		cap *= 2;
	char *p = realloc(b->p, cap);
	if (!p) {
		b->oom = true;
		return;
	}
	b->p = p;
	b->cap = cap;
}

__attribute__((format(printf, 2, 3)))
static void sb_printf(struct sb *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char tmp[256];
	int len = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (len < 0)
		return;
	sb_grow(b, (size_t)len);
	if (b->oom)
		return;
	if ((size_t)len < sizeof(tmp)) {
		memcpy(b->p + b->n, tmp, (size_t)len + 1);
	} else {
		va_start(ap, fmt);
		vsnprintf(b->p + b->n, (size_t)len + 1, fmt, ap);
		va_end(ap);
	}
	b->n += (size_t)len;
}

static void sb_put(struct sb *b, const char *s)
{
	size_t len = strlen(s);
	sb_grow(b, len);
	if (b->oom)
		return;
	memcpy(b->p + b->n, s, len + 1);
	b->n += len;
}

/* Bytes as printable one-line text: C escapes for quotes, backslash and
 * control or non-ASCII bytes. */
static void sb_esc(struct sb *b, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"':  sb_put(b, "\\\""); break;
		case '\\': sb_put(b, "\\\\"); break;
		case '\n': sb_put(b, "\\n"); break;
		case '\r': sb_put(b, "\\r"); break;
		case '\t': sb_put(b, "\\t"); break;
		default:
			if (c < 0x20 || c >= 0x7f)
				sb_printf(b, "\\x%02x", c);
			else
				sb_printf(b, "%c", c);
		}
	}
}

static void sb_quoted(struct sb *b, const char *s)
{
	if (!s) {
		sb_put(b, "(none)");
		return;
	}
	sb_put(b, "\"");
	sb_esc(b, s, strlen(s));
	sb_put(b, "\"");
}

/* The string, or NULL when empty-and-unused or out of memory. */
static char *sb_take(struct sb *b)
{
	if (b->oom) {
		free(b->p);
		b->p = NULL;
		return NULL;
	}
	if (!b->p)
		return strdup("");
	char *p = b->p;
	b->p = NULL;
	b->n = b->cap = 0;
	return p;
}

/* ---- context ---- */

struct ctx {
	const struct scenario *sc;
	const struct evlog *log; /* the log's events, read through peek and pin */
	size_t n_ev;
	struct ev_pins *pins;
	const struct shm_sys *shm;
	struct sc_result *r;
	int n_vms;               /* VMs known from the scenario or the result */
	bool oom;
};

/* Events decoded from the compact log: peek's is valid until the next peek;
 * pin's (an event an expectation cites or compares) until the check ends. */
struct ev_pins {
	struct ev scratch;
	struct ev **v;
	size_t n, cap;
};

#define NO_EV SIZE_MAX

static const struct ev *peek(const struct ctx *c, size_t i)
{
	return evlog_get(c->log, i, &c->pins->scratch);
}

static bool ev_is(const struct ctx *c, size_t i, enum ev_kind k, int vm)
{
	return evlog_kind(c->log, i) == k && evlog_vm(c->log, i) == vm;
}

static const struct ev *pin(const struct ctx *c, size_t i)
{
	struct ev_pins *p = c->pins;
	if (i == NO_EV)
		return NULL;
	for (size_t k = 0; k < p->n; k++)
		if (p->v[k]->seq == i)
			return p->v[k];
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		struct ev **v = realloc(p->v, cap * sizeof(*v));
		if (!v)
			return peek(c, i);
		p->v = v;
		p->cap = cap;
	}
	struct ev *e = malloc(sizeof(*e));
	if (!e)
		return peek(c, i);
	evlog_get(c->log, i, e);
	return p->v[p->n++] = e;
}

static void pins_free(struct ev_pins *p)
{
	for (size_t k = 0; k < p->n; k++)
		free(p->v[k]);
	free(p->v);
}

static void sb_vm(const struct ctx *c, struct sb *b, int vm)
{
	if (vm == EV_HOST)
		sb_put(b, "host");
	else if (c->sc && vm >= 0 && vm < c->sc->m.n_vms && c->sc->m.vms && c->sc->m.vms[vm].name)
		sb_esc(b, c->sc->m.vms[vm].name, strlen(c->sc->m.vms[vm].name));
	else if (vm >= 0 && vm < c->r->n_vms && c->r->vms && c->r->vms[vm].name)
		sb_esc(b, c->r->vms[vm].name, strlen(c->r->vms[vm].name));
	else
		sb_printf(b, "vm#%d", vm);
}

/* The final state of a VM, or NULL when the runner gave none. */
static const struct vm_result *vm_res(const struct ctx *c, int vm)
{
	if (vm < 0 || vm >= c->r->n_vms || !c->r->vms)
		return NULL;
	return &c->r->vms[vm];
}

/* A fixed-size, possibly unterminated char array equals string s. */
static bool fixed_eq(const char *arr, size_t size, const char *s)
{
	size_t len = strnlen(arr, size);
	return s && strlen(s) == len && memcmp(arr, s, len) == 0;
}

static bool str_eq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* A copy of the n IDs of v (NULL when n is 0), or NULL with c->oom set. */
static char **copy_ids(struct ctx *c, char *const *v, int n)
{
	if (n <= 0 || !v)
		return NULL;
	char **out = calloc((size_t)n + 1, sizeof(*out));
	for (int i = 0; out && i < n; i++) {
		if (!(out[i] = strdup(v[i]))) {
			while (i--)
				free(out[i]);
			free(out);
			out = NULL;
		}
	}
	if (!out)
		c->oom = true;
	return out;
}

/* The rule IDs expectation x checks (NULL: a default check): its own
 * "clause", else the scenario's top-level list. */
static void exp_clauses(const struct ctx *c, const struct sc_expect *x, char ***v, int *n)
{
	if (x && x->n_clauses) {
		*v = x->clauses;
		*n = x->n_clauses;
	} else {
		*v = c->sc ? c->sc->clauses : NULL;
		*n = c->sc && c->sc->clauses ? c->sc->n_listed : 0;
	}
}

static void add_result(struct ctx *c, const struct sc_expect *x, const char *where,
		       struct sb *what, bool pass, struct sb *msg, int64_t ev_seq)
{
	struct sc_result *r = c->r;
	char **ids;
	int n_ids;
	exp_clauses(c, x, &ids, &n_ids);
	char **cl = copy_ids(c, ids, n_ids);
	if (n_ids > 0 && !cl)
		n_ids = 0;
	char *w = strdup(where);
	char *wh = sb_take(what);
	char *m = pass ? NULL : sb_take(msg);
	if (pass)
		free(sb_take(msg));
	struct exp_result *n = realloc(r->exps, (size_t)(r->n_exps + 1) * sizeof(*n));
	if (!w || !wh || (!pass && !m) || !n) {
		free(w);
		free(wh);
		free(m);
		if (n)
			r->exps = n;
		for (int i = 0; cl && i < n_ids; i++)
			free(cl[i]);
		free(cl);
		c->oom = true;
		return;
	}
	r->exps = n;
	n[r->n_exps++] = (struct exp_result){
		.where = w, .what = wh, .pass = pass, .message = m, .ev_seq = ev_seq,
		.clauses = cl, .n_clauses = cl ? n_ids : 0,
	};
}

/* ---- event helpers ---- */

static const char *pat_kind_word(int kind)
{
	switch (kind) {
	case EV_MARK:    return "mark";
	case EV_IRQ_ACK: return "irq";
	case EV_EXIT:    return "exit";
	case EV_FAULT:   return "fault";
	case EV_ATTACH:  return "attach";
	case EV_DETACH:  return "detach";
	case EV_NOTIFY:  return "notify";
	case EV_STATUS:  return "status";
	default:         return ev_kind_name((enum ev_kind)kind);
	}
}

static void sb_pat(const struct ctx *c, struct sb *b, const struct sc_evpat *p)
{
	sb_vm(c, b, p->vm);
	sb_printf(b, " %s", pat_kind_word(p->kind));
	switch (p->kind) {
	case EV_FAULT:
		if (p->str)
			sb_printf(b, " %s", p->str);
		break;
	case EV_ATTACH: case EV_DETACH:
		if (p->str) {
			sb_put(b, " ");
			sb_quoted(b, p->str);
		}
		break;
	case EV_NOTIFY: case EV_STATUS:
		if (p->has_value)
			sb_printf(b, " 0x%" PRIx64, (uint64_t)p->value);
		break;
	default:
		if (p->has_value)
			sb_printf(b, " %" PRId64, p->value);
	}
}

bool expect_ev_match(const struct sc_evpat *p, const struct ev *e)
{
	if (!p || !e || p->vm != e->vm || p->kind != (int)e->kind)
		return false;
	switch (e->kind) {
	case EV_MARK: case EV_EXIT:
		return !p->has_value || e->code == p->value;
	case EV_IRQ_ACK:
		return !p->has_value || (int64_t)e->intid == p->value;
	case EV_NOTIFY:
		return !p->has_value || (int64_t)e->mask == p->value;
	case EV_STATUS:   /* host status read: the 32-bit value it returned */
		return !p->has_value || (int64_t)e->value == p->value;
	case EV_FAULT:
		return !p->str || fixed_eq(e->fault_kind, sizeof(e->fault_kind), p->str);
	case EV_ATTACH: case EV_DETACH:
		return e->status == 0 && (!p->str || str_eq(e->region, p->str));
	default:
		return true;
	}
}

/* "seq 12, clock 3400" */
static void sb_at(struct sb *b, const struct ev *e)
{
	sb_printf(b, "seq %" PRIu64 ", clock %" PRIu64, e->seq, e->clock);
}

static const struct ev *find_first(const struct ctx *c, size_t from, const struct sc_evpat *p)
{
	for (size_t i = from; i < c->n_ev; i++)
		if (ev_is(c, i, (enum ev_kind)p->kind, p->vm) && expect_ev_match(p, peek(c, i)))
			return pin(c, i);
	return NULL;
}

/* The last (or, with nth >= 0, the nth counted from 0) event of kind k of vm. */
static const struct ev *find_vm_ev(const struct ctx *c, int vm, enum ev_kind k, long nth)
{
	size_t last = NO_EV;
	long seen = 0;
	for (size_t i = 0; i < c->n_ev; i++) {
		if (!ev_is(c, i, k, vm))
			continue;
		if (nth >= 0 && seen++ == nth)
			return pin(c, i);
		last = i;
	}
	return nth >= 0 ? NULL : pin(c, last);
}

static int64_t seq_of(const struct ev *e)
{
	return e ? (int64_t)e->seq : -1;
}

/* How a VM ended, for messages: "exit 0 (seq 9, clock 100)",
 * "fault read-unmapped at 0x0 (pc 0x40000010, insn "ldr w0, [x1]"; seq ..)"
 * or "no stop (icount N)". Returns the event cited. */
static const struct ev *sb_vm_end(const struct ctx *c, struct sb *b, int vm)
{
	const struct vm_result *v = vm_res(c, vm);
	if (!v) {
		sb_put(b, "no final state for this VM");
		return NULL;
	}
	if (v->faulted) {
		const struct ev *e = find_vm_ev(c, vm, EV_FAULT, -1);
		sb_printf(b, "fault %.*s at 0x%" PRIx64 " (pc 0x%" PRIx64 ", insn ",
			  (int)strnlen(v->fault_kind, sizeof(v->fault_kind)), v->fault_kind,
			  v->fault_addr, v->fault_pc);
		sb_quoted(b, v->fault_insn);
		if (e) {
			sb_put(b, "; ");
			sb_at(b, e);
		}
		sb_put(b, ")");
		return e;
	}
	if (v->exited) {
		const struct ev *e = find_vm_ev(c, vm, EV_EXIT, -1);
		sb_printf(b, "exit %" PRId64, v->exit_code);
		if (e) {
			sb_put(b, " (");
			sb_at(b, e);
			sb_put(b, ")");
		}
		return e;
	}
	sb_printf(b, "no exit and no fault (icount %" PRIu64 ")", v->icount);
	return NULL;
}

static void sb_ids(struct sb *b, const int64_t *ids, int n)
{
	sb_put(b, "[");
	for (int i = 0; i < n; i++)
		sb_printf(b, "%s%" PRId64, i ? ", " : "", ids[i]);
	sb_put(b, "]");
}

/* ---- the checks ---- */

static bool names_vm_state(const struct sc_expect *x, int vm)
{
	return x->vm == vm && (x->kind == EXP_EXIT || x->kind == EXP_FAULT || x->kind == EXP_FAILS);
}

static void check_default(struct ctx *c, int vm)
{
	struct sb what = {0}, msg = {0};
	sb_put(&what, "vm ");
	sb_vm(c, &what, vm);
	sb_put(&what, " exits 0 without fault or FAIL");

	const struct vm_result *v = vm_res(c, vm);
	bool pass = v && v->exited && !v->faulted && v->exit_code == 0 && v->n_fails == 0;
	const struct ev *cite = NULL;
	if (!pass) {
		sb_put(&msg, "expected exit 0 without fault or FAIL, got ");
		cite = sb_vm_end(c, &msg, vm);
		if (v && v->n_fails > 0) {
			const struct ev *f = find_vm_ev(c, vm, EV_FAIL, 0);
			sb_printf(&msg, "; %d FAIL record%s ", v->n_fails, v->n_fails == 1 ? "" : "s");
			sb_ids(&msg, v->fails, v->fails ? v->n_fails : 0);
			if (f) {
				sb_put(&msg, " (first ");
				sb_at(&msg, f);
				sb_put(&msg, ")");
			}
			/* A clean exit with FAILs: the first FAIL is what to look at. */
			if (!v->faulted && v->exited && v->exit_code == 0)
				cite = f;
		}
	} else {
		cite = find_vm_ev(c, vm, EV_EXIT, -1);
	}
	add_result(c, NULL, "default", &what, pass, &msg, seq_of(cite));
}

static void check_exit(struct ctx *c, const struct sc_expect *x, struct sb *what, struct sb *msg,
		       bool *pass, const struct ev **cite)
{
	sb_put(what, "vm ");
	sb_vm(c, what, x->vm);
	sb_printf(what, " exits %" PRId64, x->code);
	const struct vm_result *v = vm_res(c, x->vm);
	*pass = v && v->exited && !v->faulted && v->exit_code == x->code;
	sb_printf(msg, "expected exit %" PRId64 ", got ", x->code);
	*cite = sb_vm_end(c, msg, x->vm);
}

static void check_fault(struct ctx *c, const struct sc_expect *x, struct sb *what, struct sb *msg,
			bool *pass, const struct ev **cite)
{
	sb_put(what, "vm ");
	sb_vm(c, what, x->vm);
	sb_printf(what, " faults %s", x->text ? x->text : "(any)");
	if (x->has_addr)
		sb_printf(what, " at 0x%" PRIx64, x->addr);
	const struct vm_result *v = vm_res(c, x->vm);
	*pass = v && v->faulted &&
		(!x->text || fixed_eq(v->fault_kind, sizeof(v->fault_kind), x->text)) &&
		(!x->has_addr || v->fault_addr == x->addr);
	sb_printf(msg, "expected fault %s", x->text ? x->text : "(any)");
	if (x->has_addr)
		sb_printf(msg, " at 0x%" PRIx64, x->addr);
	sb_put(msg, ", got ");
	*cite = sb_vm_end(c, msg, x->vm);
}

/* First console line event of vm containing the substring or matching re;
 * a regex that gives up (its step budget is shared) ends the search. */
static const struct ev *find_console_line(const struct ctx *c, int vm, const char *sub,
					  struct re *re)
{
	char err[200];

	for (size_t i = 0; i < c->n_ev; i++) {
		if (!ev_is(c, i, EV_CONSOLE, vm))
			continue;
		const struct ev *e = peek(c, i);
		if (!e->text)
			continue;
		int m = sub ? strstr(e->text, sub) != NULL
			    : re_match(re, e->text, strlen(e->text), err, sizeof(err));
		if (m < 0)
			return NULL;
		if (m)
			return pin(c, i);
	}
	return NULL;
}

static void sb_console_tail(struct sb *b, const char *con)
{
	size_t len = con ? strlen(con) : 0;
	if (!len) {
		sb_put(b, "the console is empty");
		return;
	}
	sb_printf(b, "console (%zu bytes) ", len);
	if (len > CONSOLE_TAIL) {
		sb_put(b, "ends \"...");
		sb_esc(b, con + len - CONSOLE_TAIL, CONSOLE_TAIL);
	} else {
		sb_put(b, "is \"");
		sb_esc(b, con, len);
	}
	sb_put(b, "\"");
}

static void check_console(struct ctx *c, const struct sc_expect *x, struct sb *what,
			  struct sb *msg, bool *pass, const struct ev **cite)
{
	bool is_re = x->kind == EXP_CONSOLE_RE;
	const char *pat = x->text ? x->text : "";
	sb_put(what, "vm ");
	sb_vm(c, what, x->vm);
	sb_put(what, is_re ? " console matches /" : " console contains \"");
	sb_esc(what, pat, strlen(pat));
	sb_put(what, is_re ? "/" : "\"");

	const struct vm_result *v = vm_res(c, x->vm);
	const char *con = v && v->console ? v->console : "";
	*pass = false;
	if (!v) {
		sb_put(msg, "no final state for this VM");
		return;
	}
	if (!is_re) {
		*pass = strstr(con, pat) != NULL;
		if (*pass)
			*cite = find_console_line(c, x->vm, pat, NULL);
		else
			sb_put(msg, "expected the console to contain the text, ");
	} else {
		char err[400];
		struct re *re = re_compile(pat, err, sizeof(err));
		if (!re) {
			sb_printf(msg, "invalid regular expression: %s", err);
			return;
		}
		int m = re_match(re, con, strlen(con), err, sizeof(err));
		*pass = m == 1;
		if (m < 0) {
			sb_put(msg, err);
			re_free(re);
			return;
		}
		if (*pass)
			*cite = find_console_line(c, x->vm, NULL, re);
		else
			sb_put(msg, "expected the console to match, ");
		re_free(re);
	}
	if (!*pass) {
		sb_put(msg, "but ");
		sb_console_tail(msg, con);
		*cite = find_vm_ev(c, x->vm, EV_CONSOLE, -1);
	}
}

static void check_fails(struct ctx *c, const struct sc_expect *x, struct sb *what,
			struct sb *msg, bool *pass, const struct ev **cite)
{
	int n_exp = x->ids ? x->n_ids : 0;
	sb_put(what, "vm ");
	sb_vm(c, what, x->vm);
	if (n_exp) {
		sb_put(what, " FAIL ids ");
		sb_ids(what, x->ids, n_exp);
	} else {
		sb_put(what, " has no FAIL record");
	}
	const struct vm_result *v = vm_res(c, x->vm);
	if (!v) {
		*pass = false;
		sb_put(msg, "no final state for this VM");
		return;
	}
	int n_got = v->fails ? v->n_fails : 0;
	int d = 0;   /* first difference */
	while (d < n_exp && d < n_got && x->ids[d] == v->fails[d])
		d++;
	*pass = d == n_exp && d == n_got;
	if (*pass) {
		*cite = find_vm_ev(c, x->vm, EV_FAIL, -1);
		return;
	}
	sb_put(msg, "expected FAIL ids ");
	sb_ids(msg, x->ids, n_exp);
	sb_put(msg, ", got ");
	sb_ids(msg, v->fails, n_got);
	if (d < n_got) {
		*cite = find_vm_ev(c, x->vm, EV_FAIL, d);
		sb_printf(msg, " (first difference: FAIL %" PRId64 " at position %d", v->fails[d], d + 1);
		if (*cite) {
			sb_put(msg, ", ");
			sb_at(msg, *cite);
		}
		sb_put(msg, ")");
	} else {
		sb_printf(msg, " (FAIL %" PRId64 " at position %d never came)", x->ids[d], d + 1);
		*cite = find_vm_ev(c, x->vm, EV_FAIL, -1);
	}
}

static void check_irqs(struct ctx *c, const struct sc_expect *x, struct sb *what,
		       struct sb *msg, bool *pass, const struct ev **cite)
{
	bool has_min = x->has_min, has_max = x->has_max;
	uint64_t min = x->min, max = x->max;
	if (x->has_count) {
		has_min = has_max = true;
		min = max = x->count;
		if (x->has_min && x->min > min)
			min = x->min;
		if (x->has_max && x->max < max)
			max = x->max;
	}
	if (!has_min && !has_max) {       /* no bound given: at least once */
		has_min = true;
		min = 1;
	}
	sb_put(what, "vm ");
	sb_vm(c, what, x->vm);
	sb_printf(what, " acknowledges irq %" PRIu32 " ", x->intid);
	if (has_min && has_max && min == max)
		sb_printf(what, "exactly %" PRIu64 " time%s", min, min == 1 ? "" : "s");
	else if (has_min && has_max)
		sb_printf(what, "%" PRIu64 " to %" PRIu64 " times", min, max);
	else if (has_min)
		sb_printf(what, "at least %" PRIu64 " time%s", min, min == 1 ? "" : "s");
	else
		sb_printf(what, "at most %" PRIu64 " time%s", max, max == 1 ? "" : "s");

	uint64_t n = 0;
	size_t first_i = NO_EV, last_i = NO_EV, excess_i = NO_EV;
	for (size_t i = 0; i < c->n_ev; i++) {
		if (!ev_is(c, i, EV_IRQ_ACK, x->vm) || peek(c, i)->intid != x->intid)
			continue;
		n++;
		if (first_i == NO_EV)
			first_i = i;
		last_i = i;
		if (has_max && n == max + 1)
			excess_i = i;
	}
	const struct ev *first = pin(c, first_i), *last = pin(c, last_i),
		*excess = pin(c, excess_i);
	*pass = (!has_min || n >= min) && (!has_max || n <= max);
	*cite = last;
	if (*pass)
		return;
	sb_printf(msg, "expected ");
	if (has_min && has_max && min == max)
		sb_printf(msg, "%" PRIu64, min);
	else if (has_min && has_max)
		sb_printf(msg, "%" PRIu64 "..%" PRIu64, min, max);
	else if (has_min)
		sb_printf(msg, ">= %" PRIu64, min);
	else
		sb_printf(msg, "<= %" PRIu64, max);
	sb_printf(msg, " acknowledgements of intid %" PRIu32 ", got %" PRIu64, x->intid, n);
	if (excess) {
		sb_printf(msg, " (acknowledgement %" PRIu64 " at ", max + 1);
		sb_at(msg, excess);
		sb_put(msg, ")");
		*cite = excess;
	} else if (first) {
		sb_put(msg, " (first at ");
		sb_at(msg, first);
		if (last != first) {
			sb_put(msg, ", last at ");
			sb_at(msg, last);
		}
		sb_put(msg, ")");
	}
}

static void sb_hexbytes(struct sb *b, const uint8_t *p, size_t lo, size_t hi, size_t mark,
			size_t len)
{
	if (lo > 0)
		sb_put(b, "..");
	for (size_t i = lo; i < hi; i++)
		sb_printf(b, i == mark ? "%s[%02x]" : "%s%02x", i > lo ? " " : "", p[i]);
	if (hi < len)
		sb_put(b, "..");
}

static void region_fail(struct sb *msg, bool *first)
{
	if (!*first)
		sb_put(msg, "; ");
	*first = false;
}

static void check_region(struct ctx *c, const struct sc_expect *x, struct sb *what,
			 struct sb *msg, bool *pass, const struct ev **cite)
{
	sb_put(what, "region ");
	sb_quoted(what, x->text);
	const char *sep = ": ";
	if (x->has_exists) {
		sb_printf(what, "%s%s", sep, x->exists ? "exists" : "does not exist");
		sep = ", ";
	}
	if (x->has_clients) {
		sb_printf(what, "%sclients %" PRIu32, sep, x->clients);
		sep = ", ";
	}
	if (x->has_peak) {
		sb_printf(what, "%speak_clients %" PRIu32, sep, x->peak_clients);
		sep = ", ";
	}
	if (x->has_pages) {
		sb_printf(what, "%spages %" PRIu32, sep, x->pages);
		sep = ", ";
	}
	if (x->has_data)
		sb_printf(what, "%sdata at 0x%" PRIx64 " (%zu bytes)", sep, x->data_offset,
			  x->data ? x->data_len : 0);

	/* The event most relevant to a region: its last successful attach or detach. */
	size_t cite_i = NO_EV;
	for (size_t i = 0; i < c->n_ev; i++) {
		if (evlog_kind(c->log, i) != EV_ATTACH && evlog_kind(c->log, i) != EV_DETACH)
			continue;
		const struct ev *e = peek(c, i);
		if (e->status == 0 && str_eq(e->region, x->text))
			cite_i = i;
	}
	*cite = pin(c, cite_i);
	*pass = false;
	if (!c->shm) {
		sb_put(msg, "no shmem system");
		return;
	}
	if (!x->text) {
		sb_put(msg, "no region name");
		return;
	}
	struct shm_region_info info;
	memset(&info, 0, sizeof(info));
	bool known = shm_region_query(c->shm, x->text, &info);
	if (!known)
		memset(&info, 0, sizeof(info));
	known = known && (info.ever || info.exists);

	bool ok = true, first = true;
	if (x->has_exists && info.exists != x->exists) {
		ok = false;
		region_fail(msg, &first);
		sb_printf(msg, "expected the region to %s at the end, it %s", x->exists ? "exist" : "not exist",
			  info.exists ? "does" : known ? "was destroyed" : "never existed");
	}
	bool other = x->has_clients || x->has_peak || x->has_pages || x->has_data;
	if (other && !known) {
		if (ok) {       /* not said yet by the `exists` check */
			region_fail(msg, &first);
			sb_put(msg, "the region never existed");
		}
		return;
	}
	if (x->has_clients && info.clients != x->clients) {
		ok = false;
		region_fail(msg, &first);
		sb_printf(msg, "expected clients %" PRIu32 " at the end, got %" PRIu32, x->clients,
			  info.clients);
	}
	if (x->has_peak && info.peak_clients != x->peak_clients) {
		ok = false;
		region_fail(msg, &first);
		sb_printf(msg, "expected peak_clients %" PRIu32 ", got %" PRIu32, x->peak_clients,
			  info.peak_clients);
	}
	if (x->has_pages && info.pages != x->pages) {
		ok = false;
		region_fail(msg, &first);
		sb_printf(msg, "expected pages %" PRIu32 ", got %" PRIu32, x->pages, info.pages);
	}
	if (x->has_data) {
		size_t len = x->data ? x->data_len : 0;
		uint64_t size = (uint64_t)info.pages * REGION_PAGE;
		if (!info.data)
			size = 0;
		if (x->data_offset > size || len > size - x->data_offset) {
			ok = false;
			region_fail(msg, &first);
			sb_printf(msg, "data at 0x%" PRIx64 " (%zu bytes) lies beyond the region's "
				  "0x%" PRIx64 " bytes", x->data_offset, len, size);
		} else if (len) {
			const uint8_t *got = info.data + x->data_offset;
			size_t d = 0, ndiff = 0;
			while (d < len && got[d] == x->data[d])
				d++;
			for (size_t i = d; i < len; i++)
				ndiff += got[i] != x->data[i];
			if (d < len) {
				ok = false;
				region_fail(msg, &first);
				size_t lo = d > DATA_CONTEXT ? d - DATA_CONTEXT : 0;
				size_t hi = len - d > DATA_CONTEXT ? d + DATA_CONTEXT + 1 : len;
				sb_printf(msg, "data differs at offset 0x%" PRIx64 " (%zu of %zu bytes differ): "
					  "expected ", x->data_offset + d, ndiff, len);
				sb_hexbytes(msg, x->data, lo, hi, d, len);
				sb_put(msg, ", got ");
				sb_hexbytes(msg, got, lo, hi, d, len);
			}
		}
	}
	*pass = ok;
}

static void check_order(struct ctx *c, const struct sc_expect *x, struct sb *what,
			struct sb *msg, bool *pass, const struct ev **cite)
{
	int n = x->events ? x->n_events : 0;
	sb_put(what, "order: ");
	for (int i = 0; i < n; i++) {
		if (i)
			sb_put(what, " < ");
		sb_pat(c, what, &x->events[i]);
	}
	const struct ev *prev = NULL;
	size_t pos = 0;
	int j = 0;
	for (; j < n; j++) {
		const struct ev *e = find_first(c, pos, &x->events[j]);
		if (!e)
			break;
		prev = e;
		pos = (size_t)e->seq + 1;
	}
	*cite = prev;
	*pass = j == n;
	if (*pass)
		return;
	sb_printf(msg, "element %d of %d (", j + 1, n);
	sb_pat(c, msg, &x->events[j]);
	if (!prev) {
		sb_put(msg, ") never happened");
		return;
	}
	sb_put(msg, ") did not happen after element ");
	sb_printf(msg, "%d (", j);
	sb_pat(c, msg, &x->events[j - 1]);
	sb_put(msg, ") at ");
	sb_at(msg, prev);
	const struct ev *before = find_first(c, 0, &x->events[j]);
	if (before)
		sb_printf(msg, "; it happened only before, first at seq %" PRIu64 ", clock %" PRIu64,
			  before->seq, before->clock);
	else
		sb_put(msg, "; it never happened at all");
}

static void check_never(struct ctx *c, const struct sc_expect *x, struct sb *what,
			struct sb *msg, bool *pass, const struct ev **cite)
{
	sb_put(what, "never: ");
	if (!x->events || x->n_events < 1) {
		sb_put(what, "(no event)");
		sb_put(msg, "no event pattern given");
		*pass = false;
		return;
	}
	sb_pat(c, what, &x->events[0]);
	const struct ev *e = find_first(c, 0, &x->events[0]);
	*pass = !e;
	*cite = e;
	if (e) {
		sb_put(msg, "expected no such event, but ");
		sb_pat(c, msg, &x->events[0]);
		sb_put(msg, " happened at ");
		sb_at(msg, e);
		sb_printf(msg, ", pc 0x%" PRIx64, e->pc);
	}
}

static void check_latency(struct ctx *c, const struct sc_expect *x, struct sb *what,
			  struct sb *msg, bool *pass, const struct ev **cite)
{
	*pass = false;
	sb_put(what, "latency: ");
	if (!x->events || x->n_events < 2) {
		sb_put(what, "(no events)");
		sb_put(msg, "two event patterns (from, to) needed");
		return;
	}
	const struct sc_evpat *p1 = &x->events[0], *p2 = &x->events[1];
	sb_pat(c, what, p1);
	sb_put(what, " -> ");
	sb_pat(c, what, p2);
	sb_printf(what, " <= %" PRIu64, x->max);

	const struct ev *e1 = find_first(c, 0, p1);
	if (!e1) {
		sb_put(msg, "the start event (");
		sb_pat(c, msg, p1);
		sb_put(msg, ") never happened");
		return;
	}
	const struct ev *e2 = find_first(c, (size_t)e1->seq + 1, p2);
	if (!e2) {
		*cite = e1;
		sb_put(msg, "the end event (");
		sb_pat(c, msg, p2);
		sb_put(msg, ") never happened after the start at ");
		sb_at(msg, e1);
		return;
	}
	uint64_t d = e2->clock >= e1->clock ? e2->clock - e1->clock : 0;
	*cite = e2;
	*pass = d <= x->max;
	if (*pass)
		return;
	sb_printf(msg, "expected at most %" PRIu64 ", measured %" PRIu64 " (from ", x->max, d);
	sb_at(msg, e1);
	sb_put(msg, " to ");
	sb_at(msg, e2);
	sb_put(msg, ")");
}

static void sb_gss(struct sb *b, int status)
{
	const char *s = gss_name(status);
	if (s)
		sb_put(b, s);
	else
		sb_printf(b, "status %d", status);
}

static void check_host_status(struct ctx *c, const struct sc_expect *x, struct sb *what,
			      struct sb *msg, bool *pass, const struct ev **cite)
{
	sb_put(what, "host ");
	sb_quoted(what, x->text);
	sb_put(what, " attach status ");
	sb_gss(what, x->status);

	/* The connection's last attach: an id attached twice answers for the latest. */
	const struct ev *e = NULL;
	size_t e_i = NO_EV;
	for (size_t i = 0; i < c->n_ev; i++)
		if (ev_is(c, i, EV_ATTACH, EV_HOST) && str_eq(peek(c, i)->text, x->text))
			e_i = i;
	e = pin(c, e_i);
	*cite = e;
	*pass = e && e->status == x->status;
	if (*pass)
		return;
	if (!e) {
		sb_put(msg, "expected ");
		sb_gss(msg, x->status);
		sb_put(msg, ", but the host connection ");
		sb_quoted(msg, x->text);
		sb_put(msg, " never attached");
		return;
	}
	sb_put(msg, "expected ");
	sb_gss(msg, x->status);
	sb_put(msg, ", got ");
	sb_gss(msg, e->status);
	sb_put(msg, " (region ");
	sb_quoted(msg, e->region);
	sb_put(msg, ", ");
	sb_at(msg, e);
	sb_put(msg, ")");
}

/* ---- race mode (docs/races.md) ---- */

static const struct ev *race_event(const struct ctx *c, int report)
{
	for (size_t i = 0; i < c->n_ev; i++)
		if (evlog_kind(c->log, i) == EV_RACE && peek(c, i)->code == report)
			return pin(c, i);
	return NULL;
}

/* "data-race: poller read fp+0x0 at wait_flag+0x28, setter wrote at set_flag+0x28" */
static void sb_race(struct sb *b, const struct race_rec *x)
{
	sb_printf(b, "%s: %s %s %s+0x%llx at %s, then %s %s at %s", x->kind, x->first.vm,
		  x->first.dir == 'w' ? "wrote" : "read", x->first.region,
		  (unsigned long long)x->first.off, x->first.sym[0] ? x->first.sym : "?",
		  x->second.vm, x->second.dir == 'w' ? "wrote" : "read",
		  x->second.sym[0] ? x->second.sym : "?");
}

static bool race_side_match(const struct ctx *c, const struct sc_race_side *p,
			    const struct race_side_rec *s)
{
	const char *vm = p->vm == EV_HOST ? "host" :
			 c->sc && p->vm >= 0 && p->vm < c->sc->m.n_vms ? c->sc->m.vms[p->vm].name : NULL;
	if (!vm || strcmp(vm, s->vm) || (p->dir && p->dir != s->dir))
		return false;
	if (!p->function)
		return true;
	size_t n = strcspn(s->sym, "+");
	return strlen(p->function) == n && !strncmp(p->function, s->sym, n);
}

static bool race_match(const struct ctx *c, const struct sc_expect *x, const struct race_rec *r)
{
	if (x->race_kind >= 0 && strcmp(race_kind_name((enum race_kind)x->race_kind), r->kind))
		return false;
	return (race_side_match(c, &x->race[0], &r->first) && race_side_match(c, &x->race[1], &r->second)) ||
	       (race_side_match(c, &x->race[0], &r->second) && race_side_match(c, &x->race[1], &r->first));
}

static void sb_race_side_pat(const struct ctx *c, struct sb *b, const struct sc_race_side *p)
{
	sb_vm(c, b, p->vm);
	if (p->dir)
		sb_put(b, p->dir == 'w' ? " writing" : " reading");
	if (p->function)
		sb_printf(b, " in %s", p->function);
}

static void check_race(struct ctx *c, const struct sc_expect *x, struct sb *what,
		       struct sb *msg, bool *pass, const struct ev **cite)
{
	sb_printf(what, "race mode reports a %s between ",
		  x->race_kind >= 0 ? race_kind_name((enum race_kind)x->race_kind) : "race");
	sb_race_side_pat(c, what, &x->race[0]);
	sb_put(what, " and ");
	sb_race_side_pat(c, what, &x->race[1]);
	for (int i = 0; i < c->r->n_races; i++)
		if (race_match(c, x, &c->r->races[i])) {
			*pass = true;
			*cite = race_event(c, i);
			return;
		}
	if (!c->r->n_races) {
		sb_put(msg, "no report at all");
		return;
	}
	sb_printf(msg, "%d other report%s, the first: ", c->r->n_races, c->r->n_races == 1 ? "" : "s");
	sb_race(msg, &c->r->races[0]);
	*cite = race_event(c, 0);
}

static void check_races(struct ctx *c, const struct sc_expect *x, struct sb *what,
			struct sb *msg, bool *pass, const struct ev **cite)
{
	sb_printf(what, "race mode reports %llu race%s or missing barrier%s",
		  (unsigned long long)x->count, x->count == 1 ? "" : "s", x->count == 1 ? "" : "s");
	*pass = (uint64_t)c->r->n_races == x->count;
	if (*pass)
		return;
	sb_printf(msg, "got %d", c->r->n_races);
	if (c->r->n_races) {
		sb_put(msg, "; the first: ");
		sb_race(msg, &c->r->races[0]);
		*cite = race_event(c, 0);
	}
}

/* Race mode with no race expectation: no report is the default. */
static void check_default_races(struct ctx *c)
{
	struct sb what = {0}, msg = {0};
	const struct ev *cite = NULL;
	sb_put(&what, "race mode finds no data race and no missing barrier");
	bool pass = c->r->n_races == 0;
	if (!pass) {
		sb_printf(&msg, "%d report%s; the first: ", c->r->n_races, c->r->n_races == 1 ? "" : "s");
		sb_race(&msg, &c->r->races[0]);
		cite = race_event(c, 0);
	}
	add_result(c, NULL, "default", &what, pass, &msg, seq_of(cite));
}

static bool vm_kind(enum sc_expect_kind k)
{
	return k == EXP_EXIT || k == EXP_FAULT || k == EXP_CONSOLE || k == EXP_CONSOLE_RE ||
	       k == EXP_FAILS || k == EXP_IRQS;
}

static void check_one(struct ctx *c, const struct sc_expect *x, int i)
{
	struct sb what = {0}, msg = {0};
	bool pass = false;
	const struct ev *cite = NULL;
	char where[32];
	snprintf(where, sizeof(where), "expect[%d]", i);

	if (vm_kind(x->kind) && (x->vm < 0 || x->vm >= c->n_vms)) {
		sb_put(&what, "vm ");
		sb_vm(c, &what, x->vm);
		sb_put(&what, " (unknown VM)");
		sb_printf(&msg, "no VM with index %d in this scenario", x->vm);
	} else {
		switch (x->kind) {
		case EXP_EXIT:        check_exit(c, x, &what, &msg, &pass, &cite); break;
		case EXP_FAULT:       check_fault(c, x, &what, &msg, &pass, &cite); break;
		case EXP_CONSOLE:
		case EXP_CONSOLE_RE:  check_console(c, x, &what, &msg, &pass, &cite); break;
		case EXP_FAILS:       check_fails(c, x, &what, &msg, &pass, &cite); break;
		case EXP_IRQS:        check_irqs(c, x, &what, &msg, &pass, &cite); break;
		case EXP_REGION:      check_region(c, x, &what, &msg, &pass, &cite); break;
		case EXP_ORDER:       check_order(c, x, &what, &msg, &pass, &cite); break;
		case EXP_NEVER:       check_never(c, x, &what, &msg, &pass, &cite); break;
		case EXP_LATENCY:     check_latency(c, x, &what, &msg, &pass, &cite); break;
		case EXP_HOST_STATUS: check_host_status(c, x, &what, &msg, &pass, &cite); break;
		case EXP_RACE:        check_race(c, x, &what, &msg, &pass, &cite); break;
		case EXP_RACES:       check_races(c, x, &what, &msg, &pass, &cite); break;
		default:
			sb_printf(&what, "expectation of unknown kind %d", (int)x->kind);
			sb_put(&msg, "unknown expectation kind");
		}
	}
	add_result(c, x, x->where ? x->where : where, &what, pass, &msg, seq_of(cite));
}

int expect_check_races(const struct scenario *sc, struct sc_result *r)
{
	struct ctx c = { .sc = sc, .r = r, .n_vms = sc->m.n_vms };
	bool named = false;
	for (int i = 0; i < sc->n_expect; i++)
		if (sc->expect[i].kind == EXP_RACE || sc->expect[i].kind == EXP_RACES) {
			named = true;
			check_one(&c, &sc->expect[i], i);
		}
	if (!named && r->race_mode)
		check_default_races(&c);
	for (int i = 0; i < r->n_exps && r->status == SC_PASS; i++) {
		const struct exp_result *e = &r->exps[i];
		if (e->pass)
			continue;
		r->status = SC_FAIL;
		struct sb b = {0};
		sb_printf(&b, "%s: %s", e->what, e->message ? e->message : "failed");
		free(r->reason);
		r->reason = sb_take(&b);
	}
	return c.oom ? -1 : 0;
}

uint32_t expect_kinds(const struct scenario *sc)
{
	/* How each VM ended, its FAILs, race reports: the default checks cite these. */
	uint32_t k = 1u << EV_EXIT | 1u << EV_FAULT | 1u << EV_FAIL | 1u << EV_RACE;
	for (int i = 0; sc && sc->expect && i < sc->n_expect; i++) {
		const struct sc_expect *x = &sc->expect[i];
		switch (x->kind) {
		case EXP_CONSOLE: case EXP_CONSOLE_RE: k |= 1u << EV_CONSOLE; break;
		case EXP_IRQS: k |= 1u << EV_IRQ_ACK; break;
		case EXP_REGION: k |= 1u << EV_ATTACH | 1u << EV_DETACH; break;
		case EXP_HOST_STATUS: k |= 1u << EV_ATTACH; break;
		case EXP_ORDER: case EXP_NEVER: case EXP_LATENCY:
			for (int j = 0; x->events && j < x->n_events; j++)
				k |= (unsigned)x->events[j].kind < EV_KIND_COUNT ?
				     1u << x->events[j].kind : EV_KINDS_ALL;
			break;
		default:
			break;
		}
	}
	return k;
}

int expect_check(const struct scenario *sc, const struct evlog *log,
		 const struct shm_sys *shm, struct sc_result *r)
{
	if (!r)
		return -1;
	struct ev_pins pins = {0};
	struct ctx c = {
		.sc = sc, .shm = shm, .r = r,
		.log = log, .n_ev = log ? log->n : 0, .pins = &pins,
	};
	c.n_vms = sc ? sc->m.n_vms : r->n_vms;
	r->exps = NULL;
	r->n_exps = 0;
	r->reason = NULL;
	int n_expect = sc && sc->expect ? sc->n_expect : 0;

	for (int vm = 0; vm < c.n_vms; vm++) {
		bool named = false;
		for (int i = 0; i < n_expect && !named; i++)
			named = names_vm_state(&sc->expect[i], vm);
		if (!named)
			check_default(&c, vm);
	}
	bool race_named = false;
	for (int i = 0; i < n_expect; i++)
		race_named |= sc->expect[i].kind == EXP_RACE || sc->expect[i].kind == EXP_RACES;
	if (r->race_mode && !race_named && !r->race_deferred)
		check_default_races(&c);
	for (int i = 0; i < n_expect; i++)
		if (!r->race_deferred || (sc->expect[i].kind != EXP_RACE && sc->expect[i].kind != EXP_RACES))
			check_one(&c, &sc->expect[i], i);

	r->status = SC_PASS;
	for (int i = 0; i < r->n_exps; i++) {
		const struct exp_result *e = &r->exps[i];
		if (e->pass)
			continue;
		r->status = SC_FAIL;
		struct sb b = {0};
		sb_printf(&b, "%s: %s", e->what, e->message ? e->message : "failed");
		r->reason = sb_take(&b);
		if (!r->reason)
			c.oom = true;
		break;
	}
	pins_free(&pins);
	/* An expectation lost to out-of-memory must not read as a pass. */
	if (c.oom)
		r->status = SC_FAIL;
	return c.oom ? -1 : 0;
}
