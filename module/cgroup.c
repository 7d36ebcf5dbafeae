// SPDX-License-Identifier: GPL-2.0
/*
 * Memory cgroups: finding them by id, and the debugfs mirror of their
 * hierarchy (one directory per memcg with its stat and tasks files).
 *
 * The files carry the cgroup id, never a pointer: a read looks the memcg up
 * and fails with ENOENT once it is gone, so nothing the mirror frees can be
 * reached from an open file, even after its directory is removed.
 *
 * The mirror is brought up to date by one work item: at once when a cgroup
 * is created, removed or renamed (cgroup tracepoints), and every second,
 * since enabling or disabling the memory controller in a subtree creates
 * and kills memory csses without any event.
 */
#include <linux/atomic.h>
#include <linux/bsearch.h>
#include <linux/cgroup.h>
#include <linux/debugfs.h>
#include <linux/memcontrol.h>
#include <linux/nsproxy.h>
#include <linux/proc_ns.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/workqueue.h>

#include "cgroup.h"
#include "compat.h"
#include "files.h"
#include "task.h"

#define MEMACCT_MIRROR_POLL HZ
/*
 * Events are gathered for this long after a rebuild: a storm of mkdir and
 * rmdir (any user can make one in a delegated subtree) costs at most ten
 * rebuilds a second, and the mirror lags the last event by at most this.
 */
#define MEMACCT_MIRROR_QUIET (HZ / 10)

struct mirror_node {
	u64 id;
	char *path;		/* from the hierarchy root: "/", "/a", "/a/b" */
	struct dentry *dir;	/* NULL if it could not be created */
};

static struct dentry *mirror_root;
static struct mirror_node *mirror;	/* sorted by path: parents first */
static int mirror_nr;
static u64 *mirror_ids;			/* the ids the mirror was built from */
static int mirror_ids_nr;
static bool mirror_stopping, mirror_event;
static unsigned long mirror_built;	/* jiffies of the last rebuild */
static atomic64_t mirror_events, mirror_rebuilds;	/* since load */
static void mirror_sync(struct work_struct *work);
static DECLARE_DELAYED_WORK(mirror_work, mirror_sync);

struct mem_cgroup *memacct_root_memcg(void)
{
	return mem_cgroup_from_task(&init_task);
}

u64 memacct_memcg_id(struct mem_cgroup *memcg)
{
	return cgroup_id(memcg->css.cgroup);
}

struct mem_cgroup *memacct_memcg_get(u64 id)
{
	struct cgroup_subsys_state *css;
	struct mem_cgroup *root, *found = NULL;

	rcu_read_lock();
	root = memacct_root_memcg();
	if (root) {
		/*
		 * Toggling +memory in the parent leaves the cgroup's old css
		 * offline but listed, ahead of the new one, for as long as
		 * its pages pin it: go on past it.
		 */
		css_for_each_descendant_pre(css, &root->css) {
			if (cgroup_id(css->cgroup) == id &&
			    css_tryget_online(css)) {
				found = mem_cgroup_from_css(css);
				break;
			}
		}
	}
	rcu_read_unlock();
	return found;
}

int memacct_count_memcgs(void)
{
	struct cgroup_subsys_state *css;
	struct mem_cgroup *root;
	int nr = 0;

	rcu_read_lock();
	root = memacct_root_memcg();
	if (root)
		css_for_each_descendant_pre(css, &root->css)
			nr++;
	rcu_read_unlock();
	return nr;
}

/**
 * memacct_cgroup_path() - @cgrp's path, as the caller's cgroup namespace sees it.
 * @cgrp: a cgroup the caller keeps alive.
 * @buf: where to put it.
 * @len: the size of @buf.
 *
 * In the initial namespace (the mirror's worker, and root's shell on most
 * hosts) the path is kernfs's own, under kernfs_rename_lock:
 * cgroup_path_ns() would take cgroup_mutex, which every cgroup operation
 * on the host needs. kernfs cuts a path that does not fit to @len - 1 bytes
 * and returns that length, so a path of @len - 1 bytes or more is refused.
 *
 * Return: its length, -ENAMETOOLONG, or another -errno.
 */
