#!/usr/bin/env bash
# Every output format, on values whose free text is hostile (tests/golden/inputs/awkward-names.yaml:
# quotes, '<', '&', '|', backslashes, Markdown, template syntax, CI workflow commands) read
# from a file whose own name is hostile too (a space, quotes, '<', '%', '#', '?', a line break
# and "::error"), is read back with the real parser of its format and must carry every name
# exactly; and no line of any output, error or warning may begin with a CI command or carry
# a control character (docs/robustness.md, "Outputs any input can carry"). The same for
# manifests whose AdminNetworkPolicy rule names (free text) are hostile: provenance,
# explanations, findings and diffs carry them.
# Usage: hostile_test.sh NETPOL-GRAPH
source "$(dirname "$0")/lib.sh" "$1"
command -v dot > /dev/null || { echo "FAIL: needs Graphviz's dot (scripts/setup.sh)"; exit 1; }
/usr/bin/python3 - "$bin" "$tmp" <<'PY'
import json, os, re, subprocess, sys, urllib.parse, xml.dom.minidom
import yaml

binary, tmp = sys.argv[1], sys.argv[2]
values = os.path.join(tmp, "v a\"l<u>&e%20's |\n::error::f#?.yaml")
with open("tests/golden/inputs/awkward-names.yaml") as src, open(values, "w") as dst:
    dst.write(src.read())
spec = yaml.safe_load(open(values))
names = [e["name"] for e in spec["global"]["networkPolicy"]["externalEgress"]]
unknown_key = next(k for k in spec["global"]["networkPolicy"] if k.startswith("<b>"))
shown_file = values.replace("\n", "\\n")  # how messages show the file name: one line

passed = failed = 0
def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {name}" + (f": {detail}" if detail else ""))

def run(*args, expect=(0, 1)):
    r = subprocess.run([binary, *args], capture_output=True, stdin=subprocess.DEVNULL)
    what = " ".join(a if a != values else "VALUES" for a in args)
    check(f"{what}: exit {r.returncode}", r.returncode in expect, r.stderr.decode(errors="replace")[:300])
    for stream, data in (("stdout", r.stdout), ("stderr", r.stderr)):
        lines_safe(f"{what} {stream}", data, prose=(stream == "stderr"))
    return r.stdout.decode(), r.stderr.decode()

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
def lines_safe(what, data, prose):
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        check(f"{what}: UTF-8", False, str(e))
        return
    check(f"{what}: no control character", not CONTROL.search(text), repr(CONTROL.findall(text)[:3]))
    bad = [l for l in text.split("\n") if l.lstrip(" \t").startswith("::")]
    check(f"{what}: no line begins with ::", not bad, repr(bad[:2]))
    # Every format: each writes the second '#' by its own escape (src/text.hpp).
    bad = [l for l in text.split("\n") if "##[" in l or "##vso[" in l]
    check(f"{what}: no ##[ or ##vso[ in a line", not bad, repr(bad[:2]))

def markdown_tables(what, text):
    """Every row of every table has as many unescaped '|' as its header."""
    width = None
    for line in text.split("\n"):
        if not line.startswith("|"):
            width = None
            continue
        pipes = len(re.findall(r"(?<!\\)\|", line))
        if width is None:
            width = pipes
        check(f"{what}: table row keeps its columns", pipes == width, line[:120])

