/* race.c - vector clocks, shadow memory and barrier state (docs/races.md).
 *
 * Actors are the VMs (0..n-1) and the host (n). C[a] is actor a's vector
 * clock; an access by a is stamped with the epoch C[a][a]. An earlier access
 * by b at epoch e happens before a's access iff e <= C[a][b]. A release on a
 * sync object joins C[a] into it and ticks C[a][a] (later accesses are not
 * covered); an acquire joins the object into C[a].
 *
 * Shadow memory: per shared byte (keyed by its host address) the last write
 * (epoch + record) and each actor's last read (epoch + record). A record is
 * what a report shows of an access (PC, address, value...); records live in
 * one array, shadow cells hold indices (0 = none).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "race.h"

#define PAGE_BYTES   4096u
#define MAX_REPORTS  256

struct rec {
	const uint8_t *host;     /* first byte (NULL: device access) */
	uint64_t pc, addr, value, clock, seq;
	uint32_t width;
	int actor;
	char dir;
	uint8_t order;
	char dev[24];            /* device accesses only */
	uint64_t dev_off;
};

struct spage {
	uintptr_t key;           /* host address >> 12, 0 = empty slot */
	uint32_t wclk[PAGE_BYTES], wrec[PAGE_BYTES];
	uint32_t *rclk, *rrec;   /* [byte * n_actors + actor] */
};

struct locobj { uintptr_t key; int obj; };   /* atomics' release/acquire per 8 bytes */

struct pending { bool set; struct rec r; };

struct seen { int kind, a1, a2; uint64_t pc1, pc2; };

/* Memory-order bits of a record beyond race.h's: a plain aligned load not
 * yet known to be an acquire-fenced relaxed atomic (ORD_CAND), a plain
 * aligned store made a relaxed atomic by the store barrier before it
 * (ORD_FENCED). */
enum { ORD_CAND = 0x10, ORD_FENCED = 0x20 };

struct pair { uint32_t first, second; };

/* Per VM: the fence state of docs/races.md "Fences". */
struct fstate {
	bool fence_st;           /* a store barrier not yet followed by a shared store */
	/* The candidate run: plain aligned loads of one location since the
	 * last shared access. A load barrier makes them relaxed atomics and an
	 * acquire fence; any other shared or device access makes them plain. */
	bool cand;
	const uint8_t *cand_host;
	unsigned cand_len;
	uint32_t *cand_recs; int n_cand_recs, cap_cand_recs;
	struct pair *conf; int n_conf, cap_conf;   /* pairs waiting on the verdict */
	uint32_t *snap;          /* the location's release clock at the last load */
};

struct race_det {
	int n_vms, n_actors;
	const char *const *names;
	race_describe_fn describe;
	void *ctx;
	uint32_t *vc;            /* [actor * n_actors + component] */
	uint32_t *objs;          /* sync objects' clocks, n_objs * n_actors */
	int n_objs, cap_objs;
	struct rec *recs; uint32_t n_recs, cap_recs;
	uint32_t *last_rec;      /* per actor: reuse an identical record (polling) */
	struct spage **pages; size_t n_pages, cap_pages;   /* open addressing */
	struct locobj *locs; size_t n_locs, cap_locs;
	struct pending *pend_store, *pend_status;          /* per actor */
	struct fstate *fs;                                 /* per VM */
	struct race_report *reports; int n_reports;
	struct seen *seen; int n_seen;
};

static uint32_t *vc_of(struct race_det *d, int a) { return d->vc + (size_t)a * d->n_actors; }
static uint32_t *obj_of(struct race_det *d, int o) { return d->objs + (size_t)o * d->n_actors; }

static int obj_new(struct race_det *d)
{
	if (d->n_objs == d->cap_objs) {
		int cap = d->cap_objs ? 2 * d->cap_objs : 64;
		uint32_t *n = realloc(d->objs, (size_t)cap * d->n_actors * sizeof(*n));
		if (!n)
			return -1;
		d->objs = n;
		d->cap_objs = cap;
	}
	memset(obj_of(d, d->n_objs), 0, d->n_actors * sizeof(uint32_t));
	return d->n_objs++;
}

