/* suite.c - the whole suite as a user runs it: `hvsim run scenarios -q`
 * with -j 1 (A) and -j 2 (B), alternating ROUNDS times, each a separate
 * process. Prints wall and CPU seconds (user + sys of hvsim and its
 * workers), min and median, and the peak resident memory of any one of
 * those processes. Issue target: the suite at -j 2 in under 2 s on a
 * 2-core machine, peak RSS under 100 MiB. Wall time is inflated by other
 * load on a shared machine, so the load average is printed too, and CPU / 2
 * is the wall time -j 2 would take on two idle cores. */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>
#include "bench.h"

#define ROUNDS 5

struct run { double wall, cpu; long maxrss_kib; };

static double wall_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double tv(struct timeval t)
{
	return t.tv_sec + t.tv_usec / 1e6;
}

/* One run of HVSIM run scenarios -j JOBS -q, output to /dev/null. */
static int run_suite(const char *hvsim, const char *jobs, struct run *out)
{
	double t0 = wall_now();
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		if (null >= 0) {
			dup2(null, 1);
			dup2(null, 2);
		}
		execl(hvsim, hvsim, "run", "scenarios", "-j", jobs, "-q", (char *)NULL);
		_exit(127);
	}
	int status;
	struct rusage ru;
	if (wait4(pid, &status, 0, &ru) != pid)
		return -1;
	out->wall = wall_now() - t0;
	/* hvsim's own rusage does not hold its workers; they are its waited
	 * children, so they count in ours only as a whole: read both. */
	struct rusage kids;
	getrusage(RUSAGE_CHILDREN, &kids);
	out->cpu = tv(kids.ru_utime) + tv(kids.ru_stime);
	out->maxrss_kib = kids.ru_maxrss;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static void loadavg(char *buf, size_t n)
{
	FILE *f = fopen("/proc/loadavg", "r");
	buf[0] = 0;
	if (f) {
		if (!fgets(buf, (int)n, f))
			buf[0] = 0;
		fclose(f);
	}
	/* the three averages; the running/total and last pid fields say nothing here */
	char *end = buf;
	for (int i = 0; i < 3 && end; i++)
		end = strchr(end + (i > 0), ' ');
	if (end)
		*end = 0;
}

int main(int argc, char **argv)
{
	const char *hvsim = argc > 1 ? argv[1] : "build/hvsim";
	const char *jobs[2] = { "1", "2" };
	double wall[2][ROUNDS], cpu[2][ROUNDS];
	long maxrss = 0;
	double cpu_before = 0;
	char load0[64], load1[64];
	loadavg(load0, sizeof(load0));
	for (int r = 0; r < ROUNDS; r++)
		for (int m = 0; m < 2; m++) {
			struct run x;
			if (run_suite(hvsim, jobs[m], &x)) {
				fprintf(stderr, "bench suite: %s run scenarios -j %s -q did not pass\n",
					hvsim, jobs[m]);
				return 1;
			}
			wall[m][r] = x.wall;
			cpu[m][r] = x.cpu - cpu_before;   /* RUSAGE_CHILDREN accumulates */
			cpu_before = x.cpu;
			if (x.maxrss_kib > maxrss)
				maxrss = x.maxrss_kib;
		}
	loadavg(load1, sizeof(load1));
	printf("the suite, %s run scenarios -q, %d alternating rounds (load %s, then %s)\n",
	       hvsim, ROUNDS, load0, load1);
	struct bench_fig w[2], c[2];
	for (int m = 0; m < 2; m++) {
		w[m] = bench_fig(wall[m], ROUNDS);
		c[m] = bench_fig(cpu[m], ROUNDS);
		printf("  -j %s  wall min %6.3f median %6.3f s   cpu min %6.3f median %6.3f s\n",
		       jobs[m], w[m].min, w[m].median, c[m].min, c[m].median);
	}
	printf("  -j 2 speedup, wall (median): %.2f   -j 2 on two idle cores >= cpu / 2 = %.3f s\n",
	       w[0].median / w[1].median, c[1].median / 2);
	printf("  peak RSS of any one process: %.1f MiB\n", maxrss / 1024.0);
	return 0;
}
