/* shmem.c - the shmem virtual device (SPEC sections 1, 2, 4, 5, 6, 8): a
 * factory page per instance, a control page per connection, one interrupt
 * line per instance. The name space lives in registry.c, names in names.c,
 * the host client in shmem_host.c.
 *
 * Factory page (FAC-2), 4 KiB, trapped, little-endian:
 *
 *   off   width  name       access  meaning
 *   0x00  64     signature  RO      0x4d534732474d5651
 *   0x08  64     shmem      RO      control page of the last connection made
 *   0x10  32     vector     RO      INTID this instance raises
 *   0x14  32     status     RO      GSS result of the last request (FAC-5)
 *   0x18  32     size       RW      write: create-or-attach; read: pages
 *   0x1C  32 B   name       RW      region name, NUL-terminated
 *   0x3C  32     find       WO      write: find request (CRE-7)
 *   0x40..0xFFF             RAZ/WI
 *
 * Control page (CTL-1), 4 KiB per connection, trapped:
 *
 *   0x0   32     status     RO      15:0 pending (read clears), 31:16 live set
 *   0x4   32     idx        RO      this connection's index
 *   0x8   32     notify     WO      doorbell (NTF)
 *   0xC   32     detach     WO      any value detaches (DET)
 *   0x10..0xFFF             RAZ/WI
 *
 * The bus calls read/write once per guest instruction (len 1..16, naturally
 * aligned; devif.h). Any offset and length is safe: bytes outside the
 * registers are RAZ/WI.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "shmem_internal.h"
#include "shmem_regs.h"

enum fac_req { REQ_SIZE, REQ_FIND };

#define GPA_LIMIT (1ull << 44)            /* CONTRACT 2: addresses below 2^44 */

/* ---- helpers ---- */

static const char *const gss_names[] = {
	"GSS_OK", "GSS_UNKNOWN_FAILURE", "GSS_NOMEM", "GSS_CLIENT_MAX",
	"GSS_ILLEGAL_NAME", "GSS_NO_PERMISSION", "GSS_DOES_NOT_EXIST",
};
#define N_GSS ((int)(sizeof(gss_names) / sizeof(gss_names[0])))

const char *gss_name(int status)
{
	return status >= 0 && status < N_GSS ? gss_names[status] : NULL;
}

int gss_parse(const char *s)
{
	if (!s || !*s)
		return -1;
	for (int i = 0; i < N_GSS; i++)
		if (!strcasecmp(s, gss_names[i]) || !strcasecmp(s, gss_names[i] + 4))
			return i;
	if (s[0] >= '0' && s[0] < '0' + N_GSS && !s[1])
		return s[0] - '0';
	return -1;
}

void shm_emit(const struct plat *plat, struct ev *e)
{
	if (plat && plat->emit)
		plat->emit(plat->ctx, e);
}

/* A guest mistake or a model remark, as an event (STYLE 7). */
__attribute__((format(printf, 2, 3)))
static void note(const struct plat *plat, const char *fmt, ...)
{
	char text[160];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	struct ev e = { .kind = EV_NOTE, .text = text };
	shm_emit(plat, &e);
}

/* Byte i of an access at off, if it falls below lim: *o = its offset. */
static bool byte_at(uint64_t off, unsigned i, uint64_t lim, uint64_t *o)
{
	if (off >= lim || i >= lim - off)
		return false;
	*o = off + i;
	return true;
}

static bool plat_range_free(const struct plat *p, uint64_t addr, uint64_t len)
{
	return !p->range_free || p->range_free(p->ctx, addr, len);
}

static void plat_unmap(const struct plat *p, uint64_t addr, uint64_t len)
{
	if (p->unmap)
		p->unmap(p->ctx, addr, len);
}

static int inst_live_conns(const struct shm_inst *in)
{
	int n = 0;
	for (int i = 0; i < in->n_conns; i++)
		n += in->conns[i]->live;
	return n;
}

/* CRE-7: this instance's live connection at index k of region r. */
static struct shm_conn *inst_conn_at(const struct shm_inst *in, const struct shm_region *r,
				     uint32_t k)
{
	if (!r || k >= SHM_MAX_CLIENTS)
		return NULL;
	struct shm_conn *c = r->conn[k];
	return c && c->inst == in ? c : NULL;
}

