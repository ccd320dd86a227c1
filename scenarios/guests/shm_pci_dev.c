/* shm_pci_dev.c - the PCI presentation of the shmem device (SPEC PCI-1,
 * PCI-2), driven through the ECAM like a PCI driver does.
 *
 * args: [MODE, N, ...]  N = how many shmem functions the VM has (slots 1..N)
 *
 * MODE "scan" (PCI-1): walk bus 0 with 8/16/32-bit config reads.
 *   0x401 slot 0 is absent or not a host bridge (class 0x060000, 32/16/8-bit reads)
 *   0x402 a shmem slot: vendor/device not 0x1C05/0x0001 (32-bit and 16-bit reads)
 *   0x403 ... class code not 0x058000 (32-bit read of 0x08, and 8-bit reads)
 *   0x404 ... BAR0 at reset not 0x1000_0000 + (slot-1) * 4 KiB
 *   0x405 ... Command at reset not 0
 *   0x406 ... Interrupt Pin not 1 or Interrupt Line not 35 + slot % 4
 *   0x407 a slot above N, or function 1..7 of a present slot, does not read
 *         all ones (32, 16 and 8 bits)
 *   0x408 BAR sizing: all ones does not read back 0xFFFFF000; old value not restored
 *   0x409 Command after writing all ones: Memory Space (bit 1) not set, or
 *         Interrupt Disable (bit 10, not implemented) not reading 0
 *   0x40A with decoding on, the factory page at BAR0 has no signature
 *   0x40B ... its vector is not the Interrupt Line
 *   0x40C a config write to a RO register (vendor/device ID, class code)
 *         changed it
 * MODE "nodecode": read the signature at the reset BAR0 of slot 1 with
 *   Command still 0: must fault (read-unmapped at 0x10000000).
 * MODE "relocate" [N, NEW]: enable slot 1, create region "pcireg" 2 pages,
 *   then (decoding on) program BAR0 = NEW with one 32-bit store, and then
 *   again with byte stores back and forth.
 *   0x411 the factory page is not at NEW (signature), or still at the old place
 *         is checked by "relocate-old"
 *   0x412 the instance state moved with it (status, size, shmem of the request)
 *   0x413 a request through the new place fails or does not land in the window
 *   0x414 BAR0 does not read NEW
 * MODE "relocate-old" [N, NEW]: as "relocate", then read the old address:
 *   must fault read-unmapped there.
 * MODE "disable": enable slot 1, then write Command = 0 and read the factory
 *   page: must fault read-unmapped.
 * MODE "bar-ram": BAR0 of slot 1 = 0x40000000 (RAM, outside the PCI window),
 *   decoding on: the load there reads RAM, not the signature (0x421); moving
 *   BAR0 back to 0x10004000 decodes it again (0x422).
 * MODE "bar-outside" [N, ADDR]: BAR0 of slot 1 = ADDR outside the window,
 *   decoding on, then load ADDR: must fault read-unmapped.
 * MODE "bar-over" [N, ADDR, VEC]: BAR0 of slot N = ADDR, where another
 *   device page (a `loc` page or slot 1's BAR) with vector VEC is: the load of
 *   ADDR+0x10 reads VEC, not slot N's line (0x431); slot N moved to a free
 *   place is decoded there (0x432).
 * MODE "intx" [N]: enable every function; attach region "bell" through each
 *   (1 page); mark 1 and wait for an interrupt per function: the host then
 *   notifies every connection. Each interrupt must arrive on its function's
 *   Interrupt Line (INTA, 35 + slot % 4) with the host's bit pending.
 *   0x441 a probe or attach failed   0x442 an interrupt on an unexpected INTID
 *   0x443 the control status had no pending bit
 *   0x444 not every function's interrupt arrived
 * Console: "pci MODE ok" at the end, "pci: ..." along the way. Exit 0.
 */
#include "hv.h"
#include "gic.h"
#include "shmem.h"

#define PCI_ID        0x00
#define PCI_CMD       0x04
#define PCI_CLASS_REV 0x08
#define PCI_BAR0      0x10
#define PCI_INTR_LINE 0x3C
#define PCI_INTR_PIN  0x3D
#define PCI_SLOTS     32
#define WIN0          0x1800000000ull

