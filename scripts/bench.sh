#!/usr/bin/env bash
# Benchmarks (separate from the tests): builds build-bench/ with Google Benchmark and runs
# bench/scale.py (end to end and per stage on generated charts of growing size), then
# bench/dense.py (dense inputs and cluster dumps against yaml-cpp alone), then bench/dump.py
# (kubectl-shaped dumps of 1,000 to 50,000 pods, JSON and YAML, against json.load and yaml-cpp).
#   scripts/bench.sh [scale.py options, e.g. --sizes 10,100,1000]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
install_missing libbenchmark-dev graphviz time
BUILD_DIR=build-bench scripts/setup.sh -DNETPOL_BENCH=ON > /dev/null  # builds netpol-bench too
python3 bench/scale.py --build build-bench "$@"
printf '\n### Dense inputs\n\n'
python3 bench/dense.py --build build-bench
printf '\n### Cluster dumps\n\n'
python3 bench/dump.py --build build-bench

