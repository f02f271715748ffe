#!/usr/bin/env python3
"""Synthetic rendered manifests for benchmarks: a cluster dump of N Deployments.

The Deployments are spread over K namespaces (ns-00 ...), each with labels app, tier (one of
four) and team (one of ten) and one named container port. With --policies P, P
NetworkPolicies are added round-robin over the namespaces; each selects one tier with a
`NotIn` or `DoesNotExist` requirement and admits pods of one team from namespaces matched by
`NotIn`, so selectors match many workloads. Without policies every workload is open both
ways. Deterministic for the same arguments.

    bench/gen_manifests.py N [--namespaces K] [--policies P] > cluster.yaml
"""
import argparse
import sys


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("workloads", type=int)
    p.add_argument("--namespaces", type=int, default=20)
    p.add_argument("--policies", type=int, default=0)
    a = p.parse_args()
    out = sys.stdout.write
    tiers = ["web", "api", "worker", "db"]
    for k in range(a.namespaces):
        out(f"---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns-{k:02d}\n"
            f"  labels: {{env: {'prod' if k % 2 else 'dev'}}}\n")
    for i in range(a.workloads):
        ns, tier, team = f"ns-{i % a.namespaces:02d}", tiers[i % 4], f"team-{i % 10}"
        labels = f"{{app: app-{i:05d}, tier: {tier}, team: {team}}}"
        out(f"---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-{i:05d}\n"
            f"  namespace: {ns}\nspec:\n  selector:\n    matchLabels: {{app: app-{i:05d}}}\n"
            f"  template:\n    metadata:\n      labels: {labels}\n    spec:\n      containers:\n"
            f"        - name: main\n          image: registry.invalid/app:1\n"
            f"          ports:\n            - {{name: http, containerPort: {8000 + i % 100}}}\n")
    for j in range(a.policies):
        ns = f"ns-{j % a.namespaces:02d}"
        if j % 2:
            select = f"{{key: tier, operator: NotIn, values: [{tiers[j % 4]}]}}"
        else:
            select = "{key: canary, operator: DoesNotExist}"
        out(f"---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n"
            f"  name: policy-{j:04d}\n  namespace: {ns}\nspec:\n  podSelector:\n"
            f"    matchExpressions: [{select}]\n  policyTypes: [Ingress, Egress]\n"
            f"  ingress:\n    - from:\n        - namespaceSelector:\n"
            f"            matchExpressions: [{{key: env, operator: NotIn, values: [test]}}]\n"
            f"          podSelector:\n            matchLabels: {{team: team-{j % 10}}}\n"
            f"      ports: [{{port: http}}]\n"
            f"  egress:\n    - to:\n        - podSelector:\n"
            f"            matchExpressions: [{{key: tier, operator: In, values: [api, db]}}]\n"
            f"    - ports: [{{port: 53, protocol: UDP}}]\n")


if __name__ == "__main__":
    main()
