/* replay.h - reverse execution for both debuggers (the prompt and the GDB
 * stub). A run is a deterministic function of its scenario and schedule, and
 * a debugged system keeps its history (system_journal): going back is
 * building the system afresh and repeating the history up to the earlier
 * point. The new system replaces the old one. What a debugger wrote into
 * memory or registers is not part of the history and is not repeated. */
#ifndef HVSIM_REPLAY_H
#define HVSIM_REPLAY_H

#include <stddef.h>
#include "system.h"

enum replay_what {
	REPLAY_BEGIN,    /* nothing earlier: the start of the run */
	REPLAY_STEP,     /* one instruction of the VM back */
	REPLAY_BREAK,    /* at a breakpoint of the debugged VM, not yet run */
	REPLAY_WATCH,    /* just after the access to a watched address */
};

struct replay_stop {
	enum replay_what what;
	int vm;                       /* the VM it names (the accessing one for a watch) */
	struct vm_watch_hit hit;      /* REPLAY_WATCH */
};

/* The whole system back to just before VM `vm` ran its last instruction. */
int replay_step_back(struct system **sp, int vm, struct replay_stop *out, char *err, size_t n);
/* Back to the last hit before now of a breakpoint of the debugged VM or of a
 * watchpoint (any VM's access), else to the start. 0, or -1 with a message
 * (then *sp is the old system, unchanged). */
int replay_continue_back(struct system **sp, struct replay_stop *out, char *err, size_t n);

#endif
