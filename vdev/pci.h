/* pci.h - the PCIe host bridge and ECAM through which PCI-presented shmem
 * instances are found (SPEC section 7). Pure model: BAR0 placement maps and
 * unmaps the factory page through struct plat. */
#ifndef HVSIM_PCI_H
#define HVSIM_PCI_H

#include <stdint.h>
#include "devif.h"

#define PCI_ECAM_BASE    0x3F000000ull
#define PCI_ECAM_SIZE    0x100000ull        /* bus 0: 32 devices x 8 functions x 4 KiB */
#define PCI_MEM_BASE     0x10000000ull
#define PCI_MEM_END      0x3EFFFFFFull      /* inclusive */
#define PCI_SHMEM_VENDOR 0x1C05
#define PCI_SHMEM_DEVICE 0x0001

struct pci_host;
struct shm_inst;

struct pci_host *pci_new(const struct plat *plat);
void pci_free(struct pci_host *p);
/* Put a shmem instance at the next free slot (1, 2, ...): sets its vector to
 * 35 + slot % 4, BAR0 to 0x1000_0000 + (slot-1) * 4 KiB, Command to 0.
 * Returns the slot, or -1 when the bus is full. */
int pci_add_shmem(struct pci_host *p, struct shm_inst *in);
extern const struct mmio_ops pci_ecam_ops;
/* Snapshot support (prefix snapshots): plain data. */
size_t pci_state_size(void);
void pci_save(const struct pci_host *p, void *buf);
void pci_load(struct pci_host *p, const void *buf);   /* opaque = struct pci_host * */

#endif
