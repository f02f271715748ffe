#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "graph/read/key_check.hpp"
#include "support.hpp"
#include "values/yaml_reader.hpp"

using namespace netpol;
using namespace netpol::graph;

namespace {

std::vector<Warning> check_keys(const std::string& yaml) {
  values::Value defaults = values::read_yaml(embedded::kChartValues, "<defaults>");
  return unknown_keys(test::merged_values(yaml), defaults);
}

std::vector<std::string> warning_paths(const std::vector<Warning>& ws) {
  std::vector<std::string> out;
  for (const auto& w : ws) out.push_back(w.where.path);
  return out;
}

}  // namespace

TEST_SUITE("graph: key_check") {
  TEST_CASE("the chart defaults and every sample have no unknown key") {
    CHECK(check_keys("").empty());
    for (const auto& e : std::filesystem::directory_iterator(NETPOL_SAMPLES_DIR)) {
      if (e.path().extension() != ".yaml") continue;
      std::ifstream in(e.path());
      std::stringstream text;
      text << in.rdbuf();
      INFO(e.path());
      CHECK(check_keys(text.str()).empty());
    }
  }

  TEST_CASE("a warning points at the key, through --set, merge keys and layers") {
    values::Value defaults = values::read_yaml(embedded::kChartValues, "<defaults>");
    auto where = [&](const std::string& yaml, std::vector<std::string> set) {
      std::vector<std::string> out;
      for (const auto& w : unknown_keys(test::merged_values(yaml, std::move(set)), defaults))
        out.push_back(w.where.path + " @ " + w.where.where.str());
      return out;
    };
    CHECK(where("", {"query.networkPolicy.allowExternl=true"}) ==
          std::vector<std::string>{"query.networkPolicy.allowExternl @ <--set 1>:1:21"});
    CHECK(where("query:\n  networkPolicy:\n    ingressFrom:\n      - {app: ui, prot: 1}\n", {}) ==
          std::vector<std::string>{"query.networkPolicy.ingressFrom[0].prot @ values.yaml:4:19"});
    // Through a merge key: where the merged map writes it.
    CHECK(where("base: &b {allowExternl: true}\nquery:\n  networkPolicy:\n    <<: *b\n", {}) ==
          std::vector<std::string>{"query.networkPolicy.allowExternl @ values.yaml:1:11"});
    // A later layer's key replaces an earlier one's value and position.
    CHECK(where("ui:\n  networkPolicy:\n    allowExternl: true\n",
                {"ui.networkPolicy.allowExternl=false"}) ==
          std::vector<std::string>{"ui.networkPolicy.allowExternl @ <--set 1>:1:18"});
  }

  TEST_CASE("every level of the schema, with the key meant") {
    auto ws = check_keys(
        "global:\n  networkPolicy:\n    enabeld: true\n"
        "    externalEgress:\n      - {cidr: 10.0.0.0/8, nmae: x, ports: [{port: 443, prot: "
        "TCP}]}\n"
        "query:\n  networkPolicy:\n    allowExternl: false\n"
        "    ingressFrom:\n      - {app: ui, prts: [1]}\n"
        "    additionalIngress:\n"
        "      - from:\n          - podSelector: {matchLabel: {a: b}}\n"
        "            ipBlok: {cidr: 10.0.0.0/8}\n"
        "          - namespaceSelector:\n              matchExpressions:\n"
        "                - {key: a, operater: In, values: [x]}\n"
        "          - ipBlock: {cidr: 10.0.0.0/8, excpt: [10.1.0.0/16]}\n"
        "        port: [1]\n"
        "    additionalEgress:\n      - {from: [], ports: [1]}\n"
        "metaa:\n  networkPolicy: {}\n"
        "image: {tag: latest}\n"  // outside the network-policy parts: not checked
        "meta:\n  service: {type: ClusterIP}\n");
    CHECK(warning_paths(ws) ==
          std::vector<std::string>{
              "global.networkPolicy.enabeld",
              "global.networkPolicy.externalEgress[0].nmae",
              "global.networkPolicy.externalEgress[0].ports[0].prot",
              "query.networkPolicy.allowExternl",
              "query.networkPolicy.ingressFrom[0].prts",
              "query.networkPolicy.additionalIngress[0].port",
              "query.networkPolicy.additionalIngress[0].from[0].ipBlok",
              "query.networkPolicy.additionalIngress[0].from[0].podSelector.matchLabel",
              "query.networkPolicy.additionalIngress[0].from[1].namespaceSelector."
              "matchExpressions[0].operater",
              "query.networkPolicy.additionalIngress[0].from[2].ipBlock.excpt",
              "query.networkPolicy.additionalEgress[0].from",
              "metaa",
          });
    REQUIRE(ws.size() == 12);
    CHECK(ws[0].code == "unknown-key");
    CHECK(ws[0].message ==
          "\"enabeld\" is not a networkPolicy key of the chart (did you mean \"enabled\"?); Helm "
          "ignores it, so it changes nothing");
    CHECK(ws[0].where.where.str() == "values.yaml:3:5");  // the key, not its value
    CHECK(ws[0].fix == "write \"enabled\"");
    CHECK(ws[2].message.find("did you mean \"protocol\"") != std::string::npos);
    CHECK(ws[11].message.find("did you mean \"meta\"") != std::string::npos);
  }

  TEST_CASE("--defaults decides the schema") {
    values::Value defaults = values::read_yaml(
        "global: {networkPolicy: {enabled: false, extra: 1}}\nsvc: {networkPolicy: {x: 1}}\n",
        "<defaults>");
    values::Value user = values::read_yaml(
        "global: {networkPolicy: {extra: 2}}\nsvc: {networkPolicy: {x: 2, allowExternal: true}}\n",
        "values.yaml");
    CHECK(warning_paths(unknown_keys(user, defaults)) ==
          std::vector<std::string>{"svc.networkPolicy.allowExternal"});
  }
}

TEST_SUITE("graph: key_check") {
  TEST_CASE("a typo that changes a rule's meaning says what it does") {
    auto ws = check_keys(
        "meta:\n  networkPolicy:\n    additionalIngress:\n"
        "      - form: [{podSelector: {matchLabels: {app: grafana}}}]\n        ports: [9090]\n"
        "      - from: [{podSelector: {matchLabel: {app: grafana}}}]\n        prots: [9091]\n"
        "    additionalEgress:\n      - too: [{ipBlock: {cidr: 10.0.0.0/8}}]\n"
        "      - to: [{ipBlock: {cidr: 10.0.0.0/8}}]\n        ports: [443]\n        extra: 1\n");
    REQUIRE(ws.size() == 5);
    std::map<std::string, std::string> by_path;
    for (const auto& w : ws) by_path[w.where.path] = w.message;
    auto says = [&](const std::string& path, const std::string& text) {
      INFO(path);
      REQUIRE(by_path.count(path));
      CHECK(by_path[path].find(text) != std::string::npos);
    };
    says("meta.networkPolicy.additionalIngress[0].form",
         "Helm ignores it: without \"from\", this rule admits every source on its ports");
    says("meta.networkPolicy.additionalIngress[1].prots",
         "Helm ignores it: without \"ports\", this rule allows every port");
    says("meta.networkPolicy.additionalIngress[1].from[0].podSelector.matchLabel",
         "this selector is empty and selects everything");
    says("meta.networkPolicy.additionalEgress[0].too",
         "without \"to\", this rule allows every destination on every port");
    // A key that changes nothing of the rule's meaning still says so.
    says("meta.networkPolicy.additionalEgress[1].extra", "Helm ignores it, so it changes nothing");
  }
}
