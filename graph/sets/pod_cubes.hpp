#pragma once
// Sets of pods defined by labels (docs/model.md, "Pods as sets"): the algebra every verdict on
// pods that no input lists is decided with. A pod is a point (its namespace's labels, its own
// labels); a selector is a set of such points, a *cube*: per label key the values it allows,
// as In / NotIn / Exists / DoesNotExist say. A set of pods is a finite union of cubes, and
// union, intersection, difference, emptiness, containment and equality are exact.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "graph/sets/selector.hpp"

namespace netpol::graph {

// The values one label key may take: the named `values` (others false) or every value but
// them (others true), and whether the label may be absent.
struct KeyDomain {
  bool others = true;
  std::vector<std::string> values;  // sorted, unique
  bool absent = true;

  static KeyDomain any() { return {}; }
  static KeyDomain present() { return {true, {}, false}; }
  // What a requirement allows of its key.
  static KeyDomain of(const Requirement& r);
  // Exactly `value`, or (nullopt) absent.
  static KeyDomain exactly(const std::optional<std::string>& value);

  KeyDomain intersect(const KeyDomain& o) const;
  KeyDomain unite(const KeyDomain& o) const;
  KeyDomain complement() const { return {!others, values, !absent}; }
  bool empty() const { return !others && values.empty() && !absent; }
  bool is_any() const { return others && values.empty() && absent; }
  bool allows(const std::optional<std::string>& value) const;
  bool operator==(const KeyDomain& o) const {
    return others == o.others && values == o.values && absent == o.absent;
  }
  bool operator!=(const KeyDomain& o) const { return !(*this == o); }
};

// The pods whose namespace labels are in `ns` and own labels in `pod`, key by key; a key not
// listed may take any value or be absent. Every namespace has its name label
// (kubernetes.io/metadata.name), so a cube never allows it absent.
struct PodCube {
  std::map<std::string, KeyDomain> ns, pod;

  // Every pod of every namespace.
  static PodCube every();
  bool empty() const;
  bool contains(const Labels& ns_labels, const Labels& pod_labels) const;
  PodCube intersect(const PodCube& o) const;
  bool subset_of(const PodCube& o) const;
  bool operator==(const PodCube& o) const { return ns == o.ns && pod == o.pod; }
};

class PodCubes {
 public:
  static PodCubes none() { return {}; }
  static PodCubes every();
  // What a NetworkPolicy peer selects: a podSelector alone means pods of the policy's own
  // namespace (`policy_ns`); a namespaceSelector alone every pod of those namespaces.
  static PodCubes selected(const std::optional<LabelSelector>& namespaces,
                           const std::optional<LabelSelector>& pods, const std::string& policy_ns);
  // One known pod: its labels, and every key of `keys` (namespace side, pod side) that it
  // lacks absent, so that no selector reading those keys confuses it with another pod.
  // (Pod labels and keys empty: every pod of one known namespace.)
  static PodCubes point(const Labels& ns_labels, const Labels& pod_labels,
                        const std::vector<std::string>& ns_keys,
                        const std::vector<std::string>& pod_keys);

  PodCubes unite(const PodCubes& o) const;
  PodCubes intersect(const PodCubes& o) const;
  PodCubes subtract(const PodCubes& o) const;
  bool empty() const { return cubes_.empty(); }
  bool subset_of(const PodCubes& o) const { return subtract(o).empty(); }
  bool intersects(const PodCubes& o) const { return !intersect(o).empty(); }
  bool contains(const Labels& ns_labels, const Labels& pod_labels) const;
  // Equal as sets, however the cubes cut them.
  bool same_pods(const PodCubes& o) const { return subset_of(o) && o.subset_of(*this); }

  // The cubes, disjoint, none empty (a canonical form for one way of cutting; `describe`
  // prints a minimal one).
  const std::vector<PodCube>& cubes() const { return cubes_; }
  // Readable and canonical (for sets of up to 1,024 label classes; a larger one prints its
  // cubes as they are cut): equal sets print the same ("every pod", "no pod", "pods with
  // app=grafana in namespaces with kubernetes.io/metadata.name=monitoring", cubes joined by
  // "; or "; or "every pod but ..." when what it leaves out is said in fewer words).
  std::string describe() const;

 private:
  std::string describe_cubes() const;   // the set itself, canonical
  void add_disjoint(const PodCube& c);  // `c` disjoint from every cube held
  std::vector<PodCube> cubes_;          // pairwise disjoint, none empty
};

// The cells of a family of pod sets: the non-empty regions in which each set is either wholly
// in or wholly out, so that every set is the union of the cells inside it. cells_of[i] lists
// the cells of sets[i]. At most `budget` cube intersections are tried (a family of thousands
// of overlapping selectors can have very many cells): past it, nullopt.
struct PodCells {
  std::vector<PodCubes> cells;
  std::vector<std::vector<std::size_t>> cells_of;
};
std::optional<PodCells> partition(const std::vector<PodCubes>& sets, std::size_t budget = SIZE_MAX);

}  // namespace netpol::graph
