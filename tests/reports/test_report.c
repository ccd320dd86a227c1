/* test_report.c - results and reports: the result JSON round trip, the JUnit
 * XML (well-formed, right counts; checked with xmllint), the HTML report
 * (anchors, one-click link to the first failed expectation, escaping,
 * self-contained), the JSON report, the clause list and the text helpers.
 *
 * REPORT_SAMPLE_DIR=DIR build/unit-tests report  also writes DIR/sample.html,
 * DIR/sample-junit.xml and DIR/sample.json from a larger fake run, to look at. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include <CUnit/CUnit.h>
#include "tests/unit.h"
#include "conformance/clauses.h"
#include "conformance/result.h"
#include "conformance/result_json.h"
#include "conformance/utf8.h"
#include "reports/report.h"
#include "reports/escape.h"
#include "reports/summary.h"

/* ---- building fake results ---- */

/* A JSON member that must be there (the test goes on to read it). */
static cJSON *json_item(const cJSON *obj, const char *key)
{
	CU_ASSERT_PTR_NOT_NULL_FATAL(obj);
	cJSON *it = cJSON_GetObjectItem(obj, key);
	CU_ASSERT_PTR_NOT_NULL_FATAL(it);
	return it;
}

static char *S(const char *s)
{
	return s ? strdup(s) : NULL;
}

static struct ev *ev_push(struct sc_result *r, uint64_t clock, int vm, enum ev_kind k)
{
	r->events = realloc(r->events, (size_t)(r->n_kept + 1) * sizeof(*r->events));
	struct ev *e = &r->events[r->n_kept++];
	memset(e, 0, sizeof(*e));
	e->seq = r->n_events;
	r->n_events += 3;   /* mmio events in between, not kept */
	e->clock = clock;
	e->icount = clock / 2;
	e->pc = 0x40000000 + clock * 4 % 0x1000;
	e->vm = vm;
	e->kind = k;
	if (clock > r->clock)
		r->clock = clock;
	return e;
}

static void exp_push(struct sc_result *r, const char *where, const char *what, bool pass,
		     const char *msg, int64_t ev_seq)
{
	r->exps = realloc(r->exps, (size_t)(r->n_exps + 1) * sizeof(*r->exps));
	struct exp_result *e = &r->exps[r->n_exps++];
	memset(e, 0, sizeof(*e));
	e->where = S(where);
	e->what = S(what);
	e->pass = pass;
	e->message = S(msg);
	e->ev_seq = ev_seq;
}

static struct vm_result *vm_push(struct sc_result *r, const char *name, const char *prog,
				 int64_t code, uint64_t icount, const char *console)
{
	r->vms = realloc(r->vms, (size_t)(r->n_vms + 1) * sizeof(*r->vms));
	struct vm_result *v = &r->vms[r->n_vms++];
	memset(v, 0, sizeof(*v));
	v->name = S(name);
	v->program = S(prog);
	v->exited = true;
	v->exit_code = code;
	v->icount = icount;
	v->console = S(console);
	return v;
}

/* The rule IDs of the last expectation pushed. */
static void exp_clauses_set(struct sc_result *r, const char *const *c, int n)
{
	struct exp_result *e = &r->exps[r->n_exps - 1];
	e->clauses = calloc((size_t)n, sizeof(char *));
	for (int i = 0; i < n; i++)
		e->clauses[i] = S(c[i]);
	e->n_clauses = n;
}

static void clauses_set(struct sc_result *r, const char *const *c, int n)
{
	r->clauses = calloc((size_t)n, sizeof(char *));
	for (int i = 0; i < n; i++)
		r->clauses[i] = S(c[i]);
	r->n_clauses = n;
}

static void base(struct sc_result *r, const char *file, const char *name, const char *desc,
		 enum sc_status st, double secs)
{
	char buf[512];
	memset(r, 0, sizeof(*r));
	r->file = S(file);
	r->name = S(name);
	r->description = S(desc);
	r->status = st;
	r->seconds = secs;
	r->schedule = S("rr:s1:q10000");
	snprintf(buf, sizeof(buf), "build/hvsim replay %s --schedule 'rr:s1:q10000'", file ? file : "?");
	r->replay = S(buf);
}

#define HOSTILE_CONSOLE "boot ok\nhello <script>alert('x')</script> & \"q\" 'a' " \
	"\x01\x02\x1b[31mred\x7f \xff\xfe bad \xc3( \xed\xa0\x80 \xef\xbf\xbe end\r\nlast line\n"

enum { N_FAKE = 6 };

