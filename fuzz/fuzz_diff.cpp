// libFuzzer target: the diff of two values files, split at the first NUL byte.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "embedded.hpp"
#include "error.hpp"
#include "exporters/diagram.hpp"
#include "exporters/diff.hpp"
#include "graph/analysis/diff.hpp"
#include "values/loader.hpp"

namespace {
netpol::graph::Analysis side(const std::string& text) {
  using namespace netpol;
  values::Layers layers;
  layers.defaults = {"<defaults>", embedded::kChartValues};
  layers.files.push_back({"side.yaml", text});
  graph::Profile profile =
      graph::read_profile(values::read_yaml(embedded::kChartProfile, "<profile>"));
  return graph::analyze(values::load_values(layers), std::move(profile), "default", {});
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string all(reinterpret_cast<const char*>(data), size);
  auto cut = all.find('\0');
  std::string old_text = all.substr(0, cut);
  std::string new_text = cut == std::string::npos ? "" : all.substr(cut + 1);
  try {
    auto a = side(old_text);
    auto b = side(new_text);
    netpol::graph::DiffReport report{a, b, netpol::graph::diff_analyses(a, b)};
    std::ostringstream out;
    netpol::exporters::write_diff_text(report, out);
    netpol::exporters::write_diff_json(report, out);
    netpol::exporters::DiagramOptions whole, small;
    small.max_nodes = 1;  // changes only, sfdp
    netpol::exporters::write_diff_dot(report, whole, out);
    netpol::exporters::write_diff_dot(report, small, out);
  } catch (const netpol::Error&) {
  }
  return 0;
}
