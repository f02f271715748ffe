#include "graph/sets/access.hpp"

#include <algorithm>
#include <iterator>

namespace netpol::graph {

// ---- PodSet: a finite set of atoms, or the complement of one.

PodSet PodSet::every() {
  PodSet s;
  s.complement_ = true;
  return s;
}

PodSet PodSet::of(std::string atom) {
  PodSet s;
  s.atoms_.insert(std::move(atom));
  return s;
}

PodSet PodSet::from(bool complement, std::set<std::string> atoms) {
  PodSet pods;
  pods.complement_ = complement;
  pods.atoms_ = std::move(atoms);
  return pods;
}

namespace {

using Atoms = std::set<std::string>;

Atoms set_union(const Atoms& atoms, const Atoms& b) {
  Atoms out;
  std::set_union(atoms.begin(), atoms.end(), b.begin(), b.end(), std::inserter(out, out.end()));
  return out;
}
Atoms set_intersection(const Atoms& atoms, const Atoms& b) {
  Atoms out;
  std::set_intersection(atoms.begin(), atoms.end(), b.begin(), b.end(),
                        std::inserter(out, out.end()));
  return out;
}
Atoms set_difference(const Atoms& atoms, const Atoms& b) {
  Atoms out;
  std::set_difference(atoms.begin(), atoms.end(), b.begin(), b.end(),
                      std::inserter(out, out.end()));
  return out;
}

}  // namespace

PodSet PodSet::unite(const PodSet& pods) const {
  PodSet out;
  if (!complement_ && !pods.complement_) {
    out.atoms_ = set_union(atoms_, pods.atoms_);
  } else {
    out.complement_ = true;  // every pod but what both leave out
    if (complement_ && pods.complement_)
      out.atoms_ = set_intersection(atoms_, pods.atoms_);
    else if (complement_)
      out.atoms_ = set_difference(atoms_, pods.atoms_);
    else
      out.atoms_ = set_difference(pods.atoms_, atoms_);
  }
  return out;
}

PodSet PodSet::intersect(const PodSet& pods) const {
  PodSet out;
  if (complement_ && pods.complement_) {
    out.complement_ = true;
    out.atoms_ = set_union(atoms_, pods.atoms_);
  } else if (complement_) {
    out.atoms_ = set_difference(pods.atoms_, atoms_);
  } else if (pods.complement_) {
    out.atoms_ = set_difference(atoms_, pods.atoms_);
  } else {
    out.atoms_ = set_intersection(atoms_, pods.atoms_);
  }
  return out;
}

PodSet PodSet::subtract(const PodSet& pods) const {
  PodSet out;
  if (complement_ && pods.complement_) {
    out.atoms_ = set_difference(pods.atoms_, atoms_);  // what o leaves out and this does not
  } else if (complement_) {
    out.complement_ = true;
    out.atoms_ = set_union(atoms_, pods.atoms_);
  } else if (pods.complement_) {
    out.atoms_ = set_intersection(atoms_, pods.atoms_);
  } else {
    out.atoms_ = set_difference(atoms_, pods.atoms_);
  }
  return out;
}

// ---- AccessMap

namespace {

using Steps = std::map<AddressSet::Address, PortSet>;

// Makes `key` the start of a step (the steps stay the same function).
void split_at(Steps& steps, AddressSet::Address key) {
  auto it = steps.upper_bound(key);
  --it;  // the step holding key; the map always has key 0
  if (it->first != key) steps.emplace_hint(std::next(it), key, it->second);
}

void add_ports(Steps& steps, bool v4, const AddressSet::Intervals& intervals,
               const PortSet& ports) {
  for (const auto& [lo, hi] : intervals) {
    split_at(steps, lo);
    if (hi != AddressSet::max_of(v4)) split_at(steps, hi + 1);
    for (auto it = steps.find(lo); it != steps.end() && it->first <= hi; ++it)
      it->second = it->second.unite(ports);
  }
  // Joins neighbours with the same ports, so equal functions are equal maps.
  for (auto it = steps.begin(); it != steps.end();) {
    auto next = std::next(it);
    if (next != steps.end() && next->second == it->second)
      steps.erase(next);
    else
      it = next;
  }
}

// The step of `steps` holding `a`.
const PortSet& step_at(const Steps& steps, AddressSet::Address a) {
  return std::prev(steps.upper_bound(a))->second;
}

}  // namespace

void AccessMap::grant_atom(const std::string& atom, const PortSet& ports) {
  if (ports.empty()) return;
  auto [it, fresh] = atoms_.try_emplace(atom, other_);
  it->second = it->second.unite(ports);
}

void AccessMap::grant_addresses(const AddressSet& to, const PortSet& ports) {
  if (ports.empty()) return;
  add_ports(v4_, true, to.v4(), ports);
  add_ports(v6_, false, to.v6(), ports);
}

void AccessMap::grant(const Endpoints& to, const PortSet& ports) {
  if (ports.empty()) return;
  if (to.pods.complement()) {
    // The atoms left out keep what every other pod had so far; all the rest gain `ports`.
    for (const auto& atom : to.pods.atoms()) atoms_.try_emplace(atom, other_);
    other_ = other_.unite(ports);
    for (auto& [atom, p] : atoms_)
      if (!to.pods.atoms().count(atom)) p = p.unite(ports);
  } else {
    for (const auto& atom : to.pods.atoms()) grant_atom(atom, ports);
  }
  grant_addresses(to.addresses, ports);
}

AccessMap AccessMap::unite(const AccessMap& access) const {
  AccessMap out = *this;
  for (auto& [atom, p] : out.atoms_) p = p.unite(access.to_atom(atom));
  for (const auto& [atom, p] : access.atoms_)
    if (!atoms_.count(atom)) out.atoms_.emplace(atom, other_.unite(p));
  out.other_ = other_.unite(access.other_);
  for (bool v4 : {true, false}) {
    const Steps& from = v4 ? access.v4_ : access.v6_;
    Steps& into = v4 ? out.v4_ : out.v6_;
    for (auto it = from.begin(); it != from.end(); ++it) {
      if (it->second.empty()) continue;
      auto next = std::next(it);
      AddressSet::Address hi = next == from.end() ? AddressSet::max_of(v4) : next->first - 1;
      add_ports(into, v4, {{it->first, hi}}, it->second);
    }
  }
  return out;
}

PortSet AccessMap::to_atom(const std::string& atom) const {
  auto it = atoms_.find(atom);
  return it == atoms_.end() ? other_ : it->second;
}

PortSet AccessMap::to_address(bool v4, AddressSet::Address a) const {
  return step_at(v4 ? v4_ : v6_, a);
}

namespace {

// Calls f(endpoints, before, now) for every destination piece of two maps (before or now may
// be empty), pieces of the same pair of port sets joined.
template <typename F>
void overlay(const std::map<std::string, PortSet>& atoms_a, const PortSet& other_a,
             const std::map<std::string, PortSet>& atoms_b, const PortSet& other_b,
             const Steps& v4a, const Steps& v4b, const Steps& v6a, const Steps& v6b, F&& visit) {
  // Atoms are collected per group and made into pod sets once at the end: a set built atom
  // by atom would copy it every time (n^2 for a source that reaches n services).
  struct Group {
    PortSet a, b;
    Endpoints to;
    std::set<std::string> atoms;
    bool rest = false;  // also every pod no atom names
  };
  std::vector<Group> groups;
  auto group = [&](const PortSet& ports, const PortSet& b) -> Group& {
    for (auto& g : groups)
      if (g.a == ports && g.b == b) return g;
    groups.push_back({ports, b, {}, {}, false});
    return groups.back();
  };
  std::set<std::string> named;
  for (const auto& [atom, p] : atoms_a) named.insert(named.end(), atom);
  for (const auto& [atom, p] : atoms_b) named.insert(atom);
  for (const auto& atom : named) {
    auto ia = atoms_a.find(atom), ib = atoms_b.find(atom);
    group(ia == atoms_a.end() ? other_a : ia->second, ib == atoms_b.end() ? other_b : ib->second)
        .atoms.insert(atom);
  }
  group(other_a, other_b).rest = true;
  for (auto& g : groups) {
    if (!g.rest) {
      g.to.pods = PodSet::from(false, std::move(g.atoms));
      continue;
    }
    std::set<std::string> left_out;  // every pod but the named atoms of other groups
    std::set_difference(named.begin(), named.end(), g.atoms.begin(), g.atoms.end(),
                        std::inserter(left_out, left_out.end()));
    g.to.pods = PodSet::from(true, std::move(left_out));
  }
  for (bool v4 : {true, false}) {
    const Steps& sa = v4 ? v4a : v6a;
    const Steps& sb = v4 ? v4b : v6b;
    std::set<AddressSet::Address> keys;
    for (const auto& [k, p] : sa) keys.insert(k);
    for (const auto& [k, p] : sb) keys.insert(k);
    for (auto it = keys.begin(); it != keys.end(); ++it) {
      auto next = std::next(it);
      AddressSet::Address hi = next == keys.end() ? AddressSet::max_of(v4) : *next - 1;
      group(step_at(sa, *it), step_at(sb, *it)).to.addresses.add_range(v4, *it, hi);
    }
  }
  for (const auto& g : groups)
    if (!g.to.empty()) visit(g.to, g.a, g.b);
}

}  // namespace

struct AccessCompare {
  template <typename F>
  static void run(const AccessMap& a, const AccessMap& b, F&& f) {
    overlay(a.atoms_, a.other_, b.atoms_, b.other_, a.v4_, b.v4_, a.v6_, b.v6_, std::forward<F>(f));
  }
};

std::vector<AccessMap::Piece> AccessMap::pieces() const {
  std::vector<Piece> out;
  AccessMap none;
  AccessCompare::run(*this, none, [&](const Endpoints& to, const PortSet& p, const PortSet&) {
    if (!p.empty()) out.push_back({to, p});
  });
  return out;
}

bool AccessMap::empty() const {
  return pieces().empty();
}

bool AccessMap::operator==(const AccessMap& o) const {
  return compare_access(*this, o).empty();
}

bool AccessMap::subset_of(const AccessMap& access) const {
  bool inside = true;
  AccessCompare::run(*this, access, [&](const Endpoints&, const PortSet& a, const PortSet& b) {
    inside = inside && a.subset_of(b);
  });
  return inside;
}

bool AccessMap::intersects(const AccessMap& access) const {
  bool meet = false;
  AccessCompare::run(*this, access, [&](const Endpoints&, const PortSet& a, const PortSet& b) {
    meet = meet || !a.intersect(b).empty();
  });
  return meet;
}

std::vector<AccessChange> compare_access(const AccessMap& before, const AccessMap& now) {
  std::vector<AccessChange> out;
  AccessCompare::run(before, now, [&](const Endpoints& to, const PortSet& a, const PortSet& b) {
    if (a != b) out.push_back({to, a, b});
  });
  return out;
}

Change verdict(const std::vector<AccessChange>& changes) {
  bool before = false, now = false, grows = true, shrinks = true;
  for (const auto& change : changes) {
    before = before || !change.before.empty();
    now = now || !change.now.empty();
    grows = grows && change.before.subset_of(change.now);
    shrinks = shrinks && change.now.subset_of(change.before);
  }
  if (!before) return Change::Added;
  if (!now) return Change::Removed;
  if (grows) return Change::Widened;
  if (shrinks) return Change::Narrowed;
  return Change::Changed;
}

}  // namespace netpol::graph
