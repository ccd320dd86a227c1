/* hvsim.c - the command line (CONTRACT section 1): a table of subcommands,
 * option parsing and printing. All logic lives in conformance/ and sim/. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "conformance/engine.h"
#include "conformance/explore.h"
#include "conformance/runner.h"
#include "conformance/clauses.h"
#include "conformance/select.h"
#include "conformance/merge.h"
#include "conformance/result_json.h"
#include "reports/report.h"
#include "reports/summary.h"
#include "reports/report_compat.h"
#include "conformance/compat.h"

#ifndef HVSIM_VERSION
#define HVSIM_VERSION "dev"
#endif

#define DEFAULT_TIMEOUT_S 120u     /* --timeout: wall clock per scenario */
#define MAX_TIMEOUT_S     86400u

struct opts {
	const char *html, *junit, *json, *tap, *trace, *schedule, *suite, *guests;
	const char *kexpr;      /* -k EXPR (conformance/select.h) */
	bool list;              /* --list: print what would run, run nothing */
	bool exitfirst;         /* -x: stop at the first FAIL or ERROR */
	bool last_failed;       /* --last-failed: only what failed last time */
	bool compat;            /* --compat: the client x reading matrix too */
	struct sc_overrides ov;
	const char *profile_kv[64];
	int jobs;
	unsigned timeout_s;     /* per scenario, wall clock; 0 = none */
	int shard_k, shard_n;
	int verbose;            /* -1 quiet, 0 normal, 1 verbose */
	bool accept_incomplete; /* explore: a search cut short by its budget exits 0 */
	struct explore_cfg explore;
	const char **files; int n_files;
	const char *state;      /* --last-failed state file, updated after run/conform */
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

static bool is_dir(const char *path)
{
	struct stat st;
	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

/* Where the suite and the guests are. In the tree the binary is build/hvsim
 * with build/guests/ beside it and scenarios/ beside build/. Installed
 * (`make install`), it is PREFIX/bin/hvsim and they are in
 * PREFIX/share/hvsim/{guests,scenarios}: this returns that directory,
 * resolved (no "bin/.."), or NULL when guests/ is beside the binary or
 * there is no share/hvsim. */
static const char *installed_share(void)
{
	static char share[PATH_MAX];
	static int known;       /* 0 not looked yet, 1 installed, -1 not */
	if (!known) {
		char dir[PATH_MAX], buf[PATH_MAX + 32];
		known = -1;
		binary_dir(dir, sizeof(dir));
		snprintf(buf, sizeof(buf), "%s/guests", dir);
		if (!is_dir(buf)) {
			snprintf(buf, sizeof(buf), "%s/../share/hvsim", dir);
			if (is_dir(buf) && realpath(buf, share))
				known = 1;
		}
	}
	return known > 0 ? share : NULL;
}

/* PATH of the data: guests/ beside the binary or in share/hvsim (above),
 * the suite in ../scenarios or share/hvsim/scenarios. */
static void data_path(char *out, size_t n, const char *in_tree, const char *installed)
{
	const char *share = installed_share();
	char dir[PATH_MAX];
	int len;
	if (share) {
		len = snprintf(out, n, "%s/%s", share, installed);
	} else {
		binary_dir(dir, sizeof(dir));
		len = snprintf(out, n, "%s/%s", dir, in_tree);
	}
	if (len < 0 || (size_t)len >= n)
		snprintf(out, n, "%s", in_tree);        /* too long: say where it would be */
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
		char *det = summary_ev_details(r, e);
		printf("      %c seq %llu clock %llu %s %s %s\n", (int64_t)e->seq == seq ? '>' : ' ',
		       (unsigned long long)e->seq, (unsigned long long)e->clock,
		       summary_vm_name(r, e->vm, nb, sizeof(nb)), ev_kind_name(e->kind), det ? det : "");
		free(det);
	}
}

/* ---- colour (a terminal, no NO_COLOR) ------------------------------------- */

static int colour = -1;   /* -1 not decided yet */

/* A status word, coloured when stdout is a terminal and NO_COLOR is unset. */
static const char *word(const char *w)
{
	static char buf[64];
	if (colour < 0)
		colour = summary_colour(isatty(1), getenv("NO_COLOR"));
	if (!colour)
		return w;
	const char *c = !strcmp(w, "PASS") || !strcmp(w, "OK") ? "32" :
			!strcmp(w, "SKIP") ? "33" : "31";
	snprintf(buf, sizeof(buf), "\033[1;%sm%s\033[0m", c, w);
	return buf;
}

static const char *display(const struct sc_result *r)
{
	return r->name ? r->name : r->file ? r->file : "?";
}

/* "ERROR name: reason"; a reason that starts with the name (an invalid
 * file's message names the file, "x.json:2:1: ...") is not preceded by it
 * again. */
static void print_error(const struct sc_result *r)
{
	const char *why = r->reason ? r->reason : "error";
	const char *name = display(r);
	size_t n = strlen(name);
	if (!strncmp(why, name, n) && why[n] == ':')
		printf("%s %s\n", word("ERROR"), why);
	else
		printf("%s %s: %s\n", word("ERROR"), name, why);
}

static void print_line(const struct opts *o, const struct sc_result *r)
{
	switch (r->status) {
	case SC_PASS:
		if (o->verbose >= 0)
			printf("%s %s\n", word("PASS"), r->name);
		break;
	case SC_FAIL:
		printf("%s %s: %s\n", word("FAIL"), r->name, r->reason ? r->reason : "?");
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
		print_error(r);
		break;
	case SC_SKIP:
		printf("%s %s\n", word("SKIP"), r->name);
		break;
	case SC_INCOMPLETE:
		printf("%s %s: %s\n", word("INCOMPLETE"), r->name,
		       r->reason ? r->reason : "search cut short");
		break;
	}
	/* Race mode: every report, in full (docs/races.md). */
	for (int i = 0; o->verbose >= 0 && r->races && i < r->n_races; i++) {
		char *t = summary_race_text(r, i, argv0_path, "    ");
		if (t)
			fputs(t, stdout);
		free(t);
	}
	fflush(stdout);
}

/* After the per-scenario lines, before the closing count: every failure
 * again, one line each, and the reports written. */
static void print_tail(const struct opts *o, const struct sc_result *res, int n, bool reports_ok)
{
	int bad = 0;
	for (int i = 0; i < n; i++)
		bad += res[i].status == SC_FAIL || res[i].status == SC_ERROR ||
		       res[i].status == SC_INCOMPLETE;
	if (bad) {
		printf("failures:\n");
		for (int i = 0; i < n; i++) {
			const struct sc_result *r = &res[i];
			if (r->status == SC_FAIL)
				printf("%s %s: %s\n", word("FAIL"), display(r), r->reason ? r->reason : "?");
			else if (r->status == SC_ERROR)
				print_error(r);
			else if (r->status == SC_INCOMPLETE)
				printf("%s %s: %s\n", word("INCOMPLETE"), display(r),
				       r->reason ? r->reason : "search cut short");
		}
	}
	const char *paths[] = { o->html, o->junit, o->json, o->tap };
	for (size_t i = 0; reports_ok && i < sizeof(paths) / sizeof(paths[0]); i++)
		if (paths[i])
			printf("report: %s\n", paths[i]);
	fflush(stdout);
}

static int write_reports(const struct opts *o, const char *title, struct sc_result *res, int n,
			 const struct compat_table *compat)
{
	struct run_summary s = { .title = title, .command = o->cmdline, .version = HVSIM_VERSION,
				 .results = res, .n = n, .all_clauses = spec_clauses,
				 .n_all_clauses = n_spec_clauses, .compat = compat };
	char err[512];
	int rc = 0;
	if (o->junit && report_junit(&s, o->junit, err, sizeof(err)))
		fprintf(stderr, "hvsim: %s\n", err), rc = -1;
	if (o->html && report_html(&s, o->html, err, sizeof(err)))
		fprintf(stderr, "hvsim: %s\n", err), rc = -1;
	if (o->json && report_json(&s, o->json, err, sizeof(err)))
		fprintf(stderr, "hvsim: %s\n", err), rc = -1;
	if (o->tap && report_tap(&s, o->tap, err, sizeof(err)))
		fprintf(stderr, "hvsim: %s\n", err), rc = -1;
	return rc;
}

static void on_result(void *ctx, const struct sc_result *r)
{
	print_line(ctx, r);
}

/* --compat: the client-style files among `files` (area "clients") under
 * every reading of conformance/compat.c, printed as text. Returns 0 (an empty
 * table when there are none), -1 when it could not run. */
static int run_compat(const struct runner *base, const struct file_list *files,
		      struct compat_table *t)
{
	struct file_list clients = {0};
	int rc = 0;
	for (int i = 0; i < files->n && !rc; i++)
		if (compat_is_client(files->v[i]))
			rc = file_list_add(&clients, files->v[i]);
	if (!rc && clients.n) {
		rc = compat_run(base, &clients, t);
		if (!rc)
			report_text_compat(stdout, t);
	}
	file_list_free(&clients);
	return rc;
}

/* Run the files (each in its own process), print one line each in file
 * order, write the reports. Returns the exit status (CONTRACT 1). */
static int run_files(const struct opts *o, const char *title, const struct file_list *files)
{
	struct engine_opts eo = { .ov = o->ov, .schedule = o->schedule, .argv0 = argv0_path };
	int ran = files->n;
	struct runner rn = { .jobs = o->jobs, .eo = &eo, .timeout_s = o->timeout_s,
			     .on_result = on_result, .ctx = (void *)o, .exitfirst = o->exitfirst,
			     .n_ran = &ran };
	struct sc_result *res = calloc(files->n + 1, sizeof(*res));
	if (!res) {
		fprintf(stderr, "hvsim: out of memory\n");
		return 2;
	}
	if (o->trace && !(rn.trace = fopen(o->trace, "w"))) {
		fprintf(stderr, "hvsim: %s: %s\n", o->trace, strerror(errno));
		free(res);
		return 2;
	}
	int rc = runner_run(&rn, files, res) ? 2 : 0;
	if (rn.trace)
		fclose(rn.trace);
	int passed = 0, failed = 0, errors = 0;
	bool *bad = calloc(ran + 1, sizeof(*bad));
	for (int i = 0; i < ran; i++) {
		passed += res[i].status == SC_PASS;
		failed += res[i].status == SC_FAIL;
		errors += res[i].status == SC_ERROR;
		if (bad)
			bad[i] = res[i].status != SC_PASS && res[i].status != SC_SKIP;
	}
	if (o->state && bad && sel_lastfailed_update(o->state, files->v, bad, ran) && o->last_failed)
		fprintf(stderr, "hvsim: cannot update %s\n", o->state);
	free(bad);
	if (ran < files->n)
		printf("stopped at the first failure (-x): %d of %d scenarios not run\n",
		       files->n - ran, files->n);
	struct compat_table compat = {0};
	if (o->compat && run_compat(&rn, files, &compat)) {
		fprintf(stderr, "hvsim: the client compatibility matrix could not run\n");
		rc = 2;
	}
	bool reports_ok = !write_reports(o, title, res, ran, o->compat ? &compat : NULL);
	compat_free(&compat);
	if (!reports_ok)
		rc = 2;
	print_tail(o, res, ran, reports_ok);
	printf("%d passed, %d failed\n", passed, failed + errors);
	fflush(stdout);
	for (int i = 0; i < files->n; i++)
		result_free(&res[i]);
	free(res);
	if (errors)
		return 2;
	return failed ? 1 : rc;
}

/* Expand the command line's files and directories for this shard. */
static int collect(const struct opts *o, struct file_list *out)
{
	if (runner_collect(o->files, o->n_files, o->shard_k, o->shard_n, out)) {
		fprintf(stderr, "hvsim: out of memory\n");
		return -1;
	}
	return 0;
}

/* ---- selection: --last-failed, -k, --list ---------------------------------- */

/* The --last-failed state: $HVSIM_LASTFAILED, else .hvsim-lastfailed beside
 * the binary (build/.hvsim-lastfailed) in the tree. An installed hvsim never
 * writes under its prefix (`make uninstall` must leave nothing behind, and
 * PREFIX/bin is often not the user's): $XDG_STATE_HOME/hvsim/lastfailed,
 * by default ~/.local/state/hvsim/lastfailed, its directories made here;
 * with neither variable set, .hvsim-lastfailed in the current directory. */
static const char *state_path(void)
{
	static char buf[PATH_MAX];
	const char *env = getenv("HVSIM_LASTFAILED");
	if (env && *env)
		return env;
	if (!installed_share()) {
		binary_dir(buf, sizeof(buf) - 24);
		strcat(buf, "/.hvsim-lastfailed");
		return buf;
	}
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	int len;
	if (xdg && *xdg == '/')
		len = snprintf(buf, sizeof(buf), "%s/hvsim/lastfailed", xdg);
	else if (home && *home == '/')
		len = snprintf(buf, sizeof(buf), "%s/.local/state/hvsim/lastfailed", home);
	else
		return ".hvsim-lastfailed";
	if (len < 0 || (size_t)len >= sizeof(buf))
		return ".hvsim-lastfailed";
	/* mkdir -p of its directory (those that exist are left alone; a
	 * failure shows when the state cannot be written or read) */
	for (char *p = buf + 1; (p = strchr(p, '/')); p++) {
		*p = 0;
		(void)!mkdir(buf, 0700);
		*p = '/';
	}
	return buf;
}

static void clauses_text(const struct sel_meta *m, char *buf, size_t n)
{
	size_t at = 0;
	snprintf(buf, n, "-");
	for (int i = 0; i < m->n_clauses && at + 2 < n; i++)
		at += snprintf(buf + at, n - at, "%s%s", i ? "," : "", m->clauses[i]);
}

static int usage_error(const char *cmd, const char *msg);

/* Narrow the collected files by --last-failed and -k; print them for --list.
 * Returns -1 to go on and run them, or the exit status. */
static int select_files(const char *cmd, struct opts *o, struct file_list *files)
{
	o->state = state_path();
	int rc = -1;
	bool *keep = calloc(files->n + 1, sizeof(*keep));
	struct sel_meta *meta = calloc(files->n + 1, sizeof(*meta));
	if (!keep || !meta)
		goto oom;
	if (o->last_failed) {
		struct file_list lf;
		if (sel_lastfailed_read(o->state, &lf)) {
			fprintf(stderr, "hvsim %s: cannot read %s: %s\n", cmd, o->state, strerror(errno));
			rc = 2;
			goto out;
		}
		int kept = 0;
		for (int i = 0; i < files->n; i++)
			kept += keep[i] = sel_lastfailed_has(&lf, files->v[i]);
		if (kept)
			sel_filter(files, keep);
		else
			fprintf(stderr, "hvsim %s: --last-failed: none of these %d scenarios failed "
				"last time (%s); running all of them\n", cmd, files->n, o->state);
		file_list_free(&lf);
	}
	if (!o->kexpr && !o->list)
		goto out;
	for (int i = 0; i < files->n; i++)
		if (sel_meta_read(files->v[i], &meta[i]))
			goto oom;
	if (o->kexpr) {
		char err[400];
		struct sel_expr *e = sel_parse(o->kexpr, err, sizeof(err));
		if (!e) {
			rc = usage_error(cmd, err);
			goto out;
		}
		int k = 0, n = files->n;
		for (int i = 0; i < n; i++) {
			keep[i] = sel_match(e, &meta[i]);
			if (keep[i])
				meta[k++] = meta[i];
			else
				sel_meta_free(&meta[i]);
		}
		memset(meta + k, 0, (n - k) * sizeof(*meta));
		sel_free(e);
		sel_filter(files, keep);
		if (!files->n) {
			char msg[600];
			snprintf(msg, sizeof(msg), "-k '%s' selects none of the %d scenarios", o->kexpr, n);
			rc = usage_error(cmd, msg);
			goto out;
		}
	}
	if (o->list) {
		char cl[1024];
		for (int i = 0; i < files->n; i++) {
			clauses_text(&meta[i], cl, sizeof(cl));
			printf("%-36s %-12s %s\n", meta[i].name, meta[i].area, cl);
		}
		printf("%d scenario%s selected (--list: none run)\n", files->n, files->n == 1 ? "" : "s");
		rc = 0;
	}
	goto out;
oom:
	fprintf(stderr, "hvsim: out of memory\n");
	rc = 2;
out:
	for (int i = 0; meta && i < files->n; i++)
		sel_meta_free(&meta[i]);
	free(meta);
	free(keep);
	return rc;
}

/* ---- options ------------------------------------------------------------- */

static int usage_error(const char *cmd, const char *msg)
{
	fprintf(stderr, "hvsim %s: %s\nTry 'hvsim %s --help'.\n", cmd, msg, cmd);
	return 2;
}

/* Commands that select scenarios: -k, --list, -x, --last-failed. */
static bool has_selection(const char *cmd)
{
	return !strcmp(cmd, "run") || !strcmp(cmd, "conform") || !strcmp(cmd, "compat");
}

/* Commands that run scenarios in worker processes: they take --timeout. */
static bool has_workers(const char *cmd)
{
	return !strcmp(cmd, "run") || !strcmp(cmd, "conform") || !strcmp(cmd, "replay") ||
	       !strcmp(cmd, "compat");
}

static int parse_opts(const char *cmd, int argc, char **argv, struct opts *o, bool run_opts)
{
	o->jobs = 1;
	/* explore: a time budget for the whole search, none unless asked */
	o->timeout_s = strcmp(cmd, "explore") ? DEFAULT_TIMEOUT_S : 0;
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
		} else if (run_opts && !strcmp(a, "--tap")) {
			NEED_VAL(); o->tap = val;
		} else if (has_selection(cmd) && !strcmp(a, "-k")) {
			NEED_VAL();
			if (o->kexpr)
				return usage_error(cmd, "-k given twice (join them with 'and')"), -1;
			o->kexpr = val;
		} else if (has_selection(cmd) && !strcmp(a, "--compat")) {
			o->compat = true;
		} else if (has_selection(cmd) && !strcmp(a, "--list")) {
			o->list = true;
		} else if (has_selection(cmd) && (!strcmp(a, "-x") || !strcmp(a, "--exitfirst"))) {
			o->exitfirst = true;
		} else if (has_selection(cmd) && (!strcmp(a, "--last-failed") || !strcmp(a, "--lf"))) {
			o->last_failed = true;
		} else if (run_opts && !strcmp(a, "--races")) {
			o->ov.races = true;
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
		} else if (!strcmp(a, "--accept-incomplete") && !strcmp(cmd, "explore")) {
			o->accept_incomplete = true;
		} else if (!strcmp(a, "--reexec") && !strcmp(cmd, "explore")) {
			o->explore.reexec = true;
		} else if (!strcmp(a, "--fork") && !strcmp(cmd, "explore")) {
			o->explore.fork = true;
		} else if (!strcmp(a, "--cold") && !strcmp(cmd, "explore")) {
			o->explore.cold = true;
		} else if (!strcmp(a, "--snapshots") && !strcmp(cmd, "explore")) {
			o->explore.snapshots = true;
		} else if (!strcmp(a, "--no-snapshots") && !strcmp(cmd, "explore")) {
			o->explore.snapshots = false;
		} else if (!strcmp(a, "--outcome-digest") && !strcmp(cmd, "explore")) {
			o->explore.hash_log = true;
		} else if (!strcmp(a, "--dpor") && !strcmp(cmd, "explore")) {
			o->explore.dpor = true;
		} else if (!strcmp(a, "--no-dpor") && !strcmp(cmd, "explore")) {
			o->explore.dpor = false;
		} else if (!strcmp(a, "--sleep-sets") && !strcmp(cmd, "explore")) {
			o->explore.sleep_sets = true;
		} else if ((has_workers(cmd) || !strcmp(cmd, "explore")) && !strcmp(a, "--timeout")) {
			NEED_VAL();
			char *end;
			errno = 0;
			unsigned long t = strtoul(val, &end, 10);
			if (*end || end == val || errno || val[0] == '-' || t > MAX_TIMEOUT_S)
				return usage_error(cmd, "--timeout takes seconds from 0 (none) to 86400"), -1;
			o->timeout_s = (unsigned)t;
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
		data_path(guests, sizeof(guests), "guests", "guests");
		o->ov.guest_dir = guests;
	}
	return 0;
}

