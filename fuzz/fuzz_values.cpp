// libFuzzer target: a values file through the whole pipeline to every text format.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "embedded.hpp"
#include "error.hpp"
#include "exporters/dot.hpp"
#include "exporters/json.hpp"
#include "exporters/markdown_table.hpp"
#include "exporters/mermaid.hpp"
#include "graph/analysis.hpp"
#include "values/loader.hpp"

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
    exporters::write_markdown_table(a.documented, out);
    exporters::write_markdown_table(a.effective, out);
    exporters::write_dot(a, {}, out);
    exporters::write_json(a, out);
    exporters::write_mermaid(a, {}, out);
  } catch (const Error&) {
    // refusing bad input with a message is the expected outcome
  }
  return 0;
}
