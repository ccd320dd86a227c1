/* gic_nested.c - preemption (SPEC GIC-2): a higher priority interrupt
 * preempts the handler of a lower one that re-enabled IRQs; one of equal
 * or lower priority waits for the EOI. The preemption test compares group
 * priorities as set by GICC_BPR.
 * arg0 "nested" (BPR 2, group priority = the whole 5-bit priority):
 *   SPI 40 prio 0xA0. Its handler unmasks IRQs and makes pending SPI 41
 *   (0x40, preempts), SPI 43 (0xA0, equal: waits) and SPI 42 (0xC0, lower:
 *   waits). Log: E40 E41 X41 X40 E43 X43 E42 X42 (E = enter, X = exit).
 *   FAIL 0xD01 SPI 41 did not preempt the SPI 40 handler
 *   FAIL 0xD02 SPI 43 or 42 was taken inside the SPI 40 handler
 *   FAIL 0xD03 RPR in the nested SPI 41 handler != 0x40
 *   FAIL 0xD04 SPSR_EL1 in the nested handler: I set (interrupted code had
 *              IRQs unmasked) or mode not EL1h
 *   FAIL 0xD05 RPR back in the SPI 40 handler after the nested EOI != 0xA0
 *   FAIL 0xD06 the whole log differs from the expected one
 * arg0 "bpr" (BPR 4: group priority = bits [7:5]):
 *   SPI 40 prio 0xB8 (group 0xA0). Its handler makes pending SPI 41 prio
 *   0xA0 (same group: must NOT preempt although numerically lower), then
 *   SPI 44 prio 0x98 (group 0x80: preempts). Log: E40 E44 X44 X40 E41 X41.
 *   FAIL 0xD11 SPI 41 (same group) preempted the SPI 40 handler
 *   FAIL 0xD12 SPI 44 (higher group) did not preempt
 *   FAIL 0xD13 BPR does not read back 4
 *   FAIL 0xD16 the whole log differs from the expected one
 * Expected: exit 0, no FAIL, console "nested MODE log ..." with the log. */
#include "hv.h"
#include "gic.h"

static volatile uint32_t log_n;
static volatile uint32_t logv[16];     /* 1000 + INTID on enter, 2000 + INTID on exit */
static volatile uint32_t hits[64];
static int bpr_mode;

static void logit(uint32_t v)
{
	if (log_n < 16)
		logv[log_n] = v;
	log_n++;
}

/* Spin with IRQs as they are until *count reaches want or budget
 * instructions passed. */
static int spin_count(volatile uint32_t *count, uint32_t want, uint32_t budget)
{
	uint32_t t0 = hv_clock();
	while (*count < want && hv_clock() - t0 < budget)
		;
	return *count >= want;
}

static void on_40(uint32_t intid, void *arg)
{
	(void)intid; (void)arg;
	logit(1040);
	irq_enable();
	if (!bpr_mode) {
		gicd_write(GICD_ISPENDR + 4, (1u << 11) | (1u << 10));  /* 43, 42 */
		gicd_write(GICD_ISPENDR + 4, 1u << 9);                  /* 41 */
		if (!spin_count(&hits[41], 1, 2000))
			hv_fail(0xD01);
		spin_count(&hits[42], 1, 500);
		if (hits[42] || hits[43])
			hv_fail(0xD02);
		hv_expect32(gicc_read(GICC_RPR), 0xA0, 0xD05, "RPR after nested EOI");
	} else {
		gicd_write(GICD_ISPENDR + 4, 1u << 9);                  /* 41 */
		spin_count(&hits[41], 1, 1000);
		if (hits[41])
			hv_fail(0xD11);
		gicd_write(GICD_ISPENDR + 4, 1u << 12);                 /* 44 */
		if (!spin_count(&hits[44], 1, 2000))
			hv_fail(0xD12);
	}
	irq_disable();
	hits[40]++;
	logit(2040);
}

static void on_other(uint32_t intid, void *arg)
{
	(void)arg;
	logit(1000 + intid);
	if (intid == 41 && !bpr_mode) {
		uint64_t spsr;
		__asm__ volatile("mrs %0, spsr_el1" : "=r"(spsr));
		hv_expect32(gicc_read(GICC_RPR), 0x40, 0xD03, "RPR in nested handler");
		hv_expect32((uint32_t)(spsr & 0x80), 0, 0xD04, "SPSR.I in nested handler");
		hv_expect32((uint32_t)(spsr & 0xF), 5, 0xD04, "SPSR.M in nested handler");
	}
	hits[intid]++;
	logit(2000 + intid);
}

static int check_log(const uint32_t *want, uint32_t n, uint32_t id)
{
	int ok = log_n == n;
	for (uint32_t i = 0; ok && i < n; i++)
		ok = logv[i] == want[i];
	if (!ok) {
		printf("FAIL 0x%x: log differs\n", id);
		hv_fail(id);
	}
	return ok;
}

int main(void)
{
	const char *mode = hv_argc() > 0 ? hv_arg_str(0) : "nested";
	bpr_mode = !strcmp(mode, "bpr");
	if (!bpr_mode && strcmp(mode, "nested")) {
		printf("unknown mode %s\n", mode);
		hv_fail(0xBAD);
		return 1;
	}

	gic_init();
	irq_register(40, on_40, 0);
	irq_register(41, on_other, 0);
	irq_register(42, on_other, 0);
	irq_register(43, on_other, 0);
	irq_register(44, on_other, 0);
	if (bpr_mode) {
		gicc_write(GICC_BPR, 4);
		hv_expect32(gicc_read(GICC_BPR), 4, 0xD13, "BPR");
		gic_set_priority(40, 0xB8);
		gic_set_priority(41, 0xA0);
		gic_set_priority(44, 0x98);
	} else {
		gic_set_priority(40, 0xA0);
		gic_set_priority(41, 0x40);
		gic_set_priority(42, 0xC0);
		gic_set_priority(43, 0xA0);
	}
	for (uint32_t i = 40; i <= 44; i++)
		gic_enable(i);

	hv_mark(1);
	irq_enable();
	gicd_write(GICD_ISPENDR + 4, 1u << 8);                  /* 40 */
	uint32_t t0 = hv_clock();
	uint32_t last = bpr_mode ? 41 : 42;
	while (!hits[last] && hv_clock() - t0 < 20000)
		;
	irq_disable();

	static const uint32_t want_nested[] = { 1040, 1041, 2041, 2040, 1043, 2043, 1042, 2042 };
	static const uint32_t want_bpr[] = { 1040, 1044, 2044, 2040, 1041, 2041 };
	if (bpr_mode)
		check_log(want_bpr, 6, 0xD16);
	else
		check_log(want_nested, 8, 0xD06);
	printf("nested %s log", mode);
	for (uint32_t i = 0; i < log_n && i < 16; i++)
		printf(" %c%u", logv[i] >= 2000 ? 'X' : 'E', logv[i] % 1000);
	printf("\n");
	return 0;
}
