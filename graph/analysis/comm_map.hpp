#pragma once
// The Service Communication Map of the chart's docs, computed from the effective graph.

#include <string>
#include <vector>

#include "graph/analysis/documented.hpp"
#include "graph/model/policy_graph.hpp"

namespace netpol::graph {

enum class View {
  Documented,  // externals limited to what the profile says each service needs
  Effective,   // exactly what the policies allow
};

struct MapRow {
  std::string service;
  std::vector<std::string> ingress_from;  // peers, then labels of outside sources
  std::vector<std::string> egress_to;     // peers, then external destinations
  bool external_ingress =
      false;  // reachable from the internet (any source, or an ipBlock of internet addresses)
};

struct CommunicationMap {
  bool policies_enabled = false;
  Provenance enabled_at;
  std::vector<MapRow> rows;       // one per service, in chart order
  bool dns_everywhere = false;    // every service may resolve DNS (53/UDP and 53/TCP)
  bool has_undocumented = false;  // some cell carries kUndocumented
};

// Appended, in the effective view, to an external the policies allow but the profile does not
// list among the service's needs (over-permission).
inline const std::string kUndocumented = " (undocumented)";

// One row per service. Peers are listed in the order of the service's own ingressFrom /
// egressTo, then the remaining services in chart order; see docs/model.md for the views.
CommunicationMap communication_map(const PolicyGraph& graph, const Chart& chart,
                                   const Profile& profile, const DocumentedComparison& documented,
                                   View view);

}  // namespace netpol::graph
