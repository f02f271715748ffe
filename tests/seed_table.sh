#!/usr/bin/env bash
# Runs the team's chart-docs table check (../shared/checks/seed-table) when it is there:
# the documented table of the enabled defaults must be, line for line, the chart docs' table.
here=$(cd "$(dirname "$0")/.." && pwd)
check="$here/../shared/checks/seed-table"
if [ ! -x "$check" ]; then
  echo "seed-table: $check not found; skipped"
  exit 77
fi
exec "$check" "$1"
