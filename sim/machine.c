/* machine.c - releasing a machine description (see machine.h). */
#include <stdlib.h>
#include <string.h>
#include "machine.h"

void machine_free(struct machine *m)
{
	for (int i = 0; m->vms && i < m->n_vms; i++) {
		struct mach_vm *vm = &m->vms[i];
		free(vm->name);
		free(vm->program);
		free(vm->program_path);
		for (int j = 0; vm->args && j < vm->n_args; j++)
			free(vm->args[j].str);
		free(vm->args);
		for (int j = 0; vm->shmem && j < vm->n_shmem; j++) {
			free(vm->shmem[j].cfg.acl);
			free(vm->shmem[j].cfg.creates);
		}
		free(vm->shmem);
	}
	free(m->vms);
	for (int i = 0; m->host && i < m->n_host; i++) {
		free(m->host[i].id);
		free(m->host[i].name);
		free(m->host[i].data);
	}
	free(m->host);
	memset(m, 0, sizeof(*m));
}
