/* fuzz_shmem.c - libFuzzer harness for the shmem device model (vdev/shmem.h).
 *
 * The input is a byte stream: a few setup bytes (profile switches, VMs,
 * instances and their ACL/subst/create options), then register operations:
 * factory page and control page loads and stores from several VMs, host API
 * calls, VM stops (DET-4). The harness drives the model through its public
 * register frames, exactly as the bus does (naturally aligned accesses of
 * 1..16 bytes), with a fake struct plat per VM.
 *
 * Beside the model it keeps a shadow: the live connections it learned of
 * from attach events, their index, the pending bits and unseen attach-list
 * changes each should have by SPEC. After every operation it checks what is
 * observable against the shadow and abort()s on a violation:
 *
 *   CTL-3/4   a new connection's index is free in its region and is the one
 *             index_alloc gives (lowest free or round-robin); <= 16 live
 *   CTL-1/2   a status load returns pending bits and the attach list (= the
 *             live connections of the region) as the shadow has them, and
 *             clears only the lanes it read; idx reads the connection's index
 *   NTF-1..4  a notify's targets are the live connections its mask selects
 *             (0xFFFFFFFF: all but the sender; self_notify; HST-2 for the host)
 *   DET-1/2/3 a detach unmaps the pages; detached_pending; region lifetime
 *   IRQ-2/3/4 level: each instance's line is high exactly when one of its
 *             live connections has pending bits or an unseen attach-list
 *             change (no lost notification); edge: the line rests low and
 *             pulses in an operation exactly when that operation gave the
 *             instance an event
 *   CRE-2/4/5 size reads the region's pages; the control page is in the
 *             instance's window, page aligned, never over another mapping;
 *             every connection maps the region's one buffer
 *   CRE-6     connection_budget and memory_budget are never exceeded
 *   FAC-2/5   signature, vector, status in 0..6
 *   region    shm_region_query agrees: exists, pages, live clients
 */
#include <fnmatch.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vdev/shmem.h"

#define MAX_VMS    3
#define MAX_INST   6           /* 2 per VM */
#define MAX_OPS    400
#define MAX_CONN   (MAX_OPS + 64)
#define MAX_REG    (MAX_OPS + 8)
#define MAX_MAPS   512
#define MAX_EVS    64
#define HOST       (-1)
#define SHM_FAC_IMG 0x40       /* factory registers below, RAZ/WI above */

#define CHECK(cond) do { if (!(cond)) fail(#cond, __LINE__); } while (0)

static bool trace;                /* FUZZ_TRACE=1: print each operation */

static void fail(const char *what, int line)
{
	fprintf(stderr, "fuzz_shmem: invariant violated at line %d: %s\n", line, what);
	abort();
}

/* ---- input ---- */

static const uint8_t *in_p;
static size_t in_n;

static uint8_t take8(void)
{
	if (!in_n)
		return 0;
	in_n--;
	return *in_p++;
}

static uint32_t take(unsigned bytes)
{
	uint32_t v = 0;
	for (unsigned i = 0; i < bytes; i++)
		v |= (uint32_t)take8() << (8 * i);
	return v;
}

/* ---- fake platform: one per VM, and one for the host ---- */

struct map { bool live; uint64_t addr, len; const struct mmio_ops *ops; void *opaque, *host; };

struct fake {
	struct plat plat;
	struct map maps[MAX_MAPS];
	uint64_t res_addr, res_len;   /* something else mapped in the VM */
	bool fail_next_map;           /* the next map request fails */
	bool stopped;
};

struct rec {                      /* what the harness needs of an event */
	enum ev_kind kind;
	char region[SHM_GLOBAL_NAME];
	int idx, status;
	uint64_t shmem;
	uint32_t targets;
};

static struct fake vms[MAX_VMS], hostf;
static struct rec evs[MAX_EVS];
static int n_evs;

static struct shm_sys *sys;
static struct shm_inst *insts[MAX_INST];
static int inst_vm[MAX_INST], n_inst, n_vms;
static int line_level[MAX_INST], line_rises[MAX_INST];
static uint32_t inst_vector[MAX_INST];       /* IRQ-1: the INTID it should drive */
static uint8_t stale[MAX_INST];              /* high lines on other INTIDs */

static bool overlaps(uint64_t a, uint64_t al, uint64_t b, uint64_t bl)
{
	return al && bl && a < b + bl && b < a + al;
}

static void f_emit(void *ctx, struct ev *e)
{
	(void)ctx;
	if (e->kind == EV_NOTE || n_evs == MAX_EVS)
		return;
	struct rec *r = &evs[n_evs++];
	if (trace)
		fprintf(stderr, "  ev %d region '%s' idx %d status %d shmem 0x%llx targets 0x%x\n",
			e->kind, e->region ? e->region : "", e->idx, e->status,
			(unsigned long long)e->shmem, e->targets);
	r->kind = e->kind;
	snprintf(r->region, sizeof(r->region), "%s", e->region ? e->region : "");
	r->idx = e->idx;
	r->status = e->status;
	r->shmem = e->shmem;
	r->targets = e->targets;
}

static void f_set_line(void *ctx, void *source, uint32_t intid, int level)
{
	(void)ctx;
	(void)intid;
	for (int i = 0; i < n_inst; i++) {
		if (insts[i] != source)
			continue;
		if (intid != inst_vector[i]) {
			/* only a line going low may use an old vector */
			stale[i] += level ? 1 : 0;
			return;
		}
		if (level && !line_level[i])
			line_rises[i]++;
		if (trace)
			fprintf(stderr, "  line inst %d -> %d\n", i, level);
		line_level[i] = level;
		return;
	}
	fail("set_line from an unknown source", __LINE__);
}

