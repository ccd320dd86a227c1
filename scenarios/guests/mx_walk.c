/* mx_walk.c - the access-matrix walker (issue 14): runs a table of device
 * accesses given as string arguments and checks each one. The tables are
 * written by tools/gen-matrix.py into the files of scenarios/matrix/; the generator
 * holds the model of each register, this guest only performs the accesses.
 *
 * args: one or more strings, each a list of operations separated by spaces:
 *   rW:ADDR=VAL   load W bytes (1, 2, 4, 8) at ADDR, expect VAL
 *   wW:ADDR=VAL   store the low W bytes of VAL at ADDR
 *   uW:ADDR       a load of W bytes at ADDR must fault `alignment`
 *   UW:ADDR=VAL   a store of W bytes at ADDR must fault `alignment`
 *   xW:ADDR       a load at ADDR must fault with a translation fault
 *                 (nothing mapped there)
 *   mVAL          test-device MARK VAL (a landmark for the event log)
 *   #TEXT         a label, printed when the next check fails
 * ADDR and VAL are hex without 0x. Faulting operations need profile
 * fault_delivery "guest": the sync handler records ESR and FAR and the
 * walker resumes after the faulting instruction.
 *
 * A failed check prints "mx FAIL op N (LABEL): TOKEN got=.. want=.." and
 * records FAIL N (the 1-based operation number over all args). At the end:
 * "mx done N ops F failed". Exit 0.
 */
#include "hv.h"

static volatile uint32_t n_sync;
static volatile uint64_t s_esr, s_far;

static void on_sync(uint64_t esr, uint64_t far, uint64_t elr)
{
	(void)elr;
	n_sync++;
	s_esr = esr;
	s_far = far;
}

static const char *hex(const char *p, uint64_t *v)
{
	uint64_t x = 0;
	for (;; p++) {
		char c = *p;
		if (c >= '0' && c <= '9')
			x = x << 4 | (uint64_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			x = x << 4 | (uint64_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			x = x << 4 | (uint64_t)(c - 'A' + 10);
		else
			break;
	}
	*v = x;
	return p;
}

static uint64_t load(unsigned w, uint64_t a)
{
	switch (w) {
	case 1: return mmio_read8(a);
	case 2: return mmio_read16(a);
	case 4: return mmio_read32(a);
	default: return mmio_read64(a);
	}
}

static void store(unsigned w, uint64_t a, uint64_t v)
{
	switch (w) {
	case 1: mmio_write8(a, (uint8_t)v); break;
	case 2: mmio_write16(a, (uint16_t)v); break;
	case 4: mmio_write32(a, (uint32_t)v); break;
	default: mmio_write64(a, v); break;
	}
}

static uint32_t n_ops, n_failed;
static char label[96];

static void failed(const char *tok, const char *end, uint64_t got, uint64_t want)
{
	n_failed++;
	printf("mx FAIL op %u (%s): %.*s got=0x%lx want=0x%lx\n", n_ops, label,
	       (int)(end - tok), tok, got, want);
	hv_fail(n_ops);
}

/* A faulting access: exactly one sync exception, EC 0x25 (data abort from
 * the current EL), FSC fsc, FAR = addr. */
static void check_fault(const char *tok, const char *end, uint32_t before, uint64_t addr,
			unsigned fsc)
{
	uint64_t esr = s_esr;
	if (n_sync != before + 1)
		failed(tok, end, n_sync - before, 1);
	else if ((esr >> 26) != 0x25 || (esr & 0x3F) != fsc)
		failed(tok, end, esr, 0x96000000u | fsc);
	else if (s_far != addr)
		failed(tok, end, s_far, addr);
}

static void run(const char *p)
{
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		const char *tok = p;
		char op = *p++;
		uint64_t w = 0, a = 0, v = 0;

		if (op == '#') {
			unsigned n = 0;
			while (*p && *p != ' ') {
				if (n + 1 < sizeof(label))
					label[n++] = *p == '_' ? ' ' : *p;
				p++;
			}
			label[n] = 0;
			continue;
		}
		n_ops++;
		if (op == 'm') {
			p = hex(p, &v);
			hv_mark((uint32_t)v);
			continue;
		}
		p = hex(p, &w);
		if (*p == ':')
			p = hex(p + 1, &a);
		if (*p == '=')
			p = hex(p + 1, &v);
		const char *end = p;
		while (*p && *p != ' ')
			p++;
		uint32_t before = n_sync;
		switch (op) {
		case 'r': {
			uint64_t got = load((unsigned)w, a);
			if (n_sync != before)
				failed(tok, end, s_esr, 0);
			else if (got != v)
				failed(tok, end, got, v);
			break;
		}
		case 'w':
			store((unsigned)w, a, v);
			if (n_sync != before)
				failed(tok, end, s_esr, 0);
			break;
		case 'u':
			(void)load((unsigned)w, a);
			check_fault(tok, end, before, a, 0x21);
			break;
		case 'U':
			store((unsigned)w, a, v);
			check_fault(tok, end, before, a, 0x21);
			break;
		case 'x':
			(void)load((unsigned)w, a);
			check_fault(tok, end, before, a, 0x04);
			break;
		default:
			failed(tok, end, (uint64_t)(unsigned char)op, 0);
			return;
		}
	}
}

int main(void)
{
	uint32_t argc = hv_argc();

	sync_register(on_sync);
	for (uint32_t i = 0; i < argc; i++)
		run(hv_arg_str(i));
	printf("mx done %u ops %u failed\n", n_ops, n_failed);
	return 0;
}
