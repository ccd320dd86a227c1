/* vms.c - does throughput hold with many VMs? The suite's `count` guest (its
 * inner loop is `add; add; cmp; b.ne`, the ALU loop of bench/mips.c) under
 * the real scheduler (system_run, round-robin, the same quantum), alternating:
 *
 *   A  1 VM running all the iterations;
 *   B  N VMs (default 64), each running 1/N of them;
 *   C  1 VM running 1/N of them (what each VM of B runs).
 *
 * A and B run the same instructions in all: B/A (the target) counts
 * each VM's start (its engine, its start-up translations) N times against
 * A's once. C pays that start once for one B VM's work, so B/C is what many
 * VMs cost beyond each VM's own start: switching among them, cold caches.
 *
 * Each run is a child process (clean resident memory, no heap left by the
 * previous run): it builds the system,
 * then times system_run in CPU time, and counts the instructions from every
 * VM's outcome. Figures: instructions per CPU second (min and median over
 * the rounds, the ratios of medians B/A, the target's: within 15%, and B/C), the
 * build's CPU time per VM, and resident memory per VM: (RSS after the run
 * - RSS before the build) / VMs, from /proc/self/statm; page faults per VM
 * in the run (getrusage), and what one costs on this machine: the CPU time
 * of a first touch of a fresh page, against the same pages populated in
 * bulk (MAP_POPULATE). Where a first touch is dear (a machine whose kernel
 * runs paravirtualized), a VM's faults, most of them its engines' start-up
 * tables, are much of what it pays once (bench/RESULTS.md).
 *
 * usage: build/bench/vms [ITERATIONS] [VMS] [ROUNDS] [QUANTUM] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include "sim/system.h"
#include "bench.h"

#define GUEST "build/guests/count.elf"

struct fig { double run_s, build_s, rss_built, rss_mib, faults; uint64_t icount; };

static long minor_faults(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

static char *map_anon(size_t len, int flags)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);
	if (p == MAP_FAILED) {
		perror("bench vms: mmap");
		exit(1);
	}
	return p;
}

/* us of CPU per page: touching each of `pages` fresh pages once (each a
 * fault), and having the kernel populate as many in one call. */
static void page_cost(int pages, double *touch_us, double *bulk_us)
{
	size_t len = (size_t)pages * 4096;
	char *p = map_anon(len, 0);
	madvise(p, len, MADV_NOHUGEPAGE);   /* one fault per 4 KiB page, as the engines take them */
	double t0 = cpu_now();
	for (size_t i = 0; i < len; i += 4096)
		((volatile char *)p)[i] = 1;
	*touch_us = (cpu_now() - t0) / pages * 1e6;
	munmap(p, len);
	t0 = cpu_now();
	p = map_anon(len, MAP_POPULATE);
	*bulk_us = (cpu_now() - t0) / pages * 1e6;
	munmap(p, len);
}

static double rss_mib(void)
{
	unsigned long size = 0, res = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	if (!f || fscanf(f, "%lu %lu", &size, &res) != 2) {
		fprintf(stderr, "bench vms: cannot read /proc/self/statm\n");
		exit(1);
	}
	fclose(f);
	return (double)res * (double)sysconf(_SC_PAGESIZE) / (1 << 20);
}

/* In the child: n VMs of `count`, iter / n iterations each. */
static struct fig run(uint64_t iter, int n, uint32_t quantum)
{
	struct machine m = { 0 };
	struct mach_vm vms[n];
	struct mach_arg arg = { .num = iter / (uint64_t)n };
	char names[n][16];
	profile_default(&m.profile);
	m.irq_check = MACH_DEFAULT_IRQ_CHECK;
	m.limit_instructions = MACH_MAX_LIMIT;
	for (int i = 0; i < n; i++) {
		snprintf(names[i], sizeof(names[i]), "v%d", i);
		vms[i] = (struct mach_vm){ .name = names[i], .program = "count",
					   .program_path = GUEST, .args = &arg, .n_args = 1,
					   .ram = MACH_DEFAULT_RAM };
	}
	m.vms = vms;
	m.n_vms = n;
	struct schedule rr = { .policy = SCHED_RR, .quantum = quantum };
	char err[256];
	struct fig f = { 0 };
	double rss0 = rss_mib(), t0 = cpu_now();
	struct system *s = system_new(&m, &rr, err, sizeof(err));
	if (!s) {
		fprintf(stderr, "bench vms: %s\n", err);
		exit(1);
	}
	f.rss_built = rss_mib() - rss0;
	long faults0 = minor_faults();
	double t1 = cpu_now();
	system_run(s);
	f.run_s = cpu_now() - t1;
	f.faults = (double)(minor_faults() - faults0) / n;
	f.build_s = t1 - t0;
	f.rss_mib = rss_mib() - rss0;
	for (int i = 0; i < n; i++) {
		struct vm_outcome o;
		system_vm_outcome(s, i, &o);
		if (!o.exited || o.exit_code != 0 || o.fault) {
			fprintf(stderr, "bench vms: VM %d did not exit 0\n", i);
			exit(1);
		}
		f.icount += o.icount;
	}
	system_free(s);
	return f;
}

/* One run in a child process; its figures come back through a pipe. */
static struct fig run_child(uint64_t iter, int n, uint32_t quantum)
{
	int fd[2];
	struct fig f;
	if (pipe(fd)) {
		perror("bench vms: pipe");
		exit(1);
	}
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		perror("bench vms: fork");
		exit(1);
	}
	if (pid == 0) {
		close(fd[0]);
		f = run(iter, n, quantum);
		_exit(write(fd[1], &f, sizeof(f)) == (ssize_t)sizeof(f) ? 0 : 1);
	}
	close(fd[1]);
	ssize_t got = read(fd[0], &f, sizeof(f));
	close(fd[0]);
	int st;
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) || got != sizeof(f)) {
		fprintf(stderr, "bench vms: the run with %d VMs failed\n", n);
		exit(1);
	}
	return f;
}

