/* debug.c - the interactive prompt of hvsim debug, with the habits people
 * bring from GDB (si, n, finish, bt, p, x on registers, thread N, Enter
 * repeats, reverse steps), and the stop reasons both front ends share. */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "debug.h"
#include "monitor.h"
#include "replay.h"
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

/* A register name (x0..x30, sp, pc, lr, fp, with or without '$'): 0 and *n. */
static int reg_named(const char *t, unsigned *n)
{
	if (*t == '$')
		t++;
	if (!strcmp(t, "sp")) { *n = 31; return 0; }
	if (!strcmp(t, "pc")) { *n = 32; return 0; }
	if (!strcmp(t, "lr")) { *n = 30; return 0; }
	if (!strcmp(t, "fp")) { *n = 29; return 0; }
	if (!strcmp(t, "cpsr") || !strcmp(t, "pstate")) { *n = 33; return 0; }
	char *end;
	if ((t[0] == 'x' || t[0] == 'w') && isdigit((unsigned char)t[1])) {
		unsigned long r = strtoul(t + 1, &end, 10);
		if (!*end && r <= 30) {
			*n = (unsigned)r;
			return 0;
		}
	}
	return -1;
}

/* One term: a number (C notation), a register, or a symbol of the program. */
static int parse_term(struct vm *v, const char *t, uint64_t *out)
{
	unsigned r;
	char *end;
	if (!*t)
		return -1;
	if (!reg_named(t, &r)) {
		*out = vm_reg(v, r);
		return 0;
	}
	*out = strtoull(t, &end, 0);
	if (end != t && !*end)
		return 0;
	return elf_lookup(vm_image(v), t, out);
}

/* TERM, TERM+N or TERM-N ("$sp+16", "x21+4100", "main+8", "0x40001000"). */
static int parse_addr(struct vm *v, const char *text, uint64_t *out)
{
	char t[256];
	snprintf(t, sizeof(t), "%s", text);
	char *op = NULL;
	for (char *p = t + 1; *p; p++)
		if (*p == '+' || *p == '-')
			op = p;
	if (!op)
		return parse_term(v, t, out);
	char sign = *op;
	*op = 0;
	uint64_t base, off;
	char *end;
	off = strtoull(op + 1, &end, 0);
	if (end == op + 1 || *end || parse_term(v, t, &base))
		return -1;
	*out = sign == '+' ? base + off : base - off;
	return 0;
}

static void show_regs(struct vm *v, FILE *out)
{
	for (unsigned r = 0; r < 31; r++)
		fprintf(out, "x%-2u 0x%016" PRIx64 "%s", r, vm_reg(v, r), r % 4 == 3 ? "\n" : "  ");
	fprintf(out, "\nsp  0x%016" PRIx64 "  pc  0x%016" PRIx64 "  pstate 0x%08" PRIx64 "\n",
		vm_reg(v, 31), vm_reg(v, 32), vm_reg(v, 33));
}

static const char *sym(struct vm *v, uint64_t a, char *buf, size_t n)
{
	const char *s = elf_symbolize(vm_image(v), a, buf, n);
	return s ? s : "??";
}

static bool is_call(uint32_t w) { return (w & 0xfc000000u) == 0x94000000u || (w & 0xfffffc1fu) == 0xd63f0000u; }

/* The start of the function holding addr ("main+0x14" -> main's address). */
static int elf_function_of(struct vm *v, uint64_t addr, uint64_t *start)
{
	char b[128];
	if (!elf_symbolize(vm_image(v), addr, b, sizeof(b)))
		return -1;
	char *plus = strchr(b, '+');
	uint64_t off = plus ? strtoull(plus + 1, NULL, 0) : 0;
	*start = addr - off;
	return 0;
}

/* The frame-pointer chain (AAPCS64 frame records: [fp] = caller's fp,
 * [fp+8] = return address), ending at the zero record crt0 makes. Through
 * an exception entry the interrupted PC is ELR in the entry's frame
 * (scenarios/guests/rt/vectors.S: x29 at +152, ELR at +168): found as the
 * slot above that holds the interrupted fp. */
