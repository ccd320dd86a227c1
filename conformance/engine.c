/* engine.c - scenario JSON -> system -> run -> expectations -> result. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "engine.h"
#include "expect.h"
#include "sim/system.h"
#include "sim/vm.h"
#include "sim/debug.h"
#include "sim/race.h"

#define KEPT_EVENTS_MAX 4000   /* events kept for the report's timeline */
#define KEPT_MMIO_MAX   4000   /* device accesses kept, failed scenarios only */

static double now_seconds(void)
{
	/* Host time for the report only; behaviour never reads it. */
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void set_error(struct sc_result *r, const char *path, const char *msg)
{
	r->status = SC_ERROR;
	free(r->reason);
	r->reason = strdup(msg);
	if (!r->file)
		r->file = strdup(path);
	if (!r->name)
		r->name = strdup(path);
}

/* The events the reports draw: the first KEPT_EVENTS_MAX that are not device
 * accesses and, when the scenario did not pass, the last KEPT_MMIO_MAX device
 * accesses too (the register traffic that led to the failure; a passing
 * scenario's report does not show it, so it is not carried). */
static void keep_events(struct sc_result *r, const struct evlog *log, bool with_mmio)
{
	size_t n = 0, n_mmio = 0;
	for (size_t i = 0; i < log->n; i++) {
		if (evlog_kind(log, i) == EV_MMIO)
			n_mmio++;
		else
			n++;
	}
	if (n > KEPT_EVENTS_MAX)
		n = KEPT_EVENTS_MAX;
	size_t mmio_skip = !with_mmio ? n_mmio : n_mmio > KEPT_MMIO_MAX ? n_mmio - KEPT_MMIO_MAX : 0;
	r->events = calloc(n + (n_mmio - mmio_skip) + 1, sizeof(*r->events));
	if (!r->events)
		return;
	size_t other = 0, mmio = 0;
	for (size_t i = 0; i < log->n; i++) {
		if (evlog_kind(log, i) == EV_MMIO ? mmio++ < mmio_skip : other++ >= n)
			continue;
		struct ev *d = &r->events[r->n_kept++];
		const struct ev *e = evlog_get(log, i, d);
		d->region = e->region ? strdup(e->region) : NULL;
		d->text = e->text ? strdup(e->text) : NULL;
	}
}

/* sim's race reports -> the result's records (names instead of indices). */
static void side_rec(const struct race_side *s, const struct scenario *sc, struct race_side_rec *d)
{
	memset(d, 0, sizeof(*d));
	snprintf(d->vm, sizeof(d->vm), "%s",
		 s->vm >= 0 && s->vm < sc->m.n_vms ? sc->m.vms[s->vm].name : "host");
	d->pc = s->pc;
	snprintf(d->sym, sizeof(d->sym), "%s", s->sym);
	d->addr = s->addr;
	snprintf(d->region, sizeof(d->region), "%s", s->region);
	d->off = s->off;
	d->width = s->width;
	d->value = s->value;
	d->dir = s->dir;
	d->atomic = s->atomic;
	d->clock = s->clock;
	d->seq = (int64_t)s->seq;
}

static int race_results(const struct system *sys, const struct scenario *sc, struct sc_result *r)
{
	int n;
	const struct race_report *rep = system_races(sys, &n);
	r->race_mode = sc->m.races;
	if (!n)
		return 0;
	r->races = calloc((size_t)n, sizeof(*r->races));
	if (!r->races)
		return -1;
	for (int i = 0; i < n; i++) {
		struct race_rec *d = &r->races[i];
		snprintf(d->kind, sizeof(d->kind), "%s", race_kind_name(rep[i].kind));
		side_rec(&rep[i].first, sc, &d->first);
		side_rec(&rep[i].second, sc, &d->second);
		snprintf(d->why, sizeof(d->why), "%s", rep[i].why);
		snprintf(d->schedule, sizeof(d->schedule), "%s", r->schedule ? r->schedule : "");
	}
	r->n_races = n;
	return 0;
}

/* sim's per-VM outcomes -> the result's VM records. */
static int vm_results(const struct system *sys, const struct scenario *sc, struct sc_result *r)
{
	r->vms = calloc(sc->m.n_vms + 1, sizeof(*r->vms));
	if (!r->vms)
		return -1;
	r->n_vms = sc->m.n_vms;
	for (int i = 0; i < sc->m.n_vms; i++) {
		struct vm_outcome o;
		struct vm_result *v = &r->vms[i];
		system_vm_outcome(sys, i, &o);
		v->name = strdup(sc->m.vms[i].name);
		v->program = strdup(sc->m.vms[i].program);
		v->exited = o.exited;
		v->exit_code = o.exit_code;
		if (o.fault) {
			v->faulted = true;
			snprintf(v->fault_kind, sizeof(v->fault_kind), "%s", o.fault->kind);
			v->fault_addr = o.fault->addr;
			v->fault_pc = o.fault->pc;
			v->fault_insn = strdup(o.fault->insn);
		}
		v->icount = o.icount;
		v->console = strdup(o.console);
		if (o.n_fails) {
			v->fails = malloc(o.n_fails * sizeof(*v->fails));
			if (!v->fails)
				return -1;
			memcpy(v->fails, o.fails, o.n_fails * sizeof(*v->fails));
			v->n_fails = o.n_fails;
		}
		if (!v->name || !v->program || !v->console || (o.fault && !v->fault_insn))
			return -1;
	}
	return 0;
}

/* races: race mode was on (from the scenario or --races): the replay needs
 * it too to fail the same way. */
static char *replay_command(const char *argv0, const char *file, const char *schedule, bool races)
{
	size_t n = strlen(argv0) + strlen(file) + strlen(schedule) + 48;
	char *s = malloc(n);
	if (s)
		snprintf(s, n, "%s replay %s%s --schedule '%s'", argv0, file, races ? " --races" : "",
			 schedule);
	return s;
}

static uint64_t log_hash(const struct evlog *log, const char *const *names)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		return 0;
	evlog_write_jsonl(log, f, names);
	fclose(f);
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; text && i < len; i++)
		h = (h ^ (unsigned char)text[i]) * 0x100000001b3ull;
	free(text);
	return h;
}

