#pragma once
// Access as sets (docs/model.md, "Access"): who may send to what, on which ports, as set
// relations on pods, addresses and ports, independent of how the values name anything. Every
// verdict (diff, needs, exposure) is decided here, never on a node id or a peer's spelling.
//
// Pods are counted in atoms: each chart service's pods, and each group of outside pods a
// selector names (its canonical form); "every pod" is the complement of no atom. Addresses
// are AddressSets (IPv4 and IPv6, excepts applied).

#include <map>
#include <set>
#include <string>
#include <vector>

#include "graph/sets/address_set.hpp"
#include "graph/sets/ports.hpp"

namespace netpol::graph {

// A set of pods: finitely many atoms, or every pod but finitely many.
class PodSet {
 public:
  static PodSet none() { return {}; }
  static PodSet every();
  static PodSet of(std::string atom);
  // `atoms` (complement false), or every pod but `atoms` (true).
  static PodSet from(bool complement, std::set<std::string> atoms);

  PodSet unite(const PodSet& o) const;
  PodSet intersect(const PodSet& o) const;
  PodSet subtract(const PodSet& o) const;
  bool subset_of(const PodSet& o) const { return subtract(o).empty(); }
  bool contains(const std::string& atom) const { return complement_ != (atoms_.count(atom) > 0); }
  bool empty() const { return !complement_ && atoms_.empty(); }
  bool is_every() const { return complement_ && atoms_.empty(); }
  bool operator==(const PodSet& o) const {
    return complement_ == o.complement_ && atoms_ == o.atoms_;
  }
  bool operator!=(const PodSet& o) const { return !(*this == o); }

  // complement() false: the atoms in the set; true: the atoms left out of every pod.
  bool complement() const { return complement_; }
  const std::set<std::string>& atoms() const { return atoms_; }

 private:
  bool complement_ = false;
  std::set<std::string> atoms_;
};

// Sources or destinations: pods, addresses, or both.
struct Endpoints {
  PodSet pods;
  AddressSet addresses;

  static Endpoints every() { return {PodSet::every(), AddressSet::everything()}; }
  Endpoints unite(const Endpoints& o) const {
    return {pods.unite(o.pods), addresses.unite(o.addresses)};
  }
  Endpoints intersect(const Endpoints& o) const {
    return {pods.intersect(o.pods), addresses.intersect(o.addresses)};
  }
  Endpoints subtract(const Endpoints& o) const {
    return {pods.subtract(o.pods), addresses.subtract(o.addresses)};
  }
  bool subset_of(const Endpoints& o) const {
    return pods.subset_of(o.pods) && addresses.subset_of(o.addresses);
  }
  bool empty() const { return pods.empty() && addresses.empty(); }
  bool operator==(const Endpoints& o) const { return pods == o.pods && addresses == o.addresses; }
};

// What one source may reach: for every destination (pod atom, other pods, address) the ports.
// Grants add up; the map is kept as a step function, so two maps compare destination by
// destination whatever grants built them.
class AccessMap {
 public:
  void grant(const Endpoints& to, const PortSet& ports);
  void grant_atom(const std::string& atom, const PortSet& ports);
  void grant_addresses(const AddressSet& to, const PortSet& ports);
  AccessMap unite(const AccessMap& o) const;

  // The ports this map allows to a pod of `atom` / to one address.
  PortSet to_atom(const std::string& atom) const;
  PortSet to_address(bool v4, AddressSet::Address a) const;
  // The ports this map allows to pods no atom names.
  const PortSet& to_other_pods() const { return other_; }

  bool empty() const;
  bool operator==(const AccessMap& o) const;
  bool operator!=(const AccessMap& o) const { return !(*this == o); }
  // Every destination's ports are within `o`'s for it.
  bool subset_of(const AccessMap& o) const;
  // Some destination on some port is in both.
  bool intersects(const AccessMap& o) const;

  // The map in pieces: disjoint destination sets with their ports (pieces with the same
  // ports joined), destinations allowed nothing left out.
  struct Piece {
    Endpoints to;
    PortSet ports;
  };
  std::vector<Piece> pieces() const;

 private:
  friend struct AccessCompare;
  std::map<std::string, PortSet> atoms_;  // ports to each named atom, `other_` included
  PortSet other_;                         // ports to every pod no atom names
  // Per family, a step function: from each key up to the next, these ports.
  std::map<AddressSet::Address, PortSet> v4_{{0, {}}}, v6_{{0, {}}};
};

// Where two maps differ: destinations with the ports before and now (pieces with the same
// pair joined).
struct AccessChange {
  Endpoints to;
  PortSet before, now;
};
std::vector<AccessChange> compare_access(const AccessMap& before, const AccessMap& now);

// The verdict on a set of changes: added (nothing before), removed (nothing now), widened
// (everything before is still allowed), narrowed (nothing new), changed (both). Empty: none.
enum class Change { Added, Removed, Widened, Narrowed, Changed };
Change verdict(const std::vector<AccessChange>& changes);

}  // namespace netpol::graph
