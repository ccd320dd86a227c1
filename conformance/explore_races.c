/* explore_races.c - the distinct race reports of a search (explore_races.h). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "explore_races.h"

void explore_lock(int *l)
{
	static const struct timespec pause = { 0, 1000 };
	while (__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE))
		nanosleep(&pause, NULL);
}

void explore_unlock(int *l)
{
	__atomic_store_n(l, 0, __ATOMIC_RELEASE);
}

/* The same race (kind, both actors, both PCs; a data race in either order)
 * from another schedule is the same report. */
static bool same_race(const struct race_rec *a, const struct race_rec *b)
{
	if (strcmp(a->kind, b->kind))
		return false;
	bool fwd = !strcmp(a->first.vm, b->first.vm) && a->first.pc == b->first.pc &&
		   !strcmp(a->second.vm, b->second.vm) && a->second.pc == b->second.pc;
	bool rev = !strcmp(a->first.vm, b->second.vm) && a->first.pc == b->second.pc &&
		   !strcmp(a->second.vm, b->first.vm) && a->second.pc == b->first.pc;
	return fwd || (rev && !strcmp(a->kind, "data-race"));
}

/* A report is kept with the first schedule in order that showed it; when the
 * set is full, one of a later first showing gives way, so the set ends as
 * the serial search's whatever order the schedules were merged in. */
void race_set_merge(struct race_set *s, uint64_t no, const struct sc_result *one)
{
	if (!one->races || !one->n_races)
		return;
	explore_lock(&s->lock);
	for (int i = 0; i < one->n_races; i++) {
		struct keyed_race kr = { one->races[i], no << 16 | (uint64_t)(i & 0xffff) };
		int at = -1;
		for (int j = 0; j < s->n && at < 0; j++)
			if (same_race(&s->v[j].r, &kr.r))
				at = j;
		if (at < 0 && s->n < MAX_RACES) {
			s->v[s->n++] = kr;
			continue;
		}
		if (at < 0)   /* full: the one first shown latest gives way */
			for (int j = at = 0; j < s->n; j++)
				if (s->v[j].key > s->v[at].key)
					at = j;
		if (kr.key < s->v[at].key)
			s->v[at] = kr;
	}
	explore_unlock(&s->lock);
}

static int by_key(const void *a, const void *b)
{
	uint64_t x = ((const struct keyed_race *)a)->key, y = ((const struct keyed_race *)b)->key;
	return x < y ? -1 : x > y;
}

void race_set_apply(struct sc_result *r, struct race_set *s, uint64_t last)
{
	qsort(s->v, (size_t)s->n, sizeof(*s->v), by_key);
	int n = 0;
	while (n < s->n && s->v[n].key >> 16 <= last)
		n++;
	if (!n)
		return;   /* none: r's own (none either: r's run was merged) */
	struct race_rec *v = malloc((size_t)n * sizeof(*v));
	if (!v)
		return;
	for (int i = 0; i < n; i++)
		v[i] = s->v[i].r;
	free(r->races);
	r->races = v;
	r->n_races = n;
}
