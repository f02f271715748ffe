# Shared set-up of the shell tests, sourced with the binary as $1: sets bin (absolute),
# root (the repository, also the working directory) and tmp (removed on exit).
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$root" || exit 2
