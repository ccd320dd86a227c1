/* vm.c - one AArch64 VM on Unicorn 2.0.1.
 *
 * Exact instruction counts (ARCHITECTURE "hard parts"): Unicorn's count stops a
 * quantum exactly, but reports nothing when a run ends early. A block hook
 * adds each translated block's length at entry; at any stop the instructions
 * of the current block after PC are taken back. After every stop the two
 * counters are re-based on the committed count, so a block re-entered midway
 * is never counted twice.
 *
 * One instruction, one device access (FAC-3): Unicorn splits 64-bit and pair
 * accesses into 32-bit pieces (low first). The first piece decodes the
 * instruction at PC, checks alignment, and for loads reads the whole access
 * from the device; the last piece commits a store as one write. An
 * instruction that is not a plain load or store the decoder knows faults at
 * its first piece.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <capstone/capstone.h>
#include <unicorn/unicorn.h>
#include "insn.h"
#include "vdev/memsnap.h"
#include "vm.h"

#define UNTIL_NEVER     0xfffffffffffffffcull
#define PSTATE_I        (1u << 7)
#define PSTATE_DAIF     (0xfu << 6)
#define PSTATE_EL1H     0x5u
#define PSTATE_IL       (1u << 20)
#define PSTATE_SS       (1u << 21)

#define EXCP_UDEF 1
#define EXCP_SWI  2
#define EXCP_BKPT 7
#define EXCP_HVC  11

#define PSCI_SYSTEM_OFF 0x84000008ull

/* The kind of an access Device memory does not support (SPEC FAC-3): the
 * alignment fault hardware raises for DC ZVA to Device memory. */
#define FAULT_DEVICE_UNSUPPORTED "alignment"

struct mapping {
	struct vm *vm;
	uint64_t base, len;
	bool is_ram;
	bool live;            /* false once unmapped (removal may be queued) */
	bool zombie;          /* unmapped from a VM stopped for good: left in the engine */
	bool parked;          /* warm reuse: still in the engine, revived by the same map */
	char dev[24];
	const struct mmio_ops *ops;
	void *opaque;
	void *host;
};

enum map_op_kind { MAPOP_MAP, MAPOP_UNMAP };
struct map_op { enum map_op_kind kind; struct mapping *m; };

/* One scan of access_pc: from `lo` to the block's end `end`, for an access
 * kind and the hooked instruction last seen (`sync`), the candidate
 * instructions (offsets in words from lo). It stands while the code words are
 * those kept in w (compared at each use: code written since is scanned anew)
 * and the hooked ranges are those it was made with. kind 0: empty. */
#define SITE_WORDS 32
#define SITE_CANDS 8
struct site {
	uint64_t lo, end, sync;
	uint8_t kind, n;
	uint8_t cand[SITE_CANDS];
	uint32_t w[SITE_WORDS];
	struct ldst_form f;   /* n == 1: its candidate's form (its word is among w) */
};

/* A mapping as the remainder engine holds it (rem_sync). */
struct rmap {
	const struct mapping *m;
	uint64_t base, len;
	const void *host;
};

/* A crossing block the remainder engine translated: its start, length in
 * instructions and a sum of its words then (rem_code_check). */
struct rblk { uint64_t at, sum; uint64_t n; };

struct vm {
	int index;
	char *name;
	struct vm_env env;
	uc_engine *uc;          /* the VM's engine: its map, hooks and translations */
	uc_engine *cur;         /* the engine running now: uc, or rem during a remainder */
	uint8_t *ram;
	uint64_t ram_size;
	struct elf_image img;

	struct mapping **maps; int n_maps, cap_maps;
	struct map_op *ops; int n_ops, cap_ops;     /* queued while running */

	/* Exact counting. */
	uint64_t icount;        /* committed at the last stop */
	uint64_t pc;            /* next instruction, at the last stop */
	uint64_t blk_icount, blk_start, blk_end;
	bool running;

	/* Without Unicorn's count (docs/engine.md): the block hook stops at the
	 * start of the block that would cross `target`; callbacks find their
	 * instruction in the current block, from `cursor` on, helped by code
	 * hooks where the static analysis says they could mistake it. */
	bool counted;           /* runs with the count: debug, race, watch modes */
	bool fast_ready;        /* the code hooks of the analysis are in place */
	uint64_t target;        /* absolute icount this vm_exec stops at */
	/* What hook_block compares (hook_bounds): the budget and the analysed
	 * code without the count; with it nothing, so it needs no branch. */
	uint64_t blk_limit, hk_lo, hk_len;
	bool blk_stop;          /* the block hook stopped before blk_stop_pc */
	uint64_t blk_stop_pc, blk_stop_n;   /* (n: that block's instructions) */
	bool exact;             /* the engine running now has the count: PC exact */

	/* The crossing block's remainder (docs/engine.md) runs on a second
	 * engine kept in Unicorn's count mode, made once the VM has crossed
	 * REM_AFTER times: the same RAM by pointer, the same device mappings (rmaps, brought up to
	 * date when map_gen has moved), the CPU state moved by context copy. */
	uc_engine *rem;
	uc_context *mv;
	struct rmap *rmaps; int n_rmaps, cap_rmaps;
	uint64_t map_gen, rem_gen;          /* changes to uc's map; what rem holds */
	uint64_t rem_code_lo, rem_code_hi;  /* the range its write hook watches */
	uint64_t rem_wlo, rem_whi;          /* code a remainder wrote (uc drops it) */
	struct rblk rblk[32];
	uint64_t crossings;     /* remainders run on rem */
	uint64_t old_crossings; /* remainders run the old way (before rem is made) */
	uint64_t code_lo, code_hi;          /* the analysed code */
	struct insn_range *hr; int n_hr;    /* the hooked ranges */
	uc_hook *chooks; int n_chooks;
	/* Set with blk_icount as it was then, which grows at every block: a
	 * value from an earlier block reads as its reset (sync_now, cursor_now),
	 * so the block hook need not store them. */
	uint64_t sync_pc, sync_at;    /* the last hooked instruction entered in this block */
	uint64_t cursor, cursor_at;   /* this block's next access is at or after it */
	uint64_t bad_pc;        /* the instruction of an unmapped access */

	/* The access being assembled (one instruction). */
	struct {
		bool active;
		struct mapping *m;
		uint64_t pc, ea, icount_before;
		unsigned total, got;
		bool is_store;
		uint64_t value;    /* a load of one step, at most 8 bytes: buf's bytes, read once */
		_Alignas(16) uint8_t buf[32];   /* up to ldp/stp of two Q registers */
	} acc;
	/* The device-access event, reused: log_access sets the mmio fields and
	 * the emitter the common ones; the rest stay zero (calloc), so no access
	 * zeroes a whole record. */
	struct ev acc_ev;
	/* Decodes by PC and instruction word (decode_at): a device driver's few
	 * register accesses hit it every time. Zeroed, an entry is word 0 at
	 * PC 0, whose form is the zero one: correct as it stands. */
	struct dcache { uint64_t pc; uint32_t w; struct ldst_form f; } dcache[64];
	/* access_pc's scans, kept (struct site). Cleared when the hooked ranges
	 * change (fast_setup, fast_hooks_drop, vm_warm_reset). */
	struct site sites[16];

	/* Inside a device access the PC is known (read once by access_begin):
	 * every event the access emits reuses it instead of asking Unicorn. */
	bool in_access;

	/* Stop bookkeeping for the current uc_emu_start. */
	unsigned req;
	bool cb_stop;
	uint64_t stop_pc, stop_icount;
	int trap;               /* intno from the interrupt hook, -1 none */
	bool bad_access; int bad_type; uint64_t bad_addr;
	bool pending_fault; struct vm_fault pf;

	/* Debugger breakpoints (a code hook exists only in debug mode). */
	bool debug;
	uint64_t *bps; int n_bps;
	uint64_t resume_pc;     /* a breakpoint here is passed once on resume */
	uint64_t reported_pc;   /* where the last breakpoint stop was reported */
	bool bp_hit;

	/* Debugger watchpoints (memory hooks only while some exist): the
	 * system's list, in host memory; the hooks bounded to where this VM
	 * maps it; the first access that hit one in this vm_exec. */
	const struct vm_watch *watches; int n_watches;
	uc_hook *whooks; int n_whooks, cap_whooks;
	bool watch_hit;
	struct vm_watch_hit hit;
	/* To undo the accessing instruction (see hook_watch). */
	uint64_t hit_icount, exec_icount;
	uint64_t saved_x[32];                 /* x0..x30, sp */
	uint8_t saved_q[32][16];
	struct { uint8_t *host; unsigned len; uint8_t old[64]; } saved_mem[4];
	int n_saved_mem;
	uint64_t watch_pass_pc;   /* the undone instruction: not a hit again on resume */

	/* Race mode (vm_race_enable): memory hooks bounded to the RAM-backed
	 * mappings (shared pages), code hooks at the guest's barriers. */
	bool race;
	struct vm_race_ops race_ops;
	uc_hook *rhooks; int n_rhooks, cap_rhooks;
	struct mapping **rhook_map;   /* per race hook: its mapping (NULL: a barrier) */

	enum vm_state state;
	bool exited; int64_t exit_code;
	bool faulted; struct vm_fault fault;
	bool fault_to_guest;

	struct vm_warm *warm;   /* its state after loading, for reuse (snapshot.h) */
	int n_parked;
};

static csh capstone;
static bool capstone_ready;

/* ---- registers -------------------------------------------------------- */

static int xreg_id(unsigned n)
{
	if (n <= 28) return UC_ARM64_REG_X0 + n;
	if (n == 29) return UC_ARM64_REG_X29;
	if (n == 30) return UC_ARM64_REG_X30;
	return UC_ARM64_REG_SP;
}

static uint64_t rd(struct vm *vm, int id)
{
	uint64_t v = 0;
	uc_reg_read(vm->cur, id, &v);
	return v;
}

static void wr(struct vm *vm, int id, uint64_t v)
{
	uc_reg_write(vm->cur, id, &v);
}

static uint64_t cp_read(struct vm *vm, unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2)
{
	uc_arm64_cp_reg r = { .crn = crn, .crm = crm, .op0 = op0, .op1 = op1, .op2 = op2 };
	uc_reg_read(vm->cur, UC_ARM64_REG_CP_REG, &r);
	return r.val;
}

static void cp_write(struct vm *vm, unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2, uint64_t v)
{
	uc_arm64_cp_reg r = { .crn = crn, .crm = crm, .op0 = op0, .op1 = op1, .op2 = op2, .val = v };
	uc_reg_write(vm->cur, UC_ARM64_REG_CP_REG, &r);
}

#define SPSR_EL1(vm)      cp_read(vm, 3, 0, 4, 0, 0)
#define SET_SPSR_EL1(vm, v) cp_write(vm, 3, 0, 4, 0, 0, v)
#define SET_ELR_EL1(vm, v)  cp_write(vm, 3, 0, 4, 0, 1, v)
#define SET_ESR_EL1(vm, v)  cp_write(vm, 3, 0, 5, 2, 0, v)
#define SET_FAR_EL1(vm, v)  cp_write(vm, 3, 0, 6, 0, 0, v)
#define VBAR_EL1(vm)      cp_read(vm, 3, 0, 12, 0, 0)
#define SCTLR_EL1(vm)     cp_read(vm, 3, 0, 1, 0, 0)
#define TLBI_VMALLE1(vm)  cp_write(vm, 1, 0, 8, 7, 0, 0)   /* the engine's EL1&0 TLB */

uint64_t vm_reg(struct vm *vm, unsigned n)
{
	if (n == 32) return vm->running ? rd(vm, UC_ARM64_REG_PC) : vm->pc;
	if (n == 33) return rd(vm, UC_ARM64_REG_PSTATE);
	return rd(vm, xreg_id(n));
}

void vm_set_reg(struct vm *vm, unsigned n, uint64_t v)
{
	if (n == 32) { vm->pc = v; wr(vm, UC_ARM64_REG_PC, v); return; }
	if (n == 33) { wr(vm, UC_ARM64_REG_PSTATE, v); return; }
	wr(vm, xreg_id(n), v);
}

/* ---- counting --------------------------------------------------------- */

/* Every block of every run passes here: each store and test counts. */
static void hook_block(uc_engine *uc, uint64_t addr, uint32_t size, void *user)
{
	struct vm *vm = user;
	uint64_t n = size / 4;
	/* The block that would cross the budget, or code the analysis has not
	 * seen: stop before it (exact: it has not begun). Never with the count.
	 * (`|`, not `||`: the address test, which waits on no load of the
	 * count, is taken first; 3-5% on the ALU loop.) */
	bool stop = (vm->blk_icount + n > vm->blk_limit) | (addr - vm->hk_lo >= vm->hk_len);
	if (__builtin_expect(stop, 0)) {
		vm->blk_stop = true;
		vm->blk_stop_n = n;
		vm->blk_stop_pc = vm->blk_start = vm->blk_end = addr;
		uc_emu_stop(uc);
		return;
	}
	vm->blk_icount += n;
	vm->blk_start = addr;
	vm->blk_end = addr + size;
}

