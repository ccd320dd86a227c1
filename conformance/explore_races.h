/* explore_races.h - race mode under explore (docs/races.md): the distinct
 * race reports of a whole search, each kept with the first schedule in the
 * serial search's order that showed it, whichever process ran it and
 * whenever it finished (the fork search with -j N, warm workers). */
#ifndef HVSIM_EXPLORE_RACES_H
#define HVSIM_EXPLORE_RACES_H

#include <stdint.h>
#include "result.h"

#define MAX_RACES 64   /* distinct race reports kept over a whole search */

/* A report and the place of the schedule that first showed it: its index in
 * serial order << 16 | its index in that run's reports. */
struct keyed_race { struct race_rec r; uint64_t key; };

/* The set: private to one process, or shared by several (MAP_SHARED,
 * zeroed); merges take its lock. */
struct race_set {
	int lock;
	int n;
	struct keyed_race v[MAX_RACES];
};

/* A spin lock on a zeroed int in shared memory. */
void explore_lock(int *l);
void explore_unlock(int *l);

/* Schedule number `no` (serial order) reported one's races: merge them. */
void race_set_merge(struct race_set *s, uint64_t no, const struct sc_result *one);
/* The result's reports become those of the set from schedules numbered up to
 * `last` (UINT64_MAX: all), in serial order. Sorts the set. */
void race_set_apply(struct sc_result *r, struct race_set *s, uint64_t last);

#endif
