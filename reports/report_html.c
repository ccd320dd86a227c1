/* report_html.c - the HTML report (CONTRACT 6): one self-contained file, no
 * network and no external files (inline CSS, a little inline JS, inline SVG).
 *
 * Layout: header (title, command, version, counts, time, summary bar) ->
 * scenario table (text filter, status filter; failed rows link straight to
 * their first failed expectation) -> one detail section per scenario
 * (expectations, VMs with consoles, schedule and replay command, an SVG
 * timeline with one lane per VM plus the host, and the kept events) ->
 * the clause coverage matrix.
 *
 * Anchors: #sc-<name> (detail), #sc-<name>-exp-<i> (expectation i),
 * #sc-<name>-ev-<seq> (timeline marker of event seq), #sc-<name>-evrow-<seq>
 * (its row in the event table). <name> is written by html_write_id, which
 * keeps [A-Za-z0-9_.-] and hex-escapes any other byte. Every text goes
 * through xml_escape(ESC_HTML). */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "report.h"
#include "escape.h"
#include "report_races.h"
#include "summary.h"
#include "conformance/clauses.h"
#include "report_compat.h"

#define CONSOLE_MAX   (64 * 1024)   /* console bytes shown per VM */
#define EVENTS_MAX_FAIL 2000        /* timeline markers / table rows, failed scenario */
#define EVENTS_MAX_PASS 400         /* the same, passed scenario (keeps 200 scenarios small) */

/* ---- small writers ---- */

static void esc(FILE *f, const char *s)
{
	xml_escape(f, s, ESC_HTML);
}

static void u64_grouped(FILE *f, uint64_t v)
{
	char d[32];
	int n = snprintf(d, sizeof(d), "%" PRIu64, v);
	for (int i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			fputc(',', f);
		fputc(d[i], f);
	}
}

/* Axis labels: 0, 750, 1.5k, 20k, 1.25M. */
static void clock_short(char *buf, size_t n, double v)
{
	const char *unit = "";
	if (v >= 1e9) { v /= 1e9; unit = "G"; }
	else if (v >= 1e6) { v /= 1e6; unit = "M"; }
	else if (v >= 1e3) { v /= 1e3; unit = "k"; }
	snprintf(buf, n, "%.3g%s", v, unit);
}


/* ---- timeline markers ---- */

/* The shape of kind k, centred on (0,0), in class "k-<kind>". */
static void marker_shape(FILE *f, enum ev_kind k)
{
	switch (k) {
	case EV_MARK:      fputs("<path d=\"M0-6L6 0 0 6-6 0Z\"/>", f); break;
	case EV_IRQ_ACK:   fputs("<circle r=\"5\"/>", f); break;
	case EV_IRQ_ENTER: fputs("<circle r=\"4.5\" class=\"ring\"/>", f); break;
	case EV_ATTACH:    fputs("<path d=\"M0-6L6 5H-6Z\"/>", f); break;
	case EV_DETACH:    fputs("<path d=\"M0 6L6-5H-6Z\"/>", f); break;
	case EV_NOTIFY:    fputs("<path d=\"M-5-6L6 0-5 6Z\"/>", f); break;
	case EV_FAULT:     fputs("<circle r=\"7\" class=\"fbg\"/><path d=\"M-4-4L4 4M4-4L-4 4\" class=\"x\"/>", f); break;
	case EV_EXIT:      fputs("<rect x=\"-5\" y=\"-5\" width=\"10\" height=\"10\" rx=\"1.5\"/>", f); break;
	case EV_CONSOLE:   fputs("<rect x=\"-4\" y=\"-3.5\" width=\"8\" height=\"7\" rx=\"1.5\"/>", f); break;
	case EV_SWITCH:    fputs("<path d=\"M0-10V10\" class=\"line\"/>", f); break;
	case EV_FAIL:      fputs("<circle r=\"5.5\"/><path d=\"M0-3V0.5M0 2.5V3\" class=\"bang\"/>", f); break;
	default:           fputs("<circle r=\"2.5\"/>", f); break;
	}
}

static const enum ev_kind legend_kinds[] = {
	EV_MARK, EV_IRQ_ACK, EV_IRQ_ENTER, EV_ATTACH, EV_DETACH, EV_NOTIFY, EV_FAULT,
	EV_EXIT, EV_CONSOLE, EV_SWITCH, EV_FAIL,
};

static bool legend_kind(enum ev_kind k)
{
	for (size_t i = 0; i < sizeof(legend_kinds) / sizeof(legend_kinds[0]); i++)
		if (legend_kinds[i] == k)
			return true;
	return false;
}

/* ---- per scenario ---- */

struct ctx {
	FILE *f;
	const struct run_summary *s;
	char **ids;             /* "sc-<name>" per result, unique */
};

static bool kept_event(const struct sc_result *r, int64_t seq)
{
	for (int i = 0; seq >= 0 && r->events && i < r->n_kept; i++)
		if (r->events[i].seq == (uint64_t)seq)
			return true;
	return false;
}

/* 0: no expectation points at event seq; 1: only passed ones; 2: a failed one. */
static int event_referenced(const struct sc_result *r, uint64_t seq)
{
	int ref = 0;
	for (int i = 0; r->exps && i < r->n_exps; i++)
		if (r->exps[i].ev_seq >= 0 && (uint64_t)r->exps[i].ev_seq == seq)
			ref = r->exps[i].pass && ref < 2 ? 1 : 2;
	return ref;
}

/* Which kept events to draw: all non-mmio ones, or when there are more than
 * the cap, the first and last cap/2 of them plus every event an expectation
 * points at. Returns a malloc'd flag array (NULL: out of memory), the number
 * drawn in *shown and the number of non-mmio events in *total. */
static bool *pick_events(const struct sc_result *r, int cap, int *shown, int *total)
{
	int n = r->events ? r->n_kept : 0, t = 0, k = 0, s = 0;
	bool *pick = calloc((size_t)n + 1, sizeof(*pick));
	if (!pick)
		return NULL;
	for (int i = 0; i < n; i++)
		t += r->events[i].kind != EV_MMIO;
	for (int i = 0; i < n; i++) {
		if (r->events[i].kind == EV_MMIO)
			continue;
		pick[i] = t <= cap || k < cap / 2 || k >= t - cap / 2 ||
			  event_referenced(r, r->events[i].seq);
		s += pick[i];
		k++;
	}
	*shown = s;
	*total = t;
	return pick;
}

static int n_mmio_kept(const struct sc_result *r)
{
	int n = 0;
	for (int i = 0; r->events && i < r->n_kept; i++)
		n += r->events[i].kind == EV_MMIO;
	return n;
}

/* Where write_timeline put things: an event's x from its clock, y from its lane. */
struct tl_geom {
	double W, L, R, TOP, LANE;
	uint64_t maxc;
	int n_vms;
};

static double tl_x(const struct tl_geom *g, uint64_t clock)
{
	return g->L + (double)clock / (double)g->maxc * (g->W - g->L - g->R);
}

static double tl_y(const struct tl_geom *g, int vm)
{
	int lane = vm >= 0 && vm < g->n_vms ? vm : g->n_vms;
	return g->TOP + lane * g->LANE + g->LANE / 2;
}

/* Device accesses (kept only for a scenario that did not pass): a short tick
 * above the VM's lane line, up for a write and down for a read, linked to its
 * row in the event table. */
static void write_mmio_markers(struct ctx *c, const struct sc_result *r, const char *id,
			       const struct tl_geom *g)
{
	FILE *f = c->f;
	for (int i = 0; r->events && i < r->n_kept; i++) {
		const struct ev *e = &r->events[i];
		if (e->kind != EV_MMIO)
			continue;
		char *det = summary_ev_details(r, e);
		fprintf(f, "<a href=\"#%s-evrow-%" PRIu64 "\"><path class=\"mm %c\" data-k=\"mmio\" "
			"d=\"M%.1f %.1fv%d\"><title>#%" PRIu64 " ", id, e->seq, e->dir == 'w' ? 'w' : 'r',
			tl_x(g, e->clock), tl_y(g, e->vm) - 3, e->dir == 'w' ? -8 : 8, e->seq);
		esc(f, det ? det : "");
		fputs("</title></path></a>", f);
		free(det);
	}
}

/* The VM holding connection idx of region at event i: from the last
 * successful attach before it (the host's connections count too). */
