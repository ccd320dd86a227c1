/* gdbstub.c - the GDB remote serial protocol for one VM (hvsim debug --gdb).
 *
 * Registers follow GDB's org.gnu.gdb.aarch64.core feature: x0..x30, sp, pc
 * (64-bit) and cpsr (32-bit), described to GDB by target.xml. Memory is the
 * VM's RAM and shared pages (device pages read as errors: a read there would
 * have side effects). Software breakpoints (Z0) and hardware ones (Z1) are the
 * VM's exact breakpoints; 's' runs one instruction of this VM while the other
 * VMs run as scheduled; 'c' runs to a breakpoint or the end of the VM.
 * Listens on 127.0.0.1 only.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "debug.h"
#include "system.h"
#include "vm.h"

#define PKT_MAX 4096

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
	struct system *s;
	int vmi;
	struct vm *vm;
	char buf[PKT_MAX + 1];
};

static const char hexd[] = "0123456789abcdef";

static int hexval(int c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

static int send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
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
	size_t n = strlen(data);
	char *pkt = malloc(n + 5);
	if (!pkt)
		return -1;
	unsigned sum = 0;
	pkt[0] = '$';
	for (size_t i = 0; i < n; i++)
		sum += (unsigned char)data[i];
	memcpy(pkt + 1, data, n);
	pkt[n + 1] = '#';
	pkt[n + 2] = hexd[(sum >> 4) & 15];
	pkt[n + 3] = hexd[sum & 15];
	int rc = send_all(g->fd, pkt, n + 4);
	free(pkt);
	return rc;
}

/* Read one packet into g->buf; acks it. Returns its length, -1 on EOF. */
static int read_packet(struct gdb *g)
{
	char c;
	for (;;) {
		ssize_t r = read(g->fd, &c, 1);
		if (r <= 0)
			return -1;
		if (c == '$')
			break;            /* '+', '-' and a stray ^C outside a run are ignored */
	}
	size_t n = 0;
	for (;;) {
		if (read(g->fd, &c, 1) <= 0)
			return -1;
		if (c == '#')
			break;
		if (n < PKT_MAX)
			g->buf[n++] = c;
	}
	char cs[2];
	if (read(g->fd, cs, 2) != 2)
		return -1;
	g->buf[n] = 0;
	send_all(g->fd, "+", 1);
	return (int)n;
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

static int get_le(const char *in, unsigned bytes, uint64_t *v)
{
	*v = 0;
	for (unsigned i = 0; i < bytes; i++) {
		int hi = hexval(in[2 * i]), lo = hi < 0 ? -1 : hexval(in[2 * i + 1]);
		if (lo < 0)
			return -1;
		*v |= (uint64_t)(hi << 4 | lo) << (8 * i);
	}
	return 0;
}

/* GDB register n: 0..30 x, 31 sp, 32 pc, 33 cpsr (vm_reg numbering). */
static unsigned reg_bytes(unsigned n) { return n == 33 ? 4 : 8; }

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
}

static void run(struct gdb *g, bool step, char *out, size_t n)
{
	if (!system_done(g->s) && vm_state(g->vm) != VM_STOPPED) {
		system_debug_step(g->s, step);
		system_resume(g->s);
		system_debug_step(g->s, false);
	}
	stop_reply(g, out, n);
}

static void handle_query(struct gdb *g, char *out, size_t n)
{
	const char *q = g->buf;
	unsigned long off, len;
	if (!strncmp(q, "qSupported", 10)) {
		snprintf(out, n, "PacketSize=%x;qXfer:features:read+", PKT_MAX);
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
		snprintf(out, n, "m1");
	} else if (!strcmp(q, "qsThreadInfo")) {
		snprintf(out, n, "l");
	} else if (!strcmp(q, "qC")) {
		snprintf(out, n, "QC1");
	} else {
		out[0] = 0;       /* unsupported: empty reply */
	}
}

static void handle_mem(struct gdb *g, bool write, char *out, size_t n)
{
	uint64_t addr, len;
	char *p = g->buf + 1, *end;
	addr = strtoull(p, &end, 16);
	if (*end != ',') {
		snprintf(out, n, "E01");
		return;
	}
	len = strtoull(end + 1, &end, 16);
	if (len > (PKT_MAX - 8) / 2) {
		snprintf(out, n, "E02");
		return;
	}
	uint8_t data[PKT_MAX / 2];
	if (!write) {
		if (vm_read_mem(g->vm, addr, data, len)) {
			snprintf(out, n, "E03");
			return;
		}
		for (uint64_t i = 0; i < len; i++)
			put_le(out + 2 * i, data[i], 1);
		out[2 * len] = 0;
		return;
	}
	if (*end != ':' || strlen(end + 1) < 2 * len) {
		snprintf(out, n, "E01");
		return;
	}
	for (uint64_t i = 0; i < len; i++) {
		uint64_t b;
		if (get_le(end + 1 + 2 * i, 1, &b)) {
			snprintf(out, n, "E01");
			return;
		}
		data[i] = (uint8_t)b;
	}
	snprintf(out, n, vm_write_mem(g->vm, addr, data, len) ? "E03" : "OK");
}

static void handle_break(struct gdb *g, bool add, char *out, size_t n)
{
	unsigned type;
	uint64_t addr;
	if (sscanf(g->buf + 1, "%u,%" SCNx64, &type, &addr) != 2 || type > 1) {
		out[0] = 0;      /* watchpoints are not supported */
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
				put_le(o, vm_reg(g->vm, r), reg_bytes(r));
				o += 2 * reg_bytes(r);
			}
			break;
		}
		case 'G': {
			const char *in = p + 1;
			for (unsigned r = 0; r <= 33 && strlen(in) >= 2 * reg_bytes(r); r++) {
				uint64_t v;
				if (get_le(in, reg_bytes(r), &v))
					break;
				vm_set_reg(g->vm, r, v);
				in += 2 * reg_bytes(r);
			}
			snprintf(out, sizeof(out), "OK");
			break;
		}
		case 'p': {
			unsigned r = (unsigned)strtoul(p + 1, NULL, 16);
			if (r > 33)
				snprintf(out, sizeof(out), "E01");
			else
				put_le(out, vm_reg(g->vm, r), reg_bytes(r));
			break;
		}
		case 'P': {
			char *eq = strchr(p, '=');
			unsigned r = (unsigned)strtoul(p + 1, NULL, 16);
			uint64_t v;
			if (!eq || r > 33 || get_le(eq + 1, reg_bytes(r), &v))
				snprintf(out, sizeof(out), "E01");
			else {
				vm_set_reg(g->vm, r, v);
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
		case 'H':
			snprintf(out, sizeof(out), "OK");
			break;
		case 'T':
			snprintf(out, sizeof(out), "OK");
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

int gdb_serve(struct system *s, int vm, int port, FILE *info, char *err, size_t errlen)
{
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
	struct gdb g = { .fd = fd, .s = s, .vmi = vm, .vm = system_vm(s, vm) };
	serve(&g);
	close(fd);
	return 0;
}