int main(int argc, char **argv)
{
	uint64_t iter = argc > 1 ? strtoull(argv[1], NULL, 0) : 64000000ull;
	int n = argc > 2 ? atoi(argv[2]) : 64;
	int rounds = argc > 3 ? atoi(argv[3]) : 5;
	uint64_t quantum = argc > 4 ? strtoull(argv[4], NULL, 0) : 10000;
	if (n < 2 || n > 64 || iter < (uint64_t)n || iter > 0xffffffffull || rounds < 1 ||
	    rounds > BENCH_MAX_ROUNDS || quantum == 0 || quantum > 0xffffffffull) {
		fprintf(stderr, "usage: vms [ITERATIONS] [VMS (2..64)] [ROUNDS (1..%d)] [QUANTUM]\n",
			BENCH_MAX_ROUNDS);
		return 2;
	}
	if (access(GUEST, R_OK)) {
		fprintf(stderr, "bench vms: %s missing (make all)\n", GUEST);
		return 1;
	}
	iter -= iter % (uint64_t)n;    /* the same iterations in both */
	double ra[BENCH_MAX_ROUNDS], rb[BENCH_MAX_ROUNDS], rc[BENCH_MAX_ROUNDS];
	double ba[BENCH_MAX_ROUNDS], bb[BENCH_MAX_ROUNDS];
	double ma[BENCH_MAX_ROUNDS], mb[BENCH_MAX_ROUNDS];
	double ka[BENCH_MAX_ROUNDS], kb[BENCH_MAX_ROUNDS];
	double flt_a[BENCH_MAX_ROUNDS], flt_b[BENCH_MAX_ROUNDS];
	double touch[BENCH_MAX_ROUNDS], bulk[BENCH_MAX_ROUNDS];
	uint64_t ia = 0, ib = 0, ic = 0;
	for (int r = 0; r < rounds; r++) {
		page_cost(2048, &touch[r], &bulk[r]);
		for (int k = 0; k < 3; k++) {
			int which = (k + r) % 3;       /* A B C, B C A, C A B, ... */
			if (which == 2) {
				struct fig f = run_child(iter / (uint64_t)n, 1, (uint32_t)quantum);
				rc[r] = (double)f.icount / f.run_s / 1e6;
				ic = f.icount;
				continue;
			}
			bool one = which == 0;
			struct fig f = run_child(iter, one ? 1 : n, (uint32_t)quantum);
			if (one) {
				ra[r] = (double)f.icount / f.run_s / 1e6;
				ba[r] = f.build_s * 1e3;
				ma[r] = f.rss_mib;
				ka[r] = f.rss_built;
				flt_a[r] = f.faults;
				ia = f.icount;
			} else {
				rb[r] = (double)f.icount / f.run_s / 1e6;
				bb[r] = f.build_s * 1e3 / n;
				mb[r] = f.rss_mib / n;
				kb[r] = f.rss_built / n;
				flt_b[r] = f.faults;
				ib = f.icount;
			}
		}
	}
	struct bench_fig fa = bench_fig(ra, rounds), fb = bench_fig(rb, rounds);
	struct bench_fig fc = bench_fig(rc, rounds);
	struct bench_fig sa = bench_fig(ba, rounds), sb = bench_fig(bb, rounds);
	struct bench_fig qa = bench_fig(ma, rounds), qb = bench_fig(mb, rounds);
	struct bench_fig ja = bench_fig(ka, rounds), jb = bench_fig(kb, rounds);
	struct bench_fig pa = bench_fig(flt_a, rounds), pb = bench_fig(flt_b, rounds);
	struct bench_fig pt = bench_fig(touch, rounds), pp = bench_fig(bulk, rounds);
	printf("count guest (add; add; cmp; b.ne), %llu iterations in all, round-robin q=%llu, "
	       "%d alternating rounds, CPU time of system_run\n", (unsigned long long)iter,
	       (unsigned long long)quantum, rounds);
	printf("  A 1 VM:     %11llu instr  min %7.1f median %7.1f M instr/s\n",
	       (unsigned long long)ia, fa.min, fa.median);
	printf("  B %2d VMs:   %11llu instr  min %7.1f median %7.1f M instr/s\n", n,
	       (unsigned long long)ib, fb.min, fb.median);
	printf("  C 1 VM, a B VM's share: %11llu instr  min %7.1f median %7.1f M instr/s\n",
	       (unsigned long long)ic, fc.min, fc.median);
	printf("  ratio B/A (target >= 0.85):           %7.2f\n", fb.median / fa.median);
	printf("  ratio B/C (the same work per VM):     %7.2f\n", fb.median / fc.median);
	printf("  build, CPU ms per VM:       A min %6.2f median %6.2f   B min %6.2f median %6.2f\n",
	       sa.min, sa.median, sb.min, sb.median);
	printf("  resident MiB per VM, built: A min %6.2f median %6.2f   B min %6.2f median %6.2f\n",
	       ja.min, ja.median, jb.min, jb.median);
	printf("  resident MiB per VM, run:   A min %6.2f median %6.2f   B min %6.2f median %6.2f\n",
	       qa.min, qa.median, qb.min, qb.median);
	printf("  page faults per VM, run:    A min %6.0f median %6.0f   B min %6.0f median %6.0f\n",
	       pa.min, pa.median, pb.min, pb.median);
	printf("  a fresh page here: first touch min %.2f median %.2f us, populated in bulk min %.2f "
	       "median %.2f us\n", pt.min, pt.median, pp.min, pp.median);
	return 0;
}
