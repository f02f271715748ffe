#include "graph/analysis/comm_map.hpp"

#include "graph/analysis/analysis.hpp"

#include <algorithm>
#include <string_view>
#include <unordered_set>

namespace netpol::graph {
namespace {

using Vertex = PolicyGraph::Vertex;

void add_once(std::vector<std::string>& v, const std::string& s) {
  if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
}

// Services in the order the service's own peer rules name them, then the rest in chart order.
// Linear in rules plus peers: a service open to every other lists them all.
std::vector<std::string> ordered_peers(const std::vector<Rule>& rules,
                                       const std::vector<std::string>& connected) {
  std::unordered_set<std::string_view> left(connected.begin(), connected.end());
  std::vector<std::string> out;
  out.reserve(connected.size());
  for (const Rule& r : rules)
    if (r.origin == RuleOrigin::PeerApp && left.erase(r.name)) out.push_back(r.name);
  for (const auto& c : connected)
    if (left.erase(c)) out.push_back(c);
  return out;
}

}  // namespace

CommunicationMap communication_map(const PolicyGraph& graph, const Chart& chart,
                                   const Profile& profile, const DocumentedComparison& documented,
                                   View view) {
  CommunicationMap map;
  map.policies_enabled = chart.enabled;
  map.enabled_at = chart.enabled_at;
  bool all_dns = !chart.services.empty();
  for (const Service& svc : chart.services) {
    MapRow row;
    row.service = svc.name;
    Vertex v = *graph.find(svc.name);
    const ProfileService* ps = profile.service(svc.name);

    // A class of services stands for its members (the row's own service excepted) as
    // "(every service)", "(12 services alike: a, b, c, ...)".
    std::vector<std::string> peers, outside, classes;
    for (Vertex src : graph.hop_sources(v)) {
      const Node& node = graph.node(src);
      if (node.kind == NodeKind::Service) {
        peers.push_back(node.id);
        // Through the ingress controller, outside clients reach it: external ingress.
        if (const Service* from = chart.service(node.id); from && from->ingress_controller)
          row.external_ingress = true;
      } else if (node.kind == NodeKind::ClassSenders)
        classes.push_back("(" + node.label + ")");
      else if (node.kind == NodeKind::AnySource) {
        row.external_ingress = true;
        if (ps && !ps->external_sources.empty())
          outside.insert(outside.begin(), "(" + ps->external_sources + ")");
      } else {
        outside.push_back("(" + node.label + ")");
        // An ipBlock holding internet addresses: external ingress too.
        if (node.kind == NodeKind::External && internet_source(graph, src))
          row.external_ingress = true;
      }
    }
    row.ingress_from = ordered_peers(svc.ingress, peers);
    row.ingress_from.insert(row.ingress_from.end(), classes.begin(), classes.end());
    row.ingress_from.insert(row.ingress_from.end(), outside.begin(), outside.end());
    // Without a profile label, "any source" is named only where "(none)" would mislead.
    if (row.ingress_from.empty() && row.external_ingress)
      row.ingress_from.push_back("(any source)");

    std::vector<Vertex> out = graph.hop_targets(v);
    std::vector<std::string> targets, externals, target_classes;
    bool dns = false;
    bool documented_view = view == View::Documented && ps && ps->needs;
    for (Vertex dst : out) {
      const Node& node = graph.node(dst);
      if (node.kind == NodeKind::Service)
        targets.push_back(node.id);
      else if (node.kind == NodeKind::ClassReceivers)
        target_classes.push_back("(" + node.label + ")");
      else if (node.kind == NodeKind::Dns)
        dns = true;
      else if (node.kind != NodeKind::External || !documented_view) {
        bool undocumented = view == View::Effective && documented.over_permitted(svc.name, node.id);
        map.has_undocumented = map.has_undocumented || undocumented;
        externals.push_back(node.label + (undocumented ? kUndocumented : ""));
      }
    }
    row.egress_to = ordered_peers(svc.egress, targets);
    if (documented_view) {  // each need met, by the entry's own name where it has one
      for (const auto& need : *ps->needs) {
        PortSet wanted = need_ports(profile, need);
        for (Vertex dst : out) {
          const Node& n = graph.node(dst);
          if (n.kind == NodeKind::External &&
              meets_need(n, graph.edge({v, dst}).ports, wanted, need))
            add_once(row.egress_to, n.own_name ? n.label : need);
        }
      }
    }
    row.egress_to.insert(row.egress_to.end(), target_classes.begin(), target_classes.end());
    row.egress_to.insert(row.egress_to.end(), externals.begin(), externals.end());
    if (dns) {
      const PortSet& p = graph.edge({v, *graph.find(std::string(kDnsId))}).ports;
      dns = p.contains(Protocol::UDP, 53) && p.contains(Protocol::TCP, 53);
    }
    all_dns = all_dns && dns;
    map.rows.push_back(std::move(row));
  }
  map.dns_everywhere = chart.enabled && all_dns;
  return map;
}

}  // namespace netpol::graph
