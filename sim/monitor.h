/* monitor.h - the simulator's state in words for both debuggers: GDB's
 * `monitor CMD` and the prompt's own commands. Read only: nothing here
 * changes the run; device registers are read through their side-effect-free
 * peeks. */
#ifndef HVSIM_MONITOR_H
#define HVSIM_MONITOR_H

#include <stdio.h>
#include <stddef.h>
#include <stdint.h>

struct system;
struct vm;

/* Run one command line against the system; `dbg` is the debugged VM,
 * `view` the one whose addresses `peek` uses. 0, or -1 for an unknown
 * command (the list of commands is written instead). */
int monitor_command(struct system *s, int dbg, int view, const char *line, FILE *out);
/* "vm b (debugged): runnable at pc 0x40001000, icount 1301". */
const char *monitor_vm_words(struct system *s, int vm, int dbg, char *buf, size_t n);
/* N words at addr as VM v sees them, device registers marked as such. */
void monitor_show_mem(struct vm *v, uint64_t addr, unsigned words, FILE *out);

#endif
