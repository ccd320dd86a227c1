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

#include "vdev/event.h"

/* Where event i lives in the record bytes, with what scans filter on. */
struct ev_idx {
	uint32_t off;         /* its record: block << EV_REC_SHIFT | offset in it */
	int16_t vm;           /* EV_HOST, a VM index, or EV_VM_WIDE (then in the record) */
	uint8_t kind;
	uint8_t spare;
};
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
struct evlog {
	struct ev_idx **idx;  /* blocks: they never move, growth copies nothing */
	size_t n, n_idx;
	uint8_t **rec;
	size_t n_rec, rec_used; /* bytes used in the last record block */
	struct ev_strs strs;
	struct ev_last last_dev, last_fault;
	size_t mmio_cap;      /* mmio events beyond this many are counted, not kept */
	size_t mmio_kept;
	size_t mmio_dropped;
	size_t total_cap;     /* any events beyond this many are counted, not kept */
	size_t dropped;
};

void evlog_init(struct evlog *log);
void evlog_free(struct evlog *log);
/* Append *e (strings are copied once into the log); its seq is the log's
 * length before. Returns that seq, or -1 when the event was counted, not kept. */
int64_t evlog_append(struct evlog *log, const struct ev *e);
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
