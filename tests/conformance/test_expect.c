/* test_expect.c - expectations (CONTRACT 3) against hand-made event logs. */
#include <stdlib.h>
#include <string.h>
#include <CUnit/CUnit.h>
#include "tests/unit.h"
#include "tests/deadline.h"
#include "conformance/expect.h"

#define MAX_X 8

static struct evlog L;
static struct scenario S;
static struct mach_vm VMS[3];
static struct vm_result VR[3];
static struct sc_expect X[MAX_X];
static struct sc_evpat P[MAX_X][4];
static struct sc_result R;
static char *vm_names[3] = {"a", "b", "c"};

/* Two or three VMs a, b, c that all exited 0; no expectations, empty log. */
static void setup(int n_vms)
{
	evlog_init(&L);
	memset(&S, 0, sizeof(S));
	memset(VMS, 0, sizeof(VMS));
	memset(VR, 0, sizeof(VR));
	memset(X, 0, sizeof(X));
	memset(P, 0, sizeof(P));
	memset(&R, 0, sizeof(R));
	for (int i = 0; i < n_vms; i++) {
		VMS[i].name = vm_names[i];
		VR[i].name = vm_names[i];
		VR[i].exited = true;
	}
	S.name = "t";
	S.m.vms = VMS;
	S.m.n_vms = n_vms;
	S.expect = X;
	R.vms = VR;
	R.n_vms = n_vms;
}

static void clear_result(void)
{
	for (int i = 0; i < R.n_exps; i++) {
		free(R.exps[i].where);
		free(R.exps[i].what);
		free(R.exps[i].message);
	}
	free(R.exps);
	free(R.reason);
	R.exps = NULL;
	R.n_exps = 0;
	R.reason = NULL;
}

static void teardown(void)
{
	clear_result();
	evlog_free(&L);
}

/* Run the check with the first n expectations. */
static int run(int n)
{
	clear_result();
	S.n_expect = n;
	for (int i = 0; i < n; i++)
		if (!X[i].events)
			X[i].events = P[i];
	return expect_check(&S, &L, NULL, &R);
}

static uint64_t ev_add(int vm, enum ev_kind k, uint64_t clock, int64_t code)
{
	struct ev e;
	memset(&e, 0, sizeof(e));
	e.vm = vm;
	e.kind = k;
	e.clock = clock;
	e.pc = 0x40000000 + clock * 4;
	e.code = code;
	e.intid = (uint32_t)code;
	e.mask = (uint32_t)code;
	return (uint64_t)evlog_append(&L, &e);
}

static uint64_t ev_attach(int vm, enum ev_kind k, uint64_t clock, const char *region,
			  int status, const char *text)
{
	struct ev e;
	memset(&e, 0, sizeof(e));
	e.vm = vm;
	e.kind = k;
	e.clock = clock;
	e.region = (char *)region;
	e.status = status;
	e.text = (char *)text;
	return (uint64_t)evlog_append(&L, &e);
}

static uint64_t ev_fault(int vm, uint64_t clock, const char *kind)
{
	struct ev e;
	memset(&e, 0, sizeof(e));
	e.vm = vm;
	e.kind = EV_FAULT;
	e.clock = clock;
	snprintf(e.fault_kind, sizeof(e.fault_kind), "%s", kind);
	return (uint64_t)evlog_append(&L, &e);
}

static uint64_t ev_console(int vm, uint64_t clock, const char *text)
{
	struct ev e;
	memset(&e, 0, sizeof(e));
	e.vm = vm;
	e.kind = EV_CONSOLE;
	e.clock = clock;
	e.text = (char *)text;
	return (uint64_t)evlog_append(&L, &e);
}

static struct sc_evpat pat(int vm, int kind, bool has_value, int64_t value, const char *str)
{
	return (struct sc_evpat){ .vm = vm, .kind = kind, .has_value = has_value, .value = value,
				  .str = (char *)str };
}

static const struct exp_result *find_where_opt(const char *where, int nth)
{
	for (int i = 0; i < R.n_exps; i++)
		if (R.exps[i].where && !strcmp(R.exps[i].where, where) && nth-- == 0)
			return &R.exps[i];
	return NULL;
}

/* The result must exist: a missing one fails the test instead of crashing
 * it at the dereference. */
static const struct exp_result *find_where(const char *where, int nth)
{
	const struct exp_result *x = find_where_opt(where, nth);
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	return x;
}

static bool has(const char *s, const char *sub)
{
	return s && strstr(s, sub) != NULL;
}

/* The explicit expectation i (after the defaults). */
static const struct exp_result *xr(int i)
{
	char w[16];
	snprintf(w, sizeof(w), "expect[%d]", i);
	return find_where(w, 0);
}

/* ---- defaults ---- */

