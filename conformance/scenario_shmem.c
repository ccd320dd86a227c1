/* scenario_shmem.c - shmem instances of a VM (SPEC FAC-1, ACL-1..5) and the
 * guest-physical layout checks of CONTRACT 2: locs and windows against RAM,
 * the platform devices and each other. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <inttypes.h>
#include "scenario_shmem.h"

/* A guest-visible region name (NAM-1, NAM-2): 1..31 printable bytes, no '/'. */
static bool region_name_ok(const char *s, size_t n)
{
	if (n < 1 || n > NAME_FIELD_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] > 0x7e || s[i] == '/')
			return false;
	return true;
}

/* Fill rules from an "allow" or "deny" array (allow = that kind). */
static int parse_patterns(struct jctx *c, const cJSON *arr, const char *path, bool allow,
			  struct shm_inst_cfg *cfg)
{
	const cJSON *v;
	char p[JPATH_MAX];
	int i = 0;

	cJSON_ArrayForEach(v, arr) {
		const char *s = NULL;
		jpath_idx(p, path, i++);
		if (jv_string(c, v, p, &s))
			return -1;
		if (!*s || strlen(s) >= sizeof(cfg->acl[0].pattern))
			return jerr(c, p, "pattern must be 1..%zu bytes",
				    sizeof(cfg->acl[0].pattern) - 1);
		struct shm_acl_rule *rule = &cfg->acl[cfg->n_acl++];
		rule->allow = allow;
		strcpy(rule->pattern, s);
	}
	return 0;
}

/* "allow PATTERN" / "deny PATTERN" */
static int parse_acl(struct jctx *c, const cJSON *arr, const char *path, struct shm_inst_cfg *cfg)
{
	const cJSON *v;
	char p[JPATH_MAX];
	int i = 0;

	cJSON_ArrayForEach(v, arr) {
		const char *s = NULL, *pat = NULL;
		bool allow = false;
		jpath_idx(p, path, i++);
		if (jv_string(c, v, p, &s))
			return -1;
		if (!strncmp(s, "allow ", 6))
			allow = true, pat = s + 6;
		else if (!strncmp(s, "deny ", 5))
			allow = false, pat = s + 5;
		else
			return jerr(c, p, "'%s': expected \"allow PATTERN\" or \"deny PATTERN\"", s);
		while (*pat == ' ')
			pat++;
		if (!*pat || strchr(pat, ' ') || strlen(pat) >= sizeof(cfg->acl[0].pattern))
			return jerr(c, p, "'%s': expected \"allow PATTERN\" or \"deny PATTERN\" "
				    "(one pattern of 1..%zu bytes, no spaces)", s,
				    sizeof(cfg->acl[0].pattern) - 1);
		struct shm_acl_rule *rule = &cfg->acl[cfg->n_acl++];
		rule->allow = allow;
		strcpy(rule->pattern, pat);
	}
	return 0;
}

/* ACL-2: "NAME,BYTES" */
static int parse_creates(struct jctx *c, const cJSON *arr, const char *path,
			 struct shm_inst_cfg *cfg)
{
	const cJSON *v;
	char p[JPATH_MAX];
	int i = 0;

	cfg->n_creates = cJSON_GetArraySize(arr);
	cfg->creates = calloc((size_t)cfg->n_creates + 1, sizeof(*cfg->creates));
	if (!cfg->creates)
		return jerr(c, path, "out of memory");
	cJSON_ArrayForEach(v, arr) {
		struct shm_create *cr = &cfg->creates[i];
		const char *s = NULL, *comma = NULL;
		uint64_t bytes = 0;
		jpath_idx(p, path, i++);
		if (jv_string(c, v, p, &s))
			return -1;
		comma = strrchr(s, ',');
		if (!comma)
			return jerr(c, p, "'%s': expected \"NAME,BYTES\"", s);
		if (!region_name_ok(s, (size_t)(comma - s)))
			return jerr(c, p, "'%s': bad region name (1..%d printable bytes, no '/')",
				    s, NAME_FIELD_MAX);
		if (parse_size(comma + 1, &bytes))
			return jerr(c, p, "'%s': bad size '%s' (decimal or 0x hex, optional "
				    "K/M/G suffix)", s, comma + 1);
		if (bytes == 0 || bytes > SHM_WINDOW_SIZE - SHM_PAGE)
			return jerr(c, p, "'%s': size must be 1..0x%llx bytes (a 4 GiB window "
				    "holds the region and its control page)", s,
				    SHM_WINDOW_SIZE - SHM_PAGE);
		memcpy(cr->name, s, (size_t)(comma - s));
		cr->name[comma - s] = 0;
		cr->bytes = bytes;
	}
	return 0;
}