/* What hook_block compares: set at each run's start (vm_exec) and when the
 * mode changes inside a run; with the count, nothing stops a block. */
static void hook_bounds(struct vm *vm)
{
	vm->blk_limit = vm->exact ? UINT64_MAX : vm->target;
	vm->hk_lo = vm->exact ? 0 : vm->code_lo;
	vm->hk_len = vm->exact ? UINT64_MAX : vm->code_hi - vm->code_lo;
}

static void set_exact(struct vm *vm, bool exact)
{
	vm->exact = exact;
	hook_bounds(vm);
}

/* The last hooked PC and the cursor as of the current block (a value set
 * in an earlier block reads as none, and as the block's start). */
static inline uint64_t sync_now(const struct vm *vm)
{
	return vm->sync_at == vm->blk_icount ? vm->sync_pc : 0;
}

static inline uint64_t cursor_now(const struct vm *vm)
{
	return vm->cursor_at == vm->blk_icount ? vm->cursor : vm->blk_start;
}

static void set_cursor(struct vm *vm, uint64_t pc)
{
	vm->cursor = pc;
	vm->cursor_at = vm->blk_icount;
}

static inline void set_sync(struct vm *vm, uint64_t pc)
{
	vm->sync_pc = pc;
	vm->sync_at = vm->blk_icount;
}

static void hook_sync(uc_engine *uc, uint64_t addr, uint32_t size, void *user)
{
	(void)uc;
	(void)size;
	set_sync(user, addr);
}

static bool hooked(const struct vm *vm, uint64_t a)
{
	int lo = 0, hi = vm->n_hr;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (vm->hr[mid].hi < a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < vm->n_hr && vm->hr[lo].lo <= a;
}

static uint32_t ram_word(const struct vm *vm, uint64_t addr);
static void make_counted(struct vm *vm);
static void rem_close(struct vm *vm);

/* The form of word w at pc (insn_ldst_form), kept by PC and word. */
static const struct ldst_form *form_at(struct vm *vm, uint64_t pc, uint32_t w)
{
	struct dcache *c = &vm->dcache[(pc >> 2) % (sizeof(vm->dcache) / sizeof(vm->dcache[0]))];
	if (c->pc != pc || c->w != w) {
		c->f = insn_ldst_form(w);
		c->pc = pc;
		c->w = w;
	}
	return &c->f;
}

/* The address of form f at pc from the registers as they are now: the
 * registers it needs in one read (each uc_reg_read costs several ns). */
static uint64_t form_ea(struct vm *vm, const struct ldst_form *f, uint64_t pc)
{
	if (f->base == LDST_BASE_PC)
		return insn_ldst_ea_of(f, pc, 0, 0);
	bool rm = f->base == LDST_BASE_REG_RM && f->rm != 31;
	int ids[2] = { xreg_id(f->rn), rm ? xreg_id(f->rm) : 0 };
	uint64_t x[2] = { 0, 0 };
	void *vals[2] = { &x[0], &x[1] };
	uc_reg_read_batch(vm->cur, ids, vals, rm ? 2 : 1);
	return insn_ldst_ea_of(f, pc, x[0], x[1]);
}

/* insn_decode_ldst(w, pc, ...) with the word's form kept by PC and word. */
static struct ldst decode_at(struct vm *vm, uint64_t pc, uint32_t w)
{
	const struct ldst_form *f = form_at(vm, pc, w);
	struct ldst d = f->d;
	if (d.valid)
		d.ea = form_ea(vm, f, pc);
	return d;
}
static void fast_hooks_drop(struct vm *vm);

/* The instruction whose access (or unmapped access) of [addr, addr+size)
 * calls back now. With the count, Unicorn keeps the PC. Without it the PC is
 * the block's: the instruction is the first memory instruction of the
 * block, from the cursor on, of the access's kind, whose address (from the
 * registers as they are now, before its own writeback) takes in the access;
 * a hooked instruction only if it is the last one the code hook saw. The
 * analysis (insn_hook_ranges) hooks wherever an earlier one could match
 * without having been the one. */
static uint64_t access_scan(struct vm *vm, uint64_t lo, uint64_t addr, unsigned size, unsigned kind,
			    struct site *s, const uint32_t *code, bool kept)
{
	uint64_t cand[INSN_BLOCK_MAX];
	uint64_t sync = sync_now(vm);
	int n = 0;
	if (kept) {
		n = s->n;   /* kept: only the register test below is left */
		for (int i = 0; i < n; i++)
			cand[i] = lo + 4 * (uint64_t)s->cand[i];
	} else {
		for (uint64_t a = lo; a < vm->blk_end && n < INSN_BLOCK_MAX; a += 4) {
			if (!(insn_mem_kind(ram_word(vm, a)) & kind))
				continue;
			if (a != sync && vm->n_hr && hooked(vm, a))
				continue;
			cand[n++] = a;
		}
		if (code && n <= SITE_CANDS) {
			*s = (struct site){ .lo = lo, .end = vm->blk_end, .sync = sync,
					    .kind = (uint8_t)kind, .n = (uint8_t)n };
			for (int i = 0; i < n; i++)
				s->cand[i] = (uint8_t)((cand[i] - lo) / 4);
			memcpy(s->w, code, vm->blk_end > lo ? vm->blk_end - lo : 0);
			if (n == 1)
				s->f = *form_at(vm, cand[0], ram_word(vm, cand[0]));
		}
	}
	if (n == 1)
		return cand[0];
	for (int i = 0; i < n; i++) {
		uint32_t w = ram_word(vm, cand[i]);
		if (insn_mem_kind(w) == INSN_MEM_ANY)
			return cand[i];
		struct ldst d = decode_at(vm, cand[i], w);
		if (!d.valid || (d.ea < addr + size && addr < d.ea + d.total))
			return cand[i];
	}
	return n ? cand[0] : vm->blk_start;   /* not reached: code changed under us */
}

/* access_pc; *form: the instruction's form when a kept site with one
 * candidate named it (no decode-table lookup), else NULL. */
static inline __attribute__((always_inline))   /* the device path's, without a call */
uint64_t access_pc_form(struct vm *vm, uint64_t addr, unsigned size, unsigned kind,
				      const struct ldst_form **form)
{
	*form = NULL;
	if (vm->exact)
		return rd(vm, UC_ARM64_REG_PC);
	uint64_t cursor = cursor_now(vm), sync = sync_now(vm);
	uint64_t lo = cursor > sync ? cursor : sync;
	const uint32_t *code = NULL;   /* the words to scan in RAM, when a site can keep them */
	uint64_t nw = vm->blk_end > lo ? (vm->blk_end - lo) / 4 : 0;
	if (lo >= VM_RAM_BASE && vm->blk_end <= VM_RAM_BASE + vm->ram_size && nw <= SITE_WORDS)
		code = (const uint32_t *)(vm->ram + (lo - VM_RAM_BASE));
	struct site *s = &vm->sites[(lo >> 2) % (sizeof(vm->sites) / sizeof(vm->sites[0]))];
	bool same = code && s->kind == kind && s->lo == lo && s->end == vm->blk_end && s->sync == sync;
	uint32_t diff = 0;   /* every word, no branch per word: a block's few words are read anyway */
	for (uint64_t i = 0; same && i < nw; i++)
		diff |= s->w[i] ^ code[i];
	same = same && !diff;
	if (same && s->n == 1) {
		*form = &s->f;
		return lo + 4 * (uint64_t)s->cand[0];
	}
	return access_scan(vm, lo, addr, size, kind, s, code, same);
}

static inline uint64_t access_pc(struct vm *vm, uint64_t addr, unsigned size, unsigned kind)
{
	const struct ldst_form *form;
	return access_pc_form(vm, addr, size, kind, &form);
}

/* Instructions retired before `pc`, given the blocks entered so far. */
static uint64_t icount_at(const struct vm *vm, uint64_t pc)
{
	if (pc >= vm->blk_start && pc <= vm->blk_end)
		return vm->blk_icount - (vm->blk_end - pc) / 4;
	return vm->blk_icount;   /* left the last block through its end */
}

static uint64_t live_pc(const struct vm *vm)
{
	return vm->in_access ? vm->acc.pc : rd((struct vm *)vm, UC_ARM64_REG_PC);
}

uint64_t vm_icount(const struct vm *vm)
{
	if (!vm->running)
		return vm->icount;
	return vm->in_access ? vm->acc.icount_before : icount_at(vm, live_pc(vm));
}

uint64_t vm_pc(const struct vm *vm)
{
	return vm->running ? live_pc(vm) : vm->pc;
}

bool vm_running(const struct vm *vm) { return vm->running; }
uint64_t vm_crossings(const struct vm *vm) { return vm->crossings; }

/* ---- memory map ------------------------------------------------------- */

static uint32_t ram_word(const struct vm *vm, uint64_t addr)
{
	if (addr < VM_RAM_BASE || addr + 4 > VM_RAM_BASE + vm->ram_size)
		return 0;
	uint32_t w;
	memcpy(&w, vm->ram + (addr - VM_RAM_BASE), 4);
	return w;
}

static struct mapping *find_map(const struct vm *vm, uint64_t addr)
{
	for (int i = 0; i < vm->n_maps; i++) {
		struct mapping *m = vm->maps[i];
		if (m->live && addr >= m->base && addr - m->base < m->len)
			return m;
	}
	return NULL;
}

bool vm_range_free(const struct vm *vm, uint64_t addr, uint64_t len)
{
	if (len == 0 || addr + len < addr)
		return false;
	if (addr < VM_RAM_BASE + vm->ram_size && VM_RAM_BASE < addr + len)
		return false;
	for (int i = 0; i < vm->n_maps; i++) {
		const struct mapping *m = vm->maps[i];
		if (m->live && addr < m->base + m->len && m->base < addr + len)
			return false;
	}
	return true;
}

static uint64_t mmio_read_cb(uc_engine *uc, uint64_t off, unsigned size, void *user);
static int watch_refresh(struct vm *vm);
static void forget_map(struct vm *vm, struct mapping *m);
static void mmio_write_cb(uc_engine *uc, uint64_t off, unsigned size, uint64_t value, void *user);

/* Take a mapping out of the VM's engine. Every change to that engine's map
 * moves map_gen: the remainder engine follows it before its next run. */
static void engine_unmap(struct vm *vm, const struct mapping *m)
{
	uc_mem_unmap(vm->uc, m->base, m->len);
	vm->map_gen++;
}

/* Parked mappings overlapping [addr, addr+len) leave the engine (len 0: all). */
static void drop_parked(struct vm *vm, uint64_t addr, uint64_t len)
{
	for (int i = 0; i < vm->n_maps && vm->n_parked; i++) {
		struct mapping *m = vm->maps[i];
		if (!m->parked || (len && (m->base >= addr + len || addr >= m->base + m->len)))
			continue;
		engine_unmap(vm, m);
		vm->n_parked--;
		forget_map(vm, m);
		i--;
	}
}

/* Put a mapping into engine uc (the VM's, or the remainder engine). */
static int engine_map(uc_engine *uc, const struct mapping *m)
{
	uc_err e;
	if (m->is_ram)
		e = uc_mem_map_ptr(uc, m->base, m->len, UC_PROT_ALL, m->host);
	else
		e = uc_mmio_map(uc, m->base, m->len, mmio_read_cb, (void *)m, mmio_write_cb, (void *)m);
	return e == UC_ERR_OK ? 0 : -1;
}

static int apply_map(struct vm *vm, struct mapping *m)
{
	if (engine_map(vm->uc, m))
		return -1;
	vm->map_gen++;
	return 0;
}

static void race_hooks_forget(struct vm *vm, const struct mapping *m);
static void drop_ram_code(struct vm *vm);

static void forget_map(struct vm *vm, struct mapping *m)
{
	if (m->is_ram && vm->n_rhooks)
		race_hooks_forget(vm, m);   /* no hook may keep m after it is freed */
	for (int i = 0; i < vm->n_maps; i++) {
		if (vm->maps[i] == m) {
			memmove(&vm->maps[i], &vm->maps[i + 1], (vm->n_maps - i - 1) * sizeof(*vm->maps));
			vm->n_maps--;
			break;
		}
	}
	free(m);
}

static void queue_op(struct vm *vm, enum map_op_kind kind, struct mapping *m)
{
	if (vm->n_ops == vm->cap_ops) {
		int cap = vm->cap_ops ? vm->cap_ops * 2 : 8;
		struct map_op *n = realloc(vm->ops, cap * sizeof(*n));
		if (!n)
			abort();   /* out of memory in a callback: nothing sane to return */
		vm->ops = n;
		vm->cap_ops = cap;
	}
	vm->ops[vm->n_ops++] = (struct map_op){ kind, m };
	vm->req |= VMX_INTERNAL;
}

/* Take a mapping out of the engine. A VM stopped for good never runs
 * again: its shared RAM stays in the engine (Unicorn 2.0.1 unmaps page by
 * page, a million pages for 4 GiB) until the engine closes, or until the VM
 * runs or maps again (bury_zombies). */
static void unmap_now(struct vm *vm, struct mapping *m)
{
	if (m->is_ram && vm->state == VM_STOPPED) {
		m->zombie = true;
		return;
	}
	engine_unmap(vm, m);
	forget_map(vm, m);
}

static void bury_zombies(struct vm *vm)
{
	for (int i = 0; i < vm->n_maps; i++) {
		struct mapping *m = vm->maps[i];
		if (m->zombie) {
			engine_unmap(vm, m);
			forget_map(vm, m);
			i--;
		}
	}
}

static void apply_queued(struct vm *vm)
{
	for (int i = 0; i < vm->n_ops; i++) {
		struct mapping *m = vm->ops[i].m;
		if (vm->ops[i].kind == MAPOP_MAP) {
			if (m->live)
				apply_map(vm, m);
		} else {
			unmap_now(vm, m);
		}
	}
	if (vm->n_ops && (vm->n_watches || vm->n_whooks || vm->race))
		watch_refresh(vm);
	vm->n_ops = 0;
}

/* Warm reuse: the device mapped where it was in the last run takes its
 * parked mapping back, with no change to the engine; parked mappings in the
 * way of anything else leave the engine. */
static bool revive_map(struct vm *vm, uint64_t addr, uint64_t len, const char *dev,
		       const struct mmio_ops *ops, void *opaque, void *host)
{
	for (int i = 0; i < vm->n_maps; i++) {
		struct mapping *m = vm->maps[i];
		if (!m->parked || m->base != addr || m->len != len || host || m->is_ram ||
		    m->ops != ops || strcmp(m->dev, dev ? dev : "ram"))
			continue;
		m->parked = false;
		m->live = true;
		m->opaque = opaque;
		vm->n_parked--;
		return true;
	}
	drop_parked(vm, addr, len);
	return false;
}

/* Room for `need` mappings in the list. 0, or -1 (the list unchanged). */
static int grow_maps(struct vm *vm, int need)
{
	int cap = vm->cap_maps ? vm->cap_maps : 16;
	while (cap < need)
		cap *= 2;
	struct mapping **n = realloc(vm->maps, (size_t)cap * sizeof(*n));
	if (!n)
		return -1;
	vm->maps = n;
	vm->cap_maps = cap;
	return 0;
}

static int add_map(struct vm *vm, uint64_t addr, uint64_t len, const char *dev,
		   const struct mmio_ops *ops, void *opaque, void *host)
{
	if ((addr | len) & (PAGE_SIZE - 1) || !vm_range_free(vm, addr, len))
		return -1;
	if (vm->n_parked && revive_map(vm, addr, len, dev, ops, opaque, host))
		return 0;
	struct mapping *m = calloc(1, sizeof(*m));
	if (!m)
		return -1;
	if (vm->n_maps == vm->cap_maps && grow_maps(vm, vm->n_maps + 1)) {
		free(m);
		return -1;
	}
	bury_zombies(vm);
	*m = (struct mapping){ .vm = vm, .base = addr, .len = len, .is_ram = host != NULL,
			       .live = true, .ops = ops, .opaque = opaque, .host = host };
	snprintf(m->dev, sizeof(m->dev), "%s", dev ? dev : "ram");
	vm->maps[vm->n_maps++] = m;
	if (vm->running) {
		queue_op(vm, MAPOP_MAP, m);
		return 0;
	}
	if (apply_map(vm, m)) {
		forget_map(vm, m);
		return -1;
	}
	if (vm->n_watches || vm->n_whooks || vm->race)
		watch_refresh(vm);
	return 0;
}

int vm_map_mmio(struct vm *vm, uint64_t addr, uint64_t len, const char *dev,
		const struct mmio_ops *ops, void *opaque)
{
	return add_map(vm, addr, len, dev, ops, opaque, NULL);
}

int vm_map_ram(struct vm *vm, uint64_t addr, uint64_t len, void *host)
{
	return host ? add_map(vm, addr, len, "ram", NULL, NULL, host) : -1;
}

void vm_unmap(struct vm *vm, uint64_t addr, uint64_t len)
{
	/* Whatever lies in the range goes (devif.h): a connection's control
	 * page and data pages were mapped separately and leave together. */
	for (int i = 0; i < vm->n_maps; i++) {
		struct mapping *m = vm->maps[i];
		if (!m->live || m->base < addr || m->base + m->len > addr + len)
			continue;
		m->live = false;   /* later accesses fault at once (DET-1) */
		if (vm->running) {
			queue_op(vm, MAPOP_UNMAP, m);
		} else {
			bool kept = m->is_ram && vm->state == VM_STOPPED;
			unmap_now(vm, m);
			if (!kept)
				i--;   /* m was forgotten */
		}
	}
	if (!vm->running && (vm->n_watches || vm->n_whooks || vm->race))
		watch_refresh(vm);
}

int vm_read_mem(struct vm *vm, uint64_t addr, void *buf, size_t len)
{
	if (addr >= VM_RAM_BASE && len <= vm->ram_size && addr - VM_RAM_BASE <= vm->ram_size - len) {
		memcpy(buf, vm->ram + (addr - VM_RAM_BASE), len);
		return 0;
	}
	struct mapping *m = find_map(vm, addr);
	if (m && m->is_ram && len <= m->len && addr - m->base <= m->len - len) {
		memcpy(buf, (uint8_t *)m->host + (addr - m->base), len);
		return 0;
	}
	/* Device registers: only through a side-effect-free peek. */
	if (m && !m->is_ram && m->ops && m->ops->peek && len <= m->len &&
	    addr - m->base <= m->len - len) {
		m->ops->peek(m->opaque, addr - m->base, (unsigned)len, buf);
		return 0;
	}
	return -1;
}

bool vm_device_base(const struct vm *vm, const char *dev, uint64_t *base)
{
	for (int i = 0; i < vm->n_maps; i++)
		if (vm->maps[i]->live && !vm->maps[i]->is_ram && !strcmp(vm->maps[i]->dev, dev)) {
			*base = vm->maps[i]->base;
			return true;
		}
	return false;
}

const char *vm_device_at(const struct vm *vm, uint64_t addr)
{
	const struct mapping *m = find_map(vm, addr);
	return m && !m->is_ram ? m->dev : NULL;
}

void *vm_host_ptr(const struct vm *vm, uint64_t addr, uint64_t len)
{
	if (addr >= VM_RAM_BASE && len <= vm->ram_size && addr - VM_RAM_BASE <= vm->ram_size - len)
		return vm->ram + (addr - VM_RAM_BASE);
	const struct mapping *m = find_map(vm, addr);
	if (m && m->is_ram && len <= m->len && addr - m->base <= m->len - len)
		return (uint8_t *)m->host + (addr - m->base);
	return NULL;
}

/* ---- faults and disassembly ------------------------------------------- */

/* The text is cut to the caller's buffer on purpose (fault records keep 96
 * bytes); GCC at -O3 sees the fixed sizes through inlining and warns. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-truncation"
void vm_disasm(struct vm *vm, uint64_t addr, char *buf, size_t n)
{
	uint32_t w = ram_word(vm, addr);
	char sym[80];
	const char *s = elf_symbolize(&vm->img, addr, sym, sizeof(sym));
	if (addr < VM_RAM_BASE || addr + 4 > VM_RAM_BASE + vm->ram_size) {
		snprintf(buf, n, "(no code at 0x%llx)", (unsigned long long)addr);
		return;
	}
	if (!capstone_ready) {
		if (cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &capstone) == CS_ERR_OK)
			capstone_ready = true;
	}
	cs_insn *in = NULL;
	size_t cnt = capstone_ready ? cs_disasm(capstone, (const uint8_t *)&w, 4, addr, 1, &in) : 0;
	if (!cnt && (w >> 16) == 0)   /* capstone 4 does not know udf */
		snprintf(buf, n, "udf #%u%s%s%s", w & 0xffff, s ? "  <" : "", s ? s : "", s ? ">" : "");
	else if (cnt)
		snprintf(buf, n, "%s %s%s%s%s", in[0].mnemonic, in[0].op_str,
			 s ? "  <" : "", s ? s : "", s ? ">" : "");
	else
		snprintf(buf, n, ".word 0x%08x%s%s%s", w, s ? "  <" : "", s ? s : "", s ? ">" : "");
	if (cnt)
		cs_free(in, cnt);
}
#pragma GCC diagnostic pop

