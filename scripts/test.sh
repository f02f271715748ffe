#!/usr/bin/env bash
# Quick start, part two: set up and build (with the test tools), run every test (unit tests,
# golden end-to-end tests, the shell tests, the chart-docs table check), then build again
# with AddressSanitizer and UndefinedBehaviorSanitizer and run the whole suite once more.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --tests
(cd build && ctest --output-on-failure -j"$(nproc)")
echo
echo "test: again under ASan and UBSan (build-asan/)"
BUILD_DIR=build-asan scripts/setup.sh --tests -DNETPOL_SANITIZE=ON
export ASAN_OPTIONS=detect_leaks=1
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
(cd build-asan && ctest --output-on-failure -j"$(nproc)")
