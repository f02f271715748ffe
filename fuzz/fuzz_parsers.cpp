// libFuzzer target: the small value parsers (CIDRs, ports, protocols, port names, OTLP
// endpoints, port queries).
#include <cstddef>
#include <cstdint>
#include <string>

#include "error.hpp"
#include "graph/analysis/reach.hpp"
#include "graph/read/read_chart.hpp"
#include "graph/sets/address_set.hpp"
#include "graph/sets/cidr.hpp"
#include "graph/sets/ports.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace netpol;
  std::string s(reinterpret_cast<const char*>(data), size);
  auto attempt = [](auto&& f) {
    try {
      f();
    } catch (const ValueError&) {
    }
  };
  attempt([&] {
    graph::Cidr c = graph::Cidr::parse(s);
    graph::AddressSet set;
    set.add({c, {}});
    (void)c.str();
  });
  attempt([&] { graph::parse_protocol(s); });
  attempt([&] { graph::check_port_name(s); });
  attempt([&] { graph::parse_otlp_endpoint(s); });
  attempt([&] { graph::parse_port_query(s); });
  return 0;
}
