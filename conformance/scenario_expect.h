/* scenario_expect.h - the `expect` array of a scenario, for the loader. */
#ifndef HVSIM_SCENARIO_EXPECT_H
#define HVSIM_SCENARIO_EXPECT_H

#include "json_util.h"
#include "scenario.h"

/* Parse the `expect` array (path "expect") into sc->expect. VMs and host
 * steps are parsed already: names and host ids are checked against them. */
int sc_parse_expect(struct jctx *c, const cJSON *arr, struct scenario *sc);

#endif
