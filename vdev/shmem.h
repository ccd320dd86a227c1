/* shmem.h - the shared-memory virtual device (SPEC sections 1 to 10) as a pure
 * model: factory pages, the global region registry, connections with their
 * control pages, notify and the interrupt lines, ACL/subst, host clients.
 * No Unicorn here; the machine is reached through struct plat (devif.h).
 */
#ifndef HVSIM_SHMEM_H
#define HVSIM_SHMEM_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include "devif.h"
#include "profile.h"
#include "shmem_regs.h"

#define SHM_MAX_CLIENTS  16                      /* CTL-4 */
#define SHM_NAME_FIELD   32                      /* NAM-1 */
#define SHM_GLOBAL_NAME  64                      /* ACL-5: up to 63 bytes + NUL */
#define SHM_WINDOW_BASE  0x1800000000ull         /* CONTRACT 2 */
#define SHM_WINDOW_SIZE  0x100000000ull          /* 4 GiB */

const char *gss_name(int status);               /* "GSS_OK", ...; NULL if unknown */
int gss_parse(const char *s);                    /* name or number -> status, -1 */

struct shm_acl_rule { bool allow; char pattern[64]; };
struct shm_create   { char name[SHM_GLOBAL_NAME]; uint64_t bytes; };

/* Options of one instance (ACL-1..5, FAC-1). */
struct shm_inst_cfg {
	uint64_t loc;                 /* factory page address; 0 = PCI presentation */
	uint32_t intr;                /* INTID (loc only; PCI assigns its own) */
	uint64_t window;              /* 0 = default window for index k */
	struct shm_acl_rule *acl; int n_acl;
	struct shm_create *creates; int n_creates;
	bool has_subst; char subst_match[SHM_GLOBAL_NAME]; char subst_prefix[SHM_GLOBAL_NAME];
};

struct shm_sys;    /* the whole system's name space, regions and host client */
struct shm_inst;   /* one device instance of one VM */

/* host_plat: emit() for host events (other members unused). */
struct shm_sys *shm_sys_new(const struct profile *p, const struct plat *host_plat);
void shm_sys_free(struct shm_sys *s);

/* Create instance k of VM `vm` (k counts the VM's shmem list, PCI ones
 * included; it names the device "shmem<k>" and picks the default window).
 * Regions listed in cfg->creates come to exist now (ACL-2). Returns NULL with
 * a message on error (e.g. a create that conflicts with an existing size). */
struct shm_inst *shm_inst_new(struct shm_sys *s, const struct plat *plat, int vm, int k,
			      const struct shm_inst_cfg *cfg, char *err, size_t errlen);

/* ACL-2/5: the global name (after subst) and page count of cfg->creates[i],
 * as shm_inst_new makes that region. 0; -1 the name is not legal; -2 subst
 * makes an illegal global name; -3 too large. (For the scenario loader, which
 * checks that every create of a machine can be made.) */
int shm_create_resolve(const struct shm_inst_cfg *cfg, int i, char global[SHM_GLOBAL_NAME],
		       uint32_t *pages);

/* Factory page register frame (opaque = struct shm_inst *), mapped by the
 * machine at cfg->loc, or by the PCI model at BAR0. */
extern const struct mmio_ops shm_factory_ops;
/* A connection's control page (opaque = the connection). */
extern const struct mmio_ops shm_ctl_ops;
uint32_t shm_inst_vector(const struct shm_inst *in);
void shm_inst_set_vector(struct shm_inst *in, uint32_t intid);  /* PCI routing */
const char *shm_inst_devname(const struct shm_inst *in);       /* "shmem0" */

/* DET-4: the VM stopped; detach all its connections (as DET-1). */
void shm_inst_detach_all(struct shm_inst *in);

/* Host side (HST-1, HST-2). id names the host connection. Each returns a
 * GSS status (or -1 for an unknown id, with no effect) and logs an event. */
int shm_host_attach(struct shm_sys *s, const char *id, const char *name, uint32_t pages);
int shm_host_notify(struct shm_sys *s, const char *id, uint32_t mask);
int shm_host_status(struct shm_sys *s, const char *id, uint32_t *value);
int shm_host_write(struct shm_sys *s, const char *id, uint64_t offset,
		   const uint8_t *data, size_t len);
int shm_host_detach(struct shm_sys *s, const char *id);

/* Race mode (docs/races.md). The VM index behind connection idx of the live
 * region (-1 the host, -2 none); the live region whose data holds host byte
 * p (name and offset); the host connection id's data bytes [offset,
 * offset+len) (NULL when not connected or outside). */
int shm_conn_owner(const struct shm_sys *s, const char *region, int idx);
bool shm_region_at(const struct shm_sys *s, const void *p, const char **name, uint64_t *off);
const uint8_t *shm_host_data(const struct shm_sys *s, const char *id, uint64_t offset, size_t len);

/* A region as at its end: when it was destroyed, or now (for expectations). */
struct shm_region_info {
	bool exists;          /* still exists now */
	bool ever;            /* existed at some time during the run */
	uint32_t pages;
	uint32_t clients;     /* live connections now */
	uint32_t peak_clients;
	const uint8_t *data;  /* pages * 4096 bytes (last contents) */
};
bool shm_region_query(const struct shm_sys *s, const char *name, struct shm_region_info *out);

/* For explore's partial-order reduction (docs/explore.md): a hash of the
 * data pages of every live region, so a stretch of execution that changed
 * shared data is known without watching each store; and whether an
 * instance has data pages mapped (its VM can read what others write). */
uint64_t shm_sys_data_hash(const struct shm_sys *s);
bool shm_inst_maps_data(const struct shm_inst *in);
/* For a debugger, read only: region i of the registry (creation order, live
 * ones and records of destroyed ones); false past the last. */
struct shm_region_view {
	const char *name;
	uint32_t pages;
	bool live;
	const uint8_t *data;          /* pages * 4096 bytes */
	uint16_t live_mask;           /* CTL-1 bits 31:16: indices attached */
};
bool shm_region_get(const struct shm_sys *s, int i, struct shm_region_view *out);
/* Connection idx (0..15) of region i, if one is attached there. */
struct shm_conn_view {
	int vm;                       /* -1: the host's connection */
	const char *dev;              /* "shmem0" (the instance), or the host id */
	uint64_t ctl;                 /* control page address (0 for the host) */
	uint16_t pending;             /* CTL-1 bits 15:0 */
	bool list_event;              /* attach list changed, not yet seen (IRQ-2) */
};
bool shm_conn_get(const struct shm_sys *s, int i, int idx, struct shm_conn_view *out);

/* Snapshots (explore's prefix snapshots, docs/explore.md): the whole model
 * (registry, regions and their data, connections, instances' registers and
 * lines, host connections). A restore puts every object back at its own
 * address: what points at one (a VM's mapping) stays right; the VMs' maps
 * and the interrupt lines driven into the GICs are the caller's. While a
 * snapshot exists nothing the model drops is freed (until the last goes). */
struct shm_snap;
struct shm_snap *shm_snap_take(struct shm_sys *s);     /* NULL: out of memory */
int shm_snap_restore(struct shm_sys *s, const struct shm_snap *sn);
void shm_snap_free(struct shm_sys *s, struct shm_snap *sn);

#endif
