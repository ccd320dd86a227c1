/* syssnap.c - snapshots of a whole system where its run paused between
 * scheduling steps (system.h): every VM (vm_snap), GIC, PCI host, the
 * shmem model, the platform devices, interrupt line sources, the event
 * log, the scheduler and the run loop's own state. Restoring one and
 * resuming runs exactly as the run from that point did, whatever ran in
 * between; the engines keep their translated code. */
#include <stdlib.h>
#include <string.h>
#include "system_internal.h"
#include "gic.h"
#include "vdev/pci.h"
#include "vdev/shmem.h"

struct slot_snap {
	struct vm_snap *vm;
	uint8_t *gic, *pci;
	bool irq_seen;
	uint64_t committed;
	struct line_src *lines; int n_lines;
	size_t uart_len, uart_line_start;
	uint32_t argsel; int n_fails;
};

struct sys_snap {
	struct slot_snap *slots;
	struct shm_snap *shm;
	struct evlog_mark log;
	uint64_t clock, acc_rd, acc_wr, data_hash;
	struct run_state rs;
	struct sys_stop stop;
	bool *host_fired; int *host_queue; int n_queue;
	struct sched_force *forced; int n_forced;
	struct sched sched;
};

uint64_t system_next_point(const struct system *s)
{
	return s->sched.points;
}

void system_snap_free(struct system *s, struct sys_snap *sn)
{
	if (!sn)
		return;
	for (int i = 0; sn->slots && i < s->n; i++) {
		struct slot_snap *c = &sn->slots[i];
		vm_snap_free(c->vm);
		free(c->gic);
		free(c->pci);
		free(c->lines);
	}
	free(sn->slots);
	if (sn->shm)
		shm_snap_free(s->shm, sn->shm);
	free(sn->host_fired);
	free(sn->host_queue);
	free(sn->forced);
	free(sn);
}

static void *dup_bytes(const void *p, size_t n)
{
	void *d = malloc(n + 1);
	if (d && n)
		memcpy(d, p, n);
	return d;
}

static int slot_take(const struct slot *sl, struct slot_snap *c)
{
	c->irq_seen = sl->irq_seen;
	c->committed = sl->committed;
	c->n_lines = sl->n_lines;
	c->uart_len = sl->uart.len;
	c->uart_line_start = sl->uart.line_start;
	c->argsel = sl->td.argsel;
	c->n_fails = sl->td.n_fails;
	if (!(c->vm = vm_snap_take(sl->vm)) || !(c->gic = malloc(gic_state_size())) ||
	    !(c->lines = dup_bytes(sl->lines, (size_t)sl->n_lines * sizeof(*sl->lines))))
		return -1;
	gic_save(sl->gic, c->gic);
	if (sl->pci) {
		if (!(c->pci = malloc(pci_state_size())))
			return -1;
		pci_save(sl->pci, c->pci);
	}
	return 0;
}

struct sys_snap *system_snap_take(struct system *s)
{
	/* Between scheduling steps only; not with a debugger, race mode,
	 * watchpoints or a streamed log (what was written stays written). */
	if (s->running >= 0 || s->rs.in_quantum || s->dbg_vm >= 0 || s->race || s->n_watches ||
	    s->log.out)
		return NULL;
	struct sys_snap *sn = calloc(1, sizeof(*sn));
	if (!sn)
		return NULL;
	sn->slots = calloc((size_t)s->n + 1, sizeof(*sn->slots));
	if (!sn->slots)
		goto fail;
	for (int i = 0; i < s->n; i++)
		if (slot_take(&s->slots[i], &sn->slots[i]))
			goto fail;
	if (s->shm && !(sn->shm = shm_snap_take(s->shm)))
		goto fail;
	evlog_mark(&s->log, &sn->log);
	sn->clock = s->clock;
	sn->acc_rd = s->acc_rd;
	sn->acc_wr = s->acc_wr;
	sn->data_hash = s->data_hash;
	sn->rs = s->rs;
	sn->stop = s->stop;
	sn->n_queue = s->n_queue;
	sn->n_forced = s->schedule.n_forced;
	sn->sched = s->sched;
	if (!(sn->host_fired = dup_bytes(s->host_fired, (size_t)s->m->n_host * sizeof(bool))) ||
	    !(sn->host_queue = dup_bytes(s->host_queue, (size_t)s->m->n_host * sizeof(int))) ||
	    !(sn->forced = dup_bytes(s->schedule.forced,
				     (size_t)sn->n_forced * sizeof(*sn->forced))))
		goto fail;
	return sn;
fail:
	system_snap_free(s, sn);
	return NULL;
}

