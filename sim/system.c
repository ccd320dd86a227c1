/* system.c - build a system from a machine description and run it: one
 * clock, one scheduler, one log (ARCHITECTURE rule 2).
 *
 * The run loop hands a VM a quantum; inside it the VM runs in slices that end
 * exactly where the loop has work: an IRQ to deliver (GIC-5), a host step to
 * fire (CONTRACT 3 `host`), a scheduling point (GIC-8), a stop.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "system.h"
#include "system_internal.h"
#include "vm.h"
#include "gic.h"
#include "gicv2_regs.h"
#include "platdev.h"
#include "race.h"
#include "insn.h"
#include "snapshot.h"
#include "vdev/shmem.h"
#include "vdev/pci.h"
#include "vdev/shmem_regs.h"

#define TESTDEV_BASE 0x09010000ull
#define UART_BASE    0x09000000ull

static int watch_sync(struct system *s);

/* ---- clocks and events -------------------------------------------------- */

static uint64_t live_clock(const struct system *s)
{
	if (s->running < 0)
		return s->clock;
	const struct slot *sl = &s->slots[s->running];
	return s->clock - sl->committed + vm_icount(sl->vm);
}

uint64_t system_clock(const struct system *s) { return live_clock(s); }

static void race_on_event(struct system *s, const struct ev *e);

static void sys_emit(struct system *s, int vm, struct ev *e)
{
	e->vm = vm;
	e->clock = live_clock(s);
	if (vm >= 0) {
		e->icount = vm_icount(s->slots[vm].vm);
		e->pc = vm_pc(s->slots[vm].vm);
	} else {
		e->icount = 0;
		e->pc = 0;
	}
	int64_t seq = evlog_append(&s->log, e);
	if (s->race && e->kind != EV_RACE) {
		struct ev stored = *e;
		if (seq >= 0)
			stored.seq = (uint64_t)seq;
		race_on_event(s, &stored);
	}
}

static void slot_emit(void *ctx, struct ev *e)
{
	struct slot *sl = ctx;
	sys_emit(sl->sys, sl->index, e);
}

static void host_emit(void *ctx, struct ev *e)
{
	sys_emit(ctx, EV_HOST, e);
}

static void vm_env_emit(void *ctx, struct vm *vm, struct ev *e)
{
	sys_emit(ctx, vm_index(vm), e);
}

/* ---- interrupt lines (wired-OR, IRQ-1) ------------------------------------ */

static bool line_level(const struct slot *sl, uint32_t intid)
{
	for (int i = 0; i < sl->n_lines; i++)
		if (sl->lines[i].intid == intid)
			return true;
	return false;
}

static void wake_if_signalled(struct slot *sl)
{
	/* GIC-6: a VM in wfi wakes when an interrupt would be signalled, even
	 * with PSTATE.I set. */
	if (vm_state(sl->vm) == VM_SLEEPING && gic_irq_signalled(sl->gic)) {
		vm_set_state(sl->vm, VM_RUNNABLE);
		struct ev e = { .kind = EV_WAKE };
		sys_emit(sl->sys, sl->index, &e);
	}
}

static void slot_set_line(void *ctx, void *source, uint32_t intid, int level)
{
	struct slot *sl = ctx;
	bool before = line_level(sl, intid);
	int at = -1;
	for (int i = 0; i < sl->n_lines; i++)
		if (sl->lines[i].src == source && sl->lines[i].intid == intid)
			at = i;
	if (level && at < 0) {
		if (sl->n_lines == sl->cap_lines) {
			int cap = sl->cap_lines ? sl->cap_lines * 2 : 8;
			struct line_src *n = realloc(sl->lines, cap * sizeof(*n));
			if (!n)
				return;
			sl->lines = n;
			sl->cap_lines = cap;
		}
		sl->lines[sl->n_lines++] = (struct line_src){ source, intid };
	} else if (!level && at >= 0) {
		sl->lines[at] = sl->lines[--sl->n_lines];
	}
	bool after = line_level(sl, intid);
	if (before == after)
		return;
	if (sl->sys->track && sl->index < ACC_MAX_VMS)
		sl->sys->acc_wr |= ACC_GIC(sl->index);
	struct ev e = { .kind = EV_IRQ_LINE, .intid = intid, .level = after };
	sys_emit(sl->sys, sl->index, &e);
	gic_set_input(sl->gic, intid, after);
	wake_if_signalled(sl);
	if (vm_running(sl->vm) && gic_irq_signalled(sl->gic))
		vm_request_stop(sl->vm, VMX_INTERNAL);   /* deliver at the next boundary */
}

/* ---- address space, for the device models -------------------------------- */

static int slot_map_mmio(void *ctx, uint64_t addr, uint64_t len, const char *dev,
			 const struct mmio_ops *ops, void *opaque)
{
	return vm_map_mmio(((struct slot *)ctx)->vm, addr, len, dev, ops, opaque);
}

static int slot_map_ram(void *ctx, uint64_t addr, uint64_t len, void *host)
{
	return vm_map_ram(((struct slot *)ctx)->vm, addr, len, host);
}

static void slot_unmap(void *ctx, uint64_t addr, uint64_t len)
{
	vm_unmap(((struct slot *)ctx)->vm, addr, len);
}

static bool slot_range_free(void *ctx, uint64_t addr, uint64_t len)
{
	return vm_range_free(((struct slot *)ctx)->vm, addr, len);
}

static bool overlaps(uint64_t off, unsigned len, uint64_t lo, uint64_t hi)
{
	return off < hi && off + len > lo;
}

/* The dependency relation of explore's partial-order reduction, register by
 * register (docs/explore.md has the table). Only what another VM can also
 * touch is recorded; a VM's own instance registers, RAM, UART, test device
 * and PCI config space are its alone. */
