/* system.h - a whole simulated system built from a machine description
 * (machine.h): VMs with their GIC, UART, test device, PCI host and shmem
 * instances, the shared region registry, the host client, one scheduler and
 * one event log. What a run produces comes back as sim's own records: the
 * event log, each VM's outcome, the clock and the schedule text. */
#ifndef HVSIM_SYSTEM_H
#define HVSIM_SYSTEM_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include "evlog.h"
#include "sched.h"
#include "machine.h"

struct vm_fault;
#include "vm.h"
struct shm_sys;
struct system;

/* Build the system (loads every guest). `m` must outlive the system.
 * Returns NULL with a message on error. */
struct system *system_new(const struct machine *m, const struct schedule *sch,
			  char *err, size_t errlen);
void system_free(struct system *s);

/* Run until every VM stopped, or the rest deadlocked. */
void system_run(struct system *s);

/* Debugging one VM (hvsim debug). system_debug before the first resume;
 * system_resume runs until the end or until that VM reaches a breakpoint
 * (vm_break_add) or, with stepping on, retires one instruction. */
enum sys_status { SYS_DONE, SYS_PAUSED };
int system_debug(struct system *s, int vm);
void system_debug_step(struct system *s, bool step);
/* The VM a step runs (default: the debugged one; GDB steps a VM stopped at a
 * watchpoint over the access). Breakpoints stay with the debugged VM. */
void system_debug_step_vm(struct system *s, int vm);
enum sys_status system_resume(struct system *s);
bool system_done(const struct system *s);
/* Watchpoints (vm.h numbering: 2 write, 3 read, 4 access) on [addr, addr+len)
 * as VM `vm` maps it: its RAM or shared pages, watched in every VM that maps
 * the same memory. -1 if not RAM or shared pages there. Remove with type 0 or
 * len 0: any. An access by any VM pauses the system after its instruction. */
int system_watch_add(struct system *s, int vm, int type, uint64_t addr, uint64_t len);
int system_watch_remove(struct system *s, int type, uint64_t addr, uint64_t len);
/* Called between scheduling steps while debugging; true pauses the run
 * (a debugger's interrupt, ^C) where the next step would begin. */
void system_set_interrupt(struct system *s, bool (*poll)(void *ctx), void *ctx);
/* Why the last system_resume returned SYS_PAUSED. */
struct sys_stop {
	int vm;                   /* the VM that stopped (watch) or the debugged one */
	bool interrupted;         /* the interrupt poll asked */
	bool watch;               /* hit: the access (vm = the accessing VM) */
	struct vm_watch_hit hit;
};
const struct sys_stop *system_stop(const struct system *s);
struct vm *system_vm(const struct system *s, int i);
int system_n_vms(const struct system *s);

/* Explore: `branch` is asked at every scheduling point (sched.h) and may
 * depart from the policy; each departure joins the schedule's forced choices,
 * so system_schedule_text replays it. Set before the first run. */
void system_set_branch(struct system *s, int (*branch)(void *ctx, const struct sched_pt *pt),
		       void *ctx);

const struct evlog *system_log(const struct system *s);
/* Race mode (machine.races): the detector's reports so far, in the order
 * found (n = 0 and NULL without race mode). Valid until system_free. */
struct race_report;
const struct race_report *system_races(const struct system *s, int *n);
/* Explore's partial-order reduction: record, at each scheduling point, what
 * the stretch since the previous one touched of what VMs share (sched_pt
 * rd/wr, ACC_* bits). Set before the run. system_tail_access gives the
 * same for the stretch after the last point, once the run ended. */
void system_track_access(struct system *s, bool on);
void system_tail_access(struct system *s, uint64_t *rd, uint64_t *wr);

/* The scheduling points of the run (when the schedule asked to record them). */
const struct sched_pt *system_points(const struct system *s, int *n);
const char *const *system_vm_names(const struct system *s);
struct shm_sys *system_shm(const struct system *s);
uint64_t system_clock(const struct system *s);
/* The schedule actually used, as text (malloc'd). */
char *system_schedule_text(const struct system *s);
/* How VM i ended. The pointers stay valid until system_free. */
struct vm_outcome {
	bool exited; int64_t exit_code;
	const struct vm_fault *fault;    /* NULL: it did not fault */
	uint64_t icount;                 /* instructions it retired */
	const char *console;             /* its whole console output */
	const int64_t *fails; int n_fails;   /* FAIL ids, in order (the first 16384) */
};
void system_vm_outcome(const struct system *s, int i, struct vm_outcome *out);

#endif