static int holder_of(const struct sc_result *r, int i, const char *region, int idx, bool *found)
{
	*found = false;
	for (int j = i - 1; j >= 0; j--) {
		const struct ev *a = &r->events[j];
		if ((a->kind == EV_ATTACH || a->kind == EV_DETACH) && a->status == 0 &&
		    a->idx == idx && a->region && !strcmp(a->region, region)) {
			*found = a->kind == EV_ATTACH;
			return a->vm;
		}
	}
	return 0;
}

/* Notify -> interrupt causality (NTF-1): from each drawn notify, an arrow to
 * the first acknowledgement (irq-ack) each notified VM makes after it. */
static void write_causality(struct ctx *c, const struct sc_result *r, const char *id,
			    const struct tl_geom *g, const bool *pick)
{
	FILE *f = c->f;
	fprintf(f, "<defs><marker id=\"%s-arr\" viewBox=\"0 0 8 8\" refX=\"8\" refY=\"4\" "
		"markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0 0L8 4 0 8Z\" "
		"class=\"arrhead\"/></marker></defs>", id);
	for (int i = 0; r->events && i < r->n_kept; i++) {
		const struct ev *n = &r->events[i];
		if (n->kind != EV_NOTIFY || !pick[i] || !n->region)
			continue;
		for (int bit = 0; bit < 32; bit++) {
			bool found;
			if (!(n->targets >> bit & 1))
				continue;
			int vm = holder_of(r, i, n->region, bit, &found);
			if (!found)
				continue;
			for (int j = i + 1; j < r->n_kept; j++) {
				const struct ev *a = &r->events[j];
				if (a->kind != EV_IRQ_ACK || a->vm != vm || !pick[j])
					continue;
				fprintf(f, "<path class=\"cause\" data-k=\"notify\" d=\"M%.1f %.1fL%.1f %.1f\" "
					"marker-end=\"url(#%s-arr)\"><title>notify #%" PRIu64 " \xe2\x86\x92 "
					"irq-ack #%" PRIu64 "</title></path>", tl_x(g, n->clock), tl_y(g, n->vm),
					tl_x(g, a->clock), tl_y(g, a->vm), id, n->seq, a->seq);
				break;
			}
		}
	}
}

/* Above the event table: one checkbox per kind present (with its count) and a
 * text filter on the details ("shmem0.ctl", "gicc +0xc"); the script hides
 * the table rows and the timeline marks that do not match. */
static void write_event_filter(struct ctx *c, const struct sc_result *r, const bool *pick)
{
	FILE *f = c->f;
	int count[EV_KIND_COUNT] = { 0 };
	for (int i = 0; r->events && i < r->n_kept; i++)
		if ((pick[i] || r->events[i].kind == EV_MMIO) &&
		    (unsigned)r->events[i].kind < EV_KIND_COUNT)
			count[r->events[i].kind]++;
	fputs("<div class=\"evf\"><input type=\"search\" class=\"evq\" placeholder=\"Filter events: "
	      "device, register, value (shmem0.ctl, gicc +0xc, w32)\" aria-label=\"Filter events\">", f);
	for (int k = 0; k < EV_KIND_COUNT; k++)
		if (count[k])
			fprintf(f, "<label><input type=\"checkbox\" value=\"%s\" checked>%s "
				"<span class=\"muted\">%d</span></label>", ev_kind_name((enum ev_kind)k),
				ev_kind_name((enum ev_kind)k), count[k]);
	fputs("</div>\n", f);
}

static void write_timeline(struct ctx *c, const struct sc_result *r, const char *id)
{
	FILE *f = c->f;
	char nb[24], lab[32];
	int n_vms = r->vms ? r->n_vms : 0;
	int lanes = n_vms + 1;
	const double W = 1100, L = 96, R = 18, LANE = 30, TOP = 6, AXIS = 30;
	double H = TOP + lanes * LANE + AXIS;
	uint64_t maxc = r->clock;
	int shown = 0, total = 0, n = r->events ? r->n_kept : 0;
	int cap = r->status == SC_PASS ? EVENTS_MAX_PASS : EVENTS_MAX_FAIL;
	bool *pick = pick_events(r, cap, &shown, &total);
	if (!pick)
		return;
	bool present[EV_KIND_COUNT] = { false };

	for (int i = 0; i < n; i++)
		if (r->events[i].clock > maxc)
			maxc = r->events[i].clock;
	if (maxc == 0)
		maxc = 1;
	const struct tl_geom g = { W, L, R, TOP, LANE, maxc, n_vms };

	fprintf(f, "<div class=\"tlwrap\"><svg class=\"tl\" viewBox=\"0 0 %.0f %.0f\" "
		"role=\"img\" aria-label=\"event timeline\">", W, H);
	for (int l = 0; l < lanes; l++) {
		double y = TOP + l * LANE;
		fprintf(f, "<rect class=\"lane%s\" x=\"0\" y=\"%.0f\" width=\"%.0f\" height=\"%.0f\"/>",
			l % 2 ? " odd" : "", y, W, LANE);
		fprintf(f, "<text class=\"lname\" x=\"10\" y=\"%.0f\">", y + LANE / 2 + 4);
		esc(f, l < n_vms ? summary_vm_name(r, l, nb, sizeof(nb)) : "host");
		fputs("</text>", f);
		fprintf(f, "<line class=\"lline\" x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\"/>",
			L, W - R, y + LANE / 2, y + LANE / 2);
	}
	/* axis with "nice" ticks */
	double axis_y = TOP + lanes * LANE;
	double raw = (double)maxc / 8, mag = 1;
	while (mag * 10 <= raw)
		mag *= 10;
	double step = raw / mag < 1.5 ? mag : raw / mag < 3.5 ? 2 * mag : raw / mag < 7.5 ? 5 * mag : 10 * mag;
	if (step < 1)
		step = 1;
	fprintf(f, "<line class=\"axis\" x1=\"%.0f\" x2=\"%.0f\" y1=\"%.0f\" y2=\"%.0f\"/>",
		L, W - R, axis_y, axis_y);
	for (double t = 0; t <= (double)maxc + 0.5; t += step) {
		double x = L + t / (double)maxc * (W - L - R);
		clock_short(lab, sizeof(lab), t);
		fprintf(f, "<line class=\"tick\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.0f\" y2=\"%.0f\"/>"
			"<text class=\"tlab\" x=\"%.1f\" y=\"%.0f\">%s</text>",
			x, x, TOP, axis_y + 4, x, axis_y + 17, lab);
	}
	fprintf(f, "<text class=\"tunit\" x=\"%.0f\" y=\"%.0f\">system clock</text>", 10.0, axis_y + 17);
	write_mmio_markers(c, r, id, &g);
	write_causality(c, r, id, &g, pick);

	for (int i = 0; i < n; i++) {
		const struct ev *e = &r->events[i];
		if (!pick[i])
			continue;
		int lane = e->vm >= 0 && e->vm < n_vms ? e->vm : n_vms;
		double x = L + (double)e->clock / (double)maxc * (W - L - R);
		double y = TOP + lane * LANE + LANE / 2;
		if ((unsigned)e->kind < EV_KIND_COUNT)
			present[e->kind] = true;
		const char *kn = ev_kind_name(e->kind);
		char *det = summary_ev_details(r, e);
		fprintf(f, "<a href=\"#%s-evrow-%" PRIu64 "\"><g id=\"%s-ev-%" PRIu64 "\" class=\"ev k-%s\" "
			"data-k=\"%s\" transform=\"translate(%.1f %.1f)\"><title>#%" PRIu64 " \xc2\xb7 clock ",
			id, e->seq, id, e->seq, kn, kn, x, y, e->seq);
		u64_grouped(f, e->clock);
		fputs(" \xc2\xb7 ", f);
		esc(f, summary_vm_name(r, e->vm, nb, sizeof(nb)));
		fprintf(f, " \xc2\xb7 %s", kn);
		if (det && *det) {
			fputs(": ", f);
			xml_escape_n(f, det, 300, ESC_HTML);
		}
		fputs("</title><circle r=\"9\" class=\"halo\"/>", f);
		marker_shape(f, e->kind);
		fputs("</g></a>", f);
		free(det);
	}
	fputs("</svg></div>\n", f);

	/* legend: the kinds present */
	fputs("<div class=\"legend\">", f);
	for (size_t i = 0; i < sizeof(legend_kinds) / sizeof(legend_kinds[0]); i++) {
		enum ev_kind k = legend_kinds[i];
		if (!present[k])
			continue;
		fprintf(f, "<span><svg viewBox=\"-8 -8 16 16\" class=\"lg\"><g class=\"ev k-%s\">",
			ev_kind_name(k));
		marker_shape(f, k);
		fprintf(f, "</g></svg>%s</span>", ev_kind_name(k));
	}
	bool other = false;
	for (int k = 0; k < EV_KIND_COUNT; k++)
		if (present[k] && !legend_kind((enum ev_kind)k))
			other = true;
	if (other)
		fputs("<span><svg viewBox=\"-8 -8 16 16\" class=\"lg\"><g class=\"ev k-other\">"
		      "<circle r=\"2.5\"/></g></svg>other</span>", f);
	if (n_mmio_kept(r))
		fputs("<span><svg viewBox=\"-8 -8 16 16\" class=\"lg\"><path class=\"mm w\" "
		      "d=\"M-3 4v-8\"/><path class=\"mm r\" d=\"M3-4v8\"/></svg>device write / read</span>", f);
	if (present[EV_NOTIFY])
		fputs("<span><svg viewBox=\"-8 -8 16 16\" class=\"lg\"><path class=\"cause\" "
		      "d=\"M-7 5L7-5\"/></svg>notify \xe2\x86\x92 interrupt</span>", f);
	fputs("</div>\n", f);
	int n_mmio = n - total;
	if (shown < total || n_mmio) {
		fputs("<p class=\"muted small note\">", f);
		if (shown < total)
			fprintf(f, "Showing %d of %d kept events: the first and last %d, and every "
				"event an expectation points at. ", shown, total, cap / 2);
		if (n_mmio)
			fprintf(f, "%d device accesses drawn as ticks over their VM's lane (up: write, "
				"down: read) and listed below: at most the last 4000; --trace has them all.",
				n_mmio);
		fputs("</p>\n", f);
	}

	/* the event table */
	if (!shown && !n_mmio) {
		free(pick);
		return;
	}
	write_event_filter(c, r, pick);
	fputs("<div class=\"evscroll\"><table class=\"grid evs\"><thead><tr><th class=\"num\">#</th>"
	      "<th class=\"num\">Clock</th><th>VM</th><th>Kind</th><th>Details</th></tr></thead><tbody>", f);
	for (int i = 0; i < n; i++) {
		const struct ev *e = &r->events[i];
		if (!pick[i] && e->kind != EV_MMIO)
			continue;
		int ref = event_referenced(r, e->seq);
		fprintf(f, "<tr id=\"%s-evrow-%" PRIu64 "\" data-k=\"%s\"%s><td class=\"num\">", id, e->seq,
			ev_kind_name(e->kind), ref == 2 ? " class=\"reffail\"" : ref ? " class=\"ref\"" : "");
		if (e->kind == EV_MMIO)
			fprintf(f, "%" PRIu64 "</td><td class=\"num\">", e->seq);
		else
			fprintf(f, "<a href=\"#%s-ev-%" PRIu64 "\">%" PRIu64 "</a></td><td class=\"num\">",
				id, e->seq, e->seq);
		u64_grouped(f, e->clock);
		fputs("</td><td>", f);
		esc(f, summary_vm_name(r, e->vm, nb, sizeof(nb)));
		fprintf(f, "</td><td><span class=\"kind k-%s\">%s</span></td><td class=\"det\">",
			ev_kind_name(e->kind), ev_kind_name(e->kind));
		char *det = summary_ev_details(r, e);
		esc(f, det);
		free(det);
		fputs("</td></tr>\n", f);
	}
	fputs("</tbody></table></div>\n", f);
	free(pick);
}

