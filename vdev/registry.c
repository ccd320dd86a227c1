/* registry.c - the global name space of the shmem device (NAM-3): regions,
 * their connections and indices, pending notification bits and attach-list
 * events. It marks events on connections; shmem.c turns them into lines.
 *
 * State per region: name, pages, data buffer, live set (CTL-1 bits 31:16),
 * connection per index, round-robin cursor (CTL-3), peak client count.
 * State per connection: index, pending bits (CTL-1 bits 15:0), unseen
 * attach-list change (IRQ-2).
 *
 * Region buffers are anonymous mappings: page aligned, zero-filled and only
 * backed when touched, so a large region costs nothing until used. The
 * buffer IS the region memory (CRE-5): the machine maps it into every VM
 * that connects. A destroyed region keeps its buffer as the record of its
 * last contents (CONTRACT 3 `region` expectations) until the name is made
 * again, so no copy is taken and no unmap still pending can see freed memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "shmem_internal.h"

int shm_grow(void **arr, int *cap, int need, size_t elem)
{
	if (need <= *cap)
		return 0;
	int n = *cap ? *cap * 2 : 8;
	while (n < need)
		n *= 2;
	void *p = realloc(*arr, (size_t)n * elem);
	if (!p)
		return -1;
	*arr = p;
	*cap = n;
	return 0;
}

/* ---- helpers ---- */

static uint64_t region_bytes(uint32_t pages)
{
	return (uint64_t)pages * PAGE_SIZE;
}

void reg_region_free(struct shm_region *r)
{
	if (r->prev)
		reg_region_free(r->prev);
	if (r->data)
		munmap(r->data, region_bytes(r->pages));
	free(r);
}

/* An event for c's instance: level recompute or one edge pulse (IRQ-2/3). */
static void conn_event(struct shm_conn *c)
{
	if (c->inst)
		c->inst->edge_events++;
}

unsigned reg_clients(const struct shm_region *r)
{
	return (unsigned)__builtin_popcount(r->live_mask);
}

/* ---- lookup ---- */

struct shm_region *reg_record(const struct shm_sys *s, const char *name)
{
	for (int i = 0; i < s->n_regions; i++)
		if (!strcmp(s->regions[i]->name, name))
			return s->regions[i];
	return NULL;
}

struct shm_region *reg_find(const struct shm_sys *s, const char *name)
{
	struct shm_region *r = reg_record(s, name);
	return r && r->live ? r : NULL;
}

/* ---- create / destroy (DET-3) ---- */

struct shm_region *reg_create(struct shm_sys *s, const char *name, uint32_t pages, bool persistent)
{
	struct shm_region *old = reg_record(s, name);
	if (old && old->live)
		return NULL;              /* caller's bug: the name exists */

