/* monitor.c - the simulator's state in words (monitor.h). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "gic.h"
#include "monitor.h"
#include "system.h"
#include "vdev/shmem.h"
#include "vm.h"

const char *monitor_vm_words(struct system *s, int vm, int dbg, char *buf, size_t n)
{
	struct vm *v = system_vm(s, vm);
	int64_t code;
	const struct vm_fault *f = vm_fault(v);
	const char *mine = vm == dbg ? " (debugged)" : "";
	if (vm_exited(v, &code))
		snprintf(buf, n, "vm %s%s: exited %" PRId64, vm_name(v), mine, code);
	else if (f)
		snprintf(buf, n, "vm %s%s: fault %s at pc 0x%" PRIx64, vm_name(v), mine, f->kind, f->pc);
	else
		snprintf(buf, n, "vm %s%s: %s at pc 0x%" PRIx64 ", icount %" PRIu64, vm_name(v), mine,
			 vm_state(v) == VM_SLEEPING ? "waiting for an interrupt" : "runnable",
			 vm_pc(v), vm_icount(v));
	return buf;
}

void monitor_show_mem(struct vm *v, uint64_t addr, unsigned words, FILE *out)
{
	const char *dev = NULL;
	for (unsigned i = 0; i < words; i++) {
		uint32_t w;
		const char *d = vm_device_at(v, addr + 4 * i);
		if (d && (!dev || strcmp(d, dev)))   /* peeked: no read side effects */
			fprintf(out, "%sdevice registers of %s (peeked: no side effects):",
				i % 4 ? "\n" : i ? "\n" : "", d);
		if (d && (!dev || strcmp(d, dev)) && i % 4)
			fprintf(out, "\n0x%" PRIx64 ":", addr + 4 * i);
		dev = d;
		if (i % 4 == 0)
			fprintf(out, "%s0x%" PRIx64 ":", i || d ? "\n" : "", addr + 4 * i);
		if (vm_read_mem(v, addr + 4 * i, &w, 4)) {
			fprintf(out, " (unmapped)");
			break;
		}
		fprintf(out, " %08x", w);
	}
	fputc('\n', out);
}

/* Regions (live and destroyed) with their attach list; each connection with
 * its index, owner, control page, pending bits (SPEC CTL-1, NTF, IRQ-2). */
static void show_shmem(struct system *s, FILE *out)
{
	struct shm_region_view r;
	const char *const *names = system_vm_names(s);
	int i = 0;
	for (; shm_region_get(system_shm(s), i, &r); i++) {
		fprintf(out, "region \"%s\": %u page%s, %s, attach list 0x%04x\n", r.name, r.pages,
			r.pages == 1 ? "" : "s", r.live ? "live" : "destroyed", r.live_mask);
		for (int k = 0; k < 16; k++) {
			struct shm_conn_view c;
			if (!shm_conn_get(system_shm(s), i, k, &c))
				continue;
			if (c.vm >= 0)
				fprintf(out, "  index %d: vm %s %s, control page 0x%" PRIx64, k,
					names[c.vm], c.dev, c.ctl);
			else
				fprintf(out, "  index %d: host \"%s\"", k, c.dev);
			fprintf(out, ", pending 0x%04x%s\n", c.pending,
				c.list_event ? ", attach list changed (unseen)" : "");
		}
	}
	if (!i)
		fprintf(out, "no shared regions (yet)\n");
}

static bool bit(const uint32_t *m, unsigned i) { return (m[i / 32] >> (i % 32)) & 1; }

/* One VM's GIC: the CPU interface, then every INTID that is enabled,
 * pending or active (GIC-1..6). */
