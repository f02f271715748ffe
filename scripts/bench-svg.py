#!/usr/bin/python3
"""Paired benchmark: `netpol-graph graph -o x.svg` (values to SVG, end to end) against
`dot -Tsvg` alone on netpol-graph's own DOT of the same values. The commands alternate run
by run so that all see the same machine load; prints medians, the ratio, and whether the
SVGs are identical (or identical but where labels moved off a border or another label).

With --floor, also times build-bench/bench/netpol-svg-floor (bench/svg_floor.cpp, built by
scripts/bench.sh): netpol-graph's renderer alone on the same DOT, with no values to read
and nothing to analyse. It is the least netpol-graph can take while it runs the same
Graphviz and pango code.

    scripts/bench-svg.py [--bin build/netpol-graph] [--runs 200] [--values samples/enabled.yaml]
                         [--floor build-bench/bench/netpol-svg-floor]
"""
import argparse
import filecmp
import os
import re
import statistics
import subprocess
import tempfile
import time


def timed(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - start) * 1000


def without_label_places(path):
    """The SVG without where its edge labels stand (as tests/render_test.sh compares it)."""
    with open(path) as f:
        svg = f.read()
    edge = re.compile(r'<g id="edge\d+" class="edge">.*?(?=<g id="(?:edge|node|clust)\d+"|</svg>)', re.S)
    return edge.sub(lambda m: re.sub(r'(<text[^>]*?) x="[^"]*" y="[^"]*"', r"\1", m.group(0)), svg)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bin", default="build/netpol-graph")
    p.add_argument("--runs", type=int, default=200)
    p.add_argument("--values", default="samples/enabled.yaml")
    p.add_argument("--floor", help="netpol-svg-floor binary (Graphviz's work alone)")
    a = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        dot_in = os.path.join(tmp, "in.dot")
        with open(dot_in, "w") as f:
            subprocess.run([a.bin, "graph", "-f", a.values, "--format", "dot"], check=True, stdout=f)
        svg = {name: os.path.join(tmp, name + ".svg") for name in ("ours", "dot", "floor")}
        cmds = {
            "ours": [a.bin, "graph", "-f", a.values, "-o", svg["ours"]],
            "dot": ["dot", "-Tsvg", dot_in, "-o", svg["dot"]],
        }
        if a.floor:
            cmds["floor"] = [a.floor, dot_in, svg["floor"]]
        for _ in range(10):  # warm the page cache
            for cmd in cmds.values():
                timed(cmd)
        times = {name: [] for name in cmds}
        for _ in range(a.runs):
            for name, cmd in cmds.items():
                times[name].append(timed(cmd))
        same = {name: filecmp.cmp(svg[name], svg["dot"], shallow=False) for name in cmds}
        moved = {name: without_label_places(svg[name]) == without_label_places(svg["dot"])
                 for name in cmds}
    med = {name: statistics.median(t) for name, t in times.items()}
    print(f"values: {a.values}, runs: {a.runs} (paired, alternating)")
    print(f"netpol-graph graph -o x.svg   median {med['ours']:6.1f} ms")
    print(f"dot -Tsvg on the same DOT     median {med['dot']:6.1f} ms")
    if a.floor:
        print(f"rendering alone (floor)       median {med['floor']:6.1f} ms")
    print(f"ratio netpol-graph / dot      {med['ours'] / med['dot']:.2f}")
    if a.floor:
        print(f"ratio floor / dot             {med['floor'] / med['dot']:.2f}")
    verdict = ("identical" if all(same.values()) else
               "identical but where edge labels moved (exporters/label_room.hpp)"
               if all(moved.values()) else "DIFFERENT")
    print(f"SVG output                    {verdict}")


if __name__ == "__main__":
    main()
