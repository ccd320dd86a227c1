/* explore.c - schedules that differ in the order of the scheduling points of
 * SPEC GIC-8 across VMs, up to max_preemptions departures from the policy.
 *
 * A schedule with k departures, its last at point p, has children that add
 * one more departure at a later point to another runnable VM. The reported
 * failure is the one with the fewest departures (the shortest counterexample),
 * the first in schedule order among those.
 *
 * Two searches visit exactly the same schedules:
 *   - by re-execution (the default with one job; -j N: N workers splitting
 *     the schedules): breadth first, every schedule run from the start with
 *     its prefix of forced choices, on VMs kept warm between runs
 *     (sim/snapshot.h; cfg->cold: built anew); the machine is
 *     deterministic, so both meet the same states.
 *   - by fork (shards, cfg->fork): one system runs; at each scheduling point
 *     where a child schedule departs, the process forks and the child takes
 *     the other VM, while the parent waits for that whole subtree, then goes
 *     on. Depth first, so only each schedule's own suffix is executed.
 */
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "dpor.h"
#include "explore_races.h"
#include "explore_snap.h"
#include "explore.h"
#include "scenario_load.h"
#include "expect.h"
#include "sim/snapshot.h"
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
static void mark_incomplete(struct sc_result *r, const struct explore_stats *st,
			    const struct explore_cfg *cfg)
{
	char why[256], cause[64];
	if (st->cut_time)
		snprintf(cause, sizeof(cause), "its time budget (%g s)", cfg ? cfg->seconds : 0);
	else if (st->cut_budget)
		snprintf(cause, sizeof(cause), "max_schedules %llu",
			 (unsigned long long)st->max_schedules);
	else if (st->cut_lost)
		snprintf(cause, sizeof(cause), "a worker process that died or could not start");
	else
		snprintf(cause, sizeof(cause), "a failure to start a run (out of memory)");
	char left[64];
	if (st->queued)
		snprintf(left, sizeof(left), "at least %llu more", (unsigned long long)st->queued);
	else   /* a worker lost: what it left is not known here */
		snprintf(left, sizeof(left), "an unknown number more");
	snprintf(why, sizeof(why), "search cut short by %s: %llu schedules run, all passed; %s "
		 "within max_preemptions %u not run", cause, (unsigned long long)st->runs, left,
		 st->max_preemptions);
	r->status = SC_INCOMPLETE;
	free(r->reason);
	r->reason = strdup(why);
}

static uint64_t explore_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (; s && *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h;
}

/* ---- by re-execution, breadth first --------------------------------------- */

/* Host time, for the search's time budget only. */
static double host_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double deadline_of(const struct explore_cfg *cfg)
{
	return cfg && cfg->seconds > 0 ? host_now() + cfg->seconds : 0;
}

/* Warm workers share the scheduling points of the schedules above the
 * deepest level (MAP_SHARED): the owner of such a schedule runs it and
 * publishes its points; at the end of the level every worker waits for the
 * others and expands the whole next level from what they published, so each
 * knows every schedule's index in search order without running it. A
 * level's table and points alternate between two halves by depth parity: a
 * worker writes level d+2 only after every worker passed the barrier of
 * level d+1, so after each expanded level d. */
#define SHARE_NODES  (1u << 18)   /* published schedules per level */
#define SHARE_PTS    (1u << 21)   /* points per level, all workers (64 B each) */

struct share_ent { uint64_t off; int32_t n; int32_t wk; };   /* n < 0: not published */

struct pts_share {
	uint32_t nw;
	pid_t parent;
	volatile uint32_t arrived, dead;   /* barrier: arrivals, workers lost */
	volatile int stop[2];              /* a worker stopped in a level (by parity):
					    * everyone does at its end */
	volatile uint32_t finished;        /* workers at the end of their search */
	uint64_t min_fail;                 /* lowest index that failed (UINT64_MAX) */
	volatile uint64_t claim[2];        /* the next index of a level to run (by parity) */
	pid_t pids[64];                    /* worker 0 watches these */
	bool reaped[64];
	volatile bool done[64];            /* the worker finished its search */
	int status[64];
	size_t used[2][64];                /* points each worker published */
	struct race_set races;             /* race mode: every worker's runs' reports */
	struct share_ent ent[2][SHARE_NODES];
};

static struct sched_pt *share_pts(struct pts_share *sh, int par, uint32_t wk)
{
	struct sched_pt *base = (struct sched_pt *)(sh + 1);
	return base + (size_t)par * SHARE_PTS + wk * (SHARE_PTS / sh->nw);
}

static size_t share_bytes(uint32_t nw)
{
	(void)nw;
	return sizeof(struct pts_share) + 2 * (size_t)SHARE_PTS * sizeof(struct sched_pt);
}

/* Worker 0: a child that died never arrives; count it and stop the search
 * (at the end of level gen). */
static void share_reap(struct pts_share *sh, uint32_t gen)
{
	for (uint32_t k = 1; k < sh->nw; k++)
		if (!sh->reaped[k] && sh->pids[k] > 0 &&
		    waitpid(sh->pids[k], &sh->status[k], WNOHANG) == sh->pids[k]) {
			sh->reaped[k] = true;
			if (!sh->done[k]) {
				sh->stop[gen & 1] = 1;
				__atomic_add_fetch(&sh->dead, 1, __ATOMIC_SEQ_CST);
			}
		}
}

/* Every worker arrives (the gen-th time); worker 0 counts a child that died
 * as arrived and stops the search, a child whose parent died leaves. */
/* Sleep while *addr is val (a shared futex), at most 10 ms: the waiter
 * looks again for workers that died. */
static void share_wait(volatile uint32_t *addr, uint32_t val)
{
	struct timespec t = { 0, 10000000 };
	syscall(SYS_futex, addr, FUTEX_WAIT, val, &t, NULL, 0);
}

