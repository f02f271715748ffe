#!/usr/bin/env bash
# Outputs never destroy what the user owns (docs/robustness.md, "Outputs"): report -o writes
# only into a new or empty directory or a previous bundle, and keeps a link a link; an output
# that is one of the run's inputs is refused before anything is read; a write error on
# standard output is an error; /dev/stdout and /proc/self/fd/N are written through whatever
# they are; -o "" is an error; a hard-linked output keeps its links. And outputs a parser and
# a CI log can read: a file name's line break writes no raw line into the bundle's README, a
# noncharacter is refused, ##vso[ is escaped by each format's own escape.
# Usage: outputs_test.sh NETPOL-GRAPH
source "$(dirname "$0")/lib.sh" "$1"
values=samples/otlp-default-endpoint.yaml

# report -o DIR where DIR holds the user's files: refused, and every file is still there.
mkdir -p "$tmp/dir/sub"
echo keep > "$tmp/dir/precious.txt"
echo keep > "$tmp/dir/sub/inner.txt"
"$bin" report -f "$values" -o "$tmp/dir" > /dev/null 2> "$tmp/err"
check "report into a directory of the user's files exits 2" test $? -eq 2
check "... and says what is there" grep -q "refusing to write the bundle to .*dir: it is not empty and holds no bundle (no SHA256SUMS): precious.txt, sub/" "$tmp/err"
check "... and precious.txt is kept" grep -qx keep "$tmp/dir/precious.txt"
check "... and sub/inner.txt is kept" grep -qx keep "$tmp/dir/sub/inner.txt"
check "... and nothing is left beside it" test "$(ls "$tmp")" = "$(printf 'dir\nerr')"

# A new directory, then the same again (a previous bundle is replaced), an empty one.
"$bin" report -f "$values" -o "$tmp/review" > /dev/null 2>&1
check "report into a new directory" test -f "$tmp/review/SHA256SUMS"
"$bin" report -f "$values" -o "$tmp/review" > /dev/null 2>&1
check "report over a previous bundle" test $? -eq 0
check "... which checks" bash -c "cd '$tmp/review' && sha256sum --quiet -c SHA256SUMS"
mkdir "$tmp/empty"
"$bin" report -f "$values" -o "$tmp/empty" > /dev/null 2>&1
check "report into an empty directory" test -f "$tmp/empty/index.html"

# A previous bundle with one more file of the user's is not a bundle any more.
echo notes > "$tmp/review/my-notes.md"
"$bin" report -f "$values" -o "$tmp/review" > /dev/null 2> "$tmp/err"
check "a bundle holding a file of the user's is refused" test $? -eq 2
check "... naming the file" grep -q "holds files that are not part of its bundle: my-notes.md" "$tmp/err"
check "... which is kept" grep -qx notes "$tmp/review/my-notes.md"
rm "$tmp/review/my-notes.md"

# A SHA256SUMS naming a path outside its bundle removes nothing there.
echo keep > "$tmp/victim"
printf '%064d  ../../victim\n' 0 >> "$tmp/review/SHA256SUMS"
"$bin" report -f "$values" -o "$tmp/review" > /dev/null 2>&1
check "a bundle's SHA256SUMS naming ../../victim leaves the file beside it" grep -qx keep "$tmp/victim"
rm "$tmp/victim"

# A link to a bundle directory stays a link.
ln -s review "$tmp/link-to-review"
"$bin" report -f "$values" -o "$tmp/link-to-review" > /dev/null 2>&1
check "report through a link to a directory" test $? -eq 0
check "... leaves the link a link" test -L "$tmp/link-to-review"
check "... and writes the bundle where it points" test -f "$tmp/review/index.html"

# An output that is an input: refused, the input unchanged.
cp "$values" "$tmp/in.yaml"
cp "$tmp/in.yaml" "$tmp/in.orig"
for cmd in "values -f $tmp/in.yaml -o $tmp/in.yaml" \
           "values -f $tmp/in.yaml -o $tmp/sub/../in.yaml" \
           "table -f $tmp/in.yaml -o $tmp/in.yaml" \
           "values --defaults $tmp/in.yaml -o $tmp/in.yaml" \
           "graph --manifests $tmp/in.yaml -o $tmp/in.yaml" \
           "check -f $values --intent $tmp/in.yaml -o $tmp/in.yaml" \
           "check -f $values --flows $tmp/in.yaml -o $tmp/in.yaml" \
           "suggest -f $tmp/in.yaml -o $tmp/in.yaml" \
           "suggest -f $values --intent $tmp/in.yaml -o $tmp/in.yaml" \
           "suggest -f $values --flows $tmp/in.yaml -o $tmp/in.yaml" \
           "diff $values $tmp/in.yaml -o $tmp/in.yaml"; do
  mkdir -p "$tmp/sub"
  # shellcheck disable=SC2086
  "$bin" $cmd > /dev/null 2> "$tmp/err"
  check "$cmd exits 2" test $? -eq 2
  check "... says the output is an input" grep -q "refusing to write .*in.yaml: it is the input .*in.yaml" "$tmp/err"
  check "... and leaves it unchanged" cmp -s "$tmp/in.yaml" "$tmp/in.orig"
