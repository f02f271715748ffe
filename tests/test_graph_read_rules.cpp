// graph/read/read_rules: the rule-shaped parts of the values, each read at its node, and each
// error naming the node's file, line, column and values path.
#include "graph/read/read_rules.hpp"

#include "support.hpp"
#include "values/yaml_reader.hpp"

using namespace netpol;
using namespace netpol::graph;

namespace {

// Reads `yaml` (a map) and hands its key `key` to `read`.
template <typename F>
auto read_at(const std::string& yaml, const std::string& key, F&& read) {
  values::Value doc = values::read_yaml(yaml, "r.yaml");
  return read(values::Cursor::root(doc)[key]);
}

std::string tokens(const PortSet& p) {
  std::string out;
  for (const auto& t : p.tokens()) out += (out.empty() ? "" : ", ") + t;
  return out;
}

}  // namespace

TEST_SUITE("graph: read_rules") {
  TEST_CASE("ports: numbers, names, {port, protocol, endPort}, none means every port") {
    auto ports = [](const std::string& yaml) {
      return read_at(yaml, "ports", [](const values::Cursor& c) { return read_ports(c); });
    };
    CHECK(tokens(ports("ports: [9500]\n")) == "TCP/9500");
    CHECK(tokens(ports("ports: [{port: 53, protocol: UDP}, {port: 8000, endPort: 8010}]\n")) ==
          "TCP/8000-8010, UDP/53");
    CHECK(tokens(ports("ports: [metrics]\n")) == "TCP/metrics");
    CHECK(tokens(ports("ports: [0x2526]\n")) == "TCP/9510");  // as Helm reads numbers
    CHECK(ports("other: 1\n") == PortSet::all());
    CHECK(ports("ports: []\n") == PortSet::all());
    CHECK(test::input_error([&] { ports("ports: [70000]\n"); }) ==
          "r.yaml:1:9: ports[0]: port 70000 is not in 1-65535");
    CHECK(test::input_error([&] {
            ports("ports: [{port: 9000, endPort: 8000}]\n");
          }).rfind("r.yaml:1:", 0) == 0);
  }

  TEST_CASE("selectors: matchLabels and matchExpressions in one canonical form") {
    auto selector = [](const std::string& yaml) {
      return read_at(yaml, "s", [](const values::Cursor& c) { return read_selector(c); });
    };
    LabelSelector a = selector("s: {matchLabels: {app: x, tier: db}}\n");
    LabelSelector b = selector(
        "s:\n  matchExpressions:\n    - {key: tier, operator: In, values: [db]}\n"
        "  matchLabels: {app: x}\n");
    CHECK(a.str() == b.str());
    CHECK(a.matches({{"app", "x"}, {"tier", "db"}}));
    CHECK_FALSE(a.matches({{"app", "x"}}));
    CHECK(selector("s: {}\n").empty());
    CHECK(test::input_error([&] {
            selector("s:\n  matchExpressions:\n    - {key: a, operator: Near, values: [b]}\n");
          }).find("matchExpressions[0].operator") != std::string::npos);
  }

  TEST_CASE("ipBlock: every except inside the cidr") {
    auto block = [](const std::string& yaml) {
      values::Value doc = values::read_yaml(yaml, "r.yaml");
      auto c = values::Cursor::root(doc)["b"];
      return read_ip_block(c, c["cidr"], c["except"]);
    };
    CHECK(block("b: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}\n").str() ==
          "10.0.0.0/8 except 10.1.0.0/16");
    CHECK(test::input_error([&] {
            block("b: {cidr: 10.0.0.0/16, except: [192.168.0.0/24]}\n");
          }).rfind("r.yaml:1:", 0) == 0);
  }

  TEST_CASE("peer rules and raw rules keep their provenance") {
    Rule peer = read_at("e: {app: query, ports: [9510]}\n", "e",
                        [](const values::Cursor& c) { return read_peer_rule(c); });
    CHECK(peer.name == "query");
    CHECK(tokens(peer.ports) == "TCP/9510");
    REQUIRE_FALSE(peer.provenance.empty());
    CHECK(peer.provenance[0].path == "e");
    CHECK(peer.provenance[0].where.str() == "r.yaml:1:4");
    Rule raw = read_at("r:\n  from:\n    - ipBlock: {cidr: 10.0.0.0/8}\n  ports: [{port: 80}]\n",
                       "r", [](const values::Cursor& c) { return read_raw_rule(c, true); });
    REQUIRE(raw.peers.size() == 1);
    REQUIRE(raw.peers[0].ip_block);
    CHECK(raw.peers[0].ip_block->str() == "10.0.0.0/8");
    CHECK_FALSE(raw.any_peer);
    Rule open = read_at("r: {ports: [{port: 80}]}\n", "r",
                        [](const values::Cursor& c) { return read_raw_rule(c, false); });
    CHECK(open.any_peer);  // no `to`: every destination
  }
}