/* A connection struct to fill: a dead one of this instance, or a new one.
 * (A dead connection's pages were unmapped before the guest ran again.) */
static struct shm_conn *inst_conn_slot(struct shm_inst *in)
{
	for (int i = 0; i < in->n_conns; i++) {
		if (!in->conns[i]->live) {
			memset(in->conns[i], 0, sizeof(*in->conns[i]));
			return in->conns[i];
		}
	}
	if (shm_grow((void **)&in->conns, &in->cap_conns, in->n_conns + 1, sizeof(*in->conns)))
		return NULL;
	struct shm_conn *c = calloc(1, sizeof(*c));
	if (c)
		in->conns[in->n_conns++] = c;
	return c;
}

static const struct shm_conn *inst_conn_overlapping(const struct shm_inst *in,
						    uint64_t a, uint64_t len)
{
	for (int i = 0; i < in->n_conns; i++) {
		const struct shm_conn *c = in->conns[i];
		if (c->live && a < c->addr + c->len && c->addr < a + len)
			return c;
	}
	return NULL;
}

/* [a, a+len) is not free: the next page that may start a free range is the
 * one after the first occupied page (binary search on free prefixes). */
static uint64_t skip_occupied(const struct plat *p, uint64_t a, uint64_t len)
{
	uint64_t lo = 0, hi = len / PAGE_SIZE;     /* lo pages free, hi pages not */
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (plat_range_free(p, a, mid * PAGE_SIZE))
			lo = mid;
		else
			hi = mid;
	}
	return a + hi * PAGE_SIZE;
}

/* CRE-4: first fit, page aligned, inside the window, clear of this
 * instance's live connections and of everything mapped in the VM. */
static bool inst_window_fit(const struct shm_inst *in, uint64_t len, uint64_t *out)
{
	uint64_t a = in->window, end = in->window + SHM_WINDOW_SIZE;

	while (a < end && len <= end - a) {
		const struct shm_conn *c = inst_conn_overlapping(in, a, len);
		if (c) {
			a = c->addr + c->len;
		} else if (plat_range_free(&in->plat, a, len)) {
			*out = a;
			return true;
		} else {
			a = skip_occupied(&in->plat, a, len);
		}
	}
	return false;
}

/* ---- interrupt line (IRQ-1..4) ---- */

static void inst_drive(struct shm_inst *in, int level)
{
	if (in->vector && in->plat.set_line)
		in->plat.set_line(in->plat.ctx, in, in->vector, level);
}

/* IRQ-3 level: some connection has unread pending bits or an unseen
 * attach-list change. */
static bool inst_irq_wanted(const struct shm_inst *in)
{
	for (int i = 0; i < in->n_conns; i++) {
		const struct shm_conn *c = in->conns[i];
		if (c->live && (c->pending || c->list_event))
			return true;
	}
	return false;
}

/* The one recompute: level follows state and changes only on a change;
 * edge pulses once for the events of the operation just done. */
static void inst_update_irq(struct shm_inst *in)
{
	unsigned events = in->edge_events;

	in->edge_events = 0;
	if (in->sys->prof.irq_trigger == TRIG_EDGE) {
		if (events) {
			inst_drive(in, 1);
			inst_drive(in, 0);
		}
		return;
	}
	int level = inst_irq_wanted(in);
	if (level != in->line) {
		in->line = level;
		inst_drive(in, level);
	}
}

void shm_sys_update_irqs(struct shm_sys *s)
{
	for (int i = 0; i < s->n_insts; i++)
		inst_update_irq(s->insts[i]);
}

/* ---- connections: notify and detach (NTF, DET) ---- */

uint16_t shm_conn_notify(struct shm_sys *s, struct shm_conn *c, uint32_t mask, bool host,
			 const struct plat *plat, const char *text)
{
	if (!c->live || !c->reg)
		return 0;
	uint16_t targets = reg_notify(s, c, mask, host);
	struct ev e = {
		.kind = EV_NOTIFY, .vm = host ? EV_HOST : 0, .region = c->reg->name,
		.idx = c->idx, .from = (uint32_t)c->idx, .mask = mask, .targets = targets,
		.text = (char *)text,
	};
	shm_emit(plat, &e);
	shm_sys_update_irqs(s);
	return targets;
}

