#pragma once
// Access computed from the rules, once per analysis (docs/model.md, "Edges"): what each class
// of chart services may send to each other class, and what each service may send to or receive
// from outside the chart's services, peer by peer, with the keys that allow it. It is the
// source: the PolicyGraph that reach and the pictures walk is a view of it (build_graph), and
// diff reads it by groups of services alike (group_access.hpp), never the graph's edges.

#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

#include "graph/model/classes.hpp"
#include "graph/model/policy_graph.hpp"
#include "graph/read/profile.hpp"
#include "graph/rules/chart.hpp"

namespace netpol::graph {

// A peer outside the chart's services, with the ports and the address block a rule opens to or
// from it: one object for every member of a class of services whose rule opens the same.
struct PeerAccess {
  // Any source, anywhere, DNS, the OTLP collector, an address block or a set of pods: the node
  // the graph shows it as. Two peers with the same id share the first's node, as the graph
  // holds one node per id.
  std::shared_ptr<const Node> node;
  PortSet ports;                 // may be empty: the peer is still a node of the graph
  std::optional<IpBlock> block;  // an address peer's block (its node may hold several)
};

// What one rule of one service allows to or from one peer outside the chart's services.
struct OutsideGrant {
  std::size_t service = 0;  // index into Chart::services
  bool outward = false;     // the service sends to the peer; else the peer sends to the service
  // The service's own rule that allows it: its egress (outward) or ingress rule at this
  // position, or none when policies are off (ChartAccess::keys).
  std::size_t rule = kPoliciesOff;
  static constexpr std::size_t kPoliciesOff = static_cast<std::size_t>(-1);
  std::shared_ptr<const PeerAccess> access;

  const Node& peer() const { return *access->node; }
  const PortSet& ports() const { return access->ports; }
  const std::optional<IpBlock>& block() const { return access->block; }
};

struct ChartAccess {
  // Policies on; off, every service reaches every other on every port (one class), any source
  // reaches each service and each service reaches anywhere, by the key that turned them off.
  bool enabled = false;
  ServiceClasses classes;
  std::vector<ClassAccess> between;   // class_access: sorted by (from, to)
  std::vector<OutsideGrant> outside;  // in the order of the services and their rules

  // The ports service `from` may send to service `to` (indices into Chart::services), or
  // null when none: their classes' access (no service sends to itself).
  const PortSet* ports(std::size_t from, std::size_t to) const;
  // The keys of the rule that allows `grant` (the key that turned policies off, for
  // `off_keys`).
  const std::vector<Provenance>& keys(const Chart& chart, const OutsideGrant& grant) const;
  std::vector<Provenance> off_keys;
  // The number of (source, destination) service pairs with access.
  std::size_t pairs() const { return pair_count(between, classes); }
};

// The access of `chart`'s rules; `profile` names address blocks by the ports they are opened
// on (an externalEgress entry without a `name:`).
ChartAccess chart_access(const Chart& chart, const Profile& profile);

}  // namespace netpol::graph
