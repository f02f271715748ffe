// The effective graph as a view of the access computed from the rules (chart_access.hpp):
// one node per service and per outside peer, one edge per pair with access (docs/model.md,
// "Edges").

#include <algorithm>
#include <set>

#include "graph/model/chart_access.hpp"
#include "graph/model/classes.hpp"
#include "graph/model/policy_graph.hpp"

namespace netpol::graph {
namespace {

class Builder {
 public:
  Builder(const Chart& chart, const ChartAccess& access, const Profile& profile,
          std::size_t max_edges, std::size_t max_pairs)
      : chart_(chart), access_(access), profile_(profile) {
    pg_.max_edges = max_edges;
    pg_.max_pairs = max_pairs;
  }

  PolicyGraph build() {
    pg_.policies_enabled = chart_.enabled;
    pg_.ns = chart_.ns;
    for (const auto& service : chart_.services) {
      Node node = Node::make(service.name, NodeKind::Service, service.name);
      if (service.ns != chart_.ns) node.other_ns = service.ns;
      vertex_.push_back(pg_.add_node(std::move(node)));
    }
    if (!access_.enabled) {  // the two ends of "everything is allowed", whatever the services
      pg_.add_node(Node::make(std::string(kAnySourceId), NodeKind::AnySource, "any source"));
      pg_.add_node(Node::make(std::string(kAnywhereId), NodeKind::External, "anywhere"));
    }
    for (const OutsideGrant& grant : access_.outside) add_outside(grant);
    if (access_.enabled)
      add_services();
    else
      add_services_disabled();
    std::vector<std::string> order;
    for (const auto& s : chart_.services) order.push_back(s.name);
    std::vector<std::string> externals;
    for (const auto& e : profile_.externals) externals.push_back(e.name);
    pg_.finish(order, externals);
    return std::move(pg_);
  }

 private:
  using Vertex = PolicyGraph::Vertex;

  // One grant as an edge: its peer's node (with the block among its entries) and the keys of
  // the service's side.
  void add_outside(const OutsideGrant& grant) {
    Vertex service = vertex_[grant.service];
    const Node& node = grant.peer();
    const PortSet& ports = grant.ports();
    auto known = pg_.find(node.id);  // (a node is copied only the first time)
    Vertex peer = known ? *known : pg_.add_node(node);
    if (grant.block()) pg_.add_entry(peer, *grant.block(), grant.outward ? ports : PortSet());
    Vertex from = grant.outward ? service : peer, to = grant.outward ? peer : service;
    const std::vector<Provenance>& keys = access_.keys(chart_, grant);
    pg_.add_to_edge(from, to, ports, grant.outward ? keys : std::vector<Provenance>{},
                    grant.outward ? std::vector<Provenance>{} : keys);
    if (grant.block()) pg_.add_edge_block(from, to, *grant.block(), ports);
  }

  // Policies off: every service to every other, by the key that turned them off.
  void add_services_disabled() {
    const std::vector<Provenance>& why = access_.off_keys;
    const std::size_t count = chart_.services.size();
    if (count < 2) return;
    if (access_.pairs() > pg_.max_pairs) {  // one class: every service to every other
      Vertex senders = class_node(access_.classes, 0, NodeKind::ClassSenders);
      Vertex receivers = class_node(access_.classes, 0, NodeKind::ClassReceivers);
      for (Vertex v : vertex_) {
        pg_.add_to_edge(v, senders, PortSet::all(), why, {});
        pg_.add_to_edge(receivers, v, PortSet::all(), {}, why);
      }
      pg_.add_to_edge(senders, receivers, PortSet::all(), why, why);
      return;
    }
    for (Vertex s : vertex_)
      for (Vertex d : vertex_)
        if (d != s) pg_.add_to_edge(s, d, PortSet::all(), why, why);
  }

  // Services to services: pair by pair, or past max_pairs classes as nodes.
  void add_services() {
    const ServiceClasses& classes = access_.classes;
    if (access_.pairs() > pg_.max_pairs) {
      add_classes(classes, access_.between);
      return;
    }
    for (const ClassAccess& a : access_.between)
      for (std::size_t s : classes.members[a.from])
        for (std::size_t d : classes.members[a.to])
          if (s != d) add_service_pair(s, d, a);
  }

  // What a class node is called: every service (workload, from manifests), every service of a
  // namespace, or the first members.
  std::string class_label(const std::vector<std::size_t>& members) const {
    const std::size_t count = members.size();
    const std::string noun = service_word(chart_.from_manifests);
    if (count == chart_.services.size()) return "every " + noun;
    const std::string& ns = chart_.services[members.front()].ns;
    std::size_t in_ns = 0;
    bool one_ns = true;
    for (const auto& s : chart_.services) in_ns += s.ns == ns;
    for (std::size_t m : members) one_ns = one_ns && chart_.services[m].ns == ns;
    if (one_ns && in_ns == count) return "every " + noun + " in namespace " + ns;
    std::string out = std::to_string(count) + " " + noun + "s alike: ";
    for (std::size_t i = 0; i < count && i < 3; ++i)
      out += (i ? ", " : "") + chart_.services[members[i]].name;
    return out + (count > 3 ? ", ..." : "");
  }

