/* explore_snap.c - a parent's children from snapshots (explore_snap.h).
 *
 * The parent's run is walked once: paused before each point where children
 * depart (the run loop's interrupt poll), the whole system is saved
 * (system_snap_take); each child then runs from there to its end with its
 * departure taken (the branch hook) and the snapshot is restored for the
 * next; after the last child at that point the walk goes on with the
 * policy's choice. The system and its engines live through the whole group,
 * so only each child's suffix is executed. */
#include <stdlib.h>
#include "explore_snap.h"
#include "sim/system.h"

struct walk {
	struct system *sys;
	struct snap_kid *kids; int n, done;
	uint64_t pause_at;                 /* pause before this point (UINT64_MAX: none) */
	uint64_t go_point; int go_vm;      /* the departure of the child running */
	struct sched_pt *pts; int n_pts;   /* engine_finish's points */
};

static bool walk_pause(void *ctx)
{
	struct walk *w = ctx;
	return system_next_point(w->sys) == w->pause_at;
}

static int walk_branch(void *ctx, const struct sched_pt *pt)
{
	struct walk *w = ctx;
	return pt->point == w->go_point ? w->go_vm : pt->def;
}

static void walk_drive(struct system *sys, struct engine_run *run, void *ctx)
{
	struct walk *w = ctx;
	w->sys = sys;
	system_set_interrupt(sys, walk_pause, w);
	system_set_branch(sys, walk_branch, w);
	while (w->done < w->n) {
		uint64_t p = w->kids[w->done].point;
		w->pause_at = p;
		w->go_point = UINT64_MAX;
		if (system_resume(sys) != SYS_PAUSED)
			return;   /* the parent ended before p: not a child of it */
		struct sys_snap *at = system_snap_take(sys);
		if (!at)
			return;
		bool ok = true;
		for (; ok && w->done < w->n && w->kids[w->done].point == p; w->done++) {
			struct snap_kid *k = &w->kids[w->done];
			w->pause_at = UINT64_MAX;
			w->go_point = p;
			w->go_vm = k->vm;
			system_run(sys);
			engine_finish(run, &k->r);
			k->pts = w->pts;
			k->n_pts = w->n_pts;
			w->pts = NULL;
			ok = !system_snap_restore(sys, at);
		}
		system_snap_free(sys, at);
		if (!ok)
			return;
	}
}

int explore_snap_kids(const char *path, const struct engine_opts *o, struct schedule *base,
		      const char **names, const struct sched_force *prefix, int n_prefix,
		      struct snap_kid *kids, int n)
{
	struct walk w = { .kids = kids, .n = n };
	base->forced = (struct sched_force *)prefix;
	base->n_forced = n_prefix;
	char *text = schedule_format(base, names);
	if (!text)
		return 0;
	struct engine_opts eo = *o;
	eo.schedule = text;
	eo.record_points = true;
	eo.points = &w.pts;
	eo.n_points = &w.n_pts;
	eo.drive = walk_drive;
	eo.on_system = NULL;
	eo.on_result = NULL;
	eo.on_system_ctx = &w;
	struct sc_result r;
	engine_run_file(path, &eo, &r);
	result_free(&r);
	free(text);
	return w.done;
}
