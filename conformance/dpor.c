/* dpor.c - the reduction's bookkeeping: the stack of scheduling points of
 * the current run, races by vector clocks, backtrack and sleep sets. */
#include <stdlib.h>
#include <string.h>
#include "dpor.h"

/* A VM sleeps below a point only when its own exploration had more
 * departures left than the path has there: with as many or fewer, the
 * sleeping order may need more than the bound allows (test_dpor.c finds
 * traces lost with a slack of 0). */
#define SLEEP_SLACK 1u

void dpor_init(struct dpor *d, int n_vms, uint32_t bound, bool sleep_sets)
{
	memset(d, 0, sizeof(*d));
	d->n_vms = n_vms < 1 ? 1 : n_vms > 64 ? 64 : n_vms;
	d->bound = bound;
	d->sleep_sets = sleep_sets;
}

static void node_clear(struct dpor_node *nd)
{
	free(nd->known);
	free(nd->left);
	nd->known = NULL;
	nd->left = NULL;
}

void dpor_free(struct dpor *d)
{
	for (size_t i = 0; i < d->n; i++)
		node_clear(&d->v[i]);
	free(d->v);
	memset(d, 0, sizeof(*d));
}

bool dpor_dependent(int va, struct dpor_acc a, int vb, struct dpor_acc b)
{
	if (va == vb || va < 0 || vb < 0)
		return false;   /* one VM's stretches are ordered anyway */
	return (a.wr & (b.rd | b.wr)) || (b.wr & a.rd);
}

static uint64_t bit(int v);

/* What running v at a point costs. The bound the reduction counts is a
 * preemption bound (Coons et al.'s): a switch where the running VM cannot
 * go on (it stopped, or sleeps in WFI) is free, whatever VM it goes to (the
 * first choice, before any VM ran, still costs one when not the policy's). A schedule with at most max_preemptions departures has at
 * most as many preemptions, so the reduced search covers every trace the
 * plain search reaches (and may run schedules with more departures). With
 * the departure count instead, a choice among three or more VMs where one
 * stops costs a departure the race reversal cannot see, and traces are lost
 * (docs/explore.md "Bounding", tests/conformance/test_dpor.c). */
static uint32_t cost_of(const struct dpor_step *s, int v)
{
	bool cur_goes_on = s->cur < 0 || (s->runnable & bit(s->cur));
	return v != s->def && cur_goes_on;
}

/* Departures still allowed below node nd when v runs there. */
static uint32_t budget_left(const struct dpor *d, const struct dpor_node *nd, int v)
{
	uint32_t cost = nd->departures + cost_of(&nd->s, v);
	return d->bound >= cost ? d->bound - cost : 0;
}

static uint64_t bit(int v)
{
	return v >= 0 && v < 64 ? 1ull << v : 0;
}

/* Try VM(s) `cand` at node i, each only within the bound. Returns the VMs
 * it could not add (over the bound). */
static uint64_t add_choices(struct dpor *d, size_t i, uint64_t cand)
{
	struct dpor_node *nd = &d->v[i];
	uint64_t over = 0;
	for (int v = 0; v < d->n_vms; v++) {
		if (!(cand & bit(v)))
			continue;
		uint32_t cost = nd->departures + cost_of(&nd->s, v);
		if (cost <= d->bound)
			nd->backtrack |= bit(v);
		else
			over |= bit(v);
	}
	return over;
}

/* The VMs that can start notdep(i).j: of the stretches after i up to j
 * that do not happen after i (j among them), the VMs whose first such
 * stretch has no happens-before predecessor among them (Abdulla et al.,
 * "source sets", POPL 2014). clock is the run's vector clocks, T wide,
 * valid up to j (j's included). */
static uint64_t initials(const struct dpor *d, const uint32_t *clock, size_t i, size_t j)
{
	int T = d->n_vms;
	int q = d->v[i].s.chosen;
	uint32_t iq = clock[i * T + q];
	uint64_t seen = 0, init = 0;
	for (size_t k = i + 1; k <= j; k++) {
		int r = d->v[k].s.chosen;
		if (r < 0 || r >= T || (seen & bit(r)))
			continue;
		if (k < j && clock[k * T + q] >= iq)
			continue;   /* happens after i */
		bool first = true;
		for (size_t m = i + 1; m < k && first; m++) {
			int s = d->v[m].s.chosen;
			if (s < 0 || s >= T || clock[m * T + q] >= iq)
				continue;
			/* m happens before k: k's clock has seen m */
			if (clock[k * T + s] >= clock[m * T + s])
				first = false;
		}
		seen |= bit(r);
		if (first)
			init |= bit(r);
	}
	return init;
}

