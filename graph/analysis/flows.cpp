#include "graph/analysis/flows.hpp"

#include <algorithm>
#include <iterator>
#include <map>
#include <optional>
#include <tuple>
#include <unordered_map>

#include "graph/analysis/analysis.hpp"
#include "graph/sets/cidr.hpp"

namespace netpol::graph {

namespace {

using Vertex = PolicyGraph::Vertex;

// A flow end's address as a one-address block (read_flows checked it), or none.
std::optional<Cidr> flow_address(const FlowEnd& end) {
  if (end.ip.empty()) return std::nullopt;
  return Cidr::parse(end.ip + (end.ip.find(':') == std::string::npos ? "/32" : "/128"));
}

// The addresses of a flow's two ends, parsed once for every edge it is tried on.
struct FlowAddresses {
  std::optional<Cidr> from, to;
};

// Where each end of a flow may be in the graph, and whether an edge between two such places
// allows the flow.
class FlowMap {
 public:
  explicit FlowMap(const Analysis& analysis)
      : g_(analysis.graph), services_(analysis.chart, analysis.graph.ns) {
    any_source_ = g_.find(std::string(kAnySourceId));
    anywhere_ = g_.find(std::string(kAnywhereId));
    dns_ = g_.find(std::string(kDnsId));
    for (Vertex v : g_.nodes()) {
      const Node& n = g_.node(v);
      if (n.pods && (n.kind == NodeKind::Selector || n.kind == NodeKind::NsPods))
        pod_nodes_.push_back(v);
      if (address_node(n) && n.id != kAnywhereId) address_nodes_.push_back(v);
    }
  }

  // The nodes that may stand for an end: its service; for another pod, the selectors that
  // hold it and any-source (as a source) or every destination (`anywhere`, DNS); for an
  // address, the address nodes and the same. Empty for a name the inputs do not have.
  std::vector<Vertex> places(const FlowEnd& end, bool source) const {
    std::vector<Vertex> out;
    if (const Service* s = service_of(end)) {
      if (auto v = g_.find(s->name)) out.push_back(*v);
      return out;
    }
    if (end.named) return out;
    if (end.pod) {
      for (Vertex v : pod_nodes_)
        if (g_.node(v).pods->contains(end.ns_labels, end.labels)) out.push_back(v);
    } else {
      out.insert(out.end(), address_nodes_.begin(), address_nodes_.end());
    }
    for (const auto& v : source ? std::vector<std::optional<Vertex>>{any_source_}
                                : std::vector<std::optional<Vertex>>{anywhere_, dns_})
      if (v) out.push_back(*v);
    return out;
  }

  // Whether `v` is among the places of an address end (as places() lists them): an address
  // node, or any-source as a source, or anywhere or DNS as a destination.
  bool address_place(Vertex v, bool source) const {
    const Node& n = g_.node(v);
    if (address_node(n) && n.id != kAnywhereId) return true;
    return source ? v == any_source_ : (v == anywhere_ || v == dns_);
  }

  // The chart service an end is, if it is one.
  const Service* service(const FlowEnd& end) const { return service_of(end); }

  // Whether the edge u -> v allows `f`: its ports hold the flow's, and where an end of the
  // flow is an address held by an address node, one of the edge's blocks holds it on that port.
  bool allows(Vertex u, Vertex v, const Flow& flow, const FlowAddresses& addresses) const {
    const PortSet* ports = g_.hop_ports(u, v);
    if (!ports || !ports->contains(flow.protocol, flow.port)) return false;
    for (bool to_side : {false, true}) {
      const FlowEnd& end = to_side ? flow.to : flow.from;
      const Node& n = g_.node(to_side ? v : u);
      if (end.pod || !address_node(n) || n.id == kAnywhereId) continue;
      const std::optional<Cidr>& address = to_side ? addresses.to : addresses.from;
      const auto& blocks = g_.edge({u, v}).blocks;
      if (!address || std::none_of(blocks.begin(), blocks.end(), [&](const ExternalEntry& b) {
            return b.block.holds(*address) && b.ports.contains(flow.protocol, flow.port);
          }))
        return false;
    }
    return true;
  }

