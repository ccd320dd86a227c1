/* gdbpkt.h - the GDB remote serial protocol's packet layer, pure (no socket,
 * no VM): a framer fed one byte at a time that checks checksums and refuses
 * packets too long to hold, the framing of replies, and strict parsers for
 * the arguments of m/M/p/P/G (hex that is short, long or not hex is an
 * error, never half applied). Used by gdbstub.c. */
#ifndef HVSIM_GDBPKT_H
#define HVSIM_GDBPKT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GDBPKT_MAX 4096          /* payload bytes accepted (PacketSize) */

enum gdbpkt_ev {
	GDBPKT_MORE,        /* nothing complete yet */
	GDBPKT_PACKET,      /* good checksum: payload in buf (len bytes, NUL after); ack '+' */
	GDBPKT_BADSUM,      /* checksum wrong: NAK '-' and wait for the retransmit */
	GDBPKT_TOOLONG,     /* good checksum, payload over GDBPKT_MAX: ack, reply an error */
	GDBPKT_ACK,         /* '+' between packets */
	GDBPKT_NAK,         /* '-' between packets: resend the last reply */
	GDBPKT_BREAK,       /* 0x03 between packets */
};

struct gdbpkt {
	int state;
	size_t len;                /* payload bytes seen (may pass GDBPKT_MAX) */
	uint8_t sum;               /* of the payload as received */
	int sum_hi;                /* first checksum digit */
	char buf[GDBPKT_MAX + 1];
};

void gdbpkt_init(struct gdbpkt *p);
enum gdbpkt_ev gdbpkt_feed(struct gdbpkt *p, uint8_t c);

/* "$data#xx" into out (cap bytes, NUL-terminated); returns its length, or 0
 * when it does not fit. */
size_t gdbpkt_frame(const char *data, char *out, size_t cap);

/* Exactly 2 * bytes hex digits at hex: the little-endian value. 0 or -1. */
int gdbpkt_get_le(const char *hex, unsigned bytes, uint64_t *v);

/* Arguments (what follows the command letter). All return 0, or -1 on
 * anything malformed; numbers are 1..16 hex digits. */
int gdbpkt_parse_m(const char *a, uint64_t *addr, uint64_t *len);           /* ADDR,LEN */
/* ADDR,LEN:DATA with exactly 2 * LEN digits of DATA, into data; -2 when
 * LEN > cap. */
int gdbpkt_parse_M(const char *a, uint64_t *addr, uint64_t *len, uint8_t *data, size_t cap);
int gdbpkt_parse_p(const char *a, unsigned *reg);                           /* N */
/* N=VALUE with exactly 2 * size(N) digits; reg < n_regs. */
int gdbpkt_parse_P(const char *a, const unsigned *sizes, unsigned n_regs, unsigned *reg,
		   uint64_t *v);
/* All n_regs registers back to back, exactly 2 * sum(sizes) digits. */
int gdbpkt_parse_G(const char *a, const unsigned *sizes, unsigned n_regs, uint64_t *v);

#endif
