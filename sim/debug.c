/* debug.c - the interactive prompt of hvsim debug, and what both front ends
 * share: stop reasons and address parsing. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "debug.h"
#include "system.h"
#include "vm.h"

void debug_stop_reason(struct system *s, int vm, char *buf, size_t n)
{
	struct vm *v = system_vm(s, vm);
	int64_t code;
	const struct vm_fault *f = vm_fault(v);
	char where[160];
	vm_disasm(v, vm_pc(v), where, sizeof(where));
	if (vm_exited(v, &code))
		snprintf(buf, n, "vm %s exited with code %" PRId64, vm_name(v), code);
	else if (f)
		snprintf(buf, n, "vm %s faulted: %s at 0x%" PRIx64 ", pc 0x%" PRIx64 ": %s",
			 vm_name(v), f->kind, f->addr, f->pc, f->insn);
	else if (system_done(s))
		snprintf(buf, n, "the run ended");
	else
		snprintf(buf, n, "vm %s at 0x%" PRIx64 " (icount %" PRIu64 "): %s", vm_name(v),
			 vm_pc(v), vm_icount(v), where);
}

/* A number (C notation) or a symbol of the VM's program. */
static int parse_addr(struct vm *v, const char *text, uint64_t *out)
{
	char *end;
	*out = strtoull(text, &end, 0);
	if (end != text && !*end)
		return 0;
	return elf_lookup(vm_image(v), text, out);
}

static void show_regs(struct vm *v, FILE *out)
{
	for (unsigned r = 0; r < 31; r++)
		fprintf(out, "x%-2u 0x%016" PRIx64 "%s", r, vm_reg(v, r), r % 4 == 3 ? "\n" : "  ");
	fprintf(out, "\nsp  0x%016" PRIx64 "  pc  0x%016" PRIx64 "  pstate 0x%08" PRIx64 "\n",
		vm_reg(v, 31), vm_reg(v, 32), vm_reg(v, 33));
}

static void show_mem(struct vm *v, uint64_t addr, unsigned words, FILE *out)
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

static void show_events(struct system *s, unsigned n, FILE *out)
{
	const struct evlog *log = system_log(s);
	size_t shown = 0, i = log->n;
	while (i > 0 && shown < n)
		if (log->ev[--i].kind != EV_MMIO)
			shown++;
	for (; i < log->n; i++) {
		if (log->ev[i].kind == EV_MMIO)
			continue;
		ev_write_json(out, &log->ev[i], system_vm_names(s));
		fputc('\n', out);
	}
}

/* A watchpoint stopped VM st->vm at the access: run that instruction (GDB
 * does the same), then say who accessed what, with the value before and after. */
static void report_watch(struct system *s, int vm, FILE *out)
{
	struct sys_stop st = *system_stop(s);
	struct vm *dv = system_vm(s, vm), *av = system_vm(s, st.vm);
	uint32_t old = 0, now = 0;
	char insn[160];
	vm_disasm(av, st.hit.pc, insn, sizeof(insn));
	vm_read_mem(dv, st.hit.addr, &old, 4);
	system_debug_step_vm(s, st.vm);
	system_debug_step(s, true);
	system_resume(s);
	system_debug_step(s, false);
	system_debug_step_vm(s, vm);
	vm_read_mem(dv, st.hit.addr, &now, 4);
	fprintf(out, "watchpoint 0x%" PRIx64 ": vm %s %s it at 0x%" PRIx64 ": %s\n"
		"  old 0x%08x, new 0x%08x; vm %s now at 0x%" PRIx64 " (icount %" PRIu64 ")\n",
		st.hit.addr, vm_name(av), st.hit.write ? "wrote" : "read", st.hit.pc, insn,
		old, now, vm_name(av), vm_pc(av), vm_icount(av));
}

static const char prompt_help[] =
	"commands:\n"
	"  b|break ADDR|SYMBOL    stop before that instruction\n"
	"  d|delete ADDR|SYMBOL   remove a breakpoint or watchpoint\n"
	"  watch ADDR [LEN]       stop when any VM writes [ADDR, ADDR+LEN) (default 4 bytes;\n"
	"                         RAM or shared pages: a shared page in every VM that maps it)\n"
	"  rwatch|awatch ADDR [LEN]  the same for reads, or for any access\n"
	"  s|step [N]             run N instructions of this VM (others run as scheduled)\n"
	"  c|continue             run to a breakpoint or the end\n"
	"  r|regs                 registers\n"
	"  x ADDR [N]             N words of guest memory (RAM, shared pages, device\n"
	"                         registers: peeked, no read side effects)\n"
	"  where                  PC, symbol and instruction\n"
	"  ev [N]                 the last N events of the log (no mmio)\n"
	"  q|quit                 stop debugging (the run is abandoned)\n";

