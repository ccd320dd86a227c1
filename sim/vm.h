/* vm.h - one AArch64 VM: a Unicorn engine, its RAM, its MMIO bus and the CPU
 * glue (exact instruction counting, exception entry, WFI, traps, faults).
 * Unicorn lives here and nowhere else (ARCHITECTURE rule 4). */
#ifndef HVSIM_VM_H
#define HVSIM_VM_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include "vdev/devif.h"
#include "loader.h"

#define VM_RAM_BASE 0x40000000ull

enum vm_state { VM_RUNNABLE, VM_SLEEPING, VM_STOPPED };

/* Why vm_exec returned: a set of flags (several can happen at one stop). */
enum {
	VMX_WFI      = 1 << 0,  /* executed wfi with nothing to wake it */
	VMX_YIELD    = 1 << 1,  /* test device YIELD */
	VMX_POINT    = 1 << 2,  /* a GIC/shmem access (when stopping at points) */
	VMX_INTERNAL = 1 << 3,  /* the run loop has work: host step, IRQ, mapping */
	VMX_STOPPED  = 1 << 4,  /* exited or faulted: state is VM_STOPPED */
	VMX_DEBUG    = 1 << 5,  /* reached a debugger breakpoint (not executed) */
	VMX_WATCH    = 1 << 6,  /* an access hit a watchpoint (stopped at it) */
};

struct vm;

/* What the VM asks of the system it lives in (implemented by system.c). */
struct vm_env {
	void *ctx;
	void (*emit)(void *ctx, struct vm *vm, struct ev *e);
	/* Called at the end of every device access by the running VM. */
	void (*after_access)(void *ctx, struct vm *vm, bool sched_point);
	/* Optional: each device register access (explore's access tracking). */
	void (*on_device)(void *ctx, struct vm *vm, const struct mmio_ops *ops, uint64_t off,
			  unsigned len, bool is_store);
};

struct vm_fault {
	char kind[20];            /* CONTRACT 3 fault kinds */
	uint64_t addr, pc;
	bool write;               /* the faulting access was a store */
	char insn[96];            /* disassembly, with symbol */
};

struct vm *vm_new(int index, const char *name, uint64_t ram_size,
		  const struct vm_env *env, char *err, size_t errlen);
void vm_free(struct vm *vm);

/* Load an ELF, set PC to its entry, copy string args to the top of RAM and put
 * SP below them. args_addr[i] receives each string's guest address. */
int vm_load(struct vm *vm, const char *path, const char *const *strs, int n_strs,
	    uint64_t *str_addrs, char *err, size_t errlen);

/* Load raw code at RAM base (unit tests): PC = entry, SP = top of RAM. */
int vm_load_image(struct vm *vm, const void *code, size_t len, uint64_t entry);

/* Address space. While the VM runs (inside a device callback) the change is
 * queued and takes effect before its next instruction. */
int vm_map_mmio(struct vm *vm, uint64_t addr, uint64_t len, const char *dev,
		const struct mmio_ops *ops, void *opaque);
int vm_map_ram(struct vm *vm, uint64_t addr, uint64_t len, void *host);
void vm_unmap(struct vm *vm, uint64_t addr, uint64_t len);
bool vm_range_free(const struct vm *vm, uint64_t addr, uint64_t len);

/* Run at most `budget` instructions (> 0). Returns VMX_* flags; *ran gets the
 * exact number of instructions retired. */
unsigned vm_exec(struct vm *vm, uint64_t budget, uint64_t *ran);
/* Ask the running VM to stop after the current access (flags as above). */
void vm_request_stop(struct vm *vm, unsigned flags);

/* Exact retired-instruction count, also from inside a device callback (then it
 * counts the instructions before the accessing one: CONTRACT 2 CLOCK). */
uint64_t vm_icount(const struct vm *vm);
uint64_t vm_pc(const struct vm *vm);
bool vm_running(const struct vm *vm);
/* Quanta that ended inside a translated block and ran the block's remainder
 * on the VM's second engine (docs/engine.md; for tests and benches). */
uint64_t vm_crossings(const struct vm *vm);

/* Debugging: call vm_debug_enable before the first vm_exec (it adds a code
 * hook, so normal runs keep none). A breakpoint stops the VM before the
 * instruction at its address; the next vm_exec runs that instruction. */
int vm_debug_enable(struct vm *vm);
int vm_break_add(struct vm *vm, uint64_t addr);
int vm_break_remove(struct vm *vm, uint64_t addr);
int vm_break_get(const struct vm *vm, int i, uint64_t *addr);   /* -1 past the last */
/* The VM stands where a debugger stopped it (a replay's landing): a
 * breakpoint at its PC is passed once on resume, as after a breakpoint stop. */
void vm_debug_pass_here(struct vm *vm);
/* Watchpoints (GDB's Z2/Z3/Z4 numbering), on host memory: RAM or shared pages,
 * so a shared page is watched in every VM that maps it, wherever. addr is the
 * address as the debugger named it (reported back). vm_watch_set keeps the
 * array (the caller's, until the next call) and adds memory hooks bounded to
 * the ranges this VM maps, now and after every change of its map; none exist
 * while n is 0. An access stops the VM at its instruction, not executed
 * (VMX_WATCH), as AArch64 hardware does; the next vm_exec runs it without
 * stopping again. (The instruction runs, then is undone: registers and the
 * watched bytes it stored are restored; an exclusive store's monitor is not.) */
