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
    // meta admits no outside source by default, so the rule opens something new.
    std::string data_team = test::kEnabled +
                            "meta:\n  networkPolicy:\n    additionalIngress:\n      - from:\n"
                            "          - namespaceSelector: {matchLabels: {name: data-team}}\n"
                            "        ports: [9500]\n";
    Diff added = diff_of(test::kEnabled, data_team);
    REQUIRE(added.edges.size() == 1);
    CHECK(added.edges[0].change == Change::Added);
    CHECK(added.edges[0].from == "sel:ns(name=data-team)");
    CHECK(added.edges[0].new_ingress.at(0).path == "meta.networkPolicy.additionalIngress[0]");
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

  TEST_CASE("verdicts on access: renames, redundant rules, CIDRs, the whole internet") {
    // A name for an externalEgress entry changes no access: a rename, no change.
    Diff renamed =
        diff_of(test::kEnabled, test::kEnabled +
                                    "    externalEgress:\n      - {cidr: 0.0.0.0/0, name: blob, "
                                    "ports: [443]}\n      - {cidr: 0.0.0.0/0, ports: [5432]}\n");
    CHECK(renamed.empty());
    REQUIRE(renamed.renames.size() == 1);
    CHECK(renamed.renames[0].old_id == "ext:S3");
    CHECK(renamed.renames[0].new_id == "ext:blob");
    // A peer on ports query already admits from any source: redundant, not a widening.
    auto batch_to_query = [](const char* port) {
      return diff_of(test::kEnabled,
                     test::kEnabled +
                         "query:\n  networkPolicy:\n    additionalIngress:\n"
                         "      - from: [{podSelector: {matchLabels: {app: batch}}}]\n"
                         "        ports: [" +
                         port + "]\n");
    };
    Diff redundant = batch_to_query("9510");
    CHECK(redundant.empty());
    CHECK_FALSE(redundant.widens());
    REQUIRE(redundant.redundant.size() == 1);
    CHECK(redundant.redundant[0].from == "sel:pods(app=batch)");
    // The same rule on a port any source does not have is new access.
    Diff wider = batch_to_query("9511");
    CHECK(wider.widens());
    CHECK(wider.redundant.empty());
    // An unnamed CIDR made wider is one widened change per service, not removed + added.
    std::string cidr = test::kEnabled + "    externalEgress:\n      - cidr: ";
    Diff cidr_wider = diff_of(cidr + "10.1.0.0/16\n        ports: [8443]\n",
                              cidr + "10.0.0.0/15\n        ports: [8443]\n");
    REQUIRE(cidr_wider.edges.size() == 6);
    for (const auto& e : cidr_wider.edges) {
      CHECK(e.change == Change::Widened);
      CHECK(e.to == "ext:10.0.0.0/15");
      CHECK(e.was == "ext:10.1.0.0/16");
    }
    // 0.0.0.0/0 is any source: meta is exposed in one hop.
    Diff internet = diff_of(test::kEnabled, test::kEnabled +
                                                "meta:\n  networkPolicy:\n    additionalIngress:\n"
                                                "      - from: [{ipBlock: {cidr: 0.0.0.0/0}}]\n");
    REQUIRE(internet.edges.size() == 1);
    CHECK(internet.edges[0].from == "any-source");
    REQUIRE(internet.exposure.size() == 1);
    CHECK(internet.exposure[0].path == std::vector<std::string>{"any-source", "meta"});
    CHECK(internet.exposure[0].old_hops == 2);
    // A removal cites the new line that removed it.
    Diff removed = diff_of(test::kEnabled,
                           test::kEnabled + "query:\n  networkPolicy:\n    allowExternal: false\n");
    REQUIRE(removed.edges.size() == 1);
    CHECK(removed.edges[0].change == Change::Removed);
    REQUIRE(removed.edges[0].removed_by.size() == 1);
    CHECK(removed.edges[0].removed_by[0].path == "query.networkPolicy.allowExternal");
    CHECK(removed.edges[0].removed_by[0].where.str() == "values.yaml:6:20");
  }

  TEST_CASE("egress to anywhere does not stand for a chart service's ingress") {
    // ui may send anywhere; meta stops admitting it. ui's egress is unchanged, but meta's
    // ingress decides whether ui reaches it: removed, not redundant.
    std::string ui_anywhere = "ui:\n  networkPolicy:\n    additionalEgress:\n      - {}\n";
    Diff d = diff_of(test::kEnabled + ui_anywhere,
                     test::kEnabled + ui_anywhere +
                         "meta:\n  networkPolicy:\n    ingressFrom:\n      - app: query\n"
                         "        ports: [9500]\n");
    const EdgeDiff* e = find(d, "ui", "meta");
    REQUIRE(e);
    CHECK(e->change == Change::Removed);
    CHECK(e->old_ports.label() == "TCP 9500");
    for (const auto& r : d.redundant) CHECK_FALSE((r.from == "ui" && r.to == "meta"));
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