void shm_conn_detach(struct shm_sys *s, struct shm_conn *c, const struct plat *plat,
		     const char *text)
{
	if (!c->live || !c->reg)
		return;
	struct ev e = {
		.kind = EV_DETACH, .vm = c->inst ? 0 : EV_HOST, .region = c->reg->name,
		.idx = c->idx, .shmem = c->addr, .status = GSS_OK, .text = (char *)text,
	};
	/* DET-1: dead at once (later accesses fault), pages leave the VM. */
	if (c->inst)
		plat_unmap(&c->inst->plat, c->addr, c->len);
	reg_unlink(s, c);       /* the region struct (and name) outlives this */
	shm_emit(plat, &e);
	shm_sys_update_irqs(s);
}

/* ---- factory page: requests (CRE) ---- */

/* CRE-6 steps 5..8, then make the connection (and the region). */
static int inst_connect(struct shm_inst *in, struct shm_region *reg, const char *global,
			uint32_t pages, struct shm_conn **out)
{
	struct shm_sys *s = in->sys;
	uint64_t len = ((uint64_t)(reg ? reg->pages : pages) + 1) * PAGE_SIZE;
	uint64_t addr = 0;

	if (!reg && !reg_budget_ok(s, pages))
		return GSS_NOMEM;                                   /* 5 */
	if (reg && reg_clients(reg) >= SHM_MAX_CLIENTS)
		return GSS_CLIENT_MAX;                              /* 6 */
	if (s->prof.connection_budget &&
	    (uint64_t)inst_live_conns(in) >= s->prof.connection_budget)
		return GSS_NOMEM;                                   /* 7 */
	if (!inst_window_fit(in, len, &addr))
		return GSS_NOMEM;                                   /* 8 */

	struct shm_conn *c = inst_conn_slot(in);
	bool created = !reg;
	if (!c || (created && !(reg = reg_create(s, global, pages, false))))
		return GSS_NOMEM;
	int idx = reg_alloc_index(s, reg);
	c->inst = in;
	c->addr = addr;
	c->len = len;
	snprintf(c->dev, sizeof(c->dev), "%s.ctl%d", in->name, idx);

	const struct plat *p = &in->plat;
	int err = p->map_mmio ? p->map_mmio(p->ctx, addr, PAGE_SIZE, c->dev, &shm_ctl_ops, c) : 0;
	if (!err && reg->pages && p->map_ram)
		err = p->map_ram(p->ctx, addr + PAGE_SIZE, len - PAGE_SIZE, reg->data);
	if (err) {
		plat_unmap(p, addr, len);
		if (created)
			reg_discard(s, reg);
		note(p, "%s: cannot map a connection at 0x%llx", in->name, (unsigned long long)addr);
		return GSS_NOMEM;
	}
	reg_link(s, reg, c, idx);
	*out = c;
	return GSS_OK;
}

/* One request (FAC-3: after all bytes of the store landed). old_size is
 * `size` as it read before the store (failure_regs: unchanged). */