int memacct_cgroup_path(struct cgroup *cgrp, char *buf, size_t len)
{
	struct cgroup_namespace *ns = current->nsproxy->cgroup_ns;
	int ret;

	if (ns->ns.inum == PROC_CGROUP_INIT_INO)
		ret = cgroup_path(cgrp, buf, len);
	else
		ret = cgroup_path_ns(cgrp, buf, len, ns);
	if (ret >= 0 && ret >= (int)len - 1)
		return -ENAMETOOLONG;
	return ret;
}

/* Is @task's memory charged within @root? As memacct_process_memcg(). */
bool memacct_task_in(struct task_struct *task, struct mem_cgroup *root)
{
	struct mem_cgroup *memcg = memacct_process_memcg(task);
	bool in = memcg && mem_cgroup_is_descendant(memcg, root);

	mem_cgroup_put(memcg);
	return in;
}

/* Names that memacct's own files use; a cgroup so named gets an '@'. */
static const char *const reserved[] = {
	"stat", "tasks", "task", "version", "summary",
	"internals",
};

/* The mirror's name for cgroup @name: '@' before reserved and '@' names. */
static const char *mirror_name(const char *name, char *buf, size_t len)
{
	int i;

	if (name[0] != '@') {
		for (i = 0; i < ARRAY_SIZE(reserved); i++)
			if (!strcmp(name, reserved[i]))
				break;
		if (i == ARRAY_SIZE(reserved))
			return name;
	}
	snprintf(buf, len, "@%s", name);
	return buf;
}

/*
 * Path order with '/' below every other character, so that a directory's
 * subtree follows it without a gap ("/a", "/a/b", "/a b").
 */
static int node_cmp(const void *a, const void *b)
{
	const unsigned char *p = (const unsigned char *)
				 ((const struct mirror_node *)a)->path;
	const unsigned char *q = (const unsigned char *)
				 ((const struct mirror_node *)b)->path;

	for (; *p && *p == *q; p++, q++)
		;
	if (*p == *q)
		return 0;
	/* The end of a path sorts first, then '/', then the rest. */
	if (!*p || !*q)
		return *p ? 1 : -1;
	if (*p == '/' || *q == '/')
		return *p == '/' ? -1 : 1;
	return *p < *q ? -1 : 1;
}

static void nodes_free(struct mirror_node *nodes, int nr)
{
	int i;

	for (i = 0; i < nr; i++)
		kfree(nodes[i].path);
	kvfree(nodes);
}

/**
 * memacct_collect_memcgs() - the online memcgs, parents before children.
 * @out: set to a kvmalloc'ed array of their csses, each with a reference.
 *
 * Return: their number, or -ENOMEM.
 */
int memacct_collect_memcgs(struct cgroup_subsys_state ***out)
{
	struct cgroup_subsys_state **css_arr, *css;
	struct mem_cgroup *root;
	int nr, cap = 64;

	for (;;) {
		css_arr = kvmalloc_array(cap, sizeof(*css_arr), GFP_KERNEL | __GFP_NOWARN);
		if (!css_arr)
			return -ENOMEM;
		nr = 0;
		rcu_read_lock();
		root = memacct_root_memcg();
		if (root) {
			css_for_each_descendant_pre(css, &root->css) {
				if (nr == cap)
					break;
				if (css_tryget_online(css))
					css_arr[nr++] = css;
			}
		}
		rcu_read_unlock();
		if (nr < cap) {
			*out = css_arr;
			return nr;
		}
		while (nr)
			css_put(css_arr[--nr]);
		kvfree(css_arr);
		cap *= 2;
	}
}

/* The hierarchy as it is now: id and path of every online memcg. */
static int snapshot(struct mirror_node **out)
{
	struct cgroup_subsys_state **css_arr;
	struct mirror_node *nodes;
	int nr, i, n = 0, ret = 0;
	char *buf;

	nr = memacct_collect_memcgs(&css_arr);
	if (nr < 0)
		return nr;
	nodes = kvcalloc(nr, sizeof(*nodes), GFP_KERNEL | __GFP_NOWARN);
	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	for (i = 0; i < nr; i++) {
		struct cgroup *cgrp = css_arr[i]->cgroup;

		/*
		 * The worker runs in the initial cgroup namespace. A path too
		 * long for PATH_MAX is not mirrored (nor is its subtree).
		 */
		if (nodes && buf && !ret &&
		    memacct_cgroup_path(cgrp, buf, PATH_MAX) > 0) {
			nodes[n].id = cgroup_id(cgrp);
			nodes[n].path = kstrdup(buf, GFP_KERNEL);
			if (!nodes[n].path)
				ret = -ENOMEM;
			else
				n++;
		}
		css_put(css_arr[i]);
	}
	kvfree(css_arr);
	kfree(buf);
	if (!nodes)
		return -ENOMEM;
	if (ret) {
		nodes_free(nodes, n);
		return ret;
	}
	sort(nodes, n, sizeof(*nodes), node_cmp, NULL);
	*out = nodes;
	return n;
}

