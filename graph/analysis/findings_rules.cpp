// check: what the rules say against the profile and the selectors.

#include "graph/analysis/finder.hpp"

namespace netpol::graph::findings_detail {

void Finder::one_sided() {
  const Chart& chart = analysis_.chart;
  for (const Service& service : chart.services) {
    for (const Rule& rule : service.egress) {
      if (rule.origin != RuleOrigin::PeerApp) continue;
      const Service* destination = chart.service(rule.name);
      if (!destination) continue;
      PortSet sent = rule.ports.resolve(destination->ports);
      if (!sent.intersect(ingress_from(chart, *destination, service).ports).empty()) continue;
      add("one-sided-peer",
          service.name + " lists " + destination->name + " in egressTo on " + sent.label() +
              ", but " + destination->name + "'s ingress does not admit " + service.name +
              " there: the entry opens nothing",
          rule_key(rule),
          "add {app: " + service.name + "} with those ports to " + destination->name +
              ".networkPolicy.ingressFrom, or remove the entry",
          service.name + " -> " + destination->name);
    }
    for (const Rule& rule : service.ingress) {
      if (rule.origin != RuleOrigin::PeerApp) continue;
      const Service* from = chart.service(rule.name);
      if (!from) continue;
      PortSet admitted = rule.ports.resolve(service.ports);
      if (!admitted.intersect(egress_without_dns(*from, service)).empty()) continue;
      add("one-sided-peer",
          service.name + " lists " + from->name + " in ingressFrom on " + admitted.label() +
              ", but " + from->name + "'s egress does not send to " + service.name +
              " there: the entry opens nothing",
          rule_key(rule),
          "add {app: " + service.name + "} with those ports to " + from->name +
              ".networkPolicy.egressTo, or remove the entry",
          from->name + " -> " + service.name);
    }
  }
}

void Finder::documented() {
  for (const auto& over : analysis_.documented_vs_effective.over_permissions) {
    std::string addresses;
    if (auto v = analysis_.graph.find(over.destination))
      for (const auto& e : analysis_.graph.node(*v).entries)
        addresses += (addresses.empty() ? "" : ", ") + e.block.str();
    add("over-permission",
        over.service + " may reach " + over.label +
            (addresses.empty() ? "" : " (" + addresses + ")") + " on " + over.ports.label() +
            ", which the profile does not list among its needs",
        over.opened_by.empty() ? Provenance{} : over.opened_by.front(),
        "if " + over.service +
            " does not need it, give it an egress rule for what it does need "
            "instead of allowExternalEgress; if it does, add it to the profile's needs",
        over.service + " -> " + over.destination,
        // An external destination is named by the profile or an entry's `name:`: by its
        // addresses, the same finding after a rename.
        addresses.empty() ? "" : over.service + " -> " + addresses + " on " + over.ports.label());
  }
  for (const auto& b : analysis_.documented_vs_effective.broken_dependencies)
    add("broken-dependency",
        b.service + " is documented to need " + b.need + " but may not reach it: " + b.reason,
        b.key, b.fix, b.service + " needs " + b.need);
}

void Finder::selector_all() {
  std::set<std::string> seen;
  for (const Service& service : analysis_.chart.services)
    for (const auto* rules : {&service.ingress, &service.egress})
      for (const Rule& rule : *rules) {
        if (service.ingress_controller) break;  // its rules are Ingress objects', not selectors
        if (rule.origin != RuleOrigin::Raw || !seen.insert(rule_key(rule).path).second) continue;
        for (const Peer& peer : rule.peers) {
          std::string what;
          if (peer.namespaces && peer.namespaces->empty())
            what = "every namespace" +
                   std::string(peer.pods && !peer.pods->empty() ? "" : " (all their pods)");
          else if (!peer.namespaces && peer.pods && peer.pods->empty())
            what = "every pod of the namespace";
          else if (peer.ip_block && peer.ip_block->cidr.is_everything())
            what = "every address (" + peer.ip_block->cidr.str() + ")";
          if (what.empty()) continue;
          add("selector-all", "a raw rule selects " + what, rule_key(rule),
              "select only the namespaces, pods or addresses that need it", what);
        }
      }
}

void Finder::no_service_ports() {
  for (const Service& s : analysis_.chart.services)
    for (const Rule& rule : s.ingress)
      if (rule.origin == RuleOrigin::AllowExternal && s.ports.empty())
        add("no-service-ports",
            s.name +
                " has allowExternal but no known service port, so any source may reach "
                "every port of it",
            s.allow_external_key,
            "set " + s.name + ".service.port (or .ports), or turn allowExternal off", s.name);
}

void Finder::noncanonical() {
  std::set<std::string> seen;
  auto check = [&](const Cidr& c) {
    if (c.is_canonical() || !seen.insert(c.origin_path()).second) return;
    add("noncanonical-cidr", c.written() + " has host bits set; it means " + c.str(),
        {c.origin_path(), c.origin()}, "write " + c.str(), c.written());
  };
  for (const Service& service : analysis_.chart.services)
    for (const auto* rules : {&service.ingress, &service.egress})
      for (const Rule& rule : *rules)
        for (const Peer& peer : rule.peers)
          if (peer.ip_block) {
            check(peer.ip_block->cidr);
            for (const Cidr& e : peer.ip_block->except) check(e);
          }
}
}  // namespace netpol::graph::findings_detail