static void set_fault(struct vm *vm, const char *kind, uint64_t addr, uint64_t pc, bool write)
{
	vm->pending_fault = true;
	memset(&vm->pf, 0, sizeof(vm->pf));
	vm->pf.write = write;
	snprintf(vm->pf.kind, sizeof(vm->pf.kind), "%s", kind);
	vm->pf.addr = addr;
	vm->pf.pc = pc;
	vm_disasm(vm, pc, vm->pf.insn, sizeof(vm->pf.insn));
}

/* ---- exception entry (every one made by hand) ------------------------- */

static void take_exception(struct vm *vm, uint64_t ret_pc, unsigned vec_off)
{
	uint64_t ps = rd(vm, UC_ARM64_REG_PSTATE);
	uint64_t vbar = VBAR_EL1(vm);
	unsigned base;
	if ((ps & 0xc) == 0)
		base = 0x400;                 /* from EL0 (AArch64) */
	else
		base = (ps & 1) ? 0x200 : 0x000;   /* current EL, SP_ELx or SP_EL0 */
	SET_ELR_EL1(vm, ret_pc);
	SET_SPSR_EL1(vm, ps);
	/* Writing PSTATE does not swap the banked stack pointers (ARCHITECTURE):
	 * coming from SP_EL0, bank it and run the handler on SP_EL1, as the CPU
	 * would; eret (done by Unicorn) swaps them back. */
	if (!(ps & 1)) {
		wr(vm, UC_ARM64_REG_SP_EL0, rd(vm, UC_ARM64_REG_SP));
		wr(vm, UC_ARM64_REG_SP, rd(vm, UC_ARM64_REG_SP_EL1));
	}
	/* CONTRACT 2: EL1h, DAIF masked, IL and SS clear. */
	ps = (ps & ~(uint64_t)(0xf | PSTATE_IL | PSTATE_SS)) | PSTATE_EL1H | PSTATE_DAIF;
	wr(vm, UC_ARM64_REG_PSTATE, ps);
	vm->pc = vbar + base + vec_off;
	wr(vm, UC_ARM64_REG_PC, vm->pc);
}

bool vm_irqs_masked(struct vm *vm)
{
	return rd(vm, UC_ARM64_REG_PSTATE) & PSTATE_I;
}

void vm_take_irq(struct vm *vm)
{
	take_exception(vm, vm->pc, 0x80);   /* GIC-5: +0x280 (SP_ELx) / +0x080 (SP_EL0) */
}

static void take_sync(struct vm *vm, uint64_t ret_pc, uint32_t esr, uint64_t far)
{
	SET_ESR_EL1(vm, esr);
	SET_FAR_EL1(vm, far);
	take_exception(vm, ret_pc, 0);
}

/* ---- the MMIO bus ----------------------------------------------------- */

static void log_access(struct vm *vm, struct mapping *m, uint64_t off, unsigned len,
		       char dir, uint64_t value, uint64_t value_hi)
{
	struct ev *e = &vm->acc_ev;
	e->kind = EV_MMIO;
	e->off = off;
	e->width = len;
	e->dir = dir;
	_Static_assert(sizeof(e->dev) == sizeof(m->dev), "one device-name size");
	memcpy(e->dev, m->dev, sizeof(e->dev));   /* zero-filled past its NUL at map time */
	e->value = value;
	e->value_hi = value_hi;
	vm->env.emit(vm->env.ctx, vm, e);
}

/* One call of the device: the `step` bytes at `at` in the assembled access,
 * and its event. The bytes a device wrote are read back once (each read of
 * bytes just stored by a wider or masked store waits for the store). */
