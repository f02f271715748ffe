#pragma once
// Keys the chart does not have. Helm ignores them; a security tool must not: a typo such as
// `allowExternl: false` leaves the default (true) in force while the author believes it is
// off. Every unknown key is a warning with "did you mean" (docs/usage.md, "Unknown keys").

#include <vector>

#include "graph/rules/chart.hpp"
#include "values/value.hpp"

namespace netpol::graph {

// Checks the merged values against the schema: the chart defaults tree for the keys of
// global.networkPolicy and of each service's networkPolicy, and for the top-level names of
// services; {app, ports} for peers; the Kubernetes NetworkPolicy schema for raw rules;
// {cidr, except, ports, name} for externalEgress and otlpEgress entries. Keys outside the
// network-policy parts of the values (image, resources, ...) are not checked: the compiled-in
// defaults do not describe them.
std::vector<Warning> unknown_keys(const values::Value& merged, const values::Value& defaults);

// With --manifests: keys that a NetworkPolicy object (networking.k8s.io/v1; its metadata
// and status are not checked) does not have, and keys that the container ports of a pod
// spec (core/v1 ContainerPort) do not have, such as `containerport`. `path` names the
// object as provenance does ("NetworkPolicy/prod/api").
std::vector<Warning> unknown_policy_keys(const values::Value& policy, const std::string& path);
std::vector<Warning> unknown_container_port_keys(const values::Value& pod_spec,
                                                 const std::string& path);

}  // namespace netpol::graph
