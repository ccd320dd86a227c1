/* scenario.h - a scenario file (CONTRACT section 3) parsed into plain data:
 * the machine to build (sim/machine.h), its schedule, and what must happen.
 * scenario_load.h fills it from JSON and validates it. */
#ifndef HVSIM_SCENARIO_H
#define HVSIM_SCENARIO_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include "sim/machine.h"
#include "sim/sched.h"

#define SC_DEFAULT_QUANTUM    10000
#define SC_DEFAULT_SEED       1

enum sc_policy { POLICY_ROUND_ROBIN, POLICY_RANDOM };

/* An event pattern [VM, KIND, VALUE?] in expectations. */
struct sc_evpat {
	int vm;                 /* index, or EV_HOST (-1) */
	int kind;               /* enum ev_kind */
	bool has_value;
	int64_t value;          /* mark value, intid, exit code, notify mask */
	char *str;              /* fault kind, region name */
};

enum sc_expect_kind {
	EXP_EXIT, EXP_FAULT, EXP_CONSOLE, EXP_CONSOLE_RE, EXP_FAILS, EXP_IRQS,
	EXP_REGION, EXP_ORDER, EXP_NEVER, EXP_LATENCY, EXP_HOST_STATUS,
	EXP_RACES, EXP_RACE        /* race mode (docs/races.md) */
};

/* One access of an EXP_RACE: which actor, in which function, which way. */
struct sc_race_side {
	int vm;                 /* index, or EV_HOST (-1) */
	char *function;         /* NULL: any */
	char dir;               /* 'r', 'w', or 0: either */
};

struct sc_expect {
	enum sc_expect_kind kind;
	char *where;            /* JSON path: "expect[3]" */
	int vm;
	int64_t code;           /* EXP_EXIT */
	char *text;             /* console substring / regex; fault kind; region name; host id */
	bool has_addr; uint64_t addr;           /* EXP_FAULT */
	int64_t *ids; int n_ids;                /* EXP_FAILS */
	uint32_t intid; bool has_count, has_min, has_max;
	uint64_t count, min, max;               /* EXP_IRQS; max also EXP_LATENCY */
	/* EXP_REGION: each field optional */
	bool has_exists; bool exists;
	bool has_clients; uint32_t clients;
	bool has_peak; uint32_t peak_clients;
	bool has_pages; uint32_t pages;
	bool has_data; uint64_t data_offset; uint8_t *data; size_t data_len;
	struct sc_evpat *events; int n_events;  /* ORDER; NEVER (1); LATENCY (from, to) */
	int status;                              /* EXP_HOST_STATUS */
	int race_kind;                           /* EXP_RACE: enum race_kind, -1 any */
	struct sc_race_side race[2];             /* EXP_RACE: the two accesses, either order */
	/* "clause": the rule IDs this expectation checks. Without the key
	 * (n_clauses 0, clauses NULL) it checks the scenario's own list. */
	char **clauses; int n_clauses;
};

struct scenario {
	char *file;             /* path as given */
	char *name;
	char *description;
	/* The clause IDs the scenario names: the top-level list first (its
	 * n_listed entries, what an expectation without "clause" checks), then
	 * the IDs only expectations name, each once. */
	char **clauses; int n_clauses;
	int n_listed;
	struct machine m;       /* what sim/ builds: VMs, host steps, profile, bounds */
	uint64_t seed;
	enum sc_policy policy;
	uint32_t quantum;
	struct sc_expect *expect; int n_expect;
	uint32_t max_preemptions;
	uint64_t max_schedules;
};

/* Is s a clause ID, [A-Z]+-[0-9]+ ("CRE-1")? */
bool sc_clause_id_ok(const char *s);

/* Index of the VM named `name`, or -1. */
int sc_vm_index(const struct scenario *sc, const char *name);
void sc_expect_free(struct sc_expect *e);
void scenario_free(struct scenario *sc);

/* The schedule a scenario asks for (policy, seed, quantum). */
void scenario_schedule(const struct scenario *sc, struct schedule *out);

#endif
