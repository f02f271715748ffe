#include <doctest/doctest.h>

#include <random>
#include <set>
#include <string>
#include <utility>

#include "error.hpp"
#include "graph/sets/ports.hpp"

using namespace netpol::graph;

namespace {

// A port set of a small universe (ports 1-6 and names a-d of TCP and UDP, no whole protocol)
// and what it holds, element by element, added in a random order.
struct RandomPorts {
  PortSet set;
  std::set<std::pair<int, std::string>> members;  // (protocol, port number or name)
};

RandomPorts random_named_ports(std::mt19937& rng) {
  static const char* names[] = {"a", "b", "c", "d"};
  RandomPorts out;
  for (int count = static_cast<int>(rng() % 6); count > 0; --count) {
    const Protocol protocol = rng() % 2 ? Protocol::TCP : Protocol::UDP;
    if (rng() % 2) {
      const std::string name = names[rng() % 4];
      out.set.add_name(protocol, name);
      out.members.insert({static_cast<int>(protocol), name});
    } else {
      const int lo = 1 + static_cast<int>(rng() % 6);
      const int hi = lo + static_cast<int>(rng() % 2);
      out.set.add_range(protocol, lo, std::min(hi, 6));
      for (int port = lo; port <= std::min(hi, 6); ++port)
        out.members.insert({static_cast<int>(protocol), std::to_string(port)});
    }
  }
  return out;
}

std::set<std::pair<int, std::string>> members_of(const PortSet& set) {
  std::set<std::pair<int, std::string>> out;
  for (const auto& item : set.items()) {
    if (!item.name.empty()) {
      out.insert({static_cast<int>(item.protocol), item.name});
      continue;
    }
    for (int port = item.lo; port <= item.hi; ++port)
      out.insert({static_cast<int>(item.protocol), std::to_string(port)});
  }
  return out;
}

}  // namespace

TEST_SUITE("graph: ports") {
  TEST_CASE("union merges neighbouring ranges") {
    PortSet a, b;
    a.add_range(Protocol::TCP, 80, 80);
    b.add_range(Protocol::TCP, 81, 90);
    b.add_range(Protocol::UDP, 53, 53);
    PortSet u = a.unite(b);
    CHECK(u.tokens() == std::vector<std::string>{"TCP/80-90", "UDP/53"});
    CHECK(u.label() == "TCP 80-90; UDP 53");
  }

  TEST_CASE("intersection of ranges, whole protocols and everything") {
    PortSet r;
    r.add_range(Protocol::TCP, 8000, 8100);
    PortSet s;
    s.add_range(Protocol::TCP, 8080, 9000);
    s.add_range(Protocol::UDP, 1, 10);
    CHECK(r.intersect(s).tokens() == std::vector<std::string>{"TCP/8080-8100"});
    CHECK(PortSet::all().intersect(s) == s);
    PortSet tcp;
    tcp.add_all(Protocol::TCP);
    CHECK(tcp.intersect(s).tokens() == std::vector<std::string>{"TCP/8080-9000"});
    PortSet udp53;
    udp53.add_range(Protocol::UDP, 53, 53);
    CHECK(tcp.intersect(udp53).empty());
  }

  TEST_CASE("named ports meet names and whole protocols, and resolve to numbers") {
    PortSet named;
    named.add_name(Protocol::TCP, "metrics");
    PortSet number;
    number.add_range(Protocol::TCP, 9090, 9090);
    CHECK(named.intersect(number).empty());
    CHECK(named.intersect(PortSet::all()) == named);
    PortSet resolved = named.resolve({{"metrics", Protocol::TCP, 9090}});
    CHECK(resolved == number);
    CHECK(named.resolve({{"metrics", Protocol::UDP, 9090}}) == named);  // other protocol
  }

  TEST_CASE("everything, and 1-65535 of every protocol is everything") {
    CHECK(PortSet::all().tokens() == std::vector<std::string>{"*"});
    CHECK(PortSet::all().label() == "all ports");
    PortSet p;
    for (Protocol pr : kProtocols) p.add_range(pr, 1, 65535);
    CHECK(p.is_all());
    PortSet t;
    t.add_all(Protocol::TCP);
    CHECK(t.label() == "TCP all");
    CHECK(t.tokens() == std::vector<std::string>{"TCP/*"});
  }

  TEST_CASE("two neighbouring ports read as a list") {
    PortSet p;
    p.add_range(Protocol::TCP, 4317, 4317);
    p.add_range(Protocol::TCP, 4318, 4318);
    CHECK(p.label() == "TCP 4317, 4318");
    CHECK(p.contains(Protocol::TCP, 4318));
    CHECK_FALSE(p.contains(Protocol::UDP, 4318));
  }

  TEST_CASE("subtraction and subsets") {
    PortSet a, b;
    a.add_range(Protocol::TCP, 80, 90);
    b.add_range(Protocol::TCP, 85, 85);
    CHECK(a.subtract(b).label() == "TCP 80-84, 86-90");
    CHECK(b.subtract(a).empty());
    CHECK(b.subset_of(a));
    CHECK_FALSE(a.subset_of(b));
    PortSet tcp;
    tcp.add_all(Protocol::TCP);
    CHECK(tcp.subtract(b).label() == "TCP 1-84, 86-65535");
    CHECK(PortSet::all().subtract(tcp).label() == "UDP all; SCTP all");
    CHECK(a.subset_of(PortSet::all()));
  }

  TEST_CASE("protocols and port names are checked") {
    CHECK(parse_protocol("SCTP") == Protocol::SCTP);
    CHECK_THROWS_WITH_AS(parse_protocol("tcp"),
                         "unknown protocol \"tcp\" (expected TCP, UDP or SCTP)",
                         netpol::ValueError);
    CHECK_NOTHROW(check_port_name("http-metrics"));
    CHECK_THROWS_WITH_AS(check_port_name("Metrics"),
                         "\"Metrics\" is neither a port number nor a valid port name (1-15 "
                         "lowercase letters, digits and '-', with at least one letter)",
                         netpol::ValueError);
    CHECK_THROWS_AS(check_port_name("a-very-long-port-name"), netpol::ValueError);
    CHECK_THROWS_AS(check_port_name("123"), netpol::ValueError);
  }

  TEST_CASE("names and numbers: union, intersection and difference against brute force") {
    std::mt19937 rng(20261206);
    for (int round = 0; round < 3000; ++round) {
      RandomPorts a = random_named_ports(rng);
      RandomPorts b = random_named_ports(rng);
      const std::string sets = a.set.label() + " and " + b.set.label();
      INFO(sets);
      REQUIRE(members_of(a.set) == a.members);
      std::set<std::pair<int, std::string>> both, either = a.members, only_a;
      for (const auto& m : a.members) (b.members.count(m) ? both : only_a).insert(m);
      either.insert(b.members.begin(), b.members.end());
      CHECK(members_of(a.set.unite(b.set)) == either);
      CHECK(members_of(a.set.intersect(b.set)) == both);
      CHECK(members_of(a.set.subtract(b.set)) == only_a);
      // One set, however it was built, is one value.
      CHECK((a.set == b.set) == (a.members == b.members));
      CHECK(a.set.unite(b.set) == b.set.unite(a.set));
    }
  }
}