static void write_copy_line(FILE *f, const char *label, const char *text)
{
	fprintf(f, "<div class=\"copyline\"><span class=\"lbl\">%s</span><code class=\"cptext\">", label);
	esc(f, text && *text ? text : "(none)");
	fputs("</code><button type=\"button\" class=\"cp\" title=\"Copy to clipboard\">Copy</button></div>\n", f);
}

static const char *chip_class(enum sc_status st)
{
	switch (st) {
	case SC_PASS: return "pass";
	case SC_FAIL: return "fail";
	case SC_SKIP: return "skip";
	case SC_INCOMPLETE: return "skip";
	default: return "err";
	}
}

/* A scenario that passed, in a report of many (FULL_DETAIL_MAX or more): its
 * name, facts, expectations, VMs and the replay command on a few lines, no
 * timeline (a passing run's events are in --json and --trace), so a
 * report of 1000 scenarios stays small and fast to open. */
#define FULL_DETAIL_MAX 20

static void write_pass_detail(struct ctx *c, int idx)
{
	FILE *f = c->f;
	const struct sc_result *r = &c->s->results[idx];
	const char *id = c->ids[idx];
	char area[64], buf[512], dur[32];

	summary_area(r->file, area, sizeof(area));
	fprintf(f, "<section class=\"sc st-pass compact\" id=\"%s\"><div class=\"sc-head\">"
		"<span class=\"chip pass\">PASS</span><h3>", id);
	esc(f, r->name ? r->name : "(unnamed)");
	fputs("</h3><span class=\"file\">", f);
	esc(f, r->file ? r->file : "");
	fprintf(f, "</span><a class=\"up\" href=\"#row-%s\">&#8593; table</a></div>\n<p class=\"cf\">", id);
	if (r->description && *r->description) {
		esc(f, r->description);
		fputs("<br>", f);
	}
	esc(f, area);
	for (int i = 0; r->clauses && i < r->n_clauses; i++) {
		fputs(" <a class=\"clause\" href=\"#cov-", f);
		html_write_id(f, r->clauses[i]);
		fputs("\">", f);
		esc(f, r->clauses[i]);
		fputs("</a>", f);
	}
	fprintf(f, " &#183; %s &#183; clock ", summary_duration(r->seconds, dur, sizeof(dur)));
	u64_grouped(f, r->clock);
	fputs(" &#183; VMs:", f);
	for (int i = 0; r->vms && i < r->n_vms; i++) {
		fputs(i ? ", " : " ", f);
		esc(f, r->vms[i].name ? r->vms[i].name : "?");
		fputs(" (", f);
		esc(f, r->vms[i].program ? r->vms[i].program : "");
		fputs(") ", f);
		esc(f, summary_vm_outcome(&r->vms[i], buf, sizeof(buf)));
	}
	fputs("</p>\n<ul class=\"cexp\">", f);
	for (int i = 0; r->exps && i < r->n_exps; i++) {
		fprintf(f, "<li id=\"%s-exp-%d\">", id, i);
		esc(f, r->exps[i].where ? r->exps[i].where : "");
		fputs(": ", f);
		esc(f, r->exps[i].what ? r->exps[i].what : "");
		fputs("</li>", f);
	}
	fputs("</ul>\n<code class=\"rp\">", f);
	esc(f, r->replay ? r->replay : "");
	fputs("</code></section>\n", f);
}

static void write_interleaving(struct ctx *c, const struct sc_result *r);

