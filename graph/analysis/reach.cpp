#include "graph/analysis/reach.hpp"

#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <boost/graph/visitors.hpp>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <deque>
#include <map>

#include "error.hpp"
#include "graph/model/policy_graph_storage.hpp"

namespace netpol::graph {

using Vertex = PolicyGraph::Vertex;

std::string PortQuery::str() const {
  return std::string(protocol_name(protocol)) + "/" + std::to_string(port);
}

PortQuery parse_port_query(std::string_view text) {
  auto slash = text.find('/');
  std::string spelled(text);
  if (slash == std::string_view::npos)
    throw ValueError("expected PROTOCOL/PORT (e.g. TCP/5432), got \"" + spelled + "\"");
  PortQuery query;
  query.protocol = parse_protocol(text.substr(0, slash));
  std::string_view digits = text.substr(slash + 1);
  bool ok = !digits.empty() && digits.size() <= 5 &&
            std::all_of(digits.begin(), digits.end(), [](char c) { return std::isdigit(c); });
  if (!ok)
    throw ValueError("\"" + std::string(digits) +
                     "\" is not a port number (expected PROTOCOL/PORT, e.g. TCP/5432)");
  query.port = std::stoi(std::string(digits));
  if (!port_number_problem(query.port).empty())
    throw ValueError("port \"" + std::string(digits) + "\" is not in 1-" +
                     std::to_string(kMaxPort));
  return query;
}

bool is_intermediate(NodeKind kind) {
  return kind == NodeKind::Service || kind == NodeKind::NsPods || is_class(kind);
}

std::vector<Vertex> roots(const PolicyGraph& graph) {
  std::vector<Vertex> out;
  for (Vertex v : graph.nodes())
    if (graph.node(v).kind != NodeKind::Service && !is_class(graph.node(v).kind) &&
        !graph.targets_of(v).empty())
      out.push_back(v);
  return out;
}

namespace {

// Keeps the edges a path may continue along: out of the source, or out of an intermediate.
struct Expandable {
  const PolicyGraph* g = nullptr;
  Vertex from = 0;
  template <typename E>
  bool operator()(const E& e) const {
    Vertex u = boost::source(e, boost_graph(*g));
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

void sort_routes(std::vector<Route>& routes, const ReachOptions& options) {
  if (options.max_hops > 0)
    routes.erase(std::remove_if(routes.begin(), routes.end(),
                                [&](const Route& r) { return r.hops() > options.max_hops; }),
                 routes.end());
  std::stable_sort(routes.begin(), routes.end(),
                   [](const Route& a, const Route& b) { return a.hops() < b.hops(); });
}

// reach_from on a graph with class nodes: breadth-first with the class nodes on a path
// costing no hop (0-1 BFS), and class nodes left out of the paths.
std::vector<Route> reach_from_classes(const PolicyGraph& pg, Vertex from,
                                      const ReachOptions& options) {
  const auto& graph = boost_graph(pg);
  std::size_t nodes = boost::num_vertices(graph);
  std::vector<int> dist(nodes, -1);
  std::vector<Vertex> pred(nodes, from);
  std::vector<char> done(nodes, 0);
  std::deque<Vertex> queue = {from};
  dist[from] = 0;
  while (!queue.empty()) {
    Vertex u = queue.front();
    queue.pop_front();
    if (done[u]) continue;
    done[u] = 1;
    if (u != from && !is_intermediate(pg.node(u).kind)) continue;
    for (auto e : boost::make_iterator_range(boost::out_edges(u, graph))) {
      Vertex v = boost::target(e, graph);
      int w = is_class(pg.node(v).kind) ? 0 : 1;
      if (dist[v] >= 0 && dist[v] <= dist[u] + w) continue;
      dist[v] = dist[u] + w;
      pred[v] = u;
      if (w == 0)
        queue.push_front(v);
      else
        queue.push_back(v);
    }
  }
  auto service_path = [&](Vertex v) {
    std::vector<Vertex> path;
    for (Vertex x : path_to(v, pred, from))
      if (!is_class(pg.node(x).kind)) path.push_back(x);
    return path;
  };
  auto reached = [&](Vertex u) {
    return u == from || (dist[u] > 0 && is_intermediate(pg.node(u).kind));
  };
  // Each senders node: its two nearest reached members (a path through it must come from a
  // member other than the destination).
  std::map<Vertex, std::pair<std::optional<Vertex>, std::optional<Vertex>>> nearest;
  if (options.port)
    for (Vertex node : pg.nodes()) {
      if (pg.node(node).kind != NodeKind::ClassSenders) continue;
      auto& [first, second] = nearest[node];
      for (std::size_t m : pg.node(node).members) {
        if (!reached(m)) continue;
        if (!first || dist[m] < dist[*first]) {
          second = first;
          first = m;
        } else if (!second || dist[m] < dist[*second]) {
          second = m;
        }
      }
    }
  std::vector<Route> routes;
  for (Vertex v : pg.nodes()) {
    if (v == from || is_class(pg.node(v).kind)) continue;
    if (!options.port) {
      if (dist[v] > 0) routes.push_back({v, service_path(v), std::nullopt});
      continue;
    }
    // The last hop must carry the port: the nearest source whose hop to v does.
    std::optional<Vertex> best;
    for (Vertex u : pg.hop_sources(v)) {
      std::optional<Vertex> member = u;
      if (pg.node(u).kind == NodeKind::ClassSenders) {
        const auto& [first, second] = nearest[u];
        member = first == v ? second : first;
        if (!member) continue;
      } else if (!reached(u)) {
        continue;
      }
      auto hop = pg.hop_edge(u, v);
      if (!hop || !hop->ports.contains(options.port->protocol, options.port->port)) continue;
      if (!best || dist[*member] < dist[*best]) best = member;
    }
    if (best) {
      std::vector<Vertex> path = service_path(*best);
      path.push_back(v);
      routes.push_back({v, std::move(path), std::nullopt});
    }
  }
  sort_routes(routes, options);
  return routes;
}

}  // namespace

std::vector<Route> reach_from(const PolicyGraph& pg, Vertex from, const ReachOptions& options) {
  if (pg.has_classes()) return reach_from_classes(pg, from, options);
  const auto& graph = boost_graph(pg);
  std::size_t nodes = boost::num_vertices(graph);
  std::vector<int> dist(nodes, -1);
  std::vector<Vertex> pred(nodes, from);
  dist[from] = 0;
  Expandable keep{&pg, from};
  boost::filtered_graph<BoostGraph, Expandable> fg(graph, keep);
  boost::breadth_first_search(
      fg, from,
      boost::visitor(boost::make_bfs_visitor(
          std::make_pair(boost::record_distances(dist.data(), boost::on_tree_edge()),
                         boost::record_predecessors(pred.data(), boost::on_tree_edge())))));

  std::vector<Route> routes;
  for (Vertex v : pg.nodes()) {
    if (v == from) continue;
    if (!options.port) {
      if (dist[v] > 0) routes.push_back({v, path_to(v, pred, from), std::nullopt});
      continue;
    }
    // The last hop must carry the port: the nearest predecessor whose edge to v does.
    std::optional<Vertex> best;
    for (Vertex u : pg.sources_of(v)) {
      bool reached = u == from || (dist[u] > 0 && is_intermediate(pg.node(u).kind));
      if (!reached || !pg.edge({u, v}).ports.contains(options.port->protocol, options.port->port))
        continue;
      if (!best || dist[u] < dist[*best]) best = u;
    }
    if (best) {
      std::vector<Vertex> path = path_to(*best, pred, from);
      path.push_back(v);
      routes.push_back({v, std::move(path), std::nullopt});
    }
  }
  sort_routes(routes, options);
  return routes;
}

std::optional<Route> route_between(const PolicyGraph& graph, Vertex from, Vertex to,
                                   const ReachOptions& options) {
  for (Route& r : reach_from(graph, from, options))
    if (r.to == to) return std::move(r);
  return std::nullopt;
}

std::vector<Route> reach_to(const PolicyGraph& pg, Vertex to, const ReachOptions& options) {
  std::size_t nodes = boost::num_vertices(boost_graph(pg));
  std::vector<int> dist(nodes, -1);
  std::vector<Vertex> next(nodes, to);
  std::vector<Vertex> queue;
  std::vector<char> expanded(nodes, 0);  // senders nodes whose members are queued
  // A one-hop source of `to` or of u (graph/model/policy_graph.hpp, hop_sources): a node, or the
  // members of a class but u.
  auto arrive = [&](Vertex w, Vertex u, int d) {
    auto one = [&](Vertex x) {
      if (x == to || x == u || dist[x] >= 0) return;
      dist[x] = d;
      next[x] = u;
      queue.push_back(x);
    };
    if (pg.node(w).kind != NodeKind::ClassSenders) return one(w);
    if (expanded[w]) return;
    expanded[w] = 1;
    for (std::size_t m : pg.node(w).members) one(m);
  };
  // The last hop: any node with an edge into `to` (carrying the port, if one is asked for).
  for (Vertex u : pg.hop_sources(to)) {
    if (u == to) continue;
    if (options.port) {
      auto hop = pg.hop_edge(u, to);
      if (!hop || !hop->ports.contains(options.port->protocol, options.port->port)) continue;
    }
    arrive(u, to, 1);
  }
  // Earlier hops, backwards: only an intermediate node passes traffic on.
  for (std::size_t head = 0; head < queue.size(); ++head) {
    Vertex u = queue[head];
    if (!is_intermediate(pg.node(u).kind)) continue;
    if (options.max_hops > 0 && dist[u] >= options.max_hops) continue;
    for (Vertex w : pg.hop_sources(u)) arrive(w, u, dist[u] + 1);
  }
  std::vector<Route> routes;
  for (Vertex s : pg.nodes()) {
    if (dist[s] < 0) continue;
    Route r{to, {s}, std::nullopt};
    for (Vertex v = s; v != to;) r.path.push_back(v = next[v]);
    routes.push_back(std::move(r));
  }
  std::stable_sort(routes.begin(), routes.end(),
                   [](const Route& a, const Route& b) { return a.hops() < b.hops(); });
  return routes;
}

namespace {

using Word = std::uint64_t;

// A bitset over a block of starts for every node, node-major: row(v) holds, for node v, one
// bit per start (bit i of the block's start i).
class NodeBits {
 public:
  NodeBits() = default;
  NodeBits(std::size_t nodes, std::size_t words) : words_(words), bits_(nodes * words, 0) {}
  Word* row(Vertex v) { return bits_.data() + v * words_; }
  const Word* row(Vertex v) const { return bits_.data() + v * words_; }
  void clear() { std::fill(bits_.begin(), bits_.end(), 0); }
  bool empty() const { return bits_.empty(); }