 private:
  const Service* service_of(const FlowEnd& end) const { return services_.of(end); }

  const PolicyGraph& g_;
  std::optional<Vertex> any_source_, anywhere_, dns_;
  std::vector<Vertex> pod_nodes_, address_nodes_;
  FlowServices services_;
};

std::string times_text(std::size_t n) {
  return n == 1 ? "once" : std::to_string(n) + " times";
}

}  // namespace

FlowServices::FlowServices(const Chart& chart, const std::string& ns) {
  for (const Service& service : chart.services) {
    by_name_.try_emplace(service.name, &service);
    if (!service.workload.empty())
      by_name_.try_emplace(service.ns + "/" + service.workload, &service);
    by_ns_[service.ns.empty() ? ns : service.ns].push_back(&service);
  }
}

const Service* FlowServices::of(const FlowEnd& end) const {
  if (end.named) {
    auto it = by_name_.find(end.name);
    return it == by_name_.end() ? nullptr : it->second;
  }
  if (!end.pod) return nullptr;
  std::string key = end.ns;
  for (const auto& [k, v] : end.labels) key += '\x1f' + k + '=' + v;
  auto [cached, fresh] = by_pod_.try_emplace(key, nullptr);
  if (!fresh) return cached->second;
  const Service* best = nullptr;
  auto in_ns = by_ns_.find(end.ns);
  if (in_ns != by_ns_.end())
    for (const Service* service : in_ns->second) {
      if (service->labels.empty()) continue;
      bool has_all = true;
      for (const auto& [k, v] : service->labels) {
        auto it = end.labels.find(k);
        has_all = has_all && it != end.labels.end() && it->second == v;
      }
      if (has_all && (!best || service->labels.size() > best->labels.size())) best = service;
    }
  return cached->second = best;
}

namespace {

// How often one denied flow or unknown name was seen, and where first.
struct Seen {
  const Flow* first = nullptr;
  std::size_t count = 0;
  bool dropped = false;
  std::string reach;  // a denied flow between two services: the reach command to explain it
};

// A denied flow: source, destination (a service's name where an end is one), protocol, port.
using DeniedKey = std::tuple<std::string, std::string, Protocol, int>;
struct DeniedHash {
  std::size_t operator()(const DeniedKey& key) const {
    const auto& [from, to, protocol, port] = key;
    return std::hash<std::string>()(from) * 31 + std::hash<std::string>()(to) * 7 +
           static_cast<std::size_t>(protocol) * 65537 + static_cast<std::size_t>(port);
  }
};

using Hop = std::pair<Vertex, Vertex>;

// What the flows did on the graph: the ports they used on each edge, and the denied flows and
// the names the inputs lack, each in the order first seen.
struct FlowTally {
  std::map<Hop, PortSet> used;
  std::unordered_map<DeniedKey, Seen, DeniedHash> denied;
  std::vector<DeniedKey> denied_order;
  std::map<std::string, Seen> unknown;
  std::vector<std::string> unknown_order;
};

// Places every flow on the graph's edges.
class Tallier {
 public:
  Tallier(const PolicyGraph& graph, const FlowMap& map) : graph_(graph), map_(map) {}

  FlowTally tally(const std::vector<Flow>& flows) {
    for (const Flow& flow : flows) add(flow);
    return std::move(tally_);
  }

 private:
  void add(const Flow& flow) {
    std::vector<Vertex> from = map_.places(flow.from, true), to = map_.places(flow.to, false);
    // A name the inputs lack is unknown; a pod or address no node holds is merely denied.
    const bool from_unknown = from.empty() && flow.from.named;
    if (from_unknown || (to.empty() && flow.to.named)) {
      const std::string name = from_unknown ? flow.from.shown() : flow.to.shown();
      Seen& seen = tally_.unknown[name];
      if (!seen.first) seen.first = &flow, tally_.unknown_order.push_back(name);
      seen.count += flow.count;
      return;
    }
    if (!place(flow, from, to)) add_denied(flow);
  }

