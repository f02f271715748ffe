#!/usr/bin/env bash
# Regenerates docs/diagrams/: the SVG of every sample (values, and the clusters of
# samples/manifests/; and of the chart defaults with
# policies off) and of the production sample's diff against the chart defaults with
# policies on, so the pictures in docs/diagrams.md never drift from the code.
# tests/docs_test.sh runs this into a scratch directory and fails when a committed picture
# no longer shows what the code draws.
#   scripts/docs-diagrams.sh [BINARY] [DIR]   (DIR: docs/diagrams/, the only one it prunes)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/netpol-graph}
out=${2:-docs/diagrams}
mkdir -p "$out"
# Only docs/diagrams/ is ours to prune: a picture no longer drawn there is removed (docs_test
# fails on one that is left). Any other DIR is written into, nothing in it deleted.
if [ "$(cd "$out" && pwd -P)" = "$(cd docs/diagrams && pwd -P)" ]; then
  rm -f "$out"/*.svg
fi
wrote=0
for sample in samples/*.yaml; do
  name=$(basename "$sample" .yaml)
  "$bin" graph -f "$sample" -o "$out/$name.svg" 2>/dev/null
  wrote=$((wrote + 1))
done
for sample in samples/manifests/*.yaml; do  # clusters, read as rendered manifests
  name=$(basename "$sample" .yaml)
  "$bin" graph --manifests "$sample" -o "$out/manifests-$name.svg" 2>/dev/null
  wrote=$((wrote + 1))
done
"$bin" graph -o "$out/defaults-disabled.svg"
# diff exits 1 when access changed, which is the point of this picture.
"$bin" diff --old samples/enabled.yaml --new samples/production.yaml \
  -o "$out/production-diff.svg" 2>/dev/null || [ $? -eq 1 ]
echo "docs-diagrams: wrote $((wrote + 2)) pictures in $out/"
