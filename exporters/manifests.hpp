#pragma once
// NetworkPolicy manifests as the chart renders them for the values (docs/manifests.md), and
// optionally one minimal Deployment per service, so the output is a complete input for
// `--manifests` and for other analyzers.

#include <ostream>

#include "graph/analysis/analysis.hpp"

namespace netpol::exporters {

// Writes one networking.k8s.io/v1 NetworkPolicy per service (and, with `workloads`, one
// apps/v1 Deployment per service) as a YAML stream. Writes nothing when policies are
// disabled. Names are valid Kubernetes names: the readers refuse any other
// (graph/read/k8s_names.hpp).
void write_manifests(const graph::Analysis& analysis, bool workloads, std::ostream& out);

}  // namespace netpol::exporters