static bool f_range_free(void *ctx, uint64_t addr, uint64_t len)
{
	struct fake *f = ctx;
	if (overlaps(addr, len, f->res_addr, f->res_len))
		return false;
	for (int i = 0; i < MAX_MAPS; i++)
		if (f->maps[i].live && overlaps(addr, len, f->maps[i].addr, f->maps[i].len))
			return false;
	return true;
}

static int f_add(struct fake *f, uint64_t addr, uint64_t len, const struct mmio_ops *ops,
		 void *opaque, void *host)
{
	CHECK(f_range_free(f, addr, len));           /* CRE-4: never over a mapping */
	if (f->fail_next_map) {
		f->fail_next_map = false;
		return -1;
	}
	for (int i = 0; i < MAX_MAPS; i++) {
		if (!f->maps[i].live) {
			f->maps[i] = (struct map){ true, addr, len, ops, opaque, host };
			return 0;
		}
	}
	return -1;                                   /* the model must roll back */
}

static int f_map_mmio(void *ctx, uint64_t addr, uint64_t len, const char *dev,
		      const struct mmio_ops *ops, void *opaque)
{
	(void)dev;
	return f_add(ctx, addr, len, ops, opaque, NULL);
}

static int f_map_ram(void *ctx, uint64_t addr, uint64_t len, void *host)
{
	return f_add(ctx, addr, len, NULL, NULL, host);
}

static void f_unmap(void *ctx, uint64_t addr, uint64_t len)
{
	struct fake *f = ctx;
	for (int i = 0; i < MAX_MAPS; i++)
		if (f->maps[i].live && overlaps(addr, len, f->maps[i].addr, f->maps[i].len))
			f->maps[i].live = false;
}

static struct map *map_at(struct fake *f, uint64_t addr)
{
	for (int i = 0; i < MAX_MAPS; i++)
		if (f->maps[i].live && f->maps[i].addr == addr)
			return &f->maps[i];
	return NULL;
}

/* ---- the shadow: what SPEC says the model's state is ---- */

struct sconn {
	bool live;
	int inst;                     /* HOST for a host connection */
	char host_id[8];
	int reg, idx;
	uint16_t pending;             /* CTL-1 bits 15:0 */
	bool unseen;                  /* attach-list change not yet read (IRQ-2) */
	uint64_t addr;
	void *ctl;                    /* control page opaque (guest) */
};

struct sreg {
	char name[SHM_GLOBAL_NAME];
	bool live, persistent;
	uint32_t pages;
	int conn[SHM_MAX_CLIENTS];    /* shadow connection by index, -1 */
	unsigned rr;                  /* CTL-3 round-robin cursor */
};

static struct profile prof;
static struct shm_inst_cfg inst_cfg[MAX_INST];
static uint32_t sh_find[MAX_INST];    /* the WO find register: partial stores keep bytes */
static struct sconn conns[MAX_CONN];
static struct sreg regs[MAX_REG];
static int n_conns, n_regs;
static int inst_events[MAX_INST];  /* IRQ-2 events this operation, per instance */
static uint64_t initial_bytes;

static int reg_by_name(const char *name)
{
	for (int i = 0; i < n_regs; i++)
		if (!strcmp(regs[i].name, name))
			return i;
	return -1;
}

static uint16_t live_mask(const struct sreg *r)
{
	uint16_t m = 0;
	for (int i = 0; i < SHM_MAX_CLIENTS; i++)
		if (r->conn[i] >= 0)
			m |= (uint16_t)(1u << i);
	return m;
}

/* A region the shadow has not seen yet, or its record. */
static int reg_get(const char *name)
{
	int r = reg_by_name(name);
	if (r >= 0)
		return r;
	CHECK(n_regs < MAX_REG);
	r = n_regs++;
	memset(&regs[r], 0, sizeof(regs[r]));
	snprintf(regs[r].name, sizeof(regs[r].name), "%s", name);
	for (int i = 0; i < SHM_MAX_CLIENTS; i++)
		regs[r].conn[i] = -1;
	return r;
}

static void event_for(const struct sconn *c)
{
	if (c->inst != HOST)
		inst_events[c->inst]++;
}

/* CTL-3: the index the next connection of r gets. */
static int expected_index(const struct sreg *r)
{
	unsigned start = prof.index_alloc == IDX_ROUND_ROBIN ? r->rr % SHM_MAX_CLIENTS : 0;
	for (unsigned i = 0; i < SHM_MAX_CLIENTS; i++) {
		unsigned k = (start + i) % SHM_MAX_CLIENTS;
		if (r->conn[k] < 0)
			return (int)k;
	}
	return -1;
}

/* A connection the model reported (attach event with GSS_OK). */
static int shadow_link(int inst, const char *host_id, const struct rec *e, uint32_t pages)
{
	int ri = reg_get(e->region);
	struct sreg *r = &regs[ri];

	if (!r->live) {                  /* this request created the region */
		r->live = true;
		r->persistent = inst == HOST; /* DET-3: host-made regions live on */
		r->pages = pages;
		r->rr = 0;
	}
	CHECK(e->idx == expected_index(r));          /* CTL-3, CTL-4 */
	CHECK(n_conns < MAX_CONN);
	int ci = n_conns++;
	struct sconn *c = &conns[ci];
	memset(c, 0, sizeof(*c));
	c->live = true;
	c->inst = inst;
	snprintf(c->host_id, sizeof(c->host_id), "%s", host_id ? host_id : "");
	c->reg = ri;
	c->idx = e->idx;
	c->addr = e->shmem;
	/* IRQ-2: the others see the list change; the new one under attach_irq_self */
	for (int i = 0; i < SHM_MAX_CLIENTS; i++) {
		if (r->conn[i] >= 0) {
			conns[r->conn[i]].unseen = true;
			event_for(&conns[r->conn[i]]);
		}
	}
	c->unseen = prof.attach_irq_self;
	if (c->unseen)
		event_for(c);
	r->conn[e->idx] = ci;
	r->rr = (unsigned)(e->idx + 1) % SHM_MAX_CLIENTS;
	return ci;
}

