/* explore.c - the explorer's rate on scenarios/races/create-race-sizes.json
 * (365 schedules at max_preemptions 2): re-execution from the start (the
 * anchor) against branching by fork, and fork with two schedules at once.
 * The three alternate, REPS times each; CPU time counts the forked children
 * (RUSAGE_CHILDREN). Prints schedules per CPU second and per wall second,
 * min and median, and the ratios of the medians. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include "conformance/explore.h"

#define REPS 5
#define SCENARIO "scenarios/races/create-race-sizes.json"

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

int main(void)
{
	static const struct { const char *name; struct explore_cfg cfg; } modes[] = {
		{ "re-execution", { .reexec = true } },
		{ "fork", { .jobs = 1 } },
		{ "fork -j 2", { .jobs = 2 } },
	};
	enum { N = sizeof(modes) / sizeof(modes[0]) };
	double cpu_rate[N][REPS], wall_rate[N][REPS];
	struct engine_opts o = { .argv0 = "hvsim" };
	o.ov.guest_dir = "build/guests";

	for (int rep = 0; rep < REPS; rep++)
		for (int m = 0; m < N; m++) {
			struct sc_result r;
			struct explore_stats st;
			double c0 = cpu_now(), w0 = wall_now();
			if (explore_file(SCENARIO, &o, &modes[m].cfg, &r, &st) || r.status != SC_PASS ||
			    !st.exhausted) {
				fprintf(stderr, "bench explore: %s did not exhaust %s\n", modes[m].name,
					SCENARIO);
				return 1;
			}
			cpu_rate[m][rep] = st.runs / (cpu_now() - c0);
			wall_rate[m][rep] = st.runs / (wall_now() - w0);
			result_free(&r);
		}
	double med_cpu[N], med_wall[N];
	printf("explore %s, %d alternating repetitions (schedules/s, higher is better)\n",
	       SCENARIO, REPS);
	for (int m = 0; m < N; m++) {
		qsort(cpu_rate[m], REPS, sizeof(double), cmp);
		qsort(wall_rate[m], REPS, sizeof(double), cmp);
		med_cpu[m] = cpu_rate[m][REPS / 2];
		med_wall[m] = wall_rate[m][REPS / 2];
		printf("  %-13s per CPU s: min %7.1f median %7.1f   per wall s: min %7.1f median %7.1f\n",
		       modes[m].name, cpu_rate[m][0], med_cpu[m], wall_rate[m][0], med_wall[m]);
	}
	printf("  ratio fork / re-execution (CPU, median): %.2f\n", med_cpu[1] / med_cpu[0]);
	printf("  ratio fork -j 2 / fork (wall, median):   %.2f\n", med_wall[2] / med_wall[1]);
	return 0;
}
