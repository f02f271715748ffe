#!/usr/bin/env bash
# Regenerates docs/diagrams/: the SVG of every sample (and of the chart defaults with
# policies off), so the pictures in docs/diagrams.md never drift from the code.
# tests/docs_test.sh fails when a committed picture no longer shows what the code draws.
#   scripts/docs-diagrams.sh [BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/netpol-graph}
mkdir -p docs/diagrams
rm -f docs/diagrams/*.svg
for sample in samples/*.yaml; do
  name=$(basename "$sample" .yaml)
  "$bin" graph -f "$sample" -o "docs/diagrams/$name.svg" 2>/dev/null
done
"$bin" graph -o docs/diagrams/defaults-disabled.svg
echo "docs-diagrams: wrote $(ls docs/diagrams/*.svg | wc -l) pictures in docs/diagrams/"
