#!/usr/bin/env python3
"""A cluster dump as `kubectl get ns,pods,deploy,rs,svc,netpol -A -o json` prints it.

N pods of N/10 Deployments (each with its ReplicaSet, a Service and its pods, named by the
pod-template-hash as the controllers name them) over K namespaces, and P NetworkPolicies,
every object with what real ones carry: metadata.managedFields, annotations (the
last-applied-configuration kubectl apply leaves), uid, resourceVersion, creationTimestamp,
ownerReferences; pods with two containers (image, env, resources, probes, volume mounts)
and a full status. The policies select tiers and admit teams, so selectors match many
workloads. Deterministic for the same arguments.

    bench/gen_dump.py N [--namespaces K] [--policies P] [--yaml] > dump.json

--yaml writes the same objects as `kubectl get -o yaml` does (PyYAML, block style).
"""
import argparse
import json
import sys

TIERS = ["web", "api", "worker", "db"]


def managed_fields(manager):
    return [{
        "apiVersion": "v1", "fieldsType": "FieldsV1", "manager": manager,
        "operation": "Update", "time": "2026-11-30T10:00:00Z",
        "fieldsV1": {"f:metadata": {"f:labels": {".": {}, "f:app": {}, "f:tier": {}}},
                     "f:spec": {"f:containers": {'k:{"name":"main"}': {
                         ".": {}, "f:image": {}, "f:name": {}, "f:ports": {".": {}},
                         "f:resources": {}}}}},
    }]


def meta(name, ns, labels, uid, owner=None, annotate=False):
    m = {"creationTimestamp": "2026-11-30T10:00:00Z", "labels": labels,
         "managedFields": managed_fields("kube-controller-manager"), "name": name,
         "namespace": ns, "resourceVersion": str(100000 + uid), "uid": "%08x-0000-4000-8000-%012x"
         % (uid, uid)}
    if annotate:
        m["annotations"] = {"kubectl.kubernetes.io/last-applied-configuration":
                            json.dumps({"metadata": {"name": name, "labels": labels}}) + "\n"}
    if owner:
        m["ownerReferences"] = [{"apiVersion": "apps/v1", "blockOwnerDeletion": True,
                                 "controller": True, "kind": owner[0], "name": owner[1],
                                 "uid": "owner-%s" % owner[1]}]
    return m


