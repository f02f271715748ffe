#include "graph/analysis/reach_report.hpp"

#include <algorithm>
#include <map>

#include "error.hpp"
#include "graph/analysis/holders.hpp"
#include "suggest.hpp"

namespace netpol::graph {
namespace {

using Vertex = PolicyGraph::Vertex;

Vertex resolve(const PolicyGraph& pg, const std::string& id, const char* option) {
  if (auto v = pg.find(id)) {
    if (!is_class(pg.node(*v).kind)) return *v;
    throw Error(std::string(option) + ": \"" + id + "\" stands for a class of services (" +
                pg.node(*v).label + "); name one of them, such as \"" +
                pg.node(pg.node(*v).members.front()).id + "\"");
  }
  std::vector<std::string> ids;
  for (Vertex v : pg.nodes())
    if (!is_class(pg.node(v).kind)) ids.push_back(pg.node(v).id);
  // --from any-source is always an answer (the internet), in the graph or not.
  std::vector<std::string> known = ids;
  if (std::string(option) == "--from" && !pg.find(std::string(kAnySourceId)))
    known.push_back(std::string(kAnySourceId));
  std::string hint = did_you_mean(id, known);
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
std::vector<Vertex> starts(const PolicyGraph& graph) {
  std::vector<Vertex> out = roots(graph);
  for (Vertex v : graph.nodes())
    if (graph.node(v).kind == NodeKind::Service) out.push_back(v);
  std::sort(out.begin(), out.end(),
            [&](Vertex a, Vertex b) { return graph.rank(a) < graph.rank(b); });
  return out;
}

// Keeps the shorter of two routes for one answer (the first on a tie).
void keep_shorter(std::optional<Route>& best, Route route) {
  if (!best || route.hops() < best->hops()) best = std::move(route);
}

// The nearest route per node of `best` (keyed by the end, or with `as_source` by the
// start), and for every other held node the nearest of its holders' routes, lent to it
// (the route then ends, or begins, at the holder; holding is not transitive: only the
// routes found are lent, not those lent). In display order, nearest first.
std::vector<Route> lend_to_held(const PolicyGraph& pg, const Holders& holders,
                                std::map<Vertex, std::optional<Route>> best, Vertex asked,
                                bool as_source) {
  const std::map<Vertex, std::optional<Route>> found = best;
  for (Vertex holder : holders.held_nodes(as_source)) {
    if (holder == asked) continue;
    for (Vertex h : holders.of(holder, as_source)) {
      auto it = found.find(h);
      if (it == found.end() || !it->second) continue;
      Route route = *it->second;
      if (as_source)
        route.from = holder;
      else
        route.to = holder;
      keep_shorter(best[holder], std::move(route));
    }
  }
  std::vector<Route> out;
  for (Vertex v : pg.nodes())
    if (auto it = best.find(v); it != best.end() && it->second) out.push_back(*it->second);
  std::stable_sort(out.begin(), out.end(),
                   [](const Route& a, const Route& b) { return a.hops() < b.hops(); });
  return out;
}

// Routes from the starts (the asked node first, then its holders; or the internet's), the
// nearest per node reached, nearest first; a destination a holder stands in for is reached
// when a holder of it is (the route then ends at the holder). `held`: the starts hold parts
// of `from` (routes from them answer for it), not stand for the internet.
std::vector<Route> reach_from_held(const PolicyGraph& graph, const Holders& holders, Vertex from,
                                   const std::vector<Vertex>& starts, const ReachOptions& options,
                                   bool held) {
  std::map<Vertex, std::optional<Route>> best;
  for (Vertex s : starts)
    for (Route& route : reach_from(graph, s, options)) {
      if (route.to == from) continue;
      if (s != from && held) route.from = from;
      Vertex end = route.to;
      keep_shorter(best[end], std::move(route));
    }
  return lend_to_held(graph, holders, std::move(best), from, false);
}

// Routes into the ends (the asked node first, then its holders), the nearest per start; a
// start a holder stands in for reaches when a holder of it does (the route then begins at
// the holder).
std::vector<Route> reach_to_held(const PolicyGraph& graph, const Holders& holders, Vertex to,
                                 const std::vector<Vertex>& ends, const ReachOptions& options) {
  std::map<Vertex, std::optional<Route>> best;
  for (Vertex e : ends)
    for (Route& route : reach_to(graph, e, options)) {
      if (route.path.front() == to) continue;
      route.to = to;
      Vertex start = route.path.front();
      keep_shorter(best[start], std::move(route));
    }
  return lend_to_held(graph, holders, std::move(best), to, true);
}

}  // namespace

ReachReport answer_reach(const Analysis& analysis, const ReachRequest& req) {
  const PolicyGraph& graph = analysis.graph;
  ReachReport report;
  report.options = req.options;
  report.explain = req.explain;
  // any-source is the internet whether or not a node of that name is in the graph.
  const bool any_source_absent = req.from == kAnySourceId && !graph.find(req.from);
  if (!req.from.empty() && !any_source_absent) report.from = resolve(graph, req.from, "--from");
  if (!req.to.empty()) report.to = resolve(graph, req.to, "--to");
  report.from_id = report.from ? graph.node(*report.from).id : req.from;
  report.to_id = report.to ? graph.node(*report.to).id : "";

  // any-source stands for the internet: its paths start there or at an ipBlock source that
  // holds a globally reachable address (Analysis::internet), whichever is shorter. A set of
  // pods or addresses reaches where some of it does: its paths start (end) at it or at a
  // node holding some of it (Holders).
  const bool internet =
      any_source_absent || (report.from && graph.node(*report.from).kind == NodeKind::AnySource &&
                            !analysis.internet.empty());
  const Holders holders(analysis);
  auto with_holders = [&](Vertex v, bool as_source) {
    std::vector<Vertex> out = {v};
    for (Vertex h : holders.of(v, as_source)) out.push_back(h);
    return out;
  };
  // The node asked to start from; with no any-source node, one no path reaches (the
  // internet's paths start at Analysis::internet, or nowhere).
  const bool asked_from = report.from || any_source_absent;
  const Vertex from = report.from ? *report.from : graph.vertex_count();
  if (asked_from && report.to) {
    report.kind = ReachReport::Kind::Pair;
    const std::vector<Vertex> ends = with_holders(*report.to, false);
    std::optional<Route> best;
    // (A node never reaches itself, a set included: as in the other answers.)
    for (Vertex s : from == *report.to ? std::vector<Vertex>{}
                    : internet         ? analysis.internet
                                       : with_holders(from, true))
      for (Route& route : reach_from(graph, s, req.options)) {
        if (std::find(ends.begin(), ends.end(), route.to) == ends.end() || route.to == from)
          continue;
        if (s != from && !internet) route.from = from;
        route.to = *report.to;
        keep_shorter(best, std::move(route));
      }
    // Why no hop leads straight there (none to say when one does, through a holder; nothing
    // to explain from when the internet has no node).
    if (req.explain && report.from && !(best && best->hops() == 1))
      report.blocked = explain_blocked(analysis, *report.from, *report.to, req.options.port);
    if (best) report.routes.push_back(*best);
  } else if (asked_from) {
    report.kind = ReachReport::Kind::From;
    report.routes = reach_from_held(graph, holders, from,
                                    internet ? analysis.internet : with_holders(from, true),
                                    req.options, !internet);
  } else if (report.to) {
    report.kind = ReachReport::Kind::To;
    report.routes =
        reach_to_held(graph, holders, *report.to, with_holders(*report.to, false), req.options);
  } else {
    report.kind = ReachReport::Kind::Matrix;
    report.rows = starts(graph);
    std::vector<long> column_of(graph.vertex_count(), -1);
    for (Vertex v : graph.nodes())
      if (graph.in_degree(v) > 0 && !is_class(graph.node(v).kind)) {
        column_of[v] = static_cast<long>(report.columns.size());
        report.columns.push_back(v);
      }
    report.hops.assign(report.rows.size(), std::vector<int>(report.columns.size(), -1));
    reach_all(graph, report.rows, req.options, [&](std::size_t row, Vertex v, int hops) {
      if (column_of[v] >= 0) report.hops[row][static_cast<std::size_t>(column_of[v])] = hops;
    });
    // A set reaches where some of it does: a held row takes its holders' rows, then a held
    // column its holders' columns (never a node reaching itself).
    auto shorter = [](int& cell, int hops) {
      if (hops >= 0 && (cell < 0 || hops < cell)) cell = hops;
    };
    const std::vector<std::vector<int>> direct = report.hops;
    std::vector<long> row_of(graph.vertex_count(), -1);
    for (std::size_t i = 0; i < report.rows.size(); ++i)
      row_of[report.rows[i]] = static_cast<long>(i);
    for (std::size_t i = 0; i < report.rows.size(); ++i)
      for (Vertex h : holders.of(report.rows[i], true))
        if (row_of[h] >= 0)
          for (std::size_t j = 0; j < report.columns.size(); ++j)
            if (report.columns[j] != report.rows[i])
              shorter(report.hops[i][j], direct[static_cast<std::size_t>(row_of[h])][j]);
    const std::vector<std::vector<int>> rows_held = report.hops;  // (holding is not transitive)
    for (std::size_t j = 0; j < report.columns.size(); ++j)
      for (Vertex h : holders.of(report.columns[j], false))
        if (column_of[h] >= 0)
          for (std::size_t i = 0; i < report.rows.size(); ++i)
            if (report.rows[i] != report.columns[j])
              shorter(report.hops[i][j], rows_held[i][static_cast<std::size_t>(column_of[h])]);
  }
  return report;
}

}  // namespace netpol::graph