static int slot_restore(struct slot *sl, const struct slot_snap *c)
{
	if (vm_snap_restore(sl->vm, c->vm))
		return -1;
	gic_load(sl->gic, c->gic);
	if (sl->pci)
		pci_load(sl->pci, c->pci);
	sl->irq_seen = c->irq_seen;
	sl->committed = c->committed;
	if (c->n_lines > sl->cap_lines) {
		struct line_src *l = realloc(sl->lines, (size_t)c->n_lines * sizeof(*l));
		if (!l)
			return -1;
		sl->lines = l;
		sl->cap_lines = c->n_lines;
	}
	if (c->n_lines)
		memcpy(sl->lines, c->lines, (size_t)c->n_lines * sizeof(*sl->lines));
	sl->n_lines = c->n_lines;
	/* The console and the FAIL list only grow: cut back. */
	sl->uart.len = c->uart_len;
	sl->uart.line_start = c->uart_line_start;
	if (sl->uart.console)
		sl->uart.console[sl->uart.len] = 0;
	sl->td.argsel = c->argsel;
	sl->td.n_fails = c->n_fails;
	return 0;
}

int system_snap_restore(struct system *s, const struct sys_snap *sn)
{
	if (s->running >= 0 || s->dbg_vm >= 0 || s->race || s->n_watches || s->log.out)
		return -1;
	for (int i = 0; i < s->n; i++)
		if (!vm_snap_fits(s->slots[i].vm, sn->slots[i].vm))
			return -1;   /* all or none */
	if (sn->n_forced > s->schedule.n_forced) {
		struct sched_force *f = realloc(s->schedule.forced,
						(size_t)sn->n_forced * sizeof(*f));
		if (!f)
			return -1;
		s->schedule.forced = f;
	}
	/* The shmem objects first: the VMs' maps point at them. */
	if (sn->shm && shm_snap_restore(s->shm, sn->shm))
		return -1;
	for (int i = 0; i < s->n; i++)
		if (slot_restore(&s->slots[i], &sn->slots[i]))
			return -1;
	if (evlog_rewind(&s->log, &sn->log))
		return -1;
	s->clock = sn->clock;
	s->acc_rd = sn->acc_rd;
	s->acc_wr = sn->acc_wr;
	s->data_hash = sn->data_hash;
	s->rs = sn->rs;
	s->stop = sn->stop;
	memcpy(s->host_fired, sn->host_fired, (size_t)s->m->n_host * sizeof(bool));
	memcpy(s->host_queue, sn->host_queue, (size_t)s->m->n_host * sizeof(int));
	s->n_queue = sn->n_queue;
	if (sn->n_forced)
		memcpy(s->schedule.forced, sn->forced, (size_t)sn->n_forced * sizeof(*sn->forced));
	s->schedule.n_forced = sn->n_forced;
	/* The scheduler: its counters back, its trace cut back, the forced
	 * list the system's (branch_and_record appends to it). */
	s->sched.rng = sn->sched.rng;
	s->sched.points = sn->sched.points;
	s->sched.next_forced = sn->sched.next_forced;
	s->sched.n_trace = sn->sched.n_trace;
	s->sched.cfg.forced = s->schedule.forced;
	s->sched.cfg.n_forced = s->schedule.n_forced;
	return 0;
}
