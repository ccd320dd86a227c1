/* scenario_load.c - load and validate a scenario file (CONTRACT section 3).
 *
 * The JSON becomes a plain struct scenario; every rule of CONTRACT 3 is
 * checked here so that sim/ can trust what it builds from. Errors are values:
 * one line, "FILE: JSON.PATH: what is wrong" (syntax errors "FILE:LINE:COL:
 * ..."), and a failed load frees whatever it had filled in.
 *
 * Checks run in a fixed order (top-level keys, then name .. explore, vms,
 * host, expect), so a file with several problems always reports the same one.
 * This file: reading, the top level, host steps; scenario_vms.c: VMs;
 * scenario_shmem.c: shmem instances and the guest-physical layout;
 * scenario_expect.c: expectations; json_util.c: the typed getters.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <inttypes.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/stat.h>
#include "scenario_load.h"
#include "scenario_vms.h"
#include "scenario_expect.h"
#include "json_util.h"
#include "sim/loader.h"
#include "sim/vm.h"

#define MAX_FILE_BYTES   (16u << 20)
#define DEFAULT_GUESTS   "build/guests"
#define MAX_HOST_STEPS   4096  /* checks are quadratic in it */

/* ---- reading and syntax ---------------------------------------------- */

/* A regular file only, opened without blocking: a FIFO is refused, never
 * waited on (issue 13). */
