/* loader.c - ELF64 little-endian AArch64 ET_EXEC loader. Every field read from
 * the file is bounds-checked: a hostile ELF gets an error, never a crash. */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "loader.h"

#define MAX_ELF_SIZE (256u << 20)

static int fail(char *err, size_t n, const char *path, const char *msg)
{
	snprintf(err, n, "%s: %s", path, msg);
	return -1;
}

static uint8_t *read_file(const char *path, size_t *len, char *err, size_t n)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, n, "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	uint8_t *buf = NULL;
	size_t cap = 0, used = 0;
	for (;;) {
		if (used == cap) {
			cap = cap ? cap * 2 : 65536;
			if (cap > MAX_ELF_SIZE) {
				snprintf(err, n, "%s: larger than %u MiB", path, MAX_ELF_SIZE >> 20);
				goto out_err;
			}
			uint8_t *nb = realloc(buf, cap);
			if (!nb) {
				snprintf(err, n, "%s: out of memory", path);
				goto out_err;
			}
			buf = nb;
		}
		size_t got = fread(buf + used, 1, cap - used, f);
		used += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		snprintf(err, n, "%s: read error", path);
		goto out_err;
	}
	fclose(f);
	*len = used;
	return buf;
out_err:
	free(buf);
	fclose(f);
	return NULL;
}

static int sym_cmp(const void *a, const void *b)
{
	const struct elf_sym *x = a, *y = b;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Symbols are optional: a stripped or odd table just yields none. */
static void load_symbols(const uint8_t *buf, size_t len, const Elf64_Ehdr *eh, struct elf_image *img)
{
	if (eh->e_shoff == 0 || eh->e_shentsize != sizeof(Elf64_Shdr) ||
	    eh->e_shoff > len || (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr) > len - eh->e_shoff)
		return;
	const Elf64_Shdr *sh = (const Elf64_Shdr *)(buf + eh->e_shoff);
	for (int i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type != SHT_SYMTAB || sh[i].sh_link >= eh->e_shnum)
			continue;
		const Elf64_Shdr *st = &sh[sh[i].sh_link];
		if (sh[i].sh_offset > len || sh[i].sh_size > len - sh[i].sh_offset ||
		    st->sh_offset > len || st->sh_size > len - st->sh_offset)
			return;
		const Elf64_Sym *sym = (const Elf64_Sym *)(buf + sh[i].sh_offset);
		size_t n = sh[i].sh_size / sizeof(Elf64_Sym);
		const char *strs = (const char *)(buf + st->sh_offset);
		img->syms = calloc(n ? n : 1, sizeof(*img->syms));
		if (!img->syms)
			return;
		for (size_t j = 0; j < n; j++) {
			int type = ELF64_ST_TYPE(sym[j].st_info);
			if ((type != STT_FUNC && type != STT_OBJECT && type != STT_NOTYPE) ||
			    sym[j].st_name >= st->sh_size || sym[j].st_shndx == SHN_UNDEF)
				continue;
			const char *name = strs + sym[j].st_name;
			size_t max = st->sh_size - sym[j].st_name;
			if (!memchr(name, 0, max) || !*name || name[0] == '$')
				continue;
			struct elf_sym *s = &img->syms[img->n_syms++];
			s->name = strdup(name);
			s->addr = sym[j].st_value;
			s->size = sym[j].st_size;
		}
		qsort(img->syms, img->n_syms, sizeof(*img->syms), sym_cmp);
		return;
	}
}

int elf_load(const char *path, uint8_t *ram, uint64_t ram_base, uint64_t ram_size,
	     struct elf_image *img, char *err, size_t errlen)
{
	size_t len;
	memset(img, 0, sizeof(*img));
	uint8_t *buf = read_file(path, &len, err, errlen);
	if (!buf)
		return -1;
	int rc = -1;
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)buf;
	if (len < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG)) {
		fail(err, errlen, path, "not an ELF file");
		goto out;
	}
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh->e_machine != EM_AARCH64) {
		fail(err, errlen, path, "not a little-endian AArch64 ELF64 file");
		goto out;
	}
	if (eh->e_type != ET_EXEC) {
		fail(err, errlen, path, "not an executable (ET_EXEC); link with -static -no-pie");
		goto out;
	}
	if (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phoff > len ||
	    (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > len - eh->e_phoff) {
		fail(err, errlen, path, "program headers out of file bounds");
		goto out;
	}
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(buf + eh->e_phoff);
	int loads = 0;
	img->lo = UINT64_MAX;
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD || ph[i].p_memsz == 0)
			continue;
		uint64_t a = ph[i].p_paddr, m = ph[i].p_memsz, fsz = ph[i].p_filesz;
		if (fsz > m || ph[i].p_offset > len || fsz > len - ph[i].p_offset) {
			snprintf(err, errlen, "%s: segment %d: file range out of bounds", path, i);
			goto out;
		}
		if (a < ram_base || m > ram_size || a - ram_base > ram_size - m) {
			snprintf(err, errlen, "%s: segment %d at 0x%llx..0x%llx lies outside RAM "
				 "0x%llx..0x%llx", path, i, (unsigned long long)a,
				 (unsigned long long)(a + m - 1), (unsigned long long)ram_base,
				 (unsigned long long)(ram_base + ram_size - 1));
			goto out;
		}
		memcpy(ram + (a - ram_base), buf + ph[i].p_offset, fsz);
		memset(ram + (a - ram_base) + fsz, 0, m - fsz);
		if (a < img->lo) img->lo = a;
		if (a + m > img->hi) img->hi = a + m;
		loads++;
	}
	if (!loads) {
		fail(err, errlen, path, "no PT_LOAD segment");
		goto out;
	}
	if (eh->e_entry < img->lo || eh->e_entry >= img->hi || (eh->e_entry & 3)) {
		snprintf(err, errlen, "%s: entry point 0x%llx is not in a loaded segment", path,
			 (unsigned long long)eh->e_entry);
		goto out;
	}
	img->entry = eh->e_entry;
	load_symbols(buf, len, eh, img);
	rc = 0;
out:
	free(buf);
	if (rc)
		elf_image_free(img);
	return rc;
}

void elf_image_free(struct elf_image *img)
{
	for (int i = 0; i < img->n_syms; i++)
		free(img->syms[i].name);
	free(img->syms);
	memset(img, 0, sizeof(*img));
}

const char *elf_symbolize(const struct elf_image *img, uint64_t addr, char *buf, size_t n)
{
	const struct elf_sym *best = NULL;
	for (int i = 0; i < img->n_syms && img->syms[i].addr <= addr; i++)
		if ((img->syms[i].size == 0 && addr < img->hi) ||
		    addr < img->syms[i].addr + img->syms[i].size)
			best = &img->syms[i];
	if (!best)
		return NULL;
	if (addr == best->addr)
		snprintf(buf, n, "%s", best->name);
	else
		snprintf(buf, n, "%s+0x%llx", best->name, (unsigned long long)(addr - best->addr));
	return buf;
}

int elf_lookup(const struct elf_image *img, const char *name, uint64_t *addr)
{
	for (int i = 0; i < img->n_syms; i++)
		if (!strcmp(img->syms[i].name, name)) {
			*addr = img->syms[i].addr;
			return 0;
		}
	return -1;
}
