#pragma once
// Documented against effective access: what the profile says each service needs, compared
// with what the policies allow.

#include <string>
#include <vector>

#include "graph/model/policy_graph.hpp"
#include "graph/read/profile.hpp"
#include "graph/rules/chart.hpp"

namespace netpol::graph {

// A service may reach an external destination that the profile does not list among its
// needs (e.g. query may reach PostgreSQL at any address).
struct OverPermission {
  std::string service;
  std::string destination;  // the external node's id
  std::string label;        // its label ("PostgreSQL")
  PortSet ports;
  std::vector<Provenance> opened_by;  // the egress keys that allow it
};

// A service is documented to need an external destination that the policies do not allow.
struct BrokenDependency {
  std::string service;
  std::string need;    // the profile's name ("S3")
  std::string reason;  // what blocks it
  Provenance key;      // the values key to change
  std::string fix;     // how
};

struct DocumentedComparison {
  std::vector<OverPermission> over_permissions;
  std::vector<BrokenDependency> broken_dependencies;

  bool over_permitted(const std::string& service, const std::string& destination_id) const;
};

// The ports the profile names for `need` ("S3" = TCP 443), empty when it names none.
PortSet need_ports(const Profile& profile, const std::string& need);
// Whether an edge to the external node `to` meets `need`: its ports cover the need's ports
// (named or not, wider ports too), or, for a need the profile gives no port, it bears the
// need's name.
bool meets_need(const Node& to, const PortSet& edge_ports, const PortSet& need_ports,
                const std::string& need);

// Compares, for every service whose needs the profile lists, its edges to external
// destinations with those needs. Services the profile does not describe are left out.
DocumentedComparison compare_documented(const PolicyGraph& graph, const Chart& chart,
                                        const Profile& profile);

}  // namespace netpol::graph
