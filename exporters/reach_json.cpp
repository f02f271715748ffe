#include <nlohmann/json.hpp>

#include "exporters/json.hpp"
#include "exporters/reach.hpp"

namespace netpol::exporters {
namespace {

using graph::PolicyGraph;
using nlohmann::ordered_json;

ordered_json provenance_json(const std::vector<graph::Provenance>& ps, const char* side) {
  ordered_json out = ordered_json::array();
  for (const auto& key : ps) {
    ordered_json json;
    if (side) json["side"] = side;
    json["path"] = key.path;
    json["location"] = key.where.str();
    out.push_back(json);
  }
  return out;
}

ordered_json route_json(const PolicyGraph& pg, const graph::Route& route, bool explain) {
  ordered_json path = ordered_json::array();
  for (auto v : route.path) path.push_back(pg.node(v).id);
  ordered_json json = {{"from", pg.node(route.start()).id},
                       {"to", pg.node(route.to).id},
                       {"hops", route.hops()},
                       {"path", path}};
  if (explain) {
    ordered_json hops = ordered_json::array();
    for (std::size_t i = 0; i + 1 < route.path.size(); ++i) {
      const graph::Edge edge = *pg.hop_edge(route.path[i], route.path[i + 1]);
      ordered_json prov = provenance_json(edge.egress, "egress");
      for (auto& p : provenance_json(edge.ingress, "ingress")) prov.push_back(p);
      hops.push_back({{"from", pg.node(route.path[i]).id},
                      {"to", pg.node(route.path[i + 1]).id},
                      {"ports", edge.ports.tokens()},
                      {"provenance", prov}});
    }
    json["hopDetails"] = hops;
  }
  return json;
}

const char* kind_name(graph::ReachReport::Kind kind) {
  switch (kind) {
    case graph::ReachReport::Kind::From:
      return "from";
    case graph::ReachReport::Kind::To:
      return "to";
    case graph::ReachReport::Kind::Pair:
      return "pair";
    case graph::ReachReport::Kind::Matrix:
      return "matrix";
  }
  return "matrix";
}

}  // namespace

void write_reach_json(const graph::Analysis& analysis, const graph::ReachReport& report,
                      std::ostream& out) {
  const PolicyGraph& graph = analysis.graph;
  ordered_json doc;
  doc["schemaVersion"] = kJsonSchemaVersion;
  doc["policiesEnabled"] = graph.policies_enabled;
  ordered_json query = {
      {"kind", kind_name(report.kind)},
      {"from", report.from_id.empty() ? nullptr : ordered_json(report.from_id)},
      {"to", report.to_id.empty() ? nullptr : ordered_json(report.to_id)},
      {"port", report.options.port ? ordered_json(report.options.port->str()) : nullptr},
      {"maxHops", report.options.max_hops > 0 ? ordered_json(report.options.max_hops) : nullptr}};
  doc["query"] = query;
  if (report.kind == graph::ReachReport::Kind::Matrix) {
    ordered_json rows = ordered_json::array(), columns = ordered_json::array();
    for (auto v : report.rows) rows.push_back(graph.node(v).id);
    for (auto v : report.columns) columns.push_back(graph.node(v).id);
    ordered_json hops = ordered_json::array();
    for (const auto& row : report.hops) {
      ordered_json cells = ordered_json::array();
      for (int h : row) cells.push_back(h < 0 ? ordered_json(nullptr) : ordered_json(h));
      hops.push_back(cells);
    }
    doc["matrix"] = {{"rows", rows}, {"columns", columns}, {"hops", hops}};
  } else {
    ordered_json routes = ordered_json::array();
    for (const auto& route : report.routes)
      routes.push_back(route_json(graph, route, report.explain));
    doc["routes"] = routes;
  }
  if (report.kind == graph::ReachReport::Kind::Pair && report.explain)
    doc["blocked"] = {{"reasons", report.blocked.reasons},
                      {"keys", provenance_json(report.blocked.keys, nullptr)}};
  out << doc.dump(2) << "\n";
}

}  // namespace netpol::exporters