static void result_head(struct sc_result *r, const struct scenario *scp)
{
	r->name = strdup(scp->name);
	r->description = scp->description ? strdup(scp->description) : NULL;
	r->clauses = calloc(scp->n_clauses + 1, sizeof(char *));
	for (int i = 0; r->clauses && i < scp->n_clauses; i++)
		r->clauses[r->n_clauses++] = strdup(scp->clauses[i]);
}

static void finish(const char *path, const struct engine_opts *o, const struct scenario *scp,
		   struct system *sys, struct sc_result *r);

struct engine_run {
	const char *path;
	const struct engine_opts *o;
	const struct scenario *scp;
	struct system *sys;
};

void engine_run_file(const char *path, const struct engine_opts *o, struct sc_result *r)
{
	char err[1024];
	struct scenario own;
	const struct scenario *scp = o->loaded;
	double t0 = now_seconds();
	memset(r, 0, sizeof(*r));
	r->file = strdup(path);
	if (!scp) {
		if (scenario_load(path, &o->ov, &own, err, sizeof(err))) {
			set_error(r, path, err);
			return;
		}
		scp = &own;
	}
	result_head(r, scp);
	if (!o->loaded && scenario_check_files(scp, err, sizeof(err))) {
		set_error(r, path, err);
		goto out;
	}
	struct schedule sch;
	if (o->schedule) {
		const char **names = calloc(scp->m.n_vms + 1, sizeof(*names));
		for (int i = 0; names && i < scp->m.n_vms; i++)
			names[i] = scp->m.vms[i].name;
		int bad = !names || schedule_parse(o->schedule, names, scp->m.n_vms, &sch, err, sizeof(err));
		free(names);
		if (bad) {
			char msg[1200];
			snprintf(msg, sizeof(msg), "%s: --schedule: %s", path, err);
			set_error(r, path, msg);
			goto out;
		}
	} else {
		scenario_schedule(scp, &sch);
	}
	if (o->record_points) {
		sch.record = true;
		sch.points = true;
	}
	struct system *sys = system_new_warm(&scp->m, &sch, o->pool, err, sizeof(err));
	schedule_free(&sch);
	if (!sys) {
		char msg[1200];
		snprintf(msg, sizeof(msg), "%s: %s", path, err);
		set_error(r, path, msg);
		goto out;
	}
	if (o->on_system)
		o->on_system(sys, o->on_system_ctx);
	if (o->track_access)
		system_track_access(sys, true);
	/* After the run the log is read by the expectations, by keep_events
	 * (the reports) and, for explore's digest, in full: only what they read
	 * is kept. --trace gets every event as it happens. */
	if (!o->hash_log)
		system_keep_log(sys, expect_kinds(scp), KEPT_EVENTS_MAX, KEPT_MMIO_MAX);
	if (o->trace)
		system_stream_log(sys, o->trace);
	if (o->drive) {
		/* the driver runs it (as often as it likes) and asks for results */
		struct engine_run run = { path, o, scp, sys };
		o->drive(sys, &run, o->on_system_ctx);
		system_free(sys);
		goto out;
	}
	system_run(sys);
	finish(path, o, scp, sys, r);
	system_free(sys);
out:
	r->seconds = now_seconds() - t0;
	if (scp == &own)
		scenario_free(&own);
}

