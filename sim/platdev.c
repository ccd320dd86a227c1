/* platdev.c - the platform's own devices (CONTRACT 2): the PL011 UART console
 * and the test device. Each reaches the machine through its struct plat and,
 * for the test device, its VM. */
#include <stdlib.h>
#include <string.h>
#include "platdev.h"

/* ---- PL011 UART: DR (0x00) appends a byte; FR (0x18) reads 0 ------------ */

#define UART_DR 0x00
#define UART_CONSOLE_MAX (1u << 20)   /* keep the first MiB of a chatty guest */

static void console_line(struct uart *u, size_t end)
{
	size_t n = end - u->line_start;
	char *text = malloc(n + 1);
	if (!text)
		return;
	memcpy(text, u->console + u->line_start, n);
	text[n] = 0;
	struct ev e = { .kind = EV_CONSOLE, .text = text };
	u->plat->emit(u->plat->ctx, &e);
	free(text);
}

void uart_flush(struct uart *u)
{
	if (u->len > u->line_start)
		console_line(u, u->len);
	u->line_start = u->len;
}

void uart_free(struct uart *u)
{
	free(u->console);
	u->console = NULL;
}

static void uart_putc(struct uart *u, uint8_t c)
{
	if (u->len + 1 >= UART_CONSOLE_MAX)
		return;
	if (u->len + 2 > u->cap) {
		size_t cap = u->cap ? u->cap * 2 : 256;
		char *n = realloc(u->console, cap);
		if (!n)
			return;
		u->console = n;
		u->cap = cap;
	}
	u->console[u->len++] = (char)c;
	u->console[u->len] = 0;
	if (c == '\n') {
		console_line(u, u->len - 1);
		u->line_start = u->len;
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

enum {
	TD_EXIT = 0x00, TD_MARK = 0x04, TD_FAIL = 0x08, TD_VMID = 0x0C, TD_NVMS = 0x10,
	TD_ARGC = 0x14, TD_ARGSEL = 0x18, TD_ARG_LO = 0x1C, TD_ARG_HI = 0x20,
	TD_CLOCK = 0x24, TD_YIELD = 0x28,
};

void testdev_free(struct testdev *t)
{
	free(t->args);
	free(t->fails);
	t->args = NULL;
	t->fails = NULL;
}

static uint32_t testdev_reg(struct testdev *t, uint64_t off)
{
	uint64_t arg = t->argsel < t->n_args ? t->args[t->argsel] : 0;
	switch (off) {
	case TD_VMID:   return t->vmid;
	case TD_NVMS:   return t->nvms;
	case TD_ARGC:   return t->n_args;
	case TD_ARGSEL: return t->argsel;
	case TD_ARG_LO: return (uint32_t)arg;
	case TD_ARG_HI: return (uint32_t)(arg >> 32);
	case TD_CLOCK:  return (uint32_t)vm_icount(t->vm);   /* retired before this load */
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
	struct testdev *t = opaque;
	for (unsigned i = 0; i + 4 <= len || (i == 0 && len < 4); i += 4) {
		uint64_t reg = off + i;
		int64_t v = (int32_t)le_get(data + i, len < 4 ? len : 4);
		switch (reg) {
		case TD_EXIT:
			vm_stop(t->vm, true, v, NULL);
			return;
		case TD_MARK: {
			struct ev e = { .kind = EV_MARK, .code = v };
			t->plat->emit(t->plat->ctx, &e);
			if (t->on_mark)
				t->on_mark(t->mark_ctx, v);
			break;
		}
		case TD_FAIL: {
			/* The first FAILS_KEPT ids are kept for `fails` expectations; a
			 * guest failing in a loop must not eat the host. */
			if (t->n_fails < FAILS_KEPT && (t->n_fails & (t->n_fails - 1)) == 0) {
				int64_t *n = realloc(t->fails, (t->n_fails ? 2 * t->n_fails : 1) * sizeof(*n));
				if (n)
					t->fails = n;
			}
			if (t->n_fails < FAILS_KEPT && t->fails)
				t->fails[t->n_fails++] = v;
			struct ev e = { .kind = EV_FAIL, .code = v };
			t->plat->emit(t->plat->ctx, &e);
			break;
		}
		case TD_ARGSEL:
			t->argsel = (uint32_t)v;
			break;
		case TD_YIELD:
			vm_request_stop(t->vm, VMX_YIELD);   /* GIC-8 scheduling point */
			break;
		default:
			break;
		}
		if (len < 4)
			break;
	}
}

const struct mmio_ops testdev_ops = { .read = testdev_read, .write = testdev_write };