 private:
  std::size_t words_ = 0;
  std::vector<Word> bits_;
};

// The class nodes of a graph (graph/model/classes.hpp), which pass a level's bits on within
// the level: they cost no hop.
struct ClassNodes {
  std::vector<Vertex> senders, receivers;
  std::map<Vertex, Vertex> own_senders;  // receivers node -> its class's senders node
};

ClassNodes class_nodes(const PolicyGraph& pg) {
  const auto& graph = boost_graph(pg);
  ClassNodes nodes;
  for (Vertex v = 0; v < boost::num_vertices(graph); ++v) {
    if (pg.node(v).kind == NodeKind::ClassSenders) nodes.senders.push_back(v);
    if (pg.node(v).kind != NodeKind::ClassReceivers) continue;
    nodes.receivers.push_back(v);
    for (auto [e, end] = boost::in_edges(v, graph); e != end; ++e) {
      Vertex s = boost::source(*e, graph);
      if (pg.node(s).kind == NodeKind::ClassSenders &&
          pg.node(s).members.front() == pg.node(v).members.front())
        nodes.own_senders[v] = s;
    }
  }
  return nodes;
}

// The breadth-first frontier of a block of starts, a level at a time: seen (reached, or the
// start itself), frontier (first reached at the current level), next (reached at the next
// level), and, with a port, seen over a last hop that carries it.
struct Frontier {
  std::size_t words;
  NodeBits seen, frontier, next, port_seen;
  std::vector<char> active;  // has a non-empty frontier

