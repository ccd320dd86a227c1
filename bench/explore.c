/* explore.c - the explorer's rate on scenarios/races/create-race-sizes.json
 * (365 schedules at max_preemptions 2): cold re-execution from the start
 * (every VM built anew: the anchor) against warm re-execution (the default:
 * VMs kept, sim/snapshot.h), two warm workers (-j 2), branching by fork,
 * fork with two schedules at once, and the partial-order reduced search
 * (--dpor, warm); then the time to exhaust the two-VM handshake race
 * (races/pingpong-handshake).
 * The modes alternate, REPS times each (3 for the handshake); CPU time counts the forked children
 * (RUSAGE_CHILDREN). Prints schedules per CPU second and per wall second,
 * min and median, and the ratios of the medians. */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include "conformance/explore.h"

#define REPS 5
#define SCENARIO "scenarios/races/create-race-sizes.json"
#define HANDSHAKE "scenarios/races/pingpong-handshake.json"

static double wall_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu_now(void)
{
	struct rusage self, kids;
	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &kids);
	return self.ru_utime.tv_sec + self.ru_utime.tv_usec / 1e6 + self.ru_stime.tv_sec +
	       self.ru_stime.tv_usec / 1e6 + kids.ru_utime.tv_sec + kids.ru_utime.tv_usec / 1e6 +
	       kids.ru_stime.tv_sec + kids.ru_stime.tv_usec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

struct mode { const char *name; struct explore_cfg cfg; };

/* Each mode in turn, `reps` times; the rates and the time to exhaust.
 * Returns -1 when a search does not exhaust the bound. runs[m] gets each
 * mode's schedule count, med_cpu/med_wall the medians of the rates. */
static int bench(const char *scenario, const struct mode *modes, int n, int reps,
		 uint64_t *runs, double *med_cpu, double *med_wall)
{
	double cpu_rate[8][REPS], wall_rate[8][REPS], wall_s[8][REPS];
	struct engine_opts o = { .argv0 = "hvsim" };
	o.ov.guest_dir = "build/guests";
	for (int rep = 0; rep < reps; rep++)
		for (int m = 0; m < n; m++) {
			struct sc_result r;
			struct explore_stats st;
			double c0 = cpu_now(), w0 = wall_now();
			if (explore_file(scenario, &o, &modes[m].cfg, &r, &st) || r.status != SC_PASS ||
			    !st.exhausted) {
				fprintf(stderr, "bench explore: %s did not exhaust %s\n", modes[m].name,
					scenario);
				return -1;
			}
			cpu_rate[m][rep] = st.runs / (cpu_now() - c0);
			wall_s[m][rep] = wall_now() - w0;
			wall_rate[m][rep] = st.runs / wall_s[m][rep];
			runs[m] = st.runs;
			result_free(&r);
		}
	printf("explore %s, %d alternating repetitions (schedules/s, higher is better)\n",
	       scenario, reps);
	for (int m = 0; m < n; m++) {
		qsort(cpu_rate[m], reps, sizeof(double), cmp);
		qsort(wall_rate[m], reps, sizeof(double), cmp);
		qsort(wall_s[m], reps, sizeof(double), cmp);
		med_cpu[m] = cpu_rate[m][reps / 2];
		med_wall[m] = wall_rate[m][reps / 2];
		printf("  %-16s %6llu schedules  per CPU s: min %7.1f median %7.1f   per wall s: min %7.1f "
		       "median %7.1f   exhausted in: min %6.2f s median %6.2f s\n",
		       modes[m].name, (unsigned long long)runs[m], cpu_rate[m][0], med_cpu[m],
		       wall_rate[m][0], med_wall[m], wall_s[m][0], wall_s[m][reps / 2]);
	}
	return 0;
}

int main(void)
{
	static const struct mode modes[] = {
		{ "re-exec cold", { .reexec = true, .cold = true } },
		{ "re-exec warm", { .reexec = true } },
		{ "warm -j 2", { .jobs = 2 } },
		{ "fork", { .fork = true, .jobs = 1 } },
		{ "fork -j 2", { .fork = true, .jobs = 2 } },
		{ "dpor (warm)", { .dpor = true } },
		{ "snapshots", { .reexec = true, .snapshots = true } },
	};
	uint64_t runs[8];
	double med_cpu[8], med_wall[8];
	if (bench(SCENARIO, modes, 7, REPS, runs, med_cpu, med_wall))
		return 1;
	printf("  ratio warm / cold re-execution (CPU, median): %.2f\n", med_cpu[1] / med_cpu[0]);
	printf("  ratio warm -j 2 / warm (wall, median):   %.2f\n", med_wall[2] / med_wall[1]);
	printf("  ratio fork / cold re-execution (CPU, median): %.2f\n", med_cpu[3] / med_cpu[0]);
	printf("  ratio fork -j 2 / fork (wall, median):   %.2f\n", med_wall[4] / med_wall[3]);
	printf("  reduction (plain schedules / dpor schedules): %.2f\n", (double)runs[1] / runs[5]);
	printf("  ratio snapshots / warm re-execution (CPU, median): %.2f\n", med_cpu[6] / med_cpu[1]);
	/* The two-VM handshake race: the hardest of scenarios/races/ today. */
	static const struct mode hs[] = {
		{ "re-exec warm", { .reexec = true } },
		{ "warm -j 2", { .jobs = 2 } },
		{ "dpor (warm)", { .dpor = true } },
		{ "snapshots", { .reexec = true, .snapshots = true } },
	};
	if (bench(HANDSHAKE, hs, 4, 3, runs, med_cpu, med_wall))
		return 1;
	printf("  ratio warm -j 2 / warm (wall, median):   %.2f\n", med_wall[1] / med_wall[0]);
	printf("  reduction (plain schedules / dpor schedules): %.2f\n", (double)runs[0] / runs[2]);
	printf("  ratio snapshots / warm re-execution (CPU, median): %.2f\n", med_cpu[3] / med_cpu[0]);
	return 0;
}
