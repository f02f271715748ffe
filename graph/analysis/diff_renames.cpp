// diff: renamed address nodes; edges whose names changed while access did not.

#include "graph/analysis/differ.hpp"

#include <algorithm>
#include <iterator>
#include <unordered_map>

namespace netpol::graph::diff_detail {

namespace {

// An address node's identity: per edge the other end, the addresses and the ports (not its
// kind: an OTLP collector and an ipBlock of the same addresses are the same access). Two ids
// with one signature are a rename.
std::string signature(const PolicyGraph& pg, Vertex v) {
  std::vector<std::string> parts;
  for (auto e : boost::make_iterator_range(boost::in_edges(v, boost_graph(pg)))) {
    EdgeRef r{boost::source(e, boost_graph(pg)), v};
    parts.push_back("in " + pg.node(r.from).id + " " + edge_address_set(pg, r, true).str() + " " +
                    pg.edge(r).ports.label());
  }
  for (auto e : boost::make_iterator_range(boost::out_edges(v, boost_graph(pg)))) {
    EdgeRef r{v, boost::target(e, boost_graph(pg))};
    parts.push_back("out " + pg.node(r.to).id + " " + edge_address_set(pg, r, false).str() + " " +
                    pg.edge(r).ports.label());
  }
  std::sort(parts.begin(), parts.end());
  std::string out;
  for (const auto& p : parts) out += p + "\n";
  return out;
}

}  // namespace

// ---- renames: address nodes of one side only, with the same access as one of the other's.
void Differ::find_renames() {
  std::map<std::string, std::vector<std::string>> old_only;
  for (Vertex v : old_.graph.nodes()) {
    const Node& n = old_.graph.node(v);
    if (address_node(n) && n.id != kAnywhereId && !new_.graph.find(n.id))
      old_only[signature(old_.graph, v)].push_back(n.id);
  }
  for (Vertex v : new_.graph.nodes()) {
    const Node& n = new_.graph.node(v);
    if (!address_node(n) || old_.graph.find(n.id)) continue;
    auto it = old_only.find(signature(new_.graph, v));
    if (it == old_only.end() || it->second.empty()) continue;
    out_.renames.push_back({it->second.front(), n.id});
    renamed_[n.id] = it->second.front();
    it->second.erase(it->second.begin());
  }
}

void Differ::list_redundant() {
  std::vector<Pending> between;
  for (const auto& key : union_keys(old_access_.between_groups, new_access_.between_groups)) {
    if (touched_groups_.count(key)) continue;
    auto old_found = old_access_.between_groups.find(key),
         new_found = new_access_.between_groups.find(key);
    PortSet before = old_found == old_access_.between_groups.end() ? PortSet() : old_found->second;
    PortSet now = new_found == new_access_.between_groups.end() ? PortSet() : new_found->second;
    if (before == now) continue;
    EdgeDiff edge;
    edge.from = groups_.senders[key.first].front();
    edge.to = groups_.receivers[key.second].front();
    edge.old_ports = before;
    edge.new_ports = now;
    edge.change = compare_sets(before, now);
    between.push_back({std::move(edge), key.first, key.second, {}, {}});
  }
  list_pending(between, out_.redundant, true);
  auto services = [](const PolicyGraph& g, EdgeRef r) {
    return g.node(r.from).kind == NodeKind::Service && g.node(r.to).kind == NodeKind::Service;
  };
  // By name: other ports, or other addresses (however written) on an address edge.
  auto changed = [&](EdgeRef old_ref, EdgeRef new_ref) {
    if (*old_.graph.hop_ports(old_ref.from, old_ref.to) !=
        *new_.graph.hop_ports(new_ref.from, new_ref.to))
      return true;
    for (bool to_side : {true, false}) {
      const Node& a = to_side ? old_.graph.node(old_ref.to) : old_.graph.node(old_ref.from);
      const Node& b = to_side ? new_.graph.node(new_ref.to) : new_.graph.node(new_ref.from);
      if (address_node(a) && address_node(b) &&
          edge_addresses(old_.graph, old_ref, to_side) !=
              edge_addresses(new_.graph, new_ref, to_side))
        return true;
    }
    return false;
  };
  for (const auto& ref : new_.graph.edges()) {
    if (through_class(new_.graph, ref) || services(new_.graph, ref)) continue;
    std::string from = old_id(new_.graph.node(ref.from).id),
                to = old_id(new_.graph.node(ref.to).id);
    auto ou = old_.graph.find(from), ov = old_.graph.find(to);
    bool old_edge = ou && ov && old_.graph.hop_ports(*ou, *ov);
    if (old_edge && !changed({*ou, *ov}, ref)) continue;
    if (touched(false, ref)) continue;
    if (old_edge && touched(true, {*ou, *ov})) continue;
    EdgeDiff edge;
    edge.from = new_.graph.node(ref.from).id;
    edge.to = new_.graph.node(ref.to).id;
    edge.new_ports = new_.graph.edge(ref).ports;
    if (old_edge) edge.old_ports = *old_.graph.hop_ports(*ou, *ov);
    edge.change = compare_sets(edge.old_ports, edge.new_ports);
    Side os{old_, {}}, ns{new_, {ref}};
    if (old_edge) os.edges.push_back({*ou, *ov});
    os.keys(edge.old_egress, edge.old_ingress);
    ns.keys(edge.new_egress, edge.new_ingress);
    out_.redundant.push_back(std::move(edge));
  }
  std::map<std::string, std::string> back;
  for (const auto& [n, o] : renamed_) back[o] = n;
  for (const auto& ref : old_.graph.edges()) {
    if (through_class(old_.graph, ref) || services(old_.graph, ref)) continue;
    auto map_id = [&](const std::string& id) {
      auto it = back.find(id);
      return it == back.end() ? id : it->second;
    };
    auto nu = new_.graph.find(map_id(old_.graph.node(ref.from).id));
    auto nv = new_.graph.find(map_id(old_.graph.node(ref.to).id));
    if (nu && nv && new_.graph.hop_ports(*nu, *nv)) continue;
    if (touched(true, ref)) continue;
    EdgeDiff edge;
    edge.change = Change::Removed;
    edge.from = old_.graph.node(ref.from).id;
    edge.to = old_.graph.node(ref.to).id;
    edge.old_ports = old_.graph.edge(ref).ports;
    Side os{old_, {ref}};
    os.keys(edge.old_egress, edge.old_ingress);
    out_.redundant.push_back(std::move(edge));
  }
  pair_reexpressed();
}

// An added and a removed redundant edge that are the same access written otherwise (their
// other ends select the same pods, or hold the same addresses; the same ports) are one
// re-expressed edge.
void Differ::pair_reexpressed() {
  auto same_ends = [&](const std::string& new_id, const std::string& old_id) {
    auto nv = new_.graph.find(new_id);
    auto ov = old_.graph.find(old_id);
    if (!nv || !ov) return false;
    const Node& a = new_.graph.node(*nv);
    const Node& b = old_.graph.node(*ov);
    if (a.pods && b.pods) return a.pods->same_pods(*b.pods);
    return false;
  };
  std::vector<bool> used(out_.redundant.size());
  // The removed edges by destination and by source: a pair shares one end, so only those
  // are tried (in order, the first that fits wins), not every removed edge for every added.
  std::unordered_map<std::string, std::vector<std::size_t>> gone_to, gone_from;
  for (std::size_t j = 0; j < out_.redundant.size(); ++j)
    if (out_.redundant[j].change == Change::Removed) {
      gone_to[out_.redundant[j].to].push_back(j);
      gone_from[out_.redundant[j].from].push_back(j);
    }
  const std::vector<std::size_t> none;
  auto of = [&](const auto& index, const std::string& key) -> const std::vector<std::size_t>& {
    auto it = index.find(key);
    return it == index.end() ? none : it->second;
  };
  for (std::size_t i = 0; i < out_.redundant.size(); ++i) {
    EdgeDiff& added = out_.redundant[i];
    if (used[i] || !added.old_ports.empty()) continue;
    std::vector<std::size_t> tries;
    const auto& by_to = of(gone_to, added.to);
    const auto& by_from = of(gone_from, added.from);
    std::merge(by_to.begin(), by_to.end(), by_from.begin(), by_from.end(),
               std::back_inserter(tries));
    tries.erase(std::unique(tries.begin(), tries.end()), tries.end());
    for (std::size_t j : tries) {
      const EdgeDiff& gone = out_.redundant[j];
      if (used[j] || i == j || gone.change != Change::Removed || gone.old_ports != added.new_ports)
        continue;
      bool sources = added.to == gone.to && same_ends(added.from, gone.from);
      bool destinations = added.from == gone.from && same_ends(added.to, gone.to);
      if (!sources && !destinations) continue;
      EdgeDiff reexpressed = added;
      reexpressed.was = sources ? gone.from : gone.to;
      reexpressed.old_ports = gone.old_ports;
      reexpressed.old_egress = gone.old_egress;
      reexpressed.old_ingress = gone.old_ingress;
      out_.reexpressed.push_back(std::move(reexpressed));
      used[i] = used[j] = true;
      break;
    }
  }
  pair_address_reexpressed(used);
  std::vector<EdgeDiff> rest;
  for (std::size_t i = 0; i < out_.redundant.size(); ++i)
    if (!used[i]) rest.push_back(std::move(out_.redundant[i]));
  out_.redundant = std::move(rest);
}

// Address nodes named otherwise (an externalEgress entry given a name, so that one node
// stands where the profile's names made two): at one fixed end, the added edges allow
// exactly what the removed ones allowed, address by address and port by port. Each added
// edge is re-expressed, `was` the old nodes.
void Differ::pair_address_reexpressed(std::vector<bool>& used) {
  struct Group {
    std::vector<std::size_t> added, removed;
    AccessMap before, now;
  };
  std::map<std::pair<std::string, bool>, Group> groups;  // (fixed end, egress) -> edges
  auto access = [&](const PolicyGraph& graph, const EdgeDiff& change,
                    bool egress) -> std::optional<AccessMap> {
    auto u = graph.find(change.from), v = graph.find(change.to);
    if (!u || !v || !graph.hop_ports(*u, *v)) return std::nullopt;
    if (!address_node(graph.node(egress ? *v : *u))) return std::nullopt;
    if (is_class(graph.node(*u).kind) || is_class(graph.node(*v).kind)) return std::nullopt;
    return edge_addresses(graph, {*u, *v}, egress);
  };
  for (std::size_t i = 0; i < out_.redundant.size(); ++i) {
    if (used[i]) continue;
    const EdgeDiff& change = out_.redundant[i];
    bool added = change.old_ports.empty(), removed = change.change == Change::Removed;
    if (!added && !removed) continue;
    const PolicyGraph& graph = added ? new_.graph : old_.graph;
    for (bool egress : {true, false}) {
      std::optional<AccessMap> a = access(graph, change, egress);
      if (!a) continue;
      Group& group = groups[{egress ? change.from : change.to, egress}];
      (added ? group.added : group.removed).push_back(i);
      AccessMap& side = added ? group.now : group.before;
      side = side.unite(*a);
      break;
    }
  }
  for (auto& [key, group] : groups) {
    if (group.added.empty() || group.removed.empty() || group.before != group.now) continue;
    bool egress = key.second;
    std::string was;
    std::vector<Provenance> old_egress, old_ingress;
    for (std::size_t j : group.removed) {
      const EdgeDiff& gone = out_.redundant[j];
      was += (was.empty() ? "" : ", ") + (egress ? gone.to : gone.from);
      old_egress.insert(old_egress.end(), gone.old_egress.begin(), gone.old_egress.end());
      old_ingress.insert(old_ingress.end(), gone.old_ingress.begin(), gone.old_ingress.end());
      used[j] = true;
    }
    auto unique = [](std::vector<Provenance>& v) {
      std::vector<Provenance> out;
      for (auto& p : v)
        if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(std::move(p));
      v = std::move(out);
    };
    unique(old_egress);
    unique(old_ingress);
    for (std::size_t i : group.added) {
      EdgeDiff e = out_.redundant[i];
      e.was = was;
      e.old_egress = old_egress;
      e.old_ingress = old_ingress;
      out_.reexpressed.push_back(std::move(e));
      used[i] = true;
    }
  }
}
}  // namespace netpol::graph::diff_detail
