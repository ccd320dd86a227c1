/* test_evlog.c - the event log: appending copies strings, both limits stop
 * keeping events and say so once, and the JSON Lines form escapes guest text. */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <stdint.h>
#include <CUnit/CUnit.h>
#include "tests/unit.h"
#include "sim/evlog.h"

static void test_append_copies_strings(void)
{
	struct evlog log;
	char text[] = "hello";
	struct ev d;
	evlog_init(&log);
	struct ev e = { .kind = EV_CONSOLE, .text = text };
	CU_ASSERT_EQUAL(evlog_append(&log, &e), 0);
	text[0] = 'j';
	evlog_get(&log, 0, &d);
	CU_ASSERT_STRING_EQUAL(d.text, "hello");
	CU_ASSERT_EQUAL(d.seq, 0);
	CU_ASSERT_EQUAL(evlog_append(&log, &e), 1);
	evlog_free(&log);
}

/* Every field comes back as it went in, strings stored once. */
static void test_fields_round_trip(void)
{
	struct evlog log;
	struct ev d;
	evlog_init(&log);
	struct ev e = { .clock = 1ull << 40, .icount = 77, .pc = 0x40001234, .vm = 40000,
			.kind = EV_MMIO, .off = 0x18, .width = 16, .dir = 'w', .value = ~0ull,
			.value_hi = 5, .intid = 33, .level = -1, .region = "r", .idx = -1,
			.shmem = 0x1000, .status = -7, .from = 3, .mask = 0xf0, .targets = 6,
			.code = INT64_MIN, .text = "", .addr = 0xdead, .to = -1 };
	snprintf(e.dev, sizeof(e.dev), "shmem0.ctl3");
	snprintf(e.fault_kind, sizeof(e.fault_kind), "read-unmapped");
	CU_ASSERT_EQUAL(evlog_append(&log, &e), 0);
	struct ev h = { .vm = EV_HOST, .kind = EV_ATTACH, .region = "r" };
	CU_ASSERT_EQUAL(evlog_append(&log, &h), 1);
	evlog_get(&log, 0, &d);
	CU_ASSERT_EQUAL(evlog_vm(&log, 0), 40000);
	CU_ASSERT_EQUAL(evlog_kind(&log, 0), EV_MMIO);
	CU_ASSERT_EQUAL(d.clock, e.clock);
	CU_ASSERT_EQUAL(d.icount, 77);
	CU_ASSERT_EQUAL(d.pc, e.pc);
	CU_ASSERT_EQUAL(d.vm, 40000);
	CU_ASSERT_STRING_EQUAL(d.dev, "shmem0.ctl3");
	CU_ASSERT_EQUAL(d.off, 0x18);
	CU_ASSERT_EQUAL(d.width, 16);
	CU_ASSERT_EQUAL(d.dir, 'w');
	CU_ASSERT_EQUAL(d.value, ~0ull);
	CU_ASSERT_EQUAL(d.value_hi, 5);
	CU_ASSERT_EQUAL(d.intid, 33);
	CU_ASSERT_EQUAL(d.level, -1);
	CU_ASSERT_STRING_EQUAL(d.region, "r");
	CU_ASSERT_EQUAL(d.idx, -1);
	CU_ASSERT_EQUAL(d.shmem, 0x1000);
	CU_ASSERT_EQUAL(d.status, -7);
	CU_ASSERT_EQUAL(d.from, 3);
	CU_ASSERT_EQUAL(d.mask, 0xf0);
	CU_ASSERT_EQUAL(d.targets, 6);
	CU_ASSERT_EQUAL(d.code, INT64_MIN);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d.text);     /* "" is not NULL */
	CU_ASSERT_STRING_EQUAL(d.text, "");
	CU_ASSERT_STRING_EQUAL(d.fault_kind, "read-unmapped");
	CU_ASSERT_EQUAL(d.addr, 0xdead);
	CU_ASSERT_EQUAL(d.to, -1);
	const char *r0 = d.region;
	evlog_get(&log, 1, &d);
	CU_ASSERT_EQUAL(d.vm, EV_HOST);
	CU_ASSERT_PTR_EQUAL(d.region, r0);          /* stored once */
	CU_ASSERT_PTR_NULL(d.text);
	CU_ASSERT_EQUAL(d.dev[0], '\0');
	CU_ASSERT_EQUAL(d.to, 0);
	evlog_free(&log);
}

