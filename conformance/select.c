/* select.c - -k expressions, --last-failed state, scenario metadata for
 * --list (select.h). */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include "select.h"

/* ---- metadata ---------------------------------------------------------------- */

static char *area_of(const char *file)
{
	char buf[256];
	return strdup(result_area(file, buf, sizeof(buf)));
}

static char *base_name(const char *file)
{
	const char *b = strrchr(file, '/');
	b = b ? b + 1 : file;
	size_t n = strlen(b);
	if (n > 5 && !strcmp(b + n - 5, ".json"))
		n -= 5;
	return strndup(b, n);
}


int sel_meta_read(const char *file, struct sel_meta *m)
{
	memset(m, 0, sizeof(*m));
	m->file = strdup(file);
	m->area = area_of(file);
	char *text = runner_read_text(file);
	cJSON *root = text ? cJSON_Parse(text) : NULL;
	free(text);
	m->readable = cJSON_IsObject(root);
	const cJSON *name = m->readable ? cJSON_GetObjectItemCaseSensitive(root, "name") : NULL;
	m->name = cJSON_IsString(name) && *name->valuestring ? strdup(name->valuestring)
							      : base_name(file);
	const cJSON *cl = m->readable ? cJSON_GetObjectItemCaseSensitive(root, "clauses") : NULL;
	int n = cJSON_IsArray(cl) ? cJSON_GetArraySize(cl) : 0;
	if (n > 0 && !(m->clauses = calloc(n, sizeof(*m->clauses))))
		n = -1;
	const cJSON *c;
	if (n > 0)
		cJSON_ArrayForEach(c, cl)
			if (cJSON_IsString(c) && !(m->clauses[m->n_clauses++] = strdup(c->valuestring)))
				n = -1;
	/* Expectations' own "clause" IDs count too (-k CTL-2 finds them). */
	const cJSON *ex = m->readable ? cJSON_GetObjectItemCaseSensitive(root, "expect") : NULL, *x;
	const cJSON *exa = cJSON_IsArray(ex) ? ex : NULL;
	cJSON_ArrayForEach(x, exa) {
		const cJSON *ec = cJSON_GetObjectItemCaseSensitive(x, "clause");
		const cJSON *one = cJSON_IsString(ec) ? ec : NULL;
		for (const cJSON *id = one ? one : (cJSON_IsArray(ec) ? ec->child : NULL);
		     id && n >= 0; id = one ? NULL : id->next) {
			if (!cJSON_IsString(id))
				continue;
			bool have = false;
			for (int k = 0; k < m->n_clauses && !have; k++)
				have = !strcmp(m->clauses[k], id->valuestring);
			if (have)
				continue;
			char **g = realloc(m->clauses, (size_t)(m->n_clauses + 1) * sizeof(*g));
			if (!g || !(g[m->n_clauses] = strdup(id->valuestring))) {
				if (g)
					m->clauses = g;
				n = -1;
				break;
			}
			m->clauses = g;
			m->n_clauses++;
		}
	}
	cJSON_Delete(root);
	if (n < 0 || !m->file || !m->area || !m->name) {
		sel_meta_free(m);
		return -1;
	}
	return 0;
}

void sel_meta_free(struct sel_meta *m)
{
	for (int i = 0; i < m->n_clauses; i++)
		free(m->clauses[i]);
	free(m->clauses);
	free(m->file);
	free(m->name);
	free(m->area);
	memset(m, 0, sizeof(*m));
}

/* ---- -k expressions ---------------------------------------------------------- */

enum op { OP_WORD, OP_NOT, OP_AND, OP_OR };

struct sel_expr {
	enum op op;
	char *word;
	struct sel_expr *a, *b;
};

struct parser {
	const char *s;
	char tok[256];     /* the current token; "" at the end */
	char *err; size_t errlen;
	bool failed;
};

static void next_token(struct parser *p)
{
	while (*p->s && isspace((unsigned char)*p->s))
		p->s++;
	if (*p->s == '(' || *p->s == ')') {
		p->tok[0] = *p->s++;
		p->tok[1] = 0;
		return;
	}
	size_t n = 0;
	while (*p->s && !isspace((unsigned char)*p->s) && *p->s != '(' && *p->s != ')') {
		if (n + 1 < sizeof(p->tok))
			p->tok[n++] = *p->s;
		p->s++;
	}
	p->tok[n] = 0;
}

static bool is_kw(const char *t)
{
	return !strcmp(t, "and") || !strcmp(t, "or") || !strcmp(t, "not");
}

static struct sel_expr *node(enum op op, struct sel_expr *a, struct sel_expr *b)
{
	struct sel_expr *e = calloc(1, sizeof(*e));
	if (e) {
		e->op = op;
		e->a = a;
		e->b = b;
	}
	return e;
}

static struct sel_expr *fail(struct parser *p, const char *what, const char *after)
{
	if (!p->failed) {
		if (after)
			snprintf(p->err, p->errlen, "-k: %s after '%s'", what, after);
		else
			snprintf(p->err, p->errlen, "-k: %s", what);
	}
	p->failed = true;
	return NULL;
}

static struct sel_expr *parse_or(struct parser *p);

