/* shm_ctl_regs.c - the control page register map (SPEC CTL-1), one VM, no
 * interrupts. Two connections A and B to one region through the instance at
 * 0x1c050000 (the same VM may connect twice, CRE-3).
 * arg0 = region name (a new region).
 * Checks, each a 32-bit access of the register's width unless said:
 *   FAIL 0x101 create of A or B did not return GSS_OK
 *   FAIL 0x102 idx of A is not 0, or of B not 1 (first two of a new region)
 *   FAIL 0x103 A's status right after creation is not 0x00010000 (live set
 *              {0} in bits 31:16, nothing pending)
 *   FAIL 0x104 after B attached, A's status bits 31:16 are not 0x0003
 *   FAIL 0x105 B's status bits 31:16 are not 0x0003
 *   FAIL 0x106 an offset in 0x10..0xFFF does not read 0 (RAZ), or a write
 *              there changed anything (WI): read back and status/idx unchanged
 *   FAIL 0x107 a write to status or idx (RO) changed idx, or set pending bits
 *              anywhere (it must not act as a notify)
 *   FAIL 0x108 a notify through `notify` (0x8) from A to B did not set bit 0
 *              in B's status bits 15:0 (the doorbell is at 0x8)
 * Console: "ctl A=.. B=.. idx=a,b" and "ctl regs done". Expected: exit 0. */
#include "hv.h"
#include "shmem.h"

#define FAC0 0x1c050000ul

int main(void)
{
	const char *name = hv_arg_str(0);
	struct shm_dev d;
	struct shm_conn a, b;

	if (shm_probe_loc(&d, FAC0)) {
		printf("no shmem at 0x%lx\n", FAC0);
		return 1;
	}
	hv_expect32(shm_create(&d, name, 1, &a), GSS_OK, 0x101, "create A");
	hv_expect32(mmio_read32(a.ctl + CTL_IDX), 0, 0x102, "A idx");
	hv_expect32(mmio_read32(a.ctl + CTL_STATUS), 0x00010000, 0x103, "A status alone");

	hv_expect32(shm_create(&d, name, 1, &b), GSS_OK, 0x101, "create B");
	hv_expect32(mmio_read32(b.ctl + CTL_IDX), 1, 0x102, "B idx");
	printf("ctl A=0x%lx B=0x%lx idx=%u,%u\n", a.ctl, b.ctl, a.idx, b.idx);
	hv_expect32(mmio_read32(a.ctl + CTL_STATUS) >> 16, 0x3, 0x104, "A live set");
	hv_expect32(mmio_read32(b.ctl + CTL_STATUS) >> 16, 0x3, 0x105, "B live set");

	/* RAZ/WI above 0x10. */
	static const uint32_t raz[] = { 0x10, 0x14, 0x18, 0x1C, 0x40, 0x100, 0x800, 0xFFC };
	for (unsigned i = 0; i < sizeof(raz) / sizeof(raz[0]); i++) {
		hv_expect32(mmio_read32(a.ctl + raz[i]), 0, 0x106, "RAZ before write");
		mmio_write32(a.ctl + raz[i], 0xFFFFFFFFu);
		hv_expect32(mmio_read32(a.ctl + raz[i]), 0, 0x106, "RAZ after write");
	}
	hv_expect32(mmio_read32(a.ctl + CTL_IDX), 0, 0x106, "A idx after WI writes");
	hv_expect32(mmio_read32(b.ctl + CTL_STATUS), 0x00030000, 0x106, "B status after WI writes");
	hv_expect32(mmio_read32(a.ctl + CTL_STATUS), 0x00030000, 0x106, "A status after WI writes");

	/* RO registers ignore writes: status and idx. */
	mmio_write32(a.ctl + CTL_STATUS, 0xFFFFFFFFu);
	mmio_write32(a.ctl + CTL_IDX, 0x5);
	mmio_write32(b.ctl + CTL_IDX, 0xFFFFFFFFu);
	hv_expect32(mmio_read32(a.ctl + CTL_IDX), 0, 0x107, "A idx after write");
	hv_expect32(mmio_read32(b.ctl + CTL_IDX), 1, 0x107, "B idx after write");
	hv_expect32(mmio_read32(a.ctl + CTL_STATUS), 0x00030000, 0x107, "A status after RO writes");
	hv_expect32(mmio_read32(b.ctl + CTL_STATUS), 0x00030000, 0x107, "B status after RO writes");

	/* The doorbell at 0x8. */
	mmio_write32(a.ctl + CTL_NOTIFY, 1u << 1);
	hv_expect32(mmio_read32(b.ctl + CTL_STATUS), 0x00030001, 0x108,
		 "B status after A notified it");

	printf("ctl regs done\n");
	return 0;
}
