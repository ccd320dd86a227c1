/* test_scenario.c - scenario loading (CONTRACT 3), profiles (SPEC 9) and
 * parse_size. Run from the repository root: file names are relative to it.
 *
 * tests/bad-scenarios/X.json each hold one mistake; X.err holds the exact
 * one-line message scenario_load must give. tests/good-scenarios/ hold files
 * that must load, checked field by field. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glob.h>
#include <unistd.h>
#include <elf.h>
#include <sys/stat.h>
#include <CUnit/CUnit.h>
#include "tests/unit.h"
#include "tests/deadline.h"
#include "conformance/scenario_load.h"
#include "sim/evlog.h"

#define GOOD "tests/good-scenarios/"

static char err[1024];

/* Whole file as a string with trailing newlines removed, or NULL. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	while (buf && n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = 0;
	return buf;
}

/* Whole file as bytes, or NULL. */
static char *slurp_bytes(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	if (n > 0 && (buf = malloc((size_t)n)) && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = buf ? (size_t)n : 0;
	return buf;
}

static int load(const char *path, const struct sc_overrides *ov, struct scenario *sc)
{
	err[0] = 0;
	return scenario_load(path, ov, sc, err, sizeof(err));
}

/* ---- the bad-scenario corpus ------------------------------------------ */

static void test_bad_corpus(void)
{
	glob_t g;
	int mismatches = 0;

	CU_ASSERT_FATAL(glob("tests/bad-scenarios/*.json", 0, NULL, &g) == 0);
	CU_ASSERT(g.gl_pathc >= 30);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		const char *json = g.gl_pathv[i];
		char errfile[512];
		struct scenario sc;
		snprintf(errfile, sizeof(errfile), "%.*s.err", (int)(strlen(json) - 5), json);
		char *want = slurp(errfile);
		if (!want) {
			fprintf(stderr, "\n  %s: no %s\n", json, errfile);
			mismatches++;
			continue;
		}
		if (load(json, NULL, &sc) == 0) {
			fprintf(stderr, "\n  %s: loaded, expected: %s\n", json, want);
			scenario_free(&sc);
			mismatches++;
		} else if (strcmp(err, want)) {
			fprintf(stderr, "\n  %s:\n    expected: %s\n    got:      %s\n", json, want, err);
			mismatches++;
		}
		/* Every message: one line, starting with the file name. */
		CU_ASSERT(strchr(err, '\n') == NULL);
		CU_ASSERT(strncmp(err, json, strlen(json)) == 0);
		free(want);
	}
	CU_ASSERT_EQUAL(mismatches, 0);
	globfree(&g);
}

static void test_missing_file(void)
{
	struct scenario sc;
	CU_ASSERT_EQUAL(load("tests/bad-scenarios/no-such-file.json", NULL, &sc), -1);
	CU_ASSERT_STRING_EQUAL(err, "tests/bad-scenarios/no-such-file.json: cannot open: "
			       "No such file or directory");
}

/* ---- good files ------------------------------------------------------- */

static void test_defaults(void)
{
	struct scenario sc;
	struct profile def;

	CU_ASSERT_FATAL(load(GOOD "minimal.json", NULL, &sc) == 0);
	profile_default(&def);
	CU_ASSERT_STRING_EQUAL(sc.file, GOOD "minimal.json");
	CU_ASSERT_STRING_EQUAL(sc.name, "minimal");
	CU_ASSERT_PTR_NULL(sc.description);
	CU_ASSERT_EQUAL(sc.n_clauses, 0);
	CU_ASSERT(memcmp(&sc.m.profile, &def, sizeof(def)) == 0);
	CU_ASSERT_EQUAL(sc.seed, 1);
	CU_ASSERT_EQUAL(sc.policy, POLICY_ROUND_ROBIN);
	CU_ASSERT_EQUAL(sc.quantum, 10000);
	CU_ASSERT_EQUAL(sc.m.irq_check, 64);
	CU_ASSERT_EQUAL(sc.m.limit_instructions, 100000000ull);
	CU_ASSERT_EQUAL(sc.max_preemptions, 2);
	CU_ASSERT_EQUAL(sc.max_schedules, 100000);
	CU_ASSERT_EQUAL_FATAL(sc.m.n_vms, 1);
	CU_ASSERT_STRING_EQUAL(sc.m.vms[0].name, "a");
	CU_ASSERT_STRING_EQUAL(sc.m.vms[0].program, "hello");
	CU_ASSERT_STRING_EQUAL(sc.m.vms[0].program_path, "build/guests/hello.elf");
	CU_ASSERT_EQUAL(sc.m.vms[0].ram, 16ull << 20);
	CU_ASSERT_EQUAL(sc.m.vms[0].n_args, 0);
	CU_ASSERT_EQUAL(sc.m.vms[0].n_shmem, 0);
	CU_ASSERT_EQUAL(sc.m.n_host, 0);
	CU_ASSERT_EQUAL(sc.n_expect, 0);
	scenario_free(&sc);
	CU_ASSERT_PTR_NULL(sc.m.vms);
	scenario_free(&sc);               /* freeing twice is harmless */
}

