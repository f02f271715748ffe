#pragma once
// The semantic difference of two analyses: what access a values change adds, removes, widens
// or narrows, decided as set relations of access (graph/sets/access.hpp), not on node ids, names,
// entry order or which key produced a rule (docs/usage.md, "diff").

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graph/analysis/analysis.hpp"
#include "graph/sets/access.hpp"

namespace netpol::graph {

std::string_view change_name(Change c);

// One source and destination whose access differs. Where several nodes stand for the changed
// addresses (an entry split by port names, a CIDR that became a wider one), they are one
// change: `to` (or `from`, for address sources) names the new side's node, `was` the old
// side's when it is another.
struct EdgeDiff {
  Change change = Change::Changed;
  // Node ids; for outside pods that are part of a selector's pods, no node of either side
  // but the set, "sel:(<its description>)" (docs/model.md, "Pods as sets").
  std::string from, to;
  std::string was;               // the old side's node id, when not `from`/`to`
  PortSet old_ports, new_ports;  // empty on the side without the edge
  PortSet added_ports, removed_ports;
  // For a destination outside the chart present on both sides: how its addresses changed.
  std::optional<Change> addresses;
  std::string old_addresses, new_addresses;  // "10.1.0.0/24", "0.0.0.0/0": CIDRs (JSON)
  // The same in words, for text and Markdown: "0.0.0.0/0 (except 10.0.0.0/8)".
  std::string old_addresses_text, new_addresses_text;
  // The keys that opened the edge, per side of the connection, on the old and the new side.
  std::vector<Provenance> old_egress, old_ingress, new_egress, new_ingress;
  // For a removal or narrowing: the new side's keys whose values now block it, where known.
  std::vector<Provenance> removed_by;
  // The keys of the change's provenance (either side) whose merged values differ between
  // the sides, each where its value is set now (where it was, when it is gone): what to
  // look at (docs/model.md, "Changed by"). Empty for manifests, and when no key changed
  // (another key's change, such as a service added, opened it).
  std::vector<Provenance> changed_by;
  // A change that holds alike for many service pairs, listed once past `max_pairs` changed
  // pairs (diff_analyses): the group of sources and of destinations it holds for when more
  // than one (an index into Diff::groups), every pair of them but a service with itself.
  // `from` -> `to` is the pair that stands for them, and the keys are that pair's (every
  // member's own keys are its rules at the same positions).
  std::optional<std::size_t> from_group, to_group;
  std::size_t pairs = 1;  // the pairs it stands for
};

// The readable text of a node id of outside pods that diff made for part of a selector's
// pods ("sel:(every pod but ...)" -> "every pod but ..."); other ids as they are.
std::string outside_pods_text(const std::string& id);

// An address node whose access is the same under another id (an externalEgress entry given a
// `name:`, say).
struct Rename {
  std::string old_id, new_id;
};

// A chart service that appeared or disappeared.
struct ServiceDiff {
  Change change = Change::Added;  // Added or Removed
  std::string name;
  Provenance where;  // its networkPolicy map, on the side where it exists
};

// A node that any-source reaches on one side only.
struct ExposureDiff {
  // Added: newly reachable; Removed: no longer; Widened: in fewer hops, or (an address node)
  // on more addresses or ports.
  Change change = Change::Added;
  std::string node;
  std::vector<std::string> path;  // on the side where it is reachable
  // Widened: the old path's hops when it is now fewer; 0 for an address node that is
  // reachable on more addresses or ports than before.
  std::size_t old_hops = 0;
};

struct Diff {
  bool old_enabled = false, new_enabled = false;
  Provenance old_enabled_at, new_enabled_at;
  std::vector<ServiceDiff> services;
  std::vector<EdgeDiff> edges;  // not listed when policies were switched on or off
  // Edges that differ by name but grant nothing new and take nothing away: the access was
  // (or still is) granted by something else. Never a widening.
  std::vector<EdgeDiff> redundant;
  // Edges written otherwise: an old edge gone and a new one come whose other ends are the
  // same pods or addresses (a podSelector {} rewritten as the release namespace's
  // namespaceSelector), on the same ports. Each is the new edge, `was` the old end's id,
  // with both sides' keys. No change in access, never counted.
  std::vector<EdgeDiff> reexpressed;
  std::vector<Rename> renames;
  std::vector<ExposureDiff> exposure;  // likewise
  // Services that changes listed once for many pairs hold for: each group's members, listed
  // once however many changes name the group.
  std::vector<std::vector<std::string>> groups;

  bool policies_switched() const { return old_enabled != new_enabled; }
  // No access changed (renames and redundant edges are no change).
  bool empty() const {
    return !policies_switched() && services.empty() && edges.empty() && exposure.empty();
  }
  // Whether any access is new: policies switched off, an edge added or widened (or changed
  // with something added), a node newly reachable from any-source, or in fewer hops.
  bool widens() const;
};

// Changes between services that both sides treat alike (the same class, graph/model/classes.hpp)
// are found once per pair of such groups; they are listed pair by pair when all of them
// together come to at most `max_pairs` pairs, else each once with its members.
Diff diff_analyses(const Analysis& old_side, const Analysis& new_side,
                   std::size_t max_pairs = PolicyGraph::kMaxPairs);

// Both sides and their difference, for the writers.
struct DiffReport {
  const Analysis& old_side;
  const Analysis& new_side;
  Diff diff;
};

}  // namespace netpol::graph
