#!/usr/bin/env python3
"""netpol-graph against np-guard/netpol-analyzer's whole connectivity suite.

Not part of CI (the peer's repository is not on CI's machines): a developer's check, run
after `fetch github:np-guard/netpol-analyzer` or a `git clone` of it:

    tests/oracle/peer_suite.py [--warnings] build/netpol-graph PEER_REPO [CASE...]

For every case of PEER_REPO/tests/ that has an expected connectivity list
(test_outputs/connlist/CASE_connlist_output.txt), reads the case with
`graph --manifests DIR --profile none --format json` and compares the connections, both
written as the same canonical facts:

- workload -> workload: the ports allowed, per protocol, as merged ranges;
- workload -> addresses and addresses -> workload: IPv4 address ranges, each with its ports
  (the peer lists the addresses outside the cluster only as ranges);
- `{ingress-controller}` -> workload: the ports.

A workload is named as the peer names it, `namespace/name[Kind]` (netpol-graph's JSON says
`workload: {namespace, name, kind}` per node). `any-source` stands for every address
(the workloads that reach a destination have their own edges). Cases using features netpol-graph does not model (user-defined networks,
NetworkAttachmentDefinitions' secondary networks, KubeVirt virtual machines) are skipped and
counted. Prints one line per disagreeing case (with --warnings, the warnings and notes each
case printed) and a summary; exits 1 on any disagreement or refusal.
"""
import ipaddress
import json
import os
import re
import subprocess
import sys

PROTOCOLS = ("TCP", "UDP", "SCTP")
ALL_PORTS = {p: [(1, 65535)] for p in PROTOCOLS}
IPV4_ALL = (0, 2**32 - 1)


def merge(ranges):
    out = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def canon_ports(ports):
    """{proto: [(lo, hi)]} with empty protocols dropped, as a hashable tuple."""
    return tuple((p, tuple(merge(ports[p]))) for p in PROTOCOLS if ports.get(p))


def union_ports(a, b):
    out = {p: list(r) for p, r in a}
    for p, r in b:
        out.setdefault(p, []).extend(r)
    return canon_ports(out)


def add_range(out, proto, text):
    """Adds "8080", "1-52" or a port name (kept by name: unresolved) to out[proto]."""
    lo, _, hi = text.partition("-")
    if not lo.isdigit():
        out.setdefault(proto + ":" + text, []).append((0, 0))
    else:
        out.setdefault(proto, []).append((int(lo), int(hi or lo)))


def finish_ports(out):
    """Ranges merged per protocol, then the named ports, as one hashable tuple."""
    named = sorted(k for k in out if ":" in k)
    plain = canon_ports({k: v for k, v in out.items() if ":" not in k})
    return plain + tuple((k, ((0, 0),)) for k in named)


def peer_ports(text):
    text = text.strip()
    if text == "All Connections":
        return canon_ports(ALL_PORTS)
    if text == "No Connections":
        return ()
    out, proto = {}, None
    for item in text.split(","):
        item = item.strip()
        m = re.match(r"^(TCP|UDP|SCTP) (.*)$", item)
        if m:
            proto, item = m.group(1), m.group(2)
        if proto is None:
            raise ValueError("ports: " + text)
        add_range(out, proto, item)
    return finish_ports(out)


def our_ports(items):
    out = {}
    for item in items:
        if item == "*":
            for p in PROTOCOLS:
                out.setdefault(p, []).append((1, 65535))
            continue
        proto, _, rng = item.partition("/")
        if rng == "*":
            out.setdefault(proto, []).append((1, 65535))
            continue
        add_range(out, proto, rng)
    return finish_ports(out)


def ip_range(text):
    lo, _, hi = text.partition("-")
    return (int(ipaddress.IPv4Address(lo)), int(ipaddress.IPv4Address(hi or lo)))