static void shadow_unlink(int ci)
{
	struct sconn *c = &conns[ci];
	struct sreg *r = &regs[c->reg];
	uint16_t bit = (uint16_t)(1u << c->idx);

	c->live = false;
	r->conn[c->idx] = -1;
	for (int i = 0; i < SHM_MAX_CLIENTS; i++) {
		if (r->conn[i] < 0)
			continue;
		struct sconn *o = &conns[r->conn[i]];
		if (prof.detached_pending == DETP_CLEAR)
			o->pending &= (uint16_t)~bit;        /* DET-2 */
		o->unseen = true;                            /* DET-1, IRQ-2 */
		event_for(o);
	}
	if (!live_mask(r) && !r->persistent && prof.region_lifetime == LIFE_DESTROY_ON_LAST)
		r->live = false;                             /* DET-3 */
}

/* NTF-1..4, HST-2: the targets of mask sent by c; sets their pending bits. */
static uint16_t shadow_notify(int ci, uint32_t mask)
{
	struct sconn *c = &conns[ci];
	struct sreg *r = &regs[c->reg];
	uint16_t self = (uint16_t)(1u << c->idx), t;

	if (mask == 0xFFFFFFFFu)
		t = live_mask(r) & (uint16_t)~self;
	else
		t = (uint16_t)mask & live_mask(r);
	if (c->inst != HOST && prof.self_notify == SELF_MASKED)
		t &= (uint16_t)~self;
	for (int i = 0; i < SHM_MAX_CLIENTS; i++) {
		if (t & (1u << i)) {
			conns[r->conn[i]].pending |= self;
			event_for(&conns[r->conn[i]]);
		}
	}
	return t;
}

/* CTL-2: the status word before a read of `lanes`, and the read's clearing. */
static uint32_t shadow_status(int ci, unsigned lanes)
{
	struct sconn *c = &conns[ci];
	uint32_t v = c->pending | (uint32_t)live_mask(&regs[c->reg]) << 16;
	if (lanes & 1)
		c->pending &= 0xFF00;
	if (lanes & 2)
		c->pending &= 0x00FF;
	if (lanes & 0xC)
		c->unseen = false;
	return v;
}

/* The n-th live guest connection (of a running VM), or -1. */
static int pick_conn(uint8_t n)
{
	int live = 0;
	for (int i = 0; i < n_conns; i++)
		live += conns[i].live && conns[i].inst != HOST;
	if (!live)
		return -1;
	n %= live;
	for (int i = 0; i < n_conns; i++)
		if (conns[i].live && conns[i].inst != HOST && n-- == 0)
			return i;
	return -1;
}

static int host_conn(const char *id)
{
	for (int i = 0; i < n_conns; i++)
		if (conns[i].live && conns[i].inst == HOST && !strcmp(conns[i].host_id, id))
			return i;
	return -1;
}

/* ---- setup ---- */

static const char *const guest_names[] = { "a", "b", "c", "xa", "ab", "a/b", "", "a\x7f" };
static const char *const host_names[] = { "a", "b", "c", "pa", "qb", "a/b" };
static const char *const host_ids[] = { "h0", "h1", "h2", "" };
#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

static void setup_profile(uint8_t b0, uint8_t b1)
{
	static const uint64_t budgets[] = { 0, 2 * PAGE_SIZE, 8 * PAGE_SIZE, 0 };
	profile_default(&prof);
	prof.size_zero = (enum prof_size_zero)(b0 % 3);
	prof.find = (enum prof_find)((b0 >> 2) & 1);
	prof.name_unterminated = (enum prof_unterminated)((b0 >> 3) & 1);
	prof.self_notify = (enum prof_self_notify)((b0 >> 4) & 1);
	prof.irq_trigger = (enum prof_irq_trigger)((b0 >> 5) & 1);
	prof.attach_irq_self = (b0 >> 6) & 1;
	prof.detached_pending = (enum prof_det_pending)((b0 >> 7) & 1);
	prof.region_lifetime = (enum prof_lifetime)(b1 & 1);
	prof.index_alloc = (enum prof_index_alloc)((b1 >> 1) & 1);
	prof.failure_regs = (enum prof_failure_regs)((b1 >> 2) & 1);
	prof.connection_budget = (b1 >> 3) & 3;
	prof.memory_budget = budgets[(b1 >> 5) & 3];
}

static void fake_init(struct fake *f)
{
	memset(f, 0, sizeof(*f));
	f->plat = (struct plat){
		.ctx = f, .emit = f_emit, .set_line = f_set_line, .map_mmio = f_map_mmio,
		.map_ram = f_map_ram, .unmap = f_unmap, .range_free = f_range_free,
	};
}

/* One instance: cfg byte bits 0..1 ACL, 2..3 subst, 4 create "c", 5 a
 * `window` option, 6 something (3 pages) mapped inside the window. */
