/* test_vm.c - one real VM on Unicorn (sim/vm.c): exact instruction counts,
 * the MMIO bus (one access per instruction), faults, traps, WFI, stops and
 * map changes from inside device callbacks, exception entry.
 *
 * Guest code is hand-encoded: each word was produced by aarch64-linux-gnu-as
 * and checked with aarch64-linux-gnu-objdump -d; the assembly sits beside it
 * with its offset from the RAM base. Registers the code uses as inputs are
 * set from C (x2 = DEV, x3 = DEV2, x5 = a probe address). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tests/unit.h"
#include "sim/vm.h"

#define RAM      (1ull << 20)
#define BASE     VM_RAM_BASE
#define DEV      0x09010000ull     /* the recording device, 1 page */
#define DEV2     0x09020000ull     /* mapped by a callback */
#define NOWHERE  0x00100000ull     /* nothing is mapped here */

#define X(n) (n)
#define REG_SP     31
#define REG_PC     32
#define REG_PSTATE 33
#define DAIF_BITS  0x3c0ull

/* ---- recorders ---------------------------------------------------------- */

#define MAX_REC 1024

/* Device accesses as the device model sees them. */
static struct acc {
	char dir;                 /* 'r' / 'w' */
	int dev;                  /* 1 = DEV, 2 = DEV2 */
	uint64_t off;
	unsigned len;
	uint8_t b[32];
	uint64_t icount;          /* vm_icount() inside the callback */
	uint64_t pc;              /* vm_pc() inside the callback */
} accs[MAX_REC];
static int n_accs;

/* Events emitted by the VM. */
static struct evrec {
	enum ev_kind kind;
	int64_t code;
	char fault_kind[20];
	uint64_t addr, off, value, value_hi;
	unsigned width;
	char dir;
	char dev[24];
} evs[MAX_REC];
static int n_evs;

static int n_after;                 /* after_access calls */
static bool after_point[MAX_REC];   /* their sched_point argument */

/* What the callbacks do besides recording. */
static enum action {
	ACT_NONE,
	ACT_STOP,         /* vm_request_stop(VMX_YIELD) from the device callback */
	ACT_STOP_AFTER,   /* vm_request_stop(VMX_POINT) from after_access */
	ACT_REMAP,        /* write at off 0: map DEV2; off 4: unmap DEV2; off 8: unmap DEV */
	ACT_EXIT,         /* write at off 0: vm_stop(exited, code = value), like the test device */
} action;
static bool range_free_in_cb = true;   /* vm_range_free(DEV2) seen right after mapping it */
static bool free_after_unmap_cb;       /* vm_range_free() of a range just unmapped in a callback */

static uint8_t devmem[2][4096];        /* what the devices read back */
static struct vm *the_vm;

static void rec_emit(void *ctx, struct vm *vm, struct ev *e)
{
	(void)ctx;
	CU_ASSERT_PTR_EQUAL(vm, the_vm);
	if (n_evs == MAX_REC)
		return;
	struct evrec *r = &evs[n_evs++];
	memset(r, 0, sizeof(*r));
	r->kind = e->kind;
	r->code = e->code;
	snprintf(r->fault_kind, sizeof(r->fault_kind), "%s", e->fault_kind);
	snprintf(r->dev, sizeof(r->dev), "%s", e->dev);
	r->addr = e->addr;
	r->off = e->off;
	r->value = e->value;
	r->value_hi = e->value_hi;
	r->width = e->width;
	r->dir = e->dir;
}

static void rec_after(void *ctx, struct vm *vm, bool sched_point)
{
	(void)ctx;
	if (n_after < MAX_REC)
		after_point[n_after] = sched_point;
	n_after++;
	if (action == ACT_STOP_AFTER)
		vm_request_stop(vm, VMX_POINT);
}

static const struct mmio_ops dev_ops, dev2_ops;

static struct acc *record(int dev, char dir, uint64_t off, unsigned len)
{
	CU_ASSERT_FATAL(n_accs < MAX_REC);
	struct acc *a = &accs[n_accs++];
	memset(a, 0, sizeof(*a));
	a->dir = dir;
	a->dev = dev;
	a->off = off;
	a->len = len;
	a->icount = vm_icount(the_vm);
	a->pc = vm_pc(the_vm);
	return a;
}

static void dev_read_n(int dev, uint64_t off, unsigned len, uint8_t *out)
{
	struct acc *a = record(dev, 'r', off, len);
	for (unsigned i = 0; i < len; i++)
		out[i] = off + i < 4096 ? devmem[dev - 1][off + i] : 0;
	if (dev == 1 && off == 0x24 && len == 4)          /* CLOCK-like register */
		le_put(out, 4, vm_icount(the_vm));
	memcpy(a->b, out, len < sizeof(a->b) ? len : sizeof(a->b));
	if (action == ACT_STOP)
		vm_request_stop(the_vm, VMX_YIELD);
}

static void dev_write_n(int dev, uint64_t off, unsigned len, const uint8_t *data)
{
	struct acc *a = record(dev, 'w', off, len);
	memcpy(a->b, data, len < sizeof(a->b) ? len : sizeof(a->b));
	if (action == ACT_STOP)
		vm_request_stop(the_vm, VMX_YIELD);
	if (action == ACT_EXIT && dev == 1 && off == 0)
		vm_stop(the_vm, true, (int64_t)le_get(data, len), NULL);
	if (action == ACT_REMAP && dev == 1) {
		if (off == 0) {
			CU_ASSERT_EQUAL(vm_map_mmio(the_vm, DEV2, 0x1000, "dev2", &dev2_ops, NULL), 0);
			range_free_in_cb = vm_range_free(the_vm, DEV2, 0x1000);
		} else if (off == 4) {
			vm_unmap(the_vm, DEV2, 0x1000);
			free_after_unmap_cb = vm_range_free(the_vm, DEV2, 0x1000);
		} else if (off == 8) {
			vm_unmap(the_vm, DEV, 0x1000);
			free_after_unmap_cb = vm_range_free(the_vm, DEV, 0x1000);
		}
	}
}

static void dev_read(void *o, uint64_t off, unsigned len, uint8_t *out) { dev_read_n(1, off, len, out); }
static void dev_write(void *o, uint64_t off, unsigned len, const uint8_t *d) { dev_write_n(1, off, len, d); }
static void dev2_read(void *o, uint64_t off, unsigned len, uint8_t *out) { dev_read_n(2, off, len, out); }
static void dev2_write(void *o, uint64_t off, unsigned len, const uint8_t *d) { dev_write_n(2, off, len, d); }

static const struct mmio_ops dev_ops = { .read = dev_read, .write = dev_write, .sched_point = true };
static const struct mmio_ops dev2_ops = { .read = dev2_read, .write = dev2_write, .sched_point = false };

/* ---- helpers ------------------------------------------------------------ */

static const struct vm_env env = { .emit = rec_emit, .after_access = rec_after };

/* A VM with `code` at the RAM base (entry there), DEV mapped, x2 = DEV,
 * x3 = DEV2, every recorder empty. */
