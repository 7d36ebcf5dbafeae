// SPDX-License-Identifier: GPL-2.0
/*
 * The cgroup tracepoints the mirror follows. Each mkdir and rmdir is queued
 * with a reference on its cgroup, for the worker to apply one by one; a
 * rename, or more events than the queue holds, asks for a full rescan
 * instead. The probes run under the tracepoint caller's spinlock, with
 * interrupts off: they only queue and kick.
 */
#include <linux/atomic.h>
#include <linux/cgroup.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/tracepoint.h>

#include "mirror.h"

static DEFINE_SPINLOCK(queue_lock);
static struct memacct_mirror_ev queue[MEMACCT_MIRROR_EVENTS];
static int queue_nr;
static bool queue_lost;		/* a rename or an overflow: rescan it all */
static atomic64_t seen;
static void (*kick_fn)(void);

enum { EV_MKDIR, EV_RMDIR, EV_RENAME, NR_EVENTS };

static const char *const names[NR_EVENTS] = {
	"cgroup_mkdir", "cgroup_rmdir", "cgroup_rename",
};

static struct tracepoint *tps[NR_EVENTS];

static void probe(void *data, struct cgroup *cgrp, const char *path)
{
	unsigned long type = (unsigned long)data, flags;

	atomic64_inc(&seen);
	spin_lock_irqsave(&queue_lock, flags);
	if (type == EV_RENAME || queue_nr == MEMACCT_MIRROR_EVENTS) {
		queue_lost = true;
	} else {
		cgroup_get(cgrp);
		queue[queue_nr].cgrp = cgrp;
		queue[queue_nr].mkdir = type == EV_MKDIR;
		queue_nr++;
	}
	spin_unlock_irqrestore(&queue_lock, flags);
	kick_fn();
}

/**
 * memacct_mirror_events_take() - the events queued since the last call.
 * @out: room for MEMACCT_MIRROR_EVENTS; the caller puts them when done.
 * @lost: set when some were not queued (the queue was full, or a cgroup
 *	  was renamed): the whole hierarchy must then be read again.
 *
 * Return: the number of events in @out.
 */
int memacct_mirror_events_take(struct memacct_mirror_ev *out, bool *lost)
{
	unsigned long flags;
	int nr;

	spin_lock_irqsave(&queue_lock, flags);
	nr = queue_nr;
	memcpy(out, queue, nr * sizeof(*out));
	queue_nr = 0;
	*lost = queue_lost;
	queue_lost = false;
	spin_unlock_irqrestore(&queue_lock, flags);
	return nr;
}

void memacct_mirror_events_put(struct memacct_mirror_ev *ev, int nr)
{
	while (nr)
		cgroup_put(ev[--nr].cgrp);
}

u64 memacct_mirror_events_seen(void)
{
	return atomic64_read(&seen);
}

static void find_tp(struct tracepoint *tp, void *priv)
{
	int i;

	for (i = 0; i < NR_EVENTS; i++)
		if (!strcmp(tp->name, names[i]))
			tps[i] = tp;
}

void memacct_mirror_events_start(void (*kick)(void))
{
	unsigned long i;

	kick_fn = kick;
	for_each_kernel_tracepoint(find_tp, NULL);
	for (i = 0; i < NR_EVENTS; i++) {
		if (tps[i] &&
		    tracepoint_probe_register(tps[i], probe, (void *)i))
			tps[i] = NULL;
		if (!tps[i])
			pr_info("no %s events: the mirror follows it within a second\n",
				names[i]);
	}
}

/* After this no probe runs; the events still queued are put. */
void memacct_mirror_events_stop(void)
{
	static struct memacct_mirror_ev left[MEMACCT_MIRROR_EVENTS];
	unsigned long i;
	bool lost;

	for (i = 0; i < NR_EVENTS; i++)
		if (tps[i])
			tracepoint_probe_unregister(tps[i], probe, (void *)i);
	tracepoint_synchronize_unregister();
	memacct_mirror_events_put(left, memacct_mirror_events_take(left, &lost));
}
