#include "graph/sets/ports.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>

#include "error.hpp"

namespace netpol::graph {

std::string_view protocol_name(Protocol protocol) {
  switch (protocol) {
    case Protocol::TCP:
      return "TCP";
    case Protocol::UDP:
      return "UDP";
    case Protocol::SCTP:
      return "SCTP";
  }
  return "TCP";
}

Protocol parse_protocol(std::string_view s) {
  for (Protocol p : kProtocols)
    if (s == protocol_name(p)) return p;
  throw ValueError("unknown protocol \"" + std::string(s) + "\" (expected TCP, UDP or SCTP)");
}

void check_port_name(std::string_view name) {
  bool ok = !name.empty() && name.size() <= 15 && name.front() != '-' && name.back() != '-' &&
            name.find("--") == std::string_view::npos;
  bool letter = false;
  for (char c : name) {
    if (std::islower(static_cast<unsigned char>(c)))
      letter = true;
    else if (!std::isdigit(static_cast<unsigned char>(c)) && c != '-')
      ok = false;
  }
  if (!ok || !letter)
    throw ValueError("\"" + std::string(name) +
                     "\" is neither a port number nor a valid port name (1-15 lowercase letters, "
                     "digits and '-', with at least one letter)");
}

std::string port_number_problem(long long n, std::string_view what) {
  if (n >= 1 && n <= kMaxPort) return "";
  return std::string(what) + " " + std::to_string(n) + " is not in 1-" + std::to_string(kMaxPort);
}

PortSet PortSet::dns() {
  PortSet ports;
  ports.add_range(Protocol::UDP, 53, 53);
  ports.add_range(Protocol::TCP, 53, 53);
  return ports;
}

PortSet PortSet::all() {
  PortSet s;
  for (Protocol p : kProtocols) s.add_all(p);
  return s;
}

void PortSet::add_all(Protocol protocol) {
  Proto& x = p_[static_cast<int>(protocol)];
  x.all = true;
  normalize(x);
}

void PortSet::add_range(Protocol protocol, int lo, int hi) {
  Proto& x = p_[static_cast<int>(protocol)];
  x.ranges.emplace_back(lo, hi);
  normalize(x);
}

void PortSet::add_name(Protocol protocol, const std::string& name) {
  Proto& x = p_[static_cast<int>(protocol)];
  auto at = std::lower_bound(x.names.begin(), x.names.end(), name);
  if (at == x.names.end() || *at != name) x.names.insert(at, name);
  normalize(x);
}

void PortSet::normalize(Proto& proto) {
  if (proto.all) {
    proto.ranges.clear();
    proto.names.clear();
    return;
  }
  std::sort(proto.ranges.begin(), proto.ranges.end());
  std::vector<std::pair<int, int>> merged;
  for (const auto& r : proto.ranges) {
    if (!merged.empty() && r.first <= merged.back().second + 1)
      merged.back().second = std::max(merged.back().second, r.second);
    else
      merged.push_back(r);
  }
  if (merged.size() == 1 && merged[0].first <= 1 && merged[0].second >= kMaxPort) {
    proto.all = true;  // 1-65535 is every port; names then add nothing
    merged.clear();
    proto.names.clear();
  }
  proto.ranges = std::move(merged);
}

PortSet PortSet::unite(const PortSet& ports) const {
  PortSet out = *this;
  for (int i = 0; i < 3; ++i) {
    Proto& proto = out.p_[i];
    const Proto& y = ports.p_[i];
    proto.all = proto.all || y.all;
    proto.ranges.insert(proto.ranges.end(), y.ranges.begin(), y.ranges.end());
    if (!y.names.empty()) {
      std::vector<std::string> names;
      std::set_union(proto.names.begin(), proto.names.end(), y.names.begin(), y.names.end(),
                     std::back_inserter(names));
      proto.names = std::move(names);
    }
    normalize(proto);
  }
  return out;
}

PortSet PortSet::intersect(const PortSet& ports) const {
  PortSet out;
  for (int i = 0; i < 3; ++i) {
    const Proto& proto = p_[i];
    const Proto& other_proto = ports.p_[i];
    Proto& result = out.p_[i];
    if (proto.all) {
      result = other_proto;
      continue;
    }
    if (other_proto.all) {
      result = proto;
      continue;
    }
    for (const auto& ra : proto.ranges)
      for (const auto& rb : other_proto.ranges) {
        int lo = std::max(ra.first, rb.first), hi = std::min(ra.second, rb.second);
        if (lo <= hi) result.ranges.emplace_back(lo, hi);
      }
    std::set_intersection(proto.names.begin(), proto.names.end(), other_proto.names.begin(),
                          other_proto.names.end(), std::back_inserter(result.names));
    normalize(result);
  }
  return out;
}

PortSet PortSet::subtract(const PortSet& ports) const {
  PortSet out;
  for (int i = 0; i < 3; ++i) {
    const Proto& proto = p_[i];
    const Proto& cut_proto = ports.p_[i];
    Proto& result = out.p_[i];
    if (cut_proto.all) continue;
    std::vector<std::pair<int, int>> ranges = proto.ranges;
    if (proto.all) ranges = {{1, kMaxPort}};
    for (const auto& cut : cut_proto.ranges) {
      std::vector<std::pair<int, int>> kept;
      for (const auto& r : ranges) {
        if (r.second < cut.first || r.first > cut.second) {
          kept.push_back(r);
          continue;
        }
        if (r.first < cut.first) kept.emplace_back(r.first, cut.first - 1);
        if (r.second > cut.second) kept.emplace_back(cut.second + 1, r.second);
      }
      ranges = std::move(kept);
    }
    result.ranges = std::move(ranges);
    if (!proto.all)
      std::set_difference(proto.names.begin(), proto.names.end(), cut_proto.names.begin(),
                          cut_proto.names.end(), std::back_inserter(result.names));
    normalize(result);
  }
  return out;
}

PortSet PortSet::resolve(const std::vector<NamedPort>& named) const {
  PortSet out = *this;
  for (int i = 0; i < 3; ++i) {
    Proto& proto = out.p_[i];
    for (auto it = proto.names.begin(); it != proto.names.end();) {
      auto np = std::find_if(named.begin(), named.end(), [&](const NamedPort& n) {
        return n.name == *it && static_cast<int>(n.protocol) == i;
      });
      if (np != named.end()) {
        proto.ranges.emplace_back(np->port, np->port);
        it = proto.names.erase(it);
      } else {
        ++it;
      }
    }
    normalize(proto);
  }
  return out;
}

PortSet PortSet::without_names() const {
  PortSet out = *this;
  for (Proto& x : out.p_) x.names.clear();
  return out;
}

std::vector<PortSet::Item> PortSet::items() const {
  std::vector<Item> out;
  for (Protocol protocol : kProtocols) {
    const Proto& proto = p_[static_cast<int>(protocol)];
    if (proto.all) out.push_back(Item{protocol, true, 0, 0, ""});
    for (const auto& r : proto.ranges) out.push_back(Item{protocol, false, r.first, r.second, ""});
    for (const auto& n : proto.names) out.push_back(Item{protocol, false, 0, 0, n});
  }
  return out;
}

PortSet PortSet::of(const Item& item) {
  PortSet ports;
  if (item.all)
    ports.add_all(item.protocol);
  else if (!item.name.empty())
    ports.add_name(item.protocol, item.name);
  else
    ports.add_range(item.protocol, item.lo, item.hi);
  return ports;
}

bool PortSet::empty() const {
  return std::all_of(p_.begin(), p_.end(), [](const Proto& x) { return x.empty(); });
}

bool PortSet::is_all() const {
  return std::all_of(p_.begin(), p_.end(), [](const Proto& x) { return x.all; });
}

bool PortSet::contains(Protocol protocol, int port) const {
  const Proto& proto = p_[static_cast<int>(protocol)];
  if (proto.all) return true;
  return std::any_of(proto.ranges.begin(), proto.ranges.end(),
                     [&](const auto& r) { return r.first <= port && port <= r.second; });
}

bool PortSet::operator==(const PortSet& o) const {
  return p_ == o.p_;
}

namespace {
std::string range_text(const std::pair<int, int>& r) {
  return r.first == r.second ? std::to_string(r.first)
                             : std::to_string(r.first) + "-" + std::to_string(r.second);
}
}  // namespace

std::string PortSet::label() const {
  if (is_all()) return "all ports";
  std::string out;
  for (Protocol protocol : kProtocols) {
    const Proto& proto = p_[static_cast<int>(protocol)];
    if (proto.empty()) continue;
    if (!out.empty()) out += "; ";
    out += std::string(protocol_name(protocol)) + " ";
    if (proto.all) {
      out += "all";
      continue;
    }
    std::string items;
    for (const auto& r : proto.ranges) {
      // Two neighbouring ports read better as a list: "4317, 4318".
      std::string t = r.second == r.first + 1
                          ? std::to_string(r.first) + ", " + std::to_string(r.second)
                          : range_text(r);
      items += (items.empty() ? "" : ", ") + t;
    }
    for (const auto& n : proto.names) items += (items.empty() ? "" : ", ") + n;
    out += items;
  }
  return out;
}

std::vector<std::string> PortSet::tokens() const {
  if (is_all()) return {"*"};
  std::vector<std::string> out;
  for (Protocol protocol : kProtocols) {
    const Proto& x = p_[static_cast<int>(protocol)];
    std::string proto(protocol_name(protocol));
    if (x.all) out.push_back(proto + "/*");
    for (const auto& r : x.ranges) out.push_back(proto + "/" + range_text(r));
    for (const auto& n : x.names) out.push_back(proto + "/" + n);
  }
  return out;
}

}  // namespace netpol::graph
