#include "graph/match.hpp"

#include <algorithm>
#include <map>

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

namespace {

// Which services a set of rules (of `owner`) may select: every service (`all`, on the ports
// `all_ports` of the rules with no peer list, `all_named` when one of them has named ports),
// or the listed ones.
struct Selection {
  bool all = false;
  PortSet all_ports;
  bool all_named = false;
  std::vector<std::size_t> some;
};

class ServiceIndex {
 public:
  ServiceIndex(const Chart& chart, const std::vector<std::size_t>& among) : chart_(chart) {
    for (std::size_t i = 0; i < among.size(); ++i) {
      const Service& s = chart.services[among[i]];
      by_ns_[s.ns].push_back(i);
      ns_labels_.emplace(s.ns, s.ns_labels);
      if (auto app = s.labels.find("app"); app != s.labels.end())
        by_app_[{s.ns, app->second}].push_back(i);
    }
  }

  Selection select(const Service& owner, const std::vector<Rule>& rules) const {
    Selection out;
    for (const Rule& r : rules) {
      if (r.any_peer) {
        out.all = true;
        out.all_ports = out.all_ports.unite(r.ports);
        out.all_named = out.all_named || has_names(r.ports);
        continue;
      }
      for (const Peer& p : r.peers) add_peer(owner, p, out.some);
    }
    std::sort(out.some.begin(), out.some.end());
    out.some.erase(std::unique(out.some.begin(), out.some.end()), out.some.end());
    return out;
  }

 private:
  static bool has_names(const PortSet& ports) {
    for (const auto& item : ports.items())
      if (!item.name.empty()) return true;
    return false;
  }

  // The services a peer may select: those of the namespaces it covers, narrowed by the
  // app values its pod selector requires when it requires some.
  void add_peer(const Service& owner, const Peer& p, std::vector<std::size_t>& out) const {
    if (p.ip_block) return;
    for (const auto& [ns, members] : by_ns_) {
      const Labels& ns_labels = ns_labels_.at(ns);
      if (p.namespaces ? !p.namespaces->matches(ns_labels) : ns != owner.ns) continue;
      const Requirement* app = nullptr;
      if (p.pods)
        for (const Requirement& q : p.pods->requirements())
          if (q.key == "app" && q.op == Requirement::Op::In) app = &q;
      if (!app) {
        out.insert(out.end(), members.begin(), members.end());
        continue;
      }
      for (const auto& v : app->values)
        if (auto it = by_app_.find({ns, v}); it != by_app_.end())
          out.insert(out.end(), it->second.begin(), it->second.end());
    }
  }

  const Chart& chart_;
  std::map<std::string, std::vector<std::size_t>> by_ns_;
  std::map<std::string, Labels> ns_labels_;
  std::map<std::pair<std::string, std::string>, std::vector<std::size_t>> by_app_;
};

}  // namespace

std::vector<std::pair<std::size_t, std::size_t>> candidate_pairs(const Chart& chart) {
  std::vector<std::size_t> all(chart.services.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  return candidate_pairs(chart, all);
}

std::vector<std::pair<std::size_t, std::size_t>> candidate_pairs(
    const Chart& chart, const std::vector<std::size_t>& among) {
  const std::size_t n = among.size();
  ServiceIndex index(chart, among);
  std::vector<Selection> egress(n), ingress(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Service& s = chart.services[among[i]];
    egress[i] = index.select(s, s.egress);
    ingress[i] = index.select(s, s.ingress);
  }
  std::vector<std::pair<std::size_t, std::size_t>> out;
  // A pair may have an edge only when the source's egress admits the destination and the
  // destination's ingress the source, each by a peer list (`some`) or by a rule without one
  // (`all`). Each of these products is walked from its smaller side and the other side
  // looked up, so a peer that selects every pod costs the pairs the other side admits, not
  // one per pod.
  std::vector<std::vector<std::size_t>> listed_by(n);  // source -> destinations listing it
  std::vector<std::size_t> open_ingress;               // destinations admitting any source
  for (std::size_t d = 0; d < n; ++d) {
    for (std::size_t s : ingress[d].some) listed_by[s].push_back(d);
    if (ingress[d].all) open_ingress.push_back(d);
  }
  auto in = [](const std::vector<std::size_t>& sorted, std::size_t x) {
    return std::binary_search(sorted.begin(), sorted.end(), x);
  };
  for (std::size_t s = 0; s < n; ++s) {
    const std::vector<std::size_t>& listed = egress[s].some;
    // Ingress by peer list: against egress by peer list, or by a rule without one.
    if (egress[s].all) {
      for (std::size_t d : listed_by[s]) out.emplace_back(s, d);
    } else if (listed.size() <= listed_by[s].size()) {
      for (std::size_t d : listed)
        if (in(ingress[d].some, s)) out.emplace_back(s, d);
    } else {
      for (std::size_t d : listed_by[s])
        if (in(listed, d)) out.emplace_back(s, d);
    }
    // Egress by peer list against ingress by a rule without one.
    if (listed.size() <= open_ingress.size()) {
      for (std::size_t d : listed)
        if (ingress[d].all) out.emplace_back(s, d);
    } else {
      for (std::size_t d : open_ingress)
        if (in(listed, d)) out.emplace_back(s, d);
    }
  }
  // Rules without a peer list on both sides: group the sides by their ports, and keep the
  // groups whose ports can meet (names meet unless resolved apart, so they always may).
  struct Group {
    PortSet ports;
    std::vector<std::size_t> members;
  };
  std::map<std::vector<std::string>, Group> senders, receivers;  // keyed by the ports' tokens
  std::vector<std::size_t> named_senders, named_receivers;
  auto group = [](std::map<std::vector<std::string>, Group>& groups, const PortSet& ports,
                  std::size_t i) {
    Group& g = groups[ports.tokens()];
    g.ports = ports;
    g.members.push_back(i);
  };
  for (std::size_t i = 0; i < n; ++i) {
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
