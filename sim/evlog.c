/* evlog.c - the event log (CONTRACT section 5). */
#include <stdlib.h>
#include <string.h>
#include <inttypes.h>
#include <stdbool.h>
#include <sys/mman.h>
#include "evlog.h"

#define EVLOG_MMIO_CAP  1000000  /* mmio events kept per run (compact: tens of MB); the rest are counted */
#define EVLOG_TOTAL_CAP 2000000  /* all events: a guest marking in a loop must not eat the host */

static const char *const kind_names[EV_KIND_COUNT] = {
	[EV_MMIO] = "mmio",         [EV_IRQ_LINE] = "irq-line", [EV_IRQ_ENTER] = "irq-enter",
	[EV_IRQ_ACK] = "irq-ack",   [EV_IRQ_EOI] = "irq-eoi",   [EV_ATTACH] = "attach",
	[EV_DETACH] = "detach",     [EV_NOTIFY] = "notify",     [EV_STATUS] = "status",
	[EV_MARK] = "mark",         [EV_FAIL] = "fail",         [EV_EXIT] = "exit",
	[EV_CONSOLE] = "console",   [EV_SWITCH] = "switch",     [EV_WFI] = "wfi",
	[EV_WAKE] = "wake",         [EV_FAULT] = "fault",       [EV_HVC] = "hvc",
	[EV_NOTE] = "note",         [EV_FIND] = "find",         [EV_RACE] = "race",
};

const char *ev_kind_name(enum ev_kind k)
{
	return (unsigned)k < EV_KIND_COUNT ? kind_names[k] : "?";
}

void evlog_init(struct evlog *log)
{
	memset(log, 0, sizeof(*log));
	log->last_dev.id = log->last_fault.id = -1;
	log->mmio_cap = EVLOG_MMIO_CAP;
	log->total_cap = EVLOG_TOTAL_CAP;
	log->keep_kinds = EV_KINDS_ALL;
}

_Static_assert(EV_KIND_COUNT <= 32, "keep_kinds has a bit per kind");

/* The ring's next place from its count (put_ring then keeps it up). */
static void ring_place(struct evlog *log)
{
	log->ring_at = log->ring_cap ? log->ring_n % log->ring_cap : 0;
}

int evlog_keep(struct evlog *log, uint32_t kinds, size_t head, size_t mmio_tail)
{
	free(log->ring);
	free(log->ring_full);
	log->ring = NULL;
	log->ring_full = NULL;
	log->ring_cap = 0;
	if (!(kinds & 1u << EV_MMIO) && mmio_tail &&
	    !(log->ring = calloc(mmio_tail, sizeof(*log->ring)))) {
		log->keep_kinds = EV_KINDS_ALL;
		return -1;
	}
	log->ring_cap = log->ring ? mmio_tail : 0;
	ring_place(log);
	log->keep_kinds = kinds;
	log->keep_head = head;
	return 0;
}

void evlog_stream(struct evlog *log, FILE *f, const char *const *vm_names)
{
	log->out = f;
	log->out_names = vm_names;
}

static void strs_free(struct ev_strs *t)
{
	for (size_t i = 0; i < t->n_chunks; i++)
		free(t->chunks[i]);
	free(t->chunks);
	free(t->s);
	free(t->hash);
}

void evlog_free(struct evlog *log)
{
	strs_free(&log->strs);
	for (size_t i = 0; i < log->n_idx; i++)
		free(log->idx[i]);
	free(log->idx);
	for (size_t i = 0; i < log->n_rec; i++)
		free(log->rec[i]);
	free(log->rec);
	free(log->ring);
	free(log->ring_full);
	memset(log, 0, sizeof(*log));
}

void evlog_mark(const struct evlog *log, struct evlog_mark *m)
{
	*m = (struct evlog_mark){ log->n, log->n_rec, log->rec_used, log->mmio_kept,
		log->mmio_dropped, log->dropped, log->head_seen, log->ring_n };
}

