/* escape.c - XML and HTML text that survives any byte a guest prints (see escape.h). */
#include <stdio.h>
#include "escape.h"
#include "conformance/utf8.h"

static void put_utf8(FILE *f, uint32_t cp)
{
	if (cp < 0x80) {
		fputc((int)cp, f);
	} else if (cp < 0x800) {
		fputc(0xC0 | (cp >> 6), f);
		fputc(0x80 | (cp & 0x3F), f);
	} else if (cp < 0x10000) {
		fputc(0xE0 | (cp >> 12), f);
		fputc(0x80 | ((cp >> 6) & 0x3F), f);
		fputc(0x80 | (cp & 0x3F), f);
	} else {
		fputc(0xF0 | (cp >> 18), f);
		fputc(0x80 | ((cp >> 12) & 0x3F), f);
		fputc(0x80 | ((cp >> 6) & 0x3F), f);
		fputc(0x80 | (cp & 0x3F), f);
	}
}

size_t xml_escape_n(FILE *f, const char *s, size_t max, enum esc_mode mode)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t used = 0;
	bool attr = mode == ESC_XML_ATTR;

	while (p[used] && used < max) {
		const unsigned char *q = p + used;
		uint32_t cp;
		int n = utf8_seq(q, &cp);

		if (n == 0) {                       /* invalid byte */
			put_utf8(f, 0xFFFD);
			used++;
			continue;
		}
		if (used + (size_t)n > max)         /* do not split a sequence */
			break;
		used += (size_t)n;
		switch (cp) {
		case '&': fputs("&amp;", f); continue;
		case '<': fputs("&lt;", f); continue;
		case '>': fputs("&gt;", f); continue;
		case '"':
			fputs(mode == ESC_XML_TEXT ? "\"" : "&quot;", f);
			continue;
		case '\'':
			fputs(mode == ESC_XML_TEXT ? "'" : "&#39;", f);
			continue;
		case '\t': fputs(attr ? "&#9;" : "\t", f); continue;
		case '\n': fputs(attr ? "&#10;" : "\n", f); continue;
		case '\r': fputs(mode == ESC_HTML ? "\r" : "&#13;", f); continue;
		default:
			break;
		}
		if (cp < 0x20)
			put_utf8(f, 0x2400 + cp);        /* control picture */
		else if (cp == 0x7F)
			put_utf8(f, 0x2421);
		else if (cp == 0xFFFE || cp == 0xFFFF)
			put_utf8(f, 0xFFFD);
		else
			fwrite(q, 1, (size_t)n, f);
	}
	return used;
}

void xml_escape(FILE *f, const char *s, enum esc_mode mode)
{
	xml_escape_n(f, s, SIZE_MAX, mode);
}

void html_write_id(FILE *f, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		unsigned char c = *p;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '_' || c == '-' || c == '.')
			fputc(c, f);
		else
			fprintf(f, "_%02X", c);
	}
}