static void test_defaults_pass(void)
{
	setup(2);
	uint64_t sa = ev_add(0, EV_EXIT, 10, 0);
	uint64_t sb = ev_add(1, EV_EXIT, 20, 0);
	CU_ASSERT_EQUAL(run(0), 0);
	CU_ASSERT_EQUAL(R.status, SC_PASS);
	CU_ASSERT_PTR_NULL(R.reason);
	CU_ASSERT_EQUAL(R.n_exps, 2);
	const struct exp_result *a = find_where("default", 0), *b = find_where("default", 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_STRING_EQUAL(a->what, "vm a exits 0 without fault or FAIL");
	CU_ASSERT_STRING_EQUAL(b->what, "vm b exits 0 without fault or FAIL");
	CU_ASSERT(a->pass && b->pass);
	CU_ASSERT_EQUAL(a->ev_seq, (int64_t)sa);
	CU_ASSERT_EQUAL(b->ev_seq, (int64_t)sb);
	teardown();
}

static void test_defaults_exit_code(void)
{
	setup(2);
	ev_add(0, EV_EXIT, 10, 0);
	uint64_t sb = ev_add(1, EV_EXIT, 20, 3);
	VR[1].exit_code = 3;
	run(0);
	CU_ASSERT_EQUAL(R.status, SC_FAIL);
	const struct exp_result *b = find_where("default", 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_FALSE(b->pass);
	CU_ASSERT(has(b->message, "got exit 3"));
	CU_ASSERT(has(b->message, "seq 1, clock 20"));
	CU_ASSERT_EQUAL(b->ev_seq, (int64_t)sb);
	CU_ASSERT(has(R.reason, "vm b exits 0 without fault or FAIL: expected exit 0"));
	CU_ASSERT(find_where("default", 0)->pass);
	teardown();
}

static void test_defaults_fault(void)
{
	setup(1);
	ev_add(0, EV_MARK, 5, 1);
	uint64_t sf = ev_fault(0, 42, "read-unmapped");
	VR[0].exited = false;
	VR[0].faulted = true;
	snprintf(VR[0].fault_kind, sizeof(VR[0].fault_kind), "read-unmapped");
	VR[0].fault_addr = 0x10;
	VR[0].fault_pc = 0x40000020;
	VR[0].fault_insn = "ldr w0, [x1]";
	run(0);
	CU_ASSERT_EQUAL(R.status, SC_FAIL);
	const struct exp_result *a = find_where("default", 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT(has(a->message, "fault read-unmapped at 0x10"));
	CU_ASSERT(has(a->message, "pc 0x40000020"));
	CU_ASSERT(has(a->message, "\"ldr w0, [x1]\""));
	CU_ASSERT(has(a->message, "clock 42"));
	CU_ASSERT_EQUAL(a->ev_seq, (int64_t)sf);
	teardown();
}

static void test_defaults_fails(void)
{
	setup(1);
	uint64_t f1 = ev_add(0, EV_FAIL, 5, 7);
	ev_add(0, EV_FAIL, 6, 9);
	ev_add(0, EV_EXIT, 10, 0);
	int64_t ids[] = {7, 9};
	VR[0].fails = ids;
	VR[0].n_fails = 2;
	run(0);
	CU_ASSERT_EQUAL(R.status, SC_FAIL);
	const struct exp_result *a = find_where("default", 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT(has(a->message, "2 FAIL records [7, 9]"));
	CU_ASSERT(has(a->message, "got exit 0"));
	CU_ASSERT_EQUAL(a->ev_seq, (int64_t)f1);
	teardown();
}

static void test_defaults_not_stopped(void)
{
	setup(2);
	VR[1].exited = false;
	VR[1].icount = 77;
	R.n_vms = 1;               /* and no final state at all for b */
	run(0);
	CU_ASSERT_EQUAL(R.status, SC_FAIL);
	CU_ASSERT(find_where("default", 0)->pass);
	CU_ASSERT(has(find_where("default", 1)->message, "no final state"));
	R.n_vms = 2;
	run(0);
	CU_ASSERT(has(find_where("default", 1)->message, "no exit and no fault (icount 77)"));
	CU_ASSERT_EQUAL(find_where("default", 1)->ev_seq, -1);
	teardown();
}

static void test_defaults_replaced(void)
{
	setup(2);
	int64_t ids[] = {5};
	VR[0].exit_code = 3;
	VR[0].fails = ids;
	VR[0].n_fails = 1;
	X[0] = (struct sc_expect){ .kind = EXP_EXIT, .vm = 0, .code = 3 };
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_PASS);
	CU_ASSERT_EQUAL(R.n_exps, 2);
	CU_ASSERT_STRING_EQUAL(find_where("default", 0)->what, "vm b exits 0 without fault or FAIL");
	CU_ASSERT_PTR_NULL(find_where_opt("default", 1));
	CU_ASSERT_STRING_EQUAL(xr(0)->what, "vm a exits 3");

	/* fails names the VM too: exit code is then not checked */
	X[0] = (struct sc_expect){ .kind = EXP_FAILS, .vm = 0, .ids = ids, .n_ids = 1 };
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_PASS);
	CU_ASSERT_EQUAL(R.n_exps, 2);

	/* a console expectation does not replace the default */
	X[0] = (struct sc_expect){ .kind = EXP_CONSOLE, .vm = 0, .text = "" };
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_FAIL);
	CU_ASSERT_EQUAL(R.n_exps, 3);
	CU_ASSERT(has(R.reason, "vm a exits 0 without fault or FAIL"));
	teardown();
}

/* ---- exit and fault ---- */

static void test_exit(void)
{
	setup(1);
	uint64_t se = ev_add(0, EV_EXIT, 10, 2);
	VR[0].exit_code = 2;
	X[0] = (struct sc_expect){ .kind = EXP_EXIT, .vm = 0, .code = 2, .where = "expect[0]" };
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_PASS);
	CU_ASSERT_EQUAL(xr(0)->ev_seq, (int64_t)se);
	X[0].code = 4;
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_FAIL);
	CU_ASSERT(has(xr(0)->message, "expected exit 4, got exit 2"));
	CU_ASSERT_STRING_EQUAL(R.reason, "vm a exits 4: expected exit 4, got exit 2 (seq 0, clock 10)");
	/* a fault is not an exit */
	VR[0].exited = false;
	VR[0].faulted = true;
	snprintf(VR[0].fault_kind, sizeof(VR[0].fault_kind), "undefined");
	X[0].code = 2;
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_FAIL);
	CU_ASSERT(has(xr(0)->message, "got fault undefined"));
	teardown();
}

