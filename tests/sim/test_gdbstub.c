/* test_gdbstub.c - the GDB stub's packet layer (sim/gdbpkt.c) driven with
 * byte strings: checksums, NAK and retransmit, overlong packets, framing,
 * and the exact-length rules for m/M/p/P/G arguments; then the stub itself
 * (gdb_session) on a socketpair with a hand-built machine running
 * build/guests/hello.elf. Every wait is bounded (poll, alarm). */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "tests/unit.h"
#include "sim/debug.h"
#include "sim/gdbpkt.h"
#include "sim/system.h"

static struct gdbpkt rx;

/* Feed n bytes; one letter per event other than MORE (P packet, B bad
 * checksum, L too long, + ack, - nak, C ^C). The last packet stays in rx. */
static const char *feed_n(const char *bytes, size_t n)
{
	static char evs[64];
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		enum gdbpkt_ev e = gdbpkt_feed(&rx, (uint8_t)bytes[i]);
		static const char letter[] = { [GDBPKT_PACKET] = 'P', [GDBPKT_BADSUM] = 'B',
			[GDBPKT_TOOLONG] = 'L', [GDBPKT_ACK] = '+', [GDBPKT_NAK] = '-',
			[GDBPKT_BREAK] = 'C' };
		if (e != GDBPKT_MORE && k < sizeof(evs) - 1)
			evs[k++] = letter[e];
	}
	evs[k] = 0;
	return evs;
}

static const char *feed(const char *bytes) { return feed_n(bytes, strlen(bytes)); }

static void test_good_packets(void)
{
	gdbpkt_init(&rx);
	CU_ASSERT_STRING_EQUAL(feed("$g#67"), "P");
	CU_ASSERT_STRING_EQUAL(rx.buf, "g");
	CU_ASSERT_EQUAL(rx.len, 1);
	CU_ASSERT_STRING_EQUAL(feed("+$?#3F"), "+P");      /* upper-case checksum digits */
	CU_ASSERT_STRING_EQUAL(rx.buf, "?");
	CU_ASSERT_STRING_EQUAL(feed("$#00"), "P");         /* empty payload */
	CU_ASSERT_STRING_EQUAL(rx.buf, "");
	CU_ASSERT_STRING_EQUAL(feed("$m40000000,4#51"), "P");
	CU_ASSERT_STRING_EQUAL(rx.buf, "m40000000,4");
}

/* A bad checksum is reported (the stub NAKs), nothing is served, and the
 * retransmitted packet then arrives whole. */
static void test_bad_checksum_then_retransmit(void)
{
	gdbpkt_init(&rx);
	CU_ASSERT_STRING_EQUAL(feed("$g#68"), "B");
	CU_ASSERT_STRING_EQUAL(feed("$g#67"), "P");
	CU_ASSERT_STRING_EQUAL(rx.buf, "g");
	CU_ASSERT_STRING_EQUAL(feed("$g#zz"), "B");        /* not hex */
	CU_ASSERT_STRING_EQUAL(feed("$c#6"), "");          /* half a checksum: still waiting */
	CU_ASSERT_STRING_EQUAL(feed("4"), "B");            /* 0x64 != 'c' (0x63) */
	CU_ASSERT_STRING_EQUAL(feed("$c#63"), "P");
	/* a corrupted byte in the payload */
	CU_ASSERT_STRING_EQUAL(feed("$m40000000,5#51"), "B");
}

/* Bytes between packets: acks, NAKs (resend), ^C; other noise is ignored;
 * a '$' inside a packet starts it again. */
static void test_between_packets(void)
{
	gdbpkt_init(&rx);
	CU_ASSERT_STRING_EQUAL(feed("+-\x03xyz\r\n"), "+-C");
	CU_ASSERT_STRING_EQUAL(feed("$mfoo$g#67"), "P");
	CU_ASSERT_STRING_EQUAL(rx.buf, "g");
	CU_ASSERT_STRING_EQUAL(feed_n("$\0#00", 5), "P");  /* a NUL is a payload byte */
	CU_ASSERT_EQUAL(rx.len, 1);
}

