/* shm_fac_regs.c - the factory page register by register (SPEC FAC-1..6).
 *
 * args: [DEV, VECTOR, MODE, SHMEM]
 *   DEV     "0xADDR" (a `loc` instance) or "pN" (N-th shmem PCI function)
 *   VECTOR  the INTID the instance must report
 *   MODE    "map" or "widths" (below)
 *   SHMEM   "map": where the first connection must land (its window base)
 *
 * MODE "map" (FAC-1, FAC-2, FAC-5, FAC-6):
 *   0x101 signature (one 64-bit load) is not 0x4d534732474d5651
 *   0x102 vector (32-bit) is not VECTOR
 *   0x103 status, 0x104 shmem (64-bit), 0x105 size read non-zero before any request
 *   0x106 RAZ area (0x40, 0x100, 0xFF8 64-bit; 0xFFC 32-bit) reads non-zero
 *   0x107 request "fac" 2 pages: status (the very next load) is not GSS_OK
 *   0x108 ... size does not read 2   0x109 ... shmem is not SHMEM
 *   0x10A the control page at shmem does not read idx 0
 *
 * MODE "widths" (FAC-3, FAC-4):
 *   0x201 signature through 8-bit loads, 0x202 through 16-bit loads,
 *   0x203 through two 32-bit halves (low at 0x00, high at 0x04)
 *   0x204 vector through 8- and 16-bit loads
 *   0x205 name written with 32/64/16/8-bit stores does not read back with
 *         64/32/16/8-bit loads (and a 64-bit load at 0x18 = size | name[0..3] << 32)
 *   0x206 stores to signature, shmem, vector, status (8/32/64-bit) changed them
 *   0x207 RAZ/WI: all-ones stores at 0x40, 0x100, 0xFF8 read back non-zero
 *   0x208 64-bit store at 0x18 (size 3, name "abc\0"): not GSS_OK / size 3 / idx 0
 *   0x209 after it, name does not read "abc\0" + the old bytes 4..31 (FAC-4)
 *   0x20A 8-bit store at 0x19 = 1 (size read 3): request is not 0x103 pages
 *         for "big" (status, size 0x103, idx 0)
 *   0x20B 16-bit store at 0x1A = 0: request is not 0x103 pages (an attach to
 *         "big": status, size, idx 1)
 *   0x20C 64-bit store at 0x38 (name[28..31] + find 1): the find did not use
 *         the new name bytes (status, shmem = the connection with idx 1)
 *   0x20D 32-bit store find = 0x100, then 8-bit store at 0x3C = 1: the request
 *         was not find 0x101 (status must be GSS_DOES_NOT_EXIST, not OK)
 *   0x20E a final 32-bit store size = 7 for "big" is not GSS_OK / size 0x103
 *   0x20F ... its idx is not 2: some store above (the name-only store at
 *         0x38, the RO stores) made a request it should not have, or one
 *         store made two
 *   0x210 one stp (16 bytes) at 0x10: vector/status (ignored), size 1 and
 *         name "big\0": not exactly one request (status OK, idx 3)
 *   0x211 one stp at 0x30: name[20..31] and find 3: not one find of idx 3
 *   0x212 the next 32-bit size store is not idx 4 of "big"
 *   0x213 shmem read as two 32-bit halves differs from the 64-bit load
 * Console: "fac MODE ok" at the end; "fac: ..." lines along the way.
 * Exit 0.
 */
#include "hv.h"
#include "shmem.h"

#define F(o) (fac + (o))

static uint64_t fac;

static void name_bytes(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		mmio_write8(F(FAC_NAME + i), (uint8_t)s[i]);
}

static void mode_map(uint32_t vector, uint64_t want_shmem)
{
	hv_check(mmio_read64(F(FAC_SIGNATURE)) == SHM_SIGNATURE, 0x101);
	hv_check(mmio_read32(F(FAC_VECTOR)) == vector, 0x102);
	hv_check(mmio_read32(F(FAC_STATUS)) == 0, 0x103);
	hv_check(mmio_read64(F(FAC_SHMEM)) == 0, 0x104);
	hv_check(mmio_read32(F(FAC_SIZE)) == 0, 0x105);
	hv_check(mmio_read64(F(0x40)) == 0 && mmio_read64(F(0x100)) == 0 &&
		 mmio_read64(F(0xFF8)) == 0 && mmio_read32(F(0xFFC)) == 0, 0x106);

	name_bytes("fac", 4);
	mmio_write32(F(FAC_SIZE), 2);
	uint32_t st = mmio_read32(F(FAC_STATUS));
	uint32_t sz = mmio_read32(F(FAC_SIZE));
	uint64_t sh = mmio_read64(F(FAC_SHMEM));
	printf("fac: request fac 2 -> status %u size %u shmem 0x%lx\n", st, sz, sh);
	hv_check(st == GSS_OK, 0x107);
	hv_check(sz == 2, 0x108);
	hv_check(sh == want_shmem, 0x109);
	if (st == GSS_OK)
		hv_check(mmio_read32(sh + CTL_IDX) == 0, 0x10A);
}

