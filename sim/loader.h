/* loader.h - AArch64 ELF executables (CONTRACT 2) through elfutils' libelf:
 * PT_LOAD segments into guest RAM, and the symbol table for reports and the
 * debugger. Pure: works on a RAM buffer. */
#ifndef HVSIM_LOADER_H
#define HVSIM_LOADER_H

#include <stdint.h>
#include <stddef.h>

struct elf_sym { char *name; uint64_t addr, size; };

struct elf_image {
	uint64_t entry;
	struct elf_sym *syms; int n_syms;   /* functions and objects, sorted by addr */
	uint64_t lo, hi;                    /* loaded range [lo, hi) */
};

/* Load `path` into ram (guest-physical ram_base .. ram_base+ram_size).
 * Returns 0, or -1 with "PATH: what is wrong". The file must be a regular
 * file (opened without blocking: a FIFO is refused, never waited on), an
 * ELF64 little-endian EM_AARCH64 ET_EXEC whose PT_LOAD segments lie in RAM
 * and whose entry point is in one of them. */
int elf_load(const char *path, uint8_t *ram, uint64_t ram_base, uint64_t ram_size,
	     struct elf_image *img, char *err, size_t errlen);
/* The same from bytes in memory; `name` stands for the path in messages. */
int elf_load_mem(const char *name, const uint8_t *data, size_t len, uint8_t *ram,
		 uint64_t ram_base, uint64_t ram_size, struct elf_image *img, char *err,
		 size_t errlen);
/* The same checks as elf_load, loading nothing (lint). */
int elf_check(const char *path, uint64_t ram_base, uint64_t ram_size, char *err, size_t errlen);
void elf_image_free(struct elf_image *img);
/* Address of symbol `name`; -1 when there is none. */
int elf_lookup(const struct elf_image *img, const char *name, uint64_t *addr);
/* "main+0x14", or NULL when no symbol covers addr. buf receives the text. */
const char *elf_symbolize(const struct elf_image *img, uint64_t addr, char *buf, size_t n);

#endif
