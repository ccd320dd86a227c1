/* machine.h - a machine described as plain data: what sim/ builds and runs.
 *
 * VMs (program, RAM, arguments, shmem instances), the host's steps, the
 * device profile and the run's bounds. Whoever fills it (conformance/ from a
 * scenario file, a test by hand) owns the memory; machine_free releases what
 * the pointers below own. The schedule is separate (sched.h): one machine
 * runs under many schedules.
 */
#ifndef HVSIM_MACHINE_H
#define HVSIM_MACHINE_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include "vdev/profile.h"
#include "vdev/shmem.h"

#define MACH_DEFAULT_RAM        (16ull << 20)
#define MACH_DEFAULT_IRQ_CHECK  64
#define MACH_DEFAULT_LIMIT      100000000ull
#define MACH_MAX_LIMIT          1000000000000ull   /* 10^12: over an hour of host time */

/* One argument the test device hands the guest (CONTRACT 2): a number, or a
 * string copied into guest RAM whose address is passed. */
struct mach_arg {
	bool is_string;
	uint64_t num;          /* two's complement for negatives */
	char *str;
};

struct mach_shmem {
	bool pci;              /* PCI presentation (cfg.loc unused) */
	struct shm_inst_cfg cfg;
};

struct mach_vm {
	char *name;
	char *program;         /* a label for records: as the user wrote it */
	char *program_path;    /* the ELF file loaded */
	struct mach_arg *args; int n_args;
	uint64_t ram;
	struct mach_shmem *shmem; int n_shmem;
};

/* What the hypervisor host does, and when (SPEC HST). */
enum host_trigger { TRIG_START, TRIG_MARK, TRIG_INSTRUCTIONS };
enum host_op { HOST_ATTACH, HOST_NOTIFY, HOST_STATUS, HOST_WRITE, HOST_DETACH };

struct host_step {
	enum host_trigger trig;
	int mark_vm; int64_t mark_value;   /* TRIG_MARK: VM index and mark value */
	uint64_t at_instructions;          /* TRIG_INSTRUCTIONS: system clock */
	enum host_op op;
	char *id;                          /* the host connection it acts on */
	char *name; uint32_t pages;        /* attach */
	uint32_t mask;                     /* notify */
	uint64_t offset; uint8_t *data; size_t data_len;   /* write */
};

struct machine {
	struct profile profile;            /* SPEC section 9 switches */
	uint32_t irq_check;                /* GIC-5: look for an unmasked IRQ this often */
	uint64_t limit_instructions;       /* per VM; then fault `limit` */
	struct mach_vm *vms; int n_vms;
	struct host_step *host; int n_host;   /* steps that fire together run in this order */
	bool races;                        /* race mode (docs/races.md): off costs nothing */
};

void machine_free(struct machine *m);

#endif
