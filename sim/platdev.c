/* platdev.c - the platform's own devices (CONTRACT 2): the PL011 UART console
 * and the test device. */
#include <stdlib.h>
#include <string.h>
#include "system_int.h"

/* ---- PL011 UART: DR (0x00) appends a byte; FR (0x18) reads 0 ------------ */

#define UART_DR 0x00
#define UART_CONSOLE_MAX (1u << 20)   /* keep the first MiB of a chatty guest */

static void console_line(struct slot *sl, size_t end)
{
	size_t n = end - sl->line_start;
	char *text = malloc(n + 1);
	if (!text)
		return;
	memcpy(text, sl->console + sl->line_start, n);
	text[n] = 0;
	struct ev e = { .kind = EV_CONSOLE, .text = text };
	sys_emit(sl->sys, sl->index, &e);
	free(text);
}

void uart_flush(struct slot *sl)
{
	if (sl->con_len > sl->line_start)
		console_line(sl, sl->con_len);
	sl->line_start = sl->con_len;
}

static void uart_putc(struct slot *sl, uint8_t c)
{
	if (sl->con_len + 1 >= UART_CONSOLE_MAX)
		return;
	if (sl->con_len + 2 > sl->con_cap) {
		size_t cap = sl->con_cap ? sl->con_cap * 2 : 256;
		char *n = realloc(sl->console, cap);
		if (!n)
			return;
		sl->console = n;
		sl->con_cap = cap;
	}
	sl->console[sl->con_len++] = (char)c;
	sl->console[sl->con_len] = 0;
	if (c == '\n') {
		console_line(sl, sl->con_len - 1);
		sl->line_start = sl->con_len;
	}
}

static void uart_read(void *opaque, uint64_t off, unsigned len, uint8_t *out)
{
	memset(out, 0, len);   /* FR = 0: never busy; DR reads nothing */
}

static void uart_write(void *opaque, uint64_t off, unsigned len, const uint8_t *data)
{
	if (off == UART_DR)
		uart_putc(opaque, data[0]);
}

const struct mmio_ops uart_ops = { .read = uart_read, .write = uart_write };

/* ---- test device ------------------------------------------------------- */

#define FAILS_KEPT 16384

enum {
	TD_EXIT = 0x00, TD_MARK = 0x04, TD_FAIL = 0x08, TD_VMID = 0x0C, TD_NVMS = 0x10,
	TD_ARGC = 0x14, TD_ARGSEL = 0x18, TD_ARG_LO = 0x1C, TD_ARG_HI = 0x20,
	TD_CLOCK = 0x24, TD_YIELD = 0x28,
};

static uint32_t testdev_reg(struct slot *sl, uint64_t off)
{
	uint64_t arg = sl->argsel < (uint32_t)sl->cfg->n_args ? sl->arg_vals[sl->argsel] : 0;
	switch (off) {
	case TD_VMID:   return (uint32_t)sl->index;
	case TD_NVMS:   return (uint32_t)sl->sys->n;
	case TD_ARGC:   return (uint32_t)sl->cfg->n_args;
	case TD_ARGSEL: return sl->argsel;
	case TD_ARG_LO: return (uint32_t)arg;
	case TD_ARG_HI: return (uint32_t)(arg >> 32);
	case TD_CLOCK:  return (uint32_t)vm_icount(sl->vm);   /* retired before this load */
	default:        return 0;
	}
}

static void testdev_read(void *opaque, uint64_t off, unsigned len, uint8_t *out)
{
	for (unsigned i = 0; i < len; i += 4) {
		uint32_t v = testdev_reg(opaque, (off + i) & ~3ull);
		for (unsigned b = 0; b < 4 && i + b < len; b++)
			out[i + b] = (uint8_t)(v >> (8 * (((off + i) & 3) + b)));
	}
}

static void testdev_write(void *opaque, uint64_t off, unsigned len, const uint8_t *data)
{
	struct slot *sl = opaque;
	for (unsigned i = 0; i + 4 <= len || (i == 0 && len < 4); i += 4) {
		uint64_t reg = off + i;
		int64_t v = (int32_t)le_get(data + i, len < 4 ? len : 4);
		switch (reg) {
		case TD_EXIT:
			vm_stop(sl->vm, true, v, NULL);
			return;
		case TD_MARK: {
			struct ev e = { .kind = EV_MARK, .code = v };
			sys_emit(sl->sys, sl->index, &e);
			sys_mark(sl->sys, sl, v);
			break;
		}
		case TD_FAIL: {
			/* The first FAILS_KEPT ids are kept for `fails` expectations; a
			 * guest failing in a loop must not eat the host. */
			if (sl->n_fails < FAILS_KEPT && (sl->n_fails & (sl->n_fails - 1)) == 0) {
				int64_t *n = realloc(sl->fails, (sl->n_fails ? 2 * sl->n_fails : 1) * sizeof(*n));
				if (n)
					sl->fails = n;
			}
			if (sl->n_fails < FAILS_KEPT && sl->fails)
				sl->fails[sl->n_fails++] = v;
			struct ev e = { .kind = EV_FAIL, .code = v };
			sys_emit(sl->sys, sl->index, &e);
			break;
		}
		case TD_ARGSEL:
			sl->argsel = (uint32_t)v;
			break;
		case TD_YIELD:
			vm_request_stop(sl->vm, VMX_YIELD);   /* GIC-8 scheduling point */
			break;
		default:
			break;
		}
		if (len < 4)
			break;
	}
}

const struct mmio_ops testdev_ops = { .read = testdev_read, .write = testdev_write };
