/* fuzz_scenario.c - libFuzzer harness for the scenario loader
 * (conformance/scenario_load.h, scenario_load_mem: the same code path as a
 * file, without the file).
 *
 * Any input must load or fail cleanly (ASan/UBSan watch memory and
 * arithmetic, libFuzzer's leak check watches the error paths), and:
 *
 *   CONTRACT 1  a failure is one line, "fuzz.json..." naming the file, with
 *               no control character (it is printed as "ERROR file: reason")
 *   CONTRACT 3  a success has 1 or more VMs with distinct names, and its
 *               profile reads back through profile_get/profile_set unchanged
 *   floors      the loader checks every rule so that sim/ can trust what it
 *               builds from: every shmem instance of a loaded scenario is
 *               accepted by the device model (shm_inst_new), VM by VM in one
 *               system, as sim/system.c builds them
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "conformance/scenario_load.h"
#include "vdev/shmem.h"

#define FILE_NAME "fuzz.json"


static void fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_scenario: invariant violated: %s: %s\n", what, detail);
	abort();
}

static void check_error(const char *err)
{
	if (strncmp(err, FILE_NAME, strlen(FILE_NAME)))
		fail("error does not name the file", err);
	for (const char *p = err; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7F)
			fail("error is not one printable line", err);
}

static void check_profile(const struct profile *p)
{
	struct profile q;
	char buf[64], err[256];

	profile_default(&q);
	for (int i = 0; profile_keys[i]; i++) {
		const char *v = profile_get(p, profile_keys[i], buf, sizeof(buf));
		if (!v || profile_set(&q, profile_keys[i], v, err, sizeof(err)))
			fail("profile value does not read back", profile_keys[i]);
	}
	if (memcmp(p, &q, sizeof(q)))
		fail("profile round trip", "profile_get/profile_set changed a switch");
}

/* The shmem part of what sim/system.c builds, with a plat that maps nothing. */
static void check_shmem_builds(const struct scenario *sc)
{
	static const struct plat none;
	struct shm_sys *s = shm_sys_new(&sc->m.profile, &none);
	char err[256];

	if (!s)
		abort();
	for (int v = 0; v < sc->m.n_vms; v++) {
		const struct mach_vm *vm = &sc->m.vms[v];
		for (int k = 0; k < vm->n_shmem; k++) {
			if (!shm_inst_new(s, &none, v, k, &vm->shmem[k].cfg, err, sizeof(err)))
				fail("loaded shmem configuration rejected by the model", err);
		}
	}
	shm_sys_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scenario sc;
	char err[1024];

	if (scenario_load_mem(FILE_NAME, (const char *)data, size, NULL, &sc, err,
			      sizeof(err))) {
		if (!err[0])
			fail("failure without a message", "");
		check_error(err);
		return 0;
	}
	if (sc.m.n_vms < 1)
		fail("loaded without VMs", sc.name);
	for (int i = 0; i < sc.m.n_vms; i++)
		if (!sc.m.vms[i].name || sc_vm_index(&sc, sc.m.vms[i].name) != i)
			fail("VM names not distinct", sc.m.vms[i].name ? sc.m.vms[i].name : "?");
	check_profile(&sc.m.profile);
	check_shmem_builds(&sc);
	scenario_free(&sc);
	return 0;
}
