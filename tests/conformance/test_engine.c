/* test_engine.c - whole runs through the engine: determinism (same scenario
 * and schedule, same log byte for byte), replay, seeds, and error results.
 * Uses the guests built by `make all` and scenario files in the suite. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <CUnit/CUnit.h>
#include "tests/unit.h"
#include "conformance/engine.h"
#include "conformance/explore.h"
#include "sim/gic.h"
#include "sim/snapshot.h"
#include "sim/system.h"
#include "sim/vm.h"

struct run { char *log; size_t len; struct sc_result r; };

static void run_file(const char *path, const char *schedule, const struct sc_overrides *ov,
		     struct run *out)
{
	struct engine_opts o = { .schedule = schedule, .argv0 = "hvsim" };
	if (ov)
		o.ov = *ov;
	o.ov.guest_dir = "build/guests";
	memset(out, 0, sizeof(*out));
	o.trace = open_memstream(&out->log, &out->len);
	engine_run_file(path, &o, &out->r);
	fclose(o.trace);
}

static void run_free(struct run *x)
{
	free(x->log);
	result_free(&x->r);
}

static void test_same_scenario_same_log(void)
{
	struct run a, b;
	run_file("scenarios/sched/eight-vms.json", NULL, NULL, &a);
	run_file("scenarios/sched/eight-vms.json", NULL, NULL, &b);
	CU_ASSERT_EQUAL(a.r.status, SC_PASS);
	CU_ASSERT(a.len > 10000);
	CU_ASSERT_EQUAL(a.len, b.len);
	CU_ASSERT(a.len == b.len && memcmp(a.log, b.log, a.len) == 0);
	run_free(&a);
	run_free(&b);
}

static void test_replay_reproduces_random_run(void)
{
	struct run a, b;
	run_file("scenarios/sched/random-seeds.json", NULL, NULL, &a);
	CU_ASSERT_EQUAL(a.r.status, SC_PASS);
	CU_ASSERT_STRING_EQUAL(a.r.schedule, "random,seed=7,q=3000");
	run_file("scenarios/sched/random-seeds.json", a.r.schedule, NULL, &b);
	CU_ASSERT(a.len == b.len && memcmp(a.log, b.log, a.len) == 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(a.r.replay, "replay scenarios/sched/random-seeds.json --schedule 'random,seed=7,q=3000'"));
	run_free(&a);
	run_free(&b);
}

static void test_other_seed_other_interleaving(void)
{
	struct run a, b, c;
	struct sc_overrides ov = { .has_seed = true, .seed = 8 };
	run_file("scenarios/sched/random-seeds.json", NULL, NULL, &a);
	run_file("scenarios/sched/random-seeds.json", NULL, &ov, &b);
	run_file("scenarios/sched/random-seeds.json", NULL, &ov, &c);
	CU_ASSERT_STRING_EQUAL(b.r.schedule, "random,seed=8,q=3000");
	CU_ASSERT(a.len != b.len || memcmp(a.log, b.log, a.len) != 0);
	CU_ASSERT(b.len == c.len && memcmp(b.log, c.log, b.len) == 0);
	run_free(&a);
	run_free(&b);
	run_free(&c);
}

static void test_forced_choice_departs(void)
{
	struct run a, b;
	run_file("scenarios/sched/random-seeds.json", "rr,q=3000", NULL, &a);
	run_file("scenarios/sched/random-seeds.json", "rr,q=3000,@3=b", NULL, &b);
	/* Point 3 is c's first quantum end: round-robin goes to a, forced to b. */
	CU_ASSERT_PTR_NOT_NULL(strstr(a.log, "\"vm\":\"c\",\"icount\":3000,"));
	const char *sw = strstr(b.log, "\"kind\":\"switch\",\"to\":\"b\",\"reason\":\"quantum\"");
	CU_ASSERT_PTR_NOT_NULL(sw);
	CU_ASSERT_PTR_NULL(strstr(a.log, "\"kind\":\"switch\",\"to\":\"b\",\"reason\":\"quantum\""));
	run_free(&a);
	run_free(&b);
}

static void test_faults_reported_others_finish(void)
{
	struct run a;
	run_file("scenarios/faults/faults-isolated.json", NULL, NULL, &a);
	CU_ASSERT_EQUAL(a.r.status, SC_PASS);
	CU_ASSERT_EQUAL(a.r.n_vms, 8);
	int faulted = 0;
	for (int i = 0; i < a.r.n_vms; i++)
		faulted += a.r.vms[i].faulted;
	CU_ASSERT_EQUAL(faulted, 7);
	CU_ASSERT_TRUE(a.r.vms[7].exited);
	CU_ASSERT_STRING_EQUAL(a.r.vms[0].fault_kind, "read-unmapped");
	CU_ASSERT_EQUAL(a.r.vms[0].fault_addr, 0x20000000);
	CU_ASSERT_PTR_NOT_NULL(strstr(a.r.vms[0].fault_insn, "ldr"));
	run_free(&a);
}

