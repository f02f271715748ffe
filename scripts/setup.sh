#!/usr/bin/env bash
# Installs the Debian packages netpol-graph needs (only those missing), then configures and
# builds it (Release) in build/ (or $BUILD_DIR). Safe to run again: it does only what is
# left to do.
#   scripts/setup.sh [--tests] [extra cmake arguments]
#     --tests   also what the tests use: Chromium (the report page), python3-jsonschema,
#               Node.js and npm (Mermaid's parser, the browser check)
#   BUILD_DIR=build-asan scripts/setup.sh -DNETPOL_SANITIZE=ON   # ASan + UBSan build
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake pkg-config
  libyaml-cpp-dev libcli11-dev libboost-dev libboost-graph-dev
  libgraphviz-dev libfontconfig-dev graphviz doctest-dev nlohmann-json3-dev
)
if [ "${1:-}" = "--tests" ]; then
  shift
  packages+=(python3 python3-jsonschema chromium locales)
  command -v node > /dev/null && command -v npm > /dev/null || packages+=(nodejs npm)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

build=${BUILD_DIR:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build "$build" -j"$(nproc)"
