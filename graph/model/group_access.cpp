#include "graph/model/group_access.hpp"

#include <set>

namespace netpol::graph {

bool address_node(const Node& n) {
  return n.kind == NodeKind::External || n.kind == NodeKind::Otlp;
}

AccessMap edge_addresses(const PolicyGraph& g, PolicyGraph::EdgeRef e, bool to_side) {
  AccessMap out;
  const Edge& edge = g.edge(e);
  const Node& n = g.node(to_side ? e.to : e.from);
  if (n.id == kAnywhereId) {
    out.grant(Endpoints::every(), edge.ports);
    return out;
  }
  for (const auto& b : edge.blocks)
    out.grant_addresses(AddressSet::of(b.block), b.ports.intersect(edge.ports));
  return out;
}

GraphAccess access_of(const PolicyGraph& pg, const ServiceGroups& groups,
                      const std::map<std::string, std::vector<std::string>>* cells) {
  GraphAccess out;
  // `anywhere` from a chart service: every address, and every pod but the chart's services',
  // whose own ingress decides (their edges, below); outside pods have no ingress of theirs.
  // DNS is one node with one meaning everywhere (reach, the picture, diff): the DNS rule's
  // ports to the resolver, not whatever else `anywhere` may carry to its pods.
  std::set<std::string> services;
  for (const auto& members : groups.receivers) services.insert(members.front());
  services.insert(std::string(kDnsId));
  const Endpoints anywhere{PodSet::from(true, services), AddressSet::everything()};
  // A node's pods as atoms: its cells, or the node itself.
  auto for_atoms = [&](const Node& n, const auto& f) {
    if (cells && (n.kind == NodeKind::Selector || n.kind == NodeKind::NsPods))
      if (auto it = cells->find(n.id); it != cells->end()) {
        for (const auto& cell : it->second) f(cell);
        return;
      }
    f(n.id);
  };
  auto first_of_group = [&](const std::string& id) {
    return groups.senders[groups.sender_of.at(id)].front() == id;
  };
  for (const auto& e : pg.edges()) {
    const Node& from = pg.node(e.from);
    const Node& to = pg.node(e.to);
    if (is_class(from.kind) || is_class(to.kind)) continue;  // by group, below
    const Edge& edge = pg.edge(e);
    if (from.kind == NodeKind::AnySource) {
      out.any[to.id] = out.any[to.id].unite(edge.ports);
    } else if (address_node(from)) {
      AccessMap& m = out.from_addresses[to.id];
      m = m.unite(edge_addresses(pg, e, false));
    } else if (from.kind == NodeKind::Service &&
               (to.kind == NodeKind::Service || !first_of_group(from.id))) {
      continue;  // by group, below; the group's first member stands for the others
    } else {
      for_atoms(from, [&](const std::string& source) {
        AccessMap& m = out.from[source];
        if (to.id == kAnywhereId && from.kind == NodeKind::Service)
          m.grant(anywhere, edge.ports);
        else if (address_node(to))
          m = m.unite(edge_addresses(pg, e, true));
        else
          for_atoms(to, [&](const std::string& atom) { m.grant_atom(atom, edge.ports); });
      });
    }
  }
  // Services to services, one pair per sender group and receiver group. The receiver groups
  // a group may send to: those of its first member's one-hop destinations (a receivers node
  // standing for its members, its own class's included).
  std::map<PolicyGraph::Vertex, std::vector<std::size_t>> of_class;
  auto receiver_groups = [&](PolicyGraph::Vertex v) -> const std::vector<std::size_t>& {
    auto [it, fresh] = of_class.try_emplace(v);
    if (fresh) {
      const Node& n = pg.node(v);
      std::set<std::size_t> found;
      if (n.kind == NodeKind::Service) found.insert(groups.receiver_of.at(n.id));
      for (PolicyGraph::Vertex m : n.members) found.insert(groups.receiver_of.at(pg.node(m).id));
      it->second.assign(found.begin(), found.end());
    }
    return it->second;
  };
  for (std::size_t a = 0; a < groups.senders.size(); ++a) {
    const std::string& first = groups.senders[a].front();
    auto v = pg.find(first);
    if (!v) continue;  // the group is on the other side only
    std::set<std::size_t> candidates;
    for (PolicyGraph::Vertex t : pg.hop_targets(*v)) {
      NodeKind k = pg.node(t).kind;
      if (k != NodeKind::Service && k != NodeKind::ClassReceivers) continue;
      for (std::size_t b : receiver_groups(t)) candidates.insert(b);
    }
    for (std::size_t b : candidates) {
      auto p = groups.pair(a, b);
      if (!p) continue;
      auto s = pg.find(p->first), d = pg.find(p->second);
      if (!s || !d) continue;
      if (const PortSet* ports = pg.hop_ports(*s, *d)) {
        out.from[first].grant_atom(groups.receivers[b].front(), *ports);
        out.between_groups.emplace(std::make_pair(a, b), *ports);
      }
    }
  }
  return out;
}

}  // namespace netpol::graph
