/* gic.h - a GICv2 for one uniprocessor VM (SPEC section 11), as a pure state
 * machine: no Unicorn, no scheduler. The machine forwards MMIO accesses to the
 * two register frames, drives input lines, and asks whether an IRQ is
 * signalled to the CPU.
 */
#ifndef HVSIM_GIC_H
#define HVSIM_GIC_H

#include <stdint.h>
#include <stdbool.h>
#include "vdev/devif.h"

#define GIC_NR_IRQS     256   /* TYPER.ITLinesNumber = 7 (GIC-1) */
#define GIC_SPURIOUS    1023
#define GIC_IIDR        0x0200143Bu
#define GICD_BASE       0x08000000ull
#define GICC_BASE       0x08010000ull
#define GIC_FRAME_SIZE  0x10000ull

struct gic;

/* emit receives irq-ack and irq-eoi events, and notes on guest mistakes. */
struct gic *gic_new(const struct plat *plat);
void gic_free(struct gic *g);
void gic_reset(struct gic *g);

/* Register frames, for plat->map_mmio (opaque = the struct gic). */
extern const struct mmio_ops gicd_ops;
extern const struct mmio_ops gicc_ops;

/* Input line `intid` (16..255) is now at `level` (GIC-3: level inputs stay
 * pending while high; edge-configured inputs latch on a rising edge). */
void gic_set_input(struct gic *g, uint32_t intid, int level);

/* True when the CPU interface signals an IRQ: distributor and CPU interface
 * enabled and some pending+enabled interrupt beats PMR and the running
 * priority (GIC-2). Used both for IRQ entry (GIC-5) and WFI wake-up (GIC-6). */
bool gic_irq_signalled(const struct gic *g);
/* Distributor and CPU interface both enabled: an input line can matter. */
bool gic_delivery_enabled(const struct gic *g);

/* For a debugger: the state as it stands, read with no side effect (no
 * acknowledge, no event). pending = latch OR level line (GIC-3). */
struct gic_peek {
	bool dist_enabled, cpu_enabled;
	uint32_t pmr, bpr, running_prio;
	uint32_t hppi;                       /* best candidate, GIC_SPURIOUS if none */
	bool signalled;                      /* an IRQ is signalled to the CPU */
	uint32_t enabled[GIC_NR_IRQS / 32], pending[GIC_NR_IRQS / 32], active[GIC_NR_IRQS / 32];
	uint32_t edge[GIC_NR_IRQS / 32], line[GIC_NR_IRQS / 32];
	uint8_t prio[GIC_NR_IRQS];
};
void gic_peek_state(const struct gic *g, struct gic_peek *out);

/* Snapshot support: the whole guest-visible state is plain data. */
size_t gic_state_size(void);
void gic_save(const struct gic *g, void *buf);
void gic_load(struct gic *g, const void *buf);

#endif