static void test_total_limit_noted_once(void)
{
	struct evlog log;
	struct ev d;
	evlog_init(&log);
	log.total_cap = 10;
	struct ev e = { .kind = EV_MARK };
	int kept = 0;
	for (int i = 0; i < 100; i++)
		kept += evlog_append(&log, &e) >= 0;
	CU_ASSERT_EQUAL(kept, 9);
	CU_ASSERT_EQUAL(log.n, 10);                 /* the last slot holds the note */
	evlog_get(&log, 9, &d);
	CU_ASSERT_EQUAL(d.kind, EV_NOTE);
	CU_ASSERT_PTR_NOT_NULL(strstr(d.text, "event limit reached"));
	CU_ASSERT_EQUAL(log.dropped, 91);
	evlog_free(&log);
}

static void test_mmio_limit_noted_once(void)
{
	struct evlog log;
	evlog_init(&log);
	log.mmio_cap = 3;
	struct ev m = { .kind = EV_MMIO }, k = { .kind = EV_MARK };
	for (int i = 0; i < 10; i++)
		evlog_append(&log, &m);
	CU_ASSERT_TRUE(evlog_append(&log, &k) >= 0);       /* other kinds still kept */
	CU_ASSERT_EQUAL(log.n, 5);                         /* 3 mmio, the note, the mark */
	CU_ASSERT_EQUAL(evlog_kind(&log, 3), EV_NOTE);
	CU_ASSERT_EQUAL(log.mmio_dropped, 7);
	evlog_free(&log);
}

static void test_json_escapes_guest_text(void)
{
	struct evlog log;
	char *out = NULL;
	size_t len = 0;
	const char *names[] = { "a" };
	evlog_init(&log);
	struct ev e = { .kind = EV_CONSOLE, .vm = 0, .text = "q\"\\\n\x01\xff" };
	evlog_append(&log, &e);
	FILE *f = open_memstream(&out, &len);
	CU_ASSERT_EQUAL(evlog_write_jsonl(&log, f, names), 0);
	fclose(f);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"text\":\"q\\\"\\\\\\n\\u0001\\u00ff\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"vm\":\"a\""));
	free(out);
	evlog_free(&log);
}

/* A mixed log: marks, console lines, mmio accesses and a limit note. */
static void fill(struct evlog *log)
{
	for (int i = 0; i < 40; i++) {
		struct ev e = { .clock = (uint64_t)i, .vm = i % 2, .kind = EV_MARK, .code = i };
		if (i % 4 == 1) {
			e.kind = EV_MMIO;
			e.off = (uint64_t)i;
			e.width = 4;
			e.dir = 'w';
			snprintf(e.dev, sizeof(e.dev), "uart");
		} else if (i % 4 == 2) {
			e.kind = EV_CONSOLE;
			e.text = i % 8 == 2 ? "line \"a\"" : "b";
		}
		evlog_append(log, &e);
	}
}

static char *jsonl(const struct evlog *log, const char *const *names)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	evlog_write_jsonl(log, f, names);
	fclose(f);
	return out;
}

/* Streaming writes what the whole log would, byte for byte, whatever is
 * kept; what is kept reads back as before, the rest as seq, kind and VM. */
