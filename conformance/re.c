/* re.c - PCRE2 with compile and match limits (see re.h). Steps are counted by
 * an automatic callout before every pattern item: PCRE2's own match limit is
 * per start position, so it alone would let a long console take hours. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "re.h"

struct re {
	pcre2_code *code;
	pcre2_match_context *mctx;
	pcre2_match_data *md;
	unsigned long steps;
};

#define RE_OPTIONS (PCRE2_DOTALL | PCRE2_DOLLAR_ENDONLY | PCRE2_NEVER_UTF | PCRE2_NEVER_UCP | \
		    PCRE2_NEVER_BACKSLASH_C | PCRE2_AUTO_CALLOUT)

static int count_step(pcre2_callout_block *b, void *data)
{
	struct re *re = data;
	(void)b;
	return ++re->steps > RE_MAX_STEPS ? PCRE2_ERROR_CALLOUT : 0;
}

void re_free(struct re *re)
{
	if (!re)
		return;
	pcre2_match_data_free(re->md);
	pcre2_match_context_free(re->mctx);
	pcre2_code_free(re->code);
	free(re);
}

struct re *re_compile(const char *pat, char *err, size_t errlen)
{
	size_t len = strlen(pat), size = 0;
	struct re *re;
	pcre2_compile_context *cctx;
	int code;
	PCRE2_SIZE off;

	if (len > RE_MAX_LEN) {
		snprintf(err, errlen, "regex too long (%zu bytes, at most %d)", len, RE_MAX_LEN);
		return NULL;
	}
	if (!(re = calloc(1, sizeof(*re))) || !(cctx = pcre2_compile_context_create(NULL))) {
		free(re);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	pcre2_set_max_pattern_length(cctx, RE_MAX_LEN);
	pcre2_set_parens_nest_limit(cctx, RE_MAX_NEST);
	re->code = pcre2_compile((PCRE2_SPTR)pat, len, RE_OPTIONS, &code, &off, cctx);
	pcre2_compile_context_free(cctx);
	if (!re->code) {
		char msg[160];
		if (pcre2_get_error_message(code, (PCRE2_UCHAR *)msg, sizeof(msg)) < 0)
			snprintf(msg, sizeof(msg), "error %d", code);
		snprintf(err, errlen, "bad regex '%s': %s (at offset %zu)", pat, msg, (size_t)off);
		re_free(re);
		return NULL;
	}
	pcre2_pattern_info(re->code, PCRE2_INFO_SIZE, &size);
	if (size > RE_MAX_COMPILED) {
		snprintf(err, errlen, "regex too large once compiled (%zu bytes, at most %u)",
			 size, RE_MAX_COMPILED);
		re_free(re);
		return NULL;
	}
	re->mctx = pcre2_match_context_create(NULL);
	re->md = pcre2_match_data_create(1, NULL);
	if (!re->mctx || !re->md) {
		snprintf(err, errlen, "out of memory");
		re_free(re);
		return NULL;
	}
	pcre2_set_match_limit(re->mctx, RE_MAX_STEPS);
	pcre2_set_depth_limit(re->mctx, RE_MAX_DEPTH);
	pcre2_set_heap_limit(re->mctx, RE_MAX_HEAP_KIB);
	pcre2_set_callout(re->mctx, count_step, re);
	return re;
}

int re_match(struct re *re, const char *s, size_t len, char *err, size_t errlen)
{
	int rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, 0, 0, re->md, re->mctx);
	if (rc >= 0)
		return 1;
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc == PCRE2_ERROR_CALLOUT || rc == PCRE2_ERROR_MATCHLIMIT)
		snprintf(err, errlen, "regex match gave up after %u steps (the pattern "
			 "backtracks too much; simplify it)", RE_MAX_STEPS);
	else if (rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT)
		snprintf(err, errlen, "regex match gave up: it needs more than %d KiB of "
			 "backtracking memory (simplify the pattern)", RE_MAX_HEAP_KIB);
	else {
		char msg[160];
		if (pcre2_get_error_message(rc, (PCRE2_UCHAR *)msg, sizeof(msg)) < 0)
			snprintf(msg, sizeof(msg), "error %d", rc);
		snprintf(err, errlen, "regex match failed: %s", msg);
	}
	return -1;
}
