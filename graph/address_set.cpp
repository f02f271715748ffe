#include "graph/address_set.hpp"

#include <algorithm>

namespace netpol::graph {

void AddressSet::insert(Intervals& set, Address lo, Address hi) {
  set.emplace_back(lo, hi);
  std::sort(set.begin(), set.end());
  Intervals merged;
  for (const auto& r : set) {
    if (!merged.empty() &&
        (merged.back().second == ~Address(0) || r.first <= merged.back().second + 1))
      merged.back().second = std::max(merged.back().second, r.second);
    else
      merged.push_back(r);
  }
  set = std::move(merged);
}

void AddressSet::remove(Intervals& set, Address lo, Address hi) {
  Intervals out;
  for (const auto& r : set) {
    if (r.second < lo || r.first > hi) {
      out.push_back(r);
      continue;
    }
    if (r.first < lo) out.emplace_back(r.first, lo - 1);
    if (r.second > hi) out.emplace_back(hi + 1, r.second);
  }
  set = std::move(out);
}

void AddressSet::add(const IpBlock& block) {
  Intervals part;
  auto [lo, hi] = block.cidr.range();
  insert(part, lo, hi);
  for (const Cidr& e : block.except) {
    auto [elo, ehi] = e.range();
    remove(part, elo, ehi);
  }
  Intervals& set = block.cidr.is_v4() ? v4_ : v6_;
  for (const auto& r : part) insert(set, r.first, r.second);
}

bool AddressSet::covers(const Intervals& outer, const Intervals& inner) {
  for (const auto& r : inner) {
    bool inside = std::any_of(outer.begin(), outer.end(), [&](const auto& o) {
      return o.first <= r.first && r.second <= o.second;
    });
    if (!inside) return false;
  }
  return true;
}

bool AddressSet::subset_of(const AddressSet& o) const {
  return covers(o.v4_, v4_) && covers(o.v6_, v6_);
}

}  // namespace netpol::graph