def containers(port):
    main = {"name": "main", "image": "registry.example/app:1.2.3", "imagePullPolicy": "IfNotPresent",
            "ports": [{"containerPort": port, "name": "http", "protocol": "TCP"},
                      {"containerPort": 9090, "name": "metrics", "protocol": "TCP"}],
            "env": [{"name": "VAR_%d" % i, "value": "value-%d" % i} for i in range(8)],
            "resources": {"limits": {"cpu": "500m", "memory": "256Mi"},
                          "requests": {"cpu": "100m", "memory": "128Mi"}},
            "livenessProbe": {"httpGet": {"path": "/healthz", "port": "http", "scheme": "HTTP"},
                              "periodSeconds": 10, "timeoutSeconds": 1},
            "volumeMounts": [{"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                              "name": "kube-api-access", "readOnly": True}],
            "terminationMessagePath": "/dev/termination-log"}
    sidecar = {"name": "proxy", "image": "registry.example/proxy:2", "ports": [
        {"containerPort": 15090, "name": "http-envoy-prom", "protocol": "TCP"}],
        "resources": {}}
    return [main, sidecar]


def pod_spec(port):
    return {"containers": containers(port), "dnsPolicy": "ClusterFirst", "nodeName": "node-1",
            "restartPolicy": "Always", "schedulerName": "default-scheduler",
            "serviceAccountName": "default", "terminationGracePeriodSeconds": 30,
            "tolerations": [{"effect": "NoExecute", "key": "node.kubernetes.io/not-ready",
                             "operator": "Exists", "tolerationSeconds": 300}],
            "volumes": [{"name": "kube-api-access", "projected": {"defaultMode": 420, "sources": [
                {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}}]}}]}


def pod_status(i):
    return {"conditions": [{"lastTransitionTime": "2026-11-30T10:00:0%dZ" % k, "status": "True",
                            "type": t} for k, t in enumerate(
                                ["Initialized", "Ready", "ContainersReady", "PodScheduled"])],
            "containerStatuses": [{"containerID": "containerd://%064x" % i, "image": "app:1.2.3",
                                   "name": "main", "ready": True, "restartCount": 0,
                                   "started": True, "state": {"running": {
                                       "startedAt": "2026-11-30T10:00:05Z"}}}],
            "hostIP": "10.1.0.1", "phase": "Running",
            "podIP": "10.%d.%d.%d" % (i >> 16 & 255, i >> 8 & 255, i & 255),
            "podIPs": [{"ip": "10.%d.%d.%d" % (i >> 16 & 255, i >> 8 & 255, i & 255)}],
            "qosClass": "Burstable", "startTime": "2026-11-30T10:00:00Z"}


def objects(n, k, policies):
    uid = 0
    for j in range(k):
        uid += 1
        yield {"apiVersion": "v1", "kind": "Namespace",
               "metadata": meta("ns-%02d" % j, None, {"kubernetes.io/metadata.name": "ns-%02d" % j,
                                                    "env": "prod" if j % 2 else "dev"}, uid),
               "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}}
    deployments = max(1, n // 10)
    for d in range(deployments):
        ns, name = "ns-%02d" % (d % k), "app-%05d" % d
        labels = {"app": name, "tier": TIERS[d % 4], "team": "team-%d" % (d % 10)}
        port, h = 8000 + d % 100, "%08x" % (d * 2654435761 % 2**32)
        uid += 1
        template = {"metadata": {"labels": labels}, "spec": pod_spec(port)}
        yield {"apiVersion": "apps/v1", "kind": "Deployment",
               "metadata": meta(name, ns, labels, uid, annotate=True),
               "spec": {"replicas": 10, "selector": {"matchLabels": {"app": name}},
                        "template": template},
               "status": {"availableReplicas": 10, "readyReplicas": 10, "replicas": 10}}
        rs_labels = dict(labels, **{"pod-template-hash": h})
        uid += 1
        yield {"apiVersion": "apps/v1", "kind": "ReplicaSet",
               "metadata": meta("%s-%s" % (name, h), ns, rs_labels, uid, ("Deployment", name)),
               "spec": {"replicas": 10, "selector": {"matchLabels": rs_labels},
                        "template": {"metadata": {"labels": rs_labels}, "spec": pod_spec(port)}},
               "status": {"replicas": 10}}
        uid += 1
        yield {"apiVersion": "v1", "kind": "Service", "metadata": meta(name, ns, labels, uid),
               "spec": {"clusterIP": "10.96.%d.%d" % (d >> 8 & 255, d & 255),
                        "ports": [{"name": "http", "port": 80, "protocol": "TCP",
                                   "targetPort": "http"}],
                        "selector": {"app": name}, "type": "ClusterIP"},
               "status": {"loadBalancer": {}}}
        for r in range(n // deployments if d < deployments - 1 else n - (n // deployments) * d):
            uid += 1
            yield {"apiVersion": "v1", "kind": "Pod",
                   "metadata": meta("%s-%s-%05x" % (name, h, r), ns, rs_labels, uid,
                                    ("ReplicaSet", "%s-%s" % (name, h))),
                   "spec": pod_spec(port), "status": pod_status(uid)}
    for p in range(policies):
        uid += 1
        ns = "ns-%02d" % (p % k)
        yield {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
               "metadata": meta("policy-%04d" % p, ns, {}, uid, annotate=True),
               "spec": {"podSelector": {"matchExpressions": [
                   {"key": "tier", "operator": "NotIn", "values": [TIERS[p % 4]]}]},
                   "policyTypes": ["Ingress"],
                   "ingress": [{"from": [{"namespaceSelector": {"matchExpressions": [
                       {"key": "env", "operator": "NotIn", "values": ["dev"]}]},
                       "podSelector": {"matchLabels": {"team": "team-%d" % (p % 10)}}}],
                       "ports": [{"port": "http", "protocol": "TCP"}]}]}}


def clean(o):
    """Drops the None namespace of cluster-scoped objects."""
    if isinstance(o, dict):
        return {k: clean(v) for k, v in o.items() if v is not None}
    if isinstance(o, list):
        return [clean(v) for v in o]
    return o


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("pods", type=int)
    p.add_argument("--namespaces", type=int, default=20)
    p.add_argument("--policies", type=int, default=200)
    p.add_argument("--yaml", action="store_true")
    a = p.parse_args()
    dump = {"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""},
            "items": [clean(o) for o in objects(a.pods, a.namespaces, a.policies)]}
    if a.yaml:
        import yaml
        yaml.dump(dump, sys.stdout, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper),
                  default_flow_style=False, sort_keys=True, width=1 << 30)
    else:
        json.dump(dump, sys.stdout, indent=4, sort_keys=False)
        sys.stdout.write("\n")


if __name__ == "__main__":
    main()