static uint64_t cfg(int slot, int fn, uint32_t reg)
{
	return ECAM_BASE + ((uint64_t)slot << 15) + ((uint64_t)fn << 12) + reg;
}

static uint64_t arg_num(uint32_t i)
{
	return hv_strtou(hv_arg_str(i));
}

static void enable(int slot)
{
	mmio_write16(cfg(slot, 0, PCI_CMD), 0xFFFF);
}

static uint64_t bar(int slot)
{
	return mmio_read32(cfg(slot, 0, PCI_BAR0)) & ~0xFull;
}

static void mode_scan(int n)
{
	/* Host bridge. */
	uint32_t cr = mmio_read32(cfg(0, 0, PCI_CLASS_REV));
	hv_check(mmio_read32(cfg(0, 0, PCI_ID)) != 0xFFFFFFFFu && cr >> 8 == 0x060000 &&
		 mmio_read8(cfg(0, 0, 0x0B)) == 0x06 && mmio_read16(cfg(0, 0, 0x0A)) == 0x0600, 0x401);
	printf("pci: 00:00.0 id %08x class %06x\n", mmio_read32(cfg(0, 0, PCI_ID)), cr >> 8);

	for (int s = 1; s < PCI_SLOTS; s++) {
		uint32_t id = mmio_read32(cfg(s, 0, PCI_ID));
		if (s > n) {
			hv_check(id == 0xFFFFFFFFu && mmio_read16(cfg(s, 0, PCI_ID + 2)) == 0xFFFF &&
				 mmio_read8(cfg(s, 0, PCI_INTR_LINE)) == 0xFF &&
				 mmio_read32(cfg(s, 0, PCI_BAR0)) == 0xFFFFFFFFu, 0x407);
			continue;
		}
		cr = mmio_read32(cfg(s, 0, PCI_CLASS_REV));
		uint32_t b = mmio_read32(cfg(s, 0, PCI_BAR0));
		uint32_t line = mmio_read8(cfg(s, 0, PCI_INTR_LINE));
		uint32_t pin = mmio_read8(cfg(s, 0, PCI_INTR_PIN));
		printf("pci: 00:%02x.0 id %08x class %06x bar0 %08x cmd %04x line %u pin %u\n", s, id,
		       cr >> 8, b, mmio_read16(cfg(s, 0, PCI_CMD)), line, pin);
		hv_check(id == 0x00011C05u && mmio_read16(cfg(s, 0, PCI_ID)) == 0x1C05 &&
			 mmio_read16(cfg(s, 0, PCI_ID + 2)) == 0x0001, 0x402);
		hv_check(cr >> 8 == 0x058000 && mmio_read8(cfg(s, 0, 0x0B)) == 0x05 &&
			 mmio_read8(cfg(s, 0, 0x0A)) == 0x80 && mmio_read8(cfg(s, 0, 0x09)) == 0x00, 0x403);
		hv_check(b == 0x10000000u + (uint32_t)(s - 1) * 0x1000u, 0x404);
		hv_check(mmio_read16(cfg(s, 0, PCI_CMD)) == 0, 0x405);
		hv_check(pin == 1 && line == 35u + (uint32_t)s % 4, 0x406);
		for (int f = 1; f < 8; f++)
			hv_check(mmio_read32(cfg(s, f, PCI_ID)) == 0xFFFFFFFFu &&
				 mmio_read16(cfg(s, f, PCI_CLASS_REV + 2)) == 0xFFFF &&
				 mmio_read8(cfg(s, f, PCI_INTR_LINE)) == 0xFF, 0x407);

		/* Writes to RO registers (IDs, class code) are ignored. */
		mmio_write32(cfg(s, 0, PCI_ID), 0x12345678);
		mmio_write8(cfg(s, 0, 0x0B), 0xAA);
		hv_check(mmio_read32(cfg(s, 0, PCI_ID)) == 0x00011C05u &&
			 mmio_read32(cfg(s, 0, PCI_CLASS_REV)) >> 8 == 0x058000, 0x40C);

		/* Sizing, the standard way. */
		mmio_write32(cfg(s, 0, PCI_BAR0), 0xFFFFFFFFu);
		uint32_t mask = mmio_read32(cfg(s, 0, PCI_BAR0));
		mmio_write32(cfg(s, 0, PCI_BAR0), b);
		printf("pci: 00:%02x.0 bar0 sizing reads %08x\n", s, mask);
		hv_check(mask == 0xFFFFF000u && mmio_read32(cfg(s, 0, PCI_BAR0)) == b, 0x408);

		enable(s);
		uint16_t cmd = mmio_read16(cfg(s, 0, PCI_CMD));
		hv_check((cmd & 0x0002) && !(cmd & 0x0400), 0x409);
		hv_check(mmio_read64(b + FAC_SIGNATURE) == SHM_SIGNATURE, 0x40A);
		hv_check(mmio_read32(b + FAC_VECTOR) == line, 0x40B);
	}
}

