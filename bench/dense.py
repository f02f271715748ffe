#!/usr/bin/env python3
"""Dense inputs beside the sparse curve (docs/performance.md, "Dense inputs").

Runs every text command on inputs where much may talk to much: services all open to any
source, policies disabled, cluster dumps without policies and with selectors that match
many workloads, and a values file larger than the input limit. Prints time and peak memory
(GNU time) per command, and the time of yaml-cpp alone reading the same file
(netpol-yaml-floor, built by scripts/bench.sh). A command that passes the timeout or the
memory cap is shown as such.

`diff` compares two inputs of the case's size whose every pair changes: a values file
against itself with one more layer (every service may send to every pod on TCP 8080), a
cluster dump without policies against the same dump with 300 (and the reverse).

    bench/dense.py [--build build-bench] [--timeout 60] [--cases open-2000,...]
"""
import argparse
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MEMORY_CAP_KIB = 8 << 20  # 8 GiB of address space: a runaway case fails instead of swapping

CASES = {
    # name: (generator arguments, input option, what it is)
    "open-500": (["gen_values.py", "500", "--shape", "open"], "-f",
                 "500 services, each open to any source on every port"),
    "open-2000": (["gen_values.py", "2000", "--shape", "open"], "-f",
                  "2,000 services, each open to any source on every port"),
    "disabled-1000": (["gen_values.py", "1000", "--shape", "disabled"], "-f",
                      "1,000 services, policies disabled"),
    "disabled-10000": (["gen_values.py", "10000", "--shape", "disabled"], "-f",
                       "10,000 services, policies disabled"),
    "dump-2000": (["gen_manifests.py", "2000"], "--manifests",
                  "--manifests: 2,000 Deployments in 20 namespaces, no policy"),
    "dump-10000": (["gen_manifests.py", "10000"], "--manifests",
                   "--manifests: 10,000 Deployments in 20 namespaces, no policy"),
    "dump-10000-300": (["gen_manifests.py", "10000", "--policies", "300"], "--manifests",
                       "--manifests: 10,000 Deployments, 300 policies (NotIn, DoesNotExist)"),
    "list-50mb": (None, "-f", "a 50 MB values file of one list"),
    "sparse-10000": (["gen_values.py", "10000"], "-f",
                     "10,000 services, 3 peers each (the sparse curve)"),
}
COMMANDS = {
    "table": ["table"],
    "graph json": ["graph", "--format", "json"],
    "check": ["check"],
    "reach any-source": ["reach", "--from", "any-source"],
}
# diff's new side: one more values layer that changes every pair.
EVERY_PAIR_8080 = """global:
  networkPolicy:
    additionalEgress:
      - to: [{podSelector: {}}]
        ports: [{port: 8080, protocol: TCP}]
"""


def measure(cmd, timeout):
    """(seconds, peak KiB, exit code) or None on timeout."""
    wrapped = ["/usr/bin/time", "-f", "%e %M", "--"] + cmd
    try:
        r = subprocess.run(wrapped, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           timeout=timeout, preexec_fn=cap_memory)
    except subprocess.TimeoutExpired:
        return None
    last = r.stderr.decode(errors="replace").strip().splitlines()[-1].split()
    return float(last[-2]), int(last[-1]), r.returncode


def cap_memory():
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP_KIB << 10, MEMORY_CAP_KIB << 10))


def cell(m):
    if m is None:
        return "timeout"
    secs, kib, rc = m
    t = f"{secs * 1000:.0f} ms" if secs < 1 else f"{secs:.2f} s"
    note = "" if rc in (0, 1) else f" (exit {rc})"
    return f"{t}, {kib / 1024:.0f} MiB{note}"


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--build", default=os.path.join(ROOT, "build-bench"))
    p.add_argument("--timeout", type=float, default=60)
    p.add_argument("--cases", default=",".join(CASES))
    p.add_argument("--floor", help="netpol-yaml-floor (default: the one in --build)")
    a = p.parse_args()
    binary = os.path.join(a.build, "netpol-graph")
    floor = a.floor or os.path.join(a.build, "bench", "netpol-yaml-floor")
    tmp = tempfile.mkdtemp(prefix="netpol-dense-")
    layer = os.path.join(tmp, "every-pair-8080.yaml")
    with open(layer, "w") as f:
        f.write(EVERY_PAIR_8080)
    print("| input | size | yaml-cpp alone | " + " | ".join(COMMANDS) + " | diff |")
    print("|---" * (len(COMMANDS) + 4) + "|")
    for name in a.cases.split(","):
        gen, option, what = CASES[name]
        path = os.path.join(tmp, name + ".yaml")
        with open(path, "w") as f:
            if gen is None:
                f.write("list:\n")
                line = "  - item\n"
                f.write(line * (50_000_000 // len(line)))
            else:
                subprocess.run([sys.executable, os.path.join(ROOT, "bench", gen[0])] + gen[1:],
                               stdout=f, check=True)
        size = os.path.getsize(path)
        # Generated services are not the chart's: no defaults under them (as bench/scale.py).
        args = [option, path] + (["--defaults", "/dev/null"] if gen and option == "-f" else [])
        yc = measure([floor, path], a.timeout)
        cells = [cell(measure([binary] + c + args, a.timeout)) for c in COMMANDS.values()]
        other = None
        if option == "--manifests":  # the same dump with policies toggled
            other = os.path.join(tmp, name + ".other.yaml")
            flip = (gen[:gen.index("--policies")] if "--policies" in gen
                    else gen + ["--policies", "300"])
            with open(other, "w") as f:
                subprocess.run([sys.executable, os.path.join(ROOT, "bench", flip[0])] + flip[1:],
                               stdout=f, check=True)
            diff = ["diff", "--old-manifests", other, "--new-manifests", path]
        else:
            diff = (["diff", "--old", path, "--new", path, "--new", layer] +
                    (["--defaults", "/dev/null"] if gen else []))
        cells.append(cell(measure([binary] + diff, a.timeout)))
        human = f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.0f} KB"
        print(f"| {what} | {human} | {cell(yc)} | " + " | ".join(cells) + " |", flush=True)
        os.remove(path)
        if other:
            os.remove(other)


if __name__ == "__main__":
    main()
