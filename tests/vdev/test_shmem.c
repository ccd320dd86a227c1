/* test_shmem.c - the shmem device model (SPEC sections 1 to 10), driven
 * through its register frames exactly as the bus drives them, with a fake
 * platform that records mappings, interrupt lines and events.
 *
 * Helpers speak register language: fac_w32(a0, FAC_SIZE, 16), ctl_r32(c, CTL_STATUS).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tests/unit.h"
#include "vdev/shmem.h"

/* ---- register offsets (FAC-2, CTL-1) ---- */


#define PG          0x1000ull
#define WIN0        0x1800000000ull           /* window of instance 0 (CRE-4) */
#define WIN1        0x1900000000ull
#define ALL_BUT_ME  0xFFFFFFFFu

/* ---- the fake platform ---- */

#define NMAP 256
#define NEV  2048

struct fmap {
	bool live;
	uint64_t addr, len;
	char dev[24];
	const struct mmio_ops *ops;   /* NULL: RAM */
	void *opaque;
	uint8_t *host;
};

struct fake {
	struct plat plat;
	int tag;                      /* VM index or EV_HOST, stamped on events */
	struct fmap map[NMAP];
	int n_map;
	int level[256], rises[256], calls[256];
	uint64_t res_addr, res_len;   /* something else mapped in this VM */
	int unmaps;
	uint64_t unmap_addr, unmap_len;
	int fail_map_ram;
};

struct fev {
	int tag;
	enum ev_kind kind;
	char region[80];
	int idx;
	uint64_t shmem;
	int status;
	uint32_t from, mask, targets;
	uint64_t value;
	char text[200];
	bool has_text;
};

static struct fev evs[NEV];
static int n_evs, map_conflicts;

static bool overlaps(uint64_t a, uint64_t al, uint64_t b, uint64_t bl)
{
	return al && bl && a < b + bl && b < a + al;
}

static void f_emit(void *ctx, struct ev *e)
{
	struct fake *f = ctx;
	if (n_evs == NEV)
		return;
	struct fev *d = &evs[n_evs++];
	memset(d, 0, sizeof(*d));
	d->tag = f->tag;
	d->kind = e->kind;
	snprintf(d->region, sizeof(d->region), "%s", e->region ? e->region : "");
	d->idx = e->idx;
	d->shmem = e->shmem;
	d->status = e->status;
	d->from = e->from;
	d->mask = e->mask;
	d->targets = e->targets;
	d->value = e->value;
	d->has_text = e->text != NULL;
	snprintf(d->text, sizeof(d->text), "%s", e->text ? e->text : "");
}

static void f_set_line(void *ctx, void *source, uint32_t intid, int level)
{
	struct fake *f = ctx;
	if (intid >= 256)
		return;
	f->calls[intid]++;
	if (level && !f->level[intid])
		f->rises[intid]++;
	f->level[intid] = level;
}

static bool f_range_free(void *ctx, uint64_t addr, uint64_t len)
{
	struct fake *f = ctx;
	if (overlaps(addr, len, f->res_addr, f->res_len))
		return false;
	for (int i = 0; i < f->n_map; i++)
		if (f->map[i].live && overlaps(addr, len, f->map[i].addr, f->map[i].len))
			return false;
	return true;
}

static int f_add(struct fake *f, uint64_t addr, uint64_t len, const char *dev,
		 const struct mmio_ops *ops, void *opaque, void *host)
{
	if (!f_range_free(f, addr, len))
		map_conflicts++;
	struct fmap *m = NULL;
	for (int i = 0; i < f->n_map && !m; i++)
		if (!f->map[i].live)
			m = &f->map[i];
	if (!m && f->n_map < NMAP)
		m = &f->map[f->n_map++];
	if (!m)
		return -1;
	memset(m, 0, sizeof(*m));
	m->live = true;
	m->addr = addr;
	m->len = len;
	snprintf(m->dev, sizeof(m->dev), "%s", dev ? dev : "ram");
	m->ops = ops;
	m->opaque = opaque;
	m->host = host;
	return 0;
}

static int f_map_mmio(void *ctx, uint64_t addr, uint64_t len, const char *dev,
		      const struct mmio_ops *ops, void *opaque)
{
	return f_add(ctx, addr, len, dev, ops, opaque, NULL);
}

static int f_map_ram(void *ctx, uint64_t addr, uint64_t len, void *host)
{
	struct fake *f = ctx;
	if (f->fail_map_ram)
		return -1;
	return f_add(ctx, addr, len, NULL, NULL, NULL, host);
}

static void f_unmap(void *ctx, uint64_t addr, uint64_t len)
{
	struct fake *f = ctx;
	f->unmaps++;
	f->unmap_addr = addr;
	f->unmap_len = len;
	for (int i = 0; i < f->n_map; i++)
		if (f->map[i].live && overlaps(addr, len, f->map[i].addr, f->map[i].len))
			f->map[i].live = false;
}

static void fake_init(struct fake *f, int tag)
{
	memset(f, 0, sizeof(*f));
	f->tag = tag;
	f->plat = (struct plat){
		.ctx = f, .emit = f_emit, .set_line = f_set_line, .map_mmio = f_map_mmio,
		.map_ram = f_map_ram, .unmap = f_unmap, .range_free = f_range_free,
	};
}

static int live_maps(const struct fake *f)
{
	int n = 0;
	for (int i = 0; i < f->n_map; i++)
		n += f->map[i].live;
	return n;
}

static struct fmap *map_at(struct fake *f, uint64_t addr)
{
	for (int i = 0; i < f->n_map; i++)
		if (f->map[i].live && f->map[i].addr == addr)
			return &f->map[i];
	return NULL;
}

/* ---- events ---- */

static int ev_count(enum ev_kind k)
{
	int n = 0;
	for (int i = 0; i < n_evs; i++)
		n += evs[i].kind == k;
	return n;
}

/* The last event of a kind; an all-zero one when there is none (so a
 * missing event fails the assertions that follow, not the whole run). */
static const struct fev *ev_last(enum ev_kind k)
{
	static struct fev none;
	for (int i = n_evs - 1; i >= 0; i--)
		if (evs[i].kind == k)
			return &evs[i];
	memset(&none, 0, sizeof(none));
	none.kind = EV_KIND_COUNT;
	none.idx = -2;
	return &none;
}

/* ---- fixture ---- */

static struct fake A, B, H;      /* VM a, VM b, the host */
static struct shm_sys *S;

static void begin(const struct profile *p)
{
	static struct profile dflt;
	n_evs = 0;
	map_conflicts = 0;
	fake_init(&A, 0);
	fake_init(&B, 1);
	fake_init(&H, EV_HOST);
	S = shm_sys_new(p ? p : &dflt, &H.plat);
	CU_ASSERT_PTR_NOT_NULL_FATAL(S);
}

static void end(void)
{
	CU_ASSERT_EQUAL(map_conflicts, 0);   /* never mapped over something */
	shm_sys_free(S);
	S = NULL;
}

static struct shm_inst *inst_cfg(struct fake *f, int k, const struct shm_inst_cfg *cfg)
{
	char err[200] = "";
	struct shm_inst *in = shm_inst_new(S, &f->plat, f->tag, k, cfg, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(in);
	return in;
}

/* An MMIO-presented instance k (loc + intr). */
static struct shm_inst *inst(struct fake *f, int k, uint32_t intr)
{
	struct shm_inst_cfg cfg = { .loc = 0x1C050000ull + (uint64_t)k * PG, .intr = intr };
	return inst_cfg(f, k, &cfg);
}

/* ---- register helpers ---- */

static void fac_w(struct shm_inst *in, uint64_t off, unsigned len, uint64_t v)
{
	uint8_t b[8];
	le_put(b, len, v);
	shm_factory_ops.write(in, off, len, b);
}

static uint64_t fac_r(struct shm_inst *in, uint64_t off, unsigned len)
{
	uint8_t b[8] = {0};
	shm_factory_ops.read(in, off, len, b);
	return le_get(b, len);
}

static void fac_w8(struct shm_inst *in, uint64_t off, uint8_t v)   { fac_w(in, off, 1, v); }
static void fac_w32(struct shm_inst *in, uint64_t off, uint32_t v) { fac_w(in, off, 4, v); }
static uint32_t fac_r32(struct shm_inst *in, uint64_t off)         { return (uint32_t)fac_r(in, off, 4); }
static uint64_t fac_r64(struct shm_inst *in, uint64_t off)         { return fac_r(in, off, 8); }

/* The client's way: the name byte by byte, NUL included. */
static void set_name(struct shm_inst *in, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i <= n && i < 32; i++)
		fac_w8(in, FAC_NAME + i, (uint8_t)name[i]);
}

static uint32_t req_size(struct shm_inst *in, const char *name, uint32_t pages)
{
	set_name(in, name);
	fac_w32(in, FAC_SIZE, pages);
	return fac_r32(in, FAC_STATUS);
}

static uint32_t req_find(struct shm_inst *in, const char *name, uint32_t k)
{
	set_name(in, name);
	fac_w32(in, FAC_FIND, k);
	return fac_r32(in, FAC_STATUS);
}

/* The control page of the last connection the instance reported. */
static struct fmap *conn_of(struct fake *f, struct shm_inst *in)
{
	struct fmap *m = map_at(f, fac_r64(in, FAC_SHMEM));
	return m && m->ops ? m : NULL;
}

static struct fmap *attach(struct fake *f, struct shm_inst *in, const char *name, uint32_t pages)
{
	CU_ASSERT_EQUAL_FATAL(req_size(in, name, pages), GSS_OK);
	struct fmap *c = conn_of(f, in);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	return c;
}

static uint64_t ctl_r(struct fmap *c, uint64_t off, unsigned len)
{
	uint8_t b[8] = {0};
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);        /* no connection: fail, not crash */
	c->ops->read(c->opaque, off, len, b);
	return le_get(b, len);
}

static void ctl_w(struct fmap *c, uint64_t off, unsigned len, uint64_t v)
{
	uint8_t b[8];
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	le_put(b, len, v);
	c->ops->write(c->opaque, off, len, b);
}

static uint32_t ctl_r32(struct fmap *c, uint64_t off)            { return (uint32_t)ctl_r(c, off, 4); }
static void ctl_w32(struct fmap *c, uint64_t off, uint32_t v)    { ctl_w(c, off, 4, v); }
static uint32_t idx_of(struct fmap *c)                           { return ctl_r32(c, CTL_IDX); }
static void notify(struct fmap *c, uint32_t mask)                { ctl_w32(c, CTL_NOTIFY, mask); }
static void detach(struct fmap *c)                               { ctl_w32(c, CTL_DETACH, 1); }

/* The data pages mapped after a control page. */
static uint8_t *data_of(struct fake *f, struct fmap *c)
{
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	struct fmap *m = map_at(f, c->addr + PG);
	return m && !m->ops ? m->host : NULL;
}

/* The data pages, which must be there (a test goes on to use them). */
static uint8_t *data_ok(struct fake *f, struct fmap *c)
{
	uint8_t *d = data_of(f, c);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	return d;
}

static struct shm_region_info region(const char *name)
{
	struct shm_region_info ri;
	shm_region_query(S, name, &ri);
	return ri;
}

/* ==== FAC: factory page ==== */

static void test_fac_initial_values(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);

	CU_ASSERT_EQUAL(fac_r64(a0, FAC_SIGNATURE), SHM_SIGNATURE);
	CU_ASSERT_EQUAL(fac_r32(a0, FAC_SIGNATURE), 0x474d5651u);          /* two 32-bit halves */
	CU_ASSERT_EQUAL(fac_r32(a0, FAC_SIGNATURE + 4), 0x4d534732u);
	CU_ASSERT_EQUAL(fac_r(a0, FAC_SIGNATURE + 7, 1), 0x4d);            /* and bytes */
	CU_ASSERT_EQUAL(fac_r(a0, FAC_SIGNATURE + 2, 2), 0x474d);
	CU_ASSERT_EQUAL(fac_r64(a0, FAC_SHMEM), 0);                  /* FAC-5 */
	CU_ASSERT_EQUAL(fac_r32(a0, FAC_STATUS), 0);
	CU_ASSERT_EQUAL(fac_r32(a0, FAC_SIZE), 0);
	CU_ASSERT_EQUAL(fac_r32(a0, FAC_VECTOR), 40);
	CU_ASSERT_EQUAL(shm_inst_vector(a0), 40);
	CU_ASSERT_STRING_EQUAL(shm_inst_devname(a0), "shmem0");
	CU_ASSERT_EQUAL(fac_r64(a0, FAC_NAME), 0);
	CU_ASSERT_EQUAL(fac_r32(a0, FAC_FIND), 0);
	CU_ASSERT_EQUAL(fac_r64(a0, 0x40), 0);                       /* RAZ */
	CU_ASSERT_EQUAL(fac_r32(a0, 0xFFC), 0);
	CU_ASSERT_EQUAL(n_evs, 0);
	end();
}

