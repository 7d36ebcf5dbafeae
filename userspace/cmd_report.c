// SPDX-License-Identifier: GPL-2.0
/*
 * memacct report PATH|RECORDING [CGROUP] [-o FILE.html]: the HTML report of
 * a cgroup now, or of a recording (watch -o, or snapshots) over its time.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report.h"

int cmd_report(const struct opts *o, const char *what, const char *cgroup)
{
	struct snap *s = NULL;
	char path[4096], *html = NULL;
	size_t len = 0;
	struct stat st;
	int n = 0, ret;
	FILE *m;

	/* A cgroup is a directory: a regular file is a recording. */
	if (!stat(what, &st) && S_ISREG(st.st_mode)) {
		ret = snapshot_load(what, &s, &n);
		if (ret)
			return ret;
		cgroup_normalise(path, sizeof(path), cgroup ? cgroup : s[n - 1].scope);
	} else {
		char *text;

		/* Neither a file nor, without the module, a cgroup. */
		if (access(memacct_dir, F_OK) && errno == ENOENT) {
			fprintf(stderr, "memacct: %s: no such recording, and no module loaded to report a cgroup of that name\n",
				what);
			return EXIT_NOTFOUND;
		}
		if (cgroup) {
			fprintf(stderr, "memacct: %s is no recording; report CGROUP needs nothing more\n",
				what);
			return EXIT_USAGE;
		}
		ret = source_check();
		if (ret)
			return ret;
		cgroup_normalise(path, sizeof(path), what);
		text = snapshot_text(path, &ret);
		if (!text)
			return ret;
		ret = snapshot_parse(text, "snapshot", &s, &n);
		free(text);
		if (ret)
			return ret;
	}
	if (!snap_find_cgroup(&s[n - 1], path)) {
		fprintf(stderr, "memacct: the last snapshot has no cgroup %s\n", path);
		snapshot_free(s, n);
		return EXIT_NOTFOUND;
	}
	m = open_memstream(&html, &len);
	if (!m) {
		snapshot_free(s, n);
		return report_errno("report", errno);
	}
	report_write(m, o, s, n, path);
	if (fclose(m))
		ret = report_errno("report", ENOMEM);
	else if (o->out)
		ret = write_whole(o->out, html);
	else if (fputs(html, stdout) == EOF || fflush(stdout))
		ret = report_io("stdout", errno);
	free(html);
	snapshot_free(s, n);
	return ret;
}
