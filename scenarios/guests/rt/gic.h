/* gic.h - guest-side GICv2 driver (SPEC section 11). */
#ifndef HV_GIC_H
#define HV_GIC_H
#include <stdint.h>

#include "../../../sim/gicv2_regs.h"   /* the one GICv2 register map */

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
