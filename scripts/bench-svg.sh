#!/usr/bin/env bash
# Paired benchmark: `netpol-graph graph -o x.svg` (values to SVG, end to end) against
# `dot -Tsvg` alone on netpol-graph's own DOT of the same values, alternating the two so
# that both see the same machine load. Prints medians and their ratio.
#   scripts/bench-svg.sh [BINARY] [RUNS] [VALUES-FILE]
set -euo pipefail
bin=${1:-build/netpol-graph}
runs=${2:-100}
values=${3:-samples/enabled.yaml}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" graph -f "$values" --format dot > "$tmp/in.dot"
now() { date +%s%N; }
for ((i = 0; i < 5; i++)); do  # warm the page cache
  "$bin" graph -f "$values" -o "$tmp/a.svg"; dot -Tsvg "$tmp/in.dot" -o "$tmp/b.svg"
done
: > "$tmp/ours"; : > "$tmp/dot"
for ((i = 0; i < runs; i++)); do
  t0=$(now); "$bin" graph -f "$values" -o "$tmp/a.svg"; t1=$(now)
  dot -Tsvg "$tmp/in.dot" -o "$tmp/b.svg"; t2=$(now)
  echo $(( (t1 - t0) / 1000 )) >> "$tmp/ours"
  echo $(( (t2 - t1) / 1000 )) >> "$tmp/dot"
done
median() { sort -n "$1" | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
ours=$(median "$tmp/ours") theirs=$(median "$tmp/dot")
cmp -s "$tmp/a.svg" "$tmp/b.svg" && same="identical" || same="DIFFERENT"
awk -v o="$ours" -v d="$theirs" -v n="$runs" -v s="$same" 'BEGIN {
  printf "runs: %d (paired)\nnetpol-graph graph -o x.svg: median %.1f ms\ndot -Tsvg on the same DOT: median %.1f ms\nratio (netpol-graph / dot): %.2f\nSVG output: %s\n", n, o / 1000, d / 1000, o / d, s }'
