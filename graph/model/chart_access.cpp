// Access computed from the rules (docs/model.md, "Edges"): the rules of each service read
// once, peer by peer, into what the PolicyGraph will show (build.cpp) and diff compares.

#include "graph/model/chart_access.hpp"

#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <set>
#include <string>

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

using NodePtr = std::shared_ptr<const Node>;

class RuleWalker {
 public:
  RuleWalker(const Chart& chart, const Profile& profile) : chart_(chart), profile_(profile) {
    for (const auto& s : chart.services)
      if (auto app = s.labels.find(std::string(kAppLabel)); app != s.labels.end())
        apps_.insert(app->second);
  }

  ChartAccess walk() {
    out_.enabled = chart_.enabled;
    if (chart_.enabled)
      walk_enabled();
    else
      walk_disabled();
    return std::move(out_);
  }

 private:
  // Every service alike: any source reaches each, each reaches anywhere and every other.
  void walk_disabled() {
    out_.off_keys = {chart_.enabled_at};
    const std::size_t count = chart_.services.size();
    for (std::size_t i = 0; i < count; ++i) {
      slot_ = {0, 2, 0, 0};
      grant(i, false, any_source(), PortSet::all(), std::nullopt, OutsideGrant::kPoliciesOff);
      grant(i, true, any_destination(), PortSet::all(), std::nullopt, OutsideGrant::kPoliciesOff);
    }
    out_.classes.class_of.assign(count, 0);
    if (count == 0) return;
    out_.classes.members.emplace_back();
    for (std::size_t i = 0; i < count; ++i) out_.classes.members[0].push_back(i);
    if (count > 1) out_.between.push_back(ClassAccess{0, 0, PortSet::all(), {}, {}});
  }

  void walk_enabled() {
    out_.classes = classify(chart_);
    // Members of a class have the same peers: the node of a peer is found once per class.
    for (std::size_t i = 0; i < chart_.services.size(); ++i) {
      const Service& service = chart_.services[i];
      for (std::size_t r = 0; r < service.ingress.size(); ++r)
        from_outside(i, service.ingress[r], {out_.classes.class_of[i], 0, r});
      // The ingress controller sends only to the pods of its routes: chart services.
      if (service.ingress_controller) continue;
      for (std::size_t r = 0; r < service.egress.size(); ++r)
        to_outside(i, service.egress[r], {out_.classes.class_of[i], 1, r});
    }
    out_.between = class_access(chart_, out_.classes);
  }

  // The one node of an id: the first made (as PolicyGraph::add_node keeps the first).
  NodePtr node(Node made) {
    auto [it, fresh] = nodes_.try_emplace(made.id);
    if (fresh) it->second = std::make_shared<const Node>(std::move(made));
    return it->second;
  }
  // The nodes every chart may name, made once (a chart with policies off names them for each
  // service).
  NodePtr any_source() {
    if (!any_source_)
      any_source_ = node(Node::make(std::string(kAnySourceId), NodeKind::AnySource, "any source"));
    return any_source_;
  }
  NodePtr any_destination() {
    if (!anywhere_)
      anywhere_ = node(Node::make(std::string(kAnywhereId), NodeKind::External, "anywhere"));
    return anywhere_;
  }

  // A grant of service `service`'s rule at `slot_`: the members of a class whose rules open
  // the same share one PeerAccess.
  void grant(std::size_t service, bool outward, NodePtr peer, PortSet ports,
             std::optional<IpBlock> block, std::size_t rule) {
    std::shared_ptr<const PeerAccess>& shared = shared_[slot_];
    ++slot_[3];
    if (!shared || shared->node != peer || !(shared->ports == ports) || !(shared->block == block))
      shared = std::make_shared<const PeerAccess>(
          PeerAccess{std::move(peer), std::move(ports), std::move(block)});
    out_.outside.push_back(OutsideGrant{service, outward, rule, shared});
  }

  // The node a peer of `owner`'s policy stands for outside the chart's services, if any.
  NodePtr outside_node(const Peer& peer, const Service& owner) {
    if (peer.ip_block) {
      // A block of every IPv4 (or every IPv6) address is any source (docs/model.md).
      if (peer.ip_block->cidr.is_everything() && peer.ip_block->except.empty()) return any_source();
      return address_node(*peer.ip_block);
    }
    if (std::optional<Node> n = pods_node(peer, owner)) return node(std::move(*n));
    return nullptr;
  }

