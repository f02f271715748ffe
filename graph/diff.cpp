#include "graph/diff.hpp"

#include <algorithm>
#include <map>

#include "graph/address_set.hpp"
#include "graph/reach.hpp"

namespace netpol::graph {

std::string_view change_name(Change c) {
  switch (c) {
    case Change::Added:
      return "added";
    case Change::Removed:
      return "removed";
    case Change::Widened:
      return "widened";
    case Change::Narrowed:
      return "narrowed";
    case Change::Changed:
      return "changed";
  }
  return "changed";
}

namespace {

using Vertex = PolicyGraph::Vertex;

bool widening(Change c) {
  return c == Change::Added || c == Change::Widened || c == Change::Changed;
}

// How `now` compares with `before`, for two sets that differ.
template <typename Set>
Change compare_sets(const Set& before, const Set& now) {
  if (before.subset_of(now)) return Change::Widened;
  if (now.subset_of(before)) return Change::Narrowed;
  return Change::Changed;
}

// Two partial verdicts on one edge together.
Change combine(std::optional<Change> a, std::optional<Change> b) {
  if (!a) return *b;
  if (!b || *a == *b) return *a;
  return Change::Changed;
}

bool outside_destination(const Node& n) {
  return n.kind == NodeKind::External || n.kind == NodeKind::Otlp;
}

AddressSet addresses_of(const Node& n) {
  AddressSet set;
  for (const auto& e : n.entries) set.add(e.block);
  return set;
}

std::string addresses_text(const Node& n) {
  std::string out;
  for (const auto& e : n.entries) out += (out.empty() ? "" : ", ") + e.block.str();
  return out;
}

std::optional<EdgeDiff> compare_edge(const PolicyGraph& og, const PolicyGraph& ng, Vertex ou,
                                     Vertex ov, Vertex nu, Vertex nv) {
  const Edge& oe = og.edge({ou, ov});
  const Edge& ne = ng.edge({nu, nv});
  EdgeDiff d;
  d.from = ng.node(nu).id;
  d.to = ng.node(nv).id;
  std::optional<Change> ports;
  if (oe.ports != ne.ports) {
    d.added_ports = ne.ports.subtract(oe.ports);
    d.removed_ports = oe.ports.subtract(ne.ports);
    ports = compare_sets(oe.ports, ne.ports);
  }
  if (outside_destination(og.node(ov)) && outside_destination(ng.node(nv))) {
    AddressSet before = addresses_of(og.node(ov)), now = addresses_of(ng.node(nv));
    if (before != now) {
      d.addresses = compare_sets(before, now);
      d.old_addresses = addresses_text(og.node(ov));
      d.new_addresses = addresses_text(ng.node(nv));
    }
  }
  if (!ports && !d.addresses) return std::nullopt;
  d.change = combine(ports, d.addresses);
  d.old_ports = oe.ports;
  d.new_ports = ne.ports;
  d.old_egress = oe.egress;
  d.old_ingress = oe.ingress;
  d.new_egress = ne.egress;
  d.new_ingress = ne.ingress;
  return d;
}

EdgeDiff one_sided(const PolicyGraph& g, PolicyGraph::EdgeRef e, Change change) {
  const Edge& edge = g.edge(e);
  EdgeDiff d;
  d.change = change;
  d.from = g.node(e.from).id;
  d.to = g.node(e.to).id;
  if (change == Change::Added) {
    d.new_ports = d.added_ports = edge.ports;
    d.new_egress = edge.egress;
    d.new_ingress = edge.ingress;
    if (outside_destination(g.node(e.to))) d.new_addresses = addresses_text(g.node(e.to));
  } else {
    d.old_ports = d.removed_ports = edge.ports;
    d.old_egress = edge.egress;
    d.old_ingress = edge.ingress;
    if (outside_destination(g.node(e.to))) d.old_addresses = addresses_text(g.node(e.to));
  }
  return d;
}

// id -> path, for everything any-source reaches.
std::map<std::string, std::vector<std::string>> exposed(const PolicyGraph& g) {
  std::map<std::string, std::vector<std::string>> out;
  auto any = g.find("any-source");
  if (!any) return out;
  for (const Route& r : reach_from(g, *any)) {
    std::vector<std::string> path;
    for (Vertex v : r.path) path.push_back(g.node(v).id);
    out[g.node(r.to).id] = path;
  }
  return out;
}

}  // namespace

bool Diff::widens() const {
  if (policies_switched()) return old_enabled && !new_enabled;
  for (const auto& e : edges)
    if (widening(e.change)) return true;
  for (const auto& x : exposure)
    if (x.change == Change::Added) return true;
  return false;
}

Diff diff_analyses(const Analysis& old_side, const Analysis& new_side) {
  const PolicyGraph& og = old_side.graph;
  const PolicyGraph& ng = new_side.graph;
  Diff d;
  d.old_enabled = og.policies_enabled;
  d.new_enabled = ng.policies_enabled;
  d.old_enabled_at = old_side.chart.enabled_at;
  d.new_enabled_at = new_side.chart.enabled_at;

  for (const Service& s : new_side.chart.services)
    if (!old_side.chart.service(s.name))
      d.services.push_back({Change::Added, s.name, s.defined_at});
  for (const Service& s : old_side.chart.services)
    if (!new_side.chart.service(s.name))
      d.services.push_back({Change::Removed, s.name, s.defined_at});
  if (d.policies_switched()) return d;  // everything changed; the summary says how

  for (const auto& e : ng.edges()) {
    auto ou = og.find(ng.node(e.from).id), ov = og.find(ng.node(e.to).id);
    if (ou && ov && boost::edge(*ou, *ov, og.g()).second) {
      if (auto change = compare_edge(og, ng, *ou, *ov, e.from, e.to)) d.edges.push_back(*change);
    } else {
      d.edges.push_back(one_sided(ng, e, Change::Added));
    }
  }
  for (const auto& e : og.edges()) {
    auto nu = ng.find(og.node(e.from).id), nv = ng.find(og.node(e.to).id);
    if (!(nu && nv && boost::edge(*nu, *nv, ng.g()).second))
      d.edges.push_back(one_sided(og, e, Change::Removed));
  }

  auto before = exposed(og), now = exposed(ng);
  for (const auto& [id, path] : now)
    if (!before.count(id)) d.exposure.push_back({Change::Added, id, path});
  for (const auto& [id, path] : before)
    if (!now.count(id)) d.exposure.push_back({Change::Removed, id, path});
  std::stable_sort(d.exposure.begin(), d.exposure.end(), [](const auto& a, const auto& b) {
    return std::make_pair(a.change, a.path.size()) < std::make_pair(b.change, b.path.size());
  });
  return d;
}

}  // namespace netpol::graph
