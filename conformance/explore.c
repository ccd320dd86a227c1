/* explore.c - schedules that differ in the order of the scheduling points of
 * SPEC GIC-8 across VMs, up to max_preemptions departures from the policy.
 *
 * Each run records its scheduling points: which VM the policy chose and which
 * others could have run. A schedule with k departures, its last at point p,
 * has children that add one more departure at a later point to another
 * runnable VM. Breadth first, so the first failing schedule found has the
 * fewest departures: the shortest counterexample. Runs start from scratch
 * (the machine is deterministic), so no snapshot is needed for correctness.
 */
#include <stdlib.h>
#include <string.h>
#include "explore.h"
#include "scenario_load.h"
#include "sim/system.h"

void (*explore_progress)(const struct explore_stats *st, uint32_t depth, size_t level_size);

struct node { struct sched_force *f; int n; };
struct level { struct node *v; size_t n, cap; };

static int level_push(struct level *l, const struct node *parent, uint64_t point, int vm)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct node *v = realloc(l->v, cap * sizeof(*v));
		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	struct node *nd = &l->v[l->n];
	nd->n = parent->n + 1;
	nd->f = malloc(nd->n * sizeof(*nd->f));
	if (!nd->f)
		return -1;
	if (parent->n)
		memcpy(nd->f, parent->f, parent->n * sizeof(*nd->f));
	nd->f[parent->n] = (struct sched_force){ point, vm };
	l->n++;
	return 0;
}

static void level_free(struct level *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].f);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* Children of a run: one more departure at each later point, to each other
 * VM that could have run there. */
static int expand(struct level *next, const struct node *nd, const struct sched_pt *pts, int n_pts)
{
	uint64_t after = nd->n ? nd->f[nd->n - 1].point : 0;
	for (int i = 0; i < n_pts; i++) {
		if (nd->n && pts[i].point <= after)
			continue;
		for (int v = 0; v < 64; v++)
			if ((pts[i].runnable >> v & 1) && v != pts[i].def &&
			    level_push(next, nd, pts[i].point, v))
				return -1;
	}
	return 0;
}

/* Honest verdicts: every schedule run passed, but not every schedule in the
 * bound was run. */
static void mark_incomplete(struct sc_result *r, const struct explore_stats *st)
{
	char why[256];
	if (st->runs < st->max_schedules)
		snprintf(why, sizeof(why), "search stopped early (out of memory): %llu schedules run, "
			 "all passed", (unsigned long long)st->runs);
	else
		snprintf(why, sizeof(why), "search cut short by max_schedules %llu: %llu schedules "
			 "run, all passed; at least %llu more within max_preemptions %u not run",
			 (unsigned long long)st->max_schedules, (unsigned long long)st->runs,
			 (unsigned long long)st->queued, st->max_preemptions);
	r->status = SC_INCOMPLETE;
	free(r->reason);
	r->reason = strdup(why);
}

int explore_file(const char *path, const struct engine_opts *o, struct sc_result *r,
		 struct explore_stats *st)
{
	char err[1024];
	struct scenario sc;
	memset(st, 0, sizeof(*st));
	memset(r, 0, sizeof(*r));
	if (scenario_load(path, &o->ov, &sc, err, sizeof(err))) {
		engine_run_file(path, o, r);   /* the same error, as a result */
		return -1;
	}
	const char **names = calloc(sc.m.n_vms + 1, sizeof(*names));
	for (int i = 0; names && i < sc.m.n_vms; i++)
		names[i] = sc.m.vms[i].name;
	struct schedule base;
	scenario_schedule(&sc, &base);
	base.points = true;
	st->max_preemptions = sc.max_preemptions;
	st->max_schedules = sc.max_schedules;

	struct level cur = { .v = calloc(1, sizeof(struct node)), .n = 1, .cap = 1 };
	struct level next = {0};
	bool have_first = false, stop = !cur.v;   /* cur holds the root: no departure */
	for (uint32_t depth = 0; !stop && cur.n; depth++) {
		for (size_t i = 0; i < cur.n && !stop; i++) {
			if (st->runs == st->max_schedules) {
				st->queued = (cur.n - i) + next.n;   /* a lower bound on what is left */
				stop = true;
				break;
			}
			base.forced = cur.v[i].f;
			base.n_forced = cur.v[i].n;
			char *text = schedule_format(&base, names);
			struct engine_opts eo = *o;
			struct sched_pt *pts = NULL;
			int n_pts = 0;
			struct sc_result one;
			eo.schedule = text;
			eo.record_points = true;
			eo.points = &pts;
			eo.n_points = &n_pts;
			engine_run_file(path, &eo, &one);
			free(text);
			st->runs++;
			if (explore_progress && st->runs % 500 == 0)
				explore_progress(st, depth, cur.n);
			if (st->runs == 1)
				st->base_points = n_pts;
			if (one.status != SC_PASS) {
				result_free(r);
				*r = one;
				st->failed = true;
				stop = true;
			} else if (!have_first) {
				*r = one;
				have_first = true;
			} else {
				result_free(&one);
			}
			if (!stop && depth < sc.max_preemptions && expand(&next, &cur.v[i], pts, n_pts))
				stop = true;
			free(pts);
		}
		level_free(&cur);
		cur = next;
		memset(&next, 0, sizeof(next));
	}
	st->exhausted = !stop && cur.n == 0;
	if (!st->exhausted && !st->failed && have_first && r->status == SC_PASS)
		mark_incomplete(r, st);
	level_free(&cur);
	level_free(&next);
	free(names);
	scenario_free(&sc);
	return 0;
}
