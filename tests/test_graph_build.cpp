#include <set>

#include "graph/rules/match.hpp"
#include "support.hpp"

using namespace netpol;
using namespace netpol::graph;

namespace {

// The edge from -> to, or nullptr.
const Edge* edge(const Analysis& a, const std::string& from, const std::string& to) {
  auto f = a.graph.find(from), t = a.graph.find(to);
  if (!f || !t) return nullptr;
  return a.graph.has_edge(*f, *t) ? &a.graph.edge({*f, *t}) : nullptr;
}

std::vector<std::string> provenance_paths(const std::vector<Provenance>& ps) {
  std::vector<std::string> out;
  for (const auto& p : ps) out.push_back(p.path + " @ " + p.where.str());
  return out;
}

}  // namespace

TEST_SUITE("graph: build") {
  TEST_CASE("a graph past its edge budget is an error, not an exhausted memory") {
    Analysis a = test::analyze_values(test::kEnabled);
    std::size_t edges = a.graph.edge_count();
    CHECK(build_graph(a.chart, a.profile, edges).edges().size() == edges);
    CHECK_THROWS_WITH_AS(build_graph(a.chart, a.profile, edges - 1),
                         doctest::Contains("the effective graph would have more than"), Error);
  }

  TEST_CASE("the enabled defaults") {
    Analysis a = test::analyze_values(test::kEnabled);
    CHECK(test::edge_ports(a, "ui", "query") == "TCP 9510");
    CHECK(test::edge_ports(a, "janitor", "meta") == "TCP 9500");
    CHECK(test::edge_ports(a, "any-source", "ingest") == "TCP 4317, 4318");
    CHECK(test::edge_ports(a, "any-source", "ui") == "TCP 8080");
    CHECK(test::edge_ports(a, "meta", "ext:PostgreSQL") == "TCP 5432");
    CHECK(test::edge_ports(a, "nursery", "dns") == "TCP 53; UDP 53");
    CHECK(edge(a, "any-source", "meta") == nullptr);
    CHECK(edge(a, "meta", "query") == nullptr);
    CHECK(edge(a, "query", "ui") == nullptr);
    // 3 from any-source, 7 between services, and S3, PostgreSQL and DNS from each of 6.
    CHECK(a.graph.edge_count() == 3 + 7 + 3 * 6);
  }

  TEST_CASE("an edge needs the source's egress AND the destination's ingress") {
    // ui still lists query in egressTo; query no longer admits ui and is not open to all.
    Analysis a = test::analyze_values(
        test::kEnabled +
        "query:\n  networkPolicy:\n    allowExternal: false\n    ingressFrom:\n"
        "      - app: janitor\n        ports: [9510]\n");
    CHECK(edge(a, "ui", "query") == nullptr);
    CHECK(test::edge_ports(a, "janitor", "query") == "TCP 9510");
    SUBCASE("the reverse: admitted but not sent") {
      Analysis b =
          test::analyze_values(test::kEnabled + "ui:\n  networkPolicy:\n    egressTo: []\n");
      CHECK(edge(b, "ui", "query") == nullptr);
      CHECK(edge(b, "ui", "meta") == nullptr);
    }
  }

  TEST_CASE("allowExternal admits chart services too: the edge stays, opened by allowExternal") {
    Analysis a = test::analyze_values(test::kEnabled +
                                      "query:\n  networkPolicy:\n    ingressFrom:\n      - app: "
                                      "janitor\n        ports: [9510]\n");
    const Edge* e = edge(a, "ui", "query");
    REQUIRE(e);
    CHECK(provenance_paths(e->ingress) ==
          std::vector<std::string>{"query.networkPolicy.allowExternal @ <defaults>:58:20"});
  }

  TEST_CASE("provenance of both sides, with file:line:col") {
    Analysis a = test::analyze_values(test::kEnabled);
    const Edge* e = edge(a, "ui", "query");
    REQUIRE(e);
    CHECK(provenance_paths(e->egress) ==
          std::vector<std::string>{"ui.networkPolicy.egressTo[0] @ <defaults>:105:9"});
    CHECK(provenance_paths(e->ingress) ==
          std::vector<std::string>{"query.networkPolicy.ingressFrom[0] @ <defaults>:61:9",
                                   "query.networkPolicy.allowExternal @ <defaults>:58:20"});
    const Edge* s3 = edge(a, "meta", "ext:S3");
    REQUIRE(s3);
    CHECK(provenance_paths(s3->egress) ==
          std::vector<std::string>{"meta.networkPolicy.allowExternalEgress @ <defaults>:38:26",
                                   "global.networkPolicy.externalEgress[0] @ <defaults>:16:9"});
    CHECK(s3->ingress.empty());
  }

  TEST_CASE("disabled policies: wildcard nodes, everything allowed") {
    Analysis a = test::analyze_values("");
    CHECK_FALSE(a.graph.policies_enabled);
    CHECK(test::edge_ports(a, "any-source", "meta") == "all ports");
    CHECK(test::edge_ports(a, "nursery", "ext:*") == "all ports");
    CHECK(test::edge_ports(a, "meta", "query") == "all ports");
    CHECK(edge(a, "meta", "dns") == nullptr);
    const Edge* e = edge(a, "meta", "query");
    CHECK(provenance_paths(e->egress) ==
          std::vector<std::string>{"global.networkPolicy.enabled @ <defaults>:12:14"});
  }

  TEST_CASE("OTLP with the default endpoint: every service to ingest, namespace pods to ingest") {
    Analysis a = test::analyze_values(test::kEnabled + "  observability:\n    otlpEnabled: true\n");
    CHECK(test::edge_ports(a, "ns-pods", "ingest") == "TCP 4317");
    CHECK(test::edge_ports(a, "meta", "ingest") == "TCP 4317");
    CHECK(test::edge_ports(a, "ui", "ingest") == "TCP 4317");
    CHECK(edge(a, "ingest", "ingest") == nullptr);
    CHECK(provenance_paths(edge(a, "meta", "ingest")->egress) ==
          std::vector<std::string>{"global.observability.otlpEnabled @ values.yaml:5:18",
                                   "global.observability.otlpEndpoint @ <defaults>:31:19"});
  }

  TEST_CASE("OTLP to an external collector through otlpEgress") {
    Analysis a = test::analyze_values(
        test::kEnabled +
        "    otlpEgress:\n      - cidr: 10.2.0.0/16\n        ports:\n          - port: 4317\n"
        "  observability:\n    otlpEnabled: true\n    otlpEndpoint: otel.monitoring:4317\n");
    auto v = a.graph.find("otlp:otel.monitoring:4317");
    REQUIRE(v);
    CHECK(a.graph.node(*v).kind == NodeKind::Otlp);
    REQUIRE(a.graph.node(*v).entries.size() == 1);
    CHECK(a.graph.node(*v).entries[0].block.str() == "10.2.0.0/16");
    CHECK(test::edge_ports(a, "query", "otlp:otel.monitoring:4317") == "TCP 4317");
    CHECK(edge(a, "query", "ingest") == nullptr);
  }

  TEST_CASE("externals are named by entry name, then by the profile's port names, then by CIDR") {
    Analysis a = test::analyze_values(
        test::kEnabled +
        "    externalEgress:\n      - cidr: 10.0.0.0/16\n        ports: [443, 5432, 8443]\n"
        "      - cidr: 10.9.0.0/16\n        name: Vault\n        ports: [8200]\n");
    CHECK(test::edge_ports(a, "meta", "ext:S3") == "TCP 443");
    CHECK(test::edge_ports(a, "meta", "ext:PostgreSQL") == "TCP 5432");
    CHECK(test::edge_ports(a, "meta", "ext:10.0.0.0/16") == "TCP 8443");
    CHECK(test::edge_ports(a, "meta", "ext:Vault") == "TCP 8200");
  }

  TEST_CASE("raw rules: selector peers, namespace pods, ipBlocks, any destination") {
    Analysis a = test::analyze_values(
        test::kEnabled +
        "    additionalIngress:\n      - from:\n          - namespaceSelector:\n              "
        "matchLabels: {name: monitoring}\n"
        "        ports: [{port: 9090, protocol: TCP}]\n"
        "query:\n  networkPolicy:\n    additionalIngress:\n      - from:\n          - ipBlock: "
        "{cidr: 192.168.0.0/16, except: [192.168.1.0/24]}\n"
        "          - podSelector: {}\n        ports: [9510]\n"
        "    additionalEgress:\n      - ports: [{port: 8125, protocol: UDP}]\n");
    CHECK(test::edge_ports(a, "sel:ns(name=monitoring)", "meta") == "TCP 9090");
    CHECK(test::edge_ports(a, "sel:ns(name=monitoring)", "nursery") == "TCP 9090");
    CHECK(a.graph.node(*a.graph.find("sel:ns(name=monitoring)")).label ==
          "all pods in namespaces with name=monitoring");
    CHECK(test::edge_ports(a, "ext:192.168.0.0/16 except 192.168.1.0/24", "query") == "TCP 9510");
    CHECK(test::edge_ports(a, "ns-pods", "query") == "TCP 9510");
    CHECK(test::edge_ports(a, "query", "ext:*") == "UDP 8125");
  }

  TEST_CASE("raw rules whose selectors name chart services make service edges, not nodes") {
    Analysis a = test::analyze_values(
        test::kEnabled +
        "meta:\n  networkPolicy:\n    additionalIngress:\n      - from:\n          - podSelector: "
        "{matchLabels: {app: janitor}}\n        ports: [9999]\n"
        "janitor:\n  networkPolicy:\n    additionalEgress:\n      - to:\n          - "
        "podSelector:\n              matchExpressions:\n"
        "                - {key: app, operator: In, values: [meta, query]}\n        ports: "
        "[9999]\n");
    CHECK(test::edge_ports(a, "janitor", "meta") == "TCP 9500, 9999");
    CHECK(test::edge_ports(a, "janitor", "query") == "TCP 9510");  // query does not admit 9999
    CHECK_FALSE(a.graph.find("sel:pods(app=janitor)").has_value());
  }

  TEST_CASE("the DNS rule reaches a service that admits a peer on every port") {
    // nursery lists no egress to meta, but its DNS rule has no `to`, and meta admits nursery
    // on every port once ingressFrom has no ports.
    Analysis a =
        test::analyze_values(test::kEnabled +
                             "nursery:\n  networkPolicy:\n    egressTo: []\n"
                             "meta:\n  networkPolicy:\n    ingressFrom:\n      - app: nursery\n");
    CHECK(test::edge_ports(a, "nursery", "meta") == "TCP 53; UDP 53");
    CHECK(provenance_paths(edge(a, "nursery", "meta")->egress) ==
          std::vector<std::string>{"global.networkPolicy.enabled @ values.yaml:3:14"});
  }

  TEST_CASE("named ports resolve against the destination's service ports") {
    Analysis a = test::analyze_values(
        test::kEnabled +
        "query:\n  service:\n    port: null\n    ports:\n      - {name: http, port: 9510}\n"
        "ui:\n  networkPolicy:\n    egressTo:\n      - app: query\n        ports: [http]\n");
    CHECK(test::edge_ports(a, "ui", "query") == "TCP 9510");
  }

  TEST_CASE("a peer naming no chart service becomes its own node") {
    Analysis a = test::analyze_values(
        test::kEnabled +
        "ui:\n  networkPolicy:\n    egressTo:\n      - app: quey\n        ports: [9510]\n");
    auto v = a.graph.find("sel:pods(app=quey)");
    REQUIRE(v);
    CHECK(a.graph.node(*v).unknown_peer);
    CHECK(test::edge_ports(a, "ui", "sel:pods(app=quey)") == "TCP 9510");
    CHECK(edge(a, "ui", "query") == nullptr);
  }

  TEST_CASE("the same inputs build the same node and edge order") {
    Analysis a = test::analyze_values(test::kEnabled), b = test::analyze_values(test::kEnabled);
    REQUIRE(a.graph.nodes().size() == b.graph.nodes().size());
    for (std::size_t i = 0; i < a.graph.nodes().size(); ++i)
      CHECK(a.graph.node(a.graph.nodes()[i]).id == b.graph.node(b.graph.nodes()[i]).id);
    CHECK(a.graph.node(a.graph.nodes().front()).id == "any-source");
    CHECK(a.graph.node(a.graph.nodes().back()).id == "dns");
  }
}

