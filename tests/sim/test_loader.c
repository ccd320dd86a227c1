/* test_loader.c - the ELF loader (sim/loader.c): every rejection with its exact
 * message, on headers crafted in memory and written to temp files; a crafted
 * minimal executable and a real guest (build/guests/hello.elf) load. */
#include <elf.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tests/unit.h"
#include "tests/deadline.h"
#include "sim/loader.h"

#define RAM_BASE 0x40000000ull
#define RAM_SIZE 0x10000ull
#define GUEST    "build/guests/hello.elf"

static uint8_t ram[RAM_SIZE];
static char err[512];
static struct elf_image img;

/* A minimal valid image: header, one PT_LOAD at RAM_BASE with 16 file bytes
 * (0x11..0x20) and 32 memory bytes, entry at its start. */
#define PAYLOAD_OFF (sizeof(Elf64_Ehdr) + sizeof(Elf64_Phdr))
struct mini {
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	uint8_t payload[16];
};

static struct mini mini(void)
{
	struct mini m;
	memset(&m, 0, sizeof(m));
	memcpy(m.eh.e_ident, ELFMAG, SELFMAG);
	m.eh.e_ident[EI_CLASS] = ELFCLASS64;
	m.eh.e_ident[EI_DATA] = ELFDATA2LSB;
	m.eh.e_ident[EI_VERSION] = EV_CURRENT;
	m.eh.e_type = ET_EXEC;
	m.eh.e_machine = EM_AARCH64;
	m.eh.e_version = EV_CURRENT;
	m.eh.e_entry = RAM_BASE;
	m.eh.e_phoff = sizeof(Elf64_Ehdr);
	m.eh.e_ehsize = sizeof(Elf64_Ehdr);
	m.eh.e_phentsize = sizeof(Elf64_Phdr);
	m.eh.e_phnum = 1;
	m.ph.p_type = PT_LOAD;
	m.ph.p_flags = PF_R | PF_X;
	m.ph.p_offset = PAYLOAD_OFF;
	m.ph.p_vaddr = m.ph.p_paddr = RAM_BASE;
	m.ph.p_filesz = 16;
	m.ph.p_memsz = 32;
	for (int i = 0; i < 16; i++)
		m.payload[i] = (uint8_t)(0x11 + i);
	return m;
}

/* Write `len` bytes to a new temp file; *path receives its name. */
static void write_temp(char *path, const void *data, size_t len)
{
	strcpy(path, "/tmp/hvsim-test-loader-XXXXXX");
	int fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_FATAL(write(fd, data, len) == (ssize_t)len);
	close(fd);
}

/* Load `len` bytes of `data` from a temp file; returns elf_load's result and
 * leaves the message in err, with the temp path replaced by "F". */
static int load_or_check(const void *data, size_t len, bool check)
{
	char path[64];
	write_temp(path, data, len);
	memset(ram, 0xAA, sizeof(ram));
	err[0] = 0;
	int rc = check ? elf_check(path, RAM_BASE, RAM_SIZE, err, sizeof(err))
		       : elf_load(path, ram, RAM_BASE, RAM_SIZE, &img, err, sizeof(err));
	unlink(path);
	/* The message names the file: check that, then make it path-independent. */
	size_t pl = strlen(path);
	if (rc != 0) {
		CU_ASSERT_EQUAL(strncmp(err, path, pl), 0);
		if (!strncmp(err, path, pl)) {
			char rest[512];
			snprintf(rest, sizeof(rest), "F%s", err + pl);
			strcpy(err, rest);
		}
	}
	return rc;
}

static int load_bytes(const void *data, size_t len) { return load_or_check(data, len, false); }
static int check_bytes(const void *data, size_t len) { return load_or_check(data, len, true); }
static int load_mini(const struct mini *m) { return load_bytes(m, sizeof(*m)); }

#define REJECTS(rc_expr, msg) do { \
	CU_ASSERT_EQUAL((rc_expr), -1); \
	CU_ASSERT_STRING_EQUAL(err, (msg)); \
	CU_ASSERT_EQUAL(img.n_syms, 0); \
	CU_ASSERT_PTR_NULL(img.syms); \
} while (0)