static void test_fac_ro_writes_ignored(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);

	fac_w(a0, FAC_SIGNATURE, 8, 0x1122334455667788ull);
	fac_w(a0, FAC_SHMEM, 8, 0x1234000);
	fac_w32(a0, FAC_VECTOR, 99);
	fac_w32(a0, FAC_STATUS, 5);
	fac_w(a0, FAC_SIGNATURE + 1, 1, 0);
	CU_ASSERT_EQUAL(fac_r64(a0, FAC_SIGNATURE), SHM_SIGNATURE);
	CU_ASSERT_EQUAL(fac_r64(a0, FAC_SHMEM), 0);
	CU_ASSERT_EQUAL(fac_r32(a0, FAC_VECTOR), 40);
	CU_ASSERT_EQUAL(fac_r32(a0, FAC_STATUS), 0);
	CU_ASSERT_EQUAL(ev_count(EV_NOTE), 5);                       /* guest mistakes logged */
	CU_ASSERT_EQUAL(ev_count(EV_ATTACH), 0);                     /* and no request */
	fac_w32(a0, 0x40, 7);                                        /* WI */
	fac_w32(a0, 0xFFC, 7);
	CU_ASSERT_EQUAL(fac_r32(a0, 0x40), 0);
	CU_ASSERT_EQUAL(ev_count(EV_ATTACH), 0);
	end();
}

static void test_fac_name_bytes_and_fac4(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);

	set_name(a0, "moo");
	CU_ASSERT_EQUAL(fac_r32(a0, FAC_NAME), 0x006f6f6d);
	fac_w(a0, FAC_NAME + 4, 4, 0x64636261);                      /* 32-bit store */
	CU_ASSERT_EQUAL(fac_r32(a0, FAC_NAME + 4), 0x64636261);
	fac_w(a0, FAC_NAME + 2, 2, 0x0041);                          /* 16-bit store: "moA" */
	CU_ASSERT_EQUAL(fac_r(a0, FAC_NAME, 4), 0x00416f6d);
	CU_ASSERT_EQUAL(ev_count(EV_ATTACH), 0);                     /* name stores: no request */

	/* FAC-4: requests never change the name, success or failure */
	CU_ASSERT_EQUAL(req_size(a0, "moo", 2), GSS_OK);
	CU_ASSERT_EQUAL(fac_r32(a0, FAC_NAME), 0x006f6f6d);
	CU_ASSERT_EQUAL(fac_r32(a0, FAC_NAME + 4), 0x64636261);
	set_name(a0, "a/b");
	fac_w32(a0, FAC_SIZE, 1);
	CU_ASSERT_EQUAL(fac_r32(a0, FAC_STATUS), GSS_ILLEGAL_NAME);
	CU_ASSERT_EQUAL(fac_r32(a0, FAC_NAME), 0x622f61);
	end();
}

static void test_fac_size64_uses_new_name(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);

	set_name(a0, "xxxxxx");
	/* FAC-3: one 64-bit store writes size = 3 and name[0..3] = "moo\0" */
	fac_w(a0, FAC_SIZE, 8, 0x006f6f6d00000003ull);
	CU_ASSERT_EQUAL(fac_r32(a0, FAC_STATUS), GSS_OK);
	CU_ASSERT_EQUAL(ev_count(EV_ATTACH), 1);
	CU_ASSERT_TRUE(region("moo").exists);
	CU_ASSERT_EQUAL(region("moo").pages, 3);
	CU_ASSERT_FALSE(region("xxxxxx").ever);
	end();
}

static void test_fac_partial_size_store(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);

	set_name(a0, "moo");
	/* a byte store into size byte 1 runs one request with the register's
	 * 32-bit value: bytes not written keep theirs (0) -> 0x100 pages */
	fac_w8(a0, FAC_SIZE + 1, 0x01);
	CU_ASSERT_EQUAL(ev_count(EV_ATTACH), 1);
	CU_ASSERT_EQUAL(fac_r32(a0, FAC_STATUS), GSS_OK);
	CU_ASSERT_EQUAL(region("moo").pages, 0x100);
	CU_ASSERT_EQUAL(fac_r32(a0, FAC_SIZE), 0x100);
	/* a byte store into byte 0: byte 1 keeps 0x01 */
	set_name(a0, "cow");
	fac_w8(a0, FAC_SIZE, 5);
	CU_ASSERT_EQUAL(ev_count(EV_ATTACH), 2);
	CU_ASSERT_EQUAL(region("cow").pages, 0x105);
	/* a 16-bit store writes both low bytes: exactly one request */
	set_name(a0, "pig");
	fac_w(a0, FAC_SIZE, 2, 3);
	CU_ASSERT_EQUAL(ev_count(EV_ATTACH), 3);
	CU_ASSERT_EQUAL(region("pig").pages, 3);
	end();
}

static void test_fac_wide_store_over_ro_and_size(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);
	uint8_t b[16] = {0};

	set_name(a0, "zzzzzzz");
	le_put(b + 0, 4, 77);                    /* vector: RO, ignored */
	le_put(b + 4, 4, 6);                     /* status: RO, ignored */
	le_put(b + 8, 4, 2);                     /* size = 2 */
	memcpy(b + 12, "ab\0", 4);               /* name[0..3] */
	shm_factory_ops.write(a0, FAC_VECTOR, 16, b);
	CU_ASSERT_EQUAL(fac_r32(a0, FAC_VECTOR), 40);
	CU_ASSERT_EQUAL(fac_r32(a0, FAC_STATUS), GSS_OK);
	CU_ASSERT_EQUAL(ev_count(EV_ATTACH), 1);
	CU_ASSERT_EQUAL(ev_count(EV_NOTE), 1);
	CU_ASSERT_EQUAL(region("ab").pages, 2);
	end();
}

static void test_fac_find_is_write_only(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);

	set_name(a0, "moo");
	fac_w32(a0, FAC_FIND, 0x12345678);
	CU_ASSERT_EQUAL(fac_r32(a0, FAC_FIND), 0);
	CU_ASSERT_EQUAL(ev_count(EV_FIND), 1);                       /* it was a request... */
	CU_ASSERT_EQUAL(ev_count(EV_ATTACH), 0);                     /* ...a find */
	CU_ASSERT_EQUAL(fac_r32(a0, FAC_STATUS), GSS_DOES_NOT_EXIST);
	end();
}

/* Any offset, length and value: no crash, RAZ/WI outside the registers. */
static void test_fac_ctl_fuzz(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);
	struct fmap *c = attach(&A, a0, "fz", 1);
	uint8_t buf[16];
	uint32_t x = 12345;

	for (int i = 0; i < 20000; i++) {
		x = x * 1103515245u + 12345u;
		unsigned len = 1u << ((x >> 8) % 5);
		uint64_t off = ((x >> 12) % 0x1000) & ~(uint64_t)(len - 1);
		for (unsigned j = 0; j < len; j++)
			buf[j] = (uint8_t)(x >> (j % 24));
		if ((x >> 3) & 1) {
			/* keep off the control page's detach to keep it alive */
			shm_factory_ops.write(a0, off, len, buf);
		} else {
			shm_factory_ops.read(a0, off, len, buf);
			if (off >= CTL_DETACH + 4 || off + len <= CTL_DETACH)
				c->ops->write(c->opaque, off, len, buf);
			c->ops->read(c->opaque, off, len, buf);
		}
	}
	shm_factory_ops.read(a0, UINT64_MAX, 8, buf);
	shm_factory_ops.write(a0, UINT64_MAX - 3, 8, buf);
	c->ops->read(c->opaque, UINT64_MAX - 1, 16, buf);
	CU_ASSERT_EQUAL(fac_r64(a0, FAC_SIGNATURE), SHM_SIGNATURE);
	CU_ASSERT_EQUAL(idx_of(c), 0);
	detach(c);
	/* a detached connection's page (if the bus still called it): zeros */
	CU_ASSERT_EQUAL(ctl_r(c, 0, 8), 0);
	notify(c, 0xFFFF);
	end();
}

/* ==== CRE: create, attach, find ==== */

static void test_cre_create_attach_size_fixed(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);
	struct shm_inst *b0 = inst(&B, 0, 41);

	struct fmap *ca = attach(&A, a0, "moo", 16);
	CU_ASSERT_EQUAL(fac_r32(a0, FAC_SIZE), 16);
	CU_ASSERT_EQUAL(fac_r64(a0, FAC_SHMEM), WIN0);               /* CRE-4 first fit */
	CU_ASSERT_STRING_EQUAL(ca->dev, "shmem0.ctl0");
	CU_ASSERT_EQUAL(ca->len, PG);
	struct fmap *da = map_at(&A, WIN0 + PG);
	CU_ASSERT_PTR_NOT_NULL_FATAL(da);
	CU_ASSERT_EQUAL(da->len, 16 * PG);                           /* data pages right after */

	/* CRE-1/2: an attach connects whatever N; size reads the real size */
	struct fmap *cb = attach(&B, b0, "moo", 4);
	CU_ASSERT_EQUAL(fac_r32(b0, FAC_SIZE), 16);
	struct fmap *mb = map_at(&B, cb->addr + PG);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mb);
	CU_ASSERT_EQUAL(mb->len, 16 * PG);
	CU_ASSERT_EQUAL(idx_of(cb), 1);
	CU_ASSERT_EQUAL(region("moo").pages, 16);
	CU_ASSERT_EQUAL(region("moo").clients, 2);

	const struct fev *e = ev_last(EV_ATTACH);
	CU_ASSERT_EQUAL(e->tag, 1);
	CU_ASSERT_STRING_EQUAL(e->region, "moo");
	CU_ASSERT_EQUAL(e->idx, 1);
	CU_ASSERT_EQUAL(e->shmem, cb->addr);
	CU_ASSERT_EQUAL(e->status, GSS_OK);
	end();
}

static void test_cre5_one_buffer_zero_filled(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);
	struct shm_inst *b0 = inst(&B, 0, 41);
	struct fmap *ca = attach(&A, a0, "moo", 2);
	struct fmap *cb = attach(&B, b0, "moo", 2);
	uint8_t *da = data_ok(&A, ca), *db = data_ok(&B, cb);

	CU_ASSERT_PTR_NOT_NULL_FATAL(da);
	CU_ASSERT_PTR_EQUAL(da, db);                                 /* no copy */
	CU_ASSERT_EQUAL(((uintptr_t)da) % 4096, 0);
	CU_ASSERT_EQUAL(da[0], 0);
	CU_ASSERT_EQUAL(da[2 * PG - 1], 0);
	da[100] = 0x5a;
	CU_ASSERT_EQUAL(db[100], 0x5a);
	CU_ASSERT_EQUAL(region("moo").data[100], 0x5a);
	end();
}

static void test_cre3_new_connection_per_request(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);

	struct fmap *c1 = attach(&A, a0, "moo", 1);
	struct fmap *c2 = attach(&A, a0, "moo", 1);
	CU_ASSERT_NOT_EQUAL(c1->addr, c2->addr);
	CU_ASSERT_EQUAL(c2->addr, WIN0 + 2 * PG);
	CU_ASSERT_EQUAL(idx_of(c1), 0);
	CU_ASSERT_EQUAL(idx_of(c2), 1);
	CU_ASSERT_EQUAL(region("moo").clients, 2);
	CU_ASSERT_EQUAL(live_maps(&A), 4);
	end();
}

static void test_cre7_find_by_index(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);
	struct shm_inst *b0 = inst(&B, 0, 41);

	struct fmap *c0 = attach(&A, a0, "moo", 3);
	struct fmap *c1 = attach(&A, a0, "moo", 3);
	int maps = live_maps(&A);

	CU_ASSERT_EQUAL(req_find(a0, "moo", 0), GSS_OK);
	CU_ASSERT_EQUAL(fac_r64(a0, FAC_SHMEM), c0->addr);           /* reported again */
	CU_ASSERT_EQUAL(fac_r32(a0, FAC_SIZE), 3);
	CU_ASSERT_EQUAL(region("moo").clients, 2);                   /* no new connection */
	CU_ASSERT_EQUAL(live_maps(&A), maps);
	CU_ASSERT_EQUAL(ev_count(EV_ATTACH), 2);                     /* logged as a find */
	CU_ASSERT_PTR_NOT_NULL_FATAL(ev_last(EV_FIND));
	CU_ASSERT_EQUAL(ev_last(EV_FIND)->idx, 0);
	CU_ASSERT_EQUAL(req_find(a0, "moo", 1), GSS_OK);
	CU_ASSERT_EQUAL(fac_r64(a0, FAC_SHMEM), c1->addr);

	CU_ASSERT_EQUAL(req_find(a0, "moo", 2), GSS_DOES_NOT_EXIST); /* no such index */
	CU_ASSERT_EQUAL(req_find(a0, "moo", 0x10000), GSS_DOES_NOT_EXIST);
	CU_ASSERT_EQUAL(req_find(a0, "cow", 0), GSS_DOES_NOT_EXIST); /* no such region */
	CU_ASSERT_EQUAL(req_find(b0, "moo", 0), GSS_DOES_NOT_EXIST); /* not this instance's */
	CU_ASSERT_FALSE(region("cow").ever);
	detach(c1);
	CU_ASSERT_EQUAL(req_find(a0, "moo", 1), GSS_DOES_NOT_EXIST); /* not live */
	end();
}