static void test_stream_and_keep(void)
{
	const char *names[] = { "a", "b" };
	struct evlog full, part;
	char *streamed = NULL;
	size_t len = 0;
	evlog_init(&full);
	evlog_init(&part);
	full.total_cap = part.total_cap = 38;       /* the note is streamed too */
	CU_ASSERT_EQUAL_FATAL(evlog_keep(&part, 1u << EV_MARK, 3, 2), 0);
	FILE *f = open_memstream(&streamed, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	evlog_stream(&part, f, names);
	fill(&full);
	fill(&part);
	fclose(f);
	char *whole = jsonl(&full, names);
	CU_ASSERT_PTR_NOT_NULL_FATAL(whole);
	CU_ASSERT_PTR_NOT_NULL_FATAL(streamed);
	CU_ASSERT_STRING_EQUAL(streamed, whole);
	CU_ASSERT_EQUAL_FATAL(part.n, full.n);
	size_t mmio_left = 0, n_mmio = 0;
	for (size_t i = 0; i < full.n; i++)
		n_mmio += evlog_kind(&full, i) == EV_MMIO;
	size_t other = 0;
	for (size_t i = 0; i < full.n; i++) {
		struct ev a, b;
		evlog_get(&full, i, &a);
		evlog_get(&part, i, &b);
		CU_ASSERT_EQUAL(evlog_kind(&part, i), a.kind);
		CU_ASSERT_EQUAL(evlog_vm(&part, i), a.vm);
		CU_ASSERT_EQUAL(b.seq, i);
		bool mmio = a.kind == EV_MMIO;
		bool head = !mmio && other++ < 3;
		bool tail = mmio && n_mmio - mmio_left++ <= 2;
		bool want = a.kind == EV_MARK || head || tail;
		CU_ASSERT_EQUAL(evlog_has(&part, i), want);
		if (want) {
			CU_ASSERT_EQUAL(b.clock, a.clock);
			CU_ASSERT_EQUAL(b.code, a.code);
			CU_ASSERT_EQUAL(b.off, a.off);
			CU_ASSERT_STRING_EQUAL(b.dev, a.dev);
			CU_ASSERT((!a.text && !b.text) || (a.text && b.text && !strcmp(a.text, b.text)));
		} else {
			CU_ASSERT_EQUAL(b.clock, 0);
			CU_ASSERT_PTR_NULL(b.text);
		}
	}
	CU_ASSERT_EQUAL(part.strs.n, 1);    /* the head's console line; the ring holds the device */
	free(whole);
	free(streamed);
	evlog_free(&full);
	evlog_free(&part);
}

/* The mmio ring gives back each of the last events exactly as appended (but
 * its strings, which it does not keep): mmio fields alone, or with others,
 * across the ring's wrap. */
static void test_mmio_ring_exact(void)
{
	struct evlog log;
	evlog_init(&log);
	CU_ASSERT_EQUAL_FATAL(evlog_keep(&log, 0, 0, 3), 0);
	struct ev in[7];
	memset(in, 0, sizeof(in));
	for (int i = 0; i < 7; i++) {
		in[i] = (struct ev){ .clock = 100u + (unsigned)i, .icount = 7u * (unsigned)i, .pc = 0x40000000u + 4u * (unsigned)i,
				     .vm = i % 3 - 1, .kind = EV_MMIO, .off = (uint64_t)i, .width = 16, .dir = i % 2 ? 'r' : 'w',
				     .value = ~(uint64_t)i, .value_hi = (uint64_t)i << 40, .region = "dropped" };
		snprintf(in[i].dev, sizeof(in[i].dev), "shmem%d.ctl", i);
		in[i].dev[sizeof(in[i].dev) - 1] = (char)i;   /* bytes past the NUL come back too */
		if (i == 5) {
			in[i].code = -9;      /* fields an mmio event does not have */
			in[i].addr = 0xbad;
			snprintf(in[i].fault_kind, sizeof(in[i].fault_kind), "x");
		}
		CU_ASSERT_EQUAL(evlog_append(&log, &in[i]), i);
	}
	for (int i = 0; i < 7; i++) {
		struct ev out, want = in[i];
		CU_ASSERT_EQUAL(evlog_has(&log, (size_t)i), i >= 4);
		if (i < 4)
			continue;
		memset(&out, 0x55, sizeof(out));
		evlog_get(&log, (size_t)i, &out);
		want.seq = (uint64_t)i;
		CU_ASSERT_EQUAL(out.seq, want.seq);
		CU_ASSERT_EQUAL(out.clock, want.clock);
		CU_ASSERT_EQUAL(out.icount, want.icount);
		CU_ASSERT_EQUAL(out.pc, want.pc);
		CU_ASSERT_EQUAL(out.vm, want.vm);
		CU_ASSERT_EQUAL(out.kind, EV_MMIO);
		CU_ASSERT_EQUAL(memcmp(out.dev, want.dev, sizeof(out.dev)), 0);
		CU_ASSERT_EQUAL(out.off, want.off);
		CU_ASSERT_EQUAL(out.width, want.width);
		CU_ASSERT_EQUAL(out.dir, want.dir);
		CU_ASSERT_EQUAL(out.value, want.value);
		CU_ASSERT_EQUAL(out.value_hi, want.value_hi);
		CU_ASSERT_EQUAL(out.intid, 0);
		CU_ASSERT_EQUAL(out.shmem, 0);
		CU_ASSERT_PTR_NULL(out.region);
		CU_ASSERT_PTR_NULL(out.text);
		CU_ASSERT_EQUAL(out.code, want.code);
		CU_ASSERT_EQUAL(out.addr, want.addr);
		CU_ASSERT_STRING_EQUAL(out.fault_kind, want.fault_kind);
		CU_ASSERT_EQUAL(out.idx, 0);
		CU_ASSERT_EQUAL(out.to, 0);
	}
	evlog_free(&log);
}

/* One event of a varied stream: kinds, strings, sizes. */
static struct ev nth_event(size_t i, char *tag)
{
	struct ev e = { .clock = i * 3, .icount = i, .pc = 0x40000000 + i * 4, .vm = (int)(i % 3) };
	if (i % 4 == 0) {
		e.kind = EV_MMIO;
		e.off = i % 64;
		e.width = 4;
		e.dir = 'r';
		e.value = i * 0x9e3779b97f4a7c15ull;
		snprintf(e.dev, sizeof(e.dev), "shmem%zu.ctl", i % 5);
	} else if (i % 4 == 1) {
		e.kind = EV_CONSOLE;
		e.text = tag;
	} else {
		e.kind = EV_NOTIFY;
		e.region = tag;
		e.mask = (uint32_t)i;
	}
	return e;
}

/* Rewound to a mark and appended again, a log is the log that never went
 * past the mark (across record blocks); a ring that lost marked events
 * refuses. */
static void test_rewind_to_mark(void)
{
	const char *names[] = { "a", "b", "c" };
	const size_t before = 1000, after = 200000;   /* past one 2 MiB record block */
	static char same[] = "same", other[] = "other text", x[] = "x";
	struct evlog a, b;
	struct evlog_mark m;
	evlog_init(&a);
	evlog_init(&b);
	for (size_t i = 0; i < before + after; i++) {
		struct ev e = nth_event(i, same);
		evlog_append(&a, &e);
	}
	for (size_t i = 0; i < before; i++) {
		struct ev e = nth_event(i, same);
		evlog_append(&b, &e);
	}
	evlog_mark(&b, &m);
	for (int round = 0; round < 2; round++) {
		for (size_t i = 0; i < after + 5000; i++) {
			struct ev e = nth_event(i * 7 + 1, other);
			evlog_append(&b, &e);
		}
		CU_ASSERT_TRUE(b.n_rec > m.n_rec);
		CU_ASSERT_EQUAL(evlog_rewind(&b, &m), 0);
		CU_ASSERT_EQUAL(b.n, before);
	}
	for (size_t i = before; i < before + after; i++) {
		struct ev e = nth_event(i, same);
		evlog_append(&b, &e);
	}
	char *ja = jsonl(&a, names), *jb = jsonl(&b, names);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ja);
	CU_ASSERT_PTR_NOT_NULL_FATAL(jb);
	CU_ASSERT_STRING_EQUAL(ja, jb);
	free(ja);
	free(jb);
	evlog_free(&a);
	evlog_free(&b);

	/* mmio in a ring of 8: a mark at 4 held, rewinding after 4 more works,
	 * after 5 more (one marked event overwritten) it does not. */
	evlog_init(&b);
	CU_ASSERT_EQUAL_FATAL(evlog_keep(&b, 0, 0, 8), 0);
	for (size_t i = 0; i < 16; i += 4) {
		struct ev e = nth_event(i, x);
		evlog_append(&b, &e);
	}
	evlog_mark(&b, &m);
	for (int more = 4; more <= 5; more++) {
		for (int i = 0; i < more; i++) {
			struct ev e = nth_event(4 * (size_t)i, x);
			evlog_append(&b, &e);
		}
		CU_ASSERT_EQUAL(evlog_rewind(&b, &m), more == 4 ? 0 : -1);
		CU_ASSERT_EQUAL(b.n, more == 4 ? 4 : 9);
	}
	evlog_free(&b);
}