done
ln -s in.yaml "$tmp/in-link.yaml"
"$bin" values -f "$tmp/in.yaml" -o "$tmp/in-link.yaml" > /dev/null 2>&1
check "an output linked to an input is refused" test $? -eq 2
mkdir -p "$tmp/mdir"
"$bin" manifests -f "$values" -o "$tmp/mdir/m.yaml" 2> /dev/null
cp "$tmp/mdir/m.yaml" "$tmp/m.orig"
"$bin" graph --manifests "$tmp/mdir" -o "$tmp/mdir/m.yaml" 2> "$tmp/err"
check "an output inside an input directory is refused" test $? -eq 2
check "... and the file kept" cmp -s "$tmp/mdir/m.yaml" "$tmp/m.orig"
"$bin" report --manifests "$tmp/mdir" -o "$tmp/mdir" > /dev/null 2> "$tmp/err"
check "a bundle over its own input directory is refused" test $? -eq 2

# Standard output that cannot be written: an error, exit 2.
"$bin" table -f "$values" > /dev/full 2> "$tmp/err"
check "table > /dev/full exits 2" test $? -eq 2
check "... saying why" grep -q "cannot write standard output: No space left on device" "$tmp/err"
"$bin" graph -f "$values" --format svg > /dev/full 2> "$tmp/err"
check "graph --format svg > /dev/full exits 2" test $? -eq 2
# A closed pipe ends quietly (SIGPIPE, or EPIPE where it is ignored).
out=$( (trap '' PIPE; "$bin" graph -f "$values" --format json 2> "$tmp/err"; echo "rc=$?" > "$tmp/rc") | head -c 10)
check "a closed pipe prints no error" test ! -s "$tmp/err"
check "... and is no failure" grep -qx "rc=0" "$tmp/rc"

# /dev/stdout and /proc/self/fd/1 are whatever standard output is.
"$bin" table -f "$values" > "$tmp/expected"
"$bin" table -f "$values" -o /dev/stdout | cat > "$tmp/got" 2> "$tmp/err"
check "-o /dev/stdout into a pipe" cmp -s "$tmp/expected" "$tmp/got"
"$bin" table -f "$values" -o /proc/self/fd/1 | cat > "$tmp/got"
check "-o /proc/self/fd/1 into a pipe" cmp -s "$tmp/expected" "$tmp/got"
echo "first line" > "$tmp/appended"
"$bin" table -f "$values" -o /dev/stdout >> "$tmp/appended"
check "-o /dev/stdout appended to a file keeps what was there" test "$(head -1 "$tmp/appended")" = "first line"
check "... and adds the table" test "$(tail -n +2 "$tmp/appended")" = "$(cat "$tmp/expected")"

# -o "" is an error, not standard output.
"$bin" table -f "$values" -o "" > "$tmp/out" 2> "$tmp/err"
check '-o "" exits 2' test $? -eq 2
check "... saying the path is empty" grep -q "the output path is empty" "$tmp/err"
check "... and writes nothing" test ! -s "$tmp/out"

# A hard-linked output is written in place: both names see the new text.
echo old > "$tmp/hard"
ln "$tmp/hard" "$tmp/hard2"
"$bin" table -f "$values" -o "$tmp/hard"
check "a hard-linked output keeps its link" test "$(stat -c %h "$tmp/hard")" -eq 2
check "... and the other name sees the output" cmp -s "$tmp/hard2" "$tmp/expected"

# A file name with a line break writes no raw line into the bundle's README.
odd="$tmp/$(printf 'a\n<!--\n# Approved.yaml')"
cp "$values" "$odd"
"$bin" report -f "$odd" -o "$tmp/odd-bundle" > /dev/null 2>&1
check "report of a file whose name holds line breaks" test -f "$tmp/odd-bundle/README.md"
check "... names it on one line" grep -qF 'a\n<!--\n# Approved.yaml`' "$tmp/odd-bundle/README.md"
check "... and writes no line of its own" bash -c "! grep -qx '# Approved.yaml.*' '$tmp/odd-bundle/README.md' && ! grep -qx '<!--' '$tmp/odd-bundle/README.md'"

# A noncharacter (XML cannot hold U+FFFE) in a name is refused before any output.
printf 'global:\n  networkPolicy:\n    enabled: true\n    externalEgress:\n      - {name: "x\xef\xbf\xbe", cidr: 10.0.0.0/8}\n' > "$tmp/nonchar.yaml"
"$bin" graph -f "$tmp/nonchar.yaml" --format svg > "$tmp/out" 2> "$tmp/err"
check "a noncharacter in a name exits 2" test $? -eq 2
check "... saying what it is" grep -q "the noncharacter U+FFFE, which XML and YAML cannot carry" "$tmp/err"
check "... and writes nothing" test ! -s "$tmp/out"

# ##vso[ (an Azure Pipelines command anywhere in a line) in JSON: escaped, and still the name.
printf 'global:\n  networkPolicy:\n    enabled: true\n    externalEgress:\n      - {name: "##vso[task.setvariable variable=x]y", cidr: 10.0.0.0/8}\nmeta:\n  networkPolicy:\n    allowExternalEgress: true\n' > "$tmp/vso.yaml"
for fmt in json dot svg csv text; do
  "$bin" graph -f "$tmp/vso.yaml" --format $fmt > "$tmp/out" 2> /dev/null
  check "graph --format $fmt: no ##vso[ in the output" bash -c "! grep -q '##vso\[' '$tmp/out'"
done
"$bin" values -f "$tmp/vso.yaml" > "$tmp/out"
check "values: no ##vso[ in the YAML" bash -c "! grep -q '##vso\[' '$tmp/out'"
check "... which reads back as the name" python3 -c "import yaml,sys; v=yaml.safe_load(open(sys.argv[1])); assert v['global']['networkPolicy']['externalEgress'][0]['name'] == '##vso[task.setvariable variable=x]y'" "$tmp/out"

echo "outputs: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
