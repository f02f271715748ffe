#include <doctest/doctest.h>

#include "error.hpp"
#include "graph/sets/ports.hpp"

using namespace netpol::graph;

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
}