int evlog_rewind(struct evlog *log, const struct evlog_mark *m)
{
	if (log->out || m->n > log->n || m->n_rec > log->n_rec ||
	    (log->ring_n > m->ring_n && log->ring_n > log->ring_cap))
		return -1;
	/* Index blocks stay (reused as the log grows again); record blocks
	 * past the mark's go, the mark's last one is written on from its end. */
	for (size_t i = m->n_rec; i < log->n_rec; i++)
		free(log->rec[i]);
	log->n = m->n;
	log->n_rec = m->n_rec;
	log->rec_used = m->rec_used;
	log->mmio_kept = m->mmio_kept;
	log->mmio_dropped = m->mmio_dropped;
	log->dropped = m->dropped;
	log->head_seen = m->head_seen;
	log->ring_n = m->ring_n;
	ring_place(log);   /* the next mmio event takes the place of the mark's next */
	return 0;
}

/* ---- strings stored once ---- */

static uint32_t str_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* A copy of s[0..len) with a NUL, in the arena (chunks never move). */
static char *strs_copy(struct ev_strs *t, const char *s, size_t len)
{
	if (t->chunk_cap - t->chunk_used < len + 1) {
		size_t cap = len + 1 > 65536 ? len + 1 : 65536;
		char **cs = realloc(t->chunks, (t->n_chunks + 1) * sizeof(*cs));
		if (!cs)
			return NULL;
		t->chunks = cs;
		char *c = malloc(cap);
		if (!c)
			return NULL;
		cs[t->n_chunks++] = c;
		t->chunk = c;
		t->chunk_used = 0;
		t->chunk_cap = cap;
	}
	char *d = t->chunk + t->chunk_used;
	memcpy(d, s, len);
	d[len] = '\0';
	t->chunk_used += len + 1;
	return d;
}

static int strs_grow_hash(struct ev_strs *t)
{
	uint32_t cap = t->hcap ? t->hcap * 2 : 256;
	uint32_t *h = calloc(cap, sizeof(*h));
	if (!h)
		return -1;
	for (uint32_t id = 0; id < t->n; id++) {
		uint32_t k = str_hash(t->s[id], strlen(t->s[id])) & (cap - 1);
		while (h[k])
			k = (k + 1) & (cap - 1);
		h[k] = id + 1;
	}
	free(t->hash);
	t->hash = h;
	t->hcap = cap;
	return 0;
}

/* The id of s, storing it the first time. Returns -1 when out of memory. */
static int64_t strs_id(struct ev_strs *t, const char *s)
{
	size_t len = strlen(s);
	if ((t->n + 1) * 2 > t->hcap && strs_grow_hash(t) < 0)
		return -1;
	uint32_t k = str_hash(s, len) & (t->hcap - 1);
	for (; t->hash[k]; k = (k + 1) & (t->hcap - 1)) {
		const char *o = t->s[t->hash[k] - 1];
		if (!strncmp(o, s, len) && o[len] == '\0')
			return t->hash[k] - 1;
	}
	if (t->n == t->cap) {
		uint32_t cap = t->cap ? t->cap * 2 : 64;
		char **ns = realloc(t->s, cap * sizeof(*ns));
		if (!ns)
			return -1;
		t->s = ns;
		t->cap = cap;
	}
	char *d = strs_copy(t, s, len);
	if (!d)
		return -1;
	t->s[t->n] = d;
	t->hash[k] = t->n + 1;
	return t->n++;
}

/* The id of a short name field (device, fault kind): the last one is
 * remembered, as one device answers many accesses in a row. */
static int64_t name_id(struct evlog *log, struct ev_last *last, const char *s, size_t size)
{
	size_t len = strnlen(s, size);
	if (last->len == len && last->id >= 0 && !memcmp(last->s, s, len))
		return last->id;
	int64_t id = strs_id(&log->strs, s);
	if (id >= 0 && len < sizeof(last->s)) {
		memcpy(last->s, s, len);
		last->len = len;
		last->id = id;
	}
	return id;
}

/* ---- records ---- */