static void test_errors_are_results(void)
{
	struct run a, b;
	run_file("tests/no-such-file.json", NULL, NULL, &a);
	CU_ASSERT_EQUAL(a.r.status, SC_ERROR);
	CU_ASSERT_PTR_NOT_NULL(a.r.reason && strstr(a.r.reason, "tests/no-such-file.json"));
	run_file("scenarios/sched/random-seeds.json", "rr,q=0", NULL, &b);
	CU_ASSERT_EQUAL(b.r.status, SC_ERROR);
	CU_ASSERT_PTR_NOT_NULL(b.r.reason && strstr(b.r.reason, "bad quantum"));
	run_free(&a);
	run_free(&b);
}

static void test_exact_clock(void)
{
	struct run a;
	run_file("scenarios/platform/clock-exact.json", NULL, NULL, &a);
	CU_ASSERT_EQUAL(a.r.status, SC_PASS);
	CU_ASSERT_PTR_NOT_NULL(strstr(a.r.vms[0].console, "asm diff=101 (expect 101)"));
	run_free(&a);
}

/* Cold re-execution, warm re-execution, fork, fork with two at once, two
 * and three warm workers, snapshots in one process and in two and three
 * workers (claiming whole groups): the same schedules, and every
 * schedule's run the same event for event. */
#define N_MODES 9
static const struct explore_cfg MODES[N_MODES] = {
	{ .reexec = true, .cold = true, .hash_log = true }, { .hash_log = true },
	{ .fork = true, .jobs = 1, .hash_log = true }, { .fork = true, .jobs = 2, .hash_log = true },
	{ .jobs = 2, .hash_log = true }, { .jobs = 3, .hash_log = true },
	{ .reexec = true, .snapshots = true, .hash_log = true },
	{ .jobs = 2, .snapshots = true, .hash_log = true },
	{ .jobs = 3, .snapshots = true, .hash_log = true } };

static void test_explore_modes_visit_the_same_schedules(void)
{
	struct engine_opts o = { .argv0 = "hvsim" };
	struct sc_result r;
	struct explore_stats st[N_MODES];
	o.ov.guest_dir = "build/guests";
	for (int m = 0; m < N_MODES; m++) {
		CU_ASSERT_EQUAL(explore_file("scenarios/races/create-race-sizes.json", &o, &MODES[m],
					     &r, &st[m]), 0);
		CU_ASSERT_EQUAL(r.status, SC_PASS);
		CU_ASSERT_TRUE(st[m].exhausted);
		CU_ASSERT_EQUAL(st[m].runs, 365);
		result_free(&r);
	}
	for (int m = 1; m < N_MODES; m++) {
		CU_ASSERT_EQUAL(st[0].digest, st[m].digest);
		CU_ASSERT_EQUAL(st[0].outcomes, st[m].outcomes);
		CU_ASSERT_EQUAL(st[0].base_points, st[m].base_points);
	}
	CU_ASSERT_NOT_EQUAL(st[0].outcomes, 0);

	/* A broken lock: the same shortest failing schedule in every mode. */
	char *first = NULL;
	for (int m = 0; m < N_MODES; m++) {
		CU_ASSERT_EQUAL(explore_file("examples/checkset-race.json", &o, &MODES[m], &r, &st[m]), 0);
		CU_ASSERT_EQUAL(r.status, SC_FAIL);
		CU_ASSERT_TRUE(st[m].failed);
		CU_ASSERT_PTR_NOT_NULL_FATAL(r.schedule);
		if (!first)
			first = strdup(r.schedule);
		else
			CU_ASSERT_STRING_EQUAL(r.schedule, first);
		result_free(&r);
	}
	/* the serial count too: warm workers uncount their runs past the lowest
	 * failing index, forked leaves are counted in order up to the first */
	for (int m = 1; m < N_MODES; m++) {
		CU_ASSERT_EQUAL(st[0].runs, st[m].runs);
		CU_ASSERT_EQUAL(st[0].outcomes, st[m].outcomes);
		CU_ASSERT_EQUAL(st[0].digest, st[m].digest);
	}
	free(first);
}

/* Race mode -j N (warm workers; by fork with --fork): a search counts, and
 * reports the races of, the schedules the serial search runs, each race with
 * the first schedule in serial order that showed it, whatever order the runs
 * finish in: flag-poll-plain fails, two-writers-one-slot's race shows in the
 * root, explore-two-writers's only in later schedules (several of them). */
