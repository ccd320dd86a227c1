/* result.c - a scenario's result as plain data: freeing it, status words. */
#include <stdlib.h>
#include <string.h>
#include "result.h"

void result_free(struct sc_result *r)
{
	if (!r)
		return;
	free(r->file);
	free(r->name);
	free(r->description);
	for (int i = 0; r->clauses && i < r->n_clauses; i++)
		free(r->clauses[i]);
	free(r->clauses);
	free(r->reason);
	free(r->schedule);
	free(r->replay);
	for (int i = 0; r->exps && i < r->n_exps; i++) {
		free(r->exps[i].where);
		free(r->exps[i].what);
		free(r->exps[i].message);
		for (int j = 0; r->exps[i].clauses && j < r->exps[i].n_clauses; j++)
			free(r->exps[i].clauses[j]);
		free(r->exps[i].clauses);
	}
	free(r->exps);
	for (int i = 0; r->vms && i < r->n_vms; i++) {
		free(r->vms[i].name);
		free(r->vms[i].program);
		free(r->vms[i].fault_insn);
		free(r->vms[i].console);
		free(r->vms[i].fails);
	}
	free(r->vms);
	for (int i = 0; r->events && i < r->n_kept; i++) {
		free(r->events[i].region);
		free(r->events[i].text);
	}
	free(r->events);
	free(r->races);
	memset(r, 0, sizeof(*r));
}

static const char *const status_names[] = { "pass", "fail", "error", "skip", "incomplete" };
static const char *const status_labels[] = { "PASS", "FAIL", "ERROR", "SKIP", "INCOMPLETE" };
#define N_STATUS (sizeof(status_names) / sizeof(status_names[0]))

const char *result_status_name(enum sc_status st)
{
	return (unsigned)st < N_STATUS ? status_names[st] : "error";
}

const char *result_status_label(enum sc_status st)
{
	return (unsigned)st < N_STATUS ? status_labels[st] : "ERROR";
}

int result_status_parse(const char *s, enum sc_status *st)
{
	for (unsigned i = 0; s && i < N_STATUS; i++) {
		if (!strcmp(s, status_names[i])) {
			*st = (enum sc_status)i;
			return 0;
		}
	}
	return -1;
}

const char *result_area(const char *file, char *buf, size_t n)
{
	const char *end = file ? strrchr(file, '/') : NULL;

	snprintf(buf, n, "misc");
	if (!end)
		return buf;
	while (end > file && end[-1] == '/')
		end--;
	const char *start = end;
	while (start > file && start[-1] != '/')
		start--;
	size_t len = (size_t)(end - start);
	if (len == 0 || (len == 1 && *start == '.') || (len == 2 && !strncmp(start, "..", 2)))
		return buf;
	snprintf(buf, n, "%.*s", (int)len, start);
	return buf;
}