static void write_detail(struct ctx *c, int idx)
{
	if (c->s->results[idx].status == SC_PASS && c->s->n >= FULL_DETAIL_MAX) {
		write_pass_detail(c, idx);
		return;
	}
	FILE *f = c->f;
	const struct sc_result *r = &c->s->results[idx];
	const char *id = c->ids[idx];
	char area[64], buf[512], dur[32];
	int first_exp;
	const char *first = summary_first_failure(r, &first_exp, buf, sizeof(buf));
	bool bad = r->status == SC_FAIL || r->status == SC_ERROR;

	summary_area(r->file, area, sizeof(area));
	fprintf(f, "<section class=\"sc st-%s\" id=\"%s\">\n<div class=\"sc-head\">"
		"<span class=\"chip %s\">%s</span><h3>", chip_class(r->status), id,
		chip_class(r->status), result_status_label(r->status));
	esc(f, r->name ? r->name : "(unnamed)");
	fputs("</h3>", f);
	if (r->file) {
		fputs("<span class=\"file\">", f);
		esc(f, r->file);
		fputs("</span>", f);
	}
	fprintf(f, "<a class=\"up\" href=\"#row-%s\" title=\"Back to the table\">&#8593; table</a></div>\n", id);
	if (r->description && *r->description) {
		fputs("<p class=\"desc\">", f);
		esc(f, r->description);
		fputs("</p>\n", f);
	}

	fputs("<div class=\"facts\"><div><span>Area</span>", f);
	esc(f, area);
	fputs("</div><div><span>Clauses</span>", f);
	if (!r->n_clauses || !r->clauses)
		fputs("<em class=\"muted\">none</em>", f);
	for (int i = 0; r->clauses && i < r->n_clauses; i++) {
		const char *t = clause_title(r->clauses[i]);
		fputs("<a class=\"clause\" href=\"#cov-", f);
		html_write_id(f, r->clauses[i]);
		fputs("\" title=\"", f);
		esc(f, t ? t : "not a clause of docs/device-model.md");
		fputs("\">", f);
		esc(f, r->clauses[i]);
		fputs("</a>", f);
	}
	fprintf(f, "</div><div><span>Host time</span>%s</div><div><span>System clock</span>",
		summary_duration(r->seconds, dur, sizeof(dur)));
	u64_grouped(f, r->clock);
	fputs("</div><div><span>Events</span>", f);
	u64_grouped(f, r->n_events);
	fprintf(f, " (%d kept)</div></div>\n", r->n_kept);

	bool unproven = r->status == SC_SKIP || r->status == SC_INCOMPLETE;
	if (bad || (unproven && r->reason)) {
		fprintf(f, "<div class=\"callout %s\" id=\"%s-reason\"><strong>%s</strong> ",
			chip_class(r->status), id,
			r->status == SC_FAIL ? "First failure:" : r->status == SC_SKIP ? "Skipped:" :
			r->status == SC_INCOMPLETE ? "Incomplete:" : "Error:");
		esc(f, first ? first : "");
		if (r->status == SC_FAIL && first_exp >= 0)
			fprintf(f, " <a href=\"#%s-exp-%d\">jump to expectation</a>", id, first_exp);
		fputs("</div>\n", f);
	}

	/* expectations */
	if (r->exps && r->n_exps > 0) {
		int n_fail = 0;
		for (int i = 0; i < r->n_exps; i++)
			n_fail += !r->exps[i].pass;
		fprintf(f, "<h4>Expectations <span class=\"muted\">%d passed, %d failed</span></h4>\n"
			"<ol class=\"exps\">\n", r->n_exps - n_fail, n_fail);
		for (int i = 0; i < r->n_exps; i++) {
			const struct exp_result *e = &r->exps[i];
			fprintf(f, "<li id=\"%s-exp-%d\" class=\"exp %s\"><span class=\"ok\">%s</span>"
				"<div class=\"eb\"><code class=\"where\">", id, i, e->pass ? "pass" : "fail",
				e->pass ? "&#10003;" : "&#10007;");
			esc(f, e->where ? e->where : "");
			fputs("</code> <span class=\"what\">", f);
			esc(f, e->what ? e->what : "");
			fputs("</span>", f);
			if (!e->pass && e->message) {
				fputs("<div class=\"msg\">", f);
				esc(f, e->message);
				fputs("</div>", f);
			}
			if (e->ev_seq >= 0) {
				if (kept_event(r, e->ev_seq))
					fprintf(f, " <a class=\"evlink\" href=\"#%s-ev-%" PRId64 "\">event #%"
						PRId64 " &#8594;</a>", id, e->ev_seq, e->ev_seq);
				else
					fprintf(f, " <span class=\"evlink muted\">event #%" PRId64
						" (not kept)</span>", e->ev_seq);
			}
			fputs("</div></li>\n", f);
		}
		fputs("</ol>\n", f);
	}

	/* VMs */
	if (r->vms && r->n_vms > 0) {
		fputs("<h4>VMs</h4>\n<table class=\"grid vms\"><thead><tr><th>VM</th><th>Program</th>"
		      "<th>Outcome</th><th class=\"num\">Instructions</th><th>Guest FAIL ids</th></tr>"
		      "</thead><tbody>\n", f);
		for (int i = 0; i < r->n_vms; i++) {
			const struct vm_result *v = &r->vms[i];
			fputs("<tr><td class=\"mono\">", f);
			esc(f, v->name ? v->name : "?");
			fputs("</td><td class=\"mono\">", f);
			esc(f, v->program ? v->program : "");
			fprintf(f, "</td><td class=\"%s\">", v->faulted ? "warn" :
				(v->exited && v->exit_code == 0) ? "good" : "warn");
			esc(f, summary_vm_outcome(v, buf, sizeof(buf)));
			fputs("</td><td class=\"num\">", f);
			u64_grouped(f, v->icount);
			fputs("</td><td class=\"mono\">", f);
			for (int j = 0; v->fails && j < v->n_fails; j++)
				fprintf(f, "%s%" PRId64, j ? ", " : "", v->fails[j]);
			if (!v->fails || !v->n_fails)
				fputs("<span class=\"muted\">&#8212;</span>", f);
			fputs("</td></tr>\n", f);
		}
		fputs("</tbody></table>\n", f);
		bool any = false;
		for (int i = 0; i < r->n_vms; i++)
			any |= r->vms[i].console && *r->vms[i].console;
		if (any)
			fputs("<div class=\"consoles\">", f);
		for (int i = 0; i < r->n_vms; i++) {
			const struct vm_result *v = &r->vms[i];
			if (!v->console || !*v->console)
				continue;
			size_t len = strlen(v->console);
			fputs("<div class=\"console\"><div class=\"ch\">console &#183; ", f);
			esc(f, v->name ? v->name : "?");
			fprintf(f, " <span class=\"muted\">%zu bytes</span></div><pre>", len);
			size_t used = xml_escape_n(f, v->console, CONSOLE_MAX, ESC_HTML);
			if (used < len)
				fprintf(f, "\n<span class=\"muted\">[&#8230; %zu more bytes: see the JSON report]</span>",
					len - used);
			fputs("</pre></div>\n", f);
		}
		if (any)
			fputs("</div>\n", f);
	}

	fputs("<h4>Reproduce</h4>\n", f);
	write_copy_line(f, "Schedule", r->schedule);
	write_copy_line(f, "Replay", r->replay);
	report_races_html(f, r, id);   /* race mode (report_races.c) */

	if (r->events && r->n_kept > 0) {
		fprintf(f, "<details class=\"tld\"%s><summary>Timeline <span class=\"muted\">%d events kept"
			" of ", bad ? " open" : "", r->n_kept);
		u64_grouped(f, r->n_events);
		fputs("</span></summary>\n", f);
		write_timeline(c, r, id);
		fputs("</details>\n", f);
	}
	write_interleaving(c, r);
	fputs("</section>\n", f);
}

/* ---- explore: the failing interleaving, one column per VM ---- */

#define INTERLEAVE_ROWS 600   /* rows shown at most */

/* One event in words, for its VM's column. */
static void interleave_cell(FILE *f, const struct sc_result *r, const struct ev *e)
{
	char buf[160];
	switch (e->kind) {
	case EV_SWITCH:
		snprintf(buf, sizeof(buf), "%s: %s runs",
			 e->text && !strcmp(e->text, "point") ? "forced switch at a device access" :
			 e->text ? e->text : "switch",
			 e->to >= 0 && e->to < r->n_vms && r->vms[e->to].name ? r->vms[e->to].name : "none");
		break;
	case EV_ATTACH: case EV_DETACH: case EV_FIND:
		snprintf(buf, sizeof(buf), "%s %s idx %d status %d", ev_kind_name(e->kind),
			 e->region ? e->region : "", e->idx, e->status);
		break;
	case EV_NOTIFY:
		snprintf(buf, sizeof(buf), "notify %s mask 0x%x", e->region ? e->region : "", e->mask);
		break;
	case EV_IRQ_LINE:
		snprintf(buf, sizeof(buf), "irq line %u = %d", e->intid, e->level);
		break;
	case EV_IRQ_ENTER: case EV_IRQ_ACK: case EV_IRQ_EOI:
		snprintf(buf, sizeof(buf), "%s %u", ev_kind_name(e->kind), e->intid);
		break;
	case EV_MARK: case EV_FAIL: case EV_EXIT:
		snprintf(buf, sizeof(buf), "%s %lld", ev_kind_name(e->kind), (long long)e->code);
		break;
	case EV_CONSOLE: case EV_NOTE:
		snprintf(buf, sizeof(buf), "%s: %.120s", ev_kind_name(e->kind), e->text ? e->text : "");
		break;
	case EV_FAULT:
		snprintf(buf, sizeof(buf), "fault %s at 0x%llx", e->fault_kind, (unsigned long long)e->addr);
		break;
	default:
		snprintf(buf, sizeof(buf), "%s", ev_kind_name(e->kind));
	}
	esc(f, buf);
}

