/* race_checkset.c - a deliberately broken mutual exclusion, for `hvsim
 * explore`: each VM checks a "busy" word in shared data, then (after a
 * doorbell to the other side, a scheduling point) sets it and enters the
 * critical section. Under plain round-robin the first VM is done before the
 * second looks, so `hvsim run` passes; one preemption at the doorbell lets
 * both in. FAIL 1: someone else was in the critical section with me.
 * args: NAME. Data word 0 = busy, word 1 = occupants. */
#include "hv.h"
#include "shmem.h"

#define FAC 0x1c050000ul

int main(void)
{
	struct shm_dev d;
	struct shm_conn c;
	if (shm_probe_loc(&d, FAC) || shm_create(&d, hv_arg_str(0), 1, &c) != GSS_OK)
		return 1;
	volatile uint32_t *data = (volatile uint32_t *)shm_data(&c);

	while (data[0])                  /* check ... */
		hv_yield();
	shm_notify(&c, 0);               /* a doorbell: a scheduling point (GIC-8) */
	data[0] = 1;                     /* ... then set: the bug */
	data[1]++;
	hv_yield();                      /* inside the critical section */
	hv_check(data[1] == 1, 1);
	data[1]--;
	data[0] = 0;
	return 0;
}
