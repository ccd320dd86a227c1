/* mips.c - guest speed on an ALU loop (`add; add; subs; b.ne`, one 4-instruction
 * block per iteration, then wfi), CPU time per run, three runs alternating:
 *
 *   A  bare Unicorn 2.0.1, no hook at all, one uc_emu_start (the ceiling);
 *   B  bare Unicorn with count = quantum, in quanta (Unicorn's own exact
 *      stop: a helper call per instruction);
 *   F  A with a block hook that only adds up block lengths, one run: the
 *      floor of any count kept by Unicorn's block hook, which C needs
 *      (docs/engine.md); C/F is what the simulator pays beyond that floor;
 *   C  the simulator's VM, vm_exec in quanta (exact counting).
 *
 * Each round runs A, B, F, C and D (in a rotating order); every figure is the min
 * and median over the rounds; ratios are of medians. C also runs with a
 * quantum that is not a multiple of the block (every quantum ends inside a
 * block: the costly case).
 *
 * usage: build/bench/mips [ITERATIONS] [QUANTUM] [ROUNDS] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unicorn/unicorn.h>
#include "sim/vm.h"
#include "bench.h"

#define RAM (1ull << 20)

#define WORDS 9
#define EXPECTED(iter) (4 + 4 * (iter) + 1)   /* instructions to the wfi, itself included */

/* The first block is 8 instructions, the loop's 4: with a quantum that is a
 * multiple of 4 every quantum ends at a block boundary. */
static void alu_loop(uint32_t *code, uint64_t iter)
{
	code[0] = 0xd2800000 | (uint32_t)(iter & 0xffff) << 5;          /* movz x0, lo */
	code[1] = 0xf2a00000 | (uint32_t)((iter >> 16) & 0xffff) << 5;  /* movk x0, hi, lsl 16 */
	code[2] = 0xd503201f;   /*    nop */
	code[3] = 0xd503201f;   /*    nop */
	code[4] = 0x91000421;   /* 1: add x1, x1, #1 */
	code[5] = 0x91000442;   /*    add x2, x2, #1 */
	code[6] = 0xf1000400;   /*    subs x0, x0, #1 */
	code[7] = 0x54ffffa1;   /*    b.ne 1b */
	code[8] = 0xd503207f;   /*    wfi */
}

/* A: no hooks, one run to the wfi. B: count = quantum, in quanta. F: A with
 * bench_count_block. */
static double bare(uint64_t iter, uint64_t quantum, bool hooked)
{
	uc_engine *uc;
	uc_hook h;
	uint64_t counted = 0;
	uint32_t code[WORDS];
	uint8_t *ram = aligned_alloc(4096, RAM);
	memset(ram, 0, RAM);
	alu_loop(code, iter);
	memcpy(ram, code, sizeof(code));
	if (uc_open(UC_ARCH_ARM64, UC_MODE_ARM, &uc) != UC_ERR_OK ||
	    uc_mem_map_ptr(uc, VM_RAM_BASE, RAM, UC_PROT_ALL, ram) != UC_ERR_OK ||
	    (hooked && uc_hook_add(uc, &h, UC_HOOK_BLOCK, bench_count_block, &counted, 1, 0) != UC_ERR_OK)) {
		fprintf(stderr, "bench: unicorn\n");
		exit(1);
	}
	uint64_t pc = VM_RAM_BASE, end = VM_RAM_BASE + WORDS * 4;
	double t0 = cpu_now();
	if (!quantum) {
		uc_emu_start(uc, pc, 0xfffffffffffffffcull, 0, 0);
	} else {
		while (pc != end) {
			uc_emu_start(uc, pc, 0xfffffffffffffffcull, 0, quantum);
			uc_reg_read(uc, UC_ARM64_REG_PC, &pc);
		}
	}
	double t = cpu_now() - t0;
	uc_reg_read(uc, UC_ARM64_REG_PC, &pc);
	uc_close(uc);
	free(ram);
	if (pc != end) {
		fprintf(stderr, "bench: bare run ended at 0x%llx\n", (unsigned long long)pc);
		exit(1);
	}
	if (hooked && counted != EXPECTED(iter)) {
		fprintf(stderr, "bench: the block hook counted %llu instructions, not %llu\n",
			(unsigned long long)counted, (unsigned long long)EXPECTED(iter));
		exit(1);
	}
	return t;
}

static void no_emit(void *ctx, struct vm *vm, struct ev *e) { }
static void no_access(void *ctx, struct vm *vm, bool point) { }

