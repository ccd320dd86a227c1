/* report_races.h - race mode's part of the HTML report (docs/races.md): per
 * scenario, each race report as an annotated timeline. Kept apart from
 * report_html.c, which calls it from a scenario's detail section. */
#ifndef HVSIM_REPORT_RACES_H
#define HVSIM_REPORT_RACES_H

#include <stdio.h>
#include "conformance/result.h"

/* Nothing when r has no race report. id: the scenario's anchor id. */
void report_races_html(FILE *f, const struct sc_result *r, const char *id);

#endif
