#include "graph/rules/match.hpp"

#include <algorithm>
#include <map>
#include <optional>

#include "graph/sets/pod_cubes.hpp"

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
  auto resolved = [&](const PortSet& ports) {
    PortSet p = ports.resolve(destination.ports);
    return chart.from_manifests ? p.without_names() : p;
  };
  for (const Rule& rule : rules)
    if (rule_selects(rule, peer, owner.ns)) {
      PortSet ports = resolved(rule.ports);
      for (const Exclusion& exclusion : rule.except) {
        if (!admin_selects(exclusion.match, peer)) continue;
        PortSet taken = resolved(exclusion.match.ports);
        for (const AdminMatch& u : exclusion.unless)
          if (admin_selects(u, peer)) taken = taken.subtract(resolved(u.ports));
        ports = ports.subtract(taken);
      }
      if (!rule.except.empty() && ports.empty()) continue;
      out.ports = out.ports.unite(ports);
      out.rules.push_back(&rule);
    }
  return out;
}

}  // namespace

bool admin_selects(const AdminMatch& m, const Service& pod) {
  return std::any_of(m.peers.begin(), m.peers.end(),
                     [&](const Peer& p) { return peer_matches(p, pod, pod.ns); });
}

bool rule_selects(const Rule& rule, const Service& pod, const std::string& policy_ns) {
  if (rule.any_peer) return true;
  return std::any_of(rule.peers.begin(), rule.peers.end(),
                     [&](const Peer& p) { return peer_matches(p, pod, policy_ns); });
}

bool selects_outside_namespace(const Peer& peer, const std::string& policy_ns) {
  if (peer.ip_block) return false;
  const PodCubes own = PodCubes::selected(std::nullopt, LabelSelector(), policy_ns);
  return !PodCubes::selected(peer.namespaces, peer.pods, policy_ns).subset_of(own);
}

SidePorts egress_towards(const Chart& chart, const Service& from, const Service& to) {
  return side(chart, from, from.egress, to, to);
}

SidePorts ingress_from(const Chart& chart, const Service& to, const Service& from) {
  return side(chart, to, to.ingress, from, to);
}

namespace {

// Which services a set of rules (of `owner`) may select: every service (`all`, on the ports
// `all_ports` of the rules with no peer list, `all_named` when one of them has named ports),
// the listed ones, and every service of the listed namespaces (a peer that selects all pods
// of a namespace is kept as the namespace, not as its members).
struct Selection {
  bool all = false;
  PortSet all_ports;
  bool all_named = false;
  std::vector<std::size_t> some;        // sorted
  std::vector<std::size_t> namespaces;  // whole namespaces, by ServiceIndex id, sorted
  std::size_t count = 0;                // services in `some` and `namespaces` (at most)
  PortSet some_ports;                   // the ports of the rules with a peer list
};

class ServiceIndex {
 public:
  ServiceIndex(const Chart& chart, const std::vector<std::size_t>& among) {
    std::map<std::string, std::size_t> ids;
    for (std::size_t i = 0; i < among.size(); ++i) {
      const Service& service = chart.services[among[i]];
      auto [it, fresh] = ids.emplace(service.ns, ns_members_.size());
      if (fresh) {
        ns_members_.emplace_back();
        ns_names_.push_back(service.ns);
        ns_labels_.push_back(service.ns_labels);
      }
      ns_members_[it->second].push_back(i);
      ns_of_.push_back(it->second);
      if (auto app = service.labels.find(std::string(kAppLabel)); app != service.labels.end())
        by_app_[{service.ns, app->second}].push_back(i);
    }
  }

  Selection select(const Service& owner, const std::vector<Rule>& rules) const {
    Selection out;
    for (const Rule& rule : rules) {
      if (rule.any_peer) {
        out.all = true;
        out.all_ports = out.all_ports.unite(rule.ports);
        out.all_named = out.all_named || has_names(rule.ports);
        continue;
      }
      for (const Peer& p : rule.peers) add_peer(owner, p, out);
      out.some_ports = out.some_ports.unite(rule.ports);
    }
    for (auto* v : {&out.some, &out.namespaces}) {
      std::sort(v->begin(), v->end());
      v->erase(std::unique(v->begin(), v->end()), v->end());
    }
    out.count = out.some.size();
    for (std::size_t ns : out.namespaces) out.count += ns_members_[ns].size();
    return out;
  }

