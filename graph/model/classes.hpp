#pragma once
// Classes of chart services that every policy treats alike (docs/model.md, "Classes"): the
// same peers of every rule select them, their own rules are the same but for provenance, and
// their named ports resolve alike. Access is computed once per pair of classes; a member's
// provenance is its own rules at the same positions. Dense inputs (everything open, policies
// off, a cluster dump without policies) have few classes however many services they have.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "graph/rules/chart.hpp"

namespace netpol::graph {

struct ServiceClasses {
  std::vector<std::size_t> class_of;              // by service index
  std::vector<std::vector<std::size_t>> members;  // by class: service indices in chart order;
                                                  // classes in the order of their first member
};

// Partitions chart.services. Linear in the services and rules, plus one selector match per
// distinct peer and distinct (namespace, labels the selectors read) shape of pods; a peer
// requiring `app In (...)` is matched only against pods with one of those apps.
ServiceClasses classify(const Chart& chart);

// What the members of one class may send to the members of another (or, within a class, to
// each other member): the ports, and which of the source's egress rules and the destination's
// ingress rules allow them (indices into each member's own rules).
struct ClassAccess {
  std::size_t from = 0, to = 0;  // class indices
  PortSet ports;
  std::vector<std::uint32_t> egress_rules, ingress_rules;
};

// Every pair of classes with access, sorted by (from, to). Computed on each class's first
// member as the pairwise definition says (graph/rules/match.hpp), for the candidate pairs only.
std::vector<ClassAccess> class_access(const Chart& chart, const ServiceClasses& classes);

// The number of (source, destination) service pairs the accesses stand for.
std::size_t pair_count(const std::vector<ClassAccess>& access, const ServiceClasses& classes);

// The provenance of `rules` at `indices` that contribute to `ports` towards `destination`
// (as provenance_for, for one member of a class).
std::vector<Provenance> member_provenance(const std::vector<Rule>& rules,
                                          const std::vector<std::uint32_t>& indices,
                                          const PortSet& ports, const Service& destination);

class PolicyGraph;

// Services alike on two sides (diff), the same notion as ServiceClasses: chart services that
// two graphs treat alike: as sources, the same senders class node on each side (their
// ServiceClasses, held as class nodes past --max-pairs; or the same lone service); as
// destinations, the same receivers node (or the same lone service, or none that any service
// sends to). Every pair of a sender group and a receiver group, but a service with itself, has
// the same access on each side, so one pair answers for all of them (with graphs of pairs,
// every group is one service). The picture's groups (exporters/diagram.cpp, group_services)
// are a view of a finished picture, not a verdict: services drawn with the same edges.
struct ServiceGroups {
  // Member ids, in the first graph's display order, then the second's.
  std::vector<std::vector<std::string>> senders, receivers;
  std::map<std::string, std::size_t> sender_of, receiver_of;

  // The one pair that stands for every pair from sender group `a` to receiver group `b`:
  // the first source with the first destination that is not itself, or none when the only
  // pair would be a service with itself (then `a` is that service alone).
  std::optional<std::pair<std::string, std::string>> pair(std::size_t a, std::size_t b) const;
  // How many pairs that is: |a| x |b| less the services in both.
  std::size_t pair_count(std::size_t a, std::size_t b) const;
};

ServiceGroups service_groups(const PolicyGraph& first, const PolicyGraph& second);

}  // namespace netpol::graph
