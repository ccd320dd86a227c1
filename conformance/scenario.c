/* scenario.c - a parsed scenario as data: looking up its VMs, its schedule,
 * releasing it. Loading and validation: scenario_load.c. */
#include <stdlib.h>
#include <string.h>
#include "scenario.h"

int sc_vm_index(const struct scenario *sc, const char *name)
{
	for (int i = 0; i < sc->m.n_vms; i++)
		if (sc->m.vms[i].name && !strcmp(sc->m.vms[i].name, name))
			return i;
	return -1;
}


void scenario_schedule(const struct scenario *sc, struct schedule *out)
{
	memset(out, 0, sizeof(*out));
	out->policy = sc->policy == POLICY_RANDOM ? SCHED_RANDOM : SCHED_RR;
	out->seed = sc->seed;
	out->quantum = sc->quantum;
}

bool sc_clause_id_ok(const char *s)
{
	size_t a = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
	size_t d = strspn(s + a + (s[a] == '-'), "0123456789");
	return a && s[a] == '-' && d && !s[a + 1 + d];
}

void sc_expect_free(struct sc_expect *e)
{
	for (int i = 0; e->clauses && i < e->n_clauses; i++)
		free(e->clauses[i]);
	free(e->clauses);
	free(e->where);
	free(e->text);
	free(e->ids);
	free(e->data);
	for (int i = 0; e->events && i < e->n_events; i++)
		free(e->events[i].str);
	free(e->events);
	free(e->race[0].function);
	free(e->race[1].function);
	memset(e, 0, sizeof(*e));
}

void scenario_free(struct scenario *sc)
{
	free(sc->file);
	free(sc->name);
	free(sc->description);
	for (int i = 0; sc->clauses && i < sc->n_clauses; i++)
		free(sc->clauses[i]);
	free(sc->clauses);
	machine_free(&sc->m);
	for (int i = 0; sc->expect && i < sc->n_expect; i++)
		sc_expect_free(&sc->expect[i]);
	free(sc->expect);
	memset(sc, 0, sizeof(*sc));
}

