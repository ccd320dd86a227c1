/* mmio.c - what one device access costs: the same 3-instruction loop loads
 * either from the test device's CLOCK register (through the MMIO bus: piece
 * assembly, decode, device model, event log) or from RAM. Prints the cost
 * per access and the ratio, measured in one run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "sim/vm.h"

#define ITER 0x100000u   /* loop iterations (x3) */

static const uint32_t device_loop[] = {
	0xd2a12020,  /* mov  x0, #0x9010000      test device */
	0xd2800003,  /* mov  x3, #0 */
	0xf2a00203,  /* movk x3, #0x10, lsl #16  0x100000 iterations */
	0xb9402401,  /* 1: ldr w1, [x0, #36]     CLOCK */
	0xf1000463,  /* subs x3, x3, #1 */
	0x54ffffc1,  /* b.ne 1b */
	0xd503207f,  /* wfi */
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void no_emit(void *ctx, struct vm *vm, struct ev *e) { }
static void no_access(void *ctx, struct vm *vm, bool point) { }

static void dev_read(void *opaque, uint64_t off, unsigned len, uint8_t *out)
{
	memset(out, 0x5a, len);
}
static void dev_write(void *opaque, uint64_t off, unsigned len, const uint8_t *data) { }
static const struct mmio_ops dev_ops = { .read = dev_read, .write = dev_write };

/* Seconds to run the loop with x0 pointing at the device or at RAM. */
static double run_loop(bool device)
{
	char err[256];
	uint32_t code[sizeof(device_loop) / 4];
	memcpy(code, device_loop, sizeof(code));
	if (!device)
		code[0] = 0xd2a80000;   /* mov x0, #0x40000000: RAM */
	struct vm_env env = { .emit = no_emit, .after_access = no_access };
	struct vm *vm = vm_new(0, "bench", 1 << 20, &env, err, sizeof(err));
	if (!vm || vm_load_image(vm, code, sizeof(code), VM_RAM_BASE) ||
	    vm_map_mmio(vm, 0x09010000, 0x1000, "testdev", &dev_ops, NULL)) {
		fprintf(stderr, "bench: %s\n", err);
		exit(1);
	}
	double t0 = now();
	unsigned why = 0;
	while (!(why & (VMX_WFI | VMX_STOPPED))) {
		uint64_t ran;
		why = vm_exec(vm, 1000000, &ran);
	}
	double t = now() - t0;
	vm_free(vm);
	return t;
}

int main(void)
{
	double dev = 0, ram = 0;
	for (int k = 0; k < 3; k++) {   /* interleaved, so both see the same noise */
		dev += run_loop(true);
		ram += run_loop(false);
	}
	double per_dev = dev / 3 / ITER * 1e9, per_ram = ram / 3 / ITER * 1e9;
	printf("loop of ldr + subs + b.ne, %u iterations\n", ITER);
	printf("  device load (bus + model):  %7.1f ns per iteration\n", per_dev);
	printf("  RAM load:                   %7.1f ns per iteration\n", per_ram);
	printf("  ratio device/RAM:           %7.1f\n", per_dev / per_ram);
	return 0;
}