struct race_det *race_new(int n_vms, const char *const *names, race_describe_fn describe,
			  void *ctx)
{
	struct race_det *d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->n_vms = n_vms;
	d->names = names;
	d->n_actors = n_vms + 1;
	d->describe = describe;
	d->ctx = ctx;
	d->vc = calloc((size_t)d->n_actors * d->n_actors, sizeof(*d->vc));
	d->last_rec = calloc(d->n_actors, sizeof(*d->last_rec));
	d->pend_store = calloc(d->n_actors, sizeof(*d->pend_store));
	d->pend_status = calloc(d->n_actors, sizeof(*d->pend_status));
	d->fs = calloc(n_vms ? n_vms : 1, sizeof(*d->fs));
	d->reports = calloc(MAX_REPORTS, sizeof(*d->reports));
	d->seen = calloc(MAX_REPORTS, sizeof(*d->seen));
	d->cap_pages = 64;
	d->pages = calloc(d->cap_pages, sizeof(*d->pages));
	d->cap_recs = 1024;
	d->recs = calloc(d->cap_recs, sizeof(*d->recs));
	d->n_recs = 1;           /* index 0: none */
	if (!d->vc || !d->last_rec || !d->pend_store || !d->pend_status || !d->reports ||
	    !d->seen || !d->pages || !d->recs || !d->fs) {
		race_free(d);
		return NULL;
	}
	for (int a = 0; a < d->n_actors; a++)
		vc_of(d, a)[a] = 1;
	for (int v = 0; v < n_vms; v++) {
		d->fs[v].snap = calloc(d->n_actors, sizeof(uint32_t));
		if (!d->fs[v].snap) {
			race_free(d);
			return NULL;
		}
	}
	/* device, inboxes, marks, fences */
	for (int i = 0; i < 1 + d->n_actors + 2 * d->n_vms; i++)
		if (obj_new(d) < 0) {
			race_free(d);
			return NULL;
		}
	return d;
}

void race_free(struct race_det *d)
{
	if (!d)
		return;
	for (size_t i = 0; d->pages && i < d->cap_pages; i++)
		if (d->pages[i]) {
			free(d->pages[i]->rclk);
			free(d->pages[i]->rrec);
			free(d->pages[i]);
		}
	free(d->pages);
	free(d->vc);
	free(d->objs);
	free(d->recs);
	free(d->last_rec);
	free(d->locs);
	free(d->pend_store);
	free(d->pend_status);
	for (int v = 0; d->fs && v < d->n_vms; v++) {
		free(d->fs[v].cand_recs);
		free(d->fs[v].conf);
		free(d->fs[v].snap);
	}
	free(d->fs);
	free(d->reports);
	free(d->seen);
	free(d);
}

int race_host_actor(const struct race_det *d) { return d->n_vms; }
int race_obj_device(const struct race_det *d) { (void)d; return 0; }
int race_obj_inbox(const struct race_det *d, int actor) { return 1 + actor; }
int race_obj_marks(const struct race_det *d, int vm) { return 1 + d->n_actors + vm; }
/* VM vm's clock at its last store barrier (a release fence's snapshot). */
static int obj_fence(const struct race_det *d, int vm) { return 1 + d->n_actors + d->n_vms + vm; }

void race_release(struct race_det *d, int actor, int obj)
{
	uint32_t *c = vc_of(d, actor), *l = obj_of(d, obj);
	for (int i = 0; i < d->n_actors; i++)
		if (c[i] > l[i])
			l[i] = c[i];
	c[actor]++;
}

static void vc_join(uint32_t *dst, const uint32_t *src, int n)
{
	for (int i = 0; i < n; i++)
		if (src[i] > dst[i])
			dst[i] = src[i];
}

void race_acquire(struct race_det *d, int actor, int obj)
{
	vc_join(vc_of(d, actor), obj_of(d, obj), d->n_actors);
}

/* ---- shadow memory -------------------------------------------------------- */

static size_t hash_key(uintptr_t k, size_t cap)
{
	return (size_t)((k * 0x9E3779B97F4A7C15ull) >> 17) & (cap - 1);
}

static int pages_grow(struct race_det *d)
{
	size_t cap = d->cap_pages * 2;
	struct spage **n = calloc(cap, sizeof(*n));
	if (!n)
		return -1;
	for (size_t i = 0; i < d->cap_pages; i++) {
		struct spage *p = d->pages[i];
		if (!p)
			continue;
		size_t h = hash_key(p->key, cap);
		while (n[h])
			h = (h + 1) & (cap - 1);
		n[h] = p;
	}
	free(d->pages);
	d->pages = n;
	d->cap_pages = cap;
	return 0;
}

