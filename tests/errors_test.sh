#!/usr/bin/env bash
# The error catalogue (docs/errors.md) is true: every example command, run from the
# repository root, exits 2 and prints exactly the message the catalogue shows.
# Usage: errors_test.sh NETPOL-GRAPH
source "$(dirname "$0")/lib.sh" "$1"
/usr/bin/python3 - "$bin" docs/errors.md <<'PY'
import re, subprocess, sys
binary, doc = sys.argv[1], open(sys.argv[2]).read()
blocks = re.findall(r"```console\n\$ netpol-graph (.*?)\n(.*?)```", doc, re.S)
passed = failed = 0
for command, expected in blocks:
    r = subprocess.run(f"'{binary}' {command}", shell=True, capture_output=True, stdin=subprocess.DEVNULL)
    got = r.stderr.decode("utf-8", "replace")
    if r.returncode == 2 and got == expected and not r.stdout:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: netpol-graph {command}: exit {r.returncode}")
        print("  expected:", expected.splitlines()[:1], "\n  got:     ", got.splitlines()[:1])
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed or not blocks else 0)
PY
