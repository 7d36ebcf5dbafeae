#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""memacct's HTML report in a real browser: Debian's chromium, headless,
renders it (no console message may be an error), and the numbers in the
rendered DOM are read back and set against the snapshot the report was made
from (every counter and process, exactly) and against `memacct cgroup
--json` taken beside it (exactly, but for the counters that a frozen cgroup
still moves: kernel memory freed later, within the per-CPU charge bound).

Usage: check_report.py render FILE.html [SCREENSHOT.png]   (prints the DOM)
Imported by check-outputs.py for the @@html blocks of a VM run."""
import json
import os
import subprocess
import sys
import tempfile
from html.parser import HTMLParser

CHROMIUM = "/usr/bin/chromium"
# Counters a frozen cgroup can still move between two reads: freed kernel
# memory (RCU, deferred work) uncharges without any task running.
MOVING = ("memory_current", "unexplained", "charged_kernel_pages")


def render(path, screenshot=None):
    """The DOM chromium builds from @path, and its console errors."""
    with tempfile.TemporaryDirectory() as profile:
        args = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--no-first-run",
                f"--user-data-dir={profile}", "--enable-logging=stderr",
                "--v=0", "--window-size=1000,1800"]
        if screenshot:
            args.append(f"--screenshot={screenshot}")
        else:
            args.append("--dump-dom")
        p = subprocess.run(args + ["file://" + os.path.abspath(path)],
                           capture_output=True, text=True, timeout=120)
    errors = [line for line in p.stderr.splitlines()
              if "CONSOLE" in line or "Uncaught" in line]
    if p.returncode:
        raise ValueError(f"chromium exit {p.returncode}: {p.stderr[-300:]}")
    return p.stdout, errors


class Numbers(HTMLParser):
    """data-counter/data-bytes of the cgroup table and of each process row."""

    def __init__(self):
        super().__init__()
        self.table = None
        self.pid = None
        self.cgroup = {}
        self.processes = {}
        self.svgs = 0
        self.steps = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "svg":
            self.svgs += 1
        if tag == "table":
            self.table = a.get("id")
        if tag == "tr":
            self.pid = a.get("data-pid")
        if "data-step" in a:
            self.steps[a["data-step"]] = int(a["data-bytes"])
        if "data-counter" not in a:
            return
        v = int(a["data-bytes"])
        if self.table == "cgroup-counters":
            self.cgroup[a["data-counter"]] = v
        elif self.table == "processes" and self.pid:
            self.processes.setdefault(int(self.pid), {})[a["data-counter"]] = v


def compare(dom, snapshot, beside, bound):
    """Problems, as strings: the DOM against the snapshot and the read beside."""
    n = Numbers()
    n.feed(dom)
    bad = []
    last = snapshot
    cg = next(c for c in last["cgroups"] if c["path"] == beside["cgroup"])
    if n.cgroup != cg["counters"]:
        bad.append(f"cgroup counters differ from the snapshot: {set(n.cgroup.items()) ^ set(cg['counters'].items())}")
    for p in last["processes"]:
        row = n.processes.get(p["pid"], {})
        for k, v in row.items():
            if p["counters"].get(k, 0) != v:
                bad.append(f"process {p['pid']} {k}: DOM {v}, snapshot {p['counters'].get(k)}")
    for k, v in beside["counters"].items():
        d = abs(n.cgroup.get(k, 0) - v)
        if d and (k not in MOVING or d > bound):
            bad.append(f"{k}: DOM {n.cgroup.get(k)}, memacct cgroup --json {v}")
    if n.steps.get("memory_current") != n.cgroup.get("memory_current"):
        bad.append("the waterfall does not end at memory.current")
    if n.svgs < 2:
        bad.append(f"{n.svgs} SVG images, expected the waterfall and the bar")
    return bad, n


def check(name, html, snapshot_text, beside_text):
    """One report: 'ok ...' or raises with what is wrong."""
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "report.html")
        with open(path, "w", encoding="utf-8") as f:
            f.write(html)
        dom, errors = render(path)
    if errors:
        raise ValueError(f"console errors: {errors[:3]}")
    snapshot = json.loads(snapshot_text.splitlines()[-1])
    beside = json.loads(beside_text)
    bound = beside["counters"].get("charge_batch_bound", 0)
    bad, n = compare(dom, snapshot, beside, bound)
    if bad:
        raise ValueError("; ".join(bad[:5]))
    return (f"{len(n.cgroup)} counters, {len(n.processes)} processes, "
            f"{n.svgs} SVG images")


def main():
    if len(sys.argv) < 3 or sys.argv[1] != "render":
        print(__doc__, file=sys.stderr)
        return 2
    shot = sys.argv[3] if len(sys.argv) > 3 else None
    dom, errors = render(sys.argv[2], shot)
    for e in errors:
        print(f"console: {e}", file=sys.stderr)
    if not shot:
        print(dom)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
