#!/usr/bin/env bash
# The documented table of the enabled defaults must be, line for line, the Service
# Communication Map of the chart's docs (chart-network-policies.md in the team's
# shared spec). tests/chart_docs_table.md is that table, copied verbatim, so that the check
# runs everywhere, CI's clean clone included; where the team's spec is beside the
# repository (../shared/spec/), the copy is checked against it too, and the team's own check
# (../shared/checks/seed-table) is run as well.
# Usage: seed_table.sh NETPOL-GRAPH
here=$(cd "$(dirname "$0")/.." && pwd)
bin=$1
failed=0
copy="$here/tests/chart_docs_table.md"
got=$("$bin" table --set global.networkPolicy.enabled=true 2>/dev/null | grep '^|')
if [ "$got" = "$(cat "$copy")" ]; then
  echo "seed-table: ok (table --set global.networkPolicy.enabled=true is the chart docs' table)"
else
  echo "FAIL: the table differs from the chart docs' (tests/chart_docs_table.md; want < > got):"
  diff "$copy" <(printf '%s\n' "$got")
  failed=1
fi
spec="$here/../shared/spec/chart-network-policies.md"
if [ -f "$spec" ]; then
  if [ "$(grep '^|' "$spec" | sed -n '1,8p')" = "$(cat "$copy")" ]; then
    echo "seed-table: tests/chart_docs_table.md is the spec's table"
  else
    echo "FAIL: tests/chart_docs_table.md is no longer the table of $spec"
    failed=1
  fi
fi
team="$here/../shared/checks/seed-table"
if [ -x "$team" ]; then
  "$team" "$bin" || failed=1
fi
exit "$failed"
