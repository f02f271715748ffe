#!/usr/bin/env bash
# Every doctest case runs under ctest: doctest_discover_tests passes each name through a
# CMake list, where a ';' splits it in two, and neither half matches a case (ctest then runs
# nothing and passes). Ten cases were never run that way; this keeps it from happening again.
# Usage: unit_names_test.sh NETPOL-TESTS
list=$("$1" --list-test-cases --no-version 2>&1) || { echo "FAIL: $1 --list-test-cases"; exit 1; }
bad=$(printf '%s\n' "$list" | grep -F ';')
if [ -n "$bad" ]; then
  echo "FAIL: test case names with ';' never run under ctest (use ',' instead):"
  printf '%s\n' "$bad"
  exit 1
fi
echo "unit-names: $(printf '%s\n' "$list" | grep -c .) lines listed, no ';'"
