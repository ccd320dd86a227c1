/* fuzz_elf.c - libFuzzer harness for the ELF loader (sim/loader.h).
 *
 * The input is a file's bytes, loaded with elf_load_mem (the path elf_load
 * and elf_check take after reading a regular file) into a small guest RAM
 * filled with a marker byte. Each input must load or fail cleanly (ASan,
 * UBSan, leaks), and abort() when CONTRACT 2 or the loader's promises break:
 *
 *   - the check (no RAM) and the load agree: same verdict, same message;
 *   - a failure is one printable line that starts with the file's name;
 *   - a success lies in RAM: ram_base <= lo < hi <= ram_base + size; the
 *     entry point is in [lo, hi) and 4-byte aligned; no byte of RAM outside
 *     [lo, hi) was written;
 *   - symbols are sorted by address, named, never "$x"-style mapping symbols;
 *     elf_lookup finds each name at the address of a symbol of that name,
 *     and elf_symbolize names a symbol's own address.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sim/loader.h"

#define RAM_BASE 0x40000000ull
#define RAM_SIZE (1u << 20)
#define MARK     0xA5
#define NAME     "fuzz.elf"

#define CHECK(cond) do { if (!(cond)) fail(#cond, __LINE__); } while (0)

static void fail(const char *what, int line)
{
	fprintf(stderr, "fuzz_elf: invariant violated at line %d: %s\n", line, what);
	abort();
}

static void check_message(const char *err)
{
	CHECK(!strncmp(err, NAME ": ", strlen(NAME ": ")));
	CHECK(strlen(err) > strlen(NAME ": "));
	for (const char *p = err; *p; p++)
		CHECK(*p >= 0x20 && *p < 0x7f);
}

static void check_symbols(const struct elf_image *img)
{
	char buf[256];
	for (int i = 0; i < img->n_syms; i++) {
		const struct elf_sym *s = &img->syms[i];
		CHECK(s->name && s->name[0] && s->name[0] != '$');
		if (i)
			CHECK(img->syms[i - 1].addr <= s->addr);
		uint64_t a = 0;
		CHECK(elf_lookup(img, s->name, &a) == 0);
		int found = 0;
		for (int j = 0; j < img->n_syms && !found; j++)
			found = img->syms[j].addr == a && !strcmp(img->syms[j].name, s->name);
		CHECK(found);
		if (s->size)
			CHECK(elf_symbolize(img, s->addr, buf, sizeof(buf)) != NULL);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t ram[RAM_SIZE];
	struct elf_image img, none;
	char err[512] = "", err2[512] = "";

	memset(ram, MARK, sizeof(ram));
	int rc = elf_load_mem(NAME, data, size, ram, RAM_BASE, RAM_SIZE, &img, err, sizeof(err));
	int rc2 = elf_load_mem(NAME, data, size, NULL, RAM_BASE, RAM_SIZE, &none, err2,
			       sizeof(err2));
	CHECK(rc == 0 || rc == -1);
	CHECK(rc == rc2);
	if (rc) {
		check_message(err);
		CHECK(!strcmp(err, err2));
		return 0;
	}
	CHECK(none.n_syms == 0 && none.syms == NULL);
	CHECK(none.lo == img.lo && none.hi == img.hi && none.entry == img.entry);
	elf_image_free(&none);

	CHECK(img.lo >= RAM_BASE && img.lo < img.hi && img.hi <= RAM_BASE + RAM_SIZE);
	CHECK(img.entry >= img.lo && img.entry < img.hi && (img.entry & 3) == 0);
	for (uint64_t a = 0; a < RAM_SIZE; a++) {
		if (RAM_BASE + a == img.lo) {   /* skip the loaded range */
			a = img.hi - RAM_BASE - 1;
			continue;
		}
		CHECK(ram[a] == MARK);
	}
	check_symbols(&img);
	elf_image_free(&img);
	return 0;
}