/* The run of a failing explore schedule side by side: a column per VM (and
 * the host), a row per event in log order, so the interleaving that broke
 * the scenario reads across. A switch at a device point is a departure the
 * search forced (round-robin never switches there): marked. */
static void write_interleaving(struct ctx *c, const struct sc_result *r)
{
	FILE *f = c->f;
	if (!r->explore.present || (r->status != SC_FAIL && r->status != SC_ERROR) ||
	    !r->events || !r->n_kept || !r->schedule || !strchr(r->schedule, '@') || r->n_vms < 1)
		return;
	fputs("<details class=\"tld\" open><summary>Failing interleaving <span class=\"muted\">"
	      "one column per VM, events in order; highlighted: the switches the search forced"
	      "</span></summary>\n<table class=\"interleave\" style=\"border-collapse:collapse;"
	      "font-size:12px\"><thead><tr><th style=\"text-align:right;padding:2px 6px\">seq</th>", f);
	for (int v = 0; v < r->n_vms; v++) {
		fputs("<th style=\"text-align:left;padding:2px 6px\">", f);
		esc(f, r->vms[v].name ? r->vms[v].name : "?");
		fputs("</th>", f);
	}
	fputs("<th style=\"text-align:left;padding:2px 6px\">host</th></tr></thead><tbody>\n", f);
	int rows = 0;
	for (int i = 0; i < r->n_kept && rows < INTERLEAVE_ROWS; i++, rows++) {
		const struct ev *e = &r->events[i];
		int col = e->vm >= 0 && e->vm < r->n_vms ? e->vm : r->n_vms;
		bool forced = e->kind == EV_SWITCH && e->text && !strcmp(e->text, "point");
		fprintf(f, "<tr%s><td style=\"text-align:right;padding:1px 6px\" class=\"muted\">%llu</td>",
			forced ? " style=\"background:#fde68a\"" : "", (unsigned long long)e->seq);
		for (int k = 0; k <= r->n_vms; k++) {
			fputs("<td style=\"padding:1px 6px;border-left:1px solid #ddd\">", f);
			if (k == col)
				interleave_cell(f, r, e);
			fputs("</td>", f);
		}
		fputs("</tr>\n", f);
	}
	fputs("</tbody></table>", f);
	if (r->n_kept > rows)
		fprintf(f, "<p class=\"muted\">first %d of %d events</p>", rows, r->n_kept);
	fputs("</details>\n", f);
}

/* ---- whole report ---- */