/* ---- subcommands ---------------------------------------------------------- */

static const char run_help[] =
	"usage: hvsim run FILE.json|DIR ... [options]\n"
	"Run scenarios (a directory means every *.json below it).\n"
	"Reports:\n"
	"  --html FILE       self-contained HTML report\n"
	"  --junit FILE      JUnit XML report\n"
	"  --json FILE       machine-readable results (docs/json-schema.md)\n"
	"  --tap FILE        TAP version 13 report (one test point per scenario)\n"
	"  --races           race mode: data races and missing barriers on shared pages\n"
	"                    (docs/races.md)\n"
	"  --trace FILE      event log, JSON Lines (several scenarios: each after a\n"
	"                    {\"scenario\":...,\"file\":...} line)\n"
	"Selection:\n"
	"  --list            print the scenarios that would run (name, area, clauses); run none\n"
	"  --compat          also run the client-style scenarios (area clients/) under every\n"
	"                    profile reading of docs/device-model.md and print the matrix\n"
	"                    (in the HTML report too); it does not change the exit status\n"
	"  -k EXPR           only scenarios whose name, area (directory) or a clause ID\n"
	"                    contains a word of EXPR (case-insensitive): words joined by\n"
	"                    'and', 'or', 'not' and parentheses, 'not' binding tightest,\n"
	"                    then 'and', then 'or'; e.g. -k 'gic and not edge', -k 'CRE-7 or races'\n"
	"  --last-failed, --lf\n"
	"                    only the scenarios that failed (or errored) last time they ran;\n"
	"                    all of them when none did. State: $HVSIM_LASTFAILED, else\n"
	"                    .hvsim-lastfailed beside the binary (build/.hvsim-lastfailed);\n"
	"                    installed: $XDG_STATE_HOME/hvsim/lastfailed (~/.local/state)\n"
	"  -x, --exitfirst   stop at the first FAIL or ERROR (in file order): running\n"
	"                    workers are ended, the scenarios not run are not counted\n"
	"  --shard K/N       run slice K of N (files sorted bytewise, file i in slice i mod N + 1)\n"
	"Running:\n"
	"  --seed N          override every scenario's seed\n"
	"  --profile K=V     override a profile switch of docs/device-model.md (repeatable)\n"
	"  -j N              run N scenarios at once, each in its own process\n"
	"  --timeout S       stop a scenario still running after S seconds of wall-clock time\n"
	"                    and report it as ERROR 'timed out after S s' (default 120, 0 = none)\n"
	"  --guests DIR      guest library (default: guests/ beside the hvsim binary,\n"
	"                    or PREFIX/share/hvsim/guests when installed)\n"
	"  -q, -v            quieter (failures only) or more detail\n"
	"Output: one line per scenario (PASS, FAIL, ERROR; coloured on a terminal unless\n"
	"NO_COLOR is set), then 'failures:' with each FAIL/ERROR again, one line each,\n"
	"then 'report: PATH' per report written, and last 'N passed, M failed'.\n"
	"Exit: 0 all passed, 1 some failed, 2 bad usage, an invalid scenario file or an ERROR.\n";

