#pragma once
// Reads rendered Kubernetes manifests (what `helm template` prints) into the same model the
// values produce: workloads become services, NetworkPolicies their rules (docs/manifests.md).

#include <string>
#include <vector>

#include "graph/rules/chart.hpp"
#include "values/value.hpp"
#include "values/yaml_reader.hpp"

namespace netpol::graph {

// Builds the model from the documents of every input. Objects without metadata.namespace
// are in `default_ns`. Workloads (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
// CronJob, Pod) become services named after the object (prefixed "ns/" outside the main
// namespace, the one most workloads are in); NetworkPolicies selecting a workload's pods give
// its rules, with Kubernetes semantics (a direction no policy isolates is unrestricted);
// Namespaces give namespace labels. Other kinds are ignored. Throws InputError at the
// offending node for malformed objects.
Chart read_manifests(const std::vector<values::Value>& documents, const std::string& default_ns);

// The fields of Kubernetes objects read_manifests never reads, for the reader to skip while
// parsing (a cluster dump is mostly these): status, metadata but its name, namespace, labels
// and ownerReferences (managedFields, annotations, uid, ...), a pod template but its labels
// and containers, a container but its name and ports, a Pod's spec fields that only pods
// have (volumes, tolerations, nodeName, ...); in an object and in every List's items.
// Reading with or without them gives the same Chart (tests/test_manifests.cpp).
const values::SkipFields& manifest_skip();

}  // namespace netpol::graph
