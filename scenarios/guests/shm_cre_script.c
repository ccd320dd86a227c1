/* shm_cre_script.c - a shmem client driven by a script in its args (SPEC
 * sections 1, 2, 3, 9): one guest serves the CRE, NAM and ACL scenarios.
 *
 * arg0: the device instances, comma separated, in the order of the VM's
 *   `shmem` list: "0xADDR" = a `loc` instance at ADDR, "pN" = the N-th shmem
 *   function on the PCI bus (probed with the runtime's driver: BAR sizing,
 *   Command = all ones). Instance 0 is selected at start.
 * arg1..: one operation each, tokens separated by spaces:
 *   c NAME PAGES ST [opts]  name (byte stores) then one 32-bit store of PAGES
 *                           to `size` (CRE-1): expect status ST
 *   f NAME K ST [opts]      name then one 32-bit store of K to `find` (CRE-7)
 *   i K                     select instance K
 *   d S                     detach the connection in slot S (DET-1)
 *   w S OFF VAL             32-bit store of VAL at data offset OFF of slot S
 *   r S OFF VAL             32-bit load at data offset OFF of slot S == VAL
 *   z S                     first and last word of slot S's data read 0
 *   wait S OFF VAL          yield until the data word at OFF of slot S == VAL
 *                           (w is a store-release, r, z and wait load-acquire:
 *                           words handed between VMs, docs/races.md)
 *   rd ADDR                 32-bit load of ADDR (a fault scenario's last op)
 *   v VEC                   the selected instance's `vector` reads VEC
 *   y                       yield (test device YIELD)
 *   m V                     mark V
 *   xN OP...                the op N times (slots taken one after another)
 * NAME: bytes, with %HH for any byte; "-" is the empty name. A name of 32 or
 *   more bytes is written as its first 32 bytes without a NUL; a shorter one
 *   is followed by a NUL.
 * ST: a number or OK, UNKNOWN_FAILURE, NOMEM, CLIENT_MAX, ILLEGAL_NAME,
 *   NO_PERMISSION, DOES_NOT_EXIST.
 * opts (checked after the request, FAC-6: the very next loads):
 *   sz=N    `size` reads N          sh=ADDR  `shmem` reads ADDR
 *   idx=N   the new connection's control page reads idx N
 *   s=S     keep the connection in slot S (default: the next unused slot)
 *   keep    on failure: `shmem` and `size` read what they read before the
 *           request (failure_regs unchanged)
 *   zero    on failure: `shmem` and `size` read 0 (failure_regs zeroed)
 *
 * Every request also checks FAC-4: the 32 bytes of `name` read back (8-bit
 * loads) exactly as the guest wrote them.
 *
 * FAIL ids: 16 * (arg index of the op) + check:
 *   1 status  2 size  3 shmem  4 idx  5 data  6 name readback (FAC-4)
 *   7 data not zero  8 bad op / unknown slot  9 probe of a device failed
 *   10 vector
 *   (arg index 0: the device list).
 * Console: one line per op, e.g. "op3 c moo 4 -> OK size=4 shmem=0x1800000000 idx=0".
 * Exit 0 at the end of the script.
 */
#include "hv.h"
#include "shmem.h"

#define MAX_DEV   8
#define MAX_SLOT  64

static struct shm_dev devs[MAX_DEV];
static int n_devs, cur;
static struct shm_conn slots[MAX_SLOT];
static uint8_t shadow[MAX_DEV][SHM_NAME_MAX];   /* what we wrote into `name` */

static const char *const gss[] = {
	"OK", "UNKNOWN_FAILURE", "NOMEM", "CLIENT_MAX", "ILLEGAL_NAME", "NO_PERMISSION",
	"DOES_NOT_EXIST",
};

