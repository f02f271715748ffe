#include "exporters/json.hpp"

#include <nlohmann/json.hpp>

namespace netpol::exporters {

using graph::NodeKind;
using nlohmann::ordered_json;

namespace {

ordered_json tokens(const graph::PortSet& ports) {
  return ports.tokens();
}

ordered_json addresses(const graph::Node& n) {
  ordered_json out = ordered_json::array();
  for (const auto& e : n.entries) {
    ordered_json except = ordered_json::array();
    for (const auto& x : e.block.except) except.push_back(x.str());
    ordered_json entry = {{"cidr", e.block.cidr.str()}, {"except", except}};
    if (!e.ports.empty()) entry["ports"] = tokens(e.ports);
    out.push_back(entry);
  }
  return out;
}

ordered_json node_json(const graph::Analysis& a, const graph::Node& n, bool exposed) {
  ordered_json j = {
      {"id", n.id}, {"kind", std::string(graph::kind_name(n.kind))}, {"label", n.label}};
  switch (n.kind) {
    case NodeKind::Service: {
      const graph::Service* s = a.chart.service(n.id);
      ordered_json ports = ordered_json::array();
      for (const auto& p : s->ports) {
        ordered_json port = {{"protocol", std::string(graph::protocol_name(p.protocol))},
                             {"port", p.port}};
        if (!p.name.empty()) port["name"] = p.name;
        ports.push_back(port);
      }
      j["servicePorts"] = ports;
      const graph::ProfileService* ps = a.profile.service(n.id);
      j["documentedNeeds"] = ps && ps->needs ? ordered_json(*ps->needs) : ordered_json(nullptr);
      j["exposed"] = exposed;
      break;
    }
    case NodeKind::External:
      j["addresses"] = addresses(n);
      break;
    case NodeKind::Otlp:
      j["host"] = a.chart.otlp->host;
      j["port"] = a.chart.otlp->port;
      j["addresses"] = addresses(n);
      break;
    case NodeKind::Selector:
    case NodeKind::NsPods:
      j["selector"] = {{"namespaceSelector",
                        n.namespace_selector ? ordered_json(*n.namespace_selector) : nullptr},
                       {"podSelector", n.pod_selector ? ordered_json(*n.pod_selector) : nullptr}};
      if (n.kind == NodeKind::Selector) j["unknownPeer"] = n.unknown_peer;
      break;
    case NodeKind::Dns:
    case NodeKind::AnySource:
      break;
  }
  return j;
}

ordered_json provenance(const graph::Edge& e) {
  ordered_json out = ordered_json::array();
  auto add = [&](const char* side, const std::vector<graph::Provenance>& ps) {
    for (const auto& p : ps)
      out.push_back({{"side", side}, {"path", p.path}, {"location", p.where.str()}});
  };
  add("egress", e.egress);
  add("ingress", e.ingress);
  return out;
}

}  // namespace

void write_json(const graph::Analysis& a, std::ostream& out) {
  const graph::PolicyGraph& pg = a.graph;
  auto any_source = pg.find("any-source");
  ordered_json doc;
  doc["schemaVersion"] = kJsonSchemaVersion;
  doc["policiesEnabled"] = pg.policies_enabled;
  doc["namespace"] = pg.ns;
  doc["inputs"] = a.inputs;
  ordered_json nodes = ordered_json::array();
  for (auto v : pg.nodes()) {
    bool exposed = any_source && boost::edge(*any_source, v, pg.g()).second;
    nodes.push_back(node_json(a, pg.node(v), exposed));
  }
  doc["nodes"] = std::move(nodes);
  ordered_json edges = ordered_json::array();
  for (const auto& e : pg.edges()) {
    const graph::Edge& edge = pg.edge(e);
    edges.push_back({{"from", pg.node(e.from).id},
                     {"to", pg.node(e.to).id},
                     {"ports", tokens(edge.ports)},
                     {"provenance", provenance(edge)}});
  }
  doc["edges"] = std::move(edges);
  out << doc.dump(2) << "\n";
}

}  // namespace netpol::exporters