static void setup_inst(int vm, int k, uint8_t b)
{
	static struct shm_acl_rule deny_x = { false, "x*" }, allow_a[] = { { true, "a*" },
									   { true, "c" } };
	static struct shm_create create_c = { "c", 8192 };
	struct shm_inst_cfg cfg = { .loc = 0x1C050000ull + (uint64_t)k * PAGE_SIZE,
				    .intr = 40 + (uint32_t)n_inst };
	inst_vector[n_inst] = cfg.intr;
	char err[200];

	if (b & 1) {
		cfg.acl = &deny_x;
		cfg.n_acl = 1;
	} else if (b & 2) {
		cfg.acl = allow_a;
		cfg.n_acl = 2;
	}
	if (b & 4) {
		cfg.has_subst = true;
		strcpy(cfg.subst_prefix, "p");               /* prepend */
	} else if (b & 8) {
		cfg.has_subst = true;
		strcpy(cfg.subst_match, "a");
		strcpy(cfg.subst_prefix, "q");
	}
	if (b & 16) {
		cfg.creates = &create_c;
		cfg.n_creates = 1;
	}
	/* A window of its own (the loader rejects overlapping windows, and a
	 * shared one makes first fit crawl page by page: docs/fuzzing.md) */
	if (b & 32)
		cfg.window = 0x2000000000ull + (uint64_t)k * SHM_WINDOW_SIZE;
	if ((b & 64) && k == 0) {
		vms[vm].res_addr = SHM_WINDOW_BASE + 2 * PAGE_SIZE;
		vms[vm].res_len = 3 * PAGE_SIZE;
	}
	inst_cfg[n_inst] = cfg;      /* the ACL and subst, for CRE-6 (static rules) */
	insts[n_inst] = shm_inst_new(sys, &vms[vm].plat, vm, k, &cfg, err, sizeof(err));
	if (!insts[n_inst]) {
		fprintf(stderr, "fuzz_shmem: shm_inst_new: %s\n", err);
		abort();
	}
	inst_vm[n_inst++] = vm;
}

/* ACL-2: the regions `create` made are live, persistent, not connected. */
static void setup_created(void)
{
	static const char *const names[] = { "c", "pc" };
	for (int i = 0; i < N_OF(names); i++) {
		struct shm_region_info ri;
		if (!shm_region_query(sys, names[i], &ri) || !ri.exists)
			continue;
		int r = reg_get(names[i]);
		regs[r].live = regs[r].persistent = true;
		regs[r].pages = ri.pages;
		initial_bytes += (uint64_t)ri.pages * PAGE_SIZE;
	}
}

/* ---- register access helpers ---- */

static uint64_t fac_r(int i, uint64_t off, unsigned len)
{
	uint8_t b[8] = {0};
	shm_factory_ops.read(insts[i], off, len, b);
	return le_get(b, len);
}

static void fac_store(int i, uint64_t off, unsigned len, const uint8_t *data);

static void fac_w(int i, uint64_t off, unsigned len, uint64_t v)
{
	uint8_t b[8];
	le_put(b, len, v);
	fac_store(i, off, len, b);
}

/* An access of 1..16 bytes, naturally aligned, at an offset below lim. */
static void pick_access(uint64_t lim, uint64_t *off, unsigned *len)
{
	*len = 1u << (take8() % 5);
	*off = (take8() % lim) & ~(uint64_t)(*len - 1);
}

static int pick_inst(void)
{
	int i = take8() % n_inst;
	if (trace)
		fprintf(stderr, "  inst %d\n", i);
	return vms[inst_vm[i]].stopped ? -1 : i;
}

static uint32_t pick_mask(void)
{
	switch (take8() % 5) {
	case 0: return 0xFFFFFFFFu;
	case 1: return 0xFFFFu;
	case 2: return take8();
	case 3: return take(2);
	default: return take(4);
	}
}

/* ---- after a factory request: learn the new connection from its event ---- */

static void after_request(int i)
{
	for (int k = 0; k < n_evs; k++) {
		const struct rec *e = &evs[k];
		CHECK(e->status >= GSS_OK && e->status <= GSS_DOES_NOT_EXIST);   /* FAC-5 */
		if (e->status == GSS_CLIENT_MAX) {       /* CTL-4: only a full region */
			int r = reg_by_name(e->region);
			CHECK(r >= 0 && regs[r].live && live_mask(&regs[r]) == 0xFFFF);
		}
		if (e->status != GSS_OK)
			continue;
		if (e->kind == EV_FIND) {                    /* CRE-7: an existing one */
			int r = reg_by_name(e->region);
			CHECK(r >= 0 && e->idx >= 0 && e->idx < SHM_MAX_CLIENTS);
			int ci = regs[r].conn[e->idx];
			CHECK(ci >= 0 && conns[ci].inst == i && conns[ci].addr == e->shmem);
			continue;
		}
		CHECK(e->kind == EV_ATTACH);
		struct fake *f = &vms[inst_vm[i]];
		struct map *ctl = map_at(f, e->shmem);
		uint32_t pages = (uint32_t)fac_r(i, FAC_SIZE, 4);                /* CRE-2 */
		CHECK(ctl && ctl->ops && ctl->len == PAGE_SIZE);
		CHECK(e->shmem % PAGE_SIZE == 0);                                /* CRE-4 */
		CHECK(fac_r(i, FAC_SHMEM, 8) == e->shmem);
		int r = reg_by_name(e->region);
		if (r >= 0 && regs[r].live)
			CHECK(pages == regs[r].pages);
		int ci = shadow_link(i, NULL, e, pages);
		conns[ci].ctl = ctl->opaque;
		/* CRE-5: the data pages are the region's one buffer */
		struct shm_region_info ri;
		CHECK(shm_region_query(sys, e->region, &ri) && ri.pages == pages);
		struct map *data = map_at(f, e->shmem + PAGE_SIZE);
		if (pages)
			CHECK(data && !data->ops && data->host == ri.data &&
			      data->len == (uint64_t)pages * PAGE_SIZE);
		else
			CHECK(!data || data->ops);
	}
}

