#pragma once
// Sets of (protocol, port) as NetworkPolicy rules allow them: numeric ranges, whole protocols
// and named ports.

#include <array>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace netpol::graph {

enum class Protocol { TCP = 0, UDP = 1, SCTP = 2 };
constexpr std::array<Protocol, 3> kProtocols = {Protocol::TCP, Protocol::UDP, Protocol::SCTP};

std::string_view protocol_name(Protocol p);

// Port numbers are 1-65535: the one range every reader checks.
constexpr int kMaxPort = 65535;
// "" when 1 <= n <= 65535, else "<what> N is not in 1-65535". Check before narrowing to int:
// 4294967377 is not port 81.
std::string port_number_problem(long long n, std::string_view what = "port");
// Parses "TCP", "UDP" or "SCTP" (exact, as Kubernetes requires); throws ValueError otherwise.
Protocol parse_protocol(std::string_view s);
// Checks a port name as Kubernetes does (IANA service name); throws ValueError if invalid.
void check_port_name(std::string_view name);

// A named container port, used to resolve named ports of a destination.
struct NamedPort {
  std::string name;
  Protocol protocol = Protocol::TCP;
  int port = 0;
};

class PortSet {
 public:
  // Every port of every protocol (a rule without `ports`).
  static PortSet all();
  // DNS: UDP and TCP 53, what the chart's DNS rule opens and what makes a manifest's rule
  // the DNS rule.
  static PortSet dns();

  void add_all(Protocol p);
  void add_range(Protocol p, int lo, int hi);
  void add_name(Protocol p, const std::string& name);

  PortSet unite(const PortSet& o) const;
  // Named ports meet only the same name or a whole protocol; resolve them first to compare
  // them with numbers.
  PortSet intersect(const PortSet& o) const;
  // What this set allows and `o` does not. (A whole protocol minus numbers is the rest of
  // 1-65535; names cannot be taken out of a whole protocol, whose numbers they stand for.)
  PortSet subtract(const PortSet& o) const;
  // Every port of this set is in `o`.
  bool subset_of(const PortSet& o) const { return intersect(o) == *this; }
  // Replaces names that `named` defines (for the same protocol) with their numbers.
  PortSet resolve(const std::vector<NamedPort>& named) const;
  // This set without its named ports (names no container declares match nothing).
  PortSet without_names() const;

  bool empty() const;
  bool is_all() const;
  bool contains(Protocol p, int port) const;
  bool operator==(const PortSet& o) const;
  bool operator!=(const PortSet& o) const { return !(*this == o); }

  // One element of the set: a whole protocol, a numeric range or a name.
  struct Item {
    Protocol protocol;
    bool all = false;
    int lo = 0, hi = 0;
    std::string name;
  };
  // The elements in protocol order (TCP, UDP, SCTP), ranges before names.
  std::vector<Item> items() const;
  // The set holding just `item`.
  static PortSet of(const Item& item);

  // Human form: "TCP 4317, 4318", "UDP 53, TCP 53" is "TCP 53; UDP 53", "all ports",
  // "TCP all", "TCP 8000-8100", "TCP metrics".
  std::string label() const;
  // Tokens "TCP/9510", "TCP/8000-8100", "TCP/*", "TCP/metrics", or just "*" for everything.
  std::vector<std::string> tokens() const;

 private:
  // (A sorted vector of names, not a std::set, and the flag last: a PortSet is 168 bytes
  // instead of 240, and a diff or graph holds several per edge.)
  struct Proto {
    std::vector<std::pair<int, int>> ranges;  // disjoint, sorted, not adjacent
    std::vector<std::string> names;           // sorted, each once
    bool all = false;
    bool empty() const { return !all && ranges.empty() && names.empty(); }
    bool operator==(const Proto& o) const {
      return all == o.all && ranges == o.ranges && names == o.names;
    }
  };
  static void normalize(Proto& p);
  std::array<Proto, 3> p_;
};

}  // namespace netpol::graph