  Frontier(std::size_t nodes, const std::vector<Vertex>& starts, bool with_port)
      : words((starts.size() + 63) / 64),
        seen(nodes, words),
        frontier(nodes, words),
        next(nodes, words),
        active(nodes, 0) {
    for (std::size_t i = 0; i < starts.size(); ++i) {
      Word bit = Word{1} << (i % 64);
      seen.row(starts[i])[i / 64] |= bit;
      frontier.row(starts[i])[i / 64] |= bit;
      active[starts[i]] = 1;
    }
    if (with_port) port_seen = seen;
  }

  // Ends a level: what `next` holds that was not seen becomes the frontier (each start's
  // first arrival at a node, told to `fresh_bit`). False when nothing is new.
  template <typename F>
  bool advance(F&& fresh_bits) {
    bool any = false;
    for (Vertex v = 0; v < active.size(); ++v) {
      Word *nx = next.row(v), *sn = seen.row(v), *fr = frontier.row(v);
      bool fresh_any = false;
      for (std::size_t w = 0; w < words; ++w) {
        Word fresh = nx[w] & ~sn[w];
        nx[w] = 0;
        sn[w] |= fresh;
        fr[w] = fresh;
        if (fresh) {
          fresh_any = true;
          fresh_bits(v, w, fresh);
        }
      }
      active[v] = fresh_any;
      any = any || fresh_any;
    }
    return any;
  }
};

using Visit = std::function<void(std::size_t, Vertex, int)>;

// reach_all for one block of starts: a breadth-first search of every start at once, a bit
// per start, a level (one hop) at a time. Class nodes pass a level's bits on within the
// level: first services to senders, then senders to receivers and lone services, then
// receivers to members.
class BlockSearch {
 public:
  BlockSearch(const PolicyGraph& pg, const std::vector<Vertex>& starts, const ReachOptions& options,
              const Visit& visit)
      : pg_(pg),
        graph_(boost_graph(pg)),
        options_(options),
        visit_(visit),
        nodes_(boost::num_vertices(graph_)),
        search_(nodes_, starts, options.port.has_value()),
        words_(search_.words),
        classes_(class_nodes(pg)),
        scratch_(words_) {
    if (!classes_.senders.empty() || !classes_.receivers.empty())
      arrived_ = twice_ = foreign_ = foreign_port_ = NodeBits(nodes_, words_);
  }

