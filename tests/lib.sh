# Shared set-up of the shell tests, sourced with the binary as $1: sets bin (absolute),
# root (the repository, also the working directory) and tmp (removed on exit), and defines
# check NAME COMMAND..., which counts COMMAND's success in passed or failed.
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$root" || exit 2
passed=0 failed=0
check() {  # check NAME COMMAND...
  local name=$1
  shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $name"; fi
}
