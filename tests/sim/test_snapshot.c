/* test_snapshot.c - RAM snapshots and warm VMs (sim/snapshot.h). */
#include <string.h>
#include <sys/mman.h>
#include "tests/unit.h"
#include "vdev/memsnap.h"
#include "sim/snapshot.h"
#include "sim/vm.h"

#define PG 4096
#define NPG 64

/* Restored bytes are the snapshot's: changed pages back, pages first
 * touched after it zero again, untouched ones untouched. */
static void test_memsnap_restores(void)
{
	uint8_t *m = mmap(NULL, NPG * PG, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	CU_ASSERT_FATAL(m != MAP_FAILED);
	memset(m + 3 * PG, 0xab, PG);
	memcpy(m + 10 * PG + 7, "hello", 5);
	m[20 * PG] = 0;                       /* resident, all zero */
	struct memsnap *s = memsnap_take(m, NPG * PG);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	for (int round = 0; round < 2; round++) {
		memset(m + 3 * PG + 100, 0x11, 50);
		memcpy(m + 10 * PG + 7, "HELLO", 5);
		m[20 * PG + 5] = 9;
		memset(m + 40 * PG, 0x5a, 2 * PG);   /* pages the snapshot never saw */
		CU_ASSERT_EQUAL(memsnap_restore(s), 0);
		CU_ASSERT_EQUAL(m[3 * PG + 120], 0xab);
		CU_ASSERT_EQUAL(m[4 * PG - 1], 0xab);
		CU_ASSERT_EQUAL(memcmp(m + 10 * PG + 7, "hello", 5), 0);
		CU_ASSERT_EQUAL(m[20 * PG + 5], 0);
		CU_ASSERT_EQUAL(m[40 * PG], 0);
		CU_ASSERT_EQUAL(m[42 * PG - 1], 0);
	}
	memsnap_free(s);
	munmap(m, NPG * PG);
}

static void no_emit(void *ctx, struct vm *vm, struct ev *e) { (void)ctx; (void)vm; (void)e; }
static void no_after(void *ctx, struct vm *vm, bool p) { (void)ctx; (void)vm; (void)p; }

/* A warm VM runs again from its load: same registers, RAM back, and its
 * engine (the same pointer) reused through the pool. */
static void test_pool_reuses_a_reset_vm(void)
{
	/* mov x1, #5; add x1, x1, #1; str x1, [x2]; b . */
	static const uint32_t code[] = { 0xd28000a1, 0x91000421, 0xf9000041, 0x14000000 };
	struct vm_env env = { .emit = no_emit, .after_access = no_after };
	char err[128];
	struct vm_pool *p = vm_pool_new();
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	struct vm *vm = vm_new(0, "a", 1 << 20, &env, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(vm);
	CU_ASSERT_EQUAL(vm_load_image(vm, code, sizeof(code), VM_RAM_BASE), 0);
	vm_set_reg(vm, 2, VM_RAM_BASE + 0x8000);
	CU_ASSERT_EQUAL(vm_pool_adopt(p, 0, vm, NULL, 0), 0);
	CU_ASSERT_EQUAL(vm_pool_put(p, 0, vm), 0);
	for (int round = 0; round < 3; round++) {
		struct vm *w = vm_pool_take(p, 0, &env, NULL, 0, false);
		CU_ASSERT_PTR_EQUAL_FATAL(w, vm);
		CU_ASSERT_PTR_NULL(vm_pool_take(p, 0, &env, NULL, 0, false));   /* out already */
		uint64_t before = 1;
		CU_ASSERT_EQUAL(vm_read_mem(w, VM_RAM_BASE + 0x8000, &before, 8), 0);
		CU_ASSERT_EQUAL(before, 0);
		CU_ASSERT_EQUAL(vm_reg(w, 1), 0);
		uint64_t ran = 0;
		vm_exec(w, 10, &ran);
		CU_ASSERT_EQUAL(ran, 10);
		CU_ASSERT_EQUAL(vm_icount(w), 10);
		CU_ASSERT_EQUAL(vm_reg(w, 1), 6);
		uint64_t after = 0;
		CU_ASSERT_EQUAL(vm_read_mem(w, VM_RAM_BASE + 0x8000, &after, 8), 0);
		CU_ASSERT_EQUAL(after, 6);
		CU_ASSERT_EQUAL(vm_pool_put(p, 0, w), 0);
	}
	vm_pool_free(p);
}


/* Race mode on a warm VM: the pool gives a race-mode VM only to a
 * race-mode take (and a plain one only to a plain take); after the reset
 * its hooks, kept with its translated code, call the ops of the new run
 * alone, once per access, on the shared page mapped again. */
struct race_count { int accesses, writes; uint64_t value; };

static void count_access(void *ctx, struct vm *vm, const uint8_t *host, uint64_t addr,
			 unsigned len, bool write, uint64_t value, uint64_t pc, uint32_t insn)
{
	struct race_count *c = ctx;
	(void)vm; (void)host; (void)addr; (void)len; (void)pc; (void)insn;
	c->accesses++;
	c->writes += write;
	c->value = value;
}

static void count_barrier(void *ctx, struct vm *vm, uint64_t pc, uint32_t insn)
{
	(void)ctx; (void)vm; (void)pc; (void)insn;
}

static void test_pool_race_vms(void)
{
	/* mov x1, #5; add x1, x1, #1; str x1, [x2]; b . */
	static const uint32_t code[] = { 0xd28000a1, 0x91000421, 0xf9000041, 0x14000000 };
	static uint8_t page[4096] __attribute__((aligned(4096)));
	const uint64_t shared = 0x80000000ull;
	struct vm_env env = { .emit = no_emit, .after_access = no_after };
	char err[128];
	struct vm_pool *p = vm_pool_new();
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	struct vm *plain = vm_new(0, "a", 1 << 20, &env, err, sizeof(err));
	struct vm *vm = vm_new(1, "b", 1 << 20, &env, err, sizeof(err));
	CU_ASSERT_FATAL(plain && vm);
	CU_ASSERT_EQUAL_FATAL(vm_load_image(plain, code, sizeof(code), VM_RAM_BASE), 0);
	CU_ASSERT_EQUAL_FATAL(vm_load_image(vm, code, sizeof(code), VM_RAM_BASE), 0);
	vm_set_reg(vm, 2, shared);
	struct race_count c[4];
	memset(c, 0, sizeof(c));
	struct vm_race_ops ops = { .ctx = &c[0], .access = count_access, .barrier = count_barrier };
	CU_ASSERT_EQUAL_FATAL(vm_race_enable(vm, &ops), 0);
	CU_ASSERT_EQUAL_FATAL(vm_pool_adopt(p, 0, plain, NULL, 0), 0);
	CU_ASSERT_EQUAL_FATAL(vm_pool_adopt(p, 1, vm, NULL, 0), 0);
	CU_ASSERT_EQUAL(vm_pool_put(p, 0, plain), 0);
	CU_ASSERT_PTR_NULL(vm_pool_take(p, 0, &env, NULL, 0, true));    /* not race mode */
	CU_ASSERT_PTR_EQUAL(vm_pool_take(p, 0, &env, NULL, 0, false), plain);
	CU_ASSERT_EQUAL(vm_pool_put(p, 0, plain), 0);
	for (int round = 0; round < 4; round++) {
		struct vm *w = round ? vm_pool_take(p, 1, &env, NULL, 0, true) : vm;
		CU_ASSERT_PTR_EQUAL_FATAL(w, vm);
		if (round) {
			ops.ctx = &c[round];
			CU_ASSERT_EQUAL(vm_race_enable(w, &ops), 0);
		}
		memset(page, 0, 8);
		CU_ASSERT_EQUAL_FATAL(vm_map_ram(w, shared, sizeof(page), page), 0);
		uint64_t ran = 0;
		vm_exec(w, 10, &ran);
		CU_ASSERT_EQUAL(ran, 10);
		CU_ASSERT_EQUAL(page[0], 6);
		for (int k = 0; k < 4; k++) {   /* this run's ops alone, once */
			CU_ASSERT_EQUAL(c[k].accesses, k <= round);
			CU_ASSERT_EQUAL(c[k].writes, k <= round);
		}
		CU_ASSERT_EQUAL(c[round].value, 6);
		CU_ASSERT_EQUAL(vm_pool_put(p, 1, w), 0);
		if (!round)   /* race mode: no plain take gets it */
			CU_ASSERT_PTR_NULL(vm_pool_take(p, 1, &env, NULL, 0, false));
	}
	vm_pool_free(p);
}

/* A mid-run snapshot taken between two vm_exec calls: restoring it gives
 * back the registers, the count, the RAM (pages first touched since are
 * zero again), and the run from there repeats exactly; the map goes back
 * to what it was. */
static void test_vm_snap_round_trip(void)
{
	/* loop: add x1, x1, #1; str x1, [x2], #8; b loop */
	static const uint32_t code[] = { 0x91000421, 0xf8008441, 0x17fffffe };
	const uint64_t buf = VM_RAM_BASE + 0x10000;
	struct vm_env env = { .emit = no_emit, .after_access = no_after };
	char err[128];
	struct vm *vm = vm_new(0, "a", 1 << 20, &env, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(vm);
	CU_ASSERT_EQUAL_FATAL(vm_load_image(vm, code, sizeof(code), VM_RAM_BASE), 0);
	vm_set_reg(vm, 2, buf);
	uint64_t ran = 0;
	vm_exec(vm, 300, &ran);
	struct vm_snap *s = vm_snap_take(vm);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	uint64_t x1 = vm_reg(vm, 1), x2 = vm_reg(vm, 2), pc = vm_pc(vm), ic = vm_icount(vm);
	CU_ASSERT_EQUAL(x1, 100);
	uint64_t later[3] = {0};
	for (int round = 0; round < 3; round++) {
		vm_exec(vm, 6000, &ran);   /* 2000 stores: two pages the snapshot never saw */
		uint64_t now[3] = { vm_reg(vm, 1), vm_reg(vm, 2), vm_icount(vm) };
		if (round == 0)
			memcpy(later, now, sizeof(now));
		CU_ASSERT_EQUAL(memcmp(now, later, sizeof(now)), 0);
		uint64_t last = 0;
		CU_ASSERT_EQUAL(vm_read_mem(vm, now[1] - 8, &last, 8), 0);
		CU_ASSERT_EQUAL(last, now[0]);
		CU_ASSERT_EQUAL(vm_snap_restore(vm, s), 0);
		CU_ASSERT_EQUAL(vm_reg(vm, 1), x1);
		CU_ASSERT_EQUAL(vm_reg(vm, 2), x2);
		CU_ASSERT_EQUAL(vm_pc(vm), pc);
		CU_ASSERT_EQUAL(vm_icount(vm), ic);
		CU_ASSERT_EQUAL(vm_state(vm), VM_RUNNABLE);
		uint64_t v = 0;
		CU_ASSERT_EQUAL(vm_read_mem(vm, x2 - 8, &v, 8), 0);
		CU_ASSERT_EQUAL(v, x1);   /* written before: kept */
		CU_ASSERT_EQUAL(vm_read_mem(vm, x2, &v, 8), 0);
		CU_ASSERT_EQUAL(v, 0);    /* written after: gone */
		CU_ASSERT_EQUAL(vm_read_mem(vm, later[1] - 8, &v, 8), 0);
		CU_ASSERT_EQUAL(v, 0);    /* on a page first touched after: zero */
	}
	/* A mapping added since leaves; one removed since comes back, in the
	 * engine: the guest loads through it. */
	static uint8_t page[4096] __attribute__((aligned(4096)));
	memcpy(page, "\x2a\0\0\0\0\0\0\0", 8);
	const uint64_t shared = 0x80000000ull;
	CU_ASSERT_EQUAL_FATAL(vm_map_ram(vm, shared, sizeof(page), page), 0);
	CU_ASSERT_PTR_EQUAL(vm_host_ptr(vm, shared, 8), page);
	CU_ASSERT_EQUAL(vm_snap_restore(vm, s), 0);
	CU_ASSERT_PTR_NULL(vm_host_ptr(vm, shared, 8));
	CU_ASSERT_EQUAL(vm_reg(vm, 1), x1);
	CU_ASSERT_EQUAL_FATAL(vm_map_ram(vm, shared, sizeof(page), page), 0);
	struct vm_snap *with = vm_snap_take(vm);
	CU_ASSERT_PTR_NOT_NULL_FATAL(with);
	vm_unmap(vm, shared, sizeof(page));
	CU_ASSERT_PTR_NULL(vm_host_ptr(vm, shared, 8));
	for (int round = 0; round < 2; round++) {
		CU_ASSERT_EQUAL(vm_snap_restore(vm, with), 0);
		CU_ASSERT_PTR_EQUAL(vm_host_ptr(vm, shared, 8), page);
		/* ldr x3, [x4]; b . at RAM + 0x2000 */
		static const uint32_t load[] = { 0xf9400083, 0x14000000 };
		CU_ASSERT_EQUAL(vm_write_mem(vm, VM_RAM_BASE + 0x2000, load, sizeof(load)), 0);
		vm_set_reg(vm, 4, shared);
		vm_set_reg(vm, 32, VM_RAM_BASE + 0x2000);
		vm_exec(vm, 1, &ran);
		CU_ASSERT_EQUAL(ran, 1);
		CU_ASSERT_PTR_NULL(vm_fault(vm));
		CU_ASSERT_EQUAL(vm_reg(vm, 3), 0x2a);
	}
	vm_snap_free(with);
	vm_snap_free(s);
	vm_free(vm);
}

/* A restore that would move more than 64 MiB of mappings in or out of the
 * engine is refused, changing nothing (Unicorn unmaps page by page: the
 * caller re-runs from the load instead); at 64 MiB it is done. */
static void test_vm_snap_refuses_large_map_churn(void)
{
	static const uint32_t code[] = { 0x14000000 };   /* b . */
	struct vm_env env = { .emit = no_emit, .after_access = no_after };
	char err[128];
	struct vm *vm = vm_new(0, "a", 1 << 20, &env, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(vm);
	CU_ASSERT_EQUAL_FATAL(vm_load_image(vm, code, sizeof(code), VM_RAM_BASE), 0);
	const size_t big = 64u << 20;
	void *host = mmap(NULL, big + 4096, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	CU_ASSERT_FATAL(host != MAP_FAILED);
	const uint64_t at = 0x100000000ull;
	struct vm_snap *s = vm_snap_take(vm);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL_FATAL(vm_map_ram(vm, at, big, host), 0);
	CU_ASSERT_TRUE(vm_snap_fits(vm, s));
	CU_ASSERT_EQUAL(vm_snap_restore(vm, s), 0);
	CU_ASSERT_PTR_NULL(vm_host_ptr(vm, at, 8));
	CU_ASSERT_EQUAL_FATAL(vm_map_ram(vm, at, big + 4096, host), 0);
	CU_ASSERT_FALSE(vm_snap_fits(vm, s));
	CU_ASSERT_EQUAL(vm_snap_restore(vm, s), -1);
	CU_ASSERT_PTR_EQUAL(vm_host_ptr(vm, at, 8), host);   /* refused: nothing changed */
	vm_snap_free(s);
	vm_free(vm);
	munmap(host, big + 4096);
}

static CU_TestInfo snapshot_tests[] = {
	{ "memsnap restores changed and new pages", test_memsnap_restores },
	{ "pool: a VM reset to its load, engine kept", test_pool_reuses_a_reset_vm },
	{ "pool: race-mode VMs serve race mode only, hooks call the new run", test_pool_race_vms },
	{ "vm snapshot mid-run: restored and repeated", test_vm_snap_round_trip },
	{ "vm snapshot: a restore moving > 64 MiB of mappings is refused", test_vm_snap_refuses_large_map_churn },
	CU_TEST_INFO_NULL,
};

UNIT_SUITE("snapshot", snapshot_tests);