/* The fields a record may carry, one bit each when not zero (or NULL/""). */
enum {
	F_CLOCK, F_ICOUNT, F_PC, F_VM, F_DEV, F_OFF, F_WIDTH, F_DIR, F_VALUE, F_VALUE_HI,
	F_INTID, F_LEVEL, F_REGION, F_IDX, F_SHMEM, F_STATUS, F_FROM, F_MASK, F_TARGETS,
	F_CODE, F_TEXT, F_FAULT_KIND, F_ADDR, F_TO,
};

static uint64_t zz(int64_t v) { return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63); }
static int64_t unzz(uint64_t v) { return (int64_t)(v >> 1) ^ -(int64_t)(v & 1); }

static uint8_t *put_var(uint8_t *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	*p++ = (uint8_t)v;
	return p;
}

static uint64_t get_var(const uint8_t **pp)
{
	const uint8_t *p = *pp;
	uint64_t v = 0;
	for (unsigned sh = 0;; sh += 7) {
		uint8_t b = *p++;
		v |= (uint64_t)(b & 0x7f) << sh;
		if (!(b & 0x80))
			break;
	}
	*pp = p;
	return v;
}

#define REC_MAX (1 + 25 * 10)   /* the mask and every field at its longest */

/* A block of 2 MiB. After a log's first, it asks for a huge page: a long
 * log then takes one page fault per block instead of 512 (on this kind of
 * machine about 0.2 ms against 5.8: 11 us per 4 KiB fault, 22 ns per index
 * entry). A log's first block starts on small pages, so a short log faults
 * in only what it uses; once it has used EV_SMALL_BYTES of it, the block
 * moves to a huge page (promote_first). */
_Static_assert(sizeof(struct ev_idx) << EV_IDX_SHIFT == (size_t)1 << EV_BLOCK_SHIFT,
	       "an index block is one block");
#define EV_SMALL_BYTES ((size_t)1 << 17)

static void *new_block(size_t n_before)
{
	size_t size = (size_t)1 << EV_BLOCK_SHIFT;
	void *b = aligned_alloc(size, size);
#ifdef MADV_HUGEPAGE
	if (b && n_before > 0)
		madvise(b, size, MADV_HUGEPAGE);
#else
	(void)n_before;
#endif
	return b;
}

/* Move a list's first block, of which `used` bytes are written, to a block
 * on a huge page; once (*moved), and only when the list has no other block
 * (the index and the records name places by block and offset, so the
 * contents moved keep their places; nothing keeps a pointer into a block
 * across an append). Out of memory it stays where it is (only slower). */
static void promote_first(void **first, size_t n_blocks, size_t used, bool *moved)
{
	if (*moved || n_blocks != 1)
		return;
	*moved = true;
	void *b = new_block(1);
	if (!b)
		return;
	memcpy(b, *first, used);
	free(*first);
	*first = b;
}

/* One more block at the end of each list: growth moves no block and copies
 * nothing (only a first block moves, once: promote_first). Returns 0 or -1. */
static int add_idx_block(struct evlog *log)
{
	struct ev_idx **b = realloc(log->idx, (log->n_idx + 1) * sizeof(*b));
	if (!b)
		return -1;
	log->idx = b;
	if (!(b[log->n_idx] = new_block(log->n_idx)))
		return -1;
	log->n_idx++;
	return 0;
}

static int add_rec_block(struct evlog *log)
{
	if (log->n_rec == (size_t)1 << (32 - EV_REC_SHIFT))   /* ev_idx.off is 32 bits */
		return -1;
	uint8_t **b = realloc(log->rec, (log->n_rec + 1) * sizeof(*b));
	if (!b)
		return -1;
	log->rec = b;
	if (!(b[log->n_rec] = new_block(log->n_rec)))
		return -1;
	log->n_rec++;
	log->rec_used = 0;
	return 0;
}

static void put_event(FILE *f, const struct ev *e, uint64_t seq, const char *const *vm_names);

