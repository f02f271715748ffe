#!/usr/bin/env bash
# Input limits (docs/robustness.md, "Input limits"): a values file over 8 MiB is refused at
# once (--input-limit raises it), --manifests takes up to 768 MiB (a file over it is refused
# before it is read), and a file over the node
# budget is refused while it is parsed, before it is read into a tree: peak memory stays
# well under ten times the file's size.
# Usage: limits_test.sh NETPOL-GRAPH
source "$(dirname "$0")/lib.sh" "$1"
[ -x /usr/bin/time ] || { echo "FAIL: needs GNU time (scripts/setup.sh --tests)"; exit 1; }

/usr/bin/python3 - "$tmp" <<'PY'
import sys
tmp = sys.argv[1]
with open(f"{tmp}/list9.yaml", "w") as f:  # 9.5 MB, 450,000 nodes: over the values limit
    line = "  - a-longer-list-item\n"
    f.write("list:\n" + line * (9_500_000 // len(line)))
with open(f"{tmp}/list40.yaml", "w") as f:  # 40 MB, 4.4 million nodes: over the node budget
    line = "  - item\n"
    f.write("list:\n" + line * (40_000_000 // len(line)))
with open(f"{tmp}/dump.yaml", "w") as f:  # 10 MB of manifests (ConfigMaps, which are ignored)
    for i in range(2000):
        f.write(f"---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c{i}}}\n"
                f"data: {{blob: {'x' * 5000}}}\n")
big = "x" * (1 << 20)
with open(f"{tmp}/alias300.yaml", "w") as f:  # 1 MiB, aliased 300 times: 301 MiB of text
    f.write(f"big: &b {big}\nlist:\n" + "  - *b\n" * 300)
with open(f"{tmp}/alias14.yaml", "w") as f:  # 1 MiB, aliased 14 times: 15 MiB, under 16
    f.write(f"big: &b {big}\nlist:\n" + "  - *b\n" * 14)
small = "y" * 1024
with open(f"{tmp}/alias14k.yaml", "w") as f:  # a list of 1,000 1 KiB scalars, aliased 14 times
    f.write("big: &b [" + ", ".join([small] * 1000) + "]\nlist:\n" + "  - *b\n" * 14)
PY

"$bin" table -f "$tmp/list9.yaml" > /dev/null 2> "$tmp/err"
check "a 9.5 MB values file exits 2" test $? -eq 2
check "... refused by the 8 MiB limit" grep -q "the input is larger than the limit of 8 MiB (raise it with --input-limit)" "$tmp/err"
"$bin" table -f "$tmp/list9.yaml" --input-limit 16 > /dev/null 2> "$tmp/err"
check "--input-limit 16 reads it" test $? -eq 0

size=$(stat -c %s "$tmp/dump.yaml")
check "the dump is over 8 MiB" test "$size" -gt $((8 << 20))
"$bin" table --manifests "$tmp/dump.yaml" > /dev/null 2> "$tmp/err"
check "--manifests reads it under the 768 MiB default" test $? -eq 0
# A 1 GiB file (sparse: it takes no disk) is refused by its size, before a byte is read.
truncate -s 1G "$tmp/huge.json"
/usr/bin/time -f "%e %M" -o "$tmp/cost" "$bin" table --manifests "$tmp/huge.json" > /dev/null 2> "$tmp/err"
check "a 1 GiB manifests file exits 2" test $? -eq 2
check "... refused by the 768 MiB limit" grep -q "huge.json: the input is larger than the limit of 768 MiB" "$tmp/err"
read -r seconds kib < <(tail -1 "$tmp/cost")  # GNU time's last line: the first names the exit
check "... at once ($seconds s, $kib KiB): it is not read" test "$kib" -lt $((64 * 1024))

/usr/bin/time -f "%M" -o "$tmp/peak" "$bin" table -f "$tmp/list40.yaml" --input-limit 64 > /dev/null 2> "$tmp/err"
check "a file over the node budget exits 2" test $? -eq 2
check "... refused by the node budget" grep -q "the document expands to more than 1000000 nodes" "$tmp/err"
peak_kib=$(tail -1 "$tmp/peak")
file_kib=$(($(stat -c %s "$tmp/list40.yaml") / 1024))
# GCC links ASan's runtime as libasan.so, clang into the binary (its __asan_init).
if ldd "$bin" 2>/dev/null | grep -q libasan || grep -qa __asan_init "$bin"; then
  echo "limits: peak memory not checked under AddressSanitizer (its shadow memory and redzones)"
else
  check "... with peak memory ($peak_kib KiB) under ten times the file ($file_kib KiB)" \
    test "$peak_kib" -lt $((10 * file_kib))
fi

# Aliases copy text: what they copy counts against the input limit in bytes.
/usr/bin/time -f "%M" -o "$tmp/peak" "$bin" table -f "$tmp/alias300.yaml" > /dev/null 2> "$tmp/err"
check "a 1 MiB scalar aliased 300 times exits 2" test $? -eq 2
check "... refused by the input limit in bytes" grep -q "list\[6\]: the document expands its aliases to more than 8 MiB of text, the input limit (raise it with --input-limit)" "$tmp/err"
if ldd "$bin" 2>/dev/null | grep -q libasan || grep -qa __asan_init "$bin"; then
  echo "limits: alias memory not checked under AddressSanitizer"
else
  check "... with peak memory ($(tail -1 "$tmp/peak") KiB) under 5 times the limit" \
    test "$(tail -1 "$tmp/peak")" -lt $((5 * 8 * 1024 + 32 * 1024))
  # Up to the limit, every command stays under five times it (plus the program, 32 MiB).
  for file in alias14 alias14k; do
    for cmd in table values "graph --format json" check; do
      /usr/bin/time -f "%M" -o "$tmp/peak" "$bin" $cmd -f "$tmp/$file.yaml" --input-limit 16 > /dev/null 2> "$tmp/err"
      rc=$?
      peak=$(tail -1 "$tmp/peak")
      check "$file.yaml ($cmd) is read under --input-limit 16 (exit $rc)" test "$rc" -le 1
      check "... in $peak KiB, under 5 times the limit" test "$peak" -lt $((5 * 16 * 1024 + 32 * 1024))
    done
  done
fi

echo "limits: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