  // Marks the ports `flow` used on every edge between its ends' places that allows it;
  // whether one did.
  bool place(const Flow& flow, const std::vector<Vertex>& from, const std::vector<Vertex>& to) {
    const FlowAddresses addresses{flow_address(flow.from), flow_address(flow.to)};
    bool allowed = false;
    auto try_hop = [&](Vertex u, Vertex v) {
      if (!map_.allows(u, v, flow, addresses)) return;
      allowed = true;
      tally_.used[{u, v}].add_range(flow.protocol, flow.port, flow.port);
    };
    // An address end may be any of the address nodes (thousands, once each service has its
    // own blocks): walk the other end's hops and keep those among them, not every pair.
    if (!flow.to.pod && !flow.to.named && to.size() > 8) {
      for (Vertex u : from)
        for (Vertex v : graph_.hop_targets(u))
          if (map_.address_place(v, false)) try_hop(u, v);
    } else if (!flow.from.pod && !flow.from.named && from.size() > 8) {
      for (Vertex v : to)
        for (Vertex u : graph_.hop_sources(v))
          if (map_.address_place(u, true)) try_hop(u, v);
    } else {
      for (Vertex u : from)
        for (Vertex v : to) try_hop(u, v);
    }
    return allowed;
  }

  void add_denied(const Flow& flow) {
    // Named by service where an end is one (a pod of it, whatever its replica), else as shown.
    auto name = [&](const FlowEnd& end) {
      const Service* service = map_.service(end);
      return service ? service->name : end.shown();
    };
    auto key = std::make_tuple(name(flow.from), name(flow.to), flow.protocol, flow.port);
    Seen& seen = tally_.denied[key];
    if (!seen.first) {
      seen.first = &flow;
      tally_.denied_order.push_back(key);
      // Between two services, the reach command that names the key blocking it.
      const Service* from_service = map_.service(flow.from);
      const Service* to_service = map_.service(flow.to);
      if (from_service && to_service)
        seen.reach = "`netpol-graph reach --from " + from_service->name + " --to " +
                     to_service->name + " --port " + std::string(protocol_name(flow.protocol)) +
                     "/" + std::to_string(flow.port) + " --explain` names the key that blocks it";
    }
    seen.count += flow.count;
    seen.dropped = seen.dropped || flow.dropped;
  }