/* Create-or-attach `name` through the page at fac; returns the status. */
static uint32_t create(uint64_t fac, const char *name, uint32_t pages)
{
	int i = 0;
	do
		mmio_write8(fac + FAC_NAME + i, (uint8_t)name[i]);
	while (name[i++]);
	mmio_write32(fac + FAC_SIZE, pages);
	return mmio_read32(fac + FAC_STATUS);
}

static void mode_relocate(uint64_t newbar, int check_old)
{
	uint64_t old = bar(1);
	enable(1);
	hv_check(create(old, "pcireg", 2) == GSS_OK, 0x413);
	mmio_write32(cfg(1, 0, PCI_BAR0), (uint32_t)newbar);
	printf("pci: bar0 0x%lx -> 0x%lx\n", old, bar(1));
	hv_check(bar(1) == newbar, 0x414);
	hv_check(mmio_read64(newbar + FAC_SIGNATURE) == SHM_SIGNATURE, 0x411);
	hv_check(mmio_read32(newbar + FAC_STATUS) == GSS_OK &&
		 mmio_read32(newbar + FAC_SIZE) == 2 &&
		 mmio_read64(newbar + FAC_SHMEM) == WIN0, 0x412);
	hv_check(create(newbar, "pcireg", 1) == GSS_OK &&
		 mmio_read64(newbar + FAC_SHMEM) == WIN0 + 0x3000, 0x413);
	/* Back and forth with byte stores (each lands; decoding follows). */
	mmio_write8(cfg(1, 0, PCI_BAR0 + 1), (uint8_t)(old >> 8));
	mmio_write8(cfg(1, 0, PCI_BAR0 + 2), (uint8_t)(old >> 16));
	mmio_write8(cfg(1, 0, PCI_BAR0 + 3), (uint8_t)(old >> 24));
	hv_check(bar(1) == old && mmio_read64(old) == SHM_SIGNATURE, 0x414);
	mmio_write32(cfg(1, 0, PCI_BAR0), (uint32_t)newbar);
	hv_check(bar(1) == newbar && mmio_read64(newbar) == SHM_SIGNATURE, 0x414);
	if (check_old) {
		printf("pci: reading the old place 0x%lx\n", old);
		mmio_read64(old);
		printf("pci: no fault\n");
	}
}

static void mode_bar_ram(void)
{
	enable(1);
	mmio_write32(cfg(1, 0, PCI_BAR0), 0x40000000u);
	uint64_t v = mmio_read64(0x40000000ull);
	printf("pci: bar0 0x40000000 reads 0x%lx\n", v);
	hv_check(v != SHM_SIGNATURE && v == *(volatile uint64_t *)0x40000000ull, 0x421);
	mmio_write32(cfg(1, 0, PCI_BAR0), 0x10004000u);
	hv_check(mmio_read64(0x10004000ull) == SHM_SIGNATURE, 0x422);
}