/* Rewound to a mark, the ring's next mmio event takes the mark's next
 * place: events appended after the rewind read back as appended, not the
 * undone ones that had those places. */
static void test_rewind_ring_place(void)
{
	static char x[] = "x";
	struct evlog log;
	struct evlog_mark m;
	struct ev out;
	evlog_init(&log);
	CU_ASSERT_EQUAL_FATAL(evlog_keep(&log, 0, 0, 8), 0);
	for (size_t i = 0; i < 4; i++) {
		struct ev e = nth_event(4 * i, x);
		evlog_append(&log, &e);
	}
	evlog_mark(&log, &m);
	for (size_t i = 0; i < 3; i++) {
		struct ev e = nth_event(400 + 4 * i, x);   /* undone below */
		evlog_append(&log, &e);
	}
	CU_ASSERT_EQUAL_FATAL(evlog_rewind(&log, &m), 0);
	for (size_t i = 4; i < 10; i++) {   /* across the ring's wrap */
		struct ev e = nth_event(4 * i, x);
		evlog_append(&log, &e);
	}
	CU_ASSERT_EQUAL_FATAL(log.n, 10);
	for (size_t i = 2; i < 10; i++) {
		struct ev want = nth_event(4 * i, x);
		CU_ASSERT_TRUE_FATAL(evlog_has(&log, i));
		evlog_get(&log, i, &out);
		CU_ASSERT_EQUAL(out.icount, want.icount);
		CU_ASSERT_EQUAL(out.value, want.value);
		CU_ASSERT_STRING_EQUAL(out.dev, want.dev);
	}
	evlog_free(&log);
}

