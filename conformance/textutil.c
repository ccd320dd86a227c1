/* textutil.c - shared text helpers for results and reports (see textutil.h). */
#include <errno.h>
#include <stdio.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "textutil.h"
#include "../vdev/shmem.h"

int tu_utf8_seq(const unsigned char *p, uint32_t *cp)
{
	unsigned char c = p[0];
	int len;
	uint32_t v, min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xC2 && c <= 0xDF) {
		len = 2; v = c & 0x1F; min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3; v = c & 0x0F; min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4; v = c & 0x07; min = 0x10000;
	} else {
		return 0;   /* continuation byte, C0/C1 overlong lead, F5..FF */
	}
	for (int i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)   /* also stops at the NUL terminator */
			return 0;
		v = (v << 6) | (p[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return len;
}

bool tu_utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;

	while (*p) {
		int n = tu_utf8_seq(p, &cp);
		if (!n)
			return false;
		p += n;
	}
	return true;
}

static void put_utf8(FILE *f, uint32_t cp)
{
	if (cp < 0x80) {
		fputc((int)cp, f);
	} else if (cp < 0x800) {
		fputc(0xC0 | (cp >> 6), f);
		fputc(0x80 | (cp & 0x3F), f);
	} else if (cp < 0x10000) {
		fputc(0xE0 | (cp >> 12), f);
		fputc(0x80 | ((cp >> 6) & 0x3F), f);
		fputc(0x80 | (cp & 0x3F), f);
	} else {
		fputc(0xF0 | (cp >> 18), f);
		fputc(0x80 | ((cp >> 12) & 0x3F), f);
		fputc(0x80 | ((cp >> 6) & 0x3F), f);
		fputc(0x80 | (cp & 0x3F), f);
	}
}

size_t tu_escape_n(FILE *f, const char *s, size_t max, enum tu_esc mode)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t used = 0;
	bool attr = mode == TU_XML_ATTR;

	while (p[used] && used < max) {
		const unsigned char *q = p + used;
		uint32_t cp;
		int n = tu_utf8_seq(q, &cp);

		if (n == 0) {                       /* invalid byte */
			put_utf8(f, 0xFFFD);
			used++;
			continue;
		}
		if (used + (size_t)n > max)         /* do not split a sequence */
			break;
		used += (size_t)n;
		switch (cp) {
		case '&': fputs("&amp;", f); continue;
		case '<': fputs("&lt;", f); continue;
		case '>': fputs("&gt;", f); continue;
		case '"':
			fputs(mode == TU_XML_TEXT ? "\"" : "&quot;", f);
			continue;
		case '\'':
			fputs(mode == TU_XML_TEXT ? "'" : "&#39;", f);
			continue;
		case '\t': fputs(attr ? "&#9;" : "\t", f); continue;
		case '\n': fputs(attr ? "&#10;" : "\n", f); continue;
		case '\r': fputs(mode == TU_HTML ? "\r" : "&#13;", f); continue;
		default:
			break;
		}
		if (cp < 0x20)
			put_utf8(f, 0x2400 + cp);        /* control picture */
		else if (cp == 0x7F)
			put_utf8(f, 0x2421);
		else if (cp == 0xFFFE || cp == 0xFFFF)
			put_utf8(f, 0xFFFD);
		else
			fwrite(q, 1, (size_t)n, f);
	}
	return used;
}

void tu_escape(FILE *f, const char *s, enum tu_esc mode)
{
	tu_escape_n(f, s, SIZE_MAX, mode);
}

void tu_write_id(FILE *f, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		unsigned char c = *p;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '_' || c == '-' || c == '.')
			fputc(c, f);
		else
			fprintf(f, "_%02X", c);
	}
}

const char *tu_hex(char *buf, uint64_t v)
{
	snprintf(buf, TU_HEX_BUF, "0x%" PRIx64, v);
	return buf;
}

