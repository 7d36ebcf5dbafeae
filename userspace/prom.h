/* SPDX-License-Identifier: GPL-2.0 */
/* Prometheus text exposition of cgroups' counters. */
#ifndef MEMACCT_PROM_H
#define MEMACCT_PROM_H

#include "cgroups.h"

/* What a cgroup's path says of it; "" (NULL runtime) where it says nothing. */
struct prom_labels {
	char pod_uid[64];
	char container_id[80];
	const char *runtime;	/* containerd, cri-o, docker, podman */
	char systemd_unit[256];
};

void prom_labels_of(const char *path, struct prom_labels *l);
/* Every counter of @cg[0..n) as its own gauge family, HELP and TYPE first. */
void prom_write(FILE *f, const struct cg *const *cg, int n);

#endif
