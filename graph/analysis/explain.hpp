#pragma once
// Why one hop is not allowed: which side blocks it, and the values key to change.

#include <optional>
#include <string>
#include <vector>

#include "graph/analysis/analysis.hpp"
#include "graph/analysis/reach.hpp"

namespace netpol::graph {

struct Blocked {
  std::vector<std::string> reasons;  // sentences, most important first
  std::vector<Provenance> keys;      // values keys a user would change, where they are
};

// Explains why `from` may not send to `to` directly (on `port`, when given). Empty when the
// hop is allowed.
Blocked explain_blocked(const Analysis& analysis, PolicyGraph::Vertex from, PolicyGraph::Vertex to,
                        const std::optional<PortQuery>& port);

}  // namespace netpol::graph
