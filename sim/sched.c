/* sched.c - round-robin and seeded-random scheduling with forced choices. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <inttypes.h>
#include "sched.h"

/* splitmix64: small, seedable, the same on every host. */
static uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void sched_init(struct sched *sc, const struct schedule *cfg)
{
	memset(sc, 0, sizeof(*sc));
	sc->cfg = *cfg;
	sc->rng = cfg->seed;
	sc->stop_at_devices = cfg->policy == SCHED_RANDOM || cfg->n_forced > 0 || cfg->points;
}

void sched_free(struct sched *sc)
{
	free(sc->trace);
	sc->trace = NULL;
	sc->n_trace = sc->cap_trace = 0;
}

static void record(struct sched *sc, uint64_t point, enum sched_point pt, int cur, int def,
		   const bool *runnable, int n)
{
	if (!sc->cfg.record)
		return;
	if (sc->n_trace == sc->cap_trace) {
		int cap = sc->cap_trace ? sc->cap_trace * 2 : 256;
		struct sched_pt *t = realloc(sc->trace, cap * sizeof(*t));
		if (!t)
			return;
		sc->trace = t;
		sc->cap_trace = cap;
	}
	uint64_t mask = 0;
	for (int i = 0; i < n && i < 64; i++)
		if (runnable[i])
			mask |= 1ull << i;
	sc->trace[sc->n_trace++] = (struct sched_pt){ .point = point, .cur = cur, .def = def, .runnable = mask, .kind = (uint8_t)pt };
}

static int next_in_order(int cur, const bool *runnable, int n)
{
	for (int k = 1; k <= n; k++) {
		int i = ((cur < 0 ? -1 : cur) + k) % n;
		if (runnable[i])
			return i;
	}
	return -2;
}

int sched_next(struct sched *sc, enum sched_point pt, int cur, const bool *runnable,
	       int n, uint32_t *quantum)
{
	int any = 0;
	for (int i = 0; i < n; i++)
		any += runnable[i];
	if (pt == PT_DEVICE && !sc->stop_at_devices)
		return -1;
	uint64_t point = sc->points++;
	int pick;
	*quantum = sc->cfg.quantum;
	if (sc->cfg.policy == SCHED_RANDOM) {
		/* Every point draws a VM and a quantum in 1..quantum (CONTRACT 3). */
		if (!any)
			return -2;
		uint64_t r = rng_next(&sc->rng);
		int k = (int)(r % (uint64_t)any);
		*quantum = 1 + (uint32_t)((r >> 32) % sc->cfg.quantum);
		pick = -2;
		for (int i = 0; i < n; i++)
			if (runnable[i] && k-- == 0) {
				pick = i;
				break;
			}
	} else if (pt == PT_DEVICE) {
		pick = -1;   /* round-robin goes on through device accesses */
	} else {
		pick = next_in_order(cur, runnable, n);
	}
	record(sc, point, pt, cur, pick == -1 ? cur : pick, runnable, n);
	/* A forced choice departs from the policy at exactly this point. */
	while (sc->next_forced < sc->cfg.n_forced && sc->cfg.forced[sc->next_forced].point < point)
		sc->next_forced++;
	if (sc->next_forced < sc->cfg.n_forced && sc->cfg.forced[sc->next_forced].point == point) {
		int v = sc->cfg.forced[sc->next_forced++].vm;
		if (v >= 0 && v < n && runnable[v]) {
			if (sc->cfg.policy == SCHED_RR)
				*quantum = sc->cfg.quantum;
			return v;
		}
	}
	if (sc->branch && any) {
		struct sched_pt here = { .point = point, .cur = cur, .def = pick == -1 ? cur : pick,
					 .kind = (uint8_t)pt };
		for (int i = 0; i < n && i < 64; i++)
			if (runnable[i])
				here.runnable |= 1ull << i;
		int v = sc->branch(sc->branch_ctx, &here);
		if (v != here.def && v >= 0 && v < n && runnable[v]) {
			if (sc->cfg.policy == SCHED_RR)
				*quantum = sc->cfg.quantum;
			return v;
		}
	}
	if (!any && pick != -1)
		return -2;
	return pick;
}

static int force_cmp(const void *a, const void *b)
{
	const struct sched_force *x = a, *y = b;
	return x->point < y->point ? -1 : x->point > y->point;
}