static void test_cre7_find_attach_only(void)
{
	struct profile p = { .find = FIND_ATTACH_ONLY };
	begin(&p);
	struct shm_inst *a0 = inst(&A, 0, 40);

	CU_ASSERT_EQUAL(req_find(a0, "moo", 5), GSS_DOES_NOT_EXIST); /* never creates */
	CU_ASSERT_FALSE(region("moo").ever);
	attach(&A, a0, "moo", 2);
	CU_ASSERT_EQUAL(req_find(a0, "moo", 9), GSS_OK);             /* K ignored: attaches */
	CU_ASSERT_EQUAL(region("moo").clients, 2);
	CU_ASSERT_EQUAL(fac_r32(a0, FAC_SIZE), 2);
	CU_ASSERT_EQUAL(idx_of(conn_of(&A, a0)), 1);
	end();
}

static void test_cre8_size_zero_attach_only(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);

	CU_ASSERT_EQUAL(req_size(a0, "moo", 0), GSS_DOES_NOT_EXIST);
	CU_ASSERT_FALSE(region("moo").ever);
	attach(&A, a0, "moo", 7);
	CU_ASSERT_EQUAL(req_size(a0, "moo", 0), GSS_OK);
	CU_ASSERT_EQUAL(fac_r32(a0, FAC_SIZE), 7);
	CU_ASSERT_EQUAL(region("moo").clients, 2);
	end();
}

static void test_cre8_size_zero_invalid(void)
{
	struct profile p = { .size_zero = SZ_INVALID };
	begin(&p);
	struct shm_inst *a0 = inst(&A, 0, 40);

	CU_ASSERT_EQUAL(req_size(a0, "moo", 0), GSS_UNKNOWN_FAILURE);
	attach(&A, a0, "moo", 1);
	CU_ASSERT_EQUAL(req_size(a0, "moo", 0), GSS_UNKNOWN_FAILURE);
	CU_ASSERT_EQUAL(region("moo").clients, 1);
	end();
}

static void test_cre8_size_zero_empty(void)
{
	struct profile p = { .size_zero = SZ_EMPTY };
	begin(&p);
	struct shm_inst *a0 = inst(&A, 0, 40);

	struct fmap *c = attach(&A, a0, "moo", 0);
	CU_ASSERT_TRUE(region("moo").exists);
	CU_ASSERT_EQUAL(region("moo").pages, 0);
	CU_ASSERT_EQUAL(fac_r32(a0, FAC_SIZE), 0);
	CU_ASSERT_PTR_NULL(data_of(&A, c));                          /* no data pages */
	CU_ASSERT_EQUAL(live_maps(&A), 1);
	struct fmap *c2 = attach(&A, a0, "moo", 0);
	CU_ASSERT_EQUAL(c2->addr, WIN0 + PG);                        /* one page each */
	end();
}

static void test_cre6_failure_regs_unchanged(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);

	attach(&A, a0, "moo", 16);
	fac_w32(a0, FAC_SIZE, 0);                                    /* attach-only: ok */
	CU_ASSERT_EQUAL(req_size(a0, "a/b", 5), GSS_ILLEGAL_NAME);
	CU_ASSERT_EQUAL(fac_r32(a0, FAC_SIZE), 16);
	CU_ASSERT_EQUAL(fac_r64(a0, FAC_SHMEM), WIN0 + 17 * PG);
	const struct fev *e = ev_last(EV_ATTACH);
	CU_ASSERT_EQUAL(e->status, GSS_ILLEGAL_NAME);                /* failures are logged */
	CU_ASSERT_EQUAL(e->idx, -1);
	CU_ASSERT_EQUAL(e->shmem, 0);
	CU_ASSERT_STRING_EQUAL(e->region, "a/b");
	end();
}

static void test_cre6_failure_regs_zeroed(void)
{
	struct profile p = { .failure_regs = FREGS_ZEROED };
	begin(&p);
	struct shm_inst *a0 = inst(&A, 0, 40);

	attach(&A, a0, "moo", 16);
	CU_ASSERT_EQUAL(req_find(a0, "moo", 3), GSS_DOES_NOT_EXIST);
	CU_ASSERT_EQUAL(fac_r32(a0, FAC_SIZE), 0);
	CU_ASSERT_EQUAL(fac_r64(a0, FAC_SHMEM), 0);
	end();
}

/* CRE-6 order, one test per step against the next. */
static void test_cre6_order_1_name_before_acl(void)
{
	struct shm_acl_rule deny_all = { .allow = false, .pattern = "*" };
	begin(NULL);
	struct shm_inst_cfg cfg = { .loc = 0x1C050000, .intr = 40, .acl = &deny_all, .n_acl = 1 };
	struct shm_inst *a0 = inst_cfg(&A, 0, &cfg);

	CU_ASSERT_EQUAL(req_size(a0, "a/b", 1), GSS_ILLEGAL_NAME);
	CU_ASSERT_EQUAL(req_size(a0, "ab", 1), GSS_NO_PERMISSION);
	end();
}

static void test_cre6_order_2_acl_before_size_zero(void)
{
	struct profile p = { .size_zero = SZ_INVALID };
	struct shm_acl_rule deny = { .allow = false, .pattern = "x*" };
	begin(&p);
	struct shm_inst_cfg cfg = { .loc = 0x1C050000, .intr = 40, .acl = &deny, .n_acl = 1 };
	struct shm_inst *a0 = inst_cfg(&A, 0, &cfg);

	CU_ASSERT_EQUAL(req_size(a0, "x1", 0), GSS_NO_PERMISSION);
	CU_ASSERT_EQUAL(req_size(a0, "y1", 0), GSS_UNKNOWN_FAILURE);
	CU_ASSERT_EQUAL(req_find(a0, "x1", 0), GSS_NO_PERMISSION);   /* 2 before 4 */
	end();
}

static void test_cre6_order_3_size_zero_before_absent(void)
{
	struct profile p = { .size_zero = SZ_INVALID };
	begin(&p);
	struct shm_inst *a0 = inst(&A, 0, 40);

	CU_ASSERT_EQUAL(req_size(a0, "absent", 0), GSS_UNKNOWN_FAILURE);
	end();
}

static void test_cre6_order_4_absent_before_budgets(void)
{
	struct profile p = { .connection_budget = 1 };
	begin(&p);
	struct shm_inst *a0 = inst(&A, 0, 40);

	attach(&A, a0, "moo", 1);                                    /* budget used up */
	CU_ASSERT_EQUAL(req_size(a0, "cow", 1), GSS_NOMEM);          /* step 7 */
	CU_ASSERT_EQUAL(req_size(a0, "absent", 0), GSS_DOES_NOT_EXIST);
	CU_ASSERT_EQUAL(req_find(a0, "absent", 0), GSS_DOES_NOT_EXIST);
	A.res_addr = WIN0;                                           /* window full too */
	A.res_len = SHM_WINDOW_SIZE;
	CU_ASSERT_EQUAL(req_size(a0, "absent", 0), GSS_DOES_NOT_EXIST);
	end();
}

static void test_cre6_step5_memory_budget(void)
{
	struct profile p = { .memory_budget = 8 * PG };
	struct shm_create cr = { .name = "pre", .bytes = 4 * PG };
	begin(&p);
	struct shm_inst_cfg cfg = { .loc = 0x1C050000, .intr = 40, .creates = &cr, .n_creates = 1 };
	struct shm_inst *a0 = inst_cfg(&A, 0, &cfg);

	/* create-made regions count: 4 + 5 pages > 8 */
	CU_ASSERT_EQUAL(req_size(a0, "big", 5), GSS_NOMEM);
	CU_ASSERT_FALSE(region("big").ever);                         /* nothing created */
	CU_ASSERT_EQUAL(live_maps(&A), 0);
	CU_ASSERT_EQUAL(req_size(a0, "fits", 4), GSS_OK);            /* exactly 8 */
	CU_ASSERT_EQUAL(req_size(a0, "one", 1), GSS_NOMEM);
	CU_ASSERT_EQUAL(req_size(a0, "pre", 100), GSS_OK);           /* attach creates nothing */
	detach(conn_of(&A, a0));
	CU_ASSERT_EQUAL(req_find(a0, "fits", 0), GSS_OK);
	detach(conn_of(&A, a0));                                     /* "fits" destroyed */
	CU_ASSERT_FALSE(region("fits").exists);
	CU_ASSERT_EQUAL(req_size(a0, "one", 1), GSS_OK);             /* budget freed */
	end();
}

static void test_cre6_step6_client_max_before_budget_and_window(void)
{
	struct profile p = { .connection_budget = 1 };
	begin(&p);
	struct shm_inst *a0 = inst(&A, 0, 40);
	char id[16];

	for (int i = 0; i < 15; i++) {
		snprintf(id, sizeof(id), "h%d", i);
		CU_ASSERT_EQUAL(shm_host_attach(S, id, "moo", 1), GSS_OK);
	}
	attach(&A, a0, "moo", 1);                                    /* 16th; budget used */
	CU_ASSERT_EQUAL(req_size(a0, "moo", 1), GSS_CLIENT_MAX);     /* 6 before 7 */
	A.res_addr = WIN0;
	A.res_len = SHM_WINDOW_SIZE;
	CU_ASSERT_EQUAL(req_size(a0, "moo", 1), GSS_CLIENT_MAX);     /* 6 before 8 */
	CU_ASSERT_EQUAL(req_size(a0, "cow", 1), GSS_NOMEM);
	end();
}

static void test_cre6_step7_connection_budget(void)
{
	struct profile p = { .connection_budget = 2 };
	begin(&p);
	struct shm_inst *a0 = inst(&A, 0, 40);
	struct shm_inst *a1 = inst(&A, 1, 41);

	struct fmap *c = attach(&A, a0, "moo", 1);
	attach(&A, a0, "cow", 1);
	CU_ASSERT_EQUAL(req_size(a0, "moo", 1), GSS_NOMEM);
	CU_ASSERT_EQUAL(req_size(a1, "moo", 1), GSS_OK);             /* per instance */
	detach(c);
	CU_ASSERT_EQUAL(req_size(a0, "moo", 1), GSS_OK);
	end();
}

static void test_cre6_step8_window(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);

	/* 2^20 data pages + the control page exceed the 4 GiB window */
	CU_ASSERT_EQUAL(req_size(a0, "huge", 0x100000), GSS_NOMEM);
	CU_ASSERT_FALSE(region("huge").ever);
	CU_ASSERT_EQUAL(live_maps(&A), 0);
	CU_ASSERT_EQUAL(req_size(a0, "huge", 0xFFFFFFFFu), GSS_NOMEM);
	end();
}

/* ==== CRE-4: window and first fit ==== */

static void test_cre4_first_fit_reuse(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);

	struct fmap *c1 = attach(&A, a0, "a", 1);
	struct fmap *c2 = attach(&A, a0, "b", 1);
	struct fmap *c3 = attach(&A, a0, "c", 1);
	CU_ASSERT_EQUAL(c1->addr, WIN0);
	CU_ASSERT_EQUAL(c2->addr, WIN0 + 2 * PG);
	CU_ASSERT_EQUAL(c3->addr, WIN0 + 4 * PG);
	detach(c2);
	CU_ASSERT_EQUAL(A.unmap_addr, WIN0 + 2 * PG);
	CU_ASSERT_EQUAL(A.unmap_len, 2 * PG);
	CU_ASSERT_EQUAL(attach(&A, a0, "big", 2)->addr, WIN0 + 6 * PG);  /* hole too small */
	CU_ASSERT_EQUAL(attach(&A, a0, "d", 1)->addr, WIN0 + 2 * PG);    /* hole reused */
	end();
}

