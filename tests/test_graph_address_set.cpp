#include <doctest/doctest.h>

#include "graph/sets/address_set.hpp"

using namespace netpol::graph;

namespace {
AddressSet set_of(std::initializer_list<IpBlock> blocks) {
  AddressSet s;
  for (const auto& b : blocks) s.add(b);
  return s;
}
IpBlock block(const char* cidr, std::initializer_list<const char*> except = {}) {
  IpBlock b{Cidr::parse(cidr), {}};
  for (const char* e : except) b.except.push_back(Cidr::parse(e));
  return b;
}
}  // namespace

TEST_SUITE("graph: address_set") {
  TEST_CASE("equal sets written differently") {
    CHECK(set_of({block("0.0.0.0/0")}) == set_of({block("0.0.0.0/1"), block("128.0.0.0/1")}));
    CHECK(set_of({block("10.0.0.0/8")}) ==
          set_of({block("10.0.0.0/9"), block("10.128.0.0/9"), block("10.1.0.0/16")}));
    CHECK(set_of({block("::/0")}) == set_of({block("::/1"), block("8000::/1")}));
  }

  TEST_CASE("excepts are holes") {
    AddressSet holed = set_of({block("10.0.0.0/8", {"10.1.0.0/16"})});
    AddressSet whole = set_of({block("10.0.0.0/8")});
    CHECK(holed != whole);
    CHECK(holed.subset_of(whole));
    CHECK_FALSE(whole.subset_of(holed));
    CHECK(set_of({block("10.0.0.0/8", {"10.1.0.0/16"}), block("10.1.0.0/16")}) == whole);
  }

  TEST_CASE("subsets across families and disjoint sets") {
    AddressSet v4 = set_of({block("10.1.0.0/24")});
    CHECK(v4.subset_of(set_of({block("0.0.0.0/0")})));
    CHECK_FALSE(v4.subset_of(set_of({block("::/0")})));
    CHECK_FALSE(v4.subset_of(set_of({block("10.2.0.0/24")})));
    CHECK(AddressSet().subset_of(v4));
    CHECK(set_of({block("255.255.255.255/32")}).subset_of(set_of({block("128.0.0.0/1")})));
    CHECK(set_of({block("ffff::/16")}).subset_of(set_of({block("8000::/1")})));
  }
}
