#!/usr/bin/env bash
# Parses netpol-graph's Mermaid output for every sample (and names that need escaping) with
# Mermaid's own parser, run under Node.js with jsdom (tests/mermaid/).
# Usage: mermaid_test.sh NETPOL-GRAPH WORK-DIR
set -u
bin=$1 work=$2
root=$(cd "$(dirname "$0")/.." && pwd)
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "mermaid: node and npm are needed for this test; skipped"
  exit 77
fi
mkdir -p "$work"
for f in package.json package-lock.json check.mjs; do
  cmp -s "$root/tests/mermaid/$f" "$work/$f" || { cp "$root/tests/mermaid/$f" "$work/$f"; rm -rf "$work/node_modules"; }
done
if [ ! -d "$work/node_modules" ]; then
  (cd "$work" && npm ci --silent --no-audit --no-fund >/dev/null) || { echo "mermaid: npm ci failed"; exit 1; }
fi
cd "$root" || exit 2
files=()
for input in samples/*.yaml tests/golden/inputs/awkward-names.yaml ""; do
  name=$(basename "${input:-defaults}" .yaml)
  args=()
  [ -n "$input" ] && args=(-f "$input")
  "$bin" graph "${args[@]}" --format mermaid > "$work/$name.mmd" 2>/dev/null || { echo "FAIL: $name"; exit 1; }
  "$bin" graph "${args[@]}" --format mermaid --every-edge > "$work/$name.every.mmd" 2>/dev/null
  "$bin" graph "${args[@]}" --format mermaid --max-nodes 2 > "$work/$name.small.mmd" 2>/dev/null
  files+=("$work/$name.mmd" "$work/$name.every.mmd" "$work/$name.small.mmd")
done
node "$work/check.mjs" "${files[@]}" > "$work/result.txt"
code=$?
grep -v '^ok ' "$work/result.txt"
echo "$(grep -c '^ok ' "$work/result.txt") passed, $(grep -c '^FAIL ' "$work/result.txt") failed"
exit $code
