#include "graph/analysis/reach.hpp"
#include "graph/analysis/reach_report.hpp"
#include "random_selectors.hpp"
#include "support.hpp"

#include <map>
#include <random>
#include <set>

using namespace netpol;
using namespace netpol::graph;

namespace {

std::string path_of(const Analysis& a, const Route& r) {
  std::string out;
  for (auto v : r.path) out += (out.empty() ? "" : " -> ") + a.graph.node(v).id;
  return out;
}

// node id -> hops, for everything `from` reaches.
std::map<std::string, int> hops_from(const Analysis& a, const std::string& from,
                                     ReachOptions o = {}) {
  std::map<std::string, int> out;
  for (const Route& r : reach_from(a.graph, *a.graph.find(from), o))
    out[a.graph.node(r.to).id] = r.hops();
  return out;
}

// A chart of n services with random peers (fixed seed): each sends to three others, which
// admit it on their port (or, one time in four, on a port it does not listen on); some are
// open to any source, some admit a namespace selector or send to it. Many multi-hop paths, cycles,
// and several shortest paths to choose from.
std::string random_chart(unsigned seed, int n) {
  std::mt19937 rng(seed);
  auto pick = [&](int k) { return static_cast<int>(rng() % static_cast<unsigned>(k)); };
  auto port = [](int i) { return std::to_string(8000 + i % 3); };
  std::vector<std::string> ingress(n), egress(n);
  for (int i = 0; i < n; ++i)
    for (int k = 0; k < 3; ++k) {
      int j = pick(n);
      std::string p = pick(4) == 0 ? "9999" : port(j);
      egress[i] += "      - app: s" + std::to_string(j) + "\n        ports: [" + port(j) + "]\n";
      ingress[j] += "      - app: s" + std::to_string(i) + "\n        ports: [" + p + "]\n";
    }
  std::string y = test::kEnabled;
  for (int i = 0; i < n; ++i) {
    y += "s" + std::to_string(i) + ":\n  service:\n    port: " + port(i) +
         "\n  networkPolicy:\n    allowExternal: " + (pick(8) == 0 ? "true" : "false") +
         "\n    egressTo:\n" + egress[i];
    if (!ingress[i].empty()) y += "    ingressFrom:\n" + ingress[i];
    if (pick(5) == 0)
      y += "    additionalIngress:\n      - from: [{namespaceSelector: {matchLabels: {t: m}}}]\n"
           "        ports: [{port: 8001}]\n";
    if (pick(5) == 0)  // the same selector as a destination: a path must end there
      y += "    additionalEgress:\n      - to: [{namespaceSelector: {matchLabels: {t: m}}}]\n"
           "        ports: [{port: 8001}]\n";
  }
  return y;
}

const std::string kNoExternalEgressForExposed =
    "ui.networkPolicy.allowExternalEgress=false,query.networkPolicy.allowExternalEgress=false,"
    "ingest.networkPolicy.allowExternalEgress=false";

}  // namespace

