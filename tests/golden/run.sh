#!/usr/bin/env bash
# Golden end-to-end tests: runs netpol-graph on every sample (table, effective table,
# DOT, JSON, Mermaid) and on the cases in
# cases.txt, and compares exit code, standard output and standard error with the
# files in expected/. Each expected file holds the command and everything it printed.
#
#   tests/golden/run.sh BINARY            compare (used by ctest)
#   tests/golden/run.sh BINARY --update   rewrite expected/ (read the diff before committing)
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
update=${2:-}
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

failed=0 passed=0
got=$(mktemp)
trap 'rm -f "$got"' EXIT
for c in "${cases[@]}"; do
  name=${c%%|*} args=${c#*|}
  file="$expected/$name.txt"
  render "$args" > "$got"
  if [ "$update" = "--update" ]; then
    cp "$got" "$file"
  elif [ -f "$file" ] && cmp -s "$file" "$got"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: $name (netpol-graph $args)"
    diff -u "$file" "$got" | head -40
  fi
done
[ "$update" = "--update" ] && { echo "golden: rewrote ${#cases[@]} files in $expected"; exit 0; }
echo "golden: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
