#pragma once
// Everything computed from one set of values, once; every exporter reads this.

#include <string>
#include <vector>

#include "graph/chart.hpp"
#include "graph/comm_map.hpp"
#include "graph/documented.hpp"
#include "graph/findings.hpp"
#include "graph/policy_graph.hpp"
#include "graph/profile.hpp"
#include "values/value.hpp"

namespace netpol::graph {

struct Analysis {
  std::vector<std::string> inputs;  // input names in layering order
  Profile profile;
  Chart chart;
  PolicyGraph graph;
  DocumentedComparison documented_vs_effective;
  CommunicationMap documented;
  CommunicationMap effective;
  std::vector<Finding> findings;
};

// Reads the merged values and computes the graph and both views of the communication map.
Analysis analyze(const values::Value& merged, Profile profile, const std::string& ns,
                 std::vector<std::string> inputs);
// The same from a model read some other way (read_manifests).
Analysis analyze(Chart chart, Profile profile, std::vector<std::string> inputs);

}  // namespace netpol::graph
