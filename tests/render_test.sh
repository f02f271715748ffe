#!/usr/bin/env bash
# SVG rendering, end to end:
#  - for every sample, `netpol-graph graph -o x.svg` is byte for byte what `dot -Tsvg` draws
#    from netpol-graph's own DOT (same layout, same node positions), also when the picture
#    is drawn for size (--max-nodes 2: services grouped, laid out with sfdp);
#  - so is `diff -o x.svg`, whole and with only the changes drawn by sfdp;
#  - the SVG is well-formed XML;
#  - PNG (by extension or --format) is byte for byte `dot -Tpng`; PDF is a PDF (its
#    creation date differs from dot's) that poppler reads, one page with the title and
#    every node's label, for graph and diff, to a file and to stdout;
#  - text commands never load Graphviz's render stack; SVG does.
# Usage: render_test.sh NETPOL-GRAPH
source "$(dirname "$0")/lib.sh" "$1"

# dot -Tsvg, then the two changes of ours: a "##[" or "##vso[" (a CI command) has its second
# '#' written as &#35; (src/text.hpp), and sibling clusters come in the order the DOT writes
# them (dot emits them in the order of their names' addresses in memory, which differs from
# process to process; netpol-graph reads the DOT with ids of its own: graphviz_runtime.hpp).
clusters_in_order() {
  /usr/bin/python3 -c '
import re, sys
svg = sys.stdin.read()
run = re.search(r"(<g id=\"clust\d+\" class=\"cluster\">.*?</g>\n)+", svg, re.S)
if run:
    groups = re.findall(r"<g id=\"clust(\d+)\" class=\"cluster\">.*?</g>\n", run.group(0), re.S)
    blocks = re.findall(r"<g id=\"clust\d+\" class=\"cluster\">.*?</g>\n", run.group(0), re.S)
    ordered = "".join(b for _, b in sorted(zip(map(int, groups), blocks), key=lambda p: p[0]))
    svg = svg[:run.start()] + ordered + svg[run.end():]
sys.stdout.write(svg)'
}
dot_svg() { dot -Tsvg "$@" | sed 's/##\(\[\|vso\[\)/#\&#35;\1/g' | clusters_in_order; }