static void test_explore_races_parallel_as_serial(void)
{
	struct engine_opts o = { .argv0 = "hvsim" };
	o.ov.guest_dir = "build/guests";
	static const char *const files[] = { "scenarios/datarace/flag-poll-plain.json",
					     "scenarios/datarace/two-writers-one-slot.json",
					     "tests/races/explore-two-writers.json" };
	enum { N = 5 };   /* -j 1; workers -j 2, 3, and -j 3 again; fork -j 2 */
	static const struct explore_cfg cfgs[N] = {
		{ .jobs = 1, .hash_log = true }, { .jobs = 2, .hash_log = true },
		{ .jobs = 3, .hash_log = true }, { .jobs = 3, .hash_log = true },
		{ .jobs = 2, .fork = true, .hash_log = true } };
	for (size_t f = 0; f < sizeof(files) / sizeof(*files); f++) {
		struct explore_stats st[N];
		struct sc_result r[N];
		for (int j = 0; j < N; j++) {
			struct explore_cfg cfg = cfgs[j];
			CU_ASSERT_EQUAL_FATAL(explore_file(files[f], &o, &cfg, &r[j], &st[j]), 0);
		}
		for (int j = 1; j < N; j++) {
			CU_ASSERT_EQUAL(r[0].status, r[j].status);
			CU_ASSERT_EQUAL(st[0].runs, st[j].runs);
			CU_ASSERT_EQUAL(st[0].digest, st[j].digest);
			CU_ASSERT_EQUAL(st[0].outcomes, st[j].outcomes);
			CU_ASSERT_EQUAL_FATAL(r[0].n_races, r[j].n_races);
			for (int i = 0; i < r[0].n_races; i++) {
				const struct race_rec *a = &r[0].races[i], *b = &r[j].races[i];
				CU_ASSERT_STRING_EQUAL(a->kind, b->kind);
				CU_ASSERT_STRING_EQUAL(a->schedule, b->schedule);
				CU_ASSERT_STRING_EQUAL(a->first.vm, b->first.vm);
				CU_ASSERT_STRING_EQUAL(a->second.vm, b->second.vm);
				CU_ASSERT_EQUAL(a->first.pc, b->first.pc);
				CU_ASSERT_EQUAL(a->second.pc, b->second.pc);
			}
		}
		CU_ASSERT_TRUE_FATAL(r[0].n_races > 0);
		/* the last file's race is first shown past the root, which
		 * shows none: its schedule departs */
		CU_ASSERT_EQUAL(strchr(r[0].races[0].schedule, '@') != NULL, f == 2);
		for (int j = 0; j < N; j++)
			result_free(&r[j]);
	}
}

/* A debug session that runs to the end says the verdict a run would give. */
/* Race mode on warm VMs (sim/snapshot.h): every run reports the races of
 * its own run, as a cold run of its schedule does, whatever ran on the
 * same VMs before. The schedules alternate between one that shows the
 * race and the root, which shows none: a detector (or a seen pair) carried
 * from the run before would add races, or hide the repeated ones. */
struct warm_vms { struct vm *vm[2]; };

static void note_vms(struct system *sys, void *ctx)
{
	struct warm_vms *w = ctx;
	for (int i = 0; i < 2; i++)
		w->vm[i] = system_vm(sys, i);
}

static void same_side(const struct race_side_rec *a, const struct race_side_rec *b)
{
	CU_ASSERT_STRING_EQUAL(a->vm, b->vm);
	CU_ASSERT_EQUAL(a->pc, b->pc);
	CU_ASSERT_STRING_EQUAL(a->sym, b->sym);
	CU_ASSERT_EQUAL(a->addr, b->addr);
	CU_ASSERT_EQUAL(a->value, b->value);
	CU_ASSERT_EQUAL(a->dir, b->dir);
	CU_ASSERT_EQUAL(a->clock, b->clock);
	CU_ASSERT_EQUAL(a->seq, b->seq);
}

