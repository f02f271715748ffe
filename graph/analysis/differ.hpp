#pragma once
// Inside diff_analyses (graph/analysis/diff.hpp): the Differ, which compares two analyses'
// access, and what its parts share. Its work is in one file per part: diff.cpp (the order of
// the work, and the entry points), diff_cells.cpp (outside pods as cells of both sides),
// diff_edges.cpp (access changes per source and destination, and per group of services alike),
// diff_keys.cpp (the keys that opened, changed or removed a change), diff_renames.cpp (renamed
// address nodes, redundant and re-expressed edges) and diff_exposure.cpp (what any source
// reaches). Only those files include this header.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "graph/analysis/diff.hpp"
#include "graph/analysis/explain.hpp"
#include "graph/model/group_access.hpp"
#include "graph/model/policy_graph_storage.hpp"

namespace netpol::graph::diff_detail {

using Vertex = PolicyGraph::Vertex;
using EdgeRef = PolicyGraph::EdgeRef;

// How `now` compares with `before`, for two sets that differ.
template <typename Set>
inline Change compare_sets(const Set& before, const Set& now) {
  if (before.empty()) return Change::Added;
  if (now.empty()) return Change::Removed;
  if (before.subset_of(now)) return Change::Widened;
  if (now.subset_of(before)) return Change::Narrowed;
  return Change::Changed;
}

// The addresses an edge's address end stands for (every address for `anywhere`).
AddressSet edge_address_set(const PolicyGraph& g, EdgeRef e, bool to_side);

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

PodCellIds pod_cells(const Analysis& old_side, const Analysis& new_side);

class Differ {
 public:
  Differ(const Analysis& old_side, const Analysis& new_side, Diff& out, std::size_t max_pairs)
      : old_(old_side),
        new_(new_side),
        out_(out),
        max_pairs_(max_pairs),
        groups_(service_groups({new_side.chart, new_side.access, new_side.graph.has_classes()},
                               {old_side.chart, old_side.access, old_side.graph.has_classes()})),
        cells_(pod_cells(old_side, new_side)),
        old_access_(access_by_group(old_side.chart, old_side.access, groups_, &cells_.cells_of)),
        new_access_(access_by_group(new_side.chart, new_side.access, groups_, &cells_.cells_of)) {}

  void run();

 private:
  template <typename Map>
  static std::vector<typename Map::key_type> union_keys(const Map& a, const Map& b) {
    std::set<typename Map::key_type> keys;
    for (const auto& [k, v] : a) keys.insert(k);
    for (const auto& [k, v] : b) keys.insert(k);
    return {keys.begin(), keys.end()};
  }

  static const AccessMap& get(const std::map<std::string, AccessMap>& m, const std::string& k);
  static PortSet any_to(const GroupAccess& a, const std::string& k);
  bool is_service(const std::string& id) const;

  // Sorted as the graphs show them: by source, then destination, the new side's order first.
  void in_display_order(std::vector<EdgeDiff>& edges) const;

  // ---- renames: address nodes of one side only, with the same access as one of the other's.
  void find_renames();
  // The old side's id for a node id of the new side.
  std::string old_id(const std::string& id) const;

  // ---- a chart service or a selector group as the source
  void from_source(const std::string& src);

  void from_outside_pods(const std::string& src, const AccessMap& direct_before,
                         const AccessMap& direct_now);

  // Any source into a service no address source reaches on either side (where one does, the
  // addresses are compared with any source's: from_addresses).
  void from_any(const std::string& dst);

  // ---- changes to or from a cell of outside pods: said per node where every cell of the
  // node changed alike, per cell for the rest.
  struct CellChange {
    PortSet before, now;
  };
  // (fixed end, whether the cell is the source) -> cell -> its change
  std::map<std::pair<std::string, bool>, std::map<std::string, CellChange>> cell_changes_;

  bool is_cell(const std::string& id) const { return cells_.nodes.count(id) > 0; }

  void list_cell_changes();

  void pod_change(const std::string& from, const std::string& to, const PortSet& before_ports,
                  const PortSet& now_ports, bool as_is = false);

  // The node ids of one side a pod atom stands for: a cell's nodes, or the id itself (a
  // node of outside pods said whole also stands for the nodes of its cells).
  std::vector<std::string> nodes_of(bool old_side, const std::string& id) const;

  // The hops of one side between two atoms (for a cell, from or to every node holding it).
  std::vector<EdgeRef> hop_between(bool old_side, const std::string& from,
                                   const std::string& to) const;

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

