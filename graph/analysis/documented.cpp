#include "graph/analysis/documented.hpp"

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
BrokenDependency broken(const Service& service, const std::string& need, const Profile& profile) {
  BrokenDependency dependency{service.name, need, "", service.allow_external_egress_key, ""};
  if (!service.allow_external_egress) {
    dependency.reason = service.name + ".networkPolicy.allowExternalEgress is not true, so " +
                        service.name + " gets no externalEgress entry";
    dependency.fix = "set " + service.name +
                     ".networkPolicy.allowExternalEgress: true, or add a rule to " + need +
                     "'s addresses in " + service.name + ".networkPolicy.additionalEgress";
    return dependency;
  }
  dependency.fix = "add a global.networkPolicy.externalEgress entry for " + need;
  dependency.reason = "no global.networkPolicy.externalEgress entry reaches " + need;
  for (const auto& e : profile.externals)
    if (e.name == need)
      dependency.reason += " (the profile names " + std::string(protocol_name(e.protocol)) + " " +
                           std::to_string(e.port) + " \"" + need +
                           "\"; add an entry with that port, or " + "one with name: " + need + ")";
  dependency.key = Provenance{"global.networkPolicy.externalEgress", {}};
  return dependency;
}

}  // namespace

PortSet need_ports(const Profile& profile, const std::string& need) {
  PortSet out;
  for (const auto& e : profile.externals)
    if (e.name == need) out.add_range(e.protocol, e.port, e.port);
  return out;
}

bool meets_need(const Node& to, const PortSet& edge_ports, const PortSet& need_ports,
                const std::string& need) {
  if (to.kind != NodeKind::External) return false;
  if (need_ports.empty()) return to.label == need;
  return need_ports.subset_of(edge_ports);
}

DocumentedComparison compare_documented(const PolicyGraph& graph, const Chart& chart,
                                        const Profile& profile) {
  DocumentedComparison out;
  if (!chart.enabled) return out;
  for (const Service& service : chart.services) {
    const ProfileService* ps = profile.service(service.name);
    if (!ps || !ps->needs) continue;
    auto v = *graph.find(service.name);
    // Needs are met by coverage: any external access of the service on the needed ports.
    std::vector<PortSet> wanted;
    PortSet all_wanted;
    for (const auto& need : *ps->needs) {
      wanted.push_back(need_ports(profile, need));
      all_wanted = all_wanted.unite(wanted.back());
    }
    std::vector<bool> met(ps->needs->size(), false);
    for (auto target : graph.targets_of(v)) {
      const Node& node = graph.node(target);
      if (node.kind != NodeKind::External) continue;
      const Edge& e = graph.edge({v, target});
      bool named_need = false;
      for (std::size_t i = 0; i < met.size(); ++i) {
        bool meets = meets_need(node, e.ports, wanted[i], (*ps->needs)[i]);
        met[i] = met[i] || meets;
        named_need = named_need || (meets && wanted[i].empty());
      }
      // Over-permission: ports beyond every need's (a need without ports: by its name).
      if (named_need || e.ports.subtract(all_wanted).empty()) continue;
      out.over_permissions.push_back({service.name, node.id, node.label, e.ports, e.egress});
    }
    for (std::size_t i = 0; i < met.size(); ++i)
      if (!met[i]) out.broken_dependencies.push_back(broken(service, (*ps->needs)[i], profile));
  }
  return out;
}

}  // namespace netpol::graph