class Facts:
    """Connections as canonical facts: pairs of workloads, and address ranges per workload."""

    def __init__(self):
        self.pairs = {}  # (src, dst) -> ports
        self.addresses = {}  # (workload, "to"|"from") -> [(lo, hi, ports)]

    def pair(self, src, dst, ports):
        if ports:
            self.pairs[(src, dst)] = union_ports(self.pairs.get((src, dst), ()), ports)

    def address(self, workload, direction, lo, hi, ports):
        if ports:
            self.addresses.setdefault((workload, direction), []).append((lo, hi, ports))

    def canonical(self):
        """Address ranges cut at every boundary, ports per piece, equal neighbours joined."""
        out = {}
        for key, items in self.addresses.items():
            cuts = sorted({lo for lo, _, _ in items} | {hi + 1 for _, hi, _ in items})
            pieces = []
            for a, b in zip(cuts, cuts[1:]):
                ports = ()
                for lo, hi, p in items:
                    if lo <= a and b - 1 <= hi:
                        ports = union_ports(ports, p)
                if not ports:
                    continue
                if pieces and pieces[-1][1] + 1 == a and pieces[-1][2] == ports:
                    pieces[-1] = (pieces[-1][0], b - 1, ports)
                else:
                    pieces.append((a, b - 1, ports))
            out[key] = pieces
        return self.pairs, out


def peer_facts(path, ours):
    """The peer's list, each workload named as netpol-graph names it: the peer names a pod
    by its direct controller, a ReplicaSet `name-hash` where netpol-graph names Deployment
    `name` (`ours`: the names netpol-graph uses)."""
    facts = Facts()

    def rename(end):
        m = re.match(r"^(.*)-[a-z0-9]+\[ReplicaSet\]$", end)
        if end not in ours and m and m.group(1) + "[Deployment]" in ours:
            return m.group(1) + "[Deployment]"
        # An owner of no kind: the peer prints it as a Pod.
        if end.endswith("[Pod]") and end not in ours and end[:-5] + "[]" in ours:
            return end[:-5] + "[]"
        return end

    lines = [l for l in open(path, encoding="utf-8").read().splitlines() if "=>" in l]
    parsed = []
    for line in lines:
        m = re.match(r"^(\S+) => (\S+) : (.*)$", line)
        if not m:
            raise ValueError(path + ": " + line)
        parsed.append((rename(m.group(1)), rename(m.group(2)), peer_ports(m.group(3))))
    for src, dst, ports in parsed:
        src_ip = re.match(r"^([0-9.]+(?:-[0-9.]+)?)(\[External\])?$", src)
        dst_ip = re.match(r"^([0-9.]+(?:-[0-9.]+)?)(\[External\])?$", dst)
        if src_ip:
            lo, hi = ip_range(src_ip.group(1))
            facts.address(dst, "from", lo, hi, ports)
        elif dst_ip:
            lo, hi = ip_range(dst_ip.group(1))
            facts.address(src, "to", lo, hi, ports)
        else:
            facts.pair(src, dst, ports)
    return facts


def cidr_ranges(block):
    """An ipBlock {cidr, except} as IPv4 ranges (IPv6 left out: the peer lists IPv4)."""
    net = ipaddress.ip_network(block["cidr"], strict=False)
    if net.version != 4:
        return []
    ranges = [(int(net.network_address), int(net.broadcast_address))]
    for e in block.get("except", []):
        x = ipaddress.ip_network(e, strict=False)
        if x.version != 4:
            continue
        xl, xh = int(x.network_address), int(x.broadcast_address)
        cut = []
        for lo, hi in ranges:
            if xh < lo or xl > hi:
                cut.append((lo, hi))
                continue
            if lo < xl:
                cut.append((lo, xl - 1))
            if xh < hi:
                cut.append((xh + 1, hi))
        ranges = cut
    return ranges


