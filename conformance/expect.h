/* expect.h - checking a scenario's expectations (CONTRACT section 3) after a
 * run, against the event log (the single truth) and the VMs' final states.
 * Pure: no Unicorn, no I/O; the region expectations ask the shmem model. */
#ifndef HVSIM_EXPECT_H
#define HVSIM_EXPECT_H

#include <stdbool.h>
#include "scenario.h"
#include "result.h"
#include "sim/evlog.h"
#include "vdev/shmem.h"

/* Inputs: the scenario, the run's full event log, the per-VM final states
 * (r->vms[0..n_vms), filled by the runner before the call: exited/exit_code,
 * faulted/fault_kind/fault_addr/fault_pc/fault_insn, console, fails, icount),
 * and the shmem system for region queries (may be NULL: then region
 * expectations fail with "no shmem system"). Fills r->exps / r->n_exps
 * (the default checks first, one per VM whose exit, fault or fails no
 * expectation names, then the expectations in file order), r->status
 * (SC_PASS or SC_FAIL) and r->reason (the first failed expectation's
 * "what: message"). Returns 0, -1 on out-of-memory. */
int expect_check(const struct scenario *sc, const struct evlog *log,
		 const struct shm_sys *shm, struct sc_result *r);
/* The event kinds whose records expect_check reads for sc (bit k for kind
 * k; it scans every event's kind and VM, which the log always keeps). */
uint32_t expect_kinds(const struct scenario *sc);

/* Explore in race mode: the race expectations (or the default one) against
 * r->races, the distinct reports of every schedule (the runs skipped them:
 * r->race_deferred). Appends to r->exps; a failure turns a pass into a fail. */
int expect_check_races(const struct scenario *sc, struct sc_result *r);

/* Does event e match pattern p ([VM, KIND, VALUE?], CONTRACT 3)? Attach and
 * detach match only successful ones (status 0). Also for the debugger. */
bool expect_ev_match(const struct sc_evpat *p, const struct ev *e);

#endif
