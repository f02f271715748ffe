#!/usr/bin/env bash
# Values against their own rendering: for every sample (a new one is covered without editing
# this file), `manifests --workloads` writes what the chart renders, and `diff` of those
# manifests against the values must say "no change" and exit 0 (docs/manifests.md), also
# under --fail-on widen and in JSON ("identical": true).
# Usage: tests/roundtrip_test.sh path/to/netpol-graph
source "$(dirname "$0")/lib.sh" "$1"
failed=0 passed=0
for sample in samples/*.yaml; do
  name=$(basename "$sample" .yaml)
  if ! "$bin" manifests -f "$sample" --workloads -o "$tmp/$name.rendered.yaml" 2>"$tmp/err"; then
    echo "FAIL: $name: manifests failed: $(cat "$tmp/err")"
    failed=$((failed + 1))
    continue
  fi
  for gate in "" "--fail-on widen"; do
    # shellcheck disable=SC2086
    out=$("$bin" diff --old-manifests "$tmp/$name.rendered.yaml" -f "$sample" $gate 2>/dev/null)
    rc=$?
    if [ "$rc" -ne 0 ] || [ "$(head -1 <<<"$out")" != "No change in effective access." ]; then
      echo "FAIL: $name ${gate:-(no gate)}: exit $rc"
      sed 's/^/  /' <<<"$out" | head -20
      failed=$((failed + 1))
    else
      passed=$((passed + 1))
    fi
  done
  "$bin" diff --old-manifests "$tmp/$name.rendered.yaml" -f "$sample" --format json 2>/dev/null |
    /usr/bin/python3 -c 'import json,sys; sys.exit(0 if json.load(sys.stdin)["identical"] else 1)' ||
    { echo "FAIL: $name: JSON says not identical"; failed=$((failed + 1)); }
done
# What manifests writes reads back, in a YAML 1.1 reader (PyYAML, like Helm's go-yaml v2)
# and a YAML 1.2 one (ruamel.yaml), as the strings netpol-graph analysed: port names and label keys that look like numbers,
# booleans or null stay strings.
"$bin" manifests -f tests/golden/inputs/yaml-lookalikes.yaml --workloads -o "$tmp/lookalikes.yaml"
if /usr/bin/python3 - "$tmp/lookalikes.yaml" <<'PY'; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
import sys, yaml
from ruamel.yaml import YAML
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
# A YAML 1.2 reader (ruamel.yaml's safe loader) reads the same documents.
docs12 = [d for d in YAML(typ="safe", pure=True).load_all(open(sys.argv[1])) if d]
if docs12 != docs:
    print("FAIL: YAML 1.1 (PyYAML) and 1.2 (ruamel.yaml) readers disagree")
    sys.exit(1)
query = next(d for d in docs if d["kind"] == "NetworkPolicy" and d["metadata"]["name"] == "query")
names = [p["port"] for rule in query["spec"]["ingress"] for p in rule.get("ports", [])
         if not isinstance(p["port"], int) or p["port"] != 9510]
keys = [e["key"] for rule in query["spec"]["egress"] for peer in rule.get("to", [])
        for e in peer.get("podSelector", {}).get("matchExpressions", [])]
ok = sorted(names, key=str) == ["0x2526", "1e3", "yes"] and keys == ["on"]
print("lookalikes:", "ok" if ok else f"FAIL: ports {names!r}, keys {keys!r}")
sys.exit(0 if ok else 1)
PY

# `values` prints the same merged values as YAML (read back with PyYAML, YAML 1.1) and as
# JSON, for every sample and for values whose strings look like numbers and booleans.
for input in samples/*.yaml tests/golden/inputs/yaml-lookalikes.yaml tests/golden/inputs/awkward-names.yaml; do
  "$bin" values -f "$input" > "$tmp/values.yaml" 2>/dev/null &&
    "$bin" values -f "$input" --format json > "$tmp/values.json" 2>/dev/null &&
    "$bin" values -f "$input" --show-origin > "$tmp/values-origin.yaml" 2>/dev/null
  if /usr/bin/python3 - "$tmp/values.yaml" "$tmp/values.json" "$tmp/values-origin.yaml" <<'PY'; then
import json, sys, yaml
from ruamel.yaml import YAML
a, b, c = yaml.safe_load(open(sys.argv[1])), json.load(open(sys.argv[2])), yaml.safe_load(open(sys.argv[3]))
d = YAML(typ="safe", pure=True).load(open(sys.argv[1]))  # YAML 1.2
sys.exit(0 if a == b == c == d else 1)
PY
    passed=$((passed + 1))
  else
    echo "FAIL: values of $input: YAML, JSON and --show-origin disagree"
    failed=$((failed + 1))
  fi
done

# A key named "<<" is YAML 1.1's merge key when plain: values must quote it.
printf '"<<": {a: 1}\nb: 2\n' > "$tmp/merge-key.yaml"
"$bin" values -f "$tmp/merge-key.yaml" --defaults /dev/null > "$tmp/merge-out.yaml" 2>/dev/null
check 'values writes a key "<<" so that it reads back as that key, not a merge' \
  /usr/bin/python3 -c 'import sys, yaml; sys.exit(0 if yaml.safe_load(open(sys.argv[1])) == {"<<": {"a": 1}, "b": 2} else 1)' "$tmp/merge-out.yaml"

# U+2028 and U+2029 are line breaks to PyYAML even inside quotes: values must escape them.
printf 'k\xe2\x80\xa8ey: "a\xe2\x80\xa9b \xc3\xa9"\n' > "$tmp/separators.yaml"
"$bin" values -f "$tmp/separators.yaml" --defaults /dev/null > "$tmp/separators-out.yaml" 2>/dev/null
check 'values writes U+2028 and U+2029 so that PyYAML reads them back' \
  /usr/bin/python3 -c 'import sys, yaml; sys.exit(0 if yaml.safe_load(open(sys.argv[1], encoding="utf-8")) == {"k\u2028ey": "a\u2029b \u00e9"} else 1)' "$tmp/separators-out.yaml"

# suggest's overlays read back in a YAML 1.1 reader (PyYAML) and a YAML 1.2 one (ruamel.yaml)
# as the tree `values` reads from them (its JSON), for every sample, and with flows for the
# production sample the flows are of; layered last over the sample, they change access only
# by narrowing it.
for input in samples/*.yaml; do
  flows_of=("")
  [ "$input" = samples/production.yaml ] && flows_of+=(samples/flows/production-week.csv)
  for flows in "${flows_of[@]}"; do
    args=(-f "$input")
    [ -n "$flows" ] && args+=(--flows "$flows")
    if ! "$bin" suggest "${args[@]}" -o "$tmp/overlay.yaml" 2>"$tmp/err"; then
      echo "FAIL: suggest ${args[*]}: $(cat "$tmp/err")"
      failed=$((failed + 1))
      continue
    fi
    "$bin" values -f "$tmp/overlay.yaml" --defaults /dev/null --format json > "$tmp/overlay.json" 2>/dev/null
    if /usr/bin/python3 - "$tmp/overlay.yaml" "$tmp/overlay.json" <<'PY' &&
import json, sys, yaml
from ruamel.yaml import YAML
a, b = yaml.safe_load(open(sys.argv[1])), json.load(open(sys.argv[2]))
c = YAML(typ="safe", pure=True).load(open(sys.argv[1]))
sys.exit(0 if a == b == c and a else 1)
PY
      "$bin" diff -f "$input" --new "$tmp/overlay.yaml" --fail-on widen > /dev/null 2>&1; then
      passed=$((passed + 1))
    else
      echo "FAIL: the overlay of suggest ${args[*]} does not read back as written, or widens"
      failed=$((failed + 1))
    fi
  done
done

echo "roundtrip: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