static struct spage *page_of(struct race_det *d, uintptr_t key)
{
	size_t h = hash_key(key, d->cap_pages);
	while (d->pages[h]) {
		if (d->pages[h]->key == key)
			return d->pages[h];
		h = (h + 1) & (d->cap_pages - 1);
	}
	if (2 * (d->n_pages + 1) > d->cap_pages) {
		if (pages_grow(d))
			return NULL;
		return page_of(d, key);
	}
	struct spage *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->key = key;
	p->rclk = calloc((size_t)PAGE_BYTES * d->n_actors, sizeof(*p->rclk));
	p->rrec = calloc((size_t)PAGE_BYTES * d->n_actors, sizeof(*p->rrec));
	if (!p->rclk || !p->rrec) {
		free(p->rclk);
		free(p->rrec);
		free(p);
		return NULL;
	}
	d->pages[h] = p;
	d->n_pages++;
	return p;
}

/* The sync object of an atomic's location (8-byte granule), or -1 when it
 * has none yet. */
static int loc_find(const struct race_det *d, const uint8_t *host)
{
	uintptr_t key = ((uintptr_t)host >> 3) + 1;
	if (!d->cap_locs)
		return -1;
	size_t h = hash_key(key, d->cap_locs);
	while (d->locs[h].key) {
		if (d->locs[h].key == key)
			return d->locs[h].obj;
		h = (h + 1) & (d->cap_locs - 1);
	}
	return -1;
}

/* The same, made when missing. */
static int loc_obj(struct race_det *d, const uint8_t *host)
{
	uintptr_t key = ((uintptr_t)host >> 3) + 1;
	if (2 * (d->n_locs + 1) > d->cap_locs) {
		size_t cap = d->cap_locs ? 2 * d->cap_locs : 64;
		struct locobj *n = calloc(cap, sizeof(*n));
		if (!n)
			return -1;
		for (size_t i = 0; i < d->cap_locs; i++) {
			if (!d->locs[i].key)
				continue;
			size_t h = hash_key(d->locs[i].key, cap);
			while (n[h].key)
				h = (h + 1) & (cap - 1);
			n[h] = d->locs[i];
		}
		free(d->locs);
		d->locs = n;
		d->cap_locs = cap;
	}
	size_t h = hash_key(key, d->cap_locs);
	while (d->locs[h].key) {
		if (d->locs[h].key == key)
			return d->locs[h].obj;
		h = (h + 1) & (d->cap_locs - 1);
	}
	int o = obj_new(d);
	if (o < 0)
		return -1;
	d->locs[h] = (struct locobj){ key, o };
	d->n_locs++;
	return o;
}

/* ---- records and reports ----------------------------------------------------- */

static uint32_t rec_add(struct race_det *d, const struct race_mem *m)
{
	uint32_t last = d->last_rec[m->actor];
	if (last) {
		const struct rec *r = &d->recs[last];
		if (r->pc == m->pc && r->host == m->host && r->width == m->len &&
		    r->value == m->value && r->dir == (m->write ? 'w' : 'r') && r->order == m->order)
			return last;   /* a polling loop: one record */
	}
	if (d->n_recs == d->cap_recs) {
		uint32_t cap = d->cap_recs * 2;
		struct rec *n = realloc(d->recs, (size_t)cap * sizeof(*n));
		if (!n)
			return 0;
		d->recs = n;
		d->cap_recs = cap;
	}
	struct rec *r = &d->recs[d->n_recs];
	memset(r, 0, sizeof(*r));
	r->host = m->host;
	r->pc = m->pc;
	r->addr = m->addr;
	r->value = m->value;
	r->clock = m->clock;
	r->seq = m->seq;
	r->width = m->len;
	r->actor = m->actor;
	r->dir = m->write ? 'w' : 'r';
	r->order = (uint8_t)m->order;
	d->last_rec[m->actor] = d->n_recs;
	return d->n_recs++;
}

static void side_of(struct race_det *d, const struct rec *r, struct race_side *s)
{
	memset(s, 0, sizeof(*s));
	s->vm = r->actor == d->n_vms ? -1 : r->actor;
	s->pc = r->pc;
	s->addr = r->addr;
	s->width = r->width;
	s->value = r->value;
	s->dir = r->dir;
	s->atomic = r->order & RACE_ATOMIC;
	s->clock = r->clock;
	s->seq = r->seq;
	if (!r->host) {
		snprintf(s->region, sizeof(s->region), "%s", r->dev);
		s->off = r->dev_off;
	}
	if (d->describe)
		d->describe(d->ctx, s, r->host);
}

