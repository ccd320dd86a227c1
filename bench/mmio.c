/* mmio.c - what one device register load costs: the loop `ldr w1, [x0, #36];
 * subs; b.ne` (one access per 3 instructions), CPU time, alternating:
 *
 *   A  bare Unicorn 2.0.1: uc_mmio_map with a callback that returns a
 *      constant, no hooks, one run (the ceiling);
 *   F  A with a block hook that adds up block lengths: the floor of any
 *      device access in the simulator, whose exact count needs that hook
 *      (docs/engine.md); what B, C and E pay beyond F is the bus and log's;
 *   B  the simulator's VM: the MMIO bus (instruction found and decoded,
 *      alignment and bounds checked, the access assembled), a device model
 *      that returns a constant, every access appended to a real event log
 *      (its default caps), quanta of 10000;
 *   E  B with the log kept as a scenario run keeps it (docs/event-log.md:
 *      no expectation reads mmio records, so each access keeps an index
 *      entry and a place in the ring of the last 4000);
 *   C  B with an event sink that keeps nothing (the bus alone);
 *   D  the same loop loading from RAM in the VM (what the loop costs
 *      without the device).
 *
 * Figures are ns per iteration, min and median over the rounds; ratios are
 * of medians. usage: build/bench/mmio [ITERATIONS] [ROUNDS] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicorn/unicorn.h>
#include "sim/vm.h"
#include "sim/evlog.h"
#include "bench.h"

#define DEV 0x09010000ull

static void loop_code(uint32_t *code, uint64_t iter, bool device)
{
	code[0] = device ? 0xd2a12020 : 0xd2a80000;   /* mov x0, #0x9010000 | #0x40000000 */
	code[1] = 0xd2800003 | (uint32_t)(iter & 0xffff) << 5;          /* movz x3, lo */
	code[2] = 0xf2a00003 | (uint32_t)((iter >> 16) & 0xffff) << 5;  /* movk x3, hi, lsl 16 */
	code[3] = 0xb9402401;   /* 1: ldr w1, [x0, #36] */
	code[4] = 0xf1000463;   /*    subs x3, x3, #1 */
	code[5] = 0x54ffffc1;   /*    b.ne 1b */
	code[6] = 0xd503207f;   /*    wfi */
}

static uint64_t bare_read(uc_engine *uc, uint64_t off, unsigned size, void *user)
{
	return 0x5a5a5a5a;
}
static void bare_write(uc_engine *uc, uint64_t off, unsigned size, uint64_t v, void *user) { }

static double bare(uint64_t iter, bool hooked)
{
	uc_engine *uc;
	uc_hook h;
	uint64_t blocks = 0;
	uint32_t code[7];
	uint8_t *ram = aligned_alloc(4096, 1 << 20);
	memset(ram, 0, 1 << 20);
	loop_code(code, iter, true);
	memcpy(ram, code, sizeof(code));
	if (uc_open(UC_ARCH_ARM64, UC_MODE_ARM, &uc) != UC_ERR_OK ||
	    uc_mem_map_ptr(uc, VM_RAM_BASE, 1 << 20, UC_PROT_ALL, ram) != UC_ERR_OK ||
	    uc_mmio_map(uc, DEV, 0x1000, bare_read, NULL, bare_write, NULL) != UC_ERR_OK ||
	    (hooked && uc_hook_add(uc, &h, UC_HOOK_BLOCK, bench_count_block, &blocks, 1, 0) != UC_ERR_OK)) {
		fprintf(stderr, "bench: unicorn\n");
		exit(1);
	}
	double t0 = cpu_now();
	uc_emu_start(uc, VM_RAM_BASE, 0xfffffffffffffffcull, 0, 0);
	double t = cpu_now() - t0;
	uint64_t pc;
	uc_reg_read(uc, UC_ARM64_REG_PC, &pc);
	uc_close(uc);
	free(ram);
	if (pc != VM_RAM_BASE + sizeof(code) || (hooked && blocks < 3 * iter)) {
		fprintf(stderr, "bench: bare run ended at 0x%llx\n", (unsigned long long)pc);
		exit(1);
	}
	return t;
}

static void log_emit(void *ctx, struct vm *vm, struct ev *e)
{
	e->icount = vm_icount(vm);
	e->pc = vm_pc(vm);
	evlog_append(ctx, e);
}
static void no_emit(void *ctx, struct vm *vm, struct ev *e) { }
static void no_access(void *ctx, struct vm *vm, bool point) { }

static void dev_read(void *opaque, uint64_t off, unsigned len, uint8_t *out)
{
	memset(out, 0x5a, len);
}
static void dev_write(void *opaque, uint64_t off, unsigned len, const uint8_t *data) { }
static const struct mmio_ops dev_ops = { .read = dev_read, .write = dev_write };

enum sink { SINK_NONE, SINK_ALL, SINK_RUN };

