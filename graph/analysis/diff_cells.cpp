// diff: outside pods as cells of both sides' selectors (docs/model.md, "Pods as sets").

#include "graph/analysis/differ.hpp"

#include <algorithm>
#include <cstdint>

#include "graph/analysis/pod_space.hpp"

namespace netpol::graph::diff_detail {

// Cube intersections the cells of a diff may cost (about a second at most).
constexpr std::size_t kCellBudget = 1'000'000;

PodCellIds pod_cells(const Analysis& old_side, const Analysis& new_side) {
  // The chart services' pods, which their own edges speak for, and the pods that can exist
  // (a namespace the inputs know has the labels they give it): graph/analysis/pod_space.hpp, over
  // both sides.
  const PodSpace space({&new_side, &old_side});
  const PodCubes& services = space.services();
  struct Held {
    std::string id;
    bool old_side;
  };
  std::vector<Held> held;
  std::vector<PodCubes> sets;
  std::map<std::string, std::size_t> index;  // node id -> its set, once for both sides
  for (const Analysis* a : {&new_side, &old_side})
    for (Vertex v : a->graph.nodes()) {
      const Node& node = a->graph.node(v);
      if (!node.pods) continue;
      held.push_back({node.id, a == &old_side});
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

void Differ::list_cell_changes() {
  for (const auto& entry : cell_changes_) {
    // No structured bindings: clang 14 (the sanitizer tree) cannot capture them.
    const std::string& fixed = entry.first.first;
    const bool cell_is_source = entry.first.second;
    const auto& changes = entry.second;
    std::set<std::string> said;
    auto change = [&](const std::string& pods, const CellChange& change) {
      if (cell_is_source)
        pod_change(pods, fixed, change.before, change.now, true);
      else
        pod_change(fixed, pods, change.before, change.now, true);
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

// The node ids of one side a pod atom stands for: a cell's nodes, or the id itself (a
// node of outside pods said whole also stands for the nodes of its cells).
std::vector<std::string> Differ::nodes_of(bool old_side, const std::string& id) const {
  auto it = cells_.nodes.find(id);
  if (it != cells_.nodes.end()) return old_side ? it->second.first : it->second.second;
  return {id};
}

// The hops of one side between two atoms (for a cell, from or to every node holding it).
std::vector<EdgeRef> Differ::hop_between(bool old_side, const std::string& from,
                                         const std::string& to) const {
  const PolicyGraph& g = old_side ? old_.graph : new_.graph;
  std::vector<EdgeRef> out;
  for (const auto& f : nodes_of(old_side, from))
    for (const auto& t : nodes_of(old_side, to)) {
      auto u = g.find(f), v = g.find(t);
      if (u && v && g.hop_ports(*u, *v)) out.push_back({*u, *v});
    }
  return out;
}
}  // namespace netpol::graph::diff_detail
