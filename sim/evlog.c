/* evlog.c - the event log (CONTRACT section 5). */
#include <stdlib.h>
#include <string.h>
#include <inttypes.h>
#include "evlog.h"

#define EVLOG_MMIO_CAP  1000000  /* mmio events kept per run (~200 MB); the rest are counted */
#define EVLOG_TOTAL_CAP 2000000  /* all events: a guest marking in a loop must not eat the host */

static const char *const kind_names[EV_KIND_COUNT] = {
	[EV_MMIO] = "mmio",         [EV_IRQ_LINE] = "irq-line", [EV_IRQ_ENTER] = "irq-enter",
	[EV_IRQ_ACK] = "irq-ack",   [EV_IRQ_EOI] = "irq-eoi",   [EV_ATTACH] = "attach",
	[EV_DETACH] = "detach",     [EV_NOTIFY] = "notify",     [EV_STATUS] = "status",
	[EV_MARK] = "mark",         [EV_FAIL] = "fail",         [EV_EXIT] = "exit",
	[EV_CONSOLE] = "console",   [EV_SWITCH] = "switch",     [EV_WFI] = "wfi",
	[EV_WAKE] = "wake",         [EV_FAULT] = "fault",       [EV_HVC] = "hvc",
	[EV_NOTE] = "note",         [EV_FIND] = "find",         [EV_RACE] = "race",
};

const char *ev_kind_name(enum ev_kind k)
{
	return (unsigned)k < EV_KIND_COUNT ? kind_names[k] : "?";
}

void evlog_init(struct evlog *log)
{
	memset(log, 0, sizeof(*log));
	log->mmio_cap = EVLOG_MMIO_CAP;
	log->total_cap = EVLOG_TOTAL_CAP;
}

