#include "graph/model/policy_graph.hpp"

#include "graph/model/policy_graph_storage.hpp"

#include <unordered_map>

#include <algorithm>
#include <tuple>

namespace netpol::graph {

std::string_view kind_name(NodeKind kind) {
  switch (kind) {
    case NodeKind::Service:
      return "service";
    case NodeKind::External:
      return "external";
    case NodeKind::Dns:
      return "dns";
    case NodeKind::Otlp:
      return "otlp";
    case NodeKind::AnySource:
      return "any-source";
    case NodeKind::NsPods:
      return "ns-pods";
    case NodeKind::Selector:
      return "selector";
    case NodeKind::ClassSenders:
      return "class-senders";
    case NodeKind::ClassReceivers:
      return "class-receivers";
  }
  return "service";
}

PolicyGraph::StoragePtr::StoragePtr() : p_(std::make_unique<GraphStorage>()) {}
PolicyGraph::StoragePtr::StoragePtr(const StoragePtr& o)
    : p_(std::make_unique<GraphStorage>(*o.p_)) {}
PolicyGraph::StoragePtr::StoragePtr(StoragePtr&& o) noexcept = default;
PolicyGraph::StoragePtr& PolicyGraph::StoragePtr::operator=(const StoragePtr& o) {
  p_ = std::make_unique<GraphStorage>(*o.p_);
  return *this;
}
PolicyGraph::StoragePtr& PolicyGraph::StoragePtr::operator=(StoragePtr&& o) noexcept = default;
PolicyGraph::StoragePtr::~StoragePtr() = default;

Node& PolicyGraph::mutable_node(Vertex v) {
  return g_->g[v];
}
const Node& PolicyGraph::node(Vertex v) const {
  return g_->g[v];
}
std::size_t PolicyGraph::vertex_count() const {
  return boost::num_vertices(g_->g);
}
std::size_t PolicyGraph::edge_count() const {
  return boost::num_edges(g_->g);
}
std::size_t PolicyGraph::in_degree(Vertex v) const {
  return boost::in_degree(v, g_->g);
}

PolicyGraph::Vertex PolicyGraph::add_node(Node node) {
  auto it = by_id_.find(node.id);
  if (it != by_id_.end()) return it->second;
  std::string id = node.id;
  classes_ = classes_ || is_class(node.kind);
  Vertex v = boost::add_vertex(node, g_->g);
  by_id_.emplace(std::move(id), v);
  return v;
}

void PolicyGraph::add_to_edge(Vertex from, Vertex to, const PortSet& ports,
                              const std::vector<Provenance>& egress,
                              const std::vector<Provenance>& ingress) {
  if (ports.empty()) return;
  Edge* found = find_edge(from, to);
  if (!found) {
    if (boost::num_edges(g_->g) >= max_edges)
      throw Error("the effective graph would have more than " + std::to_string(max_edges) +
                  " edges: this input lets some " + std::to_string(boost::num_vertices(g_->g)) +
                  " nodes talk to most of the others, and each pair is an edge (diff "
                  "compares pair by pair; the other commands hold alike services as classes "
                  "past --max-pairs) (docs/performance.md, \"Dense inputs\")");
    found = &g_->g[boost::add_edge(from, to, Edge{}, g_->g).first];
  }
  Edge& edge = *found;
  edge.ports = edge.ports.unite(ports);
  add_unique(edge.egress, egress);
  add_unique(edge.ingress, ingress);
}

namespace {
void add_block(std::vector<ExternalEntry>& entries, const IpBlock& block, const PortSet& ports) {
  auto same = std::find_if(entries.begin(), entries.end(),
                           [&](const ExternalEntry& x) { return x.block == block; });
  if (same != entries.end())
    same->ports = same->ports.unite(ports);
  else
    entries.push_back(ExternalEntry{block, ports});
}
}  // namespace

void PolicyGraph::add_entry(Vertex v, const IpBlock& block, const PortSet& ports) {
  add_block(g_->g[v].entries, block, ports);
}

void PolicyGraph::add_edge_block(Vertex from, Vertex to, const IpBlock& block,
                                 const PortSet& ports) {
  auto e = find_edge(from, to);
  if (e && !ports.empty()) add_block(e->blocks, block, ports);
}

Edge* PolicyGraph::find_edge(Vertex from, Vertex to) const {
  BoostGraph& graph = g_->g;
  if (boost::out_degree(from, graph) <= boost::in_degree(to, graph)) {
    for (auto e : boost::make_iterator_range(boost::out_edges(from, graph)))
      if (boost::target(e, graph) == to) return &graph[e];
  } else {
    for (auto e : boost::make_iterator_range(boost::in_edges(to, graph)))
      if (boost::source(e, graph) == from) return &graph[e];
  }
  return nullptr;
}

std::optional<PolicyGraph::Vertex> PolicyGraph::find(const std::string& id) const {
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return std::nullopt;
  return it->second;
}

std::vector<PolicyGraph::Vertex> PolicyGraph::sources_of(Vertex v) const {
  std::vector<Vertex> out;
  for (auto e : boost::make_iterator_range(boost::in_edges(v, g_->g)))
    out.push_back(boost::source(e, g_->g));
  std::sort(out.begin(), out.end(), [&](Vertex a, Vertex b) { return rank_[a] < rank_[b]; });
  return out;
}

std::vector<PolicyGraph::Vertex> PolicyGraph::targets_of(Vertex v) const {
  std::vector<Vertex> out;
  for (auto e : boost::make_iterator_range(boost::out_edges(v, g_->g)))
    out.push_back(boost::target(e, g_->g));
  std::sort(out.begin(), out.end(), [&](Vertex a, Vertex b) { return rank_[a] < rank_[b]; });
  return out;
}

std::optional<PolicyGraph::Vertex> PolicyGraph::senders_of(Vertex v) const {
  if (!classes_) return std::nullopt;
  for (auto e : boost::make_iterator_range(boost::out_edges(v, g_->g)))
    if (g_->g[boost::target(e, g_->g)].kind == NodeKind::ClassSenders)
      return boost::target(e, g_->g);
  return std::nullopt;
}

std::optional<PolicyGraph::Vertex> PolicyGraph::receivers_of(Vertex v) const {
  if (!classes_) return std::nullopt;
  for (auto e : boost::make_iterator_range(boost::in_edges(v, g_->g)))
    if (g_->g[boost::source(e, g_->g)].kind == NodeKind::ClassReceivers)
      return boost::source(e, g_->g);
  return std::nullopt;
}

namespace {
// A member's keys for the rules at `positions`.
std::vector<Provenance> member_keys(const std::vector<std::vector<Provenance>>& rules,
                                    const std::vector<std::uint32_t>& positions) {
  std::vector<Provenance> out;
  for (std::uint32_t i : positions) add_unique(out, rules.at(i));
  return out;
}
}  // namespace

Edge* PolicyGraph::hop_lookup(Vertex from, Vertex to, bool& through_senders,
                              bool& through_receivers) const {
  through_senders = through_receivers = false;
  if (from == to) return nullptr;
  if (Edge* e = find_edge(from, to)) return e;
  auto s = senders_of(from), destination = receivers_of(to);
  if (!s && !destination) return nullptr;
  through_senders = s.has_value();
  through_receivers = destination.has_value();
  return find_edge(s ? *s : from, destination ? *destination : to);
}

const PortSet* PolicyGraph::hop_ports(Vertex from, Vertex to) const {
  bool s = false, d = false;
  auto e = hop_lookup(from, to, s, d);
  return e ? &e->ports : nullptr;
}

std::optional<Edge> PolicyGraph::hop_edge(Vertex from, Vertex to) const {
  bool s = false, d = false;
  auto e = hop_lookup(from, to, s, d);
  if (!e) return std::nullopt;
  Edge out = *e;
  // Without rule positions (policies off) the class edge's own keys hold for every member.
  if (s && !out.egress_rules.empty())
    out.egress = member_keys(g_->g[from].egress_rules, out.egress_rules);
  if (d && !out.ingress_rules.empty())
    out.ingress = member_keys(g_->g[to].ingress_rules, out.ingress_rules);
  out.egress_rules.clear();
  out.ingress_rules.clear();
  return out;
}

std::vector<PolicyGraph::Vertex> PolicyGraph::hops(Vertex v, bool forward) const {
  auto next = [&](Vertex u) { return forward ? targets_of(u) : sources_of(u); };
  if (!classes_) return next(v);
  // Through the class node on v's side (receivers before v, senders after it), one more
  // step: the class edge's other end.
  const NodeKind through = forward ? NodeKind::ClassSenders : NodeKind::ClassReceivers;
  std::vector<Vertex> out;
  for (Vertex u : next(v)) {
    if (g_->g[u].kind != through) {
      out.push_back(u);
      continue;
    }
    for (Vertex w : next(u))
      if (w != v) out.push_back(w);
  }
  std::sort(out.begin(), out.end(), [&](Vertex a, Vertex b) { return rank_[a] < rank_[b]; });
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

namespace {
int kind_rank(NodeKind kind) {
  switch (kind) {
    case NodeKind::AnySource:
      return 0;
    case NodeKind::NsPods:
      return 1;
    case NodeKind::Selector:
      return 2;
    case NodeKind::Service:
      return 3;
    case NodeKind::ClassSenders:
    case NodeKind::ClassReceivers:
      return 4;
    case NodeKind::External:
      return 5;
    case NodeKind::Otlp:
      return 6;
    case NodeKind::Dns:
      return 7;
  }
  return 8;
}
}  // namespace

void PolicyGraph::finish(const std::vector<std::string>& service_order,
                         const std::vector<std::string>& external_order) {
  // Positions by name, looked up once per node (not per comparison).
  auto positions = [](const std::vector<std::string>& order) {
    std::unordered_map<std::string, std::size_t> out;
    for (std::size_t i = 0; i < order.size(); ++i) out.emplace(order[i], i);
    return out;
  };
  const auto service_pos = positions(service_order), external_pos = positions(external_order);
  auto list_rank = [&](const Node& node) -> std::size_t {
    if (is_class(node.kind)) return service_pos.at(g_->g[node.members.front()].id);
    const auto* pos = node.kind == NodeKind::Service    ? &service_pos
                      : node.kind == NodeKind::External ? &external_pos
                                                        : nullptr;
    if (!pos) return 0;
    // Anywhere after every address block: the specific before the widest.
    if (node.id == kAnywhereId) return external_order.size() + 1;
    auto it = pos->find(node.kind == NodeKind::Service ? node.id : node.label);
    return it == pos->end()
               ? (node.kind == NodeKind::Service ? service_order.size() : external_order.size())
               : it->second;
  };
  std::vector<std::pair<int, std::size_t>> key(boost::num_vertices(g_->g));
  order_.clear();
  for (auto v : boost::make_iterator_range(boost::vertices(g_->g))) {
    order_.push_back(v);
    key[v] = {kind_rank(g_->g[v].kind), list_rank(g_->g[v])};
  }
  std::sort(order_.begin(), order_.end(), [&](Vertex a, Vertex b) {
    if (key[a] != key[b]) return key[a] < key[b];
    return g_->g[a].id < g_->g[b].id;
  });
  rank_.assign(boost::num_vertices(g_->g), 0);
  for (std::size_t i = 0; i < order_.size(); ++i) rank_[order_[i]] = i;
  for (auto v : order_) {
    auto& entries = g_->g[v].entries;
    std::sort(entries.begin(), entries.end(), [](const ExternalEntry& a, const ExternalEntry& b) {
      return std::tie(a.block.cidr, a.block.except) < std::tie(b.block.cidr, b.block.except);
    });
  }
  edge_order_.clear();
  for (auto e : boost::make_iterator_range(boost::edges(g_->g)))
    edge_order_.push_back(EdgeRef{boost::source(e, g_->g), boost::target(e, g_->g)});
  std::sort(edge_order_.begin(), edge_order_.end(), [&](EdgeRef a, EdgeRef b) {
    return std::make_pair(rank_[a.from], rank_[a.to]) < std::make_pair(rank_[b.from], rank_[b.to]);
  });
}

bool address_node(const Node& n) {
  return n.kind == NodeKind::External || n.kind == NodeKind::Otlp;
}

AccessMap edge_addresses(const PolicyGraph& graph, PolicyGraph::EdgeRef ref, bool to_side) {
  AccessMap out;
  const Edge& edge = graph.edge(ref);
  const Node& n = graph.node(to_side ? ref.to : ref.from);
  if (n.id == kAnywhereId) {
    out.grant(Endpoints::every(), edge.ports);
    return out;
  }
  for (const auto& b : edge.blocks)
    out.grant_addresses(AddressSet::of(b.block), b.ports.intersect(edge.ports));
  return out;
}

}  // namespace netpol::graph
