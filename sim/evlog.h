/* evlog.h - the event log: the one record of a run (CONTRACT section 5).
 *
 * Every module appends events here; expectations, reports, the debugger and
 * benchmarks read them back. Events are appended in simulated order, so the
 * log is deterministic for a given scenario, seed and schedule.
 */
#ifndef HVSIM_EVLOG_H
#define HVSIM_EVLOG_H

#include <stdint.h>
#include <stdio.h>
#include <stddef.h>

#include "vdev/event.h"

struct evlog {
	struct ev *ev;
	size_t n, cap;
	size_t mmio_cap;      /* mmio events beyond this many are counted, not kept */
	size_t mmio_kept;
	size_t mmio_dropped;
	size_t total_cap;     /* any events beyond this many are counted, not kept */
	size_t dropped;
};

void evlog_init(struct evlog *log);
void evlog_free(struct evlog *log);
/* Append a copy of *e (strings are duplicated); sets seq. Returns the stored event. */
struct ev *evlog_append(struct evlog *log, const struct ev *e);
const char *ev_kind_name(enum ev_kind k);
/* Write one event as a JSON object (no newline). vm_names maps vm index to name. */
void ev_write_json(FILE *f, const struct ev *e, const char *const *vm_names);
/* Write the whole log as JSON Lines. Returns 0 or -1 on I/O error. */
int evlog_write_jsonl(const struct evlog *log, FILE *f, const char *const *vm_names);

#endif
