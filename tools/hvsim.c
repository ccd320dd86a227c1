/* hvsim.c - the command line (CONTRACT section 1): a table of subcommands,
 * option parsing and printing. All logic lives in conformance/ and sim/. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../conformance/engine.h"
#include "../conformance/explore.h"
#include "../conformance/clauses.h"
#include "../conformance/result.h"
#include "../conformance/textutil.h"

#ifndef HVSIM_VERSION
#define HVSIM_VERSION "dev"
#endif

struct opts {
	const char *html, *junit, *json, *trace, *schedule, *suite, *guests;
	struct sc_overrides ov;
	const char *profile_kv[64];
	int jobs;
	int shard_k, shard_n;
	int verbose;            /* -1 quiet, 0 normal, 1 verbose */
	const char **files; int n_files;
	char cmdline[2048];
};

static const char *argv0_path;

/* ---- finding things next to the binary ----------------------------------- */

static void binary_dir(char *out, size_t n)
{
	char buf[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	if (len <= 0) {
		snprintf(out, n, ".");
		return;
	}
	buf[len] = 0;
	char *slash = strrchr(buf, '/');
	if (slash)
		*slash = 0;
	if (strlen(buf) >= n) {
		snprintf(out, n, ".");
		return;
	}
	memcpy(out, buf, strlen(buf) + 1);
}

/* ---- collecting scenario files -------------------------------------------- */

struct strlist { char **v; int n, cap; };

static void strlist_add(struct strlist *l, const char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		if (!l->v) {
			fprintf(stderr, "hvsim: out of memory\n");
			exit(2);
		}
	}
	l->v[l->n++] = strdup(s);
}