static void fac_request(struct shm_inst *in, enum fac_req kind, uint32_t value, uint32_t old_size)
{
	struct shm_sys *s = in->sys;
	const struct profile *p = &s->prof;
	char local[SHM_NAME_FIELD + 1];
	char global[SHM_GLOBAL_NAME] = "";
	struct shm_region *reg = NULL;
	struct shm_conn *conn = NULL;
	bool by_index = kind == REQ_FIND && p->find == FIND_BY_INDEX;          /* CRE-7 */
	bool may_create = kind == REQ_SIZE && (value > 0 || p->size_zero == SZ_EMPTY); /* CRE-8 */
	int st;

	/* CRE-6, in this order. */
	st = shm_name_from_field(in->r_name, p->name_unterminated, local);     /* 1 */
	if (st == GSS_OK && shm_subst(in->has_subst, in->subst_match, in->subst_prefix,
				      local, global))
		st = GSS_ILLEGAL_NAME;
	if (st == GSS_OK && !shm_acl_allows(in->acl, in->n_acl, local))       /* 2, ACL-5 */
		st = GSS_NO_PERMISSION;
	if (st == GSS_OK && kind == REQ_SIZE && value == 0 && p->size_zero == SZ_INVALID)
		st = GSS_UNKNOWN_FAILURE;                                     /* 3 */
	if (st == GSS_OK) {                                                   /* 4 */
		reg = reg_find(s, global);
		if (by_index)
			conn = inst_conn_at(in, reg, value);
		if (by_index ? !conn : !reg && !may_create)
			st = GSS_DOES_NOT_EXIST;
	}
	if (st == GSS_OK && !conn)                                            /* 5..8 */
		st = inst_connect(in, reg, global, value, &conn);

	in->r_status = (uint32_t)st;
	if (st == GSS_OK) {
		in->r_shmem = conn->addr;
		in->r_size = conn->reg->pages;                                /* CRE-2 */
	} else if (p->failure_regs == FREGS_ZEROED) {
		in->r_shmem = 0;
		in->r_size = 0;
	} else {
		in->r_size = old_size;
	}

	struct ev e = {
		.kind = by_index ? EV_FIND : EV_ATTACH,   /* a find makes no connection */
		.region = st == GSS_OK ? conn->reg->name : global[0] ? global : local,
		.idx = st == GSS_OK ? conn->idx : -1,
		.shmem = st == GSS_OK ? conn->addr : 0,
		.status = st,
	};
	shm_emit(&in->plat, &e);
	shm_sys_update_irqs(s);
}

/* ---- factory page: read / write ---- */

static void fac_image(const struct shm_inst *in, uint8_t img[SHM_FAC_SIZE])
{
	le_put(img + FAC_SIGNATURE, 8, SHM_SIGNATURE);
	le_put(img + FAC_SHMEM, 8, in->r_shmem);
	le_put(img + FAC_VECTOR, 4, in->vector);
	le_put(img + FAC_STATUS, 4, in->r_status);
	le_put(img + FAC_SIZE, 4, in->r_size);
	memcpy(img + FAC_NAME, in->r_name, SHM_NAME_FIELD);
	le_put(img + FAC_FIND, 4, in->r_find);
}

/* No factory read has a side effect: this is also the debugger's peek. */
static void fac_read(void *opaque, uint64_t off, unsigned len, uint8_t *out)
{
	struct shm_inst *in = opaque;
	uint8_t img[SHM_FAC_SIZE];
	uint64_t o;

	fac_image(in, img);
	le_put(img + FAC_FIND, 4, 0);                       /* WO: reads as zero */
	for (unsigned i = 0; i < len; i++)
		out[i] = byte_at(off, i, SHM_FAC_SIZE, &o) ? img[o] : 0;
}

static void fac_write(void *opaque, uint64_t off, unsigned len, const uint8_t *data)
{
	struct shm_inst *in = opaque;
	uint8_t img[SHM_FAC_SIZE];
	uint32_t old_size = in->r_size;
	bool w_size = false, w_find = false, w_ro = false;
	uint64_t o;

	/* FAC-3: every byte lands first ... */
	fac_image(in, img);
	for (unsigned i = 0; i < len; i++) {
		if (!byte_at(off, i, SHM_FAC_SIZE, &o))
			continue;                                   /* RAZ/WI */
		if (o < FAC_SIZE) {
			w_ro = true;                                /* ignored */
			continue;
		}
		img[o] = data[i];
		w_size |= o < FAC_NAME;
		w_find |= o >= FAC_FIND;
	}
	in->r_size = (uint32_t)le_get(img + FAC_SIZE, 4);
	memcpy(in->r_name, img + FAC_NAME, SHM_NAME_FIELD);
	in->r_find = (uint32_t)le_get(img + FAC_FIND, 4);
	if (w_ro)
		note(&in->plat, "%s.factory: write to read-only register at 0x%llx ignored",
		     in->name, (unsigned long long)off);

	/* ... then the one request, with the register's whole value. */
	if (w_size)
		fac_request(in, REQ_SIZE, in->r_size, old_size);
	if (w_find)
		fac_request(in, REQ_FIND, in->r_find, old_size);
}

const struct mmio_ops shm_factory_ops = {
	.read = fac_read,
	.peek = fac_read,
	.write = fac_write,
	.sched_point = true,                                /* GIC-8 */
};

/* ---- control page: read / write ---- */

