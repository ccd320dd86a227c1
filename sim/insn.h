/* insn.h - just enough AArch64 load/store decoding for the MMIO bus: how many
 * bytes one instruction accesses, its element size (natural alignment), and
 * its effective address. Pure: registers come through a callback. */
#ifndef HVSIM_INSN_H
#define HVSIM_INSN_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>

#define INSN_WFI 0xd503207fu

struct ldst {
	bool valid;        /* a load or store this decoder understands */
	bool is_store;
	bool exclusive;    /* ldxr/stxr family: a monitor, not a plain access */
	unsigned elem;     /* bytes per element: natural alignment */
	unsigned total;    /* bytes accessed by the instruction (elem or 2*elem) */
	uint64_t ea;       /* effective address (lowest byte) */
};

/* Register n (0..30 = Xn, 31 = SP). */
typedef uint64_t (*insn_reg_fn)(void *ctx, unsigned n);

/* Decode the load/store at `pc` (word `insn`). Registers are read as they are
 * before the instruction's writeback. */
struct ldst insn_decode_ldst(uint32_t insn, uint64_t pc, insn_reg_fn reg, void *ctx);

/* The same in two steps, so a caller can keep the first by instruction word:
 * what the word alone says (d.ea is 0), then the address from the registers
 * (base + imm; with an Rm, base + extend(Rm) << shift; literal: pc + imm). */
enum { LDST_BASE_REG, LDST_BASE_REG_RM, LDST_BASE_PC };
struct ldst_form {
	struct ldst d;
	uint8_t base, rn, rm, option, shift;
	uint64_t imm;
};
struct ldst_form insn_ldst_form(uint32_t insn);
uint64_t insn_ldst_ea(const struct ldst_form *f, uint64_t pc, insn_reg_fn reg, void *ctx);
/* The same from the values of Rn (31: SP) and Rm (read only for
 * LDST_BASE_REG_RM with rm != 31), for a caller that reads them itself. */
uint64_t insn_ldst_ea_of(const struct ldst_form *f, uint64_t pc, uint64_t xn, uint64_t xm);

/* Memory ordering of the load/store `insn` (shared data, docs/races.md):
 * INSN_ATOMIC for exclusives, load-acquire/store-release and LSE atomics
 * (CAS, SWP, LDADD...), with INSN_ACQUIRE / INSN_RELEASE as the form says.
 * 0 for a plain access. */
enum { INSN_ATOMIC = 1, INSN_ACQUIRE = 2, INSN_RELEASE = 4 };
unsigned insn_mem_order(uint32_t insn);

/* A DMB or DSB (not SSBB/PSSBB): true, with what it orders between a
 * shareable domain's observers (NSH orders nothing for another CPU):
 * *stores earlier stores before later stores (ST or full), *loads earlier
 * loads before later accesses (LD or full). */
bool insn_barrier(uint32_t insn, bool *stores, bool *loads);

/* Exactness without a per-instruction hook (docs/engine.md). A device
 * callback knows the block it runs in, not the instruction: these static
 * facts let it find the instruction, and say where it could not. */
enum { INSN_MEM_LOAD = 1, INSN_MEM_STORE = 2, INSN_MEM_ANY = 3 };
#define INSN_BLOCK_MAX 512          /* the longest translated block */
/* How `w` can reach the bus: 0 never, load, store, or any (forms the
 * decoder does not know, and SYS such as DC ZVA). */
unsigned insn_mem_kind(uint32_t w);
/* The general registers `w` may write (bit 31: SP), over-approximated. */
uint32_t insn_writes(uint32_t w);
/* The general registers a memory instruction's address is computed from. */
uint32_t insn_addr_regs(uint32_t w);
/* A branch, exception or wfi: no block runs past it. */
bool insn_ends_block(uint32_t w);
/* Where a callback could mistake the instruction (inclusive guest address
 * ranges, sorted, merged): from a memory instruction j to a later one i of
 * the same block that could be taken for it, because j's address registers
 * may change between them (j computes i's address now but did not then), or
 * j is of a form with no known address; and every SYS with the instruction
 * after it (its helper does not end the block at a stop). *out is malloc'd. */
struct insn_range { uint64_t lo, hi; };
int insn_hook_ranges(const uint32_t *code, size_t n, uint64_t base,
		     struct insn_range **out, int *n_out);

#endif
