#!/usr/bin/env python3
"""Observed flows: `check --flows` and `suggest --flows` against `check` alone, on generated
charts and flows CSVs.

    bench/flows.py [--sizes 100,1000] [--flows 10000,100000] [--build build] [--repeat 3]

For each chart size N (bench/gen_values.py N) and flow count F it writes F CSV lines drawn at
random (seeded): two in three between services, on the destination's port or on another (a
denied flow), one in three from a service to an address of an externalEgress block on its
port. Prints a Markdown table (docs/performance.md, "Observed flows"): wall time (median of
--repeat runs) and peak memory (GNU time) of check, of check --flows and of suggest --flows
(the overlay analysed again before it is written), with the ratios to check on the same inputs.
"""
import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def measure(cmd, repeat):
    """Median wall seconds and peak MiB of `cmd` under GNU time."""
    walls, peak = [], 0
    for _ in range(repeat):
        r = subprocess.run(["/usr/bin/time", "-f", "%e %M"] + cmd, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True)
        wall, kib = r.stderr.strip().splitlines()[-1].split()
        walls.append(float(wall))
        peak = max(peak, int(kib))
    return statistics.median(walls), peak / 1024


def flows_csv(services, count, seed=1):
    rng = random.Random(seed)
    lines = ["source,destination,port,protocol,count"]
    for _ in range(count):
        src = rng.randrange(services)
        if rng.random() < 2 / 3:
            dst = rng.randrange(services)
            port = 8000 + dst if rng.random() < 0.9 else 9999
            lines.append(f"svc-{src:05d},svc-{dst:05d},{port},TCP,{rng.randint(1, 100)}")
        else:
            block = rng.randrange(4)
            lines.append(f"svc-{src:05d},10.{block}.{rng.randrange(256)}.{rng.randrange(1, 255)},"
                         f"{443 + block},TCP")
    return "\n".join(lines) + "\n"


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="100,1000")
    p.add_argument("--flows", default="10000,100000")
    p.add_argument("--build", default=os.path.join(ROOT, "build"))
    p.add_argument("--repeat", type=int, default=3)
    a = p.parse_args()
    binary = os.path.join(a.build, "netpol-graph")
    if not os.path.exists(binary):
        sys.exit(f"flows.py: no {binary}: build it first (scripts/setup.sh)")
    print("| services | flows | check | check --flows | ratio | suggest --flows | ratio to "
          "check --flows |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for n in [int(x) for x in a.sizes.split(",")]:
            values = os.path.join(tmp, f"values-{n}.yaml")
            with open(values, "w") as out:
                subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_values.py"),
                                str(n)], stdout=out, check=True)
            base = [binary, "check", "-f", values, "--profile", "none", "--fail-on", "info"]
            check = measure(base, a.repeat)
            for f in [int(x) for x in a.flows.split(",")]:
                csv = os.path.join(tmp, f"flows-{n}-{f}.csv")
                with open(csv, "w") as out:
                    out.write(flows_csv(n, f))
                flows = measure(base + ["--flows", csv], a.repeat)
                overlay = os.path.join(tmp, "overlay.yaml")
                suggest = measure([binary, "suggest", "-f", values, "--profile", "none",
                                   "--flows", csv, "-o", overlay], a.repeat)
                print(f"| {n:,} | {f:,} | {check[0] * 1000:.0f} ms, {check[1]:.0f} MiB "
                      f"| {flows[0] * 1000:.0f} ms, {flows[1]:.0f} MiB "
                      f"| {flows[0] / max(check[0], 0.001):.1f}x "
                      f"| {suggest[0] * 1000:.0f} ms, {suggest[1]:.0f} MiB "
                      f"| {suggest[0] / max(flows[0], 0.001):.1f}x |")


if __name__ == "__main__":
    main()
