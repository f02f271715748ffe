#pragma once
// The semantic difference of two analyses: what access a values change adds, removes, widens
// or narrows, compared by effective access, not by text.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graph/analysis.hpp"

namespace netpol::graph {

enum class Change { Added, Removed, Widened, Narrowed, Changed };
std::string_view change_name(Change c);

// One (source, destination) pair whose access differs.
struct EdgeDiff {
  Change change = Change::Changed;
  std::string from, to;          // node ids
  PortSet old_ports, new_ports;  // empty on the side without the edge
  PortSet added_ports, removed_ports;
  // For a destination outside the chart present on both sides: how its addresses changed.
  std::optional<Change> addresses;
  std::string old_addresses, new_addresses;  // "10.1.0.0/24", "0.0.0.0/0"
  // The keys that opened the edge, per side of the connection, on the old and the new side.
  std::vector<Provenance> old_egress, old_ingress, new_egress, new_ingress;
};

// A chart service that appeared or disappeared.
struct ServiceDiff {
  Change change = Change::Added;  // Added or Removed
  std::string name;
  Provenance where;  // its networkPolicy map, on the side where it exists
};

// A node that any-source reaches on one side only.
struct ExposureDiff {
  Change change = Change::Added;  // Added: newly reachable; Removed: no longer
  std::string node;
  std::vector<std::string> path;  // on the side where it is reachable
};

struct Diff {
  bool old_enabled = false, new_enabled = false;
  Provenance old_enabled_at, new_enabled_at;
  std::vector<ServiceDiff> services;
  std::vector<EdgeDiff> edges;         // not listed when policies were switched on or off
  std::vector<ExposureDiff> exposure;  // likewise

  bool policies_switched() const { return old_enabled != new_enabled; }
  bool empty() const {
    return !policies_switched() && services.empty() && edges.empty() && exposure.empty();
  }
  // Whether any access is new: policies switched off, an edge added or widened (or changed
  // with something added), a node newly reachable from any-source.
  bool widens() const;
};

Diff diff_analyses(const Analysis& old_side, const Analysis& new_side);

// Both sides and their difference, for the writers.
struct DiffReport {
  const Analysis& old_side;
  const Analysis& new_side;
  Diff diff;
};

}  // namespace netpol::graph
