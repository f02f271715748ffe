#include "graph/pod_cubes.hpp"

#include <algorithm>
#include <iterator>
#include <set>
#include <tuple>

#include "text.hpp"

namespace netpol::graph {
namespace {

using Values = std::vector<std::string>;

Values both(const Values& a, const Values& b) {
  Values out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}
Values either(const Values& a, const Values& b) {
  Values out;
  std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}
Values only(const Values& a, const Values& b) {
  Values out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

const std::string kNameKey(kNamespaceNameLabel);

// A side's domain of `key` (any when the side does not list it).
const KeyDomain& domain(const std::map<std::string, KeyDomain>& side, const std::string& key) {
  static const KeyDomain any;
  auto it = side.find(key);
  return it == side.end() ? any : it->second;
}

// Narrows `side`'s `key` to `d`; a domain that allows anything is not kept.
void narrow(std::map<std::string, KeyDomain>& side, const std::string& key, const KeyDomain& d) {
  KeyDomain next = domain(side, key).intersect(d);
  if (next.is_any())
    side.erase(key);
  else
    side[key] = std::move(next);
}

std::map<std::string, KeyDomain> intersect_side(const std::map<std::string, KeyDomain>& a,
                                                const std::map<std::string, KeyDomain>& b) {
  std::map<std::string, KeyDomain> out = a;
  for (const auto& [k, d] : b) narrow(out, k, d);
  return out;
}

bool side_empty(const std::map<std::string, KeyDomain>& side) {
  return std::any_of(side.begin(), side.end(), [](const auto& kv) { return kv.second.empty(); });
}

bool side_subset(const std::map<std::string, KeyDomain>& a,
                 const std::map<std::string, KeyDomain>& b) {
  for (const auto& [k, d] : b)
    if (domain(a, k).intersect(d.complement()).empty() == false) return false;
  return true;
}

bool side_contains(const std::map<std::string, KeyDomain>& side, const Labels& labels) {
  for (const auto& [k, d] : side) {
    auto it = labels.find(k);
    if (!d.allows(it == labels.end() ? std::nullopt : std::optional<std::string>(it->second)))
      return false;
  }
  return true;
}

std::string join_values(const Values& v) {
  std::string out;
  for (const auto& x : v) out += (out.empty() ? "" : ",") + x;
  return out;
}

// A key's domain in Kubernetes' selector syntax ("app=x", "env notin (a,b)", "!legacy").
std::string requirement_text(const std::string& k, const KeyDomain& d) {
  if (!d.others) {
    std::string in = d.values.empty()        ? ""
                     : d.values.size() == 1 ? k + "=" + d.values[0]
                                            : k + " in (" + join_values(d.values) + ")";
    if (!d.absent) return in;
    return in.empty() ? "!" + k : "(" + in + " or !" + k + ")";
  }
  std::string notin = d.values.empty()        ? ""
                      : d.values.size() == 1 ? k + "!=" + d.values[0]
                                             : k + " notin (" + join_values(d.values) + ")";
  if (d.absent) return notin;  // NotIn admits pods without the key
  return notin.empty() ? k : k + "," + notin;
}

std::string side_text(const std::map<std::string, KeyDomain>& side) {
  std::string out;
  for (const auto& [k, d] : side) out += (out.empty() ? "" : ",") + requirement_text(k, d);
  return out;
}

std::string cube_text(const PodCube& c) {
  std::map<std::string, KeyDomain> ns = c.ns;
  // A namespace always has its name: "present" goes without saying.
  if (auto it = ns.find(kNameKey); it != ns.end()) it->second.absent = it->second.others;
  const KeyDomain& name = domain(ns, kNameKey);
  std::string where;
  if (!name.others && name.values.size() == 1 && ns.size() == 1) {
    where = "namespace " + name.values[0];
  } else {
    if (name.is_any()) ns.erase(kNameKey);
    where = ns.empty() ? "every namespace" : "namespaces with " + side_text(ns);
  }
  return (c.pod.empty() ? "every pod" : "pods with " + side_text(c.pod)) + " in " + where;
}

// The values a key is split into for enumeration: each value named, one other, absent.
struct Axis {
  bool ns_side;
  std::string key;
  Values named;
};
// The classes of `axis`: its named values, then "other" (nullopt + flag), then absent.
KeyDomain axis_class(const Axis& a, std::size_t i) {
  if (i < a.named.size()) return {false, {a.named[i]}, false};
  if (i == a.named.size()) return {true, a.named, false};
  return {false, {}, true};
}

}  // namespace

// ---- KeyDomain

KeyDomain KeyDomain::of(const Requirement& r) {
  switch (r.op) {
    case Requirement::Op::In:
      return {false, r.values, false};
    case Requirement::Op::NotIn:
      return {true, r.values, true};
    case Requirement::Op::Exists:
      return present();
    case Requirement::Op::DoesNotExist:
      return {false, {}, true};
  }
  return any();
}

KeyDomain KeyDomain::exactly(const std::optional<std::string>& value) {
  if (!value) return {false, {}, true};
  return {false, {*value}, false};
}

KeyDomain KeyDomain::intersect(const KeyDomain& o) const {
  KeyDomain out;
  out.absent = absent && o.absent;
  if (!others && !o.others) {
    out.others = false;
    out.values = both(values, o.values);
  } else if (!others) {
    out.others = false;
    out.values = only(values, o.values);
  } else if (!o.others) {
    out.others = false;
    out.values = only(o.values, values);
  } else {
    out.others = true;
    out.values = either(values, o.values);
  }
  return out;
}

KeyDomain KeyDomain::unite(const KeyDomain& o) const {
  return complement().intersect(o.complement()).complement();
}

bool KeyDomain::allows(const std::optional<std::string>& value) const {
  if (!value) return absent;
  return others != std::binary_search(values.begin(), values.end(), *value);
}

bool KeyDomain::operator<(const KeyDomain& o) const {
  return std::tie(others, values, absent) < std::tie(o.others, o.values, o.absent);
}

// ---- PodCube

PodCube PodCube::every() {
  PodCube c;
  c.ns[kNameKey] = KeyDomain::present();
  return c;
}

bool PodCube::empty() const {
  return side_empty(ns) || side_empty(pod) || domain(ns, kNameKey).intersect(KeyDomain::present()).empty();
}

bool PodCube::contains(const Labels& ns_labels, const Labels& pod_labels) const {
  return side_contains(ns, ns_labels) && side_contains(pod, pod_labels);
}

PodCube PodCube::intersect(const PodCube& o) const {
  return {intersect_side(ns, o.ns), intersect_side(pod, o.pod)};
}

bool PodCube::subset_of(const PodCube& o) const {
  return empty() || (side_subset(ns, o.ns) && side_subset(pod, o.pod));
}

bool PodCube::operator<(const PodCube& o) const {
  return std::tie(ns, pod) < std::tie(o.ns, o.pod);
}

// ---- PodCubes

PodCubes PodCubes::every() {
  PodCubes s;
  s.cubes_.push_back(PodCube::every());
  return s;
}

PodCubes PodCubes::selected(const std::optional<LabelSelector>& namespaces,
                            const std::optional<LabelSelector>& pods,
                            const std::string& policy_ns) {
  PodCube c = PodCube::every();
  if (namespaces) {
    for (const auto& r : namespaces->requirements()) narrow(c.ns, r.key, KeyDomain::of(r));
  } else {
    narrow(c.ns, kNameKey, KeyDomain::exactly(policy_ns));
  }
  if (pods)
    for (const auto& r : pods->requirements()) narrow(c.pod, r.key, KeyDomain::of(r));
  PodCubes s;
  if (!c.empty()) s.cubes_.push_back(std::move(c));
  return s;
}

PodCubes PodCubes::point(const Labels& ns_labels, const Labels& pod_labels,
                         const std::vector<std::string>& ns_keys,
                         const std::vector<std::string>& pod_keys) {
  PodCube c = PodCube::every();
  auto fix = [](std::map<std::string, KeyDomain>& side, const Labels& labels,
                const std::vector<std::string>& keys) {
    for (const auto& [k, v] : labels) narrow(side, k, KeyDomain::exactly(v));
    for (const auto& k : keys)
      if (!labels.count(k)) narrow(side, k, KeyDomain::exactly(std::nullopt));
  };
  fix(c.ns, ns_labels, ns_keys);
  fix(c.pod, pod_labels, pod_keys);
  PodCubes s;
  if (!c.empty()) s.cubes_.push_back(std::move(c));
  return s;
}

void PodCubes::add_disjoint(const PodCube& c) {
  if (!c.empty()) cubes_.push_back(c);
}

PodCubes PodCubes::unite(const PodCubes& o) const {
  PodCubes out = *this;
  for (const auto& c : o.subtract(*this).cubes_) out.cubes_.push_back(c);
  return out;
}

PodCubes PodCubes::intersect(const PodCubes& o) const {
  PodCubes out;
  for (const auto& a : cubes_)
    for (const auto& b : o.cubes_) out.add_disjoint(a.intersect(b));
  return out;
}

PodCubes PodCubes::subtract(const PodCubes& o) const {
  std::vector<PodCube> left = cubes_;
  for (const auto& b : o.cubes_) {
    std::vector<PodCube> next;
    for (const auto& a : left) {
      if (a.intersect(b).empty()) {
        next.push_back(a);
        continue;
      }
      // a \ b, in disjoint pieces: outside b on the first key of b, or inside it there and
      // outside on the next, and so on.
      PodCube rest = a;
      for (bool ns_side : {true, false}) {
        const auto& keys = ns_side ? b.ns : b.pod;
        for (const auto& [k, d] : keys) {
          PodCube piece = rest;
          narrow(ns_side ? piece.ns : piece.pod, k, d.complement());
          if (!piece.empty()) next.push_back(std::move(piece));
          narrow(ns_side ? rest.ns : rest.pod, k, d);
          if (rest.empty()) break;
        }
        if (rest.empty()) break;
      }
    }
    left = std::move(next);
  }
  PodCubes out;
  out.cubes_ = std::move(left);
  return out;
}

bool PodCubes::contains(const Labels& ns_labels, const Labels& pod_labels) const {
  return std::any_of(cubes_.begin(), cubes_.end(),
                     [&](const PodCube& c) { return c.contains(ns_labels, pod_labels); });
}

std::string PodCubes::describe() const {
  if (cubes_.empty()) return "no pod";
  // The set, or what it leaves out when that says it in fewer words.
  std::string direct = describe_cubes();
  if (direct.find("; or ") == std::string::npos) return direct;  // one cube says it best
  PodCubes rest = every().subtract(*this);
  if (rest.empty()) return direct;
  std::string but = "every pod but " + rest.describe_cubes();
  return but.size() < direct.size() ? but : direct;
}

std::string PodCubes::describe_cubes() const {
  constexpr std::size_t kMaxClasses = 1'024;
  // The set cut along every key any cube reads (each value named, one other, absent), then
  // joined again key by key in a fixed order: the same set gives the same cubes, however
  // it was built.
  std::vector<Axis> axes;
  for (bool ns_side : {true, false}) {
    std::map<std::string, std::set<std::string>> keys;
    for (const auto& c : cubes_)
      for (const auto& [k, d] : ns_side ? c.ns : c.pod) keys[k].insert(d.values.begin(), d.values.end());
    for (const auto& [k, v] : keys) axes.push_back({ns_side, k, Values(v.begin(), v.end())});
  }
  // Each cube cut into the classes it holds (per axis: each named value it allows, the other
  // values, absent), the cubes being disjoint: the set's classes, whatever the cubes were.
  std::vector<PodCube> cells;
  std::size_t classes = 0;
  for (const auto& cube : cubes_) {
    std::vector<PodCube> cut{cube};
    for (const auto& a : axes) {
      const KeyDomain& d = domain(a.ns_side ? cube.ns : cube.pod, a.key);
      std::vector<KeyDomain> parts;
      for (std::size_t i = 0; i < a.named.size() + 2; ++i)
        if (KeyDomain part = axis_class(a, i); !part.intersect(d).empty()) parts.push_back(part);
      std::vector<PodCube> next;
      for (const auto& c : cut)
        for (const auto& part : parts) {
          PodCube piece = c;
          narrow(a.ns_side ? piece.ns : piece.pod, a.key, part);
          if (!piece.empty()) next.push_back(std::move(piece));
        }
      cut = std::move(next);
      if (classes + cut.size() > kMaxClasses) break;
    }
    classes += cut.size();
    if (classes > kMaxClasses) {
      cells = cubes_;  // too many classes: the disjoint cubes, joined below
      break;
    }
    std::move(cut.begin(), cut.end(), std::back_inserter(cells));
  }
  // Join cells that differ on one key only, one key at a time.
  for (const auto& a : axes) {
    std::map<PodCube, KeyDomain> joined;  // the cell without the key -> the key's values
    for (auto& c : cells) {
      auto& side = a.ns_side ? c.ns : c.pod;
      KeyDomain d = domain(side, a.key);
      side.erase(a.key);
      auto [it, fresh] = joined.try_emplace(c, d);
      if (!fresh) it->second = it->second.unite(d);
    }
    cells.clear();
    for (const auto& [without, d] : joined) {
      PodCube c = without;
      narrow(a.ns_side ? c.ns : c.pod, a.key, d);
      cells.push_back(std::move(c));
    }
  }
  // Every namespace has a name: "present" is no condition on it.
  std::vector<std::string> parts;
  for (const auto& c : cells) parts.push_back(cube_text(c));
  std::sort(parts.begin(), parts.end());
  parts.erase(std::unique(parts.begin(), parts.end()), parts.end());
  if (parts.size() == 1 && parts[0] == "every pod in every namespace") return "every pod";
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "; or ") + p;
  return out;
}

std::optional<PodCells> partition(const std::vector<PodCubes>& sets, std::size_t budget) {
  PodCells out;
  std::size_t work = 0;
  out.cells_of.resize(sets.size());
  // Each cell with the sets it is in.
  std::vector<std::vector<std::size_t>> in;
  for (std::size_t i = 0; i < sets.size(); ++i) {
    PodCubes rest = sets[i];
    std::vector<PodCubes> cells;
    std::vector<std::vector<std::size_t>> members;
    for (std::size_t c = 0; c < out.cells.size(); ++c) {
      work += out.cells[c].cubes().size() * sets[i].cubes().size();
      if (work > budget) return std::nullopt;
      PodCubes inside = out.cells[c].intersect(sets[i]);
      if (inside.empty()) {
        cells.push_back(std::move(out.cells[c]));
        members.push_back(std::move(in[c]));
        continue;
      }
      rest = rest.subtract(inside);
      PodCubes outside = out.cells[c].subtract(inside);
      if (!outside.empty()) {
        cells.push_back(std::move(outside));
        members.push_back(in[c]);
      }
      cells.push_back(std::move(inside));
      in[c].push_back(i);
      members.push_back(std::move(in[c]));
    }
    if (!rest.empty()) {
      cells.push_back(std::move(rest));
      members.push_back({i});
    }
    out.cells = std::move(cells);
    in = std::move(members);
  }
  for (std::size_t c = 0; c < out.cells.size(); ++c)
    for (std::size_t i : in[c]) out.cells_of[i].push_back(c);
  return out;
}

}  // namespace netpol::graph
