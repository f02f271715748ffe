#pragma once
// Keys the chart does not have. Helm ignores them; a security tool must not: a typo such as
// `allowExternl: false` leaves the default (true) in force while the author believes it is
// off. Every unknown key is a warning with "did you mean" (docs/usage.md, "Unknown keys").

#include <vector>

#include "graph/chart.hpp"
#include "values/value.hpp"

namespace netpol::graph {

// Checks the merged values against the schema: the chart defaults tree for the keys of
// global.networkPolicy and of each service's networkPolicy, and for the top-level names of
// services; {app, ports} for peers; the Kubernetes NetworkPolicy schema for raw rules;
// {cidr, except, ports, name} for externalEgress and otlpEgress entries. Keys outside the
// network-policy parts of the values (image, resources, ...) are not checked: the compiled-in
// defaults do not describe them.
std::vector<Warning> unknown_keys(const values::Value& merged, const values::Value& defaults);

}  // namespace netpol::graph