  // The node of an address block as a source.
  NodePtr address_node(const IpBlock& block) {
    return node(
        Node::make(std::string(kExternalPrefix) + block.str(), NodeKind::External, block.str()));
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
                                                                            const Rule& rule,
                                                                            const Service& known,
                                                                            bool outside_sends,
                                                                            Resolve resolve) {
    const PodCubes every = PodCubes::every();
    auto sets = admin_sets(every, ports, rule, known, outside_sends, resolve);
    if (sets.size() == 1 && sets[0].second == ports && sets[0].first.same_pods(every))
      return std::nullopt;
    return sets;
  }

  // The node of a selector peer's pods outside the chart's services, not yet in the graph
  // (it is added where an edge needs it); none when only chart services' pods can match.
  std::optional<Node> pods_node(const Peer& peer, const Service& owner) const {
    Peer scoped = peer;
    if (!scoped.namespaces && owner.ns != chart_.ns) {  // pods of another namespace than the main
      scoped.namespaces.emplace();
      scoped.namespaces->add_equals(std::string(kNamespaceNameLabel), owner.ns);
    }
    if (!scoped.namespaces) {
      if (scoped.pods->empty()) {
        Node node = Node::make(std::string(kNsPodsId), NodeKind::NsPods,
                               "all pods in namespace " + chart_.ns);
        node.pod_selector = "";
        node.pods_label = "all pods";
        node.pods = PodCubes::selected(std::nullopt, LabelSelector(), chart_.ns);
        return node;
      }
      if (only_chart_pods(*scoped.pods, apps_)) return std::nullopt;
      Node n = Node::make(std::string(kSelectorPrefix) + "pods(" + scoped.pods->str() + ")",
                          NodeKind::Selector, "pods with " + scoped.pods->describe());
      n.pod_selector = scoped.pods->str();
      n.pods_label = n.label;
      n.unknown_peer = !single_app(*scoped.pods).empty();
      n.pods = PodCubes::selected(std::nullopt, scoped.pods, owner.ns);
      return n;
    }
    std::string where = scoped.namespaces->empty()
                            ? "all namespaces"
                            : "namespaces with " + scoped.namespaces->describe();
    Node node = Node::make(std::string(kSelectorPrefix) + "ns(" + scoped.namespaces->str() + ")",
                           NodeKind::Selector, "all pods in " + where);
    node.namespace_selector = scoped.namespaces->str();
    node.pods_label = "all pods";
    if (scoped.pods) {
      node.id += "/pods(" + scoped.pods->str() + ")";
      node.pods_label = "pods with " + scoped.pods->describe();
      node.label = node.pods_label + " in " + where;
      node.pod_selector = scoped.pods->str();
    }
    node.pods = PodCubes::selected(scoped.namespaces, scoped.pods, owner.ns);
    return node;
  }

  // A rule of a class of services: (class, 0 ingress / 1 egress, rule position).
  using RuleOfClass = std::array<std::size_t, 3>;

