#pragma once
// Classes of chart services that every policy treats alike (docs/model.md, "Classes"): the
// same peers of every rule select them, their own rules are the same but for provenance, and
// their named ports resolve alike. Access is computed once per pair of classes; a member's
// provenance is its own rules at the same positions. Dense inputs (everything open, policies
// off, a cluster dump without policies) have few classes however many services they have.

#include <cstddef>
#include <cstdint>
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

}  // namespace netpol::graph
