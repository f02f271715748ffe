// Building the effective graph from the rendered chart (docs/model.md, "Edges").

#include <algorithm>
#include <array>
#include <functional>
#include <set>

#include "graph/model/classes.hpp"
#include "graph/model/policy_graph.hpp"
#include "graph/read/admin.hpp"
#include "graph/rules/match.hpp"

namespace netpol::graph {
namespace {

// True when the selector can only select chart services' pods: it requires app to be one of
// the services' app labels (pods with app=<service> are taken to be that service's pods).
bool only_chart_pods(const LabelSelector& sel, const std::set<std::string>& apps) {
  const Requirement* r = app_in(sel);
  return r && std::all_of(r->values.begin(), r->values.end(),
                          [&](const std::string& v) { return apps.count(v) > 0; });
}

class Builder {
 public:
  Builder(const Chart& chart, const Profile& profile, std::size_t max_edges, std::size_t max_pairs)
      : chart_(chart), profile_(profile) {
    pg_.max_edges = max_edges;
    pg_.max_pairs = max_pairs;
    for (const auto& s : chart.services)
      if (auto app = s.labels.find(std::string(kAppLabel)); app != s.labels.end())
        apps_.insert(app->second);
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
    const std::size_t n = chart_.services.size();
    for (const auto& s : chart_.services) {
      Vertex v = vertex_.at(s.name);
      pg_.add_to_edge(src, v, PortSet::all(), {}, why);
      pg_.add_to_edge(v, dst, PortSet::all(), why, {});
    }
    if (n < 2) return;
    if (n * (n - 1) > pg_.max_pairs) {  // one class: every service to every other
      ServiceClasses one;
      one.class_of.assign(n, 0);
      one.members.emplace_back();
      for (std::size_t i = 0; i < n; ++i) one.members[0].push_back(i);
      Vertex senders = class_node(one, 0, NodeKind::ClassSenders);
      Vertex receivers = class_node(one, 0, NodeKind::ClassReceivers);
      for (std::size_t i = 0; i < n; ++i) {
        Vertex v = vertex_.at(chart_.services[i].name);
        pg_.add_to_edge(v, senders, PortSet::all(), why, {});
        pg_.add_to_edge(receivers, v, PortSet::all(), {}, why);
      }
      pg_.add_to_edge(senders, receivers, PortSet::all(), why, why);
      return;
    }
    for (const auto& s : chart_.services)
      for (const auto& d : chart_.services)
        if (d.name != s.name)
          pg_.add_to_edge(vertex_.at(s.name), vertex_.at(d.name), PortSet::all(), why, why);
  }

  void build_enabled() {
    ServiceClasses classes = classify(chart_);
    // Members of a class have the same peers: the node of a peer is found once per class.
    for (std::size_t i = 0; i < chart_.services.size(); ++i) {
      const Service& s = chart_.services[i];
      for (std::size_t r = 0; r < s.ingress.size(); ++r)
        add_outside_sources(s, s.ingress[r], {classes.class_of[i], 0, r});
      // The ingress controller sends only to the pods of its routes: chart services.
      if (s.ingress_controller) continue;
      for (std::size_t r = 0; r < s.egress.size(); ++r)
        add_outside_destinations(s, s.egress[r], {classes.class_of[i], 1, r});
    }
    std::vector<ClassAccess> access = class_access(chart_, classes);
    if (pair_count(access, classes) > pg_.max_pairs) {
      add_classes(classes, access);
      return;
    }
    for (const ClassAccess& a : access)
      for (std::size_t s : classes.members[a.from])
        for (std::size_t d : classes.members[a.to])
          if (s != d) add_service_pair(chart_.services[s], chart_.services[d], a);
  }

  // What a class node is called: every service (workload, from manifests), every service of a
  // namespace, or the first members.
  std::string class_label(const std::vector<std::size_t>& members) const {
    const std::size_t n = members.size();
    const std::string noun = chart_.from_manifests ? "workload" : "service";
    if (n == chart_.services.size()) return "every " + noun;
    const std::string& ns = chart_.services[members.front()].ns;
    std::size_t in_ns = 0;
    bool one_ns = true;
    for (const auto& s : chart_.services) in_ns += s.ns == ns;
    for (std::size_t m : members) one_ns = one_ns && chart_.services[m].ns == ns;
    if (one_ns && in_ns == n) return "every " + noun + " in namespace " + ns;
    std::string out = std::to_string(n) + " " + noun + "s alike: ";
    for (std::size_t i = 0; i < n && i < 3; ++i)
      out += (i ? ", " : "") + chart_.services[members[i]].name;
    return out + (n > 3 ? ", ..." : "");
  }

