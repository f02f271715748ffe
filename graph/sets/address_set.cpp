#include "graph/sets/address_set.hpp"

#include <algorithm>

namespace netpol::graph {

AddressSet::Address AddressSet::max_of(bool v4) {
  return v4 ? Address(0xffffffffu) : ~Address(0);
}

AddressSet AddressSet::all_v4() {
  AddressSet s;
  s.v4_.emplace_back(0, max_of(true));
  return s;
}

AddressSet AddressSet::all_v6() {
  AddressSet s;
  s.v6_.emplace_back(0, max_of(false));
  return s;
}

AddressSet AddressSet::everything() {
  return all_v4().unite(all_v6());
}

AddressSet AddressSet::globally_reachable() {
  // IANA's IPv4 and IPv6 Special-Purpose Address Registries, the entries not globally
  // reachable, and multicast (224.0.0.0/4, ff00::/8): no connection comes from those.
  static const char* const kNotGlobal[] = {
      "0.0.0.0/8",     "10.0.0.0/8",      "100.64.0.0/10",  "127.0.0.0/8",    "169.254.0.0/16",
      "172.16.0.0/12", "192.0.0.0/24",    "192.0.2.0/24",   "192.88.99.0/24", "192.168.0.0/16",
      "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4",    "240.0.0.0/4",
      "::/128",        "::1/128",         "::ffff:0:0/96",  "64:ff9b:1::/48", "100::/64",
      "2001::/23",     "2001:db8::/32",   "2002::/16",      "fc00::/7",       "fe80::/10",
      "ff00::/8"};
  static const AddressSet global = [] {
    AddressSet out = everything();
    for (const char* block : kNotGlobal) out = out.subtract(of(IpBlock{Cidr::parse(block), {}}));
    return out;
  }();
  return global;
}

AddressSet AddressSet::of(const IpBlock& block) {
  AddressSet s;
  s.add(block);
  return s;
}

void AddressSet::insert(Intervals& set, Address lo, Address hi) {
  // Keeps the set sorted and merged: intervals that overlap or touch lo..hi join it.
  auto first = std::lower_bound(set.begin(), set.end(), lo, [](const auto& r, Address a) {
    return r.second != ~Address(0) && r.second + 1 < a;
  });
  auto last = first;
  while (last != set.end() && (hi == ~Address(0) || last->first <= hi + 1)) {
    lo = std::min(lo, last->first);
    hi = std::max(hi, last->second);
    ++last;
  }
  first = set.erase(first, last);
  set.insert(first, {lo, hi});
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

void AddressSet::add_range(bool v4, Address lo, Address hi) {
  insert(v4 ? v4_ : v6_, lo, hi);
}

void AddressSet::add(const IpBlock& block) {
  Intervals part;
  auto [lo, hi] = block.cidr.range();
  insert(part, lo, hi);
  for (const Cidr& e : block.except) {
    if (e.is_v4() != block.cidr.is_v4()) continue;  // an except of the other family holes nothing
    auto [elo, ehi] = e.range();
    remove(part, elo, ehi);
  }
  Intervals& set = block.cidr.is_v4() ? v4_ : v6_;
  for (const auto& r : part) insert(set, r.first, r.second);
}

AddressSet AddressSet::unite(const AddressSet& addresses) const {
  AddressSet out = *this;
  for (const auto& r : addresses.v4_) insert(out.v4_, r.first, r.second);
  for (const auto& r : addresses.v6_) insert(out.v6_, r.first, r.second);
  return out;
}

namespace {

AddressSet::Intervals intersect_intervals(const AddressSet::Intervals& a,
                                          const AddressSet::Intervals& b) {
  AddressSet::Intervals out;
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    auto lo = std::max(a[i].first, b[j].first), hi = std::min(a[i].second, b[j].second);
    if (lo <= hi) out.emplace_back(lo, hi);
    if (a[i].second < b[j].second)
      ++i;
    else
      ++j;
  }
  return out;
}

}  // namespace

AddressSet AddressSet::intersect(const AddressSet& addresses) const {
  AddressSet out;
  out.v4_ = intersect_intervals(v4_, addresses.v4_);
  out.v6_ = intersect_intervals(v6_, addresses.v6_);
  return out;
}

AddressSet AddressSet::subtract(const AddressSet& addresses) const {
  AddressSet out = *this;
  for (const auto& r : addresses.v4_) remove(out.v4_, r.first, r.second);
  for (const auto& r : addresses.v6_) remove(out.v6_, r.first, r.second);
  return out;
}

bool AddressSet::covers(const Intervals& outer, const Intervals& inner) {
  return intersect_intervals(outer, inner) == inner;
}

bool AddressSet::subset_of(const AddressSet& o) const {
  return covers(o.v4_, v4_) && covers(o.v6_, v6_);
}

bool AddressSet::contains(bool v4, Address address) const {
  const Intervals& set = v4 ? v4_ : v6_;
  return std::any_of(set.begin(), set.end(),
                     [&](const auto& r) { return r.first <= address && address <= r.second; });
}

bool AddressSet::all_of_v4() const {
  return v4_ == all_v4().v4_;
}
bool AddressSet::all_of_v6() const {
  return v6_ == all_v6().v6_;
}

namespace {

// The CIDR blocks that cover lo..hi exactly, largest aligned block first.
void cidrs_of(bool v4, AddressSet::Address lo, AddressSet::Address hi, std::string& out) {
  using A = AddressSet::Address;
  int bits = v4 ? 32 : 128;
  while (true) {
    int host = 0;  // the largest block starting at lo that stays within hi
    while (host < bits) {
      A span = host_mask(host + 1);
      if ((lo & span) != 0 || lo + span > hi || lo + span < lo) break;
      ++host;
    }
    A span = host_mask(host);
    out += (out.empty() ? "" : ", ") + address_text(v4, lo) + "/" + std::to_string(bits - host);
    if (lo + span >= hi) return;
    lo = lo + span + 1;
  }
}

}  // namespace

std::string AddressSet::str() const {
  std::string out;
  for (const auto& r : v4_) cidrs_of(true, r.first, r.second, out);
  for (const auto& r : v6_) cidrs_of(false, r.first, r.second, out);
  return out;
}

}  // namespace netpol::graph