/* ACL-5: "MATCH,PREFIX" (MATCH may be empty) */
static int parse_subst(struct jctx *c, const char *s, const char *path, struct shm_inst_cfg *cfg)
{
	const char *comma = strchr(s, ',');
	size_t mlen;

	if (!comma)
		return jerr(c, path, "'%s': expected \"MATCH,PREFIX\"", s);
	mlen = (size_t)(comma - s);
	if (mlen >= sizeof(cfg->subst_match) || strlen(comma + 1) >= sizeof(cfg->subst_prefix))
		return jerr(c, path, "'%s': MATCH and PREFIX are at most %zu bytes each", s,
			    sizeof(cfg->subst_match) - 1);
	memcpy(cfg->subst_match, s, mlen);
	cfg->subst_match[mlen] = 0;
	strcpy(cfg->subst_prefix, comma + 1);
	cfg->has_subst = true;
	return 0;
}

int sc_parse_shmem(struct jctx *c, const cJSON *obj, const char *path, struct mach_shmem *sh)
{
	static const char *const keys[] = { "pci", "loc", "intr", "window", "allow", "deny",
					    "acl", "create", "subst", NULL };
	struct shm_inst_cfg *cfg = &sh->cfg;
	const cJSON *allow = NULL, *deny = NULL, *acl = NULL, *create = NULL;
	char p[JPATH_MAX];
	const char *subst = NULL;
	bool pci = false;
	int has_pci, has_loc, has_intr, r;

	if (jcheck_object(c, obj, path, keys))
		return -1;
	/* Presentation first: MMIO (loc + intr) or PCI (neither). */
	has_loc = jmember(obj, "loc") != NULL;
	has_intr = jmember(obj, "intr") != NULL;
	if ((has_pci = jget_bool(c, obj, path, "pci", false, &pci)) < 0)
		return -1;
	jpath_key(p, path, "pci");
	if (has_pci && pci && has_loc)
		return jerr(c, p, "true together with loc: an instance with loc is MMIO, "
			    "one without is PCI");
	if (has_pci && !pci && !has_loc)
		return jerr(c, p, "false but no loc: an instance without loc is PCI");
	if (has_intr && !has_loc) {
		jpath_key(p, path, "intr");
		return jerr(c, p, "intr without loc: a PCI instance gets its INTID from its "
			    "slot (INTA)");
	}
	if (has_loc && !has_intr) {
		jpath_key(p, path, "loc");
		return jerr(c, p, "loc without intr: an MMIO instance needs its INTID");
	}
	sh->pci = !has_loc;
	if (has_loc) {
		if (jget_u64(c, obj, path, "loc", true, 0, UINT64_MAX, &cfg->loc) < 0)
			return -1;
		jpath_key(p, path, "loc");
		if (cfg->loc % SHM_PAGE)
			return jerr(c, p, "0x%" PRIx64 " is not page aligned (4 KiB)", cfg->loc);
		if (cfg->loc >= GPA_LIMIT)
			return jerr(c, p, "0x%" PRIx64 " is not below 2^44", cfg->loc);
		if (cfg->loc == 0)
			return jerr(c, p, "0 is not a valid loc (0 stands for PCI)");
		if (jget_u32(c, obj, path, "intr", true, INTR_MIN, INTR_MAX, &cfg->intr) < 0)
			return -1;
	}
	if ((r = jget_u64(c, obj, path, "window", false, 0, UINT64_MAX, &cfg->window)) < 0)
		return -1;
	jpath_key(p, path, "window");
	if (r && cfg->window % SHM_PAGE)
		return jerr(c, p, "0x%" PRIx64 " is not page aligned (4 KiB)", cfg->window);
	if (r && cfg->window == 0)
		return jerr(c, p, "0 is not a valid window (it would cover RAM and the devices)");
	if (r && cfg->window > GPA_LIMIT - SHM_WINDOW_SIZE)
		return jerr(c, p, "0x%" PRIx64 ": the 4 GiB window must end below 2^44",
			    cfg->window);

	/* ACL-1: allow/deny, or acl when the order matters. */
	if (jget_array(c, obj, path, "allow", false, &allow) < 0 ||
	    jget_array(c, obj, path, "deny", false, &deny) < 0 ||
	    jget_array(c, obj, path, "acl", false, &acl) < 0 ||
	    jget_array(c, obj, path, "create", false, &create) < 0)
		return -1;
	if (allow && deny)
		return jerr(c, path, "both allow and deny: the order of rules matters, so put "
			    "them in one acl array (\"allow PATTERN\", \"deny PATTERN\", ...)");
	if (acl && (allow || deny))
		return jerr(c, path, "acl together with %s: put every rule in acl",
			    allow ? "allow" : "deny");
	int n_rules = cJSON_GetArraySize(allow ? allow : deny ? deny : acl);
	if (allow || deny || acl) {
		cfg->acl = calloc((size_t)n_rules + 1, sizeof(*cfg->acl));
		if (!cfg->acl)
			return jerr(c, path, "out of memory");
	}
	jpath_key(p, path, allow ? "allow" : deny ? "deny" : "acl");
	if ((allow || deny || acl) && n_rules == 0)
		return jerr(c, p, "empty (no rules allow everything: drop the key, or deny "
			    "everything with \"deny\": [\"*\"])");
	if ((allow || deny) && parse_patterns(c, allow ? allow : deny, p, allow != NULL, cfg))
		return -1;
	if (acl && parse_acl(c, acl, p, cfg))
		return -1;
	jpath_key(p, path, "create");
	if (create && parse_creates(c, create, p, cfg))
		return -1;
	if ((r = jget_string(c, obj, path, "subst", false, &subst)) < 0)
		return -1;
	jpath_key(p, path, "subst");
	if (r && parse_subst(c, subst, p, cfg))
		return -1;
	return 0;
}