	struct shm_region *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	if (pages) {
		void *m = mmap(NULL, region_bytes(pages), PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (m == MAP_FAILED) {
			free(r);
			return NULL;
		}
		r->data = m;
	}
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->pages = pages;
	r->live = true;
	r->persistent = persistent;
	if (old) {
		/* The latest incarnation replaces the record, same slot; the old
		 * record stays behind it until a connection makes this one real. */
		r->peak_clients = old->peak_clients;
		for (int i = 0; i < s->n_regions; i++)
			if (s->regions[i] == old)
				s->regions[i] = r;
		r->prev = old;
	} else {
		if (shm_grow((void **)&s->regions, &s->cap_regions, s->n_regions + 1,
			     sizeof(*s->regions))) {
			reg_region_free(r);
			return NULL;
		}
		s->regions[s->n_regions++] = r;
	}
	s->live_bytes += region_bytes(pages);
	return r;
}

static void reg_destroy(struct shm_sys *s, struct shm_region *r)
{
	r->live = false;
	r->rr_next = 0;                   /* CTL-3: cursor reset with the region */
	s->live_bytes -= region_bytes(r->pages);
}

void reg_discard(struct shm_sys *s, struct shm_region *r)
{
	if (r->live)
		reg_destroy(s, r);
	for (int i = 0; i < s->n_regions; i++) {
		if (s->regions[i] != r)
			continue;
		if (r->prev) {                    /* the dead record it replaced */
			s->regions[i] = r->prev;
			r->prev = NULL;
		} else {
			memmove(&s->regions[i], &s->regions[i + 1],
				(size_t)(s->n_regions - i - 1) * sizeof(*s->regions));
			s->n_regions--;
		}
		break;
	}
	shm_drop_region(s, r);
}

bool reg_budget_ok(const struct shm_sys *s, uint32_t pages)
{
	uint64_t budget = s->prof.memory_budget;        /* CRE-6 step 5 */
	if (!budget)
		return true;
	return s->live_bytes <= budget && region_bytes(pages) <= budget - s->live_bytes;
}

void reg_free_all(struct shm_sys *s)
{
	for (int i = 0; i < s->n_regions; i++)
		reg_region_free(s->regions[i]);
	free(s->regions);
	s->regions = NULL;
	s->n_regions = s->cap_regions = 0;
	s->live_bytes = 0;
}

/* ---- connections (CTL-3, CTL-4, IRQ-2, DET-1..3) ---- */

int reg_alloc_index(struct shm_sys *s, struct shm_region *r)
{
	unsigned start = s->prof.index_alloc == IDX_ROUND_ROBIN ? r->rr_next % SHM_MAX_CLIENTS : 0;

	for (unsigned i = 0; i < SHM_MAX_CLIENTS; i++) {
		unsigned idx = (start + i) % SHM_MAX_CLIENTS;
		if (!(r->live_mask & (1u << idx)))
			return (int)idx;
	}
	return -1;
}

void reg_link(struct shm_sys *s, struct shm_region *r, struct shm_conn *c, int idx)
{
	if (r->prev) {                            /* the old record's time is over */
		shm_drop_region(s, r->prev);
		r->prev = NULL;
	}
	r->conn[idx] = c;
	r->live_mask |= (uint16_t)(1u << idx);
	r->rr_next = (unsigned)(idx + 1) % SHM_MAX_CLIENTS;
	if (reg_clients(r) > r->peak_clients)
		r->peak_clients = reg_clients(r);
	c->reg = r;
	c->idx = idx;
	c->live = true;
	c->pending = 0;

	/* IRQ-2: every other connection sees the attach list change; the new
	 * one only under attach_irq_self (else its baseline is the list now). */
	for (int i = 0; i < SHM_MAX_CLIENTS; i++) {
		struct shm_conn *o = r->conn[i];
		if (o && o != c) {
			o->list_event = true;
			conn_event(o);
		}
	}
	c->list_event = s->prof.attach_irq_self;
	if (c->list_event)
		conn_event(c);
}

void reg_unlink(struct shm_sys *s, struct shm_conn *c)
{
	struct shm_region *r = c->reg;          /* c is live: shm_conn_detach checked */
	uint16_t bit = (uint16_t)(1u << c->idx);

	r->conn[c->idx] = NULL;
	r->live_mask &= (uint16_t)~bit;
	c->live = false;
	c->reg = NULL;
	c->pending = 0;
	c->list_event = false;

	/* DET-1: the others see the list change; DET-2: bits c set in them. */
	for (int i = 0; i < SHM_MAX_CLIENTS; i++) {
		struct shm_conn *o = r->conn[i];
		if (!o)
			continue;
		if (s->prof.detached_pending == DETP_CLEAR)
			o->pending &= (uint16_t)~bit;
		o->list_event = true;
		conn_event(o);
	}

	/* DET-3: a guest-made region ends with its last connection. */
	if (!r->live_mask && !r->persistent && s->prof.region_lifetime == LIFE_DESTROY_ON_LAST)
		reg_destroy(s, r);
}

/* ---- notify and status (NTF, CTL-2) ---- */

uint16_t reg_notify(struct shm_sys *s, struct shm_conn *c, uint32_t mask, bool host)
{
	struct shm_region *r = c->reg;          /* c is live: shm_conn_notify checked */
	uint16_t self = (uint16_t)(1u << c->idx);
	uint16_t targets;

	if (mask == 0xFFFFFFFFu) {
		targets = r->live_mask & (uint16_t)~self;       /* NTF-2, HST-2 */
	} else {
		targets = (uint16_t)mask & r->live_mask;        /* NTF-2/3: bits 15:0, live only */
		if (!host && s->prof.self_notify == SELF_MASKED)
			targets &= (uint16_t)~self;
	}
	for (int i = 0; i < SHM_MAX_CLIENTS; i++) {
		if (!(targets & (1u << i)))
			continue;
		r->conn[i]->pending |= self;                    /* NTF-4: coalesces */
		conn_event(r->conn[i]);
	}
	return targets;
}

uint32_t conn_status_read(struct shm_conn *c, unsigned lanes)
{
	uint32_t v = c->pending | (uint32_t)c->reg->live_mask << 16;

	/* CTL-2: clear only the pending bits returned; bits 31:16 are live. */
	if (lanes & 1)
		c->pending &= 0xFF00;
	if (lanes & 2)
		c->pending &= 0x00FF;
	if (lanes & 0xC)
		c->list_event = false;
	return v;
}

/* ---- expectations (CONTRACT 3: `region`) ---- */

bool shm_region_query(const struct shm_sys *s, const char *name, struct shm_region_info *out)
{
	memset(out, 0, sizeof(*out));
	const struct shm_region *r = s && name ? reg_record(s, name) : NULL;
	if (!r)
		return false;
	out->exists = r->live;
	out->ever = true;
	out->pages = r->pages;
	out->clients = reg_clients(r);
	out->peak_clients = r->peak_clients;
	out->data = r->data;
	return true;
}

/* ---- race mode (docs/races.md): who is behind an index, where a byte lies ---- */

int shm_conn_owner(const struct shm_sys *s, const char *region, int idx)
{
	const struct shm_region *r = s && region ? reg_find(s, region) : NULL;
	if (!r || idx < 0 || idx >= SHM_MAX_CLIENTS || !r->conn[idx])
		return -2;
	return r->conn[idx]->inst ? r->conn[idx]->inst->vm : -1;
}

bool shm_region_at(const struct shm_sys *s, const void *p, const char **name, uint64_t *off)
{
	const uint8_t *b = p;
	for (int i = 0; s && b && i < s->n_regions; i++) {
		const struct shm_region *r = s->regions[i];
		uint64_t bytes = (uint64_t)r->pages * PAGE_SIZE;
		if (r->live && r->data && b >= r->data && (uint64_t)(b - r->data) < bytes) {
			*name = r->name;
			*off = (uint64_t)(b - r->data);
			return true;
		}
	}
	return false;
}

/* ---- explore: has shared data changed? ---- */

uint64_t shm_sys_data_hash(const struct shm_sys *s)
{
	uint64_t h = 0x9e3779b97f4a7c15ull;
	for (int i = 0; s && i < s->n_regions; i++) {
		const struct shm_region *r = s->regions[i];
		if (!r->live || !r->data)
			continue;
		/* Word by word (data is page aligned): a few microseconds a page set. */
		const uint64_t *w = (const uint64_t *)(const void *)r->data;
		size_t n = (size_t)r->pages * PAGE_SIZE / 8;
		h = (h ^ (uint64_t)i) * 0x100000001b3ull;
		for (size_t k = 0; k < n; k++)
			h = (h ^ w[k]) * 0x100000001b3ull + (h >> 29);
	}
	return h;
}

bool shm_region_get(const struct shm_sys *s, int i, struct shm_region_view *out)
{
	if (!s || i < 0 || i >= s->n_regions)
		return false;
	const struct shm_region *r = s->regions[i];
	*out = (struct shm_region_view){ r->name, r->pages, r->live, r->data, r->live_mask };
	return true;
}

bool shm_conn_get(const struct shm_sys *s, int i, int idx, struct shm_conn_view *out)
{
	if (!s || i < 0 || i >= s->n_regions || idx < 0 || idx >= SHM_MAX_CLIENTS)
		return false;
	const struct shm_region *r = s->regions[i];
	const struct shm_conn *c = r->conn[idx];
	if (!r->live || !c)
		return false;
	*out = (struct shm_conn_view){ c->inst ? c->inst->vm : -1,
				       c->inst ? c->inst->name : c->host_id, c->addr,
				       c->pending, c->list_event };
	return true;
}