/* A log that outgrows its first blocks' small pages moves them (index and
 * records) to huge pages once: every event reads back as appended, before
 * and after the move. */
static void test_first_blocks_move(void)
{
	static char tag[] = "tag";
	const size_t n = 60000;   /* past 128 KiB of index and of records */
	struct evlog log;
	struct ev out;
	evlog_init(&log);
	for (size_t i = 0; i < n; i++) {
		struct ev e = nth_event(i, tag);
		CU_ASSERT_EQUAL_FATAL(evlog_append(&log, &e), (int64_t)i);
	}
	CU_ASSERT_TRUE(log.idx_moved);
	CU_ASSERT_TRUE(log.rec_moved);
	CU_ASSERT_EQUAL(log.n_rec, 1);
	for (size_t i = 0; i < n; i++) {
		struct ev want = nth_event(i, tag);
		evlog_get(&log, i, &out);
		CU_ASSERT_EQUAL_FATAL(out.seq, i);
		CU_ASSERT_EQUAL_FATAL(out.kind, want.kind);
		CU_ASSERT_EQUAL_FATAL(out.vm, want.vm);
		CU_ASSERT_EQUAL_FATAL(out.clock, want.clock);
		CU_ASSERT_EQUAL_FATAL(out.pc, want.pc);
		CU_ASSERT_EQUAL_FATAL(out.value, want.value);
		CU_ASSERT_EQUAL_FATAL(out.mask, want.mask);
	}
	evlog_free(&log);
}

static CU_TestInfo evlog_tests[] = {
	{ "append copies strings and numbers events", test_append_copies_strings },
	{ "every field round-trips the compact record", test_fields_round_trip },
	{ "the total limit keeps a note in the last slot", test_total_limit_noted_once },
	{ "the mmio limit is noted once; other kinds go on", test_mmio_limit_noted_once },
	{ "JSON Lines escape guest text", test_json_escapes_guest_text },
	{ "a streamed log is the whole log; evlog_keep keeps what it says", test_stream_and_keep },
	{ "the mmio ring gives back the last events as appended", test_mmio_ring_exact },
	{ "rewound to a mark, the log appends as if it never went past", test_rewind_to_mark },
	{ "rewound to a mark, the ring's next place is the mark's", test_rewind_ring_place },
	{ "a growing log's first blocks move to huge pages intact", test_first_blocks_move },
	CU_TEST_INFO_NULL,
};
UNIT_SUITE("evlog", evlog_tests);