/* ---- CRE-6: the status a request must get ---- */

static bool legal_name(const char *s, size_t max)
{
	size_t n = strlen(s);
	for (size_t k = 0; k < n; k++)
		if ((unsigned char)s[k] < 0x20 || (unsigned char)s[k] > 0x7E || s[k] == '/')
			return false;
	return n >= 1 && n <= max;                                  /* NAM-1/2 */
}

/* NAM-1/2 and ACL-5: local and global name of a name field; false if illegal. */
static bool names_of(int i, const uint8_t *field, char local[SHM_NAME_FIELD + 1],
		     char global[SHM_GLOBAL_NAME])
{
	const struct shm_inst_cfg *c = &inst_cfg[i];
	const uint8_t *nul = memchr(field, 0, SHM_NAME_FIELD);
	size_t n = nul ? (size_t)(nul - field) : SHM_NAME_FIELD - 1;
	size_t ml = c->has_subst ? strlen(c->subst_match) : 0;

	if (!nul && prof.name_unterminated == UNTERM_REJECT)
		return false;
	memcpy(local, field, n);
	local[n] = 0;
	if (!legal_name(local, SHM_NAME_FIELD - 1))
		return false;
	if (c->has_subst && !strncmp(local, c->subst_match, ml)) {
		if (strlen(c->subst_prefix) + n - ml >= SHM_GLOBAL_NAME)
			return false;
		snprintf(global, SHM_GLOBAL_NAME, "%s%s", c->subst_prefix, local + ml);
	} else {
		snprintf(global, SHM_GLOBAL_NAME, "%s", local);
	}
	return legal_name(global, SHM_GLOBAL_NAME - 1);
}

/* ACL-1: the first matching rule decides; default deny if any allow. */
static bool acl_allows(int i, const char *local)
{
	bool any_allow = false;
	for (int k = 0; k < inst_cfg[i].n_acl; k++) {
		if (!fnmatch(inst_cfg[i].acl[k].pattern, local, 0))
			return inst_cfg[i].acl[k].allow;
		any_allow |= inst_cfg[i].acl[k].allow;
	}
	return !any_allow;
}

/* CRE-6 steps 1..7 with CRE-7 and CRE-8, from the shadow. GSS_OK stands for
 * "GSS_OK, or GSS_NOMEM from step 8 (the window) or a mapping that failed". */
static int expected_status(int i, bool find, uint32_t value, const uint8_t *field)
{
	char local[SHM_NAME_FIELD + 1], global[SHM_GLOBAL_NAME];
	uint64_t live_bytes = 0;
	int live_here = 0;

	if (!names_of(i, field, local, global))
		return GSS_ILLEGAL_NAME;                                    /* 1 */
	if (!acl_allows(i, local))
		return GSS_NO_PERMISSION;                                   /* 2 */
	if (!find && value == 0 && prof.size_zero == SZ_INVALID)
		return GSS_UNKNOWN_FAILURE;                                 /* 3 */
	int r = reg_by_name(global);
	bool live = r >= 0 && regs[r].live;
	if (find && prof.find == FIND_BY_INDEX) {                           /* 4, CRE-7 */
		if (!live || value >= SHM_MAX_CLIENTS || regs[r].conn[value] < 0)
			return GSS_DOES_NOT_EXIST;
		return conns[regs[r].conn[value]].inst == i ? GSS_OK : GSS_DOES_NOT_EXIST;
	}
	if (!live && (find || (value == 0 && prof.size_zero != SZ_EMPTY)))
		return GSS_DOES_NOT_EXIST;                                  /* 4, CRE-8 */
	for (int k = 0; k < n_regs; k++)
		if (regs[k].live)
			live_bytes += (uint64_t)regs[k].pages * PAGE_SIZE;
	if (!live && prof.memory_budget &&
	    live_bytes + (uint64_t)value * PAGE_SIZE > prof.memory_budget)
		return GSS_NOMEM;                                           /* 5 */
	if (live && live_mask(&regs[r]) == 0xFFFF)
		return GSS_CLIENT_MAX;                                      /* 6 */
	for (int ci = 0; ci < n_conns; ci++)
		live_here += conns[ci].live && conns[ci].inst == i;
	if (prof.connection_budget && (uint64_t)live_here >= prof.connection_budget)
		return GSS_NOMEM;                                           /* 7 */
	return GSS_OK;
}

/* A store to the factory page (FAC-3): the bytes land, then the one request
 * it triggers, whose status is predicted from the shadow before the store;
 * on failure `shmem` and `size` follow failure_regs (CRE-6). */