  Vertex class_node(const ServiceClasses& classes, std::size_t c, NodeKind kind) {
    const auto& members = classes.members[c];
    bool senders = kind == NodeKind::ClassSenders;
    std::string id = std::string(senders ? kClassSendersPrefix : kClassReceiversPrefix) +
                     chart_.services[members.front()].name;
    if (auto v = pg_.find(id)) return *v;
    Node n = Node::make(id, kind, class_label(members));
    for (std::size_t m : members) n.members.push_back(vertex_.at(chart_.services[m].name));
    return pg_.add_node(std::move(n));
  }

  // Classes as nodes (policy_graph.hpp): each class edge once, each member linked to its
  // class's nodes once, with its own keys.
  void add_classes(const ServiceClasses& classes, const std::vector<ClassAccess>& access) {
    auto multi = [&](std::size_t c) { return classes.members[c].size() > 1; };
    std::vector<std::set<std::uint32_t>> sends(classes.members.size()),
        receives(classes.members.size());
    std::vector<PortSet> send_ports(classes.members.size()), receive_ports(classes.members.size());
    for (const ClassAccess& a : access) {
      const Service& rep_from = chart_.services[classes.members[a.from].front()];
      const Service& rep_to = chart_.services[classes.members[a.to].front()];
      if (!multi(a.from) && !multi(a.to)) {
        add_service_pair(rep_from, rep_to, a);
        continue;
      }
      Vertex from = multi(a.from) ? class_node(classes, a.from, NodeKind::ClassSenders)
                                  : vertex_.at(rep_from.name);
      Vertex to = multi(a.to) ? class_node(classes, a.to, NodeKind::ClassReceivers)
                              : vertex_.at(rep_to.name);
      pg_.add_to_edge(
          from, to, a.ports,
          multi(a.from) ? std::vector<Provenance>{}
                        : member_provenance(rep_from.egress, a.egress_rules, a.ports, rep_to),
          multi(a.to) ? std::vector<Provenance>{}
                      : member_provenance(rep_to.ingress, a.ingress_rules, a.ports, rep_to));
      Edge& e = pg_.mutable_edge(from, to);
      if (multi(a.from)) {
        e.egress_rules = a.egress_rules;
        sends[a.from].insert(a.egress_rules.begin(), a.egress_rules.end());
        send_ports[a.from] = send_ports[a.from].unite(a.ports);
      }
      if (multi(a.to)) {
        e.ingress_rules = a.ingress_rules;
        receives[a.to].insert(a.ingress_rules.begin(), a.ingress_rules.end());
        receive_ports[a.to] = receive_ports[a.to].unite(a.ports);
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
    for (std::size_t c = 0; c < classes.members.size(); ++c) {
      if (!multi(c) || (sends[c].empty() && receives[c].empty())) continue;
      for (std::size_t m : classes.members[c]) {
        const Service& s = chart_.services[m];
        Vertex v = vertex_.at(s.name);
        Node& node = pg_.mutable_node(v);
        if (!sends[c].empty()) {
          node.egress_rules = rule_keys(s.egress);
          pg_.add_to_edge(v, class_node(classes, c, NodeKind::ClassSenders), send_ports[c],
                          keys(s.egress, sends[c]), {});
        }
        if (!receives[c].empty()) {
          node.ingress_rules = rule_keys(s.ingress);
          pg_.add_to_edge(class_node(classes, c, NodeKind::ClassReceivers), v, receive_ports[c], {},
                          keys(s.ingress, receives[c]));
        }
      }
    }
  }

  // The node a peer of `owner`'s policy stands for outside the chart's services, if any.
  std::optional<Vertex> outside_node(const Peer& p, const Service& owner) {
    if (p.ip_block) {
      // A block of every IPv4 (or every IPv6) address is any source (docs/model.md).
      if (p.ip_block->cidr.is_everything() && p.ip_block->except.empty()) return any_source();
      return address_node(*p.ip_block);
    }
    if (std::optional<Node> n = pods_node(p, owner)) return pg_.add_node(std::move(*n));
    return std::nullopt;
  }

  // The node of an address block as a source.
  Vertex address_node(const IpBlock& block) {
    Vertex v = pg_.add_node(
        Node::make(std::string(kExternalPrefix) + block.str(), NodeKind::External, block.str()));
    pg_.add_entry(v, block, PortSet());
    return v;
  }
  static std::vector<IpBlock> every_address() {
    return {IpBlock{Cidr::parse("0.0.0.0/0"), {}}, IpBlock{Cidr::parse("::/0"), {}}};
  }
  // The node of every pod of every namespace (a peer `namespaceSelector: {}`).
  Node every_pod(const Service& owner) const {
    return *pods_node(Peer{std::nullopt, LabelSelector(), std::nullopt}, owner);
  }
  // A rule with no peer (every source or destination) when admin rules may decide: the
  // pieces of every pod that the tiers leave (admin_sets), or nullopt when they take
  // nothing, so that the rule stays an edge of any-source (ext:*).
  template <typename Resolve>
  std::optional<std::vector<std::pair<PodCubes, PortSet>>> every_pod_pieces(const PortSet& ports,
                                                                            const Rule& r,
                                                                            const Service& known,
                                                                            bool outside_sends,
                                                                            Resolve resolve) {
    const PodCubes every = PodCubes::every();
    auto sets = admin_sets(every, ports, r, known, outside_sends, resolve);
    if (sets.size() == 1 && sets[0].second == ports && sets[0].first.same_pods(every))
      return std::nullopt;
    return sets;
  }

  // The node of a selector peer's pods outside the chart's services, not yet in the graph
  // (it is added where an edge needs it); none when only chart services' pods can match.
  std::optional<Node> pods_node(const Peer& peer, const Service& owner) const {
    Peer p = peer;
    if (!p.namespaces && owner.ns != chart_.ns) {  // pods of another namespace than the main
      p.namespaces.emplace();
      p.namespaces->add_equals(std::string(kNamespaceNameLabel), owner.ns);
    }
    if (!p.namespaces) {
      if (p.pods->empty()) {
        Node n = Node::make(std::string(kNsPodsId), NodeKind::NsPods,
                            "all pods in namespace " + chart_.ns);
        n.pod_selector = "";
        n.pods_label = "all pods";
        n.pods = PodCubes::selected(std::nullopt, LabelSelector(), chart_.ns);
        return n;
      }
      if (only_chart_pods(*p.pods, apps_)) return std::nullopt;
      Node n = Node::make(std::string(kSelectorPrefix) + "pods(" + p.pods->str() + ")",
                          NodeKind::Selector, "pods with " + p.pods->describe());
      n.pod_selector = p.pods->str();
      n.pods_label = n.label;
      n.unknown_peer = !single_app(*p.pods).empty();
      n.pods = PodCubes::selected(std::nullopt, p.pods, owner.ns);
      return n;
    }
    std::string where =
        p.namespaces->empty() ? "all namespaces" : "namespaces with " + p.namespaces->describe();
    Node n = Node::make(std::string(kSelectorPrefix) + "ns(" + p.namespaces->str() + ")",
                        NodeKind::Selector, "all pods in " + where);
    n.namespace_selector = p.namespaces->str();
    n.pods_label = "all pods";
    if (p.pods) {
      n.id += "/pods(" + p.pods->str() + ")";
      n.pods_label = "pods with " + p.pods->describe();
      n.label = n.pods_label + " in " + where;
      n.pod_selector = p.pods->str();
    }
    n.pods = PodCubes::selected(p.namespaces, p.pods, owner.ns);
    return n;
  }

  // A rule of a class of services: (class, 0 ingress / 1 egress, rule position).
  using RuleOfClass = std::array<std::size_t, 3>;

  // outside_node, once per peer of a class's rule.
  std::optional<Vertex> outside_node(const Peer& peer, const Service& owner, const RuleOfClass& r,
                                     std::size_t peer_index) {
    auto [it, fresh] = outside_.try_emplace({r[0], r[1], r[2], peer_index});
    if (fresh) it->second = outside_node(peer, owner);
    return it->second;
  }

  // Whether an edge between the known pod `s` and a peer's pods goes through admin_pieces:
  // rule `r` has exclusions, or admin policies may select pods nobody listed (not for the
  // ingress controller: its labels are unknown).
  bool admin_decides(const Rule& r, const Service& s) const {
    return !r.except.empty() || (!chart_.admin_policies.empty() && !s.ingress_controller);
  }

  // The pods of `whole` that rule `r` of the known pod `known` still allows after the admin
  // tiers (docs/model.md, "Admin tiers"): on `known`'s side, the admin rules that decided
  // first (its exclusions, graph/read/admin.hpp); on the outside pods' side, the admin policies
  // whose subjects select them (`outside_sends`: they are the sources). In pieces with their
  // ports, none empty, no two with the same ports. `resolve` gives an admin rule's ports as
  // the edge's are given.
  template <typename Resolve>
  std::vector<std::pair<PodCubes, PortSet>> admin_sets(const PodCubes& whole, const PortSet& ports,
                                                       const Rule& rule, const Service& known,
                                                       bool outside_sends, Resolve resolve) {
    std::vector<std::pair<PodCubes, PortSet>> pieces;
    pieces.emplace_back(whole, ports);
    for (const Exclusion& e : rule.except) {
      // Where the exclusion takes which ports: its pods, less the ports an `unless` (a Pass,
      // or what the baseline allowed) gives back to the pods it selects.
      std::vector<std::pair<PodCubes, PortSet>> regions;
      regions.emplace_back(match_pods(e.match), resolve(e.match.ports));
      for (const AdminMatch& u : e.unless) {
        PodCubes up = match_pods(u);
        PortSet back = resolve(u.ports);
        std::vector<std::pair<PodCubes, PortSet>> split;
        for (auto& [set, taken] : regions) {
          if (PodCubes in = set.intersect(up); !in.empty())
            split.emplace_back(in, taken.subtract(back));
          if (PodCubes out = set.subtract(up); !out.empty()) split.emplace_back(out, taken);
        }
        regions = std::move(split);
      }
      std::vector<std::pair<PodCubes, PortSet>> next;
      for (auto& [set, allowed] : pieces) {
        PodCubes rest = set;
        for (auto& [region, taken] : regions) {
          rest = rest.subtract(region);
          PodCubes in = set.intersect(region);
          PortSet left = allowed.subtract(taken);
          if (!in.empty() && !left.empty()) next.emplace_back(std::move(in), std::move(left));
        }
        if (!rest.empty()) next.emplace_back(std::move(rest), allowed);
      }
      pieces = std::move(next);
    }
    if (!chart_.admin_policies.empty() && !known.ingress_controller) {
      std::vector<std::pair<PodCubes, PortSet>> decided;
      const std::function<PortSet(const PortSet&)> tiers_resolve = resolve;
      for (const auto& [set, allowed] : pieces)
        for (auto& piece : outside_tiers(chart_.admin_policies, set, known, outside_sends, allowed,
                                         tiers_resolve))
          decided.push_back(std::move(piece));
      pieces = std::move(decided);
    }
    // Pieces with the same ports are one set.
    std::vector<std::pair<PodCubes, PortSet>> joined;
    for (auto& piece : pieces) {  // (no structured binding: clang 14 cannot capture one)
      const PortSet& allowed = piece.second;
      auto same = std::find_if(joined.begin(), joined.end(),
                               [&](const auto& j) { return j.second == allowed; });
      if (same == joined.end())
        joined.push_back(std::move(piece));
      else
        same->first = same->first.unite(piece.first);
    }
    return joined;
  }

  // admin_sets for an outside node, each piece added to the graph: `node` itself where
  // nothing was taken, a node of the set left otherwise; a node nothing is left of is never
  // added.
  template <typename Resolve>
  std::vector<std::pair<Vertex, PortSet>> admin_pieces(Node node, const PortSet& ports,
                                                       const Rule& r, const Service& known,
                                                       bool outside_sends, Resolve resolve) {
    if (!node.pods) return {{pg_.add_node(std::move(node)), ports}};
    auto sets = admin_sets(*node.pods, ports, r, known, outside_sends, resolve);
    return add_pieces(node, std::move(sets));
  }
  std::vector<std::pair<Vertex, PortSet>> add_pieces(
      const Node& node, std::vector<std::pair<PodCubes, PortSet>> sets) {
    const PodCubes& whole = *node.pods;
    std::vector<std::pair<Vertex, PortSet>> out;
    for (auto& [set, allowed] : sets) {
      if (set.same_pods(whole)) {
        out.emplace_back(pg_.add_node(node), allowed);
        continue;
      }
      std::string text = set.describe();
      Node n =
          Node::make(std::string(kSelectorPrefix) + "(" + text + ")", NodeKind::Selector, text);
      n.pods = std::move(set);
      out.emplace_back(pg_.add_node(std::move(n)), allowed);
    }
    return out;
  }

  void add_outside_sources(const Service& destination, const Rule& rule, const RuleOfClass& at) {
    Vertex dv = vertex_.at(destination.name);
    PortSet ports = rule.ports.resolve(destination.ports);
    if (chart_.from_manifests) ports = ports.without_names();
    if (ports.empty()) return;
    auto resolve = [&](const PortSet& q) {
      PortSet out = q.resolve(destination.ports);
      return chart_.from_manifests ? out.without_names() : out;
    };
    if (rule.any_peer) {
      auto pieces = admin_decides(rule, destination)
                        ? every_pod_pieces(ports, rule, destination, true, resolve)
                        : std::nullopt;
      if (!pieces) {
        pg_.add_to_edge(any_source(), dv, ports, {}, rule.provenance);
        return;
      }
      // Admin rules took some pods: every address as it is, the pods in pieces.
      for (const IpBlock& block : every_address()) {
        Vertex src = address_node(block);
        pg_.add_to_edge(src, dv, ports, {}, rule.provenance);
        pg_.add_edge_block(src, dv, block, ports);
      }
      for (const auto& [v, allowed] : add_pieces(every_pod(destination), std::move(*pieces)))
        pg_.add_to_edge(v, dv, allowed, {}, rule.provenance);
      return;
    }
    for (std::size_t i = 0; i < rule.peers.size(); ++i) {
      const Peer& p = rule.peers[i];
      if (!p.ip_block &&
          admin_decides(rule, destination)) {  // admin rules may take pods of the peer's
        if (std::optional<Node> n = pods_node(p, destination))
          for (const auto& [v, allowed] :
               admin_pieces(std::move(*n), ports, rule, destination, true, resolve))
            pg_.add_to_edge(v, dv, allowed, {}, rule.provenance);
        continue;
      }
      auto src = outside_node(p, destination, at, i);
      if (!src) continue;
      pg_.add_to_edge(*src, dv, ports, {}, rule.provenance);
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

  void add_outside_destinations(const Service& service, const Rule& rule, const RuleOfClass& at) {
    Vertex sv = vertex_.at(service.name);
    if (rule.origin == RuleOrigin::Dns) {
      pg_.add_to_edge(sv, pg_.add_node(Node::make(std::string(kDnsId), NodeKind::Dns, "DNS")),
                      rule.ports, rule.provenance, {});
      return;
    }
    auto same = [](const PortSet& q) { return q; };  // outside pods' port names are unknown
    if (rule.any_peer) {
      auto pieces = admin_decides(rule, service)
                        ? every_pod_pieces(rule.ports, rule, service, false, same)
                        : std::nullopt;
      if (!pieces) {
        pg_.add_to_edge(sv, any_destination(), rule.ports, rule.provenance, {});
        return;
      }
      // Admin rules took some pods: every address as it is, the pods in pieces.
      for (const IpBlock& block : every_address())
        to_addresses(sv, block.str(), NodeKind::External, block.str(), block, rule.ports, rule);
      for (const auto& [v, allowed] : add_pieces(every_pod(service), std::move(*pieces)))
        pg_.add_to_edge(sv, v, allowed, rule.provenance, {});
      return;
    }
    if (rule.origin == RuleOrigin::ExternalEgress) {
      const IpBlock& block = *rule.peers.at(0).ip_block;
      for (const auto& [name, ports] : name_externals(rule))
        to_addresses(sv, name, NodeKind::External, name, block, ports, rule);
      return;
    }
    if (rule.origin == RuleOrigin::OtlpExternal) {
      const IpBlock& block = *rule.peers.at(0).ip_block;
      std::string label =
          "OTLP collector " + chart_.otlp->host + ":" + std::to_string(chart_.otlp->port);
      to_addresses(sv, "", NodeKind::Otlp, label, block, rule.ports, rule);
      return;
    }
    for (std::size_t i = 0; i < rule.peers.size(); ++i) {
      const Peer& p = rule.peers[i];
      if (p.ip_block)
        to_addresses(sv, p.ip_block->str(), NodeKind::External, p.ip_block->str(), *p.ip_block,
                     rule.ports, rule);
      else if (admin_decides(rule, service)) {  // admin rules may take pods of the peer's
        if (std::optional<Node> n = pods_node(p, service))
          for (const auto& [v, allowed] :
               admin_pieces(std::move(*n), rule.ports, rule, service, false, same))
            pg_.add_to_edge(sv, v, allowed, rule.provenance, {});
      } else if (auto dst = outside_node(p, service, at, i)) {
        pg_.add_to_edge(sv, *dst, rule.ports, rule.provenance, {});
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
  std::map<std::array<std::size_t, 4>, std::optional<Vertex>> outside_;
  PolicyGraph pg_;
};

}  // namespace

PolicyGraph build_graph(const Chart& chart, const Profile& profile, std::size_t max_edges,
                        std::size_t max_pairs) {
  return Builder(chart, profile, max_edges, max_pairs).build();
}

}  // namespace netpol::graph