static void test_cre4_windows_per_instance(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);
	struct shm_inst *a1 = inst(&A, 1, 41);
	struct shm_inst_cfg cfg = { .loc = 0x1C052000, .intr = 42, .window = 0x2000000000ull };
	struct shm_inst *a2 = inst_cfg(&A, 2, &cfg);

	CU_ASSERT_EQUAL(attach(&A, a0, "moo", 1)->addr, WIN0);
	CU_ASSERT_EQUAL(attach(&A, a1, "moo", 1)->addr, WIN1);
	CU_ASSERT_EQUAL(attach(&A, a2, "moo", 1)->addr, 0x2000000000ull);
	CU_ASSERT_STRING_EQUAL(conn_of(&A, a1)->dev, "shmem1.ctl1");
	end();
}

static void test_cre4_skips_other_mappings(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);

	A.res_addr = WIN0 + PG;                  /* something at the window's 2nd page */
	A.res_len = PG;
	CU_ASSERT_EQUAL(attach(&A, a0, "a", 1)->addr, WIN0 + 2 * PG);
	A.res_addr = WIN0 + 4 * PG;              /* and a longer one further on */
	A.res_len = 5 * PG;
	CU_ASSERT_EQUAL(attach(&A, a0, "b", 3)->addr, WIN0 + 9 * PG);
	CU_ASSERT_EQUAL(attach(&A, a0, "a", 0)->addr, WIN0);         /* the freed start fits */
	end();
}

static void test_cre_map_failure_rolls_back(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);

	A.fail_map_ram = 1;
	CU_ASSERT_EQUAL(req_size(a0, "moo", 1), GSS_NOMEM);
	CU_ASSERT_FALSE(region("moo").ever);
	CU_ASSERT_EQUAL(live_maps(&A), 0);
	A.fail_map_ram = 0;
	CU_ASSERT_EQUAL(req_size(a0, "moo", 1), GSS_OK);
	end();
}

/* CRE-6 "on failure ... nothing is created": a failed re-creation of a
 * destroyed region leaves that region's record as it was (found by
 * tests/fuzz/fuzz_shmem: the record was dropped, so `region` expectations
 * saw a region that never existed). */
static void test_cre_map_failure_keeps_destroyed_record(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);
	struct fmap *c = attach(&A, a0, "moo", 1);
	uint8_t *d = data_of(&A, c);

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	d[5] = 0x5A;
	detach(c);                                   /* DET-3: destroyed, record kept */
	CU_ASSERT_FALSE(region("moo").exists);
	CU_ASSERT_TRUE(region("moo").ever);

	A.fail_map_ram = 1;
	CU_ASSERT_EQUAL(req_size(a0, "moo", 2), GSS_NOMEM);
	struct shm_region_info ri = region("moo");
	CU_ASSERT_TRUE(ri.ever);
	CU_ASSERT_FALSE(ri.exists);
	CU_ASSERT_EQUAL(ri.pages, 1);
	CU_ASSERT_EQUAL(ri.peak_clients, 1);
	CU_ASSERT_FATAL(ri.data != NULL);
	CU_ASSERT_EQUAL(ri.data[5], 0x5A);           /* its last contents */
	CU_ASSERT_EQUAL(live_maps(&A), 0);

	A.fail_map_ram = 0;                          /* the next create starts afresh */
	c = attach(&A, a0, "moo", 2);
	CU_ASSERT_EQUAL(region("moo").pages, 2);
	CU_ASSERT_EQUAL(data_of(&A, c)[5], 0);
	end();
}

/* ==== NAM: names ==== */

static void test_nam_legal_and_illegal(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);
	char n31[32];

	memset(n31, 'x', 31);
	n31[31] = 0;
	CU_ASSERT_EQUAL(req_size(a0, n31, 1), GSS_OK);
	CU_ASSERT_EQUAL(req_size(a0, " ~!", 1), GSS_OK);             /* 0x20..0x7E */
	CU_ASSERT_EQUAL(req_size(a0, "", 1), GSS_ILLEGAL_NAME);      /* empty */
	CU_ASSERT_EQUAL(req_size(a0, "a/b", 1), GSS_ILLEGAL_NAME);
	CU_ASSERT_EQUAL(req_size(a0, "/", 1), GSS_ILLEGAL_NAME);
	CU_ASSERT_EQUAL(req_size(a0, "a\x7f", 1), GSS_ILLEGAL_NAME);
	CU_ASSERT_EQUAL(req_size(a0, "a\x1f", 1), GSS_ILLEGAL_NAME);
	CU_ASSERT_EQUAL(req_size(a0, "a\x80", 1), GSS_ILLEGAL_NAME);
	CU_ASSERT_EQUAL(req_size(a0, "\t", 1), GSS_ILLEGAL_NAME);
	CU_ASSERT_EQUAL(region(n31).pages, 1);
	end();
}

static void write_unterminated(struct shm_inst *in, char last)
{
	for (int i = 0; i < 31; i++)
		fac_w8(in, FAC_NAME + i, (uint8_t)('a' + i % 26));
	fac_w8(in, FAC_NAME + 31, (uint8_t)last);
}

static void test_nam_unterminated_reject(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);

	write_unterminated(a0, 'z');
	fac_w32(a0, FAC_SIZE, 1);
	CU_ASSERT_EQUAL(fac_r32(a0, FAC_STATUS), GSS_ILLEGAL_NAME);
	CU_ASSERT_EQUAL(fac_r(a0, FAC_NAME + 31, 1), 'z');
	end();
}

static void test_nam_unterminated_truncate(void)
{
	struct profile p = { .name_unterminated = UNTERM_TRUNCATE };
	begin(&p);
	struct shm_inst *a0 = inst(&A, 0, 40);

	write_unterminated(a0, '/');             /* the dropped 32nd byte is not checked */
	fac_w32(a0, FAC_SIZE, 1);
	CU_ASSERT_EQUAL(fac_r32(a0, FAC_STATUS), GSS_OK);
	CU_ASSERT_TRUE(region("abcdefghijklmnopqrstuvwxyzabcde").exists);
	CU_ASSERT_EQUAL(fac_r(a0, FAC_NAME + 31, 1), '/');           /* FAC-4 */
	/* an illegal byte within the 31 kept still fails */
	fac_w8(a0, FAC_NAME + 3, '/');
	fac_w32(a0, FAC_SIZE, 1);
	CU_ASSERT_EQUAL(fac_r32(a0, FAC_STATUS), GSS_ILLEGAL_NAME);
	end();
}

static void test_nam3_global_name_space(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);
	struct shm_inst *b1 = inst(&B, 1, 41);

	attach(&A, a0, "moo", 3);
	CU_ASSERT_EQUAL(req_size(b1, "moo", 9), GSS_OK);             /* other VM, other k */
	CU_ASSERT_EQUAL(fac_r32(b1, FAC_SIZE), 3);
	CU_ASSERT_EQUAL(shm_host_attach(S, "h", "moo", 1), GSS_OK);
	CU_ASSERT_EQUAL(region("moo").clients, 3);
	end();
}

/* ==== ACL ==== */

static struct shm_inst *inst_acl(struct fake *f, int k, struct shm_acl_rule *r, int n)
{
	struct shm_inst_cfg cfg = { .loc = 0x1C050000ull + (uint64_t)k * PG, .intr = 40,
				    .acl = r, .n_acl = n };
	return inst_cfg(f, k, &cfg);
}

static void test_acl1_first_match_decides(void)
{
	struct shm_acl_rule r1[] = { { true, "moo*" }, { false, "moo1" } };
	struct shm_acl_rule r2[] = { { false, "moo1" }, { true, "moo*" } };
	begin(NULL);
	struct shm_inst *a0 = inst_acl(&A, 0, r1, 2);
	struct shm_inst *a1 = inst_acl(&A, 1, r2, 2);

	CU_ASSERT_EQUAL(req_size(a0, "moo1", 1), GSS_OK);
	CU_ASSERT_EQUAL(req_size(a1, "moo1", 1), GSS_NO_PERMISSION);
	CU_ASSERT_EQUAL(req_size(a1, "moo2", 1), GSS_OK);
	end();
}

static void test_acl1_defaults_and_wildcards(void)
{
	struct shm_acl_rule allow[] = { { true, "a?[0-9]" } };
	struct shm_acl_rule deny[] = { { false, "b*" } };
	begin(NULL);
	struct shm_inst *a0 = inst_acl(&A, 0, allow, 1);
	struct shm_inst *a1 = inst_acl(&A, 1, deny, 1);
	struct shm_inst *a2 = inst_acl(&A, 2, NULL, 0);

	CU_ASSERT_EQUAL(req_size(a0, "ax7", 1), GSS_OK);
	CU_ASSERT_EQUAL(req_size(a0, "axx", 1), GSS_NO_PERMISSION);  /* an allow exists: deny */
	CU_ASSERT_EQUAL(req_size(a0, "ax77", 1), GSS_NO_PERMISSION);
	CU_ASSERT_EQUAL(req_size(a1, "cow", 1), GSS_OK);             /* only denies: allow */
	CU_ASSERT_EQUAL(req_size(a1, "bee", 1), GSS_NO_PERMISSION);
	CU_ASSERT_EQUAL(req_size(a2, "bee", 1), GSS_OK);             /* no rules */
	end();
}

static void test_acl3_acl4_reach_through_own_acl(void)
{
	struct shm_acl_rule deny[] = { { false, "secret" } };
	struct shm_create cr = { .name = "pre", .bytes = PG };
	struct shm_acl_rule deny_pre[] = { { false, "pre" } };
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);
	struct shm_inst *b0 = inst_acl(&B, 0, deny, 1);
	struct shm_inst_cfg cfg = { .loc = 0x1C051000, .intr = 41, .acl = deny_pre, .n_acl = 1,
				    .creates = &cr, .n_creates = 1 };
	struct shm_inst *b1 = inst_cfg(&B, 1, &cfg);

	attach(&A, a0, "secret", 1);
	CU_ASSERT_EQUAL(req_size(b0, "secret", 1), GSS_NO_PERMISSION);  /* ACL-4 */
	CU_ASSERT_EQUAL(req_find(b0, "secret", 0), GSS_NO_PERMISSION);  /* ACL-3: find too */
	CU_ASSERT_EQUAL(req_size(b1, "pre", 1), GSS_NO_PERMISSION);     /* create-made too */
	CU_ASSERT_EQUAL(req_size(a0, "pre", 1), GSS_OK);
	end();
}

static void test_acl5_subst(void)
{
	struct shm_acl_rule allow_guest[] = { { true, "moo*" } };
	struct shm_acl_rule allow_global[] = { { true, "cow*" } };
	begin(NULL);
	struct shm_inst_cfg c0 = { .loc = 0x1C050000, .intr = 40, .has_subst = true,
				   .subst_match = "moo", .subst_prefix = "cow",
				   .acl = allow_guest, .n_acl = 1 };
	struct shm_inst_cfg c1 = { .loc = 0x1C051000, .intr = 41, .has_subst = true,
				   .subst_match = "", .subst_prefix = "vm1." };
	struct shm_inst_cfg c2 = { .loc = 0x1C052000, .intr = 42, .has_subst = true,
				   .subst_match = "moo", .subst_prefix = "cow",
				   .acl = allow_global, .n_acl = 1 };
	struct shm_inst *a0 = inst_cfg(&A, 0, &c0);
	struct shm_inst *a1 = inst_cfg(&A, 1, &c1);
	struct shm_inst *a2 = inst_cfg(&A, 2, &c2);

	CU_ASSERT_EQUAL(req_size(a0, "moo1", 2), GSS_OK);            /* ACL sees "moo1" */
	CU_ASSERT_TRUE(region("cow1").exists);
	CU_ASSERT_FALSE(region("moo1").ever);
	CU_ASSERT_STRING_EQUAL(ev_last(EV_ATTACH)->region, "cow1");
	CU_ASSERT_EQUAL(req_size(a0, "xmoo", 1), GSS_NO_PERMISSION);
	CU_ASSERT_EQUAL(req_size(a1, "xmoo", 1), GSS_OK);            /* empty MATCH: prepend */
	CU_ASSERT_TRUE(region("vm1.xmoo").exists);
	CU_ASSERT_EQUAL(req_size(a1, "cow1", 5), GSS_OK);            /* "vm1.cow1" is new */
	CU_ASSERT_EQUAL(fac_r32(a1, FAC_SIZE), 5);
	CU_ASSERT_EQUAL(req_size(a2, "moo1", 1), GSS_NO_PERMISSION); /* not "cow1" */
	end();
}