int debug_prompt(struct system **sp, int vm, FILE *in, FILE *out)
{
	struct system *s = *sp;
	struct vm *v = system_vm(s, vm);
	char line[512], why[320];
	debug_stop_reason(s, vm, why, sizeof(why));
	fprintf(out, "%s\n", why);
	for (;;) {
		fprintf(out, "(hvsim %s) ", vm_name(v));
		fflush(out);
		if (!fgets(line, sizeof(line), in))
			break;
		char cmd[32] = "", arg[256] = "", arg2[64] = "";
		if (sscanf(line, "%31s %255s %63s", cmd, arg, arg2) < 1)
			continue;
		uint64_t addr;
		if (!strcmp(cmd, "q") || !strcmp(cmd, "quit")) {
			break;
		} else if (!strcmp(cmd, "help") || !strcmp(cmd, "h")) {
			fputs(prompt_help, out);
		} else if (!strcmp(cmd, "b") || !strcmp(cmd, "break") ||
			   !strcmp(cmd, "d") || !strcmp(cmd, "delete")) {
			bool add = cmd[0] == 'b';
			if (!*arg || parse_addr(v, arg, &addr)) {
				fprintf(out, "no such address or symbol: '%s'\n", arg);
				continue;
			}
			if (!add && !vm_break_remove(v, addr))
				fprintf(out, "removed 0x%" PRIx64 "\n", addr);
			else if (!add && !system_watch_remove(s, 0, addr, 0))
				fprintf(out, "removed watchpoint 0x%" PRIx64 "\n", addr);
			else if (!add || vm_break_add(v, addr))
				fprintf(out, "no breakpoint or watchpoint at 0x%" PRIx64 "\n", addr);
			else
				fprintf(out, "%s 0x%" PRIx64 "\n", add ? "breakpoint at" : "removed", addr);
		} else if (!strcmp(cmd, "watch") || !strcmp(cmd, "rwatch") || !strcmp(cmd, "awatch")) {
			int type = cmd[0] == 'w' ? 2 : cmd[0] == 'r' ? 3 : 4;
			uint64_t len = *arg2 ? strtoull(arg2, NULL, 0) : 4;
			if (!*arg || parse_addr(v, arg, &addr)) {
				fprintf(out, "usage: %s ADDR|SYMBOL [LEN]\n", cmd);
				continue;
			}
			if (system_watch_add(s, vm, type, addr, len))
				fprintf(out, "cannot watch 0x%" PRIx64 ": not RAM or shared pages of vm %s\n",
					addr, vm_name(v));
			else
				fprintf(out, "watchpoint at 0x%" PRIx64 " (%" PRIu64 " bytes, %s)\n", addr, len,
					type == 2 ? "writes" : type == 3 ? "reads" : "reads and writes");
		} else if (!strcmp(cmd, "s") || !strcmp(cmd, "step") ||
			   !strcmp(cmd, "c") || !strcmp(cmd, "continue")) {
			bool step = cmd[0] == 's';
			long n = step && *arg ? strtol(arg, NULL, 0) : 1;
			if (system_done(s) || vm_state(v) == VM_STOPPED) {
				debug_stop_reason(s, vm, why, sizeof(why));
				fprintf(out, "%s: nothing to run\n", why);
				continue;
			}
			system_debug_step_vm(s, vm);
			system_debug_step(s, step);
			for (long k = 0; k < (n > 0 ? n : 1); k++)
				if (system_resume(s) == SYS_DONE || vm_state(v) == VM_STOPPED ||
				    system_stop(s)->watch)
					break;
			system_debug_step(s, false);
			if (system_stop(s)->watch)
				report_watch(s, vm, out);
			debug_stop_reason(s, vm, why, sizeof(why));
			fprintf(out, "%s\n", why);
			if (system_done(s))
				system_verdict(s, out);     /* what `hvsim run` would say */
		} else if (!strcmp(cmd, "r") || !strcmp(cmd, "regs")) {
			show_regs(v, out);
		} else if (!strcmp(cmd, "x")) {
			if (!*arg || parse_addr(v, arg, &addr)) {
				fprintf(out, "usage: x ADDR|SYMBOL [N]\n");
				continue;
			}
			show_mem(v, addr, *arg2 ? (unsigned)strtoul(arg2, NULL, 0) : 4, out);
		} else if (!strcmp(cmd, "where")) {
			debug_stop_reason(s, vm, why, sizeof(why));
			fprintf(out, "%s\n", why);
		} else if (!strcmp(cmd, "ev")) {
			show_events(s, *arg ? (unsigned)strtoul(arg, NULL, 0) : 10, out);
		} else {
			fprintf(out, "unknown command '%s' (try help)\n", cmd);
		}
	}
	return 0;
}
