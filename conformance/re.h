/* re.h - console regular expressions (CONTRACT 3, expect console regex)
 * through PCRE2, with limits: a hostile pattern is refused when compiled, and
 * a match that would backtrack without end gives up with an error. */
#ifndef HVSIM_RE_H
#define HVSIM_RE_H

#include <stddef.h>

#define RE_MAX_LEN       1024          /* bytes of pattern */
#define RE_MAX_COMPILED  (16u << 10)   /* bytes of compiled pattern */
#define RE_MAX_NEST      32            /* nested parentheses */
#define RE_MAX_STEPS     5000000u      /* matching steps, all matches of one re together */
#define RE_MAX_HEAP_KIB  16384         /* backtracking memory of one match */
#define RE_MAX_DEPTH     1000000u      /* nested backtracking points of one match */

struct re;

/* Compile pat (PCRE2 syntax; '.' matches newline, '$' only at the very end,
 * as in POSIX ERE without REG_NEWLINE). NULL with a one-line message in err. */
struct re *re_compile(const char *pat, char *err, size_t errlen);
/* 1 match, 0 no match, -1 gave up (a limit; message in err). Every call
 * draws on the same step budget of re. */
int re_match(struct re *re, const char *s, size_t len, char *err, size_t errlen);
void re_free(struct re *re);

#endif
