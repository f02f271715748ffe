// libFuzzer target: rendered manifests (a YAML stream) through the manifests reader, the
// whole pipeline and every text format, and back out as manifests.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "embedded.hpp"
#include "error.hpp"
#include "write_all.hpp"
#include "exporters/manifests.hpp"
#include "graph/analysis.hpp"
#include "graph/read_manifests.hpp"
#include "values/yaml_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace netpol;
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    graph::Profile profile =
        graph::read_profile(values::read_yaml(embedded::kChartProfile, "<profile>"));
    auto docs = values::read_yaml_documents(text, "fuzz.yaml");
    graph::Analysis a =
        graph::analyze(graph::read_manifests(docs, "default"), std::move(profile), {});
    std::ostringstream out;
    fuzz::write_all(a, out);
    exporters::write_manifests(a, true, out);
  } catch (const Error&) {
    // refusing bad input with a message is the expected outcome
  }
  return 0;
}
