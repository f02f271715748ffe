#!/usr/bin/env python3
"""Scaling run: netpol-graph on generated charts of N services, end to end and per stage.

    bench/scale.py [--sizes 10,100,1000,10000] [--build build-bench] [--repeat 3]

Builds nothing: expects BUILD/netpol-graph and BUILD/bench/netpol-bench (configure with
-DNETPOL_BENCH=ON; scripts/bench.sh does both). For each N it generates a values file with
bench/gen_values.py (and a second one with one peer more per service, for diff), then:

- end to end: wall time (median of --repeat runs) and peak memory (GNU time) of table,
  graph --format json, check, reach --from any-source, diff and graph -o x.svg;
- diff against `table` of each side (reading and analysing both), as a ratio;
- the floor: yaml-cpp alone parsing the same file (netpol-bench's "yaml-cpp alone");
- `dot -Tsvg` on our DOT (which asks for sfdp above --max-nodes), and on the DOT of
  `graph --layout dot` (dot's own ranked layout), where they finish within --dot-timeout
  seconds;
- per stage: netpol-bench's median times (load and merge, read chart, build graph, ...).

Prints Markdown tables (the ones in docs/performance.md) and the fitted exponent of each
text command's time from the two largest sizes.
"""
import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(cmd, timeout=None):
    """Runs cmd; returns its wall time in seconds, or None when it timed out."""
    start = time.perf_counter()
    try:
        r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    if r.returncode not in (0, 1):
        sys.exit(f"scale: {' '.join(cmd)} failed")
    return time.perf_counter() - start


