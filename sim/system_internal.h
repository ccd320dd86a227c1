/* system_internal.h - the system's own state (system.c), shared with its
 * snapshots (syssnap.c). Not for use outside sim/. */
#ifndef HVSIM_SYSTEM_INTERNAL_H
#define HVSIM_SYSTEM_INTERNAL_H

#include "system.h"
#include "platdev.h"

struct line_src { void *src; uint32_t intid; };

/* One VM and everything private to it (PLT-3). */
struct slot {
	struct system *sys;
	int index;
	const struct mach_vm *cfg;          /* its description */
	struct vm *vm;
	struct plat plat;
	struct gic *gic;
	struct pci_host *pci;
	struct shm_inst **shm; int n_shm;
	bool irq_seen;               /* an IRQ was signalled when the slice began */
	uint64_t committed;          /* icount at its last stop (for the system clock) */
	struct uart uart;
	struct testdev td;
	struct line_src *lines; int n_lines, cap_lines;   /* asserted inputs (wired-OR) */
};

/* Where the run loop is, so a debugger can pause it and resume exactly. */
struct run_state {
	bool started, done, in_quantum, pause;
	int cur, next;
	uint32_t q;
	uint64_t left;               /* what is left of the quantum when paused in it */
	enum sched_point why;
};

struct system {
	const struct machine *m;
	struct slot *slots; int n;
	const char **names;
	struct evlog log;
	struct shm_sys *shm;
	struct plat host_plat;
	struct schedule schedule;
	struct sched sched;
	uint64_t clock;              /* sum of committed icounts */
	int running;                 /* slot index inside vm_exec, -1 otherwise */
	struct run_state rs;
	int dbg_vm;                  /* VM under the debugger, -1 none */
	bool dbg_step;               /* pause after each instruction of step_vm */
	int step_vm;                 /* the VM a step runs (default dbg_vm) */
	struct vm_watch *watches; int n_watches;   /* debugger watchpoints, host memory */
	struct sys_watch *wreq; int n_wreq;   /* what the debugger asked to watch */
	int n_unresolved;            /* requests on a shared region that does not exist yet */
	/* While debugging: every vm_exec of the run (its history), and a replay
	 * of another run's history up to a position (reverse execution). */
	struct sys_exec *journal; size_t n_journal, cap_journal;
	struct {
		bool on;
		const struct sys_exec *j; size_t n;   /* the history replayed */
		struct sys_pos at, to;                /* where it is, where it stops */
		bool issued;          /* step at.k has begun */
		bool diverged;
	} replay;
	bool journal_lost;
	sys_verdict_fn verdict;
	void *verdict_ctx;
	struct sys_stop stop;        /* why the last system_resume paused */
	bool (*intr)(void *ctx);     /* the debugger asks for a pause (^C) */
	void *intr_ctx;
	int (*branch)(void *ctx, const struct sched_pt *pt);   /* explore, or NULL */
	void *branch_ctx;
	bool *host_fired;
	int *host_queue; int n_queue;
	struct race_det *race;       /* race mode only (docs/races.md) */
	int race_emitted;            /* reports already put in the log */
	/* Explore's access tracking (docs/explore.md): what the stretch since
	 * the last scheduling point read and wrote of the shared objects. */
	bool track;
	uint64_t acc_rd, acc_wr;
	uint64_t data_hash;          /* shared data as it was at the last point */
	struct vm_pool *pool;        /* warm VMs to take and give back, or NULL */
};

#endif
