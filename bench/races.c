/* races.c - what race mode (docs/races.md) costs: one scenario run normally
 * (A) and with --races (B), alternating REPS times, CPU seconds of this
 * process (the engine runs in it). Prints min and median of each and the
 * ratio of the medians (the target is at most 3). The scenario is the
 * suite's heaviest user of shared data pages, picked by counting accesses
 * to them in race mode (bench/RESULTS.md): scenarios/notify/data-before-
 * notify.json, 24024 loads and stores to shared pages per run. */
#include <stdio.h>
#include <stdlib.h>
#include "conformance/engine.h"
#include "bench.h"

#define REPS 7
#define SCENARIO "scenarios/notify/data-before-notify.json"

int main(void)
{
	double t[2][REPS];
	int reports[2] = { 0, 0 };
	for (int rep = 0; rep < REPS; rep++)
		for (int m = 0; m < 2; m++) {
			struct engine_opts o = { .argv0 = "hvsim" };
			struct sc_result r;
			o.ov.guest_dir = "build/guests";
			o.ov.races = m == 1;
			double c0 = cpu_now();
			engine_run_file(SCENARIO, &o, &r);
			t[m][rep] = cpu_now() - c0;
			/* Both must pass: the guests are race-free now (docs/races.md,
			 * "The suite in race mode"), so race mode makes no report. */
			if (r.status != SC_PASS || (m == 1 && !r.race_mode)) {
				fprintf(stderr, "bench races: %s did not run as expected\n", SCENARIO);
				return 1;
			}
			reports[m] = r.n_races;
			result_free(&r);
		}
	struct bench_fig n = bench_fig(t[0], REPS), r = bench_fig(t[1], REPS);
	printf("race mode on %s, %d alternating repetitions (CPU ms per run, lower is better)\n",
	       SCENARIO, REPS);
	printf("  normal     min %7.2f median %7.2f\n", n.min * 1e3, n.median * 1e3);
	printf("  --races    min %7.2f median %7.2f   (%d reports)\n", r.min * 1e3,
	       r.median * 1e3, reports[1]);
	printf("  ratio --races / normal (median): %.2f  (min: %.2f)\n",
	       r.median / n.median, r.min / n.min);
	return 0;
}
