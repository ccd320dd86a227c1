/* test_snapshot.c - RAM snapshots and warm VMs (sim/snapshot.h). */
#include <string.h>
#include <sys/mman.h>
#include "tests/unit.h"
#include "sim/memsnap.h"
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
		struct vm *w = vm_pool_take(p, 0, &env, NULL, 0);
		CU_ASSERT_PTR_EQUAL_FATAL(w, vm);
		CU_ASSERT_PTR_NULL(vm_pool_take(p, 0, &env, NULL, 0));   /* out already */
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

static CU_TestInfo snapshot_tests[] = {
	{ "memsnap restores changed and new pages", test_memsnap_restores },
	{ "pool: a VM reset to its load, engine kept", test_pool_reuses_a_reset_vm },
	CU_TEST_INFO_NULL,
};

UNIT_SUITE("snapshot", snapshot_tests);