/* Longer than GDBPKT_MAX: refused as a whole (never served cut short),
 * with a good checksum; a bad one is a plain NAK. The next packet is fine. */
static void test_overlong(void)
{
	static char big[GDBPKT_MAX + 64];
	gdbpkt_init(&rx);
	for (int extra = 0; extra <= 1; extra++) {
		size_t n = GDBPKT_MAX + (size_t)extra;
		unsigned sum = 0;
		big[0] = '$';
		memset(big + 1, 'a', n);
		sum = (unsigned)(n * 'a') & 0xff;
		snprintf(big + 1 + n, 8, "#%02x", sum);
		CU_ASSERT_STRING_EQUAL(feed(big), extra ? "L" : "P");
		if (!extra)
			CU_ASSERT_EQUAL(rx.len, GDBPKT_MAX);
		snprintf(big + 1 + n, 8, "#%02x", (sum + 1) & 0xff);
		CU_ASSERT_STRING_EQUAL(feed(big), "B");
	}
	CU_ASSERT_STRING_EQUAL(feed("$s#73"), "P");
	CU_ASSERT_STRING_EQUAL(rx.buf, "s");
}

static void test_frame(void)
{
	char out[16];
	CU_ASSERT_EQUAL(gdbpkt_frame("OK", out, sizeof(out)), 6);
	CU_ASSERT_STRING_EQUAL(out, "$OK#9a");
	CU_ASSERT_EQUAL(gdbpkt_frame("", out, sizeof(out)), 4);
	CU_ASSERT_STRING_EQUAL(out, "$#00");
	CU_ASSERT_EQUAL(gdbpkt_frame("0123456789ab", out, sizeof(out)), 0);   /* 17 > 16 */
	CU_ASSERT_EQUAL(gdbpkt_frame("0123456789a", out, sizeof(out)), 15);
	/* what the stub frames, the framer takes back */
	gdbpkt_init(&rx);
	gdbpkt_frame("W00", out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(feed(out), "P");
	CU_ASSERT_STRING_EQUAL(rx.buf, "W00");
}

static void test_parse_m_M(void)
{
	uint64_t addr = 0, len = 0;
	uint8_t d[4] = { 0 };
	CU_ASSERT_EQUAL(gdbpkt_parse_m("40000000,4", &addr, &len), 0);
	CU_ASSERT_EQUAL(addr, 0x40000000);
	CU_ASSERT_EQUAL(len, 4);
	CU_ASSERT_EQUAL(gdbpkt_parse_m("40000000", &addr, &len), -1);
	CU_ASSERT_EQUAL(gdbpkt_parse_m(",4", &addr, &len), -1);
	CU_ASSERT_EQUAL(gdbpkt_parse_m("4,4x", &addr, &len), -1);
	CU_ASSERT_EQUAL(gdbpkt_parse_m("-4,4", &addr, &len), -1);
	CU_ASSERT_EQUAL(gdbpkt_parse_m("10000000000000000,1", &addr, &len), -1);   /* 17 digits */
	CU_ASSERT_EQUAL(gdbpkt_parse_M("40000000,2:abCD", &addr, &len, d, sizeof(d)), 0);
	CU_ASSERT_EQUAL(len, 2);
	CU_ASSERT_EQUAL(d[0], 0xab);
	CU_ASSERT_EQUAL(d[1], 0xcd);
	memset(d, 0, sizeof(d));
	CU_ASSERT_EQUAL(gdbpkt_parse_M("40000000,2:ab", &addr, &len, d, sizeof(d)), -1);     /* short */
	CU_ASSERT_EQUAL(gdbpkt_parse_M("40000000,2:abcdef", &addr, &len, d, sizeof(d)), -1); /* long */
	CU_ASSERT_EQUAL(gdbpkt_parse_M("40000000,2:abcx", &addr, &len, d, sizeof(d)), -1);   /* not hex */
	CU_ASSERT_EQUAL(gdbpkt_parse_M("40000000,2abcd", &addr, &len, d, sizeof(d)), -1);    /* no ':' */
	CU_ASSERT_EQUAL(gdbpkt_parse_M("40000000,5:0011223344", &addr, &len, d, sizeof(d)), -2);
	CU_ASSERT_EQUAL(gdbpkt_parse_M("40000000,0:", &addr, &len, d, sizeof(d)), 0);
}

static const unsigned sizes[3] = { 8, 8, 4 };

static void test_parse_p_P_G(void)
{
	unsigned r = 99;
	uint64_t v = 0, vs[3] = { 0 };
	CU_ASSERT_EQUAL(gdbpkt_parse_p("20", &r), 0);
	CU_ASSERT_EQUAL(r, 0x20);
	CU_ASSERT_EQUAL(gdbpkt_parse_p("", &r), -1);
	CU_ASSERT_EQUAL(gdbpkt_parse_p("2g", &r), -1);
	CU_ASSERT_EQUAL(gdbpkt_parse_P("1=0807060504030201", sizes, 3, &r, &v), 0);
	CU_ASSERT_EQUAL(r, 1);
	CU_ASSERT_EQUAL(v, 0x0102030405060708ull);
	CU_ASSERT_EQUAL(gdbpkt_parse_P("2=78563412", sizes, 3, &r, &v), 0);
	CU_ASSERT_EQUAL(v, 0x12345678);
	CU_ASSERT_EQUAL(gdbpkt_parse_P("2=7856341200000000", sizes, 3, &r, &v), -1); /* long */
	CU_ASSERT_EQUAL(gdbpkt_parse_P("1=08070605", sizes, 3, &r, &v), -1);         /* short */
	CU_ASSERT_EQUAL(gdbpkt_parse_P("3=00000000", sizes, 3, &r, &v), -1);         /* no such reg */
	CU_ASSERT_EQUAL(gdbpkt_parse_P("1", sizes, 3, &r, &v), -1);
	const char *all = "0100000000000000" "0200000000000000" "03000000";
	CU_ASSERT_EQUAL(gdbpkt_parse_G(all, sizes, 3, vs), 0);
	CU_ASSERT_EQUAL(vs[0], 1);
	CU_ASSERT_EQUAL(vs[1], 2);
	CU_ASSERT_EQUAL(vs[2], 3);
	CU_ASSERT_EQUAL(gdbpkt_parse_G("0100000000000000" "0200000000000000", sizes, 3, vs), -1);
	CU_ASSERT_EQUAL(gdbpkt_parse_G("0100000000000000" "0200000000000000" "0300000000",
				       sizes, 3, vs), -1);
	CU_ASSERT_EQUAL(gdbpkt_parse_G("0100000000000000" "02000000000000x0" "03000000",
				       sizes, 3, vs), -1);
	CU_ASSERT_EQUAL(gdbpkt_parse_G("", sizes, 3, vs), -1);
}

/* ---- the stub on a socketpair ------------------------------------------- */

/* The child: one hello VM under the stub on fd; ends when the stub does. */
static void stub_child(int fd)
{
	alarm(20);
	struct mach_vm vm = { .name = "a", .program = "hello",
			      .program_path = "build/guests/hello.elf", .ram = MACH_DEFAULT_RAM };
	struct machine m = { .vms = &vm, .n_vms = 1, .irq_check = MACH_DEFAULT_IRQ_CHECK,
			     .limit_instructions = MACH_DEFAULT_LIMIT };
	struct schedule rr = { .policy = SCHED_RR, .quantum = 1000 };
	char err[256];
	profile_default(&m.profile);
	struct system *s = system_new(&m, &rr, err, sizeof(err));
	if (!s || system_debug(s, 0))
		_exit(3);
	gdb_session(&s, 0, fd);
	system_free(s);
	_exit(0);
}

static int write_all(int fd, const char *p)
{
	size_t n = strlen(p);
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);   /* a dead stub: fail, not SIGPIPE */
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Send bytes; then read what arrives until `want` bytes or 5 s pass. */
static const char *talk(int fd, const char *send, size_t want)
{
	static char got[8192];
	size_t n = 0;
	if (send && write_all(fd, send) != 0)
		return "(write failed)";
	while (n < want && n < sizeof(got) - 1) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, 5000) <= 0)
			break;
		ssize_t r = read(fd, got + n, sizeof(got) - 1 - n);
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	got[n] = 0;
	return got;
}

