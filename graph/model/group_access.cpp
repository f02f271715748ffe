#include "graph/model/group_access.hpp"

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace netpol::graph {

std::optional<std::pair<std::string, std::string>> ServiceGroups::pair(std::size_t a,
                                                                       std::size_t b) const {
  // When `b` is only the first source, so is `a`: the other members of a group of sources are
  // of its class on both sides, so in its group of destinations too.
  const auto& from = senders[a];
  for (const auto& to : receivers[b])
    if (to != from.front()) return std::make_pair(from.front(), to);
  return std::nullopt;
}

std::size_t ServiceGroups::pair_count(std::size_t a, std::size_t b) const {
  std::size_t both = 0;
  for (const auto& sender : senders[a]) both += receiver_of.at(sender) == b;
  return senders[a].size() * receivers[b].size() - both;
}

namespace {

// A service's place on one side: absent, its class, itself alone, or, as a destination,
// nowhere: no service may send to it, as to every other such service whatever its class. (A
// source stands for its group's access to everything, services or not, so only a class
// makes sources alike.)
enum class Where { Absent, Class, Alone, Nowhere };
using Place = std::pair<Where, std::size_t>;  // with the class or the service's index

struct Places {
  std::vector<Place> as_sender, as_receiver;  // by service index
};

Places places_of(const GroupSide& side) {
  const ServiceClasses& classes = side.access.classes;
  std::vector<bool> sends(classes.members.size()), receives(classes.members.size());
  for (const ClassAccess& between : side.access.between) {
    sends[between.from] = true;
    receives[between.to] = true;  // a class to itself only with two members or more
  }
  Places out;
  for (std::size_t i = 0; i < side.chart.services.size(); ++i) {
    const std::size_t c = classes.class_of[i];
    const bool alike = side.by_class && classes.members[c].size() > 1;
    out.as_sender.push_back(alike && sends[c] ? Place{Where::Class, c} : Place{Where::Alone, i});
    out.as_receiver.push_back(alike && receives[c] ? Place{Where::Class, c}
                              : receives[c]        ? Place{Where::Alone, i}
                                                   : Place{Where::Nowhere, 0});
  }
  return out;
}

}  // namespace

ServiceGroups service_groups(const GroupSide& first, const GroupSide& second) {
  ServiceGroups out;
  const Places first_places = places_of(first), second_places = places_of(second);
  auto place = [](const GroupSide& side, const Places& places, const std::string& id,
                  bool as_sender) -> Place {
    const Service* service = side.chart.service(id);
    if (!service) return {Where::Absent, 0};
    const auto index = static_cast<std::size_t>(service - side.chart.services.data());
    return as_sender ? places.as_sender[index] : places.as_receiver[index];
  };
  std::map<std::pair<Place, Place>, std::size_t> senders, receivers;
  auto join = [&](const std::string& id, bool as_sender) {
    auto& keys = as_sender ? senders : receivers;
    auto& groups = as_sender ? out.senders : out.receivers;
    auto key = std::make_pair(place(first, first_places, id, as_sender),
                              place(second, second_places, id, as_sender));
    auto found = keys.emplace(key, groups.size());
    if (found.second) groups.emplace_back();
    groups[found.first->second].push_back(id);
    (as_sender ? out.sender_of : out.receiver_of)[id] = found.first->second;
  };
  for (const GroupSide* side : {&first, &second})
    for (const Service& service : side->chart.services) {
      if (out.sender_of.count(service.name)) continue;
      join(service.name, true);
      join(service.name, false);
    }
  return out;
}

GroupAccess access_by_group(const Chart& chart, const ChartAccess& access,
                            const ServiceGroups& groups,
                            const std::map<std::string, std::vector<std::string>>* cells) {
  GroupAccess out;
  // `anywhere` from a chart service: every address, and every pod but the chart's services',
  // whose own ingress decides (their access, below); outside pods have no ingress of theirs.
  // DNS is one node with one meaning everywhere (reach, the picture, diff): the DNS rule's
  // ports to the resolver, not whatever else `anywhere` may carry to its pods.
  std::set<std::string> services;
  for (const auto& members : groups.receivers) services.insert(members.front());
  services.insert(std::string(kDnsId));
  const Endpoints anywhere{PodSet::from(true, services), AddressSet::everything()};
  // A peer's pods as atoms: its cells, or the peer's node itself.
  auto for_atoms = [&](const Node& peer, const auto& with_atom) {
    if (cells && (peer.kind == NodeKind::Selector || peer.kind == NodeKind::NsPods))
      if (auto it = cells->find(peer.id); it != cells->end()) {
        for (const auto& cell : it->second) with_atom(cell);
        return;
      }
    with_atom(peer.id);
  };
  auto first_of_group = [&](const std::string& id) {
    return groups.senders[groups.sender_of.at(id)].front() == id;
  };
  for (const OutsideGrant& grant : access.outside) {
    const PortSet& ports = grant.ports();
    if (ports.empty()) continue;  // no edge: nothing passes
    const std::string& service = chart.services[grant.service].name;
    const Node& peer = grant.peer();
    const std::optional<IpBlock>& block = grant.block();
    if (!grant.outward) {
      if (peer.kind == NodeKind::AnySource) {
        out.any[service] = out.any[service].unite(ports);
      } else if (address_node(peer)) {
        if (block) out.from_addresses[service].grant_addresses(AddressSet::of(*block), ports);
      } else {
        for_atoms(peer,
                  [&](const std::string& source) { out.from[source].grant_atom(service, ports); });
      }
      continue;
    }
    // The group's first member stands for the others.
    if (!first_of_group(service)) continue;
    AccessMap& reached = out.from[service];
    if (peer.id == kAnywhereId)
      reached.grant(anywhere, ports);
    else if (address_node(peer)) {
      if (block) reached.grant_addresses(AddressSet::of(*block), ports);
    } else
      for_atoms(peer, [&](const std::string& atom) { reached.grant_atom(atom, ports); });
  }
  // Services to services, one pair per sender group and receiver group: those of the classes
  // the first member's class may send to.
  // A service's index on this side (Chart::service's own index), or none.
  auto index = [&](const std::string& name) -> std::optional<std::size_t> {
    const Service* service = chart.service(name);
    if (!service) return std::nullopt;
    return static_cast<std::size_t>(service - chart.services.data());
  };
  std::map<std::size_t, std::vector<std::size_t>> targets;  // class -> the classes it sends to
  for (const ClassAccess& a : access.between) targets[a.from].push_back(a.to);
  std::map<std::size_t, std::set<std::size_t>> groups_of_class;  // receiver groups of a class
  auto receiver_groups = [&](std::size_t class_index) -> const std::set<std::size_t>& {
    auto [it, fresh] = groups_of_class.try_emplace(class_index);
    if (fresh)
      for (std::size_t member : access.classes.members[class_index])
        it->second.insert(groups.receiver_of.at(chart.services[member].name));
    return it->second;
  };
  for (std::size_t sender = 0; sender < groups.senders.size(); ++sender) {
    const std::string& first = groups.senders[sender].front();
    auto at = index(first);
    if (!at) continue;  // the group is on the other side only
    auto sends = targets.find(access.classes.class_of[*at]);
    if (sends == targets.end()) continue;
    std::set<std::size_t> candidates;
    for (std::size_t to_class : sends->second)
      for (std::size_t receiver : receiver_groups(to_class)) candidates.insert(receiver);
    for (std::size_t receiver : candidates) {
      auto pair = groups.pair(sender, receiver);
      if (!pair) continue;
      auto from = index(pair->first), to = index(pair->second);
      if (!from || !to) continue;
      if (const PortSet* ports = access.ports(*from, *to)) {
        out.from[first].grant_atom(groups.receivers[receiver].front(), *ports);
        out.between_groups.emplace(std::make_pair(sender, receiver), *ports);
      }
    }
  }
  return out;
}

}  // namespace netpol::graph
