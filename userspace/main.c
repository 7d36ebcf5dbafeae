// SPDX-License-Identifier: GPL-2.0
/*
 * memacct: read the memacct module's files and answer "where did my memory
 * go?", per cgroup and per process, and check other tools against them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memacct.h"

static const struct command {
	const char *name;
	const char *args;
	const char *help;
} commands[] = {
	{ "", "", "the memory cgroup tree: memory.current and its breakdown, largest first" },
	{ "cgroup", "PATH", "one cgroup: every counter, grouped, and its processes by USS" },
	{ "task", "PID", "one process: every counter, grouped (--go SOURCE: and the Go runtime's view walked to the kernel's)" },
	{ "explain", "PATH", "memory.current reconciled, and why ps, smem, docker stats and the kubelet differ (--go SOURCE: and its Go process's runtime)" },
	{ "validate", "[PID|PATH]", "compare the kernel's and the tools' numbers with memacct's; exit 1 on a mismatch" },
	{ "top", "", "a refreshing view of cgroups (or processes with -p)" },
	{ "maps", "PID", "one process's mappings, grouped by what backs them (file, heap, stack, anonymous), largest first" },
	{ "files", "PATH", "what a cgroup's processes map, by file, library or kind of memory, each page once: its cost, and who is charged" },
	{ "snapshot", "[PATH]", "every cgroup's counters (or PATH's) and its processes' now, as one line of JSON (to stdout, or -o FILE)" },
	{ "diff", "A [B]", "what moved between snapshots A and B (or a recording's first and last), largest first, in plain words" },
	{ "report", "PATH|RECORDING [CGROUP]", "one HTML page (inline SVG): the sum of RSS walked to memory.current, its categories, the processes; a recording's over time (-o FILE.html)" },
	{ "export", "--textfile DIR", "every cgroup's counters for Prometheus, as DIR/memacct.prom (node_exporter's textfile collector), written whole" },
	{ "watch", "PATH", "a snapshot every -d seconds and a line of what moved; -o FILE appends the snapshots (a recording)" },
};

static void usage(FILE *f, const char *only)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		const struct command *c = &commands[i];

		if (only && strcmp(only, c->name))
			continue;
		fprintf(f, "usage: memacct %s%s%s [options]\n  %s\n", c->name,
			*c->name ? " " : "", c->args, c->help);
	}
	fprintf(f, "options:\n"
		"  -b              bytes instead of human units\n"
		"  --json          one JSON document (every command)\n"
		"  --prometheus    Prometheus text format (the tree, cgroup)\n"
		"  --textfile DIR  export: the directory of node_exporter's textfile collector\n"
		"  -d SECONDS      top, watch: delay between refreshes (default 2)\n"
		"  -n COUNT        top, watch: stop after COUNT refreshes\n"
		"  -s COUNTER      top: sort by COUNTER (default memory_current, or rss with -p)\n"
		"  -p              top: processes instead of cgroups\n"
		"  -o FILE         snapshot, report: write FILE (whole, or not at all); watch: append to FILE\n"
		"  --go SOURCE     task, explain: reconcile with the Go runtime's MemStats, from an http:// URL\n"
		"                  of /debug/pprof/heap?debug=1 or /debug/vars, or a file saved from one\n"
		"  -h, --help      this help\n"
		"environment: MEMACCT_DIR (default /sys/kernel/debug/memacct), MEMACCT_CGROUP_ROOT (default /sys/fs/cgroup)\n"
		"exit status: 0 ok, 1 mismatch (validate), 2 usage, 3 not root, 4 module not loaded or\n"
		"  debugfs not mounted, 5 no such cgroup or process, 6 unknown format, 7 other errors\n");
}

static int bad_usage(const char *cmd, const char *fmt, const char *arg)
{
	fprintf(stderr, "memacct: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	usage(stderr, cmd);
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
	struct opts o = { .fmt = FMT_HUMAN, .delay = 2 };
	const char *cmd = NULL, *arg = NULL, *arg2 = NULL;
	int i, ret;

	if (getenv("MEMACCT_DIR"))
		memacct_dir = getenv("MEMACCT_DIR");
	if (getenv("MEMACCT_CGROUP_ROOT"))
		cgroup_root = getenv("MEMACCT_CGROUP_ROOT");

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout, cmd);
			return EXIT_OK;
		} else if (!strcmp(a, "-b")) {
			o.bytes = true;
		} else if (!strcmp(a, "--json")) {
			o.fmt = FMT_JSON;
		} else if (!strcmp(a, "--prometheus")) {
			o.fmt = FMT_PROM;
		} else if (!strcmp(a, "--textfile")) {
			if (i + 1 == argc)
				return bad_usage(cmd, "%s needs a value", a);
			o.textfile = argv[++i];
			if (!*o.textfile)
				return bad_usage(cmd, "%s needs a directory", a);
		} else if (!strcmp(a, "--go")) {
			if (i + 1 == argc)
				return bad_usage(cmd, "%s needs a value", a);
			o.go = argv[++i];
		} else if (!strcmp(a, "-p")) {
			o.processes = true;
		} else if (!strcmp(a, "-d") || !strcmp(a, "-n") || !strcmp(a, "-s") ||
			   !strcmp(a, "-o")) {
			char *end;

			if (i + 1 == argc)
				return bad_usage(cmd, "%s needs a value", a);
			if (a[1] == 's' || a[1] == 'o') {
				*(a[1] == 's' ? &o.sort : &o.out) = argv[++i];
				continue;
			}
			if (a[1] == 'd') {
				o.delay = strtod(argv[++i], &end);
				/* finite: NaN and inf fail both tests */
				if (!(o.delay > 0 && o.delay <= 86400))
					return bad_usage(cmd, "bad value for %s (0 to 86400 seconds)", a);
			} else {
				long n = strtol(argv[++i], &end, 10);

				if (n < 0 || n > 1000000000)
					return bad_usage(cmd, "bad value for %s", a);
				o.iterations = (int)n;
			}
			if (*end)
				return bad_usage(cmd, "bad value for %s", a);
		} else if (a[0] == '-' && a[1]) {
			return bad_usage(cmd, "unknown option %s", a);
		} else if (!cmd) {
			cmd = a;
		} else if (!arg) {
			arg = a;
		} else if (!arg2 && cmd && (!strcmp(cmd, "diff") || !strcmp(cmd, "report"))) {
			arg2 = a;
		} else {
			return bad_usage(cmd, "unexpected argument %s", a);
		}
	}
	if (!cmd)
		cmd = "";
	for (i = 0; i < (int)(sizeof(commands) / sizeof(commands[0])); i++)
		if (!strcmp(cmd, commands[i].name))
			break;
	if (i == (int)(sizeof(commands) / sizeof(commands[0])))
		return bad_usage(NULL, "unknown command %s", cmd);
	if (o.fmt == FMT_PROM && *cmd && strcmp(cmd, "cgroup"))
		return bad_usage(cmd, "--prometheus is for the tree and cgroup, not %s", cmd);
	if ((!strcmp(cmd, "cgroup") || !strcmp(cmd, "task") ||
	     !strcmp(cmd, "explain") || !strcmp(cmd, "maps") ||
	     !strcmp(cmd, "files") || !strcmp(cmd, "diff") ||
	     !strcmp(cmd, "watch") || !strcmp(cmd, "report")) && !arg)
		return bad_usage(cmd, "%s needs an argument", cmd);
	if (!strcmp(cmd, "export") && !o.textfile)
		return bad_usage(cmd, "export needs --textfile DIR", NULL);
	if (o.textfile && strcmp(cmd, "export"))
		return bad_usage(cmd, "--textfile is for export, not %s", *cmd ? cmd : "the tree");
	if (!strcmp(cmd, "export") && (o.fmt != FMT_HUMAN || o.bytes))
		return bad_usage(cmd, "export writes Prometheus text: no %s", o.bytes ? "-b" : "--json");
	if ((!*cmd || !strcmp(cmd, "top") || !strcmp(cmd, "export")) && arg)
		return bad_usage(cmd, "unexpected argument %s", arg);

	if (o.go && strcmp(cmd, "task") && strcmp(cmd, "explain"))
		return bad_usage(cmd, "--go is for task and explain, not %s", cmd);
	if (o.out && strcmp(cmd, "snapshot") && strcmp(cmd, "watch") &&
	    strcmp(cmd, "report"))
		return bad_usage(cmd, "-o is for snapshot, watch and report, not %s", cmd);
	/* A diff reads files only: it needs neither root nor the module. */
	if (!strcmp(cmd, "diff"))
		return cmd_diff(&o, arg, arg2);
	/* So does the report of a recording: it checks for itself. */
	if (!strcmp(cmd, "report"))
		return cmd_report(&o, arg, arg2);

	ret = source_check();
	if (ret)
		return ret;
	if (!*cmd)
		return cmd_tree(&o);
	if (!strcmp(cmd, "cgroup"))
		return cmd_cgroup(&o, arg);
	if (!strcmp(cmd, "task"))
		return cmd_task(&o, arg);
	if (!strcmp(cmd, "explain"))
		return cmd_explain(&o, arg);
	if (!strcmp(cmd, "maps"))
		return cmd_maps(&o, arg);
	if (!strcmp(cmd, "files"))
		return cmd_files(&o, arg);
	if (!strcmp(cmd, "snapshot"))
		return cmd_snapshot(&o, arg);
	if (!strcmp(cmd, "watch"))
		return cmd_watch(&o, arg);
	if (!strcmp(cmd, "export"))
		return cmd_export(&o);
	if (!strcmp(cmd, "validate"))
		return cmd_validate(&o, arg);
	return cmd_top(&o);
}
