#!/usr/bin/env bash
# JSON output: for every sample (and names that need escaping), the graph document parses,
# is valid against docs/netpol-graph.schema.json, names every edge end as a node, and is
# byte-identical across runs; `reach --format json` documents of every kind are valid against
# docs/netpol-graph-reach.schema.json, and `diff --format json` against
# docs/netpol-graph-diff.schema.json. Uses Debian's python3-jsonschema.
# Usage: json_test.sh NETPOL-GRAPH
source "$(dirname "$0")/lib.sh" "$1"
files=()
failed=0
for input in samples/*.yaml tests/golden/inputs/awkward-names.yaml ""; do
  name=$(basename "${input:-defaults}" .yaml)
  args=()
  [ -n "$input" ] && args=(-f "$input")
  "$bin" graph "${args[@]}" --format json > "$tmp/$name.json" 2>/dev/null
  "$bin" graph "${args[@]}" -o "$tmp/$name.again.json" 2>/dev/null
  cmp -s "$tmp/$name.json" "$tmp/$name.again.json" || { echo "FAIL: $name differs between runs"; failed=$((failed + 1)); }
  files+=("$tmp/$name.json")
done
# Class nodes: a dense chart and a policy-free dump with every pair held as classes.
"$bin" graph -f tests/golden/inputs/dense-open.yaml --defaults /dev/null --max-pairs 0 --format json > "$tmp/classes-values.json" || failed=$((failed + 1))
"$bin" graph --manifests tests/golden/inputs/dump-no-policy.yaml --max-pairs 0 --format json > "$tmp/classes-dump.json" || failed=$((failed + 1))
grep -q '"kind": "class-senders"' "$tmp/classes-values.json" || { echo "FAIL: no class node with --max-pairs 0"; failed=$((failed + 1)); }
files+=("$tmp/classes-values.json" "$tmp/classes-dump.json")
/usr/bin/python3 tests/validate_json.py --graph graph docs/netpol-graph.schema.json "${files[@]}" || failed=$((failed + 1))
reach_files=()
i=0
for args in "--from any-source" "--from any-source --explain" "--to meta" "" \
            "--from any-source --to ext:PostgreSQL --port TCP/5432 --explain" \
            "--from meta --to janitor --explain --max-hops 2"; do
  i=$((i + 1))
  # shellcheck disable=SC2086
  "$bin" reach -f samples/enabled.yaml $args --format json > "$tmp/reach$i.json" || failed=$((failed + 1))
  reach_files+=("$tmp/reach$i.json")
done
/usr/bin/python3 tests/validate_json.py reach docs/netpol-graph-reach.schema.json "${reach_files[@]}" || failed=$((failed + 1))
diff_files=()
i=0
for pair in "samples/enabled.yaml samples/production-egress.yaml" \
            "samples/production-egress.yaml samples/enabled.yaml" \
            "samples/enabled.yaml samples/otlp-default-endpoint.yaml" \
            "samples/enabled.yaml samples/custom-rules-global.yaml" \
            "samples/enabled.yaml tests/golden/inputs/disabled.yaml" \
            "samples/enabled.yaml tests/golden/inputs/enabled-reformatted.yaml" \
            "samples/enabled.yaml tests/golden/inputs/renamed-external.yaml" \
            "samples/enabled.yaml tests/golden/inputs/internet-ingress.yaml" \
            "samples/enabled.yaml tests/golden/inputs/query-internal.yaml" \
            "tests/golden/inputs/unnamed-cidr.yaml tests/golden/inputs/unnamed-cidr-wider.yaml" \
            "samples/enabled.yaml tests/golden/inputs/awkward-names.yaml" \
            "tests/golden/inputs/awkward-names.yaml samples/enabled.yaml"; do
  i=$((i + 1))
  # shellcheck disable=SC2086
  "$bin" diff $pair --format json > "$tmp/diff$i.json"
  [ $? -le 1 ] || failed=$((failed + 1))
  diff_files+=("$tmp/diff$i.json")
done
# Changes listed once for many pairs (--max-pairs 0): groups, fromGroup, toGroup, pairs.
"$bin" diff --old tests/golden/inputs/dense-open.yaml --new tests/golden/inputs/dense-open.yaml \
  --new tests/golden/inputs/dense-egress.yaml --defaults /dev/null --max-pairs 0 --format json \
  > "$tmp/diff-groups.json"
[ $? -le 1 ] || failed=$((failed + 1))
grep -q '"toGroup"' "$tmp/diff-groups.json" || { echo "FAIL: no change listed once for a group"; failed=$((failed + 1)); }
diff_files+=("$tmp/diff-groups.json")
/usr/bin/python3 tests/validate_json.py diff docs/netpol-graph-diff.schema.json "${diff_files[@]}" || failed=$((failed + 1))
sarif_files=()
for input in samples/*.yaml tests/golden/inputs/awkward-names.yaml ""; do
  name=$(basename "${input:-defaults}" .yaml)
  args=()
  [ -n "$input" ] && args=(-f "$input")
  "$bin" check "${args[@]}" --format sarif > "$tmp/$name.sarif" 2>/dev/null
  [ $? -le 1 ] || failed=$((failed + 1))
  sarif_files+=("$tmp/$name.sarif")
done
# Waived results (suppressions) and --set findings in the same checks.
"$bin" check -f samples/enabled.yaml --ignore over-permission --set ui.networkPolicy.allowExternal=false --format sarif > "$tmp/waived.sarif"
[ $? -le 1 ] || failed=$((failed + 1))
sarif_files+=("$tmp/waived.sarif")
# Valid against the SARIF 2.1.0 schema (tests/sarif/), and what GitHub code scanning needs:
# every result has a physical location with a relative URI and a region, every rule help.
/usr/bin/python3 - tests/sarif/sarif-2.1.0-rtm.5.json "${sarif_files[@]}" <<'PY' || failed=$((failed + 1))
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft4Validator.check_schema(schema)
validator = jsonschema.Draft4Validator(schema)
bad = 0
for path in sys.argv[2:]:
    errors = []
    doc = json.load(open(path))
    for e in sorted(validator.iter_errors(doc), key=str)[:3]:
        errors.append(f"schema: {'/'.join(map(str, e.absolute_path))}: {e.message}")
    if doc.get("version") != "2.1.0":
        errors.append("version is not 2.1.0")
    run = doc["runs"][0]
    driver = run["tool"]["driver"]
    rule_ids = [r["id"] for r in driver["rules"]]
    if driver["name"] != "netpol-graph" or len(set(rule_ids)) != len(rule_ids):
        errors.append("driver name or rule ids")
    for rule in driver["rules"]:
        for key in ("shortDescription", "fullDescription", "help", "helpUri"):
            if not rule.get(key):
                errors.append(f"rule {rule['id']} has no {key}")
        if not rule.get("help", {}).get("markdown") or not rule["helpUri"].endswith("#" + rule["id"]):
            errors.append(f"rule {rule['id']}: help markdown or helpUri")
    for r in run["results"]:
        # Without any values file (the defaults alone) there is no file to point at.
        if path.endswith("/defaults.sarif"):
            pass
        elif not r["locations"] or "physicalLocation" not in r["locations"][0]:
            errors.append(f"{r['ruleId']}: no physical location")
        elif r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("/"):
            errors.append(f"{r['ruleId']}: an absolute URI")
        if not r.get("partialFingerprints"):
            errors.append(f"{r['ruleId']}: no partialFingerprints")
        if r["ruleId"] not in rule_ids:
            errors.append(f"unknown rule {r['ruleId']}")
        if r["level"] not in ("error", "warning", "note"):
            errors.append(f"bad level {r['level']}")
        if not r["message"]["text"]:
            errors.append("empty message")
        for loc in r["locations"]:
            phys = loc.get("physicalLocation")
            if phys and (phys["region"]["startLine"] < 1 or phys["region"]["startColumn"] < 1
                         or not phys["artifactLocation"]["uri"] or phys["artifactLocation"]["uri"].startswith("<")):
                errors.append(f"bad location {phys}")
    for e in errors[:5]:
        print(f"FAIL: {path}: {e}")
    bad += bool(errors)
print(f"sarif: {len(sys.argv) - 2 - bad} passed, {bad} failed")
sys.exit(1 if bad else 0)
PY
[ "$failed" -eq 0 ]
