/* gdbstub.c - the GDB remote serial protocol for one VM (hvsim debug --gdb).
 *
 * Registers follow GDB's org.gnu.gdb.aarch64.core feature: x0..x30, sp, pc
 * (64-bit) and cpsr (32-bit), described to GDB by target.xml. Memory is the
 * VM's RAM and shared pages, and device registers through their side-effect-free
 * peek (read only). Software breakpoints (Z0) and hardware ones (Z1) are the
 * VM's exact breakpoints; watchpoints (Z2 write, Z3 read, Z4 access) watch RAM
 * or shared pages, a shared page in every VM that maps it: any VM's access
 * stops the system after the instruction, reported on that VM's thread
 * (T05thread:N;watch:ADDR;). 's' runs one instruction of this VM while the
 * other VMs run as scheduled; 'c' runs to a breakpoint or the end of the VM;
 * ^C during 'c' or 's' pauses the system between scheduling steps (T02).
 * Every VM is a thread (id = index + 1): `info threads` lists them, `thread N`
 * (Hg) shows another VM's registers and memory while the system is stopped;
 * stepping and breakpoints stay with the debugged VM. `monitor` (qRcmd) runs
 * monitor.c's commands: VMs, clock and schedule, events, shmem, GIC, peek,
 * verdict. 'bs'/'bc' go back (replay.c).
 * Listens on 127.0.0.1 only, with TCP_NODELAY (each reply is small and
 * awaited: Nagle's wait for the ACK of the '+' cost ~0.4 s a packet).
 * Packets are framed and checked by gdbpkt.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "debug.h"
#include "gdbpkt.h"
#include "monitor.h"
#include "replay.h"
#include "system.h"
#include "vm.h"

#define PKT_MAX GDBPKT_MAX
#define N_REGS  34              /* x0..x30, sp, pc, cpsr */

static const char target_xml[] =
	"<?xml version=\"1.0\"?><!DOCTYPE target SYSTEM \"gdb-target.dtd\">"
	"<target><architecture>aarch64</architecture>"
	"<feature name=\"org.gnu.gdb.aarch64.core\">"
	"<reg name=\"x0\" bitsize=\"64\"/><reg name=\"x1\" bitsize=\"64\"/>"
	"<reg name=\"x2\" bitsize=\"64\"/><reg name=\"x3\" bitsize=\"64\"/>"
	"<reg name=\"x4\" bitsize=\"64\"/><reg name=\"x5\" bitsize=\"64\"/>"
	"<reg name=\"x6\" bitsize=\"64\"/><reg name=\"x7\" bitsize=\"64\"/>"
	"<reg name=\"x8\" bitsize=\"64\"/><reg name=\"x9\" bitsize=\"64\"/>"
	"<reg name=\"x10\" bitsize=\"64\"/><reg name=\"x11\" bitsize=\"64\"/>"
	"<reg name=\"x12\" bitsize=\"64\"/><reg name=\"x13\" bitsize=\"64\"/>"
	"<reg name=\"x14\" bitsize=\"64\"/><reg name=\"x15\" bitsize=\"64\"/>"
	"<reg name=\"x16\" bitsize=\"64\"/><reg name=\"x17\" bitsize=\"64\"/>"
	"<reg name=\"x18\" bitsize=\"64\"/><reg name=\"x19\" bitsize=\"64\"/>"
	"<reg name=\"x20\" bitsize=\"64\"/><reg name=\"x21\" bitsize=\"64\"/>"
	"<reg name=\"x22\" bitsize=\"64\"/><reg name=\"x23\" bitsize=\"64\"/>"
	"<reg name=\"x24\" bitsize=\"64\"/><reg name=\"x25\" bitsize=\"64\"/>"
	"<reg name=\"x26\" bitsize=\"64\"/><reg name=\"x27\" bitsize=\"64\"/>"
	"<reg name=\"x28\" bitsize=\"64\"/><reg name=\"x29\" bitsize=\"64\"/>"
	"<reg name=\"x30\" bitsize=\"64\"/>"
	"<reg name=\"sp\" bitsize=\"64\" type=\"data_ptr\"/>"
	"<reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\"/>"
	"<reg name=\"cpsr\" bitsize=\"32\"/>"
	"</feature></target>";

