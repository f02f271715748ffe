// graph/rules/match: which rules of one service select another's pods and on which ports, the
// exclusions admin policies add, and candidate_pairs against trying every pair.

#include <algorithm>
#include <random>
#include <set>
#include <utility>

#include "graph/read/read_rules.hpp"
#include "graph/rules/match.hpp"
#include "random_selectors.hpp"
#include "support.hpp"

using namespace netpol;
using namespace netpol::graph;

namespace {

Service service(const std::string& name, const std::string& ns, Labels labels = {}) {
  Service s;
  s.name = name;
  s.ns = ns;
  s.ns_labels = {{std::string(kNamespaceNameLabel), ns}};
  s.labels = labels.empty() ? Labels{{"app", name}} : labels;
  s.ports = {{"http", Protocol::TCP, 8080}};
  return s;
}

Peer app_peer(const std::string& app) {
  Peer p;
  p.pods.emplace();
  p.pods->add_equals("app", app);
  return p;
}

Rule rule(std::vector<Peer> peers, PortSet ports) {
  Rule r;
  r.peers = std::move(peers);
  r.any_peer = r.peers.empty();
  r.ports = std::move(ports);
  return r;
}

PortSet named(const std::string& name) {
  PortSet p;
  p.add_name(Protocol::TCP, name);
  return p;
}

}  // namespace