namespace netpol::graph {
namespace {

std::vector<Cidr> parse_cover(const std::string& cover) {
  std::vector<Cidr> out;
  std::size_t at = 0;
  while (at < cover.size()) {
    std::size_t end = cover.find(", ", at);
    if (end == std::string::npos) end = cover.size();
    out.push_back(Cidr::parse(cover.substr(at, end - at)));
    at = end + 2;
  }
  return out;
}

}  // namespace

std::string AddressSet::describe() const {
  std::string out;
  for (const IpBlock& block : blocks()) {
    out += (out.empty() ? "" : ", ") + block.cidr.str();
    if (block.except.empty()) continue;
    out += " (except ";
    for (std::size_t i = 0; i < block.except.size(); ++i)
      out += (i ? ", " : "") + block.except[i].str();
    out += ")";
  }
  return out;
}

std::vector<IpBlock> AddressSet::blocks() const {
  std::vector<IpBlock> out;
  for (bool v4 : {true, false}) {
    const Intervals& part = v4 ? v4_ : v6_;
    if (part.empty()) continue;
    std::string cover;
    for (const auto& r : part) cidrs_of(v4, r.first, r.second, cover);
    std::vector<Cidr> exact = parse_cover(cover);
    // The smallest block holding lo..hi: the bits lo and hi share.
    Address lo = part.front().first, hi = part.back().second;
    int bits = v4 ? 32 : 128, prefix = 0;
    while (prefix < bits) {
      int shift = bits - prefix - 1;
      if (((lo >> shift) & 1) != ((hi >> shift) & 1)) break;
      ++prefix;
    }
    Address span = bits - prefix >= 128 ? ~Address(0) : ((Address(1) << (bits - prefix)) - 1);
    Address base = lo & ~span;
    std::string hull_text;
    cidrs_of(v4, base, base + span, hull_text);
    IpBlock hull{Cidr::parse(hull_text), {}};
    AddressSet whole;
    whole.add(hull);
    std::string holes = whole.subtract(*this).str();
    hull.except = parse_cover(holes);
    if (hull.except.size() + 1 <= exact.size()) {
      out.push_back(std::move(hull));
    } else {
      for (Cidr& c : exact) out.push_back(IpBlock{std::move(c), {}});
    }
  }
  return out;
}

}  // namespace netpol::graph
