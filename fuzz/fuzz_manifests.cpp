// libFuzzer target: rendered manifests (a YAML stream) through the manifests reader, the
// whole pipeline and every text format, and back out as manifests; read as the command line
// reads them (JSON as JSON, unread fields skipped) and as plain YAML: where both read it,
// the graphs are the same.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "embedded.hpp"
#include "error.hpp"
#include "exporters/manifests.hpp"
#include "graph/analysis/analysis.hpp"
#include "graph/read/read_manifests.hpp"
#include "values/yaml_reader.hpp"
#include "write_all.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace netpol;
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    graph::Profile profile =
        graph::read_profile(values::read_yaml(embedded::kChartProfile, "<profile>"));
    auto docs = values::read_yaml_documents(text, "fuzz.yaml");
    graph::Analysis analysis = graph::analyze(graph::read_manifests(docs, "default"), profile, {});
    std::ostringstream out;
    fuzz::write_all(analysis, out);
    exporters::write_manifests(analysis, true, out);
    // The command line's reading: the same graph (a JSON-only spelling YAML refuses, as
    // `\/`, is not reached: the plain reading threw above).
    values::ReadLimits cli;
    cli.json = true;
    cli.skip = &graph::manifest_skip();
    graph::Analysis b = graph::analyze(
        graph::read_manifests(values::read_yaml_documents(text, "fuzz.yaml", cli), "default"),
        std::move(profile), {});
    std::ostringstream plain, fast;
    exporters::write_manifests(analysis, true, plain);
    exporters::write_manifests(b, true, fast);
    if (plain.str() != fast.str()) std::abort();
  } catch (const Error&) {
    // refusing bad input with a message is the expected outcome
  }
  return 0;
}
