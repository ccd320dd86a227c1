/* race_twowriters.c - two VMs that both store into the same slot (offset 0)
 * of a shared page with nothing ordering them (docs/races.md, data-race:
 * write_slot's store in each VM). Each connects, then stores its id and a
 * count into the slot arg1 times.
 * FAIL 0x901 no connection. */
#include "race_common.h"

__attribute__((noinline)) static void write_slot(uint32_t n)
{
	uint32_t me = hv_vmid() << 16;
	for (uint32_t i = 0; i < n; i++)
		rc_data()[0] = me | i;
}

int main(void)
{
	if (rc_connect(0, 0)) {
		hv_fail(0x901);
		return 1;
	}
	write_slot((uint32_t)hv_arg(1));
	return 0;
}