/* Stretch i races with a later stretch j of VM p: reverse them. */
static void reverse(struct dpor *d, const uint32_t *clock, size_t i, size_t j, int p)
{
	d->races++;
	const struct dpor_node *nd = &d->v[i];
	/* A VM that can start the reversed order: p itself only when nothing
	 * it depends on comes between (else running p at i reorders another
	 * pair instead); everyone when none could run there. */
	uint64_t init = initials(d, clock, i, j) & nd->s.runnable;
	uint64_t want = init & bit(p) ? bit(p) : init ? init : nd->s.runnable;
	uint64_t over = add_choices(d, i, want);
	/* Bounded (Coons et al.): also where i's VM was switched in, where
	 * running p instead may cost no departure. */
	size_t k = i;
	while (k > 0 && d->v[k - 1].s.chosen == nd->s.chosen)
		k--;
	if (k != i) {
		const struct dpor_node *at = &d->v[k];
		over &= add_choices(d, k, at->s.runnable & bit(p) ? bit(p) : at->s.runnable);
	}
	/* Over the bound at both: the latest earlier point where p fits in the
	 * bound. Departures are counted along a path, so the order the race
	 * wants may be reached from there with fewer (tests/conformance/
	 * test_dpor.c finds traces lost without this). */
	if (over & bit(p))
		while (k-- > 0)
			if ((d->v[k].s.runnable & bit(p)) && d->v[k].s.chosen != p &&
			    !(add_choices(d, k, bit(p)) & bit(p)))
				break;
}

/* Races whose later stretch is at or after node `from`, by vector clocks:
 * clock[j][t] is how many stretches of VM t happen before or are stretch j. */
static int find_races(struct dpor *d, size_t from)
{
	size_t n = d->n;
	int T = d->n_vms;
	uint32_t *clock = calloc(n * (size_t)T + (size_t)T, sizeof(*clock));
	long *prev = malloc(T * sizeof(*prev));      /* last stretch of each VM */
	long *last_dep = malloc(T * sizeof(*last_dep));
	if (!clock || !prev || !last_dep) {
		free(clock);
		free(prev);
		free(last_dep);
		return -1;
	}
	for (int t = 0; t < T; t++)
		prev[t] = -1;
	for (size_t j = 0; j < n; j++) {
		const struct dpor_step *sj = &d->v[j].s;
		int p = sj->chosen;
		if (p < 0 || p >= T)
			continue;
		uint32_t *cj = &clock[j * T];
		if (prev[p] >= 0)
			memcpy(cj, &clock[prev[p] * T], T * sizeof(*cj));
		cj[p]++;
		if (sj->seg.rd | sj->seg.wr) {
			/* The last dependent stretch of every other VM: earlier ones
			 * come before it in program order, so before j through it. */
			int missing = T - 1;
			for (int t = 0; t < T; t++)
				last_dep[t] = -1;
			for (long i = (long)j - 1; i >= 0 && missing; i--) {
				const struct dpor_step *si = &d->v[i].s;
				int q = si->chosen;
				if (q < 0 || q >= T || q == p || last_dep[q] >= 0)
					continue;
				if (dpor_dependent(q, si->seg, p, sj->seg)) {
					last_dep[q] = i;
					missing--;
				}
			}
			/* j's clock first: the reversal looks at what precedes j. */
			for (int q = 0; q < T; q++)
				if (last_dep[q] >= 0)
					for (int t = 0; t < T; t++)
						if (clock[last_dep[q] * T + t] > cj[t])
							cj[t] = clock[last_dep[q] * T + t];
			for (int q = 0; q < T; q++) {
				long i = last_dep[q];
				if (i < 0)
					continue;
				/* Ordered through something else: j's own VM before j,
				 * or another VM's dependent stretch that i precedes. */
				uint32_t idx = clock[i * T + q];
				uint32_t via = prev[p] >= 0 ? clock[prev[p] * T + q] : 0;
				for (int r = 0; r < T; r++)
					if (r != q && last_dep[r] >= 0 && clock[last_dep[r] * T + q] > via)
						via = clock[last_dep[r] * T + q];
				if (via < idx && j >= from)
					reverse(d, clock, (size_t)i, j, p);
			}
		}
		prev[p] = (long)j;
	}
	free(clock);
	free(prev);
	free(last_dep);
	return 0;
}

