#pragma once
// The effective graph: who may send traffic to whom, on which ports, and which values keys
// opened each edge. Built once from a Chart; every exporter reads it.

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "graph/read/profile.hpp"
#include "graph/rules/chart.hpp"
#include "graph/sets/access.hpp"
#include "graph/sets/pod_cubes.hpp"

namespace netpol::graph {

// ClassSenders and ClassReceivers stand for a class of chart services that every policy
// treats alike (graph/model/classes.hpp), when the pairs between classes are too many to hold one
// by one (PolicyGraph::max_pairs): every member has an edge to its class's senders node,
// which has an edge to each class (or lone service) its members may send to, whose receivers
// node has an edge to every member. A path through them is one hop, between two different
// services (docs/model.md, "Classes").
enum class NodeKind {
  Service,
  External,
  Dns,
  Otlp,
  AnySource,
  NsPods,
  Selector,
  ClassSenders,
  ClassReceivers
};

// The kind's stable name: "service", "external", "dns", "otlp", "any-source", "ns-pods",
// "selector", "class-senders", "class-receivers".
std::string_view kind_name(NodeKind k);
inline bool is_class(NodeKind k) {
  return k == NodeKind::ClassSenders || k == NodeKind::ClassReceivers;
}

// An address block of an external node and the ports it was opened on.
struct ExternalEntry {
  IpBlock block;
  PortSet ports;
  bool operator==(const ExternalEntry& o) const { return block == o.block && ports == o.ports; }
};

struct Node {
  std::string id;  // stable: "meta", "ext:S3", "dns", "otlp:host:port", "sel:...", ...
  NodeKind kind = NodeKind::Service;
  std::string label;                   // what people read: "S3", "namespaces with name=x"
  std::vector<ExternalEntry> entries;  // External and Otlp: address blocks with their ports
  bool unknown_peer = false;           // a selector that a peer naming no service produced
  bool own_name = false;               // External: named by an externalEgress entry's `name:`
  // Selector and NsPods: the peer's selectors in canonical form (absent: not part of it).
  std::optional<std::string> pod_selector;
  std::optional<std::string> namespace_selector;
  // Selector and NsPods: the pods the peer selects, as a set (docs/model.md, "Pods as sets").
  std::optional<PodCubes> pods;
  // Selector and NsPods: the label without the namespaces ("pods with app=x", "all pods"),
  // for a picture that draws the node in the box of its one namespace.
  std::string pods_label;
  // Service: its namespace when it is not the graph's (manifests spanning namespaces).
  std::string other_ns;
  // ClassSenders and ClassReceivers: the member services (vertices), in chart order.
  std::vector<std::size_t> members;
  // A member of a class: the provenance of each of its egress and ingress rules, by position
  // (a class edge's rule positions pick its keys for one pair).
  std::vector<std::vector<Provenance>> egress_rules, ingress_rules;

  static Node make(std::string id, NodeKind kind, std::string label) {
    Node n;
    n.id = std::move(id);
    n.kind = kind;
    n.label = std::move(label);
    return n;
  }
};

struct Edge {
  PortSet ports;
  // From or to an address node (External, Otlp, an ipBlock source): the blocks of this edge
  // with the ports opened to each (a node's entries unite every edge's).
  std::vector<ExternalEntry> blocks;
  std::vector<Provenance> egress;   // the source's keys (empty when the source is outside)
  std::vector<Provenance> ingress;  // the destination's keys (empty when it is outside)
  // From a ClassSenders or to a ClassReceivers node: the positions of the rules that allow it
  // in each member's egress (ingress) rules. Edges between a member and its class node carry
  // the member's keys for every edge of the class.
  std::vector<std::uint32_t> egress_rules, ingress_rules;
};

// The Boost.Graph adjacency list that holds a PolicyGraph's nodes and edges: defined in
// graph/model/policy_graph_storage.hpp, which only the code walking it with Boost's algorithms
// includes (the rest uses PolicyGraph's accessors and never compiles Boost.Graph).
struct GraphStorage;

class PolicyGraph {
 public:
  using Vertex = std::size_t;  // a vertex index (Boost's vertex_descriptor with vecS)
  // An edge by its ends; edge descriptors are not kept, since they do not survive copies.
  struct EdgeRef {
    Vertex from;
    Vertex to;
  };

  bool policies_enabled = false;
  std::string ns;
  // Edges the graph may hold (about 1 KB each): past it add_to_edge throws Error, before
  // memory runs out (a dense input with every pair of workloads as an edge, as diff has).
  std::size_t max_edges = kMaxEdges;
  static constexpr std::size_t kMaxEdges = 5'000'000;
  // Service pairs the graph holds one edge each; more, and the classes of services that
  // every policy treats alike are held as class nodes instead (docs/model.md, "Classes").
  std::size_t max_pairs = kMaxPairs;
  static constexpr std::size_t kMaxPairs = 10'000;

  // Adds a node, or returns the existing one with the same id.
  Vertex add_node(Node n);
  // Unites `ports` and provenance into the edge from -> to, creating it if needed.
  void add_to_edge(Vertex from, Vertex to, const PortSet& ports,
                   const std::vector<Provenance>& egress, const std::vector<Provenance>& ingress);
  // Adds an address block with its ports to an External or Otlp node (ports of the same
  // block unite).
  void add_entry(Vertex v, const IpBlock& block, const PortSet& ports);
  // Adds an address block with its ports to the existing edge from -> to.
  void add_edge_block(Vertex from, Vertex to, const IpBlock& block, const PortSet& ports);
  // Puts vertices in display order (kind, then services in chart order and externals in
  // profile order, then id) and edges sorted by (source, target); called once by the builder.
  void finish(const std::vector<std::string>& service_order,
              const std::vector<std::string>& external_order);