int tu_parse_u64(const char *s, uint64_t *out)
{
	char *end;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ' || *s == '\t')
		return -1;
	if ((s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) && !s[2])
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ? 16 : 10);
	if (errno || *end)
		return -1;
	*out = (uint64_t)v;
	return 0;
}

int tu_parse_i64(const char *s, int64_t *out)
{
	if (s && s[0] == '-') {
		char *end;
		if (!(s[1] >= '0' && s[1] <= '9'))
			return -1;
		errno = 0;
		long long v = strtoll(s, &end, 10);
		if (errno || *end)
			return -1;
		*out = (int64_t)v;
		return 0;
	}
	uint64_t u;
	if (tu_parse_u64(s, &u))
		return -1;
	bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	if (!hex && u > (uint64_t)INT64_MAX)
		return -1;
	*out = (int64_t)u;   /* hex: two's complement */
	return 0;
}

static const char *const status_names[] = { "pass", "fail", "error", "skip" };
static const char *const status_labels[] = { "PASS", "FAIL", "ERROR", "SKIP" };

const char *tu_status_name(enum sc_status st)
{
	return (unsigned)st < 4 ? status_names[st] : "error";
}

const char *tu_status_label(enum sc_status st)
{
	return (unsigned)st < 4 ? status_labels[st] : "ERROR";
}

int tu_status_parse(const char *s, enum sc_status *st)
{
	for (int i = 0; s && i < 4; i++) {
		if (!strcmp(s, status_names[i])) {
			*st = (enum sc_status)i;
			return 0;
		}
	}
	return -1;
}

const char *tu_area(const char *file, char *buf, size_t n)
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

const char *tu_first_failure(const struct sc_result *r, int *exp_idx, char *buf, size_t n)
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

const char *tu_vm_outcome(const struct vm_result *v, char *buf, size_t n)
{
	char pc[TU_HEX_BUF], addr[TU_HEX_BUF];

	if (v->faulted)
		snprintf(buf, n, "fault %.*s at pc %s addr %s%s%s%s",
			 (int)strnlen(v->fault_kind, sizeof(v->fault_kind)), v->fault_kind,
			 tu_hex(pc, v->fault_pc), tu_hex(addr, v->fault_addr),
			 v->fault_insn && *v->fault_insn ? " (" : "",
			 v->fault_insn && *v->fault_insn ? v->fault_insn : "",
			 v->fault_insn && *v->fault_insn ? ")" : "");
	else if (v->exited)
		snprintf(buf, n, "exit %lld", (long long)v->exit_code);
	else
		snprintf(buf, n, "did not stop");
	return buf;
}

void tu_count(const struct run_summary *s, struct tu_counts *c)
{
	memset(c, 0, sizeof(*c));
	for (int i = 0; s->results && i < s->n; i++) {
		const struct sc_result *r = &s->results[i];
		switch (r->status) {
		case SC_PASS: c->passed++; break;
		case SC_FAIL: c->failed++; break;
		case SC_SKIP: c->skipped++; break;
		case SC_ERROR: default: c->errors++; break;
		}
		c->total++;
		if (r->seconds > 0)
			c->seconds += r->seconds;
	}
}

bool tu_names_clause(const struct sc_result *r, const char *id)
{
	for (int i = 0; id && r->clauses && i < r->n_clauses; i++)
		if (r->clauses[i] && !strcmp(r->clauses[i], id))
			return true;
	return false;
}

const char *tu_clause_state(const struct run_summary *s, const char *id)
{
	bool pass = false, skip = false;

	for (int i = 0; s->results && i < s->n; i++) {
		const struct sc_result *r = &s->results[i];
		if (!tu_names_clause(r, id))
			continue;
		if (r->status == SC_PASS)
			pass = true;
		else if (r->status == SC_SKIP)
			skip = true;
		else
			return "fail";
	}
	return pass ? "pass" : skip ? "skip" : "uncovered";
}

