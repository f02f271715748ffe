#include "graph/analysis/diff.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <numeric>
#include <optional>
#include <set>
#include <unordered_map>

#include "graph/analysis/explain.hpp"
#include "graph/analysis/pod_space.hpp"
#include "graph/model/graph_access.hpp"
#include "graph/model/policy_graph_storage.hpp"

namespace netpol::graph {

std::string_view change_name(Change c) {
  switch (c) {
    case Change::Added:
      return "added";
    case Change::Removed:
      return "removed";
    case Change::Widened:
      return "widened";
    case Change::Narrowed:
      return "narrowed";
    case Change::Changed:
      return "changed";
  }
  return "changed";
}

std::string outside_pods_text(const std::string& id) {
  std::string prefix = std::string(kSelectorPrefix) + "(";
  if (id.size() > prefix.size() && id.compare(0, prefix.size(), prefix) == 0 && id.back() == ')')
    return id.substr(prefix.size(), id.size() - prefix.size() - 1);
  return id;
}

namespace {

using Vertex = PolicyGraph::Vertex;
using EdgeRef = PolicyGraph::EdgeRef;

bool widening(Change c) {
  return c == Change::Added || c == Change::Widened || c == Change::Changed;
}

// How `now` compares with `before`, for two sets that differ.
template <typename Set>
Change compare_sets(const Set& before, const Set& now) {
  if (before.empty()) return Change::Added;
  if (now.empty()) return Change::Removed;
  if (before.subset_of(now)) return Change::Widened;
  if (now.subset_of(before)) return Change::Narrowed;
  return Change::Changed;
}

// The addresses an edge's address end stands for (every address for `anywhere`).
AddressSet edge_address_set(const PolicyGraph& g, EdgeRef e, bool to_side) {
  if (g.node(to_side ? e.to : e.from).id == kAnywhereId) return AddressSet::everything();
  AddressSet out;
  for (const auto& b : g.edge(e).blocks) out.add(b.block);
  return out;
}

// The hops of one side that make up one change (an edge, or two services through their class
// nodes: PolicyGraph::hop_edge), and what they say together.
struct Side {
  const Analysis& a;
  std::vector<EdgeRef> edges;

  PortSet ports() const {
    PortSet p;
    for (const auto& e : edges)
      if (const PortSet* h = a.graph.hop_ports(e.from, e.to)) p = p.unite(*h);
    return p;
  }
  void keys(std::vector<Provenance>& egress, std::vector<Provenance>& ingress) const {
    for (const auto& e : edges)
      if (auto h = a.graph.hop_edge(e.from, e.to)) {
        add_unique(egress, h->egress);
        add_unique(ingress, h->ingress);
      }
  }
};

// An address node's identity: per edge the other end, the addresses and the ports (not its
// kind: an OTLP collector and an ipBlock of the same addresses are the same access). Two ids
// with one signature are a rename.
std::string signature(const PolicyGraph& g, Vertex v) {
  std::vector<std::string> parts;
  for (auto e : boost::make_iterator_range(boost::in_edges(v, boost_graph(g)))) {
    EdgeRef r{boost::source(e, boost_graph(g)), v};
    parts.push_back("in " + g.node(r.from).id + " " + edge_address_set(g, r, true).str() + " " +
                    g.edge(r).ports.label());
  }
  for (auto e : boost::make_iterator_range(boost::out_edges(v, boost_graph(g)))) {
    EdgeRef r{v, boost::target(e, boost_graph(g))};
    parts.push_back("out " + g.node(r.to).id + " " + edge_address_set(g, r, false).str() + " " +
                    g.edge(r).ports.label());
  }
  std::sort(parts.begin(), parts.end());
  std::string out;
  for (const auto& p : parts) out += p + "\n";
  return out;
}

// The pods of both sides' selector and ns-pods nodes as cells (docs/model.md, "Pods as
// sets"): each node is the union of the cells inside it, so access to and from outside pods
// compares set against set, whatever the selectors' spelling. A cell that is exactly the
// pods of a node is named after it (the new side's first); another is named
// "sel:(<its description>)".
struct PodCellIds {
  std::map<std::string, std::vector<std::string>> cells_of;  // node id -> cell ids
  // cell id -> the nodes holding it, on the old and on the new side
  std::map<std::string, std::pair<std::vector<std::string>, std::vector<std::string>>> nodes;
  std::vector<std::string> order;  // the nodes: the new side's in display order, then the old's
  // Cells that are no node's pods exactly, by their provisional id "sel:(#N)": what the pods
  // are, to name them "sel:(<description>)" where a change is listed.
  std::map<std::string, PodCubes> unnamed;
};

// Cube intersections the cells of a diff may cost (about a second at most).
constexpr std::size_t kCellBudget = 1'000'000;

PodCellIds pod_cells(const Analysis& o, const Analysis& n) {
  // The chart services' pods, which their own edges speak for, and the pods that can exist
  // (a namespace the inputs know has the labels they give it): graph/analysis/pod_space.hpp, over
  // both sides.
  const PodSpace space({&n, &o});
  const PodCubes& services = space.services();
  struct Held {
    std::string id;
    bool old_side;
  };
  std::vector<Held> held;
  std::vector<PodCubes> sets;
  std::map<std::string, std::size_t> index;  // node id -> its set, once for both sides
  for (const Analysis* a : {&n, &o})
    for (Vertex v : a->graph.nodes()) {
      const Node& node = a->graph.node(v);
      if (!node.pods) continue;
      held.push_back({node.id, a == &o});
      if (index.emplace(node.id, sets.size()).second) sets.push_back(*node.pods);
    }
  for (auto& set : sets) set = set.intersect(space.possible());
  // The cells of the selectors as written, then the services' pods taken out of each (a
  // cell of services' pods only is no cell): the selectors' few values are cut first, the
  // services' many once per cell.
  // Past the budget (thousands of overlapping selectors), outside pods are compared by node,
  // as selectors of one spelling (docs/model.md, "Pods as sets").
  std::optional<PodCells> found = partition(sets, kCellBudget);
  if (!found) return {};
  PodCells& cells = *found;
  {
    std::vector<std::size_t> kept(cells.cells.size(), SIZE_MAX);
    std::vector<PodCubes> left;
    for (std::size_t c = 0; c < cells.cells.size(); ++c) {
      PodCubes outside = cells.cells[c].subtract(services);
      if (outside.empty()) continue;
      kept[c] = left.size();
      left.push_back(std::move(outside));
    }
    for (auto& of : cells.cells_of) {
      std::vector<std::size_t> next;
      for (std::size_t c : of)
        if (kept[c] != SIZE_MAX) next.push_back(kept[c]);
      of = std::move(next);
    }
    cells.cells = std::move(left);
  }
  PodCellIds out;
  std::vector<std::string> names(cells.cells.size());
  for (const auto& h : held)  // the new side's nodes first, in display order
    if (const auto& of = cells.cells_of[index.at(h.id)]; of.size() == 1 && names[of[0]].empty())
      names[of[0]] = h.id;
  // Another cell is described only when a change names it (describing costs more than
  // cutting): until then its id is its number.
  for (std::size_t c = 0; c < names.size(); ++c)
    if (names[c].empty()) {
      names[c] = std::string(kSelectorPrefix) + "(#" + std::to_string(c) + ")";
      out.unnamed.emplace(names[c], std::move(cells.cells[c]));
    }
  for (const auto& [id, i] : index) {
    auto& of = out.cells_of[id];  // none for a selector of no pod: its edges are no access
    for (std::size_t c : cells.cells_of[i]) of.push_back(names[c]);
  }
  for (const auto& h : held)
    if (std::find(out.order.begin(), out.order.end(), h.id) == out.order.end())
      out.order.push_back(h.id);
  for (const auto& h : held) {
    auto& lists = out.nodes;
    for (const auto& cell : out.cells_of[h.id]) {
      auto& list = h.old_side ? lists[cell].first : lists[cell].second;
      if (std::find(list.begin(), list.end(), h.id) == list.end()) list.push_back(h.id);
    }
  }
  return out;
}

class Differ {
 public:
  Differ(const Analysis& o, const Analysis& n, Diff& d, std::size_t max_pairs)
      : o_(o),
        n_(n),
        d_(d),
        max_pairs_(max_pairs),
        groups_(service_groups(n.graph, o.graph)),
        cells_(pod_cells(o, n)),
        oa_(access_of(o.graph, groups_, &cells_.cells_of)),
        na_(access_of(n.graph, groups_, &cells_.cells_of)) {}

