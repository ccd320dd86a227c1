/* gic_entry.c - IRQ exception entry as the guest sees it (SPEC GIC-5): the
 * IRQ is taken only with PSTATE.I clear, at the first instruction boundary
 * where it is deliverable; ELR_EL1 = the next instruction to run, SPSR_EL1 =
 * the interrupted PSTATE, PSTATE.{D,A,I,F} set, PC = VBAR_EL1 + 0x280
 * (SP_ELx) or + 0x080 (SP_EL0 in use); eret resumes with registers and flags
 * intact.
 * A private vector table (VBAR_EL1) records which entry was used and then
 * branches to the runtime's entry at the same offset.
 * With IRQs unmasked, a single GIC store makes an interrupt deliverable;
 * the interrupt must be taken right after that store (ELR = next insn):
 *   probe 0: GICD_SGIR store sends SGI 1 to self
 *   probe 1: GICD_ISENABLER1 store enables SPI 40, already pending
 *   probe 2: GICC_PMR store unmasks SPI 41 (priority 0xC0), already pending
 * arg0 "el1h": probes run on SP_EL1; arg0 "el1t": probes run with
 * PSTATE.SP = 0 (SP_EL0); arg0 "el1t-vector": the same without the SP
 * banking checks k=8/9 (the probe repairs SP itself), so the vector choice
 * and SPSR.M at EL1t are checked on their own; arg0 "masked": an SGI sent
 * with PSTATE.I set is not taken until IRQs are unmasked.
 * FAIL ids, 0x1200 + 0x10 * probe + k:
 *   k=1 handler did not run exactly once during the probe
 *   k=2 ELR_EL1 != address of the instruction after the store
 *   k=3 SPSR_EL1: I set, D/A/F not as interrupted (set), or M != EL1h/EL1t
 *   k=4 PSTATE.DAIF in the handler != all set
 *   k=5 vector entry used != +0x280 (el1h) / +0x080 (el1t)
 *   k=6 a register or the Z flag was not preserved across the interrupt
 *   k=7 handler not at EL1 with SPSel 1
 *   k=8 the handler ran on the interrupted SP_EL0 stack instead of SP_EL1
 *   k=9 SP_EL1 (the caller's stack pointer) changed across the interrupt
 * "masked": 0x1241 taken while PSTATE.I set; 0x1242 not taken once unmasked.
 * Expected: exit 0, no FAIL, console "entry MODE done". */
#include "hv.h"
#include "gic.h"

static volatile uint32_t hits;
static volatile uint64_t h_elr, h_spsr, h_daif, h_el, h_spsel, h_sp;
volatile uint64_t vec_last;
static uint64_t el0_stack[512] __attribute__((aligned(16)));

/* Vector table: note the offset, then the runtime's entry at that offset. */
__asm__(
	"	.section .text.gicvec, \"ax\"\n"
	"	.balign 2048\n"
	"	.globl gic_entry_vectors\n"
	"gic_entry_vectors:\n"
	"	.irp off, 0x000,0x080,0x100,0x180,0x200,0x280,0x300,0x380,0x400,0x480,0x500,0x580,0x600,0x680,0x700,0x780\n"
	"	.balign 0x80\n"
	"	stp	x0, x1, [sp, #-16]!\n"
	"	mov	x0, #\\off\n"
	"	adrp	x1, vec_last\n"
	"	str	x0, [x1, :lo12:vec_last]\n"
	"	ldp	x0, x1, [sp], #16\n"
	"	b	rt_vectors + \\off\n"
	"	.endr\n"
	"	.text\n");

/* uint64_t probe(addr x0, value w1, use_sp_el0 x2, sp_el0 x3, ok *x4)
 * Stores w1 to [x0] with IRQs as the caller left them and returns the
 * address of the instruction after the store. *x4 gets a bit mask: bit 0 Z
 * flag kept, bit 1 x9 kept, bit 2 x10 kept, bit 3 SP_EL1 (the caller's SP)
 * unchanged when the probe is back on it. With x2 != 0 the store runs with
 * SPSel = 0 on stack x3. SP is restored from x16 before returning, so a
 * clobbered SP_EL1 is reported rather than crashing the guest. */
__asm__(
	"	.globl probe\n"
	"	.type probe, %function\n"
	"probe:\n"
	"	mov	x16, sp\n"
	"	cbz	x2, 1f\n"
	"	msr	sp_el0, x3\n"
	"	msr	spsel, #0\n"
	"1:	movz	x9, #0x5555\n"
	"	movk	x9, #0xAAAA, lsl #16\n"
	"	movk	x9, #0x1234, lsl #48\n"
	"	mov	x10, x9\n"
	"	adr	x11, 2f\n"
	"	cmp	x9, x10\n"             /* Z = 1 */
	"	str	w1, [x0]\n"
	"2:	nop\n"
	"	nop\n"
	"	cset	x12, eq\n"
	"	movz	x13, #0x5555\n"
	"	movk	x13, #0xAAAA, lsl #16\n"
	"	movk	x13, #0x1234, lsl #48\n"
	"	cmp	x9, x13\n"
	"	cset	x14, eq\n"
	"	orr	x12, x12, x14, lsl #1\n"
	"	cmp	x10, x13\n"
	"	cset	x14, eq\n"
	"	orr	x12, x12, x14, lsl #2\n"
	"	cbz	x2, 3f\n"
	"	msr	spsel, #1\n"
	"3:	mov	x15, sp\n"
	"	cmp	x15, x16\n"
	"	cset	x14, eq\n"
	"	orr	x12, x12, x14, lsl #3\n"
	"	mov	sp, x16\n"
	"	str	x12, [x4]\n"
	"	mov	x0, x11\n"
	"	ret\n"
	"	.size probe, . - probe\n");
