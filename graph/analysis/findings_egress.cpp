// check: DNS to any destination, and egress open to the world.

#include "graph/analysis/finder.hpp"

namespace netpol::graph::findings_detail {

void Finder::dns() {
  if (analysis_.chart.from_manifests) return dns_rules();
  for (const Service& s : analysis_.chart.services)
    for (const Rule& rule : s.egress)
      if (rule.origin == RuleOrigin::Dns) {
        add("dns-any-destination",
            "every service may send DNS (TCP 53, UDP 53) to any address, as the chart always "
            "renders it",
            analysis_.chart.enabled_at,
            "nothing in the values narrows it; a cluster-wide policy outside the chart can "
            "limit DNS to kube-dns");
        return;
      }
}

// Read from manifests, the DNS-shaped rules are whatever the policies say: one finding per
// rule, naming the services it applies to.
void Finder::dns_rules() {
  std::map<std::string, std::pair<const Rule*, std::vector<std::string>>> by_rule;
  std::vector<std::string> order;
  for (const Service& service : analysis_.chart.services)
    for (const Rule& r : service.egress)
      if (r.origin == RuleOrigin::Dns) {
        const std::string& key = rule_key(r).path;
        if (!by_rule.count(key)) order.push_back(key);
        by_rule[key].first = &r;
        by_rule[key].second.push_back(service.name);
      }
  for (const auto& key : order) {
    const auto& [rule, services] = by_rule.at(key);
    add("dns-any-destination",
        join(services) + " may send DNS (" + rule->ports.label() +
            ") to any address: the rule has no `to`",
        rule_key(*rule),
        "limit `to` to the cluster's DNS pods (e.g. namespaceSelector kube-system and "
        "podSelector k8s-app: kube-dns)",
        rule->ports.label());
  }
}

void Finder::open_world() {
  struct Open {
    Provenance key;
    std::string blocks;
    PortSet ports;
    std::vector<std::string> services;
    bool unrestricted = false;  // a workload no egress policy selects (manifests)
  };
  std::map<std::string, Open> by_key;
  std::vector<std::string> order;
  for (const Service& service : analysis_.chart.services)
    for (const Rule& rule : service.egress) {
      if (rule.origin == RuleOrigin::Dns) continue;
      std::string blocks;
      if (rule.any_peer) blocks = "any address";
      for (const Peer& p : rule.peers)
        if (p.ip_block && p.ip_block->cidr.is_everything())
          blocks += (blocks.empty() ? "" : ", ") + p.ip_block->str();
      if (blocks.empty()) continue;
      const Provenance& key = rule_key(rule);
      auto [it, fresh] = by_key.try_emplace(
          key.path, Open{key, blocks, rule.ports, {}, rule.origin == RuleOrigin::Unrestricted});
      if (fresh) order.push_back(key.path);
      auto& services = it->second.services;  // a service's rules may share their key
      if (services.empty() || services.back() != service.name) services.push_back(service.name);
    }
  std::set<std::string> said_alone;
  for (const auto& kv : by_key) said_alone.insert(kv.first);
  open_world_together(said_alone);
  for (const auto& path : order) {
    const Open& o = by_key.at(path);
    // No policy to narrow: one selecting the workload for egress is the fix.
    add("egress-open-world",
        "egress to " + o.blocks + " on " + o.ports.label() + " for " + join(o.services), o.key,
        o.unrestricted ? "select " + join(o.services) +
                             " with a NetworkPolicy for Egress that allows only what " +
                             (o.services.size() == 1 ? "it needs" : "they need")
                       : "narrow " + o.key.path + " to the addresses the " +
                             service_word(analysis_.chart.from_manifests) + "s need",
        o.blocks + " on " + o.ports.label());
  }
}

// Services whose egress rules, none of them to every address alone, together allow every
// globally reachable address of a family on some ports (0.0.0.0/1 and 128.0.0.0/1 on 443):
// open to the world all the same, said once per first such rule, with its services.
void Finder::open_world_together(const std::set<std::string>& said_alone) {
  const AddressSet global = AddressSet::globally_reachable();
  const AddressSet families[] = {global.intersect(AddressSet::all_v4()),
                                 global.intersect(AddressSet::all_v6())};
  struct Together {
    Provenance key;
    PortSet ports;
    std::vector<std::string> blocks, services;
  };
  std::map<std::string, Together> by_key;
  std::vector<std::string> order;
  for (const Service& service : analysis_.chart.services) {
    AccessMap egress;
    const Rule* first = nullptr;
    std::vector<std::string> blocks;
    bool single_rule = false;
    for (const Rule& rule : service.egress) {
      if (rule.origin == RuleOrigin::Dns) continue;
      single_rule = single_rule || said_alone.count(rule_key(rule).path);
      for (const Peer& peer : rule.peers)
        if (peer.ip_block) {
          egress.grant_addresses(AddressSet::of(*peer.ip_block), rule.ports);
          if (!first) first = &rule;
          blocks.push_back(peer.ip_block->str());
        }
    }
    if (!first || single_rule) continue;
    // The ports every address of a family may be reached on.
    PortSet open;
    for (const AddressSet& family : families) {
      std::optional<PortSet> common;
      AddressSet covered;
      for (const auto& piece : egress.pieces()) {
        if (!piece.to.addresses.intersects(family)) continue;
        covered = covered.unite(piece.to.addresses);
        common = common ? common->intersect(piece.ports) : piece.ports;
      }
      if (common && family.subset_of(covered)) open = open.unite(*common);
    }
    if (open.empty()) continue;
    const Provenance& key = rule_key(*first);
    auto [it, fresh] = by_key.try_emplace(key.path, Together{key, open, blocks, {}});
    if (fresh) order.push_back(key.path);
    it->second.services.push_back(service.name);
  }
  for (const auto& path : order) {
    const Together& t = by_key.at(path);
    std::vector<std::string> blocks = t.blocks;
    std::sort(blocks.begin(), blocks.end());
    blocks.erase(std::unique(blocks.begin(), blocks.end()), blocks.end());
    add("egress-open-world",
        "egress to every public address on " + t.ports.label() + " for " + join(t.services) +
            ", by rules that together cover it (" + join(blocks) + ")",
        t.key,
        "narrow " + t.key.path + " and the rules beside it to the addresses the services need",
        "every public address (" + join(blocks) + ") on " + t.ports.label());
  }
}

// Egress of `from` towards `to`, without the DNS rule every service has.
PortSet Finder::egress_without_dns(const Service& from, const Service& to) {
  PortSet out;
  for (const Rule& r : from.egress)
    if (r.origin != RuleOrigin::Dns && rule_selects(r, to, from.ns))
      out = out.unite(r.ports.resolve(to.ports));
  return out;
}
}  // namespace netpol::graph::findings_detail