  void run() {
    for (int level = 0; options_.max_hops == 0 || level < options_.max_hops; ++level) {
      const int hops = level + 1;
      arrived_.clear();
      twice_.clear();
      foreign_.clear();
      foreign_port_.clear();
      from_nodes(level, hops);
      from_senders(hops);
      from_receivers(hops);
      bool any = search_.advance([&](Vertex v, std::size_t w, Word fresh) {
        if (!options_.port) each_bit(v, w, fresh, hops);
      });
      if (!any) break;
    }
  }

 private:
  void each_bit(Vertex v, std::size_t w, Word word, int hops) {
    for (; word; word &= word - 1)
      visit_(w * 64 + static_cast<std::size_t>(__builtin_ctzll(word)), v, hops);
  }

  bool carries_port(const PortSet& ports) const {
    return options_.port && ports.contains(options_.port->protocol, options_.port->port);
  }

  // `from` arrives at service (or other non-class node) v over an edge: v's next level.
  void to_node(Vertex v, const Word* from, bool port, int hops) {
    Word* to = search_.next.row(v);
    for (std::size_t w = 0; w < words_; ++w) to[w] |= from[w];
    if (!port) return;
    Word* port_seen = search_.port_seen.row(v);
    for (std::size_t w = 0; w < words_; ++w) {
      Word fresh = from[w] & ~port_seen[w];
      port_seen[w] |= fresh;
      each_bit(v, w, fresh, hops);
    }
  }

  void to_receivers(Vertex from_node, Vertex receivers, const Word* from, bool port) {
    Word* in = arrived_.row(receivers);
    Word* other = foreign_.row(receivers);
    Word* other_port = foreign_port_.row(receivers);
    auto own = classes_.own_senders.find(receivers);
    bool foreign_source = own == classes_.own_senders.end() || own->second != from_node;
    for (std::size_t w = 0; w < words_; ++w) {
      in[w] |= from[w];
      if (foreign_source) other[w] |= from[w];
      if (foreign_source && port) other_port[w] |= from[w];
    }
  }

