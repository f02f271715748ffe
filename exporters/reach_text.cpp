#include <algorithm>
#include <iomanip>

#include "exporters/reach.hpp"

namespace netpol::exporters {
namespace {

using graph::PolicyGraph;
using Vertex = PolicyGraph::Vertex;

std::string hops_text(int n) {
  return std::to_string(n) + (n == 1 ? " hop" : " hops");
}

std::string path_text(const PolicyGraph& graph, const std::vector<Vertex>& path) {
  std::string out;
  for (Vertex v : path) out += (out.empty() ? "" : " -> ") + graph.node(v).id;
  return out;
}

// " (TCP/5432 on the last hop, at most 3 hops)", or "".
std::string conditions(const graph::ReachOptions& options) {
  std::string out;
  if (options.port) out += options.port->str() + " on the last hop";
  if (options.max_hops > 0)
    out += (out.empty() ? "" : ", ") + std::string("at most ") + hops_text(options.max_hops);
  return out.empty() ? "" : " (" + out + ")";
}

void provenance_lines(const char* side, const std::vector<graph::Provenance>& ps,
                      std::ostream& out) {
  for (const auto& p : ps)
    out << "        " << std::left << std::setw(8) << side << p.path
        << (p.where.known() ? "  " + p.where.str() : "") << "\n";
}

void explain_route(const PolicyGraph& g, const graph::Route& route, std::ostream& out) {
  for (std::size_t i = 0; i + 1 < route.path.size(); ++i) {
    Vertex u = route.path[i], v = route.path[i + 1];
    const graph::Edge edge = *g.hop_edge(u, v);
    out << "    hop " << i + 1 << ": " << g.node(u).id << " -> " << g.node(v).id << "  "
        << edge.ports.label() << "\n";
    provenance_lines("egress", edge.egress, out);
    provenance_lines("ingress", edge.ingress, out);
  }
}

// What a route that begins or ends at a node holding part of a set says about it.
std::string what_is_held(const PolicyGraph& g, Vertex v) {
  auto kind = g.node(v).kind;
  bool pods = kind == graph::NodeKind::Selector || kind == graph::NodeKind::NsPods;
  return (pods ? "pods of " : "addresses of ") + g.node(v).id;
}
void holder_lines(const PolicyGraph& g, const graph::Route& route, std::ostream& out) {
  if (route.from)
    out << "  (the path starts at " << g.node(route.path.front()).id << ", which holds "
        << what_is_held(g, *route.from) << ")\n";
  if (route.path.back() != route.to)
    out << "  (the path ends at " << g.node(route.path.back()).id << ", which holds "
        << what_is_held(g, route.to) << ")\n";
}

void route_list(const PolicyGraph& graph, const graph::ReachReport& report, bool list_sources,
                std::ostream& out) {
  std::size_t width = 0;
  for (const auto& route : report.routes)
    width = std::max(width, graph.node(list_sources ? route.start() : route.to).id.size());
  for (const auto& route : report.routes) {
    const std::string& id = graph.node(list_sources ? route.start() : route.to).id;
    out << "  " << std::left << std::setw(8) << hops_text(route.hops()) << std::setw(width + 2)
        << id << path_text(graph, route.path) << "\n";
    if (report.explain) explain_route(graph, route, out);
  }
}

void matrix(const PolicyGraph& pg, const graph::ReachReport& report, std::ostream& out) {
  std::vector<std::vector<std::string>> cells;
  std::vector<std::string> header = {"from \\ to"};
  for (Vertex c : report.columns) header.push_back(pg.node(c).id);
  cells.push_back(header);
  for (std::size_t i = 0; i < report.rows.size(); ++i) {
    std::vector<std::string> row = {pg.node(report.rows[i]).id};
    for (int h : report.hops[i]) row.push_back(h < 0 ? "-" : std::to_string(h));
    cells.push_back(row);
  }
  std::vector<std::size_t> widths(header.size(), 0);
  for (const auto& row : cells)
    for (std::size_t j = 0; j < row.size(); ++j) widths[j] = std::max(widths[j], row[j].size());
  for (const auto& row : cells) {
    std::string line;
    for (std::size_t j = 0; j < row.size(); ++j)
      line += row[j] + std::string(j + 1 < row.size() ? widths[j] - row[j].size() + 2 : 0, ' ');
    out << line << "\n";
  }
}

}  // namespace

void write_reach_text(const graph::Analysis& analysis, const graph::ReachReport& report,
                      std::ostream& out) {
  const PolicyGraph& graph = analysis.graph;
  if (!graph.policies_enabled) out << "Network policies are disabled: nothing is restricted.\n\n";
  switch (report.kind) {
    case graph::ReachReport::Kind::From:
      out << report.from_id << " reaches " << report.routes.size()
          << (report.routes.size() == 1 ? " node" : " nodes") << conditions(report.options)
          << (report.routes.empty() ? ".\n" : ":\n");
      route_list(graph, report, false, out);
      break;
    case graph::ReachReport::Kind::To:
      out << report.routes.size()
          << (report.routes.size() == 1 ? " node reaches " : " nodes reach ") << report.to_id
          << conditions(report.options) << (report.routes.empty() ? ".\n" : ":\n");
      route_list(graph, report, true, out);
      break;
    case graph::ReachReport::Kind::Pair: {
      std::string pair = report.from_id + " -> " + report.to_id;
      if (report.routes.empty()) {
        out << pair << ": not reachable" << conditions(report.options) << ".\n";
      } else {
        const graph::Route& route = report.routes.front();
        out << pair << ": reachable in " << hops_text(route.hops()) << conditions(report.options)
            << "\n  " << path_text(graph, route.path) << "\n";
        holder_lines(graph, route, out);
        if (report.explain) explain_route(graph, route, out);
      }
      if (!report.blocked.reasons.empty()) {
        out << "Not allowed in one hop"
            << (report.options.port ? " on " + report.options.port->str() : "") << ":\n";
        for (const auto& reason : report.blocked.reasons) out << "  " << reason << "\n";
        if (!report.blocked.keys.empty()) out << "  values keys:\n";
        for (const auto& k : report.blocked.keys)
          out << "    " << k.path << (k.where.known() ? "  " + k.where.str() : "") << "\n";
      }
      break;
    }
    case graph::ReachReport::Kind::Matrix:
      out << "Hops from each source (rows) to each destination (columns); - is unreachable"
          << conditions(report.options) << ".\n\n";
      matrix(graph, report, out);
      break;
  }
}

}  // namespace netpol::exporters
