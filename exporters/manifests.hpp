#pragma once
// NetworkPolicy manifests as the chart renders them for the values (docs/manifests.md), and
// optionally one minimal Deployment per service, so the output is a complete input for
// `--manifests` and for other analyzers.

#include <ostream>

#include "graph/analysis.hpp"

namespace netpol::exporters {

// Writes one networking.k8s.io/v1 NetworkPolicy per service (and, with `workloads`, one
// apps/v1 Deployment per service) as a YAML stream. Writes nothing when policies are
// disabled. Throws Error when a service name cannot be a Kubernetes object name.
void write_manifests(const graph::Analysis& analysis, bool workloads, std::ostream& out);

// Checks a name as Kubernetes checks object names and label values of this kind (RFC 1123
// label: at most 63 of a-z, 0-9 and '-', starting and ending alphanumeric); returns the
// reason it is not one, or "".
std::string dns1123_label_problem(const std::string& name);

}  // namespace netpol::exporters
