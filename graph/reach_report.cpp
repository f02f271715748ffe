#include "graph/reach_report.hpp"

#include <algorithm>

#include "error.hpp"
#include "suggest.hpp"

namespace netpol::graph {
namespace {

using Vertex = PolicyGraph::Vertex;

Vertex resolve(const PolicyGraph& g, const std::string& id, const char* option) {
  if (auto v = g.find(id)) {
    if (!is_class(g.node(*v).kind)) return *v;
    throw Error(std::string(option) + ": \"" + id + "\" stands for a class of services (" +
                g.node(*v).label + "); name one of them, such as \"" +
                g.node(g.node(*v).members.front()).id + "\"");
  }
  std::vector<std::string> ids;
  for (Vertex v : g.nodes())
    if (!is_class(g.node(v).kind)) ids.push_back(g.node(v).id);
  std::string hint = did_you_mean(id, ids);
  // A cluster dump has thousands: the message names the first few and where the rest are.
  constexpr std::size_t kListed = 20;
  std::string list;
  for (std::size_t i = 0; i < ids.size() && i < kListed; ++i)
    list += (list.empty() ? "" : ", ") + ids[i];
  if (ids.size() > kListed)
    list += ", and " + std::to_string(ids.size() - kListed) +
            " more (`netpol-graph graph --format json` lists every node's id)";
  throw Error(std::string(option) + ": no node \"" + id + "\"" +
              (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)") + "; the nodes are " +
              list);
}

// The nodes a path can start from: roots and services.
std::vector<Vertex> starts(const PolicyGraph& g) {
  std::vector<Vertex> out = roots(g);
  for (Vertex v : g.nodes())
    if (g.node(v).kind == NodeKind::Service) out.push_back(v);
  std::sort(out.begin(), out.end(), [&](Vertex a, Vertex b) { return g.rank(a) < g.rank(b); });
  return out;
}

}  // namespace

ReachReport answer_reach(const Analysis& a, const ReachRequest& req) {
  const PolicyGraph& g = a.graph;
  ReachReport r;
  r.options = req.options;
  r.explain = req.explain;
  if (!req.from.empty()) r.from = resolve(g, req.from, "--from");
  if (!req.to.empty()) r.to = resolve(g, req.to, "--to");

  // any-source stands for the internet: its paths start there or at an ipBlock source that
  // holds a globally reachable address (Analysis::internet), whichever is shorter.
  const bool internet = r.from && g.node(*r.from).kind == NodeKind::AnySource && !a.internet.empty();
  if (r.from && r.to) {
    r.kind = ReachReport::Kind::Pair;
    std::optional<Route> best;
    for (Vertex s : internet ? a.internet : std::vector<Vertex>{*r.from})
      if (auto route = route_between(g, s, *r.to, req.options))
        if (!best || route->hops() < best->hops()) best = std::move(route);
    if (best) r.routes.push_back(*best);
    if (req.explain) r.blocked = explain_blocked(a, *r.from, *r.to, req.options.port);
  } else if (r.from) {
    r.kind = ReachReport::Kind::From;
    r.routes = internet ? exposure(g, a.internet, req.options) : reach_from(g, *r.from, req.options);
  } else if (r.to) {
    r.kind = ReachReport::Kind::To;
    r.routes = reach_to(g, *r.to, req.options);
  } else {
    r.kind = ReachReport::Kind::Matrix;
    r.rows = starts(g);
    std::vector<long> column_of(g.vertex_count(), -1);
    for (Vertex v : g.nodes())
      if (g.in_degree(v) > 0 && !is_class(g.node(v).kind)) {
        column_of[v] = static_cast<long>(r.columns.size());
        r.columns.push_back(v);
      }
    r.hops.assign(r.rows.size(), std::vector<int>(r.columns.size(), -1));
    reach_all(g, r.rows, req.options, [&](std::size_t row, Vertex v, int hops) {
      if (column_of[v] >= 0) r.hops[row][static_cast<std::size_t>(column_of[v])] = hops;
    });
  }
  return r;
}

}  // namespace netpol::graph
