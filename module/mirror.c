// SPDX-License-Identifier: GPL-2.0
/*
 * The debugfs mirror of the memory cgroup hierarchy: one directory per
 * memcg, with its stat and tasks files.
 *
 * The files carry the cgroup id, never a pointer: a read looks the memcg up
 * and fails with ENOENT once it is gone, so nothing the mirror frees can be
 * reached from an open file, even after its directory is removed.
 *
 * One work item keeps it up to date. It applies each mkdir and rmdir the
 * cgroup tracepoints queued (mirror_events.c), at most ten times a second
 * however many come: a storm of them in a delegated subtree costs the
 * host one batch per 100 ms, each event one path and one directory. It
 * reads the whole hierarchy again after a rename or a lost event, and when
 * the poll (every second, while no events come) finds the set of memcgs
 * changed without an event, as enabling or disabling the memory controller
 * in a subtree does.
 */
#include <linux/atomic.h>
#include <linux/bsearch.h>
#include <linux/cgroup.h>
#include <linux/debugfs.h>
#include <linux/memcontrol.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "cgroup.h"
#include "compat.h"
#include "files.h"
#include "mirror.h"
#include "objects.h"

#define MEMACCT_MIRROR_POLL HZ
/* A batch of events waits this long after the previous one. */
#define MEMACCT_MIRROR_QUIET (HZ / 10)

struct mirror_node {
	u64 id;
	char *path;		/* from the hierarchy root: "/", "/a", "/a/b" */
	struct dentry *dir;	/* NULL if it could not be created */
};

static struct dentry *mirror_root;
static struct mirror_node *mirror;	/* sorted by path: parents first */
static int mirror_nr, mirror_cap;
/* The ids of the online memcgs, as the mirror knows them: sorted. */
static u64 *mirror_ids;
static int mirror_ids_nr, mirror_ids_cap;
static bool mirror_stopping, mirror_stale;
static unsigned long mirror_ran;	/* jiffies of the last batch */
static atomic64_t mirror_updates, mirror_rebuilds;	/* since load */
static void mirror_sync(struct work_struct *work);
static DECLARE_DELAYED_WORK(mirror_work, mirror_sync);

