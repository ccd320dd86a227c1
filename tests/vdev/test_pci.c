/* test_pci.c - the PCIe host bridge and ECAM (SPEC section 7), driven by
 * config-space accesses as a guest makes them, with a fake platform that
 * records where the factory pages are mapped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tests/unit.h"
#include "vdev/pci.h"
#include "vdev/shmem.h"

/* Config-space registers (type 0 header). */
#define CFG_ID      0x00
#define CFG_CMD     0x04
#define CFG_CLASS   0x08
#define CFG_HDR     0x0C
#define CFG_BAR0    0x10
#define CFG_BAR1    0x14
#define CFG_INTR    0x3C
#define CMD_MEM     0x0002

/* ---- the fake platform ---- */

#define NMAP 64

struct pmap {
	bool live;
	uint64_t addr, len;
	char dev[24];
	const struct mmio_ops *ops;
	void *opaque;
};

static struct pmap maps[NMAP];
static int n_notes;
static uint64_t res_addr, res_len;      /* a `loc` page or other device */
static struct plat P;

static bool p_overlaps(uint64_t a, uint64_t al, uint64_t b, uint64_t bl)
{
	return al && bl && a < b + bl && b < a + al;
}

static void p_emit(void *ctx, struct ev *e)
{
	n_notes += e->kind == EV_NOTE;
}

static bool p_range_free(void *ctx, uint64_t addr, uint64_t len)
{
	if (p_overlaps(addr, len, res_addr, res_len))
		return false;
	for (int i = 0; i < NMAP; i++)
		if (maps[i].live && p_overlaps(addr, len, maps[i].addr, maps[i].len))
			return false;
	return true;
}

static int p_map_mmio(void *ctx, uint64_t addr, uint64_t len, const char *dev,
		      const struct mmio_ops *ops, void *opaque)
{
	CU_ASSERT_TRUE(p_range_free(ctx, addr, len));
	for (int i = 0; i < NMAP; i++) {
		if (!maps[i].live) {
			maps[i] = (struct pmap){ true, addr, len, "", ops, opaque };
			snprintf(maps[i].dev, sizeof(maps[i].dev), "%s", dev);
			return 0;
		}
	}
	return -1;
}

static void p_unmap(void *ctx, uint64_t addr, uint64_t len)
{
	for (int i = 0; i < NMAP; i++)
		if (maps[i].live && p_overlaps(addr, len, maps[i].addr, maps[i].len))
			maps[i].live = false;
}

static int n_live(void)
{
	int n = 0;
	for (int i = 0; i < NMAP; i++)
		n += maps[i].live;
	return n;
}

static struct pmap *map_at(uint64_t addr)
{
	for (int i = 0; i < NMAP; i++)
		if (maps[i].live && maps[i].addr == addr)
			return &maps[i];
	return NULL;
}

/* A mapping that must be there (the test goes on to read it). */
static struct pmap *map_must(uint64_t addr)
{
	struct pmap *m = map_at(addr);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	return m;
}

/* ---- fixture: a host bridge and n shmem functions ---- */

static struct shm_sys *S;
static struct pci_host *PH;
static struct shm_inst *IN[32];

static void begin(int n)
{
	memset(maps, 0, sizeof(maps));
	n_notes = 0;
	res_addr = res_len = 0;
	P = (struct plat){ .emit = p_emit, .map_mmio = p_map_mmio, .unmap = p_unmap,
			   .range_free = p_range_free };
	S = shm_sys_new(NULL, NULL);
	PH = pci_new(&P);
	CU_ASSERT_PTR_NOT_NULL_FATAL(S);
	CU_ASSERT_PTR_NOT_NULL_FATAL(PH);
	for (int k = 0; k < n; k++) {
		struct shm_inst_cfg cfg = {0};            /* no loc: PCI */
		IN[k] = shm_inst_new(S, &P, 0, k, &cfg, NULL, 0);
		CU_ASSERT_PTR_NOT_NULL_FATAL(IN[k]);
		CU_ASSERT_EQUAL(pci_add_shmem(PH, IN[k]), k + 1);
	}
}

static void end(void)
{
	pci_free(PH);
	shm_sys_free(S);
}

/* ---- config accesses: ECAM offset of slot d, function f, register r ---- */

static uint64_t ecam(int d, int f, unsigned r)
{
	return (uint64_t)d << 15 | (uint64_t)f << 12 | r;
}

