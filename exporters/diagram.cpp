#include "exporters/diagram.hpp"

#include <algorithm>
#include <set>

namespace netpol::exporters {

using graph::NodeKind;
using Vertex = graph::PolicyGraph::Vertex;

std::string look_description(Look look) {
  switch (look) {
    case Look::Service:
      return "chart service";
    case Look::ExposedService:
      return "chart service reachable from any source";
    case Look::AnySource:
      return "any source (the internet included)";
    case Look::Source:
      return "pods selected by a rule";
    case Look::UnknownPeer:
      return "peer that names no chart service";
    case Look::External:
      return "external destination";
    case Look::OpenWorld:
      return "open to any address (0.0.0.0/0, ::/0)";
    case Look::Otlp:
      return "OTLP collector";
    case Look::Dns:
      return "DNS";
  }
  return "";
}

namespace {

bool open_world(const graph::Node& n) {
  if (n.id == "ext:*") return true;
  return std::any_of(n.entries.begin(), n.entries.end(),
                     [](const graph::ExternalEntry& e) { return e.block.cidr.is_everything(); });
}

std::vector<std::string> lines_of(const graph::Node& n) {
  std::vector<std::string> lines = {n.label};
  if (n.unknown_peer) lines.push_back("(not a chart service)");
  for (const auto& e : n.entries) {
    std::string block = e.block.str();
    if (e.block.cidr.is_everything() && e.block.except.empty()) block += " (any address)";
    if (block != n.label) lines.push_back(block);
    if (!e.ports.empty()) lines.push_back(e.ports.label());
  }
  return lines;
}

Look look_of(const graph::Node& n, bool exposed) {
  switch (n.kind) {
    case NodeKind::Service:
      return exposed ? Look::ExposedService : Look::Service;
    case NodeKind::AnySource:
      return Look::AnySource;
    case NodeKind::NsPods:
      return Look::Source;
    case NodeKind::Selector:
      return n.unknown_peer ? Look::UnknownPeer : Look::Source;
    case NodeKind::External:
      return open_world(n) ? Look::OpenWorld : Look::External;
    case NodeKind::Otlp:
      return open_world(n) ? Look::OpenWorld : Look::Otlp;
    case NodeKind::Dns:
      return Look::Dns;
  }
  return Look::Service;
}

// The ports on which every service reaches `to` alike, when there are two services or more.
std::optional<graph::PortSet> shared_ports(const graph::Analysis& a, Vertex to) {
  if (a.chart.services.size() < 2) return std::nullopt;
  std::optional<graph::PortSet> shared;
  for (const auto& s : a.chart.services) {
    if (s.ns != a.chart.ns) return std::nullopt;  // drawn outside the namespace cluster
    Vertex v = *a.graph.find(s.name);
    if (!boost::edge(v, to, a.graph.g()).second) return std::nullopt;
    const graph::PortSet& p = a.graph.edge({v, to}).ports;
    if (shared && *shared != p) return std::nullopt;
    shared = p;
  }
  return shared;
}

}  // namespace

Diagram make_diagram(const graph::Analysis& a, const DiagramOptions& options) {
  const graph::PolicyGraph& pg = a.graph;
  Diagram d;
  d.disabled = !pg.policies_enabled;
  d.namespace_label = "namespace " + pg.ns;
  if (d.disabled) {
    d.title = "NETWORK POLICIES DISABLED: all traffic is allowed";
    d.namespace_label += ": every pod may reach every pod on every port";
  } else {
    d.title = "Traffic the network policies allow";
  }
  auto any_source = pg.find("any-source");
  std::set<Look> looks;
  for (Vertex v : pg.nodes()) {
    const graph::Node& n = pg.node(v);
    bool exposed = any_source && boost::edge(*any_source, v, pg.g()).second;
    DiagramNode dn{n.id, lines_of(n), look_of(n, exposed), Place::Between};
    bool has_in = !pg.sources_of(v).empty(), has_out = !pg.targets_of(v).empty();
    if (n.kind == NodeKind::Service && n.other_ns.empty())
      dn.place = Place::Namespace;
    else if (!has_in)
      dn.place = Place::Source;
    else if (!has_out)
      dn.place = Place::Destination;
    looks.insert(dn.look);
    d.nodes.push_back(std::move(dn));
  }
  d.legend.assign(looks.begin(), looks.end());

  auto warning_to = [&](Vertex to) {
    Look l = look_of(pg.node(to), false);
    return l == Look::OpenWorld;
  };
  if (d.disabled) {
    // One edge in and one out of the namespace say it all; JSON lists every edge.
    if (any_source) d.edges.push_back({"any-source", "", "all ports", true, false});
    if (pg.find("ext:*")) d.edges.push_back({"", "ext:*", "all ports", true, false});
    for (const auto& s : a.chart.services) {
      d.edges.push_back({"any-source", s.name, "", false, true});
      d.edges.push_back({s.name, "ext:*", "", false, true});
    }
    return d;
  }
  // Destinations every service reaches alike get one edge from the namespace.
  std::set<Vertex> grouped;
  std::vector<DiagramEdge> group_edges;
  if (!options.every_edge) {
    for (Vertex v : pg.nodes()) {
      if (pg.node(v).kind == NodeKind::Service) continue;
      if (auto ports = shared_ports(a, v)) {
        grouped.insert(v);
        group_edges.push_back(
            {"", pg.node(v).id, "every service: " + ports->label(), warning_to(v)});
      }
    }
  }
  for (const auto& e : pg.edges()) {
    if (grouped.count(e.to) && pg.node(e.from).kind == NodeKind::Service) continue;
    bool warning = pg.node(e.from).kind == NodeKind::AnySource || warning_to(e.to);
    d.edges.push_back({pg.node(e.from).id, pg.node(e.to).id, pg.edge(e).ports.label(), warning});
  }
  d.edges.insert(d.edges.end(), group_edges.begin(), group_edges.end());
  return d;
}

}  // namespace netpol::exporters
