#include "graph/analysis.hpp"

#include "graph/read_chart.hpp"

namespace netpol::graph {

Analysis analyze(const values::Value& merged, Profile profile, const std::string& ns,
                 std::vector<std::string> inputs) {
  Chart chart = read_chart(merged, profile, ns);
  return analyze(std::move(chart), std::move(profile), std::move(inputs));
}

Analysis analyze(Chart chart, Profile profile, std::vector<std::string> inputs) {
  Analysis a;
  a.inputs = std::move(inputs);
  a.profile = std::move(profile);
  a.chart = std::move(chart);
  a.graph = build_graph(a.chart, a.profile);
  a.documented_vs_effective = compare_documented(a.graph, a.chart, a.profile);
  a.documented =
      communication_map(a.graph, a.chart, a.profile, a.documented_vs_effective, View::Documented);
  a.effective =
      communication_map(a.graph, a.chart, a.profile, a.documented_vs_effective, View::Effective);
  a.findings = find_issues(a);
  return a;
}

}  // namespace netpol::graph
