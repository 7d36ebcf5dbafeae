#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Parse the reader's JSON and Prometheus outputs that a VM run printed
between "@@json NAME" / "@@prom NAME" and "@@end" lines, with real parsers,
and render its HTML reports ("@@htmlgz NAME", gzip and base64) in
chromium (check_report.py).
Prints one TAP-style line per block; exit status 1 if any fails.
Usage: check-outputs.py KERNEL RESULTS_LOG"""
import base64
import gzip
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from prometheus_client.parser import text_string_to_metric_families


def blocks(path):
    kind = name = None
    lines = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("@@") and line != "@@end" and kind is None:
                kind, _, name = line[2:].partition(" ")
                lines = []
            elif line == "@@end" and kind is not None:
                yield kind, name, "\n".join(lines) + "\n"
                kind = None
            elif kind is not None:
                lines.append(line)


def check_prom(text):
    families = list(text_string_to_metric_families(text))
    if not families:
        raise ValueError("no metrics")
    for fam in families:
        if not fam.name.startswith("memacct_"):
            raise ValueError(f"metric {fam.name} lacks the memacct_ prefix")
        if not fam.documentation or fam.type != "gauge":
            raise ValueError(f"metric {fam.name} lacks HELP or TYPE")
        for sample in fam.samples:
            # The charge batch bound is the host's, for every cgroup.
            if "cgroup" not in sample.labels and fam.name != "memacct_charge_batch_bound_bytes":
                raise ValueError(f"{sample.name} has no cgroup label")
    for line in text.splitlines():
        if line.startswith("# TYPE"):
            continue
    return sum(len(f.samples) for f in families)


def main():
    kernel, path = sys.argv[1], sys.argv[2]
    failed = 0
    seen = 0
    texts = {}
    for kind, name, text in blocks(path):
        seen += 1
        # An HTML report is set against the blocks printed just before it.
        texts[(kind, name)] = text
        try:
            if kind == "htmlgz":
                # Rendered by chromium; its DOM against what it was made of.
                import check_report
                html = gzip.decompress(base64.b64decode(text)).decode("utf-8")
                what = check_report.check(name, html, texts[("json", name + "-snapshot")],
                                          texts[("json", name + "-cgroup")])
                print(f"ok {kernel}: reader {name} renders in chromium, its numbers those of the snapshot and of cgroup --json ({what})")
                continue
            if kind == "json":
                doc = json.loads(text)
                what = f"{len(json.dumps(doc))} bytes"
            else:
                what = f"{check_prom(text)} samples"
            print(f"ok {kernel}: reader {name} --{'json' if kind == 'json' else 'prometheus'} parses ({what})")
        except Exception as e:  # any parse error fails the block
            failed += 1
            print(f"not ok {kernel}: reader {name} {kind} output does not parse: {e}")
    if not seen:
        print(f"not ok {kernel}: no reader outputs found to parse")
        failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
