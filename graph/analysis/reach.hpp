#pragma once
// Multi-hop reachability over the effective graph. Chart services and the namespace's pods
// may be intermediate hops; everything else ends a path (externals, DNS, the OTLP collector,
// selector peers as destinations) or only starts one (any-source, selector peers as sources).

#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "graph/model/policy_graph.hpp"

namespace netpol::graph {

// One port to follow: "TCP/5432", "UDP/53".
struct PortQuery {
  Protocol protocol = Protocol::TCP;
  int port = 0;
  std::string str() const;
};
// Parses PROTOCOL/PORT; throws ValueError with the expected form.
PortQuery parse_port_query(std::string_view text);

struct ReachOptions {
  std::optional<PortQuery> port;  // the last hop must allow it; earlier hops any port
  int max_hops = 0;               // 0: no limit
};

// A node reached, and one shortest path to it (source first, the node last). A route that
// `reach` answers for a set of pods or addresses may begin or end at a node that holds some
// of them (graph/analysis/reach_report.hpp): `from` names the start it answers for when the path
// begins elsewhere, and `to` the end it answers for, which the path then ends short of.
struct Route {
  PolicyGraph::Vertex to;
  std::vector<PolicyGraph::Vertex> path;
  std::optional<PolicyGraph::Vertex> from;
  int hops() const { return static_cast<int>(path.size()) - 1; }
  PolicyGraph::Vertex start() const { return from ? *from : path.front(); }
};

// Whether traffic may pass on through a node of this kind.
bool is_intermediate(NodeKind kind);
// The nodes paths start from: every node with an out-edge that is not a chart service
// (any-source, selector peers, namespace pods, address blocks as sources).
std::vector<PolicyGraph::Vertex> roots(const PolicyGraph& g);

// Every node `from` reaches, nearest first, ties in display order, each with one shortest
// path (breadth-first search on Boost.Graph, expanding only intermediate nodes).
std::vector<Route> reach_from(const PolicyGraph& pg, PolicyGraph::Vertex from,
                              const ReachOptions& options = {});

// The route from `from` to `to`, if any.
std::optional<Route> route_between(const PolicyGraph& g, PolicyGraph::Vertex from,
                                   PolicyGraph::Vertex to, const ReachOptions& options = {});

// Every node that reaches `to` (a path start: any node but `to`), each with one shortest path,
// nearest first, ties in display order. One breadth-first search backwards from `to`, not one
// search per start.
std::vector<Route> reach_to(const PolicyGraph& pg, PolicyGraph::Vertex to,
                            const ReachOptions& options = {});

// What every one of a set of starts reaches, all at once: calls visit(i, v, hops) once for
// each node v that starts[i] reaches (never starts[i] itself), level by level. One
// breadth-first search carries, for each node, a bitset of the starts that reached it, so a
// level costs one pass over the edges for all starts together (64 starts per machine word),
// not one search per start. Same answers as reach_from for each start. The starts go
// through in blocks of `block_size`, which keeps the bitsets' memory linear in the graph
// (three bitsets of 4,096 bits per node: 1.5 KiB) however many starts there are.
void reach_all(const PolicyGraph& g, const std::vector<PolicyGraph::Vertex>& starts,
               const ReachOptions& options,
               const std::function<void(std::size_t, PolicyGraph::Vertex, int)>& visit,
               std::size_t block_size = 4096);

}  // namespace netpol::graph