struct gdb {
	int fd;
	struct system **sp;     /* the caller's: reverse execution replaces it */
	struct system *s;
	int vmi;
	struct vm *vm;          /* the debugged VM: steps and breakpoints */
	struct vm *view;        /* the thread Hg chose: registers and memory */
	struct vm *stepper;     /* the thread Hc chose: what 's' steps (NULL: Hg's) */
	struct gdbpkt rx;
	char *buf;                      /* = rx.buf: the packet being served */
	uint8_t in[512]; size_t in_at, in_len;   /* bytes read, not yet framed */
	char last[2 * PKT_MAX + 16];    /* the last reply, framed: resent on '-' */
	size_t last_len;
	unsigned polls;                 /* interrupt polls while running */
};

static const char hexd[] = "0123456789abcdef";

/* GDB register n: 0..30 x, 31 sp, 32 pc, 33 cpsr (vm_reg numbering). */
static const unsigned reg_size[N_REGS] = {
	8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
	8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 4,
};

static int send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);   /* GDB gone: an error, not SIGPIPE */
		if (w <= 0) {
			if (w < 0 && errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int reply(struct gdb *g, const char *data)
{
	g->last_len = gdbpkt_frame(data, g->last, sizeof(g->last));
	if (!g->last_len)
		g->last_len = gdbpkt_frame("E02", g->last, sizeof(g->last));
	return send_all(g->fd, g->last, g->last_len);
}

static int next_byte(struct gdb *g, uint8_t *c)
{
	while (g->in_at == g->in_len) {
		ssize_t r = read(g->fd, g->in, sizeof(g->in));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		g->in_at = 0;
		g->in_len = (size_t)r;
	}
	*c = g->in[g->in_at++];
	return 0;
}

/* Read one packet with a good checksum into g->buf and ack it. A bad
 * checksum is NAKed (GDB sends it again); an overlong packet is acked and
 * refused with E02, never run cut short. -1 on EOF. */
static int read_packet(struct gdb *g)
{
	uint8_t c;
	for (;;) {
		if (next_byte(g, &c))
			return -1;
		switch (gdbpkt_feed(&g->rx, c)) {
		case GDBPKT_PACKET:
			return send_all(g->fd, "+", 1);
		case GDBPKT_BADSUM:
			if (send_all(g->fd, "-", 1))
				return -1;
			break;
		case GDBPKT_TOOLONG:
			if (send_all(g->fd, "+", 1) || reply(g, "E02"))
				return -1;
			break;
		case GDBPKT_NAK:
			if (g->last_len && send_all(g->fd, g->last, g->last_len))
				return -1;
			break;
		default:
			break;            /* '+', and a stray ^C outside a run */
		}
	}
}

static void put_le(char *out, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++) {
		uint8_t b = (uint8_t)(v >> (8 * i));
		out[2 * i] = hexd[b >> 4];
		out[2 * i + 1] = hexd[b & 15];
	}
	out[2 * bytes] = 0;
}

static unsigned reg_bytes(unsigned n) { return reg_size[n]; }

/* The VM 's' runs: the one Hc named, or (Hc0, any) the general thread. */
static struct vm *stepping(const struct gdb *g)
{
	return g->stepper ? g->stepper : g->view;
}

/* After a reverse step or continue: where the replay landed. */
static void reverse_reply(struct gdb *g, const struct replay_stop *r, char *out, size_t n)
{
	g->view = system_vm(g->s, r->vm);
	if (r->what == REPLAY_BEGIN) {
		snprintf(out, n, "T05thread:%x;replaylog:begin;", (unsigned)r->vm + 1);
	} else if (r->what == REPLAY_WATCH) {
		static const char *const kind[] = { [VM_WATCH_WRITE] = "watch",
			[VM_WATCH_READ] = "rwatch", [VM_WATCH_ACCESS] = "awatch" };
		snprintf(out, n, "T05thread:%x;%s:%" PRIx64 ";", (unsigned)r->vm + 1,
			 kind[r->hit.type], r->hit.addr);
	} else {
		snprintf(out, n, "T05thread:%x;", (unsigned)r->vm + 1);
	}
}

/* 'bs' and 'bc': the whole system back, by replaying its history. */
static void run_back(struct gdb *g, bool step, char *out, size_t n)
{
	struct replay_stop r;
	char err[160];
	int vm = vm_index(stepping(g)), view = vm_index(g->view), stepper = g->stepper ? vm : -1;
	if (step ? replay_step_back(g->sp, vm, &r, err, sizeof(err))
		 : replay_continue_back(g->sp, &r, err, sizeof(err))) {
		snprintf(out, n, "E01");
		return;
	}
	g->s = *g->sp;
	g->vm = system_vm(g->s, g->vmi);
	g->stepper = stepper < 0 ? NULL : system_vm(g->s, stepper);
	g->view = system_vm(g->s, view);
	reverse_reply(g, &r, out, n);
}

static void stop_reply(struct gdb *g, char *out, size_t n)
{
	int64_t code;
	const struct vm_fault *f = vm_fault(g->vm);
	if (vm_exited(g->vm, &code))
		snprintf(out, n, "W%02x", (unsigned)(code & 0xff));
	else if (f && !strcmp(f->kind, "undefined"))
		snprintf(out, n, "S04");                 /* SIGILL */
	else if (f && (!strcmp(f->kind, "breakpoint") || !strcmp(f->kind, "limit") ||
		       !strcmp(f->kind, "deadlock")))
		snprintf(out, n, "S05");                 /* SIGTRAP */
	else if (f)
		snprintf(out, n, "S0b");                 /* SIGSEGV */
	else if (system_done(g->s))
		snprintf(out, n, "W00");
	else
		snprintf(out, n, "S05");
	const struct sys_stop *st = system_stop(g->s);
	if (out[0] != 'S')
		return;
	/* GDB takes the thread a stop names as the general thread (Hg). */
	g->view = system_vm(g->s, st->interrupted ? g->vmi : st->vm);
	if (st->watch) {
		/* the thread of the VM that made the access, PC after it */
		static const char *const kind[] = { [VM_WATCH_WRITE] = "watch",
			[VM_WATCH_READ] = "rwatch", [VM_WATCH_ACCESS] = "awatch" };
		snprintf(out, n, "T05thread:%x;%s:%" PRIx64 ";", (unsigned)st->vm + 1,
			 kind[st->hit.type], st->hit.addr);
	} else if (st->interrupted) {
		snprintf(out, n, "T02thread:%x;", (unsigned)g->vmi + 1);   /* SIGINT */
	} else {     /* the VM that stopped: T<sig>thread:<id>; */
		snprintf(out, n, "T%c%cthread:%x;", out[1], out[2], (unsigned)st->vm + 1);
	}
}

/* Between scheduling steps of 'c': has GDB sent ^C? Other bytes (none are
 * expected while the target runs) stay for the packet reader. */
static bool poll_interrupt(void *ctx)
{
	struct gdb *g = ctx;
	if (++g->polls % 4)
		return false;          /* a recv every 4 steps: a quantum costs ~10-100 us */
	for (size_t i = g->in_at; i < g->in_len; i++)
		if (g->in[i] == 0x03) {
			memmove(g->in + i, g->in + i + 1, g->in_len - i - 1);
			g->in_len--;
			return true;
		}
	if (g->in_at == g->in_len) {
		ssize_t r = recv(g->fd, g->in, sizeof(g->in), MSG_DONTWAIT);
		if (r <= 0)
			return false;
		g->in_at = 0;
		g->in_len = (size_t)r;
		for (size_t i = 0; i < g->in_len; i++)
			if (g->in[i] == 0x03) {
				memmove(g->in + i, g->in + i + 1, g->in_len - i - 1);
				g->in_len--;
				return true;
			}
	}
	return false;
}

static void run(struct gdb *g, bool step, char *out, size_t n)
{
	struct vm *runs = step ? stepping(g) : g->vm;
	if (!system_done(g->s) && vm_state(runs) != VM_STOPPED) {
		system_debug_step_vm(g->s, vm_index(runs));
		system_debug_step(g->s, step);
		system_set_interrupt(g->s, poll_interrupt, g);   /* a step can wait long for a sleeping VM */
		g->polls = 0;
		system_resume(g->s);
		system_set_interrupt(g->s, NULL, NULL);
		system_debug_step(g->s, false);
	}
	stop_reply(g, out, n);
}

/* ---- threads (one per VM) and monitor commands ----------------------------- */

/* The VM of a thread id (hex; 0 or -1: the debugged one), or NULL. */
static struct vm *thread_vm(const struct gdb *g, const char *id)
{
	if (!strcmp(id, "0") || !strcmp(id, "-1") || !*id)
		return g->vm;
	char *end;
	unsigned long t = strtoul(id, &end, 16);
	if (*end || t < 1 || t > (unsigned long)system_n_vms(g->s))
		return NULL;
	return system_vm(g->s, (int)t - 1);
}

/* Text as the hex GDB expects in thread info and monitor replies. */
static void hex_text(char *out, size_t n, const char *text)
{
	size_t k = 0;
	for (const unsigned char *p = (const unsigned char *)text; *p && k + 3 < n; p++)
		k += snprintf(out + k, n - k, "%02x", *p);
	out[k] = 0;
}

/* qRcmd: the command's output goes out as 'O' packets (console output,
 * any length), then the reply OK. */
static void monitor(struct gdb *g, const char *hex, char *out, size_t n)
{
	char cmd[128];
	size_t len = strlen(hex) / 2;
	if (len >= sizeof(cmd) || strlen(hex) % 2) {
		snprintf(out, n, "E01");
		return;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned c;
		if (sscanf(hex + 2 * i, "%2x", &c) != 1) {
			snprintf(out, n, "E01");
			return;
		}
		cmd[i] = (char)c;
	}
	cmd[len] = 0;
	char *text = NULL;
	size_t tlen = 0;
	FILE *f = open_memstream(&text, &tlen);
	if (!f) {
		snprintf(out, n, "E01");
		return;
	}
	monitor_command(g->s, g->vmi, vm_index(g->view), cmd, f);
	fclose(f);
	enum { CHUNK = 1000 };
	for (size_t at = 0; text && at < tlen; at += CHUNK) {
		char part[CHUNK + 1];
		size_t k = tlen - at < CHUNK ? tlen - at : CHUNK;
		memcpy(part, text + at, k);
		part[k] = 0;
		out[0] = 'O';
		hex_text(out + 1, n - 1, part);
		if (reply(g, out))
			break;
	}
	free(text);
	snprintf(out, n, "OK");
}

static void handle_query(struct gdb *g, char *out, size_t n)
{
	const char *q = g->buf;
	unsigned long off, len;
	if (!strncmp(q, "qSupported", 10)) {
		snprintf(out, n, "PacketSize=%x;qXfer:features:read+;ReverseStep+;ReverseContinue+",
			 PKT_MAX);
	} else if (sscanf(q, "qXfer:features:read:target.xml:%lx,%lx", &off, &len) == 2) {
		size_t total = sizeof(target_xml) - 1;
		if (off >= total) {
			snprintf(out, n, "l");
		} else {
			size_t chunk = total - off < len ? total - off : len;
			if (chunk > n - 2)
				chunk = n - 2;
			out[0] = off + chunk < total ? 'm' : 'l';
			memcpy(out + 1, target_xml + off, chunk);
			out[1 + chunk] = 0;
		}
	} else if (!strcmp(q, "qAttached")) {
		snprintf(out, n, "1");
	} else if (!strcmp(q, "qfThreadInfo")) {
		size_t k = snprintf(out, n, "m");
		for (int i = 0; i < system_n_vms(g->s) && k + 12 < n; i++)
			k += snprintf(out + k, n - k, "%s%x", i ? "," : "", (unsigned)i + 1);
	} else if (!strcmp(q, "qsThreadInfo")) {
		snprintf(out, n, "l");
	} else if (!strcmp(q, "qC")) {
		snprintf(out, n, "QC%x", (unsigned)g->vmi + 1);
	} else if (!strncmp(q, "qThreadExtraInfo,", 17)) {
		struct vm *v = thread_vm(g, q + 17);
		char text[160];
		if (!v)
			snprintf(out, n, "E01");
		else
			hex_text(out, n, monitor_vm_words(g->s, vm_index(v), g->vmi, text, sizeof(text)));
	} else if (!strncmp(q, "qRcmd,", 6)) {
		monitor(g, q + 6, out, n);
	} else {
		out[0] = 0;       /* unsupported: empty reply */
	}
}

/* m ADDR,LEN and M ADDR,LEN:DATA. E01 malformed (DATA not exactly 2 * LEN
 * hex digits included), E02 too long for a reply, E03 no memory there. */
static void handle_mem(struct gdb *g, bool write, char *out, size_t n)
{
	enum { MEM_MAX = (PKT_MAX - 8) / 2 };
	uint64_t addr, len;
	uint8_t data[MEM_MAX];
	int bad = write ? gdbpkt_parse_M(g->buf + 1, &addr, &len, data, sizeof(data))
			: gdbpkt_parse_m(g->buf + 1, &addr, &len);
	if (bad == -1) {
		snprintf(out, n, "E01");
		return;
	}
	if (bad || len > MEM_MAX) {
		snprintf(out, n, "E02");
		return;
	}
	if (write) {
		snprintf(out, n, vm_write_mem(g->view, addr, data, len) ? "E03" : "OK");
		return;
	}
	if (vm_read_mem(g->view, addr, data, len)) {
		snprintf(out, n, "E03");
		return;
	}
	for (uint64_t i = 0; i < len; i++)
		put_le(out + 2 * i, data[i], 1);
	out[2 * len] = 0;
}

static void handle_break(struct gdb *g, bool add, char *out, size_t n)
{
	unsigned type;
	uint64_t addr, len = 0;
	int got = sscanf(g->buf + 1, "%u,%" SCNx64 ",%" SCNx64, &type, &addr, &len);
	if (got < 2 || type > 4) {
		out[0] = 0;      /* unknown kinds: unsupported */
		return;
	}
	if (type >= 2) {
		/* watchpoints, in the address space of the thread GDB chose */
		int rc = add ? system_watch_add(g->s, vm_index(g->view), (int)type, addr, len)
			     : system_watch_remove(g->s, (int)type, addr, len);
		snprintf(out, n, rc && add ? "E01" : "OK");
		return;
	}
	int rc = add ? vm_break_add(g->vm, addr) : vm_break_remove(g->vm, addr);
	snprintf(out, n, rc && add ? "E01" : "OK");
}

/* Serve packets until detach or kill. */
static void serve(struct gdb *g)
{
	static char out[2 * PKT_MAX + 8];
	for (;;) {
		if (read_packet(g) < 0)
			return;
		char *p = g->buf;
		out[0] = 0;
		switch (p[0]) {
		case '?':
			stop_reply(g, out, sizeof(out));
			break;
		case 'g': {
			char *o = out;
			for (unsigned r = 0; r <= 33; r++) {
				put_le(o, vm_reg(g->view, r), reg_bytes(r));
				o += 2 * reg_bytes(r);
			}
			break;
		}
		case 'G': {
			/* All registers or none: short, long or non-hex data is E01. */
			uint64_t v[N_REGS];
			if (gdbpkt_parse_G(p + 1, reg_size, N_REGS, v)) {
				snprintf(out, sizeof(out), "E01");
				break;
			}
			for (unsigned r = 0; r < N_REGS; r++)
				vm_set_reg(g->view, r, v[r]);
			snprintf(out, sizeof(out), "OK");
			break;
		}
		case 'p': {
			unsigned r;
			if (gdbpkt_parse_p(p + 1, &r) || r >= N_REGS)
				snprintf(out, sizeof(out), "E01");
			else
				put_le(out, vm_reg(g->view, r), reg_bytes(r));
			break;
		}
		case 'P': {
			unsigned r;
			uint64_t v;
			if (gdbpkt_parse_P(p + 1, reg_size, N_REGS, &r, &v)) {
				snprintf(out, sizeof(out), "E01");
			} else {
				vm_set_reg(g->view, r, v);
				snprintf(out, sizeof(out), "OK");
			}
			break;
		}
		case 'm': case 'M':
			handle_mem(g, p[0] == 'M', out, sizeof(out));
			break;
		case 'Z': case 'z':
			handle_break(g, p[0] == 'Z', out, sizeof(out));
			break;
		case 'c': case 's':
			run(g, p[0] == 's', out, sizeof(out));
			break;
		case 'b':
			if (p[1] == 's' || p[1] == 'c')
				run_back(g, p[1] == 's', out, sizeof(out));
			break;
		case 'H': {
			/* Hg: whose registers and memory; Hc: the system runs as one */
			struct vm *v = thread_vm(g, p + 2);
			if (!v)
				snprintf(out, sizeof(out), "E01");
			else {
				if (p[1] == 'g')
					g->view = v;
				else if (p[1] == 'c')   /* any thread: the general one steps */
					g->stepper = strcmp(p + 2, "0") && strcmp(p + 2, "-1") ? v : NULL;
				snprintf(out, sizeof(out), "OK");
			}
			break;
		}
		case 'T':
			snprintf(out, sizeof(out), thread_vm(g, p + 1) ? "OK" : "E01");
			break;
		case 'q':
			handle_query(g, out, sizeof(out));
			break;
		case 'D':
			reply(g, "OK");
			return;
		case 'k':
			return;
		default:
			break;            /* unsupported (vCont, ...): empty reply */
		}
		if (reply(g, out))
			return;
	}
}

int gdb_session(struct system **sp, int vm, int fd)
{
	struct gdb *g = calloc(1, sizeof(*g));
	if (!g)
		return -1;
	struct system *s = *sp;
	g->fd = fd;
	g->sp = sp;
	g->s = s;
	g->vmi = vm;
	g->vm = g->view = g->stepper = system_vm(s, vm);
	gdbpkt_init(&g->rx);
	g->buf = g->rx.buf;
	serve(g);
	free(g);
	return 0;
}

int gdb_serve(struct system **sp, int vm, int port, FILE *info, char *err, size_t errlen)
{
	struct system *s = *sp;
	int ls = socket(AF_INET, SOCK_STREAM, 0);
	if (ls < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	int one = 1;
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	if (bind(ls, (struct sockaddr *)&a, sizeof(a)) || listen(ls, 1)) {
		snprintf(err, errlen, "127.0.0.1:%d: %s", port, strerror(errno));
		close(ls);
		return -1;
	}
	if (info) {
		fprintf(info, "gdb stub for vm %s listening on 127.0.0.1:%d "
			"(gdb-multiarch -ex 'target remote :%d')\n", vm_name(system_vm(s, vm)), port, port);
		fflush(info);
	}
	int fd = accept(ls, NULL, NULL);
	close(ls);
	if (fd < 0) {
		snprintf(err, errlen, "accept: %s", strerror(errno));
		return -1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	int rc = gdb_session(sp, vm, fd);
	close(fd);
	if (rc)
		snprintf(err, errlen, "out of memory");
	return rc;
}