static inline __attribute__((always_inline))   /* access_whole's one step, without a call */
void device_step(struct vm *vm, struct mapping *m, unsigned at, unsigned step, char dir)
{
	uint64_t off = vm->acc.ea - m->base + at;
	const uint8_t *b = vm->acc.buf + at;
	if (vm->env.on_device)
		vm->env.on_device(vm->env.ctx, vm, m->ops, off, step, dir == 'w');
	if (dir == 'r')
		m->ops->read(m->opaque, off, step, vm->acc.buf + at);
	uint64_t lo = le_get(b, step < 8 ? step : 8), hi = step > 8 ? le_get(b + 8, step - 8) : 0;
	vm->acc.value = lo;
	log_access(vm, m, off, step, dir, lo, hi);
	if (dir == 'w')
		m->ops->write(m->opaque, off, step, b);
}

/* Hand the assembled access to the device: one call of at most 16 bytes
 * (devif.h); a pair of Q registers is two, one per register. */
static void device_access(struct vm *vm, struct mapping *m, char dir)
{
	unsigned step = vm->acc.total > 16 ? vm->acc.total / 2 : vm->acc.total;
	for (unsigned at = 0; at < vm->acc.total; at += step)
		device_step(vm, m, at, step, dir);
}

/* Start assembling the access of the instruction at PC. false: it faulted. */
static bool access_begin(struct vm *vm, struct mapping *m, uint64_t addr, uint64_t pc, bool is_store)
{
	set_cursor(vm, pc + 4);
	const struct ldst_form *f = form_at(vm, pc, ram_word(vm, pc));
	struct ldst d = f->d;
	if (d.valid)
		d.ea = form_ea(vm, f, pc);
	/* FAC-3: what Device memory does not support (exclusives: no monitor is
	 * modelled; DC ZVA) and any form the decoder does not know (Unicorn would
	 * hand it over in pieces) fault before the device sees a byte. */
	if (!d.valid || d.exclusive || d.is_store != is_store) {
		set_fault(vm, FAULT_DEVICE_UNSUPPORTED, d.valid ? d.ea : addr, pc, is_store);
		return false;
	}
	vm->acc.active = true;
	vm->acc.m = m;
	vm->acc.pc = pc;
	vm->acc.ea = d.ea;
	vm->acc.total = d.total;
	vm->acc.got = 0;
	vm->acc.is_store = is_store;
	vm->acc.icount_before = icount_at(vm, pc);
	vm->in_access = true;
	memset(vm->acc.buf, 0, sizeof(vm->acc.buf));
	/* Device memory: unaligned accesses fault (FAC-3, PLT-4). */
	if (d.ea & (d.elem - 1)) {
		set_fault(vm, "alignment", d.ea, pc, is_store);
		vm->acc.active = vm->in_access = false;
		return false;
	}
	if (d.ea < m->base || d.ea + d.total > m->base + m->len) {
		uint64_t bad = d.ea < m->base ? d.ea : m->base + m->len;
		set_fault(vm, is_store ? "write-unmapped" : "read-unmapped", bad, pc, is_store);
		vm->acc.active = vm->in_access = false;
		return false;
	}
	if (!is_store)
		device_access(vm, m, 'r');
	return true;
}

static void stop_now(struct vm *vm)
{
	vm->cb_stop = true;
	vm->stop_pc = vm->acc.pc;
	vm->stop_icount = vm->acc.icount_before + 1;
	uc_emu_stop(vm->cur);
}

static void access_end(struct vm *vm)
{
	struct mapping *m = vm->acc.m;
	vm->acc.active = false;
	if (vm->acc.is_store)
		device_access(vm, m, 'w');
	vm->env.after_access(vm->env.ctx, vm, m->ops->sched_point);
	if (vm->req || vm->pending_fault)
		stop_now(vm);
	vm->in_access = false;
}

static void fault_in_callback(struct vm *vm, uint64_t pc)
{
	vm->cb_stop = true;
	vm->stop_pc = pc;
	vm->stop_icount = icount_at(vm, vm->stop_pc);
	uc_emu_stop(vm->cur);
}

/* A piece of the current access: returns false when it belongs to no access. */
static bool access_piece(struct vm *vm, struct mapping *m, uint64_t off, unsigned size, bool is_store)
{
	uint64_t addr = m->base + off;
	unsigned kind = is_store ? INSN_MEM_STORE : INSN_MEM_LOAD;
	if (vm->pending_fault)
		return false;
	if (!m->live) {
		uint64_t pc = access_pc(vm, addr, size, kind);
		set_fault(vm, is_store ? "write-unmapped" : "read-unmapped", addr, pc, is_store);
		fault_in_callback(vm, pc);
		return false;
	}
	if (vm->acc.active && (vm->acc.m != m || addr < vm->acc.ea || addr >= vm->acc.ea + vm->acc.total ||
			       vm->acc.is_store != is_store)) {
		vm->acc.active = vm->in_access = false;   /* the previous instruction's pieces ended early */
	}
	if (!vm->acc.active) {
		uint64_t pc = access_pc(vm, addr, size, kind);
		if (!access_begin(vm, m, addr, pc, is_store)) {
			fault_in_callback(vm, pc);
			return false;
		}
	}
	return true;
}

/* The common access in one step: an instruction whose whole access is this
 * one callback (at most 8 bytes, at its address, aligned, inside the
 * mapping), with no access of an earlier instruction pending. It does what
 * access_piece, access_begin and access_end do for it, in their order;
 * anything else (a fault to raise, an access in pieces) returns false
 * having changed nothing, and goes the long way. A load's value or a
 * store's bytes are in *value. */
static bool access_whole(struct vm *vm, struct mapping *m, uint64_t off, unsigned size,
			 bool is_store, uint64_t *value)
{
	uint64_t addr = m->base + off;
	if (vm->pending_fault || !m->live || vm->acc.active || size > 8)
		return false;
	const struct ldst_form *f;
	uint64_t pc = access_pc_form(vm, addr, size, is_store ? INSN_MEM_STORE : INSN_MEM_LOAD, &f);
	if (!f)
		f = form_at(vm, pc, ram_word(vm, pc));
	if (!f->d.valid || f->d.exclusive || f->d.is_store != is_store || f->d.total != size)
		return false;
	uint64_t ea = form_ea(vm, f, pc);
	if (ea != addr || (ea & (f->d.elem - 1)) || ea + size > m->base + m->len)
		return false;
	set_cursor(vm, pc + 4);
	vm->acc.m = m;
	vm->acc.pc = pc;
	vm->acc.ea = ea;
	vm->acc.total = vm->acc.got = size;
	vm->acc.is_store = is_store;
	vm->acc.icount_before = icount_at(vm, pc);
	vm->in_access = true;
	if (is_store) {
		le_put(vm->acc.buf, size, *value);   /* access_end hands it to the device */
	} else {
		memset(vm->acc.buf, 0, 8);   /* what a device leaves unwritten reads as zero */
		vm->acc.active = true;
		device_step(vm, m, 0, size, 'r');   /* the whole access: one step */
		*value = vm->acc.value;
	}
	access_end(vm);
	return true;
}

static uint64_t mmio_read_cb(uc_engine *uc, uint64_t off, unsigned size, void *user)
{
	struct mapping *m = user;
	struct vm *vm = m->vm;
	uint64_t whole = 0;
	if (access_whole(vm, m, off, size, false, &whole))
		return whole;
	if (!access_piece(vm, m, off, size, false))
		return 0;
	uint64_t at = m->base + off - vm->acc.ea;
	uint64_t v = 0;
	if (at == 0 && size == vm->acc.total && size <= 8)
		v = vm->acc.value;   /* the whole access, read once by device_access */
	else
		for (unsigned i = 0; i < size && at + i < vm->acc.total; i++)
			v |= (uint64_t)vm->acc.buf[at + i] << (8 * i);
	vm->acc.got += size;
	if (vm->acc.got >= vm->acc.total)
		access_end(vm);
	return v;
}

static void mmio_write_cb(uc_engine *uc, uint64_t off, unsigned size, uint64_t value, void *user)
{
	struct mapping *m = user;
	struct vm *vm = m->vm;
	if (access_whole(vm, m, off, size, true, &value))
		return;
	if (!access_piece(vm, m, off, size, true))
		return;
	uint64_t at = m->base + off - vm->acc.ea;
	for (unsigned i = 0; i < size && at + i < vm->acc.total; i++)
		vm->acc.buf[at + i] = (uint8_t)(value >> (8 * i));
	vm->acc.got += size;
	if (vm->acc.got >= vm->acc.total)
		access_end(vm);
}

void vm_request_stop(struct vm *vm, unsigned flags)
{
	vm->req |= flags;
}

/* ---- hooks for traps and unmapped accesses ---------------------------- */

static void hook_intr(uc_engine *uc, uint32_t intno, void *user)
{
	struct vm *vm = user;
	vm->trap = (int)intno;
	uc_emu_stop(uc);
}

static bool hook_unmapped(uc_engine *uc, uc_mem_type type, uint64_t addr, int size, int64_t value, void *user)
{
	struct vm *vm = user;
	vm->bad_access = true;
	vm->bad_type = type;
	vm->bad_addr = addr;
	if (type == UC_MEM_READ_UNMAPPED || type == UC_MEM_WRITE_UNMAPPED)
		vm->bad_pc = access_pc(vm, addr, size > 0 ? (unsigned)size : 1,
				       type == UC_MEM_WRITE_UNMAPPED ? INSN_MEM_STORE : INSN_MEM_LOAD);
	return false;
}

/* ---- debugging ------------------------------------------------------------ */

static void hook_code_debug(uc_engine *uc, uint64_t addr, uint32_t size, void *user)
{
	struct vm *vm = user;
	if (addr == vm->resume_pc) {
		vm->resume_pc = UINT64_MAX;   /* the instruction we resumed at runs */
		return;
	}
	vm->resume_pc = UINT64_MAX;
	for (int i = 0; i < vm->n_bps; i++)
		if (vm->bps[i] == addr) {
			/* Stopping in a code hook exits before the instruction runs. */
			vm->bp_hit = true;
			uc_emu_stop(uc);
			return;
		}
}

int vm_debug_enable(struct vm *vm)
{
	uc_hook h;
	if (vm->debug)
		return 0;
	if (uc_hook_add(vm->uc, &h, UC_HOOK_CODE, hook_code_debug, vm, 1, 0) != UC_ERR_OK)
		return -1;
	make_counted(vm);   /* a stop at any instruction: the count's exact PC */
	uc_ctl_remove_cache(vm->uc, 0, UINT64_MAX);   /* no block translated without it */
	vm->debug = true;
	vm->resume_pc = vm->reported_pc = UINT64_MAX;
	return 0;
}

int vm_break_add(struct vm *vm, uint64_t addr)
{
	for (int i = 0; i < vm->n_bps; i++)
		if (vm->bps[i] == addr)
			return 0;
	uint64_t *n = realloc(vm->bps, (vm->n_bps + 1) * sizeof(*n));
	if (!n)
		return -1;
	vm->bps = n;
	vm->bps[vm->n_bps++] = addr;
	return 0;
}

int vm_break_get(const struct vm *vm, int i, uint64_t *addr)
{
	if (i < 0 || i >= vm->n_bps)
		return -1;
	*addr = vm->bps[i];
	return 0;
}

void vm_debug_pass_here(struct vm *vm)
{
	vm->reported_pc = vm->pc;
}

int vm_break_remove(struct vm *vm, uint64_t addr)
{
	for (int i = 0; i < vm->n_bps; i++)
		if (vm->bps[i] == addr) {
			vm->bps[i] = vm->bps[--vm->n_bps];
			return 0;
		}
	return -1;
}

/* The first access of this run to watched memory (host ranges compare
 * across VMs). The hook runs before the access, when no register of the
 * instruction has changed yet (QEMU keeps loads and stores restartable):
 * the registers and the bytes about to be stored are saved, the run stops
 * after the instruction (the count's per-instruction check), and vm_exec
 * undoes it: the VM stops AT the accessing instruction, as a hardware
 * watchpoint does on AArch64, where GDB then steps over it itself. */