  // outside_node, once per peer of a class's rule.
  NodePtr outside_node(const Peer& peer, const Service& owner, const RuleOfClass& r,
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
    for (const Exclusion& exclusion : rule.except) {
      // Where the exclusion takes which ports: its pods, less the ports an `unless` (a Pass,
      // or what the baseline allowed) gives back to the pods it selects.
      std::vector<std::pair<PodCubes, PortSet>> regions;
      regions.emplace_back(match_pods(exclusion.match), resolve(exclusion.match.ports));
      for (const AdminMatch& u : exclusion.unless) {
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

  // admin_sets for an outside node, in pieces: `node` itself where nothing was taken, a node
  // of the set left otherwise.
  template <typename Resolve>
  std::vector<std::pair<NodePtr, PortSet>> admin_pieces(Node whole, const PortSet& ports,
                                                        const Rule& rule, const Service& known,
                                                        bool outside_sends, Resolve resolve) {
    if (!whole.pods) return {{node(std::move(whole)), ports}};
    auto sets = admin_sets(*whole.pods, ports, rule, known, outside_sends, resolve);
    return pieces(whole, std::move(sets));
  }
  std::vector<std::pair<NodePtr, PortSet>> pieces(const Node& whole,
                                                  std::vector<std::pair<PodCubes, PortSet>> sets) {
    std::vector<std::pair<NodePtr, PortSet>> out;
    for (auto& [set, allowed] : sets) {
      if (set.same_pods(*whole.pods)) {
        out.emplace_back(node(whole), allowed);
        continue;
      }
      std::string text = set.describe();
      Node piece =
          Node::make(std::string(kSelectorPrefix) + "(" + text + ")", NodeKind::Selector, text);
      piece.pods = std::move(set);
      out.emplace_back(node(std::move(piece)), allowed);
    }
    return out;
  }

  // Ingress rule `rule` of service `index`: its peers outside the chart's services as sources.
  void from_outside(std::size_t index, const Rule& rule, const RuleOfClass& at) {
    const Service& destination = chart_.services[index];
    slot_ = {at[0], at[1], at[2], 0};
    PortSet ports = rule.ports.resolve(destination.ports);
    if (chart_.from_manifests) ports = ports.without_names();
    if (ports.empty()) return;
    auto resolve = [&](const PortSet& query) {
      PortSet resolved = query.resolve(destination.ports);
      return chart_.from_manifests ? resolved.without_names() : resolved;
    };
    const std::size_t keys = at[2];  // the rule's position: its keys
    if (rule.any_peer) {
      auto sets = admin_decides(rule, destination)
                      ? every_pod_pieces(ports, rule, destination, true, resolve)
                      : std::nullopt;
      if (!sets) {
        grant(index, false, any_source(), ports, std::nullopt, keys);
        return;
      }
      // Admin rules took some pods: every address as it is, the pods in pieces.
      for (const IpBlock& block : every_address())
        grant(index, false, address_node(block), ports, block, keys);
      for (auto& [peer, allowed] : pieces(every_pod(destination), std::move(*sets)))
        grant(index, false, std::move(peer), allowed, std::nullopt, keys);
      return;
    }
    for (std::size_t i = 0; i < rule.peers.size(); ++i) {
      const Peer& rule_peer = rule.peers[i];
      if (!rule_peer.ip_block &&
          admin_decides(rule, destination)) {  // admin rules may take pods of the peer's
        if (std::optional<Node> whole = pods_node(rule_peer, destination))
          for (auto& [peer, allowed] :
               admin_pieces(std::move(*whole), ports, rule, destination, true, resolve))
            grant(index, false, std::move(peer), allowed, std::nullopt, keys);
        continue;
      }
      NodePtr source = outside_node(rule_peer, destination, at, i);
      if (!source) continue;
      std::optional<IpBlock> block;
      if (rule_peer.ip_block && source->kind == NodeKind::External) block = *rule_peer.ip_block;
      grant(index, false, std::move(source), ports, std::move(block), keys);
    }
  }

  // Service `index` to the address node `name` (its entries gain the block), by its egress
  // rule `rule` at `position`.
  void to_addresses(std::size_t index, const std::string& name, NodeKind kind,
                    const std::string& label, const IpBlock& block, const PortSet& ports,
                    const Rule& rule, std::size_t position) {
    std::string id =
        kind == NodeKind::Otlp ? chart_.otlp->id() : std::string(kExternalPrefix) + name;
    Node made = Node::make(id, kind, label);
    made.own_name = rule.origin == RuleOrigin::ExternalEgress && !rule.name.empty();
    grant(index, true, node(std::move(made)), ports, block, position);
  }

  // Egress rule `rule` of service `index`: its peers outside the chart's services.
  void to_outside(std::size_t index, const Rule& rule, const RuleOfClass& at) {
    const Service& service = chart_.services[index];
    const std::size_t keys = at[2];  // the rule's position: its keys
    slot_ = {at[0], at[1], at[2], 0};
    if (rule.origin == RuleOrigin::Dns) {
      grant(index, true, node(Node::make(std::string(kDnsId), NodeKind::Dns, "DNS")), rule.ports,
            std::nullopt, keys);
      return;
    }
    auto same = [](const PortSet& query) { return query; };  // outside pods' names are unknown
    if (rule.any_peer) {
      auto sets = admin_decides(rule, service)
                      ? every_pod_pieces(rule.ports, rule, service, false, same)
                      : std::nullopt;
      if (!sets) {
        grant(index, true, any_destination(), rule.ports, std::nullopt, keys);
        return;
      }
      // Admin rules took some pods: every address as it is, the pods in pieces.
      for (const IpBlock& block : every_address())
        to_addresses(index, block.str(), NodeKind::External, block.str(), block, rule.ports, rule,
                     keys);
      for (auto& [peer, allowed] : pieces(every_pod(service), std::move(*sets)))
        grant(index, true, std::move(peer), allowed, std::nullopt, keys);
      return;
    }
    if (rule.origin == RuleOrigin::ExternalEgress) {
      const IpBlock& block = *rule.peers.at(0).ip_block;
      for (const auto& [name, ports] : name_externals(rule))
        to_addresses(index, name, NodeKind::External, name, block, ports, rule, keys);
      return;
    }
    if (rule.origin == RuleOrigin::OtlpExternal) {
      const IpBlock& block = *rule.peers.at(0).ip_block;
      std::string label =
          "OTLP collector " + chart_.otlp->host + ":" + std::to_string(chart_.otlp->port);
      to_addresses(index, "", NodeKind::Otlp, label, block, rule.ports, rule, keys);
      return;
    }
    for (std::size_t i = 0; i < rule.peers.size(); ++i) {
      const Peer& rule_peer = rule.peers[i];
      if (rule_peer.ip_block) {
        to_addresses(index, rule_peer.ip_block->str(), NodeKind::External,
                     rule_peer.ip_block->str(), *rule_peer.ip_block, rule.ports, rule, keys);
      } else if (admin_decides(rule, service)) {  // admin rules may take pods of the peer's
        if (std::optional<Node> whole = pods_node(rule_peer, service))
          for (auto& [peer, allowed] :
               admin_pieces(std::move(*whole), rule.ports, rule, service, false, same))
            grant(index, true, std::move(peer), allowed, std::nullopt, keys);
      } else if (NodePtr destination = outside_node(rule_peer, service, at, i)) {
        grant(index, true, std::move(destination), rule.ports, std::nullopt, keys);
      }
    }
  }

  // Splits an externalEgress entry's ports by the name each destination goes by: the entry's
  // own `name:`, else the profile's name for the port, else the address block.
  std::vector<std::pair<std::string, PortSet>> name_externals(const Rule& rule) {
    std::string fallback = rule.peers.at(0).ip_block->str();
    if (!rule.name.empty()) return {{rule.name, rule.ports}};
    std::map<std::string, PortSet> by_name;
    for (const auto& item : rule.ports.items()) {
      std::string name = fallback;
      if (!item.all && item.name.empty() && item.lo == item.hi)
        if (auto n = profile_.external_name(item.protocol, item.lo)) name = *n;
      by_name[name] = by_name[name].unite(PortSet::of(item));
    }
    return {by_name.begin(), by_name.end()};
  }

  const Chart& chart_;
  const Profile& profile_;
  std::set<std::string> apps_;
  std::map<std::string, NodePtr> nodes_;
  NodePtr any_source_, anywhere_;
  std::map<std::array<std::size_t, 4>, NodePtr> outside_;
  // (class, 0 ingress / 1 egress / 2 policies off, rule position, grant of the rule): the last
  // PeerAccess made there.
  std::array<std::size_t, 4> slot_{};
  std::map<std::array<std::size_t, 4>, std::shared_ptr<const PeerAccess>> shared_;
  ChartAccess out_;
};

}  // namespace

const PortSet* ChartAccess::ports(std::size_t from, std::size_t to) const {
  if (from == to) return nullptr;
  const ClassAccess key{classes.class_of.at(from), classes.class_of.at(to), {}, {}, {}};
  auto it = std::lower_bound(between.begin(), between.end(), key,
                             [](const ClassAccess& a, const ClassAccess& b) {
                               return std::make_pair(a.from, a.to) < std::make_pair(b.from, b.to);
                             });
  if (it == between.end() || it->from != key.from || it->to != key.to) return nullptr;
  return &it->ports;
}

const std::vector<Provenance>& ChartAccess::keys(const Chart& chart,
                                                 const OutsideGrant& grant) const {
  if (grant.rule == OutsideGrant::kPoliciesOff) return off_keys;
  const Service& service = chart.services[grant.service];
  return (grant.outward ? service.egress : service.ingress)[grant.rule].provenance;
}

ChartAccess chart_access(const Chart& chart, const Profile& profile) {
  return RuleWalker(chart, profile).walk();
}

}  // namespace netpol::graph
