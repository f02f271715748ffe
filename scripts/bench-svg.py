#!/usr/bin/python3
"""Paired benchmark: `netpol-graph graph -o x.svg` (values to SVG, end to end) against
`dot -Tsvg` alone on netpol-graph's own DOT of the same values. The two alternate run by
run so that both see the same machine load; prints medians, the ratio, and whether the two
SVGs are identical.

    scripts/bench-svg.py [--bin build/netpol-graph] [--runs 200] [--values samples/enabled.yaml]
"""
import argparse
import filecmp
import os
import statistics
import subprocess
import tempfile
import time


def timed(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - start) * 1000


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bin", default="build/netpol-graph")
    p.add_argument("--runs", type=int, default=200)
    p.add_argument("--values", default="samples/enabled.yaml")
    a = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        dot_in, ours_svg, dot_svg = (os.path.join(tmp, n) for n in ("in.dot", "a.svg", "b.svg"))
        with open(dot_in, "w") as f:
            subprocess.run([a.bin, "graph", "-f", a.values, "--format", "dot"], check=True, stdout=f)
        ours_cmd = [a.bin, "graph", "-f", a.values, "-o", ours_svg]
        dot_cmd = ["dot", "-Tsvg", dot_in, "-o", dot_svg]
        for _ in range(10):  # warm the page cache
            timed(ours_cmd), timed(dot_cmd)
        ours, theirs = [], []
        for _ in range(a.runs):
            ours.append(timed(ours_cmd))
            theirs.append(timed(dot_cmd))
        same = filecmp.cmp(ours_svg, dot_svg, shallow=False)
    mo, md = statistics.median(ours), statistics.median(theirs)
    print(f"values: {a.values}, runs: {a.runs} (paired, alternating)")
    print(f"netpol-graph graph -o x.svg   median {mo:6.1f} ms")
    print(f"dot -Tsvg on the same DOT     median {md:6.1f} ms")
    print(f"ratio netpol-graph / dot      {mo / md:.2f}")
    print(f"SVG output                    {'identical' if same else 'DIFFERENT'}")


if __name__ == "__main__":
    main()