TEST_SUITE("graph: reach") {
  TEST_CASE("the enabled defaults, from any source") {
    Analysis a = test::analyze_values(test::kEnabled);
    auto hops = hops_from(a, "any-source");
    CHECK(hops["ui"] == 1);
    CHECK(hops["query"] == 1);
    CHECK(hops["ingest"] == 1);
    CHECK(hops["meta"] == 2);
    CHECK(hops["ext:PostgreSQL"] == 2);
    CHECK(hops.count("janitor") == 0);
    CHECK(hops.count("nursery") == 0);
    auto routes = reach_from(a.graph, *a.graph.find("any-source"));
    CHECK(path_of(a, routes.front()) == "any-source -> query");  // nearest first, display order
    for (const Route& r : routes)  // every step of every path is an edge
      for (std::size_t i = 0; i + 1 < r.path.size(); ++i)
        CHECK(a.graph.has_edge(r.path[i], r.path[i + 1]));
  }

  TEST_CASE("from any source: the internet, ipBlocks of public addresses included") {
    Analysis a = test::analyze_values(
        test::kEnabled +
        "meta:\n  networkPolicy:\n    additionalIngress:\n"
        "      - from: [{ipBlock: {cidr: 8.8.8.0/24}}]\n        ports: [9090]\n"
        "nursery:\n  networkPolicy:\n    additionalIngress:\n"
        "      - from: [{ipBlock: {cidr: 10.0.0.0/8}}]\n        ports: [9090]\n");
    ReachRequest req;
    req.from = "any-source";
    ReachReport from = answer_reach(a, req);
    std::map<std::string, std::string> paths;
    for (const Route& r : from.routes) paths[a.graph.node(r.to).id] = path_of(a, r);
    CHECK(paths["meta"] == "ext:8.8.8.0/24 -> meta");  // 1 hop, not 2 through query
    CHECK(paths.count("nursery") == 0);                // private addresses are no internet
    req.to = "meta";
    ReachReport pair = answer_reach(a, req);
    REQUIRE(pair.routes.size() == 1);
    CHECK(pair.routes[0].hops() == 1);
    req.to = "nursery";
    CHECK(answer_reach(a, req).routes.empty());
    // The ipBlock itself is asked as itself.
    req.from = "ext:10.0.0.0/8";
    CHECK(answer_reach(a, req).routes.size() == 1);
  }

  TEST_CASE("any-source is the internet also when no rule admits every address") {
    const std::string closed = test::kEnabled +
                               "ui:\n  networkPolicy:\n    allowExternal: false\n"
                               "query:\n  networkPolicy:\n    allowExternal: false\n"
                               "ingest:\n  networkPolicy:\n    allowExternal: false\n";
    // An address block of the internet admitted, and no any-source node: paths start there.
    Analysis a = test::analyze_values(
        closed +
        "meta:\n  networkPolicy:\n    additionalIngress:\n"
        "      - from: [{ipBlock: {cidr: 8.8.8.0/24}}]\n        ports: [9090]\n");
    REQUIRE_FALSE(a.graph.find("any-source"));
    ReachRequest req;
    req.from = "any-source";
    ReachReport from = answer_reach(a, req);
    CHECK(from.kind == ReachReport::Kind::From);
    CHECK(from.from_id == "any-source");
    std::map<std::string, std::string> paths;
    for (const Route& r : from.routes) paths[a.graph.node(r.to).id] = path_of(a, r);
    CHECK(paths["meta"] == "ext:8.8.8.0/24 -> meta");
    CHECK(paths["ext:S3"] == "ext:8.8.8.0/24 -> meta -> ext:S3");
    CHECK(paths.count("ui") == 0);
    req.to = "ext:S3";
    ReachReport pair = answer_reach(a, req);
    CHECK(pair.kind == ReachReport::Kind::Pair);
    REQUIRE(pair.routes.size() == 1);
    CHECK(pair.routes[0].hops() == 2);
    // Nothing of the internet admitted: any-source reaches nothing, and that is an answer.
    Analysis shut = test::analyze_values(closed);
    REQUIRE(shut.internet.empty());
    req.to = "";
    CHECK(answer_reach(shut, req).routes.empty());
    req.to = "ext:PostgreSQL";
    CHECK(answer_reach(shut, req).routes.empty());
    // A near miss is still an error with a suggestion.
    req.from = "any-sorce";
    CHECK_THROWS_WITH_AS(answer_reach(shut, req), doctest::Contains("did you mean"), Error);
  }

  TEST_CASE("janitor and nursery are reached by nothing") {
    Analysis a = test::analyze_values(test::kEnabled);
    ReachRequest req;
    req.to = "janitor";
    CHECK(answer_reach(a, req).routes.empty());
    req.to = "nursery";
    CHECK(answer_reach(a, req).routes.empty());
    req.to = "meta";
    CHECK(answer_reach(a, req).routes.size() == 6);  // any-source and five services
  }

  TEST_CASE("externals end a path, services carry it on") {
    Analysis a = test::analyze_values(test::kEnabled);
    for (const Route& r : reach_from(a.graph, *a.graph.find("any-source")))
      for (std::size_t i = 1; i + 1 < r.path.size(); ++i)
        CHECK(is_intermediate(a.graph.node(r.path[i]).kind));
    CHECK(hops_from(a, "meta").count("query") == 0);
    CHECK(roots(a.graph).size() == 1);
  }

  TEST_CASE("port-aware: the last hop must allow the port, earlier hops any") {
    Analysis a = test::analyze_values(test::kEnabled, {kNoExternalEgressForExposed});
    ReachOptions o;
    o.port = parse_port_query("TCP/5432");
    auto route =
        route_between(a.graph, *a.graph.find("any-source"), *a.graph.find("ext:PostgreSQL"), o);
    REQUIRE(route);
    CHECK(route->hops() == 3);
    CHECK(path_of(a, *route) == "any-source -> query -> meta -> ext:PostgreSQL");
    o.port = parse_port_query("TCP/443");
    CHECK(hops_from(a, "any-source", o)["ext:S3"] == 3);
    o.port = parse_port_query("TCP/9500");
    auto h = hops_from(a, "any-source", o);
    CHECK(h["meta"] == 2);
    CHECK(h.count("query") == 0);  // any-source reaches query on 9510 only
  }

  TEST_CASE("max hops") {
    Analysis a = test::analyze_values(test::kEnabled);
    ReachOptions o;
    o.max_hops = 1;
    auto h = hops_from(a, "any-source", o);
    CHECK(h.size() == 3);
    CHECK(h.count("meta") == 0);
  }

  TEST_CASE("the matrix: roots and services against every destination") {
    Analysis a = test::analyze_values(test::kEnabled);
    ReachReport r = answer_reach(a, {});
    REQUIRE(r.kind == ReachReport::Kind::Matrix);
    CHECK(r.rows.size() == 7);
    auto col = [&](const std::string& id) {
      for (std::size_t i = 0; i < r.columns.size(); ++i)
        if (a.graph.node(r.columns[i]).id == id) return i;
      FAIL("no column " << id);
      return std::size_t{0};
    };
    CHECK(r.hops[0][col("meta")] == 2);    // any-source
    CHECK(r.hops[1][col("query")] == -1);  // meta
    CHECK(r.hops[4][col("query")] == 1);   // janitor
  }

  TEST_CASE(
      "every start at once (bitsets) and backwards to one node agree with one search per start") {
    for (unsigned seed : {1u, 2u, 3u}) {
      Analysis a = test::analyze_values(random_chart(seed, 70));
      const PolicyGraph& g = a.graph;
      std::vector<PolicyGraph::Vertex> starts = roots(g);
      for (auto v : g.nodes())
        if (g.node(v).kind == NodeKind::Service) starts.push_back(v);
      REQUIRE(starts.size() > 64);  // more than one word of starts
      std::vector<ReachOptions> variants(4);
      variants[1].port = parse_port_query("TCP/8001");
      variants[2].max_hops = 2;
      variants[3].port = parse_port_query("TCP/8002");
      variants[3].max_hops = 3;
      for (const ReachOptions& o : variants) {
        INFO("seed " << seed << (o.port ? " port " + o.port->str() : "") << " max " << o.max_hops);
        // start index -> node -> hops
        std::vector<std::map<PolicyGraph::Vertex, int>> all(starts.size()), one(starts.size());
        reach_all(g, starts, o, [&](std::size_t i, PolicyGraph::Vertex v, int hops) {
          CHECK(all[i].emplace(v, hops).second);  // each pair once
        });
        // In blocks of 64 starts (and a last, smaller one): the same.
        std::vector<std::map<PolicyGraph::Vertex, int>> blocks(starts.size());
        reach_all(
            g, starts, o,
            [&](std::size_t i, PolicyGraph::Vertex v, int hops) { blocks[i].emplace(v, hops); },
            64);
        CHECK(blocks == all);
        int multi_hop = 0;
        for (std::size_t i = 0; i < starts.size(); ++i)
          for (const Route& r : reach_from(g, starts[i], o)) {
            one[i][r.to] = r.hops();
            multi_hop += r.hops() > 1;
          }
        CHECK(multi_hop > 100);
        CHECK(all == one);
        // Backwards: for every node, the same starts with the same hop counts, and each path
        // is a real path of that length whose inner nodes pass traffic on.
        for (auto to : g.nodes()) {
          std::map<PolicyGraph::Vertex, int> expected, got;
          for (std::size_t i = 0; i < starts.size(); ++i)
            if (auto it = one[i].find(to); it != one[i].end()) expected[starts[i]] = it->second;
          for (const Route& r : reach_to(g, to, o)) {
            got[r.path.front()] = r.hops();
            CHECK(r.to == to);
            CHECK(r.path.back() == to);
            for (std::size_t k = 0; k + 1 < r.path.size(); ++k)
              CHECK(g.has_edge(r.path[k], r.path[k + 1]));
            for (std::size_t k = 1; k + 1 < r.path.size(); ++k)
              CHECK(is_intermediate(g.node(r.path[k]).kind));
            if (o.port)
              CHECK(g.edge({r.path[r.path.size() - 2], to})
                        .ports.contains(o.port->protocol, o.port->port));
          }
          CHECK(got == expected);
        }
      }
    }
  }

  TEST_CASE("node arguments: stable ids, with a suggestion for a near miss") {
    Analysis a = test::analyze_values(test::kEnabled);
    ReachRequest req;
    req.from = "any-sorce";
    CHECK_THROWS_WITH_AS(answer_reach(a, req),
                         "--from: no node \"any-sorce\" (did you mean \"any-source\"?); the nodes "
                         "are any-source, meta, query, ingest, janitor, ui, nursery, ext:S3, "
                         "ext:PostgreSQL, dns",
                         Error);
  }

  TEST_CASE("a graph of many nodes: the message names twenty and says where the rest are") {
    std::string yaml = std::string(test::kEnabled) + "meta:\n  networkPolicy:\n    egressTo:\n";
    for (int i = 0; i < 30; ++i) yaml += "      - app: stranger" + std::to_string(i) + "\n";
    Analysis a = test::analyze_values(yaml);
    REQUIRE(a.graph.nodes().size() > 30);
    ReachRequest req;
    req.from = "nowhere";
    std::string message;
    try {
      answer_reach(a, req);
    } catch (const Error& e) {
      message = e.what();
    }
    std::string list = message.substr(message.find("; the nodes are ") + 16);
    CHECK(std::count(list.begin(), list.end(), ',') == 20);  // 20 names, then the rest
    CHECK(list.find(", and " + std::to_string(a.graph.nodes().size() - 20) +
                    " more (`netpol-graph graph --format json` lists every node's id)") !=
          std::string::npos);
  }

  TEST_CASE("port queries") {
    CHECK(parse_port_query("UDP/53").str() == "UDP/53");
    CHECK_THROWS_WITH_AS(parse_port_query("5432"),
                         "expected PROTOCOL/PORT (e.g. TCP/5432), got \"5432\"", ValueError);
    CHECK_THROWS_WITH_AS(parse_port_query("TCP/0"), "port \"0\" is not in 1-65535", ValueError);
    CHECK_THROWS_AS(parse_port_query("tcp/53"), ValueError);
  }

  TEST_CASE("disabled policies: every service is one hop from any source") {
    Analysis a = test::analyze_values("");
    auto h = hops_from(a, "any-source");
    CHECK(h["meta"] == 1);
    CHECK(h["ext:*"] == 2);
  }
}

