/* cli_optee.c - a client in the style of an OP-TEE-like secure-world
 * driver for the shmem device on PCI: it scans bus 0 for vendor 0x1C05
 * device 0x0001 (16-bit loads of the two IDs), takes the factory page from
 * BAR0 as firmware left it (PCI-1), turns on Memory Space with a 16-bit
 * store of 0x0006 to Command, reads the Interrupt Line byte as its INTID,
 * leaves that INTID level-triggered in the GIC (the reset default), and
 * talks to one statically configured peer index: work is
 * `status & (1 << peer)`, the doorbell is `1 << peer` (NTF-1).
 *
 * The VM whose index is lower than its peer's starts: it sends 1 (data
 * offset 0) once the peer shows in the attach list; the other side answers
 * every k with k + 1 at offset 4; the starter sends the next odd value.
 * After `rounds` answers the starter detaches; the answering side detaches
 * when the attach list shows its peer gone.
 *
 * args: region name, peer index, rounds (>= 1).
 * Exit: 0 done; 10 + GSS when the request failed; 20 no device on the bus;
 * 21 no signature at BAR0.
 * FAIL 0xC01 a value out of sequence
 * FAIL 0xC02 the idx register is the peer index (static configuration wrong)
 * Console: "optee slot S bar0=0x.. intid=N idx=I peer=P",
 * "optee done rounds=R". */
#include "hv.h"
#include "gic.h"
#include "shmem.h"

#define PCI_VENDOR_ID  0x00
#define PCI_DEVICE_ID  0x02
#define PCI_COMMAND    0x04
#define PCI_BAR0       0x10
#define PCI_INT_LINE   0x3C
#define CMD_MEM        0x0002
#define CMD_MASTER     0x0004

static uint64_t ctl;
static volatile uint32_t *data;
static uint32_t idx, peer, rounds, starter;
static volatile uint32_t done, peer_gone, n_irq, started, answers, expect_next = 1;

static uint64_t cfg(uint32_t slot, uint32_t off)
{
	return ECAM_BASE + ((uint64_t)slot << 15) + off;
}

static void ring_peer(void)
{
	dsb();
	mmio_write32(ctl + CTL_NOTIFY, 1u << peer);
}

static void work(void)
{
	if (starter) {
		uint32_t v = data[1];
		if (!hv_check(v == expect_next + 1, 0xC01))
			printf("optee got 0x%x want 0x%x\n", v, expect_next + 1);
		if (++answers >= rounds) {
			done = 1;
			return;
		}
		expect_next = v + 1;
		data[0] = expect_next;
		ring_peer();
	} else {
		uint32_t v = data[0];
		if (!hv_check(v == expect_next, 0xC01))
			printf("optee got 0x%x want 0x%x\n", v, expect_next);
		data[1] = v + 1;
		expect_next = v + 2;
		answers++;
		ring_peer();
	}
}

static void on_status(uint32_t status)
{
	int present = (status >> 16) & (1u << peer);
	if (starter && present && !started) {
		started = 1;
		data[0] = 1;
		ring_peer();
	}
	if (!starter && !present && answers >= rounds)
		peer_gone = 1;
	if (status & (1u << peer))
		work();
}

static void on_irq(uint32_t intid, void *arg)
{
	(void)intid;
	(void)arg;
	n_irq++;
	uint32_t st = mmio_read32(ctl + CTL_STATUS);
	dmb_ishld();            /* the status read before the message loads */
	on_status(st);
}

int main(void)
{
	const char *name = hv_arg_str(0);
	peer = (uint32_t)hv_arg(1);
	rounds = (uint32_t)hv_arg(2);

	uint32_t slot = 0;
	for (; slot < 32; slot++)
		if (mmio_read16(cfg(slot, PCI_VENDOR_ID)) == SHM_PCI_VENDOR &&
		    mmio_read16(cfg(slot, PCI_DEVICE_ID)) == SHM_PCI_DEVICE)
			break;
	if (slot == 32)
		return 20;
	uint64_t fac = mmio_read32(cfg(slot, PCI_BAR0)) & ~0xFu;
	mmio_write16(cfg(slot, PCI_COMMAND), CMD_MEM | CMD_MASTER);
	uint32_t intid = mmio_read8(cfg(slot, PCI_INT_LINE));
	if (mmio_read64(fac + FAC_SIGNATURE) != SHM_SIGNATURE)
		return 21;

	gic_init();
	irq_register(intid, on_irq, 0);
	gic_enable(intid);

	shm_set_name(&(struct shm_dev){ .fac = fac }, name);
	mmio_write32(fac + FAC_SIZE, 1);
	uint32_t gss = mmio_read32(fac + FAC_STATUS);
	if (gss != GSS_OK)
		return 10 + (int)gss;
	ctl = mmio_read64(fac + FAC_SHMEM);
	data = (volatile uint32_t *)(uintptr_t)(ctl + SHM_PAGE);
	idx = mmio_read32(ctl + CTL_IDX);
	starter = idx < peer;
	hv_check(idx != peer, 0xC02);
	printf("optee slot %u bar0=0x%lx intid=%u idx=%u peer=%u\n", slot, (unsigned long)fac,
	       intid, idx, peer);
	uint32_t st = mmio_read32(ctl + CTL_STATUS);
	dmb_ishld();            /* the status read before the message loads */
	on_status(st);

	while (starter ? !done : !peer_gone) {
		wfi();
		uint32_t seen = n_irq;
		irq_enable();
		for (int i = 0; i < 100000 && n_irq == seen; i++)
			;
		irq_disable();
	}
	printf("optee done rounds=%u\n", answers);
	mmio_write32(ctl + CTL_DETACH, 1);
	return 0;
}
