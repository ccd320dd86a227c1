/* escape.h - XML/HTML escaping that survives any byte a guest prints, and
 * anchor ids. */
#ifndef HVSIM_ESCAPE_H
#define HVSIM_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/* How xml_escape writes text.
 *   ESC_XML_TEXT  element content: & < > escaped, CR as &#13;
 *   ESC_XML_ATTR  attribute value: also " ' and TAB/LF/CR as character references
 *   ESC_HTML      HTML text or attribute: & < > " ' escaped, whitespace kept
 * In every mode the output is valid UTF-8 and valid XML 1.0 characters:
 * bytes that are not valid UTF-8 become U+FFFD, C0 control characters other
 * than TAB/LF/CR and DEL become their visible "control picture" (U+2400 + c,
 * U+2421), and the non-characters U+FFFE/U+FFFF become U+FFFD. */
enum esc_mode { ESC_XML_TEXT, ESC_XML_ATTR, ESC_HTML };

void xml_escape(FILE *f, const char *s, enum esc_mode mode);
/* As xml_escape, reading at most `max` bytes of s (never splitting a UTF-8
 * sequence). Returns the number of input bytes consumed. */
size_t xml_escape_n(FILE *f, const char *s, size_t max, enum esc_mode mode);

/* Write an HTML id / URL fragment made from s: [A-Za-z0-9_.-] kept, every
 * other byte as _XX (hex). Safe unescaped in attributes and in "#..." hrefs. */
void html_write_id(FILE *f, const char *s);

#endif