static void test_byte_order_mark(void)
{
	struct scenario sc;

	CU_ASSERT_FATAL(load(GOOD "bom.json", NULL, &sc) == 0);
	CU_ASSERT_STRING_EQUAL(sc.name, "bom");
	scenario_free(&sc);
}

static void test_contract_example(void)
{
	struct scenario sc;

	CU_ASSERT_FATAL(load(GOOD "contract-example.json", NULL, &sc) == 0);
	CU_ASSERT_STRING_EQUAL(sc.name, "attach-second-client");
	CU_ASSERT_EQUAL_FATAL(sc.n_clauses, 3);
	CU_ASSERT_STRING_EQUAL(sc.clauses[2], "CTL-3");
	CU_ASSERT_EQUAL(sc.m.limit_instructions, 20000000);
	CU_ASSERT_EQUAL_FATAL(sc.m.n_vms, 2);

	struct mach_vm *a = &sc.m.vms[0], *b = &sc.m.vms[1];
	CU_ASSERT_STRING_EQUAL(a->program_path, "build/guests/create_attach.elf");
	CU_ASSERT_EQUAL_FATAL(a->n_args, 2);
	CU_ASSERT(a->args[0].is_string);
	CU_ASSERT_STRING_EQUAL(a->args[0].str, "moo");
	CU_ASSERT(!a->args[1].is_string);
	CU_ASSERT_EQUAL(a->args[1].num, 16);
	CU_ASSERT_EQUAL_FATAL(a->n_shmem, 1);
	const struct shm_inst_cfg *cfg = &a->shmem[0].cfg;
	CU_ASSERT(!a->shmem[0].pci);
	CU_ASSERT_EQUAL(cfg->loc, 0x1c050000);
	CU_ASSERT_EQUAL(cfg->intr, 38);
	CU_ASSERT_EQUAL(cfg->window, 0);
	CU_ASSERT_EQUAL_FATAL(cfg->n_acl, 1);
	CU_ASSERT(cfg->acl[0].allow);
	CU_ASSERT_STRING_EQUAL(cfg->acl[0].pattern, "moo*");
	CU_ASSERT_EQUAL_FATAL(cfg->n_creates, 1);
	CU_ASSERT_STRING_EQUAL(cfg->creates[0].name, "TEST1");
	CU_ASSERT_EQUAL(cfg->creates[0].bytes, 0xf0000);
	CU_ASSERT(!cfg->has_subst);

	/* a path: relative to the scenario file's directory */
	CU_ASSERT_STRING_EQUAL(b->program_path, GOOD "guests/custom.elf");
	CU_ASSERT_EQUAL_FATAL(b->n_shmem, 1);
	CU_ASSERT(b->shmem[0].pci);
	CU_ASSERT_EQUAL(b->shmem[0].cfg.loc, 0);

	CU_ASSERT_EQUAL_FATAL(sc.m.n_host, 2);
	CU_ASSERT_EQUAL(sc.m.host[0].trig, TRIG_MARK);
	CU_ASSERT_EQUAL(sc.m.host[0].mark_vm, 0);
	CU_ASSERT_EQUAL(sc.m.host[0].mark_value, 1);
	CU_ASSERT_EQUAL(sc.m.host[0].op, HOST_ATTACH);
	CU_ASSERT_STRING_EQUAL(sc.m.host[0].id, "h");
	CU_ASSERT_STRING_EQUAL(sc.m.host[0].name, "moo");
	CU_ASSERT_EQUAL(sc.m.host[0].pages, 16);
	CU_ASSERT_EQUAL(sc.m.host[1].mark_vm, 1);
	CU_ASSERT_EQUAL(sc.m.host[1].op, HOST_NOTIFY);
	CU_ASSERT_EQUAL(sc.m.host[1].mask, 0xffff);

	CU_ASSERT_EQUAL_FATAL(sc.n_expect, 6);
	struct sc_expect *x = sc.expect;
	CU_ASSERT_EQUAL(x[0].kind, EXP_EXIT);
	CU_ASSERT_EQUAL(x[0].vm, 0);
	CU_ASSERT_EQUAL(x[0].code, 0);
	CU_ASSERT_STRING_EQUAL(x[0].where, "expect[0]");
	CU_ASSERT_EQUAL(x[1].kind, EXP_CONSOLE);
	CU_ASSERT_EQUAL(x[1].vm, 1);
	CU_ASSERT_STRING_EQUAL(x[1].text, "size=16");
	CU_ASSERT_EQUAL(x[2].kind, EXP_IRQS);
	CU_ASSERT_EQUAL(x[2].intid, 36);
	CU_ASSERT(x[2].has_count && !x[2].has_min && !x[2].has_max);
	CU_ASSERT_EQUAL(x[2].count, 1);
	CU_ASSERT_EQUAL(x[3].kind, EXP_REGION);
	CU_ASSERT_STRING_EQUAL(x[3].text, "moo");
	CU_ASSERT(x[3].has_pages && x[3].has_peak && !x[3].has_exists && !x[3].has_clients &&
		  !x[3].has_data);
	CU_ASSERT_EQUAL(x[3].pages, 16);
	CU_ASSERT_EQUAL(x[3].peak_clients, 3);
	CU_ASSERT_EQUAL(x[4].kind, EXP_ORDER);
	CU_ASSERT_EQUAL_FATAL(x[4].n_events, 2);
	CU_ASSERT_EQUAL(x[4].events[0].vm, 0);
	CU_ASSERT_EQUAL(x[4].events[0].kind, EV_MARK);
	CU_ASSERT(x[4].events[0].has_value);
	CU_ASSERT_EQUAL(x[4].events[0].value, 1);
	CU_ASSERT_EQUAL(x[4].events[1].vm, 1);
	CU_ASSERT_EQUAL(x[4].events[1].kind, EV_IRQ_ACK);
	CU_ASSERT_EQUAL(x[4].events[1].value, 36);
	CU_ASSERT_EQUAL(x[5].kind, EXP_LATENCY);
	CU_ASSERT_EQUAL_FATAL(x[5].n_events, 2);
	CU_ASSERT_EQUAL(x[5].events[1].kind, EV_IRQ_ACK);
	CU_ASSERT_EQUAL(x[5].max, 50000);
	scenario_free(&sc);
}