  void run() {
    find_renames();
    for (const auto& src : union_keys(oa_.from, na_.from)) from_source(src);
    list_cell_changes();
    for (const auto& dst : union_keys(oa_.any, na_.any)) from_any(dst);
    for (const auto& dst : union_keys(oa_.from_addresses, na_.from_addresses)) from_addresses(dst);
    list_group_changes();
    list_redundant();
    compare_exposure();
    in_display_order(d_.edges);
    in_display_order(d_.redundant);
    in_display_order(d_.reexpressed);
    std::map<std::string, std::string> described;
    for (auto& e : d_.edges)
      for (std::string* id : {&e.from, &e.to})
        if (auto it = cells_.unnamed.find(*id); it != cells_.unnamed.end()) {
          auto [name, fresh] = described.try_emplace(*id);
          if (fresh)
            name->second = std::string(kSelectorPrefix) + "(" + it->second.describe() + ")";
          *id = name->second;
        }
  }

 private:
  template <typename Map>
  static std::vector<typename Map::key_type> union_keys(const Map& a, const Map& b) {
    std::set<typename Map::key_type> keys;
    for (const auto& [k, v] : a) keys.insert(k);
    for (const auto& [k, v] : b) keys.insert(k);
    return {keys.begin(), keys.end()};
  }

  static const AccessMap& get(const std::map<std::string, AccessMap>& m, const std::string& k) {
    static const AccessMap none;
    auto it = m.find(k);
    return it == m.end() ? none : it->second;
  }
  static PortSet any_to(const GraphAccess& a, const std::string& k) {
    auto it = a.any.find(k);
    return it == a.any.end() ? PortSet() : it->second;
  }
  bool is_service(const std::string& id) const {
    return o_.chart.service(id) || n_.chart.service(id);
  }

  // Sorted as the graphs show them: by source, then destination, the new side's order first.
  void in_display_order(std::vector<EdgeDiff>& edges) const {
    std::size_t offset = n_.graph.vertex_count();
    auto rank = [&](const std::string& id) {
      if (auto v = n_.graph.find(id)) return n_.graph.rank(*v);
      if (auto v = o_.graph.find(id)) return offset + o_.graph.rank(*v);
      return 2 * offset + o_.graph.vertex_count();
    };
    std::stable_sort(edges.begin(), edges.end(), [&](const EdgeDiff& a, const EdgeDiff& b) {
      return std::make_pair(rank(a.from), rank(a.to)) < std::make_pair(rank(b.from), rank(b.to));
    });
  }

