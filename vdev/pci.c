/* pci.c - the PCIe host bridge and its ECAM window, bus 0 only (SPEC
 * section 7). Slot 0 is the host bridge; each PCI-presented shmem instance
 * is function 0 of the next slot, its factory page behind BAR0.
 *
 * ECAM offset = device << 15 | function << 12 | register (1 MiB, bus 0).
 * Config space of a present function (type 0 header, little-endian):
 *
 *   off   width  name             access  value
 *   0x00  16     vendor ID        RO      0x1C05 (bridge 0x1B36)
 *   0x02  16     device ID        RO      0x0001 (bridge 0x0008)
 *   0x04  16     command          RW      bit 1 Memory Space only; reset 0
 *   0x06  16     status           RO      0
 *   0x08  8      revision ID      RO      0
 *   0x09  24     class code       RO      0x058000 (bridge 0x060000)
 *   0x0C  32     cache/lat/hdr    RO      0 (header type 0)
 *   0x10  32     BAR0             RW      4 KiB, 32-bit, non-prefetchable memory;
 *                                         reset 0x1000_0000 + (slot-1) * 4 KiB (bridge: RAZ)
 *   0x14..0x3B                    RAZ/WI  no other BARs, no capabilities
 *   0x3C  8      interrupt line   RO      35 + slot % 4 = the instance's vector
 *   0x3D  8      interrupt pin    RO      1 = INTA (bridge 0)
 *   0x3E..0xFFF                   RAZ/WI
 *
 * Absent functions read all ones and ignore writes. Choices: Interrupt Line
 * is read-only so that it always holds the routing (PCI-1); Command bit 10
 * (Interrupt Disable) is not implemented and reads 0 (PCI-2).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pci.h"
#include "shmem.h"

/* ---- offsets ---- */

enum pci_reg {
	PCI_ID        = 0x00,
	PCI_CMD       = 0x04,
	PCI_CLASS_REV = 0x08,
	PCI_BAR0      = 0x10,
	PCI_INTR      = 0x3C,
};

#define PCI_SLOTS        32
#define PCI_CMD_MEMORY   0x0002u
#define PCI_BAR_MASK     0xFFFFF000u    /* 4 KiB BAR: low 12 bits read 0 */
#define PCI_BRIDGE_VENDOR 0x1B36
#define PCI_BRIDGE_DEVICE 0x0008
#define PCI_INTA_BASE    35

/* ---- state ---- */

struct pci_fn {
	bool present;
	struct shm_inst *in;          /* NULL for the host bridge */
	uint16_t vendor, device;
	uint32_t class_rev;           /* class code << 8 | revision */
	uint16_t command;
	uint32_t bar0;
	uint8_t int_line, int_pin;
	uint64_t decoded;             /* where the factory page is mapped, 0 = nowhere */
	char dev[24];                 /* "shmem<k>.factory" */
};

struct pci_host {
	struct plat plat;
	struct pci_fn fn[PCI_SLOTS];  /* function 0 of each slot */
	int next_slot;
};

/* ---- helpers ---- */

__attribute__((format(printf, 3, 4)))
static void pci_note(struct pci_host *p, int slot, const char *fmt, ...)
{
	char text[160];
	int n = snprintf(text, sizeof(text), "ecam 00:%02x.0: ", slot);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text + n, sizeof(text) - (size_t)n, fmt, ap);
	va_end(ap);
	struct ev e = { .kind = EV_NOTE, .text = text };
	if (p->plat.emit)
		p->plat.emit(p->plat.ctx, &e);
}

/* The function at an ECAM offset, or NULL when absent. */
static struct pci_fn *pci_fn_at(struct pci_host *p, uint64_t off, int *slot)
{
	if (off >= PCI_ECAM_SIZE || ((off >> 12) & 7) != 0)
		return NULL;
	*slot = (int)((off >> 15) & (PCI_SLOTS - 1));
	return p->fn[*slot].present ? &p->fn[*slot] : NULL;
}

/* PCI-2: the factory page is where BAR0 says while Memory Space is on, if
 * BAR0 is inside the PCI window and over nothing else; else not decoded. */
static void pci_update_decode(struct pci_host *p, int slot)
{
	struct pci_fn *f = &p->fn[slot];
	bool on = f->in && (f->command & PCI_CMD_MEMORY);
	uint64_t bar = f->bar0;

	if (f->decoded && (!on || f->decoded != bar)) {
		if (p->plat.unmap)
			p->plat.unmap(p->plat.ctx, f->decoded, PAGE_SIZE);
		f->decoded = 0;
	}
	if (!on || f->decoded)
		return;
	if (bar < PCI_MEM_BASE || bar + PAGE_SIZE - 1 > PCI_MEM_END) {
		pci_note(p, slot, "BAR0 0x%08llx outside the PCI window: not decoded",
			 (unsigned long long)bar);
		return;
	}
	if (p->plat.range_free && !p->plat.range_free(p->plat.ctx, bar, PAGE_SIZE)) {
		pci_note(p, slot, "BAR0 0x%08llx overlaps another mapping: not decoded",
			 (unsigned long long)bar);
		return;
	}
	if (p->plat.map_mmio &&
	    p->plat.map_mmio(p->plat.ctx, bar, PAGE_SIZE, f->dev, &shm_factory_ops, f->in)) {
		pci_note(p, slot, "BAR0 0x%08llx cannot be mapped: not decoded",
			 (unsigned long long)bar);
		return;
	}
	f->decoded = bar;
}