/* The fake run: 2 passed, 2 failed, 1 error, 1 skipped. */
static void fake_results(struct sc_result *rs)
{
	struct sc_result *r;
	struct ev *e;

	/* 0: pass, with every kind of event and extreme values */
	r = &rs[0];
	base(r, "scenarios/create/attach-basic.json", "attach-basic",
	     "two VMs create and attach one region; the second sees the first size", SC_PASS, 0.042);
	clauses_set(r, (const char *const[]){ "CRE-1", "CRE-2", "CTL-3" }, 3);
	vm_push(r, "a", "create_attach", 0, 15234, "size=16\nidx=0\n");
	vm_push(r, "b", "create_attach", 0, 14020, "size=16\nidx=1\n");
	e = ev_push(r, 120, 0, EV_MARK); e->code = 1;
	e = ev_push(r, 800, 0, EV_ATTACH); e->region = S("moo"); e->idx = 0; e->shmem = 0x1800000000ull;
	e = ev_push(r, 1500, -1, EV_ATTACH); e->region = S("moo"); e->idx = 1; e->status = 0;
	e = ev_push(r, 2400, 1, EV_ATTACH); e->region = S("moo"); e->idx = 2; e->shmem = 0x1800000000ull;
	e = ev_push(r, 3100, 0, EV_SWITCH); e->to = 1; e->text = S("quantum");
	e = ev_push(r, 4200, 1, EV_NOTIFY); e->region = S("moo"); e->from = 2; e->mask = 0xffffffff; e->targets = 3;
	e = ev_push(r, 4210, 0, EV_IRQ_LINE); e->intid = 38; e->level = 1;
	e = ev_push(r, 5200, 0, EV_IRQ_ENTER); e->intid = 38;
	e = ev_push(r, 5230, 0, EV_IRQ_ACK); e->intid = 38;
	e = ev_push(r, 5400, 0, EV_IRQ_EOI); e->intid = 38;
	e = ev_push(r, 6000, 0, EV_CONSOLE); e->text = S("size=16");
	e = ev_push(r, 7000, -1, EV_STATUS); e->region = S("moo"); e->idx = 1; e->value = 0x30004;
	e = ev_push(r, 9000, 0, EV_DETACH); e->region = S("moo"); e->idx = 0;
	e = ev_push(r, 15234, 0, EV_EXIT);
	e = ev_push(r, 29254, 1, EV_EXIT);
	/* every field set, extreme values (not shown on the timeline: mmio) */
	e = ev_push(r, 29254, 1, EV_MMIO);
	e->seq = UINT64_MAX; e->clock = (1ull << 63) + 5; e->icount = (1ull << 53) + 1;
	e->pc = UINT64_MAX; strcpy(e->dev, "shmem0.factory"); e->off = 0x18; e->width = 16;
	e->dir = 'w'; e->value = 0x8000000000000001ull; e->value_hi = 0xdeadbeefcafef00dull;
	e->intid = 1023; e->level = -1; e->region = S(""); e->idx = -1; e->shmem = 0xffffffffffff0000ull;
	e->status = 6; e->from = 15; e->mask = 0xffffffff; e->targets = 0xffff;
	e->code = INT64_MIN; e->text = S("x\xff\x01y"); strcpy(e->fault_kind, "fetch-device");
	e->addr = 1; e->to = -1;
	e = ev_push(r, 10, 0, EV_NOTE);
	memset(e->dev, 'd', sizeof(e->dev));               /* no NUL: all 24 bytes */
	memset(e->fault_kind, 'k', sizeof(e->fault_kind)); /* no NUL: all 20 bytes */
	e->dir = 1; e->code = ((int64_t)1 << 53) + 1;
	r->clock = 29254;
	r->n_events = UINT64_MAX - 7;
	exp_push(r, "expect[0]", "vm a exit 0", true, NULL, 52);
	exp_push(r, "expect[1]", "vm b console contains \"size=16\"", true, NULL, -1);
	exp_clauses_set(r, (const char *const[]){ "CRE-2" }, 1);
	exp_push(r, "expect[2]", "region moo peak_clients 3", true, NULL, -1);
	exp_clauses_set(r, (const char *const[]){ "CRE-1", "CTL-3" }, 2);
	r->vms[1].fails = malloc(3 * sizeof(int64_t));
	r->vms[1].fails[0] = -1;
	r->vms[1].fails[1] = ((int64_t)1 << 53) + 1;
	r->vms[1].fails[2] = INT64_MIN;
	r->vms[1].n_fails = 3;
	r->vms[1].exit_code = INT64_MAX;
	r->vms[1].icount = UINT64_MAX;

	/* 1: fail, with a fault and a failed expectation pointing at an event */
	r = &rs[1];
	base(r, "scenarios/notify/notify-coalesce.json", "notify-coalesce",
	     "several notifies before a status read give one pending bit", SC_FAIL, 0.31);
	clauses_set(r, (const char *const[]){ "NTF-1", "NTF-4", "IRQ-3" }, 3);
	vm_push(r, "a", "notify_many", 0, 40100, "sent 3 notifies\n");
	struct vm_result *v = vm_push(r, "b", "count_irqs", 0, 38800, "irq 36\nirq 36\n");
	v->exited = false;
	v->faulted = true;
	strcpy(v->fault_kind, "read-unmapped");
	v->fault_pc = 0x400012a8;
	v->fault_addr = 0x1800001000ull;
	v->fault_insn = S("ldr w0, [x1]");
	e = ev_push(r, 1000, 0, EV_ATTACH); e->region = S("ring"); e->shmem = 0x1800000000ull;
	e = ev_push(r, 1900, 1, EV_ATTACH); e->region = S("ring"); e->idx = 1; e->shmem = 0x1800000000ull;
	for (int i = 0; i < 3; i++) {
		e = ev_push(r, 10000 + 2000 * (uint64_t)i, 0, EV_NOTIFY);
		e->region = S("ring"); e->mask = 2; e->targets = 2;
	}
	e = ev_push(r, 17000, 1, EV_IRQ_ENTER); e->intid = 36;
	e = ev_push(r, 17010, 1, EV_IRQ_ACK); e->intid = 36;
	e = ev_push(r, 21000, 1, EV_IRQ_ACK); e->intid = 36;
	int64_t second_ack = (int64_t)e->seq;
	e = ev_push(r, 25000, 1, EV_CONSOLE); e->text = S("irq 36");
	e = ev_push(r, 31000, 1, EV_FAIL); e->code = 3;
	e = ev_push(r, 38800, 1, EV_FAULT); strcpy(e->fault_kind, "read-unmapped");
	e->addr = 0x1800001000ull; e->text = S("ldr w0, [x1]");
	int64_t fault_seq = (int64_t)e->seq;
	e = ev_push(r, 40100, 0, EV_EXIT);
	r->clock = 78900;
	exp_push(r, "expect[0]", "vm a exit 0", true, NULL, -1);
	exp_push(r, "expect[1]", "vm b irqs intid 36 count 1", false, "expected 1, got 2", second_ack);
	exp_push(r, "default: vm b exit", "vm b exits with code 0", false,
		 "vm b faulted: read-unmapped at pc 0x400012a8", fault_seq);
	r->reason = S("expect[1]: vm b irqs intid 36 count 1: expected 1, got 2");

	/* 2: error (invalid scenario file) */
	r = &rs[2];
	base(r, "scenarios/gic/bad-scenario.json", "bad-scenario", NULL, SC_ERROR, 0.001);
	r->reason = S("scenarios/gic/bad-scenario.json: vms[0].name: required (line 3, column 5)");
	free(r->schedule);
	r->schedule = NULL;

	/* 3: fail, hostile text everywhere */
	r = &rs[3];
	base(r, "scenarios/pci/<evil>&.json", "xss<script>alert(1)</script>\"'&",
	     "desc </title><script>alert(2)</script> \x01\xff", SC_FAIL, 1.5);
	clauses_set(r, (const char *const[]){ "PCI-1", "XYZ-9<b>" }, 2);
	vm_push(r, "evil", "prog<i>", 1, 77, HOSTILE_CONSOLE);
	e = ev_push(r, 50, 0, EV_CONSOLE); e->text = S("hello <script>alert('x')</script>\x01\xff");
	int64_t con_seq = (int64_t)e->seq;
	e = ev_push(r, 77, 0, EV_EXIT); e->code = 1;
	exp_push(r, "expect[0]<", "vm evil console contains \"<script>\"", false,
		 "got <img onerror=alert(3)> \x02\xff", con_seq);
	r->reason = S("expect[0]: <script>alert(4)</script>");

	/* 4: skipped */
	r = &rs[4];
	base(r, "scenarios/pci/pci-skip.json", "pci-skip", "needs a profile", SC_SKIP, 0);
	r->reason = S("skipped by --shard");

	/* 5: minimal pass */
	r = &rs[5];
	base(r, "top.json", "minimal", NULL, SC_PASS, 0.0005);
	free(r->replay);
	r->replay = NULL;
}

static void fake_free(struct sc_result *rs, int n)
{
	for (int i = 0; i < n; i++)
		result_free(&rs[i]);
}

static struct run_summary summary(struct sc_result *rs, int n)
{
	struct run_summary s = {
		.title = "hvsim conform",
		.command = "hvsim conform -j 2 --html reports/conformance.html",
		.version = "0.1.0",
		.results = rs, .n = n,
		.all_clauses = spec_clauses, .n_all_clauses = n_spec_clauses,
	};
	return s;
}

/* ---- comparing results field by field ---- */

static bool str_eq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* "" when equal, else the name of the first differing field. */
static const char *result_diff(const struct sc_result *a, const struct sc_result *b, char *buf, size_t n)
{
#define D(cond, ...) do { if (!(cond)) { snprintf(buf, n, __VA_ARGS__); return buf; } } while (0)
	D(str_eq(a->file, b->file), "file");
	D(str_eq(a->name, b->name), "name");
	D(str_eq(a->description, b->description), "description");
	D(a->n_clauses == b->n_clauses, "n_clauses");
	for (int i = 0; i < a->n_clauses; i++)
		D(str_eq(a->clauses[i], b->clauses[i]), "clauses[%d]", i);
	D(a->status == b->status, "status");
	D(str_eq(a->reason, b->reason), "reason");
	D(str_eq(a->schedule, b->schedule), "schedule");
	D(str_eq(a->replay, b->replay), "replay");
	D(a->n_exps == b->n_exps, "n_exps");
	for (int i = 0; i < a->n_exps; i++) {
		const struct exp_result *x = &a->exps[i], *y = &b->exps[i];
		D(str_eq(x->where, y->where), "exps[%d].where", i);
		D(str_eq(x->what, y->what), "exps[%d].what", i);
		D(x->pass == y->pass, "exps[%d].pass", i);
		D(str_eq(x->message, y->message), "exps[%d].message", i);
		D(x->ev_seq == y->ev_seq, "exps[%d].ev_seq", i);
		D(x->n_clauses == y->n_clauses, "exps[%d].n_clauses", i);
		for (int j = 0; j < x->n_clauses && j < y->n_clauses; j++)
			D(str_eq(x->clauses[j], y->clauses[j]), "exps[%d].clauses[%d]", i, j);
	}
	D(a->n_vms == b->n_vms, "n_vms");
	for (int i = 0; i < a->n_vms; i++) {
		const struct vm_result *x = &a->vms[i], *y = &b->vms[i];
		D(str_eq(x->name, y->name), "vms[%d].name", i);
		D(str_eq(x->program, y->program), "vms[%d].program", i);
		D(x->exited == y->exited, "vms[%d].exited", i);
		D(x->exit_code == y->exit_code, "vms[%d].exit_code", i);
		D(x->faulted == y->faulted, "vms[%d].faulted", i);
		D(!strncmp(x->fault_kind, y->fault_kind, sizeof(x->fault_kind)), "vms[%d].fault_kind", i);
		D(x->fault_addr == y->fault_addr, "vms[%d].fault_addr", i);
		D(x->fault_pc == y->fault_pc, "vms[%d].fault_pc", i);
		D(str_eq(x->fault_insn, y->fault_insn), "vms[%d].fault_insn", i);
		D(x->icount == y->icount, "vms[%d].icount", i);
		D(str_eq(x->console, y->console), "vms[%d].console", i);
		D(x->n_fails == y->n_fails, "vms[%d].n_fails", i);
		for (int j = 0; j < x->n_fails; j++)
			D(x->fails[j] == y->fails[j], "vms[%d].fails[%d]", i, j);
	}
	D(a->clock == b->clock, "clock");
	D(a->n_events == b->n_events, "n_events");
	D(a->n_kept == b->n_kept, "n_kept");
	for (int i = 0; i < a->n_kept; i++) {
		const struct ev *x = &a->events[i], *y = &b->events[i];
		D(x->seq == y->seq, "events[%d].seq", i);
		D(x->clock == y->clock, "events[%d].clock", i);
		D(x->icount == y->icount, "events[%d].icount", i);
		D(x->pc == y->pc, "events[%d].pc", i);
		D(x->vm == y->vm, "events[%d].vm", i);
		D(x->kind == y->kind, "events[%d].kind", i);
		D(!strncmp(x->dev, y->dev, sizeof(x->dev)), "events[%d].dev", i);
		D(x->off == y->off, "events[%d].off", i);
		D(x->width == y->width, "events[%d].width", i);
		D(x->dir == y->dir, "events[%d].dir", i);
		D(x->value == y->value, "events[%d].value", i);
		D(x->value_hi == y->value_hi, "events[%d].value_hi", i);
		D(x->intid == y->intid, "events[%d].intid", i);
		D(x->level == y->level, "events[%d].level", i);
		D(str_eq(x->region, y->region), "events[%d].region", i);
		D(x->idx == y->idx, "events[%d].idx", i);
		D(x->shmem == y->shmem, "events[%d].shmem", i);
		D(x->status == y->status, "events[%d].status", i);
		D(x->from == y->from, "events[%d].from", i);
		D(x->mask == y->mask, "events[%d].mask", i);
		D(x->targets == y->targets, "events[%d].targets", i);
		D(x->code == y->code, "events[%d].code", i);
		D(str_eq(x->text, y->text), "events[%d].text", i);
		D(!strncmp(x->fault_kind, y->fault_kind, sizeof(x->fault_kind)), "events[%d].fault_kind", i);
		D(x->addr == y->addr, "events[%d].addr", i);
		D(x->to == y->to, "events[%d].to", i);
	}
	D(a->seconds == b->seconds, "seconds");
#undef D
	buf[0] = 0;
	return buf;
}

