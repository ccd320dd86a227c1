/* summary.c - results in words and tallies, for the reports and the command line (see summary.h). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "summary.h"
#include "conformance/result_json.h"
#include "vdev/shmem.h"

const char *summary_area(const char *file, char *buf, size_t n)
{
	return result_area(file, buf, n);
}

const char *summary_first_failure(const struct sc_result *r, int *exp_idx, char *buf, size_t n)
{
	int idx = -1;

	for (int i = 0; r->exps && i < r->n_exps; i++) {
		if (!r->exps[i].pass) {
			idx = i;
			break;
		}
	}
	if (exp_idx)
		*exp_idx = idx;
	if (r->reason && *r->reason)
		return r->reason;
	if (idx < 0) {
		if (r->status == SC_FAIL || r->status == SC_ERROR) {
			snprintf(buf, n, "%s", r->status == SC_FAIL ? "failed" : "error");
			return buf;
		}
		return NULL;
	}
	const struct exp_result *e = &r->exps[idx];
	snprintf(buf, n, "%s%s%s", e->what ? e->what : (e->where ? e->where : "expectation"),
		 e->message ? ": " : "", e->message ? e->message : "");
	return buf;
}

const char *summary_vm_outcome(const struct vm_result *v, char *buf, size_t n)
{
	char pc[RJ_HEX_BUF], addr[RJ_HEX_BUF];

	if (v->faulted)
		snprintf(buf, n, "fault %.*s at pc %s addr %s%s%s%s",
			 (int)strnlen(v->fault_kind, sizeof(v->fault_kind)), v->fault_kind,
			 rj_hex(pc, v->fault_pc), rj_hex(addr, v->fault_addr),
			 v->fault_insn && *v->fault_insn ? " (" : "",
			 v->fault_insn && *v->fault_insn ? v->fault_insn : "",
			 v->fault_insn && *v->fault_insn ? ")" : "");
	else if (v->exited)
		snprintf(buf, n, "exit %lld", (long long)v->exit_code);
	else
		snprintf(buf, n, "did not stop");
	return buf;
}

void summary_count(const struct run_summary *s, struct summary_counts *c)
{
	memset(c, 0, sizeof(*c));
	for (int i = 0; s->results && i < s->n; i++) {
		const struct sc_result *r = &s->results[i];
		switch (r->status) {
		case SC_PASS: c->passed++; break;
		case SC_FAIL: c->failed++; break;
		case SC_SKIP: c->skipped++; break;
		case SC_INCOMPLETE: c->incomplete++; break;
		case SC_ERROR: default: c->errors++; break;
		}
		c->total++;
		if (r->seconds > 0)
			c->seconds += r->seconds;
	}
}

bool summary_names_clause(const struct sc_result *r, const char *id)
{
	for (int i = 0; id && r->clauses && i < r->n_clauses; i++)
		if (r->clauses[i] && !strcmp(r->clauses[i], id))
			return true;
	return false;
}

static bool exp_names(const struct exp_result *e, const char *id)
{
	for (int i = 0; e->clauses && i < e->n_clauses; i++)
		if (e->clauses[i] && !strcmp(e->clauses[i], id))
			return true;
	return false;
}

const char *summary_clause_state_in(const struct sc_result *r, const char *id)
{
	bool pass = false, any = false;

	if (!id || !summary_names_clause(r, id))
		return "uncovered";
	if (r->status == SC_SKIP || r->status == SC_INCOMPLETE)
		return "skip";     /* an unfinished search proves nothing either way */
	/* Results whose expectations carry no IDs at all (a --json report from
	 * before per-expectation clauses): each checks the scenario's list. */
	bool legacy = true;
	for (int i = 0; r->exps && i < r->n_exps && legacy; i++)
		legacy = !r->exps[i].n_clauses;
	for (int i = 0; r->exps && i < r->n_exps; i++) {
		if (!legacy && !exp_names(&r->exps[i], id))
			continue;
		any = true;
		if (!r->exps[i].pass)
			return "fail";
		pass = true;
	}
	/* An ERROR, or a run that failed before its expectations were checked,
	 * fails every rule the scenario names. */
	if (r->status != SC_PASS && (!r->exps || !r->n_exps))
		return "fail";
	return pass ? "pass" : any ? "fail" : "uncovered";
}

const char *summary_clause_state(const struct run_summary *s, const char *id)
{
	bool pass = false, skip = false;

	for (int i = 0; s->results && i < s->n; i++) {
		const char *st = summary_clause_state_in(&s->results[i], id);
		if (!strcmp(st, "fail"))
			return "fail";
		pass |= !strcmp(st, "pass");
		skip |= !strcmp(st, "skip");
	}
	return pass ? "pass" : skip ? "skip" : "uncovered";
}

const char **summary_extra_clauses(const struct run_summary *s, int *n)
{
	const char **out = NULL;
	int cnt = 0, cap = 0;

	for (int i = 0; s->results && i < s->n; i++) {
		const struct sc_result *r = &s->results[i];
		for (int j = 0; r->clauses && j < r->n_clauses; j++) {
			const char *id = r->clauses[j];
			bool known = !id;
			for (int k = 0; !known && s->all_clauses && k < s->n_all_clauses; k++)
				known = s->all_clauses[k] && !strcmp(s->all_clauses[k], id);
			for (int k = 0; !known && k < cnt; k++)
				known = !strcmp(out[k], id);
			if (known)
				continue;
			if (cnt == cap) {
				int ncap = cap ? cap * 2 : 8;
				const char **o = realloc(out, (size_t)ncap * sizeof(*o));
				if (!o)
					break;
				out = o;
				cap = ncap;
			}
			out[cnt++] = id;
		}
	}
	*n = cnt;
	return out;
}

