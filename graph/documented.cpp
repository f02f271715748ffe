#include "graph/documented.hpp"

#include <algorithm>

namespace netpol::graph {

bool DocumentedComparison::over_permitted(const std::string& service,
                                          const std::string& destination_id) const {
  return std::any_of(over_permissions.begin(), over_permissions.end(),
                     [&](const OverPermission& o) {
                       return o.service == service && o.destination == destination_id;
                     });
}

namespace {

// Why a documented need has no edge: the service's own switch, or no entry of that name.
BrokenDependency broken(const Service& s, const std::string& need, const Profile& profile) {
  BrokenDependency b{s.name, need, "", s.allow_external_egress_key, ""};
  if (!s.allow_external_egress) {
    b.reason = s.name + ".networkPolicy.allowExternalEgress is not true, so " + s.name +
               " gets no externalEgress entry";
    b.fix = "set " + s.name + ".networkPolicy.allowExternalEgress: true, or add a rule to " +
            need + "'s addresses in " + s.name + ".networkPolicy.additionalEgress";
    return b;
  }
  b.fix = "add a global.networkPolicy.externalEgress entry for " + need;
  b.reason = "no global.networkPolicy.externalEgress entry reaches " + need;
  for (const auto& e : profile.externals)
    if (e.name == need)
      b.reason += " (the profile names " + std::string(protocol_name(e.protocol)) + " " +
                  std::to_string(e.port) + " \"" + need + "\"; add an entry with that port, or " +
                  "one with name: " + need + ")";
  b.key = Provenance{"global.networkPolicy.externalEgress", {}};
  return b;
}

}  // namespace

DocumentedComparison compare_documented(const PolicyGraph& graph, const Chart& chart,
                                        const Profile& profile) {
  DocumentedComparison out;
  if (!chart.enabled) return out;
  for (const Service& s : chart.services) {
    const ProfileService* ps = profile.service(s.name);
    if (!ps || !ps->needs) continue;
    auto v = *graph.find(s.name);
    std::vector<std::string> reached;
    for (auto t : graph.targets_of(v)) {
      const Node& n = graph.node(t);
      if (n.kind != NodeKind::External) continue;
      reached.push_back(n.label);
      if (std::find(ps->needs->begin(), ps->needs->end(), n.label) != ps->needs->end()) continue;
      const Edge& e = graph.edge({v, t});
      out.over_permissions.push_back({s.name, n.id, n.label, e.ports, e.egress});
    }
    for (const auto& need : *ps->needs)
      if (std::find(reached.begin(), reached.end(), need) == reached.end())
        out.broken_dependencies.push_back(broken(s, need, profile));
  }
  return out;
}

}  // namespace netpol::graph