/* Index entry i. */
static struct ev_idx *idx_at(struct evlog *log, size_t i)
{
	return &log->idx[i >> EV_IDX_SHIFT][i & ((1u << EV_IDX_SHIFT) - 1)];
}

/* The record of *e in the blocks; *off says where. Returns 0 or -1. */
static int put_record(struct evlog *log, const struct ev *e, bool wide, uint32_t *off);

/* Where *e's record goes under evlog_keep's rules; counts the head. */
static enum ev_at record_place(struct evlog *log, const struct ev *e, bool wide)
{
	bool head = false;
	if (e->kind != EV_MMIO)
		head = log->head_seen++ < log->keep_head;
	if (wide || head || (log->keep_kinds >> e->kind & 1))
		return EV_AT_BLOCK;
	return e->kind == EV_MMIO && log->ring_cap && log->ring_n < UINT32_MAX ? EV_AT_RING
									       : EV_AT_NONE;
}

/* Whether *e has a field an mmio event does not (its strings aside: the
 * ring keeps none). */
static bool beyond_mmio(const struct ev *e)
{
	return (e->intid | (unsigned)e->level | (unsigned)e->idx | (unsigned)e->status | e->from |
		e->mask | e->targets | (unsigned)e->to) ||
	       (e->shmem | (uint64_t)e->code | e->addr) ||
	       e->fault_kind[0];   /* a string: what put_record keeps */
}

/* *e in the ring's next place. Returns 0, or -1 when out of memory. */
static int put_ring(struct evlog *log, const struct ev *e)
{
	size_t at = log->ring_at;   /* ring_n % ring_cap, without a division per access */
	bool full = beyond_mmio(e);
	if (full && !log->ring_full && !(log->ring_full = calloc(log->ring_cap, sizeof(*log->ring_full))))
		return -1;
	log->ring_at = at + 1 == log->ring_cap ? 0 : at + 1;
	struct ev_ring *r = &log->ring[at];
	r->full = full;
	if (full) {
		log->ring_full[at] = *e;
		log->ring_full[at].region = log->ring_full[at].text = NULL;
		return 0;
	}
	r->clock = e->clock;
	r->icount = e->icount;
	r->pc = e->pc;
	r->off = e->off;
	r->value = e->value;
	r->value_hi = e->value_hi;
	r->vm = e->vm;
	r->width = e->width;
	r->dir = e->dir;
	memcpy(r->dev, e->dev, sizeof(r->dev));
	return 0;
}

/* Store *e, no limits checked (and stream it out). Returns its seq or -1. */
static int64_t store(struct evlog *log, const struct ev *e)
{
	if (log->n >> EV_IDX_SHIFT == log->n_idx && add_idx_block(log) < 0)
		return -1;
	if (log->n == EV_SMALL_BYTES / sizeof(struct ev_idx))
		promote_first((void **)&log->idx[0], log->n_idx, EV_SMALL_BYTES, &log->idx_moved);
	bool wide = e->vm < INT16_MIN + 1 || e->vm > INT16_MAX;
	size_t head_seen = log->head_seen;
	enum ev_at at = record_place(log, e, wide);
	uint32_t off = 0;
	if (at == EV_AT_BLOCK && put_record(log, e, wide, &off) < 0) {
		log->head_seen = head_seen;
		return -1;
	}
	if (at == EV_AT_RING) {
		if (put_ring(log, e) < 0) {
			log->head_seen = head_seen;
			return -1;
		}
		off = (uint32_t)log->ring_n++;
	}
	*idx_at(log, log->n) = (struct ev_idx){ .off = off, .at = (uint8_t)at,
		.vm = wide ? EV_VM_WIDE : (int16_t)e->vm, .kind = (uint8_t)e->kind };
	if (log->out) {
		put_event(log->out, e, log->n, log->out_names);
		fputc('\n', log->out);
	}
	return (int64_t)log->n++;
}