  // ---- renames: address nodes of one side only, with the same access as one of the other's.
  void find_renames() {
    std::map<std::string, std::vector<std::string>> old_only;
    for (Vertex v : o_.graph.nodes()) {
      const Node& n = o_.graph.node(v);
      if (address_node(n) && n.id != kAnywhereId && !n_.graph.find(n.id))
        old_only[signature(o_.graph, v)].push_back(n.id);
    }
    for (Vertex v : n_.graph.nodes()) {
      const Node& n = n_.graph.node(v);
      if (!address_node(n) || o_.graph.find(n.id)) continue;
      auto it = old_only.find(signature(n_.graph, v));
      if (it == old_only.end() || it->second.empty()) continue;
      d_.renames.push_back({it->second.front(), n.id});
      renamed_[n.id] = it->second.front();
      it->second.erase(it->second.begin());
    }
  }
  // The old side's id for a node id of the new side.
  std::string old_id(const std::string& id) const {
    auto it = renamed_.find(id);
    return it == renamed_.end() ? id : it->second;
  }

  // ---- a chart service or a selector group as the source
  void from_source(const std::string& src) {
    AccessMap before = get(oa_.from, src), now = get(na_.from, src);
    if (!is_service(src)) {  // outside pods: also what any source may reach
      from_outside_pods(src, before, now);
      return;
    }
    if (before == now) return;
    // Pod atoms: one change per destination; atoms outside the chart whose change is only
    // that of every pod (a rule to anywhere) go with the addresses below.
    std::set<std::string> atoms;
    bool others = false;  // a change to pods no atom names, or to addresses
    for (const auto& c : compare_access(before, now)) {
      for (const auto& atom : c.to.pods.atoms()) atoms.insert(atom);
      others = others || c.to.pods.complement() || !c.to.addresses.empty();
    }
    const PortSet& other_before = before.to_other_pods();
    const PortSet& other_now = now.to_other_pods();
    for (const auto& atom : atoms) {
      PortSet b = before.to_atom(atom), n = now.to_atom(atom);
      if (b == n) continue;
      if (!is_service(atom) && b == other_before && n == other_now) continue;
      pod_change(src, atom, b, n);
    }
    if (others) address_changes(src, true);
  }

  void from_outside_pods(const std::string& src, const AccessMap& direct_before,
                         const AccessMap& direct_now) {
    std::set<std::string> atoms;
    for (const auto* m : {&direct_before, &direct_now})
      for (const auto& p : m->pieces())
        for (const auto& atom : p.to.pods.atoms()) atoms.insert(atom);
    for (const auto& atom : atoms) {
      PortSet any_b = any_to(oa_, atom), any_n = any_to(na_, atom);
      PortSet b = direct_before.to_atom(atom).unite(any_b);
      PortSet n = direct_now.to_atom(atom).unite(any_n);
      if (b == n || (b == any_b && n == any_n)) continue;  // none, or what any source got
      pod_change(src, atom, b, n);
    }
  }

  // Any source into a service no address source reaches on either side (where one does, the
  // addresses are compared with any source's: from_addresses).
  void from_any(const std::string& dst) {
    if (oa_.from_addresses.count(dst) || na_.from_addresses.count(dst)) return;
    PortSet b = any_to(oa_, dst), n = any_to(na_, dst);
    if (b != n) pod_change(std::string(kAnySourceId), dst, b, n);
  }

  // ---- changes to or from a cell of outside pods: said per node where every cell of the
  // node changed alike, per cell for the rest.
  struct CellChange {
    PortSet before, now;
  };
  // (fixed end, whether the cell is the source) -> cell -> its change
  std::map<std::pair<std::string, bool>, std::map<std::string, CellChange>> cell_changes_;

  bool is_cell(const std::string& id) const { return cells_.nodes.count(id) > 0; }

  void list_cell_changes() {
    for (const auto& entry : cell_changes_) {
      // No structured bindings: clang 14 (the sanitizer tree) cannot capture them.
      const std::string& fixed = entry.first.first;
      const bool cell_is_source = entry.first.second;
      const auto& changes = entry.second;
      std::set<std::string> said;
      auto change = [&](const std::string& pods, const CellChange& c) {
        if (cell_is_source)
          pod_change(pods, fixed, c.before, c.now, true);
        else
          pod_change(fixed, pods, c.before, c.now, true);
      };
      for (const auto& node : cells_.order) {
        const auto& cells = cells_.cells_of.at(node);
        if (cells.empty()) continue;
        auto first = changes.find(cells.front());
        if (first == changes.end()) continue;
        bool alike = std::all_of(cells.begin(), cells.end(), [&](const std::string& c) {
          auto it = changes.find(c);
          return it != changes.end() && it->second.before == first->second.before &&
                 it->second.now == first->second.now;
        });
        if (!alike || std::all_of(cells.begin(), cells.end(),
                                  [&](const std::string& c) { return said.count(c) > 0; }))
          continue;
        change(node, first->second);
        said.insert(cells.begin(), cells.end());
      }
      for (const auto& [cell, c] : changes)
        if (!said.count(cell)) change(cell, c);
    }
    cell_changes_.clear();
  }

