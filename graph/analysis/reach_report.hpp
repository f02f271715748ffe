#pragma once
// The answer to one `reach` question, computed in graph/ for every output format.

#include <optional>
#include <string>
#include <vector>

#include "graph/analysis/analysis.hpp"
#include "graph/analysis/explain.hpp"
#include "graph/analysis/reach.hpp"

namespace netpol::graph {

struct ReachRequest {
  std::string from;  // node id, or "" for none
  std::string to;
  ReachOptions options;
  bool explain = false;
};

struct ReachReport {
  enum class Kind {
    From,    // everything `from` reaches
    To,      // everything that reaches `to`
    Pair,    // `from` to `to`
    Matrix,  // every root and service against every destination
  };
  Kind kind = Kind::Matrix;
  ReachOptions options;
  bool explain = false;
  std::optional<PolicyGraph::Vertex> from, to;
  // The ids asked, as the answer names them. "any-source" names the internet also when no
  // rule admits every address, so that no node of its own is in the graph: `from` is then
  // empty and the paths start at the ipBlock sources that hold a globally reachable address
  // (Analysis::internet), or nowhere.
  std::string from_id, to_id;
  std::vector<Route> routes;  // From, To (one route per source), Pair (at most one)
  Blocked blocked;            // Pair with explain: why there is no direct hop
  std::vector<PolicyGraph::Vertex> rows, columns;  // Matrix
  std::vector<std::vector<int>> hops;              // Matrix: rows x columns, -1 unreachable
};

// Resolves the node ids (throwing Error with "did you mean" for an unknown one) and answers.
ReachReport answer_reach(const Analysis& analysis, const ReachRequest& request);

}  // namespace netpol::graph
