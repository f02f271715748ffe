#!/usr/bin/env bash
# Our reading of rendered manifests against an external oracle: cases re-typed from
# np-guard/netpol-analyzer's tests and docs (tests/oracle/*/manifests.yaml, each citing its
# origin), with their expected connectivity list written in our terms (expected.txt).
# Usage: tests/oracle_test.sh path/to/netpol-graph
set -euo pipefail
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
pass=0 fail=0
for dir in "$HERE"/oracle/*/; do
  name=$(basename "$dir")
  # Connections between workloads and from or to addresses outside: the part netpol-analyzer
  # lists. Selector peers (its "exposure" analysis) are left out.
  actual=$("$BIN" graph --manifests "$dir/manifests.yaml" --profile none --format json |
    python3 -c '
import json, sys
g = json.load(sys.stdin)
kind = {n["id"]: n["kind"] for n in g["nodes"]}
keep = {"service", "any-source", "external", "dns"}
for e in g["edges"]:
    if kind[e["from"]] in keep and kind[e["to"]] in keep:
        print(e["from"], "->", e["to"], ":", " ".join(e["ports"]))
' | LC_ALL=C sort)
  expected=$(grep -v '^#' "$dir/expected.txt" | LC_ALL=C sort)
  if [[ "$actual" == "$expected" ]]; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL: $name"
    diff <(echo "$expected") <(echo "$actual") | sed 's/^/  /' || true
  fi
done
echo "oracle: $pass passed, $fail failed"
[[ $fail -eq 0 && $pass -gt 0 ]]
