#!/usr/bin/env bash
# Output is deterministic: the same inputs give byte-identical text outputs across
# locales (C and tr_TR.UTF-8, whose case rules trip naive code) and working directories,
# and the same picture wherever its input lies and however it is written (-o or stdout).
# Usage: determinism_test.sh NETPOL-GRAPH
source "$(dirname "$0")/lib.sh" "$1"
locale_dir="$tmp/locales"
mkdir -p "$locale_dir"
localedef -i tr_TR -f UTF-8 "$locale_dir/tr_TR.UTF-8" 2>/dev/null ||
  { echo "FAIL: cannot build the tr_TR.UTF-8 locale (Debian's locales package)"; exit 1; }
mkdir -p "$tmp/elsewhere/samples"
cp samples/*.yaml "$tmp/elsewhere/samples/"
commands=("table --view effective" "graph --format dot" "graph --format json" "reach"
          "check --format sarif" "manifests --workloads")
passed=0 failed=0
for sample in samples/*.yaml; do
  for c in "${commands[@]}"; do
    # shellcheck disable=SC2086
    "$bin" $c -f "$sample" > "$tmp/base" 2>&1
    # shellcheck disable=SC2086
    LC_ALL=C "$bin" $c -f "$sample" > "$tmp/c" 2>&1
    # shellcheck disable=SC2086
    LOCPATH="$locale_dir" LC_ALL=tr_TR.UTF-8 "$bin" $c -f "$sample" > "$tmp/tr" 2>&1
    # shellcheck disable=SC2086
    (cd "$tmp/elsewhere" && "$bin" $c -f "$sample") > "$tmp/cwd" 2>&1
    ok=1
    for other in c tr cwd; do
      cmp -s "$tmp/base" "$tmp/$other" || { ok=0; echo "FAIL: $c -f $sample differs ($other)"; }
    done
    if [ $ok -eq 1 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
  done
done
# A picture of several boxes: Graphviz orders clusters by object id, which cgraph makes the
# address of the cluster's name unless netpol-graph gives its own (graphviz_runtime.cpp), and
# what the process allocated before (a longer path) moved them.
long="$tmp/$(printf 'a-directory-with-a-long-name/%.0s' 1 2 3 4 5 6)"
mkdir -p "$long"
cp samples/manifests/three-namespaces.yaml "$long/"
"$bin" graph --manifests samples/manifests/three-namespaces.yaml -o "$tmp/boxes.svg" 2>/dev/null
"$bin" graph --manifests "$long/three-namespaces.yaml" --format svg > "$tmp/boxes.long.svg" 2>/dev/null
(cd "$long" && "$bin" graph --manifests three-namespaces.yaml -o short.svg 2>/dev/null)
if cmp -s "$tmp/boxes.svg" "$tmp/boxes.long.svg" && cmp -s "$tmp/boxes.svg" "$long/short.svg"; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
  echo "FAIL: the three-namespace picture differs by its input's path or by -o against stdout"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
