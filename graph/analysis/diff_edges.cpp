// diff: access changes per source and destination, and per group of services alike.

#include "graph/analysis/differ.hpp"

#include <numeric>

namespace netpol::graph::diff_detail {

// ---- a chart service or a selector group as the source
void Differ::from_source(const std::string& src) {
  AccessMap before = get(old_access_.from, src), now = get(new_access_.from, src);
  if (!is_service(src)) {  // outside pods: also what any source may reach
    from_outside_pods(src, before, now);
    return;
  }
  if (before == now) return;
  // Pod atoms: one change per destination; atoms outside the chart whose change is only
  // that of every pod (a rule to anywhere) go with the addresses below.
  std::set<std::string> atoms;
  bool others = false;  // a change to pods no atom names, or to addresses
  for (const auto& c : compare_access(before, now)) {
    for (const auto& atom : c.to.pods.atoms()) atoms.insert(atom);
    others = others || c.to.pods.complement() || !c.to.addresses.empty();
  }
  const PortSet& other_before = before.to_other_pods();
  const PortSet& other_now = now.to_other_pods();
  for (const auto& atom : atoms) {
    PortSet before_ports = before.to_atom(atom), now_ports = now.to_atom(atom);
    if (before_ports == now_ports) continue;
    if (!is_service(atom) && before_ports == other_before && now_ports == other_now) continue;
    pod_change(src, atom, before_ports, now_ports);
  }
  if (others) address_changes(src, true);
}

void Differ::from_outside_pods(const std::string& src, const AccessMap& direct_before,
                               const AccessMap& direct_now) {
  std::set<std::string> atoms;
  for (const auto* m : {&direct_before, &direct_now})
    for (const auto& p : m->pieces())
      for (const auto& atom : p.to.pods.atoms()) atoms.insert(atom);
  for (const auto& atom : atoms) {
    PortSet any_before = any_to(old_access_, atom), any_now = any_to(new_access_, atom);
    PortSet before_ports = direct_before.to_atom(atom).unite(any_before);
    PortSet now_ports = direct_now.to_atom(atom).unite(any_now);
    if (before_ports == now_ports || (before_ports == any_before && now_ports == any_now))
      continue;  // none, or what any source got
    pod_change(src, atom, before_ports, now_ports);
  }
}

// Any source into a service no address source reaches on either side (where one does, the
// addresses are compared with any source's: from_addresses).
void Differ::from_any(const std::string& dst) {
  if (old_access_.from_addresses.count(dst) || new_access_.from_addresses.count(dst)) return;
  PortSet before_ports = any_to(old_access_, dst), now_ports = any_to(new_access_, dst);
  if (before_ports != now_ports)
    pod_change(std::string(kAnySourceId), dst, before_ports, now_ports);
}

void Differ::pod_change(const std::string& from, const std::string& to, const PortSet& before_ports,
                        const PortSet& now_ports, bool as_is) {
  if (!as_is && (is_cell(from) || is_cell(to))) {
    bool source = is_cell(from);
    cell_changes_[{source ? to : from, source}][source ? from : to] = {before_ports, now_ports};
    return;
  }
  EdgeDiff edge;
  edge.from = from;
  edge.to = to;
  edge.old_ports = before_ports;
  edge.new_ports = now_ports;
  edge.added_ports = now_ports.subtract(before_ports);
  edge.removed_ports = before_ports.subtract(now_ports);
  edge.change = compare_sets(before_ports, now_ports);
  if (auto sender = groups_.sender_of.find(from); sender != groups_.sender_of.end()) {
    // The first of a group of sources (and of destinations, for a service): for each pair.
    auto receiver = groups_.receiver_of.find(to);
    if (receiver != groups_.receiver_of.end())
      touched_groups_.insert({sender->second, receiver->second});
    pending_.push_back({std::move(edge),
                        sender->second,
                        receiver == groups_.receiver_of.end()
                            ? std::nullopt
                            : std::optional<std::size_t>(receiver->second),
                        {},
                        {}});
    return;
  }
  Side os{old_, hop_between(true, from, to)}, ns{new_, hop_between(false, from, to)};
  finish(edge, os, ns);
}

// ---- address destinations (outgoing = true) or address sources (false)
// The edges of both sides between `fixed` and address nodes, joined where their access
// overlaps (some address on some port in both); each group whose access differs is one
// change. `any` (for address sources): what any source has on each side, which every
// address has too; a difference that is only that is listed once, from any-source.
void Differ::address_changes(const std::string& fixed, bool outgoing, const PortSet& any_before,
                             const PortSet& any_now) {
  struct Member {
    bool old_side;
    EdgeRef ref;
    AccessMap access;
    AddressSet addresses;
  };
  std::vector<Member> members;
  for (bool old_side : {true, false}) {
    const PolicyGraph& graph = old_side ? old_.graph : new_.graph;
    auto v = graph.find(fixed);
    if (!v) continue;
    auto add = [&](EdgeRef ref, Vertex other) {
      if (!outgoing && graph.node(other).kind == NodeKind::AnySource) {
        // Any source holds every address: an address source into the same service on the
        // other side is compared with it (0.0.0.0/0 except 10.0.0.0/8 narrows it).
        AccessMap every;
        every.grant_addresses(AddressSet::everything(), graph.edge(ref).ports);
        members.push_back({old_side, ref, every, AddressSet::everything()});
        return;
      }
      if (!address_node(graph.node(other))) return;
      members.push_back({old_side, ref, edge_addresses(graph, ref, outgoing),
                         edge_address_set(graph, ref, outgoing)});
    };
    if (outgoing)
      for (Vertex t : graph.targets_of(*v)) add({*v, t}, t);
    else
      for (Vertex s : graph.sources_of(*v)) add({s, *v}, s);
  }
  std::vector<std::size_t> parent(members.size());
  std::iota(parent.begin(), parent.end(), 0);
  auto root = [&](std::size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  for (std::size_t i = 0; i < members.size(); ++i)
    for (std::size_t j = i + 1; j < members.size(); ++j)
      if (root(i) != root(j) && members[i].addresses.intersects(members[j].addresses) &&
          members[i].access.intersects(members[j].access))
        parent[root(j)] = root(i);
  std::map<std::size_t, std::vector<std::size_t>> groups;
  for (std::size_t m = 0; m < members.size(); ++m) groups[root(m)].push_back(m);
  for (const auto& [r, group] : groups) {
    Side os{old_, {}}, ns{new_, {}};
    AccessMap before, now;
    AddressSet old_addresses, new_addresses;
    bool has_any = false;  // any source is a member: its change is this group's
    for (std::size_t m : group) {
      const Member& member = members[m];
      const PolicyGraph& graph = member.old_side ? old_.graph : new_.graph;
      has_any = has_any || graph.node(member.ref.from).kind == NodeKind::AnySource;
      (member.old_side ? os : ns).edges.push_back(member.ref);
      AccessMap& map = member.old_side ? before : now;
      map = map.unite(member.access);
      AddressSet& addresses = member.old_side ? old_addresses : new_addresses;
      addresses = addresses.unite(member.addresses);
    }
    if (!has_any) {  // what any source allows as well is no change of these addresses
      before.grant_addresses(AddressSet::everything(), any_before);
      now.grant_addresses(AddressSet::everything(), any_now);
    }
    std::vector<AccessChange> changes;
    for (auto& c : compare_access(before, now))
      if (has_any || !(c.before == any_before && c.now == any_now)) changes.push_back(std::move(c));
    if (changes.empty()) continue;
    EdgeDiff edge;
    // Added or removed only when a side has nothing here; more or fewer addresses otherwise.
    edge.change = verdict(changes);
    if (edge.change == Change::Added && !os.edges.empty()) edge.change = Change::Widened;
    if (edge.change == Change::Removed && !ns.edges.empty()) edge.change = Change::Narrowed;
    auto id = [&](const Side& side, const PolicyGraph& g) -> std::string {
      if (side.edges.empty()) return "";
      return g.node(outgoing ? side.edges.front().to : side.edges.front().from).id;
    };
    std::string old_node = id(os, old_.graph), new_node = id(ns, new_.graph);
    std::string node = new_node.empty() ? old_node : new_node;
    edge.from = outgoing ? fixed : node;
    edge.to = outgoing ? node : fixed;
    if (!old_node.empty() && old_node != node && old_id(node) != old_node) edge.was = old_node;
    edge.old_ports = os.ports();
    edge.new_ports = ns.ports();
    edge.added_ports = edge.new_ports.subtract(edge.old_ports);
    edge.removed_ports = edge.old_ports.subtract(edge.new_ports);
    if (old_addresses != new_addresses && !old_addresses.empty() && !new_addresses.empty())
      edge.addresses = compare_sets(old_addresses, new_addresses);
    edge.old_addresses = old_addresses.str();
    edge.new_addresses = new_addresses.str();
    edge.old_addresses_text = old_addresses.describe();
    edge.new_addresses_text = new_addresses.describe();
    if (auto sender = groups_.sender_of.find(fixed);
        outgoing && sender != groups_.sender_of.end()) {
      pending_.push_back({std::move(edge), sender->second, std::nullopt, os.edges, ns.edges});
      continue;
    }
    finish(edge, os, ns);
  }
}

void Differ::from_addresses(const std::string& dst) {
  address_changes(dst, false, any_to(old_access_, dst), any_to(new_access_, dst));
}

std::size_t Differ::pair_count(const Pending& p) const {
  return p.to_group ? groups_.pair_count(p.from_group, *p.to_group)
                    : groups_.senders[p.from_group].size();
}

// The change `pending` for one `source` (and `destination`, for a change between services),
// with that pair's keys (and, for a change rather than a redundant edge, what removed it).
EdgeDiff Differ::for_pair(Pending& pending, const std::string& source,
                          const std::string& destination, bool redundant, bool last) {
  EdgeDiff change = last ? std::move(pending.e) : pending.e;
  change.from = source;
  if (pending.to_group) change.to = destination;
  Side os{old_, hops_of(pending, true, source, change.to)},
      ns{new_, hops_of(pending, false, source, change.to)};
  if (redundant) {
    os.keys(change.old_egress, change.old_ingress);
    ns.keys(change.new_egress, change.new_ingress);
  } else {
    complete(change, os, ns);
  }
  return change;
}

// The index in Diff::groups of a group of services, added on first use.
std::size_t Differ::group_index(const std::vector<std::string>& members) {
  auto it = group_index_.find(members);
  if (it != group_index_.end()) return it->second;
  out_.groups.push_back(members);
  return group_index_.emplace(members, out_.groups.size() - 1).first->second;
}

// The hops of one side that the pair `source` -> `destination` of `pending` goes over.
std::vector<EdgeRef> Differ::hops_of(const Pending& pending, bool old_side,
                                     const std::string& source,
                                     const std::string& destination) const {
  const PolicyGraph& g = old_side ? old_.graph : new_.graph;
  std::vector<EdgeRef> out;
  auto u = g.find(source);
  if (!u) return out;
  if (const auto& hops = old_side ? pending.old_hops : pending.new_hops; !hops.empty()) {
    for (const EdgeRef& h : hops) out.push_back({*u, h.to});
  } else {
    return hop_between(old_side, source, destination);
  }
  return out;
}

// Pending changes, or redundant edges, into `to`: pair by pair when they come to at most
// max_pairs pairs together, else once each for its groups.
void Differ::list_pending(std::vector<Pending>& pending, std::vector<EdgeDiff>& to,
                          bool redundant) {
  std::vector<std::size_t> pairs;
  for (const Pending& p : pending) pairs.push_back(pair_count(p));
  const std::size_t total = std::accumulate(pairs.begin(), pairs.end(), std::size_t{0});
  // Room for every change once: growing by doubling held up to three halves of the list (a
  // dense diff's list is most of its memory).
  auto one_by_one = [&](std::size_t count) { return total <= max_pairs_ || count <= 1; };
  std::size_t listed = 0;
  for (std::size_t count : pairs) listed += one_by_one(count) ? count : 1;
  to.reserve(to.size() + listed);
  for (std::size_t i = 0; i < pending.size(); ++i) {
    Pending& change = pending[i];
    const auto& sources = groups_.senders[change.from_group];
    static const std::vector<std::string> outside(1);
    const auto& destinations = change.to_group ? groups_.receivers[*change.to_group] : outside;
    if (one_by_one(pairs[i])) {
      std::size_t left = pairs[i];
      for (const auto& s : sources)
        for (const auto& t : destinations)
          if (s != t) to.push_back(for_pair(change, s, t, redundant, --left == 0));
      continue;
    }
    // One change for the groups, with the keys of the pair that stands for them (each
    // member's own keys are its rules at the same positions; listing them all for every
    // change would make the answer as large as the pairs).
    auto pair = change.to_group ? groups_.pair(change.from_group, *change.to_group)
                                : std::make_optional(std::make_pair(sources.front(), change.e.to));
    EdgeDiff out = for_pair(change, pair->first, pair->second, redundant, false);
    if (sources.size() > 1) out.from_group = group_index(sources);
    if (change.to_group && destinations.size() > 1) out.to_group = group_index(destinations);
    out.pairs = pairs[i];
    if (!change.to_group)  // every member's own edge to the node is part of the change
      for (const auto& s : sources)
        for (bool old_side : {true, false})
          for (const EdgeRef& r : hops_of(change, old_side, s, change.e.to))
            touched_.insert({old_side, r.from, r.to});
    to.push_back(std::move(out));
  }
  std::vector<Pending>().swap(pending);  // listed: its memory goes back before the next list
}
}  // namespace netpol::graph::diff_detail