static void fac_store(int i, uint64_t off, unsigned len, const uint8_t *data)
{
	uint8_t img[SHM_FAC_IMG];
	bool w_size = false, w_find = false;
	int want = -1;

	for (unsigned k = 0; k < SHM_FAC_IMG; k += 8)
		le_put(img + k, 8, fac_r(i, k, 8));
	le_put(img + FAC_FIND, 4, sh_find[i]);
	uint32_t old_size = (uint32_t)le_get(img + FAC_SIZE, 4);
	uint64_t old_shmem = le_get(img + FAC_SHMEM, 8);
	for (unsigned k = 0; k < len; k++) {
		uint64_t o = off + k;
		if (o < FAC_SIZE || o >= SHM_FAC_IMG)
			continue;                                   /* RO, RAZ/WI */
		img[o] = data[k];
		w_size |= o < FAC_NAME;
		w_find |= o >= FAC_FIND;
	}
	sh_find[i] = (uint32_t)le_get(img + FAC_FIND, 4);
	if (w_size)
		want = expected_status(i, false, (uint32_t)le_get(img + FAC_SIZE, 4), img + FAC_NAME);
	else if (w_find)
		want = expected_status(i, true, sh_find[i], img + FAC_NAME);

	shm_factory_ops.write(insts[i], off, len, data);
	after_request(i);

	int requests = 0;
	for (int k = 0; k < n_evs; k++)
		requests += evs[k].kind == EV_ATTACH || evs[k].kind == EV_FIND;
	CHECK(requests == (want >= 0));                     /* FAC-3: exactly one */
	if (want < 0)
		return;
	uint32_t got = (uint32_t)fac_r(i, FAC_STATUS, 4);
	if (want == GSS_OK ? got != GSS_OK && got != GSS_NOMEM : got != (uint32_t)want) {
		fprintf(stderr, "instance %d: %s request: status %u, expected %d\n", i,
			w_size ? "size" : "find", got, want);
		fail("CRE-6 status", __LINE__);
	}
	if (got != GSS_OK) {
		bool zeroed = prof.failure_regs == FREGS_ZEROED;
		CHECK(fac_r(i, FAC_SIZE, 4) == (zeroed ? 0 : old_size));
		CHECK(fac_r(i, FAC_SHMEM, 8) == (zeroed ? 0 : old_shmem));
	}
}

/* ---- operations ---- */

static void set_name(int i, const char *name)
{
	size_t n = strlen(name);
	for (size_t k = 0; k <= n && k < SHM_NAME_FIELD; k++)
		fac_w(i, FAC_NAME + k, 1, (uint8_t)name[k]);
}

static uint32_t pick_size(void)
{
	uint8_t b = take8();
	return b < 0xF0 ? b % 5u : take(4) & 0xFFFFF;   /* stays below a 4 GiB window */
}

static void op_ctl_read(int ci)
{
	uint64_t off, o;
	unsigned len, lanes = 0;
	uint8_t out[16];

	pick_access(0x18, &off, &len);
	for (unsigned k = 0; k < len; k++)
		if (off + k < 4)
			lanes |= 1u << (off + k);
	uint8_t img[16] = {0};
	uint32_t want = shadow_status(ci, lanes);
	le_put(img, 4, lanes ? want : 0);
	le_put(img + 4, 4, (uint32_t)conns[ci].idx);
	struct map *m = map_at(&vms[inst_vm[conns[ci].inst]], conns[ci].addr);
	CHECK(m && m->ops && m->opaque == conns[ci].ctl);
	m->ops->read(m->opaque, off, len, out);
	for (unsigned k = 0; k < len; k++) {
		o = off + k;
		/* CTL-1/2: status as the shadow has it, idx, RAZ above */
		uint8_t exp = o < 16 ? img[o] : 0;
		if (out[k] != exp) {
			fprintf(stderr, "ctl read off 0x%llx len %u byte %u: 0x%02x, expected 0x%02x\n",
				(unsigned long long)off, len, k, out[k], exp);
			fail("control page read", __LINE__);
		}
	}
}

/* A store to a control page: decode it as CTL-1 says, shadow it, do it. */
static void ctl_store(int ci, uint64_t off, unsigned len, const uint8_t *data)
{
	uint32_t mask = 0;
	bool w_notify = false, w_detach = false;
	for (unsigned k = 0; k < len; k++) {
		uint64_t o = off + k;
		if (o >= CTL_NOTIFY && o < CTL_DETACH) {
			mask |= (uint32_t)data[k] << (8 * (o - CTL_NOTIFY));
			w_notify = true;
		} else if (o >= CTL_DETACH && o < CTL_DETACH + 4) {
			w_detach = true;
		}
	}
	struct map *m = map_at(&vms[inst_vm[conns[ci].inst]], conns[ci].addr);
	CHECK(m && m->ops && m->opaque == conns[ci].ctl);
	uint16_t t = w_notify ? shadow_notify(ci, mask) : 0;
	if (w_detach)
		shadow_unlink(ci);
	m->ops->write(m->opaque, off, len, data);
	int n_notify = 0, n_detach = 0;
	for (int k = 0; k < n_evs; k++) {
		if (evs[k].kind == EV_NOTIFY) {
			n_notify++;
			CHECK(evs[k].targets == t);                          /* NTF-1..3 */
		}
		n_detach += evs[k].kind == EV_DETACH;
	}
	CHECK(n_notify == w_notify && n_detach == w_detach);
	if (w_detach) {
		/* DET-1: control and data pages leave the VM */
		struct fake *f = &vms[inst_vm[conns[ci].inst]];
		CHECK(!map_at(f, conns[ci].addr));
		if (regs[conns[ci].reg].pages)
			CHECK(!map_at(f, conns[ci].addr + PAGE_SIZE));
	}
}

