/* snapshot.h - keep VMs warm across the runs of one scenario (explore).
 *
 * Building a VM costs a Unicorn engine (uc_open) and the translation of its
 * guest code; a schedule of an exploration runs the same VMs again. A pool
 * keeps each VM after its run: the next system built with the pool takes it
 * back, restored to the state it had right after its program was loaded
 * (CPU context, RAM by memsnap.h, no mappings), with its engine and
 * translated code kept (vm_warm_reset, vm.h).
 */
#ifndef HVSIM_SNAPSHOT_H
#define HVSIM_SNAPSHOT_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>

struct vm;
struct vm_env;

/* One pool holds VMs of one machine description (same programs, args and
 * RAM sizes, no debugger): the caller's promise. A VM adopted in race mode
 * (vm_race_enable before any translation) serves only race-mode takes, one
 * adopted without it only the others. */
struct vm_pool;
struct vm_pool *vm_pool_new(void);
void vm_pool_free(struct vm_pool *p);
/* VM i of the machine, reset and living in `env`, with the guest addresses
 * of its string args in addrs[0..n_addrs); NULL when the pool has none (or
 * not of this mode: race, race mode). A race-mode VM's hooks still call the
 * last run's ops until the caller renews them (vm_race_enable). */
struct vm *vm_pool_take(struct vm_pool *p, int i, const struct vm_env *env,
			uint64_t *addrs, int n_addrs, bool race);
/* A VM just loaded (before any mapping): its reset state is saved now. */
int vm_pool_adopt(struct vm_pool *p, int i, struct vm *vm, const uint64_t *addrs, int n_addrs);
/* The system that used VM i is done with it: back to the pool. Returns 0,
 * or -1 when it is not the pool's (the caller frees it). */
int vm_pool_put(struct vm_pool *p, int i, struct vm *vm);

#endif