static void vm_env_on_device(void *ctx, struct vm *vm, const struct mmio_ops *ops, uint64_t off,
			     unsigned len, bool is_store)
{
	struct system *s = ctx;
	int i = vm_index(vm);
	if (!s->track)
		return;
	if (ops == &shm_factory_ops) {
		/* Reads see this instance's own last request (FAC-5); name bytes
		 * stay in the instance. A store to size or find is a request:
		 * the global name space, budgets, other VMs' attach lists. */
		if (is_store && (overlaps(off, len, FAC_SIZE, FAC_NAME) ||
				 overlaps(off, len, FAC_FIND, FAC_FIND + 4)))
			s->acc_wr |= ACC_SHM;
	} else if (ops == &shm_ctl_ops) {
		/* STATUS reads clear pending bits others set (CTL-2); NOTIFY and
		 * DETACH change others' state; IDX and the read-only stores only
		 * look at whether the connection still lives (a host may detach). */
		if (is_store ? overlaps(off, len, CTL_NOTIFY, CTL_DETACH + 4) :
			       overlaps(off, len, CTL_STATUS, CTL_STATUS + 4))
			s->acc_wr |= ACC_SHM;
		else
			s->acc_rd |= ACC_SHM;
	} else if ((ops == &gicd_ops || ops == &gicc_ops) && i < ACC_MAX_VMS) {
		/* A VM's GIC is its own, but shmem drives its lines: every access
		 * (IAR acknowledges, pending reads see lines) counts as a write. */
		s->acc_wr |= ACC_GIC(i);
	}
}

/* The end of a stretch at a scheduling point (or at the end of the run):
 * its VM read its GIC when an interrupt could have been delivered to it, and
 * the shared data of its connections; the data changed if its hash did. */
static void acc_close(struct system *s, int cur, uint64_t *rd, uint64_t *wr)
{
	*rd = s->acc_rd;
	*wr = s->acc_wr;
	if (cur >= 0 && cur < s->n && cur < ACC_MAX_VMS) {
		struct slot *sl = &s->slots[cur];
		if (gic_delivery_enabled(sl->gic))
			*rd |= ACC_GIC(cur);
		for (int k = 0; k < sl->n_shm; k++)
			if (shm_inst_maps_data(sl->shm[k]))
				*rd |= ACC_DATA;
	}
	uint64_t h = shm_sys_data_hash(s->shm);
	if (h != s->data_hash)
		*wr |= ACC_DATA;
	s->data_hash = h;
	s->acc_rd = s->acc_wr = 0;
}

void system_track_access(struct system *s, bool on)
{
	s->track = on;
	s->acc_rd = s->acc_wr = 0;
	s->data_hash = shm_sys_data_hash(s->shm);
}

void system_tail_access(struct system *s, uint64_t *rd, uint64_t *wr)
{
	*rd = *wr = 0;
	if (s->track)
		acc_close(s, s->rs.cur, rd, wr);
}

static void vm_env_after_access(void *ctx, struct vm *vm, bool sched_point)
{
	struct system *s = ctx;
	struct slot *sl = &s->slots[vm_index(vm)];
	if (sched_point && s->sched.stop_at_devices)
		vm_request_stop(vm, VMX_POINT);
	if (s->n_unresolved)           /* a watched region may come to exist: look now */
		vm_request_stop(vm, VMX_INTERNAL);
	/* A GIC write (enable, PMR, EOI, SGI) may make an IRQ deliverable now:
	 * stop so it is taken at the next boundary (GIC-5). When PSTATE.I masks
	 * it, stop once as it appears, so the loop re-slices the rest of the
	 * quantum by irq_check and sees the unmask in time. */
	bool sig = gic_irq_signalled(sl->gic);
	if (sig && (!sl->irq_seen || !vm_irqs_masked(vm)))
		vm_request_stop(vm, VMX_INTERNAL);
	sl->irq_seen = sig;
}

/* ---- host steps (CONTRACT 3 `host`, SPEC HST) ----------------------------- */

static void queue_host(struct system *s, int i)
{
	if (s->host_fired[i])
		return;
	s->host_fired[i] = true;
	s->host_queue[s->n_queue++] = i;
}

/* The test device saw a mark: host steps waiting on it fire (CONTRACT 3). */
static void slot_mark(void *ctx, int64_t value)
{
	struct slot *sl = ctx;
	struct system *s = sl->sys;
	for (int i = 0; i < s->m->n_host; i++) {
		const struct host_step *h = &s->m->host[i];
		if (h->trig == TRIG_MARK && h->mark_vm == sl->index && h->mark_value == value &&
		    !s->host_fired[i]) {
			queue_host(s, i);
			vm_request_stop(sl->vm, VMX_INTERNAL);
		}
	}
}

static void race_host_step(struct system *s, const struct host_step *h);

static void run_host_step(struct system *s, const struct host_step *h)
{
	uint32_t v;
	if (s->race)
		race_host_step(s, h);
	switch (h->op) {
	case HOST_ATTACH: shm_host_attach(s->shm, h->id, h->name, h->pages); break;
	case HOST_NOTIFY: shm_host_notify(s->shm, h->id, h->mask); break;
	case HOST_STATUS: shm_host_status(s->shm, h->id, &v); break;
	case HOST_WRITE:  shm_host_write(s->shm, h->id, h->offset, h->data, h->data_len); break;
	case HOST_DETACH: shm_host_detach(s->shm, h->id); break;
	}
}

/* Fire due instruction triggers, then run queued steps in list order. */
static void run_host_steps(struct system *s)
{
	for (int i = 0; i < s->m->n_host; i++) {
		const struct host_step *h = &s->m->host[i];
		if (h->trig == TRIG_INSTRUCTIONS && !s->host_fired[i] && s->clock >= h->at_instructions)
			queue_host(s, i);
	}
	if (!s->n_queue)
		return;
	/* Steps that fire together run in list order. */
	for (int a = 1; a < s->n_queue; a++)
		for (int b = a; b > 0 && s->host_queue[b - 1] > s->host_queue[b]; b--) {
			int t = s->host_queue[b];
			s->host_queue[b] = s->host_queue[b - 1];
			s->host_queue[b - 1] = t;
		}
	int n = s->n_queue;
	s->n_queue = 0;
	if (s->track)   /* the host touches any region and any VM's lines */
		s->acc_wr |= ACC_SHM | ACC_DATA | (s->n < ACC_MAX_VMS ? ((1ull << s->n) - 1) << 2 :
						   ~(ACC_SHM | ACC_DATA));
	for (int i = 0; i < n; i++)
		run_host_step(s, &s->m->host[s->host_queue[i]]);
	for (int i = 0; i < s->n; i++)
		wake_if_signalled(&s->slots[i]);
}

/* Instructions until the next instruction-triggered host step (0: none). */
static uint64_t next_host_deadline(const struct system *s)
{
	uint64_t best = 0;
	for (int i = 0; i < s->m->n_host; i++) {
		const struct host_step *h = &s->m->host[i];
		if (h->trig == TRIG_INSTRUCTIONS && !s->host_fired[i] && h->at_instructions > s->clock) {
			uint64_t d = h->at_instructions - s->clock;
			if (!best || d < best)
				best = d;
		}
	}
	return best;
}