static const char conform_help[] =
	"usage: hvsim conform [options]\n"
	"Run the whole conformance suite (scenarios/ beside the build directory, or\n"
	"PREFIX/share/hvsim/scenarios when installed, or --suite DIR).\n"
	"Takes the options of 'hvsim run' (reports, --list, -k, -x, --last-failed, -j ...);\n"
	"'make conform' writes reports/conformance.html.\n";

static const char compat_help[] =
	"usage: hvsim compat [FILE.json|DIR ...] [options]\n"
	"The client compatibility matrix: every client-style scenario (scenarios/clients/\n"
	"unless files are given; only files in a directory named clients/ count) under the\n"
	"defaults and under each alternative of every profile switch, printed per client\n"
	"(runs that pass, and the first failed expectation under each reading that breaks\n"
	"it) and, with --html, as a table in the report. Same as 'hvsim run --compat'.\n"
	"Takes the options of 'hvsim run'. Exit status: that of the runs under the defaults.\n";

static const char replay_help[] =
	"usage: hvsim replay FILE.json --schedule S|@FILE [options]\n"
	"Re-run one scenario under schedule S exactly (the schedule string printed in\n"
	"every failure report). Grammar: POLICY[,seed=N][,q=N][,@POINT=VM...] with POLICY\n"
	"rr or random; see README 'Schedules'. Takes --trace, --html, --junit, --json,\n"
	"--tap, --timeout S (default 120), -v.\n";