static uint32_t cfg_r(int d, int f, unsigned r, unsigned len)
{
	uint8_t b[8] = {0};
	pci_ecam_ops.read(PH, ecam(d, f, r), len, b);
	return (uint32_t)le_get(b, len);
}

static void cfg_w(int d, int f, unsigned r, unsigned len, uint32_t v)
{
	uint8_t b[8];
	le_put(b, len, v);
	pci_ecam_ops.write(PH, ecam(d, f, r), len, b);
}

static uint32_t cfg_r32(int d, unsigned r)            { return cfg_r(d, 0, r, 4); }
static void cfg_w32(int d, unsigned r, uint32_t v)    { cfg_w(d, 0, r, 4, v); }

/* ==== tests ==== */

static void test_pci1_host_bridge(void)
{
	begin(0);
	CU_ASSERT_EQUAL(cfg_r32(0, CFG_CLASS) >> 8, 0x060000);
	CU_ASSERT_NOT_EQUAL(cfg_r(0, 0, CFG_ID, 2), 0xFFFF);        /* present */
	CU_ASSERT_EQUAL(cfg_r(0, 0, CFG_HDR + 2, 1), 0x00);         /* header type 0 */
	CU_ASSERT_EQUAL(cfg_r32(0, CFG_BAR0), 0);
	cfg_w32(0, CFG_BAR0, 0xFFFFFFFF);
	CU_ASSERT_EQUAL(cfg_r32(0, CFG_BAR0), 0);                   /* no BAR */
	CU_ASSERT_EQUAL(cfg_r32(1, CFG_ID), 0xFFFFFFFF);            /* nothing at slot 1 */
	end();
}

static void test_pci1_shmem_header(void)
{
	begin(4);
	CU_ASSERT_EQUAL(cfg_r32(1, CFG_ID), 0x00011C05);
	CU_ASSERT_EQUAL(cfg_r(1, 0, CFG_ID, 2), PCI_SHMEM_VENDOR);  /* 16-bit */
	CU_ASSERT_EQUAL(cfg_r(1, 0, CFG_ID + 2, 2), PCI_SHMEM_DEVICE);
	CU_ASSERT_EQUAL(cfg_r(1, 0, CFG_ID + 1, 1), 0x1C);          /* 8-bit */
	CU_ASSERT_EQUAL(cfg_r32(1, CFG_CLASS) >> 8, 0x058000);
	CU_ASSERT_EQUAL(cfg_r(1, 0, CFG_CLASS + 3, 1), 0x05);
	CU_ASSERT_EQUAL(cfg_r(1, 0, CFG_CLASS + 2, 1), 0x80);
	CU_ASSERT_EQUAL(cfg_r(1, 0, CFG_CMD, 2), 0);                /* decoding off */
	CU_ASSERT_EQUAL(cfg_r32(1, CFG_BAR0), 0x10000000);          /* firmware's place */
	CU_ASSERT_EQUAL(cfg_r32(2, CFG_BAR0), 0x10001000);
	CU_ASSERT_EQUAL(cfg_r32(4, CFG_BAR0), 0x10003000);
	CU_ASSERT_EQUAL(cfg_r32(1, CFG_BAR1), 0);
	CU_ASSERT_EQUAL(cfg_r(1, 0, CFG_INTR + 1, 1), 1);           /* INTA */
	CU_ASSERT_EQUAL(cfg_r(1, 0, CFG_INTR, 1), 36);              /* 35 + slot % 4 */
	CU_ASSERT_EQUAL(cfg_r(2, 0, CFG_INTR, 1), 37);
	CU_ASSERT_EQUAL(cfg_r(3, 0, CFG_INTR, 1), 38);
	CU_ASSERT_EQUAL(cfg_r(4, 0, CFG_INTR, 1), 35);
	CU_ASSERT_EQUAL(shm_inst_vector(IN[0]), 36);                /* = vector */
	CU_ASSERT_EQUAL(shm_inst_vector(IN[3]), 35);
	cfg_w(1, 0, CFG_INTR, 1, 99);                               /* holds the routing */
	CU_ASSERT_EQUAL(cfg_r(1, 0, CFG_INTR, 1), 36);
	CU_ASSERT_EQUAL(n_live(), 0);                               /* nothing decoded yet */
	end();
}

