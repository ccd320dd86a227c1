/* cli_qnx.c - a client written the way the QNX shmem sample is: the name
 * goes into the factory page by strcpy (byte stores, NUL included, the rest
 * of the field left as it is), the size register asks for 16 pages, each
 * connection owns a 4 KiB slot of the data area at index * 4 KiB, the
 * doorbell is always rung with ~0 (NTF-2: everyone but me), the interrupt
 * handler reads the control page's status exactly once, compares the
 * attach list (bits 31:16) with the one it saved and prints who joined and
 * who left, and at the end it detaches by writing 0 (DET-1: any value).
 *
 * The client writes "hello from NAME idx I" into its slot and notifies;
 * when a new peer joins it rings again (the newcomer was not live for the
 * first ring, NTF-3). For every pending bit it prints the sender's slot.
 * It is done when it has read `peers` different senders; then it marks 2,
 * detaches and exits 0. It marks 1 after its first ring (host steps may
 * wait for it).
 *
 * args: loc (factory page), region name, peers (1..15), own name.
 * Exit: 0 done; 10 + GSS when the request failed; 20 no device.
 * FAIL 0xA01 the region does not have the 16 pages asked for (CRE-2)
 * FAIL 0xA02 a pending bit for my own index (~0 excludes me, NTF-2)
 * FAIL 0xA03 a sender's slot does not start with "hello"
 * FAIL 0xA04 idx register disagrees with the attach list (CTL-1)
 * Console: "qnx NAME idx=I pages=16", "qnx NAME joined J" / "left J",
 * "qnx NAME from J: TEXT", "qnx NAME done peers=P". */
#include "hv.h"
#include "gic.h"
#include "shmem.h"

#define QNX_PAGES 16
#define SLOT      0x1000u

static uint64_t fac, ctl;
static volatile uint8_t *data;
static const char *me;
static uint32_t idx, saved_list, peers;
static volatile uint32_t got, seen_from, n_irq;

/* The sample's strcpy onto the device page: one byte store per byte. */
static void strcpy_dev(uint64_t dst, const char *s)
{
	volatile char *d = (volatile char *)(uintptr_t)dst;
	while ((*d++ = *s++))
		;
}

static void ring_all(void)
{
	dsb();
	mmio_write32(ctl + CTL_NOTIFY, ~0u);
}

/* Returns whether it rang the doorbell (a peer joined). */
static int handle(uint32_t st)
{
	int rang = 0;
	uint32_t pend = st & 0xFFFF, list = st >> 16;

	if (list != saved_list) {
		uint32_t joined = list & ~saved_list, left = saved_list & ~list;
		for (uint32_t j = 0; j < 16; j++) {
			if (joined & (1u << j))
				printf("qnx %s joined %u\n", me, j);
			if (left & (1u << j))
				printf("qnx %s left %u\n", me, j);
		}
		saved_list = list;
		if (joined) {
			ring_all();
			rang = 1;
		}
	}
	if (pend & (1u << idx))
		hv_fail(0xA02);
	for (uint32_t j = 0; j < 16; j++) {
		if (!(pend & (1u << j)) || j == idx)
			continue;
		volatile const char *slot = (volatile const char *)(data + j * SLOT);
		char text[48];
		uint32_t n = 0;
		for (; n < sizeof(text) - 1 && slot[n]; n++)
			text[n] = slot[n];
		text[n] = 0;
		printf("qnx %s from %u: %s\n", me, j, text);
		hv_check(!memcmp(text, "hello", 5), 0xA03);
		if (!(seen_from & (1u << j))) {
			seen_from |= 1u << j;
			got++;
		}
	}
	return rang;
}

static void on_irq(uint32_t intid, void *arg)
{
	(void)intid;
	(void)arg;
	n_irq++;
	uint32_t st = mmio_read32(ctl + CTL_STATUS);   /* once per interrupt */
	dmb_ishld();            /* the status read before the data loads */
	(void)handle(st);
}

int main(void)
{
	fac = hv_arg(0);
	const char *region = hv_arg_str(1);
	peers = (uint32_t)hv_arg(2);
	me = hv_arg_str(3);
	if (mmio_read64(fac + FAC_SIGNATURE) != SHM_SIGNATURE)
		return 20;
	uint32_t vector = mmio_read32(fac + FAC_VECTOR);

	gic_init();
	irq_register(vector, on_irq, 0);
	gic_enable(vector);

	strcpy_dev(fac + FAC_NAME, region);
	mmio_write32(fac + FAC_SIZE, QNX_PAGES);
	uint32_t gss = mmio_read32(fac + FAC_STATUS);
	if (gss != GSS_OK) {
		printf("qnx %s: request failed, status %u\n", me, gss);
		return 10 + (int)gss;
	}
	ctl = mmio_read64(fac + FAC_SHMEM);
	data = (volatile uint8_t *)(uintptr_t)(ctl + SHM_PAGE);
	idx = mmio_read32(ctl + CTL_IDX);
	uint32_t pages = mmio_read32(fac + FAC_SIZE);
	printf("qnx %s idx=%u pages=%u\n", me, idx, pages);
	hv_check(pages == QNX_PAGES, 0xA01);

	snprintf((char *)(uintptr_t)(data + idx * SLOT), 48, "hello from %s idx %u", me, idx);
	/* The first status read: the attach list as I joined, and anything a
	 * peer already rang. */
	uint32_t st = mmio_read32(ctl + CTL_STATUS);
	dmb_ishld();
	hv_check((st >> 16) & (1u << idx), 0xA04);
	saved_list = 1u << idx;
	if (!handle(st))
		ring_all();
	hv_mark(1);

	while (got < peers) {
		wfi();
		uint32_t k = n_irq;
		irq_enable();
		for (int i = 0; i < 100000 && n_irq == k; i++)
			;
		irq_disable();
	}
	printf("qnx %s done peers=%u\n", me, got);
	hv_mark(2);
	mmio_write32(ctl + CTL_DETACH, 0);
	return 0;
}