static const char lint_help[] =
	"usage: hvsim lint FILE.json|DIR ... [--guests DIR] [--profile K=V] [-q]\n"
	"Validate scenario files without running them: JSON syntax (with line and column),\n"
	"unknown or duplicate keys, types, layouts, guest programs present.\n"
	"Prints 'OK FILE' or 'INVALID FILE: reason' per file (-q: only the invalid ones),\n"
	"then 'failures:' with the invalid ones again, and last 'N passed, M failed'.\n"
	"Exit: 0 all valid, 2 at least one invalid.\n";

static int cmd_run(int argc, char **argv)
{
	struct opts o = {0};
	if (parse_opts("run", argc, argv, &o, true))
		return 2;
	if (!o.n_files)
		return usage_error("run", "no scenario files given");
	struct file_list files = {0};
	if (collect(&o, &files))
		return 2;
	int rc = !files.n ? usage_error("run", "no *.json scenario files found")
			  : select_files("run", &o, &files);
	if (rc < 0)
		rc = run_files(&o, "hvsim run", &files);
	file_list_free(&files);
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
		data_path(suite, sizeof(suite), "../scenarios", "scenarios");
	}
	o.files[o.n_files++] = suite;
	struct file_list files = {0};
	if (collect(&o, &files))
		return 2;
	int rc = 2;
	if (!files.n)
		fprintf(stderr, "hvsim conform: no scenarios under %s\n", suite);
	else if ((rc = select_files("conform", &o, &files)) < 0)
		rc = run_files(&o, "hvsim conform", &files);
	file_list_free(&files);
	free(o.files);
	return rc;
}

