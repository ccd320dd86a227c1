/* report_compat.c - the client compatibility matrix as HTML and text (see
 * report_compat.h). Kept apart from report_html.c: it only needs a FILE and
 * the table. */
#include <string.h>
#include "report_compat.h"
#include "escape.h"

static const char compat_css[] =
"#compat table{border-collapse:collapse;font-size:12px;background:#fff}\n"
"#compat th,#compat td{border:1px solid #d0d7de;padding:3px 6px;vertical-align:top}\n"
"#compat th.rd{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap;"
"font-family:ui-monospace,Menlo,monospace;font-weight:500}\n"
"#compat td.ok{background:#dafbe1;color:#1a7f37;text-align:center;font-weight:600}\n"
"#compat td.no{background:#ffebe9;color:#cf222e;max-width:220px;font-size:11px}\n"
"#compat td.no b{display:block}\n"
"#compat td.nm{font-family:ui-monospace,Menlo,monospace;white-space:nowrap}\n"
"#compat p{font-size:13px;color:#57606a}\n";

static void esc(FILE *f, const char *s)
{
	xml_escape(f, s ? s : "", ESC_HTML);
}

static const char *label(const struct compat_reading *rd)
{
	return rd->kv ? rd->kv : "defaults";
}

void report_html_compat(FILE *f, const struct compat_table *t)
{
	if (!t || !t->n_rows)
		return;
	fprintf(f, "<style>\n%s</style>\n<section id=\"compat\"><h2>Client compatibility</h2>\n"
		"<p>Each client-style scenario run under every reading of the device that "
		"docs/device-model.md leaves open (profile switches). <b>%d</b> of %d runs pass. "
		"A red cell gives the first failed expectation.</p>\n"
		"<table><thead><tr><th>client</th>", compat_css, compat_passed(t),
		t->n_rows * t->n_cols);
	for (int col = 0; col < t->n_cols; col++) {
		const struct compat_reading *rd = &compat_readings[col];
		fputs("<th class=\"rd\" title=\"", f);
		esc(f, rd->rule);
		fputs("\">", f);
		esc(f, label(rd));
		fputs("</th>", f);
	}
	fputs("<th>survives</th></tr></thead><tbody>\n", f);
	for (int row = 0; row < t->n_rows; row++) {
		int ok = 0;
		fputs("<tr><td class=\"nm\">", f);
		esc(f, t->row_names[row]);
		fputs("</td>", f);
		for (int col = 0; col < t->n_cols; col++) {
			const struct compat_cell *c = &t->cells[row * t->n_cols + col];
			if (c->status == SC_PASS) {
				ok++;
				fputs("<td class=\"ok\">PASS</td>", f);
				continue;
			}
			fputs("<td class=\"no\" title=\"", f);
			esc(f, c->why);
			fprintf(f, "\"><b>%s</b>", result_status_label(c->status));
			/* The cell shows the start; the title holds all of it. */
			char shortwhy[160];
			snprintf(shortwhy, sizeof(shortwhy), "%s", c->why ? c->why : "");
			esc(f, shortwhy);
			if (c->why && strlen(c->why) >= sizeof(shortwhy))
				fputs("&#8230;", f);
			fputs("</td>", f);
		}
		fprintf(f, "<td class=\"num\">%d/%d</td></tr>\n", ok, t->n_cols);
	}
	fputs("</tbody></table></section>\n", f);
}

void report_text_compat(FILE *f, const struct compat_table *t)
{
	if (!t)
		return;
	fprintf(f, "client compatibility (%d readings):\n", t->n_cols);
	for (int row = 0; row < t->n_rows; row++) {
		int ok = 0;
		for (int col = 0; col < t->n_cols; col++)
			ok += t->cells[row * t->n_cols + col].status == SC_PASS;
		fprintf(f, "  %s: %d/%d\n", t->row_names[row], ok, t->n_cols);
		for (int col = 0; col < t->n_cols; col++) {
			const struct compat_cell *c = &t->cells[row * t->n_cols + col];
			if (c->status != SC_PASS)
				fprintf(f, "    %s %s: %s\n", result_status_label(c->status),
					label(&compat_readings[col]), c->why ? c->why : "");
		}
	}
	fprintf(f, "%d of %d client runs pass\n", compat_passed(t), t->n_rows * t->n_cols);
}
