# SPDX-License-Identifier: GPL-2.0
# The scale table of docs/performance.md (Markdown rows on stdin) as an SVG
# line chart on stdout: a one-process cgroup's stat time, LRU and scan
# views and its smaps_rollup, against how full the host is elsewhere; one
# line per view and cgroup size, time on a log scale.
# Usage: awk -f plot-scale.awk < rows > scale.svg
BEGIN {
	FS = "|"
	W = 640; H = 400; L = 70; R = 190; T = 40; B = 50
	ymin = 0.1; ymax = 1000	# ms, log scale
	nf = 0
}

function trim(s) { gsub(/^[ *]+|[ *x]+$/, "", s); return s }
function ms(s) { s = trim(s); sub(/ ms$/, "", s); return s + 0 }
function px(i) { return L + (nf > 1 ? i * (W - L - R) / (nf - 1) : 0) }
function py(v) {
	if (v < ymin) v = ymin
	return T + (H - T - B) * (log(ymax) - log(v)) / (log(ymax) - log(ymin))
}

# | fill | size | procs | lru | scan | rollup | ...
$2 ~ /%/ && $4 + 0 == 1 && $5 ~ /ms/ {
	fill = trim($2); size = trim($3)
	if (!(fill in fidx)) { fidx[fill] = nf; fname[nf++] = fill }
	if (!(size in seen)) { seen[size] = 1; sizes[ns++] = size }
	val[size, "lru", fidx[fill]] = ms($5)
	val[size, "scan", fidx[fill]] = ms($6)
	val[size, "rollup", fidx[fill]] = ms($7)
}

END {
	if (!nf) { print "plot-scale: no rows" > "/dev/stderr"; exit 1 }
	split("lru scan rollup", views, " ")
	label["lru"] = "stat, LRU view"
	label["scan"] = "stat, scan view"
	label["rollup"] = "smaps_rollup"
	dash["lru"] = ""; dash["scan"] = " stroke-dasharray=\"6 3\""
	dash["rollup"] = " stroke-dasharray=\"2 3\""
	split("#1f77b4 #d62728 #2ca02c #9467bd", colour, " ")
	printf "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n", W, H, W, H
	printf "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
	printf "<text x=\"%d\" y=\"20\" font-size=\"14\">A one-process cgroup's stat against the host's fill</text>\n", L
	for (v = ymin; v <= ymax * 1.001; v *= 10) {
		printf "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", L, W - R, py(v), py(v)
		printf "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%g ms</text>\n", L - 6, py(v) + 4, v
	}
	for (i = 0; i < nf; i++)
		printf "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", px(i), H - B + 18, fname[i]
	printf "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">host memory filled by another cgroup</text>\n", (L + W - R) / 2, H - 12
	n = 0
	for (s = 0; s < ns; s++) {
		for (k = 1; k <= 3; k++) {
			c = colour[s % 4 + 1]; w = views[k]; pts = ""
			for (i = 0; i < nf; i++)
				if ((sizes[s], w, i) in val)
					pts = pts sprintf("%.1f,%.1f ", px(i), py(val[sizes[s], w, i]))
			if (pts == "")
				continue
			printf "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>\n", pts, c, dash[w]
			y = T + 10 + 18 * n++
			printf "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>\n", W - R + 12, W - R + 36, y, y, c, dash[w]
			printf "<text x=\"%d\" y=\"%d\">%s, %s</text>\n", W - R + 42, y + 4, sizes[s], label[w]
		}
	}
	print "</svg>"
}
