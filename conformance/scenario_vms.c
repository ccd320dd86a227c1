/* scenario_vms.c - the `vms` array of a scenario (CONTRACT section 3): names,
 * programs, args, RAM and each VM's shmem instances, into the machine
 * description's VMs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <inttypes.h>
#include <unistd.h>
#include "scenario_vms.h"
#include "scenario_shmem.h"

#define RAM_MIN          (64ull << 10)
#define RAM_MAX          (1ull << 30)
/* Bounds of this implementation (checks are quadratic in them, and each VM
 * is a Unicorn engine). */
#define MAX_VMS          64
#define MAX_SHMEM        64                    /* per VM */

int sc_unknown_vm(struct jctx *c, const char *path, const struct scenario *sc, const char *name)
{
	char list[256] = "";
	size_t len = 0;

	for (int i = 0; i < sc->m.n_vms && sc->m.vms[i].name && len < sizeof(list); i++) {
		int n = snprintf(list + len, sizeof(list) - len, "%s%s", i ? ", " : "",
				 sc->m.vms[i].name);
		if (n < 0)
			break;
		len += (size_t)n;
	}
	return jerr(c, path, "unknown VM '%s' (VMs: %s)", name, list);
}


/* ---- VMs -------------------------------------------------------------- */

/* CONTRACT 3: a library name -> GUEST_DIR/NAME.elf; with '/' or ".elf", a
 * path relative to the scenario file's directory. */
static int resolve_program(struct jctx *c, const char *path, const char *prog,
			   const char *guest_dir, char **out)
{
	size_t n = strlen(prog);
	bool is_path = strchr(prog, '/') || (n >= 4 && !strcmp(prog + n - 4, ".elf"));
	char *s;

	if (!n)
		return jerr(c, path, "empty program name");
	if (!is_path) {
		if (!str_all_of(prog, CHARS_LOWER_DIGITS CHARS_UPPER "_-"))
			return jerr(c, path, "'%s' is neither a guest library name ([A-Za-z0-9_-]+) "
				    "nor a path (containing '/' or ending in .elf)", prog);
		if (asprintf(&s, "%s/%s.elf", guest_dir, prog) < 0)
			return jerr(c, path, "out of memory");
	} else if (prog[0] == '/') {
		s = strdup(prog);
	} else {
		const char *slash = strrchr(c->file, '/');
		int dirlen = slash ? (int)(slash - c->file) : 0;
		if (!slash)
			s = strdup(prog);
		else if (asprintf(&s, "%.*s/%s", dirlen, c->file, prog) < 0)
			s = NULL;
	}
	if (!s)
		return jerr(c, path, "out of memory");
	*out = s;
	return 0;
}

static int parse_args(struct jctx *c, const cJSON *vmobj, const char *vpath, struct mach_vm *vm)
{
	const cJSON *arr = NULL, *v;
	char apath[JPATH_MAX], p[JPATH_MAX];
	int i = 0, r;

	if ((r = jget_array(c, vmobj, vpath, "args", false, &arr)) <= 0)
		return r;
	jpath_key(apath, vpath, "args");
	vm->n_args = cJSON_GetArraySize(arr);
	vm->args = calloc((size_t)vm->n_args + 1, sizeof(*vm->args));
	if (!vm->args)
		return jerr(c, apath, "out of memory");
	cJSON_ArrayForEach(v, arr) {
		struct mach_arg *a = &vm->args[i];
		jpath_idx(p, apath, i++);
		if (cJSON_IsString(v)) {
			a->is_string = true;
			if (jdup(c, p, v->valuestring, &a->str))
				return -1;
		} else if (cJSON_IsNumber(v)) {
			int64_t n = 0;
			double d = v->valuedouble;
			if (!(d >= -2147483648.0 && d <= 2147483648.0))
				return jerr(c, p, "integer args are JSON numbers of at most 2^31 in "
					    "magnitude (a string arg is passed as a string)");
			if (jv_i64(c, v, p, &n))
				return -1;
			a->num = (uint64_t)n;
		} else {
			return jerr(c, p, "expected a number or a string, got %s", jtype_name(v));
		}
	}
	return 0;
}