static void strlist_free(struct strlist *l)
{
	for (int i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int cmp_bytes(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void collect_dir(const char *dir, struct strlist *out)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char path[PATH_MAX];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		struct stat st;
		if (stat(path, &st))
			continue;
		if (S_ISDIR(st.st_mode))
			collect_dir(path, out);
		else if (strlen(e->d_name) > 5 && !strcmp(e->d_name + strlen(e->d_name) - 5, ".json"))
			strlist_add(out, path);
	}
	closedir(d);
}

/* Expand directories, sort bytewise, keep this shard (CONTRACT 1). */
static int collect(const struct opts *o, struct strlist *out)
{
	for (int i = 0; i < o->n_files; i++) {
		struct stat st;
		/* A file that cannot be read is that file's ERROR, reported in
		 * its place; the other scenarios still run (CONTRACT 1). */
		if (!stat(o->files[i], &st) && S_ISDIR(st.st_mode))
			collect_dir(o->files[i], out);
		else
			strlist_add(out, o->files[i]);
	}
	qsort(out->v, out->n, sizeof(*out->v), cmp_bytes);
	if (o->shard_n > 1) {
		int k = 0;
		for (int i = 0; i < out->n; i++) {
			if (i % o->shard_n + 1 == o->shard_k)
				out->v[k++] = out->v[i];
			else
				free(out->v[i]);
		}
		out->n = k;
	}
	return 0;
}

/* ---- running scenarios in worker processes -------------------------------- */

struct job { pid_t pid; int index; char tmp[64]; };

static void run_in_child(const char *file, const struct opts *o, const char *tmp)
{
	struct engine_opts eo = { .ov = o->ov, .schedule = o->schedule, .argv0 = argv0_path };
	FILE *trace = NULL;
	if (o->trace) {
		char path[PATH_MAX];
		snprintf(path, sizeof(path), "%s.part", tmp);
		trace = fopen(path, "w");
		eo.trace = trace;
	}
	struct sc_result r;
	engine_run_file(file, &eo, &r);
	if (trace)
		fclose(trace);
	char *json = result_to_json(&r);
	FILE *f = fopen(tmp, "w");
	if (!f || !json || fputs(json, f) < 0 || fclose(f))
		_exit(3);
	free(json);
	result_free(&r);
	_exit(0);
}

static void crashed(struct sc_result *r, const char *file, int status)
{
	char msg[256];
	memset(r, 0, sizeof(*r));
	if (WIFSIGNALED(status))
		snprintf(msg, sizeof(msg), "%s: hvsim crashed running it (signal %d)", file, WTERMSIG(status));
	else
		snprintf(msg, sizeof(msg), "%s: worker ended with status %d and no result", file,
			 WEXITSTATUS(status));
	r->file = strdup(file);
	r->name = strdup(file);
	r->status = SC_ERROR;
	r->reason = strdup(msg);
}

static void collect_result(struct job *j, const char *file, int status, struct sc_result *r)
{
	FILE *f = fopen(j->tmp, "r");
	char *text = NULL;
	size_t len = 0;
	if (f) {
		FILE *m = open_memstream(&text, &len);
		int c;
		while (m && (c = fgetc(f)) != EOF)
			fputc(c, m);
		if (m)
			fclose(m);
		fclose(f);
	}
	char err[256];
	if (!text || !WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
	    result_from_json(text, r, err, sizeof(err)))
		crashed(r, file, status);
	free(text);
	unlink(j->tmp);
}

static void append_trace(const struct opts *o, FILE *out, struct job *j, const struct sc_result *r, int many)
{
	char part[PATH_MAX];
	snprintf(part, sizeof(part), "%s.part", j->tmp);
	FILE *in = fopen(part, "r");
	if (!in)
		return;
	if (many)
		fprintf(out, "{\"scenario\":\"%s\",\"file\":\"%s\"}\n", r->name, r->file);
	int c;
	while ((c = fgetc(in)) != EOF)
		fputc(c, out);
	fclose(in);
	unlink(part);
}

/* The kept events (no mmio) around seq, the one cited marked with '>'. */
static void print_events_around(const struct sc_result *r, int64_t seq)
{
	enum { AROUND = 3 };
	int at = -1;
	if (seq < 0)
		return;
	for (int k = 0; k < r->n_kept; k++)
		if ((int64_t)r->events[k].seq <= seq)
			at = k;
	if (at < 0)
		return;
	int from = at > AROUND ? at - AROUND : 0;
	int to = at + AROUND < r->n_kept - 1 ? at + AROUND : r->n_kept - 1;
	for (int k = from; k <= to; k++) {
		const struct ev *e = &r->events[k];
		char nb[24];
		char *det = tu_ev_details(r, e);
		printf("      %c seq %llu clock %llu %s %s %s\n", (int64_t)e->seq == seq ? '>' : ' ',
		       (unsigned long long)e->seq, (unsigned long long)e->clock,
		       tu_vm_name(r, e->vm, nb, sizeof(nb)), ev_kind_name(e->kind), det ? det : "");
		free(det);
	}
}

static void print_line(const struct opts *o, const struct sc_result *r)
{
	switch (r->status) {
	case SC_PASS:
		if (o->verbose >= 0)
			printf("PASS %s\n", r->name);
		break;
	case SC_FAIL:
		printf("FAIL %s: %s\n", r->name, r->reason ? r->reason : "?");
		if (o->verbose > 0) {
			for (int i = 0; i < r->n_exps; i++)
				if (!r->exps[i].pass) {
					printf("    %s: %s: %s\n", r->exps[i].where, r->exps[i].what,
					       r->exps[i].message ? r->exps[i].message : "");
					print_events_around(r, r->exps[i].ev_seq);
				}
		}
		if (r->replay)
			printf("    replay: %s\n", r->replay);
		break;
	case SC_ERROR:
		printf("ERROR %s\n", r->reason ? r->reason : r->file);
		break;
	case SC_SKIP:
		printf("SKIP %s\n", r->name);
		break;
	}
	fflush(stdout);
}

static int write_reports(const struct opts *o, const char *title, struct sc_result *res, int n)
{
	struct run_summary s = { .title = title, .command = o->cmdline, .version = HVSIM_VERSION,
				 .results = res, .n = n, .all_clauses = spec_clauses,
				 .n_all_clauses = n_spec_clauses };
	char err[512];
	int rc = 0;
	if (o->junit && report_junit(&s, o->junit, err, sizeof(err)))
		fprintf(stderr, "hvsim: %s\n", err), rc = -1;
	if (o->html && report_html(&s, o->html, err, sizeof(err)))
		fprintf(stderr, "hvsim: %s\n", err), rc = -1;
	if (o->json && report_json(&s, o->json, err, sizeof(err)))
		fprintf(stderr, "hvsim: %s\n", err), rc = -1;
	return rc;
}

/* Run every file, at most o->jobs at a time, each in its own process, and
 * print results in file order. Returns the exit status (CONTRACT 1). */
static int run_files(const struct opts *o, const char *title, struct strlist *files)
{
	int n = files->n;
	struct sc_result *res = calloc(n + 1, sizeof(*res));
	struct job *jobs = calloc(n + 1, sizeof(*jobs));
	bool *done = calloc(n + 1, sizeof(*done));
	FILE *trace = NULL;
	if (!res || !jobs || !done) {
		fprintf(stderr, "hvsim: out of memory\n");
		return 2;
	}
	if (o->trace && !(trace = fopen(o->trace, "w"))) {
		fprintf(stderr, "hvsim: %s: %s\n", o->trace, strerror(errno));
		return 2;
	}
	int next = 0, running = 0, printed = 0;
	fflush(stdout);
	while (printed < n) {
		while (running < o->jobs && next < n) {
			struct job *j = &jobs[next];
			j->index = next;
			snprintf(j->tmp, sizeof(j->tmp), "/tmp/hvsim-%d-%d.json", (int)getpid(), next);
			j->pid = fork();
			if (j->pid == 0)
				run_in_child(files->v[next], o, j->tmp);
			if (j->pid < 0) {
				crashed(&res[next], files->v[next], 0);
				done[next] = true;
			} else {
				running++;
			}
			next++;
		}
		if (running) {
			int status;
			pid_t pid = wait(&status);
			if (pid < 0)
				break;
			for (int i = 0; i < next; i++) {
				if (jobs[i].pid == pid && !done[i]) {
					collect_result(&jobs[i], files->v[i], status, &res[i]);
					done[i] = true;
					running--;
				}
			}
		}
		while (printed < n && done[printed]) {
			if (trace)
				append_trace(o, trace, &jobs[printed], &res[printed], n > 1);
			print_line(o, &res[printed]);
			printed++;
		}
	}
	if (trace)
		fclose(trace);
	int passed = 0, failed = 0, errors = 0;
	for (int i = 0; i < n; i++) {
		passed += res[i].status == SC_PASS;
		failed += res[i].status == SC_FAIL;
		errors += res[i].status == SC_ERROR;
	}
	int rc = write_reports(o, title, res, n) ? 2 : 0;
	printf("%d passed, %d failed\n", passed, failed + errors);
	fflush(stdout);
	for (int i = 0; i < n; i++)
		result_free(&res[i]);
	free(res);
	free(jobs);
	free(done);
	if (errors)
		return 2;
	if (failed)
		return 1;
	return rc;
}

/* ---- options ------------------------------------------------------------- */

static int usage_error(const char *cmd, const char *msg)
{
	fprintf(stderr, "hvsim %s: %s\nTry 'hvsim %s --help'.\n", cmd, msg, cmd);
	return 2;
}

static int parse_opts(const char *cmd, int argc, char **argv, struct opts *o, bool run_opts)
{
	o->jobs = 1;
	o->files = calloc(argc + 1, sizeof(char *));
	size_t at = 0;
	for (int i = 0; i < argc && at < sizeof(o->cmdline) - 2; i++)
		at += snprintf(o->cmdline + at, sizeof(o->cmdline) - at, "%s%s", i ? " " : "", argv[i]);
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;
#define NEED_VAL() do { if (!val) return usage_error(cmd, "option needs a value") , -1; i++; } while (0)
		if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			o->verbose = -1;
		} else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
			o->verbose = 1;
		} else if (run_opts && !strcmp(a, "--html")) {
			NEED_VAL(); o->html = val;
		} else if (run_opts && !strcmp(a, "--junit")) {
			NEED_VAL(); o->junit = val;
		} else if (run_opts && !strcmp(a, "--json")) {
			NEED_VAL(); o->json = val;
		} else if (run_opts && !strcmp(a, "--trace")) {
			NEED_VAL(); o->trace = val;
		} else if (!strcmp(a, "--schedule") && !strcmp(cmd, "replay")) {
			NEED_VAL(); o->schedule = val;
		} else if (run_opts && !strcmp(a, "--seed")) {
			NEED_VAL();
			char *end;
			errno = 0;
			o->ov.seed = strtoull(val, &end, 0);
			if (*end || end == val || errno)
				return usage_error(cmd, "--seed takes a number"), -1;
			o->ov.has_seed = true;
		} else if (!strcmp(a, "--profile")) {
			NEED_VAL();
			if (!strchr(val, '=') || o->ov.n_profile == 64)
				return usage_error(cmd, "--profile takes KEY=VALUE"), -1;
			o->profile_kv[o->ov.n_profile++] = val;
		} else if (run_opts && !strncmp(a, "-j", 2) && a[2]) {
			o->jobs = atoi(a + 2);
			if (o->jobs < 1 || o->jobs > 256)
				return usage_error(cmd, "-j takes a number from 1 to 256"), -1;
		} else if (run_opts && (!strcmp(a, "-j") || !strcmp(a, "--jobs"))) {
			NEED_VAL();
			o->jobs = atoi(val);
			if (o->jobs < 1 || o->jobs > 256)
				return usage_error(cmd, "-j takes a number from 1 to 256"), -1;
		} else if (run_opts && !strcmp(a, "--shard")) {
			NEED_VAL();
			if (sscanf(val, "%d/%d", &o->shard_k, &o->shard_n) != 2 || o->shard_n < 1 ||
			    o->shard_k < 1 || o->shard_k > o->shard_n)
				return usage_error(cmd, "--shard takes K/N with 1 <= K <= N"), -1;
		} else if (!strcmp(a, "--suite")) {
			NEED_VAL(); o->suite = val;
		} else if (!strcmp(a, "--guests")) {
			NEED_VAL(); o->guests = val;
		} else if (a[0] == '-' && a[1]) {
			char msg[256];
			snprintf(msg, sizeof(msg), "unknown option '%s'", a);
			return usage_error(cmd, msg), -1;
		} else {
			o->files[o->n_files++] = a;
		}