/* ---- file helpers ---- */

static char *tmp_path(const char *suffix)
{
	char *p;
	if (asprintf(&p, "/tmp/hvsim-report-XXXXXX%s", suffix) < 0)
		return NULL;
	int fd = mkstemps(p, (int)strlen(suffix));
	if (fd < 0) {
		free(p);
		return NULL;
	}
	close(fd);
	return p;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = malloc((size_t)n + 1);
	if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
		free(s);
		s = NULL;
	}
	if (s)
		s[n] = 0;
	fclose(f);
	return s;
}

static int count_str(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* xmllint --xpath EXPR FILE, output into out. Returns its exit status. */
static int xpath(const char *file, const char *expr, char *out, size_t n)
{
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "xmllint --xpath \"%s\" '%s' 2>/dev/null", expr, file);
	FILE *p = popen(cmd, "r");
	if (!p)
		return -1;
	size_t len = fread(out, 1, n - 1, p);
	out[len] = 0;
	while (len && (out[len - 1] == '\n'))
		out[--len] = 0;
	int st = pclose(p);
	return st;
}

static int xmllint_ok(const char *file)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "xmllint --noout '%s' 2>/dev/null", file);
	return system(cmd);
}

/* Valid against the common JUnit schema (tests/schemas/junit.xsd). */
static int junit_schema_ok(const char *file)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "xmllint --noout --schema tests/schemas/junit.xsd '%s' 2>/dev/null",
		 file);
	return system(cmd);
}

/* ---- tests: result JSON ---- */

