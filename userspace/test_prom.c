// SPDX-License-Identifier: GPL-2.0
/* Unit tests of the labels a cgroup's path gives its Prometheus samples. TAP. */
#include <stdio.h>
#include <string.h>

#include "prom.h"
#include "tap.h"

#define ID "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static int is(const char *path, const char *pod, const char *id,
	      const char *rt, const char *unit)
{
	struct prom_labels l;

	prom_labels_of(path, &l);
	return !strcmp(l.pod_uid, pod) && !strcmp(l.container_id, id) &&
	       !strcmp(l.runtime ? l.runtime : "", rt) &&
	       !strcmp(l.systemd_unit, unit);
}

int main(void)
{
	printf("TAP version 13\n1..8\n");
	ok(is("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1a2b3c4d_0000_1111_2222_333344445555.slice/cri-containerd-" ID ".scope",
	      "1a2b3c4d-0000-1111-2222-333344445555", ID, "containerd",
	      "cri-containerd-" ID ".scope"),
	   "kubelet, systemd driver, containerd");
	ok(is("/kubepods.slice/kubepods-pod1a2b_c3.slice/crio-" ID ".scope",
	      "1a2b-c3", ID, "cri-o", "crio-" ID ".scope"),
	   "a guaranteed pod, cri-o");
	ok(is("/kubepods.slice/kubepods-pod1a2b_c3.slice/crio-conmon-" ID ".scope",
	      "1a2b-c3", "", "", "crio-conmon-" ID ".scope"),
	   "cri-o's conmon is no container");
	ok(is("/kubepods/besteffort/pod1a2b-c3/" ID, "1a2b-c3", ID, "", ""),
	   "kubelet, cgroupfs driver: the pod and the container, runtime unknown");
	ok(is("/system.slice/docker-" ID ".scope", "", ID, "docker",
	      "docker-" ID ".scope"), "docker, systemd driver");
	ok(is("/docker/" ID, "", ID, "docker", ""), "docker, cgroupfs driver");
	ok(is("/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" ID ".scope",
	      "", ID, "podman", "libpod-" ID ".scope"), "rootless podman");
	ok(is("/system.slice/nginx.service", "", "", "", "nginx.service") &&
	   is("/", "", "", "", "") && is("/pods/pod1", "", "", "", ""),
	   "a systemd service; the root; pod outside kubepods is no pod");
	return tap_done();
}
