// SPDX-License-Identifier: GPL-2.0
/* Unit tests of the labels a cgroup's path gives its Prometheus samples. TAP. */
#include <stdio.h>
#include <stdlib.h>
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

#define UID "1a2b3c4d-0000-1111-2222-333344445555"
#define UID_ "1a2b3c4d_0000_1111_2222_333344445555"

int main(void)
{
	printf("TAP version 13\n1..12\n");
	ok(is("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_ ".slice/cri-containerd-" ID ".scope",
	      UID, ID, "containerd", "cri-containerd-" ID ".scope"),
	   "kubelet, systemd driver, containerd");
	ok(is("/kubepods.slice/kubepods-pod" UID_ ".slice/crio-" ID ".scope",
	      UID, ID, "cri-o", "crio-" ID ".scope") &&
	   is("/kubepods.slice/kubepods-pod" UID_ ".slice", UID, "", "", ""),
	   "a guaranteed pod, cri-o; the pod's own cgroup");
	ok(is("/kubepods.slice/kubepods-pod" UID_ ".slice/crio-conmon-" ID ".scope",
	      UID, "", "", "crio-conmon-" ID ".scope"),
	   "cri-o's conmon is no container");
	ok(is("/kubepods/besteffort/pod" UID "/" ID, UID, ID, "", "") &&
	   is("/kubepods/burstable/pod" UID "/crio-" ID, UID, ID, "cri-o", ""),
	   "kubelet, cgroupfs driver: containerd (runtime not said) and cri-o");
	ok(is("/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-burstable.slice/kubelet-kubepods-burstable-pod" UID_ ".slice",
	      UID, "", "", ""), "a custom kubelet cgroup root (kind)");
	ok(is("/system.slice/docker-" ID ".scope", "", ID, "docker",
	      "docker-" ID ".scope") && is("/docker/" ID, "", ID, "docker", ""),
	   "docker, systemd and cgroupfs drivers");
	ok(is("/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" ID ".scope",
	      "", ID, "podman", "libpod-" ID ".scope") &&
	   is("/libpod_parent/libpod-" ID, "", ID, "podman", ""),
	   "podman: rootless under systemd, and with the cgroupfs manager");
	ok(is("/system.slice/nginx.service", "", "", "", "nginx.service") &&
	   is("/", "", "", "", "") && is("/pods/pod" UID, "", "", "", ""),
	   "a systemd service; the root; pod outside kubepods is no pod");
	ok(is("/system.slice/crio-wipe.scope", "", "", "", "crio-wipe.scope") &&
	   is("/system.slice/kubepods-foo.service/podx", "", "", "", ""),
	   "no container without an id, no pod without a uid");
	ok(is("/system.slice/docker-" ID ".scope/init", "", "", "", "") &&
	   is("/kubepods.slice/kubepods-pod" UID_ ".slice/cri-containerd-" ID ".scope/sub",
	      "", "", "", ""),
	   "below a container: no label names it again (values include descendants)");
	{
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);

		prom_label(f, "a\xff\"b\\\n\xc3\xa9");
		fclose(f);
		ok(!strcmp(buf, "\"a\\\\xff\\\"b\\\\\\n\xc3\xa9\""),
		   "label values: escapes, and invalid UTF-8 as text (%s)", buf);
		free(buf);
	}
	{
		struct cg a = { .path = "/a" }, b = { .path = "/b" };
		const struct cg *both[] = { &a, &b };
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);

		kv_parse(&a.stat, "rss 1\nbad-key 2\nrss 3\ncharge_batch_bound 8\n");
		kv_parse(&b.stat, "extra 7\ncharge_batch_bound 8\n");
		prom_write(f, both, 2);
		fclose(f);
		ok(strstr(buf, "memacct_cgroup_rss_bytes{cgroup=\"/a\"} 1\n") &&
		   !strstr(buf, "bad") && !strstr(buf, "} 3\n") &&
		   strstr(buf, "memacct_cgroup_extra_bytes{cgroup=\"/b\"} 7\n") &&
		   strstr(buf, "\nmemacct_charge_batch_bound_bytes 8\n") &&
		   !strstr(buf, "cgroup_charge_batch_bound"),
		   "families: names checked, repeats once, every cgroup's keys, the bound once");
		free(buf);
		kv_free(&a.stat);
		kv_free(&b.stat);
	}
	return tap_done();
}
