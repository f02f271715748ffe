#include "graph/model/classes.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <unordered_map>

#include "graph/rules/match.hpp"

namespace netpol::graph {
namespace {

// One distinct peer of some rule: its selectors, and for a peer without a namespaceSelector
// the namespace of the policy it belongs to (it selects pods of that namespace only).
struct DistinctPeer {
  const Peer* peer = nullptr;
  std::string owner_ns;
};

// Pods alike for every selector: a namespace (with its labels) and the labels that some pod
// selector reads.
struct Shape {
  const std::string* ns = nullptr;
  const Labels* ns_labels = nullptr;
  Labels labels;
  std::vector<std::uint32_t> matched_by;  // distinct peers selecting these pods, ascending
};

void append(std::string& out, const std::string& s) {
  out += std::to_string(s.size());
  out += ':';
  out += s;
}

bool has_names(const PortSet& ports) {
  for (const auto& item : ports.items())
    if (!item.name.empty()) return true;
  return false;
}

const Requirement* app_in(const Peer& p) {
  return p.pods ? graph::app_in(*p.pods) : nullptr;
}

class Classifier {
 public:
  explicit Classifier(const Chart& chart) : chart_(chart) {}

  ServiceClasses run() {
    const auto& services = chart_.services;
    for (const Service& service : services)
      for (const auto* rules : {&service.ingress, &service.egress})
        for (const Rule& r : *rules) {
          named_ports_ = named_ports_ || has_names(r.ports);
          for (const Peer& p : r.peers) add_peer(p, service.ns);
          // Admin policies' exclusions select pods too: pods they tell apart differ.
          for (const Exclusion& exclusion : r.except) {
            named_ports_ = named_ports_ || has_names(exclusion.match.ports);
            for (const Peer& p : exclusion.match.peers) add_peer(p, service.ns);
            for (const AdminMatch& u : exclusion.unless)
              for (const Peer& p : u.peers) add_peer(p, service.ns);
          }
        }
    // Shapes of pods, then which distinct peers select each shape.
    std::vector<std::uint32_t> shape_of(services.size());
    std::unordered_map<std::string, std::uint32_t> shape_ids;
    std::map<std::string, std::vector<std::uint32_t>> by_app;
    for (std::size_t i = 0; i < services.size(); ++i) {
      const Service& service = services[i];
      Shape shape{&service.ns, &service.ns_labels, {}, {}};
      for (const auto& [k, v] : service.labels)
        if (read_keys_.count(k)) shape.labels.emplace(k, v);
      std::string key;
      append(key, service.ns);
      for (const auto& [k, v] : service.ns_labels) append(key, k), append(key, v);
      key += '|';
      for (const auto& [k, v] : shape.labels) append(key, k), append(key, v);
      auto [it, fresh] =
          shape_ids.emplace(std::move(key), static_cast<std::uint32_t>(shapes_.size()));
      if (fresh) {
        if (auto app = shape.labels.find(std::string(kAppLabel)); app != shape.labels.end())
          by_app[app->second].push_back(it->second);
        shapes_.push_back(std::move(shape));
      }
      shape_of[i] = it->second;
    }
    for (std::uint32_t id = 0; id < peers_.size(); ++id) {
      const DistinctPeer& dp = peers_[id];
      auto visit = [&](std::uint32_t sh) {
        if (selects(dp, shapes_[sh])) shapes_[sh].matched_by.push_back(id);
      };
      if (const Requirement* app = app_in(*dp.peer)) {
        for (const auto& v : app->values)
          if (auto it = by_app.find(v); it != by_app.end())
            for (std::uint32_t sh : it->second) visit(sh);
      } else {
        for (std::uint32_t sh = 0; sh < shapes_.size(); ++sh) visit(sh);
      }
    }
    // A service's class: how it is selected, its own rules but for provenance, and its named
    // ports when some rule has a named port.
    ServiceClasses out;
    out.class_of.resize(services.size());
    std::unordered_map<std::string, std::size_t> class_ids;
    for (std::size_t i = 0; i < services.size(); ++i) {
      const Service& service = services[i];
      std::string key;
      for (std::uint32_t p : shapes_[shape_of[i]].matched_by) key += std::to_string(p) + ',';
      key += '|';
      for (const auto* rules : {&service.ingress, &service.egress}) {
        for (const Rule& r : *rules) rule_key(key, r, service.ns);
        key += '|';
      }
      if (named_ports_)
        for (const NamedPort& np : service.ports) {
          append(key, np.name);
          key += std::to_string(static_cast<int>(np.protocol)) + '/' + std::to_string(np.port);
        }
      auto [it, fresh] = class_ids.emplace(std::move(key), out.members.size());
      if (fresh) out.members.emplace_back();
      out.members[it->second].push_back(i);
      out.class_of[i] = it->second;
    }
    return out;
  }

 private:
  std::string peer_key(const Peer& peer, const std::string& owner_ns) const {
    std::string key;
    if (peer.namespaces)
      append(key, "n" + peer.namespaces->str());
    else
      append(key, "o" + owner_ns);
    append(key, peer.pods ? "p" + peer.pods->str() : "-");
    return key;
  }

