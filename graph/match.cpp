#include "graph/match.hpp"

#include <algorithm>

namespace netpol::graph {
namespace {

bool peer_matches(const Peer& peer, const Labels& labels, const Chart& chart) {
  if (peer.ip_block) return false;
  if (peer.namespaces && !peer.namespaces->matches(chart.ns_labels)) return false;
  return !peer.pods || peer.pods->matches(labels);
}

SidePorts side(const Chart& chart, const std::vector<Rule>& rules, const Labels& peer,
               const Service& destination) {
  SidePorts out;
  for (const Rule& r : rules)
    if (rule_selects(r, peer, chart)) {
      out.ports = out.ports.unite(r.ports.resolve(destination.ports));
      out.rules.push_back(&r);
    }
  return out;
}

}  // namespace

bool rule_selects(const Rule& r, const Labels& labels, const Chart& chart) {
  if (r.any_peer) return true;
  return std::any_of(r.peers.begin(), r.peers.end(),
                     [&](const Peer& p) { return peer_matches(p, labels, chart); });
}

SidePorts egress_towards(const Chart& chart, const Service& from, const Service& to) {
  return side(chart, from.egress, to.labels, to);
}

SidePorts ingress_from(const Chart& chart, const Service& to, const Service& from) {
  return side(chart, to.ingress, from.labels, to);
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