TEST_SUITE("graph: match") {
  TEST_CASE("a pod selector alone selects pods of the policy's own namespace only") {
    Chart c;
    c.services = {service("a", "x"), service("b", "x"), service("b2", "y", {{"app", "b"}})};
    c.services[0].egress.push_back(rule({app_peer("b")}, test::tcp(80, 80)));
    CHECK(egress_towards(c, c.services[0], c.services[1]).ports == test::tcp(80, 80));
    CHECK(egress_towards(c, c.services[0], c.services[2]).ports.empty());
  }

  TEST_CASE("ports of several rules add up, and each contributing rule is named") {
    Chart c;
    c.services = {service("a", "x"), service("b", "x")};
    Service& b = c.services[1];
    b.ingress.push_back(rule({app_peer("a")}, test::tcp(80, 80)));
    b.ingress.push_back(rule({}, test::tcp(90, 90)));
    b.ingress.push_back(rule({app_peer("z")}, test::tcp(99, 99)));
    SidePorts in = ingress_from(c, b, c.services[0]);
    PortSet both = test::tcp(80, 80).unite(test::tcp(90, 90));
    CHECK(in.ports == both);
    CHECK(in.rules.size() == 2);
  }

  TEST_CASE(
      "named ports resolve against the destination, from manifests, unknown names match "
      "nothing") {
    Chart c;
    c.services = {service("a", "x"), service("b", "x")};
    c.services[0].egress.push_back(rule({app_peer("b")}, named("http").unite(named("nope"))));
    SidePorts from_values = egress_towards(c, c.services[0], c.services[1]);
    CHECK(from_values.ports.contains(Protocol::TCP, 8080));
    CHECK(from_values.ports != test::tcp(8080, 8080));  // the unknown name is kept from values
    c.from_manifests = true;
    CHECK(egress_towards(c, c.services[0], c.services[1]).ports == test::tcp(8080, 8080));
  }

  TEST_CASE("an exclusion takes its pods out of a rule, unless an earlier Pass handed them on") {
    Chart c;
    c.from_manifests = true;
    c.services = {service("a", "x"), service("b", "y"), service("d", "x")};
    Rule open = rule({}, PortSet::all());
    AdminMatch deny_y;
    Peer ns_y;
    ns_y.namespaces.emplace();
    ns_y.namespaces->add_equals(std::string(kNamespaceNameLabel), "y");
    deny_y.peers = {ns_y};
    deny_y.ports = test::tcp(1, 1000);
    open.except.push_back({deny_y, {}});
    c.services[2].ingress.push_back(open);
    SidePorts from_b = ingress_from(c, c.services[2], c.services[1]);
    CHECK(from_b.ports == PortSet::all().subtract(test::tcp(1, 1000)));
    CHECK(ingress_from(c, c.services[2], c.services[0]).ports == PortSet::all());
    SUBCASE("a Pass on some of the ports keeps them") {
      AdminMatch pass = deny_y;
      pass.ports = test::tcp(80, 80);
      c.services[2].ingress[0].except[0].unless.push_back(pass);
      CHECK(ingress_from(c, c.services[2], c.services[1]).ports ==
            PortSet::all().subtract(test::tcp(1, 79)).subtract(test::tcp(81, 1000)));
    }
    SUBCASE("a rule wholly excluded does not count as contributing") {
      c.services[2].ingress[0].except[0].match.ports = PortSet::all();
      SidePorts none = ingress_from(c, c.services[2], c.services[1]);
      CHECK(none.ports.empty());
      CHECK(none.rules.empty());
    }
  }

  TEST_CASE("candidate pairs hold every pair with an edge, each once, and no self pair") {
    Chart c;
    for (int i = 0; i < 12; ++i)
      c.services.push_back(service("s" + std::to_string(i), i % 3 == 0 ? "x" : "y"));
    for (std::size_t i = 0; i < c.services.size(); ++i) {
      Service& s = c.services[i];
      // A mix: named peers, peers of another namespace, any peer on some ports.
      s.egress.push_back(rule({app_peer("s" + std::to_string((i + 1) % 12))}, test::tcp(80, 80)));
      if (i % 4 == 0) s.egress.push_back(rule({}, test::tcp(443, 443)));
      Peer other;
      other.namespaces.emplace();
      other.pods = LabelSelector();
      if (i % 5 == 0) s.egress.push_back(rule({other}, test::tcp(80, 80)));
      s.ingress.push_back(rule({app_peer("s" + std::to_string((i + 11) % 12))}, test::tcp(80, 80)));
      if (i % 3 == 1) s.ingress.push_back(rule({}, test::tcp(443, 443)));
    }
    auto pairs = candidate_pairs(c);
    std::set<std::pair<std::size_t, std::size_t>> set(pairs.begin(), pairs.end());
    CHECK(set.size() == pairs.size());
    CHECK(std::is_sorted(pairs.begin(), pairs.end()));
    std::size_t edges = 0;
    for (std::size_t s = 0; s < c.services.size(); ++s)
      for (std::size_t d = 0; d < c.services.size(); ++d) {
        if (s == d) {
          CHECK(set.count({s, d}) == 0);
          continue;
        }
        PortSet p = egress_towards(c, c.services[s], c.services[d])
                        .ports.intersect(ingress_from(c, c.services[d], c.services[s]).ports);
        if (p.empty()) continue;
        ++edges;
        CHECK_MESSAGE(set.count({s, d}) == 1, s, " -> ", d);
      }
    CHECK(edges > 12);  // the case has edges of every kind to find
  }

  TEST_CASE("a peer selects pods of another namespace: as sets, against every pod class") {
    // Namespace selectors on the name label itself (default is the policy's own namespace),
    // pod selectors on app: one namespace and one pod of every class decide by enumeration.
    std::mt19937 rng(34);
    const std::string name_key(kNamespaceNameLabel);
    int outside = 0, inside = 0;
    for (int i = 0; i < 300; ++i) {
      test::RandomPeer p;
      if (rng() % 3 != 0) p.ns = test::random_sel(rng, name_key, "default", "other");
      if (!p.ns || rng() % 3 != 0) p.pods = test::random_sel(rng, "app", "x", "y");
      const std::string yaml = p.yaml();
      CAPTURE(yaml);
      const Peer peer = read_peer(values::Cursor::root(values::read_yaml(yaml, "peer.yaml")));
      bool expected = false;
      for (const char* ns : {"default", "other", "third"})
        for (const char* app : {"x", "y", ""}) {
          Labels pod;
          if (*app) pod["app"] = app;
          expected = expected || (std::string(ns) != "default" && p.matches({{name_key, ns}}, pod));
        }
      CHECK(selects_outside_namespace(peer, "default") == expected);
      (expected ? outside : inside) += 1;
    }
    CHECK(outside > 50);  // both answers are drawn often
    CHECK(inside > 50);
    Peer block;
    block.ip_block = IpBlock{Cidr::parse("10.0.0.0/8"), {}};
    CHECK_FALSE(selects_outside_namespace(block, "default"));
  }
}
