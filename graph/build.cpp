// Building the effective graph from the rendered chart (docs/model.md, "Edges").

#include <algorithm>
#include <set>

#include "graph/classes.hpp"
#include "graph/match.hpp"
#include "graph/policy_graph.hpp"

namespace netpol::graph {
namespace {

// True when the selector can only select chart services' pods: it requires app to be one of
// the services' app labels (pods with app=<service> are taken to be that service's pods).
bool only_chart_pods(const LabelSelector& sel, const std::set<std::string>& apps) {
  for (const Requirement& r : sel.requirements())
    if (r.key == "app" && r.op == Requirement::Op::In &&
        std::all_of(r.values.begin(), r.values.end(),
                    [&](const std::string& v) { return apps.count(v) > 0; }))
      return true;
  return false;
}

class Builder {
 public:
  Builder(const Chart& chart, const Profile& profile, std::size_t max_edges)
      : chart_(chart), profile_(profile) {
    pg_.max_edges = max_edges;
    for (const auto& s : chart.services)
      if (auto app = s.labels.find("app"); app != s.labels.end()) apps_.insert(app->second);
  }

  PolicyGraph build() {
    pg_.policies_enabled = chart_.enabled;
    pg_.ns = chart_.ns;
    for (const auto& s : chart_.services) {
      Node n = Node::make(s.name, NodeKind::Service, s.name);
      if (s.ns != chart_.ns) n.other_ns = s.ns;
      vertex_[s.name] = pg_.add_node(std::move(n));
    }
    if (chart_.enabled)
      build_enabled();
    else
      build_disabled();
    std::vector<std::string> order;
    for (const auto& s : chart_.services) order.push_back(s.name);
    std::vector<std::string> externals;
    for (const auto& e : profile_.externals) externals.push_back(e.name);
    pg_.finish(order, externals);
    return std::move(pg_);
  }

 private:
  using Vertex = PolicyGraph::Vertex;

  Vertex any_source() {
    return pg_.add_node(Node::make(std::string(kAnySourceId), NodeKind::AnySource, "any source"));
  }
  Vertex any_destination() {
    Node n = Node::make(std::string(kAnywhereId), NodeKind::External, "anywhere");
    return pg_.add_node(std::move(n));
  }

  void build_disabled() {
    std::vector<Provenance> why = {chart_.enabled_at};
    Vertex src = any_source(), dst = any_destination();
    for (const auto& s : chart_.services) {
      Vertex v = vertex_.at(s.name);
      pg_.add_to_edge(src, v, PortSet::all(), {}, why);
      pg_.add_to_edge(v, dst, PortSet::all(), why, {});
      for (const auto& d : chart_.services)
        if (d.name != s.name) pg_.add_to_edge(v, vertex_.at(d.name), PortSet::all(), why, why);
    }
  }

  void build_enabled() {
    for (const auto& d : chart_.services)
      for (const Rule& r : d.ingress) add_outside_sources(d, r);
    for (const auto& s : chart_.services)
      for (const Rule& r : s.egress) add_outside_destinations(s, r);
    ServiceClasses classes = classify(chart_);
    for (const ClassAccess& a : class_access(chart_, classes))
      for (std::size_t s : classes.members[a.from])
        for (std::size_t d : classes.members[a.to])
          if (s != d) add_service_pair(chart_.services[s], chart_.services[d], a);
  }

  // The node a peer of `owner`'s policy stands for outside the chart's services, if any.
  std::optional<Vertex> outside_node(const Peer& peer, const Service& owner) {
    Peer p = peer;
    if (!p.namespaces && owner.ns != chart_.ns) {  // pods of another namespace than the main
      p.namespaces.emplace();
      p.namespaces->add_equals("kubernetes.io/metadata.name", owner.ns);
    }
    if (p.ip_block) {
      // A block of every IPv4 (or every IPv6) address is any source (docs/model.md).
      if (p.ip_block->cidr.is_everything() && p.ip_block->except.empty()) return any_source();
      Node n = Node::make(std::string(kExternalPrefix) + p.ip_block->str(), NodeKind::External,
                          p.ip_block->str());
      Vertex v = pg_.add_node(std::move(n));
      pg_.add_entry(v, *p.ip_block, PortSet());
      return v;
    }
    if (!p.namespaces) {
      if (p.pods->empty()) {
        Node n = Node::make(std::string(kNsPodsId), NodeKind::NsPods,
                            "all pods in namespace " + chart_.ns);
        n.pod_selector = "";
        return pg_.add_node(std::move(n));
      }
      if (only_chart_pods(*p.pods, apps_)) return std::nullopt;
      Node n = Node::make(std::string(kSelectorPrefix) + "pods(" + p.pods->str() + ")",
                          NodeKind::Selector, "pods with " + p.pods->describe());
      n.pod_selector = p.pods->str();
      const auto& reqs = p.pods->requirements();
      n.unknown_peer = reqs.size() == 1 && reqs[0].key == "app" && reqs[0].values.size() == 1 &&
                       reqs[0].op == Requirement::Op::In;
      return pg_.add_node(std::move(n));
    }
    std::string where =
        p.namespaces->empty() ? "all namespaces" : "namespaces with " + p.namespaces->describe();
    Node n = Node::make(std::string(kSelectorPrefix) + "ns(" + p.namespaces->str() + ")",
                        NodeKind::Selector, "all pods in " + where);
    n.namespace_selector = p.namespaces->str();
    if (p.pods) {
      n.id += "/pods(" + p.pods->str() + ")";
      n.label = "pods with " + p.pods->describe() + " in " + where;
      n.pod_selector = p.pods->str();
    }
    return pg_.add_node(std::move(n));
  }

