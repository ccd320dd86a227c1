/* platdev.h - the platform's own devices (CONTRACT 2): the PL011 UART that
 * is a VM's console, and the test device (exit, marks, FAIL records, VM id,
 * args, clock, yield). Each instance belongs to one VM and reaches the
 * machine through that VM's struct plat. */
#ifndef HVSIM_PLATDEV_H
#define HVSIM_PLATDEV_H

#include <stddef.h>
#include <stdint.h>
#include "vm.h"

#define FAILS_KEPT 16384   /* FAIL ids kept for `fails` expectations */

struct uart {
	const struct plat *plat;     /* console lines are emitted through it */
	char *console; size_t len, cap, line_start;   /* the whole output, NUL-ended */
};
extern const struct mmio_ops uart_ops;        /* opaque = struct uart */
/* Emit a last line that has no newline (the VM stopped). */
void uart_flush(struct uart *u);
void uart_free(struct uart *u);

struct testdev {
	const struct plat *plat;     /* marks and FAIL records are emitted through it */
	struct vm *vm;               /* exit, yield and the clock register act on it */
	uint32_t vmid, nvms;
	uint64_t *args; uint32_t n_args;   /* ARG_LO/HI values (malloc'd, freed here) */
	uint32_t argsel;
	int64_t *fails; int n_fails;       /* the first FAILS_KEPT FAIL ids */
	/* Told of every mark after its event, so host steps can wait on it. */
	void (*on_mark)(void *ctx, int64_t value); void *mark_ctx;
};
extern const struct mmio_ops testdev_ops;     /* opaque = struct testdev */
void testdev_free(struct testdev *t);

#endif
