/* utf8.c - UTF-8 validity (see utf8.h). */
#include "utf8.h"

int utf8_seq(const unsigned char *p, uint32_t *cp)
{
	unsigned char c = p[0];
	int len;
	uint32_t v, min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xC2 && c <= 0xDF) {
		len = 2; v = c & 0x1F; min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3; v = c & 0x0F; min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4; v = c & 0x07; min = 0x10000;
	} else {
		return 0;   /* continuation byte, C0/C1 overlong lead, F5..FF */
	}
	for (int i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)   /* also stops at the NUL terminator */
			return 0;
		v = (v << 6) | (p[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return len;
}

bool utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;

	while (*p) {
		int n = utf8_seq(p, &cp);
		if (!n)
			return false;
		p += n;
	}
	return true;
}