const char *summary_duration(double seconds, char *buf, size_t n)
{
	if (!(seconds >= 0))
		seconds = 0;
	if (seconds < 10)
		snprintf(buf, n, "%.3f s", seconds);
	else if (seconds < 120)
		snprintf(buf, n, "%.1f s", seconds);
	else
		snprintf(buf, n, "%d min %02d s", (int)(seconds / 60), (int)seconds % 60);
	return buf;
}

/* ---- events in words (HTML report, command line) ---- */

const char *summary_vm_name(const struct sc_result *r, int vm, char *buf, size_t n)
{
	if (vm == EV_HOST)
		return "host";
	if (vm >= 0 && vm < r->n_vms && r->vms && r->vms[vm].name)
		return r->vms[vm].name;
	snprintf(buf, n, "vm#%d", vm);
	return buf;
}

/* An event's details in words (malloc'd), e.g. "intid=36". */
char *summary_ev_details(const struct sc_result *r, const struct ev *e)
{
	char *s = NULL, nb[24], h1[RJ_HEX_BUF], h2[RJ_HEX_BUF];
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);
	if (!f)
		return NULL;
	switch (e->kind) {
	case EV_MMIO:
		fprintf(f, "%.*s +%s %c%u = %s", (int)strnlen(e->dev, sizeof(e->dev)), e->dev,
			rj_hex(h1, e->off), e->dir ? e->dir : '?', e->width * 8, rj_hex(h2, e->value));
		break;
	case EV_IRQ_LINE:
		fprintf(f, "intid=%u level=%d", e->intid, e->level);
		break;
	case EV_IRQ_ENTER: case EV_IRQ_ACK: case EV_IRQ_EOI:
		fprintf(f, "intid=%u", e->intid);
		break;
	case EV_ATTACH: case EV_DETACH: case EV_FIND: {
		const char *g = gss_name(e->status);
		fprintf(f, "region=%s idx=%d shmem=%s status=", e->region ? e->region : "",
			e->idx, rj_hex(h1, e->shmem));
		if (g)
			fputs(g, f);
		else
			fprintf(f, "%d", e->status);
		break;
	}
	case EV_NOTIFY:
		fprintf(f, "region=%s from=%u mask=0x%" PRIx32 " targets=0x%" PRIx32,
			e->region ? e->region : "", e->from, e->mask, e->targets);
		break;
	case EV_STATUS:
		fprintf(f, "region=%s idx=%d value=%s", e->region ? e->region : "", e->idx,
			rj_hex(h1, e->value));
		break;
	case EV_MARK:
		fprintf(f, "value=%" PRId64, e->code);
		break;
	case EV_FAIL:
		fprintf(f, "id=%" PRId64, e->code);
		break;
	case EV_EXIT:
		fprintf(f, "code=%" PRId64, e->code);
		break;
	case EV_HVC:
		fprintf(f, "x0=%s", rj_hex(h1, (uint64_t)e->code));
		break;
	case EV_CONSOLE: case EV_NOTE:
		fputs(e->text ? e->text : "", f);
		break;
	case EV_SWITCH:
		fprintf(f, "to=%s reason=%s", e->to < 0 ? "-" : summary_vm_name(r, e->to, nb, sizeof(nb)),
			e->text ? e->text : "");
		break;
	case EV_FAULT:
		fprintf(f, "%.*s addr=%s%s%s", (int)strnlen(e->fault_kind, sizeof(e->fault_kind)),
			e->fault_kind, rj_hex(h1, e->addr), e->text && *e->text ? " insn=" : "",
			e->text ? e->text : "");
		break;
	default:
		break;
	}
	fclose(f);
	return s;
}

bool summary_colour(bool is_tty, const char *no_color)
{
	return is_tty && !(no_color && *no_color);
}

/* ---- race mode ------------------------------------------------------------ */

const char *summary_race_side(const struct race_side_rec *s, char *buf, size_t n)
{
	int len = snprintf(buf, n, "%s %s%s 0x%llx (%u byte%s) ", s->vm,
			   s->atomic ? "atomically " : "", s->dir == 'w' ? "wrote" : "read",
			   (unsigned long long)s->value, s->width, s->width == 1 ? "" : "s");
	if (len < 0 || (size_t)len >= n)
		return buf;
	size_t at = (size_t)len;
	if (!strcmp(s->vm, "host"))
		at += (size_t)snprintf(buf + at, n - at, "at %s+0x%llx", s->region,
				       (unsigned long long)s->off);
	else
		at += (size_t)snprintf(buf + at, n - at, "at 0x%llx = %s+0x%llx, pc 0x%llx <%s>",
				       (unsigned long long)s->addr, s->region,
				       (unsigned long long)s->off, (unsigned long long)s->pc,
				       s->sym[0] ? s->sym : "?");
	if (at < n)
		snprintf(buf + at, n - at, " (clock %llu)", (unsigned long long)s->clock);
	return buf;
}

char *summary_race_text(const struct sc_result *r, int i, const char *argv0, const char *indent)
{
	const struct race_rec *x = &r->races[i];
	char a[256], b[256];
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	if (!f)
		return NULL;
	fprintf(f, "%srace %d/%d: %s\n", indent, i + 1, r->n_races, x->kind);
	fprintf(f, "%s  first:  %s\n", indent, summary_race_side(&x->first, a, sizeof(a)));
	fprintf(f, "%s  second: %s\n", indent, summary_race_side(&x->second, b, sizeof(b)));
	fprintf(f, "%s  why:    %s\n", indent, x->why);
	fprintf(f, "%s  replay: %s replay %s --races --schedule '%s'\n", indent,
		argv0 ? argv0 : "hvsim", r->file ? r->file : "?", x->schedule);
	fclose(f);
	return out;
}
