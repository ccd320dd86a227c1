/* scenario_load.h - a scenario file (CONTRACT section 3) read, checked and
 * turned into a struct scenario. */
#ifndef HVSIM_SCENARIO_LOAD_H
#define HVSIM_SCENARIO_LOAD_H

#include <stddef.h>
#include "scenario.h"

/* Overrides from the command line, applied after parsing (CONTRACT 1). */
struct sc_overrides {
	bool has_seed; uint64_t seed;
	const char **profile_kv; int n_profile;   /* "KEY=VALUE" */
	const char *guest_dir;                    /* build/guests */
	bool races;                               /* --races: race mode on (docs/races.md) */
};

/* Load and validate a scenario file. Returns 0, or -1 with a message in err
 * naming the file, the JSON path and (syntax errors) line and column. */
int scenario_load(const char *path, const struct sc_overrides *ov,
		  struct scenario *sc, char *err, size_t errlen);

/* The same for a file's text already in memory (len bytes, no NUL needed
 * at the end; an embedded NUL is an error as in a file). path names it in
 * messages and gives the default scenario name. */
int scenario_load_mem(const char *path, const char *data, size_t len,
		      const struct sc_overrides *ov, struct scenario *sc, char *err, size_t errlen);

/* Check every vms[i].program_path as `run` will load it (sim/loader.h
 * elf_check: a regular file, opened without blocking; an ELF64 little-endian
 * AArch64 executable whose PT_LOAD segments lie in the VM's RAM). Not done by
 * scenario_load, so scenarios can be linted before guests are built.
 * Returns 0, or -1 with "FILE: vms[i].program: PATH: what is wrong". */
int scenario_check_files(const struct scenario *sc, char *err, size_t errlen);

#endif
