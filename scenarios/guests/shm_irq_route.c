/* shm_irq_route.c - which instance's line an event raises (SPEC IRQ-1,
 * IRQ-2, IRQ-4), one VM with two instances: I0 at 0x1c050000 and I1 at
 * 0x1c051000. Line state is read from GICD_ISPENDR (level profile, both
 * INTIDs level in the GIC) with PSTATE.I set; "clear" = read the status of
 * every connection of both instances (32-bit).
 * arg0 = region R1, arg1 = region R2 (both new), arg2 = I0's intr, arg3 =
 * I1's intr, as the scenario configures them.
 * If the two intr differ ("separate"):
 *   FAIL 0x740 a `vector` register does not read its instance's intr
 *   FAIL 0x741 A (I0, R1) and A2 (I0, R1): A2's attach raised I1's line
 *              (I1 has no connection to R1) or did not raise I0's
 *   FAIL 0x742 A2 notifies A: I0's line not raised, or I1's raised
 *   FAIL 0x743 A2 detaches: I0's line not raised (A's attach-list event),
 *              or I1's raised
 *   FAIL 0x744 B (I1, R1) attaches: I0 raised, I1 not (attach_irq_self
 *              false); after clear, A notifies B: I1 raised, I0 not
 *   FAIL 0x745 C (I1, R2) notifies 0xFFFFFFFF and 0xFFFF with nobody else in
 *              R2 (self masked by the constant, allowed by 0xFFFF: C's own
 *              bit, I1 only); E (I0, R2) attaches: I1 raised (C's event), I0
 *              not; E notifies C: I1 raised, I0 not
 * If both instances share one intr ("shared", wired-OR):
 *   FAIL 0x750 a `vector` register does not read the shared intr
 *   FAIL 0x751 A (I0) and B (I1) notify each other: the INTID is pending; it
 *              must stay pending after A's status read (I1 still drives it)
 *              and drop after B's
 * FAIL 0x7FE a request failed. Console: "irq-route MODE done".
 * Expected: exit 0. */
#include "hv.h"
#include "gic.h"
#include "shmem.h"

#define FAC0 0x1c050000ul
#define FAC1 0x1c051000ul

static struct shm_dev i0, i1;
static struct shm_conn a, a2, b, cc, e;
static struct shm_conn *all[5] = { &a, &a2, &b, &cc, &e };

static uint32_t pend(uint32_t v)
{
	return (gicd_read(GICD_ISPENDR + 4 * (v / 32)) >> (v % 32)) & 1;
}

static void clear(void)
{
	for (int i = 0; i < 5; i++)
		if (all[i]->ctl)
			shm_status(all[i]);
}

static void connect(struct shm_dev *d, const char *name, struct shm_conn *c)
{
	if (shm_create(d, name, 1, c) != GSS_OK) {
		hv_fail(0x7FE);
		hv_exit(1);
	}
}

static void lines(uint32_t want0, uint32_t want1, uint32_t id, const char *what)
{
	uint32_t p0 = pend(i0.vector), p1 = pend(i1.vector);
	if (p0 != want0 || p1 != want1) {
		printf("FAIL 0x%x: %s: I0 line %u (want %u), I1 line %u (want %u)\n", id, what,
		       p0, want0, p1, want1);
		hv_fail(id);
	}
}

int main(void)
{
	const char *r1 = hv_arg_str(0), *r2 = hv_arg_str(1);
	uint32_t v0 = (uint32_t)hv_arg(2), v1 = (uint32_t)hv_arg(3);
	int shared = v0 == v1;

	if (shm_probe_loc(&i0, FAC0) || shm_probe_loc(&i1, FAC1))
		return 1;
	hv_expect32(i0.vector, v0, shared ? 0x750 : 0x740, "I0 vector register");
	hv_expect32(i1.vector, v1, shared ? 0x750 : 0x740, "I1 vector register");
	gic_init();
	gic_enable(v0);
	gic_enable(v1);

	if (shared) {
		connect(&i0, r1, &a);
		connect(&i1, r1, &b);
		clear();
		lines(0, 0, 0x751, "after clear");
		shm_notify(&a, 1u << b.idx);
		shm_notify(&b, 1u << a.idx);
		hv_expect32(pend(v0), 1, 0x751, "shared line after both notified");
		shm_status(&a);
		hv_expect32(pend(v0), 1, 0x751, "shared line after A's read (I1 still high)");
		shm_status(&b);
		hv_expect32(pend(v0), 0, 0x751, "shared line after B's read");
		printf("irq-route shared done\n");
		return 0;
	}

	connect(&i0, r1, &a);
	lines(0, 0, 0x741, "A alone");
	connect(&i0, r1, &a2);
	lines(1, 0, 0x741, "A2 attached to R1 via I0");
	clear();
	shm_notify(&a2, 1u << a.idx);
	lines(1, 0, 0x742, "A2 notified A");
	clear();
	shm_detach(&a2);
	lines(1, 0, 0x743, "A2 detached");
	clear();
	lines(0, 0, 0x743, "after clear");

	connect(&i1, r1, &b);
	lines(1, 0, 0x744, "B attached to R1 via I1");
	clear();
	shm_notify(&a, 1u << b.idx);
	lines(0, 1, 0x744, "A notified B");
	clear();

	connect(&i1, r2, &cc);
	lines(0, 0, 0x745, "C alone in R2");
	shm_notify(&cc, SHM_NOTIFY_OTHERS);
	lines(0, 0, 0x745, "C notified 0xFFFFFFFF, alone");
	shm_notify(&cc, 0xFFFF);
	lines(0, 1, 0x745, "C notified 0xFFFF, alone (own bit, self_notify allowed)");
	clear();
	connect(&i0, r2, &e);
	lines(0, 1, 0x745, "E attached to R2 via I0");
	clear();
	shm_notify(&e, 1u << cc.idx);
	lines(0, 1, 0x745, "E notified C");
	clear();
	lines(0, 0, 0x745, "after clear");
	printf("irq-route separate done\n");
	return 0;
}
