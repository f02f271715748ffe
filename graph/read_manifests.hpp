#pragma once
// Reads rendered Kubernetes manifests (what `helm template` prints) into the same model the
// values produce: workloads become services, NetworkPolicies their rules (docs/manifests.md).

#include <string>
#include <vector>

#include "graph/chart.hpp"
#include "values/value.hpp"

namespace netpol::graph {

// Builds the model from the documents of every input. Objects without metadata.namespace
// are in `default_ns`. Workloads (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
// CronJob, Pod) become services named after the object (prefixed "ns/" outside the main
// namespace, the one most workloads are in); NetworkPolicies selecting a workload's pods give
// its rules, with Kubernetes semantics (a direction no policy isolates is unrestricted);
// Namespaces give namespace labels. Other kinds are ignored. Throws InputError at the
// offending node for malformed objects.
Chart read_manifests(const std::vector<values::Value>& documents, const std::string& default_ns);

}  // namespace netpol::graph