static void test_pci1_absent_functions(void)
{
	begin(1);
	CU_ASSERT_EQUAL(cfg_r32(2, CFG_ID), 0xFFFFFFFF);
	CU_ASSERT_EQUAL(cfg_r32(31, CFG_CLASS), 0xFFFFFFFF);
	CU_ASSERT_EQUAL(cfg_r(1, 1, CFG_ID, 4), 0xFFFFFFFF);        /* function 1 */
	CU_ASSERT_EQUAL(cfg_r(1, 7, CFG_ID, 2), 0xFFFF);
	CU_ASSERT_EQUAL(cfg_r(5, 0, CFG_BAR0 + 1, 1), 0xFF);
	cfg_w(1, 1, CFG_CMD, 2, 0xFFFF);                            /* ignored */
	cfg_w(2, 0, CFG_CMD, 2, 0xFFFF);
	CU_ASSERT_EQUAL(n_live(), 0);
	CU_ASSERT_EQUAL(cfg_r(1, 0, CFG_CMD, 2), 0);
	end();
}

static void test_pci2_bar_sizing(void)
{
	begin(1);
	cfg_w32(1, CFG_BAR0, 0xFFFFFFFF);
	CU_ASSERT_EQUAL(cfg_r32(1, CFG_BAR0), 0xFFFFF000);          /* 4 KiB, mem32, non-pf */
	cfg_w32(1, CFG_BAR0, 0x10000000);
	CU_ASSERT_EQUAL(cfg_r32(1, CFG_BAR0), 0x10000000);
	cfg_w32(1, CFG_BAR0, 0x20005FFF);                           /* low bits read 0 */
	CU_ASSERT_EQUAL(cfg_r32(1, CFG_BAR0), 0x20005000);
	cfg_w(1, 0, CFG_BAR0 + 2, 2, 0x3000);                       /* 16-bit write */
	CU_ASSERT_EQUAL(cfg_r32(1, CFG_BAR0), 0x30005000);
	cfg_w(1, 0, CFG_BAR0 + 1, 1, 0x70);                         /* 8-bit write */
	CU_ASSERT_EQUAL(cfg_r32(1, CFG_BAR0), 0x30007000);
	CU_ASSERT_EQUAL(n_live(), 0);                               /* decode still off */
	CU_ASSERT_EQUAL(n_notes, 0);
	end();
}

static void test_pci2_decode_on_off_and_move(void)
{
	begin(2);
	cfg_w(1, 0, CFG_CMD, 2, 0xFFFF);                            /* clients write all ones */
	CU_ASSERT_EQUAL(cfg_r(1, 0, CFG_CMD, 2), CMD_MEM);          /* bit 10 reads 0 */
	struct pmap *m = map_at(0x10000000);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(m->len, 0x1000);
	CU_ASSERT_STRING_EQUAL(m->dev, "shmem0.factory");
	CU_ASSERT_PTR_EQUAL(m->ops, &shm_factory_ops);
	CU_ASSERT_PTR_EQUAL(m->opaque, IN[0]);
	uint8_t b[8];
	m->ops->read(m->opaque, 0, 8, b);
	CU_ASSERT_EQUAL(le_get(b, 8), SHM_SIGNATURE);
	m->ops->read(m->opaque, 0x10, 4, b);
	CU_ASSERT_EQUAL(le_get(b, 4), 36);                          /* vector = INTA route */

	cfg_w32(1, CFG_BAR0, 0x20000000);                           /* moves while decoding */
	CU_ASSERT_PTR_NULL(map_at(0x10000000));
	CU_ASSERT_PTR_NOT_NULL(map_at(0x20000000));
	CU_ASSERT_EQUAL(n_live(), 1);

	cfg_w32(1, CFG_CMD, 0);                                     /* decoding off */
	CU_ASSERT_EQUAL(n_live(), 0);
	cfg_w32(2, CFG_CMD, CMD_MEM);
	CU_ASSERT_STRING_EQUAL(map_must(0x10001000)->dev, "shmem1.factory");
	CU_ASSERT_EQUAL(n_notes, 0);
	end();
}

