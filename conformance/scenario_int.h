/* scenario_int.h - private to the scenario loader (scenario*.c). */
#ifndef HVSIM_SCENARIO_INT_H
#define HVSIM_SCENARIO_INT_H

#include "scenario.h"
#include "json_util.h"

#define GPA_LIMIT        (1ull << 44)          /* CONTRACT 2 */
#define RAM_BASE         0x40000000ull
#define SHM_PAGE         0x1000ull
#define INTR_MIN         32                    /* SPIs */
#define INTR_MAX         255
#define NAME_FIELD_MAX   (SHM_NAME_FIELD - 1)  /* NAM-1: 1..31 bytes */

/* Index of the VM named `name`, or -1. */
int sc_vm_index(const struct scenario *sc, const char *name);
/* "PATH: unknown VM 'x' (VMs: a, b)". Returns -1. */
int sc_unknown_vm(struct jctx *c, const char *path, const struct scenario *sc, const char *name);

/* One shmem instance (object at path) into *sh; its arrays are freed by
 * scenario_free. */
int sc_parse_shmem(struct jctx *c, const cJSON *obj, const char *path, struct mach_shmem *sh);
/* The layout of vms[v] (its RAM size and shmem parsed). */
int sc_check_layout(struct jctx *c, const struct mach_vm *vm, int v);

/* Parse the `expect` array (path "expect") into sc->expect. VMs and host
 * steps are parsed already: names and host ids are checked against them. */
int sc_parse_expect(struct jctx *c, const cJSON *arr, struct scenario *sc);
void sc_expect_free(struct sc_expect *e);

#endif
