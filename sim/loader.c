/* loader.c - ELF64 little-endian AArch64 ET_EXEC loader on libelf. The file
 * is read whole (bounded) and handed to elf_memory; headers come through
 * gelf_* (no casts of file bytes), and every range is checked against the
 * file and RAM before a byte is copied: a hostile file gets an error. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "loader.h"

#define MAX_ELF_SIZE (256u << 20)

struct elf_file {
	uint8_t *buf;
	size_t len;
	Elf *e;
	GElf_Ehdr eh;
};

static int fail(char *err, size_t n, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(char *err, size_t n, const char *path, const char *fmt, ...)
{
	va_list ap;
	int k = snprintf(err, n, "%s: ", path);
	if (k >= 0 && (size_t)k < n) {
		va_start(ap, fmt);
		vsnprintf(err + k, n - (size_t)k, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static const char *file_kind(mode_t m)
{
	return S_ISDIR(m) ? "a directory" : S_ISFIFO(m) ? "a FIFO" : S_ISCHR(m) ?
	       "a character device" : S_ISBLK(m) ? "a block device" : S_ISSOCK(m) ?
	       "a socket" : "not a plain file";
}

/* The whole file, from a regular file only. O_NONBLOCK: opening a FIFO
 * never waits for a writer; it is then refused by fstat. */
static int read_regular(const char *path, struct elf_file *f, char *err, size_t n)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return fail(err, n, path, "cannot open: %s", strerror(errno));
	if (fstat(fd, &st)) {
		fail(err, n, path, "cannot stat: %s", strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		fail(err, n, path, "not a regular file (%s)", file_kind(st.st_mode));
		goto out;
	}
	if ((uint64_t)st.st_size > MAX_ELF_SIZE) {
		fail(err, n, path, "larger than %u MiB", MAX_ELF_SIZE >> 20);
		goto out;
	}
	f->buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!f->buf) {
		fail(err, n, path, "out of memory");
		goto out;
	}
	/* Read what is there (the file may shrink meanwhile; never past st_size). */
	while (f->len < (size_t)st.st_size) {
		ssize_t got = read(fd, f->buf + f->len, (size_t)st.st_size - f->len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			fail(err, n, path, "read error: %s", strerror(errno));
			goto out;
		}
		if (got == 0)
			break;
		f->len += (size_t)got;
	}
	close(fd);
	return 0;
out:
	close(fd);
	return -1;
}

static const char *machine_name(unsigned m)
{
	switch (m) {
	case EM_X86_64: return "x86-64";
	case EM_386: return "i386";
	case EM_ARM: return "32-bit ARM";
	case EM_RISCV: return "RISC-V";
	case EM_PPC64: return "PowerPC 64";
	default: return "another machine";
	}
}

/* Bytes in f->buf -> checked ELF header (CONTRACT 2: ELF64, little-endian,
 * AArch64, ET_EXEC). */
static int check_elf(const char *path, struct elf_file *f, char *err, size_t n)
{
	if (f->len < SELFMAG || memcmp(f->buf, ELFMAG, SELFMAG))
		return fail(err, n, path, "not an ELF file");
	if (f->len < EI_NIDENT || f->buf[EI_CLASS] != ELFCLASS64)
		return fail(err, n, path, "not an ELF64 file (guests are little-endian AArch64 ELF64)");
	if (f->buf[EI_DATA] != ELFDATA2LSB)
		return fail(err, n, path, "big-endian ELF (guests are little-endian AArch64 ELF64)");
	if (f->len < sizeof(Elf64_Ehdr))
		return fail(err, n, path, "not an ELF file (%zu bytes, shorter than an ELF header)",
			    f->len);
	elf_version(EV_CURRENT);
	f->e = elf_memory((char *)f->buf, f->len);
	if (!f->e || elf_kind(f->e) != ELF_K_ELF || !gelf_getehdr(f->e, &f->eh))
		return fail(err, n, path, "not a valid ELF file (%s)", elf_errmsg(-1));
	if (f->eh.e_machine != EM_AARCH64)
		return fail(err, n, path, "built for %s (e_machine %u), not AArch64",
			    machine_name(f->eh.e_machine), (unsigned)f->eh.e_machine);
	if (f->eh.e_type != ET_EXEC)
		return fail(err, n, path, "not an executable (ET_EXEC); link with -static -no-pie");
	return 0;
}

static void close_elf(struct elf_file *f)
{
	if (f->e)
		elf_end(f->e);
	free(f->buf);
	memset(f, 0, sizeof(*f));
}