/* A peek is a debugger's read: the same bytes, nothing cleared, no note, no
 * interrupt update. */
static void ctl_read_or_peek(struct shm_conn *c, uint64_t off, unsigned len, uint8_t *out,
			     bool peek)
{
	uint8_t img[SHM_CTL_SIZE] = {0};
	unsigned lanes = 0;
	uint64_t o;

	memset(out, 0, len);
	if (!c->live || !c->inst) {
		if (c->inst && !peek)
			note(&c->inst->plat, "%s: read of a detached connection", c->dev);
		return;
	}
	for (unsigned i = 0; i < len; i++)
		if (!peek && byte_at(off, i, CTL_IDX, &o))
			lanes |= 1u << o;
	/* CTL-2: the value before the read; only the lanes read are cleared. */
	le_put(img + CTL_STATUS, 4, conn_status_read(c, lanes));
	le_put(img + CTL_IDX, 4, (uint32_t)c->idx);
	for (unsigned i = 0; i < len; i++)
		if (byte_at(off, i, SHM_CTL_SIZE, &o))
			out[i] = img[o];
	if (lanes)
		inst_update_irq(c->inst);
}

static void ctl_read(void *opaque, uint64_t off, unsigned len, uint8_t *out)
{
	ctl_read_or_peek(opaque, off, len, out, false);
}

static void ctl_peek(void *opaque, uint64_t off, unsigned len, uint8_t *out)
{
	ctl_read_or_peek(opaque, off, len, out, true);
}

static void ctl_write(void *opaque, uint64_t off, unsigned len, const uint8_t *data)
{
	struct shm_conn *c = opaque;
	struct shm_inst *in = c->inst;
	uint32_t mask = 0;
	bool w_notify = false, w_detach = false, w_ro = false;
	uint64_t o;

	if (!in)
		return;
	for (unsigned i = 0; i < len; i++) {
		if (!byte_at(off, i, SHM_CTL_SIZE, &o))
			continue;                                   /* RAZ/WI */
		if (o < CTL_NOTIFY) {
			w_ro = true;
		} else if (o < CTL_DETACH) {
			/* a doorbell keeps no value: bytes not written are 0 */
			mask |= (uint32_t)data[i] << (8 * (o - CTL_NOTIFY));
			w_notify = true;
		} else {
			w_detach = true;
		}
	}
	if (!c->live) {
		note(&in->plat, "%s: write to a detached connection", c->dev);
		return;
	}
	if (w_ro)
		note(&in->plat, "%s: write to read-only register at 0x%llx ignored",
		     c->dev, (unsigned long long)off);
	/* In offset order: notify (0x8) before detach (0xC). */
	if (w_notify)
		shm_conn_notify(in->sys, c, mask, false, &in->plat, NULL);
	if (w_detach)
		shm_conn_detach(in->sys, c, &in->plat, NULL);
}

const struct mmio_ops shm_ctl_ops = {
	.read = ctl_read,
	.peek = ctl_peek,
	.write = ctl_write,
	.sched_point = true,                                /* GIC-8 */
};

/* ---- reset ---- */

/* FAC-5: before any request status, shmem and size read 0. */
static void inst_reset(struct shm_inst *in)
{
	in->r_shmem = 0;
	in->r_status = GSS_OK;
	in->r_size = 0;
	memset(in->r_name, 0, sizeof(in->r_name));
	in->r_find = 0;
	in->line = 0;
	in->edge_events = 0;
}

/* ---- create / destroy ---- */

struct shm_sys *shm_sys_new(const struct profile *p, const struct plat *host_plat)
{
	struct shm_sys *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	if (p)
		s->prof = *p;                                   /* all-zero: defaults */
	if (host_plat)
		s->host_plat = *host_plat;
	return s;
}

static void inst_free(struct shm_inst *in)
{
	for (int i = 0; i < in->n_conns; i++)
		free(in->conns[i]);
	free(in->conns);
	free(in->acl);
	free(in);
}

void shm_sys_free(struct shm_sys *s)
{
	if (!s)
		return;
	shm_grave_flush(s);
	for (int i = 0; i < s->n_insts; i++)
		inst_free(s->insts[i]);
	free(s->insts);
	for (int i = 0; i < s->n_hconns; i++)
		free(s->hconns[i]);
	free(s->hconns);
	reg_free_all(s);
	free(s);
}