static int put_record(struct evlog *log, const struct ev *e, bool wide, uint32_t *off)
{
	if ((!log->n_rec || (1u << EV_REC_SHIFT) - log->rec_used < REC_MAX) &&
	    add_rec_block(log) < 0)
		return -1;
	if (log->rec_used >= EV_SMALL_BYTES)
		promote_first((void **)&log->rec[0], log->n_rec, log->rec_used, &log->rec_moved);
	uint8_t body[REC_MAX], *q = body;
	int64_t id;
	uint32_t mask = 0;
	/* Fields in bit order: the record is the mask, then their values. */
#define PUT(f, x) do { uint64_t x_ = (x); if (x_) { q = put_var(q, x_); mask |= 1u << (f); } } while (0)
#define PUT_ID(f, x) do { if ((id = (x)) < 0) return -1; \
	q = put_var(q, (uint64_t)id); mask |= 1u << (f); } while (0)
	PUT(F_CLOCK, e->clock);
	PUT(F_ICOUNT, e->icount);
	PUT(F_PC, e->pc);
	PUT(F_VM, wide ? zz(e->vm) : 0);
	if (e->dev[0])
		PUT_ID(F_DEV, name_id(log, &log->last_dev, e->dev, sizeof(e->dev)));
	PUT(F_OFF, e->off);
	PUT(F_WIDTH, e->width);
	PUT(F_DIR, (unsigned char)e->dir);
	PUT(F_VALUE, e->value);
	PUT(F_VALUE_HI, e->value_hi);
	PUT(F_INTID, e->intid);
	PUT(F_LEVEL, zz(e->level));
	if (e->region)
		PUT_ID(F_REGION, strs_id(&log->strs, e->region));
	PUT(F_IDX, zz(e->idx));
	PUT(F_SHMEM, e->shmem);
	PUT(F_STATUS, zz(e->status));
	PUT(F_FROM, e->from);
	PUT(F_MASK, e->mask);
	PUT(F_TARGETS, e->targets);
	PUT(F_CODE, zz(e->code));
	if (e->text)
		PUT_ID(F_TEXT, strs_id(&log->strs, e->text));
	if (e->fault_kind[0])
		PUT_ID(F_FAULT_KIND, name_id(log, &log->last_fault, e->fault_kind,
					     sizeof(e->fault_kind)));
	PUT(F_ADDR, e->addr);
	PUT(F_TO, zz(e->to));
#undef PUT
#undef PUT_ID
	uint8_t *blk = log->rec[log->n_rec - 1];
	uint8_t *p = put_var(blk + log->rec_used, mask);
	memcpy(p, body, (size_t)(q - body));
	p += q - body;
	*off = (uint32_t)((log->n_rec - 1) << EV_REC_SHIFT | log->rec_used);
	log->rec_used = (size_t)(p - blk);
	return 0;
}

bool evlog_has(const struct evlog *log, size_t i)
{
	const struct ev_idx *at = evlog_idx(log, i);
	return at->at == EV_AT_BLOCK || (at->at == EV_AT_RING && at->off + log->ring_cap >= log->ring_n);
}

int evlog_vm(const struct evlog *log, size_t i)
{
	if (evlog_idx(log, i)->vm != EV_VM_WIDE)
		return evlog_idx(log, i)->vm;
	struct ev e;
	return evlog_get(log, i, &e)->vm;
}

static void copy_name(char *d, size_t size, const char *s)
{
	size_t len = strnlen(s, size - 1);
	memcpy(d, s, len);
	d[len] = '\0';
}