/* ---- race mode (docs/races.md) ---------------------------------------------- */

/* Reports the detector made since the last call go into the log, each as
 * one `race` event of the actor of its second access. */
static void race_flush(struct system *s)
{
	int n;
	const struct race_report *rep = race_reports(s->race, &n);
	while (s->race_emitted < n) {
		const struct race_report *r = &rep[s->race_emitted];
		char text[320];
		snprintf(text, sizeof(text), "%s: %s %s 0x%llx (%s+0x%llx) at %s, then %s %s at %s",
			 race_kind_name(r->kind),
			 r->first.vm < 0 ? "host" : s->names[r->first.vm],
			 r->first.dir == 'w' ? "wrote" : "read", (unsigned long long)r->first.addr,
			 r->first.region, (unsigned long long)r->first.off,
			 r->first.sym[0] ? r->first.sym : "?",
			 r->second.vm < 0 ? "host" : s->names[r->second.vm],
			 r->second.dir == 'w' ? "wrote" : "read",
			 r->second.sym[0] ? r->second.sym : "?");
		struct ev e = { .kind = EV_RACE, .code = s->race_emitted, .addr = r->second.addr,
				.text = text };
		snprintf(e.dev, sizeof(e.dev), "%s", race_kind_name(r->kind));
		s->race_emitted++;
		sys_emit(s, r->second.vm < 0 ? EV_HOST : r->second.vm, &e);
	}
}

static void race_describe(void *ctx, struct race_side *sd, const uint8_t *host)
{
	struct system *s = ctx;
	if (sd->vm >= 0 && sd->pc) {
		char buf[sizeof(sd->sym)];
		const char *sym = elf_symbolize(vm_image(s->slots[sd->vm].vm), sd->pc, buf, sizeof(buf));
		snprintf(sd->sym, sizeof(sd->sym), "%s", sym ? sym : "");
	}
	const char *name;
	uint64_t off;
	if (host && shm_region_at(s->shm, host, &name, &off)) {
		snprintf(sd->region, sizeof(sd->region), "%s", name);
		sd->off = off;
	}
}

static int race_actor(const struct system *s, int vm)
{
	return vm < 0 ? race_host_actor(s->race) : vm;
}

static void race_vm_access(void *ctx, struct vm *vm, const uint8_t *host, uint64_t addr,
			   unsigned len, bool write, uint64_t value, uint64_t pc, uint32_t insn)
{
	struct system *s = ctx;
	unsigned o = insn_mem_order(insn);
	struct race_mem m = {
		.actor = vm_index(vm), .host = host, .len = len, .write = write,
		.order = (o & INSN_ATOMIC ? RACE_ATOMIC : 0) | (o & INSN_ACQUIRE ? RACE_ACQUIRE : 0) |
			 (o & INSN_RELEASE ? RACE_RELEASE : 0),
		.pc = pc, .addr = addr, .value = value, .clock = live_clock(s), .seq = s->log.n,
	};
	if (race_mem_access(s->race, &m))
		race_flush(s);
}

static void race_vm_barrier(void *ctx, struct vm *vm, uint64_t pc, uint32_t insn)
{
	struct system *s = ctx;
	bool st, ld;
	(void)pc;
	if (insn_barrier(insn, &st, &ld) && race_barrier(s->race, vm_index(vm), st, ld))
		race_flush(s);
}

/* The device's synchronisation, read off the events it emits. */
static void race_on_event(struct system *s, const struct ev *e)
{
	struct race_det *d = s->race;
	int a = race_actor(s, e->vm);
	switch (e->kind) {
	case EV_MMIO: {
		/* Requests (factory page) and detach are serialised by the device:
		 * acquire and release on it. The doorbell and status reads are the
		 * barrier checks; their edges come from the notify event and here. */
		const char *dot = strchr(e->dev, '.');
		if (!dot || strncmp(e->dev, "shmem", 5))
			break;
		uint32_t insn = 0;
		uint64_t base = 0;
		vm_read_mem(s->slots[e->vm].vm, e->pc, &insn, 4);
		vm_device_base(s->slots[e->vm].vm, e->dev, &base);
		unsigned o = insn_mem_order(insn);
		struct race_mem m = { .actor = a, .len = e->width, .write = e->dir == 'w',
				      .order = (o & INSN_ACQUIRE ? RACE_ACQUIRE : 0) |
					       (o & INSN_RELEASE ? RACE_RELEASE : 0),
				      .pc = e->pc, .addr = base + e->off, .value = e->value,
				      .clock = e->clock, .seq = e->seq };
		if (!strncmp(dot, ".ctl", 4)) {
			if (e->dir == 'w' && e->off == CTL_NOTIFY) {
				if (race_doorbell(d, &m, e->dev, e->off))
					race_flush(s);
			} else if (e->dir == 'r' && e->off < CTL_STATUS + 4) {
				race_acquire(d, a, race_obj_inbox(d, a));
				if (race_status_read(d, &m, e->dev, e->off))
					race_flush(s);
			} else if (e->dir == 'w' && e->off == CTL_DETACH) {
				race_acquire(d, a, race_obj_device(d));
				race_release(d, a, race_obj_device(d));
			}
		} else if (e->dir == 'w') {   /* factory page (or its PCI BAR) */
			race_acquire(d, a, race_obj_device(d));
			race_release(d, a, race_obj_device(d));
		}
		break;
	}
	case EV_NOTIFY:
		/* NTF: the notifier's accesses so far happen before whatever each
		 * target does once it takes the interrupt or reads its status. */
		for (int i = 0; i < SHM_MAX_CLIENTS; i++) {
			if (!(e->targets >> i & 1))
				continue;
			int owner = shm_conn_owner(s->shm, e->region, i);
			if (owner >= -1)
				race_release(d, a, race_obj_inbox(d, race_actor(s, owner)));
		}
		race_release(d, a, race_obj_device(d));
		break;
	case EV_IRQ_ENTER:
		for (int k = 0; e->vm >= 0 && k < s->slots[e->vm].n_shm; k++)
			if (shm_inst_vector(s->slots[e->vm].shm[k]) == e->intid)
				race_acquire(d, a, race_obj_inbox(d, a));
		break;
	case EV_STATUS:
		race_acquire(d, a, race_obj_inbox(d, a));
		break;
	case EV_ATTACH: case EV_DETACH:
		race_acquire(d, a, race_obj_device(d));
		/* IRQ-2: the region's other connections get an attach-list event
		 * (status bits 31:16, the interrupt): a notify of its own kind. */
		if (e->status == GSS_OK && e->region)
			for (int i = 0; i < SHM_MAX_CLIENTS; i++) {
				int owner = shm_conn_owner(s->shm, e->region, i);
				if (owner >= -1 && race_actor(s, owner) != a)
					race_release(d, a, race_obj_inbox(d, race_actor(s, owner)));
			}
		race_release(d, a, race_obj_device(d));
		break;
	case EV_MARK:
		if (e->vm >= 0)
			race_release(d, a, race_obj_marks(d, e->vm));
		break;
	default:
		break;
	}
}