__attribute__((format(printf, 3, 4)))
static struct shm_inst *inst_fail(char *err, size_t errlen, const char *fmt, ...)
{
	if (err && errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return NULL;
}

/* Copy a fixed-size config string (char[64]) that may lack its NUL. */
static void copy_str(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%.*s", SHM_GLOBAL_NAME - 1, src ? src : "");
}

int shm_create_resolve(const struct shm_inst_cfg *cfg, int i, char global[SHM_GLOBAL_NAME],
		       uint32_t *pages)
{
	const struct shm_create *cr = &cfg->creates[i];
	char name[SHM_GLOBAL_NAME], match[SHM_GLOBAL_NAME], prefix[SHM_GLOBAL_NAME];

	copy_str(name, sizeof(name), cr->name);
	copy_str(match, sizeof(match), cfg->subst_match);
	copy_str(prefix, sizeof(prefix), cfg->subst_prefix);
	if (!shm_name_legal(name, SHM_NAME_FIELD - 1))
		return -1;
	if (shm_subst(cfg->has_subst, match, prefix, name, global))
		return -2;
	uint64_t pg = cr->bytes / PAGE_SIZE + (cr->bytes % PAGE_SIZE != 0);
	if (pg > UINT32_MAX)
		return -3;
	*pages = (uint32_t)pg;
	return 0;
}

/* ACL-2/5: the global name and pages of a `create`, checked against the
 * live regions and the earlier creates of the same list. */
static int create_check(const struct shm_sys *s, const struct shm_inst_cfg *cfg, int i,
			char global[SHM_GLOBAL_NAME], uint32_t *pages, char *err, size_t errlen)
{
	const struct shm_create *cr = &cfg->creates[i];
	char name[SHM_GLOBAL_NAME], match[SHM_GLOBAL_NAME], prefix[SHM_GLOBAL_NAME];

	copy_str(name, sizeof(name), cr->name);
	copy_str(match, sizeof(match), cfg->subst_match);
	copy_str(prefix, sizeof(prefix), cfg->subst_prefix);
	switch (shm_create_resolve(cfg, i, global, pages)) {
	case -1:
		return inst_fail(err, errlen, "create '%s': not a legal region name (NAM-1/2)",
				 name), -1;
	case -2:
		return inst_fail(err, errlen, "create '%s': subst makes an illegal global name",
				 name), -1;
	case -3:
		return inst_fail(err, errlen, "create '%s': %llu bytes is too large", name,
				 (unsigned long long)cr->bytes), -1;
	default:
		break;
	}
	uint64_t pg = *pages;

	const struct shm_region *r = reg_find(s, global);
	if (r && r->pages != *pages)
		return inst_fail(err, errlen, "create '%s': region '%s' exists with %u pages, not %u",
				 name, global, r->pages, *pages), -1;
	for (int j = 0; j < i; j++) {
		char other[SHM_GLOBAL_NAME], oname[SHM_GLOBAL_NAME];
		uint64_t ob = cfg->creates[j].bytes;
		copy_str(oname, sizeof(oname), cfg->creates[j].name);
		if (shm_subst(cfg->has_subst, match, prefix, oname, other) ||
		    strcmp(other, global))
			continue;
		if (ob / PAGE_SIZE + (ob % PAGE_SIZE != 0) != pg)
			return inst_fail(err, errlen, "create '%s' listed twice with different sizes",
					 name), -1;
	}
	return 0;
}

struct shm_inst *shm_inst_new(struct shm_sys *s, const struct plat *plat, int vm, int k,
			      const struct shm_inst_cfg *cfg, char *err, size_t errlen)
{
	struct shm_inst *in = NULL;
	char (*globals)[SHM_GLOBAL_NAME] = NULL;
	uint32_t *pages = NULL;
	char msg[200];

	if (!s || !plat || !cfg || k < 0 || cfg->n_acl < 0 || cfg->n_creates < 0 ||
	    (cfg->n_acl && !cfg->acl) || (cfg->n_creates && !cfg->creates))
		return inst_fail(err, errlen, "shmem%d: bad arguments", k);

	/* CRE-4: the instance's window. */
	uint64_t window = cfg->window;
	if (!window) {
		if ((uint64_t)k >= (GPA_LIMIT - SHM_WINDOW_BASE) / SHM_WINDOW_SIZE)
			return inst_fail(err, errlen, "shmem%d: no default window below 2^44", k);
		window = SHM_WINDOW_BASE + (uint64_t)k * SHM_WINDOW_SIZE;
	}
	if (window % PAGE_SIZE || window > GPA_LIMIT - SHM_WINDOW_SIZE)
		return inst_fail(err, errlen, "shmem%d: window 0x%llx is not a page-aligned 4 GiB "
				 "range below 2^44", k, (unsigned long long)window);

	/* ACL-2: check every create before anything exists. */
	if (cfg->n_creates) {
		globals = calloc((size_t)cfg->n_creates, sizeof(*globals));
		pages = calloc((size_t)cfg->n_creates, sizeof(*pages));
		if (!globals || !pages)
			goto out_nomem;
	}
	for (int i = 0; i < cfg->n_creates; i++) {
		if (create_check(s, cfg, i, globals[i], &pages[i], msg, sizeof(msg))) {
			free(globals);
			free(pages);
			return inst_fail(err, errlen, "shmem%d: %s", k, msg);
		}
	}

	in = calloc(1, sizeof(*in));
	if (!in || shm_grow((void **)&s->insts, &s->cap_insts, s->n_insts + 1, sizeof(*s->insts)))
		goto out_nomem;
	if (cfg->n_acl && !(in->acl = calloc((size_t)cfg->n_acl, sizeof(*in->acl))))
		goto out_nomem;
	for (int i = 0; i < cfg->n_acl; i++) {
		in->acl[i].allow = cfg->acl[i].allow;
		copy_str(in->acl[i].pattern, sizeof(in->acl[i].pattern), cfg->acl[i].pattern);
	}
	in->n_acl = cfg->n_acl;
	in->sys = s;
	in->plat = *plat;
	in->vm = vm;
	in->k = k;
	snprintf(in->name, sizeof(in->name), "shmem%d", k);
	in->loc = cfg->loc;
	in->window = window;
	in->vector = cfg->loc ? cfg->intr : 0;              /* PCI: shm_inst_set_vector */
	in->has_subst = cfg->has_subst;
	copy_str(in->subst_match, sizeof(in->subst_match), cfg->subst_match);
	copy_str(in->subst_prefix, sizeof(in->subst_prefix), cfg->subst_prefix);
	inst_reset(in);

	/* ACL-2: `create` regions exist from now on and live as long as the
	 * system (DET-3); an existing one of the same size is shared. */
	for (int i = 0; i < cfg->n_creates; i++) {
		struct shm_region *r = reg_find(s, globals[i]);
		if (!r && !(r = reg_create(s, globals[i], pages[i], true)))
			goto out_nomem;
		r->persistent = true;
	}
	s->insts[s->n_insts++] = in;
	free(globals);
	free(pages);
	return in;

out_nomem:
	if (in)
		inst_free(in);
	free(globals);
	free(pages);
	return inst_fail(err, errlen, "shmem%d: out of memory", k);
}

uint32_t shm_inst_vector(const struct shm_inst *in)
{
	return in->vector;
}

void shm_inst_set_vector(struct shm_inst *in, uint32_t intid)
{
	if (in->vector == intid)
		return;
	/* A level already driven moves with the routing. */
	if (in->line)
		inst_drive(in, 0);
	in->vector = intid;
	if (in->line)
		inst_drive(in, 1);
}

const char *shm_inst_devname(const struct shm_inst *in)
{
	return in->name;
}

/* DET-4: every live connection of the instance detaches as in DET-1. */
void shm_inst_detach_all(struct shm_inst *in)
{
	for (int i = 0; i < in->n_conns; i++)
		if (in->conns[i]->live)
			shm_conn_detach(in->sys, in->conns[i], &in->plat, NULL);
}

bool shm_inst_maps_data(const struct shm_inst *in)
{
	for (int i = 0; in && i < in->n_conns; i++) {
		const struct shm_conn *c = in->conns[i];
		if (c->live && c->reg && c->reg->pages)
			return true;
	}
	return false;
}
