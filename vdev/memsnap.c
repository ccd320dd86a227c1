/* memsnap.c - RAM snapshots that cost the pages a run touched (memsnap.h). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "memsnap.h"

struct memsnap {
	uint8_t *base;
	size_t size, n_pages, page;
	uint8_t **saved;          /* saved[i]: page i's bytes when taken, NULL: zero */
	unsigned char *vec;       /* mincore's answer */
};

static int resident(struct memsnap *s)
{
	return mincore(s->base, s->size, s->vec);
}

struct memsnap *memsnap_take(uint8_t *base, size_t size)
{
	struct memsnap *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->base = base;
	s->size = size;
	s->page = (size_t)sysconf(_SC_PAGESIZE);
	s->n_pages = (size + s->page - 1) / s->page;
	s->saved = calloc(s->n_pages, sizeof(*s->saved));
	s->vec = calloc(s->n_pages, 1);
	if (!s->saved || !s->vec || resident(s))
		goto fail;
	static const uint8_t zero[65536];
	for (size_t i = 0; i < s->n_pages; i++) {
		if (!(s->vec[i] & 1))
			continue;
		const uint8_t *p = base + i * s->page;
		if (s->page <= sizeof(zero) && !memcmp(p, zero, s->page))
			continue;
		if (!(s->saved[i] = malloc(s->page)))
			goto fail;
		memcpy(s->saved[i], p, s->page);
	}
	return s;
fail:
	memsnap_free(s);
	return NULL;
}

int memsnap_restore(struct memsnap *s)
{
	if (resident(s))
		return -1;
	/* A page that was not resident when taken was zero then. */
	for (size_t i = 0; i < s->n_pages; i++) {
		if (!(s->vec[i] & 1))
			continue;
		uint8_t *p = s->base + i * s->page;
		if (s->saved[i])
			memcpy(p, s->saved[i], s->page);
		else
			memset(p, 0, s->page);
	}
	return 0;
}

void memsnap_free(struct memsnap *s)
{
	if (!s)
		return;
	for (size_t i = 0; s->saved && i < s->n_pages; i++)
		free(s->saved[i]);
	free(s->saved);
	free(s->vec);
	free(s);
}
