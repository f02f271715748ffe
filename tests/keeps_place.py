#!/usr/bin/env python3
"""A node keeps its place between the pictures of one chart: for every sample, its graph
picture against its diff from the chart defaults (enabled.yaml) and against its picture
focused on each service, laid out by dot (-Tplain). Checks that both are ranked the same way,
that the nodes of the destinations' row (rank=same) stand in the same order in both, and
that any two nodes side by side in one rank of both pictures (services, sources, boxes'
nodes), but two an edge of the focus or diff joins, stand in the same order in both.
Prints each problem; exit 1 if any.
    keeps_place.py NETPOL-GRAPH SAMPLE.yaml...
"""
import itertools
import re
import subprocess
import sys


def layout(binary, args):
    dot = subprocess.run([binary] + args + ["--format", "dot"], capture_output=True,
                         text=True).stdout
    rankdir = "TB" if "rankdir=TB" in dot else "LR"
    row = []  # the destinations' row, as the DOT lists it
    for line in dot.splitlines():
        if line.startswith("  { rank=same;") or line.startswith("  { rank=max;"):
            row = [n.strip().strip('"') for n in line.strip("{} ").split(";")[1:] if n.strip()]
    plain = subprocess.run(["dot", "-Tplain"], input=dot, capture_output=True, text=True).stdout
    pos = {}
    for line in plain.splitlines():
        p = line.split()
        if p[0] == "node":
            pos[p[1].strip('"')] = (float(p[2]), float(p[3]))
    return rankdir, row, pos, joined(dot)


EDGE = re.compile(r'^  ("(?:[^"\\]|\\.)*"|\S+) -> ("(?:[^"\\]|\\.)*"|\S+) \[(.*)\];$')


def joined(dot):
    """The pairs of nodes a visible edge joins, either way, directly or through a junction:
    the picture does not hold them in one rank (a flat edge with a label)."""
    edges = []
    for line in dot.splitlines():
        m = EDGE.match(line)
        if m and "style=invis" not in m.group(3):
            edges.append((m.group(1).strip('"'), m.group(2).strip('"')))
    into = {}
    for a, b in edges:
        if b.startswith("netpol-graph:junction:"):
            into.setdefault(b, []).append(a)
    pairs = set()
    for a, b in edges:
        if b.startswith("netpol-graph:junction:"):
            continue
        for f in into.get(a, [a]):
            pairs.update({(f, b), (b, f)})
    return pairs


SERVICES = ["meta", "query", "ingest", "janitor", "ui", "nursery"]


def along(rankdir, point):
    return point[1] if rankdir == "TB" else point[0]


def across(rankdir, point):
    return point[0] if rankdir == "TB" else -point[1]


def compare(name, whole, part):
    problems = []
    if whole[0] != part[0]:
        problems.append(f"{name}: ranked {part[0]}, its chart's picture {whole[0]}")
        return problems
    common = [n for n in whole[1] if n in part[1] and n in whole[2] and n in part[2]]
    for a, b in itertools.combinations(common, 2):
        if (across(whole[0], whole[2][a]) < across(whole[0], whole[2][b])) != \
                (across(part[0], part[2][a]) < across(part[0], part[2][b])):
            problems.append(f"{name}: {a} and {b} swap places in the destinations' row")
    drawn = [n for n in whole[2] if n in part[2] and not n.startswith("netpol-graph:")]
    for a, b in itertools.combinations(drawn, 2):
        if abs(along(whole[0], whole[2][a]) - along(whole[0], whole[2][b])) > 0.01 or \
                abs(along(part[0], part[2][a]) - along(part[0], part[2][b])) > 0.01 or \
                (a, b) in part[3]:
            continue  # not side by side in both, or joined by an edge here
        if (across(whole[0], whole[2][a]) < across(whole[0], whole[2][b])) != \
                (across(part[0], part[2][a]) < across(part[0], part[2][b])):
            problems.append(f"{name}: {a} and {b} swap places in their rank")
    return problems


def main(binary, samples):
    problems = []
    for sample in samples:
        whole = layout(binary, ["graph", "-f", sample])
        problems += compare(f"diff to {sample}", whole,
                            layout(binary, ["diff", "samples/enabled.yaml", sample]))
        for service in SERVICES:
            problems += compare(f"{sample} --focus {service}", whole,
                                layout(binary, ["graph", "-f", sample, "--focus", service]))
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