/* A host step takes part like a VM: a mark that triggers it orders the
 * marking VM's accesses before it; a write is an access to shared data. */
static void race_host_write(struct system *s, const struct host_step *h);

static void race_host_step(struct system *s, const struct host_step *h)
{
	struct race_det *d = s->race;
	int host = race_host_actor(d);
	if (h->trig == TRIG_MARK)
		race_acquire(d, host, race_obj_marks(d, h->mark_vm));
	/* The host is the device's side: its steps are serialised with the
	 * requests the device serves (a write before a guest's attach is
	 * ordered before whatever that guest does after attaching). */
	race_acquire(d, host, race_obj_device(d));
	if (h->op == HOST_WRITE && h->data_len)
		race_host_write(s, h);
	race_release(d, host, race_obj_device(d));
}

static void race_host_write(struct system *s, const struct host_step *h)
{
	struct race_det *d = s->race;
	int host = race_host_actor(d);
	const uint8_t *p = shm_host_data(s->shm, h->id, h->offset, h->data_len);
	if (!p)
		return;
	/* A write of 1, 2, 4 or 8 bytes at an offset its size divides is a
	 * store-release (the host hands a flag over as a driver would); longer
	 * ones are plain (docs/races.md). */
	unsigned len = (unsigned)h->data_len;
	bool flag = (len == 1 || len == 2 || len == 4 || len == 8) && !(h->offset & (len - 1));
	struct race_mem m = { .actor = host, .host = p, .len = len, .write = true,
			      .order = flag ? RACE_ATOMIC | RACE_RELEASE : 0,
			      .addr = h->offset, .value = le_get(h->data, len),
			      .clock = s->clock, .seq = s->log.n };
	if (race_mem_access(d, &m))
		race_flush(s);
}

/* This run's hooks on VM vm, before its first translation (a warm VM has
 * them from its first run: they now call this run's detector, s->race). */
static int race_vm_setup(struct system *s, struct vm *vm)
{
	struct vm_race_ops ops = { .ctx = s, .access = race_vm_access, .barrier = race_vm_barrier };
	return vm_race_enable(vm, &ops);
}

const struct race_report *system_races(const struct system *s, int *n)
{
	if (!s->race) {
		*n = 0;
		return NULL;
	}
	return race_reports(s->race, n);
}

/* ---- building ------------------------------------------------------------ */

static int build_slot(struct system *s, int i, char *err, size_t errlen)
{
	struct slot *sl = &s->slots[i];
	const struct mach_vm *v = &s->m->vms[i];
	sl->sys = s;
	sl->index = i;
	sl->cfg = v;
	sl->plat = (struct plat){ .ctx = sl, .emit = slot_emit, .set_line = slot_set_line,
				  .map_mmio = slot_map_mmio, .map_ram = slot_map_ram,
				  .unmap = slot_unmap, .range_free = slot_range_free };
	struct vm_env env = { .ctx = s, .emit = vm_env_emit, .after_access = vm_env_after_access,
			      .on_device = vm_env_on_device };
	const char *strs[v->n_args + 1];
	uint64_t addrs[v->n_args + 1];
	int n_strs = 0;
	for (int a = 0; a < v->n_args; a++)
		if (v->args[a].is_string)
			strs[n_strs++] = v->args[a].str;
	bool race = s->race != NULL;
	sl->vm = s->pool ? vm_pool_take(s->pool, i, &env, addrs, n_strs, race) : NULL;
	if (sl->vm && race && race_vm_setup(s, sl->vm))
		goto race_oom;
	if (!sl->vm) {
		sl->vm = vm_new(i, v->name, v->ram, &env, err, errlen);
		if (!sl->vm)
			return -1;
		if (vm_load(sl->vm, v->program_path, strs, n_strs, addrs, err, errlen))
			return -1;
		if (race && race_vm_setup(s, sl->vm))
			goto race_oom;
		if (s->pool)
			vm_pool_adopt(s->pool, i, sl->vm, addrs, n_strs);   /* else stays cold */
	}
	vm_set_fault_delivery(sl->vm, s->m->profile.fault_delivery == FAULT_GUEST);
	sl->uart = (struct uart){ .plat = &sl->plat };
	sl->td = (struct testdev){ .plat = &sl->plat, .vm = sl->vm, .vmid = (uint32_t)i,
				   .nvms = (uint32_t)s->n, .n_args = (uint32_t)v->n_args,
				   .on_mark = slot_mark, .mark_ctx = sl };
	sl->td.args = calloc(v->n_args + 1, sizeof(*sl->td.args));
	if (!sl->td.args)
		return -1;
	for (int a = 0, k = 0; a < v->n_args; a++)
		sl->td.args[a] = v->args[a].is_string ? addrs[k++] : v->args[a].num;

	sl->gic = gic_new(&sl->plat);
	sl->pci = pci_new(&sl->plat);
	if (!sl->gic || !sl->pci ||
	    vm_map_mmio(sl->vm, GICD_BASE, GIC_FRAME_SIZE, "gicd", &gicd_ops, sl->gic) ||
	    vm_map_mmio(sl->vm, GICC_BASE, GIC_FRAME_SIZE, "gicc", &gicc_ops, sl->gic) ||
	    vm_map_mmio(sl->vm, UART_BASE, PAGE_SIZE, "uart", &uart_ops, &sl->uart) ||
	    vm_map_mmio(sl->vm, TESTDEV_BASE, PAGE_SIZE, "testdev", &testdev_ops, &sl->td) ||
	    vm_map_mmio(sl->vm, PCI_ECAM_BASE, PCI_ECAM_SIZE, "ecam", &pci_ecam_ops, sl->pci)) {
		snprintf(err, errlen, "vms[%d]: cannot lay out the platform devices", i);
		return -1;
	}
	sl->shm = calloc(v->n_shmem + 1, sizeof(*sl->shm));
	if (!sl->shm)
		return -1;
	for (int k = 0; k < v->n_shmem; k++) {
		char e2[256];
		struct shm_inst *in = shm_inst_new(s->shm, &sl->plat, i, k, &v->shmem[k].cfg, e2, sizeof(e2));
		if (!in) {
			snprintf(err, errlen, "vms[%d].shmem[%d]: %s", i, k, e2);
			return -1;
		}
		sl->shm[sl->n_shm++] = in;
		char dev[24];
		snprintf(dev, sizeof(dev), "%s.factory", shm_inst_devname(in));
		if (v->shmem[k].pci) {
			if (pci_add_shmem(sl->pci, in) < 0) {
				snprintf(err, errlen, "vms[%d].shmem[%d]: no free PCI slot", i, k);
				return -1;
			}
		} else if (vm_map_mmio(sl->vm, v->shmem[k].cfg.loc, PAGE_SIZE, dev, &shm_factory_ops, in)) {
			snprintf(err, errlen, "vms[%d].shmem[%d].loc: 0x%llx overlaps another device",
				 i, k, (unsigned long long)v->shmem[k].cfg.loc);
			return -1;
		}
	}
	return 0;
race_oom:
	snprintf(err, errlen, "out of memory (race mode)");
	return -1;
}

