/* shmem_host.c - the hypervisor host as a shmem client (SPEC section 10).
 *
 * The host holds connections named by scenario ids. Each one takes a client
 * slot and an index like a guest's (HST-1), has no control page, no window
 * and no interrupt line, and bypasses every instance's ACL. Events go
 * through the host plat given to shm_sys_new, with the id in ev.text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shmem_internal.h"

/* ---- helpers ---- */

static struct shm_conn *host_conn(const struct shm_sys *s, const char *id)
{
	for (int i = 0; i < s->n_hconns; i++)
		if (id && !strcmp(s->hconns[i]->host_id, id))
			return s->hconns[i];
	return NULL;
}

static void host_drop(struct shm_sys *s, struct shm_conn *c)
{
	for (int i = 0; i < s->n_hconns; i++) {
		if (s->hconns[i] == c) {
			memmove(&s->hconns[i], &s->hconns[i + 1],
				(size_t)(s->n_hconns - i - 1) * sizeof(*s->hconns));
			s->n_hconns--;
			break;
		}
	}
	shm_drop_conn(s, c);
}

static void host_note(struct shm_sys *s, const char *id, const char *what)
{
	char text[280];
	snprintf(text, sizeof(text), "host %s: %s", id ? id : "(null)", what);
	struct ev e = { .kind = EV_NOTE, .vm = EV_HOST, .text = text };
	shm_emit(&s->host_plat, &e);
}

/* Unknown id: -1, no effect, logged. */
static struct shm_conn *host_lookup(struct shm_sys *s, const char *id)
{
	struct shm_conn *c = host_conn(s, id);
	if (!c)
		host_note(s, id, "no such connection");
	return c;
}

/* ---- requests ---- */

/* CRE-6 without the instance's steps (ACL, connection budget, window). */
static int host_connect(struct shm_sys *s, const char *id, const char *name, uint32_t pages,
			struct shm_conn **out)
{
	const struct profile *p = &s->prof;
	bool may_create = pages > 0 || p->size_zero == SZ_EMPTY;  /* CRE-8 for pages 0 */

	if (!id || !*id || strlen(id) >= SHM_HOST_ID || host_conn(s, id))
		return GSS_UNKNOWN_FAILURE;                   /* id missing or still live */
	if (!shm_name_legal(name, SHM_GLOBAL_NAME - 1))
		return GSS_ILLEGAL_NAME;                      /* 1 (global name) */
	if (pages == 0 && p->size_zero == SZ_INVALID)
		return GSS_UNKNOWN_FAILURE;                   /* 3 */
	struct shm_region *reg = reg_find(s, name);
	if (!reg && !may_create)
		return GSS_DOES_NOT_EXIST;                    /* 4 */
	if (!reg && !reg_budget_ok(s, pages))
		return GSS_NOMEM;                             /* 5 */
	if (reg && reg_clients(reg) >= SHM_MAX_CLIENTS)
		return GSS_CLIENT_MAX;                        /* 6 */

	struct shm_conn *c = calloc(1, sizeof(*c));
	if (!c || shm_grow((void **)&s->hconns, &s->cap_hconns, s->n_hconns + 1,
			   sizeof(*s->hconns))) {
		free(c);
		return GSS_NOMEM;
	}
	/* DET-3: a host-made region lives as long as the system. */
	if (!reg && !(reg = reg_create(s, name, pages, true))) {
		free(c);
		return GSS_NOMEM;
	}
	snprintf(c->host_id, sizeof(c->host_id), "%s", id);
	s->hconns[s->n_hconns++] = c;
	reg_link(s, reg, c, reg_alloc_index(s, reg));
	*out = c;
	return GSS_OK;
}

int shm_host_attach(struct shm_sys *s, const char *id, const char *name, uint32_t pages)
{
	struct shm_conn *c = NULL;
	int st = host_connect(s, id, name, pages, &c);
	struct ev e = {
		.kind = EV_ATTACH, .vm = EV_HOST,
		.region = st == GSS_OK ? c->reg->name : (char *)(name ? name : ""),
		.idx = st == GSS_OK ? c->idx : -1, .status = st, .text = (char *)id,
	};
	shm_emit(&s->host_plat, &e);
	shm_sys_update_irqs(s);
	return st;
}

int shm_host_notify(struct shm_sys *s, const char *id, uint32_t mask)
{
	struct shm_conn *c = host_lookup(s, id);
	if (!c)
		return -1;
	shm_conn_notify(s, c, mask, true, &s->host_plat, c->host_id);     /* HST-2 */
	return GSS_OK;
}

int shm_host_status(struct shm_sys *s, const char *id, uint32_t *value)
{
	struct shm_conn *c = host_lookup(s, id);
	if (!c)
		return -1;
	uint32_t v = conn_status_read(c, 0xF);                              /* CTL-2 */
	if (value)
		*value = v;
	struct ev e = {
		.kind = EV_STATUS, .vm = EV_HOST, .region = c->reg->name, .idx = c->idx,
		.value = v, .text = c->host_id,
	};
	shm_emit(&s->host_plat, &e);
	shm_sys_update_irqs(s);
	return GSS_OK;
}

int shm_host_write(struct shm_sys *s, const char *id, uint64_t offset,
		   const uint8_t *data, size_t len)
{
	struct shm_conn *c = host_lookup(s, id);
	if (!c)
		return -1;
	uint64_t bytes = (uint64_t)c->reg->pages * PAGE_SIZE;
	char what[200];
	if (offset > bytes || len > bytes - offset || (len && !data)) {
		snprintf(what, sizeof(what), "write of %zu bytes at 0x%llx outside region '%s' "
			 "(%llu bytes)", len, (unsigned long long)offset, c->reg->name,
			 (unsigned long long)bytes);
		host_note(s, id, what);
		return GSS_UNKNOWN_FAILURE;
	}
	if (len)
		memcpy(c->reg->data + offset, data, len);           /* CRE-5: the region itself */
	snprintf(what, sizeof(what), "wrote %zu bytes at 0x%llx of region '%s'", len,
		 (unsigned long long)offset, c->reg->name);
	host_note(s, id, what);
	return GSS_OK;
}

int shm_host_detach(struct shm_sys *s, const char *id)
{
	struct shm_conn *c = host_lookup(s, id);
	if (!c)
		return -1;
	shm_conn_detach(s, c, &s->host_plat, c->host_id);                   /* DET-1 */
	host_drop(s, c);
	return GSS_OK;
}

const uint8_t *shm_host_data(const struct shm_sys *s, const char *id, uint64_t offset, size_t len)
{
	const struct shm_conn *c = host_conn(s, id);
	if (!c || !c->reg || !c->reg->data)
		return NULL;
	uint64_t bytes = (uint64_t)c->reg->pages * PAGE_SIZE;
	if (offset > bytes || len > bytes - offset)
		return NULL;
	return c->reg->data + offset;
}