static void op_host(void)
{
	uint8_t b = take8();
	const char *id = host_ids[b % N_OF(host_ids)];
	int ci = host_conn(id), st;
	uint32_t v;

	switch ((b >> 2) % 5) {
	case 0: {                                                /* HST-1 attach */
		const char *name = host_names[take8() % N_OF(host_names)];
		uint32_t pages = take8() % 4;
		int r = reg_by_name(name);
		st = shm_host_attach(sys, id, name, pages);
		CHECK(st >= GSS_OK && st <= GSS_DOES_NOT_EXIST);
		if (ci >= 0 || !*id)
			CHECK(st == GSS_UNKNOWN_FAILURE);       /* id live or missing */
		if (st == GSS_OK) {
			CHECK(n_evs >= 1 && evs[n_evs - 1].kind == EV_ATTACH);
			bool existed = r >= 0 && regs[r].live;
			shadow_link(HOST, id, &evs[n_evs - 1], existed ? regs[r].pages : pages);
		} else if (st == GSS_CLIENT_MAX) {
			CHECK(r >= 0 && regs[r].live && live_mask(&regs[r]) == 0xFFFF);
		}
		break;
	}
	case 1: {                                                /* HST-2 notify */
		uint32_t mask = pick_mask();
		uint16_t t = ci >= 0 ? shadow_notify(ci, mask) : 0;
		st = shm_host_notify(sys, id, mask);
		CHECK(st == (ci >= 0 ? GSS_OK : -1));
		if (ci >= 0)
			CHECK(n_evs == 1 && evs[0].kind == EV_NOTIFY && evs[0].targets == t);
		break;
	}
	case 2: {                                                /* CTL-2 status */
		uint32_t want = ci >= 0 ? shadow_status(ci, 0xF) : 0;
		st = shm_host_status(sys, id, &v);
		CHECK(st == (ci >= 0 ? GSS_OK : -1));
		if (ci >= 0 && v != want) {
			fprintf(stderr, "host status 0x%x, expected 0x%x\n", v, want);
			fail("host status", __LINE__);
		}
		break;
	}
	case 3: {                                                /* data write */
		uint8_t data[16];
		uint64_t off = take(2) * 16u;
		size_t len = take8() % 17;
		for (size_t k = 0; k < len; k++)
			data[k] = take8();
		st = shm_host_write(sys, id, off, data, len);
		if (ci < 0) {
			CHECK(st == -1);
			break;
		}
		uint64_t bytes = (uint64_t)regs[conns[ci].reg].pages * PAGE_SIZE;
		CHECK(st == (off + len <= bytes ? GSS_OK : GSS_UNKNOWN_FAILURE));
		if (st == GSS_OK && len) {
			struct shm_region_info ri;
			CHECK(shm_region_query(sys, regs[conns[ci].reg].name, &ri));
			CHECK(!memcmp(ri.data + off, data, len));    /* CRE-5 */
		}
		break;
	}
	default:                                                 /* DET-1 */
		if (ci >= 0)
			shadow_unlink(ci);
		st = shm_host_detach(sys, id);
		CHECK(st == (ci >= 0 ? GSS_OK : -1));
		break;
	}
}

static void op_stop(void)
{
	int vm = take8() % n_vms;
	if (vms[vm].stopped)
		return;
	for (int ci = 0; ci < n_conns; ci++)
		if (conns[ci].live && conns[ci].inst != HOST && inst_vm[conns[ci].inst] == vm)
			shadow_unlink(ci);
	for (int i = 0; i < n_inst; i++)
		if (inst_vm[i] == vm)
			shm_inst_detach_all(insts[i]);               /* DET-4 */
	vms[vm].stopped = true;
}

static void one_op(void)
{
	uint8_t op = take8() % 14;

	if (trace)
		fprintf(stderr, "op %u\n", op);
	int i, ci;
	uint64_t off;
	unsigned len;
	uint8_t data[16];

	switch (op) {
	case 0:                                          /* name, byte by byte */
		if ((i = pick_inst()) >= 0)
			set_name(i, guest_names[take8() % N_OF(guest_names)]);
		break;
	case 1:                                          /* size request */
		if ((i = pick_inst()) >= 0) {
			fac_w(i, FAC_SIZE, 4, pick_size());
		}
		break;
	case 2:                                          /* find request */
		if ((i = pick_inst()) >= 0) {
			fac_w(i, FAC_FIND, 4, take8() % 18);
		}
		break;
	case 3:                                          /* any factory store */
		if ((i = pick_inst()) >= 0) {
			pick_access(0x48, &off, &len);
			for (unsigned k = 0; k < len; k++)
				data[k] = take8();
			fac_store(i, off, len, data);
		}
		break;
	case 4:                                          /* any factory load */
		if ((i = pick_inst()) >= 0) {
			pick_access(0x48, &off, &len);
			shm_factory_ops.read(insts[i], off, len, data);
			CHECK(fac_r(i, FAC_SIGNATURE, 8) == SHM_SIGNATURE);     /* FAC-2 */
			CHECK(fac_r(i, FAC_VECTOR, 4) == inst_vector[i]);
			CHECK(fac_r(i, FAC_FIND, 4) == 0);                      /* WO */
			for (unsigned k = 0; k < len; k++)
				if (off + k >= 0x40)
					CHECK(data[k] == 0);                   /* RAZ */
		}
		break;
	case 5:                                          /* control page load */
		if ((ci = pick_conn(take8())) >= 0)
			op_ctl_read(ci);
		break;
	case 6:                                          /* notify */
		if ((ci = pick_conn(take8())) >= 0) {
			le_put(data, 4, pick_mask());
			ctl_store(ci, CTL_NOTIFY, 4, data);
		}
		break;
	case 7:                                          /* any control store */
		if ((ci = pick_conn(take8())) >= 0) {
			pick_access(0x18, &off, &len);
			for (unsigned k = 0; k < len; k++)
				data[k] = take8();
			ctl_store(ci, off, len, data);
		}
		break;
	case 8:                                          /* detach */
		if ((ci = pick_conn(take8())) >= 0) {
			le_put(data, 4, 1);
			ctl_store(ci, CTL_DETACH, 4, data);
		}
		break;
	case 9:
		op_host();
		break;
	case 10:
		op_stop();
		break;
	case 12:                                         /* PCI routing moves the line */
		if ((i = pick_inst()) >= 0) {
			/* the level moves with the vector (devif: set_line per INTID) */
			uint32_t old = inst_vector[i], v = 35 + take8() % 8;
			int was = line_level[i];
			inst_vector[i] = v;
			shm_inst_set_vector(insts[i], v);
			CHECK(shm_inst_vector(insts[i]) == v);
			if (v != old)
				CHECK(line_level[i] == was);
		}
		break;
	case 13:                                         /* the machine cannot map */
		vms[take8() % n_vms].fail_next_map = true;
		break;
	default:                                         /* the client's attach */
		if ((i = pick_inst()) >= 0) {
			set_name(i, guest_names[take8() % N_OF(guest_names)]);
			fac_w(i, FAC_SIZE, 4, pick_size());
		}
		break;
	}
}