static void test_acl5_subst_long_and_nonmatching(void)
{
	begin(NULL);
	struct shm_inst_cfg c0 = { .loc = 0x1C050000, .intr = 40, .has_subst = true,
				   .subst_match = "q" };
	memset(c0.subst_prefix, 'p', 40);
	struct shm_inst *a0 = inst_cfg(&A, 0, &c0);
	char name[40];

	CU_ASSERT_EQUAL(req_size(a0, "abc", 1), GSS_OK);             /* no MATCH: unchanged */
	CU_ASSERT_TRUE(region("abc").exists);
	snprintf(name, sizeof(name), "q%s", "0123456789012345678901");  /* 40 + 22 = 62 */
	CU_ASSERT_EQUAL(req_size(a0, name, 1), GSS_OK);
	snprintf(name, sizeof(name), "q%s", "01234567890123456789012"); /* 63 */
	CU_ASSERT_EQUAL(req_size(a0, name, 1), GSS_OK);
	snprintf(name, sizeof(name), "q%s", "012345678901234567890123"); /* 64 */
	CU_ASSERT_EQUAL(req_size(a0, name, 1), GSS_ILLEGAL_NAME);
	end();
}

static void test_acl2_create_option(void)
{
	struct shm_create cr[] = { { "TEST1", 0xf0001 }, { "moo", 0x1000 }, { "z", 0 } };
	begin(NULL);
	struct shm_inst_cfg cfg = { .loc = 0x1C050000, .intr = 40, .creates = cr, .n_creates = 3,
				    .has_subst = true, .subst_match = "moo", .subst_prefix = "g" };
	struct shm_inst *a0 = inst_cfg(&A, 0, &cfg);

	struct shm_region_info ri = region("TEST1");
	CU_ASSERT_TRUE(ri.exists);
	CU_ASSERT_EQUAL(ri.pages, 0xf1);                             /* rounded up */
	CU_ASSERT_EQUAL(ri.clients, 0);
	CU_ASSERT_EQUAL(ri.data[0xf0000], 0);
	CU_ASSERT_TRUE(region("g").exists);                          /* subst applies */
	CU_ASSERT_FALSE(region("moo").ever);
	CU_ASSERT_EQUAL(region("z").pages, 0);
	CU_ASSERT_EQUAL(A.calls[40], 0);
	CU_ASSERT_EQUAL(live_maps(&A), 0);                           /* nothing mapped */

	struct fmap *c = attach(&A, a0, "TEST1", 1);
	CU_ASSERT_EQUAL(fac_r32(a0, FAC_SIZE), 0xf1);
	detach(c);                                                   /* DET-3: lives on */
	CU_ASSERT_TRUE(region("TEST1").exists);

	/* another instance creating the same name: same size shares, else error */
	struct shm_create same = { "g", 0x800 }, other = { "TEST1", 0x1000 };
	struct shm_inst_cfg c2 = { .loc = 0x1C051000, .intr = 41, .creates = &same, .n_creates = 1 };
	CU_ASSERT_PTR_NOT_NULL(shm_inst_new(S, &B.plat, 1, 0, &c2, NULL, 0));
	char err[200] = "";
	struct shm_inst_cfg c3 = { .loc = 0x1C052000, .intr = 42, .creates = &other, .n_creates = 1 };
	CU_ASSERT_PTR_NULL(shm_inst_new(S, &B.plat, 1, 1, &c3, err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "TEST1"));
	CU_ASSERT_EQUAL(region("TEST1").pages, 0xf1);
	struct shm_create bad = { "a/b", 1 };
	struct shm_inst_cfg c4 = { .loc = 0x1C052000, .intr = 42, .creates = &bad, .n_creates = 1 };
	CU_ASSERT_PTR_NULL(shm_inst_new(S, &B.plat, 1, 1, &c4, err, sizeof(err)));
	end();
}

/* ==== CTL: control page ==== */

static void test_ctl_registers(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);
	struct shm_inst *b0 = inst(&B, 0, 41);
	struct fmap *ca = attach(&A, a0, "moo", 1);
	struct fmap *cb = attach(&B, b0, "moo", 1);

	CU_ASSERT_EQUAL(idx_of(ca), 0);
	CU_ASSERT_EQUAL(idx_of(cb), 1);
	CU_ASSERT_EQUAL(ctl_r32(ca, CTL_STATUS), 0x00030000);        /* live set {0,1} */
	CU_ASSERT_EQUAL(ctl_r32(cb, CTL_NOTIFY), 0);                 /* WO */
	CU_ASSERT_EQUAL(ctl_r32(cb, CTL_DETACH), 0);
	CU_ASSERT_EQUAL(ctl_r32(cb, 0x10), 0);                       /* RAZ */
	CU_ASSERT_EQUAL(ctl_r32(cb, 0xFFC), 0);
	CU_ASSERT_EQUAL(ctl_r(cb, CTL_STATUS, 8), 0x0000000100030000ull); /* status + idx */

	int notes = ev_count(EV_NOTE);
	ctl_w32(cb, CTL_IDX, 7);
	ctl_w32(cb, CTL_STATUS, 0xFFFF);
	ctl_w32(cb, 0x10, 1);                                        /* WI */
	CU_ASSERT_EQUAL(idx_of(cb), 1);
	CU_ASSERT_EQUAL(ev_count(EV_NOTE), notes + 2);
	CU_ASSERT_EQUAL(region("moo").clients, 2);
	end();
}

static void test_ctl2_read_to_clear(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);
	struct shm_inst *b0 = inst(&B, 0, 41);
	struct fmap *ca = attach(&A, a0, "moo", 1);
	struct fmap *cb = attach(&B, b0, "moo", 1);

	ctl_r32(ca, CTL_STATUS);
	notify(cb, 1u << 0);
	CU_ASSERT_EQUAL(ctl_r32(ca, CTL_STATUS), 0x00030002);        /* from 1; live {0,1} */
	CU_ASSERT_EQUAL(ctl_r32(ca, CTL_STATUS), 0x00030000);        /* cleared; 31:16 stay */
	end();
}

/* A debugger's peek (mmio_ops.peek) shows the registers with no side effect:
 * the pending bits stay for the real read, no event, the line stays up. */
static uint32_t ctl_peek32(struct fmap *c, uint64_t off)
{
	uint8_t b[4] = {0};
	c->ops->peek(c->opaque, off, 4, b);
	return (uint32_t)le_get(b, 4);
}

static void test_peek_no_side_effects(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);
	struct shm_inst *b0 = inst(&B, 0, 41);
	struct fmap *ca = attach(&A, a0, "moo", 1);
	struct fmap *cb = attach(&B, b0, "moo", 1);

	ctl_r32(ca, CTL_STATUS);
	notify(cb, 1u << 0);
	int evs_before = n_evs, level = A.level[40];
	CU_ASSERT_PTR_NOT_NULL_FATAL(ca->ops->peek);
	CU_ASSERT_EQUAL(ctl_peek32(ca, CTL_STATUS), 0x00030002);
	CU_ASSERT_EQUAL(ctl_peek32(ca, CTL_STATUS), 0x00030002);     /* still pending */
	CU_ASSERT_EQUAL(ctl_peek32(ca, CTL_IDX), 0);
	CU_ASSERT_EQUAL(n_evs, evs_before);
	CU_ASSERT_EQUAL(A.level[40], level);
	CU_ASSERT_EQUAL(ctl_r32(ca, CTL_STATUS), 0x00030002);        /* the real read sees it */
	CU_ASSERT_EQUAL(ctl_peek32(ca, CTL_STATUS), 0x00030000);     /* ... and cleared it */
	/* An attach-list change stays unseen through a peek (IRQ-2): the line
	 * stays up until a real read of bits 31:16. */
	struct fmap *cb2 = attach(&B, b0, "moo", 1);
	CU_ASSERT_EQUAL(A.level[40], 1);
	CU_ASSERT_EQUAL(ctl_peek32(ca, CTL_STATUS), 0x00070000);
	CU_ASSERT_EQUAL(ctl_peek32(ca, CTL_STATUS), 0x00070000);
	CU_ASSERT_EQUAL(A.level[40], 1);
	CU_ASSERT_EQUAL(ctl_r(ca, CTL_STATUS + 2, 2), 0x0007);
	CU_ASSERT_EQUAL(A.level[40], 0);
	/* A detached connection peeks as zeros, without the read's note. */
	CU_ASSERT_EQUAL(ctl_peek32(cb2, CTL_IDX), 2);
	detach(cb2);
	evs_before = n_evs;
	CU_ASSERT_EQUAL(ctl_peek32(cb2, CTL_IDX), 0);
	CU_ASSERT_EQUAL(n_evs, evs_before);
	CU_ASSERT_EQUAL(ctl_r32(cb2, CTL_IDX), 0);
	CU_ASSERT_EQUAL(n_evs, evs_before + 1);                      /* the read's note */
	/* The factory page: the same image a read gives, no event. */
	uint8_t r[64], pk[64];
	evs_before = n_evs;
	shm_factory_ops.peek(a0, 0, 64, pk);
	CU_ASSERT_EQUAL(n_evs, evs_before);
	shm_factory_ops.read(a0, 0, 64, r);
	CU_ASSERT_EQUAL(memcmp(r, pk, 64), 0);
	CU_ASSERT_EQUAL(le_get(pk, 8), fac_r64(a0, 0));
	end();
}

static void test_ctl2_byte_lanes(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);
	struct fmap *c[10];

	for (int i = 0; i < 10; i++)
		c[i] = attach(&A, a0, "moo", 1);
	notify(c[0], 1u << 9);
	notify(c[9], 1u << 9);                   /* c9 pending: bits 0 and 9 */
	CU_ASSERT_EQUAL(ctl_r(c[9], CTL_STATUS + 2, 2), 0x03FF);     /* 31:16 only ... */
	CU_ASSERT_EQUAL(ctl_r(c[9], CTL_STATUS + 1, 1), 0x02);       /* ... clears nothing */
	CU_ASSERT_EQUAL(ctl_r(c[9], CTL_STATUS + 1, 1), 0x00);       /* byte 1 cleared 15:8 */
	CU_ASSERT_EQUAL(ctl_r(c[9], CTL_STATUS, 1), 0x01);           /* bit 0 still there */
	CU_ASSERT_EQUAL(ctl_r(c[9], CTL_STATUS, 1), 0x00);
	notify(c[3], 1u << 9);
	notify(c[8], 1u << 9);
	CU_ASSERT_EQUAL(ctl_r(c[9], CTL_STATUS, 2), 0x0108);         /* 16-bit: both bytes */
	CU_ASSERT_EQUAL(ctl_r32(c[9], CTL_STATUS), 0x03FF0000);
	end();
}

static void test_ctl1_attach_list_bits(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);
	struct shm_inst *b0 = inst(&B, 0, 41);
	struct fmap *ca = attach(&A, a0, "moo", 1);

	CU_ASSERT_EQUAL(ctl_r32(ca, CTL_STATUS) >> 16, 0x1);
	struct fmap *cb = attach(&B, b0, "moo", 1);
	struct fmap *cb2 = attach(&B, b0, "moo", 1);
	CU_ASSERT_EQUAL(ctl_r32(ca, CTL_STATUS) >> 16, 0x7);
	detach(cb);
	CU_ASSERT_EQUAL(ctl_r32(ca, CTL_STATUS) >> 16, 0x5);
	CU_ASSERT_EQUAL(ctl_r32(cb2, CTL_STATUS) >> 16, 0x5);
	end();
}

static void test_ctl3_lowest_free(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);
	struct fmap *c0 = attach(&A, a0, "moo", 1);
	struct fmap *c1 = attach(&A, a0, "moo", 1);
	attach(&A, a0, "moo", 1);

	detach(c1);
	CU_ASSERT_EQUAL(idx_of(attach(&A, a0, "moo", 1)), 1);
	detach(c0);
	CU_ASSERT_EQUAL(idx_of(attach(&A, a0, "moo", 1)), 0);
	CU_ASSERT_EQUAL(idx_of(attach(&A, a0, "moo", 1)), 3);
	end();
}

static void test_ctl3_round_robin(void)
{
	struct profile p = { .index_alloc = IDX_ROUND_ROBIN };
	begin(&p);
	struct shm_inst *a0 = inst(&A, 0, 40);
	struct fmap *c0 = attach(&A, a0, "moo", 1);

	attach(&A, a0, "moo", 1);
	detach(c0);
	CU_ASSERT_EQUAL(idx_of(attach(&A, a0, "moo", 1)), 2);       /* not 0 */
	for (int i = 3; i < 16; i++)
		CU_ASSERT_EQUAL(idx_of(attach(&A, a0, "moo", 1)), (uint32_t)i);
	CU_ASSERT_EQUAL(idx_of(attach(&A, a0, "moo", 1)), 0);       /* wraps */
	CU_ASSERT_EQUAL(req_size(a0, "moo", 1), GSS_CLIENT_MAX);

	/* the cursor is reset when the region is destroyed */
	struct fmap *x0 = attach(&A, a0, "cow", 1);
	struct fmap *x1 = attach(&A, a0, "cow", 1);
	detach(x0);
	detach(x1);
	CU_ASSERT_FALSE(region("cow").exists);
	CU_ASSERT_EQUAL(idx_of(attach(&A, a0, "cow", 1)), 0);
	end();
}