/* Every PT_LOAD in the file and in RAM; copied when ram is given. */
static int load_segments(const char *path, struct elf_file *f, uint8_t *ram, uint64_t ram_base,
			 uint64_t ram_size, struct elf_image *img, char *err, size_t n)
{
	const GElf_Ehdr *eh = &f->eh;
	if (eh->e_phnum && (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phoff > f->len ||
			    (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > f->len - eh->e_phoff))
		return fail(err, n, path, "program headers out of file bounds");
	int loads = 0;
	img->lo = UINT64_MAX;
	img->hi = 0;
	for (int i = 0; i < eh->e_phnum; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(f->e, i, &ph))
			return fail(err, n, path, "program header %d: %s", i, elf_errmsg(-1));
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		uint64_t a = ph.p_paddr, m = ph.p_memsz, fsz = ph.p_filesz;
		if (fsz > m || ph.p_offset > f->len || fsz > f->len - ph.p_offset)
			return fail(err, n, path, "segment %d: file range out of bounds", i);
		if (a < ram_base || m > ram_size || a - ram_base > ram_size - m) {
			char at[80];
			if (m - 1 > UINT64_MAX - a)   /* no wrapped range in the message */
				snprintf(at, sizeof(at), "0x%llx (0x%llx bytes, past 2^64)",
					 (unsigned long long)a, (unsigned long long)m);
			else
				snprintf(at, sizeof(at), "0x%llx..0x%llx", (unsigned long long)a,
					 (unsigned long long)(a + m - 1));
			return fail(err, n, path, "segment %d at %s lies outside RAM 0x%llx..0x%llx",
				    i, at, (unsigned long long)ram_base,
				    (unsigned long long)(ram_base + ram_size - 1));
		}
		if (ram) {
			memcpy(ram + (a - ram_base), f->buf + ph.p_offset, fsz);
			memset(ram + (a - ram_base) + fsz, 0, m - fsz);
		}
		if (a < img->lo) img->lo = a;
		if (a + m > img->hi) img->hi = a + m;
		loads++;
	}
	if (!loads)
		return fail(err, n, path, "no PT_LOAD segment");
	if (eh->e_entry < img->lo || eh->e_entry >= img->hi || (eh->e_entry & 3))
		return fail(err, n, path, "entry point 0x%llx is not in a loaded segment",
			    (unsigned long long)eh->e_entry);
	img->entry = eh->e_entry;
	return 0;
}

static int sym_cmp(const void *a, const void *b)
{
	const struct elf_sym *x = a, *y = b;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Symbols are optional: a stripped or odd table just yields none. */
static void load_symbols(struct elf_file *f, struct elf_image *img)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(f->e, scn))) {
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB)
			continue;
		/* libelf checked the data against the file: n is bounded by its size */
		Elf_Data *d = elf_getdata(scn, NULL);
		size_t esz = gelf_fsize(f->e, ELF_T_SYM, 1, EV_CURRENT);
		size_t n = d && esz ? d->d_size / esz : 0;
		if (!d || !n || !(img->syms = calloc(n, sizeof(*img->syms))))
			return;
		for (size_t j = 0; j < n; j++) {
			GElf_Sym sym;
			if (!gelf_getsym(d, (int)j, &sym))
				break;
			int type = GELF_ST_TYPE(sym.st_info);
			if ((type != STT_FUNC && type != STT_OBJECT && type != STT_NOTYPE) ||
			    sym.st_shndx == SHN_UNDEF)
				continue;
			const char *name = elf_strptr(f->e, sh.sh_link, sym.st_name);
			if (!name || !*name || name[0] == '$')
				continue;
			struct elf_sym *s = &img->syms[img->n_syms];
			if (!(s->name = strdup(name)))
				break;
			s->addr = sym.st_value;
			/* a hostile size never wraps past 2^64 (elf_symbolize adds it) */
			s->size = sym.st_size > UINT64_MAX - sym.st_value ?
				  UINT64_MAX - sym.st_value : sym.st_size;
			img->n_syms++;
		}
		qsort(img->syms, img->n_syms, sizeof(*img->syms), sym_cmp);
		return;
	}
}

/* Segments (copied when ram is given) and symbols of a checked file. */
static int load_file(const char *path, struct elf_file *f, uint8_t *ram, uint64_t ram_base,
		     uint64_t ram_size, struct elf_image *img, char *err, size_t errlen)
{
	int rc = check_elf(path, f, err, errlen);
	if (!rc)
		rc = load_segments(path, f, ram, ram_base, ram_size, img, err, errlen);
	if (!rc && ram)
		load_symbols(f, img);
	close_elf(f);
	if (rc)
		elf_image_free(img);
	return rc;
}

int elf_load(const char *path, uint8_t *ram, uint64_t ram_base, uint64_t ram_size,
	     struct elf_image *img, char *err, size_t errlen)
{
	struct elf_file f;
	memset(img, 0, sizeof(*img));
	memset(&f, 0, sizeof(f));
	if (read_regular(path, &f, err, errlen)) {
		close_elf(&f);
		return -1;
	}
	return load_file(path, &f, ram, ram_base, ram_size, img, err, errlen);
}

int elf_load_mem(const char *name, const uint8_t *data, size_t len, uint8_t *ram,
		 uint64_t ram_base, uint64_t ram_size, struct elf_image *img, char *err,
		 size_t errlen)
{
	struct elf_file f;
	memset(img, 0, sizeof(*img));
	memset(&f, 0, sizeof(f));
	if (len > MAX_ELF_SIZE)
		return fail(err, errlen, name, "larger than %u MiB", MAX_ELF_SIZE >> 20);
	/* a private copy: libelf may keep pointers into it until elf_end */
	if (!(f.buf = malloc(len ? len : 1)))
		return fail(err, errlen, name, "out of memory");
	memcpy(f.buf, data, len);
	f.len = len;
	return load_file(name, &f, ram, ram_base, ram_size, img, err, errlen);
}

int elf_check(const char *path, uint64_t ram_base, uint64_t ram_size, char *err, size_t errlen)
{
	struct elf_image img;
	return elf_load(path, NULL, ram_base, ram_size, &img, err, errlen);
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