static void test_warm_race_vms_report_their_own_run(void)
{
	static const char *const file = "tests/races/explore-two-writers.json";
	static const char *const sch[] = { "rr,q=10000,@6=b", "rr,q=10000", "rr,q=10000,@6=b",
					   "rr,q=10000,@6=b", "rr,q=10000", "rr,q=10000,@6=b" };
	enum { N = sizeof(sch) / sizeof(*sch) };
	struct sc_result cold[N], warm[N];
	for (int k = 0; k < N; k++) {
		struct engine_opts o = { .argv0 = "hvsim", .schedule = sch[k], .hash_log = true };
		o.ov.guest_dir = "build/guests";
		engine_run_file(file, &o, &cold[k]);
		CU_ASSERT_TRUE_FATAL(cold[k].race_mode);
		CU_ASSERT_EQUAL(cold[k].n_races, k % 3 == 1 ? 0 : 1);   /* the root shows none */
	}
	struct vm_pool *pool = vm_pool_new();
	CU_ASSERT_PTR_NOT_NULL_FATAL(pool);
	struct warm_vms first = { { NULL } }, now = { { NULL } };
	for (int k = 0; k < N; k++) {
		struct engine_opts o = { .argv0 = "hvsim", .schedule = sch[k], .hash_log = true,
					 .pool = pool, .on_system = note_vms,
					 .on_system_ctx = k ? (void *)&now : (void *)&first };
		o.ov.guest_dir = "build/guests";
		engine_run_file(file, &o, &warm[k]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(first.vm[0]);
		if (k) {   /* the pool's VMs served this run: it ran warm */
			CU_ASSERT_PTR_EQUAL(now.vm[0], first.vm[0]);
			CU_ASSERT_PTR_EQUAL(now.vm[1], first.vm[1]);
		}
		CU_ASSERT_EQUAL(warm[k].status, cold[k].status);
		CU_ASSERT_EQUAL(warm[k].log_hash, cold[k].log_hash);
		CU_ASSERT_EQUAL_FATAL(warm[k].n_races, cold[k].n_races);
		for (int i = 0; i < cold[k].n_races; i++) {
			const struct race_rec *a = &cold[k].races[i], *b = &warm[k].races[i];
			CU_ASSERT_STRING_EQUAL(a->kind, b->kind);
			CU_ASSERT_STRING_EQUAL(a->why, b->why);
			same_side(&a->first, &b->first);
			same_side(&a->second, &b->second);
		}
	}
	vm_pool_free(pool);
	for (int k = 0; k < N; k++) {
		result_free(&cold[k]);
		result_free(&warm[k]);
	}
}

static void test_debug_session_verdict(void)
{
	struct engine_opts o = { .argv0 = "hvsim" };
	char err[256] = "", *text = NULL;
	size_t len = 0;
	o.ov.guest_dir = "build/guests";
	static char cmds[] = "continue\ncontinue\n";
	FILE *in = fmemopen(cmds, strlen(cmds), "r");
	FILE *out = open_memstream(&text, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(in);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CU_ASSERT_EQUAL(engine_debug_file("scenarios/platform/hello.json", &o, NULL, 0, in, out,
					  err, sizeof(err)), 0);
	fclose(in);
	fclose(out);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "the run ended: PASS (2 expectations, 0 failed)\n"));
	free(text);
}

/* A time budget cuts a long search short: INCOMPLETE, saying so, quickly. */
static void test_explore_time_budget(void)
{
	char path[64];   /* one per process: test runs may overlap */
	snprintf(path, sizeof(path), "/tmp/hvsim-test-explore-time-%d.json", (int)getpid());
	FILE *in = fopen("scenarios/races/create-race-sizes.json", "r");
	FILE *out = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(in);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	char line[512];
	while (fgets(line, sizeof(line), in)) {
		char *m = strstr(line, "\"max_preemptions\": 2");
		if (m)   /* thousands of schedules: far more than half a second */
			strcpy(m, "\"max_preemptions\": 4}\n");
		fputs(line, out);
	}
	fclose(in);
	fclose(out);
	struct engine_opts o = { .argv0 = "hvsim" };
	o.ov.guest_dir = "build/guests";
	for (int m = 0; m < 4; m++) {   /* cold, warm, fork, two warm workers */
		struct explore_cfg cfg = { .reexec = m < 2, .cold = m == 0, .fork = m == 2,
					   .jobs = m == 3 ? 2 : 1, .seconds = 0.5 };
		struct sc_result r;
		struct explore_stats st;
		CU_ASSERT_EQUAL(explore_file(path, &o, &cfg, &r, &st), 0);
		CU_ASSERT_EQUAL(r.status, SC_INCOMPLETE);
		CU_ASSERT_TRUE(st.cut_time);
		CU_ASSERT_FALSE(st.exhausted);
		CU_ASSERT_PTR_NOT_NULL(r.reason && strstr(r.reason, "cut short by its time budget"));
		result_free(&r);
	}
	remove(path);
}

