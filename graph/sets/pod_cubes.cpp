#include "graph/sets/pod_cubes.hpp"

#include <algorithm>
#include <iterator>
#include <set>
#include <tuple>

#include "text.hpp"

namespace netpol::graph {
namespace {

using Values = std::vector<std::string>;

Values both(const Values& values, const Values& b) {
  Values out;
  std::set_intersection(values.begin(), values.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}
Values either(const Values& values, const Values& b) {
  Values out;
  std::set_union(values.begin(), values.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}
Values only(const Values& values, const Values& b) {
  Values out;
  std::set_difference(values.begin(), values.end(), b.begin(), b.end(), std::back_inserter(out));
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

std::string join_values(const Values& values) {
  std::string out;
  for (const auto& x : values) out += (out.empty() ? "" : ",") + x;
  return out;
}

// A key's domain in Kubernetes' selector syntax ("app=x", "env notin (a,b)", "!legacy").
std::string requirement_text(const std::string& k, const KeyDomain& domain) {
  if (!domain.others) {
    std::string in = domain.values.empty()       ? ""
                     : domain.values.size() == 1 ? k + "=" + domain.values[0]
                                                 : k + " in (" + join_values(domain.values) + ")";
    if (!domain.absent) return in;
    return in.empty() ? "!" + k : "(" + in + " or !" + k + ")";
  }
  std::string notin = domain.values.empty() ? ""
                      : domain.values.size() == 1
                          ? k + "!=" + domain.values[0]
                          : k + " notin (" + join_values(domain.values) + ")";
  if (domain.absent) return notin;  // NotIn admits pods without the key
  return notin.empty() ? k : k + "," + notin;
}

std::string side_text(const std::map<std::string, KeyDomain>& side) {
  std::string out;
  for (const auto& [k, d] : side) out += (out.empty() ? "" : ",") + requirement_text(k, d);
  return out;
}

std::string cube_text(const PodCube& cube) {
  std::map<std::string, KeyDomain> ns = cube.ns;
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
  return (cube.pod.empty() ? "every pod" : "pods with " + side_text(cube.pod)) + " in " + where;
}

// The values a key is split into for enumeration: each value named, one other, absent.
// A key of one side, cut into classes no cube tells apart: groups of named values that every
// cube allows alike (a NotIn of a hundred names is one class, not a hundred), the other
// values, absent.
struct Axis {
  bool ns_side;
  std::string key;
  std::vector<KeyDomain> classes;
};

Axis make_axis(bool ns_side, const std::string& key, const std::vector<PodCube>& cubes) {
  std::set<std::string> named;
  for (const auto& c : cubes) {
    const KeyDomain& d = domain(ns_side ? c.ns : c.pod, key);
    named.insert(d.values.begin(), d.values.end());
  }
  std::map<std::vector<bool>, Values> groups;  // which cubes allow it -> the values
  for (const auto& v : named) {
    std::vector<bool> allowed;
    for (const auto& c : cubes) allowed.push_back(domain(ns_side ? c.ns : c.pod, key).allows(v));
    groups[allowed].push_back(v);
  }
  Axis axis{ns_side, key, {}};
  for (auto& [allowed, values] : groups) axis.classes.push_back({false, std::move(values), false});
  axis.classes.push_back({true, Values(named.begin(), named.end()), false});
  axis.classes.push_back({false, {}, true});
  return axis;
}

}  // namespace

// ---- KeyDomain

KeyDomain KeyDomain::of(const Requirement& requirement) {
  switch (requirement.op) {
    case Requirement::Op::In:
      return {false, requirement.values, false};
    case Requirement::Op::NotIn:
      return {true, requirement.values, true};
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

KeyDomain KeyDomain::intersect(const KeyDomain& domain) const {
  KeyDomain out;
  out.absent = absent && domain.absent;
  if (!others && !domain.others) {
    out.others = false;
    out.values = both(values, domain.values);
  } else if (!others) {
    out.others = false;
    out.values = only(values, domain.values);
  } else if (!domain.others) {
    out.others = false;
    out.values = only(domain.values, values);
  } else {
    out.others = true;
    out.values = either(values, domain.values);
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

// ---- PodCube

PodCube PodCube::every() {
  PodCube c;
  c.ns[kNameKey] = KeyDomain::present();
  return c;
}

bool PodCube::empty() const {
  return side_empty(ns) || side_empty(pod) ||
         domain(ns, kNameKey).intersect(KeyDomain::present()).empty();
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

// ---- PodCubes

PodCubes PodCubes::every() {
  PodCubes s;
  s.cubes_.push_back(PodCube::every());
  return s;
}

PodCubes PodCubes::selected(const std::optional<LabelSelector>& namespaces,
                            const std::optional<LabelSelector>& pods,
                            const std::string& policy_ns) {
  PodCube cube = PodCube::every();
  if (namespaces) {
    for (const auto& r : namespaces->requirements()) narrow(cube.ns, r.key, KeyDomain::of(r));
  } else {
    narrow(cube.ns, kNameKey, KeyDomain::exactly(policy_ns));
  }
  if (pods)
    for (const auto& r : pods->requirements()) narrow(cube.pod, r.key, KeyDomain::of(r));
  PodCubes s;
  if (!cube.empty()) s.cubes_.push_back(std::move(cube));
  return s;
}

PodCubes PodCubes::point(const Labels& ns_labels, const Labels& pod_labels,
                         const std::vector<std::string>& ns_keys,
                         const std::vector<std::string>& pod_keys) {
  PodCube cube = PodCube::every();
  auto fix = [](std::map<std::string, KeyDomain>& side, const Labels& labels,
                const std::vector<std::string>& keys) {
    for (const auto& [k, v] : labels) narrow(side, k, KeyDomain::exactly(v));
    for (const auto& k : keys)
      if (!labels.count(k)) narrow(side, k, KeyDomain::exactly(std::nullopt));
  };
  fix(cube.ns, ns_labels, ns_keys);
  fix(cube.pod, pod_labels, pod_keys);
  PodCubes s;
  if (!cube.empty()) s.cubes_.push_back(std::move(cube));
  return s;
}

void PodCubes::add_disjoint(const PodCube& c) {
  if (!c.empty()) cubes_.push_back(c);
}

PodCubes PodCubes::unite(const PodCubes& pods) const {
  PodCubes out = *this;
  for (const auto& c : pods.subtract(*this).cubes_) out.cubes_.push_back(c);
  return out;
}

PodCubes PodCubes::intersect(const PodCubes& pods) const {
  PodCubes out;
  for (const auto& a : cubes_)
    for (const auto& b : pods.cubes_) out.add_disjoint(a.intersect(b));
  return out;
}

PodCubes PodCubes::subtract(const PodCubes& pods) const {
  std::vector<PodCube> left = cubes_;
  for (const auto& cube : pods.cubes_) {
    std::vector<PodCube> next;
    for (const auto& a : left) {
      if (a.intersect(cube).empty()) {
        next.push_back(a);
        continue;
      }
      // a \ b, in disjoint pieces: outside b on the first key of b, or inside it there and
      // outside on the next, and so on.
      PodCube rest = a;
      for (bool ns_side : {true, false}) {
        const auto& keys = ns_side ? cube.ns : cube.pod;
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
    std::set<std::string> keys;
    for (const auto& c : cubes_)
      for (const auto& kv : ns_side ? c.ns : c.pod) keys.insert(kv.first);
    for (const auto& k : keys) axes.push_back(make_axis(ns_side, k, cubes_));
  }
  // Each cube cut into the classes it holds, as one class index per axis (the cubes are
  // disjoint: these are the set's classes, whatever the cubes were), then joined again axis
  // by axis: cells equal but on one axis become one, holding the classes of both there.
  using Cell = std::vector<std::vector<std::size_t>>;  // per axis, the classes held (sorted)
  std::vector<Cell> grid;
  for (const auto& cube : cubes_) {
    std::vector<std::vector<std::size_t>> allowed;
    std::size_t count = 1;
    for (const auto& a : axes) {
      const KeyDomain& d = domain(a.ns_side ? cube.ns : cube.pod, a.key);
      allowed.emplace_back();
      for (std::size_t i = 0; i < a.classes.size(); ++i)
        if (!a.classes[i].intersect(d).empty()) allowed.back().push_back(i);
      count *= allowed.back().size();
      if (count == 0 || count > kMaxClasses) break;
    }
    if (count == 0) continue;
    if (grid.size() + count > kMaxClasses) {
      grid.clear();
      break;
    }
    std::vector<std::size_t> at(axes.size(), 0);
    for (std::size_t n = 0; n < count; ++n) {
      Cell cell(axes.size());
      for (std::size_t i = 0; i < axes.size(); ++i) cell[i] = {allowed[i][at[i]]};
      grid.push_back(std::move(cell));
      for (std::size_t i = 0; i < axes.size(); ++i) {  // the next class, odometer order
        if (++at[i] < allowed[i].size()) break;
        at[i] = 0;
      }
    }
  }
  std::vector<PodCube> cells;
  if (grid.empty()) {
    cells = cubes_;  // too many classes to cut: the disjoint cubes as they are
  } else {
    for (std::size_t j = 0; j < axes.size(); ++j) {
      std::map<Cell, std::vector<std::size_t>> joined;  // the cell without axis j -> its classes
      for (auto& c : grid) {
        std::vector<std::size_t> here = std::move(c[j]);
        c[j].clear();
        auto& to = joined[c];
        to.insert(to.end(), here.begin(), here.end());
      }
      grid.clear();
      for (auto& [without, classes] : joined) {
        Cell c = without;
        std::sort(classes.begin(), classes.end());
        classes.erase(std::unique(classes.begin(), classes.end()), classes.end());
        c[j] = std::move(classes);
        grid.push_back(std::move(c));
      }
    }
    for (const auto& c : grid) {
      PodCube cube = PodCube::every();
      for (std::size_t i = 0; i < axes.size(); ++i) {
        KeyDomain d{false, {}, false};
        for (std::size_t k : c[i]) d = d.unite(axes[i].classes[k]);
        narrow(axes[i].ns_side ? cube.ns : cube.pod, axes[i].key, d);
      }
      cells.push_back(std::move(cube));
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
    for (std::size_t cell = 0; cell < out.cells.size(); ++cell) {
      work += out.cells[cell].cubes().size() * sets[i].cubes().size();
      if (work > budget) return std::nullopt;
      PodCubes inside = out.cells[cell].intersect(sets[i]);
      if (inside.empty()) {
        cells.push_back(std::move(out.cells[cell]));
        members.push_back(std::move(in[cell]));
        continue;
      }
      rest = rest.subtract(inside);
      PodCubes outside = out.cells[cell].subtract(inside);
      if (!outside.empty()) {
        cells.push_back(std::move(outside));
        members.push_back(in[cell]);
      }
      cells.push_back(std::move(inside));
      in[cell].push_back(i);
      members.push_back(std::move(in[cell]));
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
