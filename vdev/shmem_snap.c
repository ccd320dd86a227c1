/* shmem_snap.c - snapshots of the whole shmem model (shmem.h): the registry,
 * every region with its data pages, every connection, every instance's
 * registers and line, the host's connections.
 *
 * A restore puts each object back where it was, so everything that points
 * at one (a VM's mapping of a control page, a region's data mapped in a VM)
 * stays right. While a snapshot exists nothing is freed: what the model
 * drops waits (the grave) until the last snapshot goes; what a restore
 * leaves unreachable waits too. */
#include <stdlib.h>
#include <string.h>
#include "memsnap.h"
#include "shmem_internal.h"

struct reg_copy { struct shm_region *p; struct shm_region v; struct memsnap *data; };
struct conn_copy { struct shm_conn *p; struct shm_conn v; };
struct inst_copy { struct shm_inst v; struct shm_conn **conns; };

struct shm_snap {
	uint64_t live_bytes;
	struct shm_region **regions; int n_regions;
	struct shm_conn **hconns; int n_hconns;
	struct reg_copy *regs; int n_regs;       /* every region reachable, records included */
	struct conn_copy *conns; int n_conns;    /* every connection: instances' and host's */
	struct inst_copy *insts; int n_insts;
};

/* ---- what is reachable ---------------------------------------------------- */

/* Every region of the registry and the dead records behind them, and every
 * connection of the instances and the host, each once (NULL: count only). */
static int reach_regions(const struct shm_sys *s, struct shm_region **out)
{
	int n = 0;
	for (int i = 0; i < s->n_regions; i++)
		for (struct shm_region *r = s->regions[i]; r; r = r->prev) {
			if (out)
				out[n] = r;
			n++;
		}
	return n;
}

static int reach_conns(const struct shm_sys *s, struct shm_conn **out)
{
	int n = 0;
	for (int i = 0; i < s->n_insts; i++)
		for (int k = 0; k < s->insts[i]->n_conns; k++) {
			if (out)
				out[n] = s->insts[i]->conns[k];
			n++;
		}
	for (int i = 0; i < s->n_hconns; i++) {
		if (out)
			out[n] = s->hconns[i];
		n++;
	}
	return n;
}

static bool has_ptr(void *const *v, int n, const void *p)
{
	for (int i = 0; i < n; i++)
		if (v[i] == p)
			return true;
	return false;
}

/* ---- the grave ------------------------------------------------------------ */

static int grave_push(void ***v, int *n, int *cap, void *p)
{
	if (*n == *cap) {
		int c = *cap ? *cap * 2 : 16;
		void **g = realloc(*v, (size_t)c * sizeof(*g));
		if (!g)
			return -1;
		*v = g;
		*cap = c;
	}
	(*v)[(*n)++] = p;
	return 0;
}

void shm_drop_region(struct shm_sys *s, struct shm_region *r)
{
	/* out of memory for the grave: leaked rather than freed under a snapshot */
	if (!s->snaps)
		reg_region_free(r);
	else
		grave_push((void ***)&s->grave_regs, &s->n_grave_regs, &s->cap_grave_regs, r);
}

void shm_drop_conn(struct shm_sys *s, struct shm_conn *c)
{
	if (!s->snaps)
		free(c);
	else
		grave_push((void ***)&s->grave_conns, &s->n_grave_conns, &s->cap_grave_conns, c);
}

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(void *const *)a, y = (uintptr_t)*(void *const *)b;
	return x < y ? -1 : x > y;
}

/* Free what waits and is not reachable now, each once; a dropped region's
 * records behind it go with it unless reachable. */