/* A failing schedule told in words: which access each departure preempted. */
static void test_explain_schedule(void)
{
	struct engine_opts o = { .argv0 = "hvsim" };
	o.ov.guest_dir = "build/guests";
	char *words = engine_explain_schedule("examples/checkset-race.json", &o, "rr,q=10000,@13=b");
	CU_ASSERT_PTR_NOT_NULL_FATAL(words);
	CU_ASSERT_PTR_NOT_NULL(strstr(words, "@13=b: after a's 4-byte write of 0x0 to shmem0.ctl0+0x8"));
	CU_ASSERT_PTR_NOT_NULL(strstr(words, "<shm_notify+0xc>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(words, "b runs instead of a\n"));
	free(words);
	/* A departure at the start names no access. */
	words = engine_explain_schedule("examples/checkset-race.json", &o, "rr,q=10000,@0=b");
	CU_ASSERT_PTR_NOT_NULL_FATAL(words);
	CU_ASSERT_STRING_EQUAL(words, "@0=b: b runs first\n");
	free(words);
	CU_ASSERT_PTR_NULL(engine_explain_schedule("tests/no-such-file.json", &o, "rr,q=10000"));
}

static void test_explore_exhausts_a_correct_race(void)
{
	struct engine_opts o = { .argv0 = "hvsim" };
	struct sc_result r;
	struct explore_stats st;
	o.ov.guest_dir = "build/guests";
	CU_ASSERT_EQUAL(explore_file("scenarios/races/create-race-sizes.json", &o, NULL, &r, &st), 0);
	CU_ASSERT_EQUAL(r.status, SC_PASS);
	CU_ASSERT_TRUE(st.exhausted);
	CU_ASSERT_FALSE(st.failed);
	CU_ASSERT(st.runs > 100);
	CU_ASSERT_EQUAL(st.max_preemptions, 2);
	result_free(&r);
}

/* A budget that cuts the search short with no failure found is INCOMPLETE,
 * never PASS, and says how much of the bound is left. The budgets cut
 * create-race-sizes in level 0 (the root alone: warm workers are forked after
 * it), at the end of level 1 (27) and just past it, and inside level 2. */
static void test_explore_cut_short_is_incomplete(void)
{
	static const int budgets[] = { 1, 27, 28, 50 };
	char path[64];   /* one per process: test runs may overlap */
	snprintf(path, sizeof(path), "/tmp/hvsim-test-explore-budget-%d.json", (int)getpid());
	for (size_t b = 0; b < sizeof(budgets) / sizeof(budgets[0]); b++) {
		FILE *in = fopen("scenarios/races/create-race-sizes.json", "r");
		FILE *out = fopen(path, "w");
		CU_ASSERT_PTR_NOT_NULL_FATAL(in);
		CU_ASSERT_PTR_NOT_NULL_FATAL(out);
		char line[512], why[64];
		while (fgets(line, sizeof(line), in)) {
			char *m = strstr(line, "\"max_schedules\": 20000");
			if (m)
				snprintf(m, line + sizeof(line) - m, "\"max_schedules\": %d}\n", budgets[b]);
			fputs(line, out);
		}
		fclose(in);
		fclose(out);
		snprintf(why, sizeof(why), "cut short by max_schedules %d:", budgets[b]);

		struct engine_opts o = { .argv0 = "hvsim" };
		struct sc_result r;
		struct explore_stats st;
		o.ov.guest_dir = "build/guests";
		uint64_t digest[N_MODES], outcomes[N_MODES];
		for (int m = 0; m < N_MODES; m++) {
			if (m == 3)
				continue;   /* fork -j 2: tested above */
			CU_ASSERT_EQUAL(explore_file(path, &o, &MODES[m], &r, &st), 0);
			CU_ASSERT_EQUAL(r.status, SC_INCOMPLETE);
			CU_ASSERT_EQUAL(st.runs, (uint64_t)budgets[b]);
			CU_ASSERT_FALSE(st.exhausted);
			CU_ASSERT_FALSE(st.failed);
			/* The whole bound is 365 schedules (the exhaustive test). */
			CU_ASSERT(st.queued > 0 && st.runs + st.queued <= 365);
			CU_ASSERT_PTR_NOT_NULL(r.reason && strstr(r.reason, why));
			CU_ASSERT_STRING_EQUAL(result_status_label(r.status), "INCOMPLETE");
			digest[m] = st.digest;
			outcomes[m] = st.outcomes;
			result_free(&r);
		}
		/* The budget takes the same first schedules in every mode, and
		 * runs each the same event for event. */
		for (int m = 1; m < N_MODES; m++)
			if (m != 3) {
				CU_ASSERT_EQUAL(digest[0], digest[m]);
				CU_ASSERT_EQUAL(outcomes[0], outcomes[m]);
			}
	}
	remove(path);
}

static void test_explore_finds_the_shortest_failure(void)
{
	struct engine_opts o = { .argv0 = "hvsim" };
	struct sc_result r;
	struct explore_stats st;
	struct run plain, again;
	o.ov.guest_dir = "build/guests";
	/* Round-robin alone never shows the bug... */
	run_file("examples/checkset-race.json", NULL, NULL, &plain);
	CU_ASSERT_EQUAL(plain.r.status, SC_PASS);
	/* ...one departure does, found first (breadth first). */
	CU_ASSERT_EQUAL(explore_file("examples/checkset-race.json", &o, NULL, &r, &st), 0);
	CU_ASSERT_EQUAL(r.status, SC_FAIL);
	CU_ASSERT_TRUE(st.failed);
	CU_ASSERT_FALSE(st.exhausted);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.schedule);
	int departures = 0;
	for (const char *p = r.schedule; *p; p++)
		departures += *p == '@';
	CU_ASSERT_EQUAL(departures, 1);
	/* The schedule it prints replays the failure. */
	run_file("examples/checkset-race.json", r.schedule, NULL, &again);
	CU_ASSERT_EQUAL(again.r.status, SC_FAIL);
	CU_ASSERT_STRING_EQUAL(again.r.reason, r.reason);
	run_free(&plain);
	run_free(&again);
	result_free(&r);
}

/* The reduced search finds the broken lock's failure too, with fewer
 * schedules, and its schedule replays; a correct race is exhausted with
 * no more schedules than the plain search. */
static void test_explore_reduced_finds_the_failure(void)
{
	struct engine_opts o = { .argv0 = "hvsim" };
	struct explore_cfg plain = { .jobs = 1 }, dpor = { .dpor = true };
	struct sc_result rp, rd;
	struct explore_stats sp, sd;
	struct run again;
	o.ov.guest_dir = "build/guests";
	CU_ASSERT_EQUAL(explore_file("examples/checkset-race.json", &o, &plain, &rp, &sp), 0);
	CU_ASSERT_EQUAL(explore_file("examples/checkset-race.json", &o, &dpor, &rd, &sd), 0);
	CU_ASSERT_EQUAL(rp.status, SC_FAIL);
	CU_ASSERT_EQUAL(rd.status, SC_FAIL);
	CU_ASSERT_TRUE(sd.reduced);
	CU_ASSERT_FALSE(sp.reduced);
	CU_ASSERT_TRUE(sd.runs < sp.runs);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd.schedule);
	run_file("examples/checkset-race.json", rd.schedule, NULL, &again);
	CU_ASSERT_EQUAL(again.r.status, SC_FAIL);
	run_free(&again);
	result_free(&rp);
	result_free(&rd);
	CU_ASSERT_EQUAL(explore_file("scenarios/races/pingpong-handshake.json", &o, &dpor, &rd, &sd), 0);
	CU_ASSERT_EQUAL(rd.status, SC_PASS);
	CU_ASSERT_TRUE(sd.exhausted);
	CU_ASSERT_TRUE(sd.races > 0);
	CU_ASSERT_TRUE(sd.runs > 1 && sd.runs < 727);   /* the plain search runs 727 */
	result_free(&rd);
}

