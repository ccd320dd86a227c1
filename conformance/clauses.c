/* clauses.c - SPEC.md rule IDs in document order, with short titles.
 * Keep in step with SPEC.md: every **XXX-n** rule there has a row here. */
#include <string.h>
#include "clauses.h"

static const struct { const char *id, *title; } rows[] = {
	{ "FAC-1", "Factory page per instance" },
	{ "FAC-2", "Factory register map" },
	{ "FAC-3", "Access widths; one store, one request" },
	{ "FAC-4", "Name reads back as written" },
	{ "FAC-5", "Status values" },
	{ "FAC-6", "Request completes within its store" },
	{ "CRE-1", "Size write creates or attaches" },
	{ "CRE-2", "First creator fixes the size" },
	{ "CRE-3", "Every request makes a new connection" },
	{ "CRE-4", "Connection layout and placement" },
	{ "CRE-5", "Connections share the data bytes" },
	{ "CRE-6", "Failure statuses and their order" },
	{ "CRE-7", "Find request" },
	{ "CRE-8", "Size zero request" },
	{ "NAM-1", "Name is 1..31 bytes plus NUL" },
	{ "NAM-2", "Illegal names" },
	{ "NAM-3", "One global name space" },
	{ "CTL-1", "Control page register map" },
	{ "CTL-2", "Status read clears pending bits" },
	{ "CTL-3", "Index allocation" },
	{ "CTL-4", "At most 16 connections per region" },
	{ "NTF-1", "Notify sets pending bits, raises IRQ" },
	{ "NTF-2", "Broadcast and self-notify masks" },
	{ "NTF-3", "Dead targets and zero mask ignored" },
	{ "NTF-4", "Pending bits coalesce" },
	{ "NTF-5", "Data visible before the interrupt" },
	{ "IRQ-1", "One interrupt line per instance" },
	{ "IRQ-2", "Notify and attach-list events" },
	{ "IRQ-3", "Level or edge trigger" },
	{ "IRQ-4", "No IRQ for unrelated regions" },
	{ "PCI-1", "PCI function presentation" },
	{ "PCI-2", "BAR sizing and decoding" },
	{ "DET-1", "Detach ends the connection" },
	{ "DET-2", "Pending bits of a detached peer" },
	{ "DET-3", "Region lifetime" },
	{ "DET-4", "A stopped VM detaches everything" },
	{ "ACL-1", "Allow/deny rules, first match" },
	{ "ACL-2", "create option" },
	{ "ACL-3", "ACL applies to every request" },
	{ "ACL-4", "Reach through another instance" },
	{ "ACL-5", "Name substitution (subst)" },
	{ "HST-1", "Host connections" },
	{ "HST-2", "Host notify masks" },
	{ "GIC-1", "Distributor registers" },
	{ "GIC-2", "CPU interface registers" },
	{ "GIC-3", "Level and edge pending state" },
	{ "GIC-4", "Unimplemented offsets RAZ/WI" },
	{ "GIC-5", "IRQ taken at an instruction boundary" },
	{ "GIC-6", "WFI sleeps until an interrupt" },
	{ "GIC-7", "Deterministic delivery" },
	{ "GIC-8", "Scheduling points" },
	{ "PLT-1", "Memory map and platform devices" },
	{ "PLT-2", "Guest start state" },
	{ "PLT-3", "VMs are isolated" },
	{ "PLT-4", "Faults stop the VM" },
};

const char *const spec_clauses[] = {
	"FAC-1", "FAC-2", "FAC-3", "FAC-4", "FAC-5", "FAC-6", "CRE-1", "CRE-2", "CRE-3",
	"CRE-4", "CRE-5", "CRE-6", "CRE-7", "CRE-8", "NAM-1", "NAM-2", "NAM-3", "CTL-1",
	"CTL-2", "CTL-3", "CTL-4", "NTF-1", "NTF-2", "NTF-3", "NTF-4", "NTF-5", "IRQ-1",
	"IRQ-2", "IRQ-3", "IRQ-4", "PCI-1", "PCI-2", "DET-1", "DET-2", "DET-3", "DET-4",
	"ACL-1", "ACL-2", "ACL-3", "ACL-4", "ACL-5", "HST-1", "HST-2", "GIC-1", "GIC-2",
	"GIC-3", "GIC-4", "GIC-5", "GIC-6", "GIC-7", "GIC-8", "PLT-1", "PLT-2", "PLT-3",
	"PLT-4",
};

const int n_spec_clauses = (int)(sizeof(spec_clauses) / sizeof(spec_clauses[0]));

_Static_assert(sizeof(spec_clauses) / sizeof(spec_clauses[0]) == sizeof(rows) / sizeof(rows[0]),
	       "spec_clauses and rows list the same rules");

const char *clause_title(const char *id)
{
	for (size_t i = 0; id && i < sizeof(rows) / sizeof(rows[0]); i++)
		if (!strcmp(rows[i].id, id))
			return rows[i].title;
	return NULL;
}

static const struct { const char *prefix, *title; } sections[] = {
	{ "FAC", "Factory page" },
	{ "CRE", "Create, attach, find" },
	{ "NAM", "Names" },
	{ "CTL", "Control page" },
	{ "NTF", "Notify" },
	{ "IRQ", "Interrupts raised by the device" },
	{ "PCI", "PCI presentation" },
	{ "DET", "Detach and lifetime" },
	{ "ACL", "Instance configuration (ACL)" },
	{ "HST", "Host side" },
	{ "GIC", "Interrupt controller (GIC)" },
	{ "PLT", "Platform" },
};

const char *clause_section(const char *id)
{
	for (size_t i = 0; id && i < sizeof(sections) / sizeof(sections[0]); i++)
		if (!strncmp(id, sections[i].prefix, 3) && id[3] == '-')
			return sections[i].title;
	return NULL;
}