void evlog_free(struct evlog *log)
{
	for (size_t i = 0; i < log->n; i++) {
		free(log->ev[i].region);
		free(log->ev[i].text);
	}
	free(log->ev);
	memset(log, 0, sizeof(*log));
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* Copy *e into the log (strings duplicated), no limits checked. */
static struct ev *store(struct evlog *log, const struct ev *e)
{
	if (log->n == log->cap) {
		size_t cap = log->cap ? log->cap * 2 : 1024;
		struct ev *n = realloc(log->ev, cap * sizeof(*n));
		if (!n)
			return NULL;
		log->ev = n;
		log->cap = cap;
	}
	struct ev *d = &log->ev[log->n];
	*d = *e;
	d->seq = log->n++;
	d->region = dup_or_null(e->region);
	d->text = dup_or_null(e->text);
	return d;
}

/* The log says where it stopped keeping events: a reader must not take the
 * missing ones for silence. */
static void note_limit(struct evlog *log, const struct ev *at, const char *text)
{
	struct ev note = *at;
	note.kind = EV_NOTE;
	note.region = NULL;
	note.text = (char *)text;
	store(log, &note);
}

struct ev *evlog_append(struct evlog *log, const struct ev *e)
{
	if (log->n + 1 >= log->total_cap) {        /* the last slot is the note's */
		if (log->dropped++ == 0)
			note_limit(log, e, "event limit reached: later events are counted, not kept");
		return NULL;
	}
	if (e->kind == EV_MMIO) {
		if (log->mmio_kept >= log->mmio_cap) {
			if (log->mmio_dropped++ == 0)
				note_limit(log, e, "mmio event limit reached: later mmio events are "
					   "counted, not kept");
			return NULL;
		}
		log->mmio_kept++;
	}
	return store(log, e);
}

/* JSON string with escapes; events carry guest-controlled text. */
static void put_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		switch (*p) {
		case '"':  fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			if (*p < 0x20 || *p >= 0x7f)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

static void put_hex_bytes(FILE *f, uint64_t lo, uint64_t hi, unsigned width)
{
	if (width > 8)
		fprintf(f, "\"0x%" PRIx64 "%016" PRIx64 "\"", hi, lo);
	else
		fprintf(f, "\"0x%" PRIx64 "\"", lo);
}

void ev_write_json(FILE *f, const struct ev *e, const char *const *vm_names)
{
	fprintf(f, "{\"seq\":%" PRIu64 ",\"clock\":%" PRIu64 ",\"vm\":", e->seq, e->clock);
	put_str(f, e->vm == EV_HOST ? "host" : vm_names ? vm_names[e->vm] : "?");
	fprintf(f, ",\"icount\":%" PRIu64 ",\"pc\":\"0x%" PRIx64 "\",\"kind\":\"%s\"",
		e->icount, e->pc, ev_kind_name(e->kind));
	switch (e->kind) {
	case EV_MMIO:
		fprintf(f, ",\"dev\":");
		put_str(f, e->dev);
		fprintf(f, ",\"off\":\"0x%" PRIx64 "\",\"width\":%u,\"dir\":\"%c\",\"value\":",
			e->off, e->width, e->dir);
		put_hex_bytes(f, e->value, e->value_hi, e->width);
		break;
	case EV_IRQ_LINE:
		fprintf(f, ",\"intid\":%u,\"level\":%d", e->intid, e->level);
		break;
	case EV_IRQ_ENTER: case EV_IRQ_ACK: case EV_IRQ_EOI:
		fprintf(f, ",\"intid\":%u", e->intid);
		break;
	case EV_ATTACH: case EV_DETACH: case EV_FIND:
		fprintf(f, ",\"region\":");
		put_str(f, e->region);
		fprintf(f, ",\"idx\":%d,\"shmem\":\"0x%" PRIx64 "\",\"status\":%d",
			e->idx, e->shmem, e->status);
		break;
	case EV_NOTIFY:
		fprintf(f, ",\"region\":");
		put_str(f, e->region);
		fprintf(f, ",\"from\":%u,\"mask\":\"0x%" PRIx32 "\",\"targets\":\"0x%" PRIx32 "\"",
			e->from, e->mask, e->targets);
		break;
	case EV_STATUS:
		fprintf(f, ",\"region\":");
		put_str(f, e->region);
		fprintf(f, ",\"idx\":%d,\"value\":\"0x%" PRIx64 "\"", e->idx, e->value);
		break;
	case EV_MARK:
		fprintf(f, ",\"value\":%" PRId64, e->code);
		break;
	case EV_FAIL:
		fprintf(f, ",\"id\":%" PRId64, e->code);
		break;
	case EV_EXIT:
		fprintf(f, ",\"code\":%" PRId64, e->code);
		break;
	case EV_HVC:
		fprintf(f, ",\"x0\":\"0x%" PRIx64 "\"", (uint64_t)e->code);
		break;
	case EV_CONSOLE: case EV_NOTE:
		fprintf(f, ",\"text\":");
		put_str(f, e->text);
		break;
	case EV_SWITCH:
		fprintf(f, ",\"to\":");
		put_str(f, e->to < 0 ? "" : vm_names ? vm_names[e->to] : "?");
		fprintf(f, ",\"reason\":");
		put_str(f, e->text);
		break;
	case EV_FAULT:
		fprintf(f, ",\"fault\":");
		put_str(f, e->fault_kind);
		fprintf(f, ",\"addr\":\"0x%" PRIx64 "\",\"insn\":", e->addr);
		put_str(f, e->text);
		break;
	case EV_RACE:
		fprintf(f, ",\"race\":");
		put_str(f, e->dev);
		fprintf(f, ",\"report\":%" PRId64 ",\"addr\":\"0x%" PRIx64 "\",\"text\":",
			e->code, e->addr);
		put_str(f, e->text);
		break;
	case EV_WFI: case EV_WAKE: case EV_KIND_COUNT:
		break;
	}
	fputc('}', f);
}

int evlog_write_jsonl(const struct evlog *log, FILE *f, const char *const *vm_names)
{
	for (size_t i = 0; i < log->n; i++) {
		ev_write_json(f, &log->ev[i], vm_names);
		fputc('\n', f);
	}
	return ferror(f) ? -1 : 0;
}