static void test_fault(void)
{
	setup(1);
	uint64_t sf = ev_fault(0, 30, "alignment");
	VR[0].exited = false;
	VR[0].faulted = true;
	snprintf(VR[0].fault_kind, sizeof(VR[0].fault_kind), "alignment");
	VR[0].fault_addr = 0x9010001;
	VR[0].fault_pc = 0x40000100;
	VR[0].fault_insn = NULL;
	X[0] = (struct sc_expect){ .kind = EXP_FAULT, .vm = 0, .text = "alignment" };
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_PASS);
	CU_ASSERT_EQUAL(R.n_exps, 1);
	CU_ASSERT_STRING_EQUAL(xr(0)->what, "vm a faults alignment");
	CU_ASSERT_EQUAL(xr(0)->ev_seq, (int64_t)sf);
	X[0].has_addr = true;
	X[0].addr = 0x9010001;
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_PASS);
	X[0].addr = 0x9010002;
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_FAIL);
	CU_ASSERT(has(xr(0)->message, "expected fault alignment at 0x9010002, got fault alignment at 0x9010001"));
	CU_ASSERT(has(xr(0)->message, "pc 0x40000100"));
	X[0].has_addr = false;
	X[0].text = "read-unmapped";
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_FAIL);
	CU_ASSERT(has(xr(0)->message, "expected fault read-unmapped, got fault alignment"));
	/* a VM that exited did not fault */
	VR[0].faulted = false;
	VR[0].exited = true;
	X[0].text = "alignment";
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_FAIL);
	CU_ASSERT(has(xr(0)->message, "got exit 0"));
	teardown();
}

/* ---- console ---- */

static void test_console_substring(void)
{
	setup(2);
	ev_console(1, 5, "hello");
	uint64_t sl = ev_console(1, 9, "size=16 ok");
	VR[1].console = "hello\nsize=16 ok\n";
	X[0] = (struct sc_expect){ .kind = EXP_CONSOLE, .vm = 1, .text = "size=16" };
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_PASS);
	CU_ASSERT_STRING_EQUAL(xr(0)->what, "vm b console contains \"size=16\"");
	CU_ASSERT_EQUAL(xr(0)->ev_seq, (int64_t)sl);
	X[0].text = "size=32";
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_FAIL);
	CU_ASSERT(has(xr(0)->message, "console (17 bytes) is \"hello\\nsize=16 ok\\n\""));
	CU_ASSERT_EQUAL(xr(0)->ev_seq, (int64_t)sl);
	CU_ASSERT_PTR_NULL(strchr(xr(0)->message, '\n'));
	/* the wrong VM's console does not count */
	X[0] = (struct sc_expect){ .kind = EXP_CONSOLE, .vm = 0, .text = "size=16" };
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_FAIL);
	CU_ASSERT(has(xr(0)->message, "the console is empty"));
	CU_ASSERT_EQUAL(xr(0)->ev_seq, -1);
	teardown();
}

static void test_console_tail(void)
{
	setup(1);
	char con[301];
	memset(con, 'Q', 100);
	memset(con + 100, 'y', 200);
	con[300] = 0;
	con[0] = 'H';
	VR[0].console = con;
	X[0] = (struct sc_expect){ .kind = EXP_CONSOLE, .vm = 0, .text = "zz" };
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_FAIL);
	CU_ASSERT(has(xr(0)->message, "console (300 bytes) ends \"...yyyy"));
	CU_ASSERT_FALSE(has(xr(0)->message, "Q"));
	CU_ASSERT_FALSE(has(xr(0)->message, "H"));
	teardown();
}

static void test_console_regex(void)
{
	setup(1);
	VR[0].console = "irq 36 count=12\n";
	X[0] = (struct sc_expect){ .kind = EXP_CONSOLE_RE, .vm = 0, .text = "count=[0-9]+$" };
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_FAIL);   /* $ does not match before the newline */
	CU_ASSERT(has(xr(0)->message, "expected the console to match"));
	X[0].text = "count=(1|2)[0-9]";
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_PASS);
	CU_ASSERT_STRING_EQUAL(xr(0)->what, "vm a console matches /count=(1|2)[0-9]/");
	X[0].text = "count=(";
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_FAIL);
	CU_ASSERT(has(xr(0)->message, "invalid regular expression"));
	/* NULL console: an empty string */
	VR[0].console = NULL;
	X[0].text = "^$";
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_PASS);
	X[0].text = "a";
	run(1);
	CU_ASSERT(has(xr(0)->message, "the console is empty"));
	/* a pattern that backtracks without end fails the expectation in time */
	VR[0].console = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!";
	X[0].text = "(a+)+$";
	WITHIN(20, run(1));
	CU_ASSERT_EQUAL(R.status, SC_FAIL);
	CU_ASSERT(xr(0) && has(xr(0)->message, "regex match gave up after 5000000 steps"));
	teardown();
}

