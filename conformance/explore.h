/* explore.h - run one scenario under every schedule within its exploration
 * bound (CONTRACT section 4): CHESS-style preemption bounding. Ways to visit
 * the same schedules: re-execution from the start with a prefix of forced
 * choices on warm VMs (the default; -j N: that many worker processes), the
 * same on VMs built anew (explore_cfg.cold: the reference), or branching a
 * running system by fork() at each scheduling point (shards, explore_cfg.fork:
 * each schedule runs only its own suffix). docs/explore.md compares them. */
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
	uint64_t digest;           /* sum of a hash of every schedule run: equal digests,
				    * same set of schedules (order does not matter) */
	uint64_t outcomes;         /* with engine_opts.hash_log: sum of every run's
				    * log hash (equal: the same runs, event for event) */
	bool crashed;              /* a schedule crashed hvsim (fork mode: r is its ERROR) */
	bool cut_budget, cut_time, cut_error;   /* why schedules were left: max_schedules,
						 * the time budget, fork/memory failing */
	bool cut_lost;             /* -j N: a worker process died (cut_error too) */
	bool reduced;              /* the partial-order reduction was used */
	const char *plain_why;     /* asked for it but the scenario needs the plain
				    * search: why (static text), else NULL */
	uint64_t races;            /* reduced: races met (each adds choices) */
	uint32_t shrunk;           /* reduced: departures a failure lost when shrunk */
};

struct explore_cfg {
	bool reexec;               /* re-execute each schedule from the start (the
				    * default with one job and no shard) */
	bool fork;                 /* branch a running system by fork() instead
				    * (always with jobs > 1 or shards) */
	bool snapshots;            /* re-execution, one process: a level's schedules
				    * that share their parent run from snapshots of
				    * its run (explore_snap.h), not from the start */
	bool cold;                 /* re-execution builds every VM anew (else its
				    * VMs are kept warm, sim/snapshot.h) */
	bool hash_log;             /* sum every run's event-log hash (stats.outcomes) */
	bool dpor;                 /* dynamic partial-order reduction (dpor.h): only
				    * schedules that reorder dependent accesses;
				    * by re-execution, one process */
	bool sleep_sets;           /* dpor with sleep sets: fewer schedules, but they
				    * can lose schedules under a bound (dpor.h) */
	uint32_t jobs;             /* fork mode: schedules run at once (0, 1: one) */
	double seconds;            /* time budget of the whole search (host time), 0 none:
				    * past it no schedule starts and the search is
				    * INCOMPLETE; it bounds a search, never changes one
				    * that finishes */
	uint32_t shard_k, shard_n; /* fork mode: run schedule i (in order) only when
				    * i mod shard_n == shard_k - 1 (0: all); the
				    * shards of one tree together run the serial
				    * search's schedules (merge them: explore_merge) */
};

/* r receives the shortest failing run's result (fewest departures, then the
 * first in schedule order), or the first run's when every schedule
 * passed. A search that max_schedules cut short with no failure found proves
 * nothing: r's status is then SC_INCOMPLETE, its reason says how far it got.
 * Returns 0; -1 when the scenario cannot be run at all (then r holds
 * the error). */
int explore_file(const char *path, const struct engine_opts *o, const struct explore_cfg *cfg,
		 struct sc_result *r, struct explore_stats *st);

/* Called every 50 schedules (NULL: never), for a progress line; with
 * --dpor, st->queued is then the choices known to be left (an estimate of
 * what is left at least: each is one schedule or more). */
extern void (*explore_progress)(const struct explore_stats *st, uint32_t depth, size_t level_size);

#endif
