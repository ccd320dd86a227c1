/* profile.c - the profile switches of SPEC section 9 as text <-> enum.
 *
 * One table row per switch: its key, the textual values in enum order (the
 * first is the default, so an all-zero struct profile is the default profile)
 * and where the value lives. Budgets are numbers and attach_irq_self a boolean;
 * they have their own kinds of row. */
#include <stdio.h>
#include <stddef.h>
#include <string.h>
#include <inttypes.h>
#include "profile.h"

enum prof_type { PT_ENUM, PT_BOOL, PT_NUMBER };

struct prof_switch {
	const char *key;
	enum prof_type type;
	size_t off;                     /* offset of the field in struct profile */
	const char *const *values;      /* PT_ENUM: NULL-terminated, enum order */
};

#define VALUES(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define ENUM(k, field, ...) { k, PT_ENUM, offsetof(struct profile, field), VALUES(__VA_ARGS__) }

static const char *const bool_values[] = { "false", "true", NULL };

/* SPEC section 9, in table order. */
static const struct prof_switch switches[] = {
	ENUM("size_zero", size_zero, "attach-only", "invalid", "empty"),
	ENUM("find", find, "by-index", "attach-only"),
	ENUM("name_unterminated", name_unterminated, "reject", "truncate"),
	ENUM("self_notify", self_notify, "allowed", "masked"),
	ENUM("irq_trigger", irq_trigger, "level", "edge"),
	{ "attach_irq_self", PT_BOOL, offsetof(struct profile, attach_irq_self), bool_values },
	ENUM("detached_pending", detached_pending, "keep", "clear"),
	ENUM("region_lifetime", region_lifetime, "destroy-on-last", "persist"),
	ENUM("index_alloc", index_alloc, "lowest-free", "round-robin"),
	ENUM("failure_regs", failure_regs, "unchanged", "zeroed"),
	{ "connection_budget", PT_NUMBER, offsetof(struct profile, connection_budget), NULL },
	{ "memory_budget", PT_NUMBER, offsetof(struct profile, memory_budget), NULL },
	ENUM("fault_delivery", fault_delivery, "stop", "guest"),
};
#define N_SWITCHES (sizeof(switches) / sizeof(switches[0]))

/* The table stores enum values through int pointers. */
_Static_assert(sizeof(enum prof_size_zero) == sizeof(int) && sizeof(enum prof_find) == sizeof(int) &&
	       sizeof(enum prof_unterminated) == sizeof(int) &&
	       sizeof(enum prof_self_notify) == sizeof(int) &&
	       sizeof(enum prof_irq_trigger) == sizeof(int) &&
	       sizeof(enum prof_det_pending) == sizeof(int) &&
	       sizeof(enum prof_lifetime) == sizeof(int) &&
	       sizeof(enum prof_index_alloc) == sizeof(int) &&
	       sizeof(enum prof_failure_regs) == sizeof(int) &&
	       sizeof(enum prof_fault_deliv) == sizeof(int), "profile enums are int-sized");

const char *const profile_keys[] = {
	"size_zero", "find", "name_unterminated", "self_notify", "irq_trigger",
	"attach_irq_self", "detached_pending", "region_lifetime", "index_alloc",
	"failure_regs", "connection_budget", "memory_budget", "fault_delivery", NULL,
};

void profile_default(struct profile *p)
{
	memset(p, 0, sizeof(*p));
}

static const struct prof_switch *find_switch(const char *key)
{
	for (size_t i = 0; i < N_SWITCHES; i++)
		if (!strcmp(switches[i].key, key))
			return &switches[i];
	return NULL;
}

/* Append "a, b, c" to the string in buf, truncating quietly. */
static void append_list(char *buf, size_t size, const char *const *items)
{
	size_t len = strlen(buf);
	for (int i = 0; items[i] && len < size; i++) {
		int n = snprintf(buf + len, size - len, "%s%s", i ? ", " : "", items[i]);
		if (n < 0)
			break;
		len += (size_t)n;
	}
}

int profile_set(struct profile *p, const char *key, const char *value,
		char *err, size_t errlen)
{
	const struct prof_switch *sw = find_switch(key);
	char *field;

	if (!sw) {
		snprintf(err, errlen, "unknown profile key '%s' (keys: ", key);
		append_list(err, errlen, profile_keys);
		size_t len = strlen(err);
		snprintf(err + len, errlen - len, ")");
		return -1;
	}
	field = (char *)p + sw->off;
	switch (sw->type) {
	case PT_ENUM:
	case PT_BOOL:
		for (int i = 0; sw->values[i]; i++) {
			if (strcmp(sw->values[i], value))
				continue;
			if (sw->type == PT_BOOL)
				*(bool *)field = i;
			else
				*(int *)field = i;   /* every profile enum is int-sized */
			return 0;
		}
		snprintf(err, errlen, "bad value '%s' for %s (accepted: ", value, key);
		append_list(err, errlen, sw->values);
		size_t len = strlen(err);
		snprintf(err + len, errlen - len, ")");
		return -1;
	case PT_NUMBER: {
		uint64_t v;
		if (parse_size(value, &v)) {
			snprintf(err, errlen, "bad value '%s' for %s (accepted: a number, "
				 "decimal or 0x hex, optional K/M/G suffix; 0 = unlimited)",
				 value, key);
			return -1;
		}
		*(uint64_t *)field = v;
		return 0;
	}
	}
	return -1;
}

const char *profile_get(const struct profile *p, const char *key, char *buf, size_t buflen)
{
	const struct prof_switch *sw = find_switch(key);
	const char *field;

	if (!sw)
		return NULL;
	field = (const char *)p + sw->off;
	switch (sw->type) {
	case PT_BOOL:
		return sw->values[*(const bool *)field ? 1 : 0];
	case PT_ENUM: {
		int v = *(const int *)field;
		for (int i = 0; sw->values[i]; i++)
			if (i == v)
				return sw->values[i];
		return "?";
	}
	case PT_NUMBER:
		snprintf(buf, buflen, "%" PRIu64, *(const uint64_t *)field);
		return buf;
	}
	return NULL;
}

static int digit_value(char c, int base)
{
	int d;
	if (c >= '0' && c <= '9')
		d = c - '0';
	else if (c >= 'a' && c <= 'f')
		d = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		d = c - 'A' + 10;
	else
		return -1;
	return d < base ? d : -1;
}

/* Decimal ("4096"), hex ("0x1000"), then an optional K, M or G (any case) for
 * 2^10, 2^20, 2^30. No sign, no spaces, no octal: a leading 0 followed by
 * digits is refused rather than read as octal or decimal (either reading
 * would surprise someone). */
int parse_size(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	int base = 10, ndig = 0, shift = 0;

	if (!s)
		return -1;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	} else if (s[0] == '0' && s[1] >= '0' && s[1] <= '9') {
		return -1;
	}
	for (int d; (d = digit_value(*s, base)) >= 0; s++, ndig++) {
		if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			return -1;
		v = v * (uint64_t)base + (uint64_t)d;
	}
	if (!ndig)
		return -1;
	switch (*s) {
	case 'k': case 'K': shift = 10; s++; break;
	case 'm': case 'M': shift = 20; s++; break;
	case 'g': case 'G': shift = 30; s++; break;
	}
	if (*s)
		return -1;
	if (shift && v > (UINT64_MAX >> shift))
		return -1;
	*out = v << shift;
	return 0;
}