#undef NEED_VAL
	}
	o->ov.profile_kv = o->profile_kv;
	static char guests[PATH_MAX];
	if (o->guests) {
		o->ov.guest_dir = o->guests;
	} else {
		binary_dir(guests, sizeof(guests) - 8);
		strcat(guests, "/guests");
		o->ov.guest_dir = guests;
	}
	return 0;
}

/* ---- subcommands ---------------------------------------------------------- */

static const char run_help[] =
	"usage: hvsim run FILE.json|DIR ... [options]\n"
	"Run scenarios (a directory means every *.json below it).\n"
	"  --html FILE       self-contained HTML report\n"
	"  --junit FILE      JUnit XML report\n"
	"  --json FILE       machine-readable results (docs/json-schema.md)\n"
	"  --trace FILE      event log, JSON Lines (several scenarios: each after a\n"
	"                    {\"scenario\":...} line)\n"
	"  --seed N          override every scenario's seed\n"
	"  --profile K=V     override a SPEC section 9 profile switch (repeatable)\n"
	"  -j N              run N scenarios at once, each in its own process\n"
	"  --shard K/N       run slice K of N (files sorted bytewise, file i in slice i mod N + 1)\n"
	"  --guests DIR      guest library (default: guests/ beside the hvsim binary)\n"
	"  -q, -v            quieter (failures only) or more detail\n"
	"Exit: 0 all passed, 1 some failed, 2 bad usage or an invalid scenario file.\n";