static const char *actor_word(const struct race_det *d, int a, char *buf, size_t n)
{
	if (a == d->n_vms)
		snprintf(buf, n, "the host");
	else if (d->names && d->names[a])
		snprintf(buf, n, "%s", d->names[a]);
	else
		snprintf(buf, n, "vm#%d", a);
	return buf;
}

/* A new report for the pair (first, second), unless this pair of
 * instructions of these actors was reported already. */
static int report(struct race_det *d, enum race_kind kind, const struct rec *first,
		  const struct rec *second)
{
	for (int i = 0; i < d->n_seen; i++) {
		const struct seen *s = &d->seen[i];
		if (s->kind != (int)kind)
			continue;
		if (s->a1 == first->actor && s->a2 == second->actor &&
		    s->pc1 == first->pc && s->pc2 == second->pc)
			return 0;
		/* a data race is one whichever of the two came first */
		if (kind == RACE_DATA && s->a1 == second->actor && s->a2 == first->actor &&
		    s->pc1 == second->pc && s->pc2 == first->pc)
			return 0;
	}
	if (d->n_reports == MAX_REPORTS)
		return 0;
	d->seen[d->n_seen++] = (struct seen){ kind, first->actor, second->actor, first->pc, second->pc };
	struct race_report *r = &d->reports[d->n_reports++];
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	side_of(d, first, &r->first);
	side_of(d, second, &r->second);
	char a[40], b[40];
	actor_word(d, first->actor, a, sizeof(a));
	actor_word(d, second->actor, b, sizeof(b));
	switch (kind) {
	case RACE_DATA:
		snprintf(r->why, sizeof(r->why),
			 "no happens-before path from %s's %s to %s's %s: between them %s did not "
			 "notify %s (with %s then taking the interrupt or reading its status), %s "
			 "made no device request (attach, detach, factory) that a later one of %s "
			 "saw, and no store-release of %s (or store barrier, then store) was read "
			 "by a load-acquire of %s (or load, then load barrier); %s",
			 a, first->dir == 'w' ? "write" : "read", b, second->dir == 'w' ? "write" : "read",
			 a, b, b, a, b, a, b,
			 (first->order & RACE_ATOMIC) || (second->order & RACE_ATOMIC) ?
			 "only one of the two is atomic" : "neither access is atomic");
		break;
	case RACE_STORE_BARRIER:
		snprintf(r->why, sizeof(r->why),
			 "%s stored shared data and then wrote the notify doorbell with no DMB/DSB "
			 "(ST or full, inner or outer shareable) between and the doorbell is not a "
			 "store-release: the peer can take the interrupt and still read the old data",
			 a);
		break;
	case RACE_LOAD_BARRIER:
		snprintf(r->why, sizeof(r->why),
			 "%s read the status register and then loaded shared data with no DMB/DSB "
			 "(LD or full, inner or outer shareable) between and the status read is not a "
			 "load-acquire: the data load may be satisfied before the status read", a);
		break;
	}
	return 1;
}

/* ---- accesses ------------------------------------------------------------------ */

static bool both_atomic(const struct rec *x, unsigned order)
{
	return (x->order & RACE_ATOMIC) && (order & RACE_ATOMIC);
}

/* An access of 1, 2, 4 or 8 bytes at an address its size divides: single-copy
 * atomic on AArch64 (B2.2.1), so it can be a relaxed atomic. */
static bool single_copy(const struct race_mem *m)
{
	return (m->len == 1 || m->len == 2 || m->len == 4 || m->len == 8) &&
	       !(m->addr & (m->len - 1));
}

static int grow(void **p, int *cap, int n, size_t size)
{
	if (n < *cap)
		return 0;
	int c = *cap ? 2 * *cap : 8;
	void *q = realloc(*p, (size_t)c * size);
	if (!q)
		return -1;
	*p = q;
	*cap = c;
	return 0;
}

/* A pair that races unless VM v's candidate run turns out atomic. */
static void defer(struct race_det *d, int v, uint32_t first, uint32_t second)
{
	struct fstate *f = &d->fs[v];
	for (int i = 0; i < f->n_conf; i++)
		if (f->conf[i].first == first && f->conf[i].second == second)
			return;
	if (grow((void **)&f->conf, &f->cap_conf, f->n_conf, sizeof(*f->conf)))
		return;
	f->conf[f->n_conf++] = (struct pair){ first, second };
}

/* The verdict on VM v's candidate run: atomic when a load barrier follows
 * it (an acquire fence: v acquires what was released into the location up to
 * the run's last load), else plain (the pairs it held back are races). */
