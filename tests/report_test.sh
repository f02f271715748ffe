#!/usr/bin/env bash
# The review bundle: `report -o DIR` writes every file; a failing run leaves an existing DIR
# untouched; the page carries the graph's JSON as graph.json has it. The page in a browser
# is tests/report_browser_test.sh.
# Usage: report_test.sh NETPOL-GRAPH
source "$(dirname "$0")/lib.sh" "$1"

bundle="$tmp/review"
"$bin" report -f samples/enabled.yaml -o "$bundle" > "$tmp/out" 2> "$tmp/err"
check "report exits 0" test $? -eq 0
for f in README.md graph.svg graph.dot graph.json findings.sarif index.html provenance.json SHA256SUMS; do
  check "report writes $f" test -s "$bundle/$f"
done
check "SHA256SUMS lists every other file, and sha256sum -c agrees" bash -c \
  "cd '$bundle' && sha256sum -c --quiet SHA256SUMS && [ \$(wc -l < SHA256SUMS) -eq \$(( \$(ls | wc -l) - 1 )) ]"
# Provenance: the tool, the command line, the time (SOURCE_DATE_EPOCH: a reproducible
# bundle) and each input's SHA-256 as sha256sum computes it.
SOURCE_DATE_EPOCH=1700000000 "$bin" report -f samples/enabled.yaml --set ui.networkPolicy.allowExternal=false -o "$tmp/p1" > /dev/null 2>&1
mv "$tmp/p1" "$tmp/p1first"
SOURCE_DATE_EPOCH=1700000000 "$bin" report -f samples/enabled.yaml --set ui.networkPolicy.allowExternal=false -o "$tmp/p1" > /dev/null 2>&1
check "with SOURCE_DATE_EPOCH, the same command writes the same bundle" diff -r "$tmp/p1first" "$tmp/p1"
check "provenance.json says the tool, command, time and input digests" /usr/bin/python3 - "$tmp/p1/provenance.json" "$("$bin" --version)" "$(sha256sum samples/enabled.yaml | cut -d' ' -f1)" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
assert p["tool"]["name"] == "netpol-graph" and p["tool"]["version"] in sys.argv[2], p["tool"]
assert p["command"][1:5] == ["report", "-f", "samples/enabled.yaml", "--set"], p["command"]
assert p["generatedAt"] == "2023-11-14T22:13:20Z", p["generatedAt"]
inputs = {i["name"]: i for i in p["inputs"]}
assert inputs["samples/enabled.yaml"]["sha256"] == sys.argv[3], inputs
assert inputs["samples/enabled.yaml"]["bytes"] == 191
assert "<defaults>" in inputs and "<profile>" in inputs and "--set ui.networkPolicy.allowExternal=false" in inputs
PY
check "README.md says how the bundle was made" grep -qF "at 2023-11-14T22:13:20Z (UTC)" "$tmp/p1/README.md"
SOURCE_DATE_EPOCH=soon "$bin" report -f samples/enabled.yaml -o "$tmp/p2" > /dev/null 2> "$tmp/p2.err"
check "a SOURCE_DATE_EPOCH that is no number is an error" grep -qF "SOURCE_DATE_EPOCH: expected seconds" "$tmp/p2.err"
for section in "**Verdict:**" "## Diagram" "## Service Communication Map" "## Findings" \
               "## Reachable from the internet" "## Provenance of every edge" "egress-open-world"; do
  check "README.md has $section" grep -qF -- "$section" "$bundle/README.md"
done
# The README's sections say what the commands say: the map is `table`'s, the verdict counts
# `check`'s findings, the provenance table has a row per edge of graph.json, and the
# reachable table a row per node `reach --from any-source` lists.
"$bin" table -f samples/enabled.yaml > "$tmp/table.md" 2> /dev/null
"$bin" check -f samples/enabled.yaml --format json > "$tmp/check.json" 2> /dev/null
"$bin" reach -f samples/enabled.yaml --from any-source --format json > "$tmp/reach.json" 2> /dev/null
check "README.md's sections agree with table, check, graph and reach" /usr/bin/python3 - \
  "$bundle" "$tmp/table.md" "$tmp/check.json" "$tmp/reach.json" <<'PY'
