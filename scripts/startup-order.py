#!/usr/bin/env python3
"""Writes cli/startup.order: the functions the text commands run, for the linker to lay
out together at the start of the program's code (docs/performance.md, "Start-up").

A run of `table` executes about 700 of the program's functions; left where the compiler
put them they lie spread over its 3.3 MB of code, and the kernel maps that code 64 KB at
a time on first touch, so a run paid about 45 page faults for code alone. Linked in this
order (lld's --symbol-ordering-file) they lie in about a dozen such windows.

    scripts/startup-order.py [BINARY]        # default build/netpol-graph; needs valgrind

Runs each command below under valgrind's callgrind and lists every function of BINARY
that ran, the functions most commands run first, then those of each command in the order
below. Names the binary no longer has are ignored by the linker, so an old list only
loses effect slowly; `tests/startup_order_test.sh` says when it has lost too much.
Deterministic: the same binary gives the same file.
"""

import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The commands whose start-up matters: every text command, on the chart defaults and on
# a sample, as users and CI run them (pictures are Graphviz's time, and not listed).
COMMANDS = [
    ["table"],
    ["--version"],
    ["--help"],
    ["table", "-f", "samples/enabled.yaml"],
    ["check", "-f", "samples/enabled.yaml"],
    ["graph", "-f", "samples/enabled.yaml", "--format", "dot"],
    ["graph", "-f", "samples/enabled.yaml", "--format", "json"],
    ["graph", "-f", "samples/enabled.yaml", "--format", "mermaid"],
    ["reach", "-f", "samples/enabled.yaml", "--from", "any-source"],
    ["diff", "samples/enabled.yaml", "samples/production.yaml"],
    ["values", "-f", "samples/enabled.yaml"],
    ["manifests", "-f", "samples/enabled.yaml"],
    ["suggest", "-f", "samples/enabled.yaml"],
    ["check", "--manifests", "samples/manifests/three-namespaces.yaml"],
    ["table", "--help"],
]


def executed(binary, args, workdir):
    """The names of the functions of `binary` that ran for `args`, by callgrind."""
    out = os.path.join(workdir, "callgrind.out")
    if os.path.exists(out):
        os.remove(out)
    try:
        subprocess.run(
            ["valgrind", "--tool=callgrind", "--compress-strings=no", "--compress-pos=no",
             "--demangle=no", "--callgrind-out-file=" + out, binary] + args,
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    except FileNotFoundError:
        sys.exit("startup-order: valgrind not found (Debian: apt-get install valgrind; "
                 "scripts/setup.sh --tests installs it)")
    if not os.path.exists(out):
        return set()
    return functions_of(out, os.path.realpath(binary))


def functions_of(callgrind_out, binary):
    names = set()
    current = None
    with open(callgrind_out, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith("ob="):
                current = os.path.realpath(line[3:].strip()) if line[3:].strip() else None
            elif line.startswith("fn=") and current == binary:
                name = line[3:].strip()
                if name and not name.startswith("0x") and " " not in name:
                    names.add(name)
    return names


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "netpol-graph")
    if not os.access(binary, os.X_OK):
        sys.exit(f"startup-order: {binary}: no such program; build it first (scripts/setup.sh)")
    runs = []
    with tempfile.TemporaryDirectory() as workdir:
        for args in COMMANDS:
            names = executed(binary, args, workdir)
            if not names:
                sys.exit(f"startup-order: callgrind saw no function of {binary} run for "
                         f"{' '.join(args)} (is valgrind installed?)")
            runs.append(names)
    first = {}
    count = {}
    for index, names in enumerate(runs):
        for name in names:
            first.setdefault(name, index)
            count[name] = count.get(name, 0) + 1
    order = sorted(count, key=lambda name: (-count[name], first[name], name))
    path = os.path.join(ROOT, "cli", "startup.order")
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(name + "\n" for name in order)
    print(f"startup-order: {len(order)} functions from {len(COMMANDS)} commands -> "
          f"{os.path.relpath(path, ROOT)}")


if __name__ == "__main__":
    main()
