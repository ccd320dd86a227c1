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

#define EV_HOST (-1) /* ev.vm for events made by the hypervisor host */

enum ev_kind {
	EV_MMIO,
	EV_IRQ_LINE,
	EV_IRQ_ENTER,
	EV_IRQ_ACK,
	EV_IRQ_EOI,
	EV_ATTACH,
	EV_DETACH,
	EV_NOTIFY,
	EV_STATUS,  /* host status read (HST-1): value = bits read */
	EV_MARK,
	EV_FAIL,
	EV_EXIT,
	EV_CONSOLE,
	EV_SWITCH,
	EV_WFI,
	EV_WAKE,
	EV_FAULT,
	EV_HVC,     /* unsupported hvc, logged (CONTRACT 2) */
	EV_NOTE,    /* a guest mistake or model remark: text says what */
	EV_FIND,    /* a find by index reported a live connection again (CRE-7) */
	EV_KIND_COUNT
};

/* One event. Only the fields of its kind are meaningful (CONTRACT 5);
 * the rest are zero. Strings are owned by the log once appended. */
struct ev {
	uint64_t seq;     /* filled by evlog_append */
	uint64_t clock;   /* system clock (sum of all VMs' retired instructions) */
	uint64_t icount;  /* this VM's retired instructions */
	uint64_t pc;
	int vm;           /* index in the scenario's vms, or EV_HOST */
	enum ev_kind kind;

	/* mmio */
	char dev[24];     /* "shmem0.factory", "shmem0.ctl3", "gicd", ... */
	uint64_t off;
	unsigned width;   /* bytes, 1..16 */
	char dir;         /* 'r' or 'w' */
	uint64_t value;   /* low 8 bytes */
	uint64_t value_hi;/* bytes 8..15 for 16-byte accesses */

	/* irq-line / irq-enter / irq-ack / irq-eoi */
	uint32_t intid;
	int level;

	/* attach / detach / notify / status */
	char *region;     /* global region name (after subst) */
	int idx;          /* connection index, -1 if none */
	uint64_t shmem;   /* control page address, 0 for host or failure */
	int status;       /* GSS_* */
	uint32_t from;    /* notify: sender index */
	uint32_t mask;    /* notify: mask written */
	uint32_t targets; /* notify: set of indices notified */

	/* mark value, fail id, exit code, hvc x0 */
	int64_t code;

	/* console text, fault kind (in fault_kind) + insn (in text), switch reason, note */
	char *text;
	char fault_kind[20];
	uint64_t addr;    /* fault address */
	int to;           /* switch: VM switched to (-1: none) */
};

struct evlog {
	struct ev *ev;
	size_t n, cap;
	size_t mmio_cap;      /* mmio events beyond this many are counted, not kept */
	size_t mmio_kept;
	size_t mmio_dropped;
	size_t total_cap;     /* any events beyond this many are counted, not kept */
	size_t dropped;
};

void evlog_init(struct evlog *log);
void evlog_free(struct evlog *log);
/* Append a copy of *e (strings are duplicated); sets seq. Returns the stored event. */
struct ev *evlog_append(struct evlog *log, const struct ev *e);
const char *ev_kind_name(enum ev_kind k);
/* Write one event as a JSON object (no newline). vm_names maps vm index to name. */
void ev_write_json(FILE *f, const struct ev *e, const char *const *vm_names);
/* Write the whole log as JSON Lines. Returns 0 or -1 on I/O error. */
int evlog_write_jsonl(const struct evlog *log, FILE *f, const char *const *vm_names);

#endif