def markdown_cells(text):
    """The text of every table cell, unescaped as CommonMark reads a backslash escape."""
    cells = []
    for line in text.split("\n"):
        if line.startswith("|"):
            for cell in re.split(r"(?<!\\)\|", line)[1:-1]:
                cells.append(re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", cell.strip()))
    return " ".join(cells)

def svg_texts(what, svg):
    try:
        doc = xml.dom.minidom.parseString(svg)
    except Exception as e:
        check(f"{what}: SVG is XML", False, str(e))
        return ""
    check(f"{what}: SVG is XML", True)
    out = []
    for tag in ("title", "text"):
        for el in doc.getElementsByTagName(tag):
            out.append("".join(n.data for n in el.childNodes if n.nodeType == n.TEXT_NODE))
    return "\n".join(out)

def dot_parses(what, dot):
    r = subprocess.run(["dot", "-Tcanon"], input=dot.encode(), capture_output=True)
    check(f"{what}: Graphviz reads the DOT", r.returncode == 0 and not r.stderr, r.stderr.decode()[:200])
    return r.stdout.decode()

def dot_text(canon):
    """DOT's quoted text as Graphviz draws it: \\" a quote, &#35; (the escape of a '#' that
    would start a CI command) a '#'."""
    return canon.replace('\\"', '"').replace("&#35;", "#")

def has_names(what, text, ids=True, prose=False, only=None):
    for n in (only if only is not None else names):
        want = ("ext:" + n) if ids else n
        if prose:  # text and Markdown escape the older CI command forms (src/text.hpp)
            want = want.replace("##[", "#\\#[").replace("##vso[", "#\\#vso[")
        check(f"{what}: carries {n!r}", want in text)

def json_strings(doc):
    """Every string of a JSON document, keys included, one per line."""
    if isinstance(doc, dict):
        return "\n".join(k + "\n" + json_strings(v) for k, v in doc.items())
    if isinstance(doc, list):
        return "\n".join(json_strings(v) for v in doc)
    return doc if isinstance(doc, str) else ""

# graph: DOT, SVG, Mermaid (its parser: tests/mermaid_test.sh), JSON
out, err = run("graph", "-f", values, "--format", "dot")
canon = dot_parses("graph dot", out)
has_names("graph dot (as Graphviz read it)", dot_text(canon))
check("graph: the warning names the file on one line", shown_file in err, err[:200])
check("graph: the warning names the unknown key", unknown_key in err)
# Graphviz draws the entity as '#': the DOT written, drawn by dot, shows every name.
drawn = subprocess.run(["dot", "-Tsvg"], input=out.encode(), capture_output=True).stdout.decode()
has_names("graph dot (drawn by Graphviz)", svg_texts("graph dot drawn", drawn))
out, _ = run("graph", "-f", values, "--format", "svg")
has_names("graph svg", svg_texts("graph svg", out))
out, _ = run("graph", "-f", values, "--format", "json")
doc = json.loads(out)
ids = {n["id"] for n in doc["nodes"]}
for n in names:
    check(f"graph json: node ext:{n!r}", "ext:" + n in ids)
run("graph", "-f", values, "--format", "mermaid")
# The edge lists: Python's csv module reads every row back with the header's seven fields,
# and the names, undone of the formula guard; the text has one edge a line.
import csv, io
out, _ = run("graph", "-f", values, "--format", "csv")
rows = list(csv.reader(io.StringIO(out, newline="")))
check("graph csv: a header of seven fields", rows and len(rows[0]) == 7, rows[:1])
check("graph csv: every row has seven fields", all(len(r) == 7 for r in rows), [r for r in rows if len(r) != 7][:2])
cells = [c[1:] if c[:1] == "'" else c for r in rows for c in r]
check("graph csv: no cell a spreadsheet runs as a formula",
      not any(c[:1] in ("=", "+", "-", "@", "\t", "\r") for r in rows for c in r))
has_names("graph csv (as csv reads it)", "\n".join(cells), prose=True)
out, _ = run("graph", "-f", values, "--format", "md")
markdown_tables("graph md", out)
has_names("graph md (as Markdown reads it)", markdown_cells(out))
out, _ = run("graph", "-f", values, "--format", "text")
check("graph text: one edge a line", all(" -> " in line for line in out.splitlines()), out[:300])

# table
out, _ = run("table", "-f", values, "--view", "effective")
markdown_tables("table", out)
has_names("table (as Markdown reads it)", markdown_cells(out), ids=False)

# reach
out, _ = run("reach", "-f", values, "--from", "query")
has_names("reach text", out, prose=True)
out, _ = run("reach", "-f", values, "--from", "query", "--format", "json")
has_names("reach json", json_strings(json.loads(out)))

# diff: text, Markdown, JSON, DOT, SVG. A diff row names one destination for a group of
# address blocks, so the names checked are those the JSON lists.
out, _ = run("diff", "samples/enabled.yaml", values, "--format", "json")
listed = json_strings(json.loads(out))
shown = [n for n in names if "ext:" + n in listed]
check("diff json: lists a hostile name", shown, listed[:300])
out, _ = run("diff", "samples/enabled.yaml", values)
has_names("diff text", out, prose=True, only=shown)
out, _ = run("diff", "samples/enabled.yaml", values, "--format", "md")
markdown_tables("diff md", out)
has_names("diff md (as Markdown reads it)", markdown_cells(out), only=shown)
out, _ = run("diff", "samples/enabled.yaml", values, "--format", "dot")
canon = dot_parses("diff dot", out)
has_names("diff dot (as Graphviz read it)", dot_text(canon), only=shown)
out, _ = run("diff", "samples/enabled.yaml", values, "--format", "svg")
has_names("diff svg", svg_texts("diff svg", out), only=shown)

# diff listing a change once for a group (--max-pairs 0): three alike services gain the
# hostile externals; every format names the group and the destinations.
alike_old = os.path.join(tmp, "alike-old.yaml")
alike_new = os.path.join(tmp, "alike-new.yaml")
alike = {s: {"networkPolicy": {"allowExternal": True, "allowExternalEgress": True}}
         for s in ("alpha", "beta", "gamma")}
entries = spec["global"]["networkPolicy"]["externalEgress"]
for path, egress in ((alike_old, []), (alike_new, entries)):
    with open(path, "w") as f:
        yaml.safe_dump({"global": {"networkPolicy": {"enabled": True, "externalEgress": egress}},
                        **alike}, f)
grouped = ["--old", alike_old, "--new", alike_new, "--defaults", "/dev/null", "--max-pairs", "0"]
out, _ = run("diff", *grouped, "--format", "json")
doc = json.loads(out)
check("grouped diff json: groups", doc.get("groups") == [["alpha", "beta", "gamma"]], str(doc.get("groups")))
listed = json_strings(doc)
shown = [n for n in names if "ext:" + n in listed]
check("grouped diff json: lists a hostile name", shown, listed[:300])
out, _ = run("diff", *grouped)
check("grouped diff text: names the group", "group 1 (3 services alike" in out)
has_names("grouped diff text", out, prose=True, only=shown)
out, _ = run("diff", *grouped, "--format", "md")
markdown_tables("grouped diff md", out)
has_names("grouped diff md (as Markdown reads it)", markdown_cells(out), only=shown)
out, _ = run("diff", *grouped, "--format", "dot")
canon = dot_parses("grouped diff dot", out)
has_names("grouped diff dot (as Graphviz read it)", dot_text(canon), only=shown)
out, _ = run("diff", *grouped, "--format", "svg")
has_names("grouped diff svg", svg_texts("grouped diff svg", out), only=shown)

# reach drawn: the answer's paths on the graph, as SVG
out, _ = run("reach", "-f", values, "--from", "query", "--format", "svg")
has_names("reach svg", svg_texts("reach svg", out))

# check: text, JSON, SARIF (a file URI that decodes to the file)
out, _ = run("check", "-f", values)
check("check text: names the unknown key", unknown_key in out)
out, _ = run("check", "-f", values, "--format", "json")
found = json.loads(out)
check("check json: the unknown key's finding", any(unknown_key in f["message"] for f in found["findings"]))
out, _ = run("check", "-f", values, "--format", "sarif")
sarif = json.loads(out)
uris = {loc["physicalLocation"]["artifactLocation"]["uri"]
        for r in sarif["runs"][0]["results"] for loc in r["locations"] if "physicalLocation" in loc}
check("check sarif: locations are URI references", uris and all(re.fullmatch(r"[A-Za-z0-9\-._~/%]+", u) for u in uris), repr(uris))
# Relative to --sarif-root (default: the working directory), whatever the name holds.
check("check sarif: the URI decodes to the file", os.path.relpath(values) in {urllib.parse.unquote(u) for u in uris}, repr(uris))
out, _ = run("check", "-f", values, "--format", "sarif", "--sarif-root", os.path.dirname(values))
uris = {loc["physicalLocation"]["artifactLocation"]["uri"]
        for r in json.loads(out)["runs"][0]["results"] for loc in r["locations"] if "physicalLocation" in loc}
check("check sarif --sarif-root: the URI is the name in its directory", {urllib.parse.unquote(u) for u in uris} == {os.path.basename(values)}, repr(uris))
check("check sarif: names in messages", all(any(n in r["message"]["text"] for r in sarif["runs"][0]["results"]) for n in names[2:]))

# manifests and values: YAML read back
out, _ = run("manifests", "-f", values, "--workloads")
docs = [d for d in yaml.safe_load_all(out) if d]
check("manifests: YAML of NetworkPolicies and Deployments", len(docs) == 12, str(len(docs)))
out, _ = run("values", "-f", values)
back = yaml.safe_load(out)
check("values: YAML reads back to the names", [e["name"] for e in back["global"]["networkPolicy"]["externalEgress"]] == names)
check("values: the unknown key reads back", unknown_key in back["global"]["networkPolicy"])
check("values: a key and a value that begin with :: read back",
      back["global"]["networkPolicy"].get("::warning::key") == "::notice::value")
out, _ = run("values", "-f", values, "--format", "json")
check("values json: the same values", json.loads(out) == back)

# report: every file of the bundle
bundle = os.path.join(tmp, "bundle")
run("report", "-f", values, "-o", bundle)
for name in sorted(os.listdir(bundle)):
    data = open(os.path.join(bundle, name), "rb").read()
    lines_safe(f"report {name}", data, prose=name.endswith(".md"))
readme = open(os.path.join(bundle, "README.md")).read()
markdown_tables("report README.md", readme)
has_names("report graph.svg", svg_texts("report graph.svg", open(os.path.join(bundle, "graph.svg")).read()))
dot_parses("report graph.dot", open(os.path.join(bundle, "graph.dot")).read())
json.load(open(os.path.join(bundle, "findings.sarif")))
page = open(os.path.join(bundle, "index.html")).read()
marker = '<script type="application/json" id="graph-data">'
start = page.index(marker) + len(marker)
data = page[start:page.index("</script>", start)]
check("report index.html: the embedded JSON holds no '<'", "<" not in data)
check("report index.html: it is graph.json", json.loads(data) == json.load(open(os.path.join(bundle, "graph.json"))))

# manifests: AdminNetworkPolicy rule names are free text (one line, at most 100 characters)
# and reach provenance, explanations, findings and diffs; every format carries them.
rule = 'r"<b>&c|d\\e ::error::x {{ .V }} ##[w] `' + "'"
deny = 'n"<i>&|\\ ::warning::y'
anp = os.path.join(tmp, "anp.yaml")
pods = "".join(
    "---\napiVersion: v1\nkind: Pod\nmetadata: {name: %s, namespace: default, labels: {app: %s}}\n"
    "spec: {containers: [{name: c, ports: [{containerPort: 80}]}]}\n" % (p, p) for p in ("a", "b", "c"))
with open(anp, "w") as f:
    f.write(pods)
    yaml.safe_dump({"apiVersion": "policy.networking.k8s.io/v1alpha1", "kind": "AdminNetworkPolicy",
                    "metadata": {"name": "hostile"},
                    "spec": {"priority": 5, "subject": {"namespaces": {}},
                             "ingress": [{"name": deny, "action": "Deny",
                                          "from": [{"pods": {"namespaceSelector": {},
                                                             "podSelector": {"matchLabels": {"app": "c"}}}}]},
                                         {"name": rule, "action": "Allow",
                                          "from": [{"namespaces": {}}]}]}},
                   f, explicit_start=True, width=1000)
    f.write("---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
            "metadata: {name: only-a, namespace: default}\n"
            "spec: {podSelector: {matchLabels: {app: b}}, ingress: [{from: [{podSelector: {matchLabels: {app: a}}}]}]}\n")
out, _ = run("graph", "--manifests", anp, "--format", "json")
check("anp graph json: an edge names the Allow rule",
      any(rule in p["path"] for e in json.loads(out)["edges"] for p in e["provenance"]), out[:300])
out, _ = run("graph", "--manifests", anp, "--format", "dot")
check("anp graph dot: Graphviz reads it", bool(dot_parses("anp graph dot", out)))
out, _ = run("graph", "--manifests", anp, "--format", "svg")
svg_texts("anp graph svg", out)  # pictures show ports, not provenance: it must parse
out, _ = run("reach", "--manifests", anp, "--from", "c", "--to", "b", "--explain")
check("anp reach --explain: names the Deny rule", deny.replace("##[", "#\\#[") in out or deny in out, out[:400])
out, _ = run("reach", "--manifests", anp, "--from", "a", "--to", "b", "--explain", "--format", "json")
check("anp reach json: carries the Allow rule", rule in json_strings(json.loads(out)), out[:300])
out, _ = run("table", "--manifests", anp, "--view", "effective")
markdown_tables("anp table", out)
out, _ = run("check", "--manifests", anp, "--format", "sarif")
json.loads(out)
out, _ = run("check", "--manifests", anp, "--format", "json")
json.loads(out)
empty = os.path.join(tmp, "pods.yaml")
with open(empty, "w") as f:
    f.write(pods)
for fmt in ("text", "md", "json", "dot"):
    out, _ = run("diff", "--old-manifests", empty, "--new-manifests", anp, "--format", fmt)
    if fmt == "md":
        markdown_tables("anp diff md", out)
    if fmt == "json":
        check("anp diff json: carries the Allow rule", rule in json_strings(json.loads(out)), out[:300])
    if fmt == "dot":
        dot_parses("anp diff dot", out)

# a file name that is not UTF-8: every output stays UTF-8 (the byte is shown as \xFF)
raw = os.path.join(tmp.encode(), b"bad\xff name.yaml")
with open(raw, "wb") as dst:
    dst.write(open("tests/golden/inputs/awkward-names.yaml", "rb").read())
for args in (["graph", "--format", "json"], ["graph", "--format", "svg"], ["table"],
             ["check"], ["check", "--format", "json"], ["check", "--format", "sarif"],
             ["reach", "--from", "query", "--explain"], ["reach", "--from", "query", "--format", "json"],
             ["values", "--show-origin"], ["values", "--format", "json", "--show-origin"]):
    r = subprocess.run([binary, *args, "-f", raw], capture_output=True, stdin=subprocess.DEVNULL)
    what = " ".join(args) + " -f NOT-UTF-8"
    check(f"{what}: exit {r.returncode}", r.returncode in (0, 1), r.stderr[:200])
    lines_safe(f"{what} stdout", r.stdout, prose=False)
    lines_safe(f"{what} stderr", r.stderr, prose=True)
    check(f"{what}: the name is shown with \\xFF", b"bad\\xFF name" in r.stdout + r.stderr or b"bad%FF%20name" in r.stdout)
for fmt in ("json", "text", "md"):
    r = subprocess.run([binary, "diff", "--old", "samples/enabled.yaml", "--new", raw, "--format", fmt],
                       capture_output=True, stdin=subprocess.DEVNULL)
    check(f"diff {fmt} NOT-UTF-8: exit {r.returncode}", r.returncode in (0, 1), r.stderr[:200])
    lines_safe(f"diff {fmt} NOT-UTF-8 stdout", r.stdout, prose=fmt != "json")

# a line of the input that reads as a CI command, shown in an error excerpt
_, err = run("table", "-f", "tests/golden/inputs/ci-command-key.yaml", expect=(2,))
check("error excerpt: the offending line is shown, escaped", "    \\::error file=" in err, err)

print(f"hostile: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
