/* scenario_int.h - private to scenario.c and scenario_expect.c. */
#ifndef HVSIM_SCENARIO_INT_H
#define HVSIM_SCENARIO_INT_H

#include "scenario.h"
#include "json_util.h"

/* Index of the VM named `name`, or -1. */
int sc_vm_index(const struct scenario *sc, const char *name);
/* "PATH: unknown VM 'x' (VMs: a, b)". Returns -1. */
int sc_unknown_vm(struct jctx *c, const char *path, const struct scenario *sc, const char *name);

/* Parse the `expect` array (path "expect") into sc->expect. VMs and host
 * steps are parsed already: names and host ids are checked against them. */
int sc_parse_expect(struct jctx *c, const cJSON *arr, struct scenario *sc);
void sc_expect_free(struct sc_expect *e);

#endif
