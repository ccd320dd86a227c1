/* explore.h - run one scenario under every schedule within its exploration
 * bound (CONTRACT section 4): CHESS-style preemption bounding by
 * re-execution from the start with a prefix of forced choices. */
#ifndef HVSIM_EXPLORE_H
#define HVSIM_EXPLORE_H

#include <stdbool.h>
#include <stdint.h>
#include "engine.h"

struct explore_stats {
	uint64_t runs;             /* schedules run */
	bool exhausted;            /* every schedule within the bound was run */
	bool failed;               /* a failing schedule was found (the search stops there) */
	uint32_t max_preemptions;
	uint64_t max_schedules;
	uint64_t base_points;      /* scheduling points of the first run */
	uint64_t queued;           /* cut short: schedules known in the bound but not run */
};

/* r receives the shortest failing run's result (fewest departures, found
 * first by breadth-first search), or the first run's when every schedule
 * passed. A search that max_schedules cut short with no failure found proves
 * nothing: r's status is then SC_INCOMPLETE, its reason says how far it got.
 * Returns 0; -1 when the scenario cannot be run at all (then r holds
 * the error). */
int explore_file(const char *path, const struct engine_opts *o, struct sc_result *r,
		 struct explore_stats *st);

/* Called every 500 schedules (NULL: never), for a progress line. */
extern void (*explore_progress)(const struct explore_stats *st, uint32_t depth, size_t level_size);

#endif