/* hvsim compat: `run --compat` over suite/clients unless files are given. */
static int cmd_compat(int argc, char **argv)
{
	struct opts o = {0};
	if (parse_opts("compat", argc, argv, &o, true))
		return 2;
	o.compat = true;
	char clients[PATH_MAX + 16];
	if (!o.n_files) {
		char suite[PATH_MAX];
		if (o.suite)
			snprintf(suite, sizeof(suite), "%s", o.suite);
		else
			data_path(suite, sizeof(suite), "../scenarios", "scenarios");
		snprintf(clients, sizeof(clients), "%s/clients", suite);
		o.files[o.n_files++] = clients;
	}
	struct file_list files = {0};
	if (collect(&o, &files))
		return 2;
	int rc = !files.n ? usage_error("compat", "no *.json scenario files found")
			  : select_files("compat", &o, &files);
	if (rc < 0)
		rc = run_files(&o, "hvsim compat", &files);
	file_list_free(&files);
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
	struct file_list files = { .v = (char **)o.files, .n = 1 };
	int rc = run_files(&o, "hvsim replay", &files);
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
	struct file_list files = {0};
	if (collect(&o, &files))
		return 2;
	int ok = 0, bad = 0;
	char **why = calloc(files.n + 1, sizeof(*why));
	for (int i = 0; i < files.n; i++) {
		char err[1024];
		if (engine_lint_file(files.v[i], &o.ov, err, sizeof(err))) {
			/* "INVALID file: reason"; the message names the file first
			 * ("x.json: vms[0]..." or "x.json:2:1: ..."): say it once. */
			size_t n = strlen(files.v[i]);
			char line[1400];
			if (!strncmp(err, files.v[i], n) && err[n] == ':')
				snprintf(line, sizeof(line), "%s", err);
			else
				snprintf(line, sizeof(line), "%s: %s", files.v[i], err);
			printf("%s %s\n", word("INVALID"), line);
			if (why)
				why[i] = strdup(line);
			bad++;
		} else {
			if (o.verbose >= 0)
				printf("%s %s\n", word("OK"), files.v[i]);
			ok++;
		}
	}
	if (bad) {
		printf("failures:\n");
		for (int i = 0; why && i < files.n; i++)
			if (why[i])
				printf("%s %s\n", word("INVALID"), why[i]);
	}
	for (int i = 0; why && i < files.n; i++)
		free(why[i]);
	free(why);
	printf("%d passed, %d failed\n", ok, bad);
	file_list_free(&files);
	free(o.files);
	return bad ? 2 : 0;
}