static void test_roundtrip(void)
{
	struct sc_result rs[N_FAKE];
	char diff[128], err[256];

	fake_results(rs);
	for (int i = 0; i < N_FAKE; i++) {
		char *js = result_to_json(&rs[i]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(js);
		CU_ASSERT(utf8_valid(js));           /* valid UTF-8 even with hostile bytes */
		struct sc_result back;
		err[0] = 0;
		CU_ASSERT_EQUAL(result_from_json(js, &back, err, sizeof(err)), 0);
		CU_ASSERT_STRING_EQUAL(err, "");
		CU_ASSERT_STRING_EQUAL(result_diff(&rs[i], &back, diff, sizeof(diff)), "");
		/* and the second generation prints the same text */
		char *js2 = result_to_json(&back);
		CU_ASSERT_PTR_NOT_NULL(js2);
		if (js2)
			CU_ASSERT_STRING_EQUAL(js, js2);
		free(js2);
		result_free(&back);
		free(js);
	}
	fake_free(rs, N_FAKE);
}

/* The comparator itself can tell results apart (so the round trip test can fail). */
static void test_roundtrip_detects_change(void)
{
	struct sc_result rs[N_FAKE];
	char diff[128];

	fake_results(rs);
	char *js = result_to_json(&rs[0]);
	struct sc_result back;
	CU_ASSERT_EQUAL_FATAL(result_from_json(js, &back, NULL, 0), 0);
	back.events[15].value_hi ^= 1;   /* the all-fields mmio event */
	CU_ASSERT_STRING_EQUAL(result_diff(&rs[0], &back, diff, sizeof(diff)), "events[15].value_hi");
	back.events[15].value_hi ^= 1;
	back.vms[1].fails[1]--;          /* 2^53 + 1 -> 2^53: a double would not see it */
	CU_ASSERT_STRING_EQUAL(result_diff(&rs[0], &back, diff, sizeof(diff)), "vms[1].fails[1]");
	back.vms[1].fails[1]++;
	free(back.vms[0].console);
	back.vms[0].console = NULL;
	CU_ASSERT_STRING_EQUAL(result_diff(&rs[0], &back, diff, sizeof(diff)), "vms[0].console");
	result_free(&back);
	free(js);
	fake_free(rs, N_FAKE);
}

static void test_json_precision(void)
{
	struct sc_result rs[N_FAKE];

	fake_results(rs);
	char *js = result_to_json(&rs[0]);
	CU_ASSERT_PTR_NOT_NULL_FATAL(js);
	/* 64-bit unsigned values are hex strings, big signed ones decimal strings */
	CU_ASSERT_PTR_NOT_NULL(strstr(js, "\"seq\":\"0xffffffffffffffff\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(js, "\"value\":\"0x8000000000000001\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(js, "\"code\":\"-9223372036854775808\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(js, "\"icount\":\"0xffffffffffffffff\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(js, "9007199254740993"));
	CU_ASSERT_PTR_NULL(strstr(js, "9007199254740992"));
	CU_ASSERT_PTR_NOT_NULL(strstr(js, "\"ev_seq\":-1"));
	/* a string that is not UTF-8 travels as bytes */
	CU_ASSERT_PTR_NOT_NULL(strstr(js, "{\"bytes\":\"78ff0179\"}"));
	free(js);
	fake_free(rs, N_FAKE);
}

static void test_from_json_rejects(void)
{
	static const char *const bad[] = {
		"", "{", "[]", "null", "42", "\"pass\"", "{}",
		"{\"status\":\"bogus\"}",
		"{\"status\":\"pass\"} trailing",
		"{\"status\":\"pass\",\"name\":5}",
		"{\"status\":\"pass\",\"clock\":12.5}",
		"{\"status\":\"pass\",\"clock\":-1}",
		"{\"status\":\"pass\",\"clock\":\"0xZZ\"}",
		"{\"status\":\"pass\",\"clock\":\"0x1ffffffffffffffff\"}",
		"{\"status\":\"pass\",\"n_events\":\"-3\"}",
		"{\"status\":\"pass\",\"clauses\":\"CRE-1\"}",
		"{\"status\":\"pass\",\"clauses\":[1]}",
		"{\"status\":\"pass\",\"expectations\":[5]}",
		"{\"status\":\"pass\",\"expectations\":[{\"pass\":1}]}",
		"{\"status\":\"pass\",\"expectations\":[{\"ev_seq\":1e300}]}",
		"{\"status\":\"pass\",\"vms\":{}}",
		"{\"status\":\"pass\",\"vms\":[{\"fault_kind\":\"0123456789012345678901\"}]}",
		"{\"status\":\"pass\",\"vms\":[{\"fails\":[\"abc\"]}]}",
		"{\"status\":\"pass\",\"vms\":[{\"fails\":[1.5]}]}",
		"{\"status\":\"pass\",\"vms\":[{\"console\":{\"bytes\":\"4\"}}]}",
		"{\"status\":\"pass\",\"vms\":[{\"console\":{\"bytes\":\"00\"}}]}",
		"{\"status\":\"pass\",\"vms\":[{\"console\":{\"bytes\":\"zz\"}}]}",
		"{\"status\":\"pass\",\"events\":[{\"kind\":\"nope\"}]}",
		"{\"status\":\"pass\",\"events\":[{}]}",
		"{\"status\":\"pass\",\"events\":[{\"kind\":\"mark\",\"vm\":1e12}]}",
		"{\"status\":\"pass\",\"events\":[{\"kind\":\"mark\",\"dir\":\"rw\"}]}",
		"{\"status\":\"pass\",\"events\":[{\"kind\":\"mark\",\"intid\":-1}]}",
		"{\"status\":\"pass\",\"events\":[{\"kind\":\"mark\",\"dev\":\"0123456789012345678901234\"}]}",
		"{\"status\":\"pass\",\"seconds\":\"1\"}",
		"{\"status\":\"pass\",\"events\":[{\"kind\":\"mark\"},{\"kind\":\"mark\",\"code\":true}]}",
	};
	char err[256];
	struct sc_result r;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = 0;
		memset(&r, 0x5a, sizeof(r));
		int rc = result_from_json(bad[i], &r, err, sizeof(err));
		CU_ASSERT_EQUAL(rc, -1);
		if (rc != -1)
			fprintf(stderr, "\n  accepted: %s\n", bad[i]);
		CU_ASSERT(strlen(err) > 0);
		CU_ASSERT_PTR_NULL(r.name);      /* left zeroed, safe to result_free */
		CU_ASSERT_PTR_NULL(r.events);
		result_free(&r);
	}
	/* deep nesting and NULL text do not crash */
	size_t depth = 100000;
	char *deep = malloc(2 * depth + 1);
	memset(deep, '[', depth);
	memset(deep + depth, ']', depth);
	deep[2 * depth] = 0;
	CU_ASSERT_EQUAL(result_from_json(deep, &r, err, sizeof(err)), -1);
	free(deep);
	CU_ASSERT_EQUAL(result_from_json(NULL, &r, err, sizeof(err)), -1);
	/* the error names the field */
	result_from_json("{\"status\":\"pass\",\"vms\":[{},{\"icount\":true}]}", &r, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "vms[1].icount"));
	/* minimal valid input is accepted, defaults filled in */
	CU_ASSERT_EQUAL(result_from_json("{\"status\":\"skip\",\"expectations\":[{}]}", &r, err,
					 sizeof(err)), 0);
	CU_ASSERT_EQUAL(r.status, SC_SKIP);
	CU_ASSERT_EQUAL(r.n_exps, 1);
	if (r.n_exps == 1)
		CU_ASSERT_EQUAL(r.exps[0].ev_seq, -1);
	result_free(&r);
}

/* ---- tests: JUnit ---- */

/* An exploration cut short is skipped in JUnit with its reason, counted as
 * incomplete in JSON, and survives the worker round trip. */
static void test_incomplete_status(void)
{
	struct sc_result r;
	char err[256], out[1024];
	memset(&r, 0, sizeof(r));
	base(&r, "scenarios/races/x.json", "x", "a race", SC_INCOMPLETE, 0.1);
	r.reason = S("search cut short by max_schedules 50");
	struct run_summary s = summary(&r, 1);
	char *path = tmp_path(".xml");
	CU_ASSERT_PTR_NOT_NULL_FATAL(path);
	CU_ASSERT_EQUAL_FATAL(report_junit(&s, path, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(xmllint_ok(path), 0);
	CU_ASSERT_EQUAL(junit_schema_ok(path), 0);
	xpath(path, "string(/testsuites/testsuite/@skipped)", out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "1");
	xpath(path, "string(//testcase/skipped/@message)", out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "INCOMPLETE: search cut short by max_schedules 50");
	xpath(path, "count(//testcase/failure)", out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "0");
	remove(path);
	free(path);

	char *js = result_to_json(&r);
	struct sc_result back;
	CU_ASSERT_PTR_NOT_NULL_FATAL(js);
	CU_ASSERT_PTR_NOT_NULL(strstr(js, "\"status\":\"incomplete\""));
	CU_ASSERT_EQUAL_FATAL(result_from_json(js, &back, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(back.status, SC_INCOMPLETE);
	free(js);
	result_free(&back);
	fake_free(&r, 1);
}

/* Race mode's records: every field survives the worker round trip, and
 * the command line and the HTML report show both accesses. */
static void test_race_results(void)
{
	struct sc_result r;
	char err[256];
	memset(&r, 0, sizeof(r));
	base(&r, "scenarios/datarace/x.json", "x", "a race", SC_PASS, 0.1);
	r.race_mode = true;
	r.races = calloc(1, sizeof(*r.races));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.races);
	r.n_races = 1;
	struct race_rec *x = &r.races[0];
	snprintf(x->kind, sizeof(x->kind), "data-race");
	snprintf(x->why, sizeof(x->why), "no happens-before path from a's write to b's read");
	snprintf(x->schedule, sizeof(x->schedule), "rr,q=10000,@6=b");
	x->first = (struct race_side_rec){ .vm = "a", .pc = 0x40001058, .sym = "set_flag+0x28",
					   .addr = 0x1800001000ull, .region = "fp", .off = 0,
					   .width = 4, .value = 1, .dir = 'w', .atomic = true,
					   .clock = 11521, .seq = 41 };
	x->second = (struct race_side_rec){ .vm = "b", .pc = 0x40001088, .sym = "wait<&>+0x4",
					    .addr = 0x1800001004ull, .region = "fp", .off = 4,
					    .width = 8, .value = 0xffffffffffffffffull, .dir = 'r',
					    .clock = 0x20000000000001ull, .seq = -1 };
	char *js = result_to_json(&r);
	struct sc_result back;
	CU_ASSERT_PTR_NOT_NULL_FATAL(js);
	CU_ASSERT_EQUAL_FATAL(result_from_json(js, &back, err, sizeof(err)), 0);
	CU_ASSERT_TRUE(back.race_mode);
	CU_ASSERT_EQUAL_FATAL(back.n_races, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(back.races);
	CU_ASSERT_EQUAL(memcmp(&back.races[0], x, sizeof(*x)), 0);
	free(js);
	result_free(&back);

	char *t = summary_race_text(&r, 0, "hvsim", "  ");
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "race 1/1: data-race"));
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "a atomically wrote 0x1 (4 bytes) at 0x1800001000 = fp+0x0, "
				      "pc 0x40001058 <set_flag+0x28>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "hvsim replay scenarios/datarace/x.json --races "
				      "--schedule 'rr,q=10000,@6=b'"));
	free(t);

	struct run_summary s = summary(&r, 1);
	char *path = tmp_path(".html");
	CU_ASSERT_PTR_NOT_NULL_FATAL(path);
	CU_ASSERT_EQUAL_FATAL(report_html(&s, path, err, sizeof(err)), 0);
	char *html = slurp(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(html);
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "aria-label=\"race timeline\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "wait&lt;&amp;&gt;+0x4"));   /* escaped */
	CU_ASSERT_PTR_NULL(strstr(html, "wait<&>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "no happens-before"));
	free(html);
	remove(path);
	free(path);
	fake_free(&r, 1);
}

static void test_junit(void)
{
	struct sc_result rs[N_FAKE];
	char err[256], out[4096];

	fake_results(rs);
	struct run_summary s = summary(rs, N_FAKE);
	char *path = tmp_path(".xml");
	CU_ASSERT_PTR_NOT_NULL_FATAL(path);
	CU_ASSERT_EQUAL_FATAL(report_junit(&s, path, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(xmllint_ok(path), 0);
	/* the common JUnit schema: no testsuites@skipped, no testcase@file */
	CU_ASSERT_EQUAL(junit_schema_ok(path), 0);
	xpath(path, "count(/testsuites/@skipped)", out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "0");
	xpath(path, "count(//testcase/@file)", out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "0");

	CU_ASSERT_EQUAL(xpath(path, "string(/testsuites/testsuite/@tests)", out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "6");
	xpath(path, "string(/testsuites/testsuite/@failures)", out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "2");
	xpath(path, "string(/testsuites/testsuite/@errors)", out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "1");
	xpath(path, "string(/testsuites/testsuite/@skipped)", out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "1");
	xpath(path, "string(/testsuites/@failures)", out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "2");
	xpath(path, "string(/testsuites/testsuite/@name)", out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "hvsim");
	xpath(path, "count(//testcase)", out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "6");
	xpath(path, "count(//testcase/failure[@type='expectation'])", out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "2");
	xpath(path, "count(//testcase/error)", out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "1");
	xpath(path, "count(//testcase/skipped)", out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "1");
	xpath(path, "string(//testcase[@name='notify-coalesce']/@classname)", out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "hvsim.notify");
	xpath(path, "string(//testcase[@name='minimal']/@classname)", out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "hvsim.misc");
	xpath(path, "string(//testcase[@name='notify-coalesce']/failure/@message)", out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "expect[1]: vm b irqs intid 36 count 1: expected 1, got 2");
	/* the failure body: every expectation, schedule, replay, VM summaries */
	xpath(path, "string(//testcase[@name='notify-coalesce']/failure)", out, sizeof(out));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS expect[0]: vm a exit 0"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "FAIL expect[1]: vm b irqs intid 36 count 1 -- expected 1, got 2"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Schedule: rr:s1:q10000"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Replay: build/hvsim replay scenarios/notify/notify-coalesce.json"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "fault read-unmapped at pc 0x400012a8 addr 0x1800001000 (ldr w0, [x1])"));
	xpath(path, "string(//testcase[@name='bad-scenario']/error/@message)", out, sizeof(out));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "vms[0].name: required"));
	/* hostile text survives as text: the name attribute reads back exactly */
	xpath(path, "string(//testcase[@classname='hvsim.pci'][1]/@name)", out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "xss<script>alert(1)</script>\"'&");
	xpath(path, "string(//testcase[@classname='hvsim.pci'][1]/system-out)", out, sizeof(out));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "hello <script>alert('x')</script> & \"q\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\xe2\x90\x81"));        /* \x01 shown as U+2401 */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\xef\xbf\xbd"));        /* \xff as U+FFFD */

	char *text = slurp(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT(utf8_valid(text));
	CU_ASSERT_PTR_NULL(strstr(text, "<script"));
	CU_ASSERT_PTR_NULL(strchr(text, '\x01'));
	CU_ASSERT_PTR_NULL(strchr(text, '\x1b'));
	free(text);

	/* the checker itself rejects a broken file */
	FILE *f = fopen(path, "w");
	fputs("<?xml version=\"1.0\"?><testsuites><testsuite name=\"a<b\"></testsuite></testsuites>", f);
	fclose(f);
	CU_ASSERT_NOT_EQUAL(xmllint_ok(path), 0);
	/* and the schema check rejects what the schema forbids */
	f = fopen(path, "w");
	fputs("<?xml version=\"1.0\"?><testsuites skipped=\"1\"><testsuite name=\"a\" tests=\"1\">"
	      "<testcase name=\"x\" file=\"x.json\"/></testsuite></testsuites>", f);
	fclose(f);
	CU_ASSERT_EQUAL(xmllint_ok(path), 0);
	CU_ASSERT_NOT_EQUAL(junit_schema_ok(path), 0);

	/* unwritable path: -1 with a message */
	err[0] = 0;
	CU_ASSERT_EQUAL(report_junit(&s, "/nonexistent-dir/x.xml", err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "/nonexistent-dir/x.xml"));
	unlink(path);
	free(path);
	fake_free(rs, N_FAKE);
}

/* ---- tests: TAP ---- */

/* The exact TAP 13 text for a small fake run: a pass, a failure with its
 * YAML block (quotes, backslashes and newlines escaped), a skip, an error,
 * an INCOMPLETE exploration, and a name with '#' in it. */
static void test_tap(void)
{
	struct sc_result rs[6];
	char err[256];

	base(&rs[0], "scenarios/platform/hello.json", "hello", NULL, SC_PASS, 0.01);
	base(&rs[1], "scenarios/notify/coalesce.json", "coalesce", NULL, SC_FAIL, 0.02);
	exp_push(&rs[1], "expect[0]", "vm a exit 0", true, NULL, -1);
	exp_push(&rs[1], "expect[1]", "vm b console contains \"x\\y\"", false,
		 "expected it,\ngot nothing", 7);
	base(&rs[2], "scenarios/gic/s.json", "s", NULL, SC_SKIP, 0);
	rs[2].reason = S("skipped by --shard");
	base(&rs[3], "bad.json", "bad.json", NULL, SC_ERROR, 0);
	rs[3].reason = S("bad.json: vms[0].name: required");
	free(rs[3].schedule);
	free(rs[3].replay);
	rs[3].schedule = rs[3].replay = NULL;
	base(&rs[4], "scenarios/races/r.json", "r", NULL, SC_INCOMPLETE, 0);
	rs[4].reason = S("search cut short by max_schedules 50");
	base(&rs[5], "x/y.json", "odd #1 \\ name", NULL, SC_PASS, 0);
	struct run_summary s = summary(rs, 6);
	char *path = tmp_path(".tap");
	CU_ASSERT_PTR_NOT_NULL_FATAL(path);
	CU_ASSERT_EQUAL_FATAL(report_tap(&s, path, err, sizeof(err)), 0);
	char *text = slurp(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	const char *want =
		"TAP version 13\n"
		"1..6\n"
		"ok 1 - hello\n"
		"not ok 2 - coalesce\n"
		"  ---\n"
		"  status: fail\n"
		"  file: \"scenarios/notify/coalesce.json\"\n"
		"  message: \"vm b console contains \\\"x\\\\y\\\": expected it,\\ngot nothing\"\n"
		"  schedule: \"rr:s1:q10000\"\n"
		"  replay: \"build/hvsim replay scenarios/notify/coalesce.json --schedule 'rr:s1:q10000'\"\n"
		"  ...\n"
		"ok 3 - s # SKIP skipped by --shard\n"
		"not ok 4 - bad.json\n"
		"  ---\n"
		"  status: error\n"
		"  file: \"bad.json\"\n"
		"  message: \"bad.json: vms[0].name: required\"\n"
		"  ...\n"
		"not ok 5 - r\n"
		"  ---\n"
		"  status: incomplete\n"
		"  file: \"scenarios/races/r.json\"\n"
		"  message: \"search cut short by max_schedules 50\"\n"
		"  schedule: \"rr:s1:q10000\"\n"
		"  replay: \"build/hvsim replay scenarios/races/r.json --schedule 'rr:s1:q10000'\"\n"
		"  ...\n"
		"ok 6 - odd \\#1 \\\\ name\n";
	CU_ASSERT_STRING_EQUAL(text, want);
	if (strcmp(text, want))
		fprintf(stderr, "\n--- got:\n%s--- want:\n%s", text, want);
	free(text);
	err[0] = 0;
	CU_ASSERT_EQUAL(report_tap(&s, "/nonexistent-dir/x.tap", err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "/nonexistent-dir/x.tap"));
	unlink(path);
	free(path);
	fake_free(rs, 6);
}

/* ---- tests: HTML ---- */

/* The text of the element starting at `start` up to `end_tag`. */
static char *between(const char *hay, const char *start, const char *end_tag)
{
	const char *a = strstr(hay, start);
	if (!a)
		return NULL;
	const char *b = strstr(a, end_tag);
	if (!b)
		return NULL;
	return strndup(a, (size_t)(b - a));
}

static void test_html(void)
{
	struct sc_result rs[N_FAKE];
	char err[256];

	fake_results(rs);
	struct run_summary s = summary(rs, N_FAKE);
	char *path = tmp_path(".html");
	CU_ASSERT_PTR_NOT_NULL_FATAL(path);
	CU_ASSERT_EQUAL_FATAL(report_html(&s, path, err, sizeof(err)), 0);
	char *h = slurp(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(h);

	/* self-contained: no URLs, no external resources, one script (ours) */
	CU_ASSERT_PTR_NULL(strstr(h, "http://"));
	CU_ASSERT_PTR_NULL(strstr(h, "https://"));
	CU_ASSERT_PTR_NULL(strstr(h, "<link"));
	CU_ASSERT_PTR_NULL(strstr(h, " src="));
	CU_ASSERT_PTR_NULL(strstr(h, "@import"));
	CU_ASSERT_EQUAL(count_str(h, "<script"), 1);
	CU_ASSERT_EQUAL(count_str(h, "<style"), 1);
	/* hostile text is escaped, and the file is clean UTF-8 without control bytes */
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "hello &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
	CU_ASSERT_PTR_NULL(strstr(h, "<img"));
	CU_ASSERT_PTR_NULL(strstr(h, "</title><script>"));
	CU_ASSERT(utf8_valid(h));
	bool ctl = false;
	for (const unsigned char *p = (const unsigned char *)h; *p; p++)
		if ((*p < 0x20 && *p != '\n' && *p != '\t' && *p != '\r') || *p == 0x7f)
			ctl = true;
	CU_ASSERT_FALSE(ctl);
	/* the hostile scenario's id is sanitised */
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "id=\"sc-xss_3Cscript_3Ealert_281_29_3C_2Fscript_3E_22_27_26\""));

	/* anchors: detail sections and expectations */
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "id=\"sc-attach-basic\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "id=\"sc-notify-coalesce\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "id=\"sc-notify-coalesce-exp-0\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "id=\"sc-notify-coalesce-exp-1\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "id=\"sc-notify-coalesce-exp-2\""));
	/* the failed row links straight to its first failed expectation (index 1) */
	char *row = between(h, "<tr id=\"row-sc-notify-coalesce\"", "</tr>");
	CU_ASSERT_PTR_NOT_NULL_FATAL(row);
	CU_ASSERT_PTR_NOT_NULL(strstr(row, "href=\"#sc-notify-coalesce\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(row, "href=\"#sc-notify-coalesce-exp-1\""));
	CU_ASSERT_PTR_NULL(strstr(row, "-exp-0\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(row, "data-st=\"failed\""));
	free(row);
	row = between(h, "<tr id=\"row-sc-attach-basic\"", "</tr>");
	CU_ASSERT_PTR_NOT_NULL_FATAL(row);
	CU_ASSERT_PTR_NULL(strstr(row, "-exp-"));
	CU_ASSERT_PTR_NOT_NULL(strstr(row, "data-st=\"passed\""));
	free(row);
	/* the failed expectation links to its event; the event is a timeline marker */
	char link[96], target[96];
	snprintf(link, sizeof(link), "href=\"#sc-notify-coalesce-ev-%lld\"", (long long)rs[1].exps[1].ev_seq);
	snprintf(target, sizeof(target), "id=\"sc-notify-coalesce-ev-%lld\"", (long long)rs[1].exps[1].ev_seq);
	char *exp1 = between(h, "<li id=\"sc-notify-coalesce-exp-1\"", "</li>");
	CU_ASSERT_PTR_NOT_NULL_FATAL(exp1);
	CU_ASSERT_PTR_NOT_NULL(strstr(exp1, link));
	CU_ASSERT_PTR_NOT_NULL(strstr(exp1, "class=\"exp fail\""));
	free(exp1);
	char *svg = between(h, "<section class=\"sc st-fail\" id=\"sc-notify-coalesce\"", "</svg>");
	CU_ASSERT_PTR_NOT_NULL_FATAL(svg);
	CU_ASSERT_PTR_NOT_NULL(strstr(svg, target));
	CU_ASSERT_PTR_NOT_NULL(strstr(svg, "<details class=\"tld\" open>"));   /* open: failed */
	CU_ASSERT_PTR_NOT_NULL(strstr(svg, "class=\"ev k-fault\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(svg, "<title>"));
	free(svg);
	/* every kept non-mmio event of the passing scenario has a marker; its timeline is closed */
	for (int i = 0; i < rs[0].n_kept; i++) {
		snprintf(target, sizeof(target), "id=\"sc-attach-basic-ev-%llu\"",
			 (unsigned long long)rs[0].events[i].seq);
		if (rs[0].events[i].kind != EV_MMIO)
			CU_ASSERT_PTR_NOT_NULL(strstr(h, target));
	}
	char *pass_sec = between(h, "id=\"sc-attach-basic\"", "</section>");
	CU_ASSERT_PTR_NOT_NULL_FATAL(pass_sec);
	CU_ASSERT_PTR_NOT_NULL(strstr(pass_sec, "<details class=\"tld\">"));
	CU_ASSERT_PTR_NOT_NULL(strstr(pass_sec, "rr:s1:q10000"));
	CU_ASSERT_PTR_NOT_NULL(strstr(pass_sec, "build/hvsim replay scenarios/create/attach-basic.json"));
	free(pass_sec);
	/* filter controls */
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "id=\"filter\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "data-filter=\"failed\""));
	/* coverage: every SPEC clause has a row; uncovered ones say so; unknown IDs listed */
	for (int i = 0; i < n_spec_clauses; i++) {
		snprintf(target, sizeof(target), "<tr id=\"cov-%s\"", spec_clauses[i]);
		CU_ASSERT_PTR_NOT_NULL(strstr(h, target));
	}
	char *cov = between(h, "<tr id=\"cov-PLT-3\"", "</tr>");
	CU_ASSERT_PTR_NOT_NULL_FATAL(cov);
	CU_ASSERT_PTR_NOT_NULL(strstr(cov, "UNCOVERED"));
	free(cov);
	cov = between(h, "<tr id=\"cov-NTF-4\"", "</tr>");
	CU_ASSERT_PTR_NOT_NULL_FATAL(cov);
	CU_ASSERT_PTR_NOT_NULL(strstr(cov, "<a class=\"scn fail\" href=\"#sc-notify-coalesce\">"));
	free(cov);
	cov = between(h, "<tr id=\"cov-CRE-1\"", "</tr>");
	CU_ASSERT_PTR_NOT_NULL_FATAL(cov);
	CU_ASSERT_PTR_NOT_NULL(strstr(cov, "<span class=\"chip pass\">PASS</span>"));
	free(cov);
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "id=\"cov-XYZ-9_3Cb_3E\""));
	/* every in-page link has its target, and no id is used twice */
	int dangling = 0, dup = 0, links = 0;
	for (const char *p = h; (p = strstr(p, "href=\"#")); p += 7) {
		const char *e = strchr(p + 7, '"');
		char want[200];
		if (!e || e - (p + 7) > 150)
			continue;
		snprintf(want, sizeof(want), "id=\"%.*s\"", (int)(e - (p + 7)), p + 7);
		links++;
		const char *at = strstr(h, want);
		if (!at)
			dangling++;
		else if (strstr(at + 1, want))
			dup++;
	}
	CU_ASSERT(links > 100);
	CU_ASSERT_EQUAL(dangling, 0);
	CU_ASSERT_EQUAL(dup, 0);
	/* header counts */
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "<b>2</b><span>passed</span>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "<b>2</b><span>failed</span>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "<b>1</b><span>errors</span>"));
	free(h);
	unlink(path);
	free(path);
	fake_free(rs, N_FAKE);
}

