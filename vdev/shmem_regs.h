/* shmem_regs.h - the shmem device's register map (SPEC FAC-2, CTL-1): one
 * map for the model (vdev/shmem.c), its tests and the guests' driver
 * (scenarios/guests/rt/shmem.h). Only #defines: it builds freestanding too. */
#ifndef HVSIM_SHMEM_REGS_H
#define HVSIM_SHMEM_REGS_H

#define SHM_SIGNATURE   0x4d534732474d5651ull   /* FAC-2 */

/* Factory page. */
#define FAC_SIGNATURE   0x00    /* 64, RO */
#define FAC_SHMEM       0x08    /* 64, RO: control page of the last connection */
#define FAC_VECTOR      0x10    /* 32, RO: INTID */
#define FAC_STATUS      0x14    /* 32, RO: GSS of the last request */
#define FAC_SIZE        0x18    /* 32, RW: write = create-or-attach request */
#define FAC_NAME        0x1C    /* 32 bytes, RW */
#define FAC_FIND        0x3C    /* 32, WO: find request */

/* Control page of a connection. */
#define CTL_STATUS      0x0     /* RO, read clears bits 15:0 */
#define CTL_IDX         0x4     /* RO */
#define CTL_NOTIFY      0x8     /* WO: doorbell */
#define CTL_DETACH      0xC     /* WO: any value detaches */

/* Values of FAC_STATUS (FAC-5). */
#define GSS_OK              0
#define GSS_UNKNOWN_FAILURE 1
#define GSS_NOMEM           2
#define GSS_CLIENT_MAX      3
#define GSS_ILLEGAL_NAME    4
#define GSS_NO_PERMISSION   5
#define GSS_DOES_NOT_EXIST  6

#endif