const struct ev *evlog_get(const struct evlog *log, size_t i, struct ev *e)
{
	memset(e, 0, sizeof(*e));
	e->seq = i;
	const struct ev_idx *at = evlog_idx(log, i);
	e->kind = (enum ev_kind)at->kind;
	e->vm = at->vm;
	if (at->at != EV_AT_BLOCK) {
		if (evlog_has(log, i)) {
			const struct ev_ring *r = &log->ring[at->off % log->ring_cap];
			if (r->full) {
				*e = log->ring_full[at->off % log->ring_cap];
				e->seq = i;
				return e;
			}
			e->kind = EV_MMIO;
			e->clock = r->clock;
			e->icount = r->icount;
			e->pc = r->pc;
			e->vm = r->vm;
			memcpy(e->dev, r->dev, sizeof(e->dev));
			e->off = r->off;
			e->width = r->width;
			e->dir = r->dir;
			e->value = r->value;
			e->value_hi = r->value_hi;
		}
		return e;
	}
	const uint8_t *p = log->rec[at->off >> EV_REC_SHIFT] + (at->off & ((1u << EV_REC_SHIFT) - 1));
	uint32_t mask = (uint32_t)get_var(&p);
	char *const *s = log->strs.s;
	for (uint32_t m = mask, f = 0; m; m >>= 1, f++) {
		if (!(m & 1))
			continue;
		uint64_t x = get_var(&p);
		switch (f) {
		case F_CLOCK: e->clock = x; break;
		case F_ICOUNT: e->icount = x; break;
		case F_PC: e->pc = x; break;
		case F_VM: e->vm = (int)unzz(x); break;
		case F_DEV: copy_name(e->dev, sizeof(e->dev), s[x]); break;
		case F_OFF: e->off = x; break;
		case F_WIDTH: e->width = (unsigned)x; break;
		case F_DIR: e->dir = (char)x; break;
		case F_VALUE: e->value = x; break;
		case F_VALUE_HI: e->value_hi = x; break;
		case F_INTID: e->intid = (uint32_t)x; break;
		case F_LEVEL: e->level = (int)unzz(x); break;
		case F_REGION: e->region = s[x]; break;
		case F_IDX: e->idx = (int)unzz(x); break;
		case F_SHMEM: e->shmem = x; break;
		case F_STATUS: e->status = (int)unzz(x); break;
		case F_FROM: e->from = (uint32_t)x; break;
		case F_MASK: e->mask = (uint32_t)x; break;
		case F_TARGETS: e->targets = (uint32_t)x; break;
		case F_CODE: e->code = unzz(x); break;
		case F_TEXT: e->text = s[x]; break;
		case F_FAULT_KIND: copy_name(e->fault_kind, sizeof(e->fault_kind), s[x]); break;
		case F_ADDR: e->addr = x; break;
		case F_TO: e->to = (int)unzz(x); break;
		}
	}
	return e;
}

/* The log says where it stopped keeping events: a reader must not take the
 * missing ones for silence. */
static void note_limit(struct evlog *log, const struct ev *at, const char *text)
{
	struct ev note = *at;
	note.kind = EV_NOTE;
	note.region = NULL;
	note.text = (char *)text;
	store(log, &note);
}

int64_t evlog_append(struct evlog *log, const struct ev *e)
{
	if (log->n + 1 >= log->total_cap) {        /* the last slot is the note's */
		if (log->dropped++ == 0)
			note_limit(log, e, "event limit reached: later events are counted, not kept");
		return -1;
	}
	if (e->kind == EV_MMIO) {
		if (log->mmio_kept >= log->mmio_cap) {
			if (log->mmio_dropped++ == 0)
				note_limit(log, e, "mmio event limit reached: later mmio events are "
					   "counted, not kept");
			return -1;
		}
		log->mmio_kept++;
	}
	return store(log, e);
}

