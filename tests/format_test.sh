#!/usr/bin/env bash
# Every C++ file the repository tracks is as clang-format (.clang-format) writes it. Fix with:
#   git ls-files '*.cpp' '*.hpp' | xargs clang-format-14 -i
# Usage: format_test.sh [SOURCE-DIR]
cd "${1:-$(dirname "$0")/..}" || exit 2
format=$(command -v clang-format-14 || command -v clang-format) ||
  { echo "FAIL: clang-format-14 not installed (scripts/setup.sh --tests installs it)"; exit 1; }
# The files git tracks; outside a checkout (a source tarball), the project's own folders.
if git rev-parse --is-inside-work-tree > /dev/null 2>&1; then
  mapfile -t files < <(git ls-files '*.cpp' '*.hpp')
else
  mapfile -t files < <(find src graph exporters cli tests tools fuzz bench \
                         \( -name '*.cpp' -o -name '*.hpp' \) | sort)
fi
[ "${#files[@]}" -gt 0 ] || { echo "FAIL: no C++ files found"; exit 1; }
report=$(mktemp)
trap 'rm -f "$report"' EXIT
if "$format" --dry-run -Werror "${files[@]}" 2> "$report"; then
  echo "format: ${#files[@]} files as clang-format writes them"
  exit 0
fi
grep -E '^[^ ].*: (error|warning):' "$report" | cut -d: -f1,2 | sort -u | head -20 |
  sed 's/^/FAIL: not formatted: /'
exit 1