static const char css[] =
":root{--fg:#1f2328;--muted:#656d76;--border:#d0d7de;--line:#eaeef2;--subtle:#f6f8fa;"
"--link:#0969da;--pass:#1a7f37;--pass-bg:#dafbe1;--fail:#cf222e;--fail-bg:#ffebe9;"
"--err:#9a6700;--err-bg:#fff8c5;--skip:#57606a;--skip-bg:#eaeef2}\n"
"*{box-sizing:border-box}\n"
"html{scroll-padding-top:16px}\n"
"body{margin:0;font:14px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\","
"Arial,sans-serif;color:var(--fg);background:var(--subtle)}\n"
"code,pre,.mono,.file,.clause{font-family:ui-monospace,SFMono-Regular,\"SF Mono\",Menlo,"
"Consolas,\"Liberation Mono\",monospace;font-size:12.5px}\n"
"a{color:var(--link);text-decoration:none}a:hover{text-decoration:underline}\n"
".muted{color:var(--muted);font-weight:normal}.small{font-size:12px}\n"
"header.top{background:#fff;border-bottom:1px solid var(--border);padding:22px 0 18px}\n"
".wrap{max-width:1320px;margin:0 auto;padding:0 32px}\n"
".brand{font-size:12px;font-weight:600;letter-spacing:.08em;text-transform:uppercase;"
"color:var(--muted)}\n"
"h1{font-size:24px;margin:2px 0 8px;font-weight:600}\n"
".meta{display:flex;flex-wrap:wrap;gap:6px 22px;color:var(--muted);font-size:13px}\n"
".meta code{color:var(--fg);background:var(--subtle);border:1px solid var(--line);"
"padding:1px 6px;border-radius:4px}\n"
".counts{display:flex;flex-wrap:wrap;gap:10px;margin:16px 0 12px}\n"
".count{display:flex;align-items:baseline;gap:6px;padding:8px 14px;border:1px solid var(--border);"
"border-radius:8px;background:#fff;min-width:110px;cursor:pointer;color:var(--fg)}\n"
".count:hover{text-decoration:none;border-color:#afb8c1}\n"
".count b{font-size:22px;font-weight:600}.count span{color:var(--muted);font-size:13px}\n"
".count.pass b{color:var(--pass)}.count.fail b{color:var(--fail)}.count.err b{color:var(--err)}"
".count.skip b{color:var(--skip)}\n"
".bar{display:flex;height:10px;border-radius:5px;overflow:hidden;background:var(--line)}\n"
".bar span{display:block}.bar .pass{background:#2da44e}.bar .fail{background:#cf222e}"
".bar .err{background:#d4a72c}.bar .skip{background:#afb8c1}\n"
"nav.toc{display:flex;gap:18px;margin:18px 0 0;font-size:13px}\n"
"main{padding-bottom:48px}\n"
"h2{font-size:18px;font-weight:600;margin:28px 0 12px}\n"
"h3{font-size:16px;font-weight:600;margin:0}\n"
"h4{font-size:13px;font-weight:600;margin:18px 0 8px;text-transform:uppercase;"
"letter-spacing:.04em;color:#424a53}\n"
".chip{display:inline-block;padding:1px 9px;border-radius:999px;font-size:11px;font-weight:700;"
"letter-spacing:.04em;line-height:18px;white-space:nowrap}\n"
".chip.pass{color:var(--pass);background:var(--pass-bg)}.chip.fail{color:var(--fail);"
"background:var(--fail-bg)}.chip.err{color:var(--err);background:var(--err-bg)}"
".chip.skip{color:var(--skip);background:var(--skip-bg)}.chip.uncovered{color:var(--muted);"
"background:#fff;border:1px dashed #afb8c1;line-height:16px}\n"
".tools{display:flex;flex-wrap:wrap;align-items:center;gap:12px;margin-bottom:10px}\n"
".tools input{flex:1;min-width:260px;max-width:460px;padding:7px 11px;font:inherit;"
"border:1px solid var(--border);border-radius:6px;background:#fff}\n"
".tools input:focus{outline:2px solid #54aeff;border-color:#54aeff}\n"
".segbtn{display:inline-flex;border:1px solid var(--border);border-radius:6px;overflow:hidden}\n"
".segbtn button{font:inherit;font-size:13px;border:0;border-right:1px solid var(--border);"
"background:#fff;padding:6px 12px;cursor:pointer;color:var(--fg)}\n"
".segbtn button:last-child{border-right:0}.segbtn button.on{background:#ddf4ff;color:#0550ae;"
"font-weight:600}\n"
"#shown{color:var(--muted);font-size:13px}\n"
"table.grid{width:100%;border-collapse:separate;border-spacing:0;background:#fff;"
"border:1px solid var(--border);border-radius:6px}\n"
".grid th{text-align:left;font-weight:600;font-size:11.5px;text-transform:uppercase;"
"letter-spacing:.04em;color:var(--muted);background:var(--subtle);padding:7px 10px;"
"border-bottom:1px solid var(--border)}\n"
".grid td{padding:6px 10px;border-top:1px solid var(--line);vertical-align:top}\n"
".grid tbody tr:first-child td{border-top:0}\n"
".grid tbody tr:hover td{background:#f6f8fa}\n"
".grid .num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
"#sc-table td.name a{font-weight:600}\n"
"#sc-table td.why a{color:var(--fail)}#sc-table tr[data-st=skipped] td.why a{color:var(--muted)}"
"#sc-table td.why a.err{color:var(--err)}#sc-table td.why{max-width:460px}\n"
".clause{display:inline-block;font-size:11.5px;padding:0 6px;margin:1px 3px 1px 0;"
"border-radius:4px;background:#eef1f4;color:#424a53}\n"
"a.clause:hover{background:#ddf4ff;text-decoration:none}\n"
"section.sc{background:#fff;border:1px solid var(--border);border-left:4px solid #2da44e;"
"border-radius:8px;padding:16px 22px 18px;margin:14px 0}\n"
"section.sc.st-fail{border-left-color:var(--fail)}section.sc.st-err{border-left-color:#d4a72c}"
"section.sc.st-skip{border-left-color:#afb8c1}\n"
"section.sc:target{box-shadow:0 0 0 3px #54aeff55}\n"
".sc-head{display:flex;align-items:center;gap:10px;flex-wrap:wrap}\n"
".sc-head .file{color:var(--muted)}.sc-head .up{margin-left:auto;font-size:12px}\n"
".desc{margin:8px 0 0;color:#424a53}\n"
".facts{display:flex;flex-wrap:wrap;gap:6px 26px;margin:10px 0 0;font-size:13px}\n"
".facts span{display:block;font-size:11px;text-transform:uppercase;letter-spacing:.04em;"
"color:var(--muted)}\n"
".callout{margin:14px 0 0;padding:9px 12px;border-radius:6px;border:1px solid}\n"
".callout.fail{background:var(--fail-bg);border-color:#ffcecb}.callout.err{background:var(--err-bg);"
"border-color:#eac54f}.callout.skip{background:var(--subtle);border-color:var(--border)}\n"
".callout a{margin-left:6px;font-weight:600}\n"
"ol.exps{list-style:none;margin:0;padding:0;border:1px solid var(--border);border-radius:6px}\n"
".exp{display:flex;gap:10px;padding:6px 10px;border-top:1px solid var(--line)}\n"
".exp:first-child{border-top:0}\n"
".exp .ok{flex:none;width:18px;height:18px;border-radius:50%;text-align:center;font-size:11px;"
"line-height:18px;font-weight:700;margin-top:1px}\n"
".exp.pass .ok{background:var(--pass-bg);color:var(--pass)}.exp.fail .ok{background:var(--fail);"
"color:#fff}\n"
".exp.fail{background:#fff5f5}.exp:target{outline:2px solid #cf222e;outline-offset:-2px}\n"
".exp .where{color:var(--muted);font-size:12px}.exp .msg{color:var(--fail);margin-top:2px}\n"
".evlink{font-size:12.5px;margin-left:4px}\n"
"td.warn{color:#953800}td.good{color:var(--pass)}\n"
".consoles{display:grid;grid-template-columns:repeat(auto-fill,minmax(380px,1fr));gap:10px;"
"margin-top:10px}\n"
".console{min-width:0;border:1px solid var(--border);border-radius:6px;overflow:hidden}\n"
".console .ch{background:var(--subtle);padding:4px 10px;font-size:12px;font-weight:600;"
"border-bottom:1px solid var(--border)}\n"
".console pre{margin:0;padding:8px 10px;max-height:280px;overflow:auto;background:#fff;"
"white-space:pre-wrap;word-break:break-all}\n"
".copyline{display:flex;align-items:center;gap:10px;margin:6px 0}\n"
".copyline .lbl{width:70px;flex:none;font-size:12px;color:var(--muted)}\n"
".copyline code{flex:1;background:var(--subtle);border:1px solid var(--line);border-radius:5px;"
"padding:4px 8px;overflow-x:auto;white-space:nowrap}\n"
"button.cp{font:inherit;font-size:12px;padding:3px 10px;border:1px solid var(--border);"
"border-radius:5px;background:#fff;cursor:pointer}button.cp:hover{background:var(--subtle)}\n"
"details.tld{margin-top:16px;border:1px solid var(--border);border-radius:6px}\n"
"details.tld>summary{cursor:pointer;padding:7px 12px;font-weight:600;font-size:13px;"
"background:var(--subtle);border-radius:6px}\n"
"details.tld[open]>summary{border-bottom:1px solid var(--border);border-radius:6px 6px 0 0}\n"
".tlwrap{padding:10px 12px 0}svg.tl{width:100%;height:auto;display:block}\n"
".lane{fill:#fff}.lane.odd{fill:#f6f8fa}.lname{font-size:12px;font-weight:600;fill:#424a53;"
"font-family:ui-monospace,Menlo,Consolas,monospace}\n"
".lline{stroke:#d8dee4;stroke-width:1}.axis{stroke:#8c959f}.tick{stroke:#eaeef2}\n"
".tlab{font-size:10.5px;fill:#656d76;text-anchor:middle}.tunit{font-size:10.5px;fill:#8c959f}\n"
".ev{fill:#8c959f}.ev .halo{fill:transparent}.ev:target .halo,.ev:hover .halo{fill:#fff0b3;stroke:#d4a72c}\n"
".k-mark{fill:#0969da}.k-irq-ack{fill:#1a7f37}.k-irq-enter .ring{fill:#fff;stroke:#1a7f37;"
"stroke-width:2}.k-attach,.k-detach{fill:#8250df}.k-notify{fill:#bc4c00}"
".k-fault .fbg{fill:#ffebe9}.k-fault .x{stroke:#cf222e;stroke-width:2.6;stroke-linecap:round}"
".k-exit{fill:#24292f}.k-console{fill:#8c959f}.k-switch .line{stroke:#afb8c1;stroke-width:1.5}"
".k-fail{fill:#cf222e}.k-fail .bang{stroke:#fff;stroke-width:1.8;stroke-linecap:round}"
"\n"
".legend{display:flex;flex-wrap:wrap;gap:4px 16px;padding:8px 14px;font-size:12px;"
"color:var(--muted)}\n"
".legend span{display:inline-flex;align-items:center;gap:5px}svg.lg{width:14px;height:14px}\n"
".evscroll{max-height:360px;overflow:auto;margin:6px 12px 12px}\n"
"table.evs{font-size:12.5px}.evs td{padding:3px 10px}.evs td.det{font-family:ui-monospace,"
"Menlo,Consolas,monospace;font-size:12px;word-break:break-all}\n"
".evs tr.ref td{background:#fbfbf1}.evs tr.reffail td{background:#ffebe9}.evs tr:target td,.evs tr.hit td{background:#ffe58f}\n"
".kind{font-size:11.5px;font-weight:600}\n"
".cov td.st{white-space:nowrap}.cov .sec td{background:var(--subtle);font-weight:600;"
"font-size:12px;color:#424a53;padding:5px 10px}\n"
".cov a.scn{display:inline-block;font-size:12px;padding:0 7px;margin:1px 4px 1px 0;"
"border-radius:4px;border:1px solid}\n"
".cov a.scn.pass{color:var(--pass);background:var(--pass-bg);border-color:#aceebb}"
".cov a.scn.fail{color:var(--fail);background:var(--fail-bg);border-color:#ffcecb}"
".cov a.scn.err{color:var(--err);background:var(--err-bg);border-color:#eac54f}"
".cov a.scn.skip{color:var(--skip);background:var(--skip-bg);border-color:#d0d7de}\n"
".cov tr.unc td{color:var(--muted)}\n"
".covsum{display:flex;gap:18px;flex-wrap:wrap;font-size:13px;color:var(--muted);margin:0 0 10px}\n"
".covsum b{color:var(--fg)}\n"
".note{margin:0 14px 6px}\n"
"footer{color:var(--muted);font-size:12px;margin-top:30px}\n"
"tr[hidden]{display:none}\n"
/* Passing sections off screen are not laid out until scrolled to: a report of 1000
 * scenarios opens as fast as the first screen needs. */
"section.sc.compact,#coverage{content-visibility:auto;contain-intrinsic-size:auto 120px}\n"
"section.sc.compact{padding:8px 16px;margin:8px 0}.cf{margin:4px 0;font-size:12.5px;color:#424a53}\n"
"ul.cexp{margin:2px 0 4px;padding-left:18px;font-size:12px;color:var(--muted)}"
"code.rp{font-size:11.5px;color:var(--muted);word-break:break-all}\n"
".mm{stroke-width:1.2}.mm.w{stroke:#bc4c00}.mm.r{stroke:#0969da}.mm:hover{stroke-width:3}\n"
".cause{stroke:#bc4c00;stroke-width:1.3;stroke-dasharray:4 2;fill:none;opacity:.8}"
".arrhead{fill:#bc4c00}\n"
".evf{display:flex;flex-wrap:wrap;gap:4px 12px;align-items:center;margin:6px 12px;font-size:12px}"
".evf input.evq{flex:1;min-width:240px;padding:4px 8px;font:inherit;border:1px solid var(--border);"
"border-radius:5px}.evf label{white-space:nowrap}\n";

