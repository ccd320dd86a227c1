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
	for (unsigned i = 0; i < words; i++) {
		uint32_t w;
		if (i % 4 == 0)
			fprintf(out, "%s0x%" PRIx64 ":", i ? "\n" : "", addr + 4 * i);
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

static const char prompt_help[] =
	"commands:\n"
	"  b|break ADDR|SYMBOL    stop before that instruction\n"
	"  d|delete ADDR|SYMBOL   remove a breakpoint\n"
	"  s|step [N]             run N instructions of this VM (others run as scheduled)\n"
	"  c|continue             run to a breakpoint or the end\n"
	"  r|regs                 registers\n"
	"  x ADDR [N]             N words of guest memory (RAM or shared pages)\n"
	"  where                  PC, symbol and instruction\n"
	"  ev [N]                 the last N events of the log (no mmio)\n"
	"  q|quit                 stop debugging (the run is abandoned)\n";

int debug_prompt(struct system *s, int vm, FILE *in, FILE *out)
{
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
			if (add ? vm_break_add(v, addr) : vm_break_remove(v, addr))
				fprintf(out, "no breakpoint at 0x%" PRIx64 "\n", addr);
			else
				fprintf(out, "%s 0x%" PRIx64 "\n", add ? "breakpoint at" : "removed", addr);
		} else if (!strcmp(cmd, "s") || !strcmp(cmd, "step") ||
			   !strcmp(cmd, "c") || !strcmp(cmd, "continue")) {
			bool step = cmd[0] == 's';
			long n = step && *arg ? strtol(arg, NULL, 0) : 1;
			if (system_done(s) || vm_state(v) == VM_STOPPED) {
				debug_stop_reason(s, vm, why, sizeof(why));
				fprintf(out, "%s: nothing to run\n", why);
				continue;
			}
			system_debug_step(s, step);
			for (long k = 0; k < (n > 0 ? n : 1); k++)
				if (system_resume(s) == SYS_DONE || vm_state(v) == VM_STOPPED)
					break;
			system_debug_step(s, false);
			debug_stop_reason(s, vm, why, sizeof(why));
			fprintf(out, "%s\n", why);
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
