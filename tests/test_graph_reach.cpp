#include "graph/reach.hpp"
#include "graph/reach_report.hpp"
#include "support.hpp"

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
        CHECK(boost::edge(r.path[i], r.path[i + 1], a.graph.g()).second);
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

  TEST_CASE("externals end a path; services carry it on") {
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