static void share_wake(volatile uint32_t *addr)
{
	syscall(SYS_futex, addr, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

/* Wait until *count plus the workers lost reaches target. */
static void share_wait_for(struct pts_share *sh, uint32_t wk, volatile uint32_t *count,
			   uint32_t target, uint32_t gen)
{
	for (;;) {
		uint32_t now = __atomic_load_n(count, __ATOMIC_SEQ_CST);
		if (now + __atomic_load_n(&sh->dead, __ATOMIC_SEQ_CST) >= target)
			return;
		if (wk == 0)
			share_reap(sh, gen);
		else if (getppid() != sh->parent)
			_exit(1);
		share_wait(count, now);
	}
}

static void share_barrier(struct pts_share *sh, uint32_t wk, uint32_t gen)
{
	__atomic_add_fetch(&sh->arrived, 1, __ATOMIC_SEQ_CST);
	share_wake(&sh->arrived);
	share_wait_for(sh, wk, &sh->arrived, (gen + 1) * sh->nw, gen);
}

/* The end: every worker waits for the others (their failures), then
 * uncounts its runs past the lowest failing index, which the serial search
 * would not have run. counted: (index, schedule hash, log hash) of its runs. */
struct counted { uint64_t g, h, out; };

static int push_counted(struct counted **c, size_t *n, uint64_t g, uint64_t h, uint64_t out)
{
	if (*n == 0 || (*n >= 64 && (*n & (*n - 1)) == 0)) {   /* full: double */
		struct counted *v = realloc(*c, (*n ? *n * 2 : 64) * sizeof(*v));
		if (!v)
			return -1;
		*c = v;
	}
	(*c)[(*n)++] = (struct counted){ g, h, out };
	return 0;
}

static void share_final(struct pts_share *sh, uint32_t wk, struct explore_stats *st,
			const struct counted *c, size_t n)
{
	__atomic_add_fetch(&sh->finished, 1, __ATOMIC_SEQ_CST);
	share_wake(&sh->finished);
	share_wait_for(sh, wk, &sh->finished, sh->nw, 0);   /* no level is left to stop */
	uint64_t mf = __atomic_load_n(&sh->min_fail, __ATOMIC_SEQ_CST);
	for (size_t i = 0; i < n; i++)
		if (c[i].g > mf) {
			st->runs--;
			st->digest -= c[i].h;
			st->outcomes -= c[i].out;
		}
}

static void share_failed(struct pts_share *sh, uint64_t g)
{
	uint64_t cur = __atomic_load_n(&sh->min_fail, __ATOMIC_SEQ_CST);
	while (g < cur && !__atomic_compare_exchange_n(&sh->min_fail, &cur, g, false,
						       __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		;
}

/* The next schedule of level depth for this worker: whoever is free takes
 * the next one, so a worker slowed down (by its own longer runs, or by other
 * processes on the machine) takes fewer. */
static size_t claim(struct pts_share *sh, uint32_t depth)
{
	return __atomic_fetch_add(&sh->claim[depth & 1], 1, __ATOMIC_SEQ_CST);
}

static void share_publish(struct pts_share *sh, int par, size_t i, uint32_t wk,
			  const struct sched_pt *pts, int n)
{
	if (i >= SHARE_NODES)
		return;
	struct share_ent *e = &sh->ent[par][i];
	e->wk = (int32_t)wk;
	e->n = -1;
	if (sh->used[par][wk] + (size_t)n > SHARE_PTS / sh->nw)
		return;   /* full: the others run it themselves */
	memcpy(share_pts(sh, par, wk) + sh->used[par][wk], pts, (size_t)n * sizeof(*pts));
	e->off = sh->used[par][wk];
	e->n = n;
	sh->used[par][wk] += (size_t)n;
}

/* Run one schedule of the search, its points recorded. */
static void run_node(const char *path, const struct engine_opts *o, struct schedule *base,
		     const char **names, const struct node *nd, struct sc_result *one,
		     struct sched_pt **pts, int *n_pts)
{
	base->forced = nd->f;
	base->n_forced = nd->n;
	char *text = schedule_format(base, names);
	struct engine_opts eo = *o;
	eo.schedule = text;
	eo.record_points = true;
	eo.points = pts;
	eo.n_points = n_pts;
	engine_run_file(path, &eo, one);
	free(text);
}

/* The end of a level whose points the workers share: wait for the others,
 * then expand every schedule of the level into `next` from the points its
 * owner published (running it here when they did not fit). Returns true when
 * the search stops: this worker or another stopped in this level (*err: out
 * of memory here). */
static bool share_level(bool *err, struct pts_share *sh, uint32_t wk, uint32_t depth, const char *path,
			const struct engine_opts *o, struct schedule *base, const char **names,
			const struct level *cur, struct level *next, bool stop)
{
	int par = depth & 1;
	/* The flag of this level: another worker past the barrier may set the
	 * next level's already, and sets this parity again only after every
	 * worker arrived at the next barrier (so read this one). */
	if (stop)
		sh->stop[par] = 1;
	share_barrier(sh, wk, depth);
	if (wk == 0)
		sh->claim[par] = 0;   /* for level depth + 2: claimed after the next barrier */
	if (sh->stop[par])
		return true;
	for (size_t i = 0; i < cur->n; i++) {
		const struct share_ent *e = i < SHARE_NODES ? &sh->ent[par][i] : NULL;
		struct sched_pt *pts = NULL;
		int n_pts = 0, rc;
		if (e && e->n >= 0) {
			rc = expand(next, &cur->v[i], share_pts(sh, par, (uint32_t)e->wk) + e->off, e->n);
		} else {
			struct sc_result one;
			run_node(path, o, base, names, &cur->v[i], &one, &pts, &n_pts);
			result_free(&one);
			rc = expand(next, &cur->v[i], pts, n_pts);
			free(pts);
		}
		if (rc)
			return *err = true;
	}
	sh->used[par ^ 1][wk] = 0;   /* the next level's half: this worker's part */
	return false;
}

/* Prefix snapshots (explore_snap.h): the schedules of a level that share
 * their parent (all forced choices but the last), run together from
 * snapshots of the parent's run. A group of cur from index lo; its results
 * are taken in order, the rest (not run, or left when the search stops)
 * freed. */
struct snap_group { struct snap_kid *kids; size_t lo, n; int done; };

static void group_free(struct snap_group *gr)
{
	for (int k = 0; gr->kids && k < (int)gr->n; k++) {
		result_free(&gr->kids[k].r);
		free(gr->kids[k].pts);
	}
	free(gr->kids);
	memset(gr, 0, sizeof(*gr));
}

static bool same_parent(const struct node *a, const struct node *b)
{
	return a->n == b->n && a->n > 0 &&
	       !memcmp(a->f, b->f, (size_t)(a->n - 1) * sizeof(*a->f));
}

/* Where each group of schedules sharing a parent starts in cur, and cur.n
 * after the last: every worker has the same level, so the same groups.
 * NULL when out of memory. */
static size_t *group_starts(const struct level *cur, size_t *n_groups)
{
	size_t *v = malloc((cur->n + 1) * sizeof(*v)), n = 0;
	if (!v)
		return NULL;
	for (size_t i = 0; i < cur->n; i++)
		if (!i || !same_parent(&cur->v[i], &cur->v[i - 1]))
			v[n++] = i;
	v[n] = cur->n;
	*n_groups = n;
	return v;
}

/* Run node i of cur: from the group's snapshots when it has one, else from
 * the start. left: schedules the budget still allows from i. */
static void run_in_group(struct snap_group *gr, const struct level *cur, size_t i, uint64_t left,
			 const char *path, const struct engine_opts *o, struct schedule *base,
			 const char **names, struct sc_result *one, struct sched_pt **pts, int *n_pts)
{
	const struct node *nd = &cur->v[i];
	if (i < gr->lo || i >= gr->lo + gr->n) {
		group_free(gr);
		size_t j = i + 1;   /* no further than the budget lets the search go */
		while (j < cur->n && j - i < left && same_parent(&cur->v[j], nd))
			j++;
		gr->kids = calloc(j - i, sizeof(*gr->kids));
		gr->lo = i;
		gr->n = gr->kids ? j - i : 0;
		for (size_t k = 0; k < gr->n; k++) {
			gr->kids[k].point = cur->v[i + k].f[nd->n - 1].point;
			gr->kids[k].vm = cur->v[i + k].f[nd->n - 1].vm;
		}
		if (gr->n)
			gr->done = explore_snap_kids(path, o, base, names, nd->f, nd->n - 1,
						     gr->kids, (int)gr->n);
	}
	size_t k = i - gr->lo;
	if (gr->n && (int)k < gr->done) {
		*one = gr->kids[k].r;
		*pts = gr->kids[k].pts;
		*n_pts = gr->kids[k].n_pts;
		memset(&gr->kids[k].r, 0, sizeof(gr->kids[k].r));
		gr->kids[k].pts = NULL;
		return;
	}
	run_node(path, o, base, names, nd, one, pts, n_pts);
}

/* Without sh: the serial search, every schedule in order (breadth first;
 * g is a schedule's index in that order). With sh: worker wk of several,
 * which runs the schedules of each level it claims (claim), the root only
 * when it is worker 0 (spawn_workers forks the others after it). Above the
 * deepest level their points make the next level: each worker publishes its
 * own and expands the level from everyone's (share_level). *fail_g gets the
 * index of the failure it found. */
struct spawn;
static void spawn_workers(struct spawn *sp);

static void explore_by_reexec(const char *path, const struct scenario *scp,
			      const struct engine_opts *o, const struct explore_cfg *cfg,
			      struct sc_result *r, struct explore_stats *st,
			      uint32_t wk, uint64_t *fail_g, struct pts_share *sh, struct spawn *sp)
{
	uint64_t g = 0;
	double deadline = deadline_of(cfg);
	const struct scenario sc = *scp;
	const char **names = calloc(sc.m.n_vms + 1, sizeof(*names));
	for (int i = 0; names && i < sc.m.n_vms; i++)
		names[i] = sc.m.vms[i].name;
	struct schedule base;
	scenario_schedule(&sc, &base);
	base.points = true;
	st->max_preemptions = sc.max_preemptions;
	st->max_schedules = sc.max_schedules;

	/* race mode: every run's reports, by index (with sh: every worker's) */
	struct race_set *races = !sc.m.races ? NULL : sh ? &sh->races : calloc(1, sizeof(*races));
	struct level cur = { .v = calloc(1, sizeof(struct node)), .n = 1, .cap = 1 };
	struct level next = {0};
	struct counted *cnt = NULL;   /* with sh: this worker's runs */
	size_t n_cnt = 0;
	bool have_first = false, stop = !cur.v;   /* cur holds the root: no departure */
	/* warm VMs, no race mode (the detector's state is not in snapshots):
	 * prefix snapshots; workers then claim whole groups (a parent's
	 * children), so each group's parent runs once, in the worker that took it */
	bool snaps = cfg && cfg->snapshots && !sc.m.races && o->pool;
	struct snap_group group = {0};
	for (uint32_t depth = 0; !stop && cur.n; depth++) {
		uint64_t first = g;   /* the level's first index */
		/* with sh and snaps: the level's groups and the one claimed */
		size_t n_groups = 0, in_group = 0, group_end = 0;
		size_t *starts = sh && snaps && depth ? group_starts(&cur, &n_groups) : NULL;
		if (sh && snaps && depth && !starts)
			stop = st->cut_error = true;   /* the others claim groups: no index claims */
		for (size_t i = 0; !stop; i++) {
			if (starts) {
				if (in_group >= group_end) {
					size_t q = claim(sh, depth);
					in_group = q < n_groups ? starts[q] : cur.n;
					group_end = q < n_groups ? starts[q + 1] : cur.n;
				}
				i = in_group++;
			} else if (sh && depth)
				i = claim(sh, depth);
			else if (sh && wk)
				break;   /* the root: worker 0 ran it before the others existed */
			if (i >= cur.n)
				break;
			g = first + i;
			if (sh && g > __atomic_load_n(&sh->min_fail, __ATOMIC_SEQ_CST))
				break;   /* past another worker's failure: not counted */
			bool late = deadline && host_now() > deadline;
			if (g >= st->max_schedules || late) {
				/* a lower bound on what is left (of the one that met the budget) */
				st->queued = g == st->max_schedules || (late && wk == 0) ?
					     (cur.n - i) + next.n : 0;
				st->cut_time = late;
				st->cut_budget = !late;
				stop = true;
				break;
			}
			bool publish = sh && depth < sc.max_preemptions;
			struct sched_pt *pts = NULL;
			int n_pts = 0;
			struct sc_result one;
			if (snaps && depth)
				run_in_group(&group, &cur, i, st->max_schedules - g, path, o, &base, names,
					     &one, &pts, &n_pts);
			else
				run_node(path, o, &base, names, &cur.v[i], &one, &pts, &n_pts);
			if (races)
				race_set_merge(races, g, &one);
			if (sh && push_counted(&cnt, &n_cnt, g, explore_hash(one.schedule), one.log_hash))
				st->cut_error = true;
			st->runs++;
			st->digest += explore_hash(one.schedule);
			st->outcomes += one.log_hash;
			if (explore_progress && st->runs % 50 == 0)
				explore_progress(st, depth, cur.n);
			if (g == 0)
				st->base_points = n_pts;
			if (one.status != SC_PASS) {
				if (have_first)
					result_free(r);
				*r = one;
				have_first = true;
				*fail_g = g;
				st->failed = true;
				stop = true;
				if (sh)
					share_failed(sh, g);
			} else if (!have_first) {
				*r = one;
				have_first = true;
			} else {
				result_free(&one);
			}
			if (!stop && publish)
				share_publish(sh, depth & 1, i, wk, pts, n_pts);
			else if (!stop && depth < sc.max_preemptions &&
				 expand(&next, &cur.v[i], pts, n_pts))
				stop = st->cut_error = true;
			free(pts);
		}
		group_free(&group);
		free(starts);
		if (sp)
			spawn_workers(sp);   /* after the root's run: they start warm */
		if (sh && depth < sc.max_preemptions)
			stop = share_level(&st->cut_error, sh, wk, depth, path, o, &base, names,
					   &cur, &next, stop) || stop;
		g = first + cur.n;
		level_free(&cur);
		cur = next;
		memset(&next, 0, sizeof(next));
	}
	st->exhausted = !stop && cur.n == 0;
	if (sp)
		spawn_workers(sp);   /* the search ended in the root's level */
	if (sh)
		share_final(sh, wk, st, cnt, n_cnt);
	free(cnt);
	if (!st->exhausted && !st->failed && have_first && r->status == SC_PASS)
		mark_incomplete(r, st, cfg);
	if (races && !sh) {
		race_set_apply(r, races, UINT64_MAX);
		free(races);
	}
	level_free(&cur);
	level_free(&next);
	free(names);
}

/* ---- warm workers: -j N in processes that re-execute ---------------------- */

#define MAX_WORKERS 64

/* What each worker hands back (MAP_SHARED). */
struct worker_out {
	struct explore_stats st;
	uint64_t fail_g;           /* global index of its failure (st.failed) */
	char schedule[8192];       /* that failure's schedule */
	bool done;                 /* it finished and wrote this */
};

/* Worker 0 forks the others once it has run the first schedule (the root,
 * its own): they inherit its VMs warm (engines, translated code, the loaded
 * scenario) instead of each building them cold while the rest wait for it at
 * the first level's end. */
struct spawn {
	bool done;
	const char *path;
	const struct scenario *sc;
	const struct engine_opts *o;
	const struct explore_cfg *cfg;
	uint32_t nw;
	struct worker_out *w;
	struct pts_share *sh;
	pid_t pids[MAX_WORKERS];
};

static void spawn_workers(struct spawn *sp)
{
	if (sp->done)
		return;
	sp->done = true;
	fflush(NULL);   /* a child must not write its parent's buffers again */
	for (uint32_t k = 1; k < sp->nw; k++) {
		sp->pids[k] = fork();
		if (sp->pids[k] == 0) {
			struct worker_out *w = &sp->w[k];
			explore_progress = NULL;   /* one progress line: worker 0's */
			struct sc_result one = {0};
			explore_by_reexec(sp->path, sp->sc, sp->o, sp->cfg, &one, &w->st, k, &w->fail_g,
					  sp->sh, NULL);
			if (w->st.failed && one.schedule)
				snprintf(w->schedule, sizeof(w->schedule), "%s", one.schedule);
			w->done = true;
			sp->sh->done[k] = true;
			_exit(0);   /* no teardown: the parent owns the rest */
		}
		if (sp->pids[k] < 0) {
			/* as a worker that died before its first barrier: the
			 * others do not wait for it, the search ends INCOMPLETE */
			sp->sh->reaped[k] = true;
			sp->sh->stop[0] = 1;
			__atomic_add_fetch(&sp->sh->dead, 1, __ATOMIC_SEQ_CST);
			continue;
		}
		sp->sh->pids[k] = sp->pids[k];
	}
}

/* nw workers, each with its own warm VMs, split the serial search's
 * schedules (explore_by_reexec): this process is worker 0 (its VMs are the
 * pool of o, its first schedule's record the verdict's when every schedule
 * passes), nw - 1 forked processes the others (spawn_workers). The verdict
 * is the serial one: the failure of the lowest index, run again here for its
 * record when another worker found it. */
static int explore_by_workers(const char *path, const struct scenario *sc,
			      const struct engine_opts *o, const struct explore_cfg *cfg,
			      struct sc_result *r, struct explore_stats *st, uint32_t nw)
{
	if (nw > MAX_WORKERS)
		nw = MAX_WORKERS;
	size_t bytes = nw * sizeof(struct worker_out);
	struct worker_out *w = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
				    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (w == MAP_FAILED)
		return -1;
	memset(w, 0, bytes);
	/* the points of the levels above the deepest, the index claimed next */
	size_t sh_bytes = share_bytes(nw);
	struct pts_share *sh = mmap(NULL, sh_bytes, PROT_READ | PROT_WRITE,
				    MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (sh == MAP_FAILED) {
		uint64_t fail_g;
		munmap(w, bytes);
		explore_by_reexec(path, sc, o, cfg, r, st, 0, &fail_g, NULL, NULL);
		return 0;   /* the serial search, then */
	}
	sh->nw = nw;
	sh->parent = getpid();
	sh->min_fail = UINT64_MAX;
	struct spawn sp = { .path = path, .sc = sc, .o = o, .cfg = cfg, .nw = nw, .w = w, .sh = sh };
	pid_t *pids = sp.pids;
	explore_by_reexec(path, sc, o, cfg, r, &w[0].st, 0, &w[0].fail_g, sh, &sp);
	w[0].done = true;
	bool lost = false;
	for (uint32_t k = 1; k < nw; k++) {
		int status = 0;
		if (sh->reaped[k])
			lost |= !w[k].done;
		else if (pids[k] < 0 || waitpid(pids[k], &status, 0) < 0 || !w[k].done)
			lost = true;
	}
	int best = -1;
	memset(st, 0, sizeof(*st));
	st->max_preemptions = sc->max_preemptions;
	st->max_schedules = sc->max_schedules;
	for (uint32_t k = 0; k < nw; k++) {
		const struct explore_stats *s = &w[k].st;
		st->runs += s->runs;
		st->digest += s->digest;
		st->outcomes += s->outcomes;
		st->queued += s->queued;
		st->cut_budget |= s->cut_budget;
		st->cut_time |= s->cut_time;
		st->cut_error |= s->cut_error;
		if (k == 0)
			st->base_points = s->base_points;
		if (s->failed && (best < 0 || w[k].fail_g < w[best].fail_g))
			best = (int)k;
	}
	st->cut_error |= lost;
	st->cut_lost = lost;
	if (best > 0) {
		/* another worker's failure, from the start, for its full record */
		struct engine_opts eo = *o;
		result_free(r);
		st->failed = true;
		eo.schedule = w[best].schedule;
		engine_run_file(path, &eo, r);
	} else if (best == 0) {
		st->failed = true;   /* r is its record */
	} else {
		/* every schedule run passed: r is the first one's record, judged
		 * complete or not on what all the workers did */
		if (r->status == SC_INCOMPLETE) {
			r->status = SC_PASS;
			free(r->reason);
			r->reason = NULL;
		}
		st->exhausted = !lost && !st->cut_budget && !st->cut_time && !st->cut_error;
		if (!st->exhausted && r->status == SC_PASS)
			mark_incomplete(r, st, cfg);
	}
	if (sc->m.races)   /* the serial search's: up to its failure */
		race_set_apply(r, &sh->races, sh->min_fail);
	munmap(sh, sh_bytes);
	munmap(w, bytes);
	return 0;
}

/* ---- by fork, iterative deepening ------------------------------------------ */

/* Round K runs the tree down to K departures and counts only the schedules
 * with exactly K: the breadth-first level K. Shallower schedules run again as
 * prefixes, each only its own suffix. Forks happen in schedule order and the
 * budget counts started schedules, so the schedules run are the first ones in
 * that order whatever the parallelism; of the failures of a round the first
 * in schedule order is kept, so the verdict is the same too. */

#define MAX_DEPARTURES 64
#define MAX_JOBS       64
#define COMMIT_RING    256   /* leaves finished, not yet counted in order (> MAX_JOBS) */

/* A counted schedule's figures, until every schedule before it has finished. */
struct commit_slot { uint64_t tag; uint64_t hash, log_hash; bool failed; };

/* What every process of the search shares (MAP_SHARED); with jobs > 1 several
 * leaves run at once, so counters are atomic and the rest is under `lock`.
 * Leaves finish in any order but are counted in the order they were forked
 * (the ring), and counting stops at the first failure: what the serial search
 * runs. Races are kept by the first schedule in that order that showed them. */
struct shared {
	uint32_t level;            /* K of this round */
	uint32_t jobs;             /* leaves running at once */
	uint64_t runs;             /* schedules of depth K counted, all rounds */
	uint64_t enumerated;       /* schedules met in order, every shard's (budget, shards) */
	uint32_t shard_k, shard_n; /* this process runs schedule i when i mod n == k - 1 */
	double deadline;           /* host time past which no schedule starts, 0 none */
	bool cut_budget, cut_time, cut_error;
	uint64_t skipped;          /* depth-K departures not taken: budget spent */
	uint64_t digest;
	uint64_t outcomes;         /* sum of the runs' log hashes (hash_log) */
	uint64_t root_points;
	int lock;
	bool failed, crashed, stop;
	struct sched_force best_seq[MAX_DEPARTURES]; /* the failure kept: its departures */
	char best[8192];                             /* and its schedule string */
	uint64_t started;          /* counted schedules started (numbers them) */
	uint64_t committed;        /* counted in order so far */
	uint64_t fail_no;          /* number of the first failure counted (UINT64_MAX) */
	struct commit_slot ring[COMMIT_RING];
	struct race_set races;     /* race mode: distinct reports (own lock) */
};

struct kid { pid_t pid; uint64_t point; int v; uint64_t no; };

/* One process's place in the tree (copied by fork). */
struct brancher {
	struct shared *sh;
	const struct scenario *sc;
	const char *const *names;
	struct system *sys;
	uint32_t k;                /* departures taken by this process's schedule */
	struct sched_force seq[MAX_DEPARTURES];
	bool child;
	uint64_t no;               /* a leaf's number in the order of counting */
	struct kid kids[MAX_JOBS]; int n_kids;   /* leaves forked, not yet reaped */
};

/* Schedule order of two departure lists of the same length. */
static bool earlier(const struct sched_force *a, const struct sched_force *b, uint32_t k)
{
	for (uint32_t i = 0; i < k; i++) {
		if (a[i].point != b[i].point)
			return a[i].point < b[i].point;
		if (a[i].vm != b[i].vm)
			return a[i].vm < b[i].vm;
	}
	return false;
}

/* A failing schedule of this round: kept when it is the first in order. */
static void keep_failure(struct shared *sh, const struct sched_force *seq, uint32_t k,
			 const char *schedule, bool crash)
{
	explore_lock(&sh->lock);
	if (!sh->failed || earlier(seq, sh->best_seq, k)) {
		sh->failed = true;
		sh->crashed = crash;
		memcpy(sh->best_seq, seq, k * sizeof(*seq));
		snprintf(sh->best, sizeof(sh->best), "%s", schedule ? schedule : "");
	}
	sh->stop = true;   /* later schedules of this round cannot be earlier */
	explore_unlock(&sh->lock);
}

/* A counted schedule ended (no: its number): count it and every finished one
 * after it in order, up to the first failure. */
static void commit(struct shared *sh, uint64_t no, uint64_t hash, uint64_t log_hash, bool failed,
		   uint32_t max_preemptions)
{
	explore_lock(&sh->lock);
	sh->ring[no % COMMIT_RING] = (struct commit_slot){ no + 1, hash, log_hash, failed };
	for (struct commit_slot *c; sh->fail_no == UINT64_MAX &&
	     (c = &sh->ring[sh->committed % COMMIT_RING])->tag == sh->committed + 1; sh->committed++) {
		sh->runs++;
		sh->digest += c->hash;
		sh->outcomes += c->log_hash;
		if (c->failed)
			sh->fail_no = sh->committed;
		if (explore_progress && sh->runs % 50 == 0) {
			struct explore_stats now = { .runs = sh->runs,
						     .max_preemptions = max_preemptions };
			explore_progress(&now, sh->level, 0);
		}
	}
	explore_unlock(&sh->lock);
}

/* The schedule a child took: this process's so far, plus the departure.
 * For a child that crashed before it could say. */
static void child_schedule(const struct brancher *b, const struct kid *kd, char *out, size_t n)
{
	char *mine = system_schedule_text(b->sys);
	snprintf(out, n, "%s,@%llu=%s", mine ? mine : "?", (unsigned long long)kd->point,
		 b->names[kd->v]);
	free(mine);
}

/* Kid at (a leaf: numbered) has its figures in the ring, or counted. */
static bool counted_leaf(const struct brancher *b, int at)
{
	if (at < 0 || b->kids[at].no == UINT64_MAX)
		return true;   /* not a leaf: nothing to count */
	struct shared *sh = b->sh;
	uint64_t no = b->kids[at].no;
	explore_lock(&sh->lock);
	bool in = sh->committed > no || sh->ring[no % COMMIT_RING].tag == no + 1;
	explore_unlock(&sh->lock);
	return in;
}

/* Wait for one of this process's children (any when pid < 0). */
static void reap(struct brancher *b, pid_t pid)
{
	int status = 0;
	pid_t got;
	while ((got = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	int at = -1;
	for (int i = 0; i < b->n_kids; i++)
		if (b->kids[i].pid == got)
			at = i;
	struct shared *sh = b->sh;
	if (got > 0 && (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !counted_leaf(b, at))) {
		/* The child died inside its run (or a leaf ended without counting
		 * itself, which would hold up the count in order): an error of
		 * that schedule. */
		char s[sizeof(sh->best)];
		struct sched_force seq[MAX_DEPARTURES];
		struct kid kd = at >= 0 ? b->kids[at] : (struct kid){ got, 0, 0, UINT64_MAX };
		child_schedule(b, &kd, s, sizeof(s));
		memcpy(seq, b->seq, b->k * sizeof(*seq));
		seq[b->k] = (struct sched_force){ kd.point, kd.v };
		if (b->k + 1 == sh->level && kd.no != UINT64_MAX)
			commit(sh, kd.no, 0, 0, true, b->sc->max_preemptions);
		keep_failure(sh, seq, b->k + 1, s, true);
	}
	if (at >= 0)
		b->kids[at] = b->kids[--b->n_kids];
}

static void reap_all(struct brancher *b)
{
	while (b->n_kids)
		reap(b, -1);
}

static int branch(void *ctx, const struct sched_pt *pt)
{
	struct brancher *b = ctx;
	struct shared *sh = b->sh;
	if (!b->child)
		sh->root_points = pt->point + 1;
	for (int v = 0; v < 64 && b->k < sh->level; v++) {
		if (!(pt->runnable >> v & 1) || v == pt->def)
			continue;
		if (__atomic_load_n(&sh->stop, __ATOMIC_RELAXED))
			break;
		if (sh->deadline && host_now() > sh->deadline) {
			sh->skipped++;   /* at least this one, and nothing more starts */
			sh->cut_time = sh->stop = true;
			break;
		}
		bool leaf = b->k + 1 == sh->level;
		if (leaf) {
			if (b->n_kids == (int)sh->jobs)
				reap(b, -1);
			if (__atomic_load_n(&sh->stop, __ATOMIC_RELAXED))
				break;
			uint64_t index = sh->enumerated++;
			if (index >= b->sc->max_schedules) {
				sh->skipped++;
				sh->cut_budget = true;
				continue;
			}
			if (index % sh->shard_n != sh->shard_k - 1)
				continue;   /* another shard runs it */
			/* the leaves in flight are all this process's: wait for
			 * the oldest until the ring has room for this one */
			while (b->n_kids && sh->started - __atomic_load_n(&sh->committed,
					__ATOMIC_SEQ_CST) >= COMMIT_RING - 1)
				reap(b, -1);
			if (__atomic_load_n(&sh->stop, __ATOMIC_RELAXED))
				break;
		} else {
			reap_all(b);   /* its subtree runs its own leaves */
		}
		fflush(NULL);   /* a child must not write its parent's buffers again */
		uint64_t no = leaf ? sh->started++ : UINT64_MAX;
		pid_t pid = fork();
		if (pid == 0) {
			b->child = true;
			b->no = no;
			b->seq[b->k++] = (struct sched_force){ pt->point, v };
			b->n_kids = 0;
			return v;
		}
		if (pid < 0) {
			sh->skipped += leaf;
			sh->cut_error = true;
			sh->started -= leaf;   /* only this process numbers leaves */
			continue;
		}
		b->kids[b->n_kids++] = (struct kid){ pid, pt->point, v, no };
		if (!leaf)
			reap(b, pid);
	}
	return pt->def;
}

static void on_system(struct system *sys, void *ctx)
{
	struct brancher *b = ctx;
	b->sys = sys;
	system_set_branch(sys, branch, b);
}

/* The end of one process's schedule, while its system still exists. */
static void fork_result(const struct sc_result *one, void *ctx)
{
	struct brancher *b = ctx;
	struct shared *sh = b->sh;
	reap_all(b);
	if (b->k == sh->level && (b->child || sh->shard_k == 1)) {
		/* A schedule of this round's depth ends: count it, judge it (the
		 * root's own, schedule 0, belongs to the first shard). */
		uint64_t no = b->child ? b->no : sh->started++;   /* the root runs alone */
		race_set_merge(&sh->races, no, one);
		if (one->status != SC_PASS)
			keep_failure(sh, b->seq, b->k, one->schedule, false);
		commit(sh, no, explore_hash(one->schedule), one->log_hash, one->status != SC_PASS,
		       b->sc->max_preemptions);
	}
	if (b->child)
		_exit(0);   /* no teardown, no flush: the parent owns both */
}

/* One round: the root's run, with every process it forks. Returns in the
 * root only, with the root's result in *one. */
static void fork_round(const char *path, const struct engine_opts *o, const char *text,
		       struct brancher *b, struct sc_result *one)
{
	struct engine_opts eo = *o;
	eo.schedule = text;
	eo.on_system = on_system;
	eo.on_result = fork_result;
	eo.on_system_ctx = b;
	engine_run_file(path, &eo, one);
}

static int explore_by_fork(const char *path, const struct scenario *sc,
			   const struct engine_opts *o, const struct explore_cfg *cfg,
			   struct sc_result *r, struct explore_stats *st)
{
	uint32_t jobs = cfg ? cfg->jobs : 1;
	struct shared *sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return -1;
	memset(sh, 0, sizeof(*sh));
	sh->jobs = jobs < 1 ? 1 : jobs > MAX_JOBS ? MAX_JOBS : jobs;
	sh->shard_n = cfg && cfg->shard_n > 1 ? cfg->shard_n : 1;
	sh->shard_k = sh->shard_n > 1 ? cfg->shard_k : 1;
	sh->enumerated = 1;   /* schedule 0 is the root's, the first round's only one */
	sh->fail_no = UINT64_MAX;
	sh->deadline = deadline_of(cfg);
	const char **names = calloc(sc->m.n_vms + 1, sizeof(*names));
	if (!names) {
		munmap(sh, sizeof(*sh));
		return -1;
	}
	for (int i = 0; i < sc->m.n_vms; i++)
		names[i] = sc->m.vms[i].name;
	struct schedule base;
	scenario_schedule(sc, &base);
	base.points = true;
	char *text = schedule_format(&base, names);
	struct sc_result one = {0};
	bool have = false;
	uint32_t deepest = sc->max_preemptions < MAX_DEPARTURES ? sc->max_preemptions :
			   MAX_DEPARTURES - 1;
	for (uint32_t level = 0; level <= deepest && !sh->stop; level++) {
		struct brancher b = { .sh = sh, .sc = sc, .names = names };
		if (have)
			result_free(&one);
		uint64_t before = sh->enumerated;
		sh->level = level;
		fork_round(path, o, text, &b, &one);
		have = true;
		if (level && sh->enumerated == before)
			break;   /* no schedule has this many departures: the tree ends */
	}
	free(text);
	st->runs = sh->runs;
	st->digest = sh->digest;
	st->outcomes = sh->outcomes;
	st->base_points = sh->root_points;
	st->failed = sh->failed;
	st->crashed = sh->crashed;
	st->queued = sh->skipped;
	st->cut_budget = sh->cut_budget;
	st->cut_time = sh->cut_time;
	st->cut_error = sh->cut_error;
	st->exhausted = !sh->failed && !sh->skipped;
	if (sh->failed && !sh->crashed) {
		/* The failure again, from the start, for its full record. */
		result_free(&one);
		struct engine_opts eo = *o;
		eo.schedule = sh->best;
		engine_run_file(path, &eo, r);
	} else if (sh->failed) {
		char why[sizeof(sh->best) + 64];
		snprintf(why, sizeof(why), "hvsim crashed running schedule %s", sh->best);
		*r = one;
		r->status = SC_ERROR;
		free(r->reason);
		r->reason = strdup(why);
		free(r->schedule);
		r->schedule = strdup(sh->best);
	} else {
		*r = one;
		if (r->status != SC_PASS && sh->shard_k != 1) {
			/* The root's schedule is the first shard's to judge: this
			 * shard's own schedules all passed. */
			r->status = SC_PASS;
			free(r->reason);
			r->reason = NULL;
		}
		if (!st->exhausted && r->status == SC_PASS)
			mark_incomplete(r, st, cfg);
	}
	race_set_apply(r, &sh->races, sh->fail_no);
	free(names);
	munmap(sh, sizeof(*sh));
	return 0;
}

/* ---- reduced: dynamic partial-order reduction, by re-execution ----------- */

/* Why a scenario cannot be reduced: what it checks or does depends on more
 * than the order of dependent accesses (docs/explore.md). NULL: it can. */
static const char *dpor_unsupported(const struct scenario *sc)
{
	if (sc->policy != POLICY_ROUND_ROBIN)
		return "the random policy draws at every point";
	if (sc->m.n_vms > ACC_MAX_VMS)
		return "more VMs than the reduction tracks";
	for (int i = 0; i < sc->m.n_host; i++)
		if (sc->m.host[i].trig == TRIG_INSTRUCTIONS)
			return "a host step at an instruction count";
	for (int i = 0; i < sc->n_expect; i++)
		if (sc->expect[i].kind == EXP_ORDER || sc->expect[i].kind == EXP_LATENCY)
			return "an order or latency expectation across VMs";
	/* the reduction skips schedules that differ only in shared-data order,
	 * which is exactly what race mode must see */
	if (sc->m.races)
		return "race mode checks the accesses of every schedule";
	return NULL;
}

struct dpor_run {
	struct sc_result r;
	struct dpor_step *steps;
	size_t n;
};

/* One schedule: the scenario's policy with `forced` departures. */
static int dpor_run_one(const char *path, const struct engine_opts *o, struct schedule *base,
			const char *const *names, const struct sched_force *forced, int n_forced,
			struct dpor_run *out)
{
	memset(out, 0, sizeof(*out));
	base->forced = (struct sched_force *)forced;
	base->n_forced = n_forced;
	char *text = schedule_format(base, names);
	base->forced = NULL;
	base->n_forced = 0;
	if (!text)
		return -1;
	struct engine_opts eo = *o;
	struct sched_pt *pts = NULL, tail = {0};
	int n_pts = 0;
	eo.schedule = text;
	eo.record_points = true;
	eo.track_access = true;
	eo.points = &pts;
	eo.n_points = &n_pts;
	eo.tail = &tail;
	engine_run_file(path, &eo, &out->r);
	free(text);
	out->steps = calloc(n_pts + 1, sizeof(*out->steps));
	if (!out->steps) {
		free(pts);
		return -1;
	}
	int f = 0;
	for (int k = 0; k < n_pts; k++) {
		struct dpor_step *st = &out->steps[k];
		st->point = pts[k].point;
		st->cur = pts[k].cur;
		st->def = pts[k].def;
		st->runnable = pts[k].runnable;
		while (f < n_forced && forced[f].point < pts[k].point)
			f++;
		bool dep = f < n_forced && forced[f].point == pts[k].point &&
			   (pts[k].runnable >> forced[f].vm & 1);
		st->chosen = dep ? forced[f].vm : pts[k].def >= 0 ? pts[k].def : -1;
		const struct sched_pt *after = k + 1 < n_pts ? &pts[k + 1] : &tail;
		st->seg = (struct dpor_acc){ after->rd, after->wr };
	}
	out->n = n_pts;
	free(pts);
	return 0;
}

/* The departures of the stack down to node `at` (inclusive). */
static int dpor_forced(const struct dpor *d, size_t at, struct sched_force **out)
{
	int n = 0;
	*out = malloc((at + 1) * sizeof(**out));
	if (!*out)
		return -1;
	for (size_t k = 0; k <= at; k++)
		if (d->v[k].s.chosen >= 0 && d->v[k].s.chosen != d->v[k].s.def)
			(*out)[n++] = (struct sched_force){ d->v[k].s.point, d->v[k].s.chosen };
	return n;
}

/* A failing schedule with fewer departures, greedily: drop each departure
 * when the scenario still fails without it. */
static void dpor_shrink(const char *path, const struct engine_opts *o, struct schedule *base,
			const char *const *names, struct sched_force *f, int *n,
			struct sc_result *r, struct explore_stats *st)
{
	for (int k = 0; k < *n && *n > 1;) {
		struct sched_force *g = malloc(*n * sizeof(*g));
		if (!g)
			return;
		int m = 0;
		for (int i = 0; i < *n; i++)
			if (i != k)
				g[m++] = f[i];
		struct dpor_run run;
		int rc = dpor_run_one(path, o, base, names, g, m, &run);
		free(run.steps);
		if (!rc && run.r.status == SC_FAIL) {
			memcpy(f, g, m * sizeof(*g));
			*n = m;
			st->shrunk++;
			result_free(r);
			*r = run.r;
		} else {
			result_free(&run.r);
			k++;
		}
		free(g);
	}
}

static void explore_by_dpor(const char *path, const struct scenario *sc,
			    const struct engine_opts *o, const struct explore_cfg *cfg,
			    struct sc_result *r, struct explore_stats *st)
{
	double deadline = deadline_of(cfg);
	const char **names = calloc(sc->m.n_vms + 1, sizeof(*names));
	struct dpor d;
	dpor_init(&d, sc->m.n_vms, sc->max_preemptions, cfg->sleep_sets);
	struct schedule base;
	scenario_schedule(sc, &base);
	base.points = true;
	st->reduced = true;
	bool have_first = false;
	struct sched_force *forced = NULL;
	int n_forced = 0;
	long from = -1;
	for (int i = 0; names && i < sc->m.n_vms; i++)
		names[i] = sc->m.vms[i].name;
	for (bool more = names != NULL; more;) {
		bool late = deadline && host_now() > deadline;
		if (st->runs == st->max_schedules || late) {
			st->cut_time = late;
			st->cut_budget = !late;
			st->queued = dpor_pending(&d) + 1;   /* the one about to start, at least */
			break;
		}
		struct dpor_run run;
		if (dpor_run_one(path, o, &base, names, forced, n_forced, &run)) {
			free(run.steps);
			result_free(&run.r);
			st->cut_error = true;
			st->queued = dpor_pending(&d) + 1;
			break;
		}
		st->runs++;
		st->digest += explore_hash(run.r.schedule);
		st->outcomes += run.r.log_hash;
		if (st->runs == 1)
			st->base_points = run.n;
		if (explore_progress && st->runs % 50 == 0) {
			st->queued = dpor_pending(&d);   /* for the estimate; reset below */
			explore_progress(st, (uint32_t)n_forced, 0);
			st->queued = 0;
		}
		if (run.r.status != SC_PASS) {
			if (have_first)
				result_free(r);
			*r = run.r;
			have_first = true;
			st->failed = true;
			free(run.steps);
			if (r->status == SC_FAIL)
				dpor_shrink(path, o, &base, names, forced, &n_forced, r, st);
			break;
		}
		if (!have_first) {
			*r = run.r;
			have_first = true;
		} else {
			result_free(&run.r);
		}
		int rc = dpor_absorb(&d, from, run.steps, run.n);
		free(run.steps);
		if (rc) {
			st->cut_error = true;   /* not deterministic, or out of memory */
			st->queued = dpor_pending(&d) + 1;
			break;
		}
		size_t at;
		int vm;
		if (!dpor_next(&d, &at, &vm))
			break;
		free(forced);
		n_forced = dpor_forced(&d, at, &forced);
		if (n_forced < 0) {
			st->cut_error = true;
			st->queued = dpor_pending(&d) + 1;
			break;
		}
		from = (long)at;
	}
	st->races = d.races;
	st->exhausted = !st->failed && !st->cut_time && !st->cut_budget && !st->cut_error;
	if (!st->exhausted && !st->failed && have_first && r->status == SC_PASS)
		mark_incomplete(r, st, cfg);
	free(forced);
	dpor_free(&d);
	free(names);
}

int explore_file(const char *path, const struct engine_opts *o, const struct explore_cfg *cfg,
		 struct sc_result *r, struct explore_stats *st)
{
	char err[1024];
	struct scenario sc;
	memset(st, 0, sizeof(*st));
	memset(r, 0, sizeof(*r));
	if (scenario_load(path, &o->ov, &sc, err, sizeof(err))) {
		engine_run_file(path, o, r);   /* the same error, as a result */
		return -1;
	}
	st->max_preemptions = sc.max_preemptions;
	st->max_schedules = sc.max_schedules;
	int rc = 0;
	struct engine_opts eo = *o;
	eo.defer_races = sc.m.races;   /* judged once, on every schedule's reports */
	/* Re-executions take their VMs warm: engines and translated code kept,
	 * state reset to the load (sim/snapshot.h). */
	struct vm_pool *pool = NULL;
	eo.hash_log = cfg && cfg->hash_log;
	/* One process, no fork asked: warm re-execution (the fastest here). */
	bool reexec = cfg && (cfg->reexec || (!cfg->fork && cfg->jobs <= 1 && cfg->shard_n <= 1));
	/* -j N with no shard: warm workers (race mode too: warm race-mode
	 * VMs, a new detector for every run, system_new_warm) */
	bool workers = cfg && !cfg->reexec && !cfg->fork && !cfg->cold && !cfg->dpor &&
		       cfg->jobs > 1 && cfg->shard_n <= 1;
	if (!(cfg && cfg->cold) && (reexec || workers || (cfg && cfg->dpor))) {
		char ferr[1024];
		eo.pool = pool = vm_pool_new();
		if (!scenario_check_files(&sc, ferr, sizeof(ferr)))
			eo.loaded = &sc;   /* loaded once for every run (else each says why not) */
	}
	const char *plain = cfg && cfg->dpor ? dpor_unsupported(&sc) : NULL;
	st->plain_why = plain;
	if (cfg && cfg->dpor && !plain)
		explore_by_dpor(path, &sc, &eo, cfg, r, st);
	else if (reexec) {
		uint64_t fail_g;
		explore_by_reexec(path, &sc, &eo, cfg, r, st, 0, &fail_g, NULL, NULL);
	} else if (workers) {
		rc = explore_by_workers(path, &sc, &eo, cfg, r, st, cfg->jobs);
	}
	else
		rc = explore_by_fork(path, &sc, &eo, cfg, r, st);
	if (rc == 0 && sc.m.races && r->status == SC_PASS)
		expect_check_races(&sc, r);
	bool sharded = cfg && cfg->shard_n > 1 && !reexec && !st->reduced;
	r->explore = (struct sc_explore){ .present = true, .runs = st->runs, .digest = st->digest,
					  .left = st->queued, .max_preemptions = sc.max_preemptions,
					  .shard_k = sharded ? cfg->shard_k : 1,
					  .shard_n = sharded ? cfg->shard_n : 1 };
	vm_pool_free(pool);
	scenario_free(&sc);
	return rc;
}