static struct sel_expr *parse_unary(struct parser *p, const char *after)
{
	if (!p->tok[0])
		return fail(p, after ? "expected a word" : "empty expression", after);
	if (!strcmp(p->tok, "not")) {
		next_token(p);
		struct sel_expr *a = parse_unary(p, "not");
		struct sel_expr *e = a ? node(OP_NOT, a, NULL) : NULL;
		if (a && !e)
			sel_free(a);
		return e;
	}
	if (!strcmp(p->tok, "(")) {
		next_token(p);
		struct sel_expr *e = parse_or(p);
		if (!e)
			return NULL;
		if (strcmp(p->tok, ")")) {
			sel_free(e);
			return fail(p, "expected ')'", NULL);
		}
		next_token(p);
		return e;
	}
	if (!strcmp(p->tok, ")") || is_kw(p->tok)) {
		char msg[300];
		snprintf(msg, sizeof(msg), "unexpected '%s'", p->tok);
		return fail(p, msg, NULL);
	}
	struct sel_expr *e = node(OP_WORD, NULL, NULL);
	if (!e || !(e->word = strdup(p->tok))) {
		free(e);
		return fail(p, "out of memory", NULL);
	}
	next_token(p);
	return e;
}

static struct sel_expr *parse_binary(struct parser *p, const char *kw, enum op op,
				     struct sel_expr *(*sub)(struct parser *, const char *))
{
	struct sel_expr *left = sub(p, NULL);
	while (left && !strcmp(p->tok, kw)) {
		next_token(p);
		struct sel_expr *right = sub(p, kw);
		struct sel_expr *e = right ? node(op, left, right) : NULL;
		if (!e) {
			sel_free(left);
			sel_free(right);
			return NULL;
		}
		left = e;
	}
	return left;
}

static struct sel_expr *parse_and_sub(struct parser *p, const char *after)
{
	return parse_unary(p, after);
}

static struct sel_expr *parse_and(struct parser *p, const char *after)
{
	if (after && !p->tok[0])
		return fail(p, "expected a word", after);
	return parse_binary(p, "and", OP_AND, parse_and_sub);
}

static struct sel_expr *parse_or(struct parser *p)
{
	return parse_binary(p, "or", OP_OR, parse_and);
}

struct sel_expr *sel_parse(const char *text, char *err, size_t errlen)
{
	struct parser p = { .s = text ? text : "", .err = err, .errlen = errlen };
	next_token(&p);
	struct sel_expr *e = parse_or(&p);
	if (e && p.tok[0]) {
		char msg[300];
		snprintf(msg, sizeof(msg), "unexpected '%s'", p.tok);
		sel_free(e);
		return fail(&p, msg, NULL);
	}
	return e;
}

static bool word_in(const char *word, const struct sel_meta *m)
{
	if ((m->name && strcasestr(m->name, word)) || (m->area && strcasestr(m->area, word)))
		return true;
	for (int i = 0; i < m->n_clauses; i++)
		if (strcasestr(m->clauses[i], word))
			return true;
	return false;
}

bool sel_match(const struct sel_expr *e, const struct sel_meta *m)
{
	switch (e->op) {
	case OP_WORD: return word_in(e->word, m);
	case OP_NOT:  return !sel_match(e->a, m);
	case OP_AND:  return sel_match(e->a, m) && sel_match(e->b, m);
	case OP_OR:   return sel_match(e->a, m) || sel_match(e->b, m);
	}
	return false;
}

void sel_free(struct sel_expr *e)
{
	if (!e)
		return;
	sel_free(e->a);
	sel_free(e->b);
	free(e->word);
	free(e);
}

/* ---- --last-failed ------------------------------------------------------------- */


/* The state's spelling of a file: its realpath, or the path as given when
 * it does not exist (so a file that vanished still leaves the state). */
static const char *key_of(const char *file, char *buf)
{
	return realpath(file, buf) ? buf : file;
}

int sel_lastfailed_read(const char *state, struct file_list *out)
{
	memset(out, 0, sizeof(*out));
	FILE *f = fopen(state, "r");
	if (!f)
		return errno == ENOENT ? 0 : -1;
	char line[PATH_MAX + 2];
	int rc = 0;
	while (!rc && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = 0;
		if (line[0])
			rc = file_list_add(out, line);
	}
	fclose(f);
	if (rc)
		file_list_free(out);
	return rc;
}

bool sel_lastfailed_has(const struct file_list *lf, const char *file)
{
	char buf[PATH_MAX];
	const char *k = key_of(file, buf);
	for (int i = 0; i < lf->n; i++)
		if (!strcmp(lf->v[i], k))
			return true;
	return false;
}

int sel_lastfailed_update(const char *state, char *const *ran, const bool *failed, int n)
{
	struct file_list old, now = {0};
	if (sel_lastfailed_read(state, &old))
		return -1;
	char buf[PATH_MAX];
	int rc = 0;
	for (int i = 0; !rc && i < old.n; i++) {
		bool again = false;
		for (int j = 0; j < n && !again; j++)
			again = !strcmp(old.v[i], key_of(ran[j], buf));
		if (!again)
			rc = file_list_add(&now, old.v[i]);
	}
	for (int j = 0; !rc && j < n; j++)
		if (failed[j] && !sel_lastfailed_has(&now, ran[j]))
			rc = file_list_add(&now, key_of(ran[j], buf));
	file_list_free(&old);
	char tmp[PATH_MAX];
	FILE *f = NULL;
	if (!rc && (size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", state) < sizeof(tmp))
		f = fopen(tmp, "w");
	if (!f) {
		file_list_free(&now);
		return -1;
	}
	for (int i = 0; i < now.n; i++)
		fprintf(f, "%s\n", now.v[i]);
	file_list_free(&now);
	if (fclose(f) || rename(tmp, state)) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

void sel_filter(struct file_list *l, const bool *keep)
{
	int k = 0;
	for (int i = 0; i < l->n; i++) {
		if (keep[i])
			l->v[k++] = l->v[i];
		else
			free(l->v[i]);
	}
	l->n = k;
}