static const char js[] =
"(function(){\n"
"var q=document.getElementById('filter'),st='all',"
"rows=[].slice.call(document.querySelectorAll('#sc-table tbody tr')),"
"btns=[].slice.call(document.querySelectorAll('[data-filter]'));\n"
"function apply(){var t=q.value.trim().toLowerCase(),n=0;rows.forEach(function(r){"
"var ok=(st==='all'||r.getAttribute('data-st')===st)&&(!t||r.textContent.toLowerCase().indexOf(t)>=0);"
"r.hidden=!ok;if(ok)n++;});document.getElementById('shown').textContent=n+' of '+rows.length+' shown';"
"document.getElementById('none').hidden=n>0;}\n"
"if(q){q.addEventListener('input',apply);}\n"
"btns.forEach(function(b){b.addEventListener('click',function(ev){ev.preventDefault();"
"st=b.getAttribute('data-filter');btns.forEach(function(x){x.classList.toggle('on',"
"x.getAttribute('data-filter')===st&&x.tagName==='BUTTON');});apply();"
"if(b.tagName!=='BUTTON')document.getElementById('scenarios').scrollIntoView();});});\n"
"function reveal(){var id=location.hash.slice(1);if(!id)return;var el=document.getElementById(id);"
"if(!el)return;for(var p=el.parentNode;p;p=p.parentNode){if(p.tagName==='DETAILS')p.open=true;}"
"[].forEach.call(document.querySelectorAll('tr.hit'),function(x){x.classList.remove('hit');});"
"var m=/^(.*)-ev-([0-9]+)$/.exec(id);if(m){var row=document.getElementById(m[1]+'-evrow-'+m[2]);"
"if(row)row.classList.add('hit');}el.scrollIntoView({block:'center'});}\n"
"window.addEventListener('hashchange',reveal);reveal();\n"
"[].forEach.call(document.querySelectorAll('button.cp'),function(b){b.addEventListener('click',"
"function(){var t=b.previousElementSibling.textContent;function done(){b.textContent='Copied';"
"setTimeout(function(){b.textContent='Copy';},1200);}"
"function fallback(){var r=document.createRange();r.selectNodeContents(b.previousElementSibling);"
"var s=getSelection();s.removeAllRanges();s.addRange(r);try{document.execCommand('copy');done();}catch(e){}}"
"if(navigator.clipboard&&navigator.clipboard.writeText){navigator.clipboard.writeText(t).then(done,fallback);}"
"else fallback();});});\n"
"apply();\n"
"[].forEach.call(document.querySelectorAll('.evf'),function(fb){var d=fb.parentNode,"
"q=fb.querySelector('.evq'),cbs=[].slice.call(fb.querySelectorAll('input[type=checkbox]')),"
"items=[].slice.call(d.querySelectorAll('[data-k]'));"
"function run(){var on={},t=q.value.trim().toLowerCase();cbs.forEach(function(b){on[b.value]=b.checked;});"
"items.forEach(function(el){var k=el.getAttribute('data-k');var ok=on[k]!==false&&"
"(!t||el.textContent.toLowerCase().indexOf(t)>=0);if(el.tagName==='TR')el.hidden=!ok;"
"else el.style.display=ok?'':'none';});}"
"q.addEventListener('input',run);cbs.forEach(function(b){b.addEventListener('change',run);});});\n"
"})();\n";

static void write_header(struct ctx *c, const struct summary_counts *k)
{
	FILE *f = c->f;
	const struct run_summary *s = c->s;
	char dur[32];

	fputs("<header class=\"top\"><div class=\"wrap\"><div class=\"brand\">hvsim conformance report</div><h1>", f);
	esc(f, s->title ? s->title : "hvsim");
	fputs("</h1><div class=\"meta\">", f);
	if (s->command) {
		fputs("<span>Command <code>", f);
		esc(f, s->command);
		fputs("</code></span>", f);
	}
	if (s->version) {
		fputs("<span>Version <b>", f);
		esc(f, s->version);
		fputs("</b></span>", f);
	}
	fprintf(f, "<span>%d scenarios</span><span>Total host time <b>%s</b></span></div>\n",
		k->total, summary_duration(k->seconds, dur, sizeof(dur)));
	fprintf(f, "<div class=\"counts\">"
		"<a class=\"count pass\" href=\"#scenarios\" data-filter=\"passed\"><b>%d</b><span>passed</span></a>"
		"<a class=\"count fail\" href=\"#scenarios\" data-filter=\"failed\"><b>%d</b><span>failed</span></a>"
		"<a class=\"count err\" href=\"#scenarios\" data-filter=\"failed\"><b>%d</b><span>errors</span></a>",
		k->passed, k->failed, k->errors);
	if (k->skipped)
		fprintf(f, "<a class=\"count skip\" href=\"#scenarios\" data-filter=\"all\"><b>%d</b>"
			"<span>skipped</span></a>", k->skipped);
	if (k->incomplete)
		fprintf(f, "<a class=\"count skip\" href=\"#scenarios\" data-filter=\"all\"><b>%d</b>"
			"<span>incomplete</span></a>", k->incomplete);
	fputs("</div>\n<div class=\"bar\" title=\"", f);
	fprintf(f, "%d passed, %d failed, %d errors, %d skipped, %d incomplete\">", k->passed,
		k->failed, k->errors, k->skipped, k->incomplete);
	if (k->passed)
		fprintf(f, "<span class=\"pass\" style=\"flex-grow:%d\"></span>", k->passed);
	if (k->failed)
		fprintf(f, "<span class=\"fail\" style=\"flex-grow:%d\"></span>", k->failed);
	if (k->errors)
		fprintf(f, "<span class=\"err\" style=\"flex-grow:%d\"></span>", k->errors);
	if (k->skipped + k->incomplete)
		fprintf(f, "<span class=\"skip\" style=\"flex-grow:%d\"></span>",
			k->skipped + k->incomplete);
	fputs("</div>\n<nav class=\"toc\"><a href=\"#scenarios\">Scenarios</a><a href=\"#details\">"
	      "Details</a><a href=\"#coverage\">Clause coverage</a></nav></div></header>\n", f);
}

static void write_table(struct ctx *c, const struct summary_counts *k)
{
	FILE *f = c->f;
	const struct run_summary *s = c->s;
	char area[64], buf[512], dur[32];

	fprintf(f, "<section id=\"scenarios\"><h2>Scenarios</h2>\n<div class=\"tools\">"
		"<input type=\"search\" id=\"filter\" placeholder=\"Filter by name, area, clause or "
		"reason\" aria-label=\"Filter scenarios\" autocomplete=\"off\">"
		"<div class=\"segbtn\" role=\"group\" aria-label=\"Status\">"
		"<button type=\"button\" class=\"on\" data-filter=\"all\">All %d</button>"
		"<button type=\"button\" data-filter=\"failed\">Failed %d</button>"
		"<button type=\"button\" data-filter=\"passed\">Passed %d</button></div>"
		"<span id=\"shown\"></span></div>\n", k->total, k->failed + k->errors, k->passed);
	fputs("<table class=\"grid\" id=\"sc-table\"><thead><tr><th>Status</th><th>Scenario</th>"
	      "<th>Area</th><th>Clauses</th><th>First failure</th><th class=\"num\">Host time</th>"
	      "</tr></thead><tbody>\n", f);
	for (int i = 0; s->results && i < s->n; i++) {
		const struct sc_result *r = &s->results[i];
		const char *id = c->ids[i];
		int fe;
		const char *first = summary_first_failure(r, &fe, buf, sizeof(buf));
		const char *grp = r->status == SC_PASS ? "passed" :
				  r->status == SC_SKIP || r->status == SC_INCOMPLETE ? "skipped" : "failed";

		fprintf(f, "<tr id=\"row-%s\" data-st=\"%s\"><td><span class=\"chip %s\">%s</span></td>"
			"<td class=\"name\"><a href=\"#%s\"", id, grp, chip_class(r->status),
			result_status_label(r->status), id);
		if (r->file) {
			fputs(" title=\"", f);
			esc(f, r->file);
			fputc('"', f);
		}
		fputc('>', f);
		esc(f, r->name ? r->name : "(unnamed)");
		fputs("</a></td><td>", f);
		esc(f, summary_area(r->file, area, sizeof(area)));
		fputs("</td><td>", f);
		for (int j = 0; r->clauses && j < r->n_clauses; j++) {
			fputs("<span class=\"clause\">", f);
			esc(f, r->clauses[j]);
			fputs("</span>", f);
		}
		fputs("</td><td class=\"why\">", f);
		if (r->status == SC_PASS || !first) {
			fputs("<span class=\"muted\">&#8212;</span>", f);
		} else {
			if (r->status == SC_FAIL && fe >= 0)
				fprintf(f, "<a href=\"#%s-exp-%d\">", id, fe);
			else
				fprintf(f, "<a href=\"#%s-reason\"%s>", id,
					r->status == SC_ERROR ? " class=\"err\"" : "");
			xml_escape_n(f, first, 240, ESC_HTML);
			if (strlen(first) > 240)
				fputs("&#8230;", f);
			fputs("</a>", f);
		}
		fprintf(f, "</td><td class=\"num\">%s</td></tr>\n", summary_duration(r->seconds, dur, sizeof(dur)));
	}
	fputs("</tbody></table>\n<p id=\"none\" class=\"muted\" hidden>No scenario matches the filter.</p>"
	      "</section>\n", f);
}

