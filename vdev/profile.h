/* profile.h - the profile switches of SPEC section 9: where the public QNX
 * documents are silent, each reading is a named switch with a default. */
#ifndef HVSIM_PROFILE_H
#define HVSIM_PROFILE_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>

enum prof_size_zero     { SZ_ATTACH_ONLY, SZ_INVALID, SZ_EMPTY };            /* CRE-8 */
enum prof_find          { FIND_BY_INDEX, FIND_ATTACH_ONLY };                 /* CRE-7 */
enum prof_unterminated  { UNTERM_REJECT, UNTERM_TRUNCATE };                  /* NAM-2 */
enum prof_self_notify   { SELF_ALLOWED, SELF_MASKED };                       /* NTF-2 */
enum prof_irq_trigger   { TRIG_LEVEL, TRIG_EDGE };                           /* IRQ-3 */
enum prof_det_pending   { DETP_KEEP, DETP_CLEAR };                           /* DET-2 */
enum prof_lifetime      { LIFE_DESTROY_ON_LAST, LIFE_PERSIST };              /* DET-3 */
enum prof_index_alloc   { IDX_LOWEST_FREE, IDX_ROUND_ROBIN };                /* CTL-3 */
enum prof_failure_regs  { FREGS_UNCHANGED, FREGS_ZEROED };                   /* CRE-6 */
enum prof_fault_deliv   { FAULT_STOP, FAULT_GUEST };                         /* PLT-4 */

struct profile {
	enum prof_size_zero size_zero;
	enum prof_find find;
	enum prof_unterminated name_unterminated;
	enum prof_self_notify self_notify;
	enum prof_irq_trigger irq_trigger;
	bool attach_irq_self;                 /* IRQ-2 */
	enum prof_det_pending detached_pending;
	enum prof_lifetime region_lifetime;
	enum prof_index_alloc index_alloc;
	enum prof_failure_regs failure_regs;
	uint64_t connection_budget;           /* 0 = unlimited (CRE-6 step 7) */
	uint64_t memory_budget;               /* bytes, 0 = unlimited (CRE-6 step 5) */
	enum prof_fault_deliv fault_delivery;
};

/* The defaults of SPEC section 9 (all-zero is the default profile). */
void profile_default(struct profile *p);

/* Set one switch from its textual form ("irq_trigger", "edge"; budgets take
 * C-notation numbers with optional K/M/G; attach_irq_self "true"/"false").
 * Returns 0, or -1 with a message naming the key and the accepted values. */
int profile_set(struct profile *p, const char *key, const char *value,
		char *err, size_t errlen);

/* The textual value of one switch (for reports and the schedule); NULL if the
 * key is unknown. buf holds numbers. */
const char *profile_get(const struct profile *p, const char *key, char *buf, size_t buflen);

/* All keys, NULL-terminated, in SPEC order. */
extern const char *const profile_keys[];

/* Parse a C-notation unsigned number with optional K/M/G suffix (binary).
 * Returns 0 or -1 (not a number, overflow). */
int parse_size(const char *s, uint64_t *out);

#endif