  void pod_change(const std::string& from, const std::string& to, const PortSet& b,
                  const PortSet& n, bool as_is = false) {
    if (!as_is && (is_cell(from) || is_cell(to))) {
      bool source = is_cell(from);
      cell_changes_[{source ? to : from, source}][source ? from : to] = {b, n};
      return;
    }
    EdgeDiff e;
    e.from = from;
    e.to = to;
    e.old_ports = b;
    e.new_ports = n;
    e.added_ports = n.subtract(b);
    e.removed_ports = b.subtract(n);
    e.change = compare_sets(b, n);
    if (auto a = groups_.sender_of.find(from); a != groups_.sender_of.end()) {
      // The first of a group of sources (and of destinations, for a service): for each pair.
      auto d = groups_.receiver_of.find(to);
      if (d != groups_.receiver_of.end()) touched_groups_.insert({a->second, d->second});
      pending_.push_back(
          {std::move(e),
           a->second,
           d == groups_.receiver_of.end() ? std::nullopt : std::optional<std::size_t>(d->second),
           {},
           {}});
      return;
    }
    Side os{o_, hop_between(true, from, to)}, ns{n_, hop_between(false, from, to)};
    finish(e, os, ns);
  }

  // The node ids of one side a pod atom stands for: a cell's nodes, or the id itself (a
  // node of outside pods said whole also stands for the nodes of its cells).
  std::vector<std::string> nodes_of(bool old_side, const std::string& id) const {
    auto it = cells_.nodes.find(id);
    if (it != cells_.nodes.end()) return old_side ? it->second.first : it->second.second;
    return {id};
  }

  // The hops of one side between two atoms (for a cell, from or to every node holding it).
  std::vector<EdgeRef> hop_between(bool old_side, const std::string& from,
                                   const std::string& to) const {
    const PolicyGraph& g = old_side ? o_.graph : n_.graph;
    std::vector<EdgeRef> out;
    for (const auto& f : nodes_of(old_side, from))
      for (const auto& t : nodes_of(old_side, to)) {
        auto u = g.find(f), v = g.find(t);
        if (u && v && g.hop_ports(*u, *v)) out.push_back({*u, *v});
      }
    return out;
  }

  // ---- changes found for the first pair of a sender group and a receiver group (or an
  // outside destination): listed for every pair, or once per group past max_pairs pairs.
  struct Pending {
    EdgeDiff e;
    std::size_t from_group;
    std::optional<std::size_t> to_group;  // a change between services
    // An address change: the first source's hops on each side (every member has the same
    // address nodes).
    std::vector<EdgeRef> old_hops, new_hops;
  };

  std::size_t pair_count(const Pending& p) const {
    return p.to_group ? groups_.pair_count(p.from_group, *p.to_group)
                      : groups_.senders[p.from_group].size();
  }

  // The change `p` for one source `s` (and destination `t`, for a change between services),
  // with that pair's keys (and, for a change rather than a redundant edge, what removed it).
  EdgeDiff for_pair(const Pending& p, const std::string& s, const std::string& t,
                    bool redundant = false) {
    EdgeDiff e = p.e;
    e.from = s;
    if (p.to_group) e.to = t;
    Side os{o_, hops_of(p, true, s, e.to)}, ns{n_, hops_of(p, false, s, e.to)};
    if (redundant) {
      os.keys(e.old_egress, e.old_ingress);
      ns.keys(e.new_egress, e.new_ingress);
    } else {
      complete(e, os, ns);
    }
    return e;
  }

  // The index in Diff::groups of a group of services, added on first use.
  std::size_t group_index(const std::vector<std::string>& members) {
    auto it = group_index_.find(members);
    if (it != group_index_.end()) return it->second;
    d_.groups.push_back(members);
    return group_index_.emplace(members, d_.groups.size() - 1).first->second;
  }

  // The hops of one side that the pair s -> t of `p` goes over.
  std::vector<EdgeRef> hops_of(const Pending& p, bool old_side, const std::string& s,
                               const std::string& t) const {
    const PolicyGraph& g = old_side ? o_.graph : n_.graph;
    std::vector<EdgeRef> out;
    auto u = g.find(s);
    if (!u) return out;
    if (const auto& hops = old_side ? p.old_hops : p.new_hops; !hops.empty()) {
      for (const EdgeRef& h : hops) out.push_back({*u, h.to});
    } else {
      return hop_between(old_side, s, t);
    }
    return out;
  }

  void list_group_changes() { list_pending(pending_, d_.edges, false); }

  // Pending changes, or redundant edges, into `to`: pair by pair when they come to at most
  // max_pairs pairs together, else once each for its groups.
  void list_pending(std::vector<Pending>& pending, std::vector<EdgeDiff>& to, bool redundant) {
    std::vector<std::size_t> pairs;
    for (const Pending& p : pending) pairs.push_back(pair_count(p));
    const std::size_t total = std::accumulate(pairs.begin(), pairs.end(), std::size_t{0});
    for (std::size_t i = 0; i < pending.size(); ++i) {
      const Pending& p = pending[i];
      const auto& sources = groups_.senders[p.from_group];
      static const std::vector<std::string> outside(1);
      const auto& destinations = p.to_group ? groups_.receivers[*p.to_group] : outside;
      if (total <= max_pairs_ || pairs[i] <= 1) {
        for (const auto& s : sources)
          for (const auto& t : destinations)
            if (s != t) to.push_back(for_pair(p, s, t, redundant));
        continue;
      }
      // One change for the groups, with the keys of the pair that stands for them (each
      // member's own keys are its rules at the same positions; listing them all for every
      // change would make the answer as large as the pairs).
      auto pair = p.to_group ? groups_.pair(p.from_group, *p.to_group)
                             : std::make_optional(std::make_pair(sources.front(), p.e.to));
      EdgeDiff out = for_pair(p, pair->first, pair->second, redundant);
      if (sources.size() > 1) out.from_group = group_index(sources);
      if (p.to_group && destinations.size() > 1) out.to_group = group_index(destinations);
      out.pairs = pairs[i];
      if (!p.to_group)  // every member's own edge to the node is part of the change
        for (const auto& s : sources)
          for (bool old_side : {true, false})
            for (const EdgeRef& r : hops_of(p, old_side, s, p.e.to))
              touched_.insert({old_side, r.from, r.to});
      to.push_back(std::move(out));
    }
    pending.clear();
  }

