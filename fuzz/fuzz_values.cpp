// libFuzzer target: a values file through the whole pipeline to every text format; and, where
// the policies are on, suggest's overlay, written, read back as the last layer and analysed:
// it must only narrow and keep every need (a widening or a lost need aborts).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

#include "embedded.hpp"
#include "error.hpp"
#include "exporters/overlay.hpp"
#include "graph/analysis/analysis.hpp"
#include "graph/analysis/least_privilege.hpp"
#include "values/loader.hpp"
#include "write_all.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace netpol;
  values::Layers layers;
  layers.defaults = {"<defaults>", embedded::kChartValues};
  layers.files.push_back({"fuzz.yaml", std::string(reinterpret_cast<const char*>(data), size)});
  auto profile = [] {
    return graph::read_profile(values::read_yaml(embedded::kChartProfile, "<profile>"));
  };
  std::string overlay;
  try {
    graph::Analysis analysis =
        graph::analyze(values::load_values(layers), profile(), "default", {});
    std::ostringstream out;
    fuzz::write_all(analysis, out);
    if (!analysis.chart.enabled) return 0;
    graph::Suggestion suggestion = graph::suggest(analysis, {});
    std::ostringstream text;
    exporters::write_overlay_yaml(suggestion, {"fuzz"}, text);
    overlay = text.str();
    layers.files.push_back({"overlay.yaml", overlay});
    graph::Analysis after = graph::analyze(values::load_values(layers), profile(), "default", {});
    graph::SuggestCheck c = graph::check_suggestion(analysis, after);
    if (!c.ok()) {
      std::fprintf(stderr, "suggest's overlay %s:\n%s\n", c.widens ? "widens" : "loses an ask",
                   overlay.c_str());
      for (const auto& b : c.broken) std::fprintf(stderr, "  %s\n", b.c_str());
      std::abort();
    }
  } catch (const InputError& e) {
    // The overlay must read back; the inputs may be refused with a message.
    if (!overlay.empty()) {
      std::fprintf(stderr, "suggest's overlay does not read back: %s\n%s\n", e.what(),
                   overlay.c_str());
      std::abort();
    }
  } catch (const Error&) {
    // refusing bad input with a message is the expected outcome
  }
  return 0;
}