  // The level's frontier leaves the nodes that are no class node. A path leaves its start
  // whatever the start is; later, only intermediates pass it on.
  void from_nodes(int level, int hops) {
    for (Vertex u = 0; u < nodes_; ++u) {
      if (!search_.active[u] || is_class(pg_.node(u).kind) ||
          (level > 0 && !is_intermediate(pg_.node(u).kind)))
        continue;
      const Word* from = search_.frontier.row(u);
      for (auto [e, end] = boost::out_edges(u, graph_); e != end; ++e) {
        Vertex v = boost::target(*e, graph_);
        bool port = carries_port(graph_[*e].ports);
        if (pg_.node(v).kind == NodeKind::ClassSenders) {
          Word *in = arrived_.row(v), *two = twice_.row(v);
          for (std::size_t w = 0; w < words_; ++w) {
            two[w] |= in[w] & from[w];
            in[w] |= from[w];
          }
        } else if (pg_.node(v).kind == NodeKind::ClassReceivers) {
          to_receivers(u, v, from, port);
        } else {
          to_node(v, from, port, hops);
        }
      }
    }
  }

  // Senders nodes pass on what their members sent, within the level.
  void from_senders(int hops) {
    for (Vertex senders : classes_.senders) {
      const Word* from = arrived_.row(senders);
      for (auto [e, end] = boost::out_edges(senders, graph_); e != end; ++e) {
        Vertex v = boost::target(*e, graph_);
        bool port = carries_port(graph_[*e].ports);
        if (pg_.node(v).kind == NodeKind::ClassReceivers)
          to_receivers(senders, v, from, port);
        else
          to_node(v, from, port, hops);
      }
    }
  }

  // Receivers nodes pass on to their members what arrived, within the level: from other
  // nodes than their own class's senders, and from their own class only what came from
  // another member.
  void from_receivers(int hops) {
    for (Vertex receivers : classes_.receivers) {
      const Word* other = foreign_.row(receivers);
      const Word* other_port = foreign_port_.row(receivers);
      auto own = classes_.own_senders.find(receivers);
      bool own_port = false;
      if (own != classes_.own_senders.end())
        own_port = carries_port(pg_.edge({own->second, receivers}).ports);
      for (std::size_t member : pg_.node(receivers).members) {
        const Word* mine = search_.frontier.row(member);
        // The bits of the member's own class that came from another member than itself.
        auto own_bits = [&](std::size_t w, bool wanted) -> Word {
          if (!wanted || own == classes_.own_senders.end()) return 0;
          const Word* own_in = arrived_.row(own->second);
          const Word* own_twice = twice_.row(own->second);
          return own_in[w] & ~(mine[w] & ~own_twice[w]);
        };
        for (std::size_t w = 0; w < words_; ++w) scratch_[w] = other[w] | own_bits(w, true);
        to_node(member, scratch_.data(), false, hops);
        if (!options_.port) continue;
        for (std::size_t w = 0; w < words_; ++w) {
          Word* port_seen = search_.port_seen.row(member);
          Word fresh = (other_port[w] | own_bits(w, own_port)) & ~port_seen[w];
          port_seen[w] |= fresh;
          each_bit(member, w, fresh, hops);
        }
      }
    }
  }

  const PolicyGraph& pg_;
  const BoostGraph& graph_;
  const ReachOptions& options_;
  const Visit visit_;
  const std::size_t nodes_;
  Frontier search_;
  const std::size_t words_;
  const ClassNodes classes_;
  // Per class node and level: the bits that arrived (senders: also those from two members or
  // more; receivers: those from other nodes than their own class's senders, and those over
  // an edge that carries the port). A member is reached through its own class only from
  // another member.
  NodeBits arrived_, twice_, foreign_, foreign_port_;
  std::vector<Word> scratch_;
};

}  // namespace

void reach_all(const PolicyGraph& graph, const std::vector<Vertex>& starts,
               const ReachOptions& options,
               const std::function<void(std::size_t, Vertex, int)>& visit, std::size_t block_size) {
  for (std::size_t first = 0; first < starts.size(); first += block_size) {
    std::size_t count = std::min(block_size, starts.size() - first);
    std::vector<Vertex> block(starts.begin() + static_cast<std::ptrdiff_t>(first),
                              starts.begin() + static_cast<std::ptrdiff_t>(first + count));
    BlockSearch(graph, block, options, [&](std::size_t i, Vertex v, int hops) {
      visit(first + i, v, hops);
    }).run();
  }
}

}  // namespace netpol::graph
