/* devif.h - the seam between device models and the machine (ARCHITECTURE rule 1).
 *
 * Device models (vdev/, sim/gic.c) see whole register accesses and
 * call back through struct plat. They include no Unicorn header, so they can be
 * driven directly by unit tests with a fake plat.
 *
 * One guest load or store instruction is one access (FAC-3): the bus assembles
 * the pieces Unicorn delivers and calls read/write once, with len 1..16 bytes
 * (16 for stp/ldp of two X registers), at a naturally aligned offset.
 */
#ifndef HVSIM_DEVIF_H
#define HVSIM_DEVIF_H

#include <stdint.h>
#include <stdbool.h>
#include <string.h>
#include "event.h"

#define PAGE_SIZE 0x1000ull

struct mmio_ops {
	/* Fill out[0..len) with the bytes at off..off+len (little-endian). */
	void (*read)(void *opaque, uint64_t off, unsigned len, uint8_t *out);
	/* Bytes data[0..len) are stored at off..off+len by one instruction. */
	void (*write)(void *opaque, uint64_t off, unsigned len, const uint8_t *data);
	/* Accesses are scheduling points (SPEC GIC-8): GIC and shmem pages. */
	bool sched_point;
	/* Optional, for debuggers: what read would return, with no side effect
	 * (no read-to-clear, no acknowledge, no event, no interrupt change). The
	 * device's read path with a peek flag, or read itself when no read of
	 * the device has a side effect, so the two cannot disagree. */
	void (*peek)(void *opaque, uint64_t off, unsigned len, uint8_t *out);
};

/* What a device may ask of the machine it sits in (one struct plat per VM).
 * Map and unmap requests take effect before the guest's next instruction. */
struct plat {
	void *ctx;
	/* Append an event; the machine fills seq, clock, icount, pc and vm. */
	void (*emit)(void *ctx, struct ev *e);
	/* Drive interrupt input `intid` of this VM's GIC (SPIs are wired-OR). */
	void (*set_line)(void *ctx, void *source, uint32_t intid, int level);
	/* Map a trapped page range at guest-physical addr, named `dev` in the log. */
	int (*map_mmio)(void *ctx, uint64_t addr, uint64_t len, const char *dev,
			const struct mmio_ops *ops, void *opaque);
	/* Map host memory (shared with other VMs, no copy) at guest-physical addr. */
	int (*map_ram)(void *ctx, uint64_t addr, uint64_t len, void *host);
	/* Remove whatever map_mmio/map_ram put at [addr, addr+len). */
	void (*unmap)(void *ctx, uint64_t addr, uint64_t len);
	/* True when [addr, addr+len) overlaps nothing mapped in this VM. */
	bool (*range_free)(void *ctx, uint64_t addr, uint64_t len);
};

/* Little-endian helpers for register images. */
static inline uint64_t le_get(const uint8_t *p, unsigned len)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/* The register widths in one load each (a byte loop costs a device
	 * access several ns). */
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;
	switch (len) {
	case 1: return p[0];
	case 2: memcpy(&u16, p, 2); return u16;
	case 4: memcpy(&u32, p, 4); return u32;
	case 8: memcpy(&u64, p, 8); return u64;
	default: break;
	}
#endif
	uint64_t v = 0;
	for (unsigned i = 0; i < len && i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static inline void le_put(uint8_t *p, unsigned len, uint64_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint16_t u16 = (uint16_t)v;
	uint32_t u32 = (uint32_t)v;
	switch (len) {
	case 1: p[0] = (uint8_t)v; return;
	case 2: memcpy(p, &u16, 2); return;
	case 4: memcpy(p, &u32, 4); return;
	case 8: memcpy(p, &v, 8); return;
	default: break;
	}
#endif
	for (unsigned i = 0; i < len && i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

#endif