static bool same_point(const struct dpor_step *a, const struct dpor_step *b)
{
	return a->point == b->point && a->cur == b->cur && a->def == b->def &&
	       a->runnable == b->runnable;
}

int dpor_absorb(struct dpor *d, long from, const struct dpor_step *steps, size_t n)
{
	if (from >= 0 && ((size_t)from >= n || (size_t)from >= d->n))
		return -1;
	for (long k = 0; k <= from; k++)
		if (!same_point(&d->v[k].s, &steps[k]) ||
		    (k < from && d->v[k].s.chosen != steps[k].chosen))
			return -1;
	if (from >= 0) {
		struct dpor_node *nd = &d->v[from];
		nd->s = steps[from];
		if (nd->s.chosen >= 0 && nd->known) {
			nd->known[nd->s.chosen] = nd->s.seg;
			nd->left[nd->s.chosen] = budget_left(d, nd, nd->s.chosen);
		}
	}
	if (d->cap < n) {
		struct dpor_node *v = realloc(d->v, n * sizeof(*v));
		if (!v)
			return -1;
		d->v = v;
		d->cap = n;
	}
	for (size_t k = (size_t)(from + 1); k < n; k++) {
		struct dpor_node *nd = &d->v[k];
		memset(nd, 0, sizeof(*nd));
		nd->s = steps[k];
		nd->known = calloc(d->n_vms, sizeof(*nd->known));
		nd->left = calloc(d->n_vms, sizeof(*nd->left));
		if (!nd->known || !nd->left) {
			d->n = k;
			return -1;
		}
		nd->done = bit(nd->s.chosen);
		if (k > 0) {
			const struct dpor_node *up = &d->v[k - 1];
			int c = up->s.chosen;
			nd->departures = up->departures + (c >= 0 && cost_of(&up->s, c));
			/* Asleep here: asleep or tried above, and commuting with
			 * the stretch that led here (its VM's stretch is the same). */
			uint64_t z = d->sleep_sets ? (up->sleep | up->done) & ~bit(c) : 0;
			uint32_t here = d->bound >= nd->departures ? d->bound - nd->departures : 0;
			for (int u = 0; u < d->n_vms; u++)
				if ((z & bit(u)) && !dpor_dependent(u, up->known[u], c, up->s.seg) &&
				    up->left[u] >= here + SLEEP_SLACK) {
					nd->sleep |= bit(u);
					nd->known[u] = up->known[u];
					nd->left[u] = up->left[u];
				}
			nd->sleep &= ~nd->done;
		}
		if (nd->s.chosen >= 0 && nd->s.chosen < d->n_vms) {
			nd->known[nd->s.chosen] = nd->s.seg;
			nd->left[nd->s.chosen] = budget_left(d, nd, nd->s.chosen);
		}
		d->n = k + 1;
	}
	d->n = n;
	return find_races(d, from < 0 ? 0 : (size_t)from);
}

bool dpor_next(struct dpor *d, size_t *at, int *vm)
{
	for (size_t i = d->n; i-- > 0;) {
		struct dpor_node *nd = &d->v[i];
		uint64_t left = nd->backtrack & ~nd->done & ~nd->sleep & nd->s.runnable;
		if (!left)
			continue;
		int v = __builtin_ctzll(left);
		nd->done |= bit(v);
		nd->s.chosen = v;
		for (size_t k = i + 1; k < d->n; k++)
			node_clear(&d->v[k]);
		d->n = i + 1;
		*at = i;
		*vm = v;
		return true;
	}
	return false;
}

uint64_t dpor_pending(const struct dpor *d)
{
	uint64_t n = 0;
	for (size_t i = 0; i < d->n; i++)
		n += (uint64_t)__builtin_popcountll(d->v[i].backtrack & ~d->v[i].done &
						    ~d->v[i].sleep & d->v[i].s.runnable);
	return n;
}
