/* system_int.h - the system's private records, shared by system.c and the
 * platform devices (platdev.c). */
#ifndef HVSIM_SYSTEM_INT_H
#define HVSIM_SYSTEM_INT_H

#include "system.h"
#include "vm.h"
#include "gic.h"
#include "vdev/shmem.h"
#include "vdev/pci.h"

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
	uint64_t *arg_vals;          /* ARG_LO/HI values */
	uint32_t argsel;
	char *console; size_t con_len, con_cap, line_start;
	int64_t *fails; int n_fails;
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
	bool dbg_step;               /* pause after each instruction of dbg_vm */
	bool *host_fired;
	int *host_queue; int n_queue;
};

void sys_emit(struct system *s, int vm, struct ev *e);
void sys_mark(struct system *s, struct slot *sl, int64_t value);

extern const struct mmio_ops uart_ops;     /* opaque = struct slot */
extern const struct mmio_ops testdev_ops;
void uart_flush(struct slot *sl);

#endif
