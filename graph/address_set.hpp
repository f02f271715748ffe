#pragma once
// Sets of IP addresses as sorted, disjoint intervals per family, for comparing ipBlocks by
// the addresses they cover rather than by how they are written (0.0.0.0/0 equals
// 0.0.0.0/1 plus 128.0.0.0/1; excepts are holes).

#include <utility>
#include <vector>

#include "graph/cidr.hpp"

namespace netpol::graph {

class AddressSet {
 public:
  using Address = Address128;

  // Adds the addresses of `block` (its cidr minus its excepts).
  void add(const IpBlock& block);

  bool empty() const { return v4_.empty() && v6_.empty(); }
  bool operator==(const AddressSet& o) const { return v4_ == o.v4_ && v6_ == o.v6_; }
  bool operator!=(const AddressSet& o) const { return !(*this == o); }
  // Every address of this set is in `o`.
  bool subset_of(const AddressSet& o) const;

 private:
  using Intervals = std::vector<std::pair<Address, Address>>;  // inclusive
  static void insert(Intervals& set, Address lo, Address hi);
  static void remove(Intervals& set, Address lo, Address hi);
  static bool covers(const Intervals& outer, const Intervals& inner);
  Intervals v4_, v6_;
};

}  // namespace netpol::graph
