/* evlog.h - the event log: the one record of a run (CONTRACT section 5).
 *
 * Every module appends events here; expectations, reports, the debugger and
 * benchmarks read them back. Events are appended in simulated order, so the
 * log is deterministic for a given scenario, seed and schedule.
 */
#ifndef HVSIM_EVLOG_H
#define HVSIM_EVLOG_H

#include <stdint.h>
#include <stdio.h>
#include <stddef.h>
#include <stdbool.h>

#include "vdev/event.h"

/* Where event i lives in the record bytes, with what scans filter on. */
struct ev_idx {
	uint32_t off;         /* its record: block << EV_REC_SHIFT | offset in it (EV_AT_BLOCK),
			       * or its place among the log's mmio events (EV_AT_RING) */
	int16_t vm;           /* EV_HOST, a VM index, or EV_VM_WIDE (then in the record) */
	uint8_t kind;
	uint8_t at;           /* where its record is: enum ev_at */
};
enum ev_at { EV_AT_BLOCK, EV_AT_RING, EV_AT_NONE };
#define EV_VM_WIDE INT16_MIN

/* Strings stored once (device names, regions, console lines, fault kinds):
 * an id names each; the text stays put while the log lives. */
struct ev_strs {
	char **s;             /* id -> text */
	uint32_t n, cap;
	uint32_t *hash;       /* open addressing: id + 1, 0 = empty */
	uint32_t hcap;
	char *chunk;          /* current arena chunk */
	size_t chunk_used, chunk_cap;
	char **chunks;
	size_t n_chunks;
};

/* The last short name stored (a cache in front of ev_strs). */
struct ev_last {
	char s[24];
	size_t len;
	int64_t id;
};

/* The log keeps each event compactly: a small index entry and a record of
 * the fields that are not zero (varints), strings as ids. seq is the index. */
#define EV_BLOCK_SHIFT 21     /* blocks of 2 MiB (a huge page) */
#define EV_IDX_SHIFT 18       /* index entries per block: 1 << this */
#define EV_REC_SHIFT EV_BLOCK_SHIFT /* record bytes per block: 1 << this */
/* An mmio event in the ring: its fields, in a third of a struct ev (the
 * ring is written once per device access). full: the event has fields an
 * mmio event does not, and is in ring_full instead. */
struct ev_ring {
	uint64_t clock, icount, pc, off, value, value_hi;
	int vm;
	unsigned width;
	char dir;
	bool full;
	char dev[24];
};

struct evlog {
	struct ev_idx **idx;  /* blocks: growth copies nothing (promote_first) */
	size_t n, n_idx;
	uint8_t **rec;
	size_t n_rec, rec_used; /* bytes used in the last record block */
	bool idx_moved, rec_moved; /* each list's first block moved to a huge page (or tried) */
	struct ev_strs strs;
	struct ev_last last_dev, last_fault;
	size_t mmio_cap;      /* mmio events beyond this many are counted, not kept */
	size_t mmio_kept;
	size_t mmio_dropped;
	size_t total_cap;     /* any events beyond this many are counted, not kept */
	size_t dropped;
	/* What is kept of the records (evlog_keep; by default all of them). */
	uint32_t keep_kinds;  /* bit k: every record of kind k */
	size_t keep_head;     /* the records of the first this many events that are not mmio */
	size_t head_seen;     /* events that are not mmio so far */
	struct ev_ring *ring; /* the last ring_cap mmio events, when mmio's records are not kept */
	struct ev *ring_full; /* the same places, for mmio events with other fields (ev_ring.full) */
	size_t ring_cap, ring_n;
	size_t ring_at;       /* ring_n % ring_cap: the next event's place */
	/* Streaming (evlog_stream): each event written out as it is appended. */
	FILE *out;
	const char *const *out_names;
};

void evlog_init(struct evlog *log);
void evlog_free(struct evlog *log);
/* Keep only what later readers need. Every event keeps its index entry
 * (seq, kind, VM: scans and counts see every event); the records (the other
 * fields) are kept for: every event of a kind in `kinds` (bit k for kind k),
 * the first `head` events that are not mmio, the last `mmio_tail` mmio events
 * (in a ring). evlog_get of any other event gives its seq, kind and VM with
 * the rest zero (evlog_has says which). Set before the first append.
 * Returns 0, or -1 when out of memory (then everything is kept). */
#define EV_KINDS_ALL ((uint32_t)((1ull << EV_KIND_COUNT) - 1))
int evlog_keep(struct evlog *log, uint32_t kinds, size_t head, size_t mmio_tail);
/* Write each event to f as a JSON Lines line when it is appended (what
 * evlog_write_jsonl would write at the end, byte for byte). vm_names must
 * live as long as the log. NULL: stop. */
void evlog_stream(struct evlog *log, FILE *f, const char *const *vm_names);
/* Whether event i's record was kept (evlog_keep). */
bool evlog_has(const struct evlog *log, size_t i);
/* Append *e (strings are copied once into the log); its seq is the log's
 * length before. Returns that seq, or -1 when the event was counted, not kept. */
int64_t evlog_append(struct evlog *log, const struct ev *e);
/* Going back (explore's prefix snapshots): a mark records the log's length
 * and counters; rewinding drops every event appended since, so appending the
 * same events again gives the same log. Strings stored since stay stored
 * (unused). -1 (nothing changed) when the log streams, or when its mmio ring
 * has overwritten an event it held at the mark. */
struct evlog_mark {
	size_t n, n_rec, rec_used, mmio_kept, mmio_dropped, dropped, head_seen, ring_n;
};
void evlog_mark(const struct evlog *log, struct evlog_mark *m);
int evlog_rewind(struct evlog *log, const struct evlog_mark *m);
/* Event i (i < log->n) decoded into *buf, which is returned. Its strings
 * belong to the log and live as long as it does. */
const struct ev *evlog_get(const struct evlog *log, size_t i, struct ev *buf);
static inline const struct ev_idx *evlog_idx(const struct evlog *log, size_t i)
{
	return &log->idx[i >> EV_IDX_SHIFT][i & ((1u << EV_IDX_SHIFT) - 1)];
}
static inline enum ev_kind evlog_kind(const struct evlog *log, size_t i)
{
	return (enum ev_kind)evlog_idx(log, i)->kind;
}
int evlog_vm(const struct evlog *log, size_t i);
const char *ev_kind_name(enum ev_kind k);
/* Write one event as a JSON object (no newline). vm_names maps vm index to name. */
void ev_write_json(FILE *f, const struct ev *e, const char *const *vm_names);
/* Write the whole log as JSON Lines. Returns 0 or -1 on I/O error. */
int evlog_write_jsonl(const struct evlog *log, FILE *f, const char *const *vm_names);

#endif