static void hook_watch(uc_engine *uc, uc_mem_type type, uint64_t addr, int size,
		       int64_t value, void *user)
{
	struct vm *vm = user;
	bool write = type == UC_MEM_WRITE;
	(void)value;
	if (size <= 0)
		return;
	uint8_t *h = vm_host_ptr(vm, addr, (uint64_t)size);
	if (!h)
		return;
	if (vm->watch_hit) {     /* a later piece of the same instruction */
		if (write && vm->n_saved_mem < 4 && size <= 64 && h != vm->saved_mem[0].host) {
			vm->saved_mem[vm->n_saved_mem].host = h;
			vm->saved_mem[vm->n_saved_mem].len = (unsigned)size;
			memcpy(vm->saved_mem[vm->n_saved_mem++].old, h, (size_t)size);
		}
		return;
	}
	uint64_t pc = rd(vm, UC_ARM64_REG_PC);
	uint64_t before = icount_at(vm, pc);
	if (pc == vm->watch_pass_pc && before == vm->exec_icount)
		return;              /* the instruction undone at the last stop, run now */
	/* The whole access decides (the hooks start early enough to see the
	 * first piece of a pair whose later half is watched). */
	struct ldst d = decode_at(vm, pc, ram_word(vm, pc));
	uint8_t *all = d.valid && d.total <= 64 ? vm_host_ptr(vm, d.ea, d.total) : NULL;
	if (all) {
		h = all;
		size = (int)d.total;
		write = d.is_store;
	}
	for (int i = 0; i < vm->n_watches; i++) {
		const struct vm_watch *w = &vm->watches[i];
		if (w->type != VM_WATCH_ACCESS && (w->type == VM_WATCH_WRITE) != write)
			continue;
		if (h + size <= w->host || h >= w->host + w->len)
			continue;
		vm->watch_hit = true;
		vm->hit = (struct vm_watch_hit){
			.type = w->type, .write = write,
			.addr = w->addr + (uint64_t)(h > w->host ? h - w->host : 0),
			.guest = addr, .pc = pc,
		};
		vm->hit_icount = before;
		for (unsigned r = 0; r < 32; r++)
			vm->saved_x[r] = rd(vm, xreg_id(r));
		for (unsigned r = 0; r < 32; r++)
			uc_reg_read(uc, UC_ARM64_REG_Q0 + (int)r, vm->saved_q[r]);
		vm->n_saved_mem = 0;
		if (write && size <= 64) {   /* every byte the store will write */
			vm->saved_mem[0].host = h;
			vm->saved_mem[0].len = (unsigned)size;
			memcpy(vm->saved_mem[0].old, h, (size_t)size);
			vm->n_saved_mem = 1;
		}
		uc_emu_stop(uc);
		return;
	}
}

/* One hook per watch and host-backed range of this VM that holds it. */
static int watch_hooks_add(struct vm *vm, const struct vm_watch *w, uint64_t base,
			   const uint8_t *host, uint64_t len)
{
	if (w->host + w->len <= host || w->host >= host + len)
		return 0;
	const uint8_t *lo = w->host > host ? w->host : host;
	const uint8_t *hi = w->host + w->len < host + len ? w->host + w->len : host + len;
	uint64_t begin = base + (uint64_t)(lo - host), end = begin + (uint64_t)(hi - lo) - 1;
	begin = begin - base > 64 ? begin - 64 : base;   /* a pair's first half (hook_watch) */
	int types[2], n = 0;
	if (w->type != VM_WATCH_READ)
		types[n++] = UC_HOOK_MEM_WRITE;
	if (w->type != VM_WATCH_WRITE)
		types[n++] = UC_HOOK_MEM_READ;
	for (int k = 0; k < n; k++) {
		if (vm->n_whooks == vm->cap_whooks) {
			int cap = vm->cap_whooks ? 2 * vm->cap_whooks : 8;
			uc_hook *nh = realloc(vm->whooks, cap * sizeof(*nh));
			if (!nh)
				return -1;
			vm->whooks = nh;
			vm->cap_whooks = cap;
		}
		if (uc_hook_add(vm->uc, &vm->whooks[vm->n_whooks], types[k], hook_watch, vm,
				begin, end) != UC_ERR_OK)
			return -1;
		vm->n_whooks++;
	}
	return 0;
}

static int race_hooks_refresh(struct vm *vm);

static int watch_refresh(struct vm *vm)
{
	int rc = 0;
	bool had_w = vm->n_whooks > 0, had_r = vm->n_rhooks > 0;
	for (int i = 0; i < vm->n_whooks; i++)
		uc_hook_del(vm->uc, vm->whooks[i]);
	vm->n_whooks = 0;
	if (vm->race)
		rc = race_hooks_refresh(vm);
	for (int i = 0; i < vm->n_watches && !rc; i++) {
		const struct vm_watch *w = &vm->watches[i];
		rc = watch_hooks_add(vm, w, VM_RAM_BASE, vm->ram, vm->ram_size);
		for (int j = 0; j < vm->n_maps && !rc; j++) {
			const struct mapping *m = vm->maps[j];
			if (m->live && m->is_ram)
				rc = watch_hooks_add(vm, w, m->base, m->host, m->len);
		}
	}
	/* Memory hooks are decided when code is translated: drop the code of
	 * every range it can run from (RAM and RAM-backed mappings). Not the
	 * whole address space: Unicorn 2.0.1 turns that into tb_flush, which
	 * zeroes its whole translation buffer (~0.25 s per VM per change); and
	 * no uc_ctl_flush_tlb, which is the same tb_flush in 2.0.1. Race
	 * hooks alone need no drop when the anchor holds (race_anchor_add). */
	bool race_drop = (had_r || vm->n_rhooks) && !vm->race;   /* race: anchored */
	if (had_w || vm->n_whooks || race_drop) {
		uc_ctl_remove_cache(vm->uc, VM_RAM_BASE, VM_RAM_BASE + vm->ram_size);
		for (int j = 0; j < vm->n_maps; j++)
			if (vm->maps[j]->live && vm->maps[j]->is_ram)
				uc_ctl_remove_cache(vm->uc, vm->maps[j]->base,
						    vm->maps[j]->base + vm->maps[j]->len);
	}
	return rc;
}

/* ---- race mode ---------------------------------------------------------------- */

/* An access to a RAM-backed mapping (shared pages). Before the access: the
 * PC is exact (the count's per-instruction check), a load's bytes are still
 * those it will read. */
static void hook_race_mem(uc_engine *uc, uc_mem_type type, uint64_t addr, int size,
			  int64_t value, void *user)
{
	struct mapping *m = user;
	struct vm *vm = m->vm;
	if (size <= 0 || !m->live || addr < m->base || addr - m->base >= m->len)
		return;
	uint64_t len = (uint64_t)size;
	if (len > m->len - (addr - m->base))
		len = m->len - (addr - m->base);
	const uint8_t *h = (const uint8_t *)m->host + (addr - m->base);
	bool write = type == UC_MEM_WRITE;
	uint64_t v = (uint64_t)value;
	if (!write)
		v = le_get(h, (unsigned)(len < 8 ? len : 8));
	else if (len < 8)
		v &= (1ull << (8 * len)) - 1;
	uint64_t pc = rd(vm, UC_ARM64_REG_PC);
	vm->race_ops.access(vm->race_ops.ctx, vm, h, addr, (unsigned)len, write, v, pc,
			    ram_word(vm, pc));
}

static void hook_race_barrier(uc_engine *uc, uint64_t addr, uint32_t size, void *user)
{
	struct vm *vm = user;
	(void)uc;
	(void)size;
	vm->race_ops.barrier(vm->race_ops.ctx, vm, addr, ram_word(vm, addr));
}

/* m: the mapping a memory hook watches (its user data), NULL for a barrier's. */
static int rhook_add(struct vm *vm, int type, void *cb, struct mapping *m, uint64_t begin,
		     uint64_t end)
{
	if (vm->n_rhooks == vm->cap_rhooks) {
		int cap = vm->cap_rhooks ? 2 * vm->cap_rhooks : 16;
		uc_hook *nh = realloc(vm->rhooks, cap * sizeof(*nh));
		if (!nh)
			return -1;
		vm->rhooks = nh;
		struct mapping **nm = realloc(vm->rhook_map, cap * sizeof(*nm));
		if (!nm)
			return -1;
		vm->rhook_map = nm;
		vm->cap_rhooks = cap;
	}
	void *user = m ? (void *)m : (void *)vm;
	if (uc_hook_add(vm->uc, &vm->rhooks[vm->n_rhooks], type, cb, user, begin, end) != UC_ERR_OK)
		return -1;
	vm->rhook_map[vm->n_rhooks++] = m;
	return 0;
}

/* Mapping m is about to be freed: its memory hooks go. Only hooks leave, so
 * the translated code stays valid (a deleted hook is skipped when it runs):
 * a warm VM drops its parked shared mappings this way and keeps its code. */
static void race_hooks_forget(struct vm *vm, const struct mapping *m)
{
	int k = 0;
	for (int i = 0; i < vm->n_rhooks; i++) {
		if (vm->rhook_map[i] == m) {
			uc_hook_del(vm->uc, vm->rhooks[i]);
			continue;
		}
		vm->rhooks[k] = vm->rhooks[i];
		vm->rhook_map[k++] = vm->rhook_map[i];
	}
	vm->n_rhooks = k;
}

/* Memory hooks on every live RAM-backed mapping; code hooks at every DMB and
 * DSB in the loaded image (found once, by scanning it: a hook per address,
 * so only those instructions pay). The caller drops translated code when
 * the VM has no anchor (race_anchor_add). */
static int race_hooks_refresh(struct vm *vm)
{
	for (int i = 0; i < vm->n_rhooks; i++)
		uc_hook_del(vm->uc, vm->rhooks[i]);
	vm->n_rhooks = 0;
	for (int j = 0; j < vm->n_maps; j++) {
		struct mapping *m = vm->maps[j];
		if (m->live && m->is_ram &&
		    rhook_add(vm, UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE, hook_race_mem, m,
			      m->base, m->base + m->len - 1))
			return -1;
	}
	for (uint64_t a = vm->img.lo & ~3ull; a + 4 <= vm->img.hi; a += 4) {
		bool st, ld;
		if (insn_barrier(ram_word(vm, a), &st, &ld) &&
		    rhook_add(vm, UC_HOOK_CODE, hook_race_barrier, NULL, a, a))
			return -1;
	}
	return 0;
}

static void hook_race_anchor(uc_engine *uc, uc_mem_type type, uint64_t addr, int size,
			     int64_t value, void *user)
{
	(void)uc; (void)type; (void)addr; (void)size; (void)value; (void)user;
}

/* A memory hook that never fires (address 0 is never mapped) and never
 * goes. Unicorn 2.0.1 decides when it translates a load or store whether
 * the code checks memory hooks at all (any hook of the type, whatever its
 * range); the ranges are checked as it runs. With this hook in place from
 * before the first translation, every block is translated checking them,
 * so the race hooks can change with the map (a shared page attached,
 * detached) without dropping translated code: a warm race-mode VM keeps
 * its code from run to run. */
static int race_anchor_add(struct vm *vm)
{
	uc_hook h;
	return uc_hook_add(vm->uc, &h, UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE, hook_race_anchor,
			   NULL, 0, 0) == UC_ERR_OK ? 0 : -1;
}

int vm_race_enable(struct vm *vm, const struct vm_race_ops *ops)
{
	if (vm->running || !ops || !ops->access || !ops->barrier)
		return -1;
	vm->race_ops = *ops;
	if (vm->race)
		return 0;   /* a warm VM: its hooks are in place, they now call ops */
	make_counted(vm);   /* the hooks read the PC of every shared access */
	if (race_anchor_add(vm))
		return -1;
	vm->race = true;    /* and so anchored: watch_refresh drops no code for it */
	drop_ram_code(vm);  /* anything translated before the anchor */
	return watch_refresh(vm);
}

int vm_watch_set(struct vm *vm, const struct vm_watch *w, int n)
{
	if (vm->running)
		return -1;
	vm->watches = w;
	vm->n_watches = n;
	if (n)
		make_counted(vm);   /* the hooks read the PC of every watched access */
	return watch_refresh(vm);
}

const struct vm_watch_hit *vm_watch_hit(const struct vm *vm)
{
	return vm->watch_hit ? &vm->hit : NULL;
}

int vm_write_mem(struct vm *vm, uint64_t addr, const void *buf, size_t len)
{
	if (addr >= VM_RAM_BASE && len <= vm->ram_size && addr - VM_RAM_BASE <= vm->ram_size - len) {
		memcpy(vm->ram + (addr - VM_RAM_BASE), buf, len);
		uc_ctl_remove_cache(vm->uc, addr, addr + len);   /* code may have changed */
		if (vm->rem)
			uc_ctl_remove_cache(vm->rem, addr, addr + len);
		if (vm->fast_ready && addr < vm->code_hi && vm->code_lo < addr + len)
			fast_hooks_drop(vm);   /* analysed anew before the next run */
		return 0;
	}
	struct mapping *m = find_map(vm, addr);
	if (m && m->is_ram && len <= m->len && addr - m->base <= m->len - len) {
		memcpy((uint8_t *)m->host + (addr - m->base), buf, len);
		return 0;
	}
	return -1;
}

/* ---- lifecycle ---------------------------------------------------------- */

