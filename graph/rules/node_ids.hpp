#pragma once
// Node ids that are not chart services' names (docs/model.md, "Node ids"): the one place that
// spells them.

#include <string_view>

namespace netpol::graph {

// Node ids that are not chart services' names (docs/json.md, "Node ids").
inline constexpr std::string_view kAnySourceId = "any-source";  // every pod and every address
inline constexpr std::string_view kAnywhereId = "ext:*";        // a rule to every destination
inline constexpr std::string_view kDnsId = "dns";
inline constexpr std::string_view kNsPodsId = "ns-pods";     // every pod of the namespace
inline constexpr std::string_view kExternalPrefix = "ext:";  // + name or address block
inline constexpr std::string_view kOtlpPrefix = "otlp:";     // + host:port
inline constexpr std::string_view kSelectorPrefix = "sel:";  // + canonical selectors

// Whether a name a Kubernetes object may have is one of the ids above: a service named so
// would share the node (its access and DNS's, or any source's, drawn and counted as one).
// Manifests name such a workload ns/name; the values leave such a service out (read_chart).
inline bool is_reserved_node_id(std::string_view name) {
  return name == kAnySourceId || name == kDnsId || name == kNsPodsId;
}

// Whether an external destination's name would make the id of the node for any address
// (ext:*): an externalEgress entry or a profile external named "*".
inline bool names_anywhere(std::string_view name) {
  return kAnywhereId.substr(kExternalPrefix.size()) == name;
}

// + the first member's id: the two nodes of a class of services (graph/model/policy_graph.hpp)
inline constexpr std::string_view kClassSendersPrefix = "class-senders:";
inline constexpr std::string_view kClassReceiversPrefix = "class-receivers:";

}  // namespace netpol::graph
