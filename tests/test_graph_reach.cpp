#include "graph/reach.hpp"
#include "graph/reach_report.hpp"
#include "support.hpp"

#include <map>
#include <random>

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
    CHECK(paths.count("nursery") == 0);                  // private addresses are no internet
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