/* ---- guest-physical layout of one VM (CONTRACT 2) ---------------------- */

struct range { uint64_t lo, hi; const char *what; };   /* hi inclusive */

static bool overlaps(uint64_t lo, uint64_t hi, const struct range *r)
{
	return lo <= r->hi && r->lo <= hi;
}

static uint64_t window_of(const struct mach_shmem *sh, int k)
{
	return sh->cfg.window ? sh->cfg.window : SHM_WINDOW_BASE + (uint64_t)k * SHM_WINDOW_SIZE;
}

/* Check [lo, hi] of vms[v].shmem[k] (a loc, or a window) against the
 * platform and the locs/windows of instances before it. */
static int check_range(struct jctx *c, const struct mach_vm *vm, int v, int k, bool is_window)
{
	const struct mach_shmem *sh = &vm->shmem[k];
	uint64_t lo = is_window ? window_of(sh, k) : sh->cfg.loc;
	uint64_t hi = lo + (is_window ? SHM_WINDOW_SIZE : SHM_PAGE) - 1;
	const struct range fixed[] = {
		{ RAM_BASE, RAM_BASE + vm->ram - 1, "RAM" },
		{ 0x08000000, 0x0801ffff, "GIC" },
		{ 0x09000000, 0x09000fff, "UART" },
		{ 0x09010000, 0x09010fff, "test device" },
		{ 0x3f000000, 0x3f0fffff, "ECAM" },
	};
	char p[JPATH_MAX], what[JPATH_MAX + 40], self[80];

	snprintf(p, sizeof(p), "vms[%d].shmem[%d]%s", v, k,
		 is_window ? (sh->cfg.window ? ".window" : "") : ".loc");
	if (is_window)
		snprintf(self, sizeof(self), "%swindow 0x%" PRIx64 "..0x%" PRIx64,
			 sh->cfg.window ? "" : "default ", lo, hi);
	else
		snprintf(self, sizeof(self), "0x%" PRIx64, lo);
	if (is_window && hi >= GPA_LIMIT)
		return jerr(c, p, "%s is not below 2^44 (too many instances for default windows; "
			    "set window)", self);
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (overlaps(lo, hi, &fixed[i]))
			return jerr(c, p, "%s overlaps %s (0x%" PRIx64 "..0x%" PRIx64 ")", self,
				    fixed[i].what, fixed[i].lo, fixed[i].hi);
	/* Locs of earlier instances (and a window's own loc), then earlier windows. */
	for (int i = 0; i <= k; i++) {
		const struct mach_shmem *o = &vm->shmem[i];
		if (o->pci || (i == k && !is_window))
			continue;
		struct range r = { o->cfg.loc, o->cfg.loc + SHM_PAGE - 1, NULL };
		if (overlaps(lo, hi, &r)) {
			snprintf(what, sizeof(what), "vms[%d].shmem[%d].loc", v, i);
			return jerr(c, p, "%s overlaps %s (0x%" PRIx64 "..0x%" PRIx64 ")", self,
				    what, r.lo, r.hi);
		}
	}
	for (int i = 0; i < k; i++) {
		struct range r = { window_of(&vm->shmem[i], i), 0, NULL };
		r.hi = r.lo + SHM_WINDOW_SIZE - 1;
		if (overlaps(lo, hi, &r))
			return jerr(c, p, "%s overlaps the %swindow of vms[%d].shmem[%d] "
				    "(0x%" PRIx64 "..0x%" PRIx64 ")", self,
				    vm->shmem[i].cfg.window ? "" : "default ", v, i, r.lo, r.hi);
	}
	return 0;
}

