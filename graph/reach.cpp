#include "graph/reach.hpp"

#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <boost/graph/visitors.hpp>

#include <algorithm>
#include <cctype>

#include "error.hpp"

namespace netpol::graph {

using Vertex = PolicyGraph::Vertex;

std::string PortQuery::str() const {
  return std::string(protocol_name(protocol)) + "/" + std::to_string(port);
}

PortQuery parse_port_query(std::string_view text) {
  auto slash = text.find('/');
  std::string s(text);
  if (slash == std::string_view::npos)
    throw ValueError("expected PROTOCOL/PORT (e.g. TCP/5432), got \"" + s + "\"");
  PortQuery q;
  q.protocol = parse_protocol(text.substr(0, slash));
  std::string_view digits = text.substr(slash + 1);
  bool ok = !digits.empty() && digits.size() <= 5 &&
            std::all_of(digits.begin(), digits.end(), [](char c) { return std::isdigit(c); });
  if (!ok)
    throw ValueError("\"" + std::string(digits) +
                     "\" is not a port number (expected PROTOCOL/PORT, e.g. TCP/5432)");
  q.port = std::stoi(std::string(digits));
  if (q.port < 1 || q.port > 65535)
    throw ValueError("port \"" + std::string(digits) + "\" is not in 1-65535");
  return q;
}

bool is_intermediate(NodeKind kind) {
  return kind == NodeKind::Service || kind == NodeKind::NsPods;
}

std::vector<Vertex> roots(const PolicyGraph& g) {
  std::vector<Vertex> out;
  for (Vertex v : g.nodes())
    if (g.node(v).kind != NodeKind::Service && !g.targets_of(v).empty()) out.push_back(v);
  return out;
}

namespace {

// Keeps the edges a path may continue along: out of the source, or out of an intermediate.
struct Expandable {
  const PolicyGraph* g = nullptr;
  Vertex from = 0;
  template <typename E>
  bool operator()(const E& e) const {
    Vertex u = boost::source(e, g->g());
    return u == from || is_intermediate(g->node(u).kind);
  }
};

std::vector<Vertex> path_to(Vertex v, const std::vector<Vertex>& pred, Vertex from) {
  std::vector<Vertex> path = {v};
  while (v != from) {
    v = pred[v];
    path.push_back(v);
  }
  std::reverse(path.begin(), path.end());
  return path;
}

}  // namespace

std::vector<Route> reach_from(const PolicyGraph& g, Vertex from, const ReachOptions& options) {
  const auto& graph = g.g();
  std::size_t n = boost::num_vertices(graph);
  std::vector<int> dist(n, -1);
  std::vector<Vertex> pred(n, from);
  dist[from] = 0;
  Expandable keep{&g, from};
  boost::filtered_graph<PolicyGraph::Graph, Expandable> fg(graph, keep);
  boost::breadth_first_search(
      fg, from,
      boost::visitor(boost::make_bfs_visitor(
          std::make_pair(boost::record_distances(dist.data(), boost::on_tree_edge()),
                         boost::record_predecessors(pred.data(), boost::on_tree_edge())))));

  std::vector<Route> routes;
  for (Vertex v : g.nodes()) {
    if (v == from) continue;
    if (!options.port) {
      if (dist[v] > 0) routes.push_back({v, path_to(v, pred, from)});
      continue;
    }
    // The last hop must carry the port: the nearest predecessor whose edge to v does.
    std::optional<Vertex> best;
    for (Vertex u : g.sources_of(v)) {
      bool reached = u == from || (dist[u] > 0 && is_intermediate(g.node(u).kind));
      if (!reached || !g.edge({u, v}).ports.contains(options.port->protocol, options.port->port))
        continue;
      if (!best || dist[u] < dist[*best]) best = u;
    }
    if (best) {
      std::vector<Vertex> path = path_to(*best, pred, from);
      path.push_back(v);
      routes.push_back({v, std::move(path)});
    }
  }
  if (options.max_hops > 0)
    routes.erase(std::remove_if(routes.begin(), routes.end(),
                                [&](const Route& r) { return r.hops() > options.max_hops; }),
                 routes.end());
  std::stable_sort(routes.begin(), routes.end(),
                   [](const Route& a, const Route& b) { return a.hops() < b.hops(); });
  return routes;
}

std::optional<Route> route_between(const PolicyGraph& g, Vertex from, Vertex to,
                                   const ReachOptions& options) {
  for (Route& r : reach_from(g, from, options))
    if (r.to == to) return std::move(r);
  return std::nullopt;
}

}  // namespace netpol::graph