  const PolicyGraph& graph_;
  const FlowMap& map_;
  FlowTally tally_;
};

void add_denied_flows(const FlowTally& tally, std::vector<Finding>& out) {
  for (const auto& key : tally.denied_order) {
    const auto& [from, to, protocol, port] = key;
    const Seen& seen = tally.denied.at(key);
    const std::string what = std::string(protocol_name(protocol)) + " " + std::to_string(port);
    Finding finding;
    finding.code = "denied-flow";
    finding.severity = severity_of(finding.code);
    finding.where = {"", seen.first->at};
    finding.subject = from + " -> " + to + " " + what;
    finding.message = from + " -> " + to + " on " + what + " was seen " + times_text(seen.count) +
                      " and no policy allows it: " +
                      (seen.dropped ? "Hubble saw it dropped, so it fails now"
                                    : "it will fail once these policies apply");
    finding.fix =
        "if it is needed, open it in the values of both ends: the source's egress and the "
        "destination's ingress" +
        (seen.reach.empty() ? std::string() : " (" + seen.reach + ")") +
        "; if not, find what sends it";
    out.push_back(std::move(finding));
  }
}

void add_unknown_endpoints(const FlowTally& tally, std::vector<Finding>& out) {
  for (const auto& name : tally.unknown_order) {
    const Seen& seen = tally.unknown.at(name);
    Finding finding;
    finding.code = "flow-unknown-endpoint";
    finding.severity = severity_of(finding.code);
    finding.where = {"", seen.first->at};
    finding.subject = name;
    finding.message = "\"" + name + "\" (in flows seen " + times_text(seen.count) +
                      ") is no service or workload of the inputs: those flows are left out";
    finding.fix =
        "name a chart service, or a workload as namespace/name; drop the flows of workloads "
        "that are gone";
    out.push_back(std::move(finding));
  }
}

// The graph's edges that flows used, seen from each edge: through its class edge for a pair
// held in classes (past --max-pairs), and through the keys that open it.
class UsedEdges {
 public:
  UsedEdges(const PolicyGraph& graph, const std::map<Hop, PortSet>& used)
      : graph_(graph), used_(used) {
    // Each key's first used edges: a key that opens an unused edge may open a used one too
    // (a namespaceSelector holding a workload that flows used and pods that none did). (A
    // pair of services held in classes has its keys from the class edge.)
    for (const auto& [ends, ports] : used) {
      std::optional<Edge> hop = graph.hop_edge(ends.first, ends.second);
      if (!hop) continue;
      for (const auto* keys : {&hop->egress, &hop->ingress})
        for (const Provenance& key : *keys) {
          auto& edges = by_key_[key.path];
          if (edges.size() < 2 && (edges.empty() || edges.front() != ends)) edges.push_back(ends);
        }
    }
    // The ports flows used through each class edge, on any of the pairs it holds.
    if (graph.has_classes())
      for (const auto& [ends, ports] : used)
        if (auto edge = edge_of(ends); edge != ends)
          class_used_[edge] = class_used_[edge].unite(ports);
  }

  // The ports flows used on the edge (of a class edge: on any pair it holds), or none.
  const PortSet* used_on(const Hop& edge, bool through_class) const {
    const auto& used_here = through_class ? class_used_ : used_;
    auto it = used_here.find(edge);
    return it == used_here.end() ? nullptr : &it->second;
  }

  // A used pair, drawn by another edge than `edge`, that the key at `path` also opens.
  std::optional<Hop> other_use(const std::string& path, const Hop& edge) const {
    if (path.empty()) return std::nullopt;
    auto by_key = by_key_.find(path);
    if (by_key == by_key_.end()) return std::nullopt;
    for (const auto& ends : by_key->second)
      if (edge_of(ends) != edge) return ends;
    return std::nullopt;
  }

 private:
  // The graph's edge that holds a pair: its own, or the class edge (as PolicyGraph::hop_edge).
  Hop edge_of(const Hop& ends) const {
    if (!graph_.has_classes() || graph_.has_edge(ends.first, ends.second)) return ends;
    auto senders = graph_.senders_of(ends.first);
    auto receivers = graph_.receivers_of(ends.second);
    return {senders ? *senders : ends.first, receivers ? *receivers : ends.second};
  }

