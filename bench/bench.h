/* bench.h - what every bench shares: CPU time, min / median of a figure
 * over alternating rounds (these machines are shared: read the medians),
 * and the floor's block hook. */
#ifndef HVSIM_BENCH_H
#define HVSIM_BENCH_H

#include <stdlib.h>
#include <time.h>
#include <unicorn/unicorn.h>

#define BENCH_MAX_ROUNDS 64

static inline double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int bench_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

struct bench_fig { double min, median; };

/* min and median of v[0..n) (v is reordered). */
static inline struct bench_fig bench_fig(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), bench_cmp);
	double med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	return (struct bench_fig){ v[0], med };
}

/* Millions of `work` units per second, from n times in seconds. */
static inline struct bench_fig bench_rate(const double *t, int n, double work)
{
	double r[BENCH_MAX_ROUNDS];
	for (int i = 0; i < n; i++)
		r[i] = work / t[i] / 1e6;
	return bench_fig(r, n);
}

/* Nanoseconds per unit, from n times in seconds. */
static inline struct bench_fig bench_ns(const double *t, int n, double units)
{
	double r[BENCH_MAX_ROUNDS];
	for (int i = 0; i < n; i++)
		r[i] = t[i] / units * 1e9;
	return bench_fig(r, n);
}

/* The least a counting block hook does: adds the block's instructions to
 * the uint64_t at user. An engine with it alone is the floor of any count
 * a block hook keeps (docs/engine.md). */
static inline void bench_count_block(uc_engine *uc, uint64_t addr, uint32_t size, void *user)
{
	*(uint64_t *)user += size / 4;
}

#endif
