/* merge.c - shards' results joined as one (see merge.h). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "merge.h"

static bool is_shard(const struct sc_result *r)
{
	return r->explore.present && r->explore.shard_n > 1;
}

static bool same_tree(const struct sc_result *a, const struct sc_result *b)
{
	return is_shard(b) && a->explore.shard_n == b->explore.shard_n &&
	       !strcmp(a->file ? a->file : "", b->file ? b->file : "");
}

static int vm_index(const struct sc_result *r, const char *name, size_t len)
{
	for (int i = 0; i < r->n_vms; i++)
		if (r->vms[i].name && strlen(r->vms[i].name) == len && !strncmp(r->vms[i].name, name, len))
			return i;
	return 64;
}

/* Schedule order: fewer departures first, then by (point, VM index). */
static bool earlier(const struct sc_result *a, const struct sc_result *b)
{
	const char *p = a->schedule ? a->schedule : "", *q = b->schedule ? b->schedule : "";
	int na = 0, nb = 0;
	for (const char *s = p; *s; s++)
		na += *s == '@';
	for (const char *s = q; *s; s++)
		nb += *s == '@';
	if (na != nb)
		return na < nb;
	while ((p = strchr(p, '@')) && (q = strchr(q, '@'))) {
		char *ep, *eq;
		unsigned long long pa = strtoull(p + 1, &ep, 10), pb = strtoull(q + 1, &eq, 10);
		if (pa != pb)
			return pa < pb;
		size_t la = strcspn(ep + 1, ","), lb = strcspn(eq + 1, ",");
		int va = vm_index(a, ep + 1, la), vb = vm_index(b, eq + 1, lb);
		if (va != vb)
			return va < vb;
		p = ep;
		q = eq;
	}
	return false;
}

static void set_reason(struct sc_result *r, enum sc_status st, const char *why)
{
	r->status = st;
	free(r->reason);
	r->reason = why ? strdup(why) : NULL;
}

/* Shards g[0..n) of one tree (each of 1..N at most once) into one result. */
static int join_tree(struct sc_result *g, int n, struct sc_result *out, char *err, size_t errlen)
{
	uint32_t total = g[0].explore.shard_n;
	bool seen[64] = { false };
	int best = -1, error = -1, cut = -1;
	uint64_t runs = 0, digest = 0, left = 0;
	for (int i = 0; i < n; i++) {
		uint32_t k = g[i].explore.shard_k;
		if (total > 64 || k < 1 || k > total || seen[k - 1]) {
			snprintf(err, errlen, "%s: shard %u/%u given twice or out of range", g[i].file,
				 k, total);
			return -1;
		}
		seen[k - 1] = true;
		runs += g[i].explore.runs;
		digest += g[i].explore.digest;
		left += g[i].explore.left;
		if (g[i].status == SC_FAIL && (best < 0 || earlier(&g[i], &g[best])))
			best = i;
		if (g[i].status == SC_ERROR && error < 0)
			error = i;
		if (g[i].status == SC_INCOMPLETE && cut < 0)
			cut = i;
	}
	int first = 0;
	for (int i = 0; i < n; i++)
		if (g[i].explore.shard_k == 1)
			first = i;
	int pick = best >= 0 ? best : error >= 0 ? error : first;
	*out = g[pick];
	memset(&g[pick], 0, sizeof(g[pick]));
	char why[256], missing[128] = "";
	for (uint32_t k = 1; k <= total; k++)
		if (!seen[k - 1] && strlen(missing) + 16 < sizeof(missing))
			snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing), "%s%u/%u",
				 *missing ? ", " : "", k, total);
	if (best < 0 && error < 0 && *missing) {
		snprintf(why, sizeof(why), "shard%s %s missing: %" PRIu64 " schedules run by the "
			 "others, all passed", strchr(missing, ',') ? "s" : "", missing, runs);
		set_reason(out, SC_INCOMPLETE, why);
	} else if (best < 0 && error < 0 && cut >= 0) {
		snprintf(why, sizeof(why), "search cut short by max_schedules: %" PRIu64 " schedules "
			 "run in %u shards, all passed; at least %" PRIu64 " more not run", runs, total,
			 left);
		set_reason(out, SC_INCOMPLETE, why);
	} else if (best < 0 && error < 0) {
		set_reason(out, SC_PASS, NULL);
	}
	out->explore.runs = runs;
	out->explore.digest = digest;
	out->explore.left = left;
	out->explore.shard_k = 1;
	out->explore.shard_n = *missing ? total : 1;
	for (int i = 0; i < n; i++)
		result_free(&g[i]);
	return 0;
}

int merge_results(struct sc_result *in, int n, struct sc_result **out, int *n_out,
		  char *err, size_t errlen)
{
	struct sc_result *res = calloc((size_t)n + 1, sizeof(*res));
	struct sc_result *group = calloc((size_t)n + 1, sizeof(*group));
	bool *taken = calloc((size_t)n + 1, sizeof(*taken));
	int m = 0, rc = 0;
	if (!res || !group || !taken) {
		snprintf(err, errlen, "out of memory");
		rc = -1;
		goto out;
	}
	for (int i = 0; i < n && !rc; i++) {
		if (taken[i])
			continue;
		if (!is_shard(&in[i])) {
			res[m++] = in[i];
			memset(&in[i], 0, sizeof(in[i]));
			continue;
		}
		int g = 0;
		for (int j = i; j < n; j++)
			if (!taken[j] && same_tree(g ? &group[0] : &in[i], &in[j])) {
				group[g++] = in[j];
				memset(&in[j], 0, sizeof(in[j]));
				taken[j] = true;
			}
		rc = join_tree(group, g, &res[m], err, errlen);
		if (!rc)
			m++;
		for (int k = 0; k < g; k++)
			result_free(&group[k]);
	}
out:
	free(group);
	free(taken);
	if (rc) {
		for (int i = 0; i < m; i++)
			result_free(&res[i]);
		free(res);
		return -1;
	}
	*out = res;
	*n_out = m;
	return 0;
}
