#pragma once
// The effective graph read as access sets (graph/access.hpp), once per analysis: what each
// source may reach, keyed by the sets it stands for rather than by how its edges are named.

#include <map>
#include <string>

#include "graph/access.hpp"
#include "graph/policy_graph.hpp"

namespace netpol::graph {

struct GraphAccess {
  // Each chart service, selector group or ns-pods as a source: what its own edges allow.
  // Destinations: chart services, selector groups, ns-pods and dns are pod atoms (their node
  // ids); `anywhere` is every pod and every address; external and OTLP nodes are their
  // edges' address blocks, with each block's ports.
  std::map<std::string, AccessMap> from;
  // Into each chart service from address sources (ipBlock peers): the addresses, with ports,
  // as a map whose "destinations" are the sources.
  std::map<std::string, AccessMap> from_addresses;
  // Any source (every pod and every address) into each chart service.
  std::map<std::string, PortSet> any;
};

GraphAccess access_of(const PolicyGraph& g);

// The addresses an edge to or from an address node stands for, with ports (`anywhere`: every
// address on the edge's ports).
AccessMap edge_addresses(const PolicyGraph& g, PolicyGraph::EdgeRef e, bool to_side);

// True for nodes whose identity is a set of addresses (External, Otlp).
bool address_node(const Node& n);

}  // namespace netpol::graph
