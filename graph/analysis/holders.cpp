#include "graph/analysis/holders.hpp"

#include <algorithm>

#include "graph/analysis/analysis.hpp"
#include "graph/rules/node_ids.hpp"

namespace netpol::graph {

Holders::Holders(const Analysis& analysis) : g_(analysis.graph), space_({&analysis}) {
  for (Vertex v : g_.nodes()) {
    const Node& n = g_.node(v);
    if (n.kind == NodeKind::Selector || n.kind == NodeKind::NsPods) {
      pods_.emplace(v, space_.outside(n));
    } else if ((n.kind == NodeKind::External && n.id != kAnywhereId) || n.kind == NodeKind::Otlp) {
      AddressSet set;
      for (const ExternalEntry& e : n.entries) set = set.unite(AddressSet::of(e.block));
      addresses_.emplace(v, std::move(set));
    }
  }
  any_source_ = g_.find(std::string(kAnySourceId));
  anywhere_ = g_.find(std::string(kAnywhereId));
}

const std::vector<Holders::Vertex>& Holders::of(Vertex v, bool as_source) const {
  auto& slot = (as_source ? sources_ : destinations_)[v];
  if (slot) return *slot;
  slot.emplace();
  if (!held(v)) return *slot;
  auto usable = [&](Vertex u) {
    return as_source ? !g_.targets_of(u).empty() : g_.in_degree(u) > 0;
  };
  std::optional<Vertex> everything = as_source ? any_source_ : anywhere_;
  if (everything && usable(*everything)) slot->push_back(*everything);
  const std::size_t first = slot->size();
  if (auto pods = pods_.find(v); pods != pods_.end()) {
    for (const auto& [u, set] : pods_)
      if (u != v && usable(u) && set.intersects(pods->second)) slot->push_back(u);
  } else {
    const AddressSet& mine = addresses_.at(v);
    for (const auto& [u, set] : addresses_)
      if (u != v && usable(u) && set.intersects(mine)) slot->push_back(u);
  }
  std::sort(slot->begin() + static_cast<std::ptrdiff_t>(first), slot->end(),
            [&](Vertex x, Vertex y) { return g_.rank(x) < g_.rank(y); });
  return *slot;
}

std::vector<Holders::Vertex> Holders::held_nodes(bool as_source) const {
  std::vector<Vertex> out;
  for (Vertex v : g_.nodes())
    if (held(v) && (as_source ? !g_.targets_of(v).empty() : g_.in_degree(v) > 0)) out.push_back(v);
  return out;
}

bool Holders::covers(Vertex h, Vertex v, bool as_source) const {
  if (h == v || !held(v)) return false;
  if (h == (as_source ? any_source_ : anywhere_)) return true;
  if (auto mine = pods_.find(v); mine != pods_.end()) {
    auto theirs = pods_.find(h);
    return theirs != pods_.end() && mine->second.subset_of(theirs->second);
  }
  auto theirs = addresses_.find(h);
  return theirs != addresses_.end() && addresses_.at(v).subset_of(theirs->second);
}

}  // namespace netpol::graph