void engine_finish(struct engine_run *run, struct sc_result *r)
{
	memset(r, 0, sizeof(*r));
	r->file = strdup(run->path);
	result_head(r, run->scp);
	finish(run->path, run->o, run->scp, run->sys, r);
}

/* The result of the run of sys that just ended. */
static void finish(const char *path, const struct engine_opts *o, const struct scenario *scp,
		   struct system *sys, struct sc_result *r)
{
	if (o->tail)
		system_tail_access(sys, &o->tail->rd, &o->tail->wr);
	const struct evlog *log = system_log(sys);
	if (o->hash_log)
		r->log_hash = log_hash(log, system_vm_names(sys));
	r->schedule = system_schedule_text(sys);
	r->replay = replay_command(o->argv0 ? o->argv0 : "hvsim", path, r->schedule ? r->schedule : "",
				   scp->m.races);
	r->clock = system_clock(sys);
	r->n_events = log->n;
	r->race_deferred = o->defer_races;
	if (vm_results(sys, scp, r) || race_results(sys, scp, r))
		set_error(r, path, "out of memory while recording the VMs' outcomes");
	if (expect_check(scp, log, system_shm(sys), r))
		set_error(r, path, "out of memory while checking expectations");
	keep_events(r, log, r->status != SC_PASS);
	if (o->points && o->n_points) {
		int n;
		const struct sched_pt *pts = system_points(sys, &n);
		*o->points = malloc((n + 1) * sizeof(**o->points));
		*o->n_points = *o->points ? n : 0;
		if (*o->points && n)
			memcpy(*o->points, pts, n * sizeof(**o->points));
	}
	if (o->on_result)
		o->on_result(r, o->on_system_ctx);
}

int engine_lint_file(const char *path, const struct sc_overrides *ov, char *err, size_t errlen)
{
	struct scenario sc;
	if (scenario_load(path, ov, &sc, err, errlen))
		return -1;
	int rc = scenario_check_files(&sc, err, errlen);
	scenario_free(&sc);
	return rc;
}

/* A debug session says what a run would have said: at the end, and on
 * request before it (the debuggers' `verdict`, installed in the system). */
static void print_verdict(void *ctx, const struct system *sys, FILE *out)
{
	const struct scenario *sc = ctx;
	struct sc_result r;
	memset(&r, 0, sizeof(r));
	if (vm_results(sys, sc, &r) || expect_check(sc, system_log(sys), system_shm(sys), &r)) {
		result_free(&r);
		return;
	}
	int failed = 0;
	for (int i = 0; i < r.n_exps; i++)
		failed += !r.exps[i].pass;
	if (system_done(sys))
		fprintf(out, "the run ended: %s (%d expectation%s, %d failed)\n",
			r.status == SC_PASS ? "PASS" : "FAIL", r.n_exps, r.n_exps == 1 ? "" : "s", failed);
	else     /* exits and final states are not in: not holding yet is no failure */
		fprintf(out, "so far, the run not over: %d of %d expectation%s hold%s\n",
			r.n_exps - failed, r.n_exps, r.n_exps == 1 ? "" : "s",
			failed ? "; not (yet):" : "");
	for (int i = 0; i < r.n_exps; i++)
		if (!r.exps[i].pass)
			fprintf(out, "  %s: %s: %s\n", r.exps[i].where, r.exps[i].what,
				r.exps[i].message ? r.exps[i].message : "");
	fflush(out);
	result_free(&r);
}

