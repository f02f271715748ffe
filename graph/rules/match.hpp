#pragma once
// How one side of a connection between two chart services is decided: which of a service's
// rules select the other service's pods, and on which ports.

#include <cstddef>
#include <utility>
#include <vector>

#include "graph/rules/chart.hpp"

namespace netpol::graph {

// What one side allows: the ports (named ports resolved against the destination) and the
// rules that contribute them.
struct SidePorts {
  PortSet ports;
  std::vector<const Rule*> rules;
};

// The ports on which `from`'s egress rules let it send to `to`'s pods.
SidePorts egress_towards(const Chart& chart, const Service& from, const Service& to);
// The ports on which `to`'s ingress rules admit `from`'s pods.
SidePorts ingress_from(const Chart& chart, const Service& to, const Service& from);

// Whether a rule of a policy in namespace `policy_ns` selects the pods of `pod` (any peer, or
// a peer whose selectors match; an ipBlock is taken to mean addresses outside the cluster).
bool rule_selects(const Rule& r, const Service& pod, const std::string& policy_ns);
// Whether a pod peer of a policy in `policy_ns` selects some pod of another namespace (as sets
// of pods: a namespaceSelector naming only `policy_ns` does not). False for an ipBlock peer.
bool selects_outside_namespace(const Peer& peer, const std::string& policy_ns);

// Whether an admin rule's peers select the pods of `pod` (its addresses never do).
bool admin_selects(const AdminMatch& m, const Service& pod);

// The pairs (source, destination) of chart services, as indices into chart.services, that
// may have an edge: every pair with an edge is among them, and each pair appears once,
// sorted. Found through an index of the services' app labels and namespaces instead of
// trying all N^2 pairs, and only where both the source's egress and the destination's
// ingress may admit the other, so a chart of 10,000 services with a few peers each stays
// fast even when each may send to every pod; pairs that only rules with no peer list
// connect (DNS against allowExternal) are kept only when their ports can meet.
std::vector<std::pair<std::size_t, std::size_t>> candidate_pairs(const Chart& chart);
// (Rules taken out by admin network policies' exclusions are still among the candidates.)
// The same among the services at `among` (indices into chart.services), as positions in
// `among`: one member of each class (graph/model/classes.hpp) stands for the class.
std::vector<std::pair<std::size_t, std::size_t>> candidate_pairs(
    const Chart& chart, const std::vector<std::size_t>& among);

// The provenance of the rules of `side` that contribute to `ports`.
std::vector<Provenance> provenance_for(const SidePorts& side, const PortSet& ports,
                                       const Service& destination);

}  // namespace netpol::graph