static int parse_vm(struct jctx *c, const cJSON *obj, int v, struct scenario *sc,
		    const char *guest_dir)
{
	static const char *const keys[] = { "name", "program", "args", "ram", "shmem", NULL };
	struct mach_vm *vm = &sc->m.vms[v];
	const cJSON *shmem = NULL, *s;
	const char *name = NULL, *prog = NULL;
	char path[JPATH_MAX], p[JPATH_MAX];
	int r;

	jpath_idx(path, "vms", v);
	if (jcheck_object(c, obj, path, keys))
		return -1;
	if (jget_string(c, obj, path, "name", true, &name) < 0)
		return -1;
	jpath_key(p, path, "name");
	if (!str_all_of(name, CHARS_LOWER_DIGITS "_-"))
		return jerr(c, p, "'%s' is not a VM name ([a-z0-9_-]+)", name);
	if (!strcmp(name, "host"))
		return jerr(c, p, "'host' is reserved: events use it for the hypervisor host");
	int other = sc_vm_index(sc, name);
	if (other >= 0)
		return jerr(c, p, "'%s' is already the name of vms[%d]", name, other);
	if (jdup(c, p, name, &vm->name))
		return -1;
	if (jget_string(c, obj, path, "program", true, &prog) < 0)
		return -1;
	jpath_key(p, path, "program");
	if (jdup(c, p, prog, &vm->program) ||
	    resolve_program(c, p, prog, guest_dir, &vm->program_path))
		return -1;
	if (parse_args(c, obj, path, vm))
		return -1;
	vm->ram = MACH_DEFAULT_RAM;
	if ((r = jget_u64(c, obj, path, "ram", false, 0, UINT64_MAX, &vm->ram)) < 0)
		return -1;
	jpath_key(p, path, "ram");
	if (r && (vm->ram < RAM_MIN || vm->ram > RAM_MAX))
		return jerr(c, p, "%" PRIu64 " bytes is out of range (64K..1G)", vm->ram);
	if (r && vm->ram % SHM_PAGE)
		return jerr(c, p, "%" PRIu64 " bytes is not a multiple of 4K", vm->ram);
	if ((r = jget_array(c, obj, path, "shmem", false, &shmem)) <= 0)
		return r;
	jpath_key(p, path, "shmem");
	if (cJSON_GetArraySize(shmem) > MAX_SHMEM)
		return jerr(c, p, "%d instances: at most %d", cJSON_GetArraySize(shmem), MAX_SHMEM);
	vm->n_shmem = cJSON_GetArraySize(shmem);
	vm->shmem = calloc((size_t)vm->n_shmem + 1, sizeof(*vm->shmem));
	if (!vm->shmem)
		return jerr(c, p, "out of memory");
	int k = 0;
	cJSON_ArrayForEach(s, shmem) {
		char sp[JPATH_MAX];
		jpath_idx(sp, p, k);
		if (sc_parse_shmem(c, s, sp, &vm->shmem[k++]))
			return -1;
	}
	return sc_check_layout(c, vm, v);
}

int sc_parse_vms(struct jctx *c, const cJSON *root, struct scenario *sc, const char *guest_dir)
{
	const cJSON *arr = NULL, *v;
	int i = 0;

	if (jget_array(c, root, "", "vms", true, &arr) < 0)
		return -1;
	int n = cJSON_GetArraySize(arr);
	if (n == 0)
		return jerr(c, "vms", "empty: a scenario needs at least one VM");
	if (n > MAX_VMS)
		return jerr(c, "vms", "%d VMs: at most %d", n, MAX_VMS);
	sc->m.vms = calloc((size_t)n, sizeof(*sc->m.vms));
	if (!sc->m.vms)
		return jerr(c, "vms", "out of memory");
	sc->m.n_vms = n;
	cJSON_ArrayForEach(v, arr)
		if (parse_vm(c, v, i++, sc, guest_dir))
			return -1;
	return sc_check_creates(c, &sc->m);
}