static const char conform_help[] =
	"usage: hvsim conform [options]\n"
	"Run the whole conformance suite (scenarios/ beside the build directory, or --suite DIR).\n"
	"Takes the options of 'hvsim run'; 'make conform' writes reports/conformance.html.\n";

static const char replay_help[] =
	"usage: hvsim replay FILE.json --schedule S|@FILE [options]\n"
	"Re-run one scenario under schedule S exactly (the schedule string printed in\n"
	"every failure report). Grammar: POLICY[,seed=N][,q=N][,@POINT=VM...] with POLICY\n"
	"rr or random; see README 'Schedules'. Takes --trace, --html, --junit, --json, -v.\n";

static const char lint_help[] =
	"usage: hvsim lint FILE.json|DIR ... [--guests DIR] [--profile K=V]\n"
	"Validate scenario files without running them: JSON syntax (with line and column),\n"
	"unknown or duplicate keys, types, layouts, guest programs present.\n";

static int cmd_run(int argc, char **argv)
{
	struct opts o = {0};
	if (parse_opts("run", argc, argv, &o, true))
		return 2;
	if (!o.n_files)
		return usage_error("run", "no scenario files given");
	struct strlist files = {0};
	if (collect(&o, &files))
		return 2;
	int rc = files.n ? run_files(&o, "hvsim run", &files)
			 : usage_error("run", "no *.json scenario files found");
	strlist_free(&files);
	free(o.files);
	return rc;
}

