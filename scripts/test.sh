#!/usr/bin/env bash
# Quick start, part two: set up and build (with the test tools), run every test (unit tests,
# golden end-to-end tests, the shell tests, the browser checks, the chart-docs table check),
# then build again with clang, AddressSanitizer and UndefinedBehaviorSanitizer (build-asan/,
# which also holds the fuzz targets scripts/fuzz.sh runs) and run the suite once more but
# for the browser checks, the output-bytes checks and the heavy checks (ctest
# labels browser, bytes and heavy; tests/CMakeLists.txt says why each is left out),
# the unit tests as one process; then clang-tidy's checks (scripts/tidy.sh, .clang-tidy).
set -euo pipefail
cd "$(dirname "$0")/.."
# Warnings are errors here, so in CI; a user's build with another compiler is not stopped.
scripts/setup.sh --tests -DNETPOL_TESTS=ON -DNETPOL_WERROR=ON
(cd build && ctest --output-on-failure -j"$(nproc)")
echo
echo "test: again under ASan and UBSan (build-asan/, clang), all but the browser, bytes and heavy checks"
source scripts/lib.sh
prepare_sanitizer_tree
BUILD_DIR=build-asan scripts/setup.sh --tests -DNETPOL_TESTS=ON -DNETPOL_WERROR=ON \
  "${sanitizer_cmake_args[@]}"
export ASAN_OPTIONS=detect_leaks=1
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
# The browser checks run Chromium and Node.js on our output, not our code under the
# sanitizers, and the `bytes` checks compare output bytes whose code golden, render and
# hostile run: the first pass ran them.
# The unit tests run as one process here (35 s), beside ctest's end-to-end checks: one
# ctest process per case costs the sanitizers' start-up 326 times (130 s of CPU).
unit_log=build-asan/unit-tests.log
(cd build-asan && ./tests/netpol-tests --no-colors=true > unit-tests.log 2>&1) &
unit_pid=$!
status=0
(cd build-asan && NETPOL_BROWSER_TESTS=off ctest --output-on-failure -j"$(nproc)" \
  -LE "browser|bytes|heavy|unit") || status=1
if wait "$unit_pid"; then
  tail -3 "$unit_log"
else
  cat "$unit_log"
  echo "test: the unit tests failed under the sanitizers ($unit_log)"
  status=1
fi
echo
# clang-tidy over the shipped code, from the sanitizer tree's compile commands (.clang-tidy).
scripts/tidy.sh build-asan || status=1
exit $status