struct system *system_new(const struct machine *m, const struct schedule *sch,
			  char *err, size_t errlen)
{
	return system_new_warm(m, sch, NULL, err, errlen);
}

struct system *system_new_warm(const struct machine *m, const struct schedule *sch,
			       struct vm_pool *pool, char *err, size_t errlen)
{
	struct system *s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->m = m;
	s->pool = pool;   /* race mode: the pool's VMs have their hooks (vm_pool_take) */
	s->running = -1;
	s->dbg_vm = -1;
	evlog_init(&s->log);
	if (schedule_copy(&s->schedule, sch))
		goto oom;
	sched_init(&s->sched, &s->schedule);
	s->slots = calloc(m->n_vms + 1, sizeof(*s->slots));
	s->names = calloc(m->n_vms + 1, sizeof(*s->names));
	s->host_fired = calloc(m->n_host + 1, sizeof(*s->host_fired));
	s->host_queue = calloc(m->n_host + 1, sizeof(*s->host_queue));
	if (!s->slots || !s->names || !s->host_fired || !s->host_queue)
		goto oom;
	s->n = m->n_vms;
	for (int i = 0; i < m->n_vms; i++)
		s->names[i] = m->vms[i].name;
	s->host_plat = (struct plat){ .ctx = s, .emit = host_emit };
	s->shm = shm_sys_new(&m->profile, &s->host_plat);
	if (!s->shm)
		goto oom;
	/* Race mode: a fresh detector for every run, warm VMs or not. */
	if (m->races && !(s->race = race_new(s->n, s->names, race_describe, s))) {
		snprintf(err, errlen, "out of memory (race mode)");
		goto fail;
	}
	for (int i = 0; i < m->n_vms; i++)
		if (build_slot(s, i, err, errlen))
			goto fail;
	return s;
fail:
	system_free(s);
	return NULL;
oom:
	snprintf(err, errlen, "out of memory");
	system_free(s);
	return NULL;
}

void system_free(struct system *s)
{
	if (!s)
		return;
	for (int i = 0; i < s->n; i++) {
		struct slot *sl = &s->slots[i];
		pci_free(sl->pci);
		gic_free(sl->gic);
		if (!s->pool || vm_pool_put(s->pool, i, sl->vm))
			vm_free(sl->vm);
		free(sl->shm);
		testdev_free(&sl->td);
		uart_free(&sl->uart);
		free(sl->lines);
	}
	shm_sys_free(s->shm);
	race_free(s->race);
	free(s->slots);
	free(s->watches);
	free(s->wreq);
	free(s->journal);
	free(s->names);
	free(s->host_fired);
	free(s->host_queue);
	schedule_free(&s->schedule);
	sched_free(&s->sched);
	evlog_free(&s->log);
	free(s);
}

/* ---- running ------------------------------------------------------------- */

/* A VM stopped (exit, fault, deadlock, limit): DET-4 and the console's tail. */
static void slot_stopped(struct slot *sl)
{
	uart_flush(&sl->uart);
	if (sl->sys->track && sl->n_shm)
		sl->sys->acc_wr |= ACC_SHM;   /* DET-4: its connections go */
	for (int k = 0; k < sl->n_shm; k++)
		shm_inst_detach_all(sl->shm[k]);
}

static void fault_now(struct slot *sl, const char *kind)
{
	struct vm_fault f = { .pc = vm_pc(sl->vm) };
	snprintf(f.kind, sizeof(f.kind), "%s", kind);
	vm_disasm(sl->vm, f.pc, f.insn, sizeof(f.insn));
	vm_stop(sl->vm, false, 0, &f);
	slot_stopped(sl);
}

static void take_irq_if_due(struct slot *sl)
{
	if (!gic_irq_signalled(sl->gic) || vm_irqs_masked(sl->vm))
		return;
	uint8_t hppir[4];
	gicc_ops.read(sl->gic, GICC_HPPIR, 4, hppir);
	vm_take_irq(sl->vm);
	if (sl->sys->track && sl->index < ACC_MAX_VMS)
		sl->sys->acc_wr |= ACC_GIC(sl->index);
	struct ev e = { .kind = EV_IRQ_ENTER, .intid = (uint32_t)le_get(hppir, 4) & 0x3ff };
	sys_emit(sl->sys, sl->index, &e);
}

/* Which VMs can run now. */
static void runnable_set(const struct system *s, bool *runnable)
{
	for (int k = 0; k < s->n; k++)
		runnable[k] = vm_state(s->slots[k].vm) == VM_RUNNABLE;
}

/* Ask the scheduler; a point it records learns where the log and cur's PC
 * were, so a schedule can be told in words (which access was preempted). */
static int next_vm(struct system *s, enum sched_point why, int cur, const bool *runnable,
		   uint32_t *q)
{
	int before = s->sched.n_trace;
	int next = sched_next(&s->sched, why, cur, runnable, s->n, q);
	if (s->sched.n_trace > before) {
		struct sched_pt *pt = &s->sched.trace[s->sched.n_trace - 1];
		pt->seq = s->log.n;
		pt->pc = cur >= 0 ? vm_pc(s->slots[cur].vm) : 0;
		if (s->track)
			acc_close(s, cur, &pt->rd, &pt->wr);
	}
	return next;
}

/* ---- history and replay (reverse execution, sim/replay.c) ----------------- */

