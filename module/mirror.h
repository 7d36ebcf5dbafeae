/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MEMACCT_MIRROR_H
#define MEMACCT_MIRROR_H

#include <linux/types.h>

struct cgroup;

/* A cgroup created or removed, queued by the tracepoints for the mirror. */
struct memacct_mirror_ev {
	struct cgroup *cgrp;	/* with a reference */
	bool mkdir;		/* else rmdir */
};

/* The most events queued between two runs of the mirror's worker. */
#define MEMACCT_MIRROR_EVENTS 2048

/* mirror_events.c: the cgroup tracepoints; @kick is called at each event. */
void memacct_mirror_events_start(void (*kick)(void));
void memacct_mirror_events_stop(void);
int memacct_mirror_events_take(struct memacct_mirror_ev *out, bool *lost);
void memacct_mirror_events_put(struct memacct_mirror_ev *ev, int nr);
u64 memacct_mirror_events_seen(void);

#endif /* MEMACCT_MIRROR_H */
