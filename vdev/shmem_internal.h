/* shmem_internal.h - private state of the shmem model, shared by its modules:
 *
 *   names.c      NAM-1..3, ACL-1..5: name field -> local name -> global name
 *   registry.c   the global name space: regions, indices, budgets, pending
 *                bits, attach-list events (CTL, NTF, DET-2/3)
 *   shmem.c      the device: factory page (FAC, CRE), control pages (CTL,
 *                NTF, DET), the instance's interrupt line (IRQ), instances
 *   shmem_host.c the host client (HST)
 *
 * Not for use outside vdev/. Everything is plain data in arrays, iterated in
 * creation order, so runs are deterministic.
 */
#ifndef HVSIM_SHMEM_INTERNAL_H
#define HVSIM_SHMEM_INTERNAL_H

#include "shmem.h"

#define SHM_CTL_SIZE   0x10u      /* CTL-1: registers below, RAZ/WI above */
#define SHM_FAC_SIZE   0x40u      /* FAC-2: registers below, RAZ/WI above */
#define SHM_HOST_ID    32         /* bytes kept of a host connection id */

/* One region of the global name space (NAM-3). A destroyed region stays as a
 * record of how it ended (live = false) until its name is created again. */
struct shm_region {
	char name[SHM_GLOBAL_NAME];
	uint32_t pages;
	uint8_t *data;                /* pages * 4 KiB, page aligned, zeroed; NULL if 0 pages */
	bool live;                    /* exists now */
	bool persistent;              /* made by `create` or the host (DET-3) */
	uint16_t live_mask;           /* CTL-1 status bits 31:16 */
	struct shm_conn *conn[SHM_MAX_CLIENTS];  /* live connections by index */
	unsigned rr_next;             /* CTL-3 round-robin cursor */
	uint32_t peak_clients;        /* over the whole run, all incarnations */
	struct shm_region *prev;      /* the dead record this one replaced, kept until
				       * it is connected (reg_discard puts it back) */
};

/* One connection: a guest's (through an instance) or the host's. */
struct shm_conn {
	struct shm_region *reg;       /* NULL once dead */
	struct shm_inst *inst;        /* NULL for a host connection */
	char host_id[SHM_HOST_ID];    /* host connections only */
	bool live;
	int idx;                      /* CTL-1 idx, 0..15 */
	uint64_t addr;                /* control page; data at addr + 4 KiB; 0 for host */
	uint64_t len;                 /* (pages + 1) * 4 KiB mapped at addr */
	uint16_t pending;             /* CTL-1 status bits 15:0 */
	bool list_event;              /* attach list changed, not yet seen (IRQ-2/3) */
	char dev[24];                 /* "shmem0.ctl3" (lives as long as the mapping) */
};

struct shm_inst {
	struct shm_sys *sys;
	struct plat plat;
	int vm, k;
	char name[16];                /* "shmem<k>" */
	uint64_t loc;
	uint64_t window;              /* CRE-4 */
	uint32_t vector;              /* IRQ-1 */
	struct shm_acl_rule *acl;     /* ACL-1 (copy) */
	int n_acl;
	bool has_subst;               /* ACL-5 */
	char subst_match[SHM_GLOBAL_NAME];
	char subst_prefix[SHM_GLOBAL_NAME];

	/* Factory page registers (FAC-2); signature and vector are derived. */
	uint64_t r_shmem;
	uint32_t r_status;
	uint32_t r_size;
	uint8_t r_name[SHM_NAME_FIELD];
	uint32_t r_find;              /* WO: kept for partial stores, reads as zero */

	/* Interrupt line (IRQ-3). */
	int line;                     /* level currently driven */
	unsigned edge_events;         /* events since the last recompute (edge) */

	/* Every connection made through this instance; dead ones are reused. */
	struct shm_conn **conns;
	int n_conns, cap_conns;
};

struct shm_sys {
	struct profile prof;
	struct plat host_plat;
	struct shm_region **regions;  /* live regions and records of destroyed ones */
	int n_regions, cap_regions;
	uint64_t live_bytes;          /* CRE-6 step 5: data bytes of live regions */
	struct shm_inst **insts;
	int n_insts, cap_insts;
	struct shm_conn **hconns;     /* live host connections */
	int n_hconns, cap_hconns;
	/* While snapshots exist (shmem_snap.c) nothing is freed: a restore
	 * puts objects back where they were, so what the run drops waits here
	 * until the last snapshot goes. */
	int snaps;
	struct shm_region **grave_regs; int n_grave_regs, cap_grave_regs;
	struct shm_conn **grave_conns; int n_grave_conns, cap_grave_conns;
};

