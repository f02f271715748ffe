#include "graph/analysis/analysis.hpp"

#include <algorithm>
#include <map>

#include "graph/rules/node_ids.hpp"
#include "graph/sets/address_set.hpp"

#include "graph/read/key_check.hpp"
#include "graph/read/read_chart.hpp"

namespace netpol::graph {

Analysis analyze(values::Value merged, Profile profile, const std::string& ns,
                 std::vector<std::string> inputs, const values::Value* defaults,
                 std::size_t max_pairs, const Review& review) {
  Chart chart = read_chart(merged, profile, ns);
  if (defaults) {
    std::vector<Warning> unknown = unknown_keys(merged, *defaults);
    chart.warnings.insert(chart.warnings.begin(), unknown.begin(), unknown.end());
  }
  Analysis a = analyze(std::move(chart), std::move(profile), std::move(inputs), max_pairs, review);
  a.values = std::make_shared<const values::Value>(std::move(merged));
  return a;
}

bool internet_source(const PolicyGraph& graph, PolicyGraph::Vertex v) {
  const Node& n = graph.node(v);
  if (n.kind == NodeKind::AnySource) return true;
  if (n.kind != NodeKind::External || n.id == kAnywhereId || graph.targets_of(v).empty())
    return false;
  static const AddressSet global = AddressSet::globally_reachable();
  return std::any_of(n.entries.begin(), n.entries.end(), [](const ExternalEntry& e) {
    return AddressSet::of(e.block).intersects(global);
  });
}

std::vector<PolicyGraph::Vertex> internet_sources(const PolicyGraph& graph) {
  std::vector<PolicyGraph::Vertex> out;
  if (auto any = graph.find(std::string(kAnySourceId))) out.push_back(*any);
  for (PolicyGraph::Vertex v : graph.nodes())
    if (graph.node(v).kind == NodeKind::External && internet_source(graph, v)) out.push_back(v);
  return out;
}

std::vector<Route> exposure(const PolicyGraph& pg, const std::vector<PolicyGraph::Vertex>& starts,
                            const ReachOptions& options) {
  // Nearest first, as reach_from orders them; for each node the shortest route from any of
  // the starts, any-source's first on a tie.
  if (starts.empty()) return {};
  if (starts.size() == 1) return reach_from(pg, starts.front(), options);
  std::map<PolicyGraph::Vertex, Route> best;
  std::vector<PolicyGraph::Vertex> order;
  for (PolicyGraph::Vertex s : starts)
    for (Route& r : reach_from(pg, s, options)) {
      if (std::find(starts.begin(), starts.end(), r.to) != starts.end()) continue;
      auto [it, fresh] = best.try_emplace(r.to, r);
      if (fresh)
        order.push_back(r.to);
      else if (r.hops() < it->second.hops())
        it->second = std::move(r);
    }
  std::vector<Route> out;
  for (PolicyGraph::Vertex v : order) out.push_back(std::move(best.at(v)));
  std::stable_sort(out.begin(), out.end(),
                   [](const Route& a, const Route& b) { return a.hops() < b.hops(); });
  return out;
}

Analysis analyze(Chart chart, Profile profile, std::vector<std::string> inputs,
                 std::size_t max_pairs, const Review& review) {
  Analysis analysis;
  analysis.inputs = std::move(inputs);
  analysis.profile = std::move(profile);
  analysis.chart = std::move(chart);
  analysis.access = chart_access(analysis.chart, analysis.profile);
  analysis.graph = build_graph(analysis.chart, analysis.access, analysis.profile,
                               PolicyGraph::kMaxEdges, max_pairs);
  analysis.internet = internet_sources(analysis.graph);
  analysis.exposed = exposure(analysis.graph, analysis.internet);
  analysis.documented_vs_effective =
      compare_documented(analysis.graph, analysis.chart, analysis.profile);
  analysis.findings = find_issues(analysis);
  if (!review.intents.empty()) {  // the intent rules' violations, errors first as the rest
    std::vector<Finding> found = check_intents(analysis, review.intents);
    analysis.findings.insert(analysis.findings.begin(), found.begin(), found.end());
    sort_findings(analysis.findings);
  }
  if (review.flows) {  // what observed traffic says: denied flows, unused allowances
    std::vector<Finding> found = check_flows(analysis, *review.flows);
    analysis.findings.insert(analysis.findings.end(), found.begin(), found.end());
    sort_findings(analysis.findings);
  }
  apply_waivers(analysis.findings, review.waivers);
  return analysis;
}

const CommunicationMap& Analysis::map(View view) const {
  auto& slot = view == View::Documented ? documented_ : effective_;
  if (!slot) slot = communication_map(graph, chart, profile, documented_vs_effective, view);
  return *slot;
}

bool Analysis::exposed_directly(PolicyGraph::Vertex v) const {
  return std::any_of(internet.begin(), internet.end(),
                     [&](PolicyGraph::Vertex s) { return graph.has_edge(s, v); });
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
