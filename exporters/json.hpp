#pragma once
// JSON: the effective graph as a versioned document (docs/json.md,
// docs/netpol-graph.schema.json).

#include <ostream>

#include "graph/analysis/analysis.hpp"

namespace netpol::exporters {

constexpr int kJsonSchemaVersion = 1;
// The diff document's: 2 since verdicts are set relations of access (renamed, redundant).
constexpr int kDiffSchemaVersion = 3;

// Writes every node and edge (no grouping), sorted, so the same inputs give the same bytes.
void write_json(const graph::Analysis& analysis, std::ostream& out);

}  // namespace netpol::exporters