# An SVG without where its edge labels stand: Graphviz leaves some on a namespace box's border
# (an edge into a box from outside, drawn left to right; an edge leaving a box, drawn top down),
# and the program moves those along their edges (exporters/label_room.hpp). Everything else is
# dot -Tsvg's, byte for byte.
without_label_places() {
  /usr/bin/python3 -c '
import re, sys
svg = open(sys.argv[1]).read()
# An edge runs to the next node, edge or cluster (its tooltip is a group of its own inside it).
edge = re.compile(r"<g id=\"edge\d+\" class=\"edge\">.*?(?=<g id=\"(?:edge|node|clust)\d+\"|</svg>)", re.S)
place = lambda m: re.sub(r"(<text[^>]*?) x=\"[^\"]*\" y=\"[^\"]*\"", r"\1", m.group(0))
sys.stdout.write(edge.sub(place, svg))' "$1"
}
for sample in samples/*.yaml tests/golden/inputs/awkward-names.yaml ""; do
  name=$(basename "${sample:-defaults}" .yaml)
  args=()
  [ -n "$sample" ] && args=(-f "$sample")
  "$bin" graph "${args[@]}" -o "$tmp/$name.svg" 2>/dev/null
  check "$name: graph -o x.svg exits 0" test $? -eq 0
  "$bin" graph "${args[@]}" --format dot 2>/dev/null | dot_svg > "$tmp/$name.ref.svg"
  check "$name: same SVG as dot -Tsvg, but where labels stand" cmp -s \
    <(without_label_places "$tmp/$name.svg") <(without_label_places "$tmp/$name.ref.svg")
  check "$name: every label clear of borders, of other labels and of lines" \
    python3 tests/title_clear.py --labels --lines "$tmp/$name.svg"
  check "$name: SVG is XML" /usr/bin/python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' "$tmp/$name.svg"
  "$bin" graph "${args[@]}" --max-nodes 2 -o "$tmp/$name.small.svg" 2>/dev/null
  check "$name --max-nodes 2: graph -o x.svg exits 0" test $? -eq 0
  "$bin" graph "${args[@]}" --max-nodes 2 --format dot 2>/dev/null > "$tmp/$name.small.dot"
  check "$name --max-nodes 2: the DOT asks for sfdp" grep -q 'layout=sfdp' "$tmp/$name.small.dot"
  dot_svg "$tmp/$name.small.dot" > "$tmp/$name.small.ref.svg"
  check "$name --max-nodes 2: same SVG as dot -Tsvg" cmp -s "$tmp/$name.small.svg" "$tmp/$name.small.ref.svg"
  check "$name --max-nodes 2: SVG is XML" /usr/bin/python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' "$tmp/$name.small.svg"
done

# Where a label moved, only it did.
moved=tests/golden/inputs/ingress-public-block.yaml
"$bin" graph -f "$moved" -o "$tmp/moved.svg" 2>/dev/null
"$bin" graph -f "$moved" --format dot 2>/dev/null | dot_svg > "$tmp/moved.ref.svg"
check "ingress-public-block: dot -Tsvg leaves a label on a border" bash -c \
  "! python3 tests/title_clear.py --labels '$tmp/moved.ref.svg' > /dev/null"
check "ingress-public-block: our SVG has every label clear" python3 tests/title_clear.py --labels --lines "$tmp/moved.svg"
check "ingress-public-block: the SVG differs from dot -Tsvg's" bash -c "! cmp -s '$tmp/moved.svg' '$tmp/moved.ref.svg'"
check "ingress-public-block: ... only in where edge labels stand" cmp -s \
  <(without_label_places "$tmp/moved.svg") <(without_label_places "$tmp/moved.ref.svg")

# A label an edge routed late runs through moves off it (otlp-default-endpoint: two lines to a
# junction through ingest's "TCP 4317"); only labels move (checked above).
check "otlp-default-endpoint: dot -Tsvg leaves a line through a label" bash -c \
  "! python3 tests/title_clear.py --labels --lines '$tmp/otlp-default-endpoint.ref.svg' > /dev/null"
check "otlp-default-endpoint: our SVG has every label off every line" \
  python3 tests/title_clear.py --labels --lines "$tmp/otlp-default-endpoint.svg"

# A node keeps its place between the pictures of one chart: the diff and every focus are ranked
# as the graph is, and the destinations' row keeps its order (tests/keeps_place.py).
check "graph, diff and focus pictures keep the same direction and destinations' order" \
  python3 tests/keeps_place.py "$bin" samples/*.yaml

# The diff picture, whole and drawn for size (--max-nodes 1: only changes, sfdp).
for max in 60 1; do
  diff_args=(diff samples/enabled.yaml samples/production-egress.yaml --max-nodes "$max")
  "$bin" "${diff_args[@]}" -o "$tmp/diff$max.svg" 2>/dev/null
  check "diff --max-nodes $max -o x.svg exits 1 (a difference)" test $? -eq 1
  "$bin" "${diff_args[@]}" --format dot 2>/dev/null | dot_svg > "$tmp/diff$max.ref.svg"
  check "diff --max-nodes $max: same SVG as dot -Tsvg, but where labels stand" cmp -s \
    <(without_label_places "$tmp/diff$max.svg") <(without_label_places "$tmp/diff$max.ref.svg")
  check "diff --max-nodes $max: every label clear" python3 tests/title_clear.py --labels --lines "$tmp/diff$max.svg"
  check "diff --max-nodes $max: SVG is XML" /usr/bin/python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' "$tmp/diff$max.svg"
done
check "diff --max-nodes 1 asks for sfdp" grep -q 'layout=sfdp' <("$bin" diff samples/enabled.yaml samples/production-egress.yaml --max-nodes 1 --format dot)

# PNG and PDF through Graphviz's cairo renderer: by extension, by --format, to stdout.
"$bin" graph -f samples/production-egress.yaml -o "$tmp/p.png" 2>/dev/null
check "graph -o x.png exits 0" test $? -eq 0
check "graph -o x.png starts with PNG's signature" bash -c "head -c 8 '$tmp/p.png' | od -An -tx1 | grep -q '89 50 4e 47 0d 0a 1a 0a'"
# Byte for byte where no label moves (the chart defaults: its SVG is dot's, checked above).
"$bin" graph -o "$tmp/still.png" 2>/dev/null
"$bin" graph --format dot | dot -Tpng > "$tmp/still.ref.png"
check "defaults: no label moved" cmp -s "$tmp/defaults.svg" "$tmp/defaults.ref.svg"
check "graph PNG is dot -Tpng's" cmp -s "$tmp/still.png" "$tmp/still.ref.png"
"$bin" graph -f samples/production-egress.yaml --format png > "$tmp/p.stdout.png" 2>/dev/null
check "graph --format png to stdout: the same bytes" cmp -s "$tmp/p.png" "$tmp/p.stdout.png"
"$bin" graph -f samples/production-egress.yaml -o "$tmp/p.pdf" 2>/dev/null
check "graph -o x.pdf exits 0" test $? -eq 0
check "graph -o x.pdf starts with %PDF-" bash -c "head -c 5 '$tmp/p.pdf' | grep -q '^%PDF-'"
check "graph -o x.pdf ends with %%EOF" bash -c "tail -c 6 '$tmp/p.pdf' | grep -q '%%EOF'"
"$bin" diff samples/enabled.yaml samples/production-egress.yaml -o "$tmp/d.png" 2>/dev/null
check "diff -o x.png exits 1 (a difference)" test $? -eq 1
still=(diff samples/enabled.yaml samples/otlp-external-collector.yaml)
"$bin" "${still[@]}" -o "$tmp/d.still.svg" 2>/dev/null
"$bin" "${still[@]}" --format dot | dot_svg > "$tmp/d.still.ref.svg"
check "diff enabled -> otlp-external-collector: no label moved" cmp -s "$tmp/d.still.svg" "$tmp/d.still.ref.svg"
# custom-rules-global -> enabled: dot puts the wide "narrowed: ... (was TCP 9090, 9510)" with
# its line along its side, where its text, drawn 2% wider than Graphviz measures it, touches
# the line: that label alone is nudged off it (exporters/label_room.cpp, kDrawnWider).
moved=(diff samples/custom-rules-global.yaml samples/enabled.yaml)
"$bin" "${moved[@]}" -o "$tmp/d.moved.svg" 2>/dev/null
"$bin" "${moved[@]}" --format dot | dot_svg > "$tmp/d.moved.ref.svg"
diff "$tmp/d.moved.svg" "$tmp/d.moved.ref.svg" | grep '^< ' > "$tmp/d.moved.lines"
check "diff custom-rules-global -> enabled: the wide label along its line moved, nothing else" \
  bash -c "[ \$(wc -l < '$tmp/d.moved.lines') = 2 ] && grep -q 'narrowed:' '$tmp/d.moved.lines' &&
    grep -q '(was TCP 9090, 9510)' '$tmp/d.moved.lines'"
"$bin" "${still[@]}" -o "$tmp/d.still.png" 2>/dev/null
"$bin" "${still[@]}" --format dot | dot -Tpng > "$tmp/d.still.ref.png"
check "diff PNG is dot -Tpng's" cmp -s "$tmp/d.still.png" "$tmp/d.still.ref.png"
"$bin" diff samples/enabled.yaml samples/production-egress.yaml --format pdf > "$tmp/d.pdf" 2>/dev/null
check "diff --format pdf starts with %PDF-" bash -c "head -c 5 '$tmp/d.pdf' | grep -q '^%PDF-'"
# Read by a PDF parser (poppler): one page, and its text has the title and every node's
# label that the graph's JSON lists (the diff's: its title and the changed services).
if command -v pdftotext > /dev/null && command -v pdfinfo > /dev/null; then
  check "graph PDF: poppler reads one page" bash -c "pdfinfo '$tmp/p.pdf' | grep -Eq '^Pages: +1$'"
  pdftotext "$tmp/p.pdf" - | tr -s ' \n' ' ' > "$tmp/p.txt"
  check "graph PDF: the text has the title" grep -qF "Traffic the network policies allow" "$tmp/p.txt"
  missing=$("$bin" graph -f samples/production-egress.yaml --format json | /usr/bin/python3 -c '
import json, sys
text = open(sys.argv[1]).read()
print(" ".join(n["label"] for n in json.load(sys.stdin)["nodes"] if n["label"] not in text))' "$tmp/p.txt")
  check "graph PDF: the text has every node's label${missing:+ (missing: $missing)}" test -z "$missing"
  check "diff PDF: poppler reads one page" bash -c "pdfinfo '$tmp/d.pdf' | grep -Eq '^Pages: +1$'"
  check "diff PDF: the text says what changed" bash -c \
    "pdftotext '$tmp/d.pdf' - | tr -s ' \n' ' ' | grep -qF 'Changes in effective access: 0 added, 0 removed, 0 widened, 12 narrowed'"
fi
# reach draws its answer: the same SVG as dot -Tsvg of its DOT, paths in purple; PNG too.
"$bin" reach -f samples/production-egress.yaml --from ui -o "$tmp/reach.svg" 2>/dev/null
check "reach --from ui -o x.svg exits 0" test $? -eq 0
"$bin" reach -f samples/production-egress.yaml --from ui --format dot | dot_svg > "$tmp/reach.ref.svg"
check "reach SVG is dot -Tsvg's, but where labels stand" cmp -s \
  <(without_label_places "$tmp/reach.svg") <(without_label_places "$tmp/reach.ref.svg")
check "reach SVG: every label clear" python3 tests/title_clear.py --labels --lines "$tmp/reach.svg"
check "reach SVG is XML" /usr/bin/python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' "$tmp/reach.svg"
check "reach SVG draws paths in purple" grep -q '#7c3aed' "$tmp/reach.svg"
"$bin" reach -f samples/production-egress.yaml --to meta --format png > "$tmp/reach.png" 2>/dev/null
check "reach --to meta --format png starts with PNG's signature" bash -c "head -c 8 '$tmp/reach.png' | od -An -tx1 | grep -q '89 50 4e 47 0d 0a 1a 0a'"
"$bin" reach -f samples/production-egress.yaml --format svg > /dev/null 2>&1
check "reach --format svg without --from or --to is an error (exit 2)" test $? -eq 2
check "graph -o x.png loads pango" bash -c "grep -q libgvplugin_pango <<< \"\$(LD_DEBUG=files '$bin' graph -o '$tmp/y.png' 2>&1 >/dev/null)\""

# LD_DEBUG=files makes the dynamic loader name every library it opens.
check "table loads no Graphviz" bash -c "! grep -q -e libgvc -e pango <<< \"\$(LD_DEBUG=files '$bin' table 2>&1 >/dev/null)\""
check "table loads no libcrypto" bash -c "! grep -q libcrypto <<< \"\$(LD_DEBUG=files '$bin' table 2>&1 >/dev/null)\""
check "report loads libcrypto (the bundle's SHA-256)" bash -c "grep -q libcrypto <<< \"\$(LD_DEBUG=files '$bin' report -o '$tmp/bundle' 2>&1 >/dev/null)\""
check "graph --focus --format mermaid loads no Graphviz (Mermaid lays out itself)" bash -c "! grep -q -e libgvc -e libcgraph <<< \"\$(LD_DEBUG=files '$bin' graph --focus query --format mermaid 2>&1 >/dev/null)\""
check "graph --format dot loads no Graphviz" bash -c "! grep -q -e libgvc -e pango <<< \"\$(LD_DEBUG=files '$bin' graph --format dot 2>&1 >/dev/null)\""
check "graph -o x.svg loads pango" bash -c "grep -q libgvplugin_pango <<< \"\$(LD_DEBUG=files '$bin' graph -o '$tmp/x.svg' 2>&1 >/dev/null)\""
check "graph -o x.svg loads no sfdp" bash -c "! grep -q libgvplugin_neato <<< \"\$(LD_DEBUG=files '$bin' graph -o '$tmp/x.svg' 2>&1 >/dev/null)\""
check "graph --layout sfdp -o x.svg loads sfdp" bash -c "grep -q libgvplugin_neato <<< \"\$(LD_DEBUG=files '$bin' graph --layout sfdp -o '$tmp/x.svg' 2>&1 >/dev/null)\""

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
