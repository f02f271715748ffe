// The access algebra (graph/sets/access.hpp, graph/sets/address_set.hpp) against brute force:
// random small cases, every element of a small universe enumerated.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <set>
#include <tuple>

#include "graph/sets/access.hpp"

using namespace netpol::graph;

namespace {

// A small universe: 10.0.0.0/28 and fd00::/124, 16 addresses each.
constexpr AddressSet::Address kV4Base = (AddressSet::Address(10) << 24);
const AddressSet::Address kV6Base = AddressSet::Address(0xfd00) << 112;

using Point = std::pair<bool, AddressSet::Address>;  // (v4, address)

std::string address_text(bool v4, unsigned offset) {
  const char* hex = "0123456789abcdef";
  return v4 ? "10.0.0." + std::to_string(offset) : "fd00::" + std::string(1, hex[offset % 16]);
}

IpBlock random_block(std::mt19937& rng) {
  bool v4 = rng() % 2;
  int prefix_len = 28 + static_cast<int>(rng() % 5);  // /28 to /32 of the universe
  int host = 32 - prefix_len;
  unsigned start = (rng() % 16) & ~((1u << host) - 1);
  int max = v4 ? 32 : 128;
  IpBlock b{Cidr::parse(address_text(v4, start) + "/" + std::to_string(max - host)), {}};
  if (rng() % 2 && host > 0) {  // one except inside the block
    int ex_host = static_cast<int>(rng() % host);
    unsigned ex = start + ((rng() % (1u << host)) & ~((1u << ex_host) - 1));
    b.except.push_back(Cidr::parse(address_text(v4, ex) + "/" + std::to_string(max - ex_host)));
  }
  return b;
}

std::set<Point> points_of(const IpBlock& b) {
  std::set<Point> out;
  bool v4 = b.cidr.is_v4();
  for (unsigned i = 0; i < 16; ++i) {
    AddressSet::Address a = (v4 ? kV4Base : kV6Base) + i;
    auto in = [&](const Cidr& c) {
      auto [lo, hi] = c.range();
      return lo <= a && a <= hi;
    };
    bool excluded = false;
    for (const auto& e : b.except) excluded = excluded || in(e);
    if (in(b.cidr) && !excluded) out.insert({v4, a});
  }
  return out;
}

std::set<Point> points_of(const AddressSet& s) {
  std::set<Point> out;
  for (bool v4 : {true, false})
    for (unsigned i = 0; i < 16; ++i) {
      AddressSet::Address a = (v4 ? kV4Base : kV6Base) + i;
      if (s.contains(v4, a)) out.insert({v4, a});
    }
  return out;
}

struct RandomSet {
  AddressSet set;
  std::set<Point> points;
};

RandomSet random_set(std::mt19937& rng) {
  RandomSet r;
  for (int n = static_cast<int>(rng() % 4); n > 0; --n) {
    IpBlock b = random_block(rng);
    r.set.add(b);
    auto p = points_of(b);
    r.points.insert(p.begin(), p.end());
  }
  return r;
}

template <typename S>
S set_op(const S& a, const S& b, int op) {
  S out;
  for (const auto& x : a)
    if (op == 0 || (op == 1) == (b.count(x) > 0)) out.insert(x);
  if (op == 0) out.insert(b.begin(), b.end());
  return out;
}

bool subset(const std::set<Point>& a, const std::set<Point>& b) {
  return std::includes(b.begin(), b.end(), a.begin(), a.end());
}

// Pods: atoms a-d, and "*" for any pod no atom names.
const std::vector<std::string> kAtoms = {"a", "b", "c", "d"};

struct RandomPods {
  PodSet set;
  std::set<std::string> members;  // of kAtoms and "*"
};

RandomPods random_pods(std::mt19937& rng) {
  RandomPods r;
  bool complement = rng() % 2;
  r.set = complement ? PodSet::every() : PodSet::none();
  if (complement) r.members = {"a", "b", "c", "d", "*"};
  for (const auto& atom : kAtoms)
    if (rng() % 3 == 0) {
      r.set = complement ? r.set.subtract(PodSet::of(atom)) : r.set.unite(PodSet::of(atom));
      if (complement)
        r.members.erase(atom);
      else
        r.members.insert(atom);
    }
  return r;
}

std::set<std::string> members_of(const PodSet& s) {
  std::set<std::string> out;
  for (const auto& atom : kAtoms)
    if (s.contains(atom)) out.insert(atom);
  if (s.contains("*")) out.insert("*");  // "*" is named by no test set: any other pod
  return out;
}

PortSet random_ports(std::mt19937& rng) {
  PortSet p;
  for (int port = 1; port <= 4; ++port)
    if (rng() % 2) p.add_range(Protocol::TCP, port, port);
  return p;
}

}  // namespace

