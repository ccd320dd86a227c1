/* race_handshake.c - a correct notify handshake (docs/races.md): nothing to
 * report. VM 0 is the reader, VM 1 the writer, region arg0.
 * Writer: wait for the reader's connection, store 16 words and then the
 * count at offset 0, DMB ISHST, notify; wait for the reader's notify back.
 * Reader: sleep until the interrupt; the handler reads status and, with a
 * pending bit, DMB ISHLD, reads and checks the words, notifies back.
 * FAIL 0x901 no connection, 0x902 a word read is not the one written.
 * Console: "handshake reader got N". */
#include "race_common.h"

__attribute__((noinline)) static void send_data(void)
{
	for (uint32_t i = 0; i < RACE_WORDS; i++)
		rc_data()[1 + i] = 0x1000 + i;
	rc_data()[0] = RACE_WORDS;
}

__attribute__((noinline)) static void ring_doorbell(void)
{
	__asm__ volatile("dmb ishst" ::: "memory");   /* data stores before the doorbell */
	rc_doorbell();
}

__attribute__((noinline)) static void read_data(void)
{
	uint32_t n = rc_data()[0];
	for (uint32_t i = 0; i < n && i < RACE_WORDS; i++)
		if (rc_data()[1 + i] != 0x1000 + i)
			hv_fail(0x902);
	printf("handshake reader got %u\n", n);
	rc_doorbell();
	rc_done = 1;
}

static void on_irq(uint32_t intid, void *arg)
{
	(void)intid;
	(void)arg;
	if (shm_status(&rc_conn) & 0xFFFF) {
		__asm__ volatile("dmb ishld" ::: "memory");   /* status before the data */
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
		rc_sleep_until_done();
	} else {
		rc_wait_peer();
		send_data();
		ring_doorbell();
		rc_wait_notify();
	}
	return 0;
}
