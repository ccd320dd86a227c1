/* dpor.h - dynamic partial-order reduction over scheduling points, bounded by
 * departures from the policy (docs/explore.md "Partial-order reduction").
 *
 * A run is a sequence of stretches: at scheduling point k, VM chosen[k] runs
 * until point k+1. Each stretch says what it read and wrote of the objects
 * VMs share (ACC_* bits of sim/sched.h). Two stretches of different VMs are
 * dependent when one writes what the other reads or writes; independent
 * stretches commute, so runs that only reorder them are equivalent and one
 * of them is enough.
 *
 * The search is Flanagan and Godefroid's (POPL 2005): after each run, every
 * race (a dependent pair of stretches of different VMs not ordered by
 * happens-before through other stretches) adds the later stretch's VM as a
 * choice to try at the earlier one's point: the later VM when it can start
 * the reversed order, else the VMs that can (the initials of notdep, Abdulla
 * et al., POPL 2014), all runnable VMs when none could run there. Sleep sets
 * (Godefroid 1996) skip a choice already known to commute with everything
 * explored since; under a bound a VM sleeps only where the exploration that
 * put it to sleep had a departure more left (the sleeping order may need
 * more departures than the path has), and they are off unless asked.
 * With a bound on departures, the conservative additions of Coons, Musuvathi and McKinley (OOPSLA 2013,
 * "bounded partial-order reduction") are made too: the choice is also added
 * where the earlier stretch's VM was switched in, so a race whose own point
 * is over the bound can still be reversed from there; and when both are
 * over it, at the latest earlier point where the VM fits the bound (which
 * is where an earlier departure was taken, or where the VM is the policy's
 * choice). test_dpor.c checks, on random small programs, that every trace
 * the plain bounded search reaches is reached.
 *
 * This file holds the pure algorithm over recorded runs (no system): the
 * explorer (explore.c) runs the schedules. */
#ifndef HVSIM_DPOR_H
#define HVSIM_DPOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dpor_acc { uint64_t rd, wr; };

/* One scheduling point of a run and the stretch after it. */
struct dpor_step {
	uint64_t point;
	int cur, def;              /* running VM (-1 at start), the policy's choice */
	uint64_t runnable;         /* bit v: VM v could run */
	int chosen;                /* the VM that ran from here (-1: none could) */
	struct dpor_acc seg;       /* what its stretch touched */
};

struct dpor_node {
	struct dpor_step s;
	uint32_t departures;       /* departures from the policy before this point */
	uint64_t backtrack;        /* VMs to try here */
	uint64_t done;             /* VMs tried here (the current one included) */
	uint64_t sleep;            /* VMs whose stretch from here is known to commute */
	struct dpor_acc *known;    /* [n_vms]: the stretch of each VM of done|sleep */
	uint32_t *left;            /* [n_vms]: departures its exploration had left */
};

struct dpor {
	int n_vms;
	uint32_t bound;            /* max departures (max_preemptions) */
	bool sleep_sets;
	struct dpor_node *v; size_t n, cap;
	uint64_t races;            /* races seen (statistics) */
};

void dpor_init(struct dpor *d, int n_vms, uint32_t bound, bool sleep_sets);
void dpor_free(struct dpor *d);

/* Dependency of two stretches (VM va's a, VM vb's b). */
bool dpor_dependent(int va, struct dpor_acc a, int vb, struct dpor_acc b);

/* Take a run whose choices up to node `from` (inclusive, -1: none) were
 * forced by the search: nodes 0..from must match the stack (returns -1
 * when they do not: the machine was not deterministic), node `from` gets its
 * new stretch, later nodes are pushed. Then its races add choices. */
int dpor_absorb(struct dpor *d, long from, const struct dpor_step *steps, size_t n);

/* The next schedule: the deepest node with a choice left within the bound.
 * Marks it done and cuts the stack below it; *at and *vm say which.
 * false when the search is over. */
bool dpor_next(struct dpor *d, size_t *at, int *vm);

/* Choices left on the stack (a lower bound on what a cut-short search did
 * not run). */
uint64_t dpor_pending(const struct dpor *d);

#endif