static int cpu_init(struct vm *vm)
{
	/* ARCHITECTURE: without SCR_EL3.RW every eret is illegal; NS, HCE and
	 * HCR_EL2.RW make hvc trap to us as interrupt 11. */
	cp_write(vm, 3, 6, 1, 1, 0, (1u << 0) | (1u << 8) | (1u << 10));   /* SCR_EL3 */
	cp_write(vm, 3, 4, 1, 1, 0, 1ull << 31);                             /* HCR_EL2 */
	wr(vm, UC_ARM64_REG_PSTATE, PSTATE_EL1H | PSTATE_DAIF);              /* PLT-2 */
	return 0;
}

/* ---- engines ------------------------------------------------------------ */

/* A new engine for vm, the VM's own or its remainder engine: its RAM at
 * VM_RAM_BASE by pointer and the hooks every run needs (the count, traps,
 * unmapped accesses), all before the first run (ARCHITECTURE: hooks apply
 * only to code translated after they exist). Unicorn starts up at the first
 * map, and 2.0.1 asks for a huge page for its code buffer, where its
 * start-up writes the first code: 2 MiB zeroed per engine, most of an
 * engine's start-up on a fresh machine. With transparent huge pages off for
 * that moment the buffer's first page is a small one, and a small one stays
 * under it (docs/engine.md, "Many VMs"). */
static uc_err engine_open(struct vm *vm, uc_engine **out)
{
	uc_engine *uc;
	uc_hook h;
	int thp_off = prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0);
	if (thp_off == 0)
		prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
	uc_err e = uc_open(UC_ARCH_ARM64, UC_MODE_ARM, &uc);
	if (e == UC_ERR_OK) {
		if ((e = uc_mem_map_ptr(uc, VM_RAM_BASE, vm->ram_size, UC_PROT_ALL, vm->ram)) ||
		    (e = uc_hook_add(uc, &h, UC_HOOK_BLOCK, hook_block, vm, 1, 0)) ||
		    (e = uc_hook_add(uc, &h, UC_HOOK_INTR, hook_intr, vm, 1, 0)) ||
		    (e = uc_hook_add(uc, &h, UC_HOOK_MEM_UNMAPPED, hook_unmapped, vm, 1, 0)))
			uc_close(uc);
	}
	if (thp_off == 0)
		prctl(PR_SET_THP_DISABLE, 0, 0, 0, 0);
	*out = e == UC_ERR_OK ? uc : NULL;
	return e;
}