/* C notation, suffixes, every profile switch, every host op, every kind of
 * expectation. */
static void test_notation(void)
{
	struct scenario sc;

	CU_ASSERT_FATAL(load(GOOD "notation.json", NULL, &sc) == 0);
	CU_ASSERT_EQUAL(sc.seed, UINT64_MAX);
	CU_ASSERT_EQUAL(sc.policy, POLICY_RANDOM);
	CU_ASSERT_EQUAL(sc.quantum, 4096);
	CU_ASSERT_EQUAL(sc.m.irq_check, 1);
	CU_ASSERT_EQUAL(sc.m.limit_instructions, 0x100000000ull);
	CU_ASSERT_EQUAL(sc.max_preemptions, 0);
	CU_ASSERT_EQUAL(sc.max_schedules, 1u << 20);

	const struct profile *p = &sc.m.profile;
	CU_ASSERT_EQUAL(p->size_zero, SZ_EMPTY);
	CU_ASSERT_EQUAL(p->find, FIND_ATTACH_ONLY);
	CU_ASSERT_EQUAL(p->name_unterminated, UNTERM_TRUNCATE);
	CU_ASSERT_EQUAL(p->self_notify, SELF_MASKED);
	CU_ASSERT_EQUAL(p->irq_trigger, TRIG_EDGE);
	CU_ASSERT(p->attach_irq_self);
	CU_ASSERT_EQUAL(p->detached_pending, DETP_CLEAR);
	CU_ASSERT_EQUAL(p->region_lifetime, LIFE_PERSIST);
	CU_ASSERT_EQUAL(p->index_alloc, IDX_ROUND_ROBIN);
	CU_ASSERT_EQUAL(p->failure_regs, FREGS_ZEROED);
	CU_ASSERT_EQUAL(p->connection_budget, 4);
	CU_ASSERT_EQUAL(p->memory_budget, 1u << 20);
	CU_ASSERT_EQUAL(p->fault_delivery, FAULT_GUEST);

	CU_ASSERT_EQUAL_FATAL(sc.m.n_vms, 2);
	struct mach_vm *v0 = &sc.m.vms[0], *v1 = &sc.m.vms[1];
	CU_ASSERT_STRING_EQUAL(v0->program_path, "/opt/guests/abs.elf");
	CU_ASSERT_STRING_EQUAL(v1->program_path, GOOD "rel.elf");
	CU_ASSERT_EQUAL(v0->ram, 1ull << 30);
	CU_ASSERT_EQUAL(v1->ram, 65536);
	CU_ASSERT_EQUAL_FATAL(v0->n_args, 3);
	CU_ASSERT_EQUAL((int64_t)v0->args[0].num, -5);
	CU_ASSERT(v0->args[1].is_string);       /* a string stays a string */
	CU_ASSERT_STRING_EQUAL(v0->args[1].str, "0x10");
	CU_ASSERT_EQUAL(v0->args[2].num, 2147483648ull);
	CU_ASSERT_EQUAL_FATAL(v0->n_shmem, 2);
	const struct shm_inst_cfg *c0 = &v0->shmem[0].cfg, *c1 = &v0->shmem[1].cfg;
	CU_ASSERT_EQUAL(c0->intr, 32);
	CU_ASSERT_EQUAL(c0->window, 0x20000000000ull);
	CU_ASSERT_EQUAL_FATAL(c0->n_acl, 2);
	CU_ASSERT(!c0->acl[0].allow);
	CU_ASSERT_STRING_EQUAL(c0->acl[0].pattern, "secret*");
	CU_ASSERT(c0->acl[1].allow);
	CU_ASSERT_STRING_EQUAL(c0->acl[1].pattern, "*");
	CU_ASSERT_EQUAL_FATAL(c0->n_creates, 2);
	CU_ASSERT_STRING_EQUAL(c0->creates[0].name, "big");
	CU_ASSERT_EQUAL(c0->creates[0].bytes, 1u << 20);
	CU_ASSERT_EQUAL(c0->creates[1].bytes, 0x1001);
	CU_ASSERT(c0->has_subst);
	CU_ASSERT_STRING_EQUAL(c0->subst_match, "");
	CU_ASSERT_STRING_EQUAL(c0->subst_prefix, "vm0-");
	CU_ASSERT(v0->shmem[1].pci);
	CU_ASSERT_EQUAL_FATAL(c1->n_acl, 1);
	CU_ASSERT(!c1->acl[0].allow);
	CU_ASSERT_STRING_EQUAL(c1->subst_match, "a");
	CU_ASSERT_STRING_EQUAL(c1->subst_prefix, "b");

	CU_ASSERT_EQUAL_FATAL(sc.m.n_host, 5);
	struct host_step *h = sc.m.host;
	CU_ASSERT_EQUAL(h[0].trig, TRIG_INSTRUCTIONS);
	CU_ASSERT_EQUAL(h[0].at_instructions, 0x1000);
	CU_ASSERT_EQUAL(h[0].pages, 16);
	CU_ASSERT_EQUAL(h[1].trig, TRIG_MARK);
	CU_ASSERT_EQUAL(h[1].mark_vm, 1);
	CU_ASSERT_EQUAL(h[1].mark_value, -1);
	CU_ASSERT_EQUAL(h[1].op, HOST_WRITE);
	CU_ASSERT_EQUAL(h[1].offset, 4096);
	CU_ASSERT_EQUAL_FATAL(h[1].data_len, 4);
	CU_ASSERT(memcmp(h[1].data, "\xde\xad\xbe\xef", 4) == 0);
	CU_ASSERT_EQUAL(h[2].trig, TRIG_START);
	CU_ASSERT_EQUAL(h[2].op, HOST_STATUS);
	CU_ASSERT_EQUAL(h[3].op, HOST_NOTIFY);
	CU_ASSERT_EQUAL(h[3].mask, 0xffffffffu);
	CU_ASSERT_EQUAL(h[4].op, HOST_DETACH);

	CU_ASSERT_EQUAL_FATAL(sc.n_expect, 10);
	struct sc_expect *x = sc.expect;
	CU_ASSERT_EQUAL(x[0].code, -1);
	CU_ASSERT_EQUAL(x[1].kind, EXP_FAULT);
	CU_ASSERT_STRING_EQUAL(x[1].text, "limit");
	CU_ASSERT(x[1].has_addr);
	CU_ASSERT_EQUAL(x[1].addr, 0xffff00000000ull);
	CU_ASSERT_EQUAL(x[2].kind, EXP_CONSOLE_RE);
	CU_ASSERT_STRING_EQUAL(x[2].text, "^size=[0-9]+$");
	CU_ASSERT_EQUAL(x[3].kind, EXP_FAILS);
	CU_ASSERT_EQUAL_FATAL(x[3].n_ids, 3);
	CU_ASSERT_EQUAL(x[3].ids[1], 0x80000000ll);
	CU_ASSERT_EQUAL(x[3].ids[2], -3);
	CU_ASSERT(!x[4].has_count && x[4].has_min && x[4].has_max);
	CU_ASSERT_EQUAL(x[4].min, 1);
	CU_ASSERT_EQUAL(x[4].max, 3);
	CU_ASSERT(x[5].has_exists && !x[5].exists && x[5].has_clients && x[5].has_data);
	CU_ASSERT_EQUAL(x[5].data_offset, 0x10);
	CU_ASSERT_EQUAL_FATAL(x[5].data_len, 2);
	CU_ASSERT(x[5].data[0] == 0 && x[5].data[1] == 0xff);
	CU_ASSERT_EQUAL(x[6].kind, EXP_NEVER);
	CU_ASSERT_EQUAL_FATAL(x[6].n_events, 1);
	CU_ASSERT_EQUAL(x[6].events[0].vm, EV_HOST);
	CU_ASSERT_EQUAL(x[6].events[0].kind, EV_NOTIFY);
	CU_ASSERT_EQUAL(x[6].events[0].value, 0xffff);
	CU_ASSERT_EQUAL(x[7].events[0].kind, EV_FAULT);
	CU_ASSERT(!x[7].events[0].has_value);
	CU_ASSERT_STRING_EQUAL(x[7].events[0].str, "alignment");
	CU_ASSERT_EQUAL(x[7].events[1].kind, EV_ATTACH);
	CU_ASSERT_STRING_EQUAL(x[7].events[1].str, "big");
	CU_ASSERT_EQUAL(x[7].max, 1u << 30);
	CU_ASSERT_EQUAL_FATAL(x[8].n_events, 3);
	CU_ASSERT_EQUAL(x[8].events[1].kind, EV_EXIT);
	CU_ASSERT_EQUAL(x[8].events[1].value, -1);
	CU_ASSERT(!x[8].events[2].has_value);
	CU_ASSERT_EQUAL(x[9].kind, EXP_HOST_STATUS);
	CU_ASSERT_STRING_EQUAL(x[9].text, "h");
	CU_ASSERT_EQUAL(x[9].status, 5);
	scenario_free(&sc);
}