/* JSON string with escapes; events carry guest-controlled text. */
static void put_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		switch (*p) {
		case '"':  fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			if (*p < 0x20 || *p >= 0x7f)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

static void put_hex_bytes(FILE *f, uint64_t lo, uint64_t hi, unsigned width)
{
	if (width > 8)
		fprintf(f, "\"0x%" PRIx64 "%016" PRIx64 "\"", hi, lo);
	else
		fprintf(f, "\"0x%" PRIx64 "\"", lo);
}

void ev_write_json(FILE *f, const struct ev *e, const char *const *vm_names)
{
	put_event(f, e, e->seq, vm_names);
}

/* ev_write_json with the seq given (an event being appended has none yet). */
static void put_event(FILE *f, const struct ev *e, uint64_t seq, const char *const *vm_names)
{
	fprintf(f, "{\"seq\":%" PRIu64 ",\"clock\":%" PRIu64 ",\"vm\":", seq, e->clock);
	put_str(f, e->vm == EV_HOST ? "host" : vm_names ? vm_names[e->vm] : "?");
	fprintf(f, ",\"icount\":%" PRIu64 ",\"pc\":\"0x%" PRIx64 "\",\"kind\":\"%s\"",
		e->icount, e->pc, ev_kind_name(e->kind));
	switch (e->kind) {
	case EV_MMIO:
		fprintf(f, ",\"dev\":");
		put_str(f, e->dev);
		fprintf(f, ",\"off\":\"0x%" PRIx64 "\",\"width\":%u,\"dir\":\"%c\",\"value\":",
			e->off, e->width, e->dir);
		put_hex_bytes(f, e->value, e->value_hi, e->width);
		break;
	case EV_IRQ_LINE:
		fprintf(f, ",\"intid\":%u,\"level\":%d", e->intid, e->level);
		break;
	case EV_IRQ_ENTER: case EV_IRQ_ACK: case EV_IRQ_EOI:
		fprintf(f, ",\"intid\":%u", e->intid);
		break;
	case EV_ATTACH: case EV_DETACH: case EV_FIND:
		fprintf(f, ",\"region\":");
		put_str(f, e->region);
		fprintf(f, ",\"idx\":%d,\"shmem\":\"0x%" PRIx64 "\",\"status\":%d",
			e->idx, e->shmem, e->status);
		break;
	case EV_NOTIFY:
		fprintf(f, ",\"region\":");
		put_str(f, e->region);
		fprintf(f, ",\"from\":%u,\"mask\":\"0x%" PRIx32 "\",\"targets\":\"0x%" PRIx32 "\"",
			e->from, e->mask, e->targets);
		break;
	case EV_STATUS:
		fprintf(f, ",\"region\":");
		put_str(f, e->region);
		fprintf(f, ",\"idx\":%d,\"value\":\"0x%" PRIx64 "\"", e->idx, e->value);
		break;
	case EV_MARK:
		fprintf(f, ",\"value\":%" PRId64, e->code);
		break;
	case EV_FAIL:
		fprintf(f, ",\"id\":%" PRId64, e->code);
		break;
	case EV_EXIT:
		fprintf(f, ",\"code\":%" PRId64, e->code);
		break;
	case EV_HVC:
		fprintf(f, ",\"x0\":\"0x%" PRIx64 "\"", (uint64_t)e->code);
		break;
	case EV_CONSOLE: case EV_NOTE:
		fprintf(f, ",\"text\":");
		put_str(f, e->text);
		break;
	case EV_SWITCH:
		fprintf(f, ",\"to\":");
		put_str(f, e->to < 0 ? "" : vm_names ? vm_names[e->to] : "?");
		fprintf(f, ",\"reason\":");
		put_str(f, e->text);
		break;
	case EV_FAULT:
		fprintf(f, ",\"fault\":");
		put_str(f, e->fault_kind);
		fprintf(f, ",\"addr\":\"0x%" PRIx64 "\",\"insn\":", e->addr);
		put_str(f, e->text);
		break;
	case EV_RACE:
		fprintf(f, ",\"race\":");
		put_str(f, e->dev);
		fprintf(f, ",\"report\":%" PRId64 ",\"addr\":\"0x%" PRIx64 "\",\"text\":",
			e->code, e->addr);
		put_str(f, e->text);
		break;
	case EV_WFI: case EV_WAKE: case EV_KIND_COUNT:
		break;
	}
	fputc('}', f);
}

int evlog_write_jsonl(const struct evlog *log, FILE *f, const char *const *vm_names)
{
	struct ev e;
	for (size_t i = 0; i < log->n; i++) {
		ev_write_json(f, evlog_get(log, i, &e), vm_names);
		fputc('\n', f);
	}
	return ferror(f) ? -1 : 0;
}
