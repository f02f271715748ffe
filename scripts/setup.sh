#!/usr/bin/env bash
# Installs the Debian packages netpol-graph needs (only those missing), then configures and
# builds it (Release) in build/ (or $BUILD_DIR). Safe to run again: it does only what is
# left to do.
#   scripts/setup.sh [--tests] [extra cmake arguments]
#     --tests   also what the tests use: Chromium (the report page), python3-jsonschema,
#               PyYAML and ruamel.yaml (YAML 1.1 and 1.2 read-back), Node.js and npm
#               (Mermaid's parser, the browser check), groff, fish, zsh and bash-completion (the
#               man page and the completions), poppler-utils (the PDFs read back),
#               clang-format-14 (the C++ is as .clang-format writes it), valgrind (the
#               start-up functions laid out together: tests/startup_order_test.py)
#   BUILD_DIR=build-asan scripts/setup.sh -DNETPOL_SANITIZE=ON   # ASan + UBSan build
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

packages=(
  build-essential cmake ninja-build pkg-config ccache
  libyaml-cpp-dev libcli11-dev libboost-dev libboost-graph-dev
  libgraphviz-dev libfontconfig-dev graphviz doctest-dev nlohmann-json3-dev libssl-dev lld
)
if [ "${1:-}" = "--tests" ]; then
  shift
  packages+=(python3 python3-jsonschema python3-yaml python3-ruamel.yaml chromium locales time
             groff-base fish zsh bash-completion poppler-utils clang-format-14 valgrind)
  command -v node > /dev/null && command -v npm > /dev/null || packages+=(nodejs npm)
fi
install_missing "${packages[@]}"

build=${BUILD_DIR:-build}
cmake -S . -B "$build" $(generator_args "$build") -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build "$build" -j"$(nproc)"
