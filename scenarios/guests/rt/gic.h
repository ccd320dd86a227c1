/* gic.h - guest-side GICv2 driver (SPEC section 11). */
#ifndef HV_GIC_H
#define HV_GIC_H
#include <stdint.h>

#define GICD_CTLR       0x000
#define GICD_TYPER      0x004
#define GICD_IIDR       0x008
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
#define GICC_CTLR       0x00
#define GICC_PMR        0x04
#define GICC_BPR        0x08
#define GICC_IAR        0x0C
#define GICC_EOIR       0x10
#define GICC_RPR        0x14
#define GICC_HPPIR      0x18

void gic_init(void);                          /* enable GICD and GICC, PMR = 0xF0 */
void gic_enable(uint32_t intid);
void gic_disable(uint32_t intid);
void gic_set_priority(uint32_t intid, uint8_t prio);
void gic_set_edge(uint32_t intid, int edge);  /* ICFGR: 1 = edge, 0 = level */
void gic_set_pmr(uint8_t pmr);
uint32_t gic_ack(void);                       /* GICC_IAR */
void gic_eoi(uint32_t iar);                   /* GICC_EOIR */
void gic_send_sgi_self(uint32_t sgi);         /* GICD_SGIR, TargetListFilter = 2 */
uint32_t gicd_read(uint32_t off);
void gicd_write(uint32_t off, uint32_t v);
uint32_t gicc_read(uint32_t off);
void gicc_write(uint32_t off, uint32_t v);

#endif
