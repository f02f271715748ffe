#!/usr/bin/env bash
# Every C++ file the repository tracks is as clang-format (.clang-format) writes it. Fix with:
#   git ls-files '*.cpp' '*.hpp' | xargs clang-format-14 -i
# Usage: format_test.sh [SOURCE-DIR]
cd "${1:-$(dirname "$0")/..}" || exit 2
format=$(command -v clang-format-14 || command -v clang-format) ||
  { echo "FAIL: clang-format-14 not installed (scripts/setup.sh --tests installs it)"; exit 1; }
mapfile -t files < <(git ls-files '*.cpp' '*.hpp')
[ "${#files[@]}" -gt 0 ] || { echo "FAIL: no C++ files found (not a git checkout?)"; exit 1; }
report=$(mktemp)
trap 'rm -f "$report"' EXIT
if "$format" --dry-run -Werror "${files[@]}" 2> "$report"; then
  echo "format: ${#files[@]} files as clang-format writes them"
  exit 0
fi
grep -E '^[^ ].*: (error|warning):' "$report" | cut -d: -f1,2 | sort -u | head -20 |
  sed 's/^/FAIL: not formatted: /'
exit 1