static int cmd_conform(int argc, char **argv)
{
	struct opts o = {0};
	if (parse_opts("conform", argc, argv, &o, true))
		return 2;
	if (o.n_files)
		return usage_error("conform", "takes no files (use --suite DIR, or 'hvsim run')");
	char suite[PATH_MAX];
	if (o.suite) {
		snprintf(suite, sizeof(suite), "%s", o.suite);
	} else {
		binary_dir(suite, sizeof(suite) - 16);
		strcat(suite, "/../scenarios");
	}
	o.files[o.n_files++] = suite;
	struct strlist files = {0};
	if (collect(&o, &files))
		return 2;
	int rc = 2;
	if (!files.n)
		fprintf(stderr, "hvsim conform: no scenarios under %s\n", suite);
	else
		rc = run_files(&o, "hvsim conform", &files);
	strlist_free(&files);
	free(o.files);
	return rc;
}

static int cmd_replay(int argc, char **argv)
{
	struct opts o = {0};
	if (parse_opts("replay", argc, argv, &o, true))
		return 2;
	if (o.n_files != 1)
		return usage_error("replay", "takes exactly one scenario file");
	if (!o.schedule)
		return usage_error("replay", "--schedule S is required");
	static char text[4096];
	if (o.schedule[0] == '@') {
		FILE *f = fopen(o.schedule + 1, "r");
		if (!f || !fgets(text, sizeof(text), f)) {
			fprintf(stderr, "hvsim replay: cannot read schedule from %s\n", o.schedule + 1);
			if (f)
				fclose(f);
			return 2;
		}
		fclose(f);
		text[strcspn(text, "\r\n")] = 0;
		o.schedule = text;
	}
	struct strlist files = {0};
	strlist_add(&files, o.files[0]);
	int rc = run_files(&o, "hvsim replay", &files);
	strlist_free(&files);
	free(o.files);
	return rc;
}

static int cmd_lint(int argc, char **argv)
{
	struct opts o = {0};
	if (parse_opts("lint", argc, argv, &o, false))
		return 2;
	if (!o.n_files)
		return usage_error("lint", "no scenario files given");
	struct strlist files = {0};
	if (collect(&o, &files))
		return 2;
	int ok = 0, bad = 0;
	for (int i = 0; i < files.n; i++) {
		char err[1024];
		if (engine_lint_file(files.v[i], &o.ov, err, sizeof(err))) {
			printf("ERROR %s\n", err);
			bad++;
		} else {
			if (o.verbose >= 0)
				printf("PASS %s\n", files.v[i]);
			ok++;
		}
	}
	printf("%d passed, %d failed\n", ok, bad);
	strlist_free(&files);
	free(o.files);
	return bad ? 2 : 0;
}

static const char explore_help[] =
	"usage: hvsim explore FILE.json [options]\n"
	"Run one scenario under every schedule within its exploration bound (the scenario's\n"
	"\"explore\": {\"max_preemptions\": 2, \"max_schedules\": 100000}): schedules that differ\n"
	"in the order of the scheduling points (GIC and shmem register accesses, YIELD, WFI,\n"
	"quantum ends) across VMs, with at most max_preemptions departures from round-robin.\n"
	"Breadth first, so the first failing schedule found has the fewest departures; the\n"
	"search stops there and prints it with its replay command.\n"
	"Takes --html, --junit, --json, --trace (the reported run), --seed, --profile, -q, -v.\n";

static int cmd_explore(int argc, char **argv)
{
	struct opts o = {0};
	if (parse_opts("explore", argc, argv, &o, true))
		return 2;
	if (o.n_files != 1)
		return usage_error("explore", "takes exactly one scenario file");
	struct engine_opts eo = { .ov = o.ov, .argv0 = argv0_path };
	struct sc_result r;
	struct explore_stats st;
	if (explore_file(o.files[0], &eo, &r, &st)) {
		print_line(&o, &r);
		printf("0 passed, 1 failed\n");
		fflush(stdout);
		result_free(&r);
		free(o.files);
		return 2;
	}
	printf("explore %s: %llu schedule%s, max_preemptions %u, %s\n", r.name,
	       (unsigned long long)st.runs, st.runs == 1 ? "" : "s", st.max_preemptions,
	       st.failed ? "stopped at the first failing schedule" :
	       st.exhausted ? "bound exhausted" : "bound not exhausted (max_schedules reached)");
	if (o.verbose > 0)
		printf("    first run: %llu scheduling points\n", (unsigned long long)st.base_points);
	if (o.trace && r.schedule) {
		/* The reported run again, with its log: runs are deterministic. */
		struct engine_opts t = eo;
		struct sc_result again;
		t.schedule = r.schedule;
		t.trace = fopen(o.trace, "w");
		if (t.trace) {
			engine_run_file(o.files[0], &t, &again);
			fclose(t.trace);
			result_free(&again);
		}
	}
	print_line(&o, &r);
	if (r.status != SC_PASS && r.schedule)
		printf("    schedule: %s\n", r.schedule);
	int rc = write_reports(&o, "hvsim explore", &r, 1) ? 2 : 0;
	printf("%d passed, %d failed\n", r.status == SC_PASS, r.status != SC_PASS);
	fflush(stdout);
	enum sc_status status = r.status;
	result_free(&r);
	free(o.files);
	if (status == SC_ERROR)
		return 2;
	return status == SC_PASS ? rc : 1;
}

