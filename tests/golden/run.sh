#!/usr/bin/env bash
# Golden end-to-end tests: runs netpol-graph on every sample (table, effective table,
# DOT, JSON, Mermaid) and on the cases in
# cases.txt, and compares exit code, standard output and standard error with the
# files in expected/. Each expected file holds the command and everything it printed.
#
#   tests/golden/run.sh BINARY            compare (used by ctest)
#   tests/golden/run.sh BINARY --update   rewrite expected/ (read the diff before committing)
#   tests/golden/run.sh BINARY --update NAME...   rewrite only these (enabled.dot, ...)
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
update=${2:-}
shift $(($# < 2 ? $# : 2))
only=("$@")  # with --update: the names to rewrite; none: all
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root" || exit 2
expected="$here/expected"
mkdir -p "$expected"

cases=()
for sample in samples/*.yaml; do
  name=$(basename "$sample" .yaml)
  cases+=("$name.table|table -f $sample")
  cases+=("$name.effective|table -f $sample --view effective")
  cases+=("$name.dot|graph -f $sample --format dot")
  cases+=("$name.json|graph -f $sample --format json")
  cases+=("$name.mermaid|graph -f $sample --format mermaid")
done
while IFS= read -r line; do
  case "$line" in ''|'#'*) continue ;; esac
  cases+=("$line")
done < "$here/cases.txt"

render() {  # render ARGS: the command, then what it printed
  local out err code
  out=$(mktemp) err=$(mktemp)
  eval "\"$bin\" $1" >"$out" 2>"$err" </dev/null
  code=$?
  printf '$ netpol-graph %s\n--- exit %d\n--- stdout\n' "$1" "$code"
  cat "$out"
  printf -- '--- stderr\n'
  cat "$err"
  rm -f "$out" "$err"
}

if [ ${#only[@]} -gt 0 ]; then  # every name asked for must be a case
  for n in "${only[@]}"; do
    found=0
    for c in "${cases[@]}"; do [ "${c%%|*}" = "$n" ] && found=1; done
    [ $found -eq 1 ] || { echo "golden: no case named $n (see cases.txt and samples/)"; exit 2; }
  done
fi
wanted() {  # wanted NAME: whether --update NAME... includes it (all when none named)
  [ ${#only[@]} -eq 0 ] && return 0
  local n
  for n in "${only[@]}"; do [ "$n" = "$1" ] && return 0; done
  return 1
}

failed=0 passed=0 rewrote=0
got=$(mktemp)
trap 'rm -f "$got"' EXIT
for c in "${cases[@]}"; do
  name=${c%%|*} args=${c#*|}
  file="$expected/$name.txt"
  if [ "$update" = "--update" ]; then
    wanted "$name" || continue
    render "$args" > "$got"
    cp "$got" "$file"
    rewrote=$((rewrote + 1))
    continue
  fi
  render "$args" > "$got"
  if [ -f "$file" ] && cmp -s "$file" "$got"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: $name (netpol-graph $args)"
    diff -u "$file" "$got" | head -40
  fi
done
[ "$update" = "--update" ] && { echo "golden: rewrote $rewrote files in $expected"; exit 0; }
echo "golden: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