  bool contains(const Selection& sel, std::size_t i) const {
    return std::binary_search(sel.some.begin(), sel.some.end(), i) ||
           std::binary_search(sel.namespaces.begin(), sel.namespaces.end(), ns_of_[i]);
  }
  // Calls f on each service of the selection (a service may come twice).
  template <typename F>
  void for_each(const Selection& sel, F f) const {
    for (std::size_t i : sel.some) f(i);
    for (std::size_t ns : sel.namespaces)
      for (std::size_t i : ns_members_[ns]) f(i);
  }
  std::size_t namespaces() const { return ns_members_.size(); }
  std::size_t ns_of(std::size_t i) const { return ns_of_[i]; }

 private:
  static bool has_names(const PortSet& ports) {
    for (const auto& item : ports.items())
      if (!item.name.empty()) return true;
    return false;
  }

  // The services a peer may select: those of the namespaces it covers, narrowed by the
  // app values its pod selector requires when it requires some.
  void add_peer(const Service& owner, const Peer& peer, Selection& out) const {
    if (peer.ip_block) return;
    for (std::size_t ns = 0; ns < ns_members_.size(); ++ns) {
      if (peer.namespaces ? !peer.namespaces->matches(ns_labels_[ns]) : ns_names_[ns] != owner.ns)
        continue;
      const Requirement* app = peer.pods ? app_in(*peer.pods) : nullptr;
      if (!app) {
        out.namespaces.push_back(ns);
        continue;
      }
      for (const auto& v : app->values)
        if (auto it = by_app_.find({ns_names_[ns], v}); it != by_app_.end())
          out.some.insert(out.some.end(), it->second.begin(), it->second.end());
    }
  }

  std::vector<std::vector<std::size_t>> ns_members_;  // by namespace id, in `among` order
  std::vector<std::string> ns_names_;
  std::vector<Labels> ns_labels_;
  std::vector<std::size_t> ns_of_;  // by position in `among`
  std::map<std::pair<std::string, std::string>, std::vector<std::size_t>> by_app_;
};

}  // namespace