/* ---- fails ---- */

static void test_fails(void)
{
	setup(1);
	ev_add(0, EV_FAIL, 3, 1);
	uint64_t s2 = ev_add(0, EV_FAIL, 8, 2);
	int64_t got[] = {1, 2}, want[] = {1, 2, 3}, swapped[] = {2, 1};
	VR[0].fails = got;
	VR[0].n_fails = 2;
	X[0] = (struct sc_expect){ .kind = EXP_FAILS, .vm = 0, .ids = want, .n_ids = 2 };
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_PASS);
	CU_ASSERT_STRING_EQUAL(xr(0)->what, "vm a FAIL ids [1, 2]");
	X[0].ids = swapped;
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_FAIL);
	CU_ASSERT(has(xr(0)->message, "expected FAIL ids [2, 1], got [1, 2]"));
	CU_ASSERT(has(xr(0)->message, "FAIL 1 at position 1"));
	X[0].ids = want;
	X[0].n_ids = 3;
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_FAIL);
	CU_ASSERT(has(xr(0)->message, "FAIL 3 at position 3 never came"));
	CU_ASSERT_EQUAL(xr(0)->ev_seq, (int64_t)s2);
	X[0].n_ids = 1;
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_FAIL);
	CU_ASSERT(has(xr(0)->message, "FAIL 2 at position 2, seq 1, clock 8"));
	CU_ASSERT_EQUAL(xr(0)->ev_seq, (int64_t)s2);
	X[0].n_ids = 0;
	X[0].ids = NULL;
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_FAIL);
	CU_ASSERT_STRING_EQUAL(xr(0)->what, "vm a has no FAIL record");
	VR[0].n_fails = 0;
	VR[0].fails = NULL;
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_PASS);
	teardown();
}

/* ---- irqs ---- */

static void test_irqs(void)
{
	setup(2);
	ev_add(1, EV_IRQ_ACK, 10, 36);
	ev_add(0, EV_IRQ_ACK, 11, 36);     /* other VM */
	ev_add(1, EV_IRQ_ENTER, 12, 36);   /* not an acknowledgement */
	ev_add(1, EV_IRQ_ACK, 13, 37);     /* other intid */
	uint64_t s2 = ev_add(1, EV_IRQ_ACK, 20, 36);
	X[0] = (struct sc_expect){ .kind = EXP_IRQS, .vm = 1, .intid = 36, .has_count = true, .count = 2 };
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_PASS);
	CU_ASSERT_STRING_EQUAL(xr(0)->what, "vm b acknowledges irq 36 exactly 2 times");
	CU_ASSERT_EQUAL(xr(0)->ev_seq, (int64_t)s2);
	X[0].count = 1;
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_FAIL);
	CU_ASSERT(has(xr(0)->message, "expected 1 acknowledgements of intid 36, got 2"));
	CU_ASSERT(has(xr(0)->message, "acknowledgement 2 at seq 4, clock 20"));
	CU_ASSERT_EQUAL(xr(0)->ev_seq, (int64_t)s2);
	X[0].count = 3;
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_FAIL);
	CU_ASSERT(has(xr(0)->message, "got 2 (first at seq 0, clock 10, last at seq 4, clock 20)"));
	X[0] = (struct sc_expect){ .kind = EXP_IRQS, .vm = 1, .intid = 36, .has_min = true, .min = 2 };
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_PASS);
	X[0].min = 3;
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_FAIL);
	CU_ASSERT(has(xr(0)->message, "expected >= 3"));
	X[0] = (struct sc_expect){ .kind = EXP_IRQS, .vm = 1, .intid = 36, .has_max = true, .max = 2 };
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_PASS);
	X[0].max = 1;
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_FAIL);
	CU_ASSERT(has(xr(0)->message, "expected <= 1"));
	X[0] = (struct sc_expect){ .kind = EXP_IRQS, .vm = 1, .intid = 38, .has_max = true, .max = 0 };
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_PASS);
	X[0] = (struct sc_expect){ .kind = EXP_IRQS, .vm = 0, .intid = 36, .has_min = true, .min = 1,
				   .has_max = true, .max = 1 };
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_PASS);
	teardown();
}

/* ---- region (no shmem system here) ---- */

static void test_region_no_shm(void)
{
	setup(1);
	uint64_t sa = ev_attach(0, EV_ATTACH, 5, "moo", 0, NULL);
	ev_attach(0, EV_ATTACH, 6, "moo", 3, NULL);   /* failed: not cited */
	uint8_t data[] = {1, 2};
	X[0] = (struct sc_expect){ .kind = EXP_REGION, .text = "moo", .has_pages = true, .pages = 16,
				   .has_peak = true, .peak_clients = 3, .has_data = true,
				   .data_offset = 0x10, .data = data, .data_len = 2 };
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_FAIL);
	CU_ASSERT_STRING_EQUAL(xr(0)->what,
		"region \"moo\": peak_clients 3, pages 16, data at 0x10 (2 bytes)");
	CU_ASSERT_STRING_EQUAL(xr(0)->message, "no shmem system");
	CU_ASSERT_EQUAL(xr(0)->ev_seq, (int64_t)sa);
	teardown();
}