  // ---- address destinations (outgoing = true) or address sources (false)
  // The edges of both sides between `fixed` and address nodes, joined where their access
  // overlaps (some address on some port in both); each group whose access differs is one
  // change. `any` (for address sources): what any source has on each side, which every
  // address has too; a difference that is only that is listed once, from any-source.
  void address_changes(const std::string& fixed, bool outgoing, const PortSet& any_before = {},
                       const PortSet& any_now = {}) {
    struct Member {
      bool old_side;
      EdgeRef e;
      AccessMap access;
      AddressSet addresses;
    };
    std::vector<Member> members;
    for (bool old_side : {true, false}) {
      const PolicyGraph& g = old_side ? o_.graph : n_.graph;
      auto v = g.find(fixed);
      if (!v) continue;
      auto add = [&](EdgeRef r, Vertex other) {
        if (!outgoing && g.node(other).kind == NodeKind::AnySource) {
          // Any source holds every address: an address source into the same service on the
          // other side is compared with it (0.0.0.0/0 except 10.0.0.0/8 narrows it).
          AccessMap every;
          every.grant_addresses(AddressSet::everything(), g.edge(r).ports);
          members.push_back({old_side, r, every, AddressSet::everything()});
          return;
        }
        if (!address_node(g.node(other))) return;
        members.push_back(
            {old_side, r, edge_addresses(g, r, outgoing), edge_address_set(g, r, outgoing)});
      };
      if (outgoing)
        for (Vertex t : g.targets_of(*v)) add({*v, t}, t);
      else
        for (Vertex s : g.sources_of(*v)) add({s, *v}, s);
    }
    std::vector<std::size_t> parent(members.size());
    std::iota(parent.begin(), parent.end(), 0);
    auto root = [&](std::size_t x) {
      while (parent[x] != x) x = parent[x] = parent[parent[x]];
      return x;
    };
    for (std::size_t i = 0; i < members.size(); ++i)
      for (std::size_t j = i + 1; j < members.size(); ++j)
        if (root(i) != root(j) && members[i].addresses.intersects(members[j].addresses) &&
            members[i].access.intersects(members[j].access))
          parent[root(j)] = root(i);
    std::map<std::size_t, std::vector<std::size_t>> groups;
    for (std::size_t m = 0; m < members.size(); ++m) groups[root(m)].push_back(m);
    for (const auto& [r, group] : groups) {
      Side os{o_, {}}, ns{n_, {}};
      AccessMap before, now;
      AddressSet old_addresses, new_addresses;
      bool has_any = false;  // any source is a member: its change is this group's
      for (std::size_t m : group) {
        const Member& x = members[m];
        const PolicyGraph& g = x.old_side ? o_.graph : n_.graph;
        has_any = has_any || g.node(x.e.from).kind == NodeKind::AnySource;
        (x.old_side ? os : ns).edges.push_back(x.e);
        AccessMap& map = x.old_side ? before : now;
        map = map.unite(x.access);
        AddressSet& addresses = x.old_side ? old_addresses : new_addresses;
        addresses = addresses.unite(x.addresses);
      }
      if (!has_any) {  // what any source allows as well is no change of these addresses
        before.grant_addresses(AddressSet::everything(), any_before);
        now.grant_addresses(AddressSet::everything(), any_now);
      }
      std::vector<AccessChange> changes;
      for (auto& c : compare_access(before, now))
        if (has_any || !(c.before == any_before && c.now == any_now))
          changes.push_back(std::move(c));
      if (changes.empty()) continue;
      EdgeDiff e;
      // Added or removed only when a side has nothing here; more or fewer addresses otherwise.
      e.change = verdict(changes);
      if (e.change == Change::Added && !os.edges.empty()) e.change = Change::Widened;
      if (e.change == Change::Removed && !ns.edges.empty()) e.change = Change::Narrowed;
      auto id = [&](const Side& side, const PolicyGraph& g) -> std::string {
        if (side.edges.empty()) return "";
        return g.node(outgoing ? side.edges.front().to : side.edges.front().from).id;
      };
      std::string old_node = id(os, o_.graph), new_node = id(ns, n_.graph);
      std::string node = new_node.empty() ? old_node : new_node;
      e.from = outgoing ? fixed : node;
      e.to = outgoing ? node : fixed;
      if (!old_node.empty() && old_node != node && old_id(node) != old_node) e.was = old_node;
      e.old_ports = os.ports();
      e.new_ports = ns.ports();
      e.added_ports = e.new_ports.subtract(e.old_ports);
      e.removed_ports = e.old_ports.subtract(e.new_ports);
      if (old_addresses != new_addresses && !old_addresses.empty() && !new_addresses.empty())
        e.addresses = compare_sets(old_addresses, new_addresses);
      e.old_addresses = old_addresses.str();
      e.new_addresses = new_addresses.str();
      e.old_addresses_text = old_addresses.describe();
      e.new_addresses_text = new_addresses.describe();
      if (auto a = groups_.sender_of.find(fixed); outgoing && a != groups_.sender_of.end()) {
        pending_.push_back({std::move(e), a->second, std::nullopt, os.edges, ns.edges});
        continue;
      }
      finish(e, os, ns);
    }
  }