void shm_grave_flush(struct shm_sys *s)
{
	int nr = reach_regions(s, NULL), nc = reach_conns(s, NULL);
	struct shm_region **rr = calloc((size_t)nr + 1, sizeof(*rr));
	struct shm_conn **rc = calloc((size_t)nc + 1, sizeof(*rc));
	if (!rr || !rc)
		goto out;   /* leaked rather than freed while reachable */
	reach_regions(s, rr);
	reach_conns(s, rc);
	/* the records behind an unreachable dropped region wait with it */
	for (int i = 0; i < s->n_grave_regs; i++) {
		struct shm_region *r = s->grave_regs[i], *p = r->prev;
		if (!p || has_ptr((void *const *)rr, nr, r))
			continue;
		r->prev = NULL;
		if (grave_push((void ***)&s->grave_regs, &s->n_grave_regs, &s->cap_grave_regs, p))
			break;
	}
	if (s->n_grave_regs)
		qsort(s->grave_regs, (size_t)s->n_grave_regs, sizeof(void *), cmp_ptr);
	if (s->n_grave_conns)
		qsort(s->grave_conns, (size_t)s->n_grave_conns, sizeof(void *), cmp_ptr);
	for (int i = 0; i < s->n_grave_regs; i++) {
		struct shm_region *r = s->grave_regs[i];
		if ((i && r == s->grave_regs[i - 1]) || has_ptr((void *const *)rr, nr, r))
			continue;
		reg_region_free(r);   /* its records are in the grave on their own */
	}
	for (int i = 0; i < s->n_grave_conns; i++) {
		struct shm_conn *c = s->grave_conns[i];
		if (!(i && c == s->grave_conns[i - 1]) && !has_ptr((void *const *)rc, nc, c))
			free(c);
	}
out:
	free(rr);
	free(rc);
	free(s->grave_regs);
	free(s->grave_conns);
	s->grave_regs = NULL;
	s->grave_conns = NULL;
	s->n_grave_regs = s->cap_grave_regs = s->n_grave_conns = s->cap_grave_conns = 0;
}

/* ---- snapshots ------------------------------------------------------------ */

void shm_snap_free(struct shm_sys *s, struct shm_snap *sn)
{
	if (!sn)
		return;
	for (int i = 0; i < sn->n_regs; i++)
		memsnap_free(sn->regs[i].data);
	for (int i = 0; i < sn->n_insts; i++)
		free(sn->insts[i].conns);
	free(sn->regs);
	free(sn->conns);
	free(sn->insts);
	free(sn->regions);
	free(sn->hconns);
	free(sn);
	if (s && --s->snaps == 0)
		shm_grave_flush(s);
}

static void *dup_array(const void *v, int n, size_t elem)
{
	void *d = malloc((size_t)n * elem + 1);
	if (d && n)
		memcpy(d, v, (size_t)n * elem);
	return d;
}

struct shm_snap *shm_snap_take(struct shm_sys *s)
{
	struct shm_snap *sn = calloc(1, sizeof(*sn));
	if (!sn)
		return NULL;
	s->snaps++;
	sn->live_bytes = s->live_bytes;
	sn->n_regions = s->n_regions;
	sn->n_hconns = s->n_hconns;
	sn->n_regs = reach_regions(s, NULL);
	sn->n_conns = reach_conns(s, NULL);
	sn->n_insts = s->n_insts;
	sn->regions = dup_array(s->regions, s->n_regions, sizeof(*s->regions));
	sn->hconns = dup_array(s->hconns, s->n_hconns, sizeof(*s->hconns));
	sn->regs = calloc((size_t)sn->n_regs + 1, sizeof(*sn->regs));
	sn->conns = calloc((size_t)sn->n_conns + 1, sizeof(*sn->conns));
	sn->insts = calloc((size_t)sn->n_insts + 1, sizeof(*sn->insts));
	struct shm_region **rr = calloc((size_t)sn->n_regs + 1, sizeof(*rr));
	struct shm_conn **rc = calloc((size_t)sn->n_conns + 1, sizeof(*rc));
	bool ok = sn->regions && sn->hconns && sn->regs && sn->conns && sn->insts && rr && rc;
	if (ok) {
		reach_regions(s, rr);
		reach_conns(s, rc);
	}
	for (int i = 0; ok && i < sn->n_regs; i++) {
		struct reg_copy *c = &sn->regs[i];
		*c = (struct reg_copy){ .p = rr[i], .v = *rr[i] };
		/* the pages touched (a region can be a sparse 4 GiB) */
		size_t bytes = (size_t)rr[i]->pages * PAGE_SIZE;
		if (rr[i]->data && !(c->data = memsnap_take(rr[i]->data, bytes)))
			ok = false;
	}
	for (int i = 0; ok && i < sn->n_conns; i++)
		sn->conns[i] = (struct conn_copy){ .p = rc[i], .v = *rc[i] };
	for (int i = 0; ok && i < sn->n_insts; i++) {
		const struct shm_inst *in = s->insts[i];
		sn->insts[i].v = *in;
		if (!(sn->insts[i].conns = dup_array(in->conns, in->n_conns, sizeof(*in->conns))))
			ok = false;
	}
	free(rr);
	free(rc);
	if (!ok) {
		shm_snap_free(s, sn);
		return NULL;
	}
	return sn;
}