static void test_ctl4_seventeenth_client(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);
	struct shm_inst *b0 = inst(&B, 0, 41);

	for (int i = 0; i < 15; i++)
		attach(&A, a0, "moo", 1);
	CU_ASSERT_EQUAL(shm_host_attach(S, "h", "moo", 1), GSS_OK);  /* host takes a slot */
	CU_ASSERT_EQUAL(region("moo").clients, 16);
	CU_ASSERT_EQUAL(req_size(b0, "moo", 1), GSS_CLIENT_MAX);
	CU_ASSERT_EQUAL(shm_host_attach(S, "h2", "moo", 1), GSS_CLIENT_MAX);
	CU_ASSERT_EQUAL(region("moo").peak_clients, 16);
	CU_ASSERT_EQUAL(shm_host_detach(S, "h"), GSS_OK);
	CU_ASSERT_EQUAL(req_size(b0, "moo", 1), GSS_OK);
	CU_ASSERT_EQUAL(idx_of(conn_of(&B, b0)), 15);
	end();
}

/* ==== NTF: notify ==== */

static void test_ntf_all_but_self(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);
	struct fmap *c[3];

	for (int i = 0; i < 3; i++)
		c[i] = attach(&A, a0, "moo", 1);
	for (int i = 0; i < 3; i++)
		ctl_r32(c[i], CTL_STATUS);
	notify(c[1], ALL_BUT_ME);
	CU_ASSERT_EQUAL(ctl_r32(c[0], CTL_STATUS) & 0xFFFF, 0x2);
	CU_ASSERT_EQUAL(ctl_r32(c[1], CTL_STATUS) & 0xFFFF, 0x0);
	CU_ASSERT_EQUAL(ctl_r32(c[2], CTL_STATUS) & 0xFFFF, 0x2);
	const struct fev *e = ev_last(EV_NOTIFY);
	CU_ASSERT_STRING_EQUAL(e->region, "moo");
	CU_ASSERT_EQUAL(e->from, 1);
	CU_ASSERT_EQUAL(e->mask, ALL_BUT_ME);
	CU_ASSERT_EQUAL(e->targets, 0x5);
	CU_ASSERT_EQUAL(e->tag, 0);
	end();
}

static void test_ntf2_self_allowed(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);
	struct fmap *c0 = attach(&A, a0, "moo", 1);
	struct fmap *c1 = attach(&A, a0, "moo", 1);

	ctl_r32(c0, CTL_STATUS);
	notify(c1, 0xFFFF);
	CU_ASSERT_EQUAL(ctl_r32(c1, CTL_STATUS) & 0xFFFF, 0x2);     /* itself */
	CU_ASSERT_EQUAL(ctl_r32(c0, CTL_STATUS) & 0xFFFF, 0x2);
	CU_ASSERT_EQUAL(ev_last(EV_NOTIFY)->targets, 0x3);
	end();
}

static void test_ntf2_self_masked(void)
{
	struct profile p = { .self_notify = SELF_MASKED };
	begin(&p);
	struct shm_inst *a0 = inst(&A, 0, 40);
	struct fmap *c0 = attach(&A, a0, "moo", 1);
	struct fmap *c1 = attach(&A, a0, "moo", 1);

	notify(c1, 0x3);
	CU_ASSERT_EQUAL(ctl_r32(c1, CTL_STATUS) & 0xFFFF, 0x0);
	CU_ASSERT_EQUAL(ctl_r32(c0, CTL_STATUS) & 0xFFFF, 0x2);
	CU_ASSERT_EQUAL(ev_last(EV_NOTIFY)->targets, 0x1);
	end();
}

static void test_ntf3_dead_bits_and_zero(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);
	struct fmap *c0 = attach(&A, a0, "moo", 1);
	struct fmap *c1 = attach(&A, a0, "moo", 1);

	ctl_r32(c0, CTL_STATUS);
	notify(c1, 0xFFFC);                      /* nobody live at 2..15 */
	CU_ASSERT_EQUAL(ev_last(EV_NOTIFY)->targets, 0);
	CU_ASSERT_EQUAL(ctl_r32(c0, CTL_STATUS), 0x00030000);
	notify(c1, 0);                           /* does nothing */
	CU_ASSERT_EQUAL(ev_last(EV_NOTIFY)->targets, 0);
	CU_ASSERT_EQUAL(A.level[40], 0);
	notify(c1, 0x00010001);                  /* only bits 15:0 count */
	CU_ASSERT_EQUAL(ev_last(EV_NOTIFY)->targets, 0x1);
	CU_ASSERT_EQUAL(ctl_r32(c0, CTL_STATUS) & 0xFFFF, 0x2);
	notify(c1, 0xFFFFFFFE);                  /* not the special value */
	CU_ASSERT_EQUAL(ev_last(EV_NOTIFY)->targets, 0x2);
	end();
}

static void test_ntf4_coalesce(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);
	struct shm_inst *b0 = inst(&B, 0, 41);
	struct fmap *ca = attach(&A, a0, "moo", 1);
	struct fmap *cb = attach(&B, b0, "moo", 1);

	ctl_r32(ca, CTL_STATUS);
	notify(cb, 1);
	notify(cb, 1);
	notify(cb, ALL_BUT_ME);
	CU_ASSERT_EQUAL(ctl_r32(ca, CTL_STATUS), 0x00030002);
	CU_ASSERT_EQUAL(ctl_r32(ca, CTL_STATUS), 0x00030000);
	CU_ASSERT_EQUAL(ev_count(EV_NOTIFY), 3);
	end();
}

static void test_ntf_partial_store(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);
	struct fmap *c[10];

	for (int i = 0; i < 10; i++)
		c[i] = attach(&A, a0, "moo", 1);
	ctl_w(c[0], CTL_NOTIFY + 1, 1, 0x02);    /* byte 1: mask 0x200 */
	CU_ASSERT_EQUAL(ev_last(EV_NOTIFY)->mask, 0x200);
	CU_ASSERT_EQUAL(ev_last(EV_NOTIFY)->targets, 0x200);
	ctl_w(c[0], CTL_NOTIFY, 2, 0x0010);
	CU_ASSERT_EQUAL(ev_last(EV_NOTIFY)->targets, 0x10);
	end();
}

/* ==== IRQ ==== */

static void test_irq_level_notify(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);
	struct shm_inst *b0 = inst(&B, 0, 41);
	struct fmap *ca = attach(&A, a0, "moo", 1);
	struct fmap *cb = attach(&B, b0, "moo", 1);

	ctl_r32(ca, CTL_STATUS);                 /* A saw B attach */
	CU_ASSERT_EQUAL(A.level[40], 0);
	CU_ASSERT_EQUAL(B.level[41], 0);
	int calls = A.calls[40];
	notify(cb, 1);
	CU_ASSERT_EQUAL(A.level[40], 1);
	CU_ASSERT_EQUAL(B.level[41], 0);
	notify(cb, 1);                           /* already high: no new call */
	CU_ASSERT_EQUAL(A.calls[40], calls + 1);
	ctl_r(ca, CTL_STATUS + 2, 2);            /* pending not read: stays */
	CU_ASSERT_EQUAL(A.level[40], 1);
	ctl_r32(ca, CTL_STATUS);
	CU_ASSERT_EQUAL(A.level[40], 0);
	CU_ASSERT_EQUAL(A.calls[40], calls + 2);
	ctl_r32(ca, CTL_STATUS);
	CU_ASSERT_EQUAL(A.calls[40], calls + 2);
	end();
}

static void test_irq2_attach_list_events(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);
	struct shm_inst *b0 = inst(&B, 0, 41);
	struct fmap *ca = attach(&A, a0, "moo", 1);

	CU_ASSERT_EQUAL(A.level[40], 0);         /* attach_irq_self false */
	struct fmap *cb = attach(&B, b0, "moo", 1);
	CU_ASSERT_EQUAL(A.level[40], 1);         /* peer attached */
	CU_ASSERT_EQUAL(B.level[41], 0);
	ctl_r(ca, CTL_STATUS, 1);                /* pending bytes only: not seen */
	CU_ASSERT_EQUAL(A.level[40], 1);
	ctl_r(ca, CTL_STATUS + 2, 2);            /* the list: seen */
	CU_ASSERT_EQUAL(A.level[40], 0);
	detach(cb);
	CU_ASSERT_EQUAL(A.level[40], 1);         /* peer detached */
	CU_ASSERT_EQUAL(ctl_r32(ca, CTL_STATUS), 0x00010000);
	CU_ASSERT_EQUAL(A.level[40], 0);
	end();
}

static void test_irq2_attach_irq_self(void)
{
	struct profile p = { .attach_irq_self = true };
	begin(&p);
	struct shm_inst *a0 = inst(&A, 0, 40);
	struct fmap *ca = attach(&A, a0, "moo", 1);

	CU_ASSERT_EQUAL(A.level[40], 1);
	ctl_r32(ca, CTL_STATUS);
	CU_ASSERT_EQUAL(A.level[40], 0);
	end();
}

static void test_irq3_edge(void)
{
	struct profile p = { .irq_trigger = TRIG_EDGE };
	begin(&p);
	struct shm_inst *a0 = inst(&A, 0, 40);
	struct shm_inst *b0 = inst(&B, 0, 41);
	struct fmap *ca = attach(&A, a0, "moo", 1);
	struct fmap *cb = attach(&B, b0, "moo", 1);

	CU_ASSERT_EQUAL(A.rises[40], 1);         /* B's attach: one pulse */
	CU_ASSERT_EQUAL(A.level[40], 0);
	CU_ASSERT_EQUAL(B.rises[41], 0);
	notify(cb, 1);
	notify(cb, 1);
	CU_ASSERT_EQUAL(A.rises[40], 3);         /* one pulse per event */
	CU_ASSERT_EQUAL(A.level[40], 0);
	CU_ASSERT_EQUAL(ctl_r32(ca, CTL_STATUS), 0x00030002);       /* bits as usual */
	CU_ASSERT_EQUAL(A.calls[40], 6);         /* reads drive nothing */
	notify(cb, 0x2);                         /* B itself */
	CU_ASSERT_EQUAL(B.rises[41], 1);
	CU_ASSERT_EQUAL(A.rises[40], 3);
	end();
}

static void test_irq4_other_regions_untouched(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);
	struct shm_inst *a1 = inst(&A, 1, 41);
	struct shm_inst *b0 = inst(&B, 0, 42);

	attach(&A, a0, "moo", 1);
	attach(&A, a1, "cow", 1);
	struct fmap *cb = attach(&B, b0, "cow", 1);
	notify(cb, ALL_BUT_ME);
	CU_ASSERT_EQUAL(A.calls[40], 0);         /* IRQ-4 */
	CU_ASSERT_EQUAL(A.level[41], 1);
	end();
}

static void test_irq1_one_line_for_all_connections(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);
	struct shm_inst *b0 = inst(&B, 0, 41);
	struct fmap *cm = attach(&A, a0, "moo", 1);
	struct fmap *cc = attach(&A, a0, "cow", 1);
	struct fmap *bm = attach(&B, b0, "moo", 1);
	struct fmap *bc = attach(&B, b0, "cow", 1);

	ctl_r32(cm, CTL_STATUS);
	ctl_r32(cc, CTL_STATUS);
	notify(bm, ALL_BUT_ME);
	notify(bc, ALL_BUT_ME);
	CU_ASSERT_EQUAL(A.level[40], 1);
	ctl_r32(cm, CTL_STATUS);
	CU_ASSERT_EQUAL(A.level[40], 1);         /* "cow" still unread */
	ctl_r32(cc, CTL_STATUS);
	CU_ASSERT_EQUAL(A.level[40], 0);
	end();
}

static void test_irq_vector_change_moves_level(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);
	struct shm_inst *b0 = inst(&B, 0, 41);
	struct fmap *ca = attach(&A, a0, "moo", 1);

	attach(&B, b0, "moo", 1);
	CU_ASSERT_EQUAL(A.level[40], 1);
	shm_inst_set_vector(a0, 50);
	CU_ASSERT_EQUAL(A.level[40], 0);
	CU_ASSERT_EQUAL(A.level[50], 1);
	CU_ASSERT_EQUAL(fac_r32(a0, FAC_VECTOR), 50);
	ctl_r32(ca, CTL_STATUS);
	CU_ASSERT_EQUAL(A.level[50], 0);
	end();
}