  void from_addresses(const std::string& dst) {
    address_changes(dst, false, any_to(oa_, dst), any_to(na_, dst));
  }

  // ---- keys, and what the change touched (for the redundant list)
  void finish(EdgeDiff& e, const Side& os, const Side& ns) {
    complete(e, os, ns);
    d_.edges.push_back(std::move(e));
  }
  void complete(EdgeDiff& e, const Side& os, const Side& ns) {
    os.keys(e.old_egress, e.old_ingress);
    ns.keys(e.new_egress, e.new_ingress);
    e.changed_by = changed_keys(e);
    if (e.change == Change::Removed || e.change == Change::Narrowed ||
        (e.change == Change::Changed && !e.removed_ports.empty()))
      // The keys whose change took it away, where the values say so; else the new side's
      // keys that block it.
      e.removed_by = e.changed_by.empty() ? removal_keys(e) : e.changed_by;
    for (const Side* s : {&os, &ns})
      for (const auto& r : s->edges) touched_.insert({s == &os, r.from, r.to});
  }

  // The keys of e's provenance, either side, whose merged values differ between the sides:
  // each where its value is set now, or was, when it is gone.
  std::vector<Provenance> changed_keys(const EdgeDiff& e) {
    std::vector<Provenance> out;
    if (!o_.values || !n_.values) return out;
    std::set<std::string> seen;
    for (const auto* keys : {&e.new_egress, &e.new_ingress, &e.old_egress, &e.old_ingress})
      for (const Provenance& p : *keys) {
        if (p.path.empty() || !seen.insert(p.path).second) continue;
        // Thousands of changes share a few keys each: each key is compared once.
        auto [it, fresh] = changed_.try_emplace(p.path);
        if (fresh) {
          const values::Value* before = value_at(true, p.path);
          const values::Value* now = value_at(false, p.path);
          if ((before || now) && !(before && now && values::same_value(*before, *now)))
            it->second = Provenance{p.path, now ? now->loc : before->loc};
        }
        if (it->second) out.push_back(*it->second);
      }
    return out;
  }

  // The merged value at a values path on one side; the top level (thousands of services) by
  // an index.
  const values::Value* value_at(bool old_side, const std::string& path) {
    const values::Value& root = old_side ? *o_.values : *n_.values;
    auto& index = top_[old_side ? 0 : 1];
    if (index.empty() && root.is_map())
      for (const auto& entry : root.map) index.emplace(entry.key, &entry.value);
    std::string first;
    std::size_t i = 0;
    for (; i < path.size() && path[i] != '.' && path[i] != '['; ++i) {
      if (path[i] == '\\' && i + 1 < path.size()) ++i;
      first += path[i];
    }
    auto it = index.find(first);
    if (it == index.end()) return nullptr;
    return values::find_path(*it->second, std::string_view(path).substr(i));
  }

  // The new side's keys that block what was removed.
  std::vector<Provenance> removal_keys(const EdgeDiff& e) const {
    const PolicyGraph& g = n_.graph;
    auto u = g.find(e.from), v = g.find(e.to);
    std::optional<PortQuery> port;
    for (const auto& item : e.removed_ports.items())
      if (!item.all && item.name.empty()) {
        port = PortQuery{item.protocol, item.lo};
        break;
      }
    if (u && v && g.hop_ports(*u, *v))  // still there: the new keys say it
      return port ? explain_blocked(n_, *u, *v, port).keys : std::vector<Provenance>{};
    if (u && v) {
      Blocked b = explain_blocked(n_, *u, *v, std::nullopt);
      if (!b.keys.empty()) return b.keys;
    }
    // An end that no longer exists: the keys of the service on the other end.
    if (const Service* d = n_.chart.service(e.to))
      return {e.from == kAnySourceId ? d->allow_external_key : d->ingress_from_key};
    if (const Service* s = n_.chart.service(e.from)) {
      const Node* dst = nullptr;
      if (auto ov = o_.graph.find(e.was.empty() ? e.to : e.was)) dst = &o_.graph.node(*ov);
      if (dst && address_node(*dst))  // an entry that is gone has no key left to cite
        return s->allow_external_egress ? std::vector<Provenance>{}
                                        : std::vector<Provenance>{s->allow_external_egress_key};
      return {s->egress_to_key};
    }
    return {};
  }

  // Whether a change on the edge r was listed.
  bool touched(bool old_side, EdgeRef r) const { return touched_.count({old_side, r.from, r.to}); }
  static bool through_class(const PolicyGraph& g, EdgeRef r) {
    return is_class(g.node(r.from).kind) || is_class(g.node(r.to).kind);
  }

  // Edges whose names say something changed while access did not: between services by group
  // (the pair of each pair of groups), other edges one by one.
  std::map<std::string, std::optional<Provenance>> changed_;      // key path -> changed, where
  std::unordered_map<std::string, const values::Value*> top_[2];  // old, new: top-level keys

