#!/usr/bin/env bash
# Parses netpol-graph's Mermaid output for every sample (and names that need escaping) with
# Mermaid's own parser, run under Node.js with jsdom (tests/node/mermaid-check.mjs).
# Usage: mermaid_test.sh NETPOL-GRAPH WORK-DIR
set -u
bin=$1 work=$2
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/tests/node_setup.sh" "$work"
cd "$root" || exit 2
files=()
for input in samples/*.yaml tests/golden/inputs/awkward-names.yaml ""; do
  name=$(basename "${input:-defaults}" .yaml)
  args=()
  [ -n "$input" ] && args=(-f "$input")
  "$bin" graph "${args[@]}" --format mermaid > "$work/$name.mmd" 2>/dev/null || { echo "FAIL: $name"; exit 1; }
  "$bin" graph "${args[@]}" --format mermaid --every-edge > "$work/$name.every.mmd" 2>/dev/null ||
    { echo "FAIL: $name --every-edge"; exit 1; }
  "$bin" graph "${args[@]}" --format mermaid --max-nodes 2 > "$work/$name.small.mmd" 2>/dev/null ||
    { echo "FAIL: $name --max-nodes 2"; exit 1; }
  files+=("$work/$name.mmd" "$work/$name.every.mmd" "$work/$name.small.mmd")
done
# Clusters of several namespaces, whose edges may link a namespace's box as a whole.
for input in samples/manifests/*.yaml; do
  name=manifests-$(basename "$input" .yaml)
  "$bin" graph --manifests "$input" --format mermaid > "$work/$name.mmd" 2>/dev/null ||
    { echo "FAIL: $name"; exit 1; }
  [ "$name" != manifests-three-namespaces ] || grep -q -- '-->|"every workload:<br/>TCP 8080, 8081"| ns1$' "$work/$name.mmd" ||
    { echo "FAIL: $name: no edge into the frontend box as a whole"; exit 1; }
  files+=("$work/$name.mmd")
done
node "$work/mermaid-check.mjs" "${files[@]}" > "$work/result.txt"
code=$?
grep -v '^ok ' "$work/result.txt"
echo "$(grep -c '^ok ' "$work/result.txt") passed, $(grep -c '^FAIL ' "$work/result.txt") failed"
exit $code
