/* report_compat.h - the client compatibility matrix (conformance/compat.h)
 * as an HTML section and as text. */
#ifndef HVSIM_REPORT_COMPAT_H
#define HVSIM_REPORT_COMPAT_H

#include <stdio.h>
#include "conformance/compat.h"

/* <section id="compat">: one row per client scenario, one column per
 * reading (SPEC section 9), each cell PASS or the failing expectation. The
 * section carries its own <style>. Nothing when t is NULL. */
void report_html_compat(FILE *f, const struct compat_table *t);

/* The same for a terminal: per client the readings it survives, then each
 * reading that breaks it with the first failure. */
void report_text_compat(FILE *f, const struct compat_table *t);

#endif