static void journal_add(struct system *s, int vm, uint64_t budget, uint64_t ran, unsigned why)
{
	if (s->n_journal == s->cap_journal) {
		size_t cap = s->cap_journal ? 2 * s->cap_journal : 256;
		struct sys_exec *n = realloc(s->journal, cap * sizeof(*n));
		if (!n) {
			s->journal_lost = true;    /* no reverse execution past here */
			return;
		}
		s->journal = n;
		s->cap_journal = cap;
	}
	s->journal[s->n_journal++] = (struct sys_exec){ vm, why, budget, ran };
}

/* A step of the history stopped by a debugger's breakpoint or watchpoint, or
 * by its budget: the replay gives exactly what ran. Otherwise the VM stopped
 * itself (device access, fault, wfi): the same budget stops it there again. */
static bool debugger_stop(const struct sys_exec *e)
{
	return e->ran == e->budget || (e->why & (VMX_DEBUG | VMX_WATCH));
}

static bool replay_step_done(const struct system *s)
{
	return s->replay.issued && s->replay.at.o >= s->replay.j[s->replay.at.k].ran;
}

static void replay_pause(struct system *s, int vm)
{
	s->replay.on = false;
	s->rs.pause = true;
	s->stop.vm = vm;
}

/* Before VM i's next vm_exec in a replay: the budget that repeats the
 * history. 0: at the start of a step; 1: inside one (a breakpoint of this
 * replay paused it); -1: the target is here, paused before it. */
static int replay_budget(struct system *s, int i, uint64_t *budget)
{
	while (s->replay.at.k < s->replay.n && replay_step_done(s)) {
		s->replay.at.k++;
		s->replay.at.o = 0;
		s->replay.issued = false;
	}
	if (s->replay.at.k == s->replay.to.k && s->replay.at.o == s->replay.to.o) {
		replay_pause(s, i);
		return -1;
	}
	const struct sys_exec *e = &s->replay.j[s->replay.at.k];
	if (s->replay.at.k >= s->replay.n || e->vm != i) {
		s->replay.diverged = true;   /* never expected: the run is deterministic */
		s->replay.on = false;
		return 0;
	}
	uint64_t o = s->replay.at.o;
	if (e->ran == 0 && (e->why & (VMX_DEBUG | VMX_WATCH)))
		*budget = 0;                 /* a stop that ran nothing: nothing to repeat */
	else
		*budget = (debugger_stop(e) ? e->ran : e->budget) - o;
	if (s->replay.at.k == s->replay.to.k && s->replay.to.o - o < *budget)
		*budget = s->replay.to.o - o;
	return o > 0;
}

static void replay_advance(struct system *s, int i, uint64_t budget, uint64_t ran, unsigned why)
{
	if (budget)
		journal_add(s, i, budget, ran, why);
	s->replay.at.o += ran;
	s->replay.issued = true;
	if (s->replay.at.o > s->replay.j[s->replay.at.k].ran) {
		s->replay.diverged = true;
		s->replay.on = false;
	} else if (s->replay.at.k == s->replay.to.k && s->replay.at.o == s->replay.to.o) {
		replay_pause(s, i);
	}
}

/* Inside a step of the history, where the original run had no boundary:
 * no IRQ is taken here (it was not then). */
static bool replay_mid_step(const struct system *s)
{
	return s->replay.on && s->replay.at.k < s->replay.n && s->replay.at.o > 0 &&
	       !replay_step_done(s);
}

/* Run slot `i` for up to `quantum` instructions; returns why it ended (at
 * a device point, rs.left is what is left of the quantum). */
static enum sched_point run_quantum(struct system *s, int i, uint32_t quantum)
{
	struct slot *sl = &s->slots[i];
	uint64_t left = quantum;
	uint64_t limit = s->m->limit_instructions;
	while (vm_state(sl->vm) == VM_RUNNABLE) {
		if (s->rs.pause) {    /* the debugged VM's stop, or any VM's watchpoint */
			s->rs.pause = false;
			s->rs.left = left;      /* the debugger resumes right here */
			return PT_PAUSE;
		}
		if (!replay_mid_step(s))   /* a replay's extra pause is no boundary */
			take_irq_if_due(sl);
		if (sl->committed >= limit) {
			fault_now(sl, "limit");
			return PT_STOP;
		}
		if (left == 0)
			return PT_QUANTUM;
		uint64_t budget = left;
		if (limit - sl->committed < budget)
			budget = limit - sl->committed;
		/* GIC-5: an IRQ waits on PSTATE.I; look again every irq_check. */
		if (gic_irq_signalled(sl->gic) && budget > s->m->irq_check)
			budget = s->m->irq_check;
		uint64_t due = next_host_deadline(s);
		if (due && due < budget)
			budget = due;
		if (s->dbg_step && i == s->step_vm)
			budget = 1;

		uint64_t ran = 0;
		unsigned why = 0;
		int mid = s->replay.on ? replay_budget(s, i, &budget) : 0;
		if (mid < 0)
			continue;       /* a replay's target: paused before this step */
		if (!mid)
			sl->irq_seen = gic_irq_signalled(sl->gic);
		if (budget) {
			s->running = i;
			why = vm_exec(sl->vm, budget, &ran);
			s->running = -1;
		}
		if (s->n_unresolved)
			watch_sync(s);          /* a region may have come to exist */
		if (s->replay.on)
			replay_advance(s, i, budget, ran, why);
		else if (s->dbg_vm >= 0)
			journal_add(s, i, budget, ran, why);
		sl->committed += ran;
		s->clock += ran;
		left -= ran < left ? ran : left;
		run_host_steps(s);
		if ((i == s->dbg_vm && (why & VMX_DEBUG)) || (s->dbg_step && i == s->step_vm && ran)) {
			s->rs.pause = true;     /* breakpoint reached, or one step done */
			s->stop.vm = i;
		}
		if ((why & VMX_WATCH) && !s->stop.watch) {
			/* any VM's access to watched memory pauses the whole system */
			s->rs.pause = true;
			s->stop.watch = true;
			s->stop.vm = i;
			s->stop.hit = *vm_watch_hit(sl->vm);
		}

		if (why & VMX_STOPPED) {
			slot_stopped(sl);
			return PT_STOP;
		}
		if (why & VMX_WFI) {
			if (!gic_irq_signalled(sl->gic)) {
				struct ev e = { .kind = EV_WFI };
				sys_emit(s, i, &e);
				vm_set_state(sl->vm, VM_SLEEPING);
			}
			return PT_WFI;
		}
		if (why & VMX_YIELD)
			return PT_YIELD;
		if (why & VMX_POINT) {
			/* The run loop asks the scheduler (system_resume), so a
			 * device point is a place the run can pause and go on from
			 * (prefix snapshots): cur goes on with what is left. */
			s->rs.left = left;
			return PT_DEVICE;
		}
	}
	return PT_STOP;
}

