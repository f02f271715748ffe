#pragma once
// Sets that nodes of the graph share (docs/model.md, "Reachability"): a selector or ns-pods
// node stands for its pods less the chart services' (their own edges speak for them), an
// address node (not ext:*) for its addresses. Other nodes *hold* part of such a set:
// any-source (as a source) and ext:* (as a destination) every pod and address, a selector
// or ns-pods node the pods it shares with it, an address node the addresses it shares.
// `reach` lets a path for a set start or end at a node holding part of it; the picture
// leaves out an edge that a node holding all of the set already draws.

#include <map>
#include <optional>
#include <vector>

#include "graph/analysis/pod_space.hpp"
#include "graph/model/policy_graph.hpp"
#include "graph/sets/address_set.hpp"

namespace netpol::graph {

struct Analysis;

class Holders {
 public:
  using Vertex = PolicyGraph::Vertex;
  explicit Holders(const Analysis& a);

  // Whether `v` stands for a set that other nodes may hold part of.
  bool held(Vertex v) const { return pods_.count(v) || addresses_.count(v); }
  // v's holders as sources (nodes with out-edges) or as destinations (with in-edges), in
  // display order (any-source or ext:* first); computed once per node and direction.
  const std::vector<Vertex>& of(Vertex v, bool as_source) const;
  // Every held node with out-edges (as_source) or in-edges.
  std::vector<Vertex> held_nodes(bool as_source) const;
  // Whether `h` holds all of `v`'s set: any-source (as a source) or ext:* (as a
  // destination), or a node of the same kind of set holding every pod or address of it.
  bool covers(Vertex h, Vertex v, bool as_source) const;

 private:
  const PolicyGraph& g_;
  PodSpace space_;
  std::map<Vertex, PodCubes> pods_;
  std::map<Vertex, AddressSet> addresses_;
  std::optional<Vertex> any_source_, anywhere_;
  mutable std::map<Vertex, std::optional<std::vector<Vertex>>> sources_, destinations_;
};

}  // namespace netpol::graph
