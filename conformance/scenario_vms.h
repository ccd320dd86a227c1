/* scenario_vms.h - the `vms` array of a scenario, for the loader, and the
 * message every section gives for a VM name it does not know. */
#ifndef HVSIM_SCENARIO_VMS_H
#define HVSIM_SCENARIO_VMS_H

#include "json_util.h"
#include "scenario.h"

/* Parse root's `vms` into sc->m.vms; programs by library name resolve in
 * guest_dir. Returns 0 or -1 with the message in c. */
int sc_parse_vms(struct jctx *c, const cJSON *root, struct scenario *sc, const char *guest_dir);
/* "PATH: unknown VM 'x' (VMs: a, b)". Returns -1. */
int sc_unknown_vm(struct jctx *c, const char *path, const struct scenario *sc, const char *name);

#endif
