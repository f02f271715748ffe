// libFuzzer target: the small value parsers (CIDRs, ports, protocols, port names, OTLP
// endpoints, port queries), and flows files (check --flows: CSV or Hubble lines) read and
// checked against the production sample's graph.
#include <cstddef>
#include <cstdint>
#include <string>

#include "embedded.hpp"
#include "error.hpp"
#include "graph/analysis/analysis.hpp"
#include "graph/analysis/flows.hpp"
#include "graph/analysis/reach.hpp"
#include "graph/read/flows.hpp"
#include "graph/read/read_chart.hpp"
#include "graph/sets/address_set.hpp"
#include "graph/sets/cidr.hpp"
#include "graph/sets/ports.hpp"
#include "values/loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace netpol;
  std::string text(reinterpret_cast<const char*>(data), size);
  auto attempt = [](auto&& f) {
    try {
      f();
    } catch (const ValueError&) {
    }
  };
  attempt([&] {
    graph::Cidr c = graph::Cidr::parse(text);
    graph::AddressSet set;
    set.add({c, {}});
    (void)c.str();
  });
  attempt([&] { graph::parse_protocol(text); });
  attempt([&] { graph::check_port_name(text); });
  attempt([&] { graph::parse_otlp_endpoint(text); });
  attempt([&] { graph::parse_port_query(text); });
  // A graph with services, addresses with excepts, a selector peer and DNS, made once.
  static const graph::Analysis production = [] {
    values::Layers layers;
    layers.defaults = {"<defaults>", embedded::kChartValues};
    layers.files.push_back({"production.yaml", R"(global:
  networkPolicy:
    enabled: true
    externalEgress:
      - {name: S3, cidr: 10.0.0.0/16, except: [10.0.99.0/24], ports: [{port: 443}]}
ui:
  networkPolicy:
    additionalIngress:
      - from: [{namespaceSelector: {matchLabels: {team: edge}}, podSelector: {}}]
        ports: [{port: 8080}]
)"});
    return graph::analyze(values::load_values(layers),
                          graph::read_profile(values::read_yaml(embedded::kChartProfile, "<p>")),
                          "default", {});
  }();
  try {
    std::vector<graph::Flow> flows = graph::read_flows(text, "flows");
    for (const auto& f : flows) (void)f.from.shown(), (void)f.to.shown();
    (void)graph::check_flows(production, flows);
  } catch (const InputError&) {
  }
  return 0;
}
