#include "graph/analysis/explain.hpp"
#include "graph/read/read_manifests.hpp"
#include "support.hpp"
#include "values/yaml_reader.hpp"

using namespace netpol;
using namespace netpol::graph;

namespace {

Blocked blocked(const Analysis& a, const std::string& from, const std::string& to,
                std::optional<std::string> port = std::nullopt) {
  std::optional<PortQuery> q;
  if (port) q = parse_port_query(*port);
  return explain_blocked(a, *a.graph.find(from), *a.graph.find(to), q);
}

std::vector<std::string> keys(const Blocked& b) {
  std::vector<std::string> out;
  for (const auto& k : b.keys) out.push_back(k.path + " @ " + k.where.str());
  return out;
}

}  // namespace

TEST_SUITE("graph: explain") {
  TEST_CASE("an allowed hop has nothing to explain") {
    Analysis a = test::analyze_values(test::kEnabled);
    CHECK(blocked(a, "ui", "query").reasons.empty());
  }

  TEST_CASE("neither side has a rule") {
    Analysis a = test::analyze_values(test::kEnabled);
    Blocked b = blocked(a, "meta", "janitor");
    CHECK(b.reasons == std::vector<std::string>{
                           "meta's egress has no rule for janitor (only DNS, on 53): add {app: "
                           "janitor, ports: [PORT]} to meta.networkPolicy.egressTo",
                           "janitor's ingress has no rule for meta: add {app: meta, ports: [PORT]} "
                           "to janitor.networkPolicy.ingressFrom"});
    CHECK(keys(b) ==
          std::vector<std::string>{"meta.networkPolicy.egressTo @ <defaults>:50:15",
                                   "janitor.networkPolicy.ingressFrom @ <defaults>:88:18"});
  }

  TEST_CASE("the destination admits, the source does not send") {
    Analysis a = test::analyze_values(test::kEnabled + "ui:\n  networkPolicy:\n    egressTo: []\n");
    Blocked b = blocked(a, "ui", "meta");
    REQUIRE(b.reasons.size() == 1);
    CHECK(b.reasons[0] ==
          "ui's egress has no rule for meta (only DNS, on 53): add {app: meta, ports: [9500]} to "
          "ui.networkPolicy.egressTo");
    CHECK(keys(b) == std::vector<std::string>{"ui.networkPolicy.egressTo @ values.yaml:6:15"});
  }

  TEST_CASE("the source sends, the destination does not admit") {
    Analysis a = test::analyze_values(
        test::kEnabled +
        "query:\n  networkPolicy:\n    allowExternal: false\n    ingressFrom: []\n");
    Blocked b = blocked(a, "ui", "query");
    REQUIRE(b.reasons.size() == 1);
    CHECK(b.reasons[0] ==
          "query's ingress has no rule for ui: add {app: ui, ports: [9510]} to "
          "query.networkPolicy.ingressFrom");
  }

  TEST_CASE("allowed, but not on the asked port") {
    Analysis a = test::analyze_values(test::kEnabled);
    Blocked b = blocked(a, "ui", "meta", "TCP/9999");
    CHECK(b.reasons ==
          std::vector<std::string>{"ui's egress allows meta only on TCP 53, 9500; UDP 53",
                                   "meta's ingress admits ui only on TCP 9500"});
  }

  TEST_CASE("any source, and a service that admits none") {
    Analysis a = test::analyze_values(test::kEnabled);
    Blocked b = blocked(a, "any-source", "meta");
    CHECK(b.reasons == std::vector<std::string>{
                           "meta's ingress admits nothing from any source: set "
                           "meta.networkPolicy.allowExternal: true (any source on its service "
                           "ports) or add a rule to meta.networkPolicy.additionalIngress"});
    CHECK(keys(b) ==
          std::vector<std::string>{"meta.networkPolicy.allowExternal @ <defaults>:37:20"});
  }

  TEST_CASE("externals need allowExternalEgress") {
    Analysis a = test::analyze_values(
        test::kEnabled + "janitor:\n  networkPolicy:\n    allowExternalEgress: false\n");
    Blocked b = blocked(a, "janitor", "ext:S3");
    CHECK(b.reasons == std::vector<std::string>{
                           "janitor.networkPolicy.allowExternalEgress is not true, so janitor gets "
                           "none of global.networkPolicy.externalEgress"});
    CHECK(keys(b) ==
          std::vector<std::string>{"janitor.networkPolicy.allowExternalEgress @ values.yaml:6:26"});
  }

  TEST_CASE("two nodes outside the chart") {
    Analysis a = test::analyze_values(test::kEnabled);
    CHECK(blocked(a, "any-source", "ext:S3").reasons ==
          std::vector<std::string>{"neither any-source nor ext:S3 is a chart service: the chart's "
                                   "policies do not govern traffic between them"});
  }
}

TEST_SUITE("graph: explain") {
  // Read from manifests, the fix is a NetworkPolicy's rule, not a values key.
  TEST_CASE("manifests: what blocks a hop to outside pods is said in NetworkPolicy terms") {
    std::vector<values::Value> docs = values::read_yaml_documents(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: db, namespace: default, labels: {app: db}}\n"
        "spec: {containers: [{name: c, ports: [{containerPort: 5432}]}]}\n---\n"
        "apiVersion: v1\nkind: Pod\nmetadata: {name: api, namespace: default, labels: {app: "
        "api}}\nspec: {containers: [{name: c}]}\n---\n"
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
        "metadata: {name: db, namespace: default}\nspec:\n  podSelector: {matchLabels: {app: db}}\n"
        "  policyTypes: [Ingress, Egress]\n"
        "  ingress: [{from: [{namespaceSelector: {matchLabels: {team: shop}}}]}]\n"
        "  egress: [{to: [{namespaceSelector: {matchLabels: {team: shop}}}]}]\n---\n"
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
        "metadata: {name: api, namespace: default}\nspec:\n  podSelector: {matchLabels: {app: "
        "api}}\n  policyTypes: [Ingress]\n",
        "m.yaml");
    Analysis a = analyze(read_manifests(docs, "default"), test::embedded_profile(), {"m.yaml"});
    // api's policy admits nothing: the shop's pods (a node through db's rules) cannot reach it.
    Blocked b = blocked(a, "sel:ns(team=shop)", "api");
    REQUIRE(b.reasons.size() == 1);
    CHECK(b.reasons[0] ==
          "api's ingress admits nothing from all pods in namespaces with team=shop: add an "
          "ingress rule admitting it to a NetworkPolicy that selects api");
    CHECK(b.reasons[0].find("networkPolicy.") == std::string::npos);
    CHECK(keys(b) == std::vector<std::string>{"Pod/default/api @ m.yaml:6:1"});
  }
}