static void emit_switch(struct system *s, int from, int to, enum sched_point why)
{
	static const char *const names[] = { "quantum", "yield", "wfi", "stop", "point", "start" };
	struct ev e = { .kind = EV_SWITCH, .to = to, .text = (char *)names[why] };
	sys_emit(s, from >= 0 ? from : to, &e);
}

/* Run until every VM stopped (SYS_DONE), or until the debugged VM pauses at
 * a breakpoint or after a step (SYS_PAUSED); the next call goes on exactly
 * where this one stopped, inside the same quantum. */
enum sys_status system_resume(struct system *s)
{
	bool runnable[s->n + 1];
	struct run_state *rs = &s->rs;
	if (rs->done)
		return SYS_DONE;
	s->stop = (struct sys_stop){ .vm = s->dbg_vm };
	if (!rs->started) {
		rs->started = true;
		rs->cur = rs->next = -1;
		rs->why = PT_START;
		for (int i = 0; i < s->m->n_host; i++)
			if (s->m->host[i].trig == TRIG_START)
				queue_host(s, i);
		run_host_steps(s);
	}
	if (rs->in_quantum) {
		rs->in_quantum = false;
		rs->why = run_quantum(s, rs->cur, rs->left);
		if (rs->why == PT_PAUSE) {
			rs->in_quantum = true;
			return SYS_PAUSED;
		}
	}
	for (;;) {
		if (rs->pause) {
			rs->pause = false;
			return SYS_PAUSED;
		}
		/* Between scheduling steps: the debugger's interrupt. The run goes
		 * on from here exactly, as after a breakpoint. */
		if (s->intr && s->intr(s->intr_ctx)) {
			s->stop.interrupted = true;
			return SYS_PAUSED;
		}
		int alive = 0, awake = 0;
		runnable_set(s, runnable);
		for (int i = 0; i < s->n; i++) {
			alive += vm_state(s->slots[i].vm) != VM_STOPPED;
			awake += runnable[i];
		}
		if (!alive)
			break;
		if (!awake) {
			/* Everyone left sleeps with nothing to wake them (CONTRACT 3). */
			for (int i = 0; i < s->n; i++)
				if (vm_state(s->slots[i].vm) == VM_SLEEPING)
					fault_now(&s->slots[i], "deadlock");
			break;
		}
		rs->next = next_vm(s, rs->why, rs->cur, runnable, &rs->q);
		uint64_t quantum = rs->q;
		if (rs->next < 0 && rs->why == PT_DEVICE) {
			quantum = rs->left;   /* cur goes on through the access, same quantum */
		} else if (rs->next < 0) {
			break;
		} else {
			if (rs->next != rs->cur)
				emit_switch(s, rs->cur, rs->next, rs->why);
			rs->cur = rs->next;
		}
		rs->why = run_quantum(s, rs->cur, quantum);
		if (rs->why == PT_PAUSE) {
			rs->in_quantum = true;
			return SYS_PAUSED;
		}
	}
	for (int i = 0; i < s->n; i++)
		uart_flush(&s->slots[i].uart);
	if (s->race && race_finish(s->race))
		race_flush(s);
	rs->done = true;
	return SYS_DONE;
}

void system_run(struct system *s)
{
	while (system_resume(s) != SYS_DONE)
		;
}

int system_debug(struct system *s, int vm)
{
	if (vm < 0 || vm >= s->n || vm_debug_enable(s->slots[vm].vm))
		return -1;
	s->dbg_vm = s->step_vm = vm;
	s->stop.vm = vm;             /* before any run: the debugged VM's thread */
	return 0;
}

/* A departure the explorer chose is a forced choice like any other. */
static int branch_and_record(void *ctx, const struct sched_pt *pt)
{
	struct system *s = ctx;
	int v = s->branch(s->branch_ctx, pt);
	if (v == pt->def)
		return v;
	struct sched_force *f = realloc(s->schedule.forced,
					(s->schedule.n_forced + 1) * sizeof(*f));
	if (!f)
		return pt->def;
	f[s->schedule.n_forced++] = (struct sched_force){ pt->point, v };
	s->schedule.forced = f;
	/* The scheduler reads the same list: this choice is taken and consumed. */
	s->sched.cfg.forced = f;
	s->sched.cfg.n_forced = s->schedule.n_forced;
	s->sched.next_forced = s->schedule.n_forced;
	return v;
}

void system_set_branch(struct system *s, int (*branch)(void *ctx, const struct sched_pt *pt),
		       void *ctx)
{
	s->branch = branch;
	s->branch_ctx = ctx;
	s->sched.branch = branch ? branch_and_record : NULL;
	s->sched.branch_ctx = s;
}

void system_debug_step(struct system *s, bool step) { s->dbg_step = step; }
void system_debug_step_vm(struct system *s, int vm)
{
	s->step_vm = vm >= 0 && vm < s->n ? vm : s->dbg_vm;
}
const struct sys_stop *system_stop(const struct system *s) { return &s->stop; }

void system_set_interrupt(struct system *s, bool (*poll)(void *ctx), void *ctx)
{
	s->intr = poll;
	s->intr_ctx = ctx;
}

/* Where a watch request points now: RAM or a shared page of its VM, or, for
 * a shared region's bytes, the region's memory once it exists (so a replay
 * can watch a region before the VM that named it has mapped it). */
static const uint8_t *watch_host(const struct system *s, const struct sys_watch *w)
{
	if (!w->region[0])
		return vm_host_ptr(s->slots[w->vm].vm, w->addr, w->len);
	struct shm_region_view r;
	for (int i = 0; shm_region_get(s->shm, i, &r); i++)
		if (r.live && !strcmp(r.name, w->region) && w->off + w->len <= (uint64_t)r.pages * 4096)
			return r.data + w->off;
	return NULL;
}