/* ---- order ---- */

static void test_order(void)
{
	setup(2);
	uint64_t m1 = ev_add(0, EV_MARK, 10, 1);
	ev_add(1, EV_IRQ_ACK, 20, 36);
	ev_add(0, EV_MARK, 30, 1);
	ev_add(1, EV_IRQ_ACK, 40, 36);
	P[0][0] = pat(0, EV_MARK, true, 1, NULL);
	P[0][1] = pat(1, EV_IRQ_ACK, true, 36, NULL);
	X[0] = (struct sc_expect){ .kind = EXP_ORDER, .n_events = 2 };
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_PASS);
	CU_ASSERT_STRING_EQUAL(xr(0)->what, "order: a mark 1 < b irq 36");
	CU_ASSERT_EQUAL(xr(0)->ev_seq, 1);            /* earliest match: the first ack */
	(void)m1;
	/* repeated element: the same pattern twice needs two events */
	P[0][2] = pat(0, EV_MARK, true, 1, NULL);
	P[0][3] = pat(1, EV_IRQ_ACK, true, 36, NULL);
	X[0].n_events = 4;
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_PASS);
	CU_ASSERT_EQUAL(xr(0)->ev_seq, 3);
	/* a third mark 1 never comes */
	P[0][3] = pat(0, EV_MARK, true, 1, NULL);
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_FAIL);
	CU_ASSERT(has(xr(0)->message, "element 4 of 4 (a mark 1) did not happen after element 3 "
		      "(a mark 1) at seq 2, clock 30; it happened only before, first at seq 0"));
	CU_ASSERT_EQUAL(xr(0)->ev_seq, 2);
	/* reversed: the ack only came before the second mark... and after; the earliest
	 * subsequence still matches since a later ack exists */
	P[0][0] = pat(1, EV_IRQ_ACK, true, 36, NULL);
	P[0][1] = pat(0, EV_MARK, true, 1, NULL);
	X[0].n_events = 2;
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_PASS);
	CU_ASSERT_EQUAL(xr(0)->ev_seq, 2);
	/* b irq 36 < b irq 36 < b irq 36: only two */
	P[0][0] = P[0][1] = P[0][2] = pat(1, EV_IRQ_ACK, true, 36, NULL);
	X[0].n_events = 3;
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_FAIL);
	CU_ASSERT(has(xr(0)->message, "element 3 of 3 (b irq 36) did not happen after element 2"));
	/* an element that never happened at all */
	P[0][0] = pat(0, EV_MARK, true, 2, NULL);
	X[0].n_events = 1;
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_FAIL);
	CU_ASSERT(has(xr(0)->message, "element 1 of 1 (a mark 2) never happened"));
	CU_ASSERT_EQUAL(xr(0)->ev_seq, -1);
	/* wrong VM */
	P[0][0] = pat(1, EV_MARK, true, 1, NULL);
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_FAIL);
	P[0][0] = pat(0, EV_MARK, false, 0, NULL);   /* any mark */
	P[0][1] = pat(0, EV_MARK, false, 0, NULL);
	P[0][2] = pat(1, EV_IRQ_ACK, false, 0, NULL);
	X[0].n_events = 3;
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_PASS);
	CU_ASSERT_STRING_EQUAL(xr(0)->what, "order: a mark < a mark < b irq");
	CU_ASSERT_EQUAL(xr(0)->ev_seq, 3);
	teardown();
}

/* ---- never ---- */

static void test_never(void)
{
	setup(2);
	ev_add(1, EV_IRQ_ACK, 10, 37);
	uint64_t s = ev_add(1, EV_IRQ_ACK, 25, 36);
	ev_add(1, EV_IRQ_ACK, 30, 36);
	P[0][0] = pat(1, EV_IRQ_ACK, true, 36, NULL);
	X[0] = (struct sc_expect){ .kind = EXP_NEVER, .n_events = 1 };
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_FAIL);
	CU_ASSERT_STRING_EQUAL(xr(0)->what, "never: b irq 36");
	CU_ASSERT(has(xr(0)->message, "b irq 36 happened at seq 1, clock 25, pc 0x40000064"));
	CU_ASSERT_EQUAL(xr(0)->ev_seq, (int64_t)s);
	P[0][0] = pat(1, EV_IRQ_ACK, true, 38, NULL);
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_PASS);
	CU_ASSERT_EQUAL(xr(0)->ev_seq, -1);
	P[0][0] = pat(0, EV_IRQ_ACK, false, 0, NULL);   /* any irq of a: none */
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_PASS);
	P[0][0] = pat(1, EV_IRQ_ACK, false, 0, NULL);   /* any irq of b: the first */
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_FAIL);
	CU_ASSERT_EQUAL(xr(0)->ev_seq, 0);
	CU_ASSERT(has(xr(0)->message, "seq 0, clock 10"));
	teardown();
}

/* ---- latency ---- */