  void add_outside_sources(const Service& d, const Rule& r) {
    Vertex dv = vertex_.at(d.name);
    PortSet ports = r.ports.resolve(d.ports);
    if (chart_.from_manifests) ports = ports.without_names();
    if (ports.empty()) return;
    if (r.any_peer) {
      pg_.add_to_edge(any_source(), dv, ports, {}, r.provenance);
      return;
    }
    for (const Peer& p : r.peers) {
      auto src = outside_node(p, d);
      if (!src) continue;
      pg_.add_to_edge(*src, dv, ports, {}, r.provenance);
      if (p.ip_block && pg_.node(*src).kind == NodeKind::External)
        pg_.add_edge_block(*src, dv, *p.ip_block, ports);
    }
  }

  // An edge from service `sv` to the address node `name` (its entries gain the block).
  void to_addresses(Vertex sv, const std::string& name, NodeKind kind, const std::string& label,
                    const IpBlock& block, const PortSet& ports, const Rule& r) {
    std::string id =
        kind == NodeKind::Otlp ? chart_.otlp->id() : std::string(kExternalPrefix) + name;
    Node n = Node::make(id, kind, label);
    n.own_name = r.origin == RuleOrigin::ExternalEgress && !r.name.empty();
    Vertex v = pg_.add_node(std::move(n));
    pg_.add_entry(v, block, ports);
    pg_.add_to_edge(sv, v, ports, r.provenance, {});
    pg_.add_edge_block(sv, v, block, ports);
  }

  void add_outside_destinations(const Service& s, const Rule& r) {
    Vertex sv = vertex_.at(s.name);
    if (r.origin == RuleOrigin::Dns) {
      pg_.add_to_edge(sv, pg_.add_node(Node::make(std::string(kDnsId), NodeKind::Dns, "DNS")),
                      r.ports, r.provenance, {});
      return;
    }
    if (r.any_peer) {
      pg_.add_to_edge(sv, any_destination(), r.ports, r.provenance, {});
      return;
    }
    if (r.origin == RuleOrigin::ExternalEgress) {
      const IpBlock& block = *r.peers.at(0).ip_block;
      for (const auto& [name, ports] : name_externals(r))
        to_addresses(sv, name, NodeKind::External, name, block, ports, r);
      return;
    }
    if (r.origin == RuleOrigin::OtlpExternal) {
      const IpBlock& block = *r.peers.at(0).ip_block;
      std::string label =
          "OTLP collector " + chart_.otlp->host + ":" + std::to_string(chart_.otlp->port);
      to_addresses(sv, "", NodeKind::Otlp, label, block, r.ports, r);
      return;
    }
    for (const Peer& p : r.peers) {
      if (p.ip_block)
        to_addresses(sv, p.ip_block->str(), NodeKind::External, p.ip_block->str(), *p.ip_block,
                     r.ports, r);
      else if (auto dst = outside_node(p, s)) {
        pg_.add_to_edge(sv, *dst, r.ports, r.provenance, {});
      }
    }
  }

  // Splits an externalEgress entry's ports by the name each destination goes by: the entry's
  // own `name:`, else the profile's name for the port, else the address block.
  std::vector<std::pair<std::string, PortSet>> name_externals(const Rule& r) {
    std::string fallback = r.peers.at(0).ip_block->str();
    if (!r.name.empty()) return {{r.name, r.ports}};
    std::map<std::string, PortSet> by_name;
    for (const auto& item : r.ports.items()) {
      std::string name = fallback;
      if (!item.all && item.name.empty() && item.lo == item.hi)
        if (auto n = profile_.external_name(item.protocol, item.lo)) name = *n;
      by_name[name] = by_name[name].unite(PortSet::of(item));
    }
    return {by_name.begin(), by_name.end()};
  }

  // The edge s -> d of a class access: its ports, and the provenance of s's and d's own
  // rules at the access's positions.
  void add_service_pair(const Service& s, const Service& d, const ClassAccess& a) {
    pg_.add_to_edge(vertex_.at(s.name), vertex_.at(d.name), a.ports,
                    member_provenance(s.egress, a.egress_rules, a.ports, d),
                    member_provenance(d.ingress, a.ingress_rules, a.ports, d));
  }

  const Chart& chart_;
  const Profile& profile_;
  std::set<std::string> apps_;
  std::map<std::string, Vertex> vertex_;
  PolicyGraph pg_;
};

}  // namespace

PolicyGraph build_graph(const Chart& chart, const Profile& profile, std::size_t max_edges) {
  return Builder(chart, profile, max_edges).build();
}

}  // namespace netpol::graph
