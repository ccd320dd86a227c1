/* merge.h - the results of several runs joined as one (hvsim merge): CI jobs
 * that each ran a shard of the suite (`--shard K/N`) or of one scenario's
 * schedule tree (`hvsim explore --shard K/N`). */
#ifndef HVSIM_MERGE_H
#define HVSIM_MERGE_H

#include <stddef.h>
#include "result.h"

/* Join in[0..n) into *out (malloc'd, *n_out results). Results are moved, not
 * copied: `in` is left empty. Explore results of the same file from shards of
 * one tree become one result: FAIL with the shortest failing schedule of any
 * shard (fewest departures, then the first in schedule order), else ERROR if
 * a shard errored, else INCOMPLETE if a shard was cut short or is missing,
 * else PASS; their run counts and digests add up. Everything else is kept in
 * order. Returns 0, or -1 with a message (shards that do not fit together). */
int merge_results(struct sc_result *in, int n, struct sc_result **out, int *n_out,
		  char *err, size_t errlen);

#endif