static void test_pci2_bad_bar_not_decoded(void)
{
	begin(2);
	cfg_w32(1, CFG_BAR0, 0x40000000);                           /* RAM, outside */
	cfg_w32(1, CFG_CMD, CMD_MEM);
	CU_ASSERT_EQUAL(n_live(), 0);
	CU_ASSERT_EQUAL(n_notes, 1);                                /* logged */
	cfg_w32(1, CFG_BAR0, 0x0FFFF000);                           /* just below */
	CU_ASSERT_EQUAL(n_live(), 0);
	CU_ASSERT_EQUAL(n_notes, 2);
	cfg_w32(1, CFG_BAR0, 0x3EFFF000);                           /* last page: fine */
	CU_ASSERT_PTR_NOT_NULL(map_at(0x3EFFF000));
	CU_ASSERT_EQUAL(n_notes, 2);

	/* over a `loc` page, or over another function's BAR */
	res_addr = 0x1C050000;
	res_len = 0x1000;
	cfg_w32(1, CFG_BAR0, 0x1C050000);
	CU_ASSERT_EQUAL(n_live(), 0);
	CU_ASSERT_EQUAL(n_notes, 3);
	cfg_w32(2, CFG_CMD, CMD_MEM);                               /* at 0x10001000 */
	cfg_w32(1, CFG_BAR0, 0x10001000);
	CU_ASSERT_EQUAL(n_live(), 1);
	CU_ASSERT_PTR_EQUAL(map_must(0x10001000)->opaque, IN[1]);
	CU_ASSERT_EQUAL(n_notes, 4);
	cfg_w32(1, CFG_BAR0, 0x10000000);                           /* a good place again */
	CU_ASSERT_PTR_EQUAL(map_must(0x10000000)->opaque, IN[0]);
	CU_ASSERT_EQUAL(n_live(), 2);
	end();
}

static void test_pci2_sizing_while_decoding(void)
{
	begin(1);
	cfg_w32(1, CFG_CMD, CMD_MEM);
	CU_ASSERT_EQUAL(n_live(), 1);
	cfg_w32(1, CFG_BAR0, 0xFFFFFFFF);
	CU_ASSERT_EQUAL(cfg_r32(1, CFG_BAR0), 0xFFFFF000);
	CU_ASSERT_EQUAL(n_live(), 0);
	cfg_w32(1, CFG_BAR0, 0x10000000);
	CU_ASSERT_PTR_NOT_NULL(map_at(0x10000000));
	end();
}

static void test_pci1_bus_full(void)
{
	begin(31);
	struct shm_inst_cfg cfg = {0};
	struct shm_inst *extra = shm_inst_new(S, &P, 0, 31, &cfg, NULL, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(extra);
	CU_ASSERT_EQUAL(pci_add_shmem(PH, extra), -1);
	CU_ASSERT_EQUAL(cfg_r32(31, CFG_BAR0), 0x1001E000);
	CU_ASSERT_EQUAL(cfg_r(31, 0, CFG_INTR, 1), 38);
	end();
}

static void test_pci_any_access(void)
{
	begin(2);
	uint8_t b[16];
	uint32_t x = 7;
	for (int i = 0; i < 20000; i++) {
		x = x * 1103515245u + 12345u;
		unsigned len = 1u << ((x >> 8) % 5);
		uint64_t off = ((uint64_t)(x >> 4) % PCI_ECAM_SIZE) & ~(uint64_t)(len - 1);
		memset(b, (int)(x >> 16), sizeof(b));
		if (x & 0x100000)
			pci_ecam_ops.write(PH, off, len, b);
		else
			pci_ecam_ops.read(PH, off, len, b);
	}
	pci_ecam_ops.read(PH, UINT64_MAX - 3, 8, b);
	pci_ecam_ops.write(PH, UINT64_MAX - 3, 8, b);
	pci_ecam_ops.write(PH, PCI_ECAM_SIZE - 4, 16, b);
	CU_ASSERT_EQUAL(cfg_r32(1, CFG_ID), 0x00011C05);
	end();
}

static CU_TestInfo pci_tests[] = {
	{ "PCI-1 host bridge at slot 0", test_pci1_host_bridge },
	{ "PCI-1 shmem function header", test_pci1_shmem_header },
	{ "PCI-1 absent functions read all ones", test_pci1_absent_functions },
	{ "PCI-2 BAR sizing", test_pci2_bar_sizing },
	{ "PCI-2 decode on/off and move", test_pci2_decode_on_off_and_move },
	{ "PCI-2 bad BAR not decoded", test_pci2_bad_bar_not_decoded },
	{ "PCI-2 sizing while decoding", test_pci2_sizing_while_decoding },
	{ "PCI-1 bus full", test_pci1_bus_full },
	{ "PCI any offset and length", test_pci_any_access },
	CU_TEST_INFO_NULL,
};

UNIT_SUITE("pci", pci_tests);