static char *debug_session(const char *file, const char *vm, const char *commands)
{
	struct engine_opts o = { .argv0 = "hvsim" };
	char err[256], *out = NULL;
	size_t len = 0;
	o.ov.guest_dir = "build/guests";
	FILE *in = fmemopen((void *)commands, strlen(commands), "r");
	FILE *f = open_memstream(&out, &len);
	int rc = engine_debug_file(file, &o, vm, 0, in, f, err, sizeof(err));
	fclose(in);
	fclose(f);
	CU_ASSERT_EQUAL(rc, 0);
	return out;
}

static void test_debug_prompt_breaks_exactly(void)
{
	char *out = debug_session("scenarios/platform/hello.json", NULL,
				  "b main\nc\nr\ns 3\nd main\nc\nq\n");
	/* Stops before main's first instruction, with its exact count... */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "breakpoint at 0x40001000"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "vm a at 0x40001000 (icount 1301)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "pc  0x0000000040001000"));
	/* ...steps three instructions of this VM... */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "vm a at 0x4000100c (icount 1304)"));
	/* ...and runs to the end. */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "vm a exited with code 0"));
	free(out);
}

/* A watchpoint on shared data set in vm b's view stops on vm a's write
 * (the whole system), reported after the store with old and new values;
 * device pages read as peeked registers. */
static void test_debug_prompt_watch(void)
{
	char *out = debug_session("tests/gdb/shared.json", "b",
				  "b 0x4000105c\nc\nd 0x4000105c\nwatch 0x1800001004\n"
				  "x 0x1800000000 2\nc\nd 0x1800001004\nc\nq\n");
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "watchpoint at 0x1800001004 (4 bytes, writes)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "device registers of shmem0.ctl1 (peeked: no side effects):\n"
					   "0x1800000000: 00030000 00000001"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "watchpoint 0x1800001004: vm a wrote it at 0x400010b4: "
					   "str w0, [x21, #0x1004]  <main+0xb4>\n"
					   "  old 0x00000001, new 0x00000000; vm a now at 0x400010b8 (icount 1416)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "removed watchpoint 0x1800001004"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "vm b exited with code 0"));
	free(out);
}

static void test_debug_prompt_errors(void)
{
	char *out = debug_session("scenarios/platform/hello.json", NULL, "b nosuchsymbol\nfrob\nx\nq\n");
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "no such address or symbol: 'nosuchsymbol'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "unknown command 'frob'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "usage: x ADDR|SYMBOL [N]"));
	free(out);
	struct engine_opts o = { .argv0 = "hvsim" };
	char err[256];
	o.ov.guest_dir = "build/guests";
	CU_ASSERT_EQUAL(engine_debug_file("scenarios/platform/hello.json", &o, "zz", 0, stdin, stdout,
					  err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "no VM named 'zz'"));
}