int engine_debug_file(const char *path, const struct engine_opts *o, const char *vm_name,
		      int gdb_port, FILE *in, FILE *out, char *err, size_t errlen)
{
	struct scenario sc;
	struct schedule sch;
	int rc = -1, vm = vm_name ? -1 : 0;
	if (scenario_load(path, &o->ov, &sc, err, errlen))
		return -1;
	for (int i = 0; vm_name && i < sc.m.n_vms; i++)
		if (!strcmp(sc.m.vms[i].name, vm_name))
			vm = i;
	if (vm < 0) {
		snprintf(err, errlen, "%s: no VM named '%s'", path, vm_name);
		goto out;
	}
	if (scenario_check_files(&sc, err, errlen))
		goto out;
	scenario_schedule(&sc, &sch);
	struct system *sys = system_new(&sc.m, &sch, err, errlen);
	if (!sys)
		goto out;
	system_set_verdict(sys, print_verdict, &sc);
	if (system_debug(sys, vm)) {
		snprintf(err, errlen, "cannot debug vm %s", sc.m.vms[vm].name);
	} else if (gdb_port > 0) {
		rc = gdb_serve(&sys, vm, gdb_port, out, err, errlen);
		if (rc == 0 && system_done(sys))
			print_verdict(&sc, sys, out);
	} else {
		rc = debug_prompt(&sys, vm, in, out);   /* says the verdict when the run ends */
	}
	if (o->trace)
		evlog_write_jsonl(system_log(sys), o->trace, system_vm_names(sys));
	system_free(sys);
out:
	scenario_free(&sc);
	return rc;
}

/* ---- a schedule in words ---------------------------------------------------- */

static const char *point_words(enum sched_point k)
{
	switch (k) {
	case PT_QUANTUM: return "at the end of its quantum";
	case PT_YIELD: return "when it yielded";
	case PT_WFI: return "when it waited for an interrupt";
	case PT_STOP: return "when it stopped";
	default: return "";
	}
}

/* One departure: what the VM that lost the CPU had just done. */
static void explain_one(FILE *f, struct system *sys, const struct sched_force *fc,
			const struct sched_pt *pt, const char *const *names)
{
	const struct evlog *log = system_log(sys);
	char where[160];
	fprintf(f, "@%llu=%s: ", (unsigned long long)fc->point, names[fc->vm]);
	if (!pt || pt->cur < 0) {
		fprintf(f, "%s runs first\n", names[fc->vm]);
		return;
	}
	const char *cur = names[pt->cur];
	const struct ev *acc = NULL;
	struct ev buf;
	for (size_t i = pt->seq; pt->kind == PT_DEVICE && i-- > 0;)
		if (evlog_kind(log, i) == EV_MMIO && evlog_vm(log, i) == pt->cur) {
			acc = evlog_get(log, i, &buf);
			break;
		}
	if (acc) {
		vm_disasm(system_vm(sys, pt->cur), acc->pc, where, sizeof(where));
		fprintf(f, "after %s's %u-byte %s of 0x%llx %s %s+0x%llx (pc 0x%llx: %s)", cur,
			acc->width, acc->dir == 'w' ? "write" : "read",
			(unsigned long long)acc->value, acc->dir == 'w' ? "to" : "from", acc->dev,
			(unsigned long long)acc->off, (unsigned long long)acc->pc, where);
	} else {
		vm_disasm(system_vm(sys, pt->cur), pt->pc, where, sizeof(where));
		fprintf(f, "%s %s (pc 0x%llx: %s)", cur, point_words(pt->kind),
			(unsigned long long)pt->pc, where);
	}
	fprintf(f, ", %s runs instead of %s\n", names[fc->vm], names[pt->def]);
}

char *engine_explain_schedule(const char *path, const struct engine_opts *o,
			      const char *schedule)
{
	char err[1024];
	struct scenario sc;
	struct schedule sch;
	char *text = NULL;
	size_t len = 0;
	if (scenario_load(path, &o->ov, &sc, err, sizeof(err)))
		return NULL;
	const char **names = calloc(sc.m.n_vms + 1, sizeof(*names));
	for (int i = 0; names && i < sc.m.n_vms; i++)
		names[i] = sc.m.vms[i].name;
	if (!names || schedule_parse(schedule, names, sc.m.n_vms, &sch, err, sizeof(err)))
		goto out;
	sch.record = true;
	struct system *sys = system_new(&sc.m, &sch, err, sizeof(err));
	if (sys) {
		system_run(sys);
		int n;
		const struct sched_pt *pts = system_points(sys, &n);
		FILE *f = open_memstream(&text, &len);
		for (int k = 0; f && k < sch.n_forced; k++) {
			const struct sched_pt *pt = NULL;
			for (int i = 0; i < n && !pt; i++)
				if (pts[i].point == sch.forced[k].point)
					pt = &pts[i];
			explain_one(f, sys, &sch.forced[k], pt, names);
		}
		if (f)
			fclose(f);
		system_free(sys);
	}
	schedule_free(&sch);
out:
	free(names);
	scenario_free(&sc);
	return text;
}

