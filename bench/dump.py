#!/usr/bin/env python3
"""Cluster dumps: netpol-graph reading `kubectl get -o json` and `-o yaml` dumps of N pods,
against the floors measured in the same run.

    bench/dump.py [--sizes 1000,10000,50000] [--build build-bench] [--floor FILE]

For each N, bench/gen_dump.py writes the dump as JSON and as YAML (kept in a temporary
directory for the run), then measures wall time and peak memory (GNU time) of:

- `netpol-graph table --manifests DUMP --profile none` (default options: the 50,000-pod
  dump must read without --input-limit);
- Python's `json.load` of the JSON dump (the floor of the JSON targets);
- yaml-cpp alone on the YAML dump (netpol-yaml-floor, built by scripts/bench.sh; left out
  with --no-floor, or past --timeout seconds).

Prints the Markdown table of docs/performance.md ("Cluster dumps"), with the ratios the
targets are stated in: JSON time against json.load, JSON peak memory against the file's
size, YAML time against yaml-cpp alone.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def measure(cmd, timeout):
    """(seconds, peak MiB, exit code), or None when it passed the timeout."""
    with tempfile.NamedTemporaryFile("r") as mem:
        start = time.perf_counter()
        try:
            r = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", mem.name] + cmd,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               timeout=timeout)
        except subprocess.TimeoutExpired:
            return None
        seconds = time.perf_counter() - start
        return seconds, int(mem.read().split()[-1]) / 1024, r.returncode


def fmt(m):
    if m is None:
        return "timeout"
    s, mib, rc = m
    return f"{s:.2f} s, {mib:.0f} MiB" + (f" (exit {rc})" if rc not in (0, 1) else "")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="1000,10000,50000")
    p.add_argument("--build", default="build-bench")
    p.add_argument("--floor", help="netpol-yaml-floor (default: the one in --build)")
    p.add_argument("--no-floor", action="store_true", help="leave yaml-cpp alone out")
    p.add_argument("--timeout", type=float, default=600)
    a = p.parse_args()
    binary = os.path.join(a.build, "netpol-graph")
    floor = a.floor or os.path.join(a.build, "bench", "netpol-yaml-floor")
    if not os.access(binary, os.X_OK):
        sys.exit(f"dump: no {binary} (scripts/bench.sh builds it)")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in [int(s) for s in a.sizes.split(",")]:
            dumps = {}
            for form in ("json", "yaml"):
                path = os.path.join(tmp, f"dump-{n}.{form}")
                with open(path, "w") as out:
                    subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_dump.py"),
                                    str(n)] + (["--yaml"] if form == "yaml" else []),
                                   stdout=out, check=True)
                dumps[form] = path
            size = {f: os.path.getsize(path) / 2**20 for f, path in dumps.items()}
            ours = {f: measure([binary, "table", "--manifests", path, "--profile", "none"],
                               a.timeout) for f, path in dumps.items()}
            py = measure([sys.executable, "-c", "import json, sys; json.load(open(sys.argv[1]))",
                          dumps["json"]], a.timeout)
            yc = None if a.no_floor else measure([floor, dumps["yaml"]], a.timeout)
            rows.append((n, size, ours, py, yc))
            print(f"dump: {n} pods done", file=sys.stderr)
    print("| pods | JSON | netpol-graph (JSON) | json.load | time / json.load | peak / file "
          "| YAML | netpol-graph (YAML) | yaml-cpp alone | time / yaml-cpp |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for n, size, ours, py, yc in rows:
        def ratio(x, y):
            return f"{x[0] / y[0]:.2f}" if x and y else "-"
        peak = f"{ours['json'][1] / size['json']:.2f}" if ours["json"] else "-"
        print(f"| {n:,} | {size['json']:.0f} MiB | {fmt(ours['json'])} | {fmt(py)} | "
              f"{ratio(ours['json'], py)} | {peak} | {size['yaml']:.0f} MiB | "
              f"{fmt(ours['yaml'])} | {fmt(yc) if not a.no_floor else '-'} | "
              f"{ratio(ours['yaml'], yc)} |")


if __name__ == "__main__":
    main()
