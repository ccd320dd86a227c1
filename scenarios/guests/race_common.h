/* race_common.h - the parts the race-mode guests share (docs/races.md):
 * connect to region arg0 through the instance at 0x1c050000, wait for the
 * peer's connection, a reader that sleeps until its interrupt. Each guest
 * keeps the accesses its scenario names in noinline functions of its own,
 * so a report's PCs fall in functions the expectation can name. */
#ifndef RACE_COMMON_H
#define RACE_COMMON_H

#include "hv.h"
#include "gic.h"
#include "shmem.h"

#define RACE_FAC   0x1c050000ul
#define RACE_WORDS 16

static struct shm_dev rc_dev;
static struct shm_conn rc_conn;
static volatile uint32_t rc_done;

static inline volatile uint32_t *rc_data(void)
{
	return (volatile uint32_t *)shm_data(&rc_conn);
}

/* Connect (1 page); the reader also routes the instance's interrupt. */
static inline int rc_connect(int reader, irq_handler_t on_irq)
{
	if (shm_probe_loc(&rc_dev, RACE_FAC))
		return -1;
	if (reader) {
		gic_init();
		gic_set_priority(rc_dev.vector, 0x80);
		irq_register(rc_dev.vector, on_irq, 0);
		gic_enable(rc_dev.vector);
	}
	return shm_create(&rc_dev, hv_arg_str(0), 1, &rc_conn) == GSS_OK ? 0 : -1;
}

/* Poll the status until two connections are live (status bits 31:16). */
static inline void rc_wait_peer(void)
{
	for (;;) {
		uint32_t live = shm_status(&rc_conn) >> 16;
		if (live & (live - 1))
			return;
	}
}

/* Poll the status until a pending bit shows (the peer's notify). */
static inline void rc_wait_notify(void)
{
	while (!(shm_status(&rc_conn) & 0xFFFF))
		;
}

/* Sleep until the handler sets rc_done (wfi with PSTATE.I set, then unmask
 * to take the interrupt). */
static inline void rc_sleep_until_done(void)
{
	while (!rc_done) {
		wfi();
		irq_enable();
		for (int i = 0; i < 1000 && !rc_done; i++)
			;
		irq_disable();
	}
}

static inline void rc_doorbell(void)
{
	mmio_write32(rc_conn.ctl + CTL_NOTIFY, SHM_NOTIFY_OTHERS);
}

#endif