def our_facts(graph):
    facts = Facts()
    names, kinds, addresses = {}, {}, {}
    for n in graph["nodes"]:
        kinds[n["id"]] = n["kind"]
        if n["kind"] == "service":
            w = n.get("workload")
            if w:
                names[n["id"]] = "%s/%s[%s]" % (w["namespace"], w["name"], w["kind"])
            elif n["id"] == "ingress-controller":
                names[n["id"]] = "{ingress-controller}"
            else:
                names[n["id"]] = n["id"]
        elif n["kind"] == "external":
            blocks = n.get("addresses") or [{"cidr": "0.0.0.0/0"}]
            addresses[n["id"]] = [r for b in blocks for r in cidr_ranges(b)]
    for e in graph["edges"]:
        src, dst, ports = e["from"], e["to"], our_ports(e["ports"])
        sk, dk = kinds[src], kinds[dst]
        if names.get(dst) == "{ingress-controller}" or names.get(src) == "{ingress-controller}":
            if sk != "service" or dk != "service":
                continue  # the peer leaves out who reaches the ingress controller
        if dk != "service":
            if dk == "dns" and sk == "service":  # egress to every address on DNS's port
                facts.address(names[src], "to", *IPV4_ALL, ports)
            if dk == "external" and sk == "service":
                for lo, hi in addresses[dst]:
                    facts.address(names[src], "to", lo, hi, ports)
            continue
        if sk == "service":
            facts.pair(names[src], names[dst], ports)
        elif sk == "any-source":  # workloads that reach dst have their own edges
            facts.address(names[dst], "from", *IPV4_ALL, ports)
        elif sk == "external":
            for lo, hi in addresses[src]:
                facts.address(names[dst], "from", lo, hi, ports)
    return facts, set(names.values())


UNMODELLED = ("[udn]", "Primary", "Secondary", "[VirtualMachine]", "[ClusterUDN]")


def show_ports(ports):
    return ",".join("%s %s" % (p, ",".join("%d-%d" % r if r[0] != r[1] else str(r[0])
                                            for r in rs)) for p, rs in ports) or "none"


def describe(a, b):
    """What the peer says (a) and netpol-graph says (b) differently, a few lines."""
    out = []
    for key in sorted(set(a) | set(b)):
        if a.get(key) != b.get(key):
            out.append("    %s => %s: peer %s, netpol-graph %s" % (
                key[0], key[1], show_ports(a.get(key, ())), show_ports(b.get(key, ()))))
    return out


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    args = [a for a in sys.argv[1:] if a != "--warnings"]
    binary, repo, only = args[0], args[1], args[2:]
    expected_dir = os.path.join(repo, "test_outputs", "connlist")
    cases = sorted(f[: -len("_connlist_output.txt")] for f in os.listdir(expected_dir)
                   if f.endswith("_connlist_output.txt"))
    cases = [c for c in cases if os.path.isdir(os.path.join(repo, "tests", c))]
    if only:
        cases = [c for c in cases if c in only]
    agree, disagree, skipped, refused, warned = [], [], [], [], []
    for case in cases:
        expected = os.path.join(expected_dir, case + "_connlist_output.txt")
        if any(u in open(expected, encoding="utf-8").read() for u in UNMODELLED):
            skipped.append(case)
            continue
        run = subprocess.run([binary, "graph", "--manifests", os.path.join(repo, "tests", case),
                              "--profile", "none", "--format", "json"],
                             capture_output=True, text=True)
        if run.returncode != 0:
            refused.append(case)
            print("REFUSED: %s: %s" % (case, run.stderr.strip().splitlines()[0]))
            continue
        ours, names = our_facts(json.loads(run.stdout))
        peer_pairs, peer_addr = peer_facts(expected, names).canonical()
        our_pairs, our_addr = ours.canonical()
        codes = {}
        for line in run.stderr.splitlines():
            m = re.search(r"netpol-graph: (warning|note): .*", line)
            if m:
                code = "note" if m.group(1) == "note" else "warning"
                codes[code] = codes.get(code, 0) + 1
        if run.stderr.strip():
            warned.append("%s: %s" % (case, ", ".join("%d %s%s" % (n, c, "s" if n > 1 else "")
                                                         for c, n in sorted(codes.items()))))
        if peer_pairs == our_pairs and peer_addr == our_addr:
            agree.append(case)
            continue
        disagree.append(case)
        lines = describe(peer_pairs, our_pairs)
        for key in sorted(set(peer_addr) | set(our_addr)):
            if peer_addr.get(key) != our_addr.get(key):
                lines.append("    %s %s addresses differ" % key)
        print("DIFFERS: %s (%d facts)" % (case, len(lines)))
        for line in lines[:6]:
            print(line)
    if "--warnings" in sys.argv:
        for line in warned:
            print("warned: " + line)
    print("peer suite: %d agree, %d differ, %d refused, %d skipped (not modelled)" % (
        len(agree), len(disagree), len(refused), len(skipped)))
    sys.exit(1 if disagree or refused else 0)


if __name__ == "__main__":
    main()