  void list_redundant() {
    std::vector<Pending> between;
    for (const auto& key : union_keys(oa_.between_groups, na_.between_groups)) {
      if (touched_groups_.count(key)) continue;
      auto o = oa_.between_groups.find(key), n = na_.between_groups.find(key);
      PortSet before = o == oa_.between_groups.end() ? PortSet() : o->second;
      PortSet now = n == na_.between_groups.end() ? PortSet() : n->second;
      if (before == now) continue;
      EdgeDiff e;
      e.from = groups_.senders[key.first].front();
      e.to = groups_.receivers[key.second].front();
      e.old_ports = before;
      e.new_ports = now;
      e.change = compare_sets(before, now);
      between.push_back({std::move(e), key.first, key.second, {}, {}});
    }
    list_pending(between, d_.redundant, true);
    auto services = [](const PolicyGraph& g, EdgeRef r) {
      return g.node(r.from).kind == NodeKind::Service && g.node(r.to).kind == NodeKind::Service;
    };
    // By name: other ports, or other addresses (however written) on an address edge.
    auto changed = [&](EdgeRef o, EdgeRef n) {
      if (*o_.graph.hop_ports(o.from, o.to) != *n_.graph.hop_ports(n.from, n.to)) return true;
      for (bool to_side : {true, false}) {
        const Node& a = to_side ? o_.graph.node(o.to) : o_.graph.node(o.from);
        const Node& b = to_side ? n_.graph.node(n.to) : n_.graph.node(n.from);
        if (address_node(a) && address_node(b) &&
            edge_addresses(o_.graph, o, to_side) != edge_addresses(n_.graph, n, to_side))
          return true;
      }
      return false;
    };
    for (const auto& r : n_.graph.edges()) {
      if (through_class(n_.graph, r) || services(n_.graph, r)) continue;
      std::string from = old_id(n_.graph.node(r.from).id), to = old_id(n_.graph.node(r.to).id);
      auto ou = o_.graph.find(from), ov = o_.graph.find(to);
      bool old_edge = ou && ov && o_.graph.hop_ports(*ou, *ov);
      if (old_edge && !changed({*ou, *ov}, r)) continue;
      if (touched(false, r)) continue;
      if (old_edge && touched(true, {*ou, *ov})) continue;
      EdgeDiff e;
      e.from = n_.graph.node(r.from).id;
      e.to = n_.graph.node(r.to).id;
      e.new_ports = n_.graph.edge(r).ports;
      if (old_edge) e.old_ports = *o_.graph.hop_ports(*ou, *ov);
      e.change = compare_sets(e.old_ports, e.new_ports);
      Side os{o_, {}}, ns{n_, {r}};
      if (old_edge) os.edges.push_back({*ou, *ov});
      os.keys(e.old_egress, e.old_ingress);
      ns.keys(e.new_egress, e.new_ingress);
      d_.redundant.push_back(std::move(e));
    }
    std::map<std::string, std::string> back;
    for (const auto& [n, o] : renamed_) back[o] = n;
    for (const auto& r : o_.graph.edges()) {
      if (through_class(o_.graph, r) || services(o_.graph, r)) continue;
      auto map_id = [&](const std::string& id) {
        auto it = back.find(id);
        return it == back.end() ? id : it->second;
      };
      auto nu = n_.graph.find(map_id(o_.graph.node(r.from).id));
      auto nv = n_.graph.find(map_id(o_.graph.node(r.to).id));
      if (nu && nv && n_.graph.hop_ports(*nu, *nv)) continue;
      if (touched(true, r)) continue;
      EdgeDiff e;
      e.change = Change::Removed;
      e.from = o_.graph.node(r.from).id;
      e.to = o_.graph.node(r.to).id;
      e.old_ports = o_.graph.edge(r).ports;
      Side os{o_, {r}};
      os.keys(e.old_egress, e.old_ingress);
      d_.redundant.push_back(std::move(e));
    }
    pair_reexpressed();
  }

  // An added and a removed redundant edge that are the same access written otherwise (their
  // other ends select the same pods, or hold the same addresses; the same ports) are one
  // re-expressed edge.
  void pair_reexpressed() {
    auto same_ends = [&](const std::string& new_id, const std::string& old_id) {
      auto nv = n_.graph.find(new_id);
      auto ov = o_.graph.find(old_id);
      if (!nv || !ov) return false;
      const Node& a = n_.graph.node(*nv);
      const Node& b = o_.graph.node(*ov);
      if (a.pods && b.pods) return a.pods->same_pods(*b.pods);
      return false;
    };
    std::vector<bool> used(d_.redundant.size());
    for (std::size_t i = 0; i < d_.redundant.size(); ++i) {
      EdgeDiff& added = d_.redundant[i];
      if (used[i] || !added.old_ports.empty()) continue;
      for (std::size_t j = 0; j < d_.redundant.size(); ++j) {
        const EdgeDiff& gone = d_.redundant[j];
        if (used[j] || i == j || gone.change != Change::Removed ||
            gone.old_ports != added.new_ports)
          continue;
        bool sources = added.to == gone.to && same_ends(added.from, gone.from);
        bool destinations = added.from == gone.from && same_ends(added.to, gone.to);
        if (!sources && !destinations) continue;
        EdgeDiff e = added;
        e.was = sources ? gone.from : gone.to;
        e.old_ports = gone.old_ports;
        e.old_egress = gone.old_egress;
        e.old_ingress = gone.old_ingress;
        d_.reexpressed.push_back(std::move(e));
        used[i] = used[j] = true;
        break;
      }
    }
    pair_address_reexpressed(used);
    std::vector<EdgeDiff> rest;
    for (std::size_t i = 0; i < d_.redundant.size(); ++i)
      if (!used[i]) rest.push_back(std::move(d_.redundant[i]));
    d_.redundant = std::move(rest);
  }

