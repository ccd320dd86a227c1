/* race.h - happens-before race detection on shared-region data and barrier
 * awareness (docs/races.md), as a pure model: no Unicorn here. The machine
 * (system.c) feeds it every access to shared data pages, every barrier the
 * guests execute and the synchronisation the device makes (notify, status
 * reads, interrupts taken, attach/detach/factory requests); it keeps one
 * vector clock per actor (each VM and the host) and per shared byte the last
 * write and each actor's last read (FastTrack), and hands back reports.
 */
#ifndef HVSIM_RACE_H
#define HVSIM_RACE_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>

/* Memory-order flags of one access (insn.h insn_mem_order decides them). */
enum { RACE_ATOMIC = 1, RACE_ACQUIRE = 2, RACE_RELEASE = 4 };

enum race_kind {
	RACE_DATA,            /* two unordered accesses, one a write, not both atomic */
	RACE_STORE_BARRIER,   /* data store, then the notify doorbell, no barrier between */
	RACE_LOAD_BARRIER,    /* status read, then a data load, no barrier between */
};

/* One access as a report shows it. */
struct race_side {
	int vm;                 /* VM index, or -1 for the host */
	uint64_t pc;            /* 0 for the host */
	char sym[64];           /* "main+0x14", "" when no symbol covers pc */
	uint64_t addr;          /* guest address in that VM (host: region offset) */
	char region[64];        /* region name, or the device ("shmem0.ctl1") */
	uint64_t off;           /* offset in the region's data (or the register) */
	unsigned width;         /* bytes */
	uint64_t value;         /* the bytes read or written (low 8) */
	char dir;               /* 'r' or 'w' */
	bool atomic;
	uint64_t clock;         /* system clock at the access */
	uint64_t seq;           /* event-log length at the access: its place in the timeline */
};

struct race_report {
	enum race_kind kind;
	struct race_side first, second;   /* in execution order */
	char why[1024];                    /* the missing happens-before chain, in words */
};

/* An access given to the detector. host: the shared bytes (keys the shadow,
 * so a page mapped at different addresses in two VMs is one location). */
struct race_mem {
	int actor;              /* 0..n_vms-1, or race_host_actor() */
	const uint8_t *host;
	unsigned len;
	bool write;
	unsigned order;         /* RACE_* flags */
	uint64_t pc, addr, value, clock, seq;
};

/* Filled in when a report is made (names are only needed then):
 * the symbol of s->pc in VM s->vm, and the region and offset of `host`
 * (NULL for device accesses, whose region the caller has set). */
typedef void (*race_describe_fn)(void *ctx, struct race_side *s, const uint8_t *host);

struct race_det;

/* names[i]: VM i's name, for the reports' words (kept, not copied). */
struct race_det *race_new(int n_vms, const char *const *names, race_describe_fn describe,
			  void *ctx);
void race_free(struct race_det *d);
int race_host_actor(const struct race_det *d);

/* Synchronisation objects: the device (requests it serialises), each
 * actor's inbox (notifies to it), each VM's marks (host steps they trigger). */
int race_obj_device(const struct race_det *d);
int race_obj_inbox(const struct race_det *d, int actor);
int race_obj_marks(const struct race_det *d, int vm);
void race_release(struct race_det *d, int actor, int obj);
void race_acquire(struct race_det *d, int actor, int obj);

/* A load or store to shared data. Returns the number of new reports. */
int race_mem_access(struct race_det *d, const struct race_mem *m);
/* A barrier executed: `stores` orders earlier stores before later stores
 * (DMB/DSB ST or full, shareable domain); `loads` earlier loads before later
 * accesses (LD or full). A store barrier is a release fence for the VM's
 * next shared store, a load barrier an acquire fence for its last loads
 * (docs/races.md, "Fences"). Returns the number of new reports. */
int race_barrier(struct race_det *d, int actor, bool stores, bool loads);
/* The doorbell (a store to a notify register, Device memory): a data store
 * not yet followed by a barrier is a report unless the doorbell store is a
 * store-release. dev names the register's page. */
int race_doorbell(struct race_det *d, const struct race_mem *m, const char *dev, uint64_t off);
/* A status read (Device memory): later data loads need a barrier between,
 * unless the read is a load-acquire. Returns the number of new reports
 * (a device access ends the VM's pending loads: see race_finish). */
int race_status_read(struct race_det *d, const struct race_mem *m, const char *dev, uint64_t off);
/* The end of the run: loads still waiting for a load barrier are plain
 * (the races held back on them are reported). Returns the number. */
int race_finish(struct race_det *d);

/* The reports so far, in the order they were found (distinct pairs of
 * accesses: the same two instructions of the same two actors report once). */
const struct race_report *race_reports(const struct race_det *d, int *n);

const char *race_kind_name(enum race_kind k);   /* "data-race", "missing-barrier-store", ... */
int race_kind_parse(const char *s);             /* -1 when unknown */

#endif
