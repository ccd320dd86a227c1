/* snapshot.c - warm VMs for the runs of one scenario (snapshot.h). */
#include <stdlib.h>
#include <string.h>
#include "snapshot.h"
#include "vm.h"

/* ---- the pool ----------------------------------------------------------- */

struct pooled {
	struct vm *vm;
	bool out;                 /* taken by a system */
	bool race;                /* in race mode: serves race-mode takes only */
	uint64_t *addrs; int n_addrs;
};

struct vm_pool {
	struct pooled *v; int n;
};

struct vm_pool *vm_pool_new(void)
{
	return calloc(1, sizeof(struct vm_pool));
}

void vm_pool_free(struct vm_pool *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->n; i++) {
		if (!p->v[i].out)
			vm_free(p->v[i].vm);
		free(p->v[i].addrs);
	}
	free(p->v);
	free(p);
}

struct vm *vm_pool_take(struct vm_pool *p, int i, const struct vm_env *env,
			uint64_t *addrs, int n_addrs, bool race)
{
	if (i < 0 || i >= p->n || !p->v[i].vm || p->v[i].out || p->v[i].n_addrs != n_addrs ||
	    p->v[i].race != race)
		return NULL;
	struct pooled *e = &p->v[i];
	if (vm_warm_reset(e->vm, env))
		return NULL;
	e->out = true;
	if (n_addrs)
		memcpy(addrs, e->addrs, (size_t)n_addrs * sizeof(*addrs));
	return e->vm;
}

int vm_pool_adopt(struct vm_pool *p, int i, struct vm *vm, const uint64_t *addrs, int n_addrs)
{
	if (i < 0)
		return -1;
	if (i >= p->n) {
		struct pooled *v = realloc(p->v, (size_t)(i + 1) * sizeof(*v));
		if (!v)
			return -1;
		memset(v + p->n, 0, (size_t)(i + 1 - p->n) * sizeof(*v));
		p->v = v;
		p->n = i + 1;
	}
	struct pooled *e = &p->v[i];
	if (e->vm)
		return -1;   /* VM i is the pool's already: this one stays the caller's */
	uint64_t *a = calloc((size_t)n_addrs + 1, sizeof(*a));
	if (!a || vm_warm_save(vm)) {
		free(a);
		return -1;
	}
	if (n_addrs)
		memcpy(a, addrs, (size_t)n_addrs * sizeof(*a));
	*e = (struct pooled){ .vm = vm, .out = true, .race = vm_race_on(vm), .addrs = a,
			      .n_addrs = n_addrs };
	return 0;
}

int vm_pool_put(struct vm_pool *p, int i, struct vm *vm)
{
	if (i < 0 || i >= p->n || p->v[i].vm != vm)
		return -1;
	p->v[i].out = false;
	return 0;
}
