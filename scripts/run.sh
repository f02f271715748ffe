#!/usr/bin/env bash
# Quick start, part one: set up and build, then print the Service Communication Map of the
# chart defaults with network policies enabled, and write the review bundle for them to
# review/ (open review/index.html, or read review/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh -DNETPOL_TESTS=OFF  # the tests are scripts/test.sh's
echo
build/netpol-graph table --set global.networkPolicy.enabled=true
echo
build/netpol-graph report --set global.networkPolicy.enabled=true -o review