/* C: vm_exec in quanta until the wfi; checks the exact count. */
static double sim(uint64_t iter, uint64_t quantum)
{
	char err[256];
	uint32_t code[WORDS];
	struct vm_env env = { .emit = no_emit, .after_access = no_access };
	struct vm *vm = vm_new(0, "bench", RAM, &env, err, sizeof(err));
	alu_loop(code, iter);
	if (!vm || vm_load_image(vm, code, sizeof(code), VM_RAM_BASE)) {
		fprintf(stderr, "bench: %s\n", err);
		exit(1);
	}
	uint64_t total = 0, ran;
	unsigned why = 0;
	double t0 = cpu_now();
	while (!(why & (VMX_WFI | VMX_STOPPED))) {
		why = vm_exec(vm, quantum, &ran);
		total += ran;
	}
	double t = cpu_now() - t0;
	vm_free(vm);
	if (total != EXPECTED(iter)) {
		fprintf(stderr, "bench: counted %llu instructions, not %llu\n",
			(unsigned long long)total, (unsigned long long)EXPECTED(iter));
		exit(1);
	}
	return t;
}

int main(int argc, char **argv)
{
	uint64_t iter = argc > 1 ? strtoull(argv[1], NULL, 0) : 50000000ull;
	uint64_t quantum = argc > 2 ? strtoull(argv[2], NULL, 0) : 10000;
	int rounds = argc > 3 ? atoi(argv[3]) : 5;
	if (iter == 0 || iter > 0xffffffffull || quantum == 0 || rounds < 1 || rounds > BENCH_MAX_ROUNDS) {
		fprintf(stderr, "usage: mips [ITERATIONS (1..2^32-1)] [QUANTUM] [ROUNDS (1..%d)]\n",
			BENCH_MAX_ROUNDS);
		return 2;
	}
	uint64_t odd = quantum % 4 ? quantum : quantum + 1;   /* ends inside blocks */
	double a[BENCH_MAX_ROUNDS], b[BENCH_MAX_ROUNDS], c[BENCH_MAX_ROUNDS], d[BENCH_MAX_ROUNDS];
	double f[BENCH_MAX_ROUNDS];
	for (int r = 0; r < rounds; r++) {
		for (int k = 0; k < 5; k++) {
			switch ((k + r) % 5) {   /* rotate the order: A B F C D, B F C D A, ... */
			case 0: a[r] = bare(iter, 0, false); break;
			case 1: b[r] = bare(iter, quantum, false); break;
			case 2: f[r] = bare(iter, 0, true); break;
			case 3: c[r] = sim(iter, quantum); break;
			default: d[r] = sim(iter, odd); break;
			}
		}
	}
	double n = 4.0 * (double)iter;
	printf("ALU loop (add; add; subs; b.ne), %llu iterations, %d alternating rounds, CPU time\n",
	       (unsigned long long)iter, rounds);
	struct bench_fig fa = bench_rate(a, rounds, n), fb = bench_rate(b, rounds, n);
	struct bench_fig fc = bench_rate(c, rounds, n), fd = bench_rate(d, rounds, n);
	struct bench_fig ff = bench_rate(f, rounds, n);
	printf("  A bare unicorn, no hooks:              min %7.1f median %7.1f M instr/s\n", fa.min, fa.median);
	printf("  B bare unicorn, count=%-6llu          min %7.1f median %7.1f M instr/s\n",
	       (unsigned long long)quantum, fb.min, fb.median);
	printf("  F A with a block hook (the floor):     min %7.1f median %7.1f M instr/s\n", ff.min, ff.median);
	printf("  C hvsim vm_exec, quantum %-6llu        min %7.1f median %7.1f M instr/s%s\n",
	       (unsigned long long)quantum, fc.min, fc.median,
	       quantum % 4 ? "" : "  (quanta end at block ends)");
	printf("  D hvsim vm_exec, quantum %-6llu        min %7.1f median %7.1f M instr/s"
	       "  (quanta end inside blocks)\n", (unsigned long long)odd, fd.min, fd.median);
	printf("  ratio C/A (target >= 0.5):             %7.2f\n", fc.median / fa.median);
	printf("  ratio D/A (target >= 0.5):             %7.2f\n", fd.median / fa.median);
	printf("  ratio C/B, D/B (against the count):    %7.2f %7.2f\n", fc.median / fb.median,
	       fd.median / fb.median);
	printf("  ratio F/A (the floor), C/F (beyond it): %6.2f %7.2f\n", ff.median / fa.median,
	       fc.median / ff.median);
	printf("hvsim-mips %.1f %.1f %.1f\n", fc.median, fd.median, ff.median);   /* read by bench/qemu.sh */
	return 0;
}
