/* event.h - one thing that happened in a run: the record every module of
 * the machine and every device model emits (CONTRACT section 5). The log
 * that keeps them in simulated order is sim/evlog.h. */
#ifndef HVSIM_EVENT_H
#define HVSIM_EVENT_H

#include <stdint.h>

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
	EV_RACE,    /* race mode: a data race or missing barrier (dev: its kind,
		     * code: its index in the run's reports, text: in words) */
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

#endif
