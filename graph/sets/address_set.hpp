#pragma once
// Sets of IP addresses as sorted, disjoint intervals per family, for comparing ipBlocks by
// the addresses they cover rather than by how they are written (0.0.0.0/0 equals
// 0.0.0.0/1 plus 128.0.0.0/1; excepts are holes). A Boolean algebra: union, intersection,
// difference, subset.

#include <string>
#include <utility>
#include <vector>

#include "graph/sets/cidr.hpp"

namespace netpol::graph {

class AddressSet {
 public:
  using Address = Address128;
  using Intervals = std::vector<std::pair<Address, Address>>;  // inclusive, sorted, apart

  // Every IPv4 address, every IPv6 address, or both.
  static AddressSet all_v4();
  static AddressSet all_v6();
  static AddressSet everything();
  static AddressSet of(const IpBlock& block);
  // The addresses the internet can connect from: every address but the IANA special-purpose
  // ranges that are not globally reachable, and multicast (docs/model.md, "Globally reachable
  // addresses").
  static AddressSet globally_reachable();

  // Adds the addresses of `block` (its cidr minus its excepts).
  void add(const IpBlock& block);
  // Adds the addresses lo..hi (inclusive) of one family.
  void add_range(bool v4, Address lo, Address hi);

  AddressSet unite(const AddressSet& o) const;
  AddressSet intersect(const AddressSet& o) const;
  AddressSet subtract(const AddressSet& o) const;
  bool intersects(const AddressSet& o) const { return !intersect(o).empty(); }

  bool empty() const { return v4_.empty() && v6_.empty(); }
  bool operator==(const AddressSet& o) const { return v4_ == o.v4_ && v6_ == o.v6_; }
  bool operator!=(const AddressSet& o) const { return !(*this == o); }
  // Every address of this set is in `o`.
  bool subset_of(const AddressSet& o) const;
  bool contains(bool v4, Address a) const;
  // Covers every IPv4 address, or every IPv6 address.
  bool all_of_v4() const;
  bool all_of_v6() const;

  const Intervals& v4() const { return v4_; }
  const Intervals& v6() const { return v6_; }

  // The fewest CIDR blocks that cover exactly this set, IPv4 first: "10.0.0.0/15, fd00::/8";
  // "" when empty.
  std::string str() const;
  // The set as ipBlocks, IPv4 first: per family, the smallest CIDR holding the family's
  // addresses with the rest as excepts ("0.0.0.0/0 except 8.8.8.8/32"), or the exact cover
  // when that takes fewer blocks.
  std::vector<IpBlock> blocks() const;
  // The set in words, by blocks(): "10.0.0.0/15, fd00::/8", and a block with exceptions as
  // "0.0.0.0/0 (except 10.0.0.0/8, 172.16.0.0/12)" where the exact cover would list 20
  // blocks; "" when empty.
  std::string describe() const;

  // The last address of a family.
  static Address max_of(bool v4);

 private:
  static void insert(Intervals& set, Address lo, Address hi);
  static void remove(Intervals& set, Address lo, Address hi);
  static bool covers(const Intervals& outer, const Intervals& inner);
  Intervals v4_, v6_;
};

}  // namespace netpol::graph
