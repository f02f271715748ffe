#!/usr/bin/env bash
# The one node_modules the browser and Mermaid checks share (tests/node/): copies the
# package files into WORK-DIR and runs `npm ci` there when they changed, under a lock, since
# ctest may start both checks at once. The same skip rule for both: exit 77 (skipped) when
# NETPOL_BROWSER_TESTS=off (scripts/test.sh's sanitizer pass: the page and the Mermaid
# parser do not run our code) or when node or npm is missing.
# Usage: source tests/node_setup.sh WORK-DIR   (sets $node_work)
node_work=$1
if [ "${NETPOL_BROWSER_TESTS:-on}" = "off" ]; then
  echo "skipped: NETPOL_BROWSER_TESTS=off"
  exit 77
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "skipped: node and npm are needed (scripts/setup.sh --tests installs them)"
  exit 77
fi
mkdir -p "$node_work"
(
  flock 9
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  for f in package.json package-lock.json browser-check.mjs layout-check.mjs mermaid-check.mjs; do
    if ! cmp -s "$root/tests/node/$f" "$node_work/$f"; then
      cp "$root/tests/node/$f" "$node_work/$f"
      case $f in package*) rm -rf "$node_work/node_modules" ;; esac
    fi
  done
  [ -d "$node_work/node_modules" ] ||
    (cd "$node_work" && npm ci --silent --no-audit --no-fund > /dev/null) ||
    { echo "npm ci failed in $node_work"; exit 1; }
) 9> "$node_work.lock" || exit 1
