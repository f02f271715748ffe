#pragma once
// Observed traffic against what the policies allow (`check --flows`, docs/flows.md): each flow
// mapped onto the graph's nodes (a chart service by name or by its pods' labels, other pods by
// the selectors that hold them, addresses by the blocks of the edges), then
//   denied-flow            a flow no edge allows: it fails, or will once the policies apply;
//   unused-allowance       the ports of an edge no flow used in the window;
//   flow-unknown-endpoint  a flow naming a service or workload the inputs do not have.

#include <vector>

#include "graph/analysis/findings.hpp"
#include "graph/read/flows.hpp"

namespace netpol::graph {

struct Analysis;

// The findings `flows` give against `a` (its graph and chart), in the order of the flows
// (denied, unknown) and of the graph's edges (unused). Edges held between class nodes (past
// --max-pairs) are left out of unused-allowance.
std::vector<Finding> check_flows(const Analysis& a, const std::vector<Flow>& flows);

}  // namespace netpol::graph