static int cand_resolve(struct race_det *d, int v, bool atomic)
{
	struct fstate *f = &d->fs[v];
	int found = 0;
	if (!f->cand)
		return 0;
	for (int i = 0; i < f->n_cand_recs; i++) {
		struct rec *r = &d->recs[f->cand_recs[i]];
		r->order = (uint8_t)((r->order & ~ORD_CAND) | (atomic ? RACE_ATOMIC : 0));
	}
	if (atomic)
		vc_join(vc_of(d, v), f->snap, d->n_actors);
	else
		for (int i = 0; i < f->n_conf; i++)
			found += report(d, RACE_DATA, &d->recs[f->conf[i].first],
					&d->recs[f->conf[i].second]);
	f->cand = false;
	f->n_cand_recs = f->n_conf = 0;
	return found;
}

/* A load of the candidate run (started here when none is open). */
static void cand_add(struct race_det *d, int v, const struct race_mem *m, uint32_t ri)
{
	struct fstate *f = &d->fs[v];
	if (!f->cand) {
		f->cand = true;
		f->cand_host = m->host;
		f->cand_len = m->len;
	}
	if (!f->n_cand_recs || f->cand_recs[f->n_cand_recs - 1] != ri) {
		if (grow((void **)&f->cand_recs, &f->cap_cand_recs, f->n_cand_recs,
			 sizeof(*f->cand_recs)) == 0)
			f->cand_recs[f->n_cand_recs++] = ri;
	}
	int o = loc_find(d, m->host);
	if (o >= 0)
		memcpy(f->snap, obj_of(d, o), d->n_actors * sizeof(uint32_t));
	else
		memset(f->snap, 0, d->n_actors * sizeof(uint32_t));
}

/* Two accesses that no happens-before orders and that are not both
 * atomic: a report now, or held back when the one still a candidate may
 * turn out atomic and the other is. */
static int conflict(struct race_det *d, uint32_t first, uint32_t second)
{
	const struct rec *x = &d->recs[first], *y = &d->recs[second];
	if (both_atomic(x, y->order))
		return 0;
	if ((x->order & ORD_CAND) && (y->order & RACE_ATOMIC)) {
		defer(d, x->actor, first, second);
		return 0;
	}
	if ((y->order & ORD_CAND) && (x->order & RACE_ATOMIC)) {
		defer(d, y->actor, first, second);
		return 0;
	}
	return report(d, RACE_DATA, x, y);
}

int race_mem_access(struct race_det *d, const struct race_mem *mem)
{
	struct race_mem mm = *mem;
	const struct race_mem *m = &mm;
	int a = m->actor, found = 0;
	if (a < 0 || a >= d->n_actors || !m->len)
		return 0;
	bool fenced = false;
	if (a < d->n_vms) {
		/* Fences (docs/races.md): a plain single-copy-atomic store right
		 * after a store barrier is a relaxed atomic carrying the barrier's
		 * release; a plain single-copy-atomic load is a candidate until a
		 * load barrier (atomic, acquire) or another access (plain) follows. */
		struct fstate *f = &d->fs[a];
		bool plain = !(m->order & RACE_ATOMIC), sc = plain && single_copy(m);
		bool cand = sc && !m->write;
		if (f->cand && !(cand && m->host == f->cand_host && m->len == f->cand_len))
			found += cand_resolve(d, a, false);
		if (m->write) {
			if (sc && f->fence_st) {
				mm.order |= RACE_ATOMIC | ORD_FENCED;
				fenced = true;
			}
			f->fence_st = false;
		} else if (cand) {
			mm.order |= ORD_CAND;
		}
	}
	if ((m->order & RACE_ACQUIRE) && !m->write) {
		int o = loc_obj(d, m->host);
		if (o >= 0)
			race_acquire(d, a, o);
	}
	uint32_t ri = rec_add(d, m);
	if (!ri)
		return found;
	if (m->order & ORD_CAND)
		cand_add(d, a, m, ri);
	uint32_t *c = vc_of(d, a);
	uint32_t now = c[a];
	int n = d->n_actors;
	/* Barrier awareness: the writer's outstanding store, the reader's
	 * outstanding status read. */
	if (a < d->n_vms) {
		if (m->write && !(m->order & RACE_RELEASE)) {
			d->pend_store[a].set = true;
			d->pend_store[a].r = d->recs[ri];
		} else if (!m->write && d->pend_status[a].set) {
			found += report(d, RACE_LOAD_BARRIER, &d->pend_status[a].r, &d->recs[ri]);
			d->pend_status[a].set = false;
		}
	}
	for (unsigned i = 0; i < m->len; i++) {
		const uint8_t *p = m->host + i;
		struct spage *pg = page_of(d, (uintptr_t)p / PAGE_BYTES);
		if (!pg)
			return found;
		unsigned b = (unsigned)((uintptr_t)p % PAGE_BYTES);
		uint32_t w = pg->wrec[b];
		if (w) {
			const struct rec *wr = &d->recs[w];
			if (wr->actor != a && pg->wclk[b] > c[wr->actor])
				found += conflict(d, w, ri);
		}
		uint32_t *rc = pg->rclk + (size_t)b * n, *rr = pg->rrec + (size_t)b * n;
		if (m->write) {
			for (int x = 0; x < n; x++) {
				if (x != a && rr[x] && rc[x] > c[x])
					found += conflict(d, rr[x], ri);
				rc[x] = 0;
				rr[x] = 0;
			}
			pg->wclk[b] = now;
			pg->wrec[b] = ri;
		} else {
			rc[a] = now;
			rr[a] = ri;
		}
	}
	if ((m->order & RACE_RELEASE) && m->write) {
		int o = loc_obj(d, m->host);
		if (o >= 0)
			race_release(d, a, o);
	}
	if (fenced) {
		int o = loc_obj(d, m->host);
		if (o >= 0)
			vc_join(obj_of(d, o), obj_of(d, obj_fence(d, a)), n);
	}
	return found;
}

