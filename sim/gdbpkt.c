/* gdbpkt.c - GDB remote packets: framing and argument parsing (gdbpkt.h).
 * A packet is $PAYLOAD#XX, XX the payload's byte sum modulo 256 in hex. */
#include <string.h>
#include "gdbpkt.h"

enum { ST_IDLE, ST_DATA, ST_SUM1, ST_SUM2 };

static const char hexd[] = "0123456789abcdef";

static int hexval(int c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

void gdbpkt_init(struct gdbpkt *p)
{
	memset(p, 0, sizeof(*p));
	p->state = ST_IDLE;
}

enum gdbpkt_ev gdbpkt_feed(struct gdbpkt *p, uint8_t c)
{
	switch (p->state) {
	case ST_IDLE:
		if (c == '$') {
			p->state = ST_DATA;
			p->len = 0;
			p->sum = 0;
			return GDBPKT_MORE;
		}
		return c == '+' ? GDBPKT_ACK : c == '-' ? GDBPKT_NAK : c == 0x03 ? GDBPKT_BREAK
									    : GDBPKT_MORE;
	case ST_DATA:
		if (c == '$') {               /* a new start: the sender gave up on this one */
			p->len = 0;
			p->sum = 0;
		} else if (c == '#') {
			p->state = ST_SUM1;
		} else {
			if (p->len < GDBPKT_MAX)
				p->buf[p->len] = (char)c;
			if (p->len <= GDBPKT_MAX)
				p->len++;
			p->sum += c;
		}
		return GDBPKT_MORE;
	case ST_SUM1:
		p->sum_hi = hexval(c);
		p->state = ST_SUM2;
		return GDBPKT_MORE;
	default: {
		int lo = hexval(c);
		p->state = ST_IDLE;
		if (p->sum_hi < 0 || lo < 0 || (p->sum_hi << 4 | lo) != p->sum)
			return GDBPKT_BADSUM;
		if (p->len > GDBPKT_MAX)
			return GDBPKT_TOOLONG;
		p->buf[p->len] = 0;
		return GDBPKT_PACKET;
	}
	}
}

size_t gdbpkt_frame(const char *data, char *out, size_t cap)
{
	size_t n = strlen(data);
	if (cap < 5 || n > cap - 5)
		return 0;
	uint8_t sum = 0;
	out[0] = '$';
	for (size_t i = 0; i < n; i++)
		sum += (uint8_t)data[i];
	memcpy(out + 1, data, n);
	out[n + 1] = '#';
	out[n + 2] = hexd[sum >> 4];
	out[n + 3] = hexd[sum & 15];
	out[n + 4] = 0;
	return n + 4;
}

int gdbpkt_get_le(const char *hex, unsigned bytes, uint64_t *v)
{
	uint64_t x = 0;
	for (unsigned i = 0; i < bytes; i++) {
		int hi = hexval(hex[2 * i]), lo = hi < 0 ? -1 : hexval(hex[2 * i + 1]);
		if (lo < 0)
			return -1;
		x |= (uint64_t)(hi << 4 | lo) << (8 * i);
	}
	*v = x;
	return 0;
}

/* A big-endian hex number of 1..16 digits at *s; *s moves past it. */
static int get_num(const char **s, uint64_t *v)
{
	uint64_t x = 0;
	int n = 0, d;
	while ((d = hexval(**s)) >= 0) {
		if (++n > 16)
			return -1;
		x = x << 4 | (unsigned)d;
		(*s)++;
	}
	*v = x;
	return n ? 0 : -1;
}

int gdbpkt_parse_m(const char *a, uint64_t *addr, uint64_t *len)
{
	if (get_num(&a, addr) || *a++ != ',' || get_num(&a, len))
		return -1;
	return *a ? -1 : 0;
}

int gdbpkt_parse_M(const char *a, uint64_t *addr, uint64_t *len, uint8_t *data, size_t cap)
{
	if (get_num(&a, addr) || *a++ != ',' || get_num(&a, len) || *a++ != ':')
		return -1;
	if (*len > cap)
		return -2;
	if (strlen(a) != 2 * *len)
		return -1;
	for (uint64_t i = 0; i < *len; i++) {
		uint64_t b;
		if (gdbpkt_get_le(a + 2 * i, 1, &b))
			return -1;
		data[i] = (uint8_t)b;
	}
	return 0;
}

int gdbpkt_parse_p(const char *a, unsigned *reg)
{
	uint64_t r;
	if (get_num(&a, &r) || *a || r > 0xffff)
		return -1;
	*reg = (unsigned)r;
	return 0;
}

int gdbpkt_parse_P(const char *a, const unsigned *sizes, unsigned n_regs, unsigned *reg,
		   uint64_t *v)
{
	uint64_t r;
	if (get_num(&a, &r) || *a++ != '=' || r >= n_regs)
		return -1;
	if (strlen(a) != 2 * sizes[r] || gdbpkt_get_le(a, sizes[r], v))
		return -1;
	*reg = (unsigned)r;
	return 0;
}

int gdbpkt_parse_G(const char *a, const unsigned *sizes, unsigned n_regs, uint64_t *v)
{
	size_t want = 0;
	for (unsigned r = 0; r < n_regs; r++)
		want += 2 * sizes[r];
	if (strlen(a) != want)
		return -1;
	for (unsigned r = 0; r < n_regs; r++) {
		if (gdbpkt_get_le(a, sizes[r], &v[r]))
			return -1;
		a += 2 * sizes[r];
	}
	return 0;
}
