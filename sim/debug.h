/* debug.h - step-debugging one VM of a running system (hvsim debug): an
 * interactive prompt, or a GDB remote stub on 127.0.0.1. Other VMs run under
 * the scheduler as usual; only the debugged VM pauses. */
#ifndef HVSIM_DEBUG_H
#define HVSIM_DEBUG_H

#include <stdio.h>
#include <stddef.h>

struct system;

/* Read commands from `in` until quit or end of input ('help' lists them). */
int debug_prompt(struct system **sp, int vm, FILE *in, FILE *out);

/* Serve one GDB connection on 127.0.0.1:port until GDB detaches or kills.
 * `info` receives a line when listening. Returns 0, or -1 with a message. */
int gdb_serve(struct system **sp, int vm, int port, FILE *info, char *err, size_t errlen);
/* The same on a connected stream `fd` (left open). 0, or -1 out of memory.
 * Both take the system by reference: reverse execution (replay.h) replaces
 * it with a new one, which the caller then owns. */
int gdb_session(struct system **sp, int vm, int fd);

/* What stopped the debugged VM, in words ("breakpoint at 0x40001000 <main>"). */
void debug_stop_reason(struct system *s, int vm, char *buf, size_t n);

#endif