uint64_t probe(uint64_t addr, uint32_t value, uint64_t el0, uint64_t sp0, uint64_t *ok);

static void expect64(uint64_t got, uint64_t want, uint32_t id, const char *what)
{
	if (got != want) {
		printf("FAIL 0x%x: %s got=0x%lx want=0x%lx\n", id, what, (unsigned long)got, (unsigned long)want);
		hv_fail(id);
	}
}

static void on_irq(uint32_t intid, void *arg)
{
	(void)intid; (void)arg;
	__asm__ volatile("mrs %0, elr_el1" : "=r"(h_elr));
	__asm__ volatile("mrs %0, spsr_el1" : "=r"(h_spsr));
	__asm__ volatile("mrs %0, daif" : "=r"(h_daif));
	__asm__ volatile("mrs %0, currentel" : "=r"(h_el));
	__asm__ volatile("mrs %0, spsel" : "=r"(h_spsel));
	__asm__ volatile("mov %0, sp" : "=r"(h_sp));
	hits++;
}

static int skip_sp_checks;

static void run_probe(uint32_t p, uint64_t addr, uint32_t value, int el1t)
{
	uint32_t base = 0x1200 + 0x10 * p;
	uint64_t ok = 0;
	uint64_t sp0 = (uint64_t)(uintptr_t)&el0_stack[512];

	hits = 0;
	vec_last = ~0ull;
	irq_enable();
	uint64_t label = probe(GICD_BASE + addr, value, el1t, sp0, &ok);
	irq_disable();
	(void)GICC_BASE;
	expect64(hits, 1, base + 1, "handler runs");
	expect64(h_elr, label, base + 2, "ELR_EL1");
	expect64(h_spsr & 0x80, 0, base + 3, "SPSR_EL1.I");
	expect64(h_spsr & 0x340, 0x340, base + 3, "SPSR_EL1.D/A/F");
	expect64(h_spsr & 0x1F, el1t ? 4 : 5, base + 3, "SPSR_EL1.M");
	expect64(h_daif & 0x3C0, 0x3C0, base + 4, "DAIF in handler");
	expect64(vec_last, el1t ? 0x080 : 0x280, base + 5, "vector offset");
	expect64(ok & 7, 7, base + 6, "Z, x9, x10 preserved (bits 0-2)");
	if (!skip_sp_checks) {
		expect64(h_sp >= sp0 - sizeof(el0_stack) && h_sp <= sp0, 0, base + 8,
			 "handler SP inside the SP_EL0 stack");
		expect64(ok & 8, 8, base + 9, "SP_EL1 unchanged across the interrupt");
	}
	expect64(h_el, 1u << 2, base + 7, "CurrentEL in handler");
	expect64(h_spsel, 1, base + 7, "SPSel in handler");
}

int main(void)
{
	const char *mode = hv_argc() > 0 ? hv_arg_str(0) : "el1h";
	extern char gic_entry_vectors[];

	__asm__ volatile("msr vbar_el1, %0\n\tisb" :: "r"(gic_entry_vectors) : "memory");
	gic_init();
	for (uint32_t i = 1; i <= 41; i++)
		irq_register(i, on_irq, 0);
	gic_set_priority(1, 0x80);
	gic_enable(1);

	if (!strcmp(mode, "masked")) {
		hits = 0;
		gic_send_sgi_self(1);
		__asm__ volatile(".rept 200\n\tnop\n\t.endr" ::: "memory");
		gic_send_sgi_self(1);   /* another GIC access with PSTATE.I set */
		__asm__ volatile(".rept 200\n\tnop\n\t.endr" ::: "memory");
		if (hits)
			hv_fail(0x1241);
		irq_enable();
		uint32_t t0 = hv_clock();
		while (!hits && hv_clock() - t0 < 2000)
			;
		irq_disable();
		if (hits != 1)
			hv_fail(0x1242);
		printf("entry %s done\n", mode);
		return 0;
	}

	int el1t = !strcmp(mode, "el1t") || !strcmp(mode, "el1t-vector");
	if (!el1t && strcmp(mode, "el1h")) {
		printf("unknown mode %s\n", mode);
		hv_fail(0xBAD);
		return 1;
	}
	skip_sp_checks = !strcmp(mode, "el1t-vector");
	run_probe(0, GICD_SGIR, (2u << 24) | 1, el1t);

	gic_set_priority(40, 0x80);
	gicd_write(GICD_ISPENDR + 4, 1u << 8);
	run_probe(1, GICD_ISENABLER + 4, 1u << 8, el1t);

	gic_set_priority(41, 0xC0);
	gic_enable(41);
	gic_set_pmr(0xC0);
	gicd_write(GICD_ISPENDR + 4, 1u << 9);
	/* probe stores to GICD_BASE + addr: reach GICC_PMR from there. */
	run_probe(2, (GICC_BASE - GICD_BASE) + GICC_PMR, 0xF0, el1t);

	printf("entry %s done\n", mode);
	return 0;
}
