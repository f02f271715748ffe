#pragma once
// The pods that can exist as the inputs know them, and what each node of the graph holds of
// them (docs/model.md, "Pods as sets"): the one place where intent rules, `reach` and `diff`
// turn nodes into sets of pods.

#include <optional>
#include <string>
#include <vector>

#include "graph/model/policy_graph.hpp"
#include "graph/sets/pod_cubes.hpp"

namespace netpol::graph {

struct Analysis;

class PodSpace {
 public:
  // The pods of `sides` (one analysis, or both sides of a diff): a namespace the inputs know
  // (the release namespace; with --manifests, every namespace of a workload, with its
  // Namespace object's labels) has exactly its labels; other namespaces may have any.
  // `ns_keys` and `pod_keys` are label keys read besides the graphs' selectors (an intent
  // rule's): a known pod or namespace lacks those it does not have.
  explicit PodSpace(const std::vector<const Analysis*>& sides,
                    std::vector<std::string> ns_keys = {}, std::vector<std::string> pod_keys = {});

  // Every pod that can exist.
  const PodCubes& possible() const { return possible_; }
  // The chart services' pods, which their own edges speak for: with values, the pods with a
  // service's app label in its namespace. None with --manifests (workloads are single pods,
  // held by the selectors too).
  const PodCubes& services() const { return services_; }
  // The pods a peer selects (a podSelector alone: the first side's release namespace), of
  // those that can exist.
  PodCubes selected(const std::optional<LabelSelector>& namespaces,
                    const std::optional<LabelSelector>& pods) const;
  // What a node of the first side holds: a chart service's pods (a workload's: exactly its
  // labels), a selector's or ns-pods' pods, every pod for any-source and `ext:*`; none for
  // addresses, DNS and class nodes.
  PodCubes of(const Node& n) const;
  // The pods a selector or ns-pods node stands for: its pods, less the chart services'.
  PodCubes outside(const Node& n) const;

 private:
  const Analysis& a_;
  std::vector<std::string> ns_keys_, pod_keys_;
  PodCubes possible_, services_;
};

}  // namespace netpol::graph
