/* shm_host_race.c - a notify racing with a status read is never lost and
 * never seen twice (SPEC CTL-2, NTF-4, HST-1). One VM, one connection
 * through the instance at 0x1c050000 to a region the host made and holds
 * (host index 0). The guest spins on a 32-bit status read (IRQs masked),
 * counting reads that return the host's bit 0, until the host writes the
 * data byte at offset 0; then it reads status once more. The scenario's host
 * steps notify (mask 0x1) at instruction counts spaced more than one loop
 * iteration apart and stepping through every phase of the loop, so each
 * notify lands at a different instruction relative to the status load.
 * Every notify must be counted exactly once.
 * arg0 = region name, arg1 = number of host notifies N.
 *   FAIL 0x301 the count is not N
 *   FAIL 0x302 a status read returned a pending bit other than bit 0
 *   FAIL 0x303 the request failed
 * Console: "race seen=K of N reads=R". Expected: exit 0. */
#include "hv.h"
#include "shmem.h"

#define FAC0 0x1c050000ul

int main(void)
{
	const char *name = hv_arg_str(0);
	uint32_t n = (uint32_t)hv_arg(1);
	struct shm_dev d;
	struct shm_conn c;

	if (shm_probe_loc(&d, FAC0))
		return 1;
	if (shm_create(&d, name, 1, &c) != GSS_OK) {
		hv_fail(0x303);
		return 1;
	}
	hv_mark(1);
	volatile uint8_t *done = shm_data(&c);
	uint64_t st = c.ctl + CTL_STATUS;
	uint32_t seen = 0, reads = 0, other = 0, v;
	/* The status read is a load-acquire and so is the load of `done` (the
	 * host writes it with a store-release): ordered, same loop length. */
	while (!ld_acq8(done)) {
		v = mmio_read32_acq(st);
		reads++;
		seen += v & 1;
		other |= v & 0xFFFE;
	}
	v = mmio_read32_acq(st);
	seen += v & 1;
	other |= v & 0xFFFE;
	printf("race seen=%u of %u reads=%u\n", seen, n, reads);
	if (seen != n)
		hv_fail(0x301);
	if (other)
		hv_fail(0x302);
	return 0;
}