static void test_latency(void)
{
	setup(2);
	ev_add(1, EV_IRQ_ACK, 50, 36);              /* before any mark: ignored */
	uint64_t m1 = ev_add(0, EV_MARK, 100, 1);
	ev_add(0, EV_MARK, 900, 1);                  /* a later E1 does not restart */
	uint64_t a1 = ev_add(1, EV_IRQ_ACK, 1000, 36);
	ev_add(1, EV_IRQ_ACK, 5000, 36);
	P[0][0] = pat(0, EV_MARK, true, 1, NULL);
	P[0][1] = pat(1, EV_IRQ_ACK, true, 36, NULL);
	X[0] = (struct sc_expect){ .kind = EXP_LATENCY, .n_events = 2, .max = 900 };
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_PASS);
	CU_ASSERT_STRING_EQUAL(xr(0)->what, "latency: a mark 1 -> b irq 36 <= 900");
	CU_ASSERT_EQUAL(xr(0)->ev_seq, (int64_t)a1);
	X[0].max = 899;
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_FAIL);
	CU_ASSERT(has(xr(0)->message, "expected at most 899, measured 900 (from seq 1, clock 100 "
		      "to seq 3, clock 1000)"));
	CU_ASSERT_EQUAL(xr(0)->ev_seq, (int64_t)a1);
	P[0][0] = pat(0, EV_MARK, true, 2, NULL);
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_FAIL);
	CU_ASSERT(has(xr(0)->message, "the start event (a mark 2) never happened"));
	CU_ASSERT_EQUAL(xr(0)->ev_seq, -1);
	P[0][0] = pat(0, EV_MARK, true, 1, NULL);
	P[0][1] = pat(1, EV_IRQ_ACK, true, 40, NULL);
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_FAIL);
	CU_ASSERT(has(xr(0)->message, "the end event (b irq 40) never happened after the start at "
		      "seq 1, clock 100"));
	CU_ASSERT_EQUAL(xr(0)->ev_seq, (int64_t)m1);
	/* E2 only before E1 */
	P[0][0] = pat(1, EV_IRQ_ACK, true, 36, NULL);
	P[0][1] = pat(0, EV_MARK, true, 1, NULL);
	X[0].max = 50;
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_PASS);          /* 100 - 50 */
	teardown();
}

/* ---- host status and pattern kinds ---- */

static void test_host_status(void)
{
	setup(1);
	uint64_t h = ev_attach(EV_HOST, EV_ATTACH, 2, "moo", 3, "h");
	ev_attach(0, EV_ATTACH, 4, "moo", 0, "h");     /* a VM's attach: not the host's */
	ev_attach(EV_HOST, EV_ATTACH, 3, "moo", 0, "g");
	X[0] = (struct sc_expect){ .kind = EXP_HOST_STATUS, .text = "h", .status = 3 };
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_PASS);
	CU_ASSERT_STRING_EQUAL(xr(0)->what, "host \"h\" attach status GSS_CLIENT_MAX");
	CU_ASSERT_EQUAL(xr(0)->ev_seq, (int64_t)h);
	X[0].status = 0;
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_FAIL);
	CU_ASSERT(has(xr(0)->message, "expected GSS_OK, got GSS_CLIENT_MAX (region \"moo\", seq 0, clock 2)"));
	X[0].text = "k";
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_FAIL);
	CU_ASSERT(has(xr(0)->message, "expected GSS_OK, but the host connection \"k\" never attached"));
	CU_ASSERT_EQUAL(xr(0)->ev_seq, -1);
	teardown();
}

static void test_pattern_kinds(void)
{
	setup(1);
	struct ev e;
	memset(&e, 0, sizeof(e));
	struct sc_evpat p = pat(EV_HOST, EV_ATTACH, false, 0, "moo");
	e.vm = EV_HOST;
	e.kind = EV_ATTACH;
	e.region = "moo";
	CU_ASSERT_TRUE(expect_ev_match(&p, &e));
	e.status = 5;                                /* failed attach */
	CU_ASSERT_FALSE(expect_ev_match(&p, &e));
	e.status = 0;
	e.region = "cow";
	CU_ASSERT_FALSE(expect_ev_match(&p, &e));
	p.str = NULL;                                /* any region */
	CU_ASSERT_TRUE(expect_ev_match(&p, &e));
	e.vm = 0;
	CU_ASSERT_FALSE(expect_ev_match(&p, &e));
	e.kind = EV_DETACH;
	p = pat(0, EV_DETACH, false, 0, "cow");
	CU_ASSERT_TRUE(expect_ev_match(&p, &e));
	e.region = NULL;
	CU_ASSERT_FALSE(expect_ev_match(&p, &e));

	memset(&e, 0, sizeof(e));
	e.kind = EV_FAULT;
	snprintf(e.fault_kind, sizeof(e.fault_kind), "limit");
	p = pat(0, EV_FAULT, false, 0, "limit");
	CU_ASSERT_TRUE(expect_ev_match(&p, &e));
	p.str = "lim";
	CU_ASSERT_FALSE(expect_ev_match(&p, &e));

	memset(&e, 0, sizeof(e));
	e.kind = EV_NOTIFY;
	e.mask = 0xffff;
	e.code = 1;
	p = pat(0, EV_NOTIFY, true, 0xffff, NULL);
	CU_ASSERT_TRUE(expect_ev_match(&p, &e));
	p.value = 1;
	CU_ASSERT_FALSE(expect_ev_match(&p, &e));

	memset(&e, 0, sizeof(e));
	e.kind = EV_EXIT;
	e.code = -1;
	p = pat(0, EV_EXIT, true, -1, NULL);
	CU_ASSERT_TRUE(expect_ev_match(&p, &e));
	p.value = 255;
	CU_ASSERT_FALSE(expect_ev_match(&p, &e));
	p.kind = EV_MARK;                            /* kind must agree */
	p.value = -1;
	CU_ASSERT_FALSE(expect_ev_match(&p, &e));

	/* patterns in words */
	ev_attach(EV_HOST, EV_ATTACH, 1, "moo", 0, "h");
	ev_add(0, EV_NOTIFY, 2, 0xffff);
	ev_fault(0, 3, "deadlock");
	P[0][0] = pat(EV_HOST, EV_ATTACH, false, 0, "moo");
	P[0][1] = pat(0, EV_NOTIFY, true, 0xffff, NULL);
	P[0][2] = pat(0, EV_FAULT, false, 0, "deadlock");
	X[0] = (struct sc_expect){ .kind = EXP_ORDER, .n_events = 3 };
	run(1);
	CU_ASSERT_STRING_EQUAL(xr(0)->what,
		"order: host attach \"moo\" < a notify 0xffff < a fault deadlock");
	CU_ASSERT_TRUE(xr(0)->pass);
	teardown();
}

