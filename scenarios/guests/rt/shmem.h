/* shmem.h - guest-side driver for the hvsim shmem device (SPEC sections 1
 * to 8): find a device instance (at a `loc` address or on the PCI bus),
 * create/attach/find regions through its factory page, and use the control
 * page of each connection (notify, status, detach). Data pages follow the
 * control page: shm_data(c).
 *
 * Every register access is one load or store of the register's width.
 */
#ifndef HV_SHMEM_H
#define HV_SHMEM_H

#include <stdint.h>
#include "../../../vdev/shmem_regs.h"   /* the one register map, GSS values too */

/* Factory page (FAC-2). */
#define SHM_NAME_MAX      32     /* bytes of the name field, NUL included */

/* Control page (CTL-1). */
#define SHM_PAGE          0x1000ul

#define SHM_NOTIFY_OTHERS 0xFFFFFFFFu   /* NTF-2: every live connection but me */

/* PCI (SPEC 7). */
#define SHM_PCI_VENDOR    0x1C05
#define SHM_PCI_DEVICE    0x0001

struct shm_dev {
	uint64_t fac;        /* factory page */
	uint32_t vector;     /* INTID the instance raises */
	int slot;            /* PCI device slot, -1 for a `loc` instance */
	uint32_t bar_size;   /* PCI: BAR0 size found by sizing, else 0 */
};

struct shm_conn {
	uint64_t ctl;        /* control page; 0 when not connected */
	uint32_t pages;      /* data pages of the region */
	uint32_t idx;        /* this connection's index in the region */
};

/* A `loc` instance: 0 when the signature is there, else -1. */
int shm_probe_loc(struct shm_dev *dev, uint64_t loc);
/* The n-th (0-based) shmem function on PCI bus 0: sizes BAR0 (keeping its
 * address), enables decoding (all ones to Command), reads Interrupt Line as
 * the vector and checks the signature. 0, or -1 when absent. */
int shm_probe_pci(struct shm_dev *dev, int n);
/* n = -1: the first `loc` at loc, else the n-th PCI function. */
int shm_probe(struct shm_dev *dev, uint64_t loc, int n);

/* Copy name into the name field byte by byte (at most 32 bytes; the NUL
 * is written when it fits). */
void shm_set_name(const struct shm_dev *dev, const char *name);
/* Create-or-attach `pages` pages of region `name` (CRE-1). Returns the GSS
 * status; on GSS_OK *c describes the new connection. */
int shm_create(const struct shm_dev *dev, const char *name, uint32_t pages, struct shm_conn *c);
/* Find request (CRE-7) for index idx of region `name`; as shm_create. */
int shm_find(const struct shm_dev *dev, const char *name, uint32_t idx, struct shm_conn *c);
/* Registers of the factory page after a request. */
uint32_t shm_last_status(const struct shm_dev *dev);
uint32_t shm_last_size(const struct shm_dev *dev);

void shm_notify(const struct shm_conn *c, uint32_t mask);
/* Read (and clear, CTL-2) the status: 15:0 pending, 31:16 live set. */
uint32_t shm_status(const struct shm_conn *c);
uint32_t shm_idx(const struct shm_conn *c);
/* Detach (DET-1); the connection's pages are gone afterwards. */
void shm_detach(struct shm_conn *c);

static inline volatile uint8_t *shm_data(const struct shm_conn *c)
{
	return (volatile uint8_t *)(uintptr_t)(c->ctl + SHM_PAGE);
}

#endif
