#!/usr/bin/env bash
# Runs clang-tidy 14 with the checks in .clang-tidy over the code netpol-graph ships (the layers'
# unity batches and the files outside them; not the tests or the fuzz targets), as many at a
# time as there are cores. Any finding fails. It reads the compile commands of a configured
# tree, build-asan/ by default (scripts/test.sh runs it there, after the sanitizer pass).
#   scripts/tidy.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
build=${1:-build-asan}
install_missing clang-tidy-14
if [ ! -f "$build/compile_commands.json" ]; then
  echo "tidy: $build/compile_commands.json is missing: configure $build first (scripts/test.sh)" >&2
  exit 2
fi
# The generated sources (embedded_*.cpp) are compiled in the core's batch: build them first.
cmake --build "$build" --target netpol_core -j"$(nproc)" > /dev/null
mapfile -t files < <(python3 - "$build/compile_commands.json" <<'PY'
import json, sys
for entry in json.load(open(sys.argv[1])):
    f = entry["file"]
    if "/tests/" in f or "/fuzz/" in f or f.endswith("cmake_pch.hxx.cxx"):
        continue
    print(f)
PY
)
start=$SECONDS
log="$build/tidy.log"
if printf '%s\n' "${files[@]}" | xargs -P"$(nproc)" -n1 clang-tidy-14 -p "$build" --quiet > "$log" 2>&1; then
  echo "tidy: ${#files[@]} translation units, no finding ($((SECONDS - start)) s)"
else
  grep -A3 "error:" "$log" || cat "$log"
  echo "tidy: findings above (.clang-tidy lists the checks; $log has the whole output)" >&2
  exit 1
fi