static void test_missing_file(void)
{
	const char *p = "/tmp/hvsim-test-loader-does-not-exist.elf";
	unlink(p);
	CU_ASSERT_EQUAL(elf_load(p, ram, RAM_BASE, RAM_SIZE, &img, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "/tmp/hvsim-test-loader-does-not-exist.elf: cannot open: "
			       "No such file or directory");
}

static void test_not_elf(void)
{
	const char *text = "#!/bin/sh\necho this is a shell script, not an ELF file at all\n"
			   "echo and it is longer than an ELF header, to be sure\n";
	REJECTS(load_bytes(text, strlen(text)), "F: not an ELF file");
	REJECTS(load_bytes("hi\n", 3), "F: not an ELF file");
	REJECTS(load_bytes("", 0), "F: not an ELF file");
	/* the magic alone, cut short of a header */
	struct mini m = mini();
	REJECTS(load_bytes(&m, sizeof(Elf64_Ehdr) - 1),
		"F: not an ELF file (63 bytes, shorter than an ELF header)");
}

static void test_wrong_class_data_machine(void)
{
	struct mini m = mini();
	m.eh.e_ident[EI_CLASS] = ELFCLASS32;
	REJECTS(load_mini(&m), "F: not an ELF64 file (guests are little-endian AArch64 ELF64)");
	m = mini();
	m.eh.e_ident[EI_DATA] = ELFDATA2MSB;
	REJECTS(load_mini(&m), "F: big-endian ELF (guests are little-endian AArch64 ELF64)");
	m = mini();
	m.eh.e_machine = EM_X86_64;
	REJECTS(load_mini(&m), "F: built for x86-64 (e_machine 62), not AArch64");
	m.eh.e_machine = 4242;
	REJECTS(load_mini(&m), "F: built for another machine (e_machine 4242), not AArch64");
}

static void test_not_exec(void)
{
	struct mini m = mini();
	m.eh.e_type = ET_DYN;
	REJECTS(load_mini(&m), "F: not an executable (ET_EXEC); link with -static -no-pie");
	m.eh.e_type = ET_REL;
	REJECTS(load_mini(&m), "F: not an executable (ET_EXEC); link with -static -no-pie");
}

static void test_segment_outside_ram(void)
{
	struct mini m = mini();
	m.ph.p_paddr = m.ph.p_vaddr = 0x30000000;
	m.eh.e_entry = 0x30000000;
	REJECTS(load_mini(&m), "F: segment 0 at 0x30000000..0x3000001f lies outside RAM "
		"0x40000000..0x4000ffff");
	/* starts inside, ends one byte past the end */
	m = mini();
	m.ph.p_paddr = m.ph.p_vaddr = RAM_BASE + RAM_SIZE - 31;
	REJECTS(load_mini(&m), "F: segment 0 at 0x4000ffe1..0x40010000 lies outside RAM "
		"0x40000000..0x4000ffff");
	/* larger than RAM */
	m = mini();
	m.ph.p_memsz = RAM_SIZE + 0x1000;
	REJECTS(load_mini(&m), "F: segment 0 at 0x40000000..0x40010fff lies outside RAM "
		"0x40000000..0x4000ffff");
	/* a size that wraps the address space */
	m = mini();
	m.ph.p_memsz = 0xfffffffffffff000ull;
	REJECTS(load_mini(&m), "F: segment 0 at 0x40000000 (0xfffffffffffff000 bytes, past 2^64) "
		"lies outside RAM 0x40000000..0x4000ffff");
	/* exactly the last bytes of RAM is fine */
	m = mini();
	m.ph.p_paddr = m.ph.p_vaddr = RAM_BASE + RAM_SIZE - 32;
	m.eh.e_entry = RAM_BASE + RAM_SIZE - 32;
	CU_ASSERT_EQUAL(load_mini(&m), 0);
	CU_ASSERT_EQUAL(ram[RAM_SIZE - 32], 0x11);
	CU_ASSERT_EQUAL(ram[RAM_SIZE - 1], 0);
	elf_image_free(&img);
}

static void test_no_pt_load(void)
{
	struct mini m = mini();
	m.ph.p_type = PT_NOTE;
	REJECTS(load_mini(&m), "F: no PT_LOAD segment");
	m = mini();
	m.eh.e_phnum = 0;
	REJECTS(load_mini(&m), "F: no PT_LOAD segment");
	/* an empty PT_LOAD loads nothing */
	m = mini();
	m.ph.p_filesz = m.ph.p_memsz = 0;
	REJECTS(load_mini(&m), "F: no PT_LOAD segment");
}

static void test_entry_outside(void)
{
	struct mini m = mini();
	m.eh.e_entry = RAM_BASE + 0x100;
	REJECTS(load_mini(&m), "F: entry point 0x40000100 is not in a loaded segment");
	m.eh.e_entry = RAM_BASE + 32;              /* one past the end of the segment */
	REJECTS(load_mini(&m), "F: entry point 0x40000020 is not in a loaded segment");
	m.eh.e_entry = RAM_BASE - 4;
	REJECTS(load_mini(&m), "F: entry point 0x3ffffffc is not in a loaded segment");
	m.eh.e_entry = RAM_BASE + 2;               /* not instruction-aligned */
	REJECTS(load_mini(&m), "F: entry point 0x40000002 is not in a loaded segment");
}

static void test_truncated_phdrs(void)
{
	struct mini m = mini();
	REJECTS(load_bytes(&m, sizeof(Elf64_Ehdr) + 20), "F: program headers out of file bounds");
	m.eh.e_phoff = 0x100000;
	REJECTS(load_mini(&m), "F: program headers out of file bounds");
	m = mini();
	m.eh.e_phnum = 0xffff;
	REJECTS(load_mini(&m), "F: program headers out of file bounds");
	m = mini();
	m.eh.e_phentsize = sizeof(Elf32_Phdr);
	REJECTS(load_mini(&m), "F: program headers out of file bounds");
	m = mini();
	m.eh.e_phoff = 0xffffffffffffffc0ull;
	REJECTS(load_mini(&m), "F: program headers out of file bounds");
}

static void test_segment_file_range(void)
{
	struct mini m = mini();
	m.ph.p_offset = 0x100000;
	REJECTS(load_mini(&m), "F: segment 0: file range out of bounds");
	m = mini();
	m.ph.p_filesz = 17;                          /* one byte past the end of the file */
	REJECTS(load_mini(&m), "F: segment 0: file range out of bounds");
	m = mini();
	m.ph.p_filesz = 16;
	m.ph.p_memsz = 8;                            /* filesz > memsz */
	REJECTS(load_mini(&m), "F: segment 0: file range out of bounds");
	m = mini();
	m.ph.p_offset = 0xfffffffffffffff0ull;       /* offset + size wraps */
	REJECTS(load_mini(&m), "F: segment 0: file range out of bounds");
}

/* The crafted image: bytes copied, the rest of memsz zeroed, nothing else touched. */
static void test_mini_loads(void)
{
	struct mini m = mini();
	m.eh.e_entry = RAM_BASE + 8;
	CU_ASSERT_EQUAL_FATAL(load_mini(&m), 0);
	CU_ASSERT_EQUAL(img.entry, RAM_BASE + 8);
	CU_ASSERT_EQUAL(img.lo, RAM_BASE);
	CU_ASSERT_EQUAL(img.hi, RAM_BASE + 32);
	for (int i = 0; i < 16; i++)
		CU_ASSERT_EQUAL(ram[i], 0x11 + i);
	for (int i = 16; i < 32; i++)
		CU_ASSERT_EQUAL(ram[i], 0);
	CU_ASSERT_EQUAL(ram[32], 0xAA);
	CU_ASSERT_EQUAL(ram[RAM_SIZE - 1], 0xAA);
	CU_ASSERT_EQUAL(img.n_syms, 0);               /* no section headers: no symbols */
	char b[64];
	CU_ASSERT_PTR_NULL(elf_symbolize(&img, RAM_BASE, b, sizeof(b)));
	elf_image_free(&img);
	CU_ASSERT_PTR_NULL(img.syms);
	CU_ASSERT_EQUAL(img.n_syms, 0);
}

/* Read the guest's own headers to know what the loader should have done. */
static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *b = malloc(n > 0 ? (size_t)n : 1);
	if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
		free(b);
		b = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return b;
}