/* ==== DET: detach and lifetime ==== */

static void test_det1_detach(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);
	struct shm_inst *b0 = inst(&B, 0, 41);
	struct fmap *ca = attach(&A, a0, "moo", 3);
	struct fmap *cb = attach(&B, b0, "moo", 3);
	uint64_t addr = cb->addr;

	ctl_r32(ca, CTL_STATUS);
	ctl_w(cb, CTL_DETACH, 1, 0);             /* any value, any width */
	CU_ASSERT_EQUAL(B.unmap_addr, addr);
	CU_ASSERT_EQUAL(B.unmap_len, 4 * PG);
	CU_ASSERT_EQUAL(live_maps(&B), 0);
	CU_ASSERT_EQUAL(region("moo").clients, 1);
	const struct fev *e = ev_last(EV_DETACH);
	CU_ASSERT_EQUAL(e->tag, 1);
	CU_ASSERT_STRING_EQUAL(e->region, "moo");
	CU_ASSERT_EQUAL(e->idx, 1);
	CU_ASSERT_EQUAL(e->shmem, addr);
	CU_ASSERT_EQUAL(A.level[40], 1);         /* peer's attach-list event */
	CU_ASSERT_EQUAL(ctl_r32(ca, CTL_STATUS), 0x00010000);
	/* the dead page, if reached: zeros, no effect, logged */
	int notes = ev_count(EV_NOTE);
	CU_ASSERT_EQUAL(ctl_r32(cb, CTL_IDX), 0);
	detach(cb);
	notify(cb, ALL_BUT_ME);
	CU_ASSERT_EQUAL(ev_count(EV_DETACH), 1);
	CU_ASSERT_EQUAL(ev_count(EV_NOTIFY), 0);
	CU_ASSERT_EQUAL(ev_count(EV_NOTE), notes + 3);
	CU_ASSERT_EQUAL(idx_of(attach(&B, b0, "moo", 3)), 1);       /* index freed */
	end();
}

static void test_det1_wide_store_notify_then_detach(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);
	struct fmap *c0 = attach(&A, a0, "moo", 1);
	struct fmap *c1 = attach(&A, a0, "moo", 1);

	ctl_r32(c0, CTL_STATUS);
	ctl_w(c1, CTL_NOTIFY, 8, 0x00000001FFFFFFFFull);  /* notify ~0, then detach */
	CU_ASSERT_EQUAL(ev_count(EV_NOTIFY), 1);
	CU_ASSERT_EQUAL(ev_last(EV_NOTIFY)->targets, 0x1);
	CU_ASSERT_EQUAL(ev_count(EV_DETACH), 1);
	CU_ASSERT_EQUAL(ctl_r32(c0, CTL_STATUS), 0x00010002);
	uint8_t b[16] = {0};
	struct fmap *c2 = attach(&A, a0, "moo", 1);
	le_put(b + 8, 4, 1);                     /* 16-byte store: status..detach */
	c2->ops->write(c2->opaque, 0, 16, b);
	CU_ASSERT_EQUAL(ev_count(EV_NOTIFY), 2);
	CU_ASSERT_EQUAL(ev_count(EV_DETACH), 2);
	CU_ASSERT_EQUAL(evs[n_evs - 3].kind, EV_NOTE);             /* status/idx are RO */
	CU_ASSERT_EQUAL(evs[n_evs - 2].kind, EV_NOTIFY);           /* offset order */
	CU_ASSERT_EQUAL(evs[n_evs - 1].kind, EV_DETACH);
	CU_ASSERT_EQUAL(ev_last(EV_DETACH)->idx, 1);
	end();
}

static void test_det2_detached_pending_keep(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);
	struct fmap *c0 = attach(&A, a0, "moo", 1);
	struct fmap *c1 = attach(&A, a0, "moo", 1);

	notify(c1, 1);
	detach(c1);
	CU_ASSERT_EQUAL(ctl_r32(c0, CTL_STATUS), 0x00010002);
	end();
}

static void test_det2_detached_pending_clear(void)
{
	struct profile p = { .detached_pending = DETP_CLEAR };
	begin(&p);
	struct shm_inst *a0 = inst(&A, 0, 40);
	struct fmap *c0 = attach(&A, a0, "moo", 1);
	struct fmap *c1 = attach(&A, a0, "moo", 1);
	struct fmap *c2 = attach(&A, a0, "moo", 1);

	notify(c1, 1);
	notify(c2, 1);
	detach(c1);
	CU_ASSERT_EQUAL(ctl_r32(c0, CTL_STATUS), 0x00050004);       /* bit 1 gone, 2 kept */
	end();
}

static void test_det3_destroy_on_last(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);
	struct shm_inst *b0 = inst(&B, 0, 41);
	struct fmap *ca = attach(&A, a0, "moo", 2);
	struct fmap *cb = attach(&B, b0, "moo", 2);

	data_ok(&A, ca)[5] = 0x77;
	detach(ca);
	CU_ASSERT_TRUE(region("moo").exists);
	detach(cb);
	struct shm_region_info ri = region("moo");
	CU_ASSERT_FALSE(ri.exists);
	CU_ASSERT_TRUE(ri.ever);
	CU_ASSERT_EQUAL(ri.pages, 2);            /* as it was at its end */
	CU_ASSERT_EQUAL(ri.clients, 0);
	CU_ASSERT_EQUAL(ri.peak_clients, 2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ri.data);
	CU_ASSERT_EQUAL(ri.data[5], 0x77);
	CU_ASSERT_EQUAL(req_size(a0, "moo", 0), GSS_DOES_NOT_EXIST);

	/* the next create starts zero-filled, with its own size */
	struct fmap *c = attach(&A, a0, "moo", 5);
	CU_ASSERT_EQUAL(fac_r32(a0, FAC_SIZE), 5);
	CU_ASSERT_EQUAL(data_ok(&A, c)[5], 0);
	CU_ASSERT_EQUAL(region("moo").pages, 5);
	CU_ASSERT_EQUAL(region("moo").peak_clients, 2);             /* over the run */
	end();
}

static void test_det3_persist(void)
{
	struct profile p = { .region_lifetime = LIFE_PERSIST };
	begin(&p);
	struct shm_inst *a0 = inst(&A, 0, 40);
	struct fmap *c = attach(&A, a0, "moo", 2);

	data_ok(&A, c)[1] = 9;
	detach(c);
	CU_ASSERT_TRUE(region("moo").exists);
	CU_ASSERT_EQUAL(region("moo").clients, 0);
	c = attach(&A, a0, "moo", 7);
	CU_ASSERT_EQUAL(fac_r32(a0, FAC_SIZE), 2);
	CU_ASSERT_EQUAL(data_ok(&A, c)[1], 9);
	end();
}

static void test_det3_host_region_lives(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);

	CU_ASSERT_EQUAL(shm_host_attach(S, "h", "moo", 2), GSS_OK);
	CU_ASSERT_EQUAL(shm_host_detach(S, "h"), GSS_OK);
	CU_ASSERT_TRUE(region("moo").exists);
	CU_ASSERT_EQUAL(req_size(a0, "moo", 0), GSS_OK);
	end();
}

static void test_det4_detach_all(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);
	struct shm_inst *b0 = inst(&B, 0, 41);

	attach(&A, a0, "moo", 1);
	attach(&A, a0, "cow", 1);
	attach(&A, a0, "moo", 1);
	struct fmap *cb = attach(&B, b0, "moo", 1);
	ctl_r32(cb, CTL_STATUS);
	shm_inst_detach_all(a0);
	CU_ASSERT_EQUAL(live_maps(&A), 0);
	CU_ASSERT_EQUAL(ev_count(EV_DETACH), 3);
	CU_ASSERT_FALSE(region("cow").exists);
	CU_ASSERT_EQUAL(region("moo").clients, 1);
	CU_ASSERT_EQUAL(B.level[41], 1);
	CU_ASSERT_EQUAL(ctl_r32(cb, CTL_STATUS) >> 16, 0x4);
	shm_inst_detach_all(a0);                 /* nothing left: no events */
	CU_ASSERT_EQUAL(ev_count(EV_DETACH), 3);
	end();
}

/* ==== HST: the host ==== */

static void test_hst_attach_notify_status(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);

	CU_ASSERT_EQUAL(shm_host_attach(S, "h", "moo", 4), GSS_OK);
	const struct fev *e = ev_last(EV_ATTACH);
	CU_ASSERT_EQUAL(e->tag, EV_HOST);
	CU_ASSERT_STRING_EQUAL(e->text, "h");
	CU_ASSERT_EQUAL(e->idx, 0);
	CU_ASSERT_EQUAL(e->shmem, 0);
	struct fmap *ca = attach(&A, a0, "moo", 1);
	CU_ASSERT_EQUAL(fac_r32(a0, FAC_SIZE), 4);
	CU_ASSERT_EQUAL(A.level[40], 0);

	/* HST-2: 0xFFFF = every live connection, the host's own included */
	CU_ASSERT_EQUAL(shm_host_notify(S, "h", 0xFFFF), GSS_OK);
	CU_ASSERT_EQUAL(ev_last(EV_NOTIFY)->targets, 0x3);
	CU_ASSERT_STRING_EQUAL(ev_last(EV_NOTIFY)->text, "h");
	CU_ASSERT_EQUAL(A.level[40], 1);
	uint32_t v = 0;
	CU_ASSERT_EQUAL(shm_host_status(S, "h", &v), GSS_OK);
	CU_ASSERT_EQUAL(v, 0x00030001);
	e = ev_last(EV_STATUS);
	CU_ASSERT_EQUAL(e->value, 0x00030001);
	CU_ASSERT_STRING_EQUAL(e->text, "h");
	CU_ASSERT_STRING_EQUAL(e->region, "moo");
	CU_ASSERT_EQUAL(shm_host_status(S, "h", &v), GSS_OK);
	CU_ASSERT_EQUAL(v, 0x00030000);          /* cleared as CTL-2 */
	CU_ASSERT_EQUAL(ctl_r32(ca, CTL_STATUS), 0x00030001);

	/* 0xFFFFFFFF = all but the host */
	CU_ASSERT_EQUAL(shm_host_notify(S, "h", ALL_BUT_ME), GSS_OK);
	CU_ASSERT_EQUAL(ev_last(EV_NOTIFY)->targets, 0x2);
	shm_host_status(S, "h", &v);
	CU_ASSERT_EQUAL(v, 0x00030000);

	/* the guest notifies the host */
	notify(ca, ALL_BUT_ME);
	shm_host_status(S, "h", &v);
	CU_ASSERT_EQUAL(v, 0x00030002);
	end();
}

static void test_hst2_ignores_self_notify_profile(void)
{
	struct profile p = { .self_notify = SELF_MASKED };
	begin(&p);
	uint32_t v = 0;

	shm_host_attach(S, "h", "moo", 1);
	shm_host_attach(S, "g", "moo", 1);
	shm_host_notify(S, "h", 0xFFFF);
	CU_ASSERT_EQUAL(ev_last(EV_NOTIFY)->targets, 0x3);
	shm_host_notify(S, "h", 0x1);            /* other values as NTF-1 */
	CU_ASSERT_EQUAL(ev_last(EV_NOTIFY)->targets, 0x1);
	shm_host_status(S, "h", &v);
	CU_ASSERT_EQUAL(v & 0xFFFF, 0x1);
	end();
}

static void test_hst_write_and_detach(void)
{
	begin(NULL);
	struct shm_inst *a0 = inst(&A, 0, 40);
	const uint8_t hello[] = { 'h', 'i', 0 };

	shm_host_attach(S, "h", "moo", 2);
	struct fmap *ca = attach(&A, a0, "moo", 1);
	CU_ASSERT_EQUAL(shm_host_write(S, "h", PG + 8, hello, 3), GSS_OK);
	CU_ASSERT_STRING_EQUAL((char *)data_ok(&A, ca) + PG + 8, "hi");
	CU_ASSERT_EQUAL(shm_host_write(S, "h", 2 * PG - 2, hello, 3), GSS_UNKNOWN_FAILURE);
	CU_ASSERT_EQUAL(shm_host_write(S, "h", UINT64_MAX, hello, 3), GSS_UNKNOWN_FAILURE);
	CU_ASSERT_EQUAL(data_ok(&A, ca)[2 * PG - 2], 0);

	CU_ASSERT_EQUAL(shm_host_detach(S, "h"), GSS_OK);
	CU_ASSERT_EQUAL(ev_last(EV_DETACH)->tag, EV_HOST);
	CU_ASSERT_STRING_EQUAL(ev_last(EV_DETACH)->text, "h");
	CU_ASSERT_EQUAL(A.level[40], 1);         /* attach-list event */
	CU_ASSERT_EQUAL(ctl_r32(ca, CTL_STATUS), 0x00020000);
	CU_ASSERT_EQUAL(region("moo").clients, 1);
	end();
}