import json, re, sys
bundle, table, check, reach = sys.argv[1:]
readme = open(bundle + "/README.md").read()
def section(title):
    start = readme.index("\n## " + title + "\n")
    end = readme.find("\n## ", start + 1)
    return readme[start:end if end >= 0 else len(readme)]
def rows(text):  # the data rows of the first Markdown table
    lines = [l for l in text.splitlines() if l.startswith("|")]
    return lines[2:]
documented = section("Service Communication Map").split("Everything the policies allow")[0]
assert rows(documented) == rows(open(table).read()), (rows(documented), rows(open(table).read()))
findings = json.load(open(check))["findings"]
counts = {s: sum(f["severity"] == s for f in findings) for s in ("error", "warning", "info")}
verdict = re.search(r"\*\*Verdict:\*\* (\d+) errors?, (\d+) warnings?, (\d+) infos?", readme)
assert verdict and tuple(map(int, verdict.groups())) == (counts["error"], counts["warning"], counts["info"]), verdict
listed = section("Findings")
assert all("`%s` at `%s`" % (f["code"], f["path"]) in listed for f in findings), listed
edges = json.load(open(bundle + "/graph.json"))["edges"]
assert len(rows(section("Provenance of every edge"))) == len(edges), len(edges)
reached = json.load(open(reach))
exposed = rows(section("Reachable from the internet"))
assert len(exposed) == len(reached["routes"]), reached["routes"]
# What the internet reaches comes first, each node with the ports and keys of the hop into it.
assert readme.index("\n## ") == readme.index("\n## Reachable from the internet\n"), "not first"
for row, route in zip(exposed, reached["routes"]):
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[0] == route["to"] and int(cells[1]) == route["hops"], (cells, route)
    assert cells[2].startswith(("TCP", "UDP", "SCTP", "all")) and "`" in cells[3], cells
PY
# Nothing exposed: the card says so.
"$bin" report -f samples/enabled.yaml --set ui.networkPolicy.allowExternal=false,ingest.networkPolicy.allowExternal=false,query.networkPolicy.allowExternal=false -o "$tmp/closed" > /dev/null 2>&1
check "with nothing exposed, README.md and index.html say so first" bash -c \
  "grep -qF 'Nothing: no source outside the cluster reaches a workload.' '$tmp/closed/README.md' &&
   grep -qF '<section id=\"internet\" class=\"card none\">' '$tmp/closed/index.html'"
check "index.html loads nothing from the network" bash -c "! grep -Eq '(src|href)=\"(https?:)?//' '$bundle/index.html'"
check "graph.dot is the graph command's DOT" cmp -s "$bundle/graph.dot" <("$bin" graph -f samples/enabled.yaml --format dot)

# A failing run must leave the previous bundle as it was.
cp -r "$bundle" "$tmp/before"
"$bin" report -f tests/golden/inputs/wrong-type.yaml -o "$bundle" > /dev/null 2>&1
check "a failing report exits 2" test $? -eq 2
check "a failing report leaves the bundle untouched" diff -r "$tmp/before" "$bundle"
check "no temporary directory is left behind" bash -c "! ls -d '$tmp'/review.* 2>/dev/null | grep -q ."
# A second run replaces the bundle whole.
"$bin" report -f samples/production-egress.yaml -o "$bundle" > /dev/null 2>&1
check "a second report replaces the bundle" grep -q "10.0.0.0/16" "$bundle/graph.dot"

# Names that would end the script element or open a comment are carried as data: the JSON
# embedded in index.html holds no '<' and parses to graph.json.
"$bin" report -f tests/golden/inputs/script-names.yaml -o "$tmp/hostile" > /dev/null 2>&1
check "a report of hostile names exits 0" test $? -eq 0
check "index.html embeds the graph JSON inert and whole" /usr/bin/python3 - "$tmp/hostile" <<'PY'
import json, sys
d = sys.argv[1]
page = open(d + "/index.html").read()
start = page.index('<script type="application/json" id="graph-data">') + len('<script type="application/json" id="graph-data">')
data = page[start:page.index("</script>", start)]
sys.exit(0 if "<" not in data and json.loads(data) == json.load(open(d + "/graph.json")) else 1)
PY

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