/* Grow *arr (of elem-sized items) so that it holds at least need; 0 or -1. */
int shm_grow(void **arr, int *cap, int need, size_t elem);

/* ---- names.c ---- */
/* NAM-1/2: the 32-byte field as a local name. out gets the name (for logs
 * even when illegal, NUL-terminated). GSS_OK or GSS_ILLEGAL_NAME. */
int shm_name_from_field(const uint8_t field[SHM_NAME_FIELD], enum prof_unterminated mode,
			char out[SHM_NAME_FIELD + 1]);
/* 1..max bytes, each 0x20..0x7E and not '/'. */
bool shm_name_legal(const char *s, size_t max);
/* ACL-1: first matching rule decides; default deny if any allow, else allow. */
bool shm_acl_allows(const struct shm_acl_rule *rules, int n, const char *name);
/* ACL-5: local -> global name. 0, or -1 when the result is not a legal
 * global name (empty, over 63 bytes, or an illegal byte from PREFIX). */
int shm_subst(bool has_subst, const char *match, const char *prefix,
	      const char *name, char out[SHM_GLOBAL_NAME]);

/* ---- shmem_snap.c ---- */
/* Free a region (and the dead records behind it) or a connection the model
 * dropped: now, or when the last snapshot goes. */
void shm_drop_region(struct shm_sys *s, struct shm_region *r);
void shm_drop_conn(struct shm_sys *s, struct shm_conn *c);
/* At shm_sys_free: free what waits and is not reachable any more. */
void shm_grave_flush(struct shm_sys *s);
/* Free now (and the records behind it). */
void reg_region_free(struct shm_region *r);

/* ---- registry.c ---- */
struct shm_region *reg_find(const struct shm_sys *s, const char *name);     /* live only */
struct shm_region *reg_record(const struct shm_sys *s, const char *name);   /* live or dead */
/* Make a live region (zero-filled); replaces a dead record of the name (the
 * record is freed when the new region gets a connection). NULL: no memory. */
struct shm_region *reg_create(struct shm_sys *s, const char *name, uint32_t pages, bool persistent);
/* Undo a reg_create that never got a connection (CRE-6: nothing created):
 * the dead record it replaced, if any, is the name's record again. */
void reg_discard(struct shm_sys *s, struct shm_region *r);
/* CRE-6 step 5: would creating `pages` more stay within memory_budget? */
bool reg_budget_ok(const struct shm_sys *s, uint32_t pages);
unsigned reg_clients(const struct shm_region *r);
/* CTL-3: the index a new connection gets, -1 when 16 are live (CTL-4). */
int reg_alloc_index(struct shm_sys *s, struct shm_region *r);
/* Make c live at index idx of r: attach-list events (IRQ-2). */
void reg_link(struct shm_sys *s, struct shm_region *r, struct shm_conn *c, int idx);
/* End live connection c (DET-1..3): attach-list events, DET-2, region
 * destroyed if due. */
void reg_unlink(struct shm_sys *s, struct shm_conn *c);
/* NTF-1..4: deliver mask from live connection c; host=true applies HST-2.
 * Returns targets. */
uint16_t reg_notify(struct shm_sys *s, struct shm_conn *c, uint32_t mask, bool host);
/* CTL-2: the status word of live connection c before the read; clears the pending bits in the
 * lanes read (bit n of lanes = byte n of status) and, if bytes 2..3 are
 * read, marks the attach list seen. */
uint32_t conn_status_read(struct shm_conn *c, unsigned lanes);
/* Free every region and record. */
void reg_free_all(struct shm_sys *s);

/* ---- shmem.c ---- */
extern const struct mmio_ops shm_ctl_ops;
void shm_emit(const struct plat *plat, struct ev *e);
/* IRQ-3: recompute every instance's line (level) or pulse it (edge). */
void shm_sys_update_irqs(struct shm_sys *s);
/* NTF-1..4 (host: HST-2) from connection c, logged through plat with text
 * (the host id, or NULL); lines follow. Returns the targets. */
uint16_t shm_conn_notify(struct shm_sys *s, struct shm_conn *c, uint32_t mask, bool host,
			 const struct plat *plat, const char *text);
/* DET-1 for any connection: unmap (guest), unlink, log, lines follow. */
void shm_conn_detach(struct shm_sys *s, struct shm_conn *c, const struct plat *plat,
		     const char *text);

#endif
