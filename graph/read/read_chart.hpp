#pragma once
// Reads the merged values into what the chart renders (graph::Chart).

#include <string>

#include "graph/read/profile.hpp"
#include "graph/rules/chart.hpp"
#include "values/value.hpp"

namespace netpol::graph {

// Interprets merged values as the chart's templates do (docs/model.md). Services are the
// top-level keys with a `networkPolicy` map, ordered as the profile lists them, then by name.
// Throws InputError for malformed values; peers naming no service become warnings.
Chart read_chart(const values::Value& merged, const Profile& profile, const std::string& ns);

// Parses an OTLP endpoint "host:port" or "scheme://host[:port][/path]"; throws ValueError.
OtlpEndpoint parse_otlp_endpoint(const std::string& text);

}  // namespace netpol::graph
