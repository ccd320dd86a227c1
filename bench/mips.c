/* mips.c - guest speed: the simulator's VM (block hook for exact counts,
 * quanta, stop bookkeeping) against bare Unicorn (count only, no hooks) on
 * the same guest, the same quantum, in one run. Prints the ratio.
 *
 * usage: build/bench/mips [GUEST.elf] [INSTRUCTIONS] [QUANTUM] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unicorn/unicorn.h>
#include "sim/loader.h"
#include "sim/vm.h"

#define RAM (16ull << 20)

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double bare_unicorn(const char *elf, uint64_t total, uint64_t quantum)
{
	uc_engine *uc;
	uint8_t *ram = aligned_alloc(4096, RAM);
	struct elf_image img;
	char err[256];
	memset(ram, 0, RAM);
	if (elf_load(elf, ram, VM_RAM_BASE, RAM, &img, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		exit(1);
	}
	uc_open(UC_ARCH_ARM64, UC_MODE_ARM, &uc);
	uc_mem_map_ptr(uc, VM_RAM_BASE, RAM, UC_PROT_ALL, ram);
	uint64_t sp = VM_RAM_BASE + RAM - 16, pc = img.entry;
	uc_reg_write(uc, UC_ARM64_REG_SP, &sp);
	double t0 = now();
	for (uint64_t done = 0; done < total; done += quantum) {
		uc_emu_start(uc, pc, 0xfffffffffffffffcull, 0, quantum);
		uc_reg_read(uc, UC_ARM64_REG_PC, &pc);
	}
	double t = now() - t0;
	uc_close(uc);
	free(ram);
	elf_image_free(&img);
	return total / t;
}

static void no_emit(void *ctx, struct vm *vm, struct ev *e) { }
static void no_access(void *ctx, struct vm *vm, bool point) { }

static double sim_vm(const char *elf, uint64_t total, uint64_t quantum, uint64_t *counted)
{
	char err[256];
	struct vm_env env = { .emit = no_emit, .after_access = no_access };
	struct vm *vm = vm_new(0, "bench", RAM, &env, err, sizeof(err));
	if (!vm || vm_load(vm, elf, NULL, 0, NULL, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		exit(1);
	}
	double t0 = now();
	*counted = 0;
	for (uint64_t done = 0; done < total; done += quantum) {
		uint64_t ran;
		vm_exec(vm, quantum, &ran);
		*counted += ran;
	}
	double t = now() - t0;
	vm_free(vm);
	return total / t;
}

int main(int argc, char **argv)
{
	const char *elf = argc > 1 ? argv[1] : "build/guests/loop_forever.elf";
	uint64_t total = argc > 2 ? strtoull(argv[2], NULL, 0) : 200000000ull;
	uint64_t quantum = argc > 3 ? strtoull(argv[3], NULL, 0) : 10000;
	uint64_t counted;
	/* Interleave to share the machine's noise between the two. */
	double bare1 = bare_unicorn(elf, total / 2, quantum);
	double sim1 = sim_vm(elf, total / 2, quantum, &counted);
	double bare2 = bare_unicorn(elf, total / 2, quantum);
	double sim2 = sim_vm(elf, total / 2, quantum, &counted);
	double bare = (bare1 + bare2) / 2, sim = (sim1 + sim2) / 2;
	printf("guest %s, %llu instructions, quantum %llu\n", elf, (unsigned long long)total,
	       (unsigned long long)quantum);
	printf("  bare unicorn (count only):   %8.1f M instr/s\n", bare / 1e6);
	printf("  hvsim vm (exact counting):   %8.1f M instr/s  (counted %llu of %llu)\n", sim / 1e6,
	       (unsigned long long)counted, (unsigned long long)(total / 2));
	printf("  ratio hvsim/bare:            %8.2f\n", sim / bare);
	return counted == total / 2 ? 0 : 1;
}