static void test_overrides(void)
{
	struct scenario sc;
	const char *kv[] = { "irq_trigger=edge", "memory_budget=0x2000" };
	struct sc_overrides ov = { .has_seed = true, .seed = 42, .profile_kv = kv, .n_profile = 2,
				   .guest_dir = "/g" };

	CU_ASSERT_FATAL(load(GOOD "contract-example.json", &ov, &sc) == 0);
	CU_ASSERT_EQUAL(sc.seed, 42);
	CU_ASSERT_EQUAL(sc.m.profile.irq_trigger, TRIG_EDGE);   /* overrides the file */
	CU_ASSERT_EQUAL(sc.m.profile.memory_budget, 0x2000);
	CU_ASSERT_STRING_EQUAL(sc.m.vms[0].program_path, "/g/create_attach.elf");
	CU_ASSERT_STRING_EQUAL(sc.m.vms[1].program_path, GOOD "guests/custom.elf");
	scenario_free(&sc);

	const char *bad1[] = { "irq_trigger=rising" };
	ov.profile_kv = bad1;
	ov.n_profile = 1;
	CU_ASSERT_EQUAL(load(GOOD "minimal.json", &ov, &sc), -1);
	CU_ASSERT_STRING_EQUAL(err, GOOD "minimal.json: --profile irq_trigger=rising: bad value "
			       "'rising' for irq_trigger (accepted: level, edge)");
	CU_ASSERT_PTR_NULL(sc.m.vms);                          /* freed on error */
	const char *bad2[] = { "edge" };
	ov.profile_kv = bad2;
	CU_ASSERT_EQUAL(load(GOOD "minimal.json", &ov, &sc), -1);
	CU_ASSERT_STRING_EQUAL(err, GOOD "minimal.json: --profile 'edge': expected KEY=VALUE");
	const char *bad3[] = { "trigger=edge" };
	ov.profile_kv = bad3;
	CU_ASSERT_EQUAL(load(GOOD "minimal.json", &ov, &sc), -1);
	CU_ASSERT(strstr(err, "--profile trigger=edge: unknown profile key 'trigger' (keys: "
			 "size_zero, find,") != NULL);
}