/* Scenarios with the same name still get distinct anchors. */
static void test_html_duplicate_names(void)
{
	struct sc_result rs[2];
	char err[256];

	base(&rs[0], "a/x.json", "same", NULL, SC_PASS, 0);
	base(&rs[1], "b/x.json", "same", NULL, SC_PASS, 0);
	struct run_summary s = summary(rs, 2);
	char *path = tmp_path(".html");
	CU_ASSERT_PTR_NOT_NULL_FATAL(path);
	CU_ASSERT_EQUAL_FATAL(report_html(&s, path, err, sizeof(err)), 0);
	char *h = slurp(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	CU_ASSERT_EQUAL(count_str(h, "id=\"sc-same\""), 1);
	CU_ASSERT_EQUAL(count_str(h, "id=\"sc-same-1\""), 1);
	free(h);
	unlink(path);
	free(path);
	fake_free(rs, 2);
}

/* Long runs: the timeline keeps the first and last events and every event an
 * expectation points at; the HTML stays small. */
static void test_html_event_cap(void)
{
	struct sc_result rs[2];
	char err[256], id[96];

	base(&rs[0], "races/long.json", "long-fail", NULL, SC_FAIL, 1);
	base(&rs[1], "races/long2.json", "long-pass", NULL, SC_PASS, 1);
	vm_push(&rs[0], "a", "p", 0, 1, NULL);
	vm_push(&rs[1], "a", "p", 0, 1, NULL);
	for (int i = 0; i < 5000; i++) {
		ev_push(&rs[0], 10 * (uint64_t)i, 0, EV_SWITCH)->to = -1;
		ev_push(&rs[1], 10 * (uint64_t)i, 0, EV_MARK)->code = i;
	}
	int64_t mid = (int64_t)rs[0].events[2500].seq;
	exp_push(&rs[0], "expect[0]", "never a switch", false, "got one", mid);
	struct run_summary s = summary(rs, 2);
	char *path = tmp_path(".html");
	CU_ASSERT_PTR_NOT_NULL_FATAL(path);
	CU_ASSERT_EQUAL_FATAL(report_html(&s, path, err, sizeof(err)), 0);
	char *h = slurp(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	CU_ASSERT_EQUAL(count_str(h, "class=\"ev k-switch\""), 2001 + 1);  /* first/last 1000, the pointed-at one; legend */
	CU_ASSERT_EQUAL(count_str(h, "class=\"ev k-mark\""), 400 + 1);  /* + the legend */
	snprintf(id, sizeof(id), "id=\"sc-long-fail-ev-%lld\"", (long long)mid);
	CU_ASSERT_PTR_NOT_NULL(strstr(h, id));
	snprintf(id, sizeof(id), "id=\"sc-long-fail-ev-%llu\"", (unsigned long long)rs[0].events[0].seq);
	CU_ASSERT_PTR_NOT_NULL(strstr(h, id));
	snprintf(id, sizeof(id), "id=\"sc-long-fail-ev-%llu\"", (unsigned long long)rs[0].events[4999].seq);
	CU_ASSERT_PTR_NOT_NULL(strstr(h, id));
	snprintf(id, sizeof(id), "id=\"sc-long-fail-ev-%llu\"", (unsigned long long)rs[0].events[1500].seq);
	CU_ASSERT_PTR_NULL(strstr(h, id));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "Showing 2001 of 5000 kept events"));
	CU_ASSERT(strlen(h) < 3u * 1024 * 1024);
	free(h);
	unlink(path);
	free(path);
	fake_free(rs, 2);
}

