/* report_races.c - race reports in the HTML report: for each, both accesses
 * in words, the missing happens-before chain, the replay command, and a
 * timeline of the two actors between the two accesses (the kept events of
 * both: notifies, interrupts, attaches, marks...), so the reader sees what
 * did happen between them and that none of it was an edge from the first
 * actor to the second. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "report_races.h"
#include "escape.h"
#include "summary.h"

#define LANE_H   34
#define WIDTH    900.0
#define LEFT     110.0
#define MAX_TICKS 60

static void esc(FILE *f, const char *s)
{
	xml_escape(f, s ? s : "", ESC_HTML);
}

/* The VM index of a side's name in the result, EV_HOST for the host. */
static int side_vm(const struct sc_result *r, const struct race_side_rec *s)
{
	for (int i = 0; i < r->n_vms; i++)
		if (r->vms[i].name && !strcmp(r->vms[i].name, s->vm))
			return i;
	return EV_HOST;
}

static double x_of(uint64_t clock, uint64_t lo, uint64_t hi)
{
	double span = hi > lo ? (double)(hi - lo) : 1.0;
	return LEFT + (WIDTH - LEFT - 30) * ((double)(clock - lo) / span);
}

static void write_one(FILE *f, const struct sc_result *r, int i)
{
	const struct race_rec *x = &r->races[i];
	int va = side_vm(r, &x->first), vb = side_vm(r, &x->second);
	bool same = va == vb;
	uint64_t lo = x->first.clock, hi = x->second.clock > lo ? x->second.clock : lo + 1;
	char a[256], b[256];

	fprintf(f, "<div class=\"race\" style=\"border-left:3px solid #c0392b;padding:4px 10px;"
		"margin:8px 0\">\n<p><b>Race %d of %d: ", i + 1, r->n_races);
	esc(f, x->kind);
	fputs("</b></p>\n<ol>\n<li>", f);
	esc(f, summary_race_side(&x->first, a, sizeof(a)));
	fputs("</li>\n<li>", f);
	esc(f, summary_race_side(&x->second, b, sizeof(b)));
	fputs("</li>\n</ol>\n<p>", f);
	esc(f, x->why);
	fputs("</p>\n", f);

	/* Lanes: the first access's actor, then the second's (one lane when
	 * both are the same VM: a missing barrier). */
	int lanes = same ? 1 : 2;
	double h = 30 + lanes * LANE_H;
	fprintf(f, "<svg viewBox=\"0 0 %.0f %.0f\" style=\"width:100%%;height:auto;max-width:%.0fpx\" "
		"role=\"img\" aria-label=\"race timeline\">\n", WIDTH, h, WIDTH);
	for (int l = 0; l < lanes; l++) {
		double y = 20 + l * LANE_H;
		fprintf(f, "<text x=\"4\" y=\"%.0f\" font-size=\"12\">", y + 4);
		esc(f, l == 0 ? x->first.vm : x->second.vm);
		fprintf(f, "</text><line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" "
			"stroke=\"#bbb\"/>\n", LEFT, y, WIDTH - 20, y);
	}
	/* The kept events of both actors between the two accesses. */
	int ticks = 0;
	for (int k = 0; r->events && k < r->n_kept && ticks < MAX_TICKS; k++) {
		const struct ev *e = &r->events[k];
		if (e->clock < lo || e->clock > hi || (e->vm != va && e->vm != vb) ||
		    e->kind == EV_RACE)
			continue;
		int lane = e->vm == va ? 0 : 1;
		if (same)
			lane = 0;
		double y = 20 + lane * LANE_H, xx = x_of(e->clock, lo, hi);
		char *det = summary_ev_details(r, e);
		fprintf(f, "<g><title>seq %" PRIu64 " clock %" PRIu64 " %s ", e->seq, e->clock,
			ev_kind_name(e->kind));
		esc(f, det);
		fprintf(f, "</title><rect x=\"%.1f\" y=\"%.0f\" width=\"3\" height=\"10\" fill=\"#2c7be5\"/>"
			"<text x=\"%.1f\" y=\"%.0f\" font-size=\"9\" fill=\"#555\">%s</text></g>\n",
			xx - 1.5, y - 5, xx + 2, y + 15, ev_kind_name(e->kind));
		free(det);
		ticks++;
	}
	/* The two accesses, and the edge that is missing between them. */
	double x1 = x_of(x->first.clock, lo, hi), x2 = x_of(x->second.clock, lo, hi);
	double y1 = 20, y2 = same ? 20 : 20 + LANE_H;
	fprintf(f, "<line x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" y2=\"%.0f\" stroke=\"#c0392b\" "
		"stroke-dasharray=\"5,4\"/>\n", x1, y1, x2, y2);
	fprintf(f, "<text x=\"%.1f\" y=\"%.0f\" font-size=\"10\" fill=\"#c0392b\">%s</text>\n",
		(x1 + x2) / 2 - 40, (y1 + y2) / 2 + (same ? -8 : 4),
		strcmp(x->kind, "data-race") ? "no barrier between" : "no happens-before");
	for (int s = 0; s < 2; s++) {
		const struct race_side_rec *sd = s ? &x->second : &x->first;
		double xx = s ? x2 : x1, y = s ? y2 : y1;
		fprintf(f, "<g><title>%s %s 0x%" PRIx64 " pc 0x%" PRIx64 " ", sd->dir == 'w' ? "write" : "read",
			sd->region, sd->addr, sd->pc);
		esc(f, sd->sym);
		fprintf(f, "</title><circle cx=\"%.1f\" cy=\"%.0f\" r=\"6\" fill=\"#c0392b\"/>"
			"<text x=\"%.1f\" y=\"%.0f\" font-size=\"10\">", xx, y, xx - 20, y - 9);
		fprintf(f, "%d. %s ", s + 1, sd->dir == 'w' ? "write" : "read");
		esc(f, sd->sym[0] ? sd->sym : "?");
		fputs("</text></g>\n", f);
	}
	fputs("</svg>\n<p>Replay: <code>hvsim replay ", f);
	esc(f, r->file);
	fputs(" --races --schedule '", f);
	esc(f, x->schedule);
	fputs("'</code></p>\n</div>\n", f);
}

void report_races_html(FILE *f, const struct sc_result *r, const char *id)
{
	if (!r->races || r->n_races <= 0)
		return;
	fputs("<h4 id=\"", f);
	html_write_id(f, id);
	fprintf(f, "-races\">Races and missing barriers <span class=\"muted\">%d</span></h4>\n",
		r->n_races);
	for (int i = 0; i < r->n_races; i++)
		write_one(f, r, i);
}