const char **tu_extra_clauses(const struct run_summary *s, int *n)
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

const char *tu_duration(double seconds, char *buf, size_t n)
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

cJSON *tu_json_str(const char *s)
{
	if (!s)
		return cJSON_CreateNull();
	if (tu_utf8_valid(s))
		return cJSON_CreateString(s);
	size_t len = strlen(s);
	char *hex = malloc(len * 2 + 1);
	if (!hex)
		return NULL;
	for (size_t i = 0; i < len; i++)
		snprintf(hex + 2 * i, 3, "%02x", (unsigned char)s[i]);
	hex[len * 2] = 0;
	cJSON *o = cJSON_CreateObject();
	if (o && !cJSON_AddStringToObject(o, "bytes", hex)) {
		cJSON_Delete(o);
		o = NULL;
	}
	free(hex);
	return o;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

int tu_json_str_get(const cJSON *v, char **out)
{
	*out = NULL;
	if (!v || cJSON_IsNull(v))
		return 0;
	if (cJSON_IsString(v) && v->valuestring) {
		*out = strdup(v->valuestring);
		return *out ? 0 : -1;
	}
	if (!cJSON_IsObject(v))
		return -1;
	const cJSON *b = cJSON_GetObjectItemCaseSensitive(v, "bytes");
	if (!cJSON_IsString(b) || !b->valuestring || cJSON_GetArraySize(v) != 1)
		return -1;
	size_t len = strlen(b->valuestring);
	if (len % 2)
		return -1;
	char *s = malloc(len / 2 + 1);
	if (!s)
		return -1;
	for (size_t i = 0; i < len / 2; i++) {
		int hi = hexval(b->valuestring[2 * i]), lo = hexval(b->valuestring[2 * i + 1]);
		if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {   /* no NUL inside a C string */
			free(s);
			return -1;
		}
		s[i] = (char)(hi << 4 | lo);
	}
	s[len / 2] = 0;
	*out = s;
	return 0;
}

/* ---- events in words (HTML report, command line) ---- */

const char *tu_vm_name(const struct sc_result *r, int vm, char *buf, size_t n)
{
	if (vm == EV_HOST)
		return "host";
	if (vm >= 0 && vm < r->n_vms && r->vms && r->vms[vm].name)
		return r->vms[vm].name;
	snprintf(buf, n, "vm#%d", vm);
	return buf;
}

/* An event's details in words (malloc'd), e.g. "intid=36". */
char *tu_ev_details(const struct sc_result *r, const struct ev *e)
{
	char *s = NULL, nb[24], h1[TU_HEX_BUF], h2[TU_HEX_BUF];
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);
	if (!f)
		return NULL;
	switch (e->kind) {
	case EV_MMIO:
		fprintf(f, "%.*s +%s %c%u = %s", (int)strnlen(e->dev, sizeof(e->dev)), e->dev,
			tu_hex(h1, e->off), e->dir ? e->dir : '?', e->width * 8, tu_hex(h2, e->value));
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
			e->idx, tu_hex(h1, e->shmem));
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
			tu_hex(h1, e->value));
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
		fprintf(f, "x0=%s", tu_hex(h1, (uint64_t)e->code));
		break;
	case EV_CONSOLE: case EV_NOTE:
		fputs(e->text ? e->text : "", f);
		break;
	case EV_SWITCH:
		fprintf(f, "to=%s reason=%s", e->to < 0 ? "-" : tu_vm_name(r, e->to, nb, sizeof(nb)),
			e->text ? e->text : "");
		break;
	case EV_FAULT:
		fprintf(f, "%.*s addr=%s%s%s", (int)strnlen(e->fault_kind, sizeof(e->fault_kind)),
			e->fault_kind, tu_hex(h1, e->addr), e->text && *e->text ? " insn=" : "",
			e->text ? e->text : "");
		break;
	default:
		break;
	}
	fclose(f);
	return s;
}
