/* report_tap.c - the --tap report: TAP version 13 (testanything.org), one
 * test point per scenario in run order. A failure or error carries a YAML
 * block (status, file, message, schedule, replay); a skipped scenario is
 * "ok N - name # SKIP reason"; an exploration cut short (INCOMPLETE) is
 * "not ok", as it is for the exit status. Reads result records only. */
#include <errno.h>
#include <string.h>
#include "report.h"
#include "summary.h"

/* A test point's description: one line, '#' and '\' escaped (TAP 13). */
static void put_desc(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '#' || *s == '\\')
			fputc('\\', f);
		fputc(*s == '\n' || *s == '\r' || *s == '\t' ? ' ' : *s, f);
	}
}

/* A YAML double-quoted scalar. */
static void put_yaml(FILE *f, const char *key, const char *s)
{
	fprintf(f, "  %s: \"", key);
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		switch (*p) {
		case '"':  fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(f, "\\x%02x", *p);
			else
				fputc(*p, f);
		}
	}
	fputs("\"\n", f);
}

static void write_point(FILE *f, int num, const struct sc_result *r)
{
	const char *name = r->name && *r->name ? r->name : r->file ? r->file : "(unnamed)";
	bool ok = r->status == SC_PASS || r->status == SC_SKIP;
	fprintf(f, "%s %d - ", ok ? "ok" : "not ok", num);
	put_desc(f, name);
	if (r->status == SC_SKIP) {
		fputs(" # SKIP", f);
		if (r->reason) {
			fputc(' ', f);
			put_desc(f, r->reason);
		}
	}
	fputc('\n', f);
	if (ok)
		return;
	char buf[512];
	const char *first = summary_first_failure(r, NULL, buf, sizeof(buf));
	fputs("  ---\n", f);
	fprintf(f, "  status: %s\n", result_status_name(r->status));
	if (r->file)
		put_yaml(f, "file", r->file);
	put_yaml(f, "message", first ? first : r->reason ? r->reason : result_status_name(r->status));
	if (r->schedule)
		put_yaml(f, "schedule", r->schedule);
	if (r->replay)
		put_yaml(f, "replay", r->replay);
	fputs("  ...\n", f);
}

int report_tap(const struct run_summary *s, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	fprintf(f, "TAP version 13\n1..%d\n", s->results ? s->n : 0);
	for (int i = 0; s->results && i < s->n; i++)
		write_point(f, i + 1, &s->results[i]);
	int bad = ferror(f);
	if (fclose(f) || bad) {
		snprintf(err, errlen, "%s: write error", path);
		return -1;
	}
	return 0;
}