  Vertex class_node(const ServiceClasses& classes, std::size_t c, NodeKind kind) {
    const auto& members = classes.members[c];
    bool senders = kind == NodeKind::ClassSenders;
    std::string id = std::string(senders ? kClassSendersPrefix : kClassReceiversPrefix) +
                     chart_.services[members.front()].name;
    if (auto v = pg_.find(id)) return *v;
    Node n = Node::make(id, kind, class_label(members));
    for (std::size_t m : members) n.members.push_back(vertex_[m]);
    return pg_.add_node(std::move(n));
  }

  // Classes as nodes (policy_graph.hpp): each class edge once, each member linked to its
  // class's nodes once, with its own keys.
  void add_classes(const ServiceClasses& classes, const std::vector<ClassAccess>& access) {
    auto multi = [&](std::size_t c) { return classes.members[c].size() > 1; };
    std::vector<std::set<std::uint32_t>> sends(classes.members.size()),
        receives(classes.members.size());
    std::vector<PortSet> send_ports(classes.members.size()), receive_ports(classes.members.size());
    for (const ClassAccess& pair : access) {
      const std::size_t first_from = classes.members[pair.from].front(),
                        first_to = classes.members[pair.to].front();
      const Service &rep_from = chart_.services[first_from], &rep_to = chart_.services[first_to];
      if (!multi(pair.from) && !multi(pair.to)) {
        add_service_pair(first_from, first_to, pair);
        continue;
      }
      Vertex from = multi(pair.from) ? class_node(classes, pair.from, NodeKind::ClassSenders)
                                     : vertex_[first_from];
      Vertex to = multi(pair.to) ? class_node(classes, pair.to, NodeKind::ClassReceivers)
                                 : vertex_[first_to];
      pg_.add_to_edge(
          from, to, pair.ports,
          multi(pair.from)
              ? std::vector<Provenance>{}
              : member_provenance(rep_from.egress, pair.egress_rules, pair.ports, rep_to),
          multi(pair.to)
              ? std::vector<Provenance>{}
              : member_provenance(rep_to.ingress, pair.ingress_rules, pair.ports, rep_to));
      Edge& edge = pg_.mutable_edge(from, to);
      if (multi(pair.from)) {
        edge.egress_rules = pair.egress_rules;
        sends[pair.from].insert(pair.egress_rules.begin(), pair.egress_rules.end());
        send_ports[pair.from] = send_ports[pair.from].unite(pair.ports);
      }
      if (multi(pair.to)) {
        edge.ingress_rules = pair.ingress_rules;
        receives[pair.to].insert(pair.ingress_rules.begin(), pair.ingress_rules.end());
        receive_ports[pair.to] = receive_ports[pair.to].unite(pair.ports);
      }
    }
    auto keys = [](const std::vector<Rule>& rules, const std::set<std::uint32_t>& at) {
      std::vector<Provenance> out;
      for (std::uint32_t i : at)
        for (const auto& p : rules[i].provenance)
          if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
      return out;
    };
    auto rule_keys = [](const std::vector<Rule>& rules) {
      std::vector<std::vector<Provenance>> out;
      out.reserve(rules.size());
      for (const Rule& r : rules) out.push_back(r.provenance);
      return out;
    };
    for (std::size_t class_index = 0; class_index < classes.members.size(); ++class_index) {
      if (!multi(class_index) || (sends[class_index].empty() && receives[class_index].empty()))
        continue;
      for (std::size_t member : classes.members[class_index]) {
        const Service& service = chart_.services[member];
        Vertex v = vertex_[member];
        Node& node = pg_.mutable_node(v);
        if (!sends[class_index].empty()) {
          node.egress_rules = rule_keys(service.egress);
          pg_.add_to_edge(v, class_node(classes, class_index, NodeKind::ClassSenders),
                          send_ports[class_index], keys(service.egress, sends[class_index]), {});
        }
        if (!receives[class_index].empty()) {
          node.ingress_rules = rule_keys(service.ingress);
          pg_.add_to_edge(class_node(classes, class_index, NodeKind::ClassReceivers), v,
                          receive_ports[class_index], {},
                          keys(service.ingress, receives[class_index]));
        }
      }
    }
  }

  // The edge between the services at `from` and `to` of a class access: its ports, and the
  // provenance of their own rules at the access's positions.
  void add_service_pair(std::size_t from, std::size_t to, const ClassAccess& access) {
    const Service &service = chart_.services[from], &destination = chart_.services[to];
    pg_.add_to_edge(
        vertex_[from], vertex_[to], access.ports,
        member_provenance(service.egress, access.egress_rules, access.ports, destination),
        member_provenance(destination.ingress, access.ingress_rules, access.ports, destination));
  }

  const Chart& chart_;
  const ChartAccess& access_;
  const Profile& profile_;
  std::vector<Vertex> vertex_;  // by service index
  PolicyGraph pg_;
};

}  // namespace

PolicyGraph build_graph(const Chart& chart, const ChartAccess& access, const Profile& profile,
                        std::size_t max_edges, std::size_t max_pairs) {
  return Builder(chart, access, profile, max_edges, max_pairs).build();
}

PolicyGraph build_graph(const Chart& chart, const Profile& profile, std::size_t max_edges,
                        std::size_t max_pairs) {
  return build_graph(chart, chart_access(chart, profile), profile, max_edges, max_pairs);
}

}  // namespace netpol::graph