/* Frame a payload the way GDB would. */
static const char *pkt(const char *payload)
{
	static char out[GDBPKT_MAX + 16];
	gdbpkt_frame(payload, out, sizeof(out));
	return out;
}

static void test_stub_session(void)
{
	int sv[2];
	CU_ASSERT_FATAL(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	pid_t pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		close(sv[0]);
		stub_child(sv[1]);
	}
	close(sv[1]);
	int fd = sv[0];
	alarm(30);   /* a guard: a stuck stub ends the test run, never stalls it */

	/* A bad checksum is NAKed and nothing is served; the retransmit is. */
	CU_ASSERT_STRING_EQUAL(talk(fd, "$?#00", 1), "-");
	CU_ASSERT_STRING_EQUAL(talk(fd, pkt("?"), 17), "+$T05thread:1;#d7");
	/* A NAK of the reply gets the same reply again. */
	CU_ASSERT_STRING_EQUAL(talk(fd, "-", 16), "$T05thread:1;#d7");
	/* All registers: 33 of 8 bytes and cpsr of 4, in hex. */
	char regs[600];
	snprintf(regs, sizeof(regs), "%s", talk(fd, pkt("g"), 1 + 1 + 536 + 3));
	CU_ASSERT_EQUAL(strlen(regs), 1 + 1 + 536 + 3);
	/* G with short, long or non-hex data: E01 and no register changes. */
	char bad[600];
	snprintf(bad, sizeof(bad), "G%.*s", 530, regs + 2);
	CU_ASSERT_STRING_EQUAL(talk(fd, pkt(bad), 8), "+$E01#a6");
	snprintf(bad, sizeof(bad), "G%.*s00", 536, regs + 2);
	CU_ASSERT_STRING_EQUAL(talk(fd, pkt(bad), 8), "+$E01#a6");
	snprintf(bad, sizeof(bad), "G%.*s", 536, regs + 2);
	bad[5] = 'x';
	CU_ASSERT_STRING_EQUAL(talk(fd, pkt(bad), 8), "+$E01#a6");
	CU_ASSERT_STRING_EQUAL(talk(fd, pkt("g"), strlen(regs)), regs);
	/* The same data, exact, is taken. */
	snprintf(bad, sizeof(bad), "G%.*s", 536, regs + 2);
	CU_ASSERT_STRING_EQUAL(talk(fd, pkt(bad), 7), "+$OK#9a");
	/* P and M with data of the wrong length. */
	CU_ASSERT_STRING_EQUAL(talk(fd, pkt("P20=0010"), 8), "+$E01#a6");
	CU_ASSERT_STRING_EQUAL(talk(fd, pkt("P21=0000000000000000"), 8), "+$E01#a6");
	CU_ASSERT_STRING_EQUAL(talk(fd, pkt("M40000000,4:0000"), 8), "+$E01#a6");
	CU_ASSERT_STRING_EQUAL(talk(fd, pkt("M40000000,1:000000"), 8), "+$E01#a6");
	CU_ASSERT_STRING_EQUAL(talk(fd, pkt("m40000000,4"), 13), "+$00000090#89");
	/* Overlong, good checksum: refused whole with E02 (an M cut short
	 * would have written memory). */
	static char big[GDBPKT_MAX + 64];
	char *b = big + snprintf(big, sizeof(big), "M40000000,800:");
	memset(b, 'f', GDBPKT_MAX);
	b[GDBPKT_MAX] = 0;
	static char framed[GDBPKT_MAX + 128];
	uint8_t sum = 0;
	for (const char *c = big; *c; c++)
		sum += (uint8_t)*c;
	snprintf(framed, sizeof(framed), "$%s#%02x", big, sum);
	CU_ASSERT_STRING_EQUAL(talk(fd, framed, 8), "+$E02#a7");
	CU_ASSERT_STRING_EQUAL(talk(fd, pkt("m40000000,4"), 13), "+$00000090#89");
	/* kill: the stub ends. */
	talk(fd, pkt("k"), 1);
	close(fd);
	int status = 0;
	CU_ASSERT_EQUAL(waitpid(pid, &status, 0), pid);
	alarm(0);
	CU_ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* ^C during 'c': two VMs that spin; the stub pauses the system between
 * scheduling steps and says T02 on the debugged VM's thread; the run then
 * goes on and a second ^C stops it again, further on. */
static void spin_child(int fd)
{
	alarm(20);
	struct mach_vm vms[2] = {
		{ .name = "a", .program = "loop_forever",
		  .program_path = "build/guests/loop_forever.elf", .ram = MACH_DEFAULT_RAM },
		{ .name = "b", .program = "loop_forever",
		  .program_path = "build/guests/loop_forever.elf", .ram = MACH_DEFAULT_RAM },
	};
	struct machine m = { .vms = vms, .n_vms = 2, .irq_check = MACH_DEFAULT_IRQ_CHECK,
			     .limit_instructions = 1000000000000ull };
	struct schedule rr = { .policy = SCHED_RR, .quantum = 1000 };
	char err[256];
	profile_default(&m.profile);
	struct system *s = system_new(&m, &rr, err, sizeof(err));
	if (!s || system_debug(s, 0))
		_exit(3);
	gdb_session(&s, 0, fd);
	system_free(s);
	_exit(0);
}

/* The icount of thread `t` from qThreadExtraInfo (hex text). */
static unsigned long long icount_of(int fd, const char *t)
{
	char q[64], text[256] = "";
	snprintf(q, sizeof(q), "qThreadExtraInfo,%s", t);
	const char *r = talk(fd, pkt(q), 40);
	const char *h = strchr(r, '$');
	size_t k = 0;
	for (h = h ? h + 1 : ""; h[0] && h[0] != '#' && h[1] && k < sizeof(text) - 1; h += 2) {
		unsigned c;
		if (sscanf(h, "%2x", &c) != 1)
			break;
		text[k++] = (char)c;
	}
	text[k] = 0;
	const char *ic = strstr(text, "icount ");
	return ic ? strtoull(ic + 7, NULL, 10) : 0;
}

static void test_stub_interrupt(void)
{
	int sv[2];
	CU_ASSERT_FATAL(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	pid_t pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		close(sv[0]);
		spin_child(sv[1]);
	}
	close(sv[1]);
	int fd = sv[0];
	alarm(30);
	unsigned long long before = 0;
	for (int round = 0; round < 2; round++) {
		CU_ASSERT_STRING_EQUAL(talk(fd, pkt("c"), 1), "+");
		/* running: nothing comes back until the ^C */
		CU_ASSERT_STRING_EQUAL(talk(fd, NULL, 0), "");
		struct pollfd p = { .fd = fd, .events = POLLIN };
		CU_ASSERT_EQUAL(poll(&p, 1, 200), 0);
		CU_ASSERT_STRING_EQUAL(talk(fd, "\x03", 17), "$T02thread:1;#d4");
		talk(fd, "+", 0);
		unsigned long long now = icount_of(fd, "1");
		CU_ASSERT_TRUE(now > before);
		before = now;
	}
	talk(fd, pkt("k"), 1);
	close(fd);
	int status = 0;
	CU_ASSERT_EQUAL(waitpid(pid, &status, 0), pid);
	alarm(0);
	CU_ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static CU_TestInfo gdbstub_tests[] = {
	{ "the stub: ^C during continue stops the system (T02)", test_stub_interrupt },
	{ "packets with good checksums", test_good_packets },
	{ "bad checksum: refused, the retransmit is taken", test_bad_checksum_then_retransmit },
	{ "acks, NAKs, ^C and noise between packets", test_between_packets },
	{ "overlong packets refused whole", test_overlong },
	{ "framing replies", test_frame },
	{ "m/M: exact data length, E02 size", test_parse_m_M },
	{ "p/P/G: exact register data", test_parse_p_P_G },
	{ "the stub: NAK, resend, G/P/M lengths, overlong", test_stub_session },
	CU_TEST_INFO_NULL,
};
UNIT_SUITE("gdbstub", gdbstub_tests);
