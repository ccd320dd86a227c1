/* test_replay.c - reverse execution (sim/replay.c): going back by replaying
 * the history lands exactly where a forward run to that point stands, a run
 * continued after going back ends exactly as a plain run, and reverse
 * continue finds the last breakpoint hit. Two count VMs (yields, quanta)
 * from build/guests/count.elf. */
#include <stdlib.h>
#include <string.h>
#include "tests/unit.h"
#include "sim/replay.h"
#include "sim/system.h"
#include "sim/vm.h"

static struct mach_arg N[] = { { .num = 200 } };

static void two_counts(struct machine *m, struct mach_vm vms[2])
{
	memset(m, 0, sizeof(*m));
	memset(vms, 0, 2 * sizeof(*vms));
	profile_default(&m->profile);
	m->irq_check = MACH_DEFAULT_IRQ_CHECK;
	m->limit_instructions = MACH_DEFAULT_LIMIT;
	for (int i = 0; i < 2; i++)
		vms[i] = (struct mach_vm){ .name = i ? "b" : "a", .program = "count",
					   .program_path = "build/guests/count.elf",
					   .args = N, .n_args = 1, .ram = MACH_DEFAULT_RAM };
	m->vms = vms;
	m->n_vms = 2;
}

static const struct schedule RR = { .policy = SCHED_RR, .quantum = 300 };

static struct system *debugged(const struct machine *m)
{
	char err[256];
	struct system *s = system_new(m, &RR, err, sizeof(err));
	if (s && system_debug(s, 0)) {
		system_free(s);
		return NULL;
	}
	return s;
}

/* n instructions of VM vm, one at a time, the others running as scheduled. */
static void steps(struct system *s, int vm, int n)
{
	system_debug_step_vm(s, vm);
	system_debug_step(s, true);
	for (int i = 0; i < n && !system_done(s); i++)
		system_resume(s);
	system_debug_step(s, false);
}

/* Every VM's registers and the event log equal. */
static bool same_state(struct system *x, struct system *y)
{
	for (int i = 0; i < system_n_vms(x); i++) {
		struct vm *a = system_vm(x, i), *b = system_vm(y, i);
		if (vm_icount(a) != vm_icount(b))
			return false;
		for (unsigned r = 0; r < 34; r++)
			if (vm_reg(a, r) != vm_reg(b, r))
				return false;
	}
	const struct evlog *la = system_log(x), *lb = system_log(y);
	if (la->n != lb->n)
		return false;
	struct ev ea, eb;
	for (size_t i = 0; i < la->n; i++) {
		evlog_get(la, i, &ea);
		evlog_get(lb, i, &eb);
		if (ea.kind != eb.kind || ea.clock != eb.clock || ea.vm != eb.vm || ea.pc != eb.pc)
			return false;
	}
	return system_clock(x) == system_clock(y);
}

static void test_step_back_lands_where_forward_stands(void)
{
	struct machine m;
	struct mach_vm vms[2];
	two_counts(&m, vms);
	struct system *s = debugged(&m), *ref = debugged(&m);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ref);
	/* 700 steps of a cross quantum ends: b runs in between */
	steps(s, 0, 700);
	steps(ref, 0, 699);
	uint64_t ic = vm_icount(system_vm(s, 0));
	CU_ASSERT_EQUAL(ic, 700);
	CU_ASSERT_TRUE(vm_icount(system_vm(s, 1)) > 0);
	struct replay_stop r;
	char err[160] = "";
	CU_ASSERT_EQUAL_FATAL(replay_step_back(&s, 0, &r, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(r.what, REPLAY_STEP);
	CU_ASSERT_EQUAL(vm_icount(system_vm(s, 0)), ic - 1);
	CU_ASSERT_TRUE(same_state(s, ref));
	/* and again, twice */
	CU_ASSERT_EQUAL_FATAL(replay_step_back(&s, 0, &r, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(replay_step_back(&s, 0, &r, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(vm_icount(system_vm(s, 0)), ic - 3);
	system_free(ref);
	system_free(s);
}

static void test_after_going_back_the_run_ends_as_a_plain_run(void)
{
	struct machine m;
	struct mach_vm vms[2];
	two_counts(&m, vms);
	char err[256];
	struct system *plain = system_new(&m, &RR, err, sizeof(err));
	struct system *s = debugged(&m);
	CU_ASSERT_PTR_NOT_NULL_FATAL(plain);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	system_run(plain);
	steps(s, 1, 450);
	struct replay_stop r;
	CU_ASSERT_EQUAL_FATAL(replay_step_back(&s, 1, &r, err, sizeof(err)), 0);
	steps(s, 0, 3);
	CU_ASSERT_EQUAL_FATAL(replay_step_back(&s, 0, &r, err, sizeof(err)), 0);
	while (system_resume(s) != SYS_DONE)
		;
	CU_ASSERT_TRUE(same_state(s, plain));
	struct vm_outcome o;
	system_vm_outcome(s, 1, &o);
	CU_ASSERT_STRING_EQUAL(o.console, "count vm1 1/4 sum=1275\ncount vm1 2/4 sum=5050\n"
			       "count vm1 3/4 sum=11325\ncount vm1 4/4 sum=20100\n"
			       "count vm1 done sum=20100\n");
	system_free(plain);
	system_free(s);
}

static void test_continue_back_finds_the_last_breakpoint_hit(void)
{
	struct machine m;
	struct mach_vm vms[2];
	two_counts(&m, vms);
	struct system *s = debugged(&m);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	uint64_t yield;
	CU_ASSERT_EQUAL_FATAL(elf_lookup(vm_image(system_vm(s, 0)), "hv_yield", &yield), 0);
	CU_ASSERT_EQUAL(vm_break_add(system_vm(s, 0), yield), 0);
	uint64_t at[3];
	for (int i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL(system_resume(s), SYS_PAUSED);
		CU_ASSERT_EQUAL(vm_pc(system_vm(s, 0)), yield);
		at[i] = system_clock(s);
	}
	steps(s, 0, 5);                       /* past the third hit */
	struct replay_stop r;
	char err[160] = "";
	CU_ASSERT_EQUAL_FATAL(replay_continue_back(&s, &r, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(r.what, REPLAY_BREAK);
	CU_ASSERT_EQUAL(vm_pc(system_vm(s, 0)), yield);
	CU_ASSERT_EQUAL(system_clock(s), at[2]);
	CU_ASSERT_EQUAL_FATAL(replay_continue_back(&s, &r, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(system_clock(s), at[1]);
	CU_ASSERT_EQUAL_FATAL(replay_continue_back(&s, &r, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(system_clock(s), at[0]);
	CU_ASSERT_EQUAL_FATAL(replay_continue_back(&s, &r, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(r.what, REPLAY_BEGIN);
	CU_ASSERT_EQUAL(system_clock(s), 0);
	/* forward again: the first hit, where it was */
	CU_ASSERT_EQUAL(system_resume(s), SYS_PAUSED);
	CU_ASSERT_EQUAL(system_clock(s), at[0]);
	system_free(s);
}

static CU_TestInfo replay_tests[] = {
	{ "reverse step lands where a forward run to there stands", test_step_back_lands_where_forward_stands },
	{ "after going back, the run ends as a plain run", test_after_going_back_the_run_ends_as_a_plain_run },
	{ "reverse continue finds the last breakpoint hit, then the start", test_continue_back_finds_the_last_breakpoint_hit },
	CU_TEST_INFO_NULL,
};

UNIT_SUITE("replay", replay_tests);