/* s starts with p (the runtime has no strncmp). */
static int starts(const char *s, const char *p)
{
	while (*p)
		if (*s++ != *p++)
			return 0;
	return 1;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

/* C-notation number: decimal or 0x hex. */
static int parse_num(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	if (!*s)
		return -1;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		if (!*s)
			return -1;
		for (; *s; s++) {
			int h = hexval(*s);
			if (h < 0)
				return -1;
			v = v << 4 | (uint64_t)h;
		}
	} else {
		for (; *s; s++) {
			if (*s < '0' || *s > '9')
				return -1;
			v = v * 10 + (uint64_t)(*s - '0');
		}
	}
	*out = v;
	return 0;
}

static int parse_status(const char *s, uint32_t *out)
{
	uint64_t v;
	for (uint32_t i = 0; i < sizeof(gss) / sizeof(gss[0]); i++)
		if (!strcmp(s, gss[i])) {
			*out = i;
			return 0;
		}
	if (parse_num(s, &v))
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static const char *gss_name(uint32_t st)
{
	return st < sizeof(gss) / sizeof(gss[0]) ? gss[st] : "?";
}

/* Split s (a copy) into at most max tokens. */
static int split(char *s, char **tok, int max)
{
	int n = 0;
	while (*s && n < max) {
		while (*s == ' ')
			s++;
		if (!*s)
			break;
		tok[n++] = s;
		while (*s && *s != ' ')
			s++;
		if (*s)
			*s++ = 0;
	}
	return n;
}

/* Decode a NAME token; returns its length in bytes. */
static int decode_name(const char *t, uint8_t *out, int max)
{
	int n = 0;
	if (!strcmp(t, "-"))
		return 0;
	while (*t && n < max) {
		if (t[0] == '%' && hexval(t[1]) >= 0 && hexval(t[2]) >= 0) {
			out[n++] = (uint8_t)(hexval(t[1]) << 4 | hexval(t[2]));
			t += 3;
		} else {
			out[n++] = (uint8_t)*t++;
		}
	}
	return n;
}

/* Byte stores into `name`, as a client copies it (FAC-3). */
static void write_name(const uint8_t *b, int n)
{
	uint64_t fac = devs[cur].fac;
	int w = n < SHM_NAME_MAX ? n : SHM_NAME_MAX;
	for (int i = 0; i < w; i++) {
		mmio_write8(fac + FAC_NAME + i, b[i]);
		shadow[cur][i] = b[i];
	}
	if (w < SHM_NAME_MAX) {
		mmio_write8(fac + FAC_NAME + w, 0);
		shadow[cur][w] = 0;
	}
}

static int name_readback_ok(void)
{
	uint64_t fac = devs[cur].fac;
	for (int i = 0; i < SHM_NAME_MAX; i++)
		if (mmio_read8(fac + FAC_NAME + i) != shadow[cur][i])
			return 0;
	return 1;
}

static int next_free_slot(void)
{
	for (int i = 0; i < MAX_SLOT; i++)
		if (!slots[i].ctl)
			return i;
	return -1;
}

static int probe_all(const char *spec)
{
	char buf[128];
	char *tok[MAX_DEV];
	strncpy(buf, spec, sizeof(buf) - 1);
	buf[sizeof(buf) - 1] = 0;
	/* commas to spaces */
	for (char *p = buf; *p; p++)
		if (*p == ',')
			*p = ' ';
	n_devs = split(buf, tok, MAX_DEV);
	for (int i = 0; i < n_devs; i++) {
		uint64_t v;
		int r;
		if (tok[i][0] == 'p' && !parse_num(tok[i] + 1, &v))
			r = shm_probe_pci(&devs[i], (int)v);
		else if (!parse_num(tok[i], &v))
			r = shm_probe_loc(&devs[i], v);
		else
			r = -1;
		if (!hv_check(r == 0, 9)) {
			printf("dev%d %s: probe failed\n", i, tok[i]);
			return -1;
		}
		printf("dev%d %s: fac=0x%lx vector=%u\n", i, tok[i], devs[i].fac, devs[i].vector);
	}
	return 0;
}

/* c / f: one request and its checks. */
static void request(uint32_t id, int find, char **tok, int n, int rep_slot)
{
	uint8_t name[64];
	uint64_t arg, v;
	uint32_t want;
	int nl, slot = rep_slot;
	uint64_t fac = devs[cur].fac;

	if (n < 4 || parse_num(tok[2], &arg) || parse_status(tok[3], &want)) {
		hv_fail(id + 8);
		printf("op%u: bad request\n", id / 16);
		return;
	}
	nl = decode_name(tok[1], name, (int)sizeof(name));
	uint64_t sh_before = mmio_read64(fac + FAC_SHMEM);
	uint32_t sz_before = mmio_read32(fac + FAC_SIZE);

	write_name(name, nl);
	mmio_write32(fac + (find ? FAC_FIND : FAC_SIZE), (uint32_t)arg);
	uint32_t st = mmio_read32(fac + FAC_STATUS);     /* FAC-6 */
	uint32_t sz = mmio_read32(fac + FAC_SIZE);
	uint64_t sh = mmio_read64(fac + FAC_SHMEM);
	uint32_t idx = st == GSS_OK ? mmio_read32(sh + CTL_IDX) : 0xFFFFFFFFu;

	if (st == GSS_OK)
		printf("op%u %s %s %lu -> OK size=%u shmem=0x%lx idx=%u\n", id / 16, tok[0], tok[1],
		       arg, sz, sh, idx);
	else
		printf("op%u %s %s %lu -> %s size=%u shmem=0x%lx\n", id / 16, tok[0], tok[1], arg,
		       gss_name(st), sz, sh);
	hv_check(st == want, id + 1);
	hv_check(name_readback_ok(), id + 6);

	for (int i = 4; i < n; i++) {
		const char *o = tok[i];
		if (starts(o, "sz=") && !parse_num(o + 3, &v)) {
			hv_check(sz == v, id + 2);
		} else if (starts(o, "sh=") && !parse_num(o + 3, &v)) {
			hv_check(sh == v, id + 3);
		} else if (starts(o, "idx=") && !parse_num(o + 4, &v)) {
			hv_check(idx == v, id + 4);
		} else if (starts(o, "s=") && !parse_num(o + 2, &v) && v < MAX_SLOT) {
			slot = (int)v;
		} else if (!strcmp(o, "keep")) {
			hv_check(sh == sh_before, id + 3);
			hv_check(sz == sz_before, id + 2);
		} else if (!strcmp(o, "zero")) {
			hv_check(sh == 0, id + 3);
			hv_check(sz == 0, id + 2);
		} else {
			hv_fail(id + 8);
			printf("op%u: bad option %s\n", id / 16, o);
		}
	}
	if (st == GSS_OK) {
		if (slot < 0)
			slot = next_free_slot();
		if (!hv_check(slot >= 0 && slot < MAX_SLOT, id + 8))
			return;
		slots[slot].ctl = sh;
		slots[slot].pages = sz;
		slots[slot].idx = idx;
	}
}

static struct shm_conn *slot_arg(uint32_t id, const char *t)
{
	uint64_t s;
	if (parse_num(t, &s) || s >= MAX_SLOT || !slots[s].ctl) {
		hv_fail(id + 8);
		printf("op%u: no connection in slot %s\n", id / 16, t);
		return 0;
	}
	return &slots[s];
}

static void run_op(uint32_t argi, const char *text)
{
	char buf[200];
	char *tok[12];
	uint32_t id = 16 * argi;
	uint64_t a, b;
	int reps = 1;

	strncpy(buf, text, sizeof(buf) - 1);
	buf[sizeof(buf) - 1] = 0;
	int n = split(buf, tok, 12);
	if (n && tok[0][0] == 'x' && tok[0][1] >= '0' && tok[0][1] <= '9') {
		if (parse_num(tok[0] + 1, &a)) {
			hv_fail(id + 8);
			return;
		}
		reps = (int)a;
		for (int i = 1; i < n; i++)
			tok[i - 1] = tok[i];
		n--;
	}
	if (!n) {
		hv_fail(id + 8);
		return;
	}
	for (int r = 0; r < reps; r++) {
		struct shm_conn *c;
		const char *op = tok[0];
		if (!strcmp(op, "c") || !strcmp(op, "f")) {
			request(id, op[0] == 'f', tok, n, -1);
		} else if (!strcmp(op, "i") && n == 2 && !parse_num(tok[1], &a) && a < (uint64_t)n_devs) {
			cur = (int)a;
			printf("op%u i %lu\n", argi, a);
		} else if (!strcmp(op, "d") && n == 2 && (c = slot_arg(id, tok[1]))) {
			printf("op%u d %s (idx %u at 0x%lx)\n", argi, tok[1], c->idx, c->ctl);
			shm_detach(c);
		} else if (!strcmp(op, "w") && n == 4 && (c = slot_arg(id, tok[1])) &&
			   !parse_num(tok[2], &a) && !parse_num(tok[3], &b)) {
			st_rel32(shm_data(c) + a, (uint32_t)b);
			printf("op%u w %s +0x%lx = 0x%lx\n", argi, tok[1], a, b);
		} else if (!strcmp(op, "r") && n == 4 && (c = slot_arg(id, tok[1])) &&
			   !parse_num(tok[2], &a) && !parse_num(tok[3], &b)) {
			uint32_t v = ld_acq32(shm_data(c) + a);
			printf("op%u r %s +0x%lx = 0x%x\n", argi, tok[1], a, v);
			hv_check(v == (uint32_t)b, id + 5);
		} else if (!strcmp(op, "z") && n == 2 && (c = slot_arg(id, tok[1]))) {
			volatile uint8_t *d = shm_data(c);
			uint64_t last = (uint64_t)c->pages * SHM_PAGE - 4;
			uint32_t v0 = c->pages ? ld_acq32(d) : 0;
			uint32_t v1 = c->pages ? ld_acq32(d + last) : 0;
			printf("op%u z %s: 0x%x 0x%x\n", argi, tok[1], v0, v1);
			hv_check(v0 == 0 && v1 == 0, id + 7);
		} else if (!strcmp(op, "wait") && n == 4 && (c = slot_arg(id, tok[1])) &&
			   !parse_num(tok[2], &a) && !parse_num(tok[3], &b)) {
			while (ld_acq32(shm_data(c) + a) != (uint32_t)b)
				hv_yield();
			printf("op%u wait %s +0x%lx == 0x%lx\n", argi, tok[1], a, b);
		} else if (!strcmp(op, "rd") && n == 2 && !parse_num(tok[1], &a)) {
			printf("op%u rd 0x%lx\n", argi, a);
			uint32_t v = mmio_read32(a);
			printf("op%u rd 0x%lx = 0x%x\n", argi, a, v);
		} else if (!strcmp(op, "v") && n == 2 && !parse_num(tok[1], &a)) {
			uint32_t v = mmio_read32(devs[cur].fac + FAC_VECTOR);
			printf("op%u v dev%d vector=%u\n", argi, cur, v);
			hv_check(v == a, id + 10);
		} else if (!strcmp(op, "y") && n == 1) {
			hv_yield();
		} else if (!strcmp(op, "m") && n == 2 && !parse_num(tok[1], &a)) {
			hv_mark((uint32_t)a);
		} else {
			hv_fail(id + 8);
			printf("op%u: bad op '%s'\n", argi, text);
			return;
		}
	}
}

int main(void)
{
	uint32_t argc = hv_argc();
	if (argc < 1 || probe_all(hv_arg_str(0)))
		return 1;
	for (uint32_t i = 1; i < argc; i++)
		run_op(i, hv_arg_str(i));
	printf("script done\n");
	return 0;
}
