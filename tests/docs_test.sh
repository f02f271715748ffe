#!/usr/bin/env bash
# The pictures in docs/diagrams/ must show what the code draws today: regenerates each and
# compares its node and edge titles and every text it shows (not coordinates, which depend
# on the fonts installed). Fix a failure with scripts/docs-diagrams.sh.
# Usage: docs_test.sh NETPOL-GRAPH
source "$(dirname "$0")/lib.sh" "$1"
content() { grep -o -e '<title>[^<]*</title>' -e '>[^<]*</text>' "$1"; }
passed=0 failed=0
expected=0
for sample in samples/*.yaml ""; do
  name=$(basename "${sample:-defaults-disabled}" .yaml)
  expected=$((expected + 1))
  doc="docs/diagrams/$name.svg"
  args=()
  [ -n "$sample" ] && args=(-f "$sample")
  "$bin" graph "${args[@]}" -o "$tmp/$name.svg" 2>/dev/null
  if [ -f "$doc" ] && diff <(content "$doc") <(content "$tmp/$name.svg") > "$tmp/diff"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: $doc is missing or out of date (run scripts/docs-diagrams.sh)"
    head -10 "$tmp/diff"
  fi
done
extra=$(ls docs/diagrams/*.svg | wc -l)
if [ "$extra" -ne "$expected" ]; then
  echo "FAIL: docs/diagrams/ holds $extra pictures, expected $expected (one per sample)"
  failed=$((failed + 1))
fi
grep -q 'diagrams/enabled.svg' docs/diagrams.md || { echo "FAIL: docs/diagrams.md does not show the pictures"; failed=$((failed + 1)); }
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
