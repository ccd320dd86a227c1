/* scenario_shmem.h - a VM's shmem instances and its guest-physical layout
 * (CONTRACT 2, SPEC FAC-1, ACL-1..5), for the scenario loader. */
#ifndef HVSIM_SCENARIO_SHMEM_H
#define HVSIM_SCENARIO_SHMEM_H

#include "json_util.h"
#include "sim/machine.h"

#define GPA_LIMIT        (1ull << 44)          /* CONTRACT 2 */
#define RAM_BASE         0x40000000ull
#define SHM_PAGE         0x1000ull
#define INTR_MIN         32                    /* SPIs */
#define INTR_MAX         255
#define NAME_FIELD_MAX   (SHM_NAME_FIELD - 1)  /* NAM-1: 1..31 bytes */

/* One shmem instance (object at path) into *sh; its arrays are freed with
 * the machine (machine_free). */
int sc_parse_shmem(struct jctx *c, const cJSON *obj, const char *path, struct mach_shmem *sh);
/* ACL-2 across the machine (all VMs parsed): every `create` can be made as
 * sim/system.c builds the instances, VM by VM in order: its global name is
 * legal after subst, and a region created more than once has one size. */
int sc_check_creates(struct jctx *c, const struct machine *m);
/* The layout of vms[v] (its RAM size and shmem parsed). */
int sc_check_layout(struct jctx *c, const struct mach_vm *vm, int v);

#endif
