/* test_evlog.c - the event log: appending copies strings, both limits stop
 * keeping events and say so once, and the JSON Lines form escapes guest text. */
#include <stdlib.h>
#include <string.h>
#include <CUnit/CUnit.h>
#include "tests/unit.h"
#include "sim/evlog.h"

static void test_append_copies_strings(void)
{
	struct evlog log;
	char text[] = "hello";
	evlog_init(&log);
	struct ev e = { .kind = EV_CONSOLE, .text = text };
	struct ev *d = evlog_append(&log, &e);
	text[0] = 'j';
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_STRING_EQUAL(d->text, "hello");
	CU_ASSERT_EQUAL(d->seq, 0);
	CU_ASSERT_EQUAL(evlog_append(&log, &e)->seq, 1);
	evlog_free(&log);
}

static void test_total_limit_noted_once(void)
{
	struct evlog log;
	evlog_init(&log);
	log.total_cap = 10;
	struct ev e = { .kind = EV_MARK };
	int kept = 0;
	for (int i = 0; i < 100; i++)
		kept += evlog_append(&log, &e) != NULL;
	CU_ASSERT_EQUAL(kept, 9);
	CU_ASSERT_EQUAL(log.n, 10);                 /* the last slot holds the note */
	CU_ASSERT_EQUAL(log.ev[9].kind, EV_NOTE);
	CU_ASSERT_PTR_NOT_NULL(strstr(log.ev[9].text, "event limit reached"));
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
	CU_ASSERT_PTR_NOT_NULL(evlog_append(&log, &k));   /* other kinds still kept */
	CU_ASSERT_EQUAL(log.n, 5);                         /* 3 mmio, the note, the mark */
	CU_ASSERT_EQUAL(log.ev[3].kind, EV_NOTE);
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

static CU_TestInfo evlog_tests[] = {
	{ "append copies strings and numbers events", test_append_copies_strings },
	{ "the total limit keeps a note in the last slot", test_total_limit_noted_once },
	{ "the mmio limit is noted once; other kinds go on", test_mmio_limit_noted_once },
	{ "JSON Lines escape guest text", test_json_escapes_guest_text },
	CU_TEST_INFO_NULL,
};
UNIT_SUITE("evlog", evlog_tests);
