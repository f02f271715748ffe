#pragma once
// The Boost.Graph adjacency list behind a PolicyGraph, for the code that walks it with
// Boost's algorithms (graph/analysis/reach.cpp, graph/analysis/diff.cpp, the graph itself, tests).
// Everything else reads the graph through PolicyGraph and does not compile Boost.Graph.

#include <boost/graph/adjacency_list.hpp>

#include <type_traits>

#include "graph/model/policy_graph.hpp"

namespace netpol::graph {

using BoostGraph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, Node, Edge>;
static_assert(std::is_same_v<BoostGraph::vertex_descriptor, PolicyGraph::Vertex>);

struct GraphStorage {
  BoostGraph g;
};

inline const BoostGraph& boost_graph(const PolicyGraph& g) {
  return g.storage().g;
}

}  // namespace netpol::graph