/* The VMs' watch hooks from the requests; unresolved ones are counted. */
static int watch_sync(struct system *s)
{
	struct vm_watch *n = realloc(s->watches, (s->n_wreq + 1) * sizeof(*n));
	if (!n)
		return -1;
	s->watches = n;
	s->n_watches = s->n_unresolved = 0;
	for (int i = 0; i < s->n_wreq; i++) {
		const struct sys_watch *w = &s->wreq[i];
		if (!w->type)
			continue;
		const uint8_t *host = watch_host(s, w);
		if (host)
			s->watches[s->n_watches++] = (struct vm_watch){ host, w->len, w->addr, w->type };
		else
			s->n_unresolved++;
	}
	int rc = 0;
	for (int i = 0; i < s->n; i++)
		rc |= vm_watch_set(s->slots[i].vm, s->watches, s->n_watches);
	return rc;
}

int system_watch_request(struct system *s, const struct sys_watch *w)
{
	if (w->vm < 0 || w->vm >= s->n || !w->len ||
	    (w->type && (w->type < VM_WATCH_WRITE || w->type > VM_WATCH_ACCESS)))
		return -1;
	for (int i = 0; i < s->n_wreq; i++)
		if (s->wreq[i].vm == w->vm && s->wreq[i].addr == w->addr && s->wreq[i].len == w->len &&
		    (s->wreq[i].type == w->type || !s->wreq[i].type)) {
			if (s->wreq[i].type)
				return 0;
			s->wreq[i] = *w;          /* set again where it was known */
			return watch_sync(s);
		}
	struct sys_watch *n = realloc(s->wreq, (s->n_wreq + 1) * sizeof(*n));
	if (!n)
		return -1;
	s->wreq = n;
	s->wreq[s->n_wreq++] = *w;
	if (watch_sync(s)) {
		s->n_wreq--;
		watch_sync(s);
		return -1;
	}
	return 0;
}

int system_watch_add(struct system *s, int vm, int type, uint64_t addr, uint64_t len)
{
	struct vm *v = system_vm(s, vm);
	const uint8_t *host = v && len ? vm_host_ptr(v, addr, len) : NULL;
	struct sys_watch w = { .vm = vm, .type = type, .addr = addr, .len = len };
	if (!host) {
		/* Not mapped now, but known from earlier (the run went back to
		 * before the VM mapped it): the same region bytes. */
		for (int i = 0; i < s->n_wreq; i++) {
			const struct sys_watch *k = &s->wreq[i];
			if (k->vm == vm && k->region[0] && addr >= k->addr &&
			    addr + len <= k->addr + k->len) {
				snprintf(w.region, sizeof(w.region), "%s", k->region);
				w.off = k->off + (addr - k->addr);
				return system_watch_request(s, &w);
			}
		}
		return -1;
	}
	struct shm_region_view r;
	for (int i = 0; shm_region_get(s->shm, i, &r); i++)
		if (r.live && r.data && host >= r.data && host < r.data + (uint64_t)r.pages * 4096) {
			snprintf(w.region, sizeof(w.region), "%s", r.name);
			w.off = (uint64_t)(host - r.data);
		}
	return system_watch_request(s, &w);
}

/* A removed watchpoint stays as type 0: what its address meant is known. */
int system_watch_remove(struct system *s, int type, uint64_t addr, uint64_t len)
{
	for (int i = 0; i < s->n_wreq; i++) {
		struct sys_watch *w = &s->wreq[i];
		if (w->type && w->addr == addr && (!type || w->type == type) && (!len || w->len == len)) {
			w->type = 0;
			watch_sync(s);
			return 0;
		}
	}
	return -1;
}

bool system_done(const struct system *s) { return s->rs.done; }
struct vm *system_vm(const struct system *s, int i) { return i >= 0 && i < s->n ? s->slots[i].vm : NULL; }
int system_n_vms(const struct system *s) { return s->n; }

/* ---- results ------------------------------------------------------------- */

const struct evlog *system_log(const struct system *s) { return &s->log; }
int system_keep_log(struct system *s, uint32_t kinds, size_t head, size_t mmio_tail)
{
	return evlog_keep(&s->log, kinds, head, mmio_tail);
}
void system_stream_log(struct system *s, FILE *f) { evlog_stream(&s->log, f, s->names); }

const struct sched_pt *system_points(const struct system *s, int *n)
{
	*n = s->sched.n_trace;
	return s->sched.trace;
}
const char *const *system_vm_names(const struct system *s) { return s->names; }
struct shm_sys *system_shm(const struct system *s) { return s->shm; }

char *system_schedule_text(const struct system *s)
{
	return schedule_format(&s->schedule, s->names);
}

void system_vm_outcome(const struct system *s, int i, struct vm_outcome *out)
{
	const struct slot *sl = &s->slots[i];
	memset(out, 0, sizeof(*out));
	out->exited = vm_exited(sl->vm, &out->exit_code);
	out->fault = vm_fault(sl->vm);
	out->icount = sl->committed;
	out->console = sl->uart.console ? sl->uart.console : "";
	out->fails = sl->td.fails;
	out->n_fails = sl->td.n_fails;
}

const struct machine *system_machine(const struct system *s) { return s->m; }
const struct schedule *system_schedule(const struct system *s) { return &s->schedule; }
int system_debug_vm(const struct system *s) { return s->dbg_vm; }

int system_watch_get(const struct system *s, int i, struct sys_watch *out)
{
	if (i < 0 || i >= s->n_wreq)
		return -1;
	*out = s->wreq[i];
	return 0;
}

const struct sys_exec *system_journal(const struct system *s, size_t *n)
{
	*n = s->journal_lost ? 0 : s->n_journal;
	return s->journal;
}

void system_replay(struct system *s, const struct sys_exec *j, size_t n, struct sys_pos to)
{
	s->replay.on = n > 0 && to.k < n;
	s->replay.j = j;
	s->replay.n = n;
	s->replay.to = to;
	s->replay.at = (struct sys_pos){ 0, 0 };
	s->replay.issued = false;
	s->replay.diverged = false;
}

bool system_replaying(const struct system *s, struct sys_pos *at)
{
	if (at)
		*at = s->replay.at;
	return s->replay.on;
}

bool system_replay_diverged(const struct system *s) { return s->replay.diverged; }

const struct gic *system_gic(const struct system *s, int i)
{
	return i >= 0 && i < s->n ? s->slots[i].gic : NULL;
}

void system_set_verdict(struct system *s, sys_verdict_fn fn, void *ctx)
{
	s->verdict = fn;
	s->verdict_ctx = ctx;
}

bool system_verdict(const struct system *s, FILE *out)
{
	if (!s->verdict)
		return false;
	s->verdict(s->verdict_ctx, s, out);
	return true;
}

sys_verdict_fn system_verdict_fn(const struct system *s, void **ctx)
{
	*ctx = s->verdict_ctx;
	return s->verdict;
}
