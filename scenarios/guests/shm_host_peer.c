/* shm_host_peer.c - a guest connection facing the hypervisor host's
 * connection (SPEC HST-1, HST-2, IRQ-2), through the instance at 0x1c050000.
 * The scenario's host steps act at this guest's marks; a host step fires at
 * the instruction boundary of the mark, before the guest runs on, so right
 * after each mark the guest sees the host's action.
 * args: 0 region name; 1 expected `size` after the guest's attach (1 page
 * requested; 0 = no check); 2 expected index of the guest's connection;
 * 3 the host connection's index H (its bit in pending bits and live set),
 * plus 16 when the host attaches only at mark 1 (then H must not be in the
 * live set right after the guest attached);
 * 4 rounds, a string of '1'/'0': for round k (from 1) the guest marks k and
 * the host does something; '1' = bit H must be pending and the line raised,
 * '0' = nothing pending and the line low; 5, 6 (optional) data offset and
 * the 32-bit word the host wrote there; 7 (optional) 1 = the end protocol:
 * the guest notifies the host (mask 1 << H), marks 90 (host: status),
 * marks 91 (host: detach) and must then see the attach-list event.
 * Handling: line state from GICD_ISPENDR with PSTATE.I set, then IRQs are
 * enabled until the handler (32-bit status read) has run.
 *   FAIL 0xB01 the guest's request failed
 *   FAIL 0xB02 `size` is not the expected page count (the host fixed it)
 *   FAIL 0xB03 the guest's index is not the expected one (the host holds one)
 *   FAIL 0xB04 the live set right after attaching lacks the guest's bit, or
 *              has bit H other than as arg 3 says
 *   FAIL 0xB05 the host's data word is not there
 *   FAIL 0xB06 a '1' round: line not raised, no interrupt, or the handler's
 *              status pending bits are not exactly bit H
 *   FAIL 0xB07 a '0' round: the line was raised or bits are pending
 *   FAIL 0xB08 after the host detached: no interrupt, live set still has H,
 *              or pending bits set
 * Console: "host-peer idx=I size=S live=0x.." and "host-peer rounds=R done".
 * Expected: exit 0. */
#include "hv.h"
#include "gic.h"
#include "shmem.h"

#define FAC0 0x1c050000ul

static struct shm_dev d;
static struct shm_conn c;
static volatile uint32_t n_irq, last_st;

static void on_irq(uint32_t intid, void *arg)
{
	(void)intid;
	(void)arg;
	last_st = shm_status(&c);
	n_irq++;
}

static uint32_t line(void)
{
	return (gicd_read(GICD_ISPENDR + 4 * (d.vector / 32)) >> (d.vector % 32)) & 1;
}

/* Take the pending interrupt: 1 when the handler ran. */
static int take(void)
{
	uint32_t k = n_irq;
	irq_enable();
	for (int i = 0; i < 10000 && n_irq == k; i++)
		;
	irq_disable();
	return n_irq != k;
}

int main(void)
{
	const char *name = hv_arg_str(0);
	uint32_t exp_pages = (uint32_t)hv_arg(1), exp_idx = (uint32_t)hv_arg(2);
	uint32_t h = (uint32_t)hv_arg(3) & 15, h_later = (uint32_t)hv_arg(3) >= 16;
	const char *rounds = hv_arg_str(4);
	uint32_t argc = hv_argc();

	if (shm_probe_loc(&d, FAC0))
		return 1;
	gic_init();
	gic_set_priority(d.vector, 0x80);
	irq_register(d.vector, on_irq, 0);
	gic_enable(d.vector);

	if (shm_create(&d, name, 1, &c) != GSS_OK) {
		printf("FAIL 0xB01: status %u\n", shm_last_status(&d));
		hv_fail(0xB01);
		return 1;
	}
	uint32_t st = shm_status(&c);
	printf("host-peer idx=%u size=%u live=0x%x\n", c.idx, c.pages, st >> 16);
	if (exp_pages && c.pages != exp_pages)
		hv_fail(0xB02);
	if (c.idx != exp_idx)
		hv_fail(0xB03);
	if (!((st >> 16) & (1u << c.idx)) || ((st >> 16) >> h & 1) != !h_later) {
		printf("FAIL 0xB04: live set 0x%x\n", st >> 16);
		hv_fail(0xB04);
	}
	if (argc > 6) {
		uint32_t off = (uint32_t)hv_arg(5), want = (uint32_t)hv_arg(6);
		uint32_t got = *(volatile uint32_t *)(shm_data(&c) + off);
		if (got != want) {
			printf("FAIL 0xB05: data at 0x%x = 0x%x, want 0x%x\n", off, got, want);
			hv_fail(0xB05);
		}
	}

	uint32_t k = 1;
	for (const char *r = rounds; *r; r++, k++) {
		hv_mark(k);
		uint32_t l = line();
		if (*r == '1') {
			int ran = take();
			if (!l || !ran || (last_st & 0xFFFF) != (1u << h)) {
				printf("FAIL 0xB06: round %u line=%u irq=%d status=0x%x\n", k, l, ran,
				       last_st);
				hv_fail(0xB06);
			}
		} else {
			uint32_t s = shm_status(&c);
			if (l || (s & 0xFFFF)) {
				printf("FAIL 0xB07: round %u line=%u status=0x%x\n", k, l, s);
				hv_fail(0xB07);
			}
		}
	}

	if (argc > 7 && hv_arg(7) == 1) {
		shm_notify(&c, 1u << h);
		hv_mark(90);
		hv_mark(91);
		int ran = take();
		if (!ran || (last_st >> 16) & (1u << h) || (last_st & 0xFFFF)) {
			printf("FAIL 0xB08: after host detach irq=%d status=0x%x\n", ran, last_st);
			hv_fail(0xB08);
		}
	}
	printf("host-peer rounds=%s done\n", rounds);
	return 0;
}