/* Room for n pointers in *v of capacity *cap. */
static int fit(void **v, int *cap, int n, size_t elem)
{
	return n <= *cap ? 0 : shm_grow(v, cap, n, elem);
}

int shm_snap_restore(struct shm_sys *s, const struct shm_snap *sn)
{
	if (s->n_insts != sn->n_insts ||
	    fit((void **)&s->regions, &s->cap_regions, sn->n_regions, sizeof(*s->regions)) ||
	    fit((void **)&s->hconns, &s->cap_hconns, sn->n_hconns, sizeof(*s->hconns)))
		return -1;
	for (int i = 0; i < sn->n_insts; i++)
		if (fit((void **)&s->insts[i]->conns, &s->insts[i]->cap_conns,
			sn->insts[i].v.n_conns, sizeof(struct shm_conn *)))
			return -1;
	/* What is reachable now and was not then goes to the grave. */
	int nr = reach_regions(s, NULL), nc = reach_conns(s, NULL);
	struct shm_region **rr = calloc((size_t)nr + 1, sizeof(*rr));
	struct shm_conn **rc = calloc((size_t)nc + 1, sizeof(*rc));
	if (!rr || !rc) {
		free(rr);
		free(rc);
		return -1;
	}
	reach_regions(s, rr);
	reach_conns(s, rc);
	for (int i = 0; i < nr; i++) {
		bool then = false;
		for (int k = 0; k < sn->n_regs && !then; k++)
			then = sn->regs[k].p == rr[i];
		if (!then)
			grave_push((void ***)&s->grave_regs, &s->n_grave_regs, &s->cap_grave_regs, rr[i]);
	}
	for (int i = 0; i < nc; i++) {
		bool then = false;
		for (int k = 0; k < sn->n_conns && !then; k++)
			then = sn->conns[k].p == rc[i];
		if (!then)
			grave_push((void ***)&s->grave_conns, &s->n_grave_conns, &s->cap_grave_conns, rc[i]);
	}
	free(rr);
	free(rc);
	/* Every object back in place, then the lists that hold them. */
	for (int i = 0; i < sn->n_regs; i++) {
		const struct reg_copy *c = &sn->regs[i];
		*c->p = c->v;
		if (c->data && memsnap_restore(c->data))
			return -1;
	}
	for (int i = 0; i < sn->n_conns; i++)
		*sn->conns[i].p = sn->conns[i].v;
	for (int i = 0; i < sn->n_insts; i++) {
		struct shm_inst *in = s->insts[i];
		struct shm_conn **conns = in->conns;
		int cap = in->cap_conns;
		*in = sn->insts[i].v;
		in->conns = conns;
		in->cap_conns = cap;
		if (in->n_conns)
			memcpy(in->conns, sn->insts[i].conns, (size_t)in->n_conns * sizeof(*in->conns));
	}
	s->live_bytes = sn->live_bytes;
	s->n_regions = sn->n_regions;
	if (sn->n_regions)
		memcpy(s->regions, sn->regions, (size_t)sn->n_regions * sizeof(*s->regions));
	s->n_hconns = sn->n_hconns;
	if (sn->n_hconns)
		memcpy(s->hconns, sn->hconns, (size_t)sn->n_hconns * sizeof(*s->hconns));
	return 0;
}
