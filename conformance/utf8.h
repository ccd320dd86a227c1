/* utf8.h - is this text valid UTF-8? (result serialising, report escaping) */
#ifndef HVSIM_UTF8_H
#define HVSIM_UTF8_H

#include <stdbool.h>
#include <stdint.h>

/* Length of the valid UTF-8 sequence at p (1..4, code point in *cp), or 0 if
 * the bytes there are not valid UTF-8 (overlong, surrogate, > U+10FFFF,
 * truncated). p must point at a non-NUL byte of a NUL-terminated string. */
int utf8_seq(const unsigned char *p, uint32_t *cp);
/* True when the whole string is valid UTF-8. */
bool utf8_valid(const char *s);

#endif