/* Prefix snapshots' parts inside a real run (docs/explore.md): at every
 * scheduling point each VM and GIC is saved; the previous point's save is
 * restored, then this one's (mappings made or removed in between
 * included). Going back over a real stretch of guest code and forward
 * again must leave the run exactly as it was: same log. */
struct snap_walk {
	struct system *sys;
	struct vm_snap *vm[2][8];
	uint8_t *gic[2][8];
	int cur, forward, points;
};

static void snap_walk_free(struct snap_walk *w, int k)
{
	for (int i = 0; i < 8; i++) {
		vm_snap_free(w->vm[k][i]);
		w->vm[k][i] = NULL;
		free(w->gic[k][i]);
		w->gic[k][i] = NULL;
	}
}

static bool snap_walk_restore(struct snap_walk *w, int k)
{
	int n = system_n_vms(w->sys);
	for (int i = 0; i < n; i++)
		if (!w->vm[k][i] || !vm_snap_fits(system_vm(w->sys, i), w->vm[k][i]))
			return false;   /* all or none */
	for (int i = 0; i < n; i++)
		CU_ASSERT_EQUAL(vm_snap_restore(system_vm(w->sys, i), w->vm[k][i]), 0);
	for (int i = 0; i < n; i++)
		gic_load((struct gic *)system_gic(w->sys, i), w->gic[k][i]);
	return true;
}

static int snap_walk_point(void *ctx, const struct sched_pt *pt)
{
	struct snap_walk *w = ctx;
	int n = system_n_vms(w->sys), k = w->cur ^= 1;
	w->points++;
	snap_walk_free(w, k);
	for (int i = 0; i < n; i++) {
		w->vm[k][i] = vm_snap_take(system_vm(w->sys, i));
		w->gic[k][i] = malloc(gic_state_size());
		CU_ASSERT_PTR_NOT_NULL_FATAL(w->gic[k][i]);
		gic_save(system_gic(w->sys, i), w->gic[k][i]);
	}
	/* back (when no mapping changed in between), then forward again */
	if (snap_walk_restore(w, k ^ 1)) {
		CU_ASSERT_TRUE(snap_walk_restore(w, k));
		w->forward++;
	}
	return pt->def;
}

static void snap_walk_on_system(struct system *sys, void *ctx)
{
	struct snap_walk *w = ctx;
	w->sys = sys;
	CU_ASSERT_TRUE_FATAL(system_n_vms(sys) <= 8);
	system_set_branch(sys, snap_walk_point, w);
}

static void test_vm_and_gic_snapshots_in_a_run(void)
{
	static const char *const files[] = { "scenarios/races/create-race-sizes.json",
					     "scenarios/races/pingpong-handshake.json" };
	for (int f = 0; f < 2; f++) {
		char *logs[2] = {0};
		size_t lens[2] = {0};
		struct snap_walk w = {0};
		for (int pass = 0; pass < 2; pass++) {
			struct sched_pt *pts = NULL;
			int n_pts = 0;
			struct engine_opts o = { .argv0 = "hvsim", .record_points = true,
						 .points = &pts, .n_points = &n_pts };
			o.ov.guest_dir = "build/guests";
			if (pass) {
				o.on_system = snap_walk_on_system;
				o.on_system_ctx = &w;
			}
			struct sc_result r;
			o.trace = open_memstream(&logs[pass], &lens[pass]);
			engine_run_file(files[f], &o, &r);
			fclose(o.trace);
			CU_ASSERT_EQUAL(r.status, SC_PASS);
			result_free(&r);
			free(pts);
		}
		snap_walk_free(&w, 0);
		snap_walk_free(&w, 1);
		CU_ASSERT(w.points > 20);
		CU_ASSERT_EQUAL(w.forward, w.points - 1);   /* every point but the first */
		CU_ASSERT(lens[0] > 1000 && lens[0] == lens[1] && !memcmp(logs[0], logs[1], lens[0]));
		free(logs[0]);
		free(logs[1]);
	}
}


/* The whole system (syssnap.c): paused before scheduling step k (the run
 * loop's interrupt poll), saved, run to the end, restored, run to the end
 * again: the plain run's log each time, for every k. Then restored to before the
 * first step, the engine's own run must give the plain run's log. */
struct sys_walk { struct system *sys; uint64_t at, plain; int checked; };

static bool sys_walk_poll(void *ctx)
{
	struct sys_walk *w = ctx;
	return system_next_point(w->sys) == w->at;
}