/* ---- tests: JSON report ---- */

static void test_json_report(void)
{
	struct sc_result rs[N_FAKE];
	char err[256], diff[128];

	fake_results(rs);
	struct run_summary s = summary(rs, N_FAKE);
	char *path = tmp_path(".json");
	CU_ASSERT_PTR_NOT_NULL_FATAL(path);
	CU_ASSERT_EQUAL_FATAL(report_json(&s, path, err, sizeof(err)), 0);
	char *text = slurp(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT(utf8_valid(text));
	cJSON *doc = cJSON_Parse(text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	CU_ASSERT_STRING_EQUAL(json_item(doc, "tool")->valuestring, "hvsim");
	CU_ASSERT_STRING_EQUAL(json_item(doc, "version")->valuestring, "0.1.0");
	CU_ASSERT_STRING_EQUAL(json_item(doc, "command")->valuestring, s.command);
	cJSON *sum = cJSON_GetObjectItem(doc, "summary");
	CU_ASSERT_PTR_NOT_NULL_FATAL(sum);
	CU_ASSERT_EQUAL(json_item(sum, "passed")->valueint, 2);
	CU_ASSERT_EQUAL(json_item(sum, "failed")->valueint, 2);
	CU_ASSERT_EQUAL(json_item(sum, "errors")->valueint, 1);
	CU_ASSERT_EQUAL(json_item(sum, "skipped")->valueint, 1);
	cJSON *cov = cJSON_GetObjectItem(doc, "coverage");
	CU_ASSERT_EQUAL(cJSON_GetArraySize(cov), n_spec_clauses + 1);   /* + XYZ-9<b> */
	cJSON *results = cJSON_GetObjectItem(doc, "results");
	CU_ASSERT_EQUAL_FATAL(cJSON_GetArraySize(results), N_FAKE);
	for (int i = 0; i < N_FAKE; i++) {
		char *one = cJSON_PrintUnformatted(cJSON_GetArrayItem(results, i));
		struct sc_result back;
		CU_ASSERT_EQUAL(result_from_json(one, &back, err, sizeof(err)), 0);
		CU_ASSERT_STRING_EQUAL(result_diff(&rs[i], &back, diff, sizeof(diff)), "");
		result_free(&back);
		free(one);
	}
	cJSON_Delete(doc);
	free(text);
	unlink(path);
	free(path);
	fake_free(rs, N_FAKE);
}

/* ---- tests: clauses and text helpers ---- */

static void test_clauses(void)
{
	CU_ASSERT_EQUAL(n_spec_clauses, 55);
	CU_ASSERT_STRING_EQUAL(spec_clauses[0], "FAC-1");
	CU_ASSERT_STRING_EQUAL(spec_clauses[6], "CRE-1");
	CU_ASSERT_STRING_EQUAL(spec_clauses[n_spec_clauses - 1], "PLT-4");
	for (int i = 0; i < n_spec_clauses; i++) {
		const char *t = clause_title(spec_clauses[i]);
		CU_ASSERT(t && strlen(t) > 3);
		CU_ASSERT_PTR_NOT_NULL(clause_section(spec_clauses[i]));
		for (int j = 0; j < i; j++)
			CU_ASSERT(strcmp(spec_clauses[i], spec_clauses[j]) != 0);
	}
	CU_ASSERT_PTR_NULL(clause_title("XYZ-1"));
	CU_ASSERT_PTR_NULL(clause_title(NULL));
	CU_ASSERT_STRING_EQUAL(clause_section("GIC-5"), "Interrupt controller (GIC)");
}

/* Coverage is per rule: a failed expectation fails only the IDs it names;
 * an ERROR fails every ID its scenario names. */
static void test_clause_state_per_rule(void)
{
	struct sc_result rs[3];
	struct run_summary s = { .results = rs, .n = 3, .all_clauses = spec_clauses,
				 .n_all_clauses = n_spec_clauses };

	base(&rs[0], "scenarios/irq/x.json", "x", NULL, SC_FAIL, 0.1);
	clauses_set(&rs[0], (const char *const[]){ "NTF-1", "IRQ-3", "CTL-2" }, 3);
	exp_push(&rs[0], "default", "vm a exits 0", true, NULL, -1);
	exp_clauses_set(&rs[0], (const char *const[]){ "NTF-1" }, 1);
	exp_push(&rs[0], "expect[0]", "vm a irqs", false, "expected 1, got 2", -1);
	exp_clauses_set(&rs[0], (const char *const[]){ "IRQ-3" }, 1);
	base(&rs[1], "scenarios/irq/y.json", "y", NULL, SC_PASS, 0.1);
	clauses_set(&rs[1], (const char *const[]){ "IRQ-3", "DET-1" }, 2);
	exp_push(&rs[1], "expect[0]", "vm a console", true, NULL, -1);
	exp_clauses_set(&rs[1], (const char *const[]){ "DET-1" }, 1);
	base(&rs[2], "scenarios/irq/z.json", "z", NULL, SC_ERROR, 0.1);
	clauses_set(&rs[2], (const char *const[]){ "PCI-2" }, 1);

	CU_ASSERT_STRING_EQUAL(summary_clause_state_in(&rs[0], "NTF-1"), "pass");
	CU_ASSERT_STRING_EQUAL(summary_clause_state_in(&rs[0], "IRQ-3"), "fail");
	/* named by the scenario, checked by no expectation */
	CU_ASSERT_STRING_EQUAL(summary_clause_state_in(&rs[0], "CTL-2"), "uncovered");
	CU_ASSERT_STRING_EQUAL(summary_clause_state_in(&rs[0], "DET-1"), "uncovered");
	CU_ASSERT_STRING_EQUAL(summary_clause_state_in(&rs[1], "IRQ-3"), "uncovered");
	CU_ASSERT_STRING_EQUAL(summary_clause_state_in(&rs[2], "PCI-2"), "fail");
	CU_ASSERT_STRING_EQUAL(summary_clause_state(&s, "NTF-1"), "pass");
	CU_ASSERT_STRING_EQUAL(summary_clause_state(&s, "IRQ-3"), "fail");
	CU_ASSERT_STRING_EQUAL(summary_clause_state(&s, "DET-1"), "pass");
	CU_ASSERT_STRING_EQUAL(summary_clause_state(&s, "CTL-2"), "uncovered");
	CU_ASSERT_STRING_EQUAL(summary_clause_state(&s, "PCI-2"), "fail");
	CU_ASSERT_STRING_EQUAL(summary_clause_state(&s, "FAC-1"), "uncovered");
	for (int i = 0; i < 3; i++)
		result_free(&rs[i]);
}

static char *escaped(const char *s, enum esc_mode mode)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	xml_escape(f, s, mode);
	fclose(f);
	return out;
}

#define ESC_EQ(in, mode, want) do { \
	char *got_ = escaped(in, mode); \
	CU_ASSERT_STRING_EQUAL(got_, want); \
	free(got_); \
} while (0)