enum { VM_WATCH_WRITE = 2, VM_WATCH_READ = 3, VM_WATCH_ACCESS = 4 };
struct vm_watch { const uint8_t *host; uint64_t len; uint64_t addr; int type; };
struct vm_watch_hit {
	int type; bool write;
	uint64_t addr;            /* in the debugger's terms */
	uint64_t guest;           /* the address this VM accessed */
	uint64_t pc;              /* of the accessing instruction: the VM stops at it */
};
int vm_watch_set(struct vm *vm, const struct vm_watch *w, int n);
const struct vm_watch_hit *vm_watch_hit(const struct vm *vm);   /* NULL: none */
/* Host memory behind guest [addr, addr+len) (RAM or shared pages), or NULL. */
void *vm_host_ptr(const struct vm *vm, uint64_t addr, uint64_t len);
/* The device mapped at addr (its log name), or NULL for RAM or nothing. */
const char *vm_device_at(const struct vm *vm, uint64_t addr);
/* Where the device named dev (its log name) is mapped; false if nowhere. */
bool vm_device_base(const struct vm *vm, const char *dev, uint64_t *base);
/* Guest-physical memory write (RAM or shared pages); -1 if unmapped. */
int vm_write_mem(struct vm *vm, uint64_t addr, const void *buf, size_t len);

/* Race mode (docs/races.md): call before the first vm_exec. Every load and
 * store to a RAM-backed mapping (shared pages), now and after every change
 * of the map, calls `access` before it happens (host: the shared bytes;
 * value: what is stored, or what the load will read; insn: the word at pc);
 * every DMB/DSB of the loaded image calls `barrier` before it runs. A run
 * without it has no such hook at all. On a VM in race mode already (a warm
 * one, reset by vm_warm_reset: its hooks stay) it only changes the ops: the
 * caller gives each run's before that run's first vm_exec. */
struct vm_race_ops {
	void *ctx;
	void (*access)(void *ctx, struct vm *vm, const uint8_t *host, uint64_t addr,
		       unsigned len, bool write, uint64_t value, uint64_t pc, uint32_t insn);
	void (*barrier)(void *ctx, struct vm *vm, uint64_t pc, uint32_t insn);
};
int vm_race_enable(struct vm *vm, const struct vm_race_ops *ops);
bool vm_race_on(const struct vm *vm);

/* Warm reuse (snapshot.h): save the state right after loading, before any
 * mapping; reset to it later, keeping the engine and its translated code
 * (the mappings of the last run are parked: a device mapped again where it
 * was takes its mapping back, the others leave at the next vm_exec). Not
 * with a debugger. A VM saved in race mode stays in it (its hooks were
 * added before any translation); its ops are the caller's to renew
 * (vm_race_enable). Return 0, or -1. */
int vm_warm_save(struct vm *vm);
int vm_warm_reset(struct vm *vm, const struct vm_env *env);
void vm_warm_free(struct vm *vm);

/* Mid-run snapshots (explore's prefix snapshots, docs/explore.md): the CPU
 * context, the RAM, the VM's own run state (counts, state, pending fault,
 * exit) and its map, between two vm_exec calls. Restoring keeps the engine
 * and its translated code; mappings added since leave the engine, mappings
 * removed since come back (the device behind each, its opaque, must still
 * be alive: the caller's). Not with a debugger, race mode or watchpoints.
 * Only the VM: devices, GIC and shmem are the caller's. */
struct vm_snap;
struct vm_snap *vm_snap_take(struct vm *vm);             /* NULL: not possible */
int vm_snap_restore(struct vm *vm, const struct vm_snap *s);
/* Whether vm_snap_restore can restore it now (to restore several VMs all
 * or none): not inside vm_exec, no queued map operation, and no more than
 * 64 MiB of mappings to take out of the engine or put back (Unicorn unmaps
 * page by page: past that, re-running from the load is cheaper). */
bool vm_snap_fits(const struct vm *vm, const struct vm_snap *s);
void vm_snap_free(struct vm_snap *s);

/* CPU glue. */
bool vm_irqs_masked(struct vm *vm);             /* PSTATE.I */
void vm_take_irq(struct vm *vm);                /* GIC-5 entry: VBAR + 0x280/0x080 */
void vm_stop(struct vm *vm, bool exited, int64_t code, const struct vm_fault *f);

enum vm_state vm_state(const struct vm *vm);
void vm_set_state(struct vm *vm, enum vm_state s);
int vm_index(const struct vm *vm);
const char *vm_name(const struct vm *vm);
const struct elf_image *vm_image(const struct vm *vm);
uint64_t vm_ram_size(const struct vm *vm);
bool vm_exited(const struct vm *vm, int64_t *code);
const struct vm_fault *vm_fault(const struct vm *vm);   /* NULL if none */
void vm_set_fault_delivery(struct vm *vm, bool to_guest);   /* PLT-4 profile */

/* Disassemble the instruction at addr ("ldr w6, [x5]  <main+0x10>"). */
void vm_disasm(struct vm *vm, uint64_t addr, char *buf, size_t n);
/* Register access for the debugger and the report (n: 0..30 X, 31 SP, 32 PC, 33 PSTATE). */
uint64_t vm_reg(struct vm *vm, unsigned n);
void vm_set_reg(struct vm *vm, unsigned n, uint64_t v);
/* Guest-physical memory read through RAM, mapped shared pages, or device
 * registers that have a peek (no side effect); -1 if unmapped. */
int vm_read_mem(struct vm *vm, uint64_t addr, void *buf, size_t len);

#endif