/* Names that memacct's own files use; a cgroup so named gets an '@'. */
static const char *const reserved[] = {
	"stat", "tasks", "task", "version", "summary",
	"internals", "maps", "files",
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

/*
 * @nodes[i]'s directory, or NULL: then *@retry is set if that was for want
 * of memory (worth another try), and left alone otherwise.
 */
static struct dentry *create_dir(struct mirror_node *nodes, int i, bool *retry)
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
		if (PTR_ERR(dir) == -ENOMEM)
			*retry = true;
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
	debugfs_create_file_unsafe("maps", 0400, dir, id, &memacct_maps_fops);
	debugfs_create_file_unsafe("files", 0400, dir, id,
				   &memacct_cgroup_files_fops);
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

/*
 * Insert *@elem of @size bytes at @pos of the array *@arr of *@nr entries
 * and room for *@cap, growing it as needed.
 */
static int array_insert(void **arr, int *nr, int *cap, size_t size, int pos,
			const void *elem)
{
	char *a;

	if (*nr == *cap) {
		int ncap = max(16, 2 * *cap);

		a = kvmalloc_array(ncap, size, GFP_KERNEL | __GFP_NOWARN);
		if (!a)
			return -ENOMEM;
		if (*nr)
			memcpy(a, *arr, *nr * size);
		kvfree(*arr);
		*arr = a;
		*cap = ncap;
	}
	a = *arr;
	memmove(a + (pos + 1) * size, a + pos * size, (*nr - pos) * size);
	memcpy(a + pos * size, elem, size);
	(*nr)++;
	return 0;
}

/* Where *@key is in the sorted @base, or where it would go. */
static int lower_bound(const void *key, const void *base, int nr, size_t size,
		       int (*cmp)(const void *, const void *))
{
	int lo = 0, hi = nr;

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (cmp((const char *)base + mid * size, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int ids_pos(u64 id)
{
	return lower_bound(&id, mirror_ids, mirror_ids_nr, sizeof(*mirror_ids),
			   cmp_u64);
}

static int ids_add(u64 id)
{
	int pos = ids_pos(id);

	if (pos < mirror_ids_nr && mirror_ids[pos] == id)
		return 0;
	return array_insert((void **)&mirror_ids, &mirror_ids_nr,
			    &mirror_ids_cap, sizeof(*mirror_ids), pos, &id);
}

static void ids_del(u64 id)
{
	int pos = ids_pos(id);

	if (pos == mirror_ids_nr || mirror_ids[pos] != id)
		return;
	memmove(&mirror_ids[pos], &mirror_ids[pos + 1],
		(mirror_ids_nr - pos - 1) * sizeof(*mirror_ids));
	mirror_ids_nr--;
}

/*
 * A cgroup was created: if it has a memory css of its own, online, give it
 * a directory. Return: 0, or -errno when only a full rescan can tell.
 */
static int apply_mkdir(struct cgroup *cgrp, char *buf)
{
	struct mirror_node key = { .path = buf }, n = { .id = cgroup_id(cgrp) };
	struct cgroup_subsys_state *css;
	bool mine, retry = false;
	int pos, ret;

	css = cgroup_get_e_css(cgrp, &memory_cgrp_subsys);
	mine = css && css->cgroup == cgrp && css_tryget_online(css);
	if (mine)
		css_put(css);
	if (css)
		css_put(css);
	if (!mine)
		return 0;	/* no memory controller here, or already gone */
	ret = ids_add(n.id);
	if (ret)
		return ret;
	/* Too long for PATH_MAX: not mirrored, as in a full rescan. */
	if (memacct_cgroup_path(cgrp, buf, PATH_MAX) <= 0)
		return 0;
	pos = lower_bound(&key, mirror, mirror_nr, sizeof(*mirror), node_cmp);
	if (pos < mirror_nr && !strcmp(mirror[pos].path, buf))
		return mirror[pos].id == n.id ? 0 : -EEXIST;
	n.path = kstrdup(buf, GFP_KERNEL);
	if (!n.path)
		return -ENOMEM;
	ret = array_insert((void **)&mirror, &mirror_nr, &mirror_cap,
			   sizeof(*mirror), pos, &n);
	if (ret) {
		kfree(n.path);
		return ret;
	}
	mirror[pos].dir = create_dir(mirror, pos, &retry);
	return retry ? -ENOMEM : 0;
}

/* A cgroup was removed: its directory goes (it has no children left). */
static void apply_rmdir(struct cgroup *cgrp)
{
	u64 id = cgroup_id(cgrp);
	int i, end;

	ids_del(id);
	for (i = 0; i < mirror_nr && mirror[i].id != id; i++)
		;
	if (i == mirror_nr || mirror[i].dir == mirror_root)
		return;
	/* debugfs_remove() is recursive: drop what was below it too. */
	for (end = i + 1; end < mirror_nr &&
	     path_below(mirror[end].path, mirror[i].path); end++)
		kfree(mirror[end].path);
	debugfs_remove(mirror[i].dir);
	kfree(mirror[i].path);
	memmove(&mirror[i], &mirror[end], (mirror_nr - end) * sizeof(*mirror));
	mirror_nr -= end - i;
}

/* Apply the queued events; false when the whole hierarchy must be read. */
static bool apply_events(void)
{
	static struct memacct_mirror_ev ev[MEMACCT_MIRROR_EVENTS];
	bool lost, ok;
	char *buf;
	int nr, i;

	nr = memacct_mirror_events_take(ev, &lost);
	if (!nr)
		return !lost;
	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	ok = buf && !lost && mirror_ids;
	for (i = 0; i < nr && ok; i++) {
		if (ev[i].mkdir)
			ok = !apply_mkdir(ev[i].cgrp, buf);
		else
			apply_rmdir(ev[i].cgrp);
		atomic64_inc(&mirror_updates);
		cond_resched();
	}
	/* The quiet time runs from the end of the batch. */
	WRITE_ONCE(mirror_ran, jiffies);
	kfree(buf);
	memacct_mirror_events_put(ev, nr);
	return ok;
}

/* Read the whole hierarchy again and make the mirror match it. */
static void rebuild(u64 *ids, int nr_ids)
{
	struct mirror_node *nodes, *old;
	const char *gone = NULL;
	bool retry = false;
	int nr, i;

	kvfree(mirror_ids);
	mirror_ids = ids;
	mirror_ids_nr = nr_ids;
	mirror_ids_cap = nr_ids;

	nr = snapshot(&nodes);
	if (nr < 0) {
		/* Try again at the next poll. */
		WRITE_ONCE(mirror_stale, true);
		return;
	}
	atomic64_inc(&mirror_rebuilds);

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
			nodes[i].dir = create_dir(nodes, i, &retry);
	}
	if (retry)
		WRITE_ONCE(mirror_stale, true);

	nodes_free(mirror, mirror_nr);
	mirror = nodes;
	mirror_nr = nr;
	mirror_cap = nr;
	WRITE_ONCE(mirror_ran, jiffies);
}

static void mirror_sync(struct work_struct *work)
{
	bool stale;
	int nr_ids;
	u64 *ids;

	stale = !apply_events();
	stale = xchg(&mirror_stale, false) || stale;
	/*
	 * While events come, they say what changed. In a quiet moment, the
	 * ids are compared (no cgroup_mutex): the controller can be enabled
	 * or disabled in a subtree without an event.
	 */
	if (!stale && time_before(jiffies, READ_ONCE(mirror_ran) +
				  MEMACCT_MIRROR_POLL))
		goto again;
	nr_ids = snapshot_ids(&ids);
	if (nr_ids < 0) {
		WRITE_ONCE(mirror_stale, stale || READ_ONCE(mirror_stale));
		goto again;
	}
	if (!stale && mirror_ids && nr_ids == mirror_ids_nr &&
	    !memcmp(ids, mirror_ids, nr_ids * sizeof(*ids))) {
		kvfree(ids);
		goto again;
	}
	rebuild(ids, nr_ids);
again:
	if (!READ_ONCE(mirror_stopping))
		queue_delayed_work(memacct_wq(), &mirror_work, MEMACCT_MIRROR_POLL);
}

/*
 * At each event: run the worker once the quiet time after its last batch
 * is over (at once if it is). Every event of a burst moves it to the same
 * moment. Called under a spinlock.
 */
static void mirror_kick(void)
{
	unsigned long due = READ_ONCE(mirror_ran) + MEMACCT_MIRROR_QUIET;
	unsigned long now = jiffies;

	if (!READ_ONCE(mirror_stopping))
		mod_delayed_work(memacct_wq(), &mirror_work,
				 time_after(due, now) ? due - now : 0);
}

void memacct_mirror_stats(u64 *events, u64 *updates, u64 *rebuilds)
{
	*events = memacct_mirror_events_seen();
	*updates = atomic64_read(&mirror_updates);
	*rebuilds = atomic64_read(&mirror_rebuilds);
}

int memacct_mirror_start(struct dentry *root)
{
	mirror_root = root;
	/* No batch yet: the first poll compares the ids. */
	mirror_ran = jiffies - MEMACCT_MIRROR_POLL;
	memacct_mirror_events_start(mirror_kick);
	/* Build it in the worker: its cgroup namespace is the initial one. */
	WRITE_ONCE(mirror_stale, true);
	mod_delayed_work(memacct_wq(), &mirror_work, 0);
	flush_delayed_work(&mirror_work);
	return 0;
}

void memacct_mirror_stop(void)
{
	WRITE_ONCE(mirror_stopping, true);
	memacct_mirror_events_stop();
	cancel_delayed_work_sync(&mirror_work);
	/* The directories go with memacct's own (debugfs_remove is recursive). */
	nodes_free(mirror, mirror_nr);
	mirror = NULL;
	mirror_nr = 0;
	kvfree(mirror_ids);
	mirror_ids = NULL;
}
