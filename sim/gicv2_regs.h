/* gicv2_regs.h - GICv2 register offsets (Arm IHI 0048B, table 4-1 and 4-34):
 * one map for the model (sim/gic.c), its tests and the guests' driver
 * (scenarios/guests/rt/gic.h). Only #defines: it builds freestanding too. */
#ifndef HVSIM_GICV2_REGS_H
#define HVSIM_GICV2_REGS_H

/* Distributor, from GICD_BASE. */
#define GICD_CTLR       0x000
#define GICD_TYPER      0x004
#define GICD_IIDR       0x008
#define GICD_IGROUPR    0x080
#define GICD_ISENABLER  0x100
#define GICD_ICENABLER  0x180
#define GICD_ISPENDR    0x200
#define GICD_ICPENDR    0x280
#define GICD_ISACTIVER  0x300
#define GICD_ICACTIVER  0x380
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR  0x800
#define GICD_ICFGR      0xC00
#define GICD_SGIR       0xF00
#define GICD_CPENDSGIR  0xF10
#define GICD_SPENDSGIR  0xF20
#define GICD_ICPIDR2    0xFE8

/* CPU interface, from GICC_BASE. */
#define GICC_CTLR       0x00
#define GICC_PMR        0x04
#define GICC_BPR        0x08
#define GICC_IAR        0x0C
#define GICC_EOIR       0x10
#define GICC_RPR        0x14
#define GICC_HPPIR      0x18
#define GICC_IIDR       0xFC

#endif