/* ---- invariants after every operation ---- */

static void check_all(const int *rises_before)
{
	uint64_t live_bytes = 0;
	int maps_want[MAX_VMS] = {0}, inst_live[MAX_INST] = {0};

	for (int r = 0; r < n_regs; r++) {
		struct shm_region_info ri;
		bool known = shm_region_query(sys, regs[r].name, &ri);
		CHECK(known);
		CHECK(ri.exists == regs[r].live);                            /* DET-3 */
		if (!regs[r].live)
			continue;
		CHECK(ri.pages == regs[r].pages);
		CHECK(ri.clients == (uint32_t)__builtin_popcount(live_mask(&regs[r])));
		live_bytes += (uint64_t)ri.pages * PAGE_SIZE;
	}
	if (prof.memory_budget)                                          /* CRE-6 step 5 */
		CHECK(live_bytes <= (prof.memory_budget > initial_bytes ? prof.memory_budget
									: initial_bytes));
	for (int ci = 0; ci < n_conns; ci++) {
		const struct sconn *c = &conns[ci];
		if (!c->live || c->inst == HOST)
			continue;
		CHECK(regs[c->reg].conn[c->idx] == ci);
		maps_want[inst_vm[c->inst]] += 1 + (regs[c->reg].pages > 0);
		inst_live[c->inst]++;
	}
	for (int vm = 0; vm < n_vms; vm++) {                             /* DET-1, CRE-4 */
		int n = 0;
		for (int k = 0; k < MAX_MAPS; k++)
			n += vms[vm].maps[k].live;
		CHECK(n == maps_want[vm]);
	}
	for (int i = 0; i < n_inst; i++) {
		CHECK(!stale[i]);                                        /* IRQ-1 */
		if (prof.connection_budget)                              /* CRE-6 step 7 */
			CHECK((uint64_t)inst_live[i] <= prof.connection_budget);
		bool want = false;
		for (int ci = 0; ci < n_conns; ci++)
			want |= conns[ci].live && conns[ci].inst == i &&
				(conns[ci].pending || conns[ci].unseen);
		int pulses = line_rises[i] - rises_before[i];
		if (prof.irq_trigger == TRIG_LEVEL) {                    /* IRQ-3 level */
			if (line_level[i] != want) {
				fprintf(stderr, "instance %d: line %d, expected %d\n", i,
					line_level[i], want);
				fail("level line", __LINE__);
			}
		} else {                                                 /* IRQ-3 edge */
			CHECK(line_level[i] == 0);
			/* DET-4 detaches a stopped VM's connections in an order
			 * SPEC leaves open: its own pulses are not counted */
			if (!vms[inst_vm[i]].stopped && (inst_events[i] > 0) != (pulses > 0)) {
				fprintf(stderr, "instance %d: %d events, %d pulses\n", i,
					inst_events[i], pulses);
				fail("edge pulses", __LINE__);
			}
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	in_p = data;
	in_n = size;
	trace = getenv("FUZZ_TRACE") != NULL;
	n_evs = n_inst = n_conns = n_regs = 0;
	initial_bytes = 0;
	memset(line_level, 0, sizeof(line_level));
	memset(line_rises, 0, sizeof(line_rises));
	memset(stale, 0, sizeof(stale));
	memset(sh_find, 0, sizeof(sh_find));

	uint8_t b0 = take8(), b1 = take8(), b2 = take8();
	setup_profile(b0, b1);
	fake_init(&hostf);
	sys = shm_sys_new(&prof, &hostf.plat);
	if (!sys)
		abort();
	n_vms = 1 + b2 % MAX_VMS;
	for (int vm = 0; vm < n_vms; vm++) {
		fake_init(&vms[vm]);
		int per_vm = 1 + ((b2 >> (2 + vm)) & 1);
		for (int k = 0; k < per_vm; k++)
			setup_inst(vm, k, take8());
	}
	setup_created();
	n_evs = 0;

	for (int ops = 0; in_n && ops < MAX_OPS; ops++) {
		int rises_before[MAX_INST];
		memcpy(rises_before, line_rises, sizeof(rises_before));
		memset(inst_events, 0, sizeof(inst_events));
		n_evs = 0;
		one_op();
		check_all(rises_before);
	}
	shm_sys_free(sys);
	sys = NULL;
	return 0;
}
