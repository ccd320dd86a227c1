/* test_sched.c - schedule strings and the scheduler (sim/sched.c): parse and
 * format round trips, errors, round-robin order, seeded random picks and
 * quanta, forced choices. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tests/unit.h"
#include "sim/sched.h"

static const char *const names[] = { "a", "b", "c", "d" };
#define NV 4

static char err[256];

/* Parse `in` and format it again: the canonical text. */
static void round_trip(const char *in, const char *want)
{
	struct schedule s;
	err[0] = 0;
	int rc = schedule_parse(in, names, NV, &s, err, sizeof(err));
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	char *t = schedule_format(&s, names);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_STRING_EQUAL(t, want);
	/* and the canonical text is a fixed point */
	struct schedule s2;
	CU_ASSERT_EQUAL_FATAL(schedule_parse(t, names, NV, &s2, err, sizeof(err)), 0);
	char *t2 = schedule_format(&s2, names);
	CU_ASSERT_STRING_EQUAL(t2, want);
	free(t);
	free(t2);
	schedule_free(&s);
	schedule_free(&s2);
}

static void parse_fails(const char *in, const char *want)
{
	struct schedule s;
	err[0] = 0;
	CU_ASSERT_EQUAL(schedule_parse(in, names, NV, &s, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, want);
	CU_ASSERT_PTR_NULL(s.forced);
	CU_ASSERT_EQUAL(s.n_forced, 0);
}

static struct schedule parse_ok(const char *in)
{
	struct schedule s;
	int rc = schedule_parse(in, names, NV, &s, err, sizeof(err));
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	return s;
}

static void test_round_trips(void)
{
	round_trip("rr,q=10000", "rr,q=10000");
	round_trip("round-robin,q=77", "rr,q=77");
	round_trip("rr", "rr,q=10000");                        /* default quantum */
	round_trip("random,seed=7,q=500", "random,seed=7,q=500");
	round_trip("random", "random,seed=1,q=10000");         /* default seed */
	round_trip("random,q=3,seed=0x10", "random,seed=16,q=3");
	round_trip("rr,q=10000,@40=a,@12=b", "rr,q=10000,@12=b,@40=a");
	round_trip("random,seed=9,q=50,@7=d,@3=c,@5=a", "random,seed=9,q=50,@3=c,@5=a,@7=d");
	round_trip("rr,q=1,@18446744073709551615=c", "rr,q=1,@18446744073709551615=c");
}

static void test_parse_fields(void)
{
	struct schedule s = parse_ok("random,seed=123,q=42,@9=c,@2=b");
	CU_ASSERT_EQUAL(s.policy, SCHED_RANDOM);
	CU_ASSERT_EQUAL(s.seed, 123);
	CU_ASSERT_EQUAL(s.quantum, 42);
	CU_ASSERT_EQUAL_FATAL(s.n_forced, 2);
	CU_ASSERT_EQUAL(s.forced[0].point, 2);
	CU_ASSERT_EQUAL(s.forced[0].vm, 1);
	CU_ASSERT_EQUAL(s.forced[1].point, 9);
	CU_ASSERT_EQUAL(s.forced[1].vm, 2);
	struct schedule c;
	CU_ASSERT_EQUAL_FATAL(schedule_copy(&c, &s), 0);
	CU_ASSERT_PTR_NOT_EQUAL(c.forced, s.forced);
	CU_ASSERT_EQUAL(c.n_forced, 2);
	CU_ASSERT_EQUAL(c.forced[1].vm, 2);
	schedule_free(&s);
	CU_ASSERT_PTR_NULL(s.forced);
	CU_ASSERT_EQUAL(c.forced[0].point, 2);   /* the copy owns its own array */
	schedule_free(&c);
	s = parse_ok("rr,q=4294967295");
	CU_ASSERT_EQUAL(s.policy, SCHED_RR);
	CU_ASSERT_EQUAL(s.quantum, 4294967295u);
	schedule_free(&s);
}

static void test_parse_errors(void)
{
	parse_fails("fifo,q=10", "schedule: policy 'fifo' is not rr or random");
	parse_fails("q=10", "schedule: policy 'q=10' is not rr or random");
	parse_fails("", "schedule: empty");
	parse_fails("rr,q=0", "schedule: bad quantum '0'");
	parse_fails("rr,q=", "schedule: bad quantum ''");
	parse_fails("rr,q=12x", "schedule: bad quantum '12x'");
	parse_fails("rr,q=4294967296", "schedule: bad quantum '4294967296'");
	parse_fails("random,seed=abc", "schedule: bad seed 'abc'");
	parse_fails("rr,@3=zz", "schedule: 'zz' names no VM of this scenario");
	parse_fails("rr,@3=a,@4=e", "schedule: 'e' names no VM of this scenario");
	parse_fails("rr,@3", "schedule: bad forced choice '@3' (want @POINT=VM)");
	parse_fails("rr,@=a", "schedule: bad forced choice '@=a' (want @POINT=VM)");
	parse_fails("rr,@x=a", "schedule: bad forced choice '@x=a' (want @POINT=VM)");
	parse_fails("rr,q=10,garbage", "schedule: unknown field 'garbage'");
	parse_fails("rr,quantum=10", "schedule: unknown field 'quantum=10'");
	parse_fails("rr,q=10,@-1=a", "schedule: bad forced choice '@-1=a' (want @POINT=VM)");
	parse_fails("rr,q=10,@5=a,@5=b", "schedule: two choices for point 5");
}

static struct sched sc;
static struct schedule cfg;

static void start(const char *text)
{
	cfg = parse_ok(text);
	sched_init(&sc, &cfg);
}

static void finish(void) { schedule_free(&cfg); }

static void test_rr_order(void)
{
	bool run[NV] = { true, true, true, true };
	uint32_t q = 0;
	start("rr,q=123");
	CU_ASSERT_FALSE(sc.stop_at_devices);
	CU_ASSERT_EQUAL(sched_next(&sc, PT_START, -1, run, NV, &q), 0);
	CU_ASSERT_EQUAL(q, 123);
	CU_ASSERT_EQUAL(sched_next(&sc, PT_QUANTUM, 0, run, NV, &q), 1);
	CU_ASSERT_EQUAL(sched_next(&sc, PT_YIELD, 1, run, NV, &q), 2);
	CU_ASSERT_EQUAL(sched_next(&sc, PT_QUANTUM, 2, run, NV, &q), 3);
	CU_ASSERT_EQUAL(sched_next(&sc, PT_QUANTUM, 3, run, NV, &q), 0);   /* wraps */
	/* not-runnable VMs are skipped */
	run[1] = run[2] = false;
	CU_ASSERT_EQUAL(sched_next(&sc, PT_WFI, 0, run, NV, &q), 3);
	CU_ASSERT_EQUAL(q, 123);
	run[0] = false;
	CU_ASSERT_EQUAL(sched_next(&sc, PT_STOP, 0, run, NV, &q), 3);
	/* only the current one left: it goes on */
	CU_ASSERT_EQUAL(sched_next(&sc, PT_QUANTUM, 3, run, NV, &q), 3);
	run[3] = false;
	CU_ASSERT_EQUAL(sched_next(&sc, PT_STOP, 3, run, NV, &q), -2);
	/* the first runnable at start need not be VM 0 */
	sched_init(&sc, &cfg);
	bool r2[NV] = { false, false, true, true };
	CU_ASSERT_EQUAL(sched_next(&sc, PT_START, -1, r2, NV, &q), 2);
	finish();
}

/* Round-robin without forced choices: device accesses are not points; they
 * draw nothing and do not count. */
static void test_rr_ignores_devices(void)
{
	bool run[NV] = { true, true, true, true };
	uint32_t q = 999;
	start("rr,q=10,@2=c");
	struct schedule plain = parse_ok("rr,q=10");
	struct sched sp;
	sched_init(&sp, &plain);
	CU_ASSERT_FALSE(sp.stop_at_devices);
	CU_ASSERT_EQUAL(sched_next(&sp, PT_START, -1, run, NV, &q), 0);
	for (int i = 0; i < 100; i++)
		CU_ASSERT_EQUAL(sched_next(&sp, PT_DEVICE, 0, run, NV, &q), -1);
	CU_ASSERT_EQUAL(sp.points, 1);
	CU_ASSERT_EQUAL(sched_next(&sp, PT_QUANTUM, 0, run, NV, &q), 1);
	schedule_free(&plain);

	/* with forced choices, devices are points, and rr goes on through them
	 * unless a choice is forced there */
	CU_ASSERT_TRUE(sc.stop_at_devices);
	CU_ASSERT_EQUAL(sched_next(&sc, PT_START, -1, run, NV, &q), 0);      /* point 0 */
	CU_ASSERT_EQUAL(sched_next(&sc, PT_DEVICE, 0, run, NV, &q), -1);     /* point 1 */
	CU_ASSERT_EQUAL(sched_next(&sc, PT_DEVICE, 0, run, NV, &q), 2);      /* point 2: forced c */
	CU_ASSERT_EQUAL(q, 10);
	CU_ASSERT_EQUAL(sched_next(&sc, PT_DEVICE, 2, run, NV, &q), -1);     /* point 3 */
	CU_ASSERT_EQUAL(sched_next(&sc, PT_QUANTUM, 2, run, NV, &q), 3);     /* point 4 */
	CU_ASSERT_EQUAL(sc.points, 5);
	finish();
}

#define N_POINTS 1000

static void draw(const char *text, int *picks, uint32_t *quanta)
{
	bool run[NV] = { true, true, true, true };
	start(text);
	CU_ASSERT_TRUE(sc.stop_at_devices);
	int cur = -1;
	for (int i = 0; i < N_POINTS; i++) {
		/* mix the kinds of point; all draw */
		enum sched_point pt = i == 0 ? PT_START : (i % 3 == 0 ? PT_DEVICE : PT_QUANTUM);
		picks[i] = sched_next(&sc, pt, cur, run, NV, &quanta[i]);
		cur = picks[i];
	}
	finish();
}

static void test_random_determinism(void)
{
	static int p1[N_POINTS], p2[N_POINTS], p3[N_POINTS];
	static uint32_t q1[N_POINTS], q2[N_POINTS], q3[N_POINTS];
	draw("random,seed=7,q=500", p1, q1);
	draw("random,seed=7,q=500", p2, q2);
	draw("random,seed=8,q=500", p3, q3);
	CU_ASSERT_EQUAL(memcmp(p1, p2, sizeof(p1)), 0);
	CU_ASSERT_EQUAL(memcmp(q1, q2, sizeof(q1)), 0);
	CU_ASSERT_NOT_EQUAL(memcmp(p1, p3, sizeof(p1)), 0);
	CU_ASSERT_NOT_EQUAL(memcmp(q1, q3, sizeof(q1)), 0);
	/* picks are valid VMs, every VM gets picked, quanta lie in 1..q and
	 * vary (not a constant) */
	int seen[NV] = { 0 };
	uint32_t qmin = UINT32_MAX, qmax = 0;
	for (int i = 0; i < N_POINTS; i++) {
		CU_ASSERT_FATAL(p1[i] >= 0 && p1[i] < NV);
		seen[p1[i]]++;
		if (q1[i] < qmin) qmin = q1[i];
		if (q1[i] > qmax) qmax = q1[i];
	}
	for (int v = 0; v < NV; v++)
		CU_ASSERT_TRUE(seen[v] > N_POINTS / NV / 2);
	CU_ASSERT_TRUE(qmin >= 1);
	CU_ASSERT_TRUE(qmax <= 500);
	CU_ASSERT_TRUE(qmax - qmin > 250);
}

static void test_random_quantum_bounds(void)
{
	bool run[NV] = { true, true, true, true };
	uint32_t q;
	/* q=1: every quantum is exactly 1 */
	start("random,seed=3,q=1");
	for (int i = 0; i < 200; i++) {
		q = 0;
		CU_ASSERT_TRUE(sched_next(&sc, PT_QUANTUM, 0, run, NV, &q) >= 0);
		CU_ASSERT_EQUAL(q, 1);
	}
	finish();
	/* q=2: both 1 and 2 occur, nothing else */
	start("random,seed=3,q=2");
	int ones = 0, twos = 0;
	for (int i = 0; i < 200; i++) {
		CU_ASSERT_TRUE(sched_next(&sc, PT_QUANTUM, 0, run, NV, &q) >= 0);
		CU_ASSERT_TRUE(q == 1 || q == 2);
		ones += q == 1;
		twos += q == 2;
	}
	CU_ASSERT_TRUE(ones > 0 && twos > 0);
	finish();
}

/* Random picks only among runnable VMs. */
static void test_random_skips_not_runnable(void)
{
	bool run[NV] = { false, true, false, true };
	uint32_t q;
	int seen[NV] = { 0 };
	start("random,seed=11,q=100");
	for (int i = 0; i < 400; i++) {
		int v = sched_next(&sc, PT_QUANTUM, 1, run, NV, &q);
		CU_ASSERT_FATAL(v >= 0 && v < NV);
		seen[v]++;
	}
	CU_ASSERT_EQUAL(seen[0], 0);
	CU_ASSERT_EQUAL(seen[2], 0);
	CU_ASSERT_TRUE(seen[1] > 0 && seen[3] > 0);
	bool none[NV] = { false, false, false, false };
	CU_ASSERT_EQUAL(sched_next(&sc, PT_QUANTUM, 1, none, NV, &q), -2);
	CU_ASSERT_EQUAL(sched_next(&sc, PT_STOP, 1, none, NV, &q), -2);
	finish();
}

/* A forced choice overrides the policy at exactly its point, and only there. */
static void test_forced_exact_point(void)
{
	bool run[NV] = { true, true, true, true };
	uint32_t q;
	start("rr,q=50,@3=a,@5=c");
	int want[] = { 0, 1, 2, 0, 1, 2, 3, 0 };
	/* points: 0 start->a, 1 ->b, 2 ->c, 3 forced a, 4 rr after a ->b, 5 forced c, 6 ->d */
	int cur = -1;
	for (int i = 0; i < 8; i++) {
		int v = sched_next(&sc, i ? PT_QUANTUM : PT_START, cur, run, NV, &q);
		CU_ASSERT_EQUAL(v, want[i]);
		CU_ASSERT_EQUAL(q, 50);
		cur = v;
	}
	finish();

	/* random: the forced point departs from what the seed would pick;
	 * every other point is the same as without it */
	static int base[64], forced[64];
	static uint32_t bq[64], fq[64];
	start("random,seed=5,q=1000");
	for (int i = 0; i < 64; i++)
		base[i] = sched_next(&sc, PT_QUANTUM, 0, run, NV, &bq[i]);
	finish();
	int other = (base[20] + 1) % NV;
	char text[64];
	snprintf(text, sizeof(text), "random,seed=5,q=1000,@20=%s", names[other]);
	start(text);
	for (int i = 0; i < 64; i++)
		forced[i] = sched_next(&sc, PT_QUANTUM, 0, run, NV, &fq[i]);
	finish();
	for (int i = 0; i < 64; i++) {
		CU_ASSERT_EQUAL(forced[i], i == 20 ? other : base[i]);
		CU_ASSERT_EQUAL(fq[i], bq[i]);
	}
}

/* A forced choice of a VM that cannot run falls back to the policy. */
static void test_forced_not_runnable(void)
{
	bool run[NV] = { true, false, true, true };
	uint32_t q;
	start("rr,q=5,@1=b");
	CU_ASSERT_EQUAL(sched_next(&sc, PT_START, -1, run, NV, &q), 0);
	CU_ASSERT_EQUAL(sched_next(&sc, PT_QUANTUM, 0, run, NV, &q), 2);
	CU_ASSERT_EQUAL(sched_next(&sc, PT_QUANTUM, 2, run, NV, &q), 3);
	finish();
}

static void test_none_runnable(void)
{
	bool none[NV] = { false, false, false, false };
	uint32_t q;
	start("rr,q=5");
	CU_ASSERT_EQUAL(sched_next(&sc, PT_START, -1, none, NV, &q), -2);
	CU_ASSERT_EQUAL(sched_next(&sc, PT_STOP, 2, none, NV, &q), -2);
	CU_ASSERT_EQUAL(sched_next(&sc, PT_WFI, 0, none, NV, &q), -2);
	finish();
	/* a forced choice cannot conjure a runnable VM */
	start("rr,q=5,@0=a");
	CU_ASSERT_EQUAL(sched_next(&sc, PT_START, -1, none, NV, &q), -2);
	finish();
}

static CU_TestInfo sched_tests[] = {
	{ "parse/format round trips", test_round_trips },
	{ "parsed fields, copy", test_parse_fields },
	{ "parse errors", test_parse_errors },
	{ "round-robin order skips non-runnable", test_rr_order },
	{ "rr ignores device points without forced choices", test_rr_ignores_devices },
	{ "random: same seed same draws, other seed differs", test_random_determinism },
	{ "random: quantum in 1..q", test_random_quantum_bounds },
	{ "random: picks only runnable, -2 when none", test_random_skips_not_runnable },
	{ "forced choice at exactly its point", test_forced_exact_point },
	{ "forced choice of a non-runnable VM", test_forced_not_runnable },
	{ "-2 when none runnable", test_none_runnable },
	CU_TEST_INFO_NULL,
};

UNIT_SUITE("sched", sched_tests);
