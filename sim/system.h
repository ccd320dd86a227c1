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
