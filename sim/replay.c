/* replay.c - reverse execution by deterministic re-execution (replay.h). */
#include <stdlib.h>
#include <string.h>
#include "replay.h"
#include "vm.h"

/* old's breakpoints (of the debugged VM) and watchpoints, set in s. */
static void copy_stops(struct system *s, const struct system *old)
{
	uint64_t a;
	int dv = system_debug_vm(old);
	for (int i = 0; !vm_break_get(system_vm(old, dv), i, &a); i++)
		vm_break_add(system_vm(s, dv), a);
	struct sys_watch w;
	for (int i = 0; !system_watch_get(old, i, &w); i++)
		system_watch_request(s, &w);
}

/* A system like `old`, debugged the same way, not yet started. */
static struct system *fresh(const struct system *old, bool with_stops, char *err, size_t n)
{
	struct system *s = system_new(system_machine(old), system_schedule(old), err, n);
	if (!s)
		return NULL;
	if (system_debug(s, system_debug_vm(old))) {
		snprintf(err, n, "cannot debug the replay");
		system_free(s);
		return NULL;
	}
	if (with_stops)
		copy_stops(s, old);
	void *ctx;
	sys_verdict_fn fn = system_verdict_fn(old, &ctx);
	system_set_verdict(s, fn, ctx);
	return s;
}

struct hit { struct sys_pos at; bool watch; int vm; struct vm_watch_hit wh; };

/* Repeat the history j[0..n) up to `to` in `s`; every breakpoint or
 * watchpoint stop on the way is remembered in *last. -1 if the replay did not
 * follow the history (never expected: a bug). */
static int replay_run(struct system *s, const struct sys_exec *j, size_t n, struct sys_pos to,
		      struct hit *last, bool *got, char *err, size_t en)
{
	system_replay(s, j, n, to);
	struct sys_pos at;
	while (system_replaying(s, NULL)) {
		if (system_resume(s) == SYS_DONE)
			break;
		if (!system_replaying(s, &at))
			break;                          /* the target */
		const struct sys_stop *st = system_stop(s);
		if (last) {
			*last = (struct hit){ at, st->watch, st->vm, st->hit };
			*got = true;
		}
	}
	if (system_replay_diverged(s) || system_replaying(s, NULL)) {
		snprintf(err, en, "the replay did not follow the run's history");
		return -1;
	}
	return 0;
}

/* Build the system at position `to` of old's history, with old's breakpoints
 * and watchpoints, and put it in *sp. */
static int land(struct system **sp, struct sys_pos to, bool begin, char *err, size_t en)
{
	size_t n;
	const struct sys_exec *j = system_journal(*sp, &n);
	struct system *s = fresh(*sp, false, err, en);
	if (!s)
		return -1;
	if (!begin && replay_run(s, j, n, to, NULL, NULL, err, en)) {
		system_free(s);
		return -1;
	}
	struct system *old = *sp;
	copy_stops(s, old);
	for (int i = 0; i < system_n_vms(s); i++)
		vm_debug_pass_here(system_vm(s, i));
	*sp = s;
	system_free(old);
	return 0;
}

static int no_history(const struct system *s, char *err, size_t en)
{
	size_t n;
	system_journal(s, &n);
	if (n == 0 && system_clock(s) > 0) {
		snprintf(err, en, "the history of this run was not kept (out of memory)");
		return -1;
	}
	return 0;
}

int replay_step_back(struct system **sp, int vm, struct replay_stop *out, char *err, size_t en)
{
	size_t n;
	const struct sys_exec *j = system_journal(*sp, &n);
	if (no_history(*sp, err, en))
		return -1;
	size_t k = n;
	while (k > 0 && (j[k - 1].vm != vm || j[k - 1].ran == 0))
		k--;
	*out = (struct replay_stop){ .what = k ? REPLAY_STEP : REPLAY_BEGIN, .vm = vm };
	struct sys_pos to = { k ? k - 1 : 0, k ? j[k - 1].ran - 1 : 0 };
	return land(sp, to, k == 0, err, en);
}

int replay_continue_back(struct system **sp, struct replay_stop *out, char *err, size_t en)
{
	size_t n;
	const struct sys_exec *j = system_journal(*sp, &n);
	if (no_history(*sp, err, en))
		return -1;
	struct hit h;
	bool got = false;
	if (n > 0) {
		/* First pass: every stop up to now; the last one wins. */
		struct system *s = fresh(*sp, true, err, en);
		if (!s)
			return -1;
		int rc = replay_run(s, j, n, (struct sys_pos){ n - 1, j[n - 1].ran }, &h, &got,
				    err, en);
		system_free(s);
		if (rc)
			return -1;
	}
	int dv = system_debug_vm(*sp);
	if (!got) {
		*out = (struct replay_stop){ .what = REPLAY_BEGIN, .vm = dv };
		return land(sp, (struct sys_pos){ 0, 0 }, true, err, en);
	}
	struct sys_pos to = h.at;
	if (h.watch) {
		/* Land just after the access (GDB steps back over it itself, and
		 * sees the value change): one more instruction of that VM. */
		if (to.o < j[to.k].ran) {
			to.o++;
		} else {
			size_t k = to.k + 1;
			while (k < n && (j[k].vm != h.vm || j[k].ran == 0))
				k++;
			to = k < n ? (struct sys_pos){ k, 1 } : (struct sys_pos){ n - 1, j[n - 1].ran };
		}
		*out = (struct replay_stop){ .what = REPLAY_WATCH, .vm = h.vm, .hit = h.wh };
	} else {
		*out = (struct replay_stop){ .what = REPLAY_BREAK, .vm = dv };
	}
	return land(sp, to, false, err, en);
}
