#!/usr/bin/env python3
"""Synthetic values for benchmarks: N services of the chart's shape.

Each service svc-I listens on one port and sends to K peers (egressTo), which admit it
(ingressFrom), so every peer entry makes an edge. A share of services (--external, default
1 in 10) has allowExternal; every service has allowExternalEgress over M externalEgress
CIDRs, and one in 20 has a raw additionalIngress rule with a namespace selector and a raw
additionalEgress rule with an ipBlock (with except). Deterministic for the same arguments.

Dense shapes (docs/performance.md, "Dense inputs"): --shape open gives N services that each
admit any source on every port (allowExternal with no port known) and nothing else;
--shape disabled the same N services with policies switched off (every pair may talk).

    bench/gen_values.py N [--peers K] [--cidrs M] [--external F] [--shape S] > values.yaml
"""
import argparse
import random
import sys


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("services", type=int)
    p.add_argument("--peers", type=int, default=3, help="peers per service (K)")
    p.add_argument("--cidrs", type=int, default=4, help="externalEgress entries (M)")
    p.add_argument("--external", type=float, default=0.1, help="share with allowExternal")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--shape", choices=["sparse", "open", "disabled"], default="sparse")
    a = p.parse_args()
    if a.shape != "sparse":
        dense(a.services, a.shape == "open")
        return
    rng = random.Random(a.seed)
    n = a.services
    name = lambda i: f"svc-{i:05d}"
    port = lambda i: 8000 + i % 1000
    egress = {i: sorted({(i + 1 + rng.randrange(max(n - 1, 1))) % n for _ in range(a.peers)} - {i})
              for i in range(n)}
    ingress = {i: [] for i in range(n)}
    for i, peers in egress.items():
        for j in peers:
            ingress[j].append(i)
    out = sys.stdout.write
    out("global:\n  networkPolicy:\n    enabled: true\n    externalEgress:\n")
    for c in range(a.cidrs):
        out(f"      - cidr: 10.{c % 256}.0.0/16\n        ports:\n          - port: {443 + c}\n")
    for i in range(n):
        out(f"{name(i)}:\n  service:\n    port: {port(i)}\n  networkPolicy:\n")
        out(f"    allowExternal: {'true' if rng.random() < a.external else 'false'}\n")
        out("    allowExternalEgress: true\n")
        out("    ingressFrom:\n" if ingress[i] else "    ingressFrom: []\n")
        for j in ingress[i]:
            out(f"      - app: {name(j)}\n        ports: [{port(i)}]\n")
        out("    egressTo:\n" if egress[i] else "    egressTo: []\n")
        for j in egress[i]:
            out(f"      - app: {name(j)}\n        ports: [{port(j)}]\n")
        if i % 20 == 0:
            out("    additionalIngress:\n      - from:\n"
                "          - namespaceSelector: {matchLabels: {team: monitoring}}\n"
                "        ports: [{port: 9100}]\n")
            out("    additionalEgress:\n      - to:\n"
                f"          - ipBlock: {{cidr: 172.16.0.0/12, except: [172.16.{i % 256}.0/24]}}\n"
                "        ports: [{port: 5432}]\n")


def dense(n, enabled):
    out = sys.stdout.write
    out(f"global:\n  networkPolicy:\n    enabled: {'true' if enabled else 'false'}\n")
    for i in range(n):
        out(f"svc-{i:05d}:\n  networkPolicy:\n    allowExternal: true\n")


if __name__ == "__main__":
    main()