static void test_real_guest(void)
{
	static uint8_t big[1 << 20];
	size_t flen;
	uint8_t *file = slurp(GUEST, &flen);
	CU_ASSERT_PTR_NOT_NULL_FATAL(file);
	memset(big, 0xAA, sizeof(big));
	int rc = elf_load(GUEST, big, RAM_BASE, sizeof(big), &img, err, sizeof(err));
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	CU_ASSERT_EQUAL(img.entry, 0x40000000);

	/* Every PT_LOAD's bytes are in RAM, its bss zeroed; lo/hi span them. */
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)file;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(file + eh->e_phoff);
	uint64_t lo = UINT64_MAX, hi = 0;
	int loads = 0;
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD || !ph[i].p_memsz)
			continue;
		loads++;
		uint64_t at = ph[i].p_paddr - RAM_BASE;
		CU_ASSERT_EQUAL(memcmp(big + at, file + ph[i].p_offset, ph[i].p_filesz), 0);
		int zero = 1;
		for (uint64_t k = ph[i].p_filesz; k < ph[i].p_memsz; k++)
			zero &= big[at + k] == 0;
		CU_ASSERT_TRUE(zero);
		if (ph[i].p_paddr < lo) lo = ph[i].p_paddr;
		if (ph[i].p_paddr + ph[i].p_memsz > hi) hi = ph[i].p_paddr + ph[i].p_memsz;
	}
	CU_ASSERT_TRUE(loads >= 1);
	CU_ASSERT_EQUAL(img.lo, lo);
	CU_ASSERT_EQUAL(img.hi, hi);
	CU_ASSERT_EQUAL(big[hi - RAM_BASE], 0xAA);

	/* Symbols: sorted, include main and _start; symbolize main+4. */
	CU_ASSERT_TRUE(img.n_syms > 2);
	const struct elf_sym *mainsym = NULL, *start = NULL;
	for (int i = 0; i < img.n_syms; i++) {
		if (i)
			CU_ASSERT_TRUE(img.syms[i - 1].addr <= img.syms[i].addr);
		if (!strcmp(img.syms[i].name, "main")) mainsym = &img.syms[i];
		if (!strcmp(img.syms[i].name, "_start")) start = &img.syms[i];
		CU_ASSERT_NOT_EQUAL(img.syms[i].name[0], '$');   /* mapping symbols dropped */
	}
	CU_ASSERT_PTR_NOT_NULL_FATAL(mainsym);
	CU_ASSERT_PTR_NOT_NULL_FATAL(start);
	CU_ASSERT_EQUAL(start->addr, 0x40000000);
	CU_ASSERT_TRUE(mainsym->size > 4);
	char b[80];
	CU_ASSERT_STRING_EQUAL(elf_symbolize(&img, mainsym->addr + 4, b, sizeof(b)), "main+0x4");
	CU_ASSERT_STRING_EQUAL(elf_symbolize(&img, mainsym->addr, b, sizeof(b)), "main");
	CU_ASSERT_PTR_NULL(elf_symbolize(&img, 0x3ffffffc, b, sizeof(b)));
	CU_ASSERT_PTR_NULL(elf_symbolize(&img, 0, b, sizeof(b)));
	elf_image_free(&img);
	free(file);
}