static struct mirror_node *find_path(struct mirror_node *nodes, int nr,
				     const char *path)
{
	struct mirror_node key = { .path = (char *)path };

	return bsearch(&key, nodes, nr, sizeof(*nodes), node_cmp);
}

/* Is @path below @dir ("/a/b" is below "/a", "/ab" is not)? */
static bool path_below(const char *path, const char *dir)
{
	size_t len = strlen(dir);

	if (!strcmp(dir, "/"))
		return true;
	return !strncmp(path, dir, len) && path[len] == '/';
}

static struct dentry *create_dir(struct mirror_node *nodes, int i)
{
	struct mirror_node *n = &nodes[i], *parent;
	char *slash = strrchr(n->path, '/');
	void *id = (void *)(unsigned long)n->id;
	char name[NAME_MAX + 2];
	struct dentry *dir;

	/* The parent comes earlier in path order. */
	if (slash == n->path) {
		parent = find_path(nodes, i, "/");
	} else {
		*slash = '\0';
		parent = find_path(nodes, i, n->path);
		*slash = '/';
	}
	if (!parent || !parent->dir)
		return NULL;
	dir = debugfs_create_dir(mirror_name(slash + 1, name, sizeof(name)),
				 parent->dir);
	if (IS_ERR(dir)) {
		pr_warn_ratelimited("cannot mirror cgroup %s: %ld\n", n->path,
				    PTR_ERR(dir));
		return NULL;
	}
	/*
	 * No debugfs proxy: the files hold nothing but the id, so they stay
	 * safe after removal, and a read then fails with ENOENT (from the id
	 * lookup) rather than the proxy's EIO. An open file pins the module.
	 */
	debugfs_create_file_unsafe("stat", 0400, dir, id,
				   &memacct_cgroup_stat_fops);
	debugfs_create_file_unsafe("tasks", 0400, dir, id, &memacct_tasks_fops);
	return dir;
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/*
 * The ids of the online memcgs, sorted, without taking cgroup_mutex; the
 * same set, by the same test, that snapshot() builds the mirror from, so an
 * unchanged hierarchy compares equal.
 */
static int snapshot_ids(u64 **out)
{
	struct cgroup_subsys_state **css_arr;
	u64 *ids;
	int nr, i;

	nr = memacct_collect_memcgs(&css_arr);
	if (nr < 0)
		return nr;
	ids = kvmalloc_array(max(nr, 1), sizeof(*ids), GFP_KERNEL | __GFP_NOWARN);
	for (i = 0; i < nr; i++) {
		if (ids)
			ids[i] = cgroup_id(css_arr[i]->cgroup);
		css_put(css_arr[i]);
	}
	kvfree(css_arr);
	if (!ids)
		return -ENOMEM;
	sort(ids, nr, sizeof(*ids), cmp_u64, NULL);
	*out = ids;
	return nr;
}

static void mirror_sync(struct work_struct *work)
{
	struct mirror_node *nodes, *old;
	const char *gone = NULL;
	int nr, i, nr_ids;
	u64 *ids;

	/*
	 * The poll is cheap when nothing changed: the ids are compared first
	 * (no cgroup_mutex); paths are only worked out after a change or an
	 * event (a rename keeps the id).
	 */
	nr_ids = snapshot_ids(&ids);
	if (nr_ids < 0)
		goto again;
	if (!xchg(&mirror_event, false) && mirror_ids &&
	    nr_ids == mirror_ids_nr &&
	    !memcmp(ids, mirror_ids, nr_ids * sizeof(*ids))) {
		kvfree(ids);
		goto again;
	}
	kvfree(mirror_ids);
	mirror_ids = ids;
	mirror_ids_nr = nr_ids;
	WRITE_ONCE(mirror_built, jiffies);
	atomic64_inc(&mirror_rebuilds);

	nr = snapshot(&nodes);
	if (nr < 0) {
		/* Try again at the next poll. */
		WRITE_ONCE(mirror_event, true);
		goto again;
	}

	/*
	 * Keep what is unchanged, remove what vanished or changed. A removed
	 * directory takes its subtree with it: in path order that subtree
	 * follows it, and none of it is kept or removed again.
	 */
	for (i = 0; i < mirror_nr; i++) {
		struct mirror_node *n;

		old = &mirror[i];
		if (!old->dir || old->dir == mirror_root)
			continue;
		if (gone && path_below(old->path, gone))
			continue;
		n = find_path(nodes, nr, old->path);
		if (n && n->id == old->id) {
			n->dir = old->dir;
			continue;
		}
		debugfs_remove(old->dir);
		gone = old->path;
	}

	/*
	 * Then create what is new, parents first. What could not be created
	 * (no memory) is tried again at the next poll, not at the next event.
	 */
	for (i = 0; i < nr; i++) {
		if (nodes[i].dir)
			continue;
		if (!strcmp(nodes[i].path, "/"))
			nodes[i].dir = mirror_root;	/* its files are static */
		else
			nodes[i].dir = create_dir(nodes, i);
		if (!nodes[i].dir)
			WRITE_ONCE(mirror_event, true);
	}

	nodes_free(mirror, mirror_nr);
	mirror = nodes;
	mirror_nr = nr;
again:
	if (!READ_ONCE(mirror_stopping))
		queue_delayed_work(memacct_wq(), &mirror_work, MEMACCT_MIRROR_POLL);
}

/*
 * cgroup_mkdir, cgroup_rmdir, cgroup_rename: resync once the quiet time
 * after the last rebuild is over (at once if it is). Every event of a
 * burst moves the work to the same moment. Called under a spinlock.
 */
static void cgroup_event(void *data, struct cgroup *cgrp, const char *path)
{
	unsigned long due = READ_ONCE(mirror_built) + MEMACCT_MIRROR_QUIET;
	unsigned long now = jiffies;

	atomic64_inc(&mirror_events);
	WRITE_ONCE(mirror_event, true);
	if (!READ_ONCE(mirror_stopping))
		mod_delayed_work(memacct_wq(), &mirror_work,
				 time_after(due, now) ? due - now : 0);
}

void memacct_mirror_stats(u64 *events, u64 *rebuilds)
{
	*events = atomic64_read(&mirror_events);
	*rebuilds = atomic64_read(&mirror_rebuilds);
}

static const char *const events[] = {
	"cgroup_mkdir", "cgroup_rmdir", "cgroup_rename",
};

static struct tracepoint *event_tp[ARRAY_SIZE(events)];

static void find_event(struct tracepoint *tp, void *priv)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(events); i++)
		if (!strcmp(tp->name, events[i]))
			event_tp[i] = tp;
}