  // The adjacency list, for Boost's algorithms (policy_graph_storage.hpp).
  const GraphStorage& storage() const { return *g_; }
  // For the builder, before finish(): a node, and the edge from -> to, which must exist.
  Node& mutable_node(Vertex v);
  Edge& mutable_edge(Vertex from, Vertex to) { return *find_edge(from, to); }
  const Node& node(Vertex v) const;
  // The edge from -> to, which must exist.
  const Edge& edge(EdgeRef e) const { return *find_edge(e.from, e.to); }
  bool has_edge(Vertex from, Vertex to) const { return find_edge(from, to) != nullptr; }
  std::size_t vertex_count() const;
  std::size_t edge_count() const;
  std::size_t in_degree(Vertex v) const;
  std::optional<Vertex> find(const std::string& id) const;
  // Vertices in display order.
  const std::vector<Vertex>& nodes() const { return order_; }
  // Edges sorted by (source order, target order).
  const std::vector<EdgeRef>& edges() const { return edge_order_; }
  std::size_t rank(Vertex v) const { return rank_[v]; }
  // The nodes with an edge into / out of v, in display order.
  std::vector<Vertex> sources_of(Vertex v) const;
  std::vector<Vertex> targets_of(Vertex v) const;

  // Whether the graph holds class nodes.
  bool has_classes() const { return classes_; }
  // What may pass from one node to another that is not a class node, in one hop: their
  // edge, or the class edge between them (through the source's senders node and the
  // destination's receivers node) with the two services' own keys. Empty when nothing may.
  std::optional<Edge> hop_edge(Vertex from, Vertex to) const;
  // The ports of that hop (null when nothing may pass), without copying its keys.
  const PortSet* hop_ports(Vertex from, Vertex to) const;
  // The one-hop sources of a node that is not a class node, in display order: nodes with an
  // edge into it, and through its class's receivers node the sources of class edges into it
  // (a ClassSenders node standing for its members, the node itself excepted).
  std::vector<Vertex> hop_sources(Vertex v) const { return hops(v, false); }
  // The same for destinations (a ClassReceivers node standing for its members).
  std::vector<Vertex> hop_targets(Vertex v) const { return hops(v, true); }
  // The class node v's edge into or out of a class node goes through, if any: the senders
  // node of v's class, or the receivers node.
  std::optional<Vertex> senders_of(Vertex v) const;
  std::optional<Vertex> receivers_of(Vertex v) const;

 private:
  // Held by pointer: the adjacency list is defined elsewhere, and Boost 1.74's has no move
  // operations (its swap copies it three times), so the graph moves for free (returning it
  // from build_graph, moving an Analysis) and is copied only when a PolicyGraph is. The
  // pointer's own copy and move (policy_graph.cpp) let PolicyGraph's be the defaults.
  class StoragePtr {
   public:
    StoragePtr();
    StoragePtr(const StoragePtr& o);
    StoragePtr(StoragePtr&& o) noexcept;
    StoragePtr& operator=(const StoragePtr& o);
    StoragePtr& operator=(StoragePtr&& o) noexcept;
    ~StoragePtr();
    GraphStorage& operator*() const { return *p_; }
    GraphStorage* operator->() const { return p_.get(); }

   private:
    std::unique_ptr<GraphStorage> p_;
  };
  StoragePtr g_;
  std::map<std::string, Vertex> by_id_;
  std::vector<Vertex> order_;
  std::vector<std::size_t> rank_;
  std::vector<EdgeRef> edge_order_;
  bool classes_ = false;
  std::vector<Vertex> hops(Vertex v, bool forward) const;
  // The edge from -> to, if any, looked up in the shorter of from's out-edges and to's
  // in-edges (boost::edge scans the source's out-edges: any-source and class nodes have an
  // edge to every member, so that scan made building and reading them quadratic).
  Edge* find_edge(Vertex from, Vertex to) const;
  // The edge a hop from -> to goes over, and whether through a class node at either end.
  Edge* hop_lookup(Vertex from, Vertex to, bool& through_senders, bool& through_receivers) const;
};

// The addresses an edge to or from an address node stands for, with ports (`anywhere`: every
// address on the edge's ports).
AccessMap edge_addresses(const PolicyGraph& g, PolicyGraph::EdgeRef e, bool to_side);

// True for nodes whose identity is a set of addresses (External, Otlp).
bool address_node(const Node& n);

struct ChartAccess;

// The effective graph (docs/model.md), a view of `access`, the access computed from `chart`'s
// rules (graph/model/chart_access.hpp): service-to-service edges where the source's egress AND
// the destination's ingress allow a port; edges from outside sources by ingress alone; edges to
// outside destinations by egress alone. With policies disabled, wildcard edges say that
// everything is allowed.
// Pairs of services beyond `max_pairs` are kept as class nodes. Throws Error when the graph
// would hold more than `max_edges` edges.
PolicyGraph build_graph(const Chart& chart, const ChartAccess& access, const Profile& profile,
                        std::size_t max_edges = PolicyGraph::kMaxEdges,
                        std::size_t max_pairs = PolicyGraph::kMaxPairs);
// The same, computing the access.
PolicyGraph build_graph(const Chart& chart, const Profile& profile,
                        std::size_t max_edges = PolicyGraph::kMaxEdges,
                        std::size_t max_pairs = PolicyGraph::kMaxPairs);

}  // namespace netpol::graph
