#!/usr/bin/env bash
# Benchmarks (separate from the tests): builds build-bench/ with Google Benchmark and runs
# bench/scale.py (end to end and per stage on generated charts of growing size).
#   scripts/bench.sh [scale.py options, e.g. --sizes 10,100,1000]
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
for p in libbenchmark-dev graphviz time; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
BUILD_DIR=build-bench scripts/setup.sh -DNETPOL_BENCH=ON > /dev/null
cmake --build build-bench -j"$(nproc)" --target netpol-graph netpol-bench > /dev/null
exec python3 bench/scale.py --build build-bench "$@"