int memacct_mirror_start(struct dentry *root)
{
	int i;

	mirror_root = root;
	for_each_kernel_tracepoint(find_event, NULL);
	for (i = 0; i < ARRAY_SIZE(events); i++) {
		if (event_tp[i] &&
		    tracepoint_probe_register(event_tp[i], cgroup_event, NULL))
			event_tp[i] = NULL;
		if (!event_tp[i])
			pr_info("no %s events: the mirror follows it within a second\n",
				events[i]);
	}
	/* Build it in the worker: its cgroup namespace is the initial one. */
	mod_delayed_work(memacct_wq(), &mirror_work, 0);
	flush_delayed_work(&mirror_work);
	return 0;
}

void memacct_mirror_stop(void)
{
	int i;

	WRITE_ONCE(mirror_stopping, true);
	for (i = 0; i < ARRAY_SIZE(events); i++)
		if (event_tp[i])
			tracepoint_probe_unregister(event_tp[i], cgroup_event,
						    NULL);
	tracepoint_synchronize_unregister();
	cancel_delayed_work_sync(&mirror_work);
	/* The directories go with memacct's own (debugfs_remove is recursive). */
	nodes_free(mirror, mirror_nr);
	mirror = NULL;
	mirror_nr = 0;
	kvfree(mirror_ids);
	mirror_ids = NULL;
}