/* ---- robustness and the reason ---- */

static void test_robust(void)
{
	setup(1);
	/* NULL log, NULL scenario pieces, odd indices */
	CU_ASSERT_EQUAL(expect_check(&S, NULL, NULL, &R), 0);
	CU_ASSERT_EQUAL(R.status, SC_PASS);
	clear_result();
	CU_ASSERT_EQUAL(expect_check(NULL, NULL, NULL, &R), 0);
	CU_ASSERT_EQUAL(R.n_exps, 1);                /* the default of the result's VM */
	clear_result();
	CU_ASSERT_EQUAL(expect_check(&S, &L, NULL, NULL), -1);

	X[0] = (struct sc_expect){ .kind = EXP_CONSOLE, .vm = 5, .text = "x" };
	X[1] = (struct sc_expect){ .kind = EXP_NEVER, .n_events = 0 };
	X[2] = (struct sc_expect){ .kind = EXP_LATENCY, .n_events = 1 };
	X[3] = (struct sc_expect){ .kind = EXP_ORDER, .n_events = 0 };
	X[4] = (struct sc_expect){ .kind = EXP_REGION, .text = NULL, .has_exists = true };
	X[5] = (struct sc_expect){ .kind = EXP_HOST_STATUS, .text = NULL, .status = 99 };
	X[6] = (struct sc_expect){ .kind = (enum sc_expect_kind)77 };
	X[7] = (struct sc_expect){ .kind = EXP_IRQS, .vm = 0, .intid = 40 };
	CU_ASSERT_EQUAL(run(8), 0);
	CU_ASSERT_EQUAL(R.status, SC_FAIL);
	CU_ASSERT_EQUAL(R.n_exps, 9);
	CU_ASSERT(has(xr(0)->message, "no VM with index 5"));
	CU_ASSERT_FALSE(xr(1)->pass);
	CU_ASSERT_FALSE(xr(2)->pass);
	CU_ASSERT_TRUE(xr(3)->pass);                 /* an empty order holds */
	CU_ASSERT_FALSE(xr(4)->pass);
	CU_ASSERT(has(xr(5)->what, "status 99"));
	CU_ASSERT(has(xr(6)->message, "unknown expectation kind"));
	CU_ASSERT(has(xr(7)->what, "at least 1 time"));  /* no bound: at least once */
	CU_ASSERT_FALSE(xr(7)->pass);
	for (int i = 0; i < R.n_exps; i++) {
		CU_ASSERT_PTR_NOT_NULL(R.exps[i].what);
		CU_ASSERT(R.exps[i].pass || R.exps[i].message);
	}
	CU_ASSERT(has(R.reason, "vm vm#5 (unknown VM): no VM with index 5"));
	teardown();
}

static void test_reason_first_failure(void)
{
	setup(2);
	VR[1].console = "nothing";
	VR[1].exited = false;
	VR[1].faulted = true;
	snprintf(VR[1].fault_kind, sizeof(VR[1].fault_kind), "fetch-device");
	X[0] = (struct sc_expect){ .kind = EXP_CONSOLE, .vm = 1, .text = "ok", .where = "expect[0]" };
	run(1);
	CU_ASSERT_EQUAL(R.status, SC_FAIL);
	CU_ASSERT_EQUAL(R.n_exps, 3);
	CU_ASSERT_STRING_EQUAL(R.exps[0].where, "default");
	CU_ASSERT_STRING_EQUAL(R.exps[2].where, "expect[0]");
	/* the fault (a default) is the reason, not the console text it caused */
	CU_ASSERT(has(R.reason, "vm b exits 0 without fault or FAIL: expected exit 0 without fault "
		      "or FAIL, got fault fetch-device"));
	CU_ASSERT_FALSE(R.exps[2].pass);
	teardown();
}