// A set of pods reaches where some of its pods do (docs/model.md, "Reachability"): random
// selector rules into and out of the chart's services, and every answer of `reach` (the
// pair, from, to and the matrix) against an enumeration over one pod of every label class.
// For a selector node the oracle takes each of its pods that is not a chart service's, and
// starts where any node holding that pod does (any-source, every selector node selecting
// it); a selector as a destination is reached where a node holding one of its pods is
// (ext:*, every selector node selecting it).
namespace {

struct ClassPod {
  Labels ns, pod;
};

// One pod of every label class the analysis tells apart: per key (namespace name and team,
// pod app), every value some node's pods or a chart service names, one other value, and
// absent (a namespace always has its name). The release namespace is known: only its name.
std::vector<ClassPod> class_pods(const Analysis& a) {
  std::map<std::string, std::set<std::string>> ns_values, pod_values;
  for (PolicyGraph::Vertex v : a.graph.nodes())
    if (const auto& pods = a.graph.node(v).pods)
      for (const PodCube& c : pods->cubes()) {
        for (const auto& [key, domain] : c.ns)
          ns_values[key].insert(domain.values.begin(), domain.values.end());
        for (const auto& [key, domain] : c.pod)
          pod_values[key].insert(domain.values.begin(), domain.values.end());
      }
  for (const Service& s : a.chart.services)
    for (const auto& [key, value] : s.labels) pod_values[key].insert(value);
  const std::string name(kNamespaceNameLabel);
  std::set<std::string> names = ns_values[name], teams = ns_values["team"];
  names.insert("default");
  names.insert("ns-other");
  teams.insert("team-other");
  teams.insert("");  // absent
  std::vector<Labels> namespaces = {{{name, "default"}}};
  for (const std::string& n : names)
    for (const std::string& team : teams) {
      if (n == "default") continue;
      Labels ns = {{name, n}};
      if (!team.empty()) ns["team"] = team;
      namespaces.push_back(ns);
    }
  std::set<std::string> apps = pod_values["app"];
  apps.insert("app-other");
  apps.insert("");
  std::vector<ClassPod> out;
  for (const Labels& ns : namespaces)
    for (const std::string& app : apps) {
      Labels pod;
      if (!app.empty()) pod["app"] = app;
      out.push_back({ns, pod});
    }
  return out;
}

bool holds(const Node& n, const ClassPod& p, bool as_source) {
  if (as_source ? n.kind == NodeKind::AnySource : n.id == kAnywhereId) return true;
  return (n.kind == NodeKind::Selector || n.kind == NodeKind::NsPods) && n.pods &&
         n.pods->contains(p.ns, p.pod);
}

// A chart service's pod: its app label in the release namespace.
bool service_pod(const Analysis& a, const ClassPod& p) {
  if (p.ns.at(std::string(kNamespaceNameLabel)) != "default" || !p.pod.count("app")) return false;
  for (const Service& s : a.chart.services)
    if (s.labels.count("app") && s.labels.at("app") == p.pod.at("app")) return true;
  return false;
}

// The nodes that may start (end) a path for `v`, pod by pod: v, and for a selector node
// every node holding one of its outside pods.
std::vector<PolicyGraph::Vertex> stand_ins(const Analysis& a, PolicyGraph::Vertex v, bool as_source,
                                           const std::vector<ClassPod>& pods) {
  const PolicyGraph& g = a.graph;
  std::vector<PolicyGraph::Vertex> out = {v};
  const Node& n = g.node(v);
  if (n.kind != NodeKind::Selector && n.kind != NodeKind::NsPods) return out;
  for (const ClassPod& p : pods) {
    if (!holds(n, p, as_source) || service_pod(a, p)) continue;
    for (PolicyGraph::Vertex u : g.nodes())
      if (holds(g.node(u), p, as_source) && std::find(out.begin(), out.end(), u) == out.end())
        out.push_back(u);
  }
  return out;
}

int oracle_hops(const Analysis& a, PolicyGraph::Vertex s, PolicyGraph::Vertex t,
                const std::vector<ClassPod>& pods) {
  if (s == t) return -1;
  std::vector<PolicyGraph::Vertex> ends = stand_ins(a, t, false, pods);
  int best = -1;
  for (PolicyGraph::Vertex h : stand_ins(a, s, true, pods))
    for (const Route& r : reach_from(a.graph, h))
      if (r.to != s && std::find(ends.begin(), ends.end(), r.to) != ends.end() &&
          (best < 0 || r.hops() < best))
        best = r.hops();
  return best;
}

}  // namespace