TEST_SUITE("graph: candidate pairs") {
  // Every pair with an edge, found by trying all pairs as the definition says.
  std::set<std::pair<std::size_t, std::size_t>> brute_force(const Chart& c) {
    std::set<std::pair<std::size_t, std::size_t>> out;
    for (std::size_t s = 0; s < c.services.size(); ++s)
      for (std::size_t d = 0; d < c.services.size(); ++d) {
        if (s == d) continue;
        PortSet p = egress_towards(c, c.services[s], c.services[d])
                        .ports.intersect(ingress_from(c, c.services[d], c.services[s]).ports);
        if (!p.empty()) out.insert({s, d});
      }
    return out;
  }

  TEST_CASE("every connected pair is a candidate, and pairs that cannot meet are left out") {
    for (const std::string& extra :
         {std::string(),
          std::string("janitor:\n  networkPolicy:\n    additionalEgress:\n"
                      "      - to: [{podSelector: {}}]\n"),
          std::string("meta:\n  networkPolicy:\n    additionalIngress:\n      - ports: [53]\n"),
          std::string("ui:\n  networkPolicy:\n    additionalIngress:\n"
                      "      - from: [{podSelector: {matchExpressions: [{key: app, operator: "
                      "NotIn, values: [x]}]}}]\n")}) {
      INFO(extra);
      Analysis a = test::analyze_values(test::kEnabled + extra);
      auto candidates = candidate_pairs(a.chart);
      std::set<std::pair<std::size_t, std::size_t>> set(candidates.begin(), candidates.end());
      CHECK(set.size() == candidates.size());  // no pair twice
      auto connected = brute_force(a.chart);
      CHECK(!connected.empty());
      for (const auto& p : connected) CHECK(set.count(p) == 1);
    }
    // The defaults: DNS (53) meets no allowExternal port, so meta -> ui is not even tried.
    Analysis a = test::analyze_values(test::kEnabled);
    auto idx = [&](const std::string& n) {
      return static_cast<std::size_t>(a.chart.service(n) - a.chart.services.data());
    };
    auto candidates = candidate_pairs(a.chart);
    CHECK(std::count(candidates.begin(), candidates.end(),
                     std::make_pair(idx("meta"), idx("ui"))) == 0);
    CHECK(candidates.size() < a.chart.services.size() * (a.chart.services.size() - 1));
  }
}
