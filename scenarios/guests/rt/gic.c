/* gic.c - guest-side GICv2 driver (SPEC section 11).
 *
 * One access instruction per register access, of the register's width:
 * 32-bit everywhere except IPRIORITYR, which is written a byte at a time
 * (GIC-1: byte-accessible, so no read-modify-write of neighbours). */
#include "hv.h"
#include "gic.h"

uint32_t gicd_read(uint32_t off)
{
	return mmio_read32(GICD_BASE + off);
}

void gicd_write(uint32_t off, uint32_t v)
{
	mmio_write32(GICD_BASE + off, v);
}

uint32_t gicc_read(uint32_t off)
{
	return mmio_read32(GICC_BASE + off);
}

void gicc_write(uint32_t off, uint32_t v)
{
	mmio_write32(GICC_BASE + off, v);
}

/* Distributor and CPU interface on, priority mask 0xF0: every priority
 * numerically below 0xF0 is signalled. */
void gic_init(void)
{
	gicd_write(GICD_CTLR, 1);
	gicc_write(GICC_PMR, 0xF0);
	gicc_write(GICC_CTLR, 1);
}

void gic_enable(uint32_t intid)
{
	gicd_write(GICD_ISENABLER + 4 * (intid / 32), 1u << (intid % 32));
}

void gic_disable(uint32_t intid)
{
	gicd_write(GICD_ICENABLER + 4 * (intid / 32), 1u << (intid % 32));
}

void gic_set_priority(uint32_t intid, uint8_t prio)
{
	mmio_write8(GICD_BASE + GICD_IPRIORITYR + intid, prio);
}

/* ICFGR: two bits per INTID, bit 1 of the field = edge-triggered. */
void gic_set_edge(uint32_t intid, int edge)
{
	uint32_t off = GICD_ICFGR + 4 * (intid / 16);
	uint32_t bit = 2u << (2 * (intid % 16));
	uint32_t v = gicd_read(off);

	gicd_write(off, edge ? (v | bit) : (v & ~bit));
}

void gic_set_pmr(uint8_t pmr)
{
	gicc_write(GICC_PMR, pmr);
}

uint32_t gic_ack(void)
{
	return gicc_read(GICC_IAR);
}

/* Write back the whole IAR value (the source CPU bits matter for SGIs). */
void gic_eoi(uint32_t iar)
{
	gicc_write(GICC_EOIR, iar);
}

/* SGIR: TargetListFilter (bits 25:24) = 2, this CPU only. */
void gic_send_sgi_self(uint32_t sgi)
{
	gicd_write(GICD_SGIR, (2u << 24) | (sgi & 0xF));
}
