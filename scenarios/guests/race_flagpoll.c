/* race_flagpoll.c - a driver that hands data over through a flag word in
 * the shared page with plain loads and stores: no atomics, no notify
 * (docs/races.md, data-race: wait_flag's load and set_flag's store).
 * With arg1 = 1 the flag is a store-release / load-acquire pair instead
 * (stlr, ldar): correct, nothing to report.
 * VM 0 polls (and then reads the data), VM 1 writes data, then the flag.
 * FAIL 0x901 no connection, 0x902 a word read is not the one written. */
#include "race_common.h"

static int atomic_flag;

__attribute__((noinline)) static void write_data(void)
{
	for (uint32_t i = 0; i < RACE_WORDS; i++)
		rc_data()[1 + i] = 0x4000 + i;
}

__attribute__((noinline)) static void set_flag(void)
{
	volatile uint32_t *f = rc_data();
	if (atomic_flag)
		__asm__ volatile("stlr %w0, [%1]" :: "r"(1u), "r"(f) : "memory");
	else
		*f = 1;
}

__attribute__((noinline)) static void wait_flag(void)
{
	volatile uint32_t *f = rc_data();
	uint32_t v;
	do {
		if (atomic_flag)
			__asm__ volatile("ldar %w0, [%1]" : "=r"(v) : "r"(f) : "memory");
		else
			v = *f;
	} while (v != 1);
}

__attribute__((noinline)) static void read_data(void)
{
	for (uint32_t i = 0; i < RACE_WORDS; i++)
		if (rc_data()[1 + i] != 0x4000 + i)
			hv_fail(0x902);
	printf("flagpoll reader done\n");
}

int main(void)
{
	atomic_flag = hv_argc() > 1 && hv_arg(1) == 1;
	if (rc_connect(0, 0)) {
		hv_fail(0x901);
		return 1;
	}
	if (hv_vmid() == 0) {
		wait_flag();
		read_data();
	} else {
		write_data();
		set_flag();
	}
	return 0;
}