  const PolicyGraph& graph_;
  const std::map<Hop, PortSet>& used_;
  std::map<std::string, std::vector<Hop>> by_key_;
  std::map<Hop, PortSet> class_used_;
};

// The pairs of services an edge holds: of a class edge, every member pair but a service with
// itself.
std::size_t pairs_held(const PolicyGraph& graph, Vertex from, Vertex to) {
  auto held = [&](Vertex v) {
    return is_class(graph.node(v).kind) ? graph.node(v).members : std::vector<std::size_t>{v};
  };
  std::vector<std::size_t> sources = held(from), destinations = held(to);
  std::sort(sources.begin(), sources.end());
  std::sort(destinations.begin(), destinations.end());
  std::vector<std::size_t> both;
  std::set_intersection(sources.begin(), sources.end(), destinations.begin(), destinations.end(),
                        std::back_inserter(both));
  return sources.size() * destinations.size() - both.size();
}

// The key that opened an edge: the destination's when it is a chart service, else the
// source's (of a class edge: those of its first pair); none for an edge no key opened.
std::optional<Provenance> opening_key(const PolicyGraph& graph, const PolicyGraph::EdgeRef& ref) {
  const NodeKind from_kind = graph.node(ref.from).kind, to_kind = graph.node(ref.to).kind;
  std::optional<Edge> first_pair;
  if (is_class(from_kind) || is_class(to_kind)) {
    const Vertex u = is_class(from_kind) ? graph.node(ref.from).members.front() : ref.from;
    Vertex v = ref.to;
    if (is_class(to_kind))
      for (Vertex member : graph.node(ref.to).members)
        if (member != u) {
          v = member;
          break;
        }
    first_pair = graph.hop_edge(u, v);
  }
  const Edge& keyed = first_pair ? *first_pair : graph.edge(ref);
  const std::vector<Provenance>& keys = !keyed.ingress.empty() ? keyed.ingress : keyed.egress;
  if (keys.empty()) return std::nullopt;
  return keys.front();
}

void add_unused_allowances(const Analysis& analysis, std::size_t flow_count, const FlowTally& tally,
                           std::vector<Finding>& out) {
  const PolicyGraph& graph = analysis.graph;
  const UsedEdges used(graph, tally.used);
  for (const auto& ref : graph.edges()) {
    const NodeKind from_kind = graph.node(ref.from).kind, to_kind = graph.node(ref.to).kind;
    // Into a senders node, out of a receivers node: a member joining its class, no access.
    if (to_kind == NodeKind::ClassSenders || from_kind == NodeKind::ClassReceivers) continue;
    const bool through_class = is_class(from_kind) || is_class(to_kind);
    // The chart renders DNS for every service whatever the values say: nothing to narrow.
    if (!analysis.chart.from_manifests && to_kind == NodeKind::Dns) continue;
    const Edge& edge = graph.edge(ref);
    const Hop ends{ref.from, ref.to};
    const PortSet* used_here = used.used_on(ends, through_class);
    PortSet unused = used_here ? edge.ports.subtract(*used_here) : edge.ports;
    if (unused.empty()) continue;
    const std::string from = graph.node(ref.from).id, to = graph.node(ref.to).id;
    Finding finding;
    finding.code = "unused-allowance";
    finding.severity = severity_of(finding.code);
    if (auto key = opening_key(graph, ref)) finding.where = *key;
    finding.subject = from + " -> " + to;
    finding.access = from + " -> " + to + " on " + unused.label();
    const std::string pairs =
        through_class
            ? " (one edge for " + std::to_string(pairs_held(graph, ref.from, ref.to)) + " pairs)"
            : "";
    finding.message =
        from + " -> " + to + pairs + " allows " + edge.ports.label() + "; " +
        (!used_here ? "no flow of the " + std::to_string(flow_count) + " read used it" +
                          (through_class ? " on any of its pairs" : "")
                    : unused.label() + " of it no flow used (" + used_here->label() + " did)");
    finding.fix = "if the window was long enough, narrow or remove the key that opens it";
    // Another edge its key opens that flows used (not this one, which they may use in part).
    if (auto other = used.other_use(finding.where.path, ends)) {
      const auto& [u, v] = *other;
      finding.message += "; its key also opens " + graph.node(u).id + " -> " + graph.node(v).id +
                         ", which flows used";
      finding.fix =
          "if the window was long enough, narrow the key that opens it to what the flows "
          "used (removing it would cut " +
          graph.node(u).id + " -> " + graph.node(v).id + " too)";
    }
    out.push_back(std::move(finding));
  }
}

}  // namespace

std::vector<Finding> check_flows(const Analysis& analysis, const std::vector<Flow>& flows) {
  const FlowMap map(analysis);
  const FlowTally tally = Tallier(analysis.graph, map).tally(flows);
  std::vector<Finding> out;
  add_denied_flows(tally, out);
  add_unknown_endpoints(tally, out);
  add_unused_allowances(analysis, flows.size(), tally, out);
  return out;
}

}  // namespace netpol::graph
