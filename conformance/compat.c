/* compat.c - the client compatibility matrix (see compat.h). */
#include <stdlib.h>
#include <string.h>
#include "compat.h"

/* Every alternative of SPEC section 9, in its table's order. The two budgets
 * take any number; the matrix uses one connection per instance and 32 KiB of
 * data pages in the system, small enough to matter to a real client. */
const struct compat_reading compat_readings[] = {
	{ NULL, "" },
	{ "size_zero=invalid", "CRE-8" },
	{ "size_zero=empty", "CRE-8" },
	{ "find=attach-only", "CRE-7" },
	{ "name_unterminated=truncate", "NAM-2" },
	{ "self_notify=masked", "NTF-2" },
	{ "irq_trigger=edge", "IRQ-3" },
	{ "attach_irq_self=true", "IRQ-2" },
	{ "detached_pending=clear", "DET-2" },
	{ "region_lifetime=persist", "DET-3" },
	{ "index_alloc=round-robin", "CTL-3" },
	{ "failure_regs=zeroed", "CRE-6" },
	{ "connection_budget=1", "CRE-6" },
	{ "memory_budget=32K", "CRE-6" },
	{ "fault_delivery=guest", "PLT-4" },
};
const int n_compat_readings = (int)(sizeof(compat_readings) / sizeof(compat_readings[0]));

bool compat_is_client(const char *file)
{
	char area[256];
	return !strcmp(result_area(file, area, sizeof(area)), "clients");
}

/* The first failure of r in words (malloc'd), NULL when it passed. */
static char *why(const struct sc_result *r)
{
	if (r->status == SC_PASS)
		return NULL;
	if (r->reason && *r->reason)
		return strdup(r->reason);
	for (int i = 0; r->exps && i < r->n_exps; i++) {
		const struct exp_result *e = &r->exps[i];
		if (e->pass)
			continue;
		char *s;
		if (asprintf(&s, "%s%s%s", e->what ? e->what : "expectation",
			     e->message ? ": " : "", e->message ? e->message : "") < 0)
			return NULL;
		return s;
	}
	return strdup(result_status_name(r->status));
}

int compat_run(const struct runner *base, const struct file_list *files, struct compat_table *out)
{
	memset(out, 0, sizeof(*out));
	int n = files->n, cols = n_compat_readings;
	const struct engine_opts *beo = base->eo;
	int n_user = beo->ov.n_profile;
	const char **kv = calloc((size_t)n_user + 2, sizeof(*kv));
	struct sc_result *res = calloc((size_t)n + 1, sizeof(*res));
	out->row_names = calloc((size_t)n + 1, sizeof(char *));
	out->row_files = calloc((size_t)n + 1, sizeof(char *));
	out->cells = calloc((size_t)n * cols + 1, sizeof(*out->cells));
	out->n_rows = n;
	out->n_cols = cols;
	if (!kv || !res || !out->row_names || !out->row_files || !out->cells)
		goto fail;
	for (int i = 0; i < n_user; i++)
		kv[i] = beo->ov.profile_kv[i];
	for (int col = 0; col < cols; col++) {
		struct engine_opts eo = *beo;
		eo.trace = NULL;
		eo.ov.profile_kv = kv;
		eo.ov.n_profile = n_user;
		if (compat_readings[col].kv)
			kv[eo.ov.n_profile++] = compat_readings[col].kv;
		struct runner rn = *base;
		rn.eo = &eo;
		rn.trace = NULL;
		rn.on_result = NULL;
		rn.exitfirst = false;
		rn.n_ran = NULL;
		if (runner_run(&rn, files, res))
			goto fail;
		for (int row = 0; row < n; row++) {
			struct compat_cell *c = &out->cells[row * cols + col];
			c->status = res[row].status;
			c->why = why(&res[row]);
			if (!out->row_names[row])
				out->row_names[row] = strdup(res[row].name ? res[row].name : files->v[row]);
			if (!out->row_files[row])
				out->row_files[row] = strdup(files->v[row]);
			result_free(&res[row]);
		}
	}
	free(kv);
	free(res);
	return 0;
fail:
	free(kv);
	for (int i = 0; res && i < n; i++)
		result_free(&res[i]);
	free(res);
	compat_free(out);
	return -1;
}

int compat_passed(const struct compat_table *t)
{
	int k = 0;
	for (int i = 0; t->cells && i < t->n_rows * t->n_cols; i++)
		k += t->cells[i].status == SC_PASS;
	return k;
}

void compat_free(struct compat_table *t)
{
	for (int i = 0; t->cells && i < t->n_rows * t->n_cols; i++)
		free(t->cells[i].why);
	for (int i = 0; i < t->n_rows; i++) {
		free(t->row_names ? t->row_names[i] : NULL);
		free(t->row_files ? t->row_files[i] : NULL);
	}
	free(t->row_names);
	free(t->row_files);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}
