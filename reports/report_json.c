/* report_json.c - the --json report: the run's results for machines
 * (CONTRACT 6). Each entry of "results" is exactly result_to_json's object;
 * the schema is documented in docs/json-schema.md. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "report.h"
#include "summary.h"
#include "conformance/clauses.h"
#include "conformance/result_json.h"

/* Print one cJSON value (and free it); -1 when out of memory. */
static int put(FILE *f, cJSON *v)
{
	if (!v)
		return -1;
	char *s = cJSON_PrintUnformatted(v);
	cJSON_Delete(v);
	if (!s)
		return -1;
	fputs(s, f);
	free(s);
	return 0;
}

static int put_str(FILE *f, const char *s)
{
	return put(f, rj_str(s));
}

static int write_coverage_row(FILE *f, const struct run_summary *s, const char *id, bool known)
{
	int rc = 0;

	fputs("{\"clause\":", f);
	rc |= put_str(f, id);
	fputs(",\"title\":", f);
	rc |= put_str(f, known ? clause_title(id) : NULL);
	fputs(",\"in_spec\":", f);
	fputs(known ? "true" : "false", f);
	fprintf(f, ",\"status\":\"%s\",\"scenarios\":[", summary_clause_state(s, id));
	int k = 0;
	for (int i = 0; s->results && i < s->n; i++) {
		if (!summary_names_clause(&s->results[i], id))
			continue;
		fputs(k++ ? "," : "", f);
		fputs("{\"name\":", f);
		rc |= put_str(f, s->results[i].name);
		fprintf(f, ",\"status\":\"%s\"}", result_status_name(s->results[i].status));
	}
	fputs("]}", f);
	return rc;
}

int report_json(const struct run_summary *s, const char *path, char *err, size_t errlen)
{
	struct summary_counts c;
	int rc = 0;
	FILE *f = fopen(path, "w");

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	summary_count(s, &c);
	fputs("{\"tool\":\"hvsim\",\"version\":", f);
	rc |= put_str(f, s->version);
	fputs(",\"title\":", f);
	rc |= put_str(f, s->title);
	fputs(",\"command\":", f);
	rc |= put_str(f, s->command);
	fprintf(f, ",\n\"summary\":{\"total\":%d,\"passed\":%d,\"failed\":%d,\"errors\":%d,"
		"\"skipped\":%d,\"incomplete\":%d,\"seconds\":", c.total, c.passed, c.failed, c.errors,
		c.skipped, c.incomplete);
	rc |= put(f, cJSON_CreateNumber(c.seconds));
	fputs("},\n\"coverage\":[", f);
	int rows = 0;
	for (int i = 0; s->all_clauses && i < s->n_all_clauses; i++) {
		if (!s->all_clauses[i])
			continue;
		fputs(rows++ ? ",\n" : "\n", f);
		rc |= write_coverage_row(f, s, s->all_clauses[i], true);
	}
	int n_extra;
	const char **extra = summary_extra_clauses(s, &n_extra);
	for (int i = 0; i < n_extra; i++) {
		fputs(rows++ ? ",\n" : "\n", f);
		rc |= write_coverage_row(f, s, extra[i], false);
	}
	free(extra);
	fputs("],\n\"results\":[", f);
	for (int i = 0; s->results && i < s->n; i++) {
		char *js = result_to_json(&s->results[i]);
		if (!js) {
			rc = -1;
			break;
		}
		fputs(i ? ",\n" : "\n", f);
		fputs(js, f);
		free(js);
	}
	fputs("\n]}\n", f);

	int bad = ferror(f);
	if (fclose(f) || bad || rc) {
		snprintf(err, errlen, "%s: %s", path, rc ? "out of memory" : "write error");
		return -1;
	}
	return 0;
}
