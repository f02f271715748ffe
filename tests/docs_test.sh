#!/usr/bin/env bash
# The pictures in docs/diagrams/ must show what the code draws today: regenerates them all
# with scripts/docs-diagrams.sh and compares each one's node and edge titles and every text
# it shows (not coordinates, which depend on the fonts installed). Every picture is shown
# in docs/diagrams.md. Fix a failure with scripts/docs-diagrams.sh.
# Usage: docs_test.sh NETPOL-GRAPH
source "$(dirname "$0")/lib.sh" "$1"
content() { grep -o -e '<title>[^<]*</title>' -e '>[^<]*</text>' "$1"; }
passed=0 failed=0
scripts/docs-diagrams.sh "$bin" "$tmp/diagrams" > /dev/null
for fresh in "$tmp"/diagrams/*.svg; do
  name=$(basename "$fresh")
  doc="docs/diagrams/$name"
  if [ -f "$doc" ] && diff <(content "$doc") <(content "$fresh") > "$tmp/diff"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: $doc is missing or out of date (run scripts/docs-diagrams.sh)"
    head -10 "$tmp/diff"
  fi
  grep -q "diagrams/$name" docs/diagrams.md ||
    { echo "FAIL: docs/diagrams.md does not show diagrams/$name"; failed=$((failed + 1)); }
done
for doc in docs/diagrams/*.svg; do
  [ -f "$tmp/diagrams/$(basename "$doc")" ] ||
    { echo "FAIL: $doc is no longer drawn by scripts/docs-diagrams.sh"; failed=$((failed + 1)); }
done
# No edge crosses the namespace box's title, no edge label lies on a box's border or on
# another label, and no edge's line runs through a label: in the docs' pictures, and in the
# picture of every golden input (values, or manifests when it is not values) and oracle
# cluster. dense-open (ten services, each open to every other) is a mesh where one label
# has no place within 30 pt of its edge that no line crosses: it is held to the rest only.
mkdir -p "$tmp/more"
for f in tests/golden/inputs/*.yaml; do
  out="$tmp/more/$(basename "$f" .yaml).svg"
  "$bin" graph -f "$f" -o "$out" 2>/dev/null ||
    "$bin" graph --manifests "$f" -o "$out" 2>/dev/null || rm -f "$out"
done
for f in tests/oracle/*/manifests.yaml; do
  "$bin" graph --manifests "$f" -o "$tmp/more/$(basename "$(dirname "$f")").svg" 2>/dev/null || true
done
mkdir -p "$tmp/mesh"
mv "$tmp/more/dense-open.svg" "$tmp/mesh/"
if python3 tests/title_clear.py --labels --lines "$tmp"/diagrams/*.svg "$tmp"/more/*.svg &&
  python3 tests/title_clear.py --labels "$tmp"/mesh/*.svg; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
fi
# Legible where a page fits a picture to its column (docs/diagrams.md, "Legibility"): the
# pictures of the values samples, the production sample's diff and the three-namespace
# cluster show their text at 11 pt or more in an 880 px column.
pictures=()
for sample in samples/*.yaml; do pictures+=("$tmp/diagrams/$(basename "$sample" .yaml).svg"); done
pictures+=("$tmp/diagrams/defaults-disabled.svg" "$tmp/diagrams/production-diff.svg"
  "$tmp/diagrams/manifests-three-namespaces.svg")
if python3 scripts/legibility.py --at-least 11 "${pictures[@]}" > /dev/null; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
