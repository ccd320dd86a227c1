/* engine.h - run one scenario file end to end: load, build, run, check,
 * and describe the outcome as a struct sc_result. */
#ifndef HVSIM_ENGINE_H
#define HVSIM_ENGINE_H

#include <stdio.h>
#include "scenario_load.h"
#include "result.h"
#include "sim/sched.h"

struct system;
struct engine_run;

struct engine_opts {
	struct sc_overrides ov;
	const char *schedule;      /* replay: schedule text (NULL: the scenario's own) */
	FILE *trace;               /* event log as JSON Lines, or NULL */
	const char *argv0;         /* for the replay command in reports */
	/* Explore: run with stops at every device point and hand back the
	 * scheduling points (malloc'd; NULL when not wanted). */
	bool record_points;
	struct sched_pt **points; int *n_points;
	/* With record_points: fill each point's rd/wr (what VMs share that the
	 * stretch before it touched) and *tail with the last stretch's. */
	bool track_access;
	struct sched_pt *tail;
	/* Called with the built system just before it runs (explore installs
	 * its branching hook here). */
	void (*on_system)(struct system *sys, void *ctx);
	/* Called with the finished result while the system still exists (a
	 * forked explorer child ends its process here, without tearing down). */
	void (*on_result)(const struct sc_result *r, void *ctx);
	void *on_system_ctx;
	/* Explore: race expectations wait for every schedule's reports. */
	bool defer_races;
	/* Explore: VMs kept warm across the runs of this one scenario
	 * (sim/snapshot.h), or NULL: every run builds its own. */
	struct vm_pool *pool;
	/* Fill sc_result.log_hash (the JSON Lines log's FNV-1a): explore's
	 * check that warm, forked and cold runs of a schedule agree. */
	bool hash_log;
	/* The scenario of `path`, loaded and its files checked once for many
	 * runs (explore), or NULL: each run loads it. */
	const struct scenario *loaded;
	/* Explore's prefix snapshots: instead of one run, the built system
	 * goes to drive (with on_system_ctx), which runs it as often as it
	 * likes (system_run, restoring snapshots in between) and takes each
	 * run's result from engine_finish. r then holds only what loading
	 * said (an error, or the scenario's name). */
	void (*drive)(struct system *sys, struct engine_run *run, void *ctx);
};

/* The result of the run of a driven system that just ended (the system
 * lives on). */
void engine_finish(struct engine_run *run, struct sc_result *r);

/* Never fails: an invalid file gives status SC_ERROR with the reason. */
void engine_run_file(const char *path, const struct engine_opts *o, struct sc_result *r);

/* Step-debug one VM (`vm_name`, NULL = the first): the interactive prompt on
 * in/out, or a GDB stub on 127.0.0.1:gdb_port when gdb_port > 0.
 * Returns 0, or -1 with a message. */
int engine_debug_file(const char *path, const struct engine_opts *o, const char *vm_name,
		      int gdb_port, FILE *in, FILE *out, char *err, size_t errlen);

/* The forced choices of `schedule` in words, one line per departure:
 * "@13=b: after a's 4-byte write of 0x1 to shmem0.factory+0x10 (pc ...
 * <create+0x2c>), b runs instead of a". One more run under the schedule.
 * Returns a malloc'd text, or NULL when it cannot run. */
char *engine_explain_schedule(const char *path, const struct engine_opts *o,
			      const char *schedule);

/* Validate without running (hvsim lint). Returns 0, or -1 with a message. */
int engine_lint_file(const char *path, const struct sc_overrides *ov, char *err, size_t errlen);

#endif
