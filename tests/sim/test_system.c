/* test_system.c - the machine floor on its own: a struct machine written by
 * hand (no scenario file, no conformance/), built, run, and read back through
 * sim's own records. Uses build/guests/hello.elf from `make all`. */
#include <stdlib.h>
#include <string.h>
#include "tests/unit.h"
#include "sim/system.h"
#include "sim/vm.h"

static struct mach_arg ARGS[] = { { .num = 5 } };

static void two_hellos(struct machine *m, struct mach_vm vms[2])
{
	memset(m, 0, sizeof(*m));
	memset(vms, 0, 2 * sizeof(*vms));
	profile_default(&m->profile);
	m->irq_check = MACH_DEFAULT_IRQ_CHECK;
	m->limit_instructions = MACH_DEFAULT_LIMIT;
	vms[0] = (struct mach_vm){ .name = "a", .program = "hello",
				   .program_path = "build/guests/hello.elf",
				   .args = ARGS, .n_args = 1, .ram = MACH_DEFAULT_RAM };
	vms[1] = (struct mach_vm){ .name = "b", .program = "hello",
				   .program_path = "build/guests/hello.elf",
				   .ram = MACH_DEFAULT_RAM };
	m->vms = vms;
	m->n_vms = 2;
}

static const struct schedule RR = { .policy = SCHED_RR, .quantum = 1000 };

static size_t count_kind(const struct evlog *log, enum ev_kind k, int vm)
{
	size_t n = 0;
	for (size_t i = 0; i < log->n; i++)
		n += evlog_kind(log, i) == k && evlog_vm(log, i) == vm;
	return n;
}

static void test_machine_runs_without_a_scenario(void)
{
	struct machine m;
	struct mach_vm vms[2];
	char err[256] = "";
	two_hellos(&m, vms);
	struct system *s = system_new(&m, &RR, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	system_run(s);
	CU_ASSERT_TRUE(system_done(s));

	struct vm_outcome a, b;
	system_vm_outcome(s, 0, &a);
	system_vm_outcome(s, 1, &b);
	CU_ASSERT_TRUE(a.exited);
	CU_ASSERT_EQUAL(a.exit_code, 0);
	CU_ASSERT_PTR_NULL(a.fault);
	CU_ASSERT_EQUAL(a.n_fails, 0);
	CU_ASSERT_STRING_EQUAL(a.console, "hello from vm 0 of 2\nargc=1 arg[0]=0x5\n");
	CU_ASSERT_STRING_EQUAL(b.console, "hello from vm 1 of 2\nargc=0\n");
	CU_ASSERT_TRUE(a.icount > 0 && b.icount > 0);
	/* One clock: the sum of every VM's retired instructions. */
	CU_ASSERT_EQUAL(system_clock(s), a.icount + b.icount);

	const struct evlog *log = system_log(s);
	CU_ASSERT_EQUAL(count_kind(log, EV_EXIT, 0), 1);
	CU_ASSERT_EQUAL(count_kind(log, EV_EXIT, 1), 1);
	CU_ASSERT_EQUAL(count_kind(log, EV_CONSOLE, 0), 2);
	struct ev prev, cur;
	for (size_t i = 1; i < log->n; i++) {
		evlog_get(log, i - 1, &prev);
		evlog_get(log, i, &cur);
		CU_ASSERT_TRUE(cur.seq > prev.seq && cur.clock >= prev.clock);
	}
	char *text = system_schedule_text(s);
	CU_ASSERT_STRING_EQUAL(text, "rr,q=1000");
	free(text);
	system_free(s);
}

static void test_machine_runs_are_deterministic(void)
{
	struct machine m;
	struct mach_vm vms[2];
	char err[256];
	struct schedule rnd = { .policy = SCHED_RANDOM, .seed = 7, .quantum = 300 };
	two_hellos(&m, vms);
	struct system *s1 = system_new(&m, &rnd, err, sizeof(err));
	struct system *s2 = system_new(&m, &rnd, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(s1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s2);
	system_run(s1);
	system_run(s2);
	const struct evlog *l1 = system_log(s1), *l2 = system_log(s2);
	CU_ASSERT_EQUAL_FATAL(l1->n, l2->n);
	struct ev a, b;
	for (size_t i = 0; i < l1->n; i++) {
		evlog_get(l1, i, &a);
		evlog_get(l2, i, &b);
		CU_ASSERT_EQUAL(a.kind, b.kind);
		CU_ASSERT_EQUAL(a.clock, b.clock);
		CU_ASSERT_EQUAL(a.vm, b.vm);
	}
	CU_ASSERT_EQUAL(system_clock(s1), system_clock(s2));
	system_free(s1);
	system_free(s2);
}

static void test_machine_bad_program_is_an_error(void)
{
	struct machine m;
	struct mach_vm vms[2];
	char err[256] = "";
	two_hellos(&m, vms);
	vms[1].program_path = "/tmp/hvsim-test-system-no-such.elf";
	CU_ASSERT_PTR_NULL(system_new(&m, &RR, err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "/tmp/hvsim-test-system-no-such.elf"));
}

/* A host step fires at its instruction count and its events are the host's. */
static void test_machine_host_step(void)
{
	struct machine m;
	struct mach_vm vms[2];
	char err[256] = "";
	two_hellos(&m, vms);
	struct host_step step = { .trig = TRIG_START, .op = HOST_ATTACH, .id = "h",
				  .name = "region", .pages = 1 };
	m.host = &step;
	m.n_host = 1;
	struct system *s = system_new(&m, &RR, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	system_run(s);
	const struct evlog *log = system_log(s);
	CU_ASSERT_EQUAL(count_kind(log, EV_ATTACH, EV_HOST), 1);
	CU_ASSERT_TRUE(log->n > 0 && evlog_kind(log, 0) == EV_ATTACH && evlog_vm(log, 0) == EV_HOST);
	system_free(s);
}

static CU_TestInfo system_tests[] = {
	{ "a hand-written machine runs without a scenario", test_machine_runs_without_a_scenario },
	{ "same machine and schedule, same log", test_machine_runs_are_deterministic },
	{ "a program that cannot be loaded is an error", test_machine_bad_program_is_an_error },
	{ "host steps of the description fire", test_machine_host_step },
	CU_TEST_INFO_NULL,
};

UNIT_SUITE("system", system_tests);
