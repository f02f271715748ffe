#!/usr/bin/env bash
# CI's install check: builds the Debian package (cpack -G DEB in build/), installs it with
# apt-get as a user would, runs netpol-graph from PATH, checks the man page and completions
# are where Debian looks, and removes the package again. Needs root (CI runs as root).
#   scripts/package_test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x build/netpol-graph ] || scripts/setup.sh
cmake --build build -j"$(nproc)" --target netpol-graph netpol-docs
rm -f build/netpol-graph_*.deb
(cd build && cpack -G DEB > /dev/null)
deb=$(ls build/netpol-graph_*.deb)
dpkg-deb --field "$deb" Depends
apt-get install -y "./$deb" > /dev/null
trap 'apt-get remove -y netpol-graph > /dev/null' EXIT
failed=0
expect() {  # expect WHAT COMMAND...
  if "${@:2}" > /dev/null 2>&1; then echo "ok: $1"; else echo "FAIL: $1"; failed=1; fi
}
expect "netpol-graph is on PATH at /usr/bin" test "$(command -v netpol-graph)" = /usr/bin/netpol-graph
expect "netpol-graph table runs from PATH" \
  bash -c 'netpol-graph table --set global.networkPolicy.enabled=true | grep -q "^| meta |"'
expect "netpol-graph draws an SVG (Graphviz from the Depends)" \
  bash -c 'netpol-graph graph --set global.networkPolicy.enabled=true --format svg | grep -q "<svg"'
expect "the man page is installed" test -s /usr/share/man/man1/netpol-graph.1
expect "the bash completion is installed" test -s /usr/share/bash-completion/completions/netpol-graph
exit $failed
