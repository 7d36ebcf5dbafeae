// SPDX-License-Identifier: GPL-2.0
/*
 * memacct export --textfile DIR: every cgroup's counters in Prometheus'
 * text format, as DIR/memacct.prom for node_exporter's textfile collector,
 * written beside and renamed over so that a scrape never reads half a file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "prom.h"
#include "snapshot.h"

int cmd_export(const struct opts *o)
{
	struct cgs cgs = { 0 };
	const struct cg **all = NULL;
	char path[4096], *text = NULL;
	size_t len = 0;
	int ret, i;
	FILE *m;

	if (snprintf(path, sizeof(path), "%s/memacct.prom", o->textfile) >=
	    (int)sizeof(path)) {
		fprintf(stderr, "memacct: %s: path too long\n", o->textfile);
		return EXIT_USAGE;
	}
	ret = cgs_load(&cgs, true);
	if (!ret) {
		all = calloc(cgs.n + 1, sizeof(*all));
		m = all ? open_memstream(&text, &len) : NULL;
		if (!m) {
			ret = report_errno("export", ENOMEM);
		} else {
			int n = 0;

			for (i = 0; i < cgs.n; i++)
				if (cgs.cg[i].stat.n)	/* not removed meanwhile */
					all[n++] = &cgs.cg[i];
			prom_write(m, all, n);
			if (fclose(m))
				ret = report_errno("export", ENOMEM);
			else
				ret = write_whole(path, text);
		}
	}
	free(text);
	free(all);
	cgs_free(&cgs);
	return ret;
}