static void test_textutil(void)
{
	ESC_EQ("a<b>&c\"d'e", ESC_XML_TEXT, "a&lt;b&gt;&amp;c\"d'e");
	ESC_EQ("a<b>&c\"d'e", ESC_XML_ATTR, "a&lt;b&gt;&amp;c&quot;d&#39;e");
	ESC_EQ("a<b>&c\"d'e", ESC_HTML, "a&lt;b&gt;&amp;c&quot;d&#39;e");
	ESC_EQ("l1\nl2\tx\r", ESC_XML_ATTR, "l1&#10;l2&#9;x&#13;");
	ESC_EQ("l1\nl2\tx", ESC_XML_TEXT, "l1\nl2\tx");
	ESC_EQ("\x01\x1b\x7f", ESC_XML_TEXT, "\xe2\x90\x81\xe2\x90\x9b\xe2\x90\xa1");
	ESC_EQ("a\xff" "b", ESC_HTML, "a\xef\xbf\xbd" "b");
	ESC_EQ("\xc0\xaf", ESC_HTML, "\xef\xbf\xbd\xef\xbf\xbd");                 /* overlong */
	ESC_EQ("\xed\xa0\x80", ESC_HTML, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");  /* surrogate */
	ESC_EQ("\xe2\x82", ESC_HTML, "\xef\xbf\xbd\xef\xbf\xbd");                 /* truncated */
	ESC_EQ("\xef\xbf\xbe", ESC_XML_TEXT, "\xef\xbf\xbd");                     /* U+FFFE */
	ESC_EQ("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", ESC_HTML, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	ESC_EQ(NULL, ESC_HTML, "");

	/* xml_escape_n never splits a sequence */
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	size_t used = xml_escape_n(f, "ab\xe2\x82\xac", 4, ESC_HTML);
	fclose(f);
	CU_ASSERT_EQUAL(used, 2);
	CU_ASSERT_STRING_EQUAL(out, "ab");
	free(out);

	char buf[64];
	CU_ASSERT_STRING_EQUAL(summary_area("scenarios/gic/x.json", buf, sizeof(buf)), "gic");
	CU_ASSERT_STRING_EQUAL(summary_area("/abs/scenarios//notify//y.json", buf, sizeof(buf)), "notify");
	CU_ASSERT_STRING_EQUAL(summary_area("x.json", buf, sizeof(buf)), "misc");
	CU_ASSERT_STRING_EQUAL(summary_area("./x.json", buf, sizeof(buf)), "misc");
	CU_ASSERT_STRING_EQUAL(summary_area(NULL, buf, sizeof(buf)), "misc");

	uint64_t u;
	int64_t i;
	CU_ASSERT_EQUAL(rj_parse_u64("0xffffffffffffffff", &u), 0);
	CU_ASSERT_EQUAL(u, UINT64_MAX);
	CU_ASSERT_EQUAL(rj_parse_u64("18446744073709551615", &u), 0);
	CU_ASSERT_EQUAL(rj_parse_u64("18446744073709551616", &u), -1);
	CU_ASSERT_EQUAL(rj_parse_u64("0x", &u), -1);
	CU_ASSERT_EQUAL(rj_parse_u64("-1", &u), -1);
	CU_ASSERT_EQUAL(rj_parse_u64("12 ", &u), -1);
	CU_ASSERT_EQUAL(rj_parse_u64("", &u), -1);
	CU_ASSERT_EQUAL(rj_parse_i64("-9223372036854775808", &i), 0);
	CU_ASSERT_EQUAL(i, INT64_MIN);
	CU_ASSERT_EQUAL(rj_parse_i64("0xffffffffffffffff", &i), 0);
	CU_ASSERT_EQUAL(i, -1);
	CU_ASSERT_EQUAL(rj_parse_i64("9223372036854775808", &i), -1);
	CU_ASSERT_EQUAL(rj_parse_i64("-", &i), -1);
	CU_ASSERT_STRING_EQUAL(rj_hex(buf, 0x1c050000), "0x1c050000");

	out = NULL;
	f = open_memstream(&out, &len);
	html_write_id(f, "ok-name_1.2 <\"&");
	fclose(f);
	CU_ASSERT_STRING_EQUAL(out, "ok-name_1.2_20_3C_22_26");
	free(out);
}

/* ---- a larger sample to look at (REPORT_SAMPLE_DIR) ---- */

static void test_sample(void)
{
	const char *dir = getenv("REPORT_SAMPLE_DIR");
	if (!dir)
		return;
	static const char *const areas[] = { "factory", "create", "control", "notify", "irq",
					     "detach", "acl", "pci", "host", "gic", "races" };
	enum { N_EXTRA = 14 };
	struct sc_result rs[N_FAKE + N_EXTRA];
	char file[128], name[64], err[256], path[512];

	fake_results(rs);
	for (int k = 0; k < N_EXTRA; k++) {
		struct sc_result *r = &rs[N_FAKE + k];
		const char *area = areas[k % 11];
		snprintf(name, sizeof(name), "%s-case-%02d", area, k);
		snprintf(file, sizeof(file), "scenarios/%s/%s.json", area, name);
		base(r, file, name, "a generated passing scenario for the sample report", SC_PASS,
		     0.01 + 0.013 * k);
		int c = (k * 4) % n_spec_clauses;
		clauses_set(r, (const char *const[]){ spec_clauses[c], spec_clauses[(c + 1) % n_spec_clauses] }, 2);
		vm_push(r, "a", "probe", 0, 9000 + 100 * (uint64_t)k, "ok\n");
		vm_push(r, "b", "probe", 0, 8000 + 100 * (uint64_t)k, "ok\n");
		for (int j = 0; j < 16; j++) {
			struct ev *e = ev_push(r, 1000 + 1000 * (uint64_t)j, j % 2, j % 4 == 3 ? EV_SWITCH : EV_MARK);
			e->code = j;
			e->to = j % 4 == 3 ? (j + 1) % 2 : 0;
		}
		exp_push(r, "expect[0]", "vm a exit 0", true, NULL, -1);
		exp_push(r, "expect[1]", "order a mark 1 < b mark 2", true, NULL, -1);
	}
	struct run_summary s = summary(rs, N_FAKE + N_EXTRA);
	snprintf(path, sizeof(path), "%s/sample.html", dir);
	CU_ASSERT_EQUAL(report_html(&s, path, err, sizeof(err)), 0);
	snprintf(path, sizeof(path), "%s/sample-junit.xml", dir);
	CU_ASSERT_EQUAL(report_junit(&s, path, err, sizeof(err)), 0);
	snprintf(path, sizeof(path), "%s/sample.json", dir);
	CU_ASSERT_EQUAL(report_json(&s, path, err, sizeof(err)), 0);
	fake_free(rs, N_FAKE + N_EXTRA);
}

/* Colour only on a terminal, never with NO_COLOR set (no-color.org). */
static void test_colour(void)
{
	CU_ASSERT(summary_colour(true, NULL));
	CU_ASSERT(summary_colour(true, ""));          /* empty: as if unset */
	CU_ASSERT(!summary_colour(true, "1"));
	CU_ASSERT(!summary_colour(true, "0"));        /* any value counts */
	CU_ASSERT(!summary_colour(false, NULL));
	CU_ASSERT(!summary_colour(false, "1"));
}

/* An explore failure shows its interleaving side by side: a column per VM,
 * each event in its VM's column, the forced switch marked; a plain run's
 * failure (no departures) does not. */
static void test_html_interleaving(void)
{
	struct sc_result rs[2];
	for (int k = 0; k < 2; k++) {
		struct sc_result *r = &rs[k];
		base(r, "x.json", k ? "plain" : "raced", NULL, SC_FAIL, 0.1);
		vm_push(r, "alpha", "p", 0, 10, "");
		vm_push(r, "beta", "p", 0, 10, "");
		r->explore = (struct sc_explore){ .present = k == 0, .runs = 3, .max_preemptions = 1,
						  .shard_k = 1, .shard_n = 1 };
		free(r->schedule);
		r->schedule = S(k ? "rr,q=10000" : "rr,q=10000,@5=beta");
		ev_push(r, 10, 0, EV_MARK)->code = 7;
		struct ev *e = ev_push(r, 20, 0, EV_SWITCH);
		e->to = 1;
		e->text = S("point");
		ev_push(r, 30, 1, EV_FAIL)->code = 0x5a5;
	}
	struct run_summary sm = summary(rs, 2);
	char *path = tmp_path(".html"), err[256];
	CU_ASSERT_PTR_NOT_NULL_FATAL(path);
	CU_ASSERT_EQUAL(report_html(&sm, path, err, sizeof(err)), 0);
	char *html = slurp(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(html);
	CU_ASSERT_EQUAL(count_str(html, "Failing interleaving"), 1);   /* the explore one only */
	CU_ASSERT_EQUAL(count_str(html, "forced switch at a device access: beta runs"), 1);
	const char *t = strstr(html, "class=\"interleave\"");
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	/* The fail of beta sits in beta's column: seq, alpha, beta, host. */
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "</td><td style=\"padding:1px 6px;border-left:1px solid #ddd\"></td>"
					 "<td style=\"padding:1px 6px;border-left:1px solid #ddd\">fail 1445</td>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "<th style=\"text-align:left;padding:2px 6px\">beta</th>"));
	free(html);
	remove(path);
	free(path);
	fake_free(rs, 2);
}

static CU_TestInfo report_tests[] = {
	{ "HTML: an explore failure's interleaving, a column per VM", test_html_interleaving },
	{ "result JSON round trip, field by field", test_roundtrip },
	{ "race reports: JSON round trip, words, HTML timeline", test_race_results },
	{ "round trip comparator sees a change", test_roundtrip_detects_change },
	{ "result JSON keeps 64-bit precision and bytes", test_json_precision },
	{ "result_from_json rejects malformed input", test_from_json_rejects },
	{ "JUnit XML well-formed with right counts", test_junit },
	{ "INCOMPLETE: skipped in JUnit, its own status in JSON", test_incomplete_status },
	{ "TAP 13: exact text for a fake run", test_tap },
	{ "HTML anchors, links, escaping, self-contained", test_html },
	{ "HTML unique anchors for repeated names", test_html_duplicate_names },
	{ "HTML timeline keeps first, last and pointed-at events", test_html_event_cap },
	{ "JSON report", test_json_report },
	{ "SPEC clause list", test_clauses },
	{ "clause coverage per rule, from expectations", test_clause_state_per_rule },
	{ "text helpers", test_textutil },
	{ "colour: a terminal and no NO_COLOR", test_colour },
	{ "sample reports (REPORT_SAMPLE_DIR)", test_sample },
	CU_TEST_INFO_NULL,
};

UNIT_SUITE("report", report_tests);