static const char explore_help[] =
	"usage: hvsim explore FILE.json|DIR ... [options]\n"
	"Explore each scenario in turn (a directory means every *.json below it).\n"
	"Run a scenario under every schedule within its exploration bound (the scenario's\n"
	"\"explore\": {\"max_preemptions\": 2, \"max_schedules\": 100000}): schedules that differ\n"
	"in the order of the scheduling points (GIC and shmem register accesses, YIELD, WFI,\n"
	"quantum ends) across VMs, with at most max_preemptions departures from round-robin.\n"
	"Breadth first, so the first failing schedule found has the fewest departures; the\n"
	"search stops there and prints it with its replay command.\n"
	"A search that max_schedules cuts short with no failure is INCOMPLETE, not PASS: it\n"
	"proves nothing about the schedules it did not run, and exits 1.\n"
	"  --accept-incomplete  count such a search as skipped and exit 0\n"
	"  -j N                 run N schedules at once (worker processes with warm VMs; the\n"
	"                       same schedules and verdict as -j 1)\n"
	"  --timeout SECONDS    a time budget for each file's search (default none): past it\n"
	"                       no schedule starts and the search is INCOMPLETE\n"
	"  --reexec             re-execution, its VMs kept warm (engines and translated\n"
	"                       code reused, state reset to the load): the default with\n"
	"                       one job and no --shard\n"
	"  --snapshots          (default) with re-execution, the schedules that share a\n"
	"                       parent run from snapshots of its run, so only their\n"
	"                       suffixes execute; -j N workers take whole groups (not in\n"
	"                       race mode; a restore that would move more than 64 MiB of\n"
	"                       mappings re-runs from the load instead)\n"
	"  --no-snapshots       every schedule from the start (same schedules)\n"
	"  --fork               fork the running system at its scheduling points instead\n"
	"                       (what --shard always does; same schedules)\n"
	"  --cold               re-execution builds every VM anew (the reference)\n"
	"  --outcome-digest     with -v: print a digest of every run's event log (warm,\n"
	"                       forked and cold runs of the same schedules agree)\n"
	"  --dpor               partial-order reduction: run only schedules that reorder\n"
	"                       dependent accesses (docs/explore.md), by re-execution in one\n"
	"                       process, depth first; a failure found is shrunk (departures\n"
	"                       dropped while it still fails). Scenarios it cannot reduce\n"
	"                       (random policy, host steps at instruction counts, order or\n"
	"                       latency expectations) get the plain search, and say so\n"
	"  --no-dpor            the plain search (the default)\n"
	"  --sleep-sets         with --dpor: sleep sets too (fewer schedules; checked like\n"
	"                       --dpor on synthetic programs, docs/explore.md)\n"
	"Takes --html, --junit, --json, --tap, --trace (the reported run of each; with several\n"
	"files each after a {\"scenario\":...} line), --seed, --profile, -q, -v.\n"
	"Exit: 0 bound exhausted and every schedule passed, 1 a schedule failed or the search\n"
	"is INCOMPLETE, 2 bad usage or an invalid scenario file.\n";

/* Progress for people (host time is shown, never acted on): on a terminal a
 * line redrawn at most 4 times a second; in a CI log a new line every 10 s. */
static double progress_t0, progress_last;

