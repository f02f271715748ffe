// libFuzzer target: a values file through the whole pipeline to every text format.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "embedded.hpp"
#include "error.hpp"
#include "graph/analysis/analysis.hpp"
#include "values/loader.hpp"
#include "write_all.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace netpol;
  values::Layers layers;
  layers.defaults = {"<defaults>", embedded::kChartValues};
  layers.files.push_back({"fuzz.yaml", std::string(reinterpret_cast<const char*>(data), size)});
  try {
    graph::Profile profile =
        graph::read_profile(values::read_yaml(embedded::kChartProfile, "<profile>"));
    graph::Analysis a =
        graph::analyze(values::load_values(layers), std::move(profile), "default", {});
    std::ostringstream out;
    fuzz::write_all(a, out);
  } catch (const Error&) {
    // refusing bad input with a message is the expected outcome
  }
  return 0;
}
