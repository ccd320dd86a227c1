/* fuzz_gdb.c - libFuzzer harness for the GDB remote protocol: the packet
 * layer (sim/gdbpkt.h) and the whole stub (gdb_session) serving a machine.
 *
 * The first input byte chooses what the rest is:
 *
 *   even: bytes fed to the packet framer one by one, as from a socket. For
 *         each event: a packet's payload is at most GDBPKT_MAX bytes,
 *         NUL-terminated, holds no '$' or '#', and its checksum is the sum
 *         of those bytes (recomputed here from the raw input); framing the
 *         payload again (gdbpkt_frame) and feeding that to a fresh framer
 *         gives the same payload; a '+', '-' or ^C between packets is
 *         reported as such. Every payload also goes through the argument
 *         parsers, whose successes must re-encode to what they parsed.
 *   odd:  the bytes are what GDB sends to a live stub serving two VMs of
 *         build/guests/hello.elf (instruction limit 200000, so 'c' ends);
 *         the stub must end at EOF, and everything it sends must be '+', '-'
 *         or well-framed replies ($PAYLOAD#XX, good checksum, no '$' or '#'
 *         inside). Run from the repository root (tests/fuzz/run.sh does).
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
/* <pthread.h> brings POSIX SCHED_RR, which sim/sched.h names its own policy */
#undef SCHED_RR
#include "sim/debug.h"
#include "sim/gdbpkt.h"
#include "sim/machine.h"
#include "sim/system.h"
#include "vdev/profile.h"

#define CHECK(cond) do { if (!(cond)) fail(#cond, __LINE__); } while (0)

