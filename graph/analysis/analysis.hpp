#pragma once
// Everything computed from one set of values, once; every exporter reads this.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "graph/analysis/comm_map.hpp"
#include "graph/analysis/documented.hpp"
#include "graph/analysis/findings.hpp"
#include "graph/analysis/flows.hpp"
#include "graph/analysis/intent.hpp"
#include "graph/analysis/reach.hpp"
#include "graph/model/chart_access.hpp"
#include "graph/model/policy_graph.hpp"
#include "graph/read/profile.hpp"
#include "graph/rules/chart.hpp"
#include "values/value.hpp"

namespace netpol::graph {

struct Analysis {
  std::vector<std::string> inputs;  // input names in layering order
  Profile profile;
  Chart chart;
  // What the rules allow, computed from them once (graph/model/chart_access.hpp); `graph` is
  // its view, for reach and the pictures.
  ChartAccess access;
  PolicyGraph graph;
  // Everything the internet reaches (from any-source, or from an ipBlock source holding a
  // globally reachable address), nearest first, with a path (docs/model.md, "Globally
  // reachable addresses").
  std::vector<Route> exposed;
  // Where the internet comes in: any-source and the ipBlock sources of internet addresses
  // (internet_source), found once.
  std::vector<PolicyGraph::Vertex> internet;
  DocumentedComparison documented_vs_effective;
  std::vector<Finding> findings;
  // The merged values the chart was read from (none from manifests): diff compares a key's
  // value on both sides to say which keys changed an access.
  std::shared_ptr<const values::Value> values;

  // The communication map in each view, computed on first use (a command prints one view
  // or none; a dense input's map is as large as its table).
  const CommunicationMap& documented() const { return map(View::Documented); }
  const CommunicationMap& effective() const { return map(View::Effective); }
  const CommunicationMap& map(View view) const;

  // Whether the internet reaches `v` in one hop (internet_source).
  bool exposed_directly(PolicyGraph::Vertex v) const;
  // Findings of each severity (error, warning, info), waived ones left out.
  std::size_t count(Severity s) const;
  // "1 error, 2 warnings, 0 infos", and " (3 waived)" when some are.
  std::string count_text() const;

 private:
  mutable std::optional<CommunicationMap> documented_, effective_;
};

// Whether traffic from `v` is traffic from the internet: any-source, or an address node with
// out-edges whose blocks hold a globally reachable address (AddressSet::globally_reachable).
bool internet_source(const PolicyGraph& g, PolicyGraph::Vertex v);
// The nodes internet_source holds for, any-source first.
std::vector<PolicyGraph::Vertex> internet_sources(const PolicyGraph& g);
// What the internet reaches from `starts`, for Analysis::exposed.
// With `options`, only the hops they allow (reach --from any-source --port ...).
std::vector<Route> exposure(const PolicyGraph& g, const std::vector<PolicyGraph::Vertex>& starts,
                            const ReachOptions& options = {});

// What `check` asks of an analysis beyond its own findings: the rules of an intent file,
// whose violations join the findings (--intent), observed flows (--flows), and the findings to
// waive (--ignore, --baseline). The analysis applies them itself, as it computes its findings.
struct Review {
  std::vector<IntentRule> intents;
  Waivers waivers;
  // Observed traffic (--flows, graph/analysis/flows.hpp): its findings join the others.
  std::optional<std::vector<Flow>> flows;
};

// Reads the merged values and computes the graph and both views of the communication map.
// With `defaults` (the chart defaults tree), keys the chart does not have are warnings
// (graph/read/key_check.hpp).
// Service pairs beyond `max_pairs` are held as classes (PolicyGraph::max_pairs).
// The values are kept (Analysis::values): pass them moved where they are not needed after.
// Its findings include the intent rules' and are waived as `review` says.
Analysis analyze(values::Value merged, Profile profile, const std::string& ns,
                 std::vector<std::string> inputs, const values::Value* defaults = nullptr,
                 std::size_t max_pairs = PolicyGraph::kMaxPairs, const Review& review = {});
// The same from a model read some other way (read_manifests).
Analysis analyze(Chart chart, Profile profile, std::vector<std::string> inputs,
                 std::size_t max_pairs = PolicyGraph::kMaxPairs, const Review& review = {});

}  // namespace netpol::graph