static FILE *open_regular(struct jctx *c, const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	FILE *f;

	if (fd < 0) {
		jerr(c, "", "cannot open: %s", strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		jerr(c, "", "not a regular file (%s)", S_ISDIR(st.st_mode) ? "a directory" :
		     S_ISFIFO(st.st_mode) ? "a FIFO" : "a device or socket");
		close(fd);
		return NULL;
	}
	if (!(f = fdopen(fd, "rb"))) {
		jerr(c, "", "cannot open: %s", strerror(errno));
		close(fd);
	}
	return f;
}

static int read_text(struct jctx *c, const char *path, char **out, size_t *out_len)
{
	FILE *f = open_regular(c, path);
	char *buf = NULL;
	size_t len = 0, cap = 0;

	if (!f)
		return -1;
	for (;;) {
		if (len + 1 >= cap) {
			if (cap >= MAX_FILE_BYTES) {
				fclose(f);
				free(buf);
				return jerr(c, "", "file larger than %u bytes", MAX_FILE_BYTES);
			}
			cap = cap ? cap * 2 : 4096;
			char *n = realloc(buf, cap);
			if (!n) {
				fclose(f);
				free(buf);
				return jerr(c, "", "out of memory");
			}
			buf = n;
		}
		size_t got = fread(buf + len, 1, cap - len - 1, f);
		len += got;
		if (got == 0)
			break;
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		free(buf);
		return jerr(c, "", "read error");
	}
	buf[len] = 0;
	*out = buf;
	*out_len = len;
	return 0;
}

static void line_col(const char *text, const char *pos, int *line, int *col)
{
	*line = *col = 1;
	for (const char *p = text; p < pos; p++) {
		if (*p == '\n') {
			++*line;
			*col = 1;
		} else {
			++*col;
		}
	}
}

/* "FILE:LINE:COL: JSON syntax error near '...'" from cJSON's error position. */
static int syntax_error(struct jctx *c, const char *text, const char *pos)
{
	int line, col;
	char near[24];
	size_t n = 0;

	if (!c->err || !c->errlen)
		return -1;
	if (!pos || pos < text || pos > text + strlen(text))
		pos = text;
	line_col(text, pos, &line, &col);
	while (pos[n] && pos[n] != '\n' && pos[n] != '\r' && n < 20)
		n++;
	memcpy(near, pos, n);
	near[n] = 0;
	snprintf(c->err, c->errlen, "%s:%d:%d: JSON syntax error %s%s%s", c->file, line, col,
		 n ? "near '" : "at end of ", n ? near : (*pos ? "line" : "input"), n ? "'" : "");
	for (char *p = c->err; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return -1;
}


/* ---- small checks ---------------------------------------------------- */


static bool printable(const char *s)
{
	for (; *s; s++)
		if (*s < 0x20 || *s > 0x7e)
			return false;
	return true;
}

/* ---- top-level sections ---------------------------------------------- */

static int parse_clauses(struct jctx *c, const cJSON *root, struct scenario *sc)
{
	const cJSON *arr = NULL, *v;
	char p[JPATH_MAX];
	int i = 0, r;

	if ((r = jget_array(c, root, "", "clauses", false, &arr)) <= 0)
		return r;
	sc->n_clauses = cJSON_GetArraySize(arr);
	sc->clauses = calloc((size_t)sc->n_clauses + 1, sizeof(char *));
	if (!sc->clauses)
		return jerr(c, "clauses", "out of memory");
	cJSON_ArrayForEach(v, arr) {
		const char *s = NULL;
		jpath_idx(p, "clauses", i);
		if (jv_string(c, v, p, &s))
			return -1;
		if (!sc_clause_id_ok(s))
			return jerr(c, p, "'%s' is not a clause ID (like \"CRE-1\")", s);
		if (jdup(c, p, s, &sc->clauses[i++]))
			return -1;
	}
	sc->n_listed = sc->n_clauses;
	return 0;
}

/* After `expect`: the IDs only expectations name join the scenario's list
 * (reports and -k see every rule the scenario checks). */
static int union_clauses(struct jctx *c, struct scenario *sc)
{
	for (int i = 0; i < sc->n_expect; i++) {
		const struct sc_expect *e = &sc->expect[i];
		for (int j = 0; j < e->n_clauses; j++) {
			bool have = false;
			for (int k = 0; k < sc->n_clauses && !have; k++)
				have = !strcmp(sc->clauses[k], e->clauses[j]);
			if (have)
				continue;
			char **n = realloc(sc->clauses, (size_t)(sc->n_clauses + 2) * sizeof(*n));
			if (!n)
				return jerr(c, e->where, "out of memory");
			sc->clauses = n;
			sc->clauses[sc->n_clauses] = NULL;
			if (jdup(c, e->where, e->clauses[j], &sc->clauses[sc->n_clauses]))
				return -1;
			sc->clauses[++sc->n_clauses] = NULL;
		}
	}
	return 0;
}

static int parse_profile(struct jctx *c, const cJSON *root, struct scenario *sc)
{
	const cJSON *obj = NULL, *v;
	char p[JPATH_MAX], msg[512], num[32];
	int r;

	if ((r = jget_object(c, root, "", "profile", false, &obj)) <= 0)
		return r;
	if (jcheck_object(c, obj, "profile", profile_keys))
		return -1;
	cJSON_ArrayForEach(v, obj) {
		const char *key = v->string, *text;
		bool b = false;
		jpath_key(p, "profile", key);
		if (!strcmp(key, "attach_irq_self")) {
			if (jv_bool(c, v, p, &b))
				return -1;
			text = b ? "true" : "false";
		} else if (!strcmp(key, "connection_budget") || !strcmp(key, "memory_budget")) {
			uint64_t u = 0;
			if (jv_u64(c, v, p, 0, UINT64_MAX, &u))
				return -1;
			snprintf(num, sizeof(num), "%" PRIu64, u);
			text = num;
		} else if (jv_string(c, v, p, &text)) {
			return -1;
		}
		if (profile_set(&sc->m.profile, key, text, msg, sizeof(msg)))
			return jerr(c, p, "%s", msg);
	}
	return 0;
}

static int parse_schedule(struct jctx *c, const cJSON *root, struct scenario *sc)
{
	static const char *const keys[] = { "policy", "quantum", "irq_check", NULL };
	const cJSON *obj = NULL;
	const char *policy = NULL;
	int r;

	if ((r = jget_object(c, root, "", "schedule", false, &obj)) <= 0)
		return r;
	if (jcheck_object(c, obj, "schedule", keys))
		return -1;
	if ((r = jget_string(c, obj, "schedule", "policy", false, &policy)) < 0)
		return -1;
	if (r) {
		if (!strcmp(policy, "round-robin"))
			sc->policy = POLICY_ROUND_ROBIN;
		else if (!strcmp(policy, "random"))
			sc->policy = POLICY_RANDOM;
		else
			return jerr(c, "schedule.policy",
				    "'%s' is not a policy (accepted: round-robin, random)", policy);
	}
	if (jget_u32(c, obj, "schedule", "quantum", false, 1, UINT32_MAX, &sc->quantum) < 0 ||
	    jget_u32(c, obj, "schedule", "irq_check", false, 1, UINT32_MAX, &sc->m.irq_check) < 0)
		return -1;
	return 0;
}

static int parse_limits_explore(struct jctx *c, const cJSON *root, struct scenario *sc)
{
	static const char *const lkeys[] = { "instructions", NULL };
	static const char *const ekeys[] = { "max_preemptions", "max_schedules", NULL };
	const cJSON *obj = NULL;
	int r;

	if ((r = jget_object(c, root, "", "limits", false, &obj)) < 0)
		return -1;
	if (r && (jcheck_object(c, obj, "limits", lkeys) ||
		  jget_u64(c, obj, "limits", "instructions", false, 1, MACH_MAX_LIMIT,
			   &sc->m.limit_instructions) < 0))
		return -1;
	if ((r = jget_object(c, root, "", "explore", false, &obj)) < 0)
		return -1;
	if (r && (jcheck_object(c, obj, "explore", ekeys) ||
		  jget_u32(c, obj, "explore", "max_preemptions", false, 0, UINT32_MAX,
			   &sc->max_preemptions) < 0 ||
		  jget_u64(c, obj, "explore", "max_schedules", false, 1, UINT64_MAX,
			   &sc->max_schedules) < 0))
		return -1;
	return 0;
}

/* ---- host steps (SPEC HST) ------------------------------------------- */

static const char *const host_ops[] = { "attach", "notify", "status", "write", "detach", NULL };
/* Keys each op takes besides "at" and "do", in host_ops order. */
static const char *const *const host_op_keys[] = {
	(const char *const[]){ "id", "name", "pages", NULL },
	(const char *const[]){ "id", "mask", NULL },
	(const char *const[]){ "id", NULL },
	(const char *const[]){ "id", "offset", "hex", NULL },
	(const char *const[]){ "id", NULL },
};

static int parse_trigger(struct jctx *c, const cJSON *step, const char *path,
			 struct scenario *sc, struct host_step *h)
{
	static const char *const keys[] = { "mark", "instructions", NULL };
	const cJSON *at = jmember(step, "at"), *mark;
	char p[JPATH_MAX], mp[JPATH_MAX];

	jpath_key(p, path, "at");
	if (!at)
		return jerr(c, p, "missing (required)");
	if (cJSON_IsString(at)) {
		if (strcmp(at->valuestring, "start"))
			return jerr(c, p, "'%s' is not a trigger (accepted: \"start\", "
				    "{\"mark\": [VM, VALUE]}, {\"instructions\": N})", at->valuestring);
		h->trig = TRIG_START;
		return 0;
	}
	if (!cJSON_IsObject(at))
		return jerr(c, p, "expected \"start\" or an object, got %s", jtype_name(at));
	if (jcheck_object(c, at, p, keys))
		return -1;
	if (cJSON_GetArraySize(at) != 1)
		return jerr(c, p, "give exactly one of mark, instructions");
	if (jmember(at, "instructions")) {
		h->trig = TRIG_INSTRUCTIONS;
		return jget_u64(c, at, p, "instructions", true, 0, UINT64_MAX,
				&h->at_instructions) < 0 ? -1 : 0;
	}
	h->trig = TRIG_MARK;
	mark = jmember(at, "mark");
	jpath_key(mp, p, "mark");
	if (!cJSON_IsArray(mark) || cJSON_GetArraySize(mark) != 2)
		return jerr(c, mp, "expected [VM, VALUE]");
	const char *vm = NULL;
	jpath_idx(p, mp, 0);
	if (jv_string(c, cJSON_GetArrayItem(mark, 0), p, &vm))
		return -1;
	if ((h->mark_vm = sc_vm_index(sc, vm)) < 0)
		return sc_unknown_vm(c, p, sc, vm);
	jpath_idx(p, mp, 1);
	return jv_i64(c, cJSON_GetArrayItem(mark, 1), p, &h->mark_value);
}

static bool host_id_attached(const struct scenario *sc, int before, const char *id)
{
	for (int i = 0; i < before; i++)
		if (sc->m.host[i].op == HOST_ATTACH && sc->m.host[i].id && !strcmp(sc->m.host[i].id, id))
			return true;
	return false;
}

static int parse_host_step(struct jctx *c, const cJSON *step, int i, struct scenario *sc)
{
	static const char *const keys[] = { "at", "do", "id", "name", "pages", "mask", "offset",
					    "hex", NULL };
	struct host_step *h = &sc->m.host[i];
	char path[JPATH_MAX], p[JPATH_MAX];
	const char *op = NULL, *s = NULL;
	int k;

	jpath_idx(path, "host", i);
	if (jcheck_object(c, step, path, keys))
		return -1;
	if (parse_trigger(c, step, path, sc, h))
		return -1;
	if (jget_string(c, step, path, "do", true, &op) < 0)
		return -1;
	for (k = 0; host_ops[k] && strcmp(host_ops[k], op); k++)
		;
	if (!host_ops[k]) {
		jpath_key(p, path, "do");
		return jerr(c, p, "'%s' is not a host action (accepted: attach, notify, status, "
			    "write, detach)", op);
	}
	h->op = (enum host_op)k;
	for (const cJSON *m = step->child; m; m = m->next) {
		const char *const *ok = host_op_keys[k];
		bool found = !strcmp(m->string, "at") || !strcmp(m->string, "do");
		for (int j = 0; ok[j] && !found; j++)
			found = !strcmp(ok[j], m->string);
		if (found)
			continue;
		char list[64] = "";
		for (int j = 0; ok[j]; j++)
			snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
				 j ? ", " : "", ok[j]);
		jpath_key(p, path, m->string);
		return jerr(c, p, "not used by \"do\": \"%s\" (it takes %s)", op, list);
	}
	if (jget_string(c, step, path, "id", true, &s) < 0)
		return -1;
	jpath_key(p, path, "id");
	if (!*s)
		return jerr(c, p, "empty id");
	if (h->op != HOST_ATTACH && !host_id_attached(sc, i, s))
		return jerr(c, p, "'%s' is not attached by an earlier host step", s);
	if (jdup(c, p, s, &h->id))
		return -1;
	switch (h->op) {
	case HOST_ATTACH:
		if (jget_string(c, step, path, "name", true, &s) < 0)
			return -1;
		jpath_key(p, path, "name");
		if (jdup(c, p, s, &h->name) ||
		    jget_u32(c, step, path, "pages", true, 0, UINT32_MAX, &h->pages) < 0)
			return -1;
		break;
	case HOST_NOTIFY:
		if (jget_u32(c, step, path, "mask", true, 0, UINT32_MAX, &h->mask) < 0)
			return -1;
		break;
	case HOST_WRITE:
		jpath_key(p, path, "hex");
		if (jget_u64(c, step, path, "offset", true, 0, UINT64_MAX, &h->offset) < 0)
			return -1;
		if (!jmember(step, "hex"))
			return jerr(c, p, "missing (required)");
		if (jv_hex(c, jmember(step, "hex"), p, &h->data, &h->data_len))
			return -1;
		break;
	case HOST_STATUS:
	case HOST_DETACH:
		break;
	}
	return 0;
}

static int parse_host(struct jctx *c, const cJSON *root, struct scenario *sc)
{
	const cJSON *arr = NULL, *v;
	int i = 0, r;

	if ((r = jget_array(c, root, "", "host", false, &arr)) <= 0)
		return r;
	int n = cJSON_GetArraySize(arr);
	if (n > MAX_HOST_STEPS)
		return jerr(c, "host", "%d steps: at most %d", n, MAX_HOST_STEPS);
	sc->m.host = calloc((size_t)n + 1, sizeof(*sc->m.host));
	if (!sc->m.host)
		return jerr(c, "host", "out of memory");
	sc->m.n_host = n;
	cJSON_ArrayForEach(v, arr)
		if (parse_host_step(c, v, i++, sc))
			return -1;
	return 0;
}

/* ---- the whole file ---------------------------------------------------- */

static int default_name(struct jctx *c, const char *file, char **out)
{
	const char *base = strrchr(file, '/');
	base = base ? base + 1 : file;
	size_t n = strlen(base);
	if (n > 5 && !strcmp(base + n - 5, ".json"))
		n -= 5;
	*out = strndup(base, n);
	return *out ? 0 : jerr(c, "name", "out of memory");
}

static int parse_root(struct jctx *c, const cJSON *root, struct scenario *sc,
		      const char *guest_dir)
{
	static const char *const keys[] = { "name", "description", "clauses", "profile", "seed",
					    "schedule", "limits", "vms", "host", "expect",
					    "explore", "races", "$schema", NULL };
	const char *s = NULL;
	const cJSON *expect = NULL;
	int r;

	if (!cJSON_IsObject(root))
		return jerr(c, "", "expected a JSON object at the top level, got %s",
			    jtype_name(root));
	if (jcheck_object(c, root, "", keys))
		return -1;
	/* "$schema" names the JSON Schema for editors; only its type matters here. */
	if (jget_string(c, root, "", "$schema", false, &s) < 0)
		return -1;
	if ((r = jget_string(c, root, "", "name", false, &s)) < 0)
		return -1;
	if (r && (!*s || !printable(s)))
		return jerr(c, "name", "must be 1 or more printable ASCII characters");
	if (r ? jdup(c, "name", s, &sc->name) : default_name(c, c->file, &sc->name))
		return -1;
	if ((r = jget_string(c, root, "", "description", false, &s)) < 0 ||
	    (r && jdup(c, "description", s, &sc->description)))
		return -1;
	if (parse_clauses(c, root, sc) || parse_profile(c, root, sc))
		return -1;
	if (jget_u64(c, root, "", "seed", false, 0, UINT64_MAX, &sc->seed) < 0)
		return -1;
	/* Race mode (docs/races.md): --races turns it on too. */
	if (jget_bool(c, root, "", "races", false, &sc->m.races) < 0)
		return -1;
	if (parse_schedule(c, root, sc) || parse_limits_explore(c, root, sc) ||
	    sc_parse_vms(c, root, sc, guest_dir) || parse_host(c, root, sc))
		return -1;
	if ((r = jget_array(c, root, "", "expect", false, &expect)) < 0)
		return -1;
	if (r && sc_parse_expect(c, expect, sc))
		return -1;
	return union_clauses(c, sc);
}

static int apply_overrides(struct jctx *c, const struct sc_overrides *ov, struct scenario *sc)
{
	char msg[512];

	if (!ov)
		return 0;
	if (ov->has_seed)
		sc->seed = ov->seed;
	if (ov->races)
		sc->m.races = true;
	for (int i = 0; i < ov->n_profile; i++) {
		const char *kv = ov->profile_kv[i] ? ov->profile_kv[i] : "";
		const char *eq = strchr(kv, '=');
		char key[64];
		if (!eq || eq == kv || (size_t)(eq - kv) >= sizeof(key))
			return jerr(c, "", "--profile '%s': expected KEY=VALUE", kv);
		memcpy(key, kv, (size_t)(eq - kv));
		key[eq - kv] = 0;
		if (profile_set(&sc->m.profile, key, eq + 1, msg, sizeof(msg)))
			return jerr(c, "", "--profile %s: %s", kv, msg);
	}
	return 0;
}

/* The defaults a scenario starts from, before its keys are read. */
static void scenario_init(struct scenario *sc)
{
	memset(sc, 0, sizeof(*sc));
	profile_default(&sc->m.profile);
	sc->seed = SC_DEFAULT_SEED;
	sc->policy = POLICY_ROUND_ROBIN;
	sc->quantum = SC_DEFAULT_QUANTUM;
	sc->m.irq_check = MACH_DEFAULT_IRQ_CHECK;
	sc->m.limit_instructions = MACH_DEFAULT_LIMIT;
	sc->max_preemptions = 2;
	sc->max_schedules = 100000;
}

/* The text (NUL-terminated at text[len]) of a file named path. */
static int load_text(struct jctx *c, const char *path, const char *text, size_t len,
		     const struct sc_overrides *ov, struct scenario *sc)
{
	const char *guest_dir = ov && ov->guest_dir ? ov->guest_dir : DEFAULT_GUESTS;
	const char *end = NULL;
	cJSON *root = NULL;
	int rc = -1;

	if (strlen(text) != len) {
		int line, col;
		line_col(text, text + strlen(text), &line, &col);
		if (c->errlen)
			snprintf(c->err, c->errlen, "%s:%d:%d: NUL byte (not JSON text)", path,
				 line, col);
		return -1;
	}
	/* A UTF-8 byte order mark is not JSON, but editors write one. */
	const char *json = text + (strncmp(text, "\xef\xbb\xbf", 3) ? 0 : 3);
	root = cJSON_ParseWithOpts(json, &end, 1);
	if (!root) {
		syntax_error(c, json, end);
		return -1;
	}
	if (!jcheck_nul(c, json, root) && !parse_root(c, root, sc, guest_dir) &&
	    !apply_overrides(c, ov, sc))
		rc = 0;
	cJSON_Delete(root);
	return rc;
}

/* Load from `data` (len bytes) when it is given, else from the file. */
static int load(const char *path, const char *data, size_t len, const struct sc_overrides *ov,
		struct scenario *sc, char *err, size_t errlen)
{
	struct jctx c = { path, err, errlen };
	char *text = NULL;
	int rc = -1;

	scenario_init(sc);
	if (errlen)
		err[0] = 0;
	if (!(sc->file = strdup(path))) {
		jerr(&c, "", "out of memory");
		goto out;
	}
	if (!data) {
		if (read_text(&c, path, &text, &len))
			goto out;
	} else if (len > MAX_FILE_BYTES) {
		jerr(&c, "", "file larger than %u bytes", MAX_FILE_BYTES);
		goto out;
	} else if (!(text = malloc(len + 1))) {
		jerr(&c, "", "out of memory");
		goto out;
	} else {
		if (len)
			memcpy(text, data, len);
		text[len] = 0;
	}
	rc = load_text(&c, path, text, len, ov, sc);
out:
	free(text);
	if (rc)
		scenario_free(sc);
	return rc;
}

int scenario_load(const char *path, const struct sc_overrides *ov,
		  struct scenario *sc, char *err, size_t errlen)
{
	return load(path, NULL, 0, ov, sc, err, errlen);
}

int scenario_load_mem(const char *path, const char *data, size_t len,
		      const struct sc_overrides *ov, struct scenario *sc, char *err, size_t errlen)
{
	return load(path, data ? data : "", len, ov, sc, err, errlen);
}

/* The same checks as `hvsim run` makes when it loads (sim/loader.c), so
 * lint passes exactly the programs run accepts. RAM overlaps no device
 * window (sc_check_layout, CONTRACT 2), so "in RAM" is the whole rule. */
int scenario_check_files(const struct scenario *sc, char *err, size_t errlen)
{
	struct jctx c = { sc->file ? sc->file : "?", err, errlen };
	char p[JPATH_MAX], msg[600];

	for (int i = 0; i < sc->m.n_vms; i++) {
		const struct mach_vm *vm = &sc->m.vms[i];
		if (!vm->program_path ||
		    !elf_check(vm->program_path, VM_RAM_BASE, vm->ram, msg, sizeof(msg)))
			continue;
		snprintf(p, sizeof(p), "vms[%d].program", i);
		return jerr(&c, p, "%s", msg);
	}
	return 0;
}