/* ---- config space: read / write ---- */

static uint32_t cfg_read32(const struct pci_fn *f, uint64_t reg)
{
	switch (reg) {
	case PCI_ID:        return (uint32_t)f->device << 16 | f->vendor;
	case PCI_CMD:       return f->command;
	case PCI_CLASS_REV: return f->class_rev;
	case PCI_BAR0:      return f->in ? f->bar0 : 0;
	case PCI_INTR:      return (uint32_t)f->int_pin << 8 | f->int_line;
	default:            return 0;
	}
}

/* Bytes of `mask` in dword `reg` are written with those of `v`. */
static void cfg_write32(struct pci_host *p, int slot, uint64_t reg, uint32_t v, uint32_t mask)
{
	struct pci_fn *f = &p->fn[slot];

	switch (reg) {
	case PCI_CMD: {
		uint16_t cmd = (uint16_t)((f->command & ~mask) | (v & mask));
		f->command = cmd & PCI_CMD_MEMORY;      /* bit 10 and the rest read 0 */
		pci_update_decode(p, slot);
		break;
	}
	case PCI_BAR0:
		if (!f->in)
			break;
		/* PCI-2: all ones reads back the size mask 0xFFFFF000. */
		f->bar0 = ((f->bar0 & ~mask) | (v & mask)) & PCI_BAR_MASK;
		pci_update_decode(p, slot);
		break;
	default:
		break;                                  /* RO or RAZ/WI */
	}
}

static void ecam_read(void *opaque, uint64_t off, unsigned len, uint8_t *out)
{
	struct pci_host *p = opaque;

	for (unsigned i = 0; i < len; i++) {
		int slot;
		uint64_t o = off + i;
		const struct pci_fn *f = o >= off ? pci_fn_at(p, o, &slot) : NULL;
		uint64_t reg = o & 0xFFF;
		out[i] = f ? (uint8_t)(cfg_read32(f, reg & ~3ull) >> (8 * (reg & 3))) : 0xFF;
	}
}

static void ecam_write(void *opaque, uint64_t off, unsigned len, const uint8_t *data)
{
	struct pci_host *p = opaque;

	if (off >= PCI_ECAM_SIZE || !len)
		return;
	uint64_t end = len > PCI_ECAM_SIZE - off ? PCI_ECAM_SIZE : off + len;
	for (uint64_t d = off & ~3ull; d < end; d += 4) {
		uint32_t v = 0, mask = 0;
		for (unsigned b = 0; b < 4; b++) {
			if (d + b < off || d + b >= end)
				continue;
			v |= (uint32_t)data[d + b - off] << (8 * b);
			mask |= 0xFFu << (8 * b);
		}
		int slot;
		if (pci_fn_at(p, d, &slot))
			cfg_write32(p, slot, d & 0xFFF, v, mask);
	}
}

const struct mmio_ops pci_ecam_ops = {
	.read = ecam_read,
	.write = ecam_write,
	.sched_point = false,           /* GIC-8 names GIC and shmem pages only */
};

/* ---- create / destroy ---- */

struct pci_host *pci_new(const struct plat *plat)
{
	struct pci_host *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	if (plat)
		p->plat = *plat;
	/* PCI-1: slot 0 is the host bridge. */
	struct pci_fn *b = &p->fn[0];
	b->present = true;
	b->vendor = PCI_BRIDGE_VENDOR;
	b->device = PCI_BRIDGE_DEVICE;
	b->class_rev = 0x060000u << 8;
	p->next_slot = 1;
	return p;
}

void pci_free(struct pci_host *p)
{
	free(p);
}

int pci_add_shmem(struct pci_host *p, struct shm_inst *in)
{
	if (!p || !in || p->next_slot >= PCI_SLOTS)
		return -1;
	int slot = p->next_slot++;
	struct pci_fn *f = &p->fn[slot];

	f->present = true;
	f->in = in;
	f->vendor = PCI_SHMEM_VENDOR;
	f->device = PCI_SHMEM_DEVICE;
	f->class_rev = 0x058000u << 8;                  /* memory controller, other */
	f->command = 0;                                 /* decoding off */
	f->bar0 = (uint32_t)(PCI_MEM_BASE + (uint64_t)(slot - 1) * PAGE_SIZE);
	f->int_line = (uint8_t)(PCI_INTA_BASE + slot % 4);
	f->int_pin = 1;                                 /* INTA */
	f->decoded = 0;
	snprintf(f->dev, sizeof(f->dev), "%s.factory", shm_inst_devname(in));
	shm_inst_set_vector(in, f->int_line);
	return slot;
}

/* Snapshots: the whole bus state is plain data (the instances it points at
 * stay where they are). */
size_t pci_state_size(void)
{
	return sizeof(struct pci_host);
}

void pci_save(const struct pci_host *p, void *buf)
{
	memcpy(buf, p, sizeof(*p));
}

void pci_load(struct pci_host *p, const void *buf)
{
	memcpy(p, buf, sizeof(*p));
}