int race_barrier(struct race_det *d, int actor, bool stores, bool loads)
{
	int found = 0;
	if (actor < 0 || actor >= d->n_vms)
		return 0;
	if (loads) {
		found = cand_resolve(d, actor, true);     /* acquire fence */
		d->pend_status[actor].set = false;
	}
	if (stores) {
		d->pend_store[actor].set = false;
		d->fs[actor].fence_st = true;              /* release fence */
		race_release(d, actor, obj_fence(d, actor));
	}
	return found;
}

/* A device access ends a VM's candidate run (plain) and its store fence. */
static int device_access(struct race_det *d, int a)
{
	d->fs[a].fence_st = false;
	return cand_resolve(d, a, false);
}

static struct rec dev_rec(const struct race_mem *m, const char *dev, uint64_t off)
{
	struct rec r = { .pc = m->pc, .addr = m->addr, .value = m->value, .clock = m->clock,
			 .seq = m->seq, .width = m->len, .actor = m->actor,
			 .dir = m->write ? 'w' : 'r', .order = (uint8_t)m->order, .dev_off = off };
	snprintf(r.dev, sizeof(r.dev), "%s", dev);
	return r;
}

int race_doorbell(struct race_det *d, const struct race_mem *m, const char *dev, uint64_t off)
{
	int a = m->actor, found = 0;
	if (a < 0 || a >= d->n_vms)
		return 0;
	found = device_access(d, a);
	if (d->pend_store[a].set && !(m->order & RACE_RELEASE)) {
		struct rec r = dev_rec(m, dev, off);
		found += report(d, RACE_STORE_BARRIER, &d->pend_store[a].r, &r);
	}
	d->pend_store[a].set = false;
	return found;
}

int race_status_read(struct race_det *d, const struct race_mem *m, const char *dev, uint64_t off)
{
	int a = m->actor;
	if (a < 0 || a >= d->n_vms)
		return 0;
	int found = device_access(d, a);
	d->pend_status[a].set = !(m->order & RACE_ACQUIRE);
	d->pend_status[a].r = dev_rec(m, dev, off);
	return found;
}

int race_finish(struct race_det *d)
{
	int found = 0;
	for (int v = 0; v < d->n_vms; v++)
		found += cand_resolve(d, v, false);
	return found;
}

const struct race_report *race_reports(const struct race_det *d, int *n)
{
	*n = d->n_reports;
	return d->reports;
}

static const char *const kind_names[] = {
	[RACE_DATA] = "data-race",
	[RACE_STORE_BARRIER] = "missing-barrier-store",
	[RACE_LOAD_BARRIER] = "missing-barrier-load",
};

const char *race_kind_name(enum race_kind k)
{
	return (unsigned)k < sizeof(kind_names) / sizeof(*kind_names) ? kind_names[k] : "?";
}

int race_kind_parse(const char *s)
{
	for (unsigned k = 0; k < sizeof(kind_names) / sizeof(*kind_names); k++)
		if (!strcmp(s, kind_names[k]))
			return (int)k;
	return -1;
}
