/* race_earlyread.c - a reader that reads the data before its interrupt
 * (docs/races.md, data-race: peek_data's load, then the writer's store in
 * send_data; nothing orders them). Otherwise the correct handshake of
 * race_handshake.c. VM 0 reader, VM 1 writer.
 * FAIL 0x901 no connection, 0x902 a word read is not the one written. */
#include "race_common.h"

static volatile uint32_t early;

__attribute__((noinline)) static void peek_data(void)
{
	early = rc_data()[0];          /* before any notify: the bug */
}

__attribute__((noinline)) static void send_data(void)
{
	for (uint32_t i = 0; i < RACE_WORDS; i++)
		rc_data()[1 + i] = 0x3000 + i;
	rc_data()[0] = RACE_WORDS;
}

__attribute__((noinline)) static void ring_doorbell(void)
{
	__asm__ volatile("dmb ishst" ::: "memory");
	rc_doorbell();
}

__attribute__((noinline)) static void read_data(void)
{
	uint32_t n = rc_data()[0];
	for (uint32_t i = 0; i < n && i < RACE_WORDS; i++)
		if (rc_data()[1 + i] != 0x3000 + i)
			hv_fail(0x902);
	printf("earlyread reader got %u (early %u)\n", n, early);
	rc_doorbell();
	rc_done = 1;
}

static void on_irq(uint32_t intid, void *arg)
{
	(void)intid;
	(void)arg;
	if (shm_status(&rc_conn) & 0xFFFF) {
		__asm__ volatile("dmb ishld" ::: "memory");
		read_data();
	}
}

int main(void)
{
	int reader = hv_vmid() == 0;
	if (rc_connect(reader, on_irq)) {
		hv_fail(0x901);
		return 1;
	}
	if (reader) {
		peek_data();
		rc_sleep_until_done();
	} else {
		rc_wait_peer();
		send_data();
		ring_doorbell();
		rc_wait_notify();
	}
	return 0;
}
