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
#include <stdio.h>
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
/* The same, taking its VMs warm from `pool` (snapshot.h; NULL: none) and
 * giving them back when freed: every system built with one pool must come
 * from the same machine description. Race mode never uses the pool. */
struct vm_pool;
struct system *system_new_warm(const struct machine *m, const struct schedule *sch,
			       struct vm_pool *pool, char *err, size_t errlen);
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
/* A watchpoint as asked: VM vm's addresses; on a shared region's bytes it
 * also names the region and the offset, so it can be set before the region
 * exists (a replay) and holds wherever the region is mapped. Type 0: removed,
 * kept because it tells what the address meant (set again after going back
 * to before the VM mapped it). */
struct sys_watch { int vm, type; uint64_t addr, len; char region[64]; uint64_t off; };
int system_watch_get(const struct system *s, int i, struct sys_watch *out);   /* -1 past the last */
int system_watch_request(struct system *s, const struct sys_watch *w);
int system_debug_vm(const struct system *s);     /* -1: not debugging */

/* Reverse execution (sim/replay.c) rests on these. While debugging, the
 * system keeps its history: every vm_exec of the run, in order. The run is a
 * function of the scenario and the schedule, so a new system built from the
 * same machine and schedule that repeats those steps (same VM, same budget)
 * reaches the very same state, events included. A position in a history is
 * o instructions into its step k. */
struct sys_exec { int vm; unsigned why; uint64_t budget, ran; };
struct sys_pos { size_t k; uint64_t o; };
/* The history so far (n = 0 if it could not all be kept). */
const struct sys_exec *system_journal(const struct system *s, size_t *n);
/* Before the first resume: repeat j[0..n) (kept by the caller) and pause at
 * `to`; breakpoints and watchpoints of this system pause it on the way
 * (system_replaying tells where). Its own history records the replay. */
void system_replay(struct system *s, const struct sys_exec *j, size_t n, struct sys_pos to);
bool system_replaying(const struct system *s, struct sys_pos *at);
bool system_replay_diverged(const struct system *s);
const struct machine *system_machine(const struct system *s);
struct gic;
const struct gic *system_gic(const struct system *s, int i);
/* What the debuggers say as the verdict (the scenario's expectations against
 * the run so far): a layer above installs it; sim/ knows no scenarios.
 * Carried over to the systems reverse execution builds. */
typedef void (*sys_verdict_fn)(void *ctx, const struct system *s, FILE *out);
void system_set_verdict(struct system *s, sys_verdict_fn fn, void *ctx);
/* Writes the verdict; false (nothing written) when none is installed. */
bool system_verdict(const struct system *s, FILE *out);
sys_verdict_fn system_verdict_fn(const struct system *s, void **ctx);
const struct schedule *system_schedule(const struct system *s);
struct vm *system_vm(const struct system *s, int i);
int system_n_vms(const struct system *s);

/* Explore: `branch` is asked at every scheduling point (sched.h) and may
 * depart from the policy; each departure joins the schedule's forced choices,
 * so system_schedule_text replays it. Set before the first run. */
void system_set_branch(struct system *s, int (*branch)(void *ctx, const struct sched_pt *pt),
		       void *ctx);

const struct evlog *system_log(const struct system *s);
/* Before the run: keep only some of the log's records (evlog_keep), and
 * write each event to f as it happens (evlog_stream; NULL: no stream).
 * Returns 0, or -1 when out of memory (then the log keeps everything). */
int system_keep_log(struct system *s, uint32_t kinds, size_t head, size_t mmio_tail);
void system_stream_log(struct system *s, FILE *f);
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

/* Prefix snapshots (docs/explore.md): the whole system where its run is
 * paused between scheduling steps (before the first resume, or after
 * system_resume returned SYS_PAUSED on the interrupt poll), restored in
 * place: resuming then runs exactly as the run from that point did. NULL /
 * -1: not possible (inside a quantum, a debugger, race mode, watchpoints,
 * a streamed log; out of memory). Free every snapshot before the system. */
struct sys_snap;
struct sys_snap *system_snap_take(struct system *s);
int system_snap_restore(struct system *s, const struct sys_snap *sn);
void system_snap_free(struct system *s, struct sys_snap *sn);
/* The number the next scheduling point gets. */
uint64_t system_next_point(const struct system *s);

#endif