def peak_kib(cmd):
    """Peak resident memory of cmd, from GNU time: its small process carries none of ours
    into the measured one (a child forked from Python would report Python's size)."""
    with tempfile.NamedTemporaryFile("r") as mem:
        subprocess.run(["/usr/bin/time", "-f", "%M", "-o", mem.name] + cmd,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return int(mem.read().split()[-1])


def median_run(cmd, repeat, timeout=None):
    """(median seconds of `repeat` runs, peak KiB of one more run)."""
    times = []
    for _ in range(repeat):
        t = run(cmd, timeout)
        if t is None:
            return None
        times.append(t)
    return statistics.median(times), peak_kib(cmd)


def fmt_time(seconds):
    if seconds is None:
        return "n/a"
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="10,100,1000,10000")
    p.add_argument("--build", default=os.path.join(ROOT, "build-bench"))
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--dot-timeout", type=float, default=60)
    p.add_argument("--svg-timeout", type=float, default=60)
    a = p.parse_args()
    sizes = [int(s) for s in a.sizes.split(",")]
    binary = os.path.join(a.build, "netpol-graph")
    bench = os.path.join(a.build, "bench", "netpol-bench")
    gen = os.path.join(ROOT, "bench", "gen_values.py")
    tmp = tempfile.mkdtemp(prefix="netpol-scale-")
    commands = {
        "table": ["table"],
        "graph json": ["graph", "--format", "json"],
        "check": ["check"],
        "reach any-source": ["reach", "--from", "any-source"],
        "reach --to svc-00000": ["reach", "--to", "svc-00000"],
    }
    rows, stages, floors, dots, svgs, diffs, ranked, both = {}, {}, {}, {}, {}, {}, {}, {}
    for n in sizes:
        values = os.path.join(tmp, f"v{n}.yaml")
        changed = os.path.join(tmp, f"v{n}-changed.yaml")
        with open(values, "w") as f:
            subprocess.run([sys.executable, gen, str(n)], stdout=f, check=True)
        with open(changed, "w") as f:
            subprocess.run([sys.executable, gen, str(n), "--peers", "4"], stdout=f, check=True)
        common = ["-f", values, "--defaults", "/dev/null"]
        rows[n] = {name: median_run([binary] + c + common, a.repeat) for name, c in commands.items()}
        diffs[n] = median_run([binary, "diff", values, changed, "--defaults", "/dev/null"],
                              a.repeat)
        # What diff costs beyond reading and analysing both sides (table of each).
        both[n] = rows[n]["table"][0] + median_run(
            [binary, "table", "-f", changed, "--defaults", "/dev/null"], a.repeat)[0]
        dot = os.path.join(tmp, f"v{n}.dot")
        with open(dot, "w") as f:
            subprocess.run([binary, "graph"] + common, stdout=f, check=True)
        dots[n] = run(["dot", "-Tsvg", dot], a.dot_timeout)
        # dot's own ranked layout, as `graph --layout dot` asks for it (the DOT's layout
        # attribute wins over dot's -K option, so the DOT itself must ask).
        ranked_dot = os.path.join(tmp, f"v{n}-ranked.dot")
        with open(ranked_dot, "w") as f:
            subprocess.run([binary, "graph", "--layout", "dot"] + common, stdout=f, check=True)
        ranked[n] = run(["dot", "-Tsvg", ranked_dot], a.dot_timeout)
        svgs[n] = run([binary, "graph"] + common + ["-o", os.path.join(tmp, "x.svg")],
                      a.svg_timeout)
        filt = "" if n <= 1000 else "--benchmark_filter=-(one BFS each)"
        out = subprocess.run([bench, values, "--benchmark_format=json",
                              "--benchmark_min_time=0.05"] + ([filt] if filt else []),
                             capture_output=True, text=True, check=True).stdout
        stages[n] = {b["name"]: b["real_time"] / 1e9 for b in json.loads(out)["benchmarks"]}
        floors[n] = stages[n].pop("yaml-cpp alone")
        print(f"scale: N={n} done", file=sys.stderr)

    print("### End to end (median of %d runs; peak memory)\n" % a.repeat)
    names = list(commands) + ["diff"]
    print("| N | " + " | ".join(names) +
          " | yaml-cpp alone | graph -o x.svg | dot -Tsvg | dot -Tsvg, --layout dot |")
    print("|---" * (len(names) + 5) + "|")
    for n in sizes:
        cells = []
        for name in names:
            r = diffs[n] if name == "diff" else rows[n][name]
            cells.append(f"{fmt_time(r[0])}, {r[1] / 1024:.1f} MiB")
        svg = "timeout" if svgs[n] is None else fmt_time(svgs[n])
        dot = "timeout" if dots[n] is None else fmt_time(dots[n])
        forced = "timeout" if ranked[n] is None else fmt_time(ranked[n])
        print(f"| {n} | " + " | ".join(cells) +
              f" | {fmt_time(floors[n])} | {svg} | {dot} | {forced} |")

    print("\n### diff against reading both sides (`table` of each)\n")
    print("| N | diff | table old + table new | ratio |\n|---|---|---|---|")
    for n in sizes:
        print(f"| {n} | {fmt_time(diffs[n][0])} | {fmt_time(both[n])} | "
              f"{diffs[n][0] / both[n]:.2f} |")

    print("\n### Per stage (netpol-bench, median)\n")
    stage_names = list(stages[sizes[-1]].keys() | stages[sizes[0]].keys())
    stage_names.sort(key=lambda s: list(stages[sizes[0]]).index(s) if s in stages[sizes[0]] else 99)
    print("| stage | " + " | ".join(f"N={n}" for n in sizes) + " |")
    print("|---" * (len(sizes) + 1) + "|")
    for s in stage_names:
        print(f"| {s} | " + " | ".join(fmt_time(stages[n].get(s)) for n in sizes) + " |")

    if len(sizes) >= 2:
        n1, n2 = sizes[-2], sizes[-1]
        print(f"\n### Growth from N={n1} to N={n2} (time ~ N^k)\n")
        for name in names:
            t1 = (diffs[n1] if name == "diff" else rows[n1][name])[0]
            t2 = (diffs[n2] if name == "diff" else rows[n2][name])[0]
            print(f"- {name}: k = {math.log(t2 / t1) / math.log(n2 / n1):.2f}")
        core = ["load and merge", "read chart", "build graph", "reach from every start (bitsets)",
                "write json"]
        total = sum(stages[n2][s] for s in core)
        print(f"\nload + chart + graph + all-pairs reach + JSON at N={n2}: {fmt_time(total)}, "
              f"{total / floors[n2]:.2f}x yaml-cpp alone ({fmt_time(floors[n2])})")


if __name__ == "__main__":
    main()
