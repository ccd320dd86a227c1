/* sched.h - which VM runs next, and for how long (CONTRACT 3 `schedule`, 4).
 *
 * A run is a deterministic function of (scenario, schedule). The schedule
 * string names the policy, seed and quantum, plus forced choices ("at
 * scheduling point N run VM V") that the explorer makes and replay repeats:
 *
 *     rr,q=10000                      round-robin
 *     random,seed=7,q=500             seeded random
 *     rr,q=10000,@12=b,@40=a          forced choices (points counted from 0)
 *     rr,q=10000,points               stop at every device point, no departure
 *
 * Forced choices, the random policy and `points` make every GIC and shmem
 * access a scheduling point (GIC-8); the flag is part of the string because
 * slicing there can move an interrupt delivery, so replay must match it.
 */
#ifndef HVSIM_SCHED_H
#define HVSIM_SCHED_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>

enum sched_policy { SCHED_RR, SCHED_RANDOM };

/* Kinds of scheduling point (SPEC GIC-8 plus quantum end and VM stop). */
enum sched_point { PT_QUANTUM, PT_YIELD, PT_WFI, PT_STOP, PT_DEVICE, PT_START,
		   PT_PAUSE /* the debugger paused inside a quantum: not a scheduling point */ };

struct sched_force { uint64_t point; int vm; };

struct schedule {
	enum sched_policy policy;
	uint64_t seed;
	uint32_t quantum;
	bool points;                                /* stop at device points */
	struct sched_force *forced; int n_forced;   /* sorted by point */
	bool record;                                /* keep a trace of points (explore) */
};

/* One scheduling point as it happened: what the policy chose and what else
 * could have run. The explorer branches on these. */
struct sched_pt {
	uint64_t point;
	int cur;                  /* running VM (-1 at start) */
	int def;                  /* the policy's choice (cur when it goes on) */
	uint64_t runnable;        /* bit i: VM i could run */
	uint8_t kind;             /* enum sched_point */
	uint64_t seq;             /* events in the log when it happened (filled by the system) */
	uint64_t pc;              /* cur's PC then (filled by the system) */
	/* What the stretch of execution that ended here (cur's, since the
	 * previous point) read and wrote of what other VMs can also touch:
	 * ACC_* bits, filled by the system when it tracks accesses (explore's
	 * partial-order reduction, docs/explore.md). */
	uint64_t rd, wr;
};

/* Objects VMs share, as bits of sched_pt.rd/wr. */
#define ACC_SHM      (1ull << 0)   /* shmem global state: names, regions, connections, pending bits */
#define ACC_DATA     (1ull << 1)   /* the data pages of shared regions */
#define ACC_GIC(vm)  (1ull << (2 + (vm)))   /* VM vm's GIC, including its input lines */
#define ACC_MAX_VMS  62

struct sched {
	struct schedule cfg;
	uint64_t rng;
	uint64_t points;          /* scheduling points passed so far */
	int next_forced;
	bool stop_at_devices;     /* device accesses are points: random or forced */
	struct sched_pt *trace; int n_trace, cap_trace;   /* when cfg.record */
	/* Asked at every point after the policy and the forced choices: the VM
	 * to run instead (a departure), or pt->def to go on. NULL: never. */
	int (*branch)(void *ctx, const struct sched_pt *pt);
	void *branch_ctx;
};

int schedule_parse(const char *text, const char *const *vm_names, int n_vms,
		   struct schedule *out, char *err, size_t errlen);
/* malloc'd canonical text. */
char *schedule_format(const struct schedule *s, const char *const *vm_names);
void schedule_free(struct schedule *s);
int schedule_copy(struct schedule *dst, const struct schedule *src);

void sched_init(struct sched *sc, const struct schedule *cfg);
void sched_free(struct sched *sc);

/* A scheduling point of kind `pt` while `cur` runs (-1 at start). runnable[i]
 * says which VMs can run. Returns the VM to run and sets *quantum, or returns
 * -1 (only for PT_DEVICE) to let `cur` go on with what is left of its
 * quantum. Returns -2 when no VM is runnable. */
int sched_next(struct sched *sc, enum sched_point pt, int cur, const bool *runnable,
	       int n, uint32_t *quantum);

#endif
