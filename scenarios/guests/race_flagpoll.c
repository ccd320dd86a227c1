/* race_flagpoll.c - a driver that hands data over through a flag word in
 * the shared page with plain loads and stores: no atomics, no notify
 * (docs/races.md, data-race: wait_flag's load and set_flag's store).
 * With arg1 = 1 the flag is a store-release / load-acquire pair instead
 * (stlr, ldar): correct, nothing to report. With arg1 = 2 the flag stays a
 * plain word but the barriers are there: dmb ishst before the flag store,
 * dmb ishld after the flag load (C11 fence-fence synchronisation, docs/races.md
 * "Fences"): correct, nothing to report. With arg1 = 3 only the writer has
 * its barrier: the flag and the data race as with arg1 = 0.
 * VM 0 polls (and then reads the data), VM 1 writes data, then the flag.
 * FAIL 0x901 no connection, 0x902 a word read is not the one written. */
#include "race_common.h"

static int mode;   /* 0 plain, 1 acquire/release, 2 fences, 3 writer fence only */

__attribute__((noinline)) static void write_data(void)
{
	for (uint32_t i = 0; i < RACE_WORDS; i++)
		rc_data()[1 + i] = 0x4000 + i;
}

__attribute__((noinline)) static void set_flag(void)
{
	volatile uint32_t *f = rc_data();
	if (mode == 1) {
		st_rel32(f, 1);
	} else {
		if (mode >= 2)
			dmb_ishst();
		*f = 1;
	}
}

__attribute__((noinline)) static void wait_flag(void)
{
	volatile uint32_t *f = rc_data();
	uint32_t v;
	do
		v = mode == 1 ? ld_acq32(f) : *f;
	while (v != 1);
	if (mode == 2)
		dmb_ishld();
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
	mode = hv_argc() > 1 ? (int)hv_arg(1) : 0;
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
