#include "graph/diff.hpp"
#include "support.hpp"

using namespace netpol;
using namespace netpol::graph;

namespace {

Diff diff_of(const std::string& old_yaml, const std::string& new_yaml) {
  return diff_analyses(test::analyze_values(old_yaml), test::analyze_values(new_yaml));
}

const EdgeDiff* find(const Diff& d, const std::string& from, const std::string& to) {
  for (const auto& e : d.edges)
    if (e.from == from && e.to == to) return &e;
  return nullptr;
}

const std::string kProduction = test::kEnabled +
                                "    externalEgress:\n"
                                "      - cidr: 10.0.0.0/16\n        ports: [443]\n"
                                "      - cidr: 10.1.0.0/24\n        ports: [5432]\n";

}  // namespace

TEST_SUITE("graph: diff") {
  TEST_CASE("identical access, however it is written") {
    CHECK(diff_of(test::kEnabled, test::kEnabled).empty());
    Diff d = diff_of(test::kEnabled,
                     "global: {networkPolicy: {enabled: yes, externalEgress: [\n"
                     "  {cidr: 0.0.0.0/1, ports: [443]}, {cidr: 128.0.0.0/1, ports: [443]},\n"
                     "  {cidr: 0.0.0.0/0, ports: [{port: 5432, protocol: TCP}]}]}}\n");
    CHECK(d.empty());
    CHECK_FALSE(d.widens());
  }

  TEST_CASE("narrowing external egress") {
    Diff d = diff_of(test::kEnabled, kProduction);
    CHECK(d.edges.size() == 12);
    const EdgeDiff* e = find(d, "ui", "ext:PostgreSQL");
    REQUIRE(e);
    CHECK(e->change == Change::Narrowed);
    CHECK(e->addresses == Change::Narrowed);
    CHECK(e->old_addresses == "0.0.0.0/0");
    CHECK(e->new_addresses == "10.1.0.0/24");
    CHECK(e->new_egress.at(1).path == "global.networkPolicy.externalEgress[1]");
    CHECK(e->new_egress.at(1).where.str() == "values.yaml:7:9");
    CHECK_FALSE(d.widens());
  }

  TEST_CASE("widening is the reverse") {
    Diff d = diff_of(kProduction, test::kEnabled);
    CHECK(find(d, "ui", "ext:PostgreSQL")->change == Change::Widened);
    CHECK(d.widens());
  }

  TEST_CASE("ports added, removed, widened, narrowed and changed") {
    std::string base =
        test::kEnabled +
        "query:\n  networkPolicy:\n    ingressFrom:\n      - app: ui\n        ports: [";
    std::string tail = "]\n      - app: janitor\n        ports: [9510]\n    allowExternal: false\n";
    auto ports_change = [&](const char* before, const char* after) {
      Diff d = diff_of(base + before + tail, base + after + tail);
      std::string ui_egress = "ui:\n  networkPolicy:\n    egressTo: [{app: query}]\n";
      d = diff_of(base + before + tail + ui_egress, base + after + tail + ui_egress);
      return d;
    };
    Diff wider = ports_change("9510", "9510, 9511");
    REQUIRE(find(wider, "ui", "query"));
    CHECK(find(wider, "ui", "query")->change == Change::Widened);
    CHECK(find(wider, "ui", "query")->added_ports.label() == "TCP 9511");
    Diff narrower = ports_change("9510, 9511", "9510");
    CHECK(find(narrower, "ui", "query")->change == Change::Narrowed);
    CHECK(find(narrower, "ui", "query")->removed_ports.label() == "TCP 9511");
    Diff changed = ports_change("9510", "9511");
    CHECK(find(changed, "ui", "query")->change == Change::Changed);
    CHECK(changed.widens());
    Diff removed = ports_change("9510", "1");  // ui egresses to query on all ports; query admits 1
    CHECK(find(removed, "ui", "query")->change == Change::Changed);
  }

  TEST_CASE("edges added and removed, with the keys on the side that has them") {
    std::string data_team = test::kEnabled +
                            "query:\n  networkPolicy:\n    additionalIngress:\n      - from:\n"
                            "          - namespaceSelector: {matchLabels: {name: data-team}}\n"
                            "        ports: [9510]\n";
    Diff added = diff_of(test::kEnabled, data_team);
    REQUIRE(added.edges.size() == 1);
    CHECK(added.edges[0].change == Change::Added);
    CHECK(added.edges[0].from == "sel:ns(name=data-team)");
    CHECK(added.edges[0].new_ingress.at(0).path == "query.networkPolicy.additionalIngress[0]");
    Diff removed = diff_of(data_team, test::kEnabled);
    REQUIRE(removed.edges.size() == 1);
    CHECK(removed.edges[0].change == Change::Removed);
    CHECK(removed.edges[0].old_ingress.at(0).where.str() == "values.yaml:7:9");
    CHECK_FALSE(removed.widens());
  }

  TEST_CASE("newly reachable from any-source, with the path") {
    Diff d = diff_of(test::kEnabled,
                     test::kEnabled + "janitor:\n  networkPolicy:\n    allowExternal: true\n");
    std::vector<std::string> nodes;
    for (const auto& x : d.exposure) {
      CHECK(x.change == Change::Added);
      nodes.push_back(x.node);
    }
    CHECK(nodes == std::vector<std::string>{"janitor"});
    CHECK(d.exposure[0].path == std::vector<std::string>{"any-source", "janitor"});
    CHECK(d.widens());
  }

  TEST_CASE("policies switched on or off are summarised, not listed") {
    Diff off = diff_of(test::kEnabled, "");
    CHECK(off.policies_switched());
    CHECK(off.edges.empty());
    CHECK(off.widens());
    Diff on = diff_of("", test::kEnabled);
    CHECK(on.policies_switched());
    CHECK_FALSE(on.widens());
    CHECK_FALSE(on.empty());
  }

  TEST_CASE("services that appear or disappear") {
    Diff d =
        diff_of(test::kEnabled,
                test::kEnabled + "nursery:\n  networkPolicy: null\nextra:\n  networkPolicy: {}\n");
    REQUIRE(d.services.size() == 2);
    CHECK(d.services[0].change == Change::Added);
    CHECK(d.services[0].name == "extra");
    CHECK(d.services[1].change == Change::Removed);
    CHECK(d.services[1].name == "nursery");
  }
}