static void mode_bar_over(int slot, uint64_t addr, uint32_t vec)
{
	for (int s = 1; s <= slot; s++)
		enable(s);
	uint32_t line = mmio_read8(cfg(slot, 0, PCI_INTR_LINE));
	mmio_write32(cfg(slot, 0, PCI_BAR0), (uint32_t)addr);
	uint32_t v = mmio_read32(addr + FAC_VECTOR);
	printf("pci: slot %d bar0 over 0x%lx: vector there %u (own line %u)\n", slot, addr, v, line);
	hv_check(v == vec && v != line, 0x431);
	mmio_write32(cfg(slot, 0, PCI_BAR0), 0x3EFFF000u);      /* the window's last page */
	hv_check(mmio_read64(0x3EFFF000ull) == SHM_SIGNATURE &&
		 mmio_read32(0x3EFFF000ull + FAC_VECTOR) == line, 0x432);
	hv_check(mmio_read32(addr + FAC_VECTOR) == vec, 0x431);
}

#define MAX_FN 8
static struct shm_conn conns[MAX_FN];
static volatile uint32_t got[MAX_FN];
static int n_fn;
static uint32_t lines[MAX_FN];

static void on_irq(uint32_t intid, void *arg)
{
	(void)arg;
	int hit = 0;
	for (int i = 0; i < n_fn; i++) {
		if (lines[i] != intid)
			continue;
		hit = 1;
		uint32_t st = shm_status(&conns[i]);
		if (st & 0xFFFF) {
			got[i]++;
			printf("pci: irq %u for fn%d status 0x%x\n", intid, i, st);
		}
	}
	hv_check(hit, 0x442);
}

static void mode_intx(int n)
{
	struct shm_dev dev;
	n_fn = n;
	gic_init();
	for (int i = 0; i < n; i++) {
		if (!hv_check(shm_probe_pci(&dev, i) == 0, 0x441))
			return;
		lines[i] = dev.vector;
		irq_register(dev.vector, on_irq, 0);
		gic_enable(dev.vector);
		if (!hv_check(shm_create(&dev, "bell", 1, &conns[i]) == GSS_OK, 0x441))
			return;
		printf("pci: fn%d slot %d line %u idx %u\n", i, dev.slot, dev.vector, conns[i].idx);
	}
	irq_enable();
	hv_mark(1);
	for (;;) {
		int all = 1;
		for (int i = 0; i < n; i++)
			all &= got[i] > 0;
		if (all)
			break;
		wfi();
	}
	irq_disable();
	for (int i = 0; i < n; i++)
		hv_check(got[i] == 1, 0x444);
}

int main(void)
{
	const char *mode = hv_arg_str(0);
	int n = (int)arg_num(1);

	if (!strcmp(mode, "scan")) {
		mode_scan(n);
	} else if (!strcmp(mode, "nodecode")) {
		printf("pci: reading 0x%lx with decoding off\n", bar(1));
		mmio_read64(bar(1));
		printf("pci: no fault\n");
	} else if (!strcmp(mode, "relocate") || !strcmp(mode, "relocate-old")) {
		mode_relocate(arg_num(2), mode[8] == '-');
	} else if (!strcmp(mode, "disable")) {
		enable(1);
		hv_check(mmio_read64(bar(1)) == SHM_SIGNATURE, 0x40A);
		mmio_write16(cfg(1, 0, PCI_CMD), 0);
		printf("pci: reading 0x%lx after Command = 0\n", bar(1));
		mmio_read64(bar(1));
		printf("pci: no fault\n");
	} else if (!strcmp(mode, "bar-ram")) {
		mode_bar_ram();
	} else if (!strcmp(mode, "bar-outside")) {
		uint64_t a = arg_num(2);
		enable(1);
		mmio_write32(cfg(1, 0, PCI_BAR0), (uint32_t)a);
		printf("pci: bar0 = 0x%lx (reads 0x%lx), loading it\n", a, bar(1));
		mmio_read64(a);
		printf("pci: no fault\n");
	} else if (!strcmp(mode, "bar-over")) {
		mode_bar_over(n, arg_num(2), (uint32_t)arg_num(3));
	} else if (!strcmp(mode, "intx")) {
		mode_intx(n);
	} else {
		hv_fail(0x4FF);
	}
	printf("pci %s ok\n", mode);
	return 0;
}