static void test_check_files(void)
{
	struct scenario sc;

	CU_ASSERT_FATAL(load(GOOD "minimal.json", &(struct sc_overrides){ .guest_dir = "tests" },
			     &sc) == 0);
	CU_ASSERT_EQUAL(scenario_check_files(&sc, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, GOOD "minimal.json: vms[0].program: tests/hello.elf: "
			       "cannot open: No such file or directory");
	free(sc.m.vms[0].program_path);
	sc.m.vms[0].program_path = strdup("tests/unit.h");   /* readable, not an ELF */
	CU_ASSERT_EQUAL(scenario_check_files(&sc, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, GOOD "minimal.json: vms[0].program: tests/unit.h: "
			       "not an ELF file");
	free(sc.m.vms[0].program_path);
	sc.m.vms[0].program_path = strdup("build/guests/hello.elf");
	CU_ASSERT_EQUAL(scenario_check_files(&sc, err, sizeof(err)), 0);
	scenario_free(&sc);
}

/* Programs lint must refuse as run does (issue 13): each one named in a
 * scenario in a temp dir, checked by scenario_check_files. */
static char tdir[] = "/tmp/hvsim-test-programs-XXXXXX";

static void write_file(const char *name, const void *data, size_t len)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/%s", tdir, name);
	FILE *f = fopen(path, "wb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT(fwrite(data, 1, len, f) == len);
	fclose(f);
}

static void refuses_program(const char *prog, const char *ram, const char *want)
{
	char json[300], path[128], full[600];
	struct scenario sc;
	snprintf(json, sizeof(json), "{\"vms\": [{\"name\": \"a\", \"program\": \"%s\"%s%s%s}]}\n",
		 prog, ram ? ", \"ram\": \"" : "", ram ? ram : "", ram ? "\"" : "");
	write_file("s.json", json, strlen(json));
	snprintf(path, sizeof(path), "%s/s.json", tdir);
	CU_ASSERT_EQUAL_FATAL(load(path, NULL, &sc), 0);
	snprintf(full, sizeof(full), "%s: vms[0].program: %s: %s", path, prog, want);
	err[0] = 0;
	CU_ASSERT_EQUAL(scenario_check_files(&sc, err, sizeof(err)), want ? -1 : 0);
	if (want)
		CU_ASSERT_STRING_EQUAL(err, full);
	scenario_free(&sc);
}

/* A FIFO with no writer: refused at once, never waited on. */
static void refuses_fifo(void)
{
	char fifo[128];
	snprintf(fifo, sizeof(fifo), "%s/fifo.elf", tdir);
	CU_ASSERT_EQUAL_FATAL(mkfifo(fifo, 0600), 0);
	WITHIN(10, refuses_program(fifo, NULL, "not a regular file (a FIFO)"));
	unlink(fifo);
}

static void test_check_programs(void)
{
	char prog[128], *elf;
	size_t n = 0;
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(tdir));
	refuses_fifo();
	refuses_program(tdir, NULL, "not a regular file (a directory)");
	refuses_program("/dev/zero", NULL, "not a regular file (a character device)");
	write_file("text.elf", "hello\n", 6);
	snprintf(prog, sizeof(prog), "%s/text.elf", tdir);
	refuses_program(prog, NULL, "not an ELF file");

	elf = slurp_bytes("build/guests/hello.elf", &n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(elf);
	CU_ASSERT_FATAL(n > sizeof(Elf64_Ehdr));
	snprintf(prog, sizeof(prog), "%s/variant.elf", tdir);
	refuses_program("/work/none/hello.elf", NULL, "cannot open: No such file or directory");
	write_file("variant.elf", elf, n);
	refuses_program(prog, NULL, NULL);                     /* as built: fine */
	elf[EI_DATA] = ELFDATA2MSB;
	write_file("variant.elf", elf, n);
	refuses_program(prog, NULL, "big-endian ELF (guests are little-endian AArch64 ELF64)");
	elf[EI_DATA] = ELFDATA2LSB;
	uint16_t machine = EM_X86_64;
	memcpy(elf + offsetof(Elf64_Ehdr, e_machine), &machine, 2);
	write_file("variant.elf", elf, n);
	refuses_program(prog, NULL, "built for x86-64 (e_machine 62), not AArch64");
	machine = EM_AARCH64;
	memcpy(elf + offsetof(Elf64_Ehdr, e_machine), &machine, 2);
	/* the first segment moved onto the UART */
	uint64_t phoff, at = 0x09000000;
	memcpy(&phoff, elf + offsetof(Elf64_Ehdr, e_phoff), 8);
	CU_ASSERT_FATAL(phoff + sizeof(Elf64_Phdr) <= n);
	memcpy(elf + phoff + offsetof(Elf64_Phdr, p_paddr), &at, 8);
	write_file("variant.elf", elf, n);
	refuses_program(prog, NULL, "segment 0 at 0x9000000..0x9002b29 lies outside RAM "
			"0x40000000..0x40ffffff");
	free(elf);
	char rm[160];
	snprintf(rm, sizeof(rm), "rm -rf '%s'", tdir);
	CU_ASSERT_EQUAL(system(rm), 0);
}

/* A scenario file that is not a regular file: refused, a FIFO never waited on. */
static void load_refused(const char *path, const char *what)
{
	struct scenario sc;
	char want[200];
	snprintf(want, sizeof(want), "%s: not a regular file (%s)", path, what);
	CU_ASSERT_EQUAL(load(path, NULL, &sc), -1);
	CU_ASSERT_STRING_EQUAL(err, want);
}

static void test_scenario_not_regular(void)
{
	char dir[] = "/tmp/hvsim-test-scenario-XXXXXX", fifo[80];
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(fifo, sizeof(fifo), "%s/s.json", dir);
	CU_ASSERT_EQUAL_FATAL(mkfifo(fifo, 0600), 0);
	WITHIN(10, load_refused(fifo, "a FIFO"));
	unlink(fifo);
	load_refused(dir, "a directory");
	rmdir(dir);
	load_refused("/dev/zero", "a device or socket");
}

/* An escaped backslash before "u0000" is text, not a NUL: it loads. */
static void test_escaped_backslash_nul(void)
{
	char path[] = "/tmp/hvsim-test-nul-XXXXXX";
	const char *json = "{\"description\": \"a \\\\u0000 b \\\\\\\\\", "
			   "\"vms\": [{\"name\": \"a\", \"program\": \"hello\"}]}";
	struct scenario sc;
	int fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT(write(fd, json, strlen(json)) == (ssize_t)strlen(json));
	close(fd);
	CU_ASSERT_EQUAL(load(path, NULL, &sc), 0);
	if (!err[0]) {
		CU_ASSERT_STRING_EQUAL(sc.description, "a \\u0000 b \\\\");
		scenario_free(&sc);
	}
	unlink(path);
}

/* Mutations of the good files: never a crash, never a leak (run under ASan),
 * every failure is one line naming the file. */
static void test_mutations(void)
{
	const char *src[] = { GOOD "contract-example.json", GOOD "notation.json" };
	char tmp[64];
	uint32_t rng = 12345;
	static const char tokens[] = "{}[]\",:0x-1eK\\ \nabz";

	snprintf(tmp, sizeof(tmp), "/tmp/hvsim-mutant-%d.json", (int)getpid());

	for (int s = 0; s < 2; s++) {
		char *orig = slurp(src[s]);
		CU_ASSERT_FATAL(orig != NULL);
		size_t n = strlen(orig);
		for (int iter = 0; iter < 1500; iter++) {
			char *m = strdup(orig);
			size_t len = n;
			int edits = 1 + iter % 3;
			for (int e = 0; e < edits; e++) {
				rng = rng * 1103515245u + 12345u;
				size_t at = (rng >> 8) % len;
				rng = rng * 1103515245u + 12345u;
				switch ((rng >> 8) % 4) {
				case 0: m[at] = tokens[(rng >> 16) % (sizeof(tokens) - 1)]; break;
				case 1: memmove(m + at, m + at + 1, len - at); len--; break;
				case 2: m[at] = (char)(rng >> 16); if (!m[at]) m[at] = 1; break;
				default: len = at + 1; m[len] = 0; break;      /* truncate */
				}
				if (len < 2)
					break;
			}
			FILE *f = fopen(tmp, "wb");
			CU_ASSERT_FATAL(f != NULL);
			fwrite(m, 1, len, f);
			fclose(f);
			struct scenario sc;
			if (load(tmp, NULL, &sc) == 0) {
				scenario_free(&sc);
			} else {
				CU_ASSERT(strchr(err, '\n') == NULL);
				CU_ASSERT(strncmp(err, tmp, strlen(tmp)) == 0);
			}
			free(m);
		}
		free(orig);
	}
	unlink(tmp);
}

/* ---- profiles and parse_size ------------------------------------------ */

static void test_profile(void)
{
	struct profile p;
	char buf[32];

	profile_default(&p);
	for (int i = 0; profile_keys[i]; i++)
		CU_ASSERT_PTR_NOT_NULL(profile_get(&p, profile_keys[i], buf, sizeof(buf)));
	CU_ASSERT_STRING_EQUAL(profile_get(&p, "size_zero", buf, sizeof(buf)), "attach-only");
	CU_ASSERT_STRING_EQUAL(profile_get(&p, "region_lifetime", buf, sizeof(buf)),
			       "destroy-on-last");
	CU_ASSERT_STRING_EQUAL(profile_get(&p, "index_alloc", buf, sizeof(buf)), "lowest-free");
	CU_ASSERT_STRING_EQUAL(profile_get(&p, "attach_irq_self", buf, sizeof(buf)), "false");
	CU_ASSERT_STRING_EQUAL(profile_get(&p, "memory_budget", buf, sizeof(buf)), "0");
	CU_ASSERT_PTR_NULL(profile_get(&p, "nope", buf, sizeof(buf)));

	CU_ASSERT_EQUAL(profile_set(&p, "index_alloc", "round-robin", err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(p.index_alloc, IDX_ROUND_ROBIN);
	CU_ASSERT_EQUAL(profile_set(&p, "attach_irq_self", "true", err, sizeof(err)), 0);
	CU_ASSERT(p.attach_irq_self);
	CU_ASSERT_STRING_EQUAL(profile_get(&p, "attach_irq_self", buf, sizeof(buf)), "true");
	CU_ASSERT_EQUAL(profile_set(&p, "memory_budget", "64K", err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(profile_get(&p, "memory_budget", buf, sizeof(buf)), "65536");
	CU_ASSERT_EQUAL(profile_set(&p, "connection_budget", "0x3", err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(p.connection_budget, 3);
	CU_ASSERT_EQUAL(profile_set(&p, "size_zero", "empty", err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(profile_get(&p, "size_zero", buf, sizeof(buf)), "empty");

	CU_ASSERT_EQUAL(profile_set(&p, "size_zero", "Empty", err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "bad value 'Empty' for size_zero (accepted: attach-only, "
			       "invalid, empty)");
	CU_ASSERT_EQUAL(profile_set(&p, "attach_irq_self", "1", err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "bad value '1' for attach_irq_self (accepted: false, true)");
	CU_ASSERT_EQUAL(profile_set(&p, "memory_budget", "-1", err, sizeof(err)), -1);
	CU_ASSERT(strncmp(err, "bad value '-1' for memory_budget (accepted: a number", 52) == 0);
	CU_ASSERT_EQUAL(profile_set(&p, "colour", "blue", err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "unknown profile key 'colour' (keys: size_zero, find, "
			       "name_unterminated, self_notify, irq_trigger, attach_irq_self, "
			       "detached_pending, region_lifetime, index_alloc, failure_regs, "
			       "connection_budget, memory_budget, fault_delivery)");
	CU_ASSERT_EQUAL(p.size_zero, SZ_EMPTY);                /* failures change nothing */
	/* A short buffer truncates, never overflows. */
	char tiny[8];
	CU_ASSERT_EQUAL(profile_set(&p, "colour", "blue", tiny, sizeof(tiny)), -1);
	CU_ASSERT_STRING_EQUAL(tiny, "unknown");
}

static void test_parse_size(void)
{
	uint64_t v;
	static const struct { const char *s; uint64_t v; } ok[] = {
		{ "0", 0 }, { "0x0", 0 }, { "4096", 4096 }, { "0x1000", 4096 }, { "0X1f", 31 },
		{ "1K", 1024 }, { "1k", 1024 }, { "16M", 16u << 20 }, { "16m", 16u << 20 },
		{ "1G", 1u << 30 }, { "0x10M", 16u << 20 }, { "0K", 0 },
		{ "18446744073709551615", UINT64_MAX }, { "0xffffffffffffffff", UINT64_MAX },
		{ "17179869183G", 17179869183ull << 30 },
	};
	static const char *const bad[] = {
		"", "-1", "+1", " 1", "1 ", "0x", "x10", "1KB", "1KK", "1T", "1.5", "010", "00",
		"18446744073709551616", "0x10000000000000000", "17179869184G", "16777216T",
		"abc", "1e3", "0xg",
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		v = 12345;
		CU_ASSERT_EQUAL(parse_size(ok[i].s, &v), 0);
		CU_ASSERT_EQUAL(v, ok[i].v);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = 12345;
		if (parse_size(bad[i], &v) != -1)
			fprintf(stderr, "\n  parse_size accepted '%s'\n", bad[i]);
		CU_ASSERT_EQUAL(v, 12345);
	}
	CU_ASSERT_EQUAL(parse_size(NULL, &v), -1);
}

static void test_free_zeroed(void)
{
	struct scenario sc;
	memset(&sc, 0, sizeof(sc));
	scenario_free(&sc);
	CU_PASS("zeroed scenario freed");
	/* No room for a message: still an error, no crash. */
	CU_ASSERT_EQUAL(scenario_load("tests/bad-scenarios/syntax-missing-comma.json", NULL, &sc,
				      NULL, 0), -1);
	CU_ASSERT_EQUAL(scenario_load("tests/bad-scenarios/nul-byte.json", NULL, &sc, NULL, 0), -1);
	CU_ASSERT_EQUAL(scenario_load("tests/bad-scenarios/dup-vm-name.json", NULL, &sc, NULL, 0),
			-1);
	/* A short buffer truncates the message. */
	char small[16];
	CU_ASSERT_EQUAL(scenario_load("tests/bad-scenarios/dup-vm-name.json", NULL, &sc, small,
				      sizeof(small)), -1);
	CU_ASSERT_STRING_EQUAL(small, "tests/bad-scena");
}

/* scenario_load_mem gives what scenario_load gives for the same bytes, with
 * no NUL after them (the fuzz harness's entry point). */
static void test_load_mem(void)
{
	static const char *const files[] = {
		GOOD "minimal.json", GOOD "bom.json", "tests/bad-scenarios/nul-byte.json",
		"tests/bad-scenarios/syntax-unterminated.json", "tests/bad-scenarios/dup-vm-name.json",
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		FILE *f = fopen(files[i], "rb");
		char buf[8192], want[1024];
		struct scenario a, b;
		CU_ASSERT_PTR_NOT_NULL_FATAL(f);
		size_t n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		char *exact = malloc(n ? n : 1);       /* ASan sees a read past n */
		CU_ASSERT_PTR_NOT_NULL_FATAL(exact);
		memcpy(exact, buf, n);
		int ra = load(files[i], NULL, &a);
		snprintf(want, sizeof(want), "%s", err);
		int rb = scenario_load_mem(files[i], exact, n, NULL, &b, err, sizeof(err));
		CU_ASSERT_EQUAL(ra, rb);
		CU_ASSERT_STRING_EQUAL(err, want);
		if (!ra) {
			CU_ASSERT_STRING_EQUAL(a.name, b.name);
			CU_ASSERT_EQUAL(a.m.n_vms, b.m.n_vms);
			scenario_free(&a);
			scenario_free(&b);
		}
		free(exact);
	}
	struct scenario sc;
	CU_ASSERT_EQUAL(scenario_load_mem("empty.json", "", 0, NULL, &sc, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "empty.json:1:1: JSON syntax error at end of input");
}

static CU_TestInfo scenario_tests[] = {
	{ "bad-scenario corpus", test_bad_corpus },
	{ "missing file", test_missing_file },
	{ "defaults", test_defaults },
	{ "byte order mark", test_byte_order_mark },
	{ "CONTRACT 3 example", test_contract_example },
	{ "C notation, suffixes, all kinds", test_notation },
	{ "overrides", test_overrides },
	{ "scenario_check_files", test_check_files },
	{ "lint refuses the programs run refuses", test_check_programs },
	{ "escaped backslash before u0000 loads", test_escaped_backslash_nul },
	{ "scenario file: FIFO, directory, device refused", test_scenario_not_regular },
	{ "mutated files", test_mutations },
	{ "profile_set/get", test_profile },
	{ "parse_size", test_parse_size },
	{ "free zeroed", test_free_zeroed },
	{ "load from memory", test_load_mem },
	CU_TEST_INFO_NULL,
};
UNIT_SUITE("scenario", scenario_tests);
