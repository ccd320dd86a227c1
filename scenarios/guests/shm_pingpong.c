/* shm_pingpong.c - two VMs bounce a counter through a shared region with
 * notify interrupts in both directions (SPEC NTF-1, NTF-5, IRQ-1..3, CTL-2,
 * DET-4), through the instance at 0x1c050000.
 * VM 0 is "ping" (sends the odd counts 1, 3, ...), VM 1 "pong" (the even
 * ones). Each connects (create-or-attach, 1 page), learns its peer's index
 * from the live set (status bits 31:16: its own read right after attaching,
 * which may already carry the peer's first notify, or the attach-list
 * interrupt when the peer comes later), enables the instance's vector in
 * the GIC and sleeps in wfi (tested with PSTATE.I set, which wfi ignores,
 * then unmasked after each wakeup to take the IRQ: no lost wakeup). The IRQ
 * handler reads status once (32-bit, read-to-clear); when the peer's pending
 * bit is set it reads the counter (data offset 0) and a block of `words`
 * 32-bit words (data offset 0x40, word i = count * 0x9E3779B1 + i, written
 * before the counter and before the notify), checks both, and unless the
 * count reached N writes block and counter for count + 1, marks count + 1
 * and notifies the peer (mask = the peer's bit).
 * The VM that receives N exits at once; the VM that sent N waits for the
 * attach-list interrupt that shows its peer gone (DET-4), then exits. So
 * with N even: ping takes 1 (pong attached) + N/2 interrupts, pong N/2 + 1
 * (ping left).
 * arg0 = region name, arg1 = N (>= 2), arg2 = words (0..1000), arg3 = "edge"
 * to configure the vector edge-triggered in the GIC (profile irq_trigger
 * edge), anything else or absent: level.
 * FAIL 0x801 the connection failed
 * FAIL 0x802 the counter read in the handler is not the one expected (the
 *            count this VM sent last + 1)
 * FAIL 0x803 a block word does not match the counter (NTF-5)
 * FAIL 0x804 level only: an interrupt with nothing new in status (no
 *            pending bit and the same live set as at the previous read): the
 *            line was high without an unread event (IRQ-3). (With edge a
 *            latched pulse may legitimately outlive the read that consumed
 *            its event, so there it is not checked.)
 * FAIL 0x805 a pending bit from an index other than the peer's
 * FAIL 0x806 more than two connections in the live set
 * Console: "pingpong vmV ROLE idx=I peer=P", then "pingpong vmV ROLE got=C
 * irqs=K". Expected: exit 0, no FAIL; region data offset 0 = N. */
#include "hv.h"
#include "gic.h"
#include "shmem.h"

#define FAC0 0x1c050000ul
#define BLOCK 0x40

static struct shm_dev d;
static struct shm_conn c;
static uint32_t n_max, words, vmid;
static int edge;
static volatile uint32_t peer = 0xFF, live_seen, done, sent_last, peer_gone;
static volatile uint32_t last_sent, last_got, n_irq;

static volatile uint32_t *word(uint32_t off) { return (volatile uint32_t *)(shm_data(&c) + off); }

static void send(uint32_t count)
{
	for (uint32_t i = 0; i < words; i++)
		*word(BLOCK + 4 * i) = count * 0x9E3779B1u + i;
	*word(0) = count;
	last_sent = count;
	hv_mark(count);
	shm_notify(&c, 1u << peer);            /* dsb, then the doorbell */
	if (count >= n_max)
		sent_last = 1;
}

static int popcount(uint32_t v)
{
	int n = 0;
	for (; v; v &= v - 1)
		n++;
	return n;
}

/* A new live set: learn (or lose) the peer. */
static void see_live(uint32_t live)
{
	if (popcount(live) > 2) {
		printf("FAIL 0x806: live set 0x%x\n", live);
		hv_fail(0x806);
	}
	uint32_t others = live & ~(1u << c.idx);
	if (others && peer == 0xFF) {
		peer = (uint32_t)__builtin_ctz(others);
		printf("pingpong vm%u %s idx=%u peer=%u\n", vmid, vmid ? "pong" : "ping", c.idx, peer);
		if (vmid == 0)
			send(1);
	} else if (!others && peer != 0xFF) {
		peer_gone = 1;
	}
	live_seen = live;
}

/* One status word: from the handler, or the baseline read right after
 * attaching (which may already carry the peer's first notify). */
static void process(uint32_t st, int from_irq)
{
	uint32_t pend = st & 0xFFFF, live = st >> 16;

	if (from_irq && !edge && !pend && live == live_seen) {
		printf("FAIL 0x804: interrupt with status 0x%x, nothing new\n", st);
		hv_fail(0x804);
	}
	if (live != live_seen)
		see_live(live);
	if (!pend)
		return;
	if (peer == 0xFF || pend != (1u << peer)) {
		printf("FAIL 0x805: pending 0x%x, peer %u\n", pend, peer);
		hv_fail(0x805);
		if (peer == 0xFF)
			return;
	}
	uint32_t got = *word(0);
	if (got != last_sent + 1) {
		printf("FAIL 0x802: got count %u, sent %u last\n", got, last_sent);
		hv_fail(0x802);
	}
	for (uint32_t i = 0; i < words; i++) {
		uint32_t w = *word(BLOCK + 4 * i);
		if (w != got * 0x9E3779B1u + i) {
			printf("FAIL 0x803: count %u word %u = 0x%x\n", got, i, w);
			hv_fail(0x803);
			break;
		}
	}
	last_got = got;
	if (got >= n_max)
		done = 1;
	else
		send(got + 1);
}

static void on_irq(uint32_t intid, void *arg)
{
	(void)intid;
	(void)arg;
	n_irq++;
	process(shm_status(&c), 1);
}

int main(void)
{
	const char *name = hv_arg_str(0);
	n_max = (uint32_t)hv_arg(1);
	words = hv_argc() > 2 ? (uint32_t)hv_arg(2) : 0;
	edge = hv_argc() > 3 && !strcmp(hv_arg_str(3), "edge");
	vmid = hv_vmid();
	if (words > 1000 || n_max < 2 || shm_probe_loc(&d, FAC0))
		return 1;

	gic_init();
	gic_set_priority(d.vector, 0x80);
	if (edge)
		gic_set_edge(d.vector, 1);
	irq_register(d.vector, on_irq, 0);
	gic_enable(d.vector);

	if (shm_create(&d, name, 1, &c) != GSS_OK) {
		hv_fail(0x801);
		return 1;
	}
	/* Baseline: the live set as I attached (PSTATE.I still set); a peer
	 * that came first may already have notified. */
	process(shm_status(&c), 0);

	/* Sleep with PSTATE.I set (wfi still wakes on a pending IRQ, GIC-6),
	 * then unmask to take it: no wakeup is lost between test and wfi. */
	while (!(done || (sent_last && peer_gone))) {
		wfi();
		uint32_t k = n_irq;
		irq_enable();
		for (int i = 0; i < 100000 && n_irq == k; i++)
			;
		irq_disable();
	}
	printf("pingpong vm%u %s got=%u irqs=%u\n", vmid, vmid ? "pong" : "ping", last_got, n_irq);
	return 0;
}