std::vector<std::pair<std::size_t, std::size_t>> candidate_pairs(const Chart& chart) {
  std::vector<std::size_t> all(chart.services.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  return candidate_pairs(chart, all);
}

namespace {
// The ports of `set` one by one into `out`, when they are few numbers (no port name, no
// protocol-wide or wide range); false otherwise.
bool few_ports(const PortSet& set, std::vector<std::pair<Protocol, int>>& out) {
  constexpr int kFew = 64;
  for (const auto& item : set.items()) {
    if (item.all || !item.name.empty() || item.hi - item.lo >= kFew) return false;
    for (int p = item.lo; p <= item.hi; ++p) out.emplace_back(item.protocol, p);
  }
  return true;
}
}  // namespace

namespace {

using Pairs = std::vector<std::pair<std::size_t, std::size_t>>;

// The destinations by how their ingress admits a source: listing it (by position, or its
// whole namespace), or by a rule without a peer list (`open`), on a few port numbers or on
// any port (every port, a wide range, a port name).
struct IngressIndex {
  std::vector<std::vector<std::size_t>> listed_by;     // source -> destinations listing it
  std::vector<std::vector<std::size_t>> listed_by_ns;  // namespace -> destinations listing it
  std::vector<std::size_t> open;                       // destinations admitting any source
  std::map<std::pair<Protocol, int>, std::vector<std::size_t>> open_on;  // by port number
  std::vector<std::size_t> open_on_any_port;
};

IngressIndex index_ingress(const ServiceIndex& index, const std::vector<Selection>& ingress) {
  IngressIndex out;
  out.listed_by.resize(ingress.size());
  out.listed_by_ns.resize(index.namespaces());
  for (std::size_t d = 0; d < ingress.size(); ++d) {
    for (std::size_t s : ingress[d].some) out.listed_by[s].push_back(d);
    for (std::size_t ns : ingress[d].namespaces) out.listed_by_ns[ns].push_back(d);
    if (ingress[d].all) out.open.push_back(d);
  }
  for (std::size_t d : out.open) {
    std::vector<std::pair<Protocol, int>> ports;
    if (ingress[d].all_named || !few_ports(ingress[d].all_ports, ports))
      out.open_on_any_port.push_back(d);
    else
      for (const auto& port : ports) out.open_on[port].push_back(d);
  }
  return out;
}

// The pairs where one side at least admits the other by a peer list. Each product is walked
// from its smaller side and the other side looked up, so a peer that selects every pod costs
// the pairs the other side admits, not one per pod.
void pairs_by_peer_lists(const ServiceIndex& index, const std::vector<Selection>& egress,
                         const std::vector<Selection>& ingress, const IngressIndex& by,
                         Pairs& out) {
  for (std::size_t rule = 0; rule < egress.size(); ++rule) {
    const Selection& admits = egress[rule];
    const auto& by_name = by.listed_by[rule];
    const auto& by_ns = by.listed_by_ns[index.ns_of(rule)];
    // Ingress by peer list: against egress by peer list, or by a rule without one.
    if (admits.all) {
      for (const auto* ds : {&by_name, &by_ns})
        for (std::size_t d : *ds) out.emplace_back(rule, d);
    } else if (admits.count <= by_name.size() + by_ns.size()) {
      index.for_each(admits, [&](std::size_t d) {
        if (index.contains(ingress[d], rule)) out.emplace_back(rule, d);
      });
    } else {
      for (const auto* ds : {&by_name, &by_ns})
        for (std::size_t d : *ds)
          if (index.contains(admits, d)) out.emplace_back(rule, d);
    }
    // Egress by peer list against ingress by a rule without one, on ports that may meet.
    std::vector<std::pair<Protocol, int>> ports;
    if (admits.count <= by.open.size() || !few_ports(admits.some_ports, ports)) {
      index.for_each(admits, [&](std::size_t d) {
        if (ingress[d].all) out.emplace_back(rule, d);
      });
      continue;
    }
    for (std::size_t d : by.open_on_any_port)
      if (index.contains(admits, d)) out.emplace_back(rule, d);
    for (const auto& port : ports)
      if (auto it = by.open_on.find(port); it != by.open_on.end())
        for (std::size_t d : it->second)
          if (index.contains(admits, d)) out.emplace_back(rule, d);
  }
}

// The pairs whose egress and ingress both have a rule without a peer list: the sides grouped
// by their ports, and the groups whose ports can meet paired (names meet unless resolved
// apart, so they always may).
void pairs_without_peer_lists(const std::vector<Selection>& egress,
                              const std::vector<Selection>& ingress, Pairs& out) {
  struct PortGroup {
    PortSet ports;
    std::vector<std::size_t> members;
  };
  std::map<std::vector<std::string>, PortGroup> senders, receivers;  // by the ports' tokens
  std::vector<std::size_t> named_senders, named_receivers;
  auto group = [](std::map<std::vector<std::string>, PortGroup>& groups, const PortSet& ports,
                  std::size_t i) {
    PortGroup& g = groups[ports.tokens()];
    g.ports = ports;
    g.members.push_back(i);
  };
  for (std::size_t i = 0; i < egress.size(); ++i) {
    if (egress[i].all) {
      if (egress[i].all_named)
        named_senders.push_back(i);
      else
        group(senders, egress[i].all_ports, i);
    }
    if (ingress[i].all) {
      if (ingress[i].all_named)
        named_receivers.push_back(i);
      else
        group(receivers, ingress[i].all_ports, i);
    }
  }
  auto pair_up = [&](const std::vector<std::size_t>& from, const std::vector<std::size_t>& to) {
    for (std::size_t s : from)
      for (std::size_t d : to) out.emplace_back(s, d);
  };
  for (const auto& [key, from] : senders) {
    for (const auto& [key2, to] : receivers)
      if (!from.ports.intersect(to.ports).empty()) pair_up(from.members, to.members);
    pair_up(from.members, named_receivers);
  }
  for (const auto& [key, to] : receivers) pair_up(named_senders, to.members);
  pair_up(named_senders, named_receivers);
}

}  // namespace

// A pair may have an edge only when the source's egress admits the destination and the
// destination's ingress the source, each by a peer list (`some`, `namespaces`) or by a rule
// without one (`all`).
std::vector<std::pair<std::size_t, std::size_t>> candidate_pairs(
    const Chart& chart, const std::vector<std::size_t>& among) {
  ServiceIndex index(chart, among);
  std::vector<Selection> egress(among.size()), ingress(among.size());
  for (std::size_t i = 0; i < among.size(); ++i) {
    const Service& s = chart.services[among[i]];
    egress[i] = index.select(s, s.egress);
    ingress[i] = index.select(s, s.ingress);
  }
  Pairs out;
  pairs_by_peer_lists(index, egress, ingress, index_ingress(index, ingress), out);
  pairs_without_peer_lists(egress, ingress, out);
  out.erase(
      std::remove_if(out.begin(), out.end(), [](const auto& p) { return p.first == p.second; }),
      out.end());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
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