TEST_SUITE("graph: reach") {
  TEST_CASE("a set reaches where some of its pods do: random rules, every class of pod") {
    std::mt19937 rng(20261206);
    auto peer = [&]() {
      test::RandomPeer p;
      int shape = static_cast<int>(rng() % 3);  // ns only, pods only, both
      if (shape != 1) p.ns = test::random_sel(rng, "team", "a", "b");
      if (shape != 0) p.pods = test::random_sel(rng, "app", "x", rng() % 2 ? "y" : "meta");
      return p;
    };
    int compared = 0, held_only = 0, reached = 0;
    for (int round = 0; round < 150; ++round) {
      std::string y = test::kEnabled;
      for (const char* service : {"meta", "query", "janitor"}) {
        y += std::string(service) + ":\n  networkPolicy:\n";
        if (rng() % 3 == 0) y += "    allowExternal: true\n";
        for (const char* side : {"additionalIngress", "additionalEgress"}) {
          std::size_t n = rng() % 3;
          if (!n) continue;
          y += std::string("    ") + side + ":\n";
          bool ingress = side[10] == 'I';
          for (; n > 0; --n) {
            if (rng() % 5 == 0) {  // no peer: every source (destination)
              y += "      - ports: [" + std::to_string(9000 + rng() % 2) + "]\n";
              continue;
            }
            y +=
                std::string("      - ") + (ingress ? "from" : "to") + ": [" + peer().yaml() + "]\n";
            if (rng() % 2) y += "        ports: [" + std::to_string(9000 + rng() % 2) + "]\n";
          }
        }
      }
      CAPTURE(y);
      Analysis a = test::analyze_values(y);
      const PolicyGraph& g = a.graph;
      const std::vector<ClassPod> pods = class_pods(a);
      ReachReport matrix = answer_reach(a, {});
      std::map<PolicyGraph::Vertex, std::size_t> column;
      for (std::size_t j = 0; j < matrix.columns.size(); ++j) column[matrix.columns[j]] = j;
      for (std::size_t i = 0; i < matrix.rows.size(); ++i) {
        PolicyGraph::Vertex s = matrix.rows[i];
        const std::string& sid = g.node(s).id;
        ReachReport from = answer_reach(a, {sid, "", {}, false});
        std::map<PolicyGraph::Vertex, int> from_hops;
        for (const Route& r : from.routes) from_hops[r.to] = r.hops();
        for (PolicyGraph::Vertex t : matrix.columns) {
          const Node& tn = g.node(t);
          if (tn.kind != NodeKind::Service && tn.kind != NodeKind::Selector &&
              tn.kind != NodeKind::NsPods)
            continue;  // (addresses: their own test)
          CAPTURE(sid + " -> " + tn.id);
          int expected = oracle_hops(a, s, t, pods);
          CHECK(matrix.hops[i][column.at(t)] == expected);
          CHECK((from_hops.count(t) ? from_hops.at(t) : -1) == expected);
          ReachReport pair = answer_reach(a, {sid, tn.id, {}, false});
          CHECK((pair.routes.empty() ? -1 : pair.routes[0].hops()) == expected);
          if (!pair.routes.empty()) {  // the path is real: its hops are edges
            const Route& r = pair.routes[0];
            for (std::size_t k = 0; k + 1 < r.path.size(); ++k)
              CHECK(g.hop_ports(r.path[k], r.path[k + 1]) != nullptr);
          }
          auto direct = route_between(g, s, t);
          held_only += expected >= 0 && (!direct || direct->hops() > expected);
          reached += expected >= 0;
          ++compared;
        }
      }
      // Backwards: every start that reaches a selector or service, as the matrix says.
      for (PolicyGraph::Vertex t : matrix.columns) {
        const Node& tn = g.node(t);
        if (tn.kind != NodeKind::Service && tn.kind != NodeKind::Selector) continue;
        ReachReport to = answer_reach(a, {"", tn.id, {}, false});
        std::map<PolicyGraph::Vertex, int> to_hops;
        for (const Route& r : to.routes) to_hops[r.start()] = r.hops();
        for (std::size_t i = 0; i < matrix.rows.size(); ++i) {
          CAPTURE(g.node(matrix.rows[i]).id + " -> " + tn.id);
          int want = matrix.hops[i][column.at(t)];
          CHECK((to_hops.count(matrix.rows[i]) ? to_hops.at(matrix.rows[i]) : -1) == want);
        }
      }
    }
    // The cases reach and miss, and many answers need a node holding part of a set.
    CHECK(reached > compared / 5);
    CHECK(reached < compared - compared / 5);
    CHECK(held_only > compared / 20);
    MESSAGE(compared << " compared, " << held_only << " through a holder");
  }
}