static void test_hst_unknown_ids_and_acl_bypass(void)
{
	struct shm_acl_rule deny[] = { { false, "*" } };
	begin(NULL);
	inst_acl(&A, 0, deny, 1);
	uint32_t v = 7;

	int notes = ev_count(EV_NOTE);
	CU_ASSERT_EQUAL(shm_host_notify(S, "x", 1), -1);
	CU_ASSERT_EQUAL(shm_host_status(S, "x", &v), -1);
	CU_ASSERT_EQUAL(v, 7);
	CU_ASSERT_EQUAL(shm_host_write(S, "x", 0, (const uint8_t *)"a", 1), -1);
	CU_ASSERT_EQUAL(shm_host_detach(S, "x"), -1);
	CU_ASSERT_EQUAL(ev_count(EV_NOTE), notes + 4);

	CU_ASSERT_EQUAL(shm_host_attach(S, "h", "secret", 1), GSS_OK);  /* no ACL */
	CU_ASSERT_EQUAL(shm_host_attach(S, "h", "secret", 1), GSS_UNKNOWN_FAILURE); /* id live */
	CU_ASSERT_EQUAL(shm_host_attach(S, "g", "a/b", 1), GSS_ILLEGAL_NAME);
	CU_ASSERT_EQUAL(ev_last(EV_ATTACH)->status, GSS_ILLEGAL_NAME);
	CU_ASSERT_EQUAL(ev_last(EV_ATTACH)->idx, -1);
	CU_ASSERT_EQUAL(shm_host_attach(S, "g", "absent", 0), GSS_DOES_NOT_EXIST);
	CU_ASSERT_EQUAL(shm_host_detach(S, "h"), GSS_OK);
	CU_ASSERT_EQUAL(shm_host_detach(S, "h"), -1);
	CU_ASSERT_EQUAL(shm_host_attach(S, "h", "secret", 1), GSS_OK);  /* id free again */
	end();
}

static void test_gss_names(void)
{
	CU_ASSERT_STRING_EQUAL(gss_name(GSS_OK), "GSS_OK");
	CU_ASSERT_STRING_EQUAL(gss_name(GSS_DOES_NOT_EXIST), "GSS_DOES_NOT_EXIST");
	CU_ASSERT_PTR_NULL(gss_name(7));
	CU_ASSERT_EQUAL(gss_parse("GSS_CLIENT_MAX"), GSS_CLIENT_MAX);
	CU_ASSERT_EQUAL(gss_parse("nomem"), GSS_NOMEM);
	CU_ASSERT_EQUAL(gss_parse("4"), GSS_ILLEGAL_NAME);
	CU_ASSERT_EQUAL(gss_parse("7"), -1);
	CU_ASSERT_EQUAL(gss_parse("GSS_"), -1);
	CU_ASSERT_EQUAL(gss_parse(""), -1);
}


/* ---- snapshots (shmem_snap.c) ---- */

/* What a guest and the host can see, without side effects: every region
 * record, each instance's factory registers and its last connection's
 * index. */
static void describe(char *out, size_t n, struct shm_inst *a, struct shm_inst *b)
{
	size_t k = 0;
	struct shm_region_view v;
	for (int i = 0; shm_region_get(S, i, &v); i++)
		k += (size_t)snprintf(out + k, n - k, "%s:%u:%d:%x:%02x%02x|", v.name, v.pages, v.live,
				      v.live_mask, v.data ? v.data[0] : 0,
				      v.data && v.pages > 1 ? v.data[4096] : 0);
	struct shm_inst *in[2] = { a, b };
	for (int i = 0; i < 2; i++)
		k += (size_t)snprintf(out + k, n - k, "%x:%llx:%x|", fac_r32(in[i], FAC_STATUS),
				      (unsigned long long)fac_r64(in[i], FAC_SHMEM),
				      fac_r32(in[i], FAC_SIZE));
}

/* The same requests after a restore as before it: same addresses, indices
 * and data. The fakes (the VMs' side: maps and lines) are restored with it,
 * as a VM's map is (vm_snap). */
static void snap_suffix(struct shm_inst *a, struct shm_inst *b, struct fmap *ca, struct fmap *cb)
{
	detach(cb);
	struct fmap *c2 = attach(&A, a, "r2", 1);
	data_ok(&A, c2)[0] = 0x77;
	data_ok(&A, ca)[4096] = 0x55;
	notify(ca, ALL_BUT_ME);
	CU_ASSERT_EQUAL(shm_host_attach(S, "h", "r1", 2), GSS_OK);
	CU_ASSERT_EQUAL(req_size(b, "r2", 1), GSS_OK);
	detach(ca);   /* r1 goes on with the host only */
}

static void test_snapshot_round_trip(void)
{
	begin(NULL);
	struct shm_inst *a = inst(&A, 0, 40), *b = inst(&B, 0, 41);
	struct fmap *ca = attach(&A, a, "r1", 2);
	struct fmap *cb = attach(&B, b, "r1", 2);
	data_ok(&A, ca)[0] = 0x11;
	notify(ca, ALL_BUT_ME);
	char before[2048], after[2048], again[2048];
	describe(before, sizeof(before), a, b);
	struct fake fa = A, fb = B, fh = H;
	struct shm_snap *sn = shm_snap_take(S);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sn);
	for (int round = 0; round < 3; round++) {
		snap_suffix(a, b, ca, cb);
		describe(round ? again : after, sizeof(after), a, b);
		if (round)
			CU_ASSERT_STRING_EQUAL(again, after);
		CU_ASSERT_STRING_NOT_EQUAL(after, before);
		CU_ASSERT_EQUAL(shm_snap_restore(S, sn), 0);
		A = fa, B = fb, H = fh;
		describe(again, sizeof(again), a, b);
		CU_ASSERT_STRING_EQUAL(again, before);
		CU_ASSERT_EQUAL(data_ok(&B, cb)[0], 0x11);     /* the data as it was */
		CU_ASSERT_EQUAL(data_ok(&B, cb)[4096], 0);
		CU_ASSERT_EQUAL(idx_of(cb), 1);
	}
	/* pending bits back: b's status still has a's notify */
	CU_ASSERT_EQUAL(ctl_r32(cb, CTL_STATUS) & 0xffff, 1u << idx_of(ca));
	shm_snap_free(S, sn);
	end();
}

static CU_TestInfo shmem_tests[] = {
	{ "snapshots: restored, the same requests give the same results", test_snapshot_round_trip },
	{ "FAC-2/5 initial values, signature halves", test_fac_initial_values },
	{ "FAC-3 RO writes ignored and logged", test_fac_ro_writes_ignored },
	{ "FAC-3/4 name byte stores, requests keep name", test_fac_name_bytes_and_fac4 },
	{ "FAC-3 64-bit size store uses new name", test_fac_size64_uses_new_name },
	{ "FAC-3 partial size store, one request", test_fac_partial_size_store },
	{ "FAC-3 16-byte store over RO and size", test_fac_wide_store_over_ro_and_size },
	{ "FAC-2 find is write-only", test_fac_find_is_write_only },
	{ "FAC/CTL any offset and length", test_fac_ctl_fuzz },
	{ "CRE-1/2 create, attach, size fixed", test_cre_create_attach_size_fixed },
	{ "CRE-5 one zero-filled buffer", test_cre5_one_buffer_zero_filled },
	{ "CRE-3 new connection per request", test_cre3_new_connection_per_request },
	{ "CRE-7 find by index", test_cre7_find_by_index },
	{ "CRE-7 find attach-only", test_cre7_find_attach_only },
	{ "CRE-8 size zero attach-only", test_cre8_size_zero_attach_only },
	{ "CRE-8 size zero invalid", test_cre8_size_zero_invalid },
	{ "CRE-8 size zero empty", test_cre8_size_zero_empty },
	{ "CRE-6 failure_regs unchanged", test_cre6_failure_regs_unchanged },
	{ "CRE-6 failure_regs zeroed", test_cre6_failure_regs_zeroed },
	{ "CRE-6 order 1: name before ACL", test_cre6_order_1_name_before_acl },
	{ "CRE-6 order 2: ACL before size zero", test_cre6_order_2_acl_before_size_zero },
	{ "CRE-6 order 3: size zero before absent", test_cre6_order_3_size_zero_before_absent },
	{ "CRE-6 order 4: absent before budgets", test_cre6_order_4_absent_before_budgets },
	{ "CRE-6 step 5 memory budget", test_cre6_step5_memory_budget },
	{ "CRE-6 order 6: client max before 7 and 8",
	  test_cre6_step6_client_max_before_budget_and_window },
	{ "CRE-6 step 7 connection budget", test_cre6_step7_connection_budget },
	{ "CRE-6 step 8 window", test_cre6_step8_window },
	{ "CRE-4 first fit and reuse", test_cre4_first_fit_reuse },
	{ "CRE-4 window per instance", test_cre4_windows_per_instance },
	{ "CRE-4 skips other mappings", test_cre4_skips_other_mappings },
	{ "CRE-6 map failure rolls back", test_cre_map_failure_rolls_back },
	{ "CRE-6 map failure keeps a destroyed record", test_cre_map_failure_keeps_destroyed_record },
	{ "NAM-1/2 legal and illegal", test_nam_legal_and_illegal },
	{ "NAM-2 unterminated reject", test_nam_unterminated_reject },
	{ "NAM-2 unterminated truncate", test_nam_unterminated_truncate },
	{ "NAM-3 global name space", test_nam3_global_name_space },
	{ "ACL-1 first match decides", test_acl1_first_match_decides },
	{ "ACL-1 defaults and wildcards", test_acl1_defaults_and_wildcards },
	{ "ACL-3/4 own ACL for every reach", test_acl3_acl4_reach_through_own_acl },
	{ "ACL-5 subst", test_acl5_subst },
	{ "ACL-5 subst long and non-matching", test_acl5_subst_long_and_nonmatching },
	{ "ACL-2 create option", test_acl2_create_option },
	{ "CTL-1 registers", test_ctl_registers },
	{ "CTL-2 read to clear", test_ctl2_read_to_clear },
	{ "peek: registers without side effects (read-to-clear kept)", test_peek_no_side_effects },
	{ "CTL-2 byte lanes", test_ctl2_byte_lanes },
	{ "CTL-1 attach list bits", test_ctl1_attach_list_bits },
	{ "CTL-3 lowest free", test_ctl3_lowest_free },
	{ "CTL-3 round robin", test_ctl3_round_robin },
	{ "CTL-4 17th client", test_ctl4_seventeenth_client },
	{ "NTF-2 all but self", test_ntf_all_but_self },
	{ "NTF-2 self allowed", test_ntf2_self_allowed },
	{ "NTF-2 self masked", test_ntf2_self_masked },
	{ "NTF-3 dead bits and zero", test_ntf3_dead_bits_and_zero },
	{ "NTF-4 coalesce", test_ntf4_coalesce },
	{ "NTF-1 partial notify store", test_ntf_partial_store },
	{ "IRQ-3 level follows unread notify", test_irq_level_notify },
	{ "IRQ-2 attach-list events", test_irq2_attach_list_events },
	{ "IRQ-2 attach_irq_self", test_irq2_attach_irq_self },
	{ "IRQ-3 edge", test_irq3_edge },
	{ "IRQ-4 other regions untouched", test_irq4_other_regions_untouched },
	{ "IRQ-1 one line for all connections", test_irq1_one_line_for_all_connections },
	{ "IRQ-1 vector change moves level", test_irq_vector_change_moves_level },
	{ "DET-1 detach", test_det1_detach },
	{ "DET-1 wide store: notify then detach", test_det1_wide_store_notify_then_detach },
	{ "DET-2 detached_pending keep", test_det2_detached_pending_keep },
	{ "DET-2 detached_pending clear", test_det2_detached_pending_clear },
	{ "DET-3 destroy on last", test_det3_destroy_on_last },
	{ "DET-3 persist", test_det3_persist },
	{ "DET-3 host region lives", test_det3_host_region_lives },
	{ "DET-4 detach all", test_det4_detach_all },
	{ "HST-1/2 attach, notify, status", test_hst_attach_notify_status },
	{ "HST-2 ignores self_notify", test_hst2_ignores_self_notify_profile },
	{ "HST-1 write and detach", test_hst_write_and_detach },
	{ "HST-1 unknown ids, ACL bypass", test_hst_unknown_ids_and_acl_bypass },
	{ "FAC-5 GSS names", test_gss_names },
	CU_TEST_INFO_NULL,
};

UNIT_SUITE("shmem", shmem_tests);
