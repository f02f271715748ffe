#pragma once
// Observed traffic against what the policies allow (`check --flows`, docs/flows.md): each flow
// mapped onto the graph's nodes (a chart service by name or by its pods' labels, other pods by
// the selectors that hold them, addresses by the blocks of the edges), then
//   denied-flow            a flow no edge allows: it fails, or will once the policies apply;
//   unused-allowance       the ports of an edge no flow used in the window;
//   flow-unknown-endpoint  a flow naming a service or workload the inputs do not have.

#include <string>
#include <unordered_map>
#include <vector>

#include "graph/analysis/findings.hpp"
#include "graph/read/flows.hpp"
#include "graph/rules/chart.hpp"

namespace netpol::graph {

struct Analysis;

// The chart service a flow end is: by name (a service, or `namespace/workload` of a manifest),
// or for a pod the service whose pods' labels it has in that namespace (the most labels wins).
// Indexed once; pods are looked up once per namespace and labels (flows are many, and the
// same pods come again).
class FlowServices {
 public:
  // `ns`: the namespace of services that name none (the release namespace).
  FlowServices(const Chart& chart, const std::string& ns);
  const Service* of(const FlowEnd& end) const;

 private:
  std::unordered_map<std::string, const Service*> by_name_;  // names and ns/workloads
  std::unordered_map<std::string, std::vector<const Service*>> by_ns_;
  mutable std::unordered_map<std::string, const Service*> by_pod_;  // ns and labels -> service
};

// The findings `flows` give against `analysis` (its graph and chart), in the order of the flows
// (denied, unknown) and of the graph's edges (unused). A class edge (past --max-pairs) is one
// unused-allowance for all the pairs it holds: the ports no flow used on any of them.
std::vector<Finding> check_flows(const Analysis& analysis, const std::vector<Flow>& flows);

}  // namespace netpol::graph