struct vm *vm_new(int index, const char *name, uint64_t ram_size,
		  const struct vm_env *env, char *err, size_t errlen)
{
	struct vm *vm = calloc(1, sizeof(*vm));
	if (!vm) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	vm->index = index;
	vm->reported_pc = UINT64_MAX;
	vm->watch_pass_pc = UINT64_MAX;
	vm->name = strdup(name);
	vm->env = *env;
	vm->ram_size = ram_size;
	vm->trap = -1;
	/* Zero-filled on first touch: a VM pays only for the RAM it uses. */
	vm->ram = mmap(NULL, ram_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (vm->ram == MAP_FAILED)
		vm->ram = NULL;
	if (!vm->ram || !vm->name) {
		snprintf(err, errlen, "vm %s: cannot allocate %llu bytes of RAM", name,
			 (unsigned long long)ram_size);
		goto fail;
	}
	uc_err e = engine_open(vm, &vm->uc);
	if (e != UC_ERR_OK) {
		snprintf(err, errlen, "vm %s: cannot set up the engine: %s", name, uc_strerror(e));
		goto fail;
	}
	vm->cur = vm->uc;
	cpu_init(vm);
	return vm;
fail:
	vm_free(vm);
	return NULL;
}

void vm_free(struct vm *vm)
{
	if (!vm)
		return;
	rem_close(vm);
	if (vm->mv)
		uc_context_free(vm->mv);
	free(vm->rmaps);
	if (vm->uc)
		uc_close(vm->uc);
	for (int i = 0; i < vm->n_maps; i++)
		free(vm->maps[i]);
	free(vm->maps);
	free(vm->ops);
	free(vm->bps);
	free(vm->whooks);
	free(vm->rhooks);
	free(vm->rhook_map);
	free(vm->chooks);
	free(vm->hr);
	if (vm->ram)
		munmap(vm->ram, vm->ram_size);
	free(vm->name);
	elf_image_free(&vm->img);
	vm_warm_free(vm);
	free(vm);
}

int vm_load(struct vm *vm, const char *path, const char *const *strs, int n_strs,
	    uint64_t *str_addrs, char *err, size_t errlen)
{
	if (elf_load(path, vm->ram, VM_RAM_BASE, vm->ram_size, &vm->img, err, errlen))
		return -1;
	/* String args at the top of RAM; SP just below, 16-byte aligned (CONTRACT 2). */
	uint64_t top = VM_RAM_BASE + vm->ram_size;
	for (int i = n_strs - 1; i >= 0; i--) {
		size_t len = strlen(strs[i]) + 1;
		if (len > vm->ram_size / 4 || top - len < vm->img.hi) {
			snprintf(err, errlen, "vm %s: args do not fit in RAM", vm->name);
			return -1;
		}
		top -= len;
		memcpy(vm->ram + (top - VM_RAM_BASE), strs[i], len);
		str_addrs[i] = top;
	}
	uint64_t sp = top & ~0xfull;
	if (sp - VM_RAM_BASE < 4096 || sp - 4096 < vm->img.hi) {
		snprintf(err, errlen, "vm %s: no room for a stack above the program", vm->name);
		return -1;
	}
	wr(vm, UC_ARM64_REG_SP, sp);
	wr(vm, UC_ARM64_REG_X0, 0);
	vm->pc = vm->img.entry;
	vm->code_lo = vm->img.lo;
	vm->code_hi = vm->img.hi;
	wr(vm, UC_ARM64_REG_PC, vm->pc);
	return 0;
}

int vm_load_image(struct vm *vm, const void *code, size_t len, uint64_t entry)
{
	if (len > vm->ram_size || entry < VM_RAM_BASE || entry >= VM_RAM_BASE + vm->ram_size)
		return -1;
	memcpy(vm->ram, code, len);
	vm->code_lo = VM_RAM_BASE;
	vm->code_hi = VM_RAM_BASE + len;
	wr(vm, UC_ARM64_REG_SP, VM_RAM_BASE + vm->ram_size);
	vm->pc = entry;
	wr(vm, UC_ARM64_REG_PC, entry);
	return 0;
}

/* ---- running ------------------------------------------------------------ */

static unsigned finish_trap(struct vm *vm, uint64_t pc)
{
	uint32_t word = ram_word(vm, pc - 4);
	switch (vm->trap) {
	case EXCP_SWI:   /* svc: the guest's vector, EC 0x15 (CONTRACT 2) */
		take_sync(vm, pc, (0x15u << 26) | (1u << 25) | ((word >> 5) & 0xffff), 0);
		return 0;
	case EXCP_HVC: {
		uint64_t x0 = rd(vm, UC_ARM64_REG_X0);
		if (x0 == PSCI_SYSTEM_OFF) {
			vm_stop(vm, true, 0, NULL);
			return VMX_STOPPED;
		}
		struct ev e = { .kind = EV_HVC, .code = (int64_t)x0 };
		vm->env.emit(vm->env.ctx, vm, &e);
		wr(vm, UC_ARM64_REG_X0, (uint64_t)-1);   /* PSCI NOT_SUPPORTED */
		return 0;
	}
	case EXCP_BKPT:
		if (vm->fault_to_guest) {
			take_sync(vm, pc, (0x3cu << 26) | (1u << 25) | ((ram_word(vm, pc) >> 5) & 0xffff), 0);
			return 0;
		}
		set_fault(vm, "breakpoint", pc, pc, false);
		break;
	default:
		if (vm->fault_to_guest) {
			take_sync(vm, pc, 1u << 25, 0);   /* EC 0: unknown reason */
			return 0;
		}
		set_fault(vm, "undefined", pc, pc, false);
		break;
	}
	return 0;
}

static void fault_from_error(struct vm *vm, uc_err e, uint64_t pc)
{
	uint64_t addr = vm->bad_access ? vm->bad_addr : pc;
	const char *kind;
	switch (e) {
	case UC_ERR_FETCH_UNMAPPED: case UC_ERR_FETCH_PROT:
		kind = find_map(vm, pc) ? "fetch-device" : "fetch-unmapped";
		addr = pc;
		break;
	case UC_ERR_WRITE_UNMAPPED: case UC_ERR_WRITE_PROT:
		kind = "write-unmapped";
		break;
	case UC_ERR_READ_UNMAPPED: case UC_ERR_READ_PROT:
		kind = "read-unmapped";
		break;
	case UC_ERR_READ_UNALIGNED: case UC_ERR_WRITE_UNALIGNED: case UC_ERR_FETCH_UNALIGNED:
		kind = "alignment";
		break;
	default:
		kind = "undefined";
		break;
	}
	set_fault(vm, kind, addr, pc, !strcmp(kind, "write-unmapped"));
}

/* Deliver a pending fault: stop the VM (default) or enter the guest (PLT-4). */
static unsigned deliver_fault(struct vm *vm)
{
	vm->pending_fault = false;
	if (vm->fault_to_guest && strcmp(vm->pf.kind, "limit") != 0) {
		bool fetch = !strncmp(vm->pf.kind, "fetch", 5);
		uint32_t ec = fetch ? 0x21 : 0x25;
		uint32_t fsc = !strcmp(vm->pf.kind, "alignment") ? 0x21 : 0x04;
		uint32_t wnr = vm->pf.write ? (1u << 6) : 0;
		take_sync(vm, vm->pf.pc, (ec << 26) | (1u << 25) | wnr | fsc, vm->pf.addr);
		return 0;
	}
	vm_stop(vm, false, 0, &vm->pf);
	return VMX_STOPPED;
}

/* ---- exactness without the count (docs/engine.md) ------------------------ */

static void drop_ram_code(struct vm *vm)
{
	uc_ctl_remove_cache(vm->uc, VM_RAM_BASE, VM_RAM_BASE + vm->ram_size);
	for (int j = 0; j < vm->n_maps; j++)
		if (vm->maps[j]->live && vm->maps[j]->is_ram)
			uc_ctl_remove_cache(vm->uc, vm->maps[j]->base, vm->maps[j]->base + vm->maps[j]->len);
}

static void fast_hooks_drop(struct vm *vm)
{
	for (int i = 0; i < vm->n_chooks; i++)
		uc_hook_del(vm->uc, vm->chooks[i]);
	vm->n_chooks = 0;
	free(vm->chooks);
	vm->chooks = NULL;
	free(vm->hr);
	vm->hr = NULL;
	vm->n_hr = 0;
	vm->fast_ready = false;
	memset(vm->sites, 0, sizeof(vm->sites));
}

/* From now on this VM runs with Unicorn's count (one way: turning the count
 * off again would flush every translation). Code translated without the
 * count's hook goes. */
static void make_counted(struct vm *vm)
{
	if (vm->counted)
		return;
	vm->counted = true;
	set_exact(vm, true);
	fast_hooks_drop(vm);
	drop_ram_code(vm);
	rem_close(vm);   /* a VM with the count never crosses a budget inside a block */
}

/* The static analysis of the loaded code and its code hooks. On failure
 * the VM runs counted. */
static void fast_setup(struct vm *vm)
{
	uint64_t lo = vm->code_lo & ~3ull, hi = vm->code_hi;
	if (hi <= lo || lo < VM_RAM_BASE || hi > VM_RAM_BASE + vm->ram_size) {
		make_counted(vm);
		return;
	}
	const uint32_t *code = (const uint32_t *)(vm->ram + (lo - VM_RAM_BASE));
	memset(vm->sites, 0, sizeof(vm->sites));   /* made with other hooked ranges */
	if (insn_hook_ranges(code, (hi - lo) / 4, lo, &vm->hr, &vm->n_hr) ||
	    (vm->n_hr && !(vm->chooks = calloc(vm->n_hr, sizeof(*vm->chooks))))) {
		make_counted(vm);
		return;
	}
	for (int i = 0; i < vm->n_hr; i++) {
		if (uc_hook_add(vm->uc, &vm->chooks[i], UC_HOOK_CODE, hook_sync, vm,
				vm->hr[i].lo, vm->hr[i].hi) != UC_ERR_OK) {
			make_counted(vm);
			return;
		}
		vm->n_chooks++;
		uc_ctl_remove_cache(vm->uc, vm->hr[i].lo, vm->hr[i].hi + 4);
	}
	vm->fast_ready = true;
}

/* ---- the crossing block's remainder (docs/engine.md) ---------------------- */

/* Past this many bytes of mappings to take out of the remainder engine
 * (2.0.1 unmaps page by page), it is closed and made anew instead. */
#define REM_REBUILD_BYTES (64ull << 20)

/* Crossings run the old way before the remainder engine is made. Making it
 * costs 1-7 ms of CPU and 3.3 MiB (Unicorn's start-up, most of it
 * first-touched pages); each crossing on it then saves 5-18 us (both by
 * machine). A VM that crosses a few times (100 quanta) never pays for it;
 * one that goes on does, once. 600 measured no better for 64 short VMs and
 * worse for long ones (bench/RESULTS.md, h-engine2 and REM_AFTER). */
#define REM_AFTER 100

/* A store of a remainder into the analysed code: the VM's engine has not
 * seen it (each engine notices only its own stores to code it translated),
 * so that code is dropped there after the remainder. */
static void hook_rem_write(uc_engine *uc, uc_mem_type type, uint64_t addr, int size,
			   int64_t value, void *user)
{
	struct vm *vm = user;
	uint64_t end = addr + (size > 0 ? (uint64_t)size : 1);
	(void)uc;
	(void)type;
	(void)value;
	if (addr < vm->rem_wlo)
		vm->rem_wlo = addr;
	if (end > vm->rem_whi)
		vm->rem_whi = end;
}

static void rem_close(struct vm *vm)
{
	if (vm->rem)
		uc_close(vm->rem);
	vm->rem = NULL;
	vm->n_rmaps = 0;
	memset(vm->rblk, 0, sizeof(vm->rblk));
}

/* The remainder engine: the VM's RAM by pointer and the hooks a run with
 * the count needs (blocks for the count at a stop, traps, unmapped
 * accesses, stores to the code). Its CPU state comes from the VM's engine
 * at each use. The device mappings follow in rem_sync. */
static bool rem_open(struct vm *vm)
{
	uc_hook h;
	if (!vm->mv && uc_context_alloc(vm->uc, &vm->mv) != UC_ERR_OK) {
		vm->mv = NULL;
		return false;
	}
	if (engine_open(vm, &vm->rem) != UC_ERR_OK)
		return false;
	if (uc_hook_add(vm->rem, &h, UC_HOOK_MEM_WRITE, hook_rem_write, vm,
			vm->code_lo, vm->code_hi - 1) != UC_ERR_OK) {
		rem_close(vm);
		return false;
	}
	vm->rem_code_lo = vm->code_lo;
	vm->rem_code_hi = vm->code_hi;
	vm->rem_gen = vm->map_gen - 1;   /* its mappings are to be made */
	return true;
}

/* r is mapping m as it is now (a freed mapping's successor at the same
 * address is the same to the engine only if it maps the same). */
static bool rmap_is(const struct rmap *r, const struct mapping *m)
{
	return m == r->m && m->base == r->base && m->len == r->len && m->host == r->host;
}

/* r is in the VM's engine as the remainder engine holds it. */
static bool rmap_current(const struct vm *vm, const struct rmap *r)
{
	for (int j = 0; j < vm->n_maps; j++)
		if (rmap_is(r, vm->maps[j]))
			return true;
	return false;
}

static bool rmap_held(const struct vm *vm, const struct mapping *m)
{
	for (int i = 0; i < vm->n_rmaps; i++)
		if (rmap_is(&vm->rmaps[i], m))
			return true;
	return false;
}

/* The remainder engine holds what the VM's engine holds: every mapping in
 * the list (live, parked or left by a stopped VM: all are in the engine
 * when no operation is queued). A device mapping's callbacks take the same
 * struct mapping, so the device and its opaque are the VM's. Made at first
 * use; false: none could be made. */
static bool rem_sync(struct vm *vm)
{
	if (vm->rem && (vm->rem_code_lo != vm->code_lo || vm->rem_code_hi != vm->code_hi))
		rem_close(vm);   /* its write hook watches another range */
	if (vm->rem && vm->rem_gen == vm->map_gen)
		return true;
	if (vm->rem) {
		uint64_t gone = 0;
		for (int i = 0; i < vm->n_rmaps; i++)
			if (!rmap_current(vm, &vm->rmaps[i]))
				gone += vm->rmaps[i].len;
		if (gone > REM_REBUILD_BYTES)
			rem_close(vm);
	}
	if (!vm->rem && !rem_open(vm))
		return false;
	for (int i = 0; i < vm->n_rmaps; i++) {
		if (rmap_current(vm, &vm->rmaps[i]))
			continue;
		uc_mem_unmap(vm->rem, vm->rmaps[i].base, vm->rmaps[i].len);
		vm->rmaps[i--] = vm->rmaps[--vm->n_rmaps];
	}
	for (int j = 0; j < vm->n_maps; j++) {
		const struct mapping *m = vm->maps[j];
		if (rmap_held(vm, m))
			continue;
		if (vm->n_rmaps == vm->cap_rmaps) {
			int cap = vm->cap_rmaps ? 2 * vm->cap_rmaps : 8;
			struct rmap *n = realloc(vm->rmaps, (size_t)cap * sizeof(*n));
			if (!n) {
				rem_close(vm);
				return false;
			}
			vm->rmaps = n;
			vm->cap_rmaps = cap;
		}
		if (engine_map(vm->rem, m)) {
			rem_close(vm);
			return false;
		}
		vm->rmaps[vm->n_rmaps++] = (struct rmap){ m, m->base, m->len, m->host };
	}
	vm->rem_gen = vm->map_gen;
	return true;
}

static uint64_t code_sum(const struct vm *vm, uint64_t at, uint64_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ n;
	for (uint64_t i = 0; i < n; i++) {
		h = (h ^ ram_word(vm, at + 4 * i)) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	return h;
}

/* The remainder engine runs the block at `at` (n instructions) from its own
 * translation, made from the words as they were: stores the VM's engine
 * ran since may have changed them (that engine drops only its own stale
 * code). Unless the block is known with the same words, its translation
 * there goes. */
static void rem_code_check(struct vm *vm, uint64_t at, uint64_t n)
{
	struct rblk *b = &vm->rblk[(at >> 2) % (sizeof(vm->rblk) / sizeof(vm->rblk[0]))];
	uint64_t sum = code_sum(vm, at, n);
	if (b->at == at && b->n == n && b->sum == sum)
		return;
	uc_ctl_remove_cache(vm->rem, at, at + 4 * n);
	*b = (struct rblk){ at, sum, n };
}

/* Run the crossing block's remainder: `left` instructions from `at`, fewer
 * than its n, on the remainder engine with Unicorn's count, so that no
 * translation of the VM's engine is dropped and the remainder engine's
 * stay cached. The CPU state (all of CPUARMState up to its host pointers:
 * registers, system registers, exclusive monitor) moves over and back by
 * context copy; callbacks use the engine running (vm->cur) and, with the
 * count, read the exact PC. false: no remainder engine (nothing ran). */
static bool run_rest(struct vm *vm, uint64_t at, uint64_t left, uint64_t n, uc_err *e)
{
	if (vm->n_ops || (!vm->rem && vm->old_crossings < REM_AFTER) || !rem_sync(vm))
		return false;
	rem_code_check(vm, at, n);
	uc_context_save(vm->uc, vm->mv);
	uc_context_restore(vm->rem, vm->mv);
	/* With the MMU on, each engine's TLB may hold translations the other's
	 * runs made stale (a context copy does not flush it). */
	bool mmu = SCTLR_EL1(vm) & 1;
	vm->cur = vm->rem;
	set_exact(vm, true);
	if (mmu)
		TLBI_VMALLE1(vm);
	vm->rem_wlo = UINT64_MAX;
	vm->rem_whi = 0;
	*e = uc_emu_start(vm->rem, at, UNTIL_NEVER, 0, left);
	uc_context_save(vm->rem, vm->mv);
	vm->cur = vm->uc;
	set_exact(vm, false);
	uc_context_restore(vm->uc, vm->mv);
	if (mmu || (SCTLR_EL1(vm) & 1))
		TLBI_VMALLE1(vm);
	if (vm->rem_wlo < vm->rem_whi)
		uc_ctl_remove_cache(vm->uc, vm->rem_wlo, vm->rem_whi);
	vm->crossings++;
	return true;
}

/* Run until target without the count. The block hook stops before the
 * block that would cross it; the instructions left (fewer than that block's)
 * run on the remainder engine (run_rest), or, without one, with an `until`
 * address, in a block translated anew for it (Unicorn ends a block at
 * `until` only when translating it) and dropped after. *at_block: stopped
 * before a block, at *stop (nothing of it ran). *exact: the run ended with
 * the count (the PC in the engine is exact). */
static uc_err run_fast(struct vm *vm, bool *at_block, uint64_t *stop, bool *exact)
{
	uc_err e = uc_emu_start(vm->uc, vm->pc, UNTIL_NEVER, 0, 0);
	*at_block = false;
	*exact = false;
	while (e == UC_ERR_OK && vm->blk_stop && !vm->cb_stop && vm->trap < 0 && !vm->pending_fault) {
		uint64_t at = vm->blk_stop_pc, left = vm->target - vm->blk_icount;
		vm->blk_stop = false;
		if (left == 0) {
			*at_block = true;
			*stop = at;
			break;
		}
		if (at - vm->code_lo >= vm->code_hi - vm->code_lo) {
			make_counted(vm);   /* code the analysis has not seen */
			*exact = true;
			e = uc_emu_start(vm->uc, at, UNTIL_NEVER, 0, left);
			break;
		}
		if (run_rest(vm, at, left, vm->blk_stop_n, &e)) {
			*exact = true;
			break;
		}
		uc_ctl_remove_cache(vm->uc, at, at + 4);
		e = uc_emu_start(vm->uc, at, at + 4 * left, 0, 0);
		vm->old_crossings++;
	}
	return e;
}

unsigned vm_exec(struct vm *vm, uint64_t budget, uint64_t *ran)
{
	unsigned out = 0;
	*ran = 0;
	if (vm->state == VM_STOPPED || budget == 0)
		return vm->state == VM_STOPPED ? VMX_STOPPED : 0;
	if (vm->n_parked)
		drop_parked(vm, 0, 0);   /* warm reuse: what this run did not map again */
	vm->req = 0;
	vm->cb_stop = false;
	vm->trap = -1;
	vm->bad_access = false;
	vm->pending_fault = false;
	vm->acc.active = vm->in_access = false;
	vm->blk_icount = vm->icount;
	vm->blk_start = vm->blk_end = vm->pc;
	vm->bp_hit = false;
	vm->watch_hit = false;
	vm->exec_icount = vm->icount;
	/* A breakpoint where we stand was reported already: pass it once. */
	vm->resume_pc = vm->pc == vm->reported_pc ? vm->pc : UINT64_MAX;
	vm->reported_pc = UINT64_MAX;
	vm->target = vm->icount + budget;
	vm->blk_stop = false;
	set_cursor(vm, vm->pc);
	set_sync(vm, 0);
	if (!vm->counted && !vm->fast_ready)
		fast_setup(vm);
	bool fast = !vm->counted, at_block = false, exact_end = false;
	uint64_t stop = 0;
	set_exact(vm, vm->counted);
	vm->running = true;
	uc_err e = fast ? run_fast(vm, &at_block, &stop, &exact_end)
			: uc_emu_start(vm->uc, vm->pc, UNTIL_NEVER, 0, budget);
	fast = fast && !exact_end;   /* (the remainder ran with the count, or the VM turned counted) */
	vm->running = false;
	uint64_t pc = rd(vm, UC_ARM64_REG_PC);
	uint64_t now;
	if (vm->cb_stop) {
		/* Stopped from a callback: after a completed access (resume past it),
		 * or at a faulting one (which did not retire). Without the count
		 * the engine's PC is its block's: the callback knew the instruction. */
		now = vm->stop_icount;
		if (vm->pending_fault)
			pc = vm->stop_pc;
		else if (fast || pc == vm->stop_pc)
			pc = vm->stop_pc + 4;
	} else {
		if (at_block)
			pc = stop;
		else if (fast && vm->bad_access && (e == UC_ERR_READ_UNMAPPED || e == UC_ERR_WRITE_UNMAPPED))
			pc = vm->bad_pc;
		now = icount_at(vm, pc);
	}
	vm->watch_pass_pc = UINT64_MAX;
	if (vm->watch_hit && !vm->cb_stop && !vm->pending_fault && vm->trap < 0 && e == UC_ERR_OK) {
		/* Undo the accessing instruction (hook_watch): stop at it. */
		for (int i = vm->n_saved_mem - 1; i >= 0; i--)
			memcpy(vm->saved_mem[i].host, vm->saved_mem[i].old, vm->saved_mem[i].len);
		for (unsigned r = 0; r < 32; r++)
			wr(vm, xreg_id(r), vm->saved_x[r]);
		for (unsigned r = 0; r < 32; r++)
			uc_reg_write(vm->uc, UC_ARM64_REG_Q0 + (int)r, vm->saved_q[r]);
		pc = vm->hit.pc;
		now = vm->hit_icount;
		vm->watch_pass_pc = pc;
		vm->bp_hit = false;          /* a breakpoint after it was not reached */
		vm->reported_pc = pc;        /* nor is one at it, on resume */
	} else {
		vm->watch_hit = false;
	}
	*ran = now - vm->icount;
	vm->icount = now;
	vm->pc = pc;
	wr(vm, UC_ARM64_REG_PC, pc);
	apply_queued(vm);

	if (e != UC_ERR_OK && !vm->pending_fault)
		fault_from_error(vm, e, pc);
	else if (vm->trap >= 0 && !vm->pending_fault)
		out |= finish_trap(vm, pc);
	if (vm->pending_fault)
		return out | deliver_fault(vm);
	if (vm->state == VM_STOPPED)
		return out | VMX_STOPPED;
	out |= vm->req;
	if (vm->watch_hit)
		out |= VMX_WATCH;
	if (vm->bp_hit && !vm->cb_stop && vm->trap < 0 && e == UC_ERR_OK) {
		vm->reported_pc = pc;
		out |= VMX_DEBUG;
	}
	/* wfi ends its block and the run with PC just past it (ARCHITECTURE). */
	if (!vm->cb_stop && vm->trap < 0 && e == UC_ERR_OK && pc == vm->blk_end &&
	    ram_word(vm, pc - 4) == INSN_WFI)
		out |= VMX_WFI;
	return out;
}

void vm_stop(struct vm *vm, bool exited, int64_t code, const struct vm_fault *f)
{
	if (vm->state == VM_STOPPED)
		return;
	vm->state = VM_STOPPED;
	if (exited) {
		vm->exited = true;
		vm->exit_code = code;
		struct ev e = { .kind = EV_EXIT, .code = code };
		vm->env.emit(vm->env.ctx, vm, &e);
	} else if (f) {
		vm->faulted = true;
		vm->fault = *f;
		struct ev e = { .kind = EV_FAULT, .addr = f->addr, .text = vm->fault.insn };
		snprintf(e.fault_kind, sizeof(e.fault_kind), "%s", f->kind);
		vm->env.emit(vm->env.ctx, vm, &e);
	}
	if (vm->running)
		vm->req |= VMX_STOPPED;
}

enum vm_state vm_state(const struct vm *vm) { return vm->state; }
void vm_set_state(struct vm *vm, enum vm_state s)
{
	vm->state = s;
	if (s != VM_STOPPED)
		bury_zombies(vm);
}
int vm_index(const struct vm *vm) { return vm->index; }
bool vm_race_on(const struct vm *vm) { return vm->race; }
const char *vm_name(const struct vm *vm) { return vm->name; }
const struct elf_image *vm_image(const struct vm *vm) { return &vm->img; }
uint64_t vm_ram_size(const struct vm *vm) { return vm->ram_size; }
void vm_set_fault_delivery(struct vm *vm, bool to_guest) { vm->fault_to_guest = to_guest; }

bool vm_exited(const struct vm *vm, int64_t *code)
{
	if (vm->exited && code)
		*code = vm->exit_code;
	return vm->exited;
}

const struct vm_fault *vm_fault(const struct vm *vm)
{
	return vm->faulted ? &vm->fault : NULL;
}

/* ---- warm reuse (snapshot.h) ---------------------------------------------- */

struct vm_warm {
	struct vm copy;           /* the VM as it was right after loading */
	uc_context *ctx;
	struct memsnap *ram;
};

void vm_warm_free(struct vm *vm)
{
	struct vm_warm *w = vm->warm;
	if (!w)
		return;
	if (w->ctx)
		uc_context_free(w->ctx);
	memsnap_free(w->ram);
	free(w);
	vm->warm = NULL;
}

int vm_warm_save(struct vm *vm)
{
	if (vm->warm || vm->n_maps || vm->debug || vm->running)
		return -1;
	struct vm_warm *w = calloc(1, sizeof(*w));
	if (!w)
		return -1;
	vm->warm = w;
	if (uc_context_alloc(vm->uc, &w->ctx) != UC_ERR_OK) {
		w->ctx = NULL;
		goto fail;
	}
	if (uc_context_save(vm->uc, w->ctx) != UC_ERR_OK ||
	    !(w->ram = memsnap_take(vm->ram, vm->ram_size)))
		goto fail;
	w->copy = *vm;
	return 0;
fail:
	vm_warm_free(vm);
	return -1;
}

/* The VM's fields become `copy`'s, except what it owns now (its engine,
 * RAM, image, arrays and hooks) and its environment and warm state, which
 * stay as they are. */
static void keep_owned(struct vm *vm, const struct vm *copy)
{
	struct vm now = *vm;
	*vm = *copy;
	vm->name = now.name;
	vm->env = now.env;
	vm->uc = vm->cur = now.uc;
	/* The remainder engine and what it holds are the engine's, not state. */
	vm->rem = now.rem;
	vm->mv = now.mv;
	vm->rmaps = now.rmaps; vm->n_rmaps = now.n_rmaps; vm->cap_rmaps = now.cap_rmaps;
	vm->map_gen = now.map_gen; vm->rem_gen = now.rem_gen;
	vm->rem_code_lo = now.rem_code_lo; vm->rem_code_hi = now.rem_code_hi;
	memcpy(vm->rblk, now.rblk, sizeof(vm->rblk));
	vm->crossings = now.crossings;
	vm->old_crossings = now.old_crossings;
	vm->ram = now.ram;
	vm->img = now.img;
	vm->maps = now.maps; vm->n_maps = now.n_maps; vm->cap_maps = now.cap_maps;
	vm->ops = now.ops; vm->n_ops = 0; vm->cap_ops = now.cap_ops;
	vm->bps = now.bps; vm->n_bps = now.n_bps;
	vm->whooks = now.whooks; vm->n_whooks = now.n_whooks; vm->cap_whooks = now.cap_whooks;
	vm->rhooks = now.rhooks; vm->n_rhooks = now.n_rhooks; vm->cap_rhooks = now.cap_rhooks;
	vm->rhook_map = now.rhook_map;
	/* The engine keeps its code hooks and its count (make_counted is one way). */
	vm->counted = now.counted; vm->fast_ready = now.fast_ready;
	vm->hr = now.hr; vm->n_hr = now.n_hr;
	vm->chooks = now.chooks; vm->n_chooks = now.n_chooks;
	memset(vm->sites, 0, sizeof(vm->sites));   /* the copy's, perhaps of other ranges */
	vm->warm = now.warm;
	vm->n_parked = now.n_parked;
}

int vm_warm_reset(struct vm *vm, const struct vm_env *env)
{
	struct vm_warm *w = vm->warm;
	if (!w || vm->running || vm->n_ops || vm->debug || vm->n_watches)
		return -1;
	if (uc_context_restore(vm->uc, w->ctx) != UC_ERR_OK || memsnap_restore(w->ram))
		return -1;
	keep_owned(vm, &w->copy);
	vm->warm = w;
	vm->env = *env;
	vm->n_parked = 0;
	for (int i = 0; i < vm->n_maps; i++) {
		struct mapping *m = vm->maps[i];
		m->parked = true;   /* every mapping left is still in the engine */
		m->zombie = false;  /* parked now: drop_parked takes it out, not bury_zombies */
		m->live = false;
		vm->n_parked++;
	}
	return 0;
}

/* ---- mid-run snapshots (vm.h) -------------------------------------------- */

struct vm_snap {
	struct vm copy;
	uc_context *ctx;
	struct memsnap *ram;
	/* The map as it was: restored only onto the same mappings. */
	struct mapping **maps; struct mapping *flags; int n_maps;
};

void vm_snap_free(struct vm_snap *s)
{
	if (!s)
		return;
	if (s->ctx)
		uc_context_free(s->ctx);
	memsnap_free(s->ram);
	free(s->maps);
	free(s->flags);
	free(s);
}

struct vm_snap *vm_snap_take(struct vm *vm)
{
	if (vm->running || vm->n_ops || vm->debug || vm->race || vm->n_watches)
		return NULL;
	struct vm_snap *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->n_maps = vm->n_maps;
	s->maps = calloc((size_t)vm->n_maps + 1, sizeof(*s->maps));
	s->flags = calloc((size_t)vm->n_maps + 1, sizeof(*s->flags));
	if (!s->maps || !s->flags || uc_context_alloc(vm->uc, &s->ctx) != UC_ERR_OK) {
		s->ctx = NULL;
		goto fail;
	}
	if (uc_context_save(vm->uc, s->ctx) != UC_ERR_OK ||
	    !(s->ram = memsnap_take(vm->ram, vm->ram_size)))
		goto fail;
	for (int i = 0; i < vm->n_maps; i++) {
		s->maps[i] = vm->maps[i];
		s->flags[i] = *vm->maps[i];
	}
	s->copy = *vm;
	return s;
fail:
	vm_snap_free(s);
	return NULL;
}

static bool same_mapping(const struct mapping *a, const struct mapping *b)
{
	return a->base == b->base && a->len == b->len && a->is_ram == b->is_ram &&
	       a->host == b->host && a->ops == b->ops && a->opaque == b->opaque &&
	       !strcmp(a->dev, b->dev);
}

static bool in_snap(const struct vm_snap *s, const struct mapping *m)
{
	for (int i = 0; i < s->n_maps; i++)
		if (s->maps[i] == m && same_mapping(m, &s->flags[i]))
			return true;
	return false;
}

static bool in_vm(const struct vm *vm, const struct mapping *m, const struct mapping *flags)
{
	for (int j = 0; j < vm->n_maps; j++)
		if (vm->maps[j] == m && same_mapping(vm->maps[j], flags))
			return true;
	return false;
}

/* Bytes of mappings a restore would take out of the engine or put back.
 * Unicorn 2.0.1 unmaps page by page (a 4 GiB shared region: about a million
 * pages, seconds), so past this a restore costs more than re-running the
 * schedule from the load, and it is refused. */
#define SNAP_MAP_CHURN (64ull << 20)

static uint64_t map_churn(const struct vm *vm, const struct vm_snap *s)
{
	uint64_t bytes = 0;
	for (int j = 0; j < vm->n_maps; j++)
		if (!in_snap(s, vm->maps[j]))
			bytes += vm->maps[j]->len;
	for (int i = 0; i < s->n_maps; i++)
		if (!in_vm(vm, s->maps[i], &s->flags[i]))
			bytes += s->flags[i].len;
	return bytes;
}

bool vm_snap_fits(const struct vm *vm, const struct vm_snap *s)
{
	return !vm->running && !vm->n_ops && !vm->debug && !vm->race && !vm->n_watches &&
	       map_churn(vm, s) <= SNAP_MAP_CHURN;
}

/* The map as it was at the snapshot: a mapping still there (the same one)
 * keeps its place in the engine; one added since leaves it, one removed
 * since comes back (its device's opaque must still be alive: the caller's).
 * Every mapping in the list is in the engine when no operation is queued. */
static int restore_maps(struct vm *vm, const struct vm_snap *s)
{
	struct mapping **want = calloc((size_t)s->n_maps + 1, sizeof(*want));
	bool *kept = calloc((size_t)vm->n_maps + 1, sizeof(*kept));
	int rc = 0;
	if (!want || !kept || (s->n_maps > vm->cap_maps && grow_maps(vm, s->n_maps))) {
		rc = -1;
		goto out;
	}
	for (int i = 0; i < s->n_maps; i++)
		for (int j = 0; j < vm->n_maps && !want[i]; j++)
			if (!kept[j] && vm->maps[j] == s->maps[i] &&
			    same_mapping(vm->maps[j], &s->flags[i])) {
				want[i] = vm->maps[j];
				kept[j] = true;
			}
	for (int j = 0; j < vm->n_maps; j++)
		if (!kept[j]) {
			engine_unmap(vm, vm->maps[j]);
			free(vm->maps[j]);
		}
	vm->n_maps = 0;
	for (int i = 0; i < s->n_maps; i++) {
		struct mapping *m = want[i] ? want[i] : malloc(sizeof(*m));
		if (!m) {
			rc = -1;
			continue;
		}
		*m = s->flags[i];
		if (!want[i] && apply_map(vm, m)) {
			free(m);
			rc = -1;
			continue;
		}
		vm->maps[vm->n_maps++] = m;
	}
out:
	free(want);
	free(kept);
	return rc;
}

int vm_snap_restore(struct vm *vm, const struct vm_snap *s)
{
	if (!vm_snap_fits(vm, s) || uc_context_restore(vm->uc, s->ctx) != UC_ERR_OK ||
	    memsnap_restore(s->ram))
		return -1;
	int rc = restore_maps(vm, s);
	keep_owned(vm, &s->copy);
	vm->n_parked = 0;
	for (int i = 0; i < vm->n_maps; i++)
		vm->n_parked += vm->maps[i]->parked;
	return rc;
}