static void backtrace(struct vm *v, FILE *out)
{
	char b[128];
	uint64_t fp = vm_reg(v, 29), pc = vm_pc(v);
	int k = 0;
	fprintf(out, "#%d  0x%016" PRIx64 " in %s\n", k++, pc, sym(v, pc, b, sizeof(b)));
	/* A leaf, or a function before its prologue: its caller is only in x30
	 * (a return address in another function, right after a call). */
	uint64_t lr = vm_reg(v, 30), rec0[2] = { 0, 0 }, f0, f1;
	uint32_t call = 0;
	vm_read_mem(v, fp, rec0, sizeof(rec0));
	if (lr != rec0[1] && !vm_read_mem(v, lr - 4, &call, 4) && is_call(call) &&
	    !elf_function_of(v, pc, &f0) && !elf_function_of(v, lr, &f1) && f0 != f1)
		fprintf(out, "#%d  0x%016" PRIx64 " in %s\n", k++, lr, sym(v, lr, b, sizeof(b)));
	while (fp && k < 64) {
		uint64_t rec[2];
		if (vm_read_mem(v, fp, rec, sizeof(rec)) || !rec[1])
			break;
		const char *where = sym(v, rec[1], b, sizeof(b));
		fprintf(out, "#%d  0x%016" PRIx64 " in %s\n", k++, rec[1], where);
		if (!strncmp(where, "rt_irq_entry", 12) || !strncmp(where, "rt_sync_entry", 13)) {
			for (uint64_t o = fp + 16; o < fp + 1024; o += 8) {
				uint64_t slot[3];
				if (vm_read_mem(v, o, slot, sizeof(slot)))
					break;
				if (slot[0] == rec[0] && (o - 152) % 16 == 0) {
					fprintf(out, "#%d  0x%016" PRIx64 " in %s  (interrupted here)\n", k++,
						slot[2], sym(v, slot[2], b, sizeof(b)));
					/* interrupted in a leaf: its caller is in the saved x30 */
					uint64_t up[2] = { 0, 0 }, fa, fb;
					uint32_t c = 0;
					vm_read_mem(v, rec[0], up, sizeof(up));
					if (slot[1] != up[1] && !vm_read_mem(v, slot[1] - 4, &c, 4) &&
					    is_call(c) && !elf_function_of(v, slot[2], &fa) &&
					    !elf_function_of(v, slot[1], &fb) && fa != fb)
						fprintf(out, "#%d  0x%016" PRIx64 " in %s\n", k++, slot[1],
							sym(v, slot[1], b, sizeof(b)));
					break;
				}
			}
		}
		if (rec[0] <= fp)
			break;                  /* frames go up the stack, or it is not a chain */
		fp = rec[0];
	}
}