static double sim(uint64_t iter, bool device, enum sink sink, size_t *events)
{
	char err[256];
	uint32_t code[7];
	struct evlog log;
	bool keep = sink != SINK_NONE;
	evlog_init(&log);
	if (sink == SINK_RUN && evlog_keep(&log, EV_KINDS_ALL & ~(1u << EV_MMIO), 4000, 4000)) {
		fprintf(stderr, "bench: out of memory\n");
		exit(1);
	}
	loop_code(code, iter, device);
	struct vm_env env = { .ctx = &log, .emit = keep ? log_emit : no_emit, .after_access = no_access };
	struct vm *vm = vm_new(0, "bench", 1 << 20, &env, err, sizeof(err));
	if (!vm || vm_load_image(vm, code, sizeof(code), VM_RAM_BASE) ||
	    vm_map_mmio(vm, DEV, 0x1000, "testdev", &dev_ops, NULL)) {
		fprintf(stderr, "bench: %s\n", err);
		exit(1);
	}
	double t0 = cpu_now();
	unsigned why = 0;
	while (!(why & (VMX_WFI | VMX_STOPPED))) {
		uint64_t ran;
		why = vm_exec(vm, 10000, &ran);
	}
	double t = cpu_now() - t0;
	*events = log.n + log.dropped + log.mmio_dropped;
	vm_free(vm);
	evlog_free(&log);
	return t;
}

int main(int argc, char **argv)
{
	uint64_t iter = argc > 1 ? strtoull(argv[1], NULL, 0) : 1000000;
	int rounds = argc > 2 ? atoi(argv[2]) : 5;
	if (iter == 0 || iter > 0xffffffffull || rounds < 1 || rounds > BENCH_MAX_ROUNDS) {
		fprintf(stderr, "usage: mmio [ITERATIONS] [ROUNDS (1..%d)]\n", BENCH_MAX_ROUNDS);
		return 2;
	}
	double a[BENCH_MAX_ROUNDS], b[BENCH_MAX_ROUNDS], c[BENCH_MAX_ROUNDS], d[BENCH_MAX_ROUNDS];
	double e[BENCH_MAX_ROUNDS], f[BENCH_MAX_ROUNDS];
	size_t events = 0, events_run = 0, none;
	for (int r = 0; r < rounds; r++) {
		for (int k = 0; k < 6; k++) {
			switch ((k + r) % 6) {
			case 0: a[r] = bare(iter, false); break;
			case 5: f[r] = bare(iter, true); break;
			case 1: b[r] = sim(iter, true, SINK_ALL, &events); break;
			case 2: e[r] = sim(iter, true, SINK_RUN, &events_run); break;
			case 3: c[r] = sim(iter, true, SINK_NONE, &none); break;
			default: d[r] = sim(iter, false, SINK_NONE, &none); break;
			}
		}
	}
	struct bench_fig fa = bench_ns(a, rounds, iter), fb = bench_ns(b, rounds, iter);
	struct bench_fig fc = bench_ns(c, rounds, iter), fd = bench_ns(d, rounds, iter);
	struct bench_fig fe = bench_ns(e, rounds, iter), ff = bench_ns(f, rounds, iter);
	printf("loop of ldr + subs + b.ne, %llu iterations, %d alternating rounds, CPU time\n",
	       (unsigned long long)iter, rounds);
	printf("  A bare unicorn, uc_mmio_map callback:  min %7.1f median %7.1f ns per iteration\n",
	       fa.min, fa.median);
	printf("  F A with a block hook (the floor):     min %7.1f median %7.1f ns per iteration\n",
	       ff.min, ff.median);
	printf("  B hvsim device load (bus, model, log): min %7.1f median %7.1f ns per iteration"
	       "  (%zu events)\n", fb.min, fb.median, events);
	printf("  E the same, log kept as a run keeps it: min %7.1f median %7.1f ns per iteration"
	       "  (%zu events)\n", fe.min, fe.median, events_run);
	printf("  C hvsim device load, events not kept:  min %7.1f median %7.1f ns per iteration\n",
	       fc.min, fc.median);
	printf("  D hvsim RAM load:                      min %7.1f median %7.1f ns per iteration\n",
	       fd.min, fd.median);
	printf("  ratio B/A (target <= 2):               %7.2f\n", fb.median / fa.median);
	printf("  ratio E/A (a scenario run's log):      %7.2f\n", fe.median / fa.median);
	printf("  ratio C/A (the bus alone):             %7.2f\n", fc.median / fa.median);
	printf("  ratio F/A (the floor):                 %7.2f\n", ff.median / fa.median);
	printf("  beyond F: E %.1f, C %.1f ns (ours: the bus; E - C: the log)\n",
	       fe.median - ff.median, fc.median - ff.median);
	return events >= iter && events_run >= iter ? 0 : 1;
}