/* The events of the kept-log test: every kind an expectation may read,
 * between others (mmio, switches, console lines) that it does not. */
static void mixed_events(void)
{
	for (int i = 0; i < 30; i++) {
		ev_add(i % 2, EV_MMIO, (uint64_t)(10 * i), i);
		ev_add(i % 2, i % 3 ? EV_MARK : EV_IRQ_ACK, (uint64_t)(10 * i + 1), i % 5);
		ev_attach(i % 2, EV_CONSOLE, (uint64_t)(10 * i + 2), NULL, 0, i % 7 ? "x" : "hi there");
		ev_add(i % 2, EV_SWITCH, (uint64_t)(10 * i + 3), 0);
	}
	ev_attach(0, EV_ATTACH, 400, "r", 0, NULL);
	ev_fault(1, 401, "limit");
}

/* Expectations read the same from a log that kept only expect_kinds' records
 * as from the whole log: same verdicts, messages and cited events. */
static void test_kept_log_same_verdicts(void)
{
	setup(2);
	VR[0].console = "hi there";
	VR[1].exited = false;
	VR[1].faulted = true;
	snprintf(VR[1].fault_kind, sizeof(VR[1].fault_kind), "limit");
	P[0][0] = pat(0, EV_MARK, true, 4, NULL);
	P[0][1] = pat(1, EV_IRQ_ACK, true, 3, NULL);
	P[0][2] = pat(0, EV_ATTACH, false, 0, "r");
	X[0] = (struct sc_expect){ .kind = EXP_ORDER, .events = P[0], .n_events = 3 };
	P[1][0] = pat(1, EV_MARK, true, 2, NULL);
	X[1] = (struct sc_expect){ .kind = EXP_NEVER, .events = P[1], .n_events = 1 };
	X[2] = (struct sc_expect){ .kind = EXP_CONSOLE, .vm = 0, .text = "hi" };
	X[3] = (struct sc_expect){ .kind = EXP_IRQS, .vm = 1, .intid = 3, .has_count = true, .count = 9 };
	X[4] = (struct sc_expect){ .kind = EXP_FAULT, .vm = 1, .text = "limit" };
	S.n_expect = 5;
	uint32_t kinds = expect_kinds(&S);
	CU_ASSERT_EQUAL(kinds & (1u << EV_MMIO | 1u << EV_SWITCH), 0);
	CU_ASSERT_NOT_EQUAL(kinds & 1u << EV_CONSOLE, 0);
	mixed_events();
	run(5);
	struct exp_result whole[6];
	int n = R.n_exps;
	CU_ASSERT_EQUAL_FATAL(n, 6);              /* vm a's default check, then the five */
	for (int i = 0; i < n; i++) {
		whole[i] = R.exps[i];
		whole[i].what = strdup(R.exps[i].what);
		whole[i].message = R.exps[i].message ? strdup(R.exps[i].message) : NULL;
	}
	CU_ASSERT_EQUAL(R.status, SC_FAIL);       /* irqs and never fail: their messages cite */
	evlog_free(&L);
	evlog_init(&L);
	CU_ASSERT_EQUAL_FATAL(evlog_keep(&L, kinds, 0, 0), 0);
	mixed_events();
	CU_ASSERT_FALSE(evlog_has(&L, 0));        /* the first mmio: not kept */
	run(5);
	CU_ASSERT_EQUAL_FATAL(R.n_exps, n);
	for (int i = 0; i < n; i++) {
		CU_ASSERT_EQUAL(R.exps[i].pass, whole[i].pass);
		CU_ASSERT_EQUAL(R.exps[i].ev_seq, whole[i].ev_seq);
		CU_ASSERT_STRING_EQUAL(R.exps[i].what, whole[i].what);
		CU_ASSERT((!whole[i].message && !R.exps[i].message) ||
			  (whole[i].message && R.exps[i].message &&
			   !strcmp(whole[i].message, R.exps[i].message)));
		free(whole[i].what);
		free(whole[i].message);
	}
	teardown();
}

static CU_TestInfo expect_tests[] = {
	{"defaults pass", test_defaults_pass},
	{"a log kept for the expectations reads like the whole log", test_kept_log_same_verdicts},
	{"defaults: exit code", test_defaults_exit_code},
	{"defaults: fault", test_defaults_fault},
	{"defaults: FAIL records", test_defaults_fails},
	{"defaults: not stopped, no state", test_defaults_not_stopped},
	{"defaults replaced by exit/fails", test_defaults_replaced},
	{"exit", test_exit},
	{"fault kind and addr", test_fault},
	{"console substring", test_console_substring},
	{"console tail", test_console_tail},
	{"console regex", test_console_regex},
	{"fails exact list", test_fails},
	{"irqs count/min/max", test_irqs},
	{"region without shmem system", test_region_no_shm},
	{"order: earliest subsequence", test_order},
	{"never", test_never},
	{"latency from the first E1", test_latency},
	{"host status", test_host_status},
	{"pattern kinds", test_pattern_kinds},
	{"robust on odd input", test_robust},
	{"reason is the first failure", test_reason_first_failure},
	CU_TEST_INFO_NULL,
};

UNIT_SUITE("expect", expect_tests);