  void add_peer(const Peer& peer, const std::string& owner_ns) {
    if (peer.ip_block) return;
    if (peer.pods)
      for (const Requirement& q : peer.pods->requirements()) read_keys_.insert(q.key);
    peer_id(peer, owner_ns);
  }

  std::uint32_t peer_id(const Peer& peer, const std::string& owner_ns) {
    auto [it, fresh] =
        peer_ids_.emplace(peer_key(peer, owner_ns), static_cast<std::uint32_t>(peers_.size()));
    if (fresh) peers_.push_back({&peer, peer.namespaces ? std::string() : owner_ns});
    return it->second;
  }

  static bool selects(const DistinctPeer& dp, const Shape& shape) {
    const Peer& p = *dp.peer;
    if (p.namespaces ? !p.namespaces->matches(*shape.ns_labels) : *shape.ns != dp.owner_ns)
      return false;
    return !p.pods || p.pods->matches(shape.labels);
  }

  void rule_key(std::string& key, const Rule& rule, const std::string& owner_ns) {
    key += std::to_string(static_cast<int>(rule.origin));
    key += rule.any_peer ? '*' : '.';
    append(key, rule.name);
    for (const auto& t : rule.ports.tokens()) append(key, t);
    key += '[';
    for (const Peer& peer : rule.peers) {
      if (peer.ip_block)
        append(key, "ip" + peer.ip_block->str());
      else
        key += std::to_string(peer_ids_.at(peer_key(peer, owner_ns))) + ',';
    }
    key += ']';
    auto match_key = [&](const AdminMatch& match) {
      for (const auto& t : match.ports.tokens()) append(key, t);
      key += '(';
      for (const Peer& p : match.peers)
        if (!p.ip_block) key += std::to_string(peer_ids_.at(peer_key(p, owner_ns))) + ',';
      key += ')';
    };
    for (const Exclusion& exclusion : rule.except) {
      key += '-';
      match_key(exclusion.match);
      for (const AdminMatch& u : exclusion.unless) key += '+', match_key(u);
    }
  }

  const Chart& chart_;
  bool named_ports_ = false;
  std::set<std::string> read_keys_;
  std::vector<DistinctPeer> peers_;
  std::unordered_map<std::string, std::uint32_t> peer_ids_;
  std::vector<Shape> shapes_;
};

// The positions in `of` of the rules that contribute to `ports` towards `destination`.
std::vector<std::uint32_t> indices(const std::vector<const Rule*>& rules,
                                   const std::vector<Rule>& of, const PortSet& ports,
                                   const Service& destination) {
  std::vector<std::uint32_t> out;
  out.reserve(rules.size());
  for (const Rule* r : rules)
    if (!r->ports.resolve(destination.ports).intersect(ports).empty())
      out.push_back(static_cast<std::uint32_t>(r - of.data()));
  return out;
}

}  // namespace

ServiceClasses classify(const Chart& chart) {
  return Classifier(chart).run();
}

std::vector<ClassAccess> class_access(const Chart& chart, const ServiceClasses& classes) {
  std::vector<std::size_t> reps;
  reps.reserve(classes.members.size());
  for (const auto& m : classes.members) reps.push_back(m.front());
  auto pairs = candidate_pairs(chart, reps);
  for (std::size_t c = 0; c < classes.members.size(); ++c)
    if (classes.members[c].size() > 1) pairs.emplace_back(c, c);
  std::sort(pairs.begin(), pairs.end());
  std::vector<ClassAccess> out;
  for (const auto& [a, b] : pairs) {
    const Service& service = chart.services[reps[a]];
    const Service& destination = chart.services[reps[b]];
    SidePorts eg = egress_towards(chart, service, destination),
              in = ingress_from(chart, destination, service);
    PortSet ports = eg.ports.intersect(in.ports);
    if (ports.empty()) continue;
    auto egress = indices(eg.rules, service.egress, ports, destination);
    auto ingress = indices(in.rules, destination.ingress, ports, destination);
    out.push_back({a, b, std::move(ports), std::move(egress), std::move(ingress)});
  }
  return out;
}

std::size_t pair_count(const std::vector<ClassAccess>& access, const ServiceClasses& classes) {
  std::size_t n = 0;
  for (const ClassAccess& a : access) {
    std::size_t from = classes.members[a.from].size(), to = classes.members[a.to].size();
    n += a.from == a.to ? from * (from - 1) : from * to;
  }
  return n;
}

std::vector<Provenance> member_provenance(const std::vector<Rule>& rules,
                                          const std::vector<std::uint32_t>& indices,
                                          const PortSet& ports, const Service& destination) {
  std::vector<Provenance> out;
  for (std::uint32_t i : indices) {
    const Rule& rule = rules[i];
    if (rule.ports.resolve(destination.ports).intersect(ports).empty()) continue;
    for (const auto& p : rule.provenance)
      if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
  }
  return out;
}

}  // namespace netpol::graph
