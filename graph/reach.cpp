#include "graph/reach.hpp"

#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <boost/graph/visitors.hpp>

#include <algorithm>
#include <cctype>
#include <cstdint>

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

std::vector<Route> reach_to(const PolicyGraph& g, Vertex to, const ReachOptions& options) {
  std::size_t n = boost::num_vertices(g.g());
  std::vector<int> dist(n, -1);
  std::vector<Vertex> next(n, to);
  std::vector<Vertex> queue;
  // The last hop: any node with an edge into `to` (carrying the port, if one is asked for).
  for (Vertex u : g.sources_of(to)) {
    if (u == to) continue;
    if (options.port && !g.edge({u, to}).ports.contains(options.port->protocol, options.port->port))
      continue;
    dist[u] = 1;
    queue.push_back(u);
  }
  // Earlier hops, backwards: only an intermediate node passes traffic on.
  for (std::size_t head = 0; head < queue.size(); ++head) {
    Vertex u = queue[head];
    if (!is_intermediate(g.node(u).kind)) continue;
    if (options.max_hops > 0 && dist[u] >= options.max_hops) continue;
    for (Vertex w : g.sources_of(u)) {
      if (w == to || dist[w] >= 0) continue;
      dist[w] = dist[u] + 1;
      next[w] = u;
      queue.push_back(w);
    }
  }
  std::vector<Route> routes;
  for (Vertex s : g.nodes()) {
    if (dist[s] < 0) continue;
    Route r{to, {s}};
    for (Vertex v = s; v != to;) r.path.push_back(v = next[v]);
    routes.push_back(std::move(r));
  }
  std::stable_sort(routes.begin(), routes.end(),
                   [](const Route& a, const Route& b) { return a.hops() < b.hops(); });
  return routes;
}

namespace {

// reach_all for one block of starts.
void reach_block(const PolicyGraph& g, const std::vector<Vertex>& starts,
                 const ReachOptions& options,
                 const std::function<void(std::size_t, Vertex, int)>& visit) {
  using Word = std::uint64_t;
  const auto& graph = g.g();
  std::size_t n = boost::num_vertices(graph);
  std::size_t words = (starts.size() + 63) / 64;
  // Node-major bitsets over the starts: seen (reached, or the start itself), frontier (first
  // reached at the current level), next (reached at the next level), and, with a port, seen
  // over a last hop that carries it.
  std::vector<Word> seen(n * words), frontier(n * words), next(n * words), port_seen;
  auto bits = [words](std::vector<Word>& set, Vertex v) { return set.data() + v * words; };
  for (std::size_t i = 0; i < starts.size(); ++i) {
    Word bit = Word{1} << (i % 64);
    bits(seen, starts[i])[i / 64] |= bit;
    bits(frontier, starts[i])[i / 64] |= bit;
  }
  if (options.port) port_seen = seen;
  auto each_bit = [&](Vertex v, std::size_t w, Word word, int hops) {
    for (; word; word &= word - 1)
      visit(w * 64 + static_cast<std::size_t>(__builtin_ctzll(word)), v, hops);
  };
  std::vector<char> active(n, 0);  // has a non-empty frontier
  for (Vertex s : starts) active[s] = 1;
  for (int level = 0; options.max_hops == 0 || level < options.max_hops; ++level) {
    bool any = false;
    for (Vertex u = 0; u < n; ++u) {
      // A path leaves its start whatever the start is; later, only intermediates pass it on.
      if (!active[u] || (level > 0 && !is_intermediate(g.node(u).kind))) continue;
      const Word* from = bits(frontier, u);
      for (auto [e, end] = boost::out_edges(u, graph); e != end; ++e) {
        Vertex v = boost::target(*e, graph);
        Word* to = bits(next, v);
        for (std::size_t w = 0; w < words; ++w) to[w] |= from[w];
        if (options.port && graph[*e].ports.contains(options.port->protocol, options.port->port)) {
          Word* ps = bits(port_seen, v);
          for (std::size_t w = 0; w < words; ++w) {
            Word fresh = from[w] & ~ps[w];
            ps[w] |= fresh;
            each_bit(v, w, fresh, level + 1);
          }
        }
      }
    }
    for (Vertex v = 0; v < n; ++v) {
      Word *nx = bits(next, v), *sn = bits(seen, v), *fr = bits(frontier, v);
      bool fresh_any = false;
      for (std::size_t w = 0; w < words; ++w) {
        Word fresh = nx[w] & ~sn[w];
        nx[w] = 0;
        sn[w] |= fresh;
        fr[w] = fresh;
        if (fresh) {
          fresh_any = true;
          if (!options.port) each_bit(v, w, fresh, level + 1);
        }
      }
      active[v] = fresh_any;
      any = any || fresh_any;
    }
    if (!any) break;
  }
}

}  // namespace

void reach_all(const PolicyGraph& g, const std::vector<Vertex>& starts, const ReachOptions& options,
               const std::function<void(std::size_t, Vertex, int)>& visit, std::size_t block_size) {
  for (std::size_t first = 0; first < starts.size(); first += block_size) {
    std::size_t count = std::min(block_size, starts.size() - first);
    std::vector<Vertex> block(starts.begin() + static_cast<std::ptrdiff_t>(first),
                              starts.begin() + static_cast<std::ptrdiff_t>(first + count));
    reach_block(g, block, options,
                [&](std::size_t i, Vertex v, int hops) { visit(first + i, v, hops); });
  }
}

}  // namespace netpol::graph