TEST_SUITE("graph: access") {
  TEST_CASE("address sets: union, intersection, difference, subset against brute force") {
    std::mt19937 rng(1234);
    for (int i = 0; i < 2000; ++i) {
      RandomSet a = random_set(rng), b = random_set(rng);
      INFO("a = " << a.set.str() << ", b = " << b.set.str());
      REQUIRE(points_of(a.set) == a.points);
      CHECK(points_of(a.set.unite(b.set)) == set_op(a.points, b.points, 0));
      CHECK(points_of(a.set.intersect(b.set)) == set_op(a.points, b.points, 1));
      CHECK(points_of(a.set.subtract(b.set)) == set_op(a.points, b.points, 2));
      CHECK(a.set.subset_of(b.set) == subset(a.points, b.points));
      CHECK((a.set == b.set) == (a.points == b.points));
      CHECK(a.set.intersects(b.set) == !set_op(a.points, b.points, 1).empty());
      // The shortest CIDR form says the same set.
      AddressSet again;
      std::string text = a.set.str();
      for (std::size_t pos = 0; pos < text.size();) {
        std::size_t comma = text.find(", ", pos);
        std::string cidr = text.substr(pos, comma == std::string::npos ? comma : comma - pos);
        again.add({Cidr::parse(cidr), {}});
        pos = comma == std::string::npos ? text.size() : comma + 2;
      }
      CHECK(again == a.set);
    }
  }

  TEST_CASE("whole families and their text") {
    CHECK(AddressSet::all_v4().str() == "0.0.0.0/0");
    CHECK(AddressSet::everything().str() == "0.0.0.0/0, ::/0");
    CHECK(AddressSet::all_v4().all_of_v4());
    CHECK_FALSE(AddressSet::all_v4().all_of_v6());
    AddressSet holed = AddressSet::of({Cidr::parse("10.0.0.0/8"), {Cidr::parse("10.1.0.0/16")}});
    CHECK(holed.str() ==
          "10.0.0.0/16, 10.2.0.0/15, 10.4.0.0/14, 10.8.0.0/13, 10.16.0.0/12, 10.32.0.0/11, "
          "10.64.0.0/10, 10.128.0.0/9");
    CHECK(AddressSet::everything().subtract(AddressSet::all_v6()) == AddressSet::all_v4());
  }

  TEST_CASE("pod sets: union, intersection, difference, subset against brute force") {
    std::mt19937 rng(99);
    for (int i = 0; i < 2000; ++i) {
      RandomPods a = random_pods(rng), b = random_pods(rng);
      REQUIRE(members_of(a.set) == a.members);
      CHECK(members_of(a.set.unite(b.set)) == set_op(a.members, b.members, 0));
      CHECK(members_of(a.set.intersect(b.set)) == set_op(a.members, b.members, 1));
      CHECK(members_of(a.set.subtract(b.set)) == set_op(a.members, b.members, 2));
      CHECK(a.set.subset_of(b.set) ==
            std::includes(b.members.begin(), b.members.end(), a.members.begin(), a.members.end()));
      CHECK((a.set == b.set) == (a.members == b.members));
    }
  }

  TEST_CASE("access maps: grants add up per destination, comparisons are pointwise") {
    std::mt19937 rng(7);
    using Key = std::tuple<std::string, bool, AddressSet::Address, int>;  // pod or address, port
    auto brute = [&](const std::vector<std::pair<Endpoints, PortSet>>& grants) {
      std::set<Key> out;
      for (const auto& [to, ports] : grants)
        for (int port = 1; port <= 4; ++port) {
          if (!ports.contains(Protocol::TCP, port)) continue;
          for (const auto& m : members_of(to.pods)) out.insert({m, false, 0, port});
          for (const auto& [v4, a] : points_of(to.addresses)) out.insert({"", v4, a, port});
        }
      return out;
    };
    auto of_map = [&](const AccessMap& m) {
      std::set<Key> out;
      for (int port = 1; port <= 4; ++port) {
        for (const auto& atom : {"a", "b", "c", "d", "*"})
          if (m.to_atom(atom).contains(Protocol::TCP, port)) out.insert({atom, false, 0, port});
        for (bool v4 : {true, false})
          for (unsigned i = 0; i < 16; ++i) {
            AddressSet::Address a = (v4 ? kV4Base : kV6Base) + i;
            if (m.to_address(v4, a).contains(Protocol::TCP, port)) out.insert({"", v4, a, port});
          }
      }
      return out;
    };
    for (int i = 0; i < 500; ++i) {
      std::vector<std::pair<Endpoints, PortSet>> ga, gb;
      AccessMap a, b;
      for (auto* g : {&ga, &gb})
        for (int n = static_cast<int>(rng() % 4); n > 0; --n) {
          Endpoints to{random_pods(rng).set, random_set(rng).set};
          PortSet ports = random_ports(rng);
          g->push_back({to, ports});
          (g == &ga ? a : b).grant(to, ports);
        }
      std::set<Key> ka = brute(ga), kb = brute(gb);
      REQUIRE(of_map(a) == ka);
      REQUIRE(of_map(b) == kb);
      CHECK((a == b) == (ka == kb));
      CHECK(a.subset_of(b) == std::includes(kb.begin(), kb.end(), ka.begin(), ka.end()));
      CHECK(a.intersects(b) == !set_op(ka, kb, 1).empty());
      CHECK(of_map(a.unite(b)) == set_op(ka, kb, 0));
      // The pieces rebuild the map; the changes cover exactly where the two differ.
      AccessMap rebuilt;
      for (const auto& p : a.pieces()) rebuilt.grant(p.to, p.ports);
      CHECK(rebuilt == a);
      std::set<Key> differing;
      for (const auto& c : compare_access(a, b)) {
        CHECK(c.before != c.now);
        AccessMap before, now;
        before.grant(c.to, c.before);
        now.grant(c.to, c.now);
        for (const auto& k : set_op(of_map(before), of_map(now), 0))
          if (of_map(before).count(k) != of_map(now).count(k)) differing.insert(k);
      }
      std::set<Key> symmetric = set_op(set_op(ka, kb, 0), set_op(ka, kb, 1), 2);
      CHECK(differing == symmetric);
      if (ka != kb) {
        Change v = verdict(compare_access(a, b));
        bool grows = std::includes(kb.begin(), kb.end(), ka.begin(), ka.end());
        bool shrinks = std::includes(ka.begin(), ka.end(), kb.begin(), kb.end());
        if (ka.empty())
          CHECK(v == Change::Added);
        else if (kb.empty())
          CHECK(v == Change::Removed);
        else if (grows)
          CHECK((v == Change::Widened || v == Change::Added));
        else if (shrinks)
          CHECK((v == Change::Narrowed || v == Change::Removed));
        else
          CHECK(v == Change::Changed);
      }
    }
  }
}
