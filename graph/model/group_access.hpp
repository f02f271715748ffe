#pragma once
// The access computed from the rules (chart_access.hpp) as access sets (graph/sets/access.hpp),
// by groups of services alike on two sides (ServiceGroups), for diff: what each source may
// reach, keyed by the sets it stands for rather than by how a picture names its nodes.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "graph/model/chart_access.hpp"
#include "graph/sets/access.hpp"

namespace netpol::graph {

// Services alike on two sides (diff), the same notion as ServiceClasses: as sources, the
// members of one class on each side (or one service alone); as destinations, the members of
// one class on each side (or one service alone, or every service that no service may send
// to). Every pair of a sender group and a receiver group, but a service with itself, has the
// same access on each side, so one pair answers for all of them. A side whose picture and
// reach hold pairs one by one (no more than --max-pairs) makes every group one service,
// so that diff lists its changes pair by pair. The picture's groups (exporters/diagram.cpp,
// group_services) are a view of a finished picture, not a verdict: services drawn with the
// same edges.
struct ServiceGroups {
  // Member ids, in the first side's chart order, then the second's.
  std::vector<std::vector<std::string>> senders, receivers;
  std::map<std::string, std::size_t> sender_of, receiver_of;

  // The one pair that stands for every pair from sender group `a` to receiver group `b`:
  // the first source with the first destination that is not itself, or none when the only
  // pair would be a service with itself (then `a` is that service alone).
  std::optional<std::pair<std::string, std::string>> pair(std::size_t a, std::size_t b) const;
  // How many pairs that is: |a| x |b| less the services in both.
  std::size_t pair_count(std::size_t a, std::size_t b) const;
};

// One side of a diff as its groups are read: its services and the access between their
// classes; `by_class`: whether the side holds its classes as such (more service pairs than
// --max-pairs, PolicyGraph::has_classes), else every service stands alone.
struct GroupSide {
  const Chart& chart;
  const ChartAccess& access;
  bool by_class = false;
};

// The groups of two sides, from their access (never from their graphs).
ServiceGroups service_groups(const GroupSide& first, const GroupSide& second);

struct GroupAccess {
  // Each chart service, selector group or ns-pods as a source: what its own edges allow.
  // Destinations: chart services, selector groups, ns-pods and dns are pod atoms (their node
  // ids); `anywhere` is every pod and every address; external and OTLP nodes are their
  // edges' address blocks, with each block's ports.
  std::map<std::string, AccessMap> from;
  // Into each chart service from address sources (ipBlock peers): the addresses, with ports,
  // as a map whose "destinations" are the sources.
  std::map<std::string, AccessMap> from_addresses;
  // Any source (every pod and every address) into each chart service.
  std::map<std::string, PortSet> any;
  // Between chart services, by (sender group, receiver group) (ServiceGroups): the ports of
  // the pair that stands for the groups, where it has any.
  std::map<std::pair<std::size_t, std::size_t>, PortSet> between_groups;
};

// `access` (of `chart`) as access sets, chart services as sources only for the first member of
// each sender group (it stands for the group), and towards services by receiver group: an atom
// named after the group's first member, with the ports of the groups' pair (ServiceGroups::pair).
//
// `cells` (node id -> cell ids), when given, counts the pods of each selector and ns-pods node
// as the cells of a partition (graph/sets/pod_cubes.hpp, `partition`) instead of one atom named
// after the node: sources and destinations by cell, so that two nodes selecting the same pods
// however spelled, or one inside another, compare as the sets they are.
GroupAccess access_by_group(const Chart& chart, const ChartAccess& access,
                            const ServiceGroups& groups,
                            const std::map<std::string, std::vector<std::string>>* cells = nullptr);

}  // namespace netpol::graph
