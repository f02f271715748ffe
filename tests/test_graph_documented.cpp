#include "support.hpp"

using namespace netpol;
using namespace netpol::graph;

TEST_SUITE("graph: documented") {
  TEST_CASE("the chart defaults: five services may reach PostgreSQL though only meta needs it") {
    Analysis a = test::analyze_values(test::kEnabled);
    const auto& over = a.documented_vs_effective.over_permissions;
    std::vector<std::string> services;
    for (const auto& o : over) {
      CHECK(o.destination == "ext:PostgreSQL");
      CHECK(o.ports.label() == "TCP 5432");
      services.push_back(o.service);
    }
    CHECK(services == std::vector<std::string>{"query", "ingest", "janitor", "ui", "nursery"});
    CHECK(over[0].opened_by.at(0).path == "query.networkPolicy.allowExternalEgress");
    CHECK(a.documented_vs_effective.broken_dependencies.empty());
    CHECK(a.documented_vs_effective.over_permitted("ui", "ext:PostgreSQL"));
    CHECK_FALSE(a.documented_vs_effective.over_permitted("meta", "ext:PostgreSQL"));
  }

  TEST_CASE("a service that still needs S3 but lost allowExternalEgress") {
    Analysis a = test::analyze_values(
        test::kEnabled + "nursery:\n  networkPolicy:\n    allowExternalEgress: false\n");
    const auto& broken = a.documented_vs_effective.broken_dependencies;
    REQUIRE(broken.size() == 1);
    CHECK(broken[0].service == "nursery");
    CHECK(broken[0].need == "S3");
    CHECK(broken[0].reason ==
          "nursery.networkPolicy.allowExternalEgress is not true, so nursery gets no "
          "externalEgress entry");
    CHECK(broken[0].key.where.str() == "values.yaml:6:26");
  }

  TEST_CASE("needs are met by coverage, whatever the entry is called") {
    // A named entry: the chart ignores `name:`, so S3 is still reachable.
    Analysis named = test::analyze_values(
        test::kEnabled +
        "    externalEgress:\n      - {cidr: 0.0.0.0/0, name: blob, ports: [443]}\n"
        "      - {cidr: 0.0.0.0/0, ports: [5432]}\n");
    CHECK(named.documented_vs_effective.broken_dependencies.empty());
    CHECK(named.documented_vs_effective.over_permissions.size() == 5);  // PostgreSQL, as before
    CHECK_FALSE(named.documented_vs_effective.over_permitted("ui", "ext:blob"));
    // The documented map shows the entry's own name for the need it meets.
    CHECK(named.documented().rows.at(4).egress_to ==
          std::vector<std::string>{"query", "meta", "blob"});
    // Wider ports cover the need; the ports beyond it are over-permission.
    Analysis wide =
        test::analyze_values(test::kEnabled +
                             "    externalEgress:\n      - cidr: 10.0.0.0/8\n        ports:\n"
                             "          - {port: 1, endPort: 1000, protocol: TCP}\n");
    const auto& broken = wide.documented_vs_effective.broken_dependencies;
    REQUIRE(broken.size() == 1);  // 5432 is not in 1-1000
    CHECK(broken[0].service == "meta");
    CHECK(broken[0].need == "PostgreSQL");
    CHECK(wide.documented_vs_effective.over_permitted("meta", "ext:10.0.0.0/8"));
    CHECK(wide.documented().rows.at(0).egress_to == std::vector<std::string>{"S3"});
  }

  TEST_CASE("no entry reaches a need") {
    Analysis a = test::analyze_values(
        test::kEnabled + "    externalEgress:\n      - cidr: 10.1.0.0/24\n        ports: [5432]\n");
    const auto& broken = a.documented_vs_effective.broken_dependencies;
    REQUIRE(broken.size() == 6);  // every service needs S3
    CHECK(broken[0].reason ==
          "no global.networkPolicy.externalEgress entry reaches S3 (the profile names TCP 443 "
          "\"S3\"; add an entry with that port, or one with name: S3)");
    CHECK(a.documented_vs_effective.over_permissions.size() == 5);  // PostgreSQL, narrowed
  }

  TEST_CASE("policies off: nothing to compare") {
    Analysis a = test::analyze_values("");
    CHECK(a.documented_vs_effective.over_permissions.empty());
    CHECK(a.documented_vs_effective.broken_dependencies.empty());
  }

  TEST_CASE("the effective table marks over-permitted cells") {
    Analysis a = test::analyze_values(test::kEnabled);
    CHECK(a.effective().has_undocumented);
    CHECK(a.effective().rows[1].egress_to ==
          std::vector<std::string>{"meta", "S3", "PostgreSQL (undocumented)"});
    CHECK(a.effective().rows[0].egress_to == std::vector<std::string>{"S3", "PostgreSQL"});
    CHECK_FALSE(a.documented().has_undocumented);
  }
}
