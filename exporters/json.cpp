#include "exporters/json.hpp"

#include "exporters/json_writer.hpp"

namespace netpol::exporters {

using graph::NodeKind;
using nlohmann::ordered_json;

namespace {

void tokens(JsonWriter& writer, const graph::PortSet& ports) {
  writer.begin_array();
  for (const auto& t : ports.tokens()) writer.string(t);
  writer.end_array();
}

void addresses(JsonWriter& writer, const graph::Node& node) {
  writer.key("addresses").begin_array();
  for (const auto& entry : node.entries) {
    writer.begin_object().field("cidr", entry.block.cidr.str());
    writer.key("except").begin_array();
    for (const auto& x : entry.block.except) writer.string(x.str());
    writer.end_array();
    if (!entry.ports.empty()) tokens(writer.key("ports"), entry.ports);
    writer.end_object();
  }
  writer.end_array();
}

void node_json(JsonWriter& json, const graph::Analysis& analysis, const graph::Node& node,
               bool exposed) {
  json.begin_object()
      .field("id", node.id)
      .field("kind", graph::kind_name(node.kind))
      .field("label", node.label);
  switch (node.kind) {
    case NodeKind::Service: {
      const graph::Service* service = analysis.chart.service(node.id);
      json.key("servicePorts").begin_array();
      for (const auto& p : service->ports) {
        json.begin_object().field("protocol", graph::protocol_name(p.protocol));
        json.key("port").number(p.port);
        if (!p.name.empty()) json.field("name", p.name);
        json.end_object();
      }
      json.end_array();
      const graph::ProfileService* ps = analysis.profile.service(node.id);
      json.key("documentedNeeds")
          .value(ps && ps->needs ? ordered_json(*ps->needs) : ordered_json(nullptr));
      json.key("exposed").boolean(exposed);
      if (!service->workload.empty())
        json.key("workload")
            .begin_object()
            .field("namespace", service->ns)
            .field("name", service->workload)
            .field("kind", service->kind)
            .key("pods")
            .number(static_cast<long long>(service->pods))
            .end_object();
      break;
    }
    case NodeKind::External:
      addresses(json, node);
      break;
    case NodeKind::Otlp:
      json.field("host", analysis.chart.otlp->host);
      json.key("port").number(analysis.chart.otlp->port);
      addresses(json, node);
      break;
    case NodeKind::Selector:
    case NodeKind::NsPods:
      json.key("selector")
          .value({{"namespaceSelector",
                   node.namespace_selector ? ordered_json(*node.namespace_selector) : nullptr},
                  {"podSelector", node.pod_selector ? ordered_json(*node.pod_selector) : nullptr}});
      if (node.kind == NodeKind::Selector) json.key("unknownPeer").boolean(node.unknown_peer);
      break;
    case NodeKind::ClassSenders:
    case NodeKind::ClassReceivers:
      json.key("members").begin_array();
      for (std::size_t m : node.members) json.string(analysis.graph.node(m).id);
      json.end_array();
      break;
    case NodeKind::Dns:
    case NodeKind::AnySource:
      break;
  }
  json.end_object();
}

void provenance(JsonWriter& json, const graph::Edge& edge) {
  json.key("provenance").begin_array();
  auto add = [&](const char* side, const std::vector<graph::Provenance>& ps) {
    for (const auto& key : ps)
      json.begin_object()
          .field("side", side)
          .field("path", key.path)
          .field("location", key.where.str())
          .end_object();
  };
  add("egress", edge.egress);
  add("ingress", edge.ingress);
  json.end_array();
}

}  // namespace

void write_json(const graph::Analysis& analysis, std::ostream& out) {
  const graph::PolicyGraph& pg = analysis.graph;
  JsonWriter writer(out);
  writer.begin_object();
  writer.key("schemaVersion").number(kJsonSchemaVersion);
  writer.key("policiesEnabled").boolean(pg.policies_enabled);
  writer.field("namespace", pg.ns);
  writer.key("inputs").begin_array();
  for (const auto& input : analysis.inputs) writer.string(input);
  writer.end_array();
  writer.key("nodes").begin_array();
  for (auto v : pg.nodes()) {
    node_json(writer, analysis, pg.node(v), analysis.exposed_directly(v));
  }
  writer.end_array();
  writer.key("edges").begin_array();
  for (const auto& e : pg.edges()) {
    const graph::Edge& edge = pg.edge(e);
    writer.begin_object().field("from", pg.node(e.from).id).field("to", pg.node(e.to).id);
    tokens(writer.key("ports"), edge.ports);
    provenance(writer, edge);
    writer.end_object();
  }
  writer.end_array();
  writer.end_object();
  out << "\n";
}

}  // namespace netpol::exporters
