#!/usr/bin/env bash
# Quick start, part two: set up and build, then run every test (unit tests, golden
# end-to-end tests, the chart-docs table check).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --tests
cd build
ctest --output-on-failure -j"$(nproc)"