TEST_SUITE("graph: reach") {
  TEST_CASE("an address block reaches where some of its addresses do") {
    Analysis a = test::analyze_values(
        test::kEnabled +
        "query:\n  networkPolicy:\n    allowExternal: true\n"
        "meta:\n  networkPolicy:\n    additionalIngress:\n"
        "      - from: [{ipBlock: {cidr: 10.1.0.0/16}}]\n        ports: [9500]\n"
        "janitor:\n  networkPolicy:\n    additionalEgress:\n"
        "      - to: [{ipBlock: {cidr: 10.0.0.0/8}}]\n        ports: [5432]\n"
        "nursery:\n  networkPolicy:\n    additionalEgress:\n"
        "      - to: [{ipBlock: {cidr: 10.1.2.0/24}}]\n        ports: [5432]\n");
    const PolicyGraph& g = a.graph;
    auto id = [&](PolicyGraph::Vertex v) { return g.node(v).id; };
    // As a source: any-source holds every address, so the block reaches what it admits.
    ReachReport pair = answer_reach(a, {"ext:10.1.0.0/16", "query", {}, false});
    REQUIRE(pair.routes.size() == 1);
    CHECK(path_of(a, pair.routes[0]) == "any-source -> query");
    CHECK(id(pair.routes[0].start()) == "ext:10.1.0.0/16");
    // Its own edge stays the shorter way to meta.
    ReachReport own = answer_reach(a, {"ext:10.1.0.0/16", "meta", {}, false});
    REQUIRE(own.routes.size() == 1);
    CHECK(path_of(a, own.routes[0]) == "ext:10.1.0.0/16 -> meta");
    // As a destination: janitor's block 10.0.0.0/8 on 5432 (drawn as the profile's
    // PostgreSQL) holds 10.1.2.0/24, so janitor reaches it on 5432.
    ReachOptions tcp5432;
    tcp5432.port = parse_port_query("TCP/5432");
    ReachReport held = answer_reach(a, {"janitor", "ext:10.1.2.0/24", tcp5432, false});
    REQUIRE(held.routes.size() == 1);
    CHECK(path_of(a, held.routes[0]) == "janitor -> ext:PostgreSQL");
    CHECK(id(held.routes[0].to) == "ext:10.1.2.0/24");
    ReachReport to = answer_reach(a, {"", "ext:10.1.2.0/24", tcp5432, false});
    std::vector<std::string> starts;
    for (const Route& r : to.routes) starts.push_back(id(r.start()));
    CHECK(std::find(starts.begin(), starts.end(), "janitor") != starts.end());
    CHECK(std::find(starts.begin(), starts.end(), "nursery") != starts.end());
    // Not on a port no block holding it is open on.
    ReachOptions udp;
    udp.port = parse_port_query("UDP/53");
    CHECK(answer_reach(a, {"janitor", "ext:10.1.2.0/24", udp, false}).routes.empty());
  }
}