static double host_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void explore_progress_line(const struct explore_stats *st, uint32_t depth, size_t level)
{
	double now = host_seconds(), rate = now > progress_t0 ? st->runs / (now - progress_t0) : 0;
	bool tty = isatty(2);
	if (now - progress_last < (tty ? 0.25 : 10))
		return;
	progress_last = now;
	fprintf(stderr, "%sexplore: %llu schedules (%.0f/s), depth %u of %u", tty ? "\r" : "",
		(unsigned long long)st->runs, rate, depth, st->max_preemptions);
	if (level)
		fprintf(stderr, " (%zu at this depth)", level);
	if (st->queued)
		fprintf(stderr, ", at least %llu more to run", (unsigned long long)st->queued);
	fputs(tty ? "   " : "\n", stderr);
}

/* Explore one file into *r; prints its lines. Returns the status. */
static enum sc_status explore_one(struct opts *o, const char *file, struct engine_opts *eo,
				  FILE *trace, bool many, struct sc_result *r)
{
	struct explore_stats st;
	int failed_to_start = explore_file(file, eo, &o->explore, r, &st);
	if (explore_progress && st.runs >= 50 && isatty(2))
		fputc('\n', stderr);
	if (failed_to_start) {
		print_line(o, r);
		return r->status = SC_ERROR;
	}
	printf("explore %s: %llu schedule%s, max_preemptions %u, %s\n", r->name,
	       (unsigned long long)st.runs, st.runs == 1 ? "" : "s", st.max_preemptions,
	       st.failed ? "stopped at the first failing schedule" :
	       st.exhausted ? "bound exhausted" : "bound NOT exhausted");
	if (st.reduced)
		printf("    partial-order reduced: %llu race%s reversed%s\n",
		       (unsigned long long)st.races, st.races == 1 ? "" : "s",
		       st.shrunk ? ", the failure shrunk by dropping departures" : "");
	else if (st.plain_why)
		printf("    plain search: %s\n", st.plain_why);
	if (o->verbose > 0)
		printf("    first run: %llu scheduling points; digest of the schedules run: %016llx\n",
		       (unsigned long long)st.base_points, (unsigned long long)st.digest);
	if (st.outcomes)
		printf("    digest of the runs' event logs: %016llx\n", (unsigned long long)st.outcomes);
	if (trace && r->schedule) {
		/* The reported run again, with its log: runs are deterministic. */
		struct engine_opts t = *eo;
		struct sc_result again;
		t.schedule = r->schedule;
		t.trace = trace;
		if (many)
			runner_trace_header(trace, r->name, r->file ? r->file : file);
		engine_run_file(file, &t, &again);
		result_free(&again);
	}
	print_line(o, r);
	if ((r->status == SC_FAIL || r->status == SC_ERROR) && r->schedule) {
		printf("    schedule: %s\n", r->schedule);
		char *words = engine_explain_schedule(file, eo, r->schedule);
		for (char *line = words, *nl; line && *line; line = nl + 1) {
			nl = strchr(line, '\n');
			if (!nl)
				break;
			printf("      %.*s\n", (int)(nl - line), line);
		}
		free(words);
	}
	fflush(stdout);
	return r->status;
}

static int cmd_explore(int argc, char **argv)
{
	struct opts o = {0};
	/* Prefix snapshots by default: where they apply (one job, warm VMs, not
	 * race mode) they run the same schedules in less CPU; elsewhere the
	 * search ignores them. */
	o.explore.snapshots = true;
	if (parse_opts("explore", argc, argv, &o, true))
		return 2;
	if (!o.n_files)
		return usage_error("explore", "no scenario files given");
	/* --shard splits each file's schedule tree, not the list of files. */
	o.explore.shard_k = (uint32_t)o.shard_k;
	o.explore.shard_n = (uint32_t)o.shard_n;
	o.shard_k = o.shard_n = 1;
	if (o.explore.dpor && (o.explore.shard_n > 1 || o.jobs > 1 || o.explore.reexec))
		return usage_error("explore", "--dpor searches in one process by re-execution: "
				   "not with --shard, -j or --reexec");
	if (o.explore.reexec && o.explore.shard_n > 1)
		return usage_error("explore", "--shard splits the tree the fork search walks: "
				   "not with --reexec");
	struct file_list files = {0};
	if (collect(&o, &files))
		return 2;
	if (!files.n) {
		free(o.files);
		return usage_error("explore", "no *.json scenario files found");
	}
	struct engine_opts eo = { .ov = o.ov, .argv0 = argv0_path };
	if (o.verbose >= 0) {
		explore_progress = explore_progress_line;
		progress_t0 = progress_last = host_seconds();
	}
	o.explore.jobs = (uint32_t)o.jobs;
	o.explore.seconds = o.timeout_s;
	FILE *trace = NULL;
	if (o.trace && !(trace = fopen(o.trace, "w"))) {
		fprintf(stderr, "hvsim explore: %s: %s\n", o.trace, strerror(errno));
		file_list_free(&files);
		free(o.files);
		return 2;
	}
	struct sc_result *res = calloc(files.n + 1, sizeof(*res));
	if (!res) {
		fprintf(stderr, "hvsim: out of memory\n");
		return 2;
	}
	int passed = 0, failed = 0, errors = 0, skipped = 0;
	for (int i = 0; i < files.n; i++) {
		enum sc_status st = explore_one(&o, files.v[i], &eo, trace, files.n > 1, &res[i]);
		if (st == SC_PASS)
			passed++;
		else if (st == SC_ERROR)
			errors++;
		else if (st == SC_INCOMPLETE && o.accept_incomplete)
			skipped++;   /* accepted: skipped, still not a pass */
		else
			failed++;
	}
	if (trace)
		fclose(trace);
	bool reports_ok = !write_reports(&o, "hvsim explore", res, files.n, NULL);
	print_tail(&o, res, files.n, reports_ok);
	if (skipped)
		printf("%d passed, %d failed, %d skipped\n", passed, failed + errors, skipped);
	else   /* an accepted INCOMPLETE is skipped, still not a pass */
		printf("%d passed, %d failed\n", passed, failed + errors);
	fflush(stdout);
	for (int i = 0; i < files.n; i++)
		result_free(&res[i]);
	free(res);
	file_list_free(&files);
	free(o.files);
	if (errors)
		return 2;
	if (failed)
		return 1;
	return reports_ok ? 0 : 2;
}

