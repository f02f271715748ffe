#include "graph/analysis/diff.hpp"

#include "graph/analysis/differ.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <numeric>
#include <optional>
#include <set>
#include <unordered_map>

namespace netpol::graph {

std::string_view change_name(Change change) {
  switch (change) {
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

namespace diff_detail {

// The addresses an edge's address end stands for (every address for `anywhere`).
AddressSet edge_address_set(const PolicyGraph& graph, EdgeRef e, bool to_side) {
  if (graph.node(to_side ? e.to : e.from).id == kAnywhereId) return AddressSet::everything();
  AddressSet out;
  for (const auto& b : graph.edge(e).blocks) out.add(b.block);
  return out;
}

void Differ::run() {
  find_renames();
  for (const auto& src : union_keys(old_access_.from, new_access_.from)) from_source(src);
  list_cell_changes();
  for (const auto& dst : union_keys(old_access_.any, new_access_.any)) from_any(dst);
  for (const auto& dst : union_keys(old_access_.from_addresses, new_access_.from_addresses))
    from_addresses(dst);
  list_group_changes();
  list_redundant();
  compare_exposure();
  in_display_order(out_.edges);
  in_display_order(out_.redundant);
  in_display_order(out_.reexpressed);
  std::map<std::string, std::string> described;
  for (auto& change : out_.edges)
    for (std::string* id : {&change.from, &change.to})
      if (auto it = cells_.unnamed.find(*id); it != cells_.unnamed.end()) {
        auto [name, fresh] = described.try_emplace(*id);
        if (fresh) name->second = std::string(kSelectorPrefix) + "(" + it->second.describe() + ")";
        *id = name->second;
      }
}

const AccessMap& Differ::get(const std::map<std::string, AccessMap>& m, const std::string& k) {
  static const AccessMap none;
  auto it = m.find(k);
  return it == m.end() ? none : it->second;
}

PortSet Differ::any_to(const GroupAccess& a, const std::string& k) {
  auto it = a.any.find(k);
  return it == a.any.end() ? PortSet() : it->second;
}

bool Differ::is_service(const std::string& id) const {
  return old_.chart.service(id) || new_.chart.service(id);
}

// Sorted as the graphs show them: by source, then destination, the new side's order first.
void Differ::in_display_order(std::vector<EdgeDiff>& edges) const {
  std::size_t offset = new_.graph.vertex_count();
  auto rank = [&](const std::string& id) {
    if (auto v = new_.graph.find(id)) return new_.graph.rank(*v);
    if (auto v = old_.graph.find(id)) return offset + old_.graph.rank(*v);
    return 2 * offset + old_.graph.vertex_count();
  };
  std::stable_sort(edges.begin(), edges.end(), [&](const EdgeDiff& a, const EdgeDiff& b) {
    return std::make_pair(rank(a.from), rank(a.to)) < std::make_pair(rank(b.from), rank(b.to));
  });
}

// The old side's id for a node id of the new side.
std::string Differ::old_id(const std::string& id) const {
  auto it = renamed_.find(id);
  return it == renamed_.end() ? id : it->second;
}

bool Differ::through_class(const PolicyGraph& g, EdgeRef r) {
  return is_class(g.node(r.from).kind) || is_class(g.node(r.to).kind);
}
}  // namespace diff_detail

namespace {

bool widening(Change c) {
  return c == Change::Added || c == Change::Widened || c == Change::Changed;
}

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
  Diff diff;
  diff.old_enabled = old_side.graph.policies_enabled;
  diff.new_enabled = new_side.graph.policies_enabled;
  diff.old_enabled_at = old_side.chart.enabled_at;
  diff.new_enabled_at = new_side.chart.enabled_at;

  for (const Service& s : new_side.chart.services)
    if (!old_side.chart.service(s.name))
      diff.services.push_back({Change::Added, s.name, s.defined_at});
  for (const Service& s : old_side.chart.services)
    if (!new_side.chart.service(s.name))
      diff.services.push_back({Change::Removed, s.name, s.defined_at});
  if (diff.policies_switched()) return diff;  // everything changed; the summary says how

  diff_detail::Differ(old_side, new_side, diff, max_pairs).run();
  return diff;
}

}  // namespace netpol::graph
