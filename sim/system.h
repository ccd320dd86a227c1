/* system.h - a whole simulated system built from a scenario: VMs with their
 * GIC, UART, test device, PCI host and shmem instances, the shared region
 * registry, the host client, one scheduler and one event log. */
#ifndef HVSIM_SYSTEM_H
#define HVSIM_SYSTEM_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include "evlog.h"
#include "sched.h"

struct scenario;
struct sc_result;
struct shm_sys;
struct system;

/* Build the system (loads every guest). The schedule defaults to the
 * scenario's own when NULL. Returns NULL with a message on error. */
struct system *system_new(const struct scenario *sc, const struct schedule *sch,
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
enum sys_status system_resume(struct system *s);
bool system_done(const struct system *s);
struct vm *system_vm(const struct system *s, int i);
int system_n_vms(const struct system *s);

const struct evlog *system_log(const struct system *s);
/* The scheduling points of the run (when the schedule asked to record them). */
const struct sched_pt *system_points(const struct system *s, int *n);
const char *const *system_vm_names(const struct system *s);
struct shm_sys *system_shm(const struct system *s);
uint64_t system_clock(const struct system *s);
/* The schedule actually used, as text (malloc'd). */
char *system_schedule_text(const struct system *s);
/* Fill r->vms (name, program, exit/fault, icount, console, fails). */
int system_vm_results(const struct system *s, struct sc_result *r);

/* The schedule a scenario asks for. */
void scenario_schedule(const struct scenario *sc, struct schedule *out);

#endif