  std::size_t pair_count(const Pending& p) const;

  // The change `p` for one source `s` (and destination `t`, for a change between services),
  // with that pair's keys (and, for a change rather than a redundant edge, what removed it).
  // `last`: no other pair is made of `p`, so its change is moved instead of copied.
  EdgeDiff for_pair(Pending& p, const std::string& s, const std::string& t, bool redundant,
                    bool last);

  // The index in Diff::groups of a group of services, added on first use.
  std::size_t group_index(const std::vector<std::string>& members);

  // The hops of one side that the pair s -> t of `p` goes over.
  std::vector<EdgeRef> hops_of(const Pending& p, bool old_side, const std::string& s,
                               const std::string& t) const;

  void list_group_changes() { list_pending(pending_, out_.edges, false); }

  // Pending changes, or redundant edges, into `to`: pair by pair when they come to at most
  // max_pairs pairs together, else once each for its groups.
  void list_pending(std::vector<Pending>& pending, std::vector<EdgeDiff>& to, bool redundant);

  // ---- address destinations (outgoing = true) or address sources (false)
  // The edges of both sides between `fixed` and address nodes, joined where their access
  // overlaps (some address on some port in both); each group whose access differs is one
  // change. `any` (for address sources): what any source has on each side, which every
  // address has too; a difference that is only that is listed once, from any-source.
  void address_changes(const std::string& fixed, bool outgoing, const PortSet& any_before = {},
                       const PortSet& any_now = {});

  void from_addresses(const std::string& dst);

  // ---- keys, and what the change touched (for the redundant list)
  void finish(EdgeDiff& e, const Side& os, const Side& ns);
  void complete(EdgeDiff& e, const Side& os, const Side& ns);

  // The keys of e's provenance, either side, whose merged values differ between the sides:
  // each where its value is set now, or was, when it is gone.
  std::vector<Provenance> changed_keys(const EdgeDiff& e);

  // The merged value at a values path on one side; the top level (thousands of services) by
  // an index.
  const values::Value* value_at(bool old_side, const std::string& path);

  // The new side's keys that block what was removed.
  std::vector<Provenance> removal_keys(const EdgeDiff& e) const;

  // Whether a change on the edge r was listed.
  bool touched(bool old_side, EdgeRef r) const { return touched_.count({old_side, r.from, r.to}); }
  static bool through_class(const PolicyGraph& g, EdgeRef r);

  // What changed_keys and value_at found, once per key.
  std::map<std::string, std::optional<Provenance>> changed_;      // key path -> changed, where
  std::unordered_map<std::string, const values::Value*> top_[2];  // old, new: top-level keys

  // ---- edges whose names say something changed while access did not: between services by
  // group (the pair of each pair of groups), other edges one by one.
  void list_redundant();

  // An added and a removed redundant edge that are the same access written otherwise (their
  // other ends select the same pods, or hold the same addresses; the same ports) are one
  // re-expressed edge.
  void pair_reexpressed();

  // Address nodes named otherwise (an externalEgress entry given a name, so that one node
  // stands where the profile's names made two): at one fixed end, the added edges allow
  // exactly what the removed ones allowed, address by address and port by port. Each added
  // edge is re-expressed, `was` the old nodes.
  void pair_address_reexpressed(std::vector<bool>& used);

  // ---- nodes any source reaches on one side only (address nodes by their old id)
  // Pods by id; address nodes by the access their last hop grants: newly reachable when some
  // address and port of it was not reachable before, no longer when none of it is now.
  void compare_exposure();

  const Analysis& old_;
  const Analysis& new_;
  Diff& out_;
  const std::size_t max_pairs_;
  // Services both sides treat alike; each side's graph as access sets by those groups, for
  // every verdict (only diff needs them: other commands do not pay for them).
  const ServiceGroups groups_;
  const PodCellIds cells_;
  const GroupAccess old_access_;
  const GroupAccess new_access_;
  std::map<std::string, std::string> renamed_;  // new id -> old id
  std::set<std::tuple<bool, Vertex, Vertex>> touched_;
  std::set<std::pair<std::size_t, std::size_t>> touched_groups_;  // (sender, receiver group)
  std::vector<Pending> pending_;
  std::map<std::vector<std::string>, std::size_t> group_index_;  // by members
};

}  // namespace netpol::graph::diff_detail
