#include "graph/match.hpp"

#include <algorithm>

namespace netpol::graph {
namespace {

// Whether a peer of a policy in namespace `policy_ns` selects the pods of `pod`: without a
// namespaceSelector only pods of the policy's own namespace; AND of both selectors.
bool peer_matches(const Peer& peer, const Service& pod, const std::string& policy_ns) {
  if (peer.ip_block) return false;
  if (peer.namespaces ? !peer.namespaces->matches(pod.ns_labels) : pod.ns != policy_ns)
    return false;
  return !peer.pods || peer.pods->matches(pod.labels);
}

// `owner`'s rules that select `peer`, and the ports they allow towards `destination`.
SidePorts side(const Chart& chart, const Service& owner, const std::vector<Rule>& rules,
               const Service& peer, const Service& destination) {
  SidePorts out;
  for (const Rule& r : rules)
    if (rule_selects(r, peer, owner.ns)) {
      PortSet ports = r.ports.resolve(destination.ports);
      if (chart.from_manifests) ports = ports.without_names();
      out.ports = out.ports.unite(ports);
      out.rules.push_back(&r);
    }
  return out;
}

}  // namespace

bool rule_selects(const Rule& r, const Service& pod, const std::string& policy_ns) {
  if (r.any_peer) return true;
  return std::any_of(r.peers.begin(), r.peers.end(),
                     [&](const Peer& p) { return peer_matches(p, pod, policy_ns); });
}

SidePorts egress_towards(const Chart& chart, const Service& from, const Service& to) {
  return side(chart, from, from.egress, to, to);
}

SidePorts ingress_from(const Chart& chart, const Service& to, const Service& from) {
  return side(chart, to, to.ingress, from, to);
}

std::vector<Provenance> provenance_for(const SidePorts& side, const PortSet& ports,
                                       const Service& destination) {
  std::vector<Provenance> out;
  for (const Rule* r : side.rules)
    if (!r->ports.resolve(destination.ports).intersect(ports).empty())
      for (const auto& p : r->provenance)
        if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
  return out;
}

}  // namespace netpol::graph
