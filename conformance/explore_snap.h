/* explore_snap.h - the children of one schedule, each run from a snapshot
 * of the parent's run taken before the point where it departs, instead of
 * from the start (docs/explore.md, "Prefix snapshots"). */
#ifndef HVSIM_EXPLORE_SNAP_H
#define HVSIM_EXPLORE_SNAP_H

#include "engine.h"
#include "sim/sched.h"

struct snap_kid {
	uint64_t point; int vm;            /* its departure (in: sorted by point, vm) */
	struct sc_result r;                /* out: its result */
	struct sched_pt *pts; int n_pts;   /* out: its scheduling points (malloc'd) */
};

/* Run the schedule `prefix` (the parent's forced choices) and, at each point
 * where kids depart, the kids from a snapshot taken there. o as for
 * engine_run_file with a warm pool. Returns how many kids (the first ones)
 * were run; the others must be run from the start. */
int explore_snap_kids(const char *path, const struct engine_opts *o, struct schedule *base,
		      const char **names, const struct sched_force *prefix, int n_prefix,
		      struct snap_kid *kids, int n);

#endif