/* A truncated real guest is rejected, never crashes. */
static void test_truncated_guest(void)
{
	size_t flen;
	uint8_t *file = slurp(GUEST, &flen);
	CU_ASSERT_PTR_NOT_NULL_FATAL(file);
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)file;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(file + eh->e_phoff);
	CU_ASSERT_EQUAL_FATAL(ph[0].p_type, PT_LOAD);
	CU_ASSERT_FATAL(ph[0].p_filesz > 4 && flen > ph[0].p_offset + 4);
	/* headers intact, the first segment's bytes cut short */
	REJECTS(load_bytes(file, ph[0].p_offset + 4), "F: segment 0: file range out of bounds");
	free(file);
}

/* Files that are not regular files: refused by both entry points, and a
 * FIFO with no writer never blocks (the step is under a deadline). */
static void refuses_file(const char *path, const char *what)
{
	char want[256];
	snprintf(want, sizeof(want), "%s: not a regular file (%s)", path, what);
	err[0] = 0;
	CU_ASSERT_EQUAL(elf_load(path, ram, RAM_BASE, RAM_SIZE, &img, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, want);
	err[0] = 0;
	CU_ASSERT_EQUAL(elf_check(path, RAM_BASE, RAM_SIZE, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, want);
}

static void test_not_regular(void)
{
	char dir[] = "/tmp/hvsim-test-loader-dir-XXXXXX";
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	refuses_file(dir, "a directory");
	char fifo[80];
	snprintf(fifo, sizeof(fifo), "%s/guest.elf", dir);
	CU_ASSERT_EQUAL_FATAL(mkfifo(fifo, 0600), 0);
	WITHIN(10, refuses_file(fifo, "a FIFO"));
	unlink(fifo);
	rmdir(dir);
	refuses_file("/dev/zero", "a character device");
	refuses_file("/dev/null", "a character device");
}

/* elf_check: every rejection elf_load makes, with nothing loaded. */
static void test_check(void)
{
	const char *text = "this is a text file\n";
	REJECTS(check_bytes(text, strlen(text)), "F: not an ELF file");
	struct mini m = mini();
	m.eh.e_machine = EM_X86_64;
	REJECTS(check_bytes(&m, sizeof(m)), "F: built for x86-64 (e_machine 62), not AArch64");
	m = mini();
	m.eh.e_ident[EI_DATA] = ELFDATA2MSB;
	REJECTS(check_bytes(&m, sizeof(m)), "F: big-endian ELF (guests are little-endian AArch64 ELF64)");
	m = mini();
	m.ph.p_paddr = m.ph.p_vaddr = m.eh.e_entry = 0x09000000;   /* the UART */
	REJECTS(check_bytes(&m, sizeof(m)), "F: segment 0 at 0x9000000..0x900001f lies outside RAM "
		"0x40000000..0x4000ffff");
	m = mini();
	m.ph.p_paddr = m.ph.p_vaddr = m.eh.e_entry = 0xfffffffffffffff0ull;
	REJECTS(check_bytes(&m, sizeof(m)), "F: segment 0 at 0xfffffffffffffff0 (0x20 bytes, past "
		"2^64) lies outside RAM 0x40000000..0x4000ffff");
	m = mini();
	CU_ASSERT_EQUAL(check_bytes(&m, sizeof(m)), 0);
	CU_ASSERT_EQUAL(ram[0], 0xAA);                 /* nothing loaded */
	err[0] = 0;
	CU_ASSERT_EQUAL(elf_check(GUEST, RAM_BASE, 1 << 20, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(err, "");
}

/* Mutated guests (headers, program and section header tables, symbol
 * table): every result is a load or a one-line error, never a crash (run
 * under ASan by make sanitize). Deterministic: a fixed LCG. */
static void test_mutated_guest(void)
{
	static uint8_t big[1 << 20];
	size_t flen;
	uint8_t *file = slurp(GUEST, &flen), *m;
	CU_ASSERT_PTR_NOT_NULL_FATAL(file);
	CU_ASSERT_FATAL(flen > sizeof(Elf64_Ehdr));
	m = malloc(flen);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	Elf64_Ehdr eh;
	memcpy(&eh, file, sizeof(eh));
	uint64_t areas[][2] = {
		{ 0, sizeof(Elf64_Ehdr) },
		{ eh.e_phoff, (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr) },
		{ eh.e_shoff, (uint64_t)eh.e_shnum * sizeof(Elf64_Shdr) },
	};
	uint32_t x = 12345;
	int loaded = 0;
	for (int it = 0; it < 600; it++) {
		memcpy(m, file, flen);
		for (int k = 0; k < 1 + it % 4; k++) {
			x = x * 1103515245u + 12345u;
			uint64_t *a = areas[(x >> 8) % 3];
			if (!a[1] || a[0] + a[1] > flen)
				continue;
			x = x * 1103515245u + 12345u;
			m[a[0] + (x >> 4) % a[1]] = (uint8_t)(x >> 24);
		}
		char path[64];
		write_temp(path, m, flen);
		err[0] = 0;
		int rc = elf_load(path, big, RAM_BASE, sizeof(big), &img, err, sizeof(err));
		unlink(path);
		CU_ASSERT(rc == 0 || (rc == -1 && err[0] && !strchr(err, '\n')));
		loaded += rc == 0;
		elf_image_free(&img);
	}
	CU_ASSERT(loaded > 0);
	free(m);
	free(file);
}

/* Found by fuzz_elf: a symbol whose st_size runs past 2^64 made elf_symbolize
 * miss its own address (addr < addr + size wrapped). Its size is now clamped. */
static void test_symbol_size_wraps(void)
{
	size_t len = 0;
	uint8_t *data = slurp("tests/fuzz/corpus/elf/regress-symbol-size-wraps", &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(data);
	int rc = elf_load_mem("w.elf", data, len, ram, RAM_BASE, RAM_SIZE, &img, err, sizeof(err));
	free(data);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	int clamped = 0;
	char buf[128];
	for (int i = 0; i < img.n_syms; i++) {
		const struct elf_sym *sym = &img.syms[i];
		CU_ASSERT(sym->size <= UINT64_MAX - sym->addr);
		clamped += sym->size && sym->size == UINT64_MAX - sym->addr;
		if (sym->size)
			CU_ASSERT_PTR_NOT_NULL(elf_symbolize(&img, sym->addr, buf, sizeof(buf)));
	}
	CU_ASSERT(clamped > 0);    /* the input still holds a wrapping size */
	elf_image_free(&img);
}

/* elf_load_mem is elf_load without the file: the same image, the same errors
 * under the given name. */
static void test_load_mem(void)
{
	size_t len = 0;
	uint8_t *data = slurp("build/guests/hello.elf", &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(data);
	static uint8_t ram2[RAM_SIZE];
	struct elf_image a, b;
	memset(ram, 0, sizeof(ram));
	memset(ram2, 0, sizeof(ram2));
	CU_ASSERT_EQUAL_FATAL(elf_load("build/guests/hello.elf", ram, RAM_BASE, RAM_SIZE, &a, err,
				       sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(elf_load_mem("hello", data, len, ram2, RAM_BASE, RAM_SIZE, &b, err,
					   sizeof(err)), 0);
	CU_ASSERT_EQUAL(a.entry, b.entry);
	CU_ASSERT_EQUAL(a.n_syms, b.n_syms);
	CU_ASSERT_EQUAL(memcmp(ram, ram2, sizeof(ram)), 0);
	elf_image_free(&a);
	elf_image_free(&b);
	CU_ASSERT_EQUAL(elf_load_mem("bytes.elf", data, 40, ram2, RAM_BASE, RAM_SIZE, &b, err,
				     sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "bytes.elf: not an ELF file (40 bytes, shorter than an ELF header)");
	free(data);
}

static CU_TestInfo loader_tests[] = {
	{ "missing file", test_missing_file },
	{ "not an ELF file", test_not_elf },
	{ "32-bit, big-endian, x86-64", test_wrong_class_data_machine },
	{ "ET_DYN / ET_REL", test_not_exec },
	{ "segment outside RAM", test_segment_outside_ram },
	{ "no PT_LOAD", test_no_pt_load },
	{ "entry outside segments", test_entry_outside },
	{ "program headers out of bounds", test_truncated_phdrs },
	{ "segment file range out of bounds", test_segment_file_range },
	{ "minimal image loads (bytes, bss, bounds)", test_mini_loads },
	{ "build/guests/hello.elf loads with symbols", test_real_guest },
	{ "truncated guest rejected", test_truncated_guest },
	{ "directory, FIFO, device refused without blocking", test_not_regular },
	{ "elf_check", test_check },
	{ "mutated guests: a load or an error", test_mutated_guest },
	{ "symbol size past 2^64 clamped (fuzz_elf)", test_symbol_size_wraps },
	{ "elf_load_mem: the same as elf_load", test_load_mem },
	CU_TEST_INFO_NULL,
};

UNIT_SUITE("loader", loader_tests);