  // Address nodes named otherwise (an externalEgress entry given a name, so that one node
  // stands where the profile's names made two): at one fixed end, the added edges allow
  // exactly what the removed ones allowed, address by address and port by port. Each added
  // edge is re-expressed, `was` the old nodes.
  void pair_address_reexpressed(std::vector<bool>& used) {
    struct Group {
      std::vector<std::size_t> added, removed;
      AccessMap before, now;
    };
    std::map<std::pair<std::string, bool>, Group> groups;  // (fixed end, egress) -> edges
    auto access = [&](const PolicyGraph& g, const EdgeDiff& e,
                      bool egress) -> std::optional<AccessMap> {
      auto u = g.find(e.from), v = g.find(e.to);
      if (!u || !v || !g.hop_ports(*u, *v)) return std::nullopt;
      if (!address_node(g.node(egress ? *v : *u))) return std::nullopt;
      if (is_class(g.node(*u).kind) || is_class(g.node(*v).kind)) return std::nullopt;
      return edge_addresses(g, {*u, *v}, egress);
    };
    for (std::size_t i = 0; i < d_.redundant.size(); ++i) {
      if (used[i]) continue;
      const EdgeDiff& e = d_.redundant[i];
      bool added = e.old_ports.empty(), removed = e.change == Change::Removed;
      if (!added && !removed) continue;
      const PolicyGraph& g = added ? n_.graph : o_.graph;
      for (bool egress : {true, false}) {
        std::optional<AccessMap> a = access(g, e, egress);
        if (!a) continue;
        Group& group = groups[{egress ? e.from : e.to, egress}];
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
        const EdgeDiff& gone = d_.redundant[j];
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
        EdgeDiff e = d_.redundant[i];
        e.was = was;
        e.old_egress = old_egress;
        e.old_ingress = old_ingress;
        d_.reexpressed.push_back(std::move(e));
        used[i] = true;
      }
    }
  }

  // ---- nodes any source reaches on one side only (address nodes by their old id)
  // Pods by id; address nodes by the access their last hop grants: newly reachable when some
  // address and port of it was not reachable before, no longer when none of it is now.
  void compare_exposure() {
    struct Reached {
      std::vector<std::string> path;
      std::optional<AccessMap> addresses;  // for an address node: its last hop's access
    };
    auto exposed = [](const Analysis& a, AccessMap& all_addresses) {
      std::map<std::string, Reached> out;
      for (const Route& r : a.exposed) {
        Reached x;
        for (Vertex v : r.path) x.path.push_back(a.graph.node(v).id);
        if (address_node(a.graph.node(r.to))) {
          EdgeRef last{r.path[r.path.size() - 2], r.to};
          x.addresses = edge_addresses(a.graph, last, true);
          all_addresses = all_addresses.unite(*x.addresses);
        }
        out[a.graph.node(r.to).id] = std::move(x);
      }
      return out;
    };
    AccessMap old_addresses, new_addresses;
    auto before = exposed(o_, old_addresses), now = exposed(n_, new_addresses);
    for (const auto& [id, x] : now) {
      auto old = before.find(id);
      if (x.addresses ? !x.addresses->intersects(old_addresses) : old == before.end())
        d_.exposure.push_back({Change::Added, id, x.path});
      else if (x.addresses ? !x.addresses->subset_of(old_addresses)
                           : x.path.size() < old->second.path.size())
        d_.exposure.push_back(
            {Change::Widened, id, x.path, x.addresses ? 0 : old->second.path.size() - 1});
    }
    for (const auto& [id, x] : before)
      if (x.addresses ? !x.addresses->intersects(new_addresses) : !now.count(id))
        d_.exposure.push_back({Change::Removed, id, x.path});
    std::stable_sort(d_.exposure.begin(), d_.exposure.end(), [](const auto& a, const auto& b) {
      return std::make_pair(a.change, a.path.size()) < std::make_pair(b.change, b.path.size());
    });
  }

  const Analysis& o_;
  const Analysis& n_;
  Diff& d_;
  const std::size_t max_pairs_;
  // Services both sides treat alike; each side's graph as access sets by those groups, for
  // every verdict (only diff needs them: other commands do not pay for them).
  const ServiceGroups groups_;
  const PodCellIds cells_;
  const GraphAccess oa_;
  const GraphAccess na_;
  std::map<std::string, std::string> renamed_;  // new id -> old id
  std::set<std::tuple<bool, Vertex, Vertex>> touched_;
  std::set<std::pair<std::size_t, std::size_t>> touched_groups_;  // (sender, receiver group)
  std::vector<Pending> pending_;
  std::map<std::vector<std::string>, std::size_t> group_index_;  // by members
};

}  // namespace

bool Diff::widens() const {
  if (policies_switched()) return old_enabled && !new_enabled;
  for (const auto& e : edges)
    if (widening(e.change)) return true;
  for (const auto& x : exposure)
    if (x.change == Change::Added || x.change == Change::Widened) return true;
  return false;
}

Diff diff_analyses(const Analysis& old_side, const Analysis& new_side, std::size_t max_pairs) {
  Diff d;
  d.old_enabled = old_side.graph.policies_enabled;
  d.new_enabled = new_side.graph.policies_enabled;
  d.old_enabled_at = old_side.chart.enabled_at;
  d.new_enabled_at = new_side.chart.enabled_at;

  for (const Service& s : new_side.chart.services)
    if (!old_side.chart.service(s.name))
      d.services.push_back({Change::Added, s.name, s.defined_at});
  for (const Service& s : old_side.chart.services)
    if (!new_side.chart.service(s.name))
      d.services.push_back({Change::Removed, s.name, s.defined_at});
  if (d.policies_switched()) return d;  // everything changed; the summary says how

  Differ(old_side, new_side, d, max_pairs).run();
  return d;
}

}  // namespace netpol::graph
