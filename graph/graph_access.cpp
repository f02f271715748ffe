#include "graph/graph_access.hpp"

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

GraphAccess access_of(const PolicyGraph& g) {
  GraphAccess out;
  for (const auto& e : g.edges()) {
    const Node& from = g.node(e.from);
    const Node& to = g.node(e.to);
    const Edge& edge = g.edge(e);
    if (from.kind == NodeKind::AnySource) {
      out.any[to.id] = out.any[to.id].unite(edge.ports);
    } else if (address_node(from)) {
      AccessMap& m = out.from_addresses[to.id];
      m = m.unite(edge_addresses(g, e, false));
    } else {
      AccessMap& m = out.from[from.id];
      if (address_node(to))
        m = m.unite(edge_addresses(g, e, true));
      else
        m.grant_atom(to.id, edge.ports);
    }
  }
  return out;
}

}  // namespace netpol::graph
