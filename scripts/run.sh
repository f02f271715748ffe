#!/usr/bin/env bash
# Quick start, part one: set up and build, then print the Service Communication Map of the
# chart defaults with network policies enabled.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
echo
build/netpol-graph table --set global.networkPolicy.enabled=true