static const char debug_help[] =
	"usage: hvsim debug FILE.json [--vm NAME] [--gdb PORT] [--trace FILE]\n"
	"Step-debug one VM (default: the first) while the others run as scheduled.\n"
	"Without --gdb: an interactive prompt on the terminal ('help' lists its commands:\n"
	"break, delete, step, continue, regs, x, where, ev, quit); commands may be piped in.\n"
	"With --gdb PORT: a GDB remote stub on 127.0.0.1:PORT for one connection:\n"
	"  gdb-multiarch build/guests/NAME.elf -ex 'target remote :PORT'\n"
	"Breakpoints are exact (the VM stops before the instruction); 'step' runs one\n"
	"instruction of this VM. --trace writes the event log when the session ends.\n";

static int cmd_debug(int argc, char **argv)
{
	const char *vm = NULL;
	int port = 0;
	/* --vm and --gdb are this command's own; the rest are the common options. */
	char *rest[argc + 1];
	int n = 0;
	for (int i = 0; i < argc; i++) {
		if (i >= 2 && !strcmp(argv[i], "--vm") && i + 1 < argc) {
			vm = argv[++i];
		} else if (i >= 2 && !strcmp(argv[i], "--gdb") && i + 1 < argc) {
			char *end;
			long p = strtol(argv[++i], &end, 10);
			if (*end || p < 1 || p > 65535)
				return usage_error("debug", "--gdb takes a TCP port (1..65535)");
			port = (int)p;
		} else {
			rest[n++] = argv[i];
		}
	}
	rest[n] = NULL;
	struct opts o = {0};
	if (parse_opts("debug", n, rest, &o, true))
		return 2;
	if (o.n_files != 1)
		return usage_error("debug", "takes exactly one scenario file");
	struct engine_opts eo = { .ov = o.ov, .argv0 = argv0_path };
	char err[1024];
	if (o.trace && !(eo.trace = fopen(o.trace, "w"))) {
		fprintf(stderr, "hvsim debug: %s: %s\n", o.trace, strerror(errno));
		return 2;
	}
	int rc = engine_debug_file(o.files[0], &eo, vm, port, stdin, stdout, err, sizeof(err));
	fflush(stdout);
	free(o.files);
	if (eo.trace)
		fclose(eo.trace);
	if (rc) {
		fprintf(stderr, "hvsim debug: %s\n", err);
		return 2;
	}
	return 0;
}

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
	const char *summary;
};

static const struct command commands[] = {
	{ "run",     cmd_run,     run_help,     "run scenarios" },
	{ "conform", cmd_conform, conform_help, "run the whole conformance suite (the main job)" },
	{ "replay",  cmd_replay,  replay_help,  "re-run one scenario under a schedule string exactly" },
	{ "lint",    cmd_lint,    lint_help,    "validate scenario files without running them" },
	{ "explore", cmd_explore, explore_help, "run one scenario under every schedule within its bound" },
	{ "debug",   cmd_debug,   debug_help,   "step-debug a guest: a prompt, or a GDB stub" },
};

static void main_help(FILE *f)
{
	fprintf(f, "usage: hvsim COMMAND [options]\n\nhvsim %s: a hypervisor simulator and "
		"conformance suite for the shmem vdev and GICv2.\n\n", HVSIM_VERSION);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n'hvsim COMMAND --help' for a command's options; --version for the version.\n");
}

int main(int argc, char **argv)
{
	argv0_path = argv[0];
	if (argc < 2) {
		main_help(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		main_help(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("hvsim %s\n", HVSIM_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name))
			continue;
		for (int k = 2; k < argc; k++)
			if (!strcmp(argv[k], "--help") || !strcmp(argv[k], "-h")) {
				fputs(commands[i].help, stdout);
				return 0;
			}
		return commands[i].fn(argc, argv);
	}
	fprintf(stderr, "hvsim: unknown command '%s'\n", argv[1]);
	main_help(stderr);
	return 2;
}