int schedule_parse(const char *text, const char *const *vm_names, int n_vms,
		   struct schedule *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	out->seed = 1;
	out->quantum = 10000;
	char *copy = strdup(text ? text : "");
	if (!copy) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	int rc = -1, field = 0;
	char *save = NULL;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save), field++) {
		char *end;
		if (field == 0) {
			if (!strcmp(tok, "rr") || !strcmp(tok, "round-robin"))
				out->policy = SCHED_RR;
			else if (!strcmp(tok, "random"))
				out->policy = SCHED_RANDOM;
			else {
				snprintf(err, errlen, "schedule: policy '%s' is not rr or random", tok);
				goto out;
			}
		} else if (!strncmp(tok, "seed=", 5)) {
			out->seed = strtoull(tok + 5, &end, 0);
			if (end == tok + 5 || *end) {
				snprintf(err, errlen, "schedule: bad seed '%s'", tok + 5);
				goto out;
			}
		} else if (!strncmp(tok, "q=", 2)) {
			unsigned long long q = strtoull(tok + 2, &end, 0);
			if (end == tok + 2 || *end || q == 0 || q > 0xffffffffull) {
				snprintf(err, errlen, "schedule: bad quantum '%s'", tok + 2);
				goto out;
			}
			out->quantum = (uint32_t)q;
		} else if (!strcmp(tok, "points")) {
			out->points = true;
		} else if (tok[0] == '@') {
			char *eq = strchr(tok, '=');
			unsigned long long pt = strtoull(tok + 1, &end, 10);
			if (!eq || end != eq || end == tok + 1 || tok[1] < '0' || tok[1] > '9') {
				snprintf(err, errlen, "schedule: bad forced choice '%s' (want @POINT=VM)", tok);
				goto out;
			}
			int vm = -1;
			for (int i = 0; i < n_vms; i++)
				if (!strcmp(vm_names[i], eq + 1))
					vm = i;
			if (vm < 0) {
				snprintf(err, errlen, "schedule: '%s' names no VM of this scenario", eq + 1);
				goto out;
			}
			struct sched_force *nf = realloc(out->forced, (out->n_forced + 1) * sizeof(*nf));
			if (!nf)
				goto out;
			out->forced = nf;
			out->forced[out->n_forced++] = (struct sched_force){ pt, vm };
		} else {
			snprintf(err, errlen, "schedule: unknown field '%s'", tok);
			goto out;
		}
	}
	if (field == 0) {
		snprintf(err, errlen, "schedule: empty");
		goto out;
	}
	if (out->n_forced)
		qsort(out->forced, out->n_forced, sizeof(*out->forced), force_cmp);
	for (int i = 1; i < out->n_forced; i++)
		if (out->forced[i].point == out->forced[i - 1].point) {
			snprintf(err, errlen, "schedule: two choices for point %llu",
				 (unsigned long long)out->forced[i].point);
			goto out;
		}
	rc = 0;
out:
	free(copy);
	if (rc)
		schedule_free(out);
	return rc;
}

char *schedule_format(const struct schedule *s, const char *const *vm_names)
{
	size_t cap = 64 + (size_t)s->n_forced * 48;
	char *buf = malloc(cap);
	if (!buf)
		return NULL;
	int n;
	if (s->policy == SCHED_RANDOM)
		n = snprintf(buf, cap, "random,seed=%" PRIu64 ",q=%u", s->seed, s->quantum);
	else
		n = snprintf(buf, cap, "rr,q=%u", s->quantum);
	if (s->points && !s->n_forced && (size_t)n < cap)
		n += snprintf(buf + n, cap - n, ",points");
	for (int i = 0; i < s->n_forced && n >= 0 && (size_t)n < cap; i++)
		n += snprintf(buf + n, cap - n, ",@%" PRIu64 "=%s", s->forced[i].point,
			      vm_names[s->forced[i].vm]);
	return buf;
}

void schedule_free(struct schedule *s)
{
	free(s->forced);
	s->forced = NULL;
	s->n_forced = 0;
}

int schedule_copy(struct schedule *dst, const struct schedule *src)
{
	*dst = *src;
	dst->forced = NULL;
	if (src->n_forced) {
		dst->forced = malloc(src->n_forced * sizeof(*dst->forced));
		if (!dst->forced)
			return -1;
		memcpy(dst->forced, src->forced, src->n_forced * sizeof(*dst->forced));
	}
	return 0;
}