int sc_check_layout(struct jctx *c, const struct mach_vm *vm, int v)
{
	for (int k = 0; k < vm->n_shmem; k++)
		if ((!vm->shmem[k].pci && check_range(c, vm, v, k, false)) ||
		    check_range(c, vm, v, k, true))
			return -1;
	return 0;
}

/* ---- creates across the machine (ACL-2, ACL-5) ------------------------- */

int sc_check_creates(struct jctx *c, const struct machine *m)
{
	char p[JPATH_MAX], g[SHM_GLOBAL_NAME], g2[SHM_GLOBAL_NAME];
	uint32_t pages, pages2;

	for (int v = 0; v < m->n_vms; v++) {
		for (int k = 0; k < m->vms[v].n_shmem; k++) {
			const struct shm_inst_cfg *cfg = &m->vms[v].shmem[k].cfg;
			for (int i = 0; i < cfg->n_creates; i++) {
				snprintf(p, sizeof(p), "vms[%d].shmem[%d].create[%d]", v, k, i);
				int rc = shm_create_resolve(cfg, i, g, &pages);
				if (rc == -2)
					return jerr(c, p, "'%s': subst makes its global name illegal "
						    "(1..63 bytes 0x20..0x7E, no '/')",
						    cfg->creates[i].name);
				if (rc)
					return jerr(c, p, "'%s': cannot be created",
						    cfg->creates[i].name);
				/* the same global name created before: same size */
				for (int v2 = 0; v2 <= v; v2++) {
					int kn = v2 < v ? m->vms[v2].n_shmem : k + 1;
					for (int k2 = 0; k2 < kn; k2++) {
						const struct shm_inst_cfg *o = &m->vms[v2].shmem[k2].cfg;
						int in = v2 == v && k2 == k ? i : o->n_creates;
						for (int i2 = 0; i2 < in; i2++) {
							if (shm_create_resolve(o, i2, g2, &pages2) ||
							    strcmp(g, g2) || pages == pages2)
								continue;
							return jerr(c, p, "'%s': region '%s' is created "
								    "with %u pages by vms[%d].shmem[%d]"
								    ".create[%d], not %u", cfg->creates[i].name,
								    g, pages2, v2, k2, i2, pages);
						}
					}
				}
			}
		}
	}
	return 0;
}
