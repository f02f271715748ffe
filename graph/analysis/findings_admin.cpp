// check: admin tiers that decide nothing.

#include "graph/analysis/finder.hpp"

namespace netpol::graph::findings_detail {

// Whether the Allow rules before `deny` (in one service's order) take all it matches: its
// pods (as sets, docs/model.md "Pods as sets") and addresses, each on its ports, less
// what each earlier Allow takes on its own ports. The first Allow that took some, or null
// when something is left for the Deny to decide.
const AdminRule* Finder::shadowed_by(const std::vector<AdminRule>& order, std::size_t deny) {
  const AdminRule& rule = order[deny];
  std::vector<std::pair<PodCubes, PortSet>> pods;
  std::vector<std::pair<AddressSet, PortSet>> addresses;
  if (PodCubes p = match_pods(rule.match); !p.empty())
    pods.emplace_back(std::move(p), rule.match.ports);
  if (AddressSet a = match_addresses(rule.match); !a.empty())
    addresses.emplace_back(std::move(a), rule.match.ports);
  if (pods.empty() && addresses.empty()) return nullptr;  // matches nothing: decides nothing
  const AdminRule* by = nullptr;
  // Splits each (set, ports) by what `taken` holds: inside it, the ports `allow` leaves.
  auto take = [](auto& regions, const auto& taken, const PortSet& allow) {
    bool took = false;
    std::remove_reference_t<decltype(regions)> next;
    for (auto& [set, ports] : regions) {
      auto in = set.intersect(taken);
      if (in.empty() || ports.intersect(allow).empty()) {
        next.emplace_back(std::move(set), std::move(ports));
        continue;
      }
      took = true;
      if (PortSet left = ports.subtract(allow); !left.empty()) next.emplace_back(in, left);
      if (auto out = set.subtract(taken); !out.empty()) next.emplace_back(std::move(out), ports);
    }
    regions = std::move(next);
    return took;
  };
  for (std::size_t i = 0; i < deny && !(pods.empty() && addresses.empty()); ++i) {
    const AdminRule& a = order[i];
    if (a.baseline || a.action != AdminAction::Allow) continue;
    bool took = take(pods, match_pods(a.match), a.match.ports);
    took = take(addresses, match_addresses(a.match), a.match.ports) || took;
    if (took && !by) by = &a;
  }
  return pods.empty() && addresses.empty() ? by : nullptr;
}

// An AdminNetworkPolicy Deny that decides nothing: for every service it applies to, Allow
// rules of higher priority take all the traffic it matches first.
void Finder::admin_shadowed() {
  struct Seen {
    const AdminRule* rule;
    const AdminRule* by = nullptr;
    bool shadowed = true;
    std::vector<std::string> services;
  };
  std::map<std::string, Seen> by_rule;  // by "file:line:col path"
  std::vector<std::string> order;
  for (const Service& service : analysis_.chart.services)
    for (const auto* list : {&service.admin_ingress, &service.admin_egress})
      for (std::size_t i = 0; i < list->size(); ++i) {
        const AdminRule& r = (*list)[i];
        if (r.baseline || r.action != AdminAction::Deny) continue;
        std::string key = r.at.where.str() + " " + r.at.path;
        auto [it, fresh] = by_rule.try_emplace(key, Seen{&r, nullptr, true, {}});
        if (fresh) order.push_back(key);
        const AdminRule* by = shadowed_by(*list, i);
        if (!by) it->second.shadowed = false;
        if (!it->second.by) it->second.by = by;
        it->second.services.push_back(service.name);
      }
  for (const auto& key : order) {
    const Seen& seen = by_rule.at(key);
    if (!seen.shadowed) continue;
    add("admin-deny-shadowed",
        seen.rule->describe() + " never decides: " + seen.by->describe() +
            " allows all it matches first (for " + join(seen.services) + ")",
        seen.rule->at, "give the Deny a lower priority number than the Allow, or narrow the Allow",
        seen.rule->describe());
  }
}

// Pods that no NetworkPolicy selects for a direction, where the BaselineAdminNetworkPolicy
// has rules for them: the baseline, not the application's own policies, decides.
void Finder::baseline_decides() {
  for (bool egress : {false, true}) {
    std::vector<std::string> services;
    const AdminRule* first = nullptr;
    for (const Service& s : analysis_.chart.services) {
      if (egress ? s.egress_isolated : s.ingress_isolated) continue;
      for (const AdminRule& rule : egress ? s.admin_egress : s.admin_ingress)
        if (rule.baseline) {
          if (!first) first = &rule;
          services.push_back(s.name);
          break;
        }
    }
    if (!first) continue;
    std::string dir = egress ? "egress" : "ingress";
    add("baseline-decides",
        first->policy + " decides the " + dir + " of " + std::to_string(services.size()) +
            (services.size() == 1 ? " service" : " services") +
            " no NetworkPolicy overrides: " + join(services),
        first->at,
        "add NetworkPolicies for these services if their " + dir +
            " should be the application's decision rather than the cluster default",
        first->policy + " " + dir);
  }
}
}  // namespace netpol::graph::findings_detail