static void show_gic(struct system *s, int vm, FILE *out)
{
	struct gic_peek g;
	gic_peek_state(system_gic(s, vm), &g);
	fprintf(out, "vm %s: distributor %s, cpu interface %s, PMR 0x%02x, BPR %u, running priority "
		"0x%02x, ", vm_name(system_vm(s, vm)), g.dist_enabled ? "on" : "off",
		g.cpu_enabled ? "on" : "off", g.pmr, g.bpr, g.running_prio);
	if (g.hppi == GIC_SPURIOUS)
		fprintf(out, "nothing pending beats them\n");
	else
		fprintf(out, "highest pending %u%s\n", g.hppi, g.signalled ? " (signalled)" : "");
	for (unsigned i = 0; i < GIC_NR_IRQS; i++) {
		if (!bit(g.enabled, i) && !bit(g.pending, i) && !bit(g.active, i))
			continue;
		fprintf(out, "  intid %u: %s%s%s, priority 0x%02x, %s%s\n", i,
			bit(g.enabled, i) ? "enabled" : "disabled", bit(g.pending, i) ? ", pending" : "",
			bit(g.active, i) ? ", active" : "", g.prio[i], bit(g.edge, i) ? "edge" : "level",
			i >= 16 && bit(g.line, i) ? ", line high" : "");
	}
}

static void show_events(struct system *s, unsigned tail, FILE *out)
{
	const struct evlog *log = system_log(s);
	if (!tail)
		tail = 10;
	struct ev e;
	for (size_t i = log->n > tail ? log->n - tail : 0; i < log->n; i++) {
		ev_write_json(out, evlog_get(log, i, &e), system_vm_names(s));
		fputc('\n', out);
	}
}

static const char monitor_help[] =
	"monitor commands:\n"
	"  vms               every VM: state, pc, icount\n"
	"  clock             the clock (instructions of every VM) and the schedule\n"
	"  events [N]        the last N events of the log (default 10)\n"
	"  shmem             shared regions: attach list, connections (index, owner,\n"
	"                    control page, pending bits)\n"
	"  gic [VM]          GIC state of one VM or all: enables, PMR, running priority,\n"
	"                    and each enabled, pending or active INTID with its priority\n"
	"  peek ADDR [N]     N words at ADDR (default 4), device registers marked and\n"
	"                    read without side effects\n"
	"  verdict           the scenario's expectations against the run so far\n";

static int vm_by_name(struct system *s, const char *name)
{
	for (int i = 0; i < system_n_vms(s); i++)
		if (!strcmp(vm_name(system_vm(s, i)), name))
			return i;
	char *end;
	long n = strtol(name, &end, 0);
	return *name && !*end && n >= 1 && n <= system_n_vms(s) ? (int)n - 1 : -1;
}

int monitor_command(struct system *s, int dbg, int view, const char *line, FILE *out)
{
	char cmd[32] = "", arg[64] = "", arg2[32] = "";
	sscanf(line, "%31s %63s %31s", cmd, arg, arg2);
	if (!strcmp(cmd, "vms")) {
		char buf[160];
		for (int i = 0; i < system_n_vms(s); i++)
			fprintf(out, "%d %s\n", i + 1, monitor_vm_words(s, i, dbg, buf, sizeof(buf)));
	} else if (!strcmp(cmd, "clock")) {
		char *sch = system_schedule_text(s);
		fprintf(out, "clock %" PRIu64 " (instructions of every VM), schedule %s\n",
			system_clock(s), sch ? sch : "?");
		free(sch);
	} else if (!strcmp(cmd, "events")) {
		show_events(s, (unsigned)strtoul(arg, NULL, 0), out);
	} else if (!strcmp(cmd, "shmem")) {
		show_shmem(s, out);
	} else if (!strcmp(cmd, "gic")) {
		int vm = *arg ? vm_by_name(s, arg) : -1;
		if (*arg && vm < 0) {
			fprintf(out, "no VM '%s'\n", arg);
			return 0;
		}
		for (int i = 0; i < system_n_vms(s); i++)
			if (vm < 0 || i == vm)
				show_gic(s, i, out);
	} else if (!strcmp(cmd, "peek")) {
		char *end;
		uint64_t addr = strtoull(arg, &end, 0);
		if (!*arg || *end)
			fprintf(out, "usage: peek ADDR [N]\n");
		else
			monitor_show_mem(system_vm(s, view), addr,
					 *arg2 ? (unsigned)strtoul(arg2, NULL, 0) : 4, out);
	} else if (!strcmp(cmd, "verdict")) {
		if (!system_verdict(s, out))
			fprintf(out, "no expectations to check (no scenario)\n");
	} else {
		fputs(monitor_help, out);
		return -1;
	}
	return 0;
}
