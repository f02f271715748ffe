#include "graph/analysis.hpp"

#include <algorithm>

#include "graph/key_check.hpp"
#include "graph/read_chart.hpp"

namespace netpol::graph {

Analysis analyze(const values::Value& merged, Profile profile, const std::string& ns,
                 std::vector<std::string> inputs, const values::Value* defaults,
                 std::size_t max_pairs) {
  Chart chart = read_chart(merged, profile, ns);
  if (defaults) {
    std::vector<Warning> unknown = unknown_keys(merged, *defaults);
    chart.warnings.insert(chart.warnings.begin(), unknown.begin(), unknown.end());
  }
  return analyze(std::move(chart), std::move(profile), std::move(inputs), max_pairs);
}

Analysis analyze(Chart chart, Profile profile, std::vector<std::string> inputs,
                 std::size_t max_pairs) {
  Analysis a;
  a.inputs = std::move(inputs);
  a.profile = std::move(profile);
  a.chart = std::move(chart);
  a.graph = build_graph(a.chart, a.profile, PolicyGraph::kMaxEdges, max_pairs);
  if (auto any = a.graph.find(std::string(kAnySourceId))) a.exposed = reach_from(a.graph, *any);
  a.documented_vs_effective = compare_documented(a.graph, a.chart, a.profile);
  a.findings = find_issues(a);
  return a;
}

const CommunicationMap& Analysis::map(View view) const {
  auto& slot = view == View::Documented ? documented_ : effective_;
  if (!slot) slot = communication_map(graph, chart, profile, documented_vs_effective, view);
  return *slot;
}

bool Analysis::exposed_directly(PolicyGraph::Vertex v) const {
  auto any = graph.find(std::string(kAnySourceId));
  return any && graph.has_edge(*any, v);
}

std::size_t Analysis::count(Severity s) const {
  return static_cast<std::size_t>(
      std::count_if(findings.begin(), findings.end(),
                    [&](const Finding& f) { return f.severity == s && f.waived.empty(); }));
}

std::string Analysis::count_text() const {
  auto n = [&](Severity s, const char* one, const char* many) {
    std::size_t c = count(s);
    return std::to_string(c) + " " + (c == 1 ? one : many);
  };
  std::size_t waived = static_cast<std::size_t>(std::count_if(
      findings.begin(), findings.end(), [](const Finding& f) { return !f.waived.empty(); }));
  return n(Severity::Error, "error", "errors") + ", " +
         n(Severity::Warning, "warning", "warnings") + ", " + n(Severity::Info, "info", "infos") +
         (waived ? " (" + std::to_string(waived) + " waived)" : "");
}

}  // namespace netpol::graph