static uint64_t sys_log_hash(struct system *sys)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	evlog_write_jsonl(system_log(sys), f, system_vm_names(sys));
	fclose(f);
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)text[i]) * 0x100000001b3ull;
	free(text);
	return h;
}

static void sys_walk_on_system(struct system *sys, void *ctx)
{
	struct sys_walk *w = ctx;
	w->sys = sys;
	struct sys_snap *start = system_snap_take(sys);
	CU_ASSERT_PTR_NOT_NULL_FATAL(start);
	system_set_interrupt(sys, sys_walk_poll, w);
	for (w->at = 0;; w->at++) {
		CU_ASSERT_EQUAL_FATAL(system_snap_restore(sys, start), 0);
		if (system_resume(sys) == SYS_DONE)
			break;   /* past the last step */
		struct sys_snap *here = system_snap_take(sys);
		CU_ASSERT_PTR_NOT_NULL_FATAL(here);
		uint64_t h[2];
		for (int k = 0; k < 2; k++) {
			w->at = UINT64_MAX;
			system_run(sys);
			h[k] = sys_log_hash(sys);
			CU_ASSERT_EQUAL(system_snap_restore(sys, here), 0);
			w->at = system_next_point(sys);
		}
		CU_ASSERT_EQUAL(h[0], w->plain);   /* a pause changes nothing */
		CU_ASSERT_EQUAL(h[1], w->plain);
		w->checked++;
		system_snap_free(sys, here);
	}
	CU_ASSERT_EQUAL(system_snap_restore(sys, start), 0);
	system_snap_free(sys, start);
	system_set_interrupt(sys, NULL, NULL);
}

static void test_system_snapshots_in_a_run(void)
{
	static const char *const files[] = { "scenarios/races/create-race-sizes.json",
					     "scenarios/races/pingpong-handshake.json",
					     "scenarios/races/create-attach-three.json",
					     "examples/checkset-race.json" };
	for (int f = 0; f < 4; f++) {
		uint64_t hash[2] = {0};
		struct sys_walk w = {0};
		for (int pass = 0; pass < 2; pass++) {
			struct sched_pt *pts = NULL;
			int n_pts = 0;
			struct engine_opts o = { .argv0 = "hvsim", .record_points = true,
						 .points = &pts, .n_points = &n_pts, .hash_log = true };
			o.ov.guest_dir = "build/guests";
			if (pass) {
				o.on_system = sys_walk_on_system;
				o.on_system_ctx = &w;
			}
			struct sc_result r;
			engine_run_file(files[f], &o, &r);
			hash[pass] = w.plain = r.log_hash;
			CU_ASSERT_NOT_EQUAL(r.status, SC_ERROR);
			result_free(&r);
			free(pts);
		}
		CU_ASSERT(w.checked > 20);
		CU_ASSERT_EQUAL(hash[0], hash[1]);
	}
}

static CU_TestInfo engine_tests[] = {
	{ "debug prompt: exact breakpoint, step, run to the end", test_debug_prompt_breaks_exactly },
	{ "debug prompt: errors", test_debug_prompt_errors },
	{ "debug prompt: a watchpoint on shared data stops on the peer's write", test_debug_prompt_watch },
	{ "explore exhausts the bound of a correct race", test_explore_exhausts_a_correct_race },
	{ "explore finds the shortest failing schedule", test_explore_finds_the_shortest_failure },
	{ "explore --dpor finds the failure with fewer schedules", test_explore_reduced_finds_the_failure },
	{ "explore cut short by its budget is INCOMPLETE", test_explore_cut_short_is_incomplete },
	{ "a failing schedule in words", test_explain_schedule },
	{ "explore's time budget makes it INCOMPLETE", test_explore_time_budget },
	{ "a debug session ends with the verdict", test_debug_session_verdict },
	{ "explore by fork, -j 2 and re-execution: same schedules", test_explore_modes_visit_the_same_schedules },
	{ "explore in race mode, -j 2 and 3 as -j 1", test_explore_races_parallel_as_serial },
	{ "race mode on warm VMs: each run reports its own races", test_warm_race_vms_report_their_own_run },
	{ "same scenario, same log byte for byte", test_same_scenario_same_log },
	{ "replay reproduces a random run", test_replay_reproduces_random_run },
	{ "another seed, another interleaving", test_other_seed_other_interleaving },
	{ "a forced choice departs at its point", test_forced_choice_departs },
	{ "faults reported, the others finish", test_faults_reported_others_finish },
	{ "errors are results", test_errors_are_results },
	{ "CLOCK is exact", test_exact_clock },
	{ "VM and GIC snapshots: back and forth at every point, same log", test_vm_and_gic_snapshots_in_a_run },
	{ "whole-system snapshots: back and forth at every step, same log", test_system_snapshots_in_a_run },
	CU_TEST_INFO_NULL,
};
UNIT_SUITE("engine", engine_tests);
