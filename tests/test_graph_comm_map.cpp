#include "support.hpp"

using namespace netpol;
using namespace netpol::graph;

namespace {
const MapRow& row(const CommunicationMap& m, const std::string& service) {
  for (const auto& r : m.rows)
    if (r.service == service) return r;
  FAIL("no row for " << service);
  throw;
}
using Cells = std::vector<std::string>;
}  // namespace

TEST_SUITE("graph: comm_map") {
  TEST_CASE("documented view: peers in the service's own order, documented externals") {
    Analysis a = test::analyze_values(test::kEnabled);
    CHECK(row(a.documented(), "meta").ingress_from ==
          Cells{"query", "ingest", "janitor", "ui", "nursery"});
    CHECK(row(a.documented(), "ui").egress_to == Cells{"query", "meta", "S3"});
    CHECK(row(a.documented(), "ui").ingress_from == Cells{"(external ingress controller)"});
    CHECK(row(a.documented(), "query").external_ingress);
    CHECK_FALSE(row(a.documented(), "janitor").external_ingress);
    CHECK(row(a.documented(), "janitor").ingress_from.empty());
    CHECK(a.documented().dns_everywhere);
  }

  TEST_CASE("effective view: every destination the policies allow") {
    Analysis a = test::analyze_values(test::kEnabled);
    CHECK(row(a.effective(), "query").egress_to ==
          Cells{"meta", "S3", "PostgreSQL (undocumented)"});
  }

  TEST_CASE("a documented need the policies do not allow is not shown") {
    Analysis a = test::analyze_values(test::kEnabled +
                                      "meta:\n  networkPolicy:\n    allowExternalEgress: false\n");
    CHECK(row(a.documented(), "meta").egress_to.empty());
  }

  TEST_CASE("a service the profile does not describe shows its effective externals") {
    Analysis a = test::analyze_values(test::kEnabled +
                                      "extra:\n  networkPolicy:\n    allowExternalEgress: true\n");
    CHECK(row(a.documented(), "extra").egress_to == Cells{"S3", "PostgreSQL"});
  }

  TEST_CASE("outside sources are listed in parentheses") {
    Analysis a = test::analyze_values(
        test::kEnabled +
        "query:\n  networkPolicy:\n    additionalIngress:\n      - from:\n"
        "          - namespaceSelector: {matchLabels: {name: data-team}}\n        ports: [9510]\n");
    CHECK(row(a.documented(), "query").ingress_from ==
          Cells{"ui", "janitor", "(all pods in namespaces with name=data-team)"});
  }

  TEST_CASE("policies disabled") {
    Analysis a = test::analyze_values("");
    CHECK_FALSE(a.documented().policies_enabled);
    CHECK_FALSE(a.documented().dns_everywhere);
  }
}
