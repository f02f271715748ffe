#include <doctest/doctest.h>

#include "error.hpp"
#include "graph/sets/cidr.hpp"

using namespace netpol::graph;

TEST_SUITE("graph: cidr") {
  TEST_CASE("parses IPv4 and IPv6 blocks into canonical form") {
    CHECK(Cidr::parse("10.0.0.0/16").str() == "10.0.0.0/16");
    Cidr host_bits = Cidr::parse("10.0.0.1/16");
    CHECK(host_bits.str() == "10.0.0.0/16");
    CHECK(host_bits.written() == "10.0.0.1/16");
    CHECK_FALSE(host_bits.is_canonical());
    CHECK(Cidr::parse("fd00::1/8").str() == "fd00::/8");
    CHECK(Cidr::parse("0.0.0.0/0").is_everything());
  }

  TEST_CASE("containment") {
    Cidr big = Cidr::parse("10.0.0.0/8");
    CHECK(big.contains(Cidr::parse("10.1.0.0/16")));
    CHECK_FALSE(big.contains(Cidr::parse("11.0.0.0/16")));
    CHECK_FALSE(Cidr::parse("10.1.0.0/16").contains(big));
    CHECK_FALSE(big.contains(Cidr::parse("::/0")));
    CHECK(Cidr::parse("::/0").contains(Cidr::parse("fd00::/8")));
  }

  TEST_CASE("invalid blocks give a reason") {
    CHECK_THROWS_WITH_AS(Cidr::parse("10.0.0.0/33"),
                         "invalid CIDR \"10.0.0.0/33\": prefix length 33 is not in 0-32",
                         netpol::ValueError);
    CHECK_THROWS_WITH_AS(Cidr::parse("300.1.1.1/8"),
                         "invalid CIDR \"300.1.1.1/8\": \"300.1.1.1\" is not an IP address",
                         netpol::ValueError);
    CHECK_THROWS_WITH_AS(Cidr::parse("10.0.0.0"),
                         "invalid CIDR \"10.0.0.0\": expected address/prefix-length",
                         netpol::ValueError);
    CHECK_THROWS_WITH_AS(Cidr::parse("fd00::/129"),
                         "invalid CIDR \"fd00::/129\": prefix length 129 is not in 0-128",
                         netpol::ValueError);
    CHECK_THROWS_AS(Cidr::parse("10.0.0.0/-1"), netpol::ValueError);
  }

  TEST_CASE("ipBlock text") {
    IpBlock b{Cidr::parse("10.0.0.0/8"), {Cidr::parse("10.1.0.0/16"), Cidr::parse("10.2.0.0/16")}};
    CHECK(b.str() == "10.0.0.0/8 except 10.1.0.0/16, 10.2.0.0/16");
  }

  TEST_CASE("an ipBlock holds a block when its CIDR does and no except overlaps it") {
    const IpBlock b{Cidr::parse("10.0.0.0/16"), {Cidr::parse("10.0.99.0/24")}};
    CHECK(b.holds(Cidr::parse("10.0.3.20/32")));
    CHECK(b.holds(Cidr::parse("10.0.3.0/24")));
    CHECK_FALSE(b.holds(Cidr::parse("10.0.99.4/32")));  // in the except
    CHECK_FALSE(b.holds(Cidr::parse("10.0.96.0/22")));  // holds the except
    CHECK_FALSE(b.holds(Cidr::parse("10.1.0.1/32")));   // outside
    CHECK_FALSE(b.holds(Cidr::parse("fd00::1/128")));   // another family
  }
}