static void fail(const char *what, int line)
{
	fprintf(stderr, "fuzz_gdb: invariant violated at line %d: %s\n", line, what);
	abort();
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

/* ---- the argument parsers: a success re-encodes to its input ------------- */

static const unsigned sizes[3] = { 8, 8, 4 };

static void put_hex_le(char *out, uint64_t v, unsigned bytes)
{
	static const char d[] = "0123456789abcdef";
	for (unsigned i = 0; i < bytes; i++) {
		out[2 * i] = d[(v >> (8 * i + 4)) & 15];
		out[2 * i + 1] = d[(v >> (8 * i)) & 15];
	}
	out[2 * bytes] = 0;
}

static int same_hex(const char *a, const char *b)   /* case-insensitive */
{
	for (; *a && *b; a++, b++)
		if (hexval(*a) != hexval(*b))
			return 0;
	return !*a && !*b;
}

static void check_parsers(const char *a)
{
	uint64_t addr, len, v[3];
	unsigned reg;
	uint8_t data[64];
	char re[2 * 20 + 1];

	if (gdbpkt_parse_m(a, &addr, &len) == 0) {
		CHECK(strchr(a, ',') != NULL);
		CHECK(strchr(a, ':') == NULL);
	}
	int rc = gdbpkt_parse_M(a, &addr, &len, data, sizeof(data));
	CHECK(rc == 0 || rc == -1 || rc == -2);
	if (rc == 0) {
		const char *d = strchr(a, ':');
		CHECK(d && len <= sizeof(data) && strlen(d + 1) == 2 * len);
		for (uint64_t i = 0; i < len; i++) {
			put_hex_le(re, data[i], 1);
			CHECK(hexval(d[1 + 2 * i]) == hexval(re[0]) &&
			      hexval(d[2 + 2 * i]) == hexval(re[1]));
		}
	}
	if (rc == -2)
		CHECK(len > sizeof(data));
	if (gdbpkt_parse_p(a, &reg) == 0)
		CHECK(reg <= 0xffff);
	if (gdbpkt_parse_P(a, sizes, 3, &reg, &v[0]) == 0) {
		CHECK(reg < 3);
		put_hex_le(re, v[0], sizes[reg]);
		CHECK(same_hex(strchr(a, '=') + 1, re));
	}
	if (gdbpkt_parse_G(a, sizes, 3, v) == 0) {
		CHECK(strlen(a) == 40);
		for (unsigned r = 0, at = 0; r < 3; at += 2 * sizes[r], r++) {
			put_hex_le(re, v[r], sizes[r]);
			char part[17];
			memcpy(part, a + at, 2 * sizes[r]);
			part[2 * sizes[r]] = 0;
			CHECK(same_hex(part, re));
		}
	}
}

/* ---- the framer, against a shadow that reads the raw bytes ---------------- */

static void refeed(const char *payload)
{
	static char framed[GDBPKT_MAX + 16];
	static struct gdbpkt q;
	size_t n = gdbpkt_frame(payload, framed, sizeof(framed));
	CHECK(n == strlen(payload) + 4);
	gdbpkt_init(&q);
	enum gdbpkt_ev ev = GDBPKT_MORE;
	for (size_t i = 0; i < n; i++) {
		ev = gdbpkt_feed(&q, (uint8_t)framed[i]);
		CHECK(i + 1 == n || ev == GDBPKT_MORE);
	}
	CHECK(ev == GDBPKT_PACKET);
	CHECK(!strcmp(q.buf, payload));
}

static void fuzz_framer(const uint8_t *d, size_t n)
{
	static struct gdbpkt p;
	/* shadow: where the current packet's payload started, -1 between packets */
	long start = -1, hash = -1;
	gdbpkt_init(&p);
	for (size_t i = 0; i < n; i++) {
		uint8_t c = d[i];
		enum gdbpkt_ev ev = gdbpkt_feed(&p, c);
		if (start < 0 && hash < 0) {            /* between packets */
			if (c == '$')
				start = (long)i + 1;
			CHECK(ev == (c == '+' ? GDBPKT_ACK : c == '-' ? GDBPKT_NAK :
				     c == 3 ? GDBPKT_BREAK : GDBPKT_MORE));
			continue;
		}
		if (hash < 0) {                         /* in the payload */
			CHECK(ev == GDBPKT_MORE);
			if (c == '$')
				start = (long)i + 1;    /* restart: the sender gave up */
			else if (c == '#')
				hash = (long)i;
			continue;
		}
		if ((long)i == hash + 1) {              /* first checksum digit */
			CHECK(ev == GDBPKT_MORE);
			continue;
		}
		/* second checksum digit: the packet is decided */
		size_t len = (size_t)(hash - start);
		uint8_t sum = 0;
		for (long k = start; k < hash; k++)
			sum += d[k];
		int hi = hexval(d[hash + 1]), lo = hexval(c);
		if (hi < 0 || lo < 0 || (hi << 4 | lo) != sum)
			CHECK(ev == GDBPKT_BADSUM);
		else if (len > GDBPKT_MAX)
			CHECK(ev == GDBPKT_TOOLONG);
		else {
			CHECK(ev == GDBPKT_PACKET);
			CHECK(p.len == len && p.buf[len] == 0);
			CHECK(!memcmp(p.buf, d + start, len));
			CHECK(!memchr(p.buf, '$', len) && !memchr(p.buf, '#', len));
			if (strlen(p.buf) == len) {     /* a NUL inside: C-string parsers stop there */
				refeed(p.buf);
				check_parsers(p.buf + (len ? 1 : 0));
			}
		}
		start = hash = -1;
	}
}

/* ---- the whole stub on a socketpair --------------------------------------- */

#define OUT_CAP (1u << 20)

struct drain {
	int fd;
	char *buf;
	size_t len;
};

static void *drain_main(void *arg)
{
	struct drain *dr = arg;
	char tmp[4096];
	for (;;) {
		ssize_t r = read(dr->fd, tmp, sizeof(tmp));
		if (r <= 0)
			return NULL;
		size_t k = (size_t)r;
		if (k > OUT_CAP - dr->len)
			k = OUT_CAP - dr->len;    /* keep the first MiB, read on */
		memcpy(dr->buf + dr->len, tmp, k);
		dr->len += k;
	}
}

/* Everything the stub sent: acks and well-framed replies only. */
static void check_replies(const char *o, size_t n, int cut)
{
	size_t i = 0;
	while (i < n) {
		if (o[i] == '+' || o[i] == '-') {
			i++;
			continue;
		}
		CHECK(o[i] == '$');
		const char *h = memchr(o + i + 1, '#', n - i - 1);
		if (!h || (size_t)(h - o) + 3 > n) {
			CHECK(cut);               /* only the capture's end may cut a reply */
			return;
		}
		uint8_t sum = 0;
		for (const char *c = o + i + 1; c < h; c++) {
			CHECK(*c != '$');
			sum += (uint8_t)*c;
		}
		CHECK(hexval(h[1]) >= 0 && hexval(h[2]) >= 0);
		CHECK((hexval(h[1]) << 4 | hexval(h[2])) == sum);
		i = (size_t)(h - o) + 3;
	}
}

static void fuzz_stub(const uint8_t *d, size_t n)
{
	static char out[OUT_CAP];
	if (n > (64u << 10))
		n = 64u << 10;   /* all of it fits the socket buffer before the stub reads */
	struct mach_vm vms[2] = {
		{ .name = "a", .program = "hello", .program_path = "build/guests/hello.elf",
		  .ram = 2u << 20 },
		{ .name = "b", .program = "hello", .program_path = "build/guests/hello.elf",
		  .ram = 2u << 20 },
	};
	struct machine m = { .vms = vms, .n_vms = 2, .irq_check = MACH_DEFAULT_IRQ_CHECK,
			     .limit_instructions = 200000 };
	struct schedule rr = { .policy = SCHED_RR, .quantum = 1000 };
	char err[256];
	profile_default(&m.profile);
	struct system *s = system_new(&m, &rr, err, sizeof(err));
	if (!s) {
		fprintf(stderr, "fuzz_gdb: %s (run from the repository root after make)\n", err);
		abort();
	}
	CHECK(system_debug(s, 0) == 0);

	int sv[2];
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	struct drain dr = { .fd = sv[0], .buf = out, .len = 0 };
	pthread_t t;
	CHECK(pthread_create(&t, NULL, drain_main, &dr) == 0);
	/* GDB's bytes, then EOF: the stub must serve them and end */
	for (size_t at = 0; at < n;) {
		ssize_t w = send(sv[0], d + at, n - at, MSG_NOSIGNAL);
		if (w <= 0)
			break;                    /* the stub ended early ('k' or 'D') */
		at += (size_t)w;
	}
	shutdown(sv[0], SHUT_WR);
	gdb_session(&s, 0, sv[1]);
	close(sv[1]);                             /* the drain sees EOF */
	pthread_join(t, NULL);
	close(sv[0]);
	system_free(s);
	check_replies(out, dr.len, dr.len == OUT_CAP);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	if (data[0] & 1)
		fuzz_stub(data + 1, size - 1);
	else
		fuzz_framer(data + 1, size - 1);
	return 0;
}
