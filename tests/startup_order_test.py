#!/usr/bin/env python3
"""The code the text commands run lies together in the program (cli/startup.order).

    tests/startup_order_test.py BINARY

For each command below, runs BINARY under callgrind, takes the functions of BINARY that
ran with their addresses and sizes (nm), and counts the 64 KB windows of code they touch:
the kernel maps a program's code a window at a time, so each window is a page fault at
start-up. Laid out in the order of cli/startup.order they fill about twice the windows
their bytes need (a function is run only in part, and the list holds every text command's
functions); spread as the compiler leaves them, three to six times. The test fails when a
command touches more than twice the windows its code needs plus a few: the list has gone
stale (functions renamed or added since it was written) and `scripts/startup-order.py`
writes it again.
"""

import importlib.util
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WINDOW = 64 * 1024
SLACK = 6  # windows beyond twice the ideal: a few functions added since the list was written

COMMANDS = [
    ["table"],
    ["check", "-f", "samples/enabled.yaml"],
    ["graph", "-f", "samples/enabled.yaml", "--format", "dot"],
]


def load_order_script():
    spec = importlib.util.spec_from_file_location(
        "startup_order", os.path.join(ROOT, "scripts", "startup-order.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def code_symbols(binary):
    """Name -> (address, size) of every function nm lists in the binary."""
    out = subprocess.run(["nm", "-S", "--defined-only", binary], capture_output=True,
                         text=True, check=True).stdout
    symbols = {}
    for line in out.splitlines():
        fields = line.split()
        if len(fields) == 4 and fields[2] in "tTwW":
            symbols.setdefault(fields[3], (int(fields[0], 16), int(fields[1], 16)))
    return symbols


def main():
    binary = os.path.realpath(sys.argv[1])
    order_script = load_order_script()
    symbols = code_symbols(binary)
    with open(os.path.join(ROOT, "cli", "startup.order"), encoding="utf-8") as f:
        listed = set(f.read().split())
    failed = False
    with tempfile.TemporaryDirectory() as workdir:
        for args in COMMANDS:
            names = [n for n in order_script.executed(binary, args, workdir) if n in symbols]
            if len(names) < 100:
                print(f"FAIL {' '.join(args)}: callgrind saw {len(names)} functions of "
                      f"{binary} run (is valgrind installed? scripts/setup.sh --tests)")
                failed = True
                continue
            windows = set()
            size = 0
            for name in names:
                address, length = symbols[name]
                size += length
                windows.update(range(address // WINDOW, (address + max(length, 1) - 1) // WINDOW + 1))
            ideal = -(-size // WINDOW)
            unlisted = sorted(n for n in names if n not in listed)
            limit = 2 * ideal + SLACK
            verdict = "ok" if len(windows) <= limit else "FAIL"
            print(f"{verdict} {' '.join(args)}: {len(names)} functions, {size // 1024} KB, in "
                  f"{len(windows)} windows of 64 KB (needs {ideal}, at most {limit}); "
                  f"{len(unlisted)} not in cli/startup.order")
            if verdict == "FAIL":
                failed = True
                for name in unlisted[:20]:
                    print(f"  not listed: {name}")
    if failed:
        print("The code the text commands run is spread over the program again: write the "
              "list again with `scripts/startup-order.py` (after building) and commit "
              "cli/startup.order.")
        sys.exit(1)


if __name__ == "__main__":
    main()