static const char debug_help[] =
	"usage: hvsim debug FILE.json [--vm NAME] [--gdb PORT] [--trace FILE]\n"
	"Step-debug one VM (default: the first) while the others run as scheduled.\n"
	"Without --gdb: an interactive prompt on the terminal ('help' lists its commands,\n"
	"named as in GDB: b, c, si, n, finish, bt, p, x, watch, thread N, reverse-stepi,\n"
	"reverse-continue, and the monitor commands); commands may be piped in.\n"
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

static const char merge_help[] =
	"usage: hvsim merge REPORT.json ... [--html FILE] [--junit FILE] [--json FILE] [--tap FILE]\n"
	"Join the --json reports of several jobs into one run: CI jobs that each ran a shard of\n"
	"the suite (run/conform --shard K/N), or of one scenario's schedule tree (explore\n"
	"--shard K/N). Shards of one tree become one verdict: FAIL with the shortest failing\n"
	"schedule of any shard, INCOMPLETE if a shard was cut short or is missing, else PASS;\n"
	"their schedule counts add up to the serial search's.\n"
	"Exit: 0 all passed, 1 some failed, 2 bad usage or a file that is not a report.\n";

/* Read a whole report file; NULL with a message on error. */
static char *read_report(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	size_t len = 0, cap = 0, got;
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	do {
		if (len + 65536 + 1 > cap) {
			char *t = cap < (256u << 20) ? realloc(text, cap = cap ? 2 * cap : 1 << 20) : NULL;
			if (!t) {
				snprintf(err, errlen, "%s: too large or out of memory", path);
				free(text);
				fclose(f);
				return NULL;
			}
			text = t;
		}
		got = fread(text + len, 1, 65536, f);
		len += got;
	} while (got);
	fclose(f);
	text[len] = 0;
	return text;
}

static int cmd_merge(int argc, char **argv)
{
	struct opts o = {0};
	if (parse_opts("merge", argc, argv, &o, true))
		return 2;
	if (!o.n_files)
		return usage_error("merge", "no report files given");
	struct sc_result *all = NULL, *merged = NULL;
	int n = 0, m = 0, rc = 0;
	char err[512];
	for (int i = 0; i < o.n_files && !rc; i++) {
		struct sc_result *part;
		int k;
		char *text = read_report(o.files[i], err, sizeof(err));
		if (!text || results_from_report(text, &part, &k, err, sizeof(err))) {
			if (text)
				fprintf(stderr, "hvsim merge: %s: %s\n", o.files[i], err);
			else
				fprintf(stderr, "hvsim merge: %s\n", err);
			rc = 2;
		} else {
			struct sc_result *t = realloc(all, (size_t)(n + k + 1) * sizeof(*all));
			if (!t) {
				rc = 2;
			} else {
				all = t;
				memcpy(all + n, part, (size_t)k * sizeof(*part));
				n += k;
			}
			free(part);
		}
		free(text);
	}
	if (!rc && merge_results(all, n, &merged, &m, err, sizeof(err))) {
		fprintf(stderr, "hvsim merge: %s\n", err);
		rc = 2;
	}
	if (!rc) {
		int passed = 0, failed = 0;
		for (int i = 0; i < m; i++) {
			print_line(&o, &merged[i]);
			passed += merged[i].status == SC_PASS;
			failed += merged[i].status != SC_PASS && merged[i].status != SC_SKIP;
		}
		bool reports_ok = !write_reports(&o, "hvsim merge", merged, m, NULL);
		print_tail(&o, merged, m, reports_ok);
		printf("%d passed, %d failed\n", passed, failed);
		fflush(stdout);
		rc = failed ? 1 : reports_ok ? 0 : 2;
	}
	for (int i = 0; i < n; i++)
		result_free(&all[i]);
	for (int i = 0; i < m; i++)
		result_free(&merged[i]);
	free(all);
	free(merged);
	free(o.files);
	return rc;
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
	{ "compat",  cmd_compat,  compat_help,  "client-style scenarios under every profile reading" },
	{ "replay",  cmd_replay,  replay_help,  "re-run one scenario under a schedule string exactly" },
	{ "lint",    cmd_lint,    lint_help,    "validate scenario files without running them" },
	{ "explore", cmd_explore, explore_help, "run one scenario under every schedule within its bound" },
	{ "debug",   cmd_debug,   debug_help,   "step-debug a guest: a prompt, or a GDB stub" },
	{ "merge",   cmd_merge,   merge_help,   "join the --json reports of shards into one run and one verdict" },
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
