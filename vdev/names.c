/* names.c - region names of the shmem device (SPEC sections 3 and 9).
 *
 *   name field (32 bytes, FAC-2) --NAM-1/2--> local name (1..31 bytes)
 *   local name --ACL-1 (fnmatch, first match)--> allowed or not
 *   local name --ACL-5 subst--> global name (1..63 bytes, NAM-3)
 *
 * Pure functions; no state.
 */
#include <string.h>
#include <fnmatch.h>
#include "shmem_internal.h"

/* NAM-2: printable ASCII other than '/'. */
static bool name_byte_ok(unsigned char c)
{
	return c >= 0x20 && c <= 0x7E && c != '/';
}

bool shm_name_legal(const char *s, size_t max)
{
	size_t n = 0;

	if (!s)
		return false;
	for (; s[n]; n++)
		if (n >= max || !name_byte_ok((unsigned char)s[n]))
			return false;
	return n >= 1;
}

int shm_name_from_field(const uint8_t field[SHM_NAME_FIELD], enum prof_unterminated mode,
			char out[SHM_NAME_FIELD + 1])
{
	const uint8_t *nul = memchr(field, 0, SHM_NAME_FIELD);
	size_t n = nul ? (size_t)(nul - field) : SHM_NAME_FIELD;

	/* NAM-2: no NUL within 32 bytes: reject (default) or keep 31 bytes. */
	bool unterminated = !nul;
	if (unterminated && mode == UNTERM_TRUNCATE)
		n = SHM_NAME_FIELD - 1;
	memcpy(out, field, n);
	out[n] = '\0';
	if (unterminated && mode != UNTERM_TRUNCATE)
		return GSS_ILLEGAL_NAME;
	return shm_name_legal(out, SHM_NAME_FIELD - 1) ? GSS_OK : GSS_ILLEGAL_NAME;
}

bool shm_acl_allows(const struct shm_acl_rule *rules, int n, const char *name)
{
	bool any_allow = false;

	/* ACL-1: checked in the order written; the first match decides. */
	for (int i = 0; i < n; i++) {
		if (fnmatch(rules[i].pattern, name, 0) == 0)
			return rules[i].allow;
		any_allow |= rules[i].allow;
	}
	return !any_allow;
}

int shm_subst(bool has_subst, const char *match, const char *prefix,
	      const char *name, char out[SHM_GLOBAL_NAME])
{
	size_t ml = has_subst ? strlen(match) : 0;
	const char *rest = name;
	const char *pre = "";

	/* ACL-5: a leading MATCH becomes PREFIX (empty MATCH: prepend). */
	if (has_subst && strncmp(name, match, ml) == 0) {
		rest = name + ml;
		pre = prefix;
	}
	size_t pl = strlen(pre), rl = strlen(rest);
	out[0] = '\0';
	if (pl + rl >= SHM_GLOBAL_NAME)
		return -1;
	memcpy(out, pre, pl);
	memcpy(out + pl, rest, rl + 1);
	/* The global name must itself be a legal name (a PREFIX may not bring
	 * a '/', and MATCH replaced by an empty PREFIX may leave nothing). */
	return shm_name_legal(out, SHM_GLOBAL_NAME - 1) ? 0 : -1;
}
