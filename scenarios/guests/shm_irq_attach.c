/* shm_irq_attach.c - attach and detach are interrupt events (SPEC IRQ-2,
 * IRQ-3, DET-1), and profile attach_irq_self decides whether the attaching
 * connection gets one. One VM, two instances: I0 at 0x1c050000 holds
 * connection A, I1 at 0x1c051000 holds B, both to one new region, so each
 * line tells about one connection. Lines are read from GICD_ISPENDR with
 * PSTATE.I set. In edge mode the GIC is configured edge and every check that
 * wants a raised line is followed by ICPENDR (so the next check sees only
 * new pulses); in level mode ICPENDR is not used.
 * arg0 = region name, arg1 = attach_irq_self as the scenario sets it
 * ("false" or "true"), arg2 = "level" or "edge" (irq_trigger as set).
 *   FAIL 0x901 A attached alone: I0's line raised iff attach_irq_self
 *   FAIL 0x902 A's status: live set not 0x1, or I0's line still raised after
 *              the read
 *   FAIL 0x903 B attached: I0's line not raised (A's attach-list event)
 *   FAIL 0x904 B attached: I1's line raised iff attach_irq_self
 *   FAIL 0x905 A's status: live set not 0x3, or I0's line still raised, or
 *              I1's changed
 *   FAIL 0x906 B's status: live set not 0x3, or I1's line still raised
 *   FAIL 0x907 B detached: I0's line not raised, or I1's raised
 *   FAIL 0x908 A's status: live set not 0x1 after B left, or I0 still raised
 *   FAIL 0x9FF a request failed
 * Console: "irq-attach self=S MODE done". Expected: exit 0. */
#include "hv.h"
#include "gic.h"
#include "shmem.h"

#define FAC0 0x1c050000ul
#define FAC1 0x1c051000ul

static struct shm_dev i0, i1;
static struct shm_conn a, b;
static int edge;

static uint32_t pend(uint32_t v)
{
	return (gicd_read(GICD_ISPENDR + 4 * (v / 32)) >> (v % 32)) & 1;
}

static void lines(uint32_t want0, uint32_t want1, uint32_t id, const char *what)
{
	uint32_t p0 = pend(i0.vector), p1 = pend(i1.vector);
	if (p0 != want0 || p1 != want1) {
		printf("FAIL 0x%x: %s: I0 line %u (want %u), I1 line %u (want %u)\n", id, what,
		       p0, want0, p1, want1);
		hv_fail(id);
	}
	if (edge) {
		gicd_write(GICD_ICPENDR + 4 * (i0.vector / 32), 1u << (i0.vector % 32));
		gicd_write(GICD_ICPENDR + 4 * (i1.vector / 32), 1u << (i1.vector % 32));
	}
}

static void live(struct shm_conn *c, uint32_t want, uint32_t id, const char *what)
{
	uint32_t got = shm_status(c) >> 16;
	if (got != want) {
		printf("FAIL 0x%x: %s live set 0x%x want 0x%x\n", id, what, got, want);
		hv_fail(id);
	}
}

int main(void)
{
	const char *name = hv_arg_str(0);
	uint32_t self = !strcmp(hv_arg_str(1), "true");
	edge = hv_argc() > 2 && !strcmp(hv_arg_str(2), "edge");

	if (shm_probe_loc(&i0, FAC0) || shm_probe_loc(&i1, FAC1) || i0.vector == i1.vector)
		return 1;
	gic_init();
	gic_set_edge(i0.vector, edge);
	gic_set_edge(i1.vector, edge);
	gic_enable(i0.vector);
	gic_enable(i1.vector);

	if (shm_create(&i0, name, 1, &a) != GSS_OK)
		return hv_fail(0x9FF), 1;
	lines(self, 0, 0x901, "A attached alone");
	live(&a, 0x1, 0x902, "A");
	lines(0, 0, 0x902, "after A's read");

	if (shm_create(&i1, name, 1, &b) != GSS_OK)
		return hv_fail(0x9FF), 1;
	uint32_t p1 = pend(i1.vector);
	if (p1 != self) {
		printf("FAIL 0x904: I1 line %u after B attached, want %u\n", p1, self);
		hv_fail(0x904);
	}
	lines(1, self, 0x903, "B attached");
	live(&a, 0x3, 0x905, "A");
	lines(0, edge ? 0 : self, 0x905, "after A's read");
	live(&b, 0x3, 0x906, "B");
	lines(0, 0, 0x906, "after B's read");

	shm_detach(&b);
	lines(1, 0, 0x907, "B detached");
	live(&a, 0x1, 0x908, "A after B left");
	lines(0, 0, 0x908, "after A's read");

	printf("irq-attach self=%s %s done\n", self ? "true" : "false", edge ? "edge" : "level");
	return 0;
}