static struct vm *mk(const uint32_t *code, size_t n_words)
{
	char err[256];
	n_accs = n_evs = n_after = 0;
	action = ACT_NONE;
	range_free_in_cb = true;
	free_after_unmap_cb = false;
	for (int d = 0; d < 2; d++)
		for (int i = 0; i < 4096; i++)
			devmem[d][i] = (uint8_t)(0x10 * (d + 1) + i * 7);
	struct vm *vm = vm_new(0, "t", RAM, &env, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(vm);
	the_vm = vm;
	CU_ASSERT_EQUAL_FATAL(vm_load_image(vm, code, n_words * 4, BASE), 0);
	CU_ASSERT_EQUAL_FATAL(vm_map_mmio(vm, DEV, 0x1000, "dev", &dev_ops, NULL), 0);
	vm_set_reg(vm, X(2), DEV);
	vm_set_reg(vm, X(3), DEV2);
	CU_ASSERT_EQUAL(vm_pc(vm), BASE);
	CU_ASSERT_EQUAL(vm_icount(vm), 0);
	return vm;
}

#define MK(code) mk(code, sizeof(code) / sizeof(code[0]))

static void done(struct vm *vm)
{
	vm_free(vm);
	the_vm = NULL;
}

/* One vm_exec; returns its flags, *ran the count. */
static unsigned run(struct vm *vm, uint64_t budget, uint64_t *ran)
{
	*ran = 0xdeadbeef;
	return vm_exec(vm, budget, ran);
}

/* Run until the VM stops or sleeps (budget per call); total retired. */
static uint64_t run_all(struct vm *vm, uint64_t budget, unsigned *last)
{
	uint64_t total = 0, ran;
	unsigned why = 0;
	for (int i = 0; i < 1000; i++) {
		why = run(vm, budget, &ran);
		total += ran;
		if (why & (VMX_WFI | VMX_STOPPED))
			break;
	}
	*last = why;
	return total;
}

static int count_ev(enum ev_kind k)
{
	int n = 0;
	for (int i = 0; i < n_evs; i++)
		n += evs[i].kind == k;
	return n;
}

static const struct evrec *find_ev(enum ev_kind k)
{
	for (int i = 0; i < n_evs; i++)
		if (evs[i].kind == k)
			return &evs[i];
	return NULL;
}

/* The fault record, which must be there (the test goes on to read it). */
static const struct vm_fault *must_fault(const struct vm *vm)
{
	const struct vm_fault *f = vm_fault(vm);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	return f;
}

/* An event that must be there (the test goes on to read it). */
static const struct evrec *must_ev(enum ev_kind k)
{
	const struct evrec *e = find_ev(k);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	return e;
}

static uint64_t le(const uint8_t *b, unsigned n) { return le_get(b, n); }

/* The one VM stopped with a fault of `kind` at `addr`, PC `pc`. */
static void check_fault(struct vm *vm, unsigned why, const char *kind, uint64_t addr, uint64_t pc)
{
	CU_ASSERT_TRUE(why & VMX_STOPPED);
	CU_ASSERT_EQUAL(vm_state(vm), VM_STOPPED);
	CU_ASSERT_FALSE(vm_exited(vm, NULL));
	const struct vm_fault *f = vm_fault(vm);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_STRING_EQUAL(f->kind, kind);
	CU_ASSERT_EQUAL(f->addr, addr);
	CU_ASSERT_EQUAL(f->pc, pc);
	CU_ASSERT_EQUAL(count_ev(EV_FAULT), 1);
	const struct evrec *e = find_ev(EV_FAULT);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_STRING_EQUAL(e->fault_kind, kind);
	CU_ASSERT_EQUAL(e->addr, addr);
	/* a stopped VM stays stopped */
	uint64_t ran;
	CU_ASSERT_EQUAL(run(vm, 100, &ran), VMX_STOPPED);
	CU_ASSERT_EQUAL(ran, 0);
}

/* ---- exact counting ----------------------------------------------------- */

static const uint32_t loop_code[] = {
	0xd2800000,  /* 0x00: movz x0, #0 */
	0x91000400,  /* 0x04: loop: add x0, x0, #1 */
	0x91000821,  /* 0x08: add x1, x1, #2 */
	0xf101901f,  /* 0x0c: cmp x0, #100 */
	0x54ffffa1,  /* 0x10: b.ne loop */
	0xd503207f,  /* 0x14: wfi */
};
#define LOOP_TOTAL 402   /* movz, 100 x 4, wfi */

/* Where loop_code is after n (< LOOP_TOTAL) retired instructions. */
static void loop_model(uint64_t n, uint64_t *pc, uint64_t *x0, uint64_t *x1)
{
	if (n == 0) {
		*pc = BASE;
		*x0 = *x1 = 0;
		return;
	}
	uint64_t k = n - 1, c = k / 4, rem = k % 4;
	*x0 = c + (rem >= 1);
	*x1 = 2 * (c + (rem >= 2));
	*pc = c < 100 ? BASE + 4 + 4 * rem : BASE + 0x14;
}

static void test_count_single_run(void)
{
	struct vm *vm = MK(loop_code);
	uint64_t ran;
	unsigned why = run(vm, 100000, &ran);
	CU_ASSERT_EQUAL(why, VMX_WFI);
	CU_ASSERT_EQUAL(ran, LOOP_TOTAL);
	CU_ASSERT_EQUAL(vm_icount(vm), LOOP_TOTAL);
	CU_ASSERT_EQUAL(vm_pc(vm), BASE + 0x18);
	CU_ASSERT_EQUAL(vm_reg(vm, X(0)), 100);
	CU_ASSERT_EQUAL(vm_reg(vm, X(1)), 200);
	done(vm);
}

/* Budgets of every size up to the whole program: each run retires exactly
 * its budget and stops at the modelled PC with the modelled registers. */
static void test_count_every_budget(void)
{
	struct vm *vm = MK(loop_code);
	uint64_t ran, pc, x0, x1;
	for (uint64_t b = 1; b < LOOP_TOTAL; b += 1) {
		vm_set_reg(vm, REG_PC, BASE);
		vm_set_reg(vm, X(0), 0);
		vm_set_reg(vm, X(1), 0);
		uint64_t before = vm_icount(vm);
		unsigned why = run(vm, b, &ran);
		CU_ASSERT_EQUAL(why, 0);
		CU_ASSERT_EQUAL(ran, b);
		CU_ASSERT_EQUAL(vm_icount(vm), before + b);
		loop_model(b, &pc, &x0, &x1);
		CU_ASSERT_EQUAL(vm_pc(vm), pc);
		CU_ASSERT_EQUAL(vm_reg(vm, X(0)), x0);
		CU_ASSERT_EQUAL(vm_reg(vm, X(1)), x1);
	}
	done(vm);
}

/* Many small budgets, ending mid-block and at block ends: the sum is the
 * exact count of a single run, and every stop is where the model says. */
static void test_count_accumulated(void)
{
	static const uint64_t budgets[] = { 1, 2, 3, 4, 5, 7, 11, 13, 4, 1, 8, 3 };
	struct vm *vm = MK(loop_code);
	uint64_t total = 0, ran, pc, x0, x1;
	unsigned why = 0;
	for (int i = 0; total < LOOP_TOTAL && i < 1000; i++) {
		uint64_t b = budgets[i % 12];
		why = run(vm, b, &ran);
		uint64_t left = LOOP_TOTAL - total;
		CU_ASSERT_EQUAL(ran, b < left ? b : left);
		total += ran;
		CU_ASSERT_EQUAL(vm_icount(vm), total);
		if (total < LOOP_TOTAL) {
			CU_ASSERT_EQUAL(why, 0);
			loop_model(total, &pc, &x0, &x1);
			CU_ASSERT_EQUAL(vm_pc(vm), pc);
			CU_ASSERT_EQUAL(vm_reg(vm, X(0)), x0);
			CU_ASSERT_EQUAL(vm_reg(vm, X(1)), x1);
		}
	}
	CU_ASSERT_EQUAL(total, LOOP_TOTAL);
	CU_ASSERT_EQUAL(why, VMX_WFI);
	CU_ASSERT_EQUAL(vm_pc(vm), BASE + 0x18);
	CU_ASSERT_EQUAL(vm_reg(vm, X(0)), 100);
	done(vm);
}

/* Straight-line code longer than a translation block and crossing pages:
 * 3000 x `add x0, x0, #1` (0x91000400), then wfi. */
#define LINE 3000
static void test_count_straight_line(void)
{
	static uint32_t code[LINE + 1];
	for (int i = 0; i < LINE; i++)
		code[i] = 0x91000400;   /* add x0, x0, #1 */
	code[LINE] = 0xd503207f;    /* wfi */
	static const uint64_t budgets[] = { 511, 1, 512, 513, 1, 1000, 3, 1023, 1024, 2 };
	struct vm *vm = MK(code);
	uint64_t total = 0, ran;
	unsigned why = 0;
	for (int i = 0; total < LINE + 1 && i < 100; i++) {
		uint64_t b = budgets[i % 10];
		why = run(vm, b, &ran);
		uint64_t left = LINE + 1 - total;
		CU_ASSERT_EQUAL(ran, b < left ? b : left);
		total += ran;
		CU_ASSERT_EQUAL(vm_icount(vm), total);
		if (total <= LINE) {
			CU_ASSERT_EQUAL(vm_reg(vm, X(0)), total);
			CU_ASSERT_EQUAL(vm_pc(vm), BASE + 4 * total);
		}
	}
	CU_ASSERT_EQUAL(total, LINE + 1);
	CU_ASSERT_EQUAL(why, VMX_WFI);
	CU_ASSERT_EQUAL(vm_reg(vm, X(0)), LINE);
	CU_ASSERT_EQUAL(vm_pc(vm), BASE + 4 * (LINE + 1));
	done(vm);

	/* and in one run */
	vm = MK(code);
	CU_ASSERT_EQUAL(run(vm, 1000000, &ran), VMX_WFI);
	CU_ASSERT_EQUAL(ran, LINE + 1);
	CU_ASSERT_EQUAL(vm_reg(vm, X(0)), LINE);
	done(vm);
}

/* ---- one instruction, one device access --------------------------------- */

/* Run a single access instruction followed by wfi. */
static struct vm *one_insn(uint32_t insn)
{
	static uint32_t code[2];
	code[0] = insn;
	code[1] = 0xd503207f;   /* wfi */
	struct vm *vm = MK(code);
	vm_set_reg(vm, X(1), 0x1122334455667788ull);
	vm_set_reg(vm, X(4), 0x99aabbccddeeff00ull);
	return vm;
}

static void expect_ok_run(struct vm *vm)
{
	uint64_t ran;
	CU_ASSERT_EQUAL(run(vm, 100, &ran), VMX_WFI);
	CU_ASSERT_EQUAL(ran, 2);
	CU_ASSERT_EQUAL(vm_pc(vm), BASE + 8);
	CU_ASSERT_EQUAL(n_after, n_accs);
	CU_ASSERT_EQUAL(count_ev(EV_MMIO), n_accs);
}

static void check_acc(int i, char dir, uint64_t off, unsigned len, uint64_t lo)
{
	CU_ASSERT_FATAL(i < n_accs);
	CU_ASSERT_EQUAL(accs[i].dir, dir);
	CU_ASSERT_EQUAL(accs[i].dev, 1);
	CU_ASSERT_EQUAL(accs[i].off, off);
	CU_ASSERT_EQUAL(accs[i].len, len);
	CU_ASSERT_EQUAL(le(accs[i].b, len < 8 ? len : 8), lo);
	CU_ASSERT_EQUAL(accs[i].icount, 0);          /* the instruction before it: none */
	CU_ASSERT_EQUAL(accs[i].pc, BASE);
}

static void test_str_x_one_write(void)
{
	struct vm *vm = one_insn(0xf9000441);   /* str x1, [x2, #8] */
	expect_ok_run(vm);
	CU_ASSERT_EQUAL(n_accs, 1);
	check_acc(0, 'w', 8, 8, 0x1122334455667788ull);
	CU_ASSERT_EQUAL(n_after, 1);
	CU_ASSERT_TRUE(after_point[0]);         /* the device's sched_point */
	const struct evrec *e = find_ev(EV_MMIO);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(e->dir, 'w');
	CU_ASSERT_EQUAL(e->width, 8);
	CU_ASSERT_EQUAL(e->off, 8);
	CU_ASSERT_EQUAL(e->value, 0x1122334455667788ull);
	CU_ASSERT_STRING_EQUAL(e->dev, "dev");
	done(vm);
}

static void test_stp_x_one_write(void)
{
	struct vm *vm = one_insn(0xa9011041);   /* stp x1, x4, [x2, #16] */
	expect_ok_run(vm);
	CU_ASSERT_EQUAL_FATAL(n_accs, 1);
	check_acc(0, 'w', 16, 16, 0x1122334455667788ull);
	CU_ASSERT_EQUAL(le(accs[0].b + 8, 8), 0x99aabbccddeeff00ull);
	const struct evrec *e = find_ev(EV_MMIO);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(e->width, 16);
	CU_ASSERT_EQUAL(e->value, 0x1122334455667788ull);
	CU_ASSERT_EQUAL(e->value_hi, 0x99aabbccddeeff00ull);
	done(vm);
}

static void test_stp_w_one_write(void)
{
	struct vm *vm = one_insn(0x29011041);   /* stp w1, w4, [x2, #8] */
	expect_ok_run(vm);
	CU_ASSERT_EQUAL(n_accs, 1);
	check_acc(0, 'w', 8, 8, 0xddeeff0055667788ull);
	done(vm);
}

static void test_ldr_x_one_read(void)
{
	struct vm *vm = one_insn(0xf9400c41);   /* ldr x1, [x2, #24] */
	uint64_t want = le(&devmem[0][24], 8);
	expect_ok_run(vm);
	CU_ASSERT_EQUAL(n_accs, 1);
	check_acc(0, 'r', 24, 8, want);
	CU_ASSERT_EQUAL(vm_reg(vm, X(1)), want);
	const struct evrec *e = find_ev(EV_MMIO);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(e->dir, 'r');
	CU_ASSERT_EQUAL(e->width, 8);
	CU_ASSERT_EQUAL(e->value, want);
	done(vm);
}

static void test_ldp_one_read(void)
{
	struct vm *vm = one_insn(0xa9421041);   /* ldp x1, x4, [x2, #32] */
	uint64_t lo = le(&devmem[0][32], 8), hi = le(&devmem[0][40], 8);
	expect_ok_run(vm);
	CU_ASSERT_EQUAL(n_accs, 1);
	check_acc(0, 'r', 32, 16, lo);
	CU_ASSERT_EQUAL(vm_reg(vm, X(1)), lo);
	CU_ASSERT_EQUAL(vm_reg(vm, X(4)), hi);
	done(vm);

	vm = one_insn(0x29451041);              /* ldp w1, w4, [x2, #40] */
	expect_ok_run(vm);
	CU_ASSERT_EQUAL(n_accs, 1);
	check_acc(0, 'r', 40, 8, le(&devmem[0][40], 8));
	CU_ASSERT_EQUAL(vm_reg(vm, X(1)), le(&devmem[0][40], 4));
	CU_ASSERT_EQUAL(vm_reg(vm, X(4)), le(&devmem[0][44], 4));
	done(vm);
}

static void test_narrow_accesses(void)
{
	struct vm *vm = one_insn(0x39001441);   /* strb w1, [x2, #5] */
	expect_ok_run(vm);
	CU_ASSERT_EQUAL(n_accs, 1);
	check_acc(0, 'w', 5, 1, 0x88);
	done(vm);

	vm = one_insn(0x79000c41);              /* strh w1, [x2, #6] */
	expect_ok_run(vm);
	CU_ASSERT_EQUAL(n_accs, 1);
	check_acc(0, 'w', 6, 2, 0x7788);
	done(vm);

	vm = one_insn(0x39401c41);              /* ldrb w1, [x2, #7] */
	expect_ok_run(vm);
	CU_ASSERT_EQUAL(n_accs, 1);
	check_acc(0, 'r', 7, 1, devmem[0][7]);
	CU_ASSERT_EQUAL(vm_reg(vm, X(1)), devmem[0][7]);
	done(vm);

	vm = one_insn(0x79401441);              /* ldrh w1, [x2, #10] */
	expect_ok_run(vm);
	CU_ASSERT_EQUAL(n_accs, 1);
	check_acc(0, 'r', 10, 2, le(&devmem[0][10], 2));
	CU_ASSERT_EQUAL(vm_reg(vm, X(1)), le(&devmem[0][10], 2));
	done(vm);

	vm = one_insn(0xb9000c41);              /* str w1, [x2, #12] */
	expect_ok_run(vm);
	CU_ASSERT_EQUAL(n_accs, 1);
	check_acc(0, 'w', 12, 4, 0x55667788);
	done(vm);

	vm = one_insn(0xb9400c41);              /* ldr w1, [x2, #12] */
	expect_ok_run(vm);
	CU_ASSERT_EQUAL(n_accs, 1);
	check_acc(0, 'r', 12, 4, le(&devmem[0][12], 4));
	CU_ASSERT_EQUAL(vm_reg(vm, X(1)), le(&devmem[0][12], 4));
	done(vm);
}

/* ---- faults --------------------------------------------------------------- */

/* nop, then the probe instruction, then wfi: x5 = probe address. */
static struct vm *probe(uint32_t insn, uint64_t x5)
{
	static uint32_t code[3];
	code[0] = 0xd503201f;   /* 0x0: nop */
	code[1] = insn;         /* 0x4: the probe */
	code[2] = 0xd503207f;   /* 0x8: wfi */
	struct vm *vm = MK(code);
	vm_set_reg(vm, X(5), x5);
	return vm;
}

static void expect_fault(uint32_t insn, uint64_t x5, const char *kind, uint64_t addr)
{
	struct vm *vm = probe(insn, x5);
	uint64_t ran;
	unsigned why = run(vm, 100, &ran);
	check_fault(vm, why, kind, addr, BASE + 4);
	CU_ASSERT_EQUAL(ran, 1);                 /* the nop; the faulting one did not retire */
	CU_ASSERT_EQUAL(vm_icount(vm), 1);
	CU_ASSERT_EQUAL(n_accs, 0);              /* the device saw nothing */
	done(vm);
}

static void test_alignment_fault(void)
{
	expect_fault(0xf8404041, 0, "alignment", DEV + 4);   /* ldur x1, [x2, #4] */
	expect_fault(0xb8002041, 0, "alignment", DEV + 2);   /* stur w1, [x2, #2] */
	expect_fault(0x78401041, 0, "alignment", DEV + 1);   /* ldurh w1, [x2, #1] */
	expect_fault(0xa90010a1, DEV + 4, "alignment", DEV + 4);   /* stp x1, x4, [x5] */
}

static void test_unmapped_faults(void)
{
	expect_fault(0xf94000a1, NOWHERE, "read-unmapped", NOWHERE);    /* ldr x1, [x5] */
	expect_fault(0xf90000a1, NOWHERE, "write-unmapped", NOWHERE);   /* str x1, [x5] */
	/* a pair that runs off the end of the device page */
	expect_fault(0x294010a1, DEV + 0xffc, "read-unmapped", DEV + 0x1000);  /* ldp w1, w4, [x5] */
}

static void test_fetch_faults(void)
{
	struct vm *vm = probe(0xd61f00a0, NOWHERE);   /* br x5 */
	uint64_t ran;
	unsigned why = run(vm, 100, &ran);
	check_fault(vm, why, "fetch-unmapped", NOWHERE, NOWHERE);
	CU_ASSERT_EQUAL(ran, 2);                      /* nop, br */
	done(vm);

	vm = probe(0xd61f00a0, DEV);                  /* br x5: into the device page */
	why = run(vm, 100, &ran);
	check_fault(vm, why, "fetch-device", DEV, DEV);
	CU_ASSERT_EQUAL(n_accs, 0);
	done(vm);
}

static void test_udf_brk(void)
{
	struct vm *vm = probe(0x00000000, 0);         /* udf #0 */
	uint64_t ran;
	unsigned why = run(vm, 100, &ran);
	check_fault(vm, why, "undefined", BASE + 4, BASE + 4);
	CU_ASSERT_STRING_EQUAL(must_fault(vm)->insn, "udf #0");
	CU_ASSERT_EQUAL(ran, 1);
	CU_ASSERT_EQUAL(vm_pc(vm), BASE + 4);
	done(vm);

	vm = probe(0xd4200060, 0);                    /* brk #3 */
	why = run(vm, 100, &ran);
	check_fault(vm, why, "breakpoint", BASE + 4, BASE + 4);
	CU_ASSERT_STRING_EQUAL(must_fault(vm)->insn, "brk #0x3");
	CU_ASSERT_EQUAL(ran, 1);
	CU_ASSERT_EQUAL(vm_pc(vm), BASE + 4);
	done(vm);
}

static void test_wfi(void)
{
	static const uint32_t code[] = {
		0xd503201f,  /* 0x0: nop */
		0xd503201f,  /* 0x4: nop */
		0xd503207f,  /* 0x8: wfi */
		0x91000400,  /* 0xc: add x0, x0, #1 */
		0xd503207f,  /* 0x10: wfi */
	};
	struct vm *vm = MK(code);
	uint64_t ran;
	CU_ASSERT_EQUAL(run(vm, 100, &ran), VMX_WFI);
	CU_ASSERT_EQUAL(ran, 3);
	CU_ASSERT_EQUAL(vm_pc(vm), BASE + 0xc);
	CU_ASSERT_EQUAL(vm_state(vm), VM_RUNNABLE);
	/* a budget ending exactly before wfi is not a wfi */
	CU_ASSERT_EQUAL(run(vm, 1, &ran), 0);
	CU_ASSERT_EQUAL(ran, 1);
	CU_ASSERT_EQUAL(vm_pc(vm), BASE + 0x10);
	CU_ASSERT_EQUAL(run(vm, 1, &ran), VMX_WFI);
	CU_ASSERT_EQUAL(ran, 1);
	CU_ASSERT_EQUAL(vm_pc(vm), BASE + 0x14);
	CU_ASSERT_EQUAL(vm_icount(vm), 5);
	CU_ASSERT_EQUAL(vm_reg(vm, X(0)), 1);
	done(vm);
}

/* ---- stops and clocks from inside callbacks ------------------------------- */

static const uint32_t stops_code[] = {
	0x91000400,  /* 0x00: add x0, x0, #1 */
	0xb9000041,  /* 0x04: str w1, [x2] */
	0x91000400,  /* 0x08: add x0, x0, #1 */
	0x91000400,  /* 0x0c: add x0, x0, #1 */
	0xf9000441,  /* 0x10: str x1, [x2, #8]       (two pieces in Unicorn) */
	0x91000400,  /* 0x14: add x0, x0, #1 */
	0xa9011041,  /* 0x18: stp x1, x4, [x2, #16]  (four pieces) */
	0xf9400c46,  /* 0x1c: ldr x6, [x2, #24]      (two pieces) */
	0x91000400,  /* 0x20: add x0, x0, #1 */
	0xd503207f,  /* 0x24: wfi */
};

/* Each vm_exec ends just after the accessing instruction; the next resumes
 * at the following one. `act` says where the stop is requested. */
static void stops_with(enum action act, unsigned flag)
{
	struct vm *vm = MK(stops_code);
	action = act;
	static const struct { uint64_t ran, pc, x0; } want[] = {
		{ 2, 0x08, 1 }, { 3, 0x14, 3 }, { 2, 0x1c, 4 }, { 1, 0x20, 4 },
	};
	uint64_t ran, total = 0;
	for (int i = 0; i < 4; i++) {
		CU_ASSERT_EQUAL(run(vm, 1000, &ran), flag);
		CU_ASSERT_EQUAL(ran, want[i].ran);
		total += ran;
		CU_ASSERT_EQUAL(vm_icount(vm), total);
		CU_ASSERT_EQUAL(vm_pc(vm), BASE + want[i].pc);
		CU_ASSERT_EQUAL(vm_reg(vm, X(0)), want[i].x0);
		CU_ASSERT_EQUAL(n_accs, i + 1);
	}
	CU_ASSERT_EQUAL(vm_reg(vm, X(6)), le(&devmem[0][24], 8));
	CU_ASSERT_EQUAL(run(vm, 1000, &ran), VMX_WFI);   /* add, wfi: no access, no stop */
	CU_ASSERT_EQUAL(ran, 2);
	CU_ASSERT_EQUAL(vm_icount(vm), 10);
	CU_ASSERT_EQUAL(vm_reg(vm, X(0)), 5);
	/* the accesses: one each, whole */
	CU_ASSERT_EQUAL_FATAL(n_accs, 4);
	CU_ASSERT_EQUAL(accs[1].len, 8);
	CU_ASSERT_EQUAL(accs[2].len, 16);
	CU_ASSERT_EQUAL(accs[3].len, 8);
	CU_ASSERT_EQUAL(n_after, 4);
	done(vm);
}

static void test_stop_from_device_callback(void) { stops_with(ACT_STOP, VMX_YIELD); }
static void test_stop_from_after_access(void) { stops_with(ACT_STOP_AFTER, VMX_POINT); }

/* Stops at a device store that is the last instruction before the loop's
 * branch, and at one that is the branch target: flags (cmp) survive. */
static void loop_stops(const uint32_t *code, size_t n, const uint64_t *rans, uint64_t stop_pc)
{
	struct vm *vm = mk(code, n);
	action = ACT_STOP;
	uint64_t ran, total = 0;
	for (int i = 0; i < 5; i++) {
		CU_ASSERT_EQUAL(run(vm, 1000, &ran), VMX_YIELD);
		CU_ASSERT_EQUAL(ran, rans[i]);
		total += ran;
		CU_ASSERT_EQUAL(vm_icount(vm), total);
		CU_ASSERT_EQUAL(vm_pc(vm), BASE + stop_pc);
	}
	unsigned why = run(vm, 1000, &ran);
	CU_ASSERT_EQUAL(why, VMX_WFI);
	CU_ASSERT_EQUAL(ran, rans[5]);
	total += ran;
	CU_ASSERT_EQUAL(vm_icount(vm), total);
	CU_ASSERT_EQUAL(vm_reg(vm, X(0)), 5);
	CU_ASSERT_EQUAL_FATAL(n_accs, 5);
	for (int i = 0; i < 5; i++) {
		CU_ASSERT_EQUAL(accs[i].len, 4);
		CU_ASSERT_EQUAL(le(accs[i].b, 4), (uint64_t)(code[1] == 0xb9000040 ? i : i + 1));
	}
	done(vm);
}

static void test_stop_in_loops(void)
{
	static const uint32_t last[] = {
		0xd2800000,  /* 0x00: movz x0, #0 */
		0x91000400,  /* 0x04: loop: add x0, x0, #1 */
		0xf100141f,  /* 0x08: cmp x0, #5 */
		0xb9000040,  /* 0x0c: str w0, [x2] */
		0x54ffffa1,  /* 0x10: b.ne loop */
		0xd503207f,  /* 0x14: wfi */
	};
	static const uint64_t last_rans[] = { 4, 4, 4, 4, 4, 2 };
	loop_stops(last, 6, last_rans, 0x10);

	static const uint32_t first[] = {
		0xd2800000,  /* 0x00: movz x0, #0 */
		0xb9000040,  /* 0x04: loop: str w0, [x2] */
		0x91000400,  /* 0x08: add x0, x0, #1 */
		0xf100141f,  /* 0x0c: cmp x0, #5 */
		0x54ffffa1,  /* 0x10: b.ne loop */
		0xd503207f,  /* 0x14: wfi */
	};
	static const uint64_t first_rans[] = { 2, 4, 4, 4, 4, 4 };
	loop_stops(first, 6, first_rans, 0x08);
}

/* A budget that ends exactly at the accessing instruction: the access is not
 * made; the next run makes it once. */
static void test_budget_ends_at_access(void)
{
	struct vm *vm = MK(stops_code);
	uint64_t ran;
	CU_ASSERT_EQUAL(run(vm, 1, &ran), 0);
	CU_ASSERT_EQUAL(ran, 1);
	CU_ASSERT_EQUAL(n_accs, 0);
	CU_ASSERT_EQUAL(vm_pc(vm), BASE + 4);
	CU_ASSERT_EQUAL(run(vm, 1, &ran), 0);          /* exactly the str */
	CU_ASSERT_EQUAL(ran, 1);
	CU_ASSERT_EQUAL(n_accs, 1);
	CU_ASSERT_EQUAL(vm_pc(vm), BASE + 8);
	CU_ASSERT_EQUAL(run(vm, 3, &ran), 0);          /* add, add, str x */
	CU_ASSERT_EQUAL(ran, 3);
	CU_ASSERT_EQUAL(n_accs, 2);
	CU_ASSERT_EQUAL(accs[1].len, 8);
	CU_ASSERT_EQUAL(vm_pc(vm), BASE + 0x14);
	unsigned why;
	CU_ASSERT_EQUAL(run_all(vm, 1, &why), 5);
	CU_ASSERT_EQUAL(why, VMX_WFI);
	CU_ASSERT_EQUAL(n_accs, 4);
	CU_ASSERT_EQUAL(n_after, 4);
	CU_ASSERT_EQUAL(vm_icount(vm), 10);
	done(vm);
}

/* A stop requested at an access the budget also ends at. */
static void test_stop_and_budget_together(void)
{
	struct vm *vm = MK(stops_code);
	action = ACT_STOP;
	uint64_t ran;
	CU_ASSERT_EQUAL(run(vm, 2, &ran), VMX_YIELD);   /* add, str w */
	CU_ASSERT_EQUAL(ran, 2);
	CU_ASSERT_EQUAL(vm_pc(vm), BASE + 0x8);
	CU_ASSERT_EQUAL(run(vm, 3, &ran), VMX_YIELD);   /* add, add, str x */
	CU_ASSERT_EQUAL(ran, 3);
	CU_ASSERT_EQUAL(vm_pc(vm), BASE + 0x14);
	CU_ASSERT_EQUAL(vm_icount(vm), 5);
	CU_ASSERT_EQUAL(vm_reg(vm, X(0)), 3);
	CU_ASSERT_EQUAL(n_accs, 2);
	done(vm);
}

/* A stopping store just before, at and just after the end of a translation
 * block (512 instructions) and of a page (1024): the stop is exact and the
 * next run resumes at the following instruction. */
static void test_stop_at_block_and_page_ends(void)
{
	static const unsigned at[] = { 510, 511, 512, 1022, 1023, 1024 };
	static uint32_t code[1100];
	for (size_t k = 0; k < sizeof(at) / sizeof(at[0]); k++) {
		unsigned idx = at[k];
		for (int i = 0; i < 1100; i++)
			code[i] = 0x91000400;           /* add x0, x0, #1 */
		code[idx] = 0xb9000041;                 /* str w1, [x2] */
		code[idx + 3] = 0xd503207f;             /* wfi */
		struct vm *vm = MK(code);
		action = ACT_STOP;
		uint64_t ran;
		CU_ASSERT_EQUAL(run(vm, 100000, &ran), VMX_YIELD);
		CU_ASSERT_EQUAL(ran, idx + 1);
		CU_ASSERT_EQUAL(vm_pc(vm), BASE + 4 * (idx + 1));
		CU_ASSERT_EQUAL(vm_reg(vm, X(0)), idx);
		CU_ASSERT_EQUAL(run(vm, 100000, &ran), VMX_WFI);
		CU_ASSERT_EQUAL(ran, 3);
		CU_ASSERT_EQUAL(vm_pc(vm), BASE + 4 * (idx + 4));
		CU_ASSERT_EQUAL(vm_reg(vm, X(0)), idx + 2);
		CU_ASSERT_EQUAL(vm_icount(vm), idx + 4);
		CU_ASSERT_EQUAL(n_accs, 1);
		done(vm);
	}
}

static const uint32_t clock_code[] = {
	0xd503201f,  /* 0x00: nop */
	0xd503201f,  /* 0x04: nop */
	0xd503201f,  /* 0x08: nop */
	0xd503201f,  /* 0x0c: nop */
	0xd503201f,  /* 0x10: nop */
	0xb9402441,  /* 0x14: ldr w1, [x2, #0x24]   CLOCK: 5 before it */
	0x91000400,  /* 0x18: add x0, x0, #1 */
	0xb9402444,  /* 0x1c: ldr w4, [x2, #0x24]   CLOCK: 7 */
	0xd503207f,  /* 0x20: wfi */
};

static void test_clock_in_callback(void)
{
	struct vm *vm = MK(clock_code);
	uint64_t ran;
	CU_ASSERT_EQUAL(run(vm, 100, &ran), VMX_WFI);
	CU_ASSERT_EQUAL(ran, 9);
	CU_ASSERT_EQUAL(vm_reg(vm, X(1)), 5);
	CU_ASSERT_EQUAL(vm_reg(vm, X(4)), 7);
	CU_ASSERT_EQUAL_FATAL(n_accs, 2);
	CU_ASSERT_EQUAL(accs[0].pc, BASE + 0x14);
	CU_ASSERT_EQUAL(accs[1].pc, BASE + 0x1c);
	done(vm);

	/* the same after earlier runs ended mid-block (counters re-based) */
	vm = MK(clock_code);
	CU_ASSERT_EQUAL(run(vm, 3, &ran), 0);
	CU_ASSERT_EQUAL(run(vm, 1, &ran), 0);
	CU_ASSERT_EQUAL(run(vm, 2, &ran), 0);          /* nop, ldr */
	CU_ASSERT_EQUAL(vm_reg(vm, X(1)), 5);
	CU_ASSERT_EQUAL(run(vm, 100, &ran), VMX_WFI);
	CU_ASSERT_EQUAL(vm_reg(vm, X(4)), 7);
	CU_ASSERT_EQUAL(vm_icount(vm), 9);
	done(vm);
}

static void test_clock_in_loop_with_stops(void)
{
	static const uint32_t code[] = {
		0xd2800000,  /* 0x00: movz x0, #0 */
		0xb9402441,  /* 0x04: loop: ldr w1, [x2, #0x24]  (CLOCK) */
		0xb9002841,  /* 0x08: str w1, [x2, #0x28] */
		0x91000400,  /* 0x0c: add x0, x0, #1 */
		0xf100101f,  /* 0x10: cmp x0, #4 */
		0x54ffff81,  /* 0x14: b.ne loop */
		0xd503207f,  /* 0x18: wfi */
	};
	for (int stop = 0; stop < 2; stop++) {
		struct vm *vm = MK(code);
		action = stop ? ACT_STOP : ACT_NONE;
		unsigned why;
		CU_ASSERT_EQUAL(run_all(vm, 1000, &why), 1 + 4 * 5 + 1);
		CU_ASSERT_EQUAL(why & VMX_WFI, VMX_WFI);
		CU_ASSERT_EQUAL_FATAL(n_accs, 8);
		for (int i = 0; i < 4; i++) {
			CU_ASSERT_EQUAL(accs[2 * i].dir, 'r');
			CU_ASSERT_EQUAL(accs[2 * i].icount, 1 + 5 * (uint64_t)i);
			CU_ASSERT_EQUAL(accs[2 * i + 1].dir, 'w');
			CU_ASSERT_EQUAL(le(accs[2 * i + 1].b, 4), 1 + 5 * (uint64_t)i);
			CU_ASSERT_EQUAL(accs[2 * i + 1].icount, 2 + 5 * (uint64_t)i);
		}
		done(vm);
	}
}

/* A device stopping the VM (test device EXIT) inside its callback: the
 * store retires, nothing after it runs. */
static void test_exit_from_callback(void)
{
	struct vm *vm = MK(stops_code);
	vm_set_reg(vm, X(1), 7);
	action = ACT_EXIT;
	uint64_t ran;
	CU_ASSERT_EQUAL(run(vm, 1000, &ran), VMX_STOPPED);
	CU_ASSERT_EQUAL(ran, 2);
	CU_ASSERT_EQUAL(vm_icount(vm), 2);
	CU_ASSERT_EQUAL(vm_reg(vm, X(0)), 1);
	int64_t code = 0;
	CU_ASSERT_TRUE(vm_exited(vm, &code));
	CU_ASSERT_EQUAL(code, 7);
	CU_ASSERT_EQUAL(vm_state(vm), VM_STOPPED);
	CU_ASSERT_EQUAL(count_ev(EV_EXIT), 1);
	CU_ASSERT_EQUAL(run(vm, 1000, &ran), VMX_STOPPED);
	CU_ASSERT_EQUAL(ran, 0);
	CU_ASSERT_EQUAL(n_accs, 1);
	done(vm);
}

/* ---- address-space changes from inside callbacks -------------------------- */

static void test_map_unmap_in_callback(void)
{
	static const uint32_t code[] = {
		0xb9000041,  /* 0x00: str w1, [x2]       callback maps DEV2 */
		0xb9400065,  /* 0x04: ldr w5, [x3]       reads DEV2 */
		0xb9000441,  /* 0x08: str w1, [x2, #4]   callback unmaps DEV2 */
		0xb9400066,  /* 0x0c: ldr w6, [x3]       read-unmapped */
		0xd503207f,  /* 0x10: wfi */
	};
	struct vm *vm = MK(code);
	action = ACT_REMAP;
	CU_ASSERT_TRUE(vm_range_free(vm, DEV2, 0x1000));
	uint64_t ran;
	unsigned why = run(vm, 100, &ran);
	CU_ASSERT_TRUE(why & VMX_INTERNAL);
	CU_ASSERT_FALSE(why & VMX_STOPPED);
	CU_ASSERT_EQUAL(ran, 1);
	CU_ASSERT_EQUAL(vm_pc(vm), BASE + 4);
	CU_ASSERT_FALSE(range_free_in_cb);            /* booked at once */
	CU_ASSERT_FALSE(vm_range_free(vm, DEV2, 0x1000));
	why = run(vm, 100, &ran);
	CU_ASSERT_TRUE(why & VMX_INTERNAL);
	CU_ASSERT_FALSE(why & VMX_STOPPED);
	CU_ASSERT_EQUAL(ran, 2);
	CU_ASSERT_EQUAL(vm_reg(vm, X(5)), le(&devmem[1][0], 4));
	CU_ASSERT_EQUAL_FATAL(n_accs, 3);
	CU_ASSERT_EQUAL(accs[1].dev, 2);
	CU_ASSERT_EQUAL(accs[1].dir, 'r');
	CU_ASSERT_FALSE(after_point[1]);              /* DEV2 is not a sched point */
	CU_ASSERT_TRUE(free_after_unmap_cb);          /* dead at once */
	CU_ASSERT_TRUE(vm_range_free(vm, DEV2, 0x1000));
	why = run(vm, 100, &ran);
	check_fault(vm, why, "read-unmapped", DEV2, BASE + 0xc);
	CU_ASSERT_EQUAL(ran, 0);
	CU_ASSERT_EQUAL(n_accs, 3);
	done(vm);
}

/* A device unmapping its own page: the very next access faults. */
static void test_unmap_own_page_in_callback(void)
{
	static const uint32_t code[] = {
		0xb9000841,  /* 0x0: str w1, [x2, #8]   callback unmaps DEV */
		0xb9400045,  /* 0x4: ldr w5, [x2]       read-unmapped */
		0xd503207f,  /* 0x8: wfi */
	};
	struct vm *vm = MK(code);
	action = ACT_REMAP;
	unsigned why;
	uint64_t total = run_all(vm, 100, &why);
	check_fault(vm, why, "read-unmapped", DEV, BASE + 4);
	CU_ASSERT_TRUE(free_after_unmap_cb);          /* dead at once */
	CU_ASSERT_EQUAL(total, 1);
	CU_ASSERT_EQUAL(n_accs, 1);
	CU_ASSERT_TRUE(vm_range_free(vm, DEV, 0x1000));
	done(vm);
}

/* ---- traps and exception entry -------------------------------------------- */

static void test_svc_enters_vector(void)
{
	static uint32_t code[0x1210 / 4];
	static const uint32_t main_part[] = {
		0xd2a80000,  /* 0x00: movz x0, #0x4000, lsl #16 */
		0xf2820000,  /* 0x04: movk x0, #0x1000          (x0 = 0x40001000) */
		0xd518c000,  /* 0x08: msr vbar_el1, x0 */
		0xd5033fdf,  /* 0x0c: isb */
		0xd4000841,  /* 0x10: svc #0x42 */
		0xd2800ee9,  /* 0x14: movz x9, #0x77 */
		0xd503207f,  /* 0x18: wfi */
	};
	static const uint32_t handler[] = {
		0xd5385205,  /* 0x1200: mrs x5, esr_el1 */
		0xd5384026,  /* 0x1204: mrs x6, elr_el1 */
		0xd5384007,  /* 0x1208: mrs x7, spsr_el1 */
		0xd69f03e0,  /* 0x120c: eret */
	};
	memcpy(code, main_part, sizeof(main_part));
	memcpy(code + 0x1200 / 4, handler, sizeof(handler));
	struct vm *vm = MK(code);
	vm_set_reg(vm, REG_PSTATE, 0x5);               /* EL1h, DAIF clear */
	CU_ASSERT_FALSE(vm_irqs_masked(vm));
	uint64_t ran;
	/* the run ends at the trap (no flag), already at the vector, masked */
	CU_ASSERT_EQUAL(run(vm, 100, &ran), 0);
	CU_ASSERT_EQUAL(ran, 5);
	CU_ASSERT_EQUAL(vm_pc(vm), BASE + 0x1200);
	CU_ASSERT_EQUAL(vm_icount(vm), 5);
	uint64_t ps = vm_reg(vm, REG_PSTATE);
	CU_ASSERT_EQUAL(ps & 0xf, 0x5);
	CU_ASSERT_EQUAL(ps & DAIF_BITS, DAIF_BITS);
	CU_ASSERT_TRUE(vm_irqs_masked(vm));
	/* the handler sees ESR/ELR/SPSR, and eret returns past the svc */
	CU_ASSERT_EQUAL(run(vm, 100, &ran), VMX_WFI);
	CU_ASSERT_EQUAL(ran, 6);
	CU_ASSERT_EQUAL(vm_icount(vm), 11);
	CU_ASSERT_EQUAL(vm_pc(vm), BASE + 0x1c);
	CU_ASSERT_EQUAL(vm_reg(vm, X(5)), (0x15u << 26) | (1u << 25) | 0x42);   /* ESR: EC, IL, imm */
	CU_ASSERT_EQUAL(vm_reg(vm, X(6)), BASE + 0x14);                        /* ELR: after svc */
	CU_ASSERT_EQUAL(vm_reg(vm, X(7)) & 0x3cf, 0x5);                        /* SPSR: as before */
	CU_ASSERT_EQUAL(vm_reg(vm, X(9)), 0x77);
	CU_ASSERT_EQUAL(vm_reg(vm, REG_PSTATE) & (DAIF_BITS | 0xf), 0x5);     /* restored by eret */
	CU_ASSERT_FALSE(vm_irqs_masked(vm));
	CU_ASSERT_EQUAL(count_ev(EV_FAULT), 0);
	done(vm);
}

static void test_hvc_psci_off(void)
{
	static const uint32_t code[] = {
		0xd2b08000,  /* 0x0: movz x0, #0x8400, lsl #16 */
		0xf2800100,  /* 0x4: movk x0, #0x8            (x0 = 0x84000008) */
		0xd4000002,  /* 0x8: hvc #0 */
		0xd503207f,  /* 0xc: wfi */
	};
	struct vm *vm = MK(code);
	uint64_t ran;
	unsigned why = run(vm, 100, &ran);
	CU_ASSERT_EQUAL(why, VMX_STOPPED);
	CU_ASSERT_EQUAL(ran, 3);
	int64_t xc = -7;
	CU_ASSERT_TRUE(vm_exited(vm, &xc));
	CU_ASSERT_EQUAL(xc, 0);
	CU_ASSERT_PTR_NULL(vm_fault(vm));
	CU_ASSERT_EQUAL(vm_state(vm), VM_STOPPED);
	CU_ASSERT_EQUAL(count_ev(EV_EXIT), 1);
	CU_ASSERT_EQUAL(must_ev(EV_EXIT)->code, 0);
	CU_ASSERT_EQUAL(count_ev(EV_HVC), 0);
	done(vm);
}

static void test_hvc_other(void)
{
	static const uint32_t code[] = {
		0xd28000a0,  /* 0x0: movz x0, #5 */
		0xd4000002,  /* 0x4: hvc #0 */
		0xd503207f,  /* 0x8: wfi */
	};
	struct vm *vm = MK(code);
	uint64_t ran;
	CU_ASSERT_EQUAL(run(vm, 100, &ran), 0);          /* ends at the trap */
	CU_ASSERT_EQUAL(ran, 2);
	CU_ASSERT_EQUAL(vm_pc(vm), BASE + 0x8);
	CU_ASSERT_EQUAL(vm_reg(vm, X(0)), (uint64_t)-1);
	CU_ASSERT_EQUAL(run(vm, 100, &ran), VMX_WFI);
	CU_ASSERT_EQUAL(ran, 1);
	CU_ASSERT_EQUAL(vm_reg(vm, X(0)), (uint64_t)-1);
	CU_ASSERT_EQUAL(vm_pc(vm), BASE + 0xc);
	CU_ASSERT_EQUAL(vm_icount(vm), 3);
	CU_ASSERT_EQUAL(count_ev(EV_HVC), 1);
	CU_ASSERT_EQUAL(must_ev(EV_HVC)->code, 5);
	CU_ASSERT_FALSE(vm_exited(vm, NULL));
	CU_ASSERT_EQUAL(vm_state(vm), VM_RUNNABLE);
	done(vm);
}

static struct vm *irq_vm(void)
{
	static uint32_t code[0x1290 / 4];
	static const uint32_t main_part[] = {
		0xd2a80000,  /* 0x00: movz x0, #0x4000, lsl #16 */
		0xf2820000,  /* 0x04: movk x0, #0x1000          (x0 = 0x40001000) */
		0xd518c000,  /* 0x08: msr vbar_el1, x0 */
		0xd5033fdf,  /* 0x0c: isb */
		0x91000421,  /* 0x10: loop: add x1, x1, #1 */
		0x17ffffff,  /* 0x14: b loop */
	};
	static const uint32_t handler[] = {
		0xd5384025,  /* +0x0: mrs x5, elr_el1 */
		0xd5384006,  /* +0x4: mrs x6, spsr_el1 */
		0xd503207f,  /* +0x8: wfi */
	};
	memcpy(code, main_part, sizeof(main_part));
	memcpy(code + 0x1080 / 4, handler, sizeof(handler));   /* current EL, SP_EL0 */
	memcpy(code + 0x1280 / 4, handler, sizeof(handler));   /* current EL, SP_ELx */
	return MK(code);
}

static void test_take_irq(void)
{
	struct vm *vm = irq_vm();
	vm_set_reg(vm, REG_PSTATE, 0x5);               /* EL1h, DAIF clear */
	uint64_t ran;
	CU_ASSERT_EQUAL(run(vm, 11, &ran), 0);         /* 4 + 3 x (add, b) + add */
	CU_ASSERT_EQUAL(ran, 11);
	CU_ASSERT_EQUAL(vm_pc(vm), BASE + 0x14);
	CU_ASSERT_FALSE(vm_irqs_masked(vm));
	vm_take_irq(vm);
	CU_ASSERT_EQUAL(vm_pc(vm), BASE + 0x1280);
	CU_ASSERT_TRUE(vm_irqs_masked(vm));
	CU_ASSERT_EQUAL(vm_reg(vm, REG_PSTATE) & (DAIF_BITS | 0xf), DAIF_BITS | 0x5);
	CU_ASSERT_EQUAL(run(vm, 100, &ran), VMX_WFI);
	CU_ASSERT_EQUAL(ran, 3);
	CU_ASSERT_EQUAL(vm_reg(vm, X(5)), BASE + 0x14);          /* ELR: the interrupted PC */
	CU_ASSERT_EQUAL(vm_reg(vm, X(6)) & 0x3cf, 0x5);           /* SPSR: PSTATE before */
	CU_ASSERT_EQUAL(vm_reg(vm, X(1)), 4);
	CU_ASSERT_EQUAL(vm_icount(vm), 14);
	done(vm);

	/* from EL1t (SP_EL0) the vector is VBAR + 0x080 */
	vm = irq_vm();
	vm_set_reg(vm, REG_PSTATE, 0x4);
	CU_ASSERT_EQUAL(run(vm, 6, &ran), 0);
	CU_ASSERT_EQUAL(vm_pc(vm), BASE + 0x10);
	vm_take_irq(vm);
	CU_ASSERT_EQUAL(vm_pc(vm), BASE + 0x1080);
	CU_ASSERT_EQUAL(run(vm, 100, &ran), VMX_WFI);
	CU_ASSERT_EQUAL(vm_reg(vm, X(5)), BASE + 0x10);
	CU_ASSERT_EQUAL(vm_reg(vm, X(6)) & 0x3cf, 0x4);
	CU_ASSERT_EQUAL(vm_reg(vm, REG_PSTATE) & (DAIF_BITS | 0xf), DAIF_BITS | 0x5);
	done(vm);
}

/* Profile fault_delivery = guest: the fault enters VBAR + 0x200 with ESR,
 * FAR and ELR set, and the VM goes on. */
static void deliver(uint32_t insn, uint64_t x5, uint64_t esr, uint64_t far, uint64_t elr,
		    uint64_t retired)
{
	static uint32_t code[0x1210 / 4];
	static const uint32_t main_part[] = {
		0xd2a80000,  /* 0x00: movz x0, #0x4000, lsl #16 */
		0xf2820000,  /* 0x04: movk x0, #0x1000          (x0 = 0x40001000) */
		0xd518c000,  /* 0x08: msr vbar_el1, x0 */
		0xd5033fdf,  /* 0x0c: isb */
		0x00000000,  /* 0x10: the probe */
		0xd503207f,  /* 0x14: wfi */
	};
	static const uint32_t handler[] = {
		0xd5385205,  /* 0x1200: mrs x5, esr_el1 */
		0xd5384026,  /* 0x1204: mrs x6, elr_el1 */
		0xd5386007,  /* 0x1208: mrs x7, far_el1 */
		0xd503207f,  /* 0x120c: wfi */
	};
	memcpy(code, main_part, sizeof(main_part));
	code[4] = insn;
	memcpy(code + 0x1200 / 4, handler, sizeof(handler));
	struct vm *vm = MK(code);
	vm_set_reg(vm, X(5), x5);
	vm_set_fault_delivery(vm, true);
	unsigned why;
	uint64_t total = run_all(vm, 100, &why);
	CU_ASSERT_EQUAL(why & (VMX_WFI | VMX_STOPPED), VMX_WFI);
	CU_ASSERT_EQUAL(total, retired);
	CU_ASSERT_EQUAL(vm_pc(vm), BASE + 0x1210);
	CU_ASSERT_EQUAL(vm_reg(vm, X(5)), esr);
	CU_ASSERT_EQUAL(vm_reg(vm, X(6)), elr);
	CU_ASSERT_EQUAL(vm_reg(vm, X(7)), far);
	CU_ASSERT_PTR_NULL(vm_fault(vm));
	CU_ASSERT_EQUAL(count_ev(EV_FAULT), 0);
	CU_ASSERT_EQUAL(vm_state(vm), VM_RUNNABLE);
	CU_ASSERT_EQUAL(n_accs, 0);
	done(vm);
}

static void test_fault_delivery_guest(void)
{
	/* the probe does not retire: 4 + handler 4 */
	deliver(0xf8404041, 0, 0x96000021, DEV + 4, BASE + 0x10, 8);        /* ldur x1, [x2, #4]: alignment */
	deliver(0xf94000a1, NOWHERE, 0x96000004, NOWHERE, BASE + 0x10, 8);  /* ldr x1, [x5]: read-unmapped */
	deliver(0xf90000a1, NOWHERE, 0x96000044, NOWHERE, BASE + 0x10, 8);  /* str x1, [x5]: WnR */
	deliver(0x00000000, 0, 0x02000000, 0, BASE + 0x10, 8);              /* udf #0: EC 0, IL */
	deliver(0xd4200060, 0, 0xf2000003, 0, BASE + 0x10, 8);              /* brk #3: EC 0x3c */
	/* br x5 retires; the fetch at NOWHERE aborts: EC 0x21, ELR = FAR = NOWHERE */
	deliver(0xd61f00a0, NOWHERE, 0x86000004, NOWHERE, NOWHERE, 9);
}

/* ---- a real guest ---------------------------------------------------------- */

#define UART 0x09000000ull

/* build/guests/hello.elf under vm_load, with DEV as the test device (VMID 0,
 * NVMS 1, ARGC 0, EXIT stops) and DEV2's ops as the UART at 0x09000000. */
static void test_vm_load_and_run_guest(void)
{
	char err[256];
	n_accs = n_evs = n_after = 0;
	action = ACT_EXIT;
	memset(devmem, 0, sizeof(devmem));
	devmem[0][0x10] = 1;                                    /* NVMS */
	struct vm *vm = vm_new(0, "hello", RAM, &env, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(vm);
	the_vm = vm;
	const char *strs[] = { "moo", "x" };
	uint64_t at[2] = { 0, 0 };
	int rc = vm_load(vm, "build/guests/hello.elf", strs, 2, at, err, sizeof(err));
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	/* CONTRACT 2: strings at the top of RAM, SP below them 16-byte aligned,
	 * x0 = 0, PC = entry, EL1h with DAIF masked */
	CU_ASSERT_EQUAL(at[1], BASE + RAM - 2);
	CU_ASSERT_EQUAL(at[0], BASE + RAM - 6);
	CU_ASSERT_EQUAL(vm_reg(vm, REG_SP), BASE + RAM - 16);
	char buf[6];
	CU_ASSERT_EQUAL(vm_read_mem(vm, at[0], buf, 6), 0);
	CU_ASSERT_EQUAL(memcmp(buf, "moo\0x\0", 6), 0);
	CU_ASSERT_EQUAL(vm_read_mem(vm, BASE + RAM - 2, buf, 3), -1);   /* past the end */
	CU_ASSERT_EQUAL(vm_reg(vm, X(0)), 0);
	CU_ASSERT_EQUAL(vm_pc(vm), 0x40000000);
	CU_ASSERT_EQUAL(vm_image(vm)->entry, 0x40000000);
	CU_ASSERT_EQUAL(vm_reg(vm, REG_PSTATE) & (DAIF_BITS | 0xf), DAIF_BITS | 0x5);
	CU_ASSERT_TRUE(vm_irqs_masked(vm));

	CU_ASSERT_EQUAL_FATAL(vm_map_mmio(vm, DEV, 0x1000, "testdev", &dev_ops, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(vm_map_mmio(vm, UART, 0x1000, "uart", &dev2_ops, NULL), 0);
	unsigned why;
	uint64_t total = run_all(vm, 997, &why);
	CU_ASSERT_EQUAL(why, VMX_STOPPED);
	int64_t code = -1;
	CU_ASSERT_TRUE(vm_exited(vm, &code));
	CU_ASSERT_EQUAL(code, 0);
	CU_ASSERT_PTR_NULL(vm_fault(vm));
	CU_ASSERT_EQUAL(vm_icount(vm), total);
	char console[128] = "";
	size_t n = 0;
	for (int i = 0; i < n_accs && n + 1 < sizeof(console); i++)
		if (accs[i].dev == 2 && accs[i].dir == 'w' && accs[i].off == 0)
			console[n++] = (char)accs[i].b[0];
	console[n] = 0;
	CU_ASSERT_STRING_EQUAL(console, "hello from vm 0 of 1\nargc=0\n");
	done(vm);

	/* the same run in one budget retires the same number of instructions */
	n_accs = n_evs = n_after = 0;
	vm = vm_new(0, "hello", RAM, &env, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(vm);
	the_vm = vm;
	CU_ASSERT_EQUAL_FATAL(vm_load(vm, "build/guests/hello.elf", strs, 2, at, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(vm_map_mmio(vm, DEV, 0x1000, "testdev", &dev_ops, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(vm_map_mmio(vm, UART, 0x1000, "uart", &dev2_ops, NULL), 0);
	CU_ASSERT_EQUAL(run_all(vm, 100000000, &why), total);
	CU_ASSERT_EQUAL(why, VMX_STOPPED);
	done(vm);
}

static void test_vm_load_errors(void)
{
	char err[256];
	struct vm *vm = vm_new(0, "bad", RAM, &env, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(vm);
	the_vm = vm;
	uint64_t at[1];
	CU_ASSERT_EQUAL(vm_load(vm, "/tmp/hvsim-test-vm-no-such.elf", NULL, 0, at, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "/tmp/hvsim-test-vm-no-such.elf: cannot open: No such file or directory");
	static char big[RAM / 2];
	memset(big, 'a', sizeof(big) - 1);
	const char *strs[] = { big };
	CU_ASSERT_EQUAL(vm_load(vm, "build/guests/hello.elf", strs, 1, at, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "vm bad: args do not fit in RAM");
	done(vm);
}

/* ---- plumbing ------------------------------------------------------------- */

static const uint32_t wfi_only[] = { 0xd503207f };  /* 0x0: wfi */

static void test_map_rules(void)
{
	struct vm *vm = MK(wfi_only);
	CU_ASSERT_EQUAL(vm_map_mmio(vm, DEV, 0x1000, "again", &dev_ops, NULL), -1);     /* overlap */
	CU_ASSERT_EQUAL(vm_map_mmio(vm, DEV2 + 0x10, 0x1000, "odd", &dev_ops, NULL), -1); /* unaligned */
	CU_ASSERT_EQUAL(vm_map_mmio(vm, BASE, 0x1000, "ram", &dev_ops, NULL), -1);      /* over RAM */
	CU_ASSERT_FALSE(vm_range_free(vm, DEV, 1));
	CU_ASSERT_FALSE(vm_range_free(vm, BASE + RAM - 1, 1));
	CU_ASSERT_TRUE(vm_range_free(vm, BASE + RAM, 0x1000));
	CU_ASSERT_TRUE(vm_range_free(vm, DEV2, 0x1000));
	vm_unmap(vm, DEV, 0x1000);
	CU_ASSERT_TRUE(vm_range_free(vm, DEV, 0x1000));
	CU_ASSERT_EQUAL(vm_map_mmio(vm, DEV, 0x1000, "back", &dev_ops, NULL), 0);
	CU_ASSERT_EQUAL(vm_exec(vm, 0, &(uint64_t){ 0 }), 0);   /* budget 0 runs nothing */
	CU_ASSERT_EQUAL(vm_icount(vm), 0);
	CU_ASSERT_EQUAL(vm_pc(vm), BASE);
	done(vm);
}

/* ldp/stp of two Q registers: one instruction, two device accesses of 16
 * bytes (devif.h promises at most 16), no overflow of the bus's buffer. */
static void test_q_pair_to_device(void)
{
	static const uint32_t insns[] = {
		0xad411041,  /* ldp q1, q4, [x2, #32] */
		0xad011041,  /* stp q1, q4, [x2, #32] */
	};
	for (int k = 0; k < 2; k++) {
		struct vm *vm = one_insn(insns[k]);
		uint64_t ran;
		CU_ASSERT_EQUAL(run(vm, 100, &ran), VMX_WFI);
		CU_ASSERT_EQUAL(ran, 2);
		CU_ASSERT_EQUAL(vm_pc(vm), BASE + 8);
		CU_ASSERT_EQUAL(n_accs, 2);
		for (int i = 0; i < n_accs; i++) {
			CU_ASSERT_EQUAL(accs[i].len, 16);
			CU_ASSERT_EQUAL(accs[i].off, 32 + 16 * (uint64_t)i);
			CU_ASSERT_EQUAL(accs[i].dir, k ? 'w' : 'r');
		}
		done(vm);
	}
}

/* FAC-3: what Device memory does not support faults (alignment) at the
 * instruction before the device sees a byte and before any register is
 * written: exclusives (no monitor is modelled), DC ZVA (Unicorn would write
 * 64 single bytes), and forms the bus does not decode (LD1: 4-byte pieces). */
static void test_unsupported_device_access_faults(void)
{
	static const uint32_t insns[] = {
		0xd50b7422,  /* dc zva, x2 */
		0xc85f7c41,  /* ldxr x1, [x2] */
		0xc87f8440,  /* ldaxp x0, x1, [x2] */
		0x4c407040,  /* ld1 {v0.16b}, [x2] */
		0x4c40a040,  /* ld1 {v0.16b, v1.16b}, [x2] */
	};
	for (unsigned k = 0; k < sizeof(insns) / sizeof(insns[0]); k++) {
		struct vm *vm = one_insn(insns[k]);
		vm_set_reg(vm, X(0), 0x5a5a);
		uint64_t ran;
		unsigned why = run(vm, 100, &ran);
		CU_ASSERT_EQUAL(ran, 0);
		check_fault(vm, why, "alignment", DEV, BASE);
		CU_ASSERT_TRUE(vm_fault(vm) && vm_fault(vm)->write == (k == 0));
		CU_ASSERT_EQUAL(n_accs, 0);
		CU_ASSERT_EQUAL(n_after, 0);
		CU_ASSERT_EQUAL(count_ev(EV_MMIO), 0);
		CU_ASSERT_EQUAL(vm_reg(vm, X(0)), 0x5a5a);
		CU_ASSERT_EQUAL(vm_reg(vm, X(1)), 0x1122334455667788ull);
		CU_ASSERT_EQUAL(vm_reg(vm, X(2)), DEV);
		done(vm);
	}
}

/* Acquire/release forms are plain single accesses: one each. */
static void test_acquire_release_to_device(void)
{
	struct vm *vm = one_insn(0xc8dffc41);   /* ldar x1, [x2] */
	expect_ok_run(vm);
	CU_ASSERT_EQUAL(n_accs, 1);
	check_acc(0, 'r', 0, 8, le(devmem[0], 8));
	done(vm);
	vm = one_insn(0xc89ffc41);              /* stlr x1, [x2] */
	expect_ok_run(vm);
	CU_ASSERT_EQUAL(n_accs, 1);
	check_acc(0, 'w', 0, 8, 0x1122334455667788ull);
	done(vm);
}

/* Delivered to the guest (PLT-4): DC ZVA is an alignment fault on a store,
 * ESR EC 0x25 with WnR and FSC 0x21, FAR the block's address. */
static void test_dc_zva_delivered(void)
{
	deliver(0xd50b7422, 0, 0x96000061, DEV, BASE + 0x10, 8);   /* dc zva, x2 */
}

/* fault_delivery = guest: a store's alignment fault sets ESR.WnR. */
static void test_store_alignment_wnr(void)
{
	deliver(0xb8002041, 0, 0x96000061, DEV + 2, BASE + 0x10, 8);   /* stur w1, [x2, #2] */
}

/* Watchpoints: the VM stops AT the accessing instruction with nothing of it
 * done (registers, including a post-index writeback, and every byte of a
 * store, the half of a pair outside the watch too), and the next run
 * executes it without stopping there again. */
static void test_watchpoints(void)
{
	static const uint32_t code[] = {
		0xd503201f,   /* 0x00: nop */
		0xb80044a0,   /* 0x04: str w0, [x5], #4 */
		0xb94000a1,   /* 0x08: ldr w1, [x5] */
		0x91000400,   /* 0x0c: add x0, x0, #1 */
		0xa90000c0,   /* 0x10: stp x0, x0, [x6] */
		0xd503207f,   /* 0x14: wfi */
	};
	struct vm *vm = MK(code);
	uint8_t *ram = vm_host_ptr(vm, BASE, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ram);
	vm_set_reg(vm, X(0), 0x11);
	vm_set_reg(vm, X(5), BASE + 0x800);
	vm_set_reg(vm, X(6), BASE + 0x900);
	struct vm_watch w[3] = {
		{ ram + 0x800, 4, BASE + 0x800, VM_WATCH_WRITE },
		{ ram + 0x804, 4, BASE + 0x804, VM_WATCH_WRITE },   /* the ldr: not a write */
		{ ram + 0x908, 8, BASE + 0x908, VM_WATCH_ACCESS },
	};
	CU_ASSERT_EQUAL_FATAL(vm_watch_set(vm, w, 3), 0);
	uint64_t ran;
	unsigned why = run(vm, 100, &ran);
	CU_ASSERT_TRUE(why & VMX_WATCH);
	CU_ASSERT_EQUAL(ran, 1);
	CU_ASSERT_EQUAL(vm_pc(vm), BASE + 4);
	CU_ASSERT_EQUAL(vm_icount(vm), 1);
	CU_ASSERT_EQUAL(vm_reg(vm, X(5)), BASE + 0x800);          /* no writeback */
	CU_ASSERT_EQUAL(ram[0x800], 0);                             /* nothing stored */
	const struct vm_watch_hit *h = vm_watch_hit(vm);
	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	CU_ASSERT_TRUE(h->write);
	CU_ASSERT_EQUAL(h->type, VM_WATCH_WRITE);
	CU_ASSERT_EQUAL(h->addr, BASE + 0x800);
	CU_ASSERT_EQUAL(h->pc, BASE + 4);
	/* Resumed: the str runs (no second stop), the ldr is no write, the stp hits. */
	why = run(vm, 100, &ran);
	CU_ASSERT_TRUE(why & VMX_WATCH);
	CU_ASSERT_EQUAL(ran, 3);
	CU_ASSERT_EQUAL(vm_pc(vm), BASE + 0x10);
	CU_ASSERT_EQUAL(ram[0x800], 0x11);
	CU_ASSERT_EQUAL(vm_reg(vm, X(5)), BASE + 0x804);
	CU_ASSERT_EQUAL(vm_reg(vm, X(0)), 0x12);
	CU_ASSERT_EQUAL(ram[0x900], 0);                             /* the whole pair undone */
	CU_ASSERT_EQUAL(ram[0x908], 0);
	h = vm_watch_hit(vm);
	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	CU_ASSERT_EQUAL(h->type, VM_WATCH_ACCESS);
	CU_ASSERT_EQUAL(h->addr, BASE + 0x908);
	/* No watchpoints: no hooks, the rest runs to the wfi. */
	CU_ASSERT_EQUAL(vm_watch_set(vm, NULL, 0), 0);
	why = run(vm, 100, &ran);
	CU_ASSERT_FALSE(why & VMX_WATCH);
	CU_ASSERT_TRUE(why & VMX_WFI);
	CU_ASSERT_EQUAL(ran, 2);
	CU_ASSERT_EQUAL(ram[0x900], 0x12);
	CU_ASSERT_EQUAL(ram[0x908], 0x12);
	CU_ASSERT_EQUAL(vm_icount(vm), 6);
	done(vm);
}

/* A watchpoint set while the code that writes the word is already translated
 * and its page is in the TLB (the loop ran before): the next store stops. The
 * refresh drops translated code of RAM only (no tb_flush; sim/vm.c). */
static void test_watch_warm(void)
{
	static const uint32_t code[] = {
		0xb90000a0,   /* 0x00: str w0, [x5] */
		0x91000400,   /* 0x04: add x0, x0, #1 */
		0x17fffffe,   /* 0x08: b 0x00 */
	};
	struct vm *vm = MK(code);
	uint8_t *ram = vm_host_ptr(vm, BASE, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ram);
	vm_set_reg(vm, X(5), BASE + 0x800);
	uint64_t ran;
	unsigned why = run(vm, 99, &ran);           /* 33 rounds, warm */
	CU_ASSERT_FALSE(why & VMX_WATCH);
	CU_ASSERT_EQUAL(ran, 99);
	CU_ASSERT_EQUAL(ram[0x800], 32);
	struct vm_watch w = { ram + 0x800, 4, BASE + 0x800, VM_WATCH_WRITE };
	CU_ASSERT_EQUAL_FATAL(vm_watch_set(vm, &w, 1), 0);
	why = run(vm, 100, &ran);
	CU_ASSERT_TRUE(why & VMX_WATCH);
	CU_ASSERT_EQUAL(ran, 0);
	CU_ASSERT_EQUAL(vm_pc(vm), BASE);
	CU_ASSERT_EQUAL(ram[0x800], 32);            /* the store undone */
	CU_ASSERT_EQUAL(vm_watch_set(vm, NULL, 0), 0);
	why = run(vm, 3, &ran);
	CU_ASSERT_FALSE(why & VMX_WATCH);
	CU_ASSERT_EQUAL(ram[0x800], 33);
	done(vm);
}


/* Without the count (docs/engine.md) every budget ends on the same
 * instruction, with the same registers, as with the count (a debugged VM
 * keeps it); the device accesses of a block where an earlier load computes
 * the same address (hooked by the analysis) get the right PC and count. */
static void test_fast_matches_count(void)
{
	static const uint32_t code[] = {
		0xd2800060,  /* mov x0, #3 */
		0xaa0203e5,  /* mov x5, x2            DEV */
		0xd2a80004,  /* 1: mov x4, #0x40000000 RAM */
		0xb9400081,  /*    ldr w1, [x4]       RAM */
		0xaa0503e4,  /*    mov x4, x5 */
		0xb9400086,  /*    ldr w6, [x4]       DEV: the first ldr computes it too */
		0x91000421,  /*    add x1, x1, #1 */
		0xd2a80004,  /*    mov x4, #0x40000000 */
		0xf1000400,  /*    subs x0, x0, #1 */
		0x54ffff21,  /*    b.ne 1b */
		0xd503207f,  /* wfi */
	};
	for (uint64_t budget = 1; budget <= 13; budget++) {
		struct vm *a = MK(code);
		struct vm *b = vm_new(1, "u", RAM, &env, (char[64]){0}, 64);
		CU_ASSERT_PTR_NOT_NULL_FATAL(b);
		CU_ASSERT_EQUAL_FATAL(vm_load_image(b, code, sizeof(code), BASE), 0);
		CU_ASSERT_EQUAL_FATAL(vm_map_mmio(b, DEV, 0x1000, "dev", &dev_ops, NULL), 0);
		CU_ASSERT_EQUAL_FATAL(vm_debug_enable(b), 0);   /* counted */
		vm_set_reg(b, X(2), DEV);
		vm_set_reg(b, X(3), DEV2);
		int steps = 0;
		unsigned wa = 0, wb = 0;
		while (!(wa & (VMX_WFI | VMX_STOPPED)) && steps++ < 200) {
			uint64_t ra, rb;
			n_accs = 0;
			the_vm = a;
			wa = vm_exec(a, budget, &ra);
			int acc_a = n_accs;
			uint64_t pc_a = acc_a ? accs[0].pc : 0, ic_a = acc_a ? accs[0].icount : 0;
			n_accs = 0;
			the_vm = b;
			wb = vm_exec(b, budget, &rb);
			the_vm = a;
			CU_ASSERT_EQUAL(ra, rb);
			CU_ASSERT_EQUAL(wa, wb);
			CU_ASSERT_EQUAL(vm_pc(a), vm_pc(b));
			CU_ASSERT_EQUAL(vm_icount(a), vm_icount(b));
			for (unsigned r = 0; r <= 6; r++)
				CU_ASSERT_EQUAL(vm_reg(a, r), vm_reg(b, r));
			CU_ASSERT_EQUAL(acc_a, n_accs);
			if (acc_a && n_accs) {
				CU_ASSERT_EQUAL(pc_a, accs[0].pc);
				CU_ASSERT_EQUAL(ic_a, accs[0].icount);
				CU_ASSERT_EQUAL(pc_a, BASE + 5 * 4);
			}
		}
		CU_ASSERT(wa & VMX_WFI);
		CU_ASSERT_EQUAL(vm_icount(a), 2 + 3 * 8 + 1);
		vm_free(b);
		done(a);
	}
}


/* The second engine (docs/engine.md): a quantum that ends inside a block
 * runs the block's remainder there. Against a VM with the count (debugged),
 * at every quantum end: the same count, PC, registers, device accesses (PC
 * and count in the callback) and events, with a device access in the
 * remainders, early stops there (ACT_STOP), code the guest rewrites under
 * both engines, mappings made and removed after the second engine exists,
 * and a snapshot restored across such changes. */
#define SHR 0x0a000000ull          /* a RAM-backed mapping made mid-run */

struct lockstep_view {
	unsigned why;
	uint64_t ran, pc, icount, x[12];
	int n_accs, n_evs;
	struct acc accs[8];
	struct evrec evs[8];
};

static void lockstep_run(struct vm *vm, uint64_t budget, struct lockstep_view *v)
{
	n_accs = n_evs = 0;
	the_vm = vm;
	v->why = vm_exec(vm, budget, &v->ran);
	v->pc = vm_pc(vm);
	v->icount = vm_icount(vm);
	for (unsigned r = 0; r < 12; r++)
		v->x[r] = vm_reg(vm, r);
	v->n_accs = n_accs;
	v->n_evs = n_evs;
	CU_ASSERT_FATAL(n_accs <= 8 && n_evs <= 8);
	memcpy(v->accs, accs, sizeof(v->accs));
	memcpy(v->evs, evs, sizeof(v->evs));
}

static void lockstep_same(const struct lockstep_view *a, const struct lockstep_view *b)
{
	CU_ASSERT_EQUAL(a->why, b->why);
	CU_ASSERT_EQUAL(a->ran, b->ran);
	CU_ASSERT_EQUAL(a->pc, b->pc);
	CU_ASSERT_EQUAL(a->icount, b->icount);
	for (unsigned r = 0; r < 12; r++)
		CU_ASSERT_EQUAL(a->x[r], b->x[r]);
	CU_ASSERT_EQUAL_FATAL(a->n_accs, b->n_accs);
	for (int i = 0; i < a->n_accs; i++) {
		const struct acc *p = &a->accs[i], *q = &b->accs[i];
		CU_ASSERT(p->dir == q->dir && p->dev == q->dev && p->off == q->off && p->len == q->len);
		CU_ASSERT(p->icount == q->icount && p->pc == q->pc && !memcmp(p->b, q->b, p->len));
	}
	CU_ASSERT_EQUAL_FATAL(a->n_evs, b->n_evs);
	for (int i = 0; i < a->n_evs; i++) {
		const struct evrec *p = &a->evs[i], *q = &b->evs[i];
		CU_ASSERT(p->kind == q->kind && p->off == q->off && p->value == q->value);
		CU_ASSERT(p->width == q->width && p->dir == q->dir && !strcmp(p->dev, q->dev));
	}
}

/* Unicorn 2.0.1 asks for huge pages on its 1 GiB code buffer; an engine
 * started by vm_new (and the remainder engine, made after 100 crossings)
 * must not hold one (engine_open). Each such buffer is an rwx private
 * mapping of at least 256 MiB: none may show AnonHugePages. (Where the
 * machine's transparent huge pages are off, there is nothing to see.) */
static void engine_buffers(int *n, long *huge_kb)
{
	char line[512];
	bool in_buf = false;
	*n = 0;
	*huge_kb = 0;
	FILE *f = fopen("/proc/self/smaps", "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		char perm[8];
		long kb;
		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perm) == 3) {
			in_buf = !strcmp(perm, "rwxp") && hi - lo >= (256ul << 20);
			*n += in_buf;
		} else if (in_buf && sscanf(line, "AnonHugePages: %ld kB", &kb) == 1) {
			*huge_kb += kb;
		}
	}
	fclose(f);
}

static void test_engines_without_huge_pages(void)
{
	static const uint32_t code[] = {
		0xd2807d00,  /* movz x0, #1000 */
		0x91000421,  /* loop: add x1, x1, #1 */
		0x91000442,  /* add x2, x2, #1 */
		0xf1000400,  /* subs x0, x0, #1 */
		0x54ffffa1,  /* b.ne loop */
		0xd503207f,  /* wfi */
	};
	struct vm *vm = MK(code);
	uint64_t ran;
	int before, after;
	long huge;
	engine_buffers(&before, &huge);
	/* budgets of 3 over a 4-instruction loop: most quanta end inside a
	 * block, enough of them for the remainder engine */
	for (int i = 0; i < 600; i++)
		CU_ASSERT_EQUAL(run(vm, 3, &ran), 0);
	CU_ASSERT_EQUAL(vm_reg(vm, X(1)), 1800 / 4);   /* 1800 instructions: 1 + 4 x 449, + 3 */
	engine_buffers(&after, &huge);
	CU_ASSERT(before >= 1);
	CU_ASSERT(after >= before + 1);   /* the remainder engine was made */
	CU_ASSERT_EQUAL(huge, 0);
	done(vm);
}

static void test_remainder_engine_matches_count(void)
{
	static const uint32_t code[] = {
		0xb9400086,  /* 0x00 loop: ldr w6, [x4]      DEV, or DEV2 once mapped */
		0x91000421,  /* 0x04 add x1, x1, #1        rewritten by the str below */
		0x5216056b,  /* 0x08 eor w11, w11, #0xc00  (add #1 <-> add #2) */
		0xb900014b,  /* 0x0c str w11, [x10]        x10 = &add: its own code */
		0xf9400128,  /* 0x10 ldr x8, [x9]          RAM, or SHR once mapped */
		0x8b080021,  /* 0x14 add x1, x1, x8 */
		0xb9000481,  /* 0x18 str w1, [x4, #4]      a device write */
		0xf1000400,  /* 0x1c subs x0, x0, #1 */
		0x54ffff01,  /* 0x20 b.ne loop */
		0xd503207f,  /* 0x24 wfi */
	};
	static uint8_t shr[2][4096] __attribute__((aligned(4096)));
	const uint64_t iters = 700, data = BASE + 0x800;
	for (int pass = 0; pass < 4; pass++) {
		uint64_t budget = (const uint64_t[]){ 7, 13, 7, 4 }[pass];
		struct vm *v[2];
		struct vm_snap *snap[2] = { NULL, NULL };
		for (int k = 0; k < 2; k++) {
			v[k] = MK(code);
			if (k) {   /* counted for good by a watchpoint, then none (snapshots allowed) */
				struct vm_watch w = { shr[1] + 2048, 4, 0, VM_WATCH_WRITE };
				CU_ASSERT_EQUAL_FATAL(vm_watch_set(v[k], &w, 1), 0);
				CU_ASSERT_EQUAL_FATAL(vm_watch_set(v[k], NULL, 0), 0);
			}
			vm_set_reg(v[k], X(0), iters);
			vm_set_reg(v[k], X(4), DEV);
			vm_set_reg(v[k], X(9), data);
			vm_set_reg(v[k], X(10), BASE + 4);
			vm_set_reg(v[k], X(11), code[1]);
			uint64_t seven = 7;
			CU_ASSERT_EQUAL_FATAL(vm_write_mem(v[k], data, &seven, 8), 0);
			memset(shr[k], 0, sizeof(shr[k]));
			shr[k][0] = 100;
		}
		action = pass < 2 ? ACT_NONE : ACT_STOP;
		struct lockstep_view va, vb;
		int q0 = -1, steps = 0;
		unsigned why = 0;
		while (!(why & (VMX_WFI | VMX_STOPPED)) && steps++ < 20000) {
			int at = q0 < 0 ? -1 : steps - q0;   /* quanta since the first remainder */
			for (int k = 0; k < 2 && at >= 0; k++) {
				switch (at) {
				case 3:
					CU_ASSERT_EQUAL(vm_map_mmio(v[k], DEV2, 0x1000, "dev2", &dev2_ops, NULL), 0);
					vm_set_reg(v[k], X(4), DEV2);
					break;
				case 6:
					CU_ASSERT_EQUAL(vm_map_ram(v[k], SHR, 0x1000, shr[k]), 0);
					vm_set_reg(v[k], X(9), SHR);
					break;
				case 8:   /* code stays as it is from here (a restore puts RAM back) */
					vm_set_reg(v[k], X(10), data + 0x100);
					break;
				case 9:
					snap[k] = vm_snap_take(v[k]);
					CU_ASSERT_PTR_NOT_NULL(snap[k]);
					break;
				case 12:
					vm_unmap(v[k], DEV2, 0x1000);
					vm_unmap(v[k], SHR, 0x1000);
					vm_set_reg(v[k], X(4), DEV);
					vm_set_reg(v[k], X(9), data);
					break;
				case 15:
					if (snap[k])
						CU_ASSERT_EQUAL(vm_snap_restore(v[k], snap[k]), 0);
					CU_ASSERT_EQUAL(vm_reg(v[k], X(4)), DEV2);
					break;
				}
			}
			lockstep_run(v[0], budget, &va);
			lockstep_run(v[1], budget, &vb);
			lockstep_same(&va, &vb);
			why = va.why;
			if (q0 < 0 && vm_crossings(v[0]))
				q0 = steps;
		}
		CU_ASSERT(why & VMX_WFI);
		CU_ASSERT(q0 >= 0);                       /* the second engine ran */
		CU_ASSERT(vm_crossings(v[0]) > 20);
		CU_ASSERT_EQUAL(vm_crossings(v[1]), 0);   /* with the count: never */
		CU_ASSERT(vm_reg(v[0], X(1)) > 3 * iters);  /* the loads from SHR counted */
		for (int k = 0; k < 2; k++) {
			vm_snap_free(snap[k]);
			vm_free(v[k]);
		}
		the_vm = NULL;
	}
}

static CU_TestInfo vm_tests[] = {
	{ "without the count: same stops, registers, access PCs as with it", test_fast_matches_count },
	{ "second engine for remainders: same as the count, maps, code, snapshot", test_remainder_engine_matches_count },
	{ "engines start without a huge page for their code", test_engines_without_huge_pages },
	{ "watchpoints: stop at the access, undone, resumed once", test_watchpoints },
	{ "watchpoint set on warm code and TLB stops the next store", test_watch_warm },
	{ "ldp/stp of Q registers: two 16-byte accesses", test_q_pair_to_device },
	{ "exclusives, DC ZVA, undecoded forms on a device page fault", test_unsupported_device_access_faults },
	{ "ldar/stlr on a device page: one access", test_acquire_release_to_device },
	{ "DC ZVA on a device page delivered: alignment, WnR", test_dc_zva_delivered },
	{ "store alignment fault delivered with WnR", test_store_alignment_wnr },
	{ "count: one run of a loop", test_count_single_run },
	{ "count: every budget 1..401 from the start", test_count_every_budget },
	{ "count: accumulated small budgets = one run", test_count_accumulated },
	{ "count: long straight line across blocks/pages", test_count_straight_line },
	{ "str x: one write of 8", test_str_x_one_write },
	{ "stp x,x: one write of 16", test_stp_x_one_write },
	{ "stp w,w: one write of 8", test_stp_w_one_write },
	{ "ldr x: one read of 8", test_ldr_x_one_read },
	{ "ldp x/w: one read", test_ldp_one_read },
	{ "byte/halfword/word accesses", test_narrow_accesses },
	{ "unaligned device access: alignment fault", test_alignment_fault },
	{ "read/write unmapped", test_unmapped_faults },
	{ "fetch unmapped / from device", test_fetch_faults },
	{ "udf / brk", test_udf_brk },
	{ "wfi: VMX_WFI, PC past it", test_wfi },
	{ "stop requested in device callback", test_stop_from_device_callback },
	{ "stop requested in after_access", test_stop_from_after_access },
	{ "stops in loops (access before branch / at target)", test_stop_in_loops },
	{ "budget ending at an access", test_budget_ends_at_access },
	{ "stop and budget end at the same access", test_stop_and_budget_together },
	{ "stops at block and page ends", test_stop_at_block_and_page_ends },
	{ "CLOCK from vm_icount in callback", test_clock_in_callback },
	{ "CLOCK in a loop, with and without stops", test_clock_in_loop_with_stops },
	{ "exit (vm_stop) inside a callback", test_exit_from_callback },
	{ "map/unmap inside a callback", test_map_unmap_in_callback },
	{ "unmap own page inside its callback", test_unmap_own_page_in_callback },
	{ "svc: VBAR+0x200, ESR EC 0x15", test_svc_enters_vector },
	{ "hvc PSCI SYSTEM_OFF: exit 0", test_hvc_psci_off },
	{ "hvc other: x0 = -1, EV_HVC", test_hvc_other },
	{ "vm_take_irq: ELR, SPSR, VBAR+0x280, DAIF", test_take_irq },
	{ "fault_delivery guest: vector, ESR, FAR, ELR", test_fault_delivery_guest },
	{ "vm_load: args, SP, entry; hello.elf runs to exit 0", test_vm_load_and_run_guest },
	{ "vm_load errors", test_vm_load_errors },
	{ "map rules, budget 0", test_map_rules },
	CU_TEST_INFO_NULL,
};

UNIT_SUITE("vm", vm_tests);