static void write_cov_row(struct ctx *c, const char *clause, bool known)
{
	FILE *f = c->f;
	const struct run_summary *s = c->s;
	const char *state = summary_clause_state(s, clause);
	const char *cls = !strcmp(state, "fail") ? "fail" : !strcmp(state, "pass") ? "pass" :
			  !strcmp(state, "skip") ? "skip" : "uncovered";
	const char *title = known ? clause_title(clause) : NULL;

	fprintf(f, "<tr id=\"cov-");
	html_write_id(f, clause);
	fprintf(f, "\"%s><td class=\"mono\">", !strcmp(cls, "uncovered") ? " class=\"unc\"" : "");
	esc(f, clause);
	fputs("</td><td>", f);
	if (title)
		esc(f, title);
	else
		fputs("<em>not a clause of docs/device-model.md</em>", f);
	fprintf(f, "</td><td class=\"st\"><span class=\"chip %s\">%s</span></td><td>", cls,
		!strcmp(cls, "uncovered") ? "UNCOVERED" : !strcmp(cls, "pass") ? "PASS" :
		!strcmp(cls, "fail") ? "FAIL" : "SKIP");
	for (int i = 0; s->results && i < s->n; i++) {
		const struct sc_result *r = &s->results[i];
		if (!summary_names_clause(r, clause))
			continue;
		/* The chip tells this rule's state in that scenario, not the
		 * scenario's: a failure elsewhere in it leaves the rule green. */
		const char *in = summary_clause_state_in(r, clause);
		fprintf(f, "<a class=\"scn %s\" href=\"#%s\">",
			!strcmp(in, "fail") ? (r->status == SC_ERROR ? "err" : "fail") :
			!strcmp(in, "pass") ? "pass" : "skip", c->ids[i]);
		esc(f, r->name ? r->name : "(unnamed)");
		fputs("</a>", f);
	}
	fputs("</td></tr>\n", f);
}

static void write_coverage(struct ctx *c)
{
	FILE *f = c->f;
	const struct run_summary *s = c->s;
	int n_pass = 0, n_fail = 0, n_unc = 0, n_skip = 0, n_all = 0;

	for (int i = 0; s->all_clauses && i < s->n_all_clauses; i++) {
		if (!s->all_clauses[i])
			continue;
		const char *st = summary_clause_state(s, s->all_clauses[i]);
		n_all++;
		if (!strcmp(st, "pass")) n_pass++;
		else if (!strcmp(st, "fail")) n_fail++;
		else if (!strcmp(st, "skip")) n_skip++;
		else n_unc++;
	}
	fprintf(f, "<section id=\"coverage\"><h2>Clause coverage</h2>\n<div class=\"covsum\">"
		"<span><b>%d</b> of %d clauses of docs/device-model.md covered</span><span><b>%d</b> passing</span>"
		"<span><b>%d</b> failing</span>%s<span><b>%d</b> uncovered</span></div>\n",
		n_all - n_unc, n_all, n_pass, n_fail, n_skip ? "<span>some skipped</span>" : "", n_unc);
	fputs("<table class=\"grid cov\"><thead><tr><th>Clause</th><th>Rule</th><th>Status</th>"
	      "<th>Scenarios naming it</th></tr></thead><tbody>\n", f);
	const char *prev = NULL;
	for (int i = 0; s->all_clauses && i < s->n_all_clauses; i++) {
		const char *id = s->all_clauses[i];
		if (!id)
			continue;
		const char *sec = clause_section(id);
		if (sec && sec != prev) {
			fputs("<tr class=\"sec\"><td colspan=\"4\">", f);
			esc(f, sec);
			fputs("</td></tr>\n", f);
			prev = sec;
		}
		write_cov_row(c, id, true);
	}
	int n_extra;
	const char **extra = summary_extra_clauses(s, &n_extra);
	if (n_extra)
		fputs("<tr class=\"sec\"><td colspan=\"4\">Named by scenarios but not in docs/device-model.md</td></tr>\n", f);
	for (int i = 0; i < n_extra; i++)
		write_cov_row(c, extra[i], false);
	free(extra);
	fputs("</tbody></table></section>\n", f);
}

/* "sc-<name>" per result; a repeated name gets "-<index>" appended. */
static char **make_ids(const struct run_summary *s)
{
	int n = s->results && s->n > 0 ? s->n : 0;
	char **ids = calloc((size_t)n + 1, sizeof(*ids));
	if (!ids)
		return NULL;
	for (int i = 0; i < n; i++) {
		size_t len = 0;
		FILE *m = open_memstream(&ids[i], &len);
		if (!m)
			goto fail;
		fputs("sc-", m);
		html_write_id(m, s->results[i].name ? s->results[i].name : "unnamed");
		if (fclose(m) || !ids[i])
			goto fail;
		for (int j = 0; j < i; j++) {
			if (!strcmp(ids[j], ids[i])) {
				char *u;
				if (asprintf(&u, "%s-%d", ids[i], i) < 0)
					goto fail;
				free(ids[i]);
				ids[i] = u;
				break;
			}
		}
	}
	return ids;
fail:
	for (int i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	return NULL;
}

int report_html(const struct run_summary *s, const char *path, char *err, size_t errlen)
{
	struct summary_counts k;
	struct ctx c = { NULL, s, NULL };

	c.ids = make_ids(s);
	if (!c.ids) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	FILE *f = fopen(path, "w");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		for (int i = 0; i < s->n; i++)
			free(c.ids[i]);
		free(c.ids);
		return -1;
	}
	c.f = f;
	summary_count(s, &k);

	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	      "<meta name=\"color-scheme\" content=\"light\"><title>", f);
	esc(f, s->title ? s->title : "hvsim");
	fprintf(f, ": %d passed, %d failed</title>\n<style>\n%s</style></head>\n<body>\n",
		k.passed, k.failed + k.errors, css);
	write_header(&c, &k);
	fputs("<main class=\"wrap\">\n", f);
	write_table(&c, &k);
	fputs("<section id=\"details\"><h2>Scenario details</h2>\n", f);
	for (int i = 0; s->results && i < s->n; i++)
		write_detail(&c, i);
	fputs("</section>\n", f);
	write_coverage(&c);
	report_html_compat(f, s->compat);
	fputs("<footer>Generated by hvsim", f);
	if (s->version) {
		fputc(' ', f);
		esc(f, s->version);
	}
	fputs(". This file is self-contained: no network access, no external files.</footer>\n"
	      "</main>\n<script>\n", f);
	fputs(js, f);
	fputs("</script>\n</body></html>\n", f);

	for (int i = 0; s->results && i < s->n; i++)
		free(c.ids[i]);
	free(c.ids);
	int bad = ferror(f);
	if (fclose(f) || bad) {
		snprintf(err, errlen, "%s: write error", path);
		return -1;
	}
	return 0;
}