/* One request's result: status, size, and the new connection's idx. */
static uint32_t result(uint32_t *sz, uint32_t *idx, uint64_t *sh)
{
	uint32_t st = mmio_read32(F(FAC_STATUS));
	*sz = mmio_read32(F(FAC_SIZE));
	*sh = mmio_read64(F(FAC_SHMEM));
	*idx = st == GSS_OK ? mmio_read32(*sh + CTL_IDX) : 0xFFFFFFFFu;
	printf("fac: status %u size 0x%x shmem 0x%lx idx %d\n", st, *sz, *sh, (int)*idx);
	return st;
}

static void mode_widths(uint32_t vector)
{
	uint64_t sig = 0;
	uint32_t st, sz, idx;
	uint64_t sh;

	/* Loads of every width. */
	for (int i = 0; i < 8; i++)
		sig |= (uint64_t)mmio_read8(F(i)) << (8 * i);
	hv_check(sig == SHM_SIGNATURE, 0x201);
	sig = 0;
	for (int i = 0; i < 4; i++)
		sig |= (uint64_t)mmio_read16(F(2 * i)) << (16 * i);
	hv_check(sig == SHM_SIGNATURE, 0x202);
	sig = mmio_read32(F(0)) | (uint64_t)mmio_read32(F(4)) << 32;
	hv_check(sig == SHM_SIGNATURE, 0x203);
	hv_check(mmio_read8(F(0x10)) == (vector & 0xFF) && mmio_read8(F(0x11)) == (vector >> 8 & 0xFF) &&
		 mmio_read16(F(0x10)) == vector && mmio_read16(F(0x12)) == 0, 0x204);

	/* Name: stores of every width, loads of every width. */
	mmio_write32(F(0x1C), 0x64636261);                  /* "abcd" */
	mmio_write64(F(0x20), 0x6c6b6a6968676665ull);       /* "efghijkl" */
	mmio_write16(F(0x28), 0x6e6d);                      /* "mn" */
	mmio_write8(F(0x2A), 'o');
	mmio_write8(F(0x2B), 'p');
	mmio_write32(F(0x2C), 0x74737271);                  /* "qrst" */
	mmio_write64(F(0x30), 0x31307a7978777675ull);       /* "uvwxyz01" */
	mmio_write32(F(0x38), 0x00343332);                  /* "234\0" */
	const char *want = "abcdefghijklmnopqrstuvwxyz012345";
	int ok = 1;
	for (int i = 0; i < 31; i++)
		ok &= mmio_read8(F(0x1C + i)) == (uint8_t)want[i];
	ok &= mmio_read8(F(0x3B)) == 0;
	ok &= mmio_read16(F(0x1C)) == 0x6261 && mmio_read16(F(0x2A)) == 0x706f;
	ok &= mmio_read32(F(0x1C)) == 0x64636261 && mmio_read32(F(0x38)) == 0x00343332;
	ok &= mmio_read64(F(0x20)) == 0x6c6b6a6968676665ull;
	ok &= mmio_read64(F(0x28)) == 0x74737271706f6e6dull;
	ok &= mmio_read64(F(0x18)) == 0x6463626100000000ull;   /* size 0 | "abcd" */
	hv_check(ok, 0x205);
	if (!ok)
		printf("fac: name readback wrong\n");

	/* RO registers ignore writes (none of these is size or find). */
	mmio_write64(F(0x00), 0);
	mmio_write8(F(0x03), 0x55);
	mmio_write64(F(0x08), 0x123456789000ull);
	mmio_write32(F(0x10), 99);
	mmio_write32(F(0x14), 6);
	mmio_write64(F(0x10), 0xFFFFFFFFFFFFFFFFull);
	hv_check(mmio_read64(F(0x00)) == SHM_SIGNATURE && mmio_read64(F(0x08)) == 0 &&
		 mmio_read32(F(0x10)) == vector && mmio_read32(F(0x14)) == 0, 0x206);

	/* RAZ/WI. */
	mmio_write64(F(0x40), ~0ull);
	mmio_write32(F(0x100), ~0u);
	mmio_write16(F(0x802), 0xFFFF);
	mmio_write8(F(0xFFF), 0xFF);
	mmio_write64(F(0xFF8), ~0ull);
	hv_check(mmio_read64(F(0x40)) == 0 && mmio_read32(F(0x100)) == 0 &&
		 mmio_read16(F(0x802)) == 0 && mmio_read8(F(0xFFF)) == 0 &&
		 mmio_read64(F(0xFF8)) == 0, 0x207);

	/* One 64-bit store at 0x18: size 3 and name[0..3] = "abc\0", then one
	 * request with the new name. */
	mmio_write64(F(0x18), 0x0063626100000003ull);
	st = result(&sz, &idx, &sh);
	hv_check(st == GSS_OK && sz == 3 && idx == 0, 0x208);
	ok = mmio_read32(F(0x1C)) == 0x00636261;
	for (int i = 4; i < 31; i++)
		ok &= mmio_read8(F(0x1C + i)) == (uint8_t)want[i];
	hv_check(ok, 0x209);

	/* Byte store into size: bytes not written keep their value (3). */
	name_bytes("big", 4);
	mmio_write8(F(0x19), 0x01);
	st = result(&sz, &idx, &sh);
	hv_check(st == GSS_OK && sz == 0x103 && idx == 0, 0x20A);

	/* 16-bit store to the upper half: the value is 0x103 again; "big"
	 * exists, so this attaches (idx 1). */
	mmio_write16(F(0x1A), 0);
	st = result(&sz, &idx, &sh);
	hv_check(st == GSS_OK && sz == 0x103 && idx == 1, 0x20B);

	/* A 31-byte name whose tail is changed by the same 64-bit store that
	 * writes find = 1. */
	const char *longname = "0123456789abcdefghijklmnopqrABC";      /* 31 bytes */
	name_bytes(longname, 32);
	mmio_write32(F(FAC_SIZE), 1);                                /* idx 0 */
	st = result(&sz, &idx, &sh);
	hv_check(st == GSS_OK && idx == 0, 0x20C);
	mmio_write32(F(FAC_SIZE), 1);                                /* idx 1 */
	uint64_t want_sh;
	st = result(&sz, &idx, &want_sh);
	hv_check(st == GSS_OK && idx == 1, 0x20C);
	mmio_write32(F(0x38), 0x00515151);              /* name ...qQQQ: no request */
	mmio_write64(F(0x38), 0x0000000100434241ull);   /* name ...qABC + find 1 */
	st = result(&sz, &idx, &sh);
	hv_check(st == GSS_OK && sh == want_sh && idx == 1, 0x20C);

	/* find keeps the bytes a store did not write. */
	mmio_write32(F(FAC_FIND), 0x100);
	st = result(&sz, &idx, &sh);
	hv_check(st == GSS_DOES_NOT_EXIST, 0x20D);
	mmio_write8(F(FAC_FIND), 1);
	st = result(&sz, &idx, &sh);
	hv_check(st == GSS_DOES_NOT_EXIST, 0x20D);

	/* Count: the 32-bit name store at 0x38 made no request, and every
	 * store above made at most one: "big" has idx 0 and 1, so the next is 2. */
	name_bytes("big", 4);
	mmio_write32(F(FAC_SIZE), 7);
	st = result(&sz, &idx, &sh);
	hv_check(st == GSS_OK && sz == 0x103, 0x20E);
	hv_check(idx == 2, 0x20F);

	/* Store pairs: one instruction, one access, one request. */
	uint64_t lo = 0xFFFFFFFFFFFFFFFFull, hi = 0x0067696200000001ull;
	__asm__ volatile("stp %0, %1, [%2]" :: "r"(lo), "r"(hi), "r"(F(0x10)) : "memory");
	st = result(&sz, &idx, &sh);
	hv_check(st == GSS_OK && sz == 0x103 && idx == 3 && mmio_read32(F(0x10)) == vector, 0x210);
	uint64_t sh3 = sh;
	lo = 0x5858585858585858ull;                     /* name[20..27], after the NUL */
	hi = 0x0000000358585858ull;                     /* name[28..31], find 3 */
	__asm__ volatile("stp %0, %1, [%2]" :: "r"(lo), "r"(hi), "r"(F(0x30)) : "memory");
	st = result(&sz, &idx, &sh);
	hv_check(st == GSS_OK && idx == 3 && sh == sh3, 0x211);
	mmio_write32(F(FAC_SIZE), 1);
	st = result(&sz, &idx, &sh);
	hv_check(st == GSS_OK && idx == 4, 0x212);
	hv_check((mmio_read32(F(0x08)) | (uint64_t)mmio_read32(F(0x0C)) << 32) == mmio_read64(F(0x08)) &&
		 mmio_read64(F(0x08)) == sh, 0x213);
}

int main(void)
{
	struct shm_dev dev;
	const char *d = hv_arg_str(0);
	uint32_t vector = (uint32_t)hv_arg(1);
	const char *mode = hv_arg_str(2);
	int r = d[0] == 'p' ? shm_probe_pci(&dev, (int)hv_strtou(d + 1))
			    : shm_probe_loc(&dev, hv_strtou(d));

	if (!hv_check(r == 0, 0x100))
		return 1;
	fac = dev.fac;
	printf("fac %s at 0x%lx vector %u\n", d, fac, dev.vector);
	if (!strcmp(mode, "map"))
		mode_map(vector, hv_strtou(hv_arg_str(3)));
	else if (!strcmp(mode, "widths"))
		mode_widths(vector);
	else
		hv_fail(0x1FF);
	printf("fac %s ok\n", mode);
	return 0;
}