static void show_events(struct system *s, unsigned n, FILE *out)
{
	const struct evlog *log = system_log(s);
	size_t shown = 0, i = log->n;
	struct ev e;
	while (i > 0 && shown < n)
		if (evlog_kind(log, --i) != EV_MMIO)
			shown++;
	for (; i < log->n; i++) {
		if (evlog_kind(log, i) == EV_MMIO)
			continue;
		ev_write_json(out, evlog_get(log, i, &e), system_vm_names(s));
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
	"commands (GDB's names work too; an empty line repeats the last command):\n"
	"  b|break ADDR|SYMBOL    stop the debugged VM before that instruction\n"
	"  d|delete ADDR|SYMBOL   remove a breakpoint or watchpoint\n"
	"  watch ADDR [LEN]       stop when any VM writes [ADDR, ADDR+LEN) (default 4 bytes;\n"
	"                         RAM or shared pages: a shared page in every VM that maps it)\n"
	"  rwatch|awatch ADDR [LEN]  the same for reads, or for any access\n"
	"  s|si|step|stepi [N]    run N instructions of the current thread (others run as scheduled)\n"
	"  n|ni|next|nexti [N]    the same, a call (bl, blr) run whole\n"
	"  finish                 run until the current function returns\n"
	"  c|continue             run to a breakpoint, a watchpoint or the end\n"
	"  rsi|reverse-stepi      the whole system back one instruction of the current thread\n"
	"  rc|reverse-continue    back to the last breakpoint or watchpoint hit (or the start)\n"
	"  thread [N]             the current thread: VM N (1..), or list them (info threads)\n"
	"  r|regs|info registers  registers of the current thread\n"
	"  p|print EXPR           a register, symbol or number; a symbol's word\n"
	"  x[/N] ADDR [N]         N words (default 4) at ADDR: a number, a register or a symbol,\n"
	"                         +/- an offset (x $sp+16); device registers peeked, marked\n"
	"  bt|backtrace|where     the frames of the current thread (frame records)\n"
	"  ev [N]                 the last N events of the log (no mmio)\n"
	"  vms, clock, events [N], shmem, gic [VM], peek ADDR [N], verdict   (monitor commands)\n"
	"  q|quit                 stop debugging (the run is abandoned)\n";

static bool is(const char *cmd, const char *a, const char *b, const char *c)
{
	return !strcmp(cmd, a) || (b && !strcmp(cmd, b)) || (c && !strcmp(cmd, c));
}

struct prompt {
	struct system **sp, *s;
	int vm, view;                 /* debugged VM, current thread (VM index) */
	FILE *out;
	bool said_verdict;
};

static bool at_break(struct prompt *p)
{
	struct vm *v = system_vm(p->s, p->vm);
	uint64_t a;
	for (int i = 0; !vm_break_get(v, i, &a); i++)
		if (a == vm_pc(v))
			return true;
	return false;
}

/* One instruction of the current thread; false when something else stopped
 * the system (a breakpoint, a watchpoint, the end, the VM stopping). */
static bool step_one(struct prompt *p)
{
	struct vm *v = system_vm(p->s, p->view);
	if (system_done(p->s) || vm_state(v) == VM_STOPPED)
		return false;
	uint64_t ic = vm_icount(v);
	vm_debug_pass_here(v);          /* a breakpoint where it stands was seen */
	system_debug_step_vm(p->s, p->view);
	system_debug_step(p->s, true);
	system_resume(p->s);
	system_debug_step(p->s, false);
	if (system_stop(p->s)->watch)
		return false;
	return vm_icount(v) != ic && !system_done(p->s) && vm_state(v) != VM_STOPPED;
}

static uint32_t insn_at(struct vm *v)
{
	uint32_t w = 0;
	vm_read_mem(v, vm_pc(v), &w, 4);
	return w;
}

static bool is_ret(uint32_t w) { return (w & 0xfffffc1fu) == 0xd65f0000u; }

enum how { RUN_STEP, RUN_NEXT, RUN_FINISH, RUN_CONT };

static void run(struct prompt *p, enum how how, long n)
{
	struct system *s = p->s;
	struct vm *v = system_vm(s, p->view);
	char why[320];
	if (system_done(s) || vm_state(v) == VM_STOPPED) {
		debug_stop_reason(s, p->view, why, sizeof(why));
		fprintf(p->out, "%s: nothing to run\n", why);
		return;
	}
	if (how == RUN_CONT) {
		vm_debug_pass_here(system_vm(s, p->vm));
		system_debug_step_vm(s, p->vm);
		system_resume(s);
	} else if (how == RUN_STEP) {
		for (long k = 0; k < (n > 0 ? n : 1); k++)
			if (!step_one(p) || (k + 1 < n && at_break(p)))
				break;
	} else if (how == RUN_NEXT) {
		for (long k = 0; k < (n > 0 ? n : 1); k++) {
			uint64_t back = vm_pc(v) + 4, sp = vm_reg(v, 31);
			bool call = is_call(insn_at(v)), go = step_one(p);
			while (go && call && !(vm_pc(v) == back && vm_reg(v, 31) == sp) && !at_break(p))
				go = step_one(p);
			if (!go || at_break(p))
				break;
		}
	} else {
		/* finish: calls and returns counted; the return at depth 0 is ours */
		int depth = 0;
		for (long k = 0; k < 50000000; k++) {
			uint32_t w = insn_at(v);
			bool ret = is_ret(w) && depth-- == 0;
			if (is_call(w))
				depth++;
			if (!step_one(p) || ret || at_break(p))
				break;
		}
	}
	if (system_stop(s)->watch)
		report_watch(s, p->vm, p->out);
	debug_stop_reason(s, p->view, why, sizeof(why));
	fprintf(p->out, "%s\n", why);
	if (system_done(s) && !p->said_verdict) {
		p->said_verdict = true;
		system_verdict(s, p->out);     /* what `hvsim run` would say */
	}
}

static void run_back(struct prompt *p, bool step)
{
	struct replay_stop r;
	char err[160], why[320];
	if (step ? replay_step_back(p->sp, p->view, &r, err, sizeof(err))
		 : replay_continue_back(p->sp, &r, err, sizeof(err))) {
		fprintf(p->out, "cannot go back: %s\n", err);
		return;
	}
	p->s = *p->sp;
	p->said_verdict = false;
	/* GDB steps back over the access itself; here it is done for the user:
	 * the accessing VM stands at its instruction, the old value in place. */
	if (r.what == REPLAY_WATCH) {
		struct replay_stop st;
		if (!replay_step_back(p->sp, r.vm, &st, err, sizeof(err)))
			p->s = *p->sp;
	}
	if (r.what == REPLAY_BEGIN)
		fprintf(p->out, "back at the start of the run\n");
	else if (r.what == REPLAY_WATCH)
		fprintf(p->out, "back to the last access to watchpoint 0x%" PRIx64 ": vm %s %s it here\n",
			r.hit.addr, vm_name(system_vm(p->s, r.vm)), r.hit.write ? "writes" : "reads");
	else if (r.what == REPLAY_BREAK)
		fprintf(p->out, "back to the breakpoint at 0x%" PRIx64 "\n", vm_pc(system_vm(p->s, r.vm)));
	debug_stop_reason(p->s, r.what == REPLAY_WATCH ? r.vm : p->view, why, sizeof(why));
	fprintf(p->out, "%s\n", why);
}

static void threads(struct prompt *p)
{
	char buf[160];
	for (int i = 0; i < system_n_vms(p->s); i++)
		fprintf(p->out, "%c %d %s\n", i == p->view ? '*' : ' ', i + 1,
			monitor_vm_words(p->s, i, p->vm, buf, sizeof(buf)));
}

static void print_expr(struct prompt *p, const char *e)
{
	struct vm *v = system_vm(p->s, p->view);
	unsigned r;
	uint64_t val;
	char b[128];
	if (!reg_named(e, &r)) {
		val = vm_reg(v, r);
		if (e[*e == '$'] == 'w')
			val &= 0xffffffffu;
		fprintf(p->out, "%s = 0x%" PRIx64 " (%" PRId64 ")\n", e, val, (int64_t)val);
	} else if (parse_addr(v, e, &val)) {
		fprintf(p->out, "no register, symbol or number '%s'\n", e);
	} else if (isdigit((unsigned char)*e)) {
		fprintf(p->out, "%s = 0x%" PRIx64 " (%" PRIu64 ")\n", e, val, val);
	} else {
		uint32_t w;
		if (vm_read_mem(v, val, &w, 4))
			fprintf(p->out, "%s = 0x%" PRIx64 " <%s>\n", e, val, sym(v, val, b, sizeof(b)));
		else
			fprintf(p->out, "%s = 0x%" PRIx64 " <%s>: word 0x%08x (%u)\n", e, val,
				sym(v, val, b, sizeof(b)), w, w);
	}
}

int debug_prompt(struct system **sp, int vm, FILE *in, FILE *out)
{
	struct prompt p = { .sp = sp, .s = *sp, .vm = vm, .view = vm, .out = out };
	char line[512], last[512] = "", why[320];
	debug_stop_reason(p.s, vm, why, sizeof(why));
	fprintf(out, "%s\n", why);
	for (;;) {
		struct system *s = p.s = *sp;
		struct vm *v = system_vm(s, p.view), *dv = system_vm(s, vm);
		fprintf(out, "(hvsim %s) ", vm_name(v));
		fflush(out);
		if (!fgets(line, sizeof(line), in))
			break;
		char cmd[32] = "", arg[256] = "", arg2[64] = "";
		if (sscanf(line, "%31s %255s %63s", cmd, arg, arg2) < 1) {
			if (!*last)
				continue;
			snprintf(line, sizeof(line), "%s", last);      /* Enter repeats */
			sscanf(line, "%31s %255s %63s", cmd, arg, arg2);
		}
		snprintf(last, sizeof(last), "%s", line);
		if (!strcmp(cmd, "info") && (!strcmp(arg, "threads") || !strcmp(arg, "registers")))
			snprintf(cmd, sizeof(cmd), "%s", arg[0] == 't' ? "thread" : "r"), arg[0] = 0;
		if (!strncmp(cmd, "x/", 2)) {           /* x/N ADDR */
			snprintf(arg2, sizeof(arg2), "%lu", strtoul(cmd + 2, NULL, 10));
			cmd[1] = 0;
		}
		uint64_t addr;
		if (is(cmd, "q", "quit", NULL)) {
			break;
		} else if (is(cmd, "help", "h", NULL)) {
			fputs(prompt_help, out);
		} else if (is(cmd, "b", "break", NULL) || is(cmd, "d", "delete", NULL)) {
			bool add = cmd[0] == 'b';
			if (!*arg || parse_addr(dv, arg, &addr)) {
				fprintf(out, "no such address or symbol: '%s'\n", arg);
				continue;
			}
			if (!add && !vm_break_remove(dv, addr))
				fprintf(out, "removed 0x%" PRIx64 "\n", addr);
			else if (!add && !system_watch_remove(s, 0, addr, 0))
				fprintf(out, "removed watchpoint 0x%" PRIx64 "\n", addr);
			else if (!add || vm_break_add(dv, addr))
				fprintf(out, "no breakpoint or watchpoint at 0x%" PRIx64 "\n", addr);
			else
				fprintf(out, "breakpoint at 0x%" PRIx64 "\n", addr);
		} else if (is(cmd, "watch", "rwatch", "awatch")) {
			int type = cmd[0] == 'w' ? 2 : cmd[0] == 'r' ? 3 : 4;
			uint64_t len = *arg2 ? strtoull(arg2, NULL, 0) : 4;
			if (!*arg || parse_addr(v, arg, &addr)) {
				fprintf(out, "usage: %s ADDR|SYMBOL [LEN]\n", cmd);
				continue;
			}
			if (system_watch_add(s, p.view, type, addr, len))
				fprintf(out, "cannot watch 0x%" PRIx64 ": not RAM or shared pages of vm %s\n",
					addr, vm_name(v));
			else
				fprintf(out, "watchpoint at 0x%" PRIx64 " (%" PRIu64 " bytes, %s)\n", addr, len,
					type == 2 ? "writes" : type == 3 ? "reads" : "reads and writes");
		} else if (is(cmd, "s", "si", "step") || is(cmd, "stepi", NULL, NULL)) {
			run(&p, RUN_STEP, *arg ? strtol(arg, NULL, 0) : 1);
		} else if (is(cmd, "n", "ni", "next") || is(cmd, "nexti", NULL, NULL)) {
			run(&p, RUN_NEXT, *arg ? strtol(arg, NULL, 0) : 1);
		} else if (is(cmd, "finish", "fin", NULL)) {
			run(&p, RUN_FINISH, 1);
		} else if (is(cmd, "c", "continue", NULL)) {
			run(&p, RUN_CONT, 1);
		} else if (is(cmd, "rsi", "reverse-stepi", "rs")) {
			run_back(&p, true);
		} else if (is(cmd, "rc", "reverse-continue", NULL)) {
			run_back(&p, false);
		} else if (is(cmd, "thread", "threads", NULL)) {
			long t = *arg ? strtol(arg, NULL, 0) : 0;
			if (!*arg) {
				threads(&p);
			} else if (t < 1 || t > system_n_vms(s)) {
				fprintf(out, "no thread %s (1..%d)\n", arg, system_n_vms(s));
			} else {
				p.view = (int)t - 1;
				debug_stop_reason(s, p.view, why, sizeof(why));
				fprintf(out, "[thread %ld: %s]\n", t, why);
			}
		} else if (is(cmd, "r", "regs", NULL)) {
			show_regs(v, out);
		} else if (is(cmd, "p", "print", NULL)) {
			if (!*arg)
				fprintf(out, "usage: p EXPR\n");
			else
				print_expr(&p, arg);
		} else if (!strcmp(cmd, "x")) {
			if (!*arg || parse_addr(v, arg, &addr)) {
				fprintf(out, "usage: x ADDR|SYMBOL [N]\n");
				continue;
			}
			monitor_show_mem(v, addr, *arg2 ? (unsigned)strtoul(arg2, NULL, 0) : 4, out);
		} else if (!strcmp(cmd, "where") && !*arg) {
			debug_stop_reason(s, p.view, why, sizeof(why));
			fprintf(out, "%s\n", why);
			backtrace(v, out);
		} else if (is(cmd, "bt", "backtrace", NULL)) {
			backtrace(v, out);
		} else if (!strcmp(cmd, "ev")) {
			show_events(s, *arg ? (unsigned)strtoul(arg, NULL, 0) : 10, out);
		} else if (is(cmd, "vms", "clock", "events") || is(cmd, "shmem", "gic", "peek") ||
			   is(cmd, "verdict", NULL, NULL)) {
			monitor_command(s, vm, p.view, line, out);
		} else if (!strcmp(cmd, "monitor")) {
			monitor_command(s, vm, p.view, line + strspn(line, " \t") + 7, out);
		} else {
			fprintf(out, "unknown command '%s' (try help)\n", cmd);
		}
	}
	return 0;
}
