/* shmem.c - guest-side shmem driver (see shmem.h). */
#include "hv.h"
#include "shmem.h"

/* PCI configuration space (type 0 header) through the ECAM, bus 0. */
#define PCI_ID        0x00
#define PCI_CMD       0x04
#define PCI_BAR0      0x10
#define PCI_INTR_LINE 0x3C
#define PCI_SLOTS     32

static uint64_t ecam(int slot, uint32_t reg)
{
	return ECAM_BASE + ((uint64_t)slot << 15) + reg;
}

int shm_probe_loc(struct shm_dev *dev, uint64_t loc)
{
	if (mmio_read64(loc + FAC_SIGNATURE) != SHM_SIGNATURE)
		return -1;
	dev->fac = loc;
	dev->vector = mmio_read32(loc + FAC_VECTOR);
	dev->slot = -1;
	dev->bar_size = 0;
	return 0;
}

int shm_probe_pci(struct shm_dev *dev, int n)
{
	for (int slot = 0; slot < PCI_SLOTS; slot++) {
		uint32_t id = mmio_read32(ecam(slot, PCI_ID));
		if (id != ((uint32_t)SHM_PCI_DEVICE << 16 | SHM_PCI_VENDOR) || n-- > 0)
			continue;
		/* Size BAR0 the standard way, then put its address back. */
		uint32_t bar = mmio_read32(ecam(slot, PCI_BAR0));
		mmio_write32(ecam(slot, PCI_BAR0), 0xFFFFFFFFu);
		uint32_t mask = mmio_read32(ecam(slot, PCI_BAR0)) & ~0xFu;
		mmio_write32(ecam(slot, PCI_BAR0), bar);
		/* Enable decoding: all ones to Command (PCI-2). */
		mmio_write16(ecam(slot, PCI_CMD), 0xFFFF);
		dev->fac = bar & ~0xFull;
		dev->vector = mmio_read8(ecam(slot, PCI_INTR_LINE));
		dev->slot = slot;
		dev->bar_size = ~mask + 1;
		if (mmio_read64(dev->fac + FAC_SIGNATURE) != SHM_SIGNATURE)
			return -1;
		return 0;
	}
	return -1;
}

int shm_probe(struct shm_dev *dev, uint64_t loc, int n)
{
	return n < 0 ? shm_probe_loc(dev, loc) : shm_probe_pci(dev, n);
}

void shm_set_name(const struct shm_dev *dev, const char *name)
{
	int i = 0;
	for (; name[i] && i < SHM_NAME_MAX; i++)
		mmio_write8(dev->fac + FAC_NAME + i, (uint8_t)name[i]);
	if (i < SHM_NAME_MAX)
		mmio_write8(dev->fac + FAC_NAME + i, 0);
}

uint32_t shm_last_status(const struct shm_dev *dev)
{
	return mmio_read32(dev->fac + FAC_STATUS);
}

uint32_t shm_last_size(const struct shm_dev *dev)
{
	return mmio_read32(dev->fac + FAC_SIZE);
}

/* After a request: the status, and on success the connection (FAC-6: the
 * very next load sees the result). */
static int shm_result(const struct shm_dev *dev, struct shm_conn *c)
{
	int st = (int)shm_last_status(dev);
	if (st == GSS_OK) {
		c->ctl = mmio_read64(dev->fac + FAC_SHMEM);
		c->pages = shm_last_size(dev);
		c->idx = mmio_read32(c->ctl + CTL_IDX);
	}
	return st;
}

int shm_create(const struct shm_dev *dev, const char *name, uint32_t pages, struct shm_conn *c)
{
	shm_set_name(dev, name);
	mmio_write32(dev->fac + FAC_SIZE, pages);
	return shm_result(dev, c);
}

int shm_find(const struct shm_dev *dev, const char *name, uint32_t idx, struct shm_conn *c)
{
	shm_set_name(dev, name);
	mmio_write32(dev->fac + FAC_FIND, idx);
	return shm_result(dev, c);
}

void shm_notify(const struct shm_conn *c, uint32_t mask)
{
	dsb();                  /* data stores before the doorbell (NTF-5) */
	mmio_write32(c->ctl + CTL_NOTIFY, mask);
}

uint32_t shm_status(const struct shm_conn *c)
{
	uint32_t v = mmio_read32(c->ctl + CTL_STATUS);
	dmb_ishld();            /* the status read before the data loads after it */
	return v;
}

uint32_t shm_idx(const struct shm_conn *c)
{
	return mmio_read32(c->ctl + CTL_IDX);
}

void shm_detach(struct shm_conn *c)
{
	mmio_write32(c->ctl + CTL_DETACH, 1);
	c->ctl = 0;
	c->pages = 0;
}
