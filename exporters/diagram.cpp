#include "exporters/diagram.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "error.hpp"
#include "suggest.hpp"
#include "text.hpp"

namespace netpol::exporters {

using graph::NodeKind;
using Vertex = graph::PolicyGraph::Vertex;

std::string look_description(Look look) {
  switch (look) {
    case Look::Service:
      return "chart service";
    case Look::ExposedService:
      return "chart service reachable from any source";
    case Look::AnySource:
      return "any source (the internet included)";
    case Look::Source:
      return "pods selected by a rule";
    case Look::UnknownPeer:
      return "peer that names no chart service";
    case Look::External:
      return "external destination";
    case Look::OpenWorld:
      return "open to any address (0.0.0.0/0, ::/0)";
    case Look::Otlp:
      return "OTLP collector";
    case Look::Dns:
      return "DNS";
    case Look::ServiceClass:
      return "services that every policy treats alike: an edge through it stands for each "
             "pair of members";
  }
  return "";
}

namespace {

bool open_world(const graph::Node& n) {
  if (n.id == graph::kAnywhereId) return true;
  return std::any_of(n.entries.begin(), n.entries.end(),
                     [](const graph::ExternalEntry& e) { return e.block.cidr.is_everything(); });
}

std::vector<std::string> lines_of(const graph::Node& n) {
  std::vector<std::string> lines = {n.label};
  if (graph::is_class(n.kind))
    lines.push_back("(a class of " + std::to_string(n.members.size()) + ")");
  if (n.unknown_peer) lines.push_back("(not a chart service)");
  for (const auto& e : n.entries) {
    std::string block = e.block.str();
    if (e.block.cidr.is_everything() && e.block.except.empty()) block += " (any address)";
    if (block != n.label) lines.push_back(block);
    if (!e.ports.empty()) lines.push_back(e.ports.label());
  }
  return lines;
}

Look look_of(const graph::Node& n, bool exposed) {
  switch (n.kind) {
    case NodeKind::Service:
      return exposed ? Look::ExposedService : Look::Service;
    case NodeKind::AnySource:
      return Look::AnySource;
    case NodeKind::NsPods:
      return Look::Source;
    case NodeKind::Selector:
      return n.unknown_peer ? Look::UnknownPeer : Look::Source;
    case NodeKind::External:
      return open_world(n) ? Look::OpenWorld : Look::External;
    case NodeKind::Otlp:
      return open_world(n) ? Look::OpenWorld : Look::Otlp;
    case NodeKind::Dns:
      return Look::Dns;
    case NodeKind::ClassSenders:
    case NodeKind::ClassReceivers:
      return Look::ServiceClass;
  }
  return Look::Service;
}

// The ports on which every service reaches `to` alike, when there are two services or more.
std::optional<graph::PortSet> shared_ports(const graph::Analysis& a, Vertex to) {
  if (a.chart.services.size() < 2) return std::nullopt;
  std::optional<graph::PortSet> shared;
  for (const auto& s : a.chart.services) {
    if (s.ns != a.chart.ns) return std::nullopt;  // drawn outside the namespace cluster
    Vertex v = *a.graph.find(s.name);
    if (!a.graph.has_edge(v, to)) return std::nullopt;
    const graph::PortSet& p = a.graph.edge({v, to}).ports;
    if (shared && *shared != p) return std::nullopt;
    shared = p;
  }
  return shared;
}

// Every node and edge, before the picture is fitted to its size.
Diagram draw(const graph::Analysis& a, const DiagramOptions& options) {
  const graph::PolicyGraph& pg = a.graph;
  Diagram d;
  d.disabled = !pg.policies_enabled;
  d.namespace_label = "namespace " + pg.ns;
  if (d.disabled) {
    d.title = "NETWORK POLICIES DISABLED: all traffic is allowed";
    d.namespace_label += ": every pod may reach every pod on every port";
  } else {
    d.title = "Traffic the network policies allow";
  }
  auto any_source = pg.find(std::string(graph::kAnySourceId));
  // A class is drawn as one node: its receivers node's edges go to its senders node (the
  // class edge within the class is then a loop).
  std::map<std::string, std::string> drawn_as;
  for (Vertex v : pg.nodes()) {
    const graph::Node& n = pg.node(v);
    if (n.kind != NodeKind::ClassReceivers) continue;
    std::string senders = std::string(graph::kClassSendersPrefix) + pg.node(n.members.front()).id;
    if (pg.find(senders)) drawn_as[n.id] = senders;
  }
  auto id_of = [&](Vertex v) -> const std::string& {
    auto it = drawn_as.find(pg.node(v).id);
    return it == drawn_as.end() ? pg.node(v).id : it->second;
  };
  std::map<Vertex, std::set<std::size_t>> members;
  for (Vertex v : pg.nodes())
    if (graph::is_class(pg.node(v).kind))
      members[v].insert(pg.node(v).members.begin(), pg.node(v).members.end());
  std::set<Look> looks;
  for (Vertex v : pg.nodes()) {
    const graph::Node& n = pg.node(v);
    if (drawn_as.count(n.id)) continue;
    bool exposed = a.exposed_directly(v);
    DiagramNode dn{n.id, lines_of(n), look_of(n, exposed), Place::Between, {}};
    bool has_in = !pg.sources_of(v).empty(), has_out = !pg.targets_of(v).empty();
    if ((n.kind == NodeKind::Service && n.other_ns.empty()) || graph::is_class(n.kind))
      dn.place = Place::Namespace;
    else if (!has_in)
      dn.place = Place::Source;
    else if (!has_out)
      dn.place = Place::Destination;
    looks.insert(dn.look);
    d.nodes.push_back(std::move(dn));
  }
  d.legend.assign(looks.begin(), looks.end());

  auto warning_to = [&](Vertex to) {
    Look l = look_of(pg.node(to), false);
    return l == Look::OpenWorld;
  };
  if (d.disabled) {
    // One edge in and one out of the namespace say it all; JSON lists every edge.
    const std::string any(graph::kAnySourceId), anywhere(graph::kAnywhereId);
    if (any_source) d.edges.push_back({any, "", "all ports", true, false});
    if (pg.find(anywhere)) d.edges.push_back({"", anywhere, "all ports", true, false});
    for (const auto& s : a.chart.services) {
      d.edges.push_back({any, s.name, "", false, true});
      d.edges.push_back({s.name, anywhere, "", false, true});
    }
    return d;
  }
  // Destinations every service reaches alike get one edge from the namespace.
  std::set<Vertex> grouped;
  std::vector<DiagramEdge> group_edges;
  if (!options.every_edge) {
    for (Vertex v : pg.nodes()) {
      if (pg.node(v).kind == NodeKind::Service || graph::is_class(pg.node(v).kind)) continue;
      if (auto ports = shared_ports(a, v)) {
        grouped.insert(v);
        group_edges.push_back(
            {"", pg.node(v).id, "every service: " + ports->label(), warning_to(v)});
      }
    }
  }
  for (const auto& e : pg.edges()) {
    if (grouped.count(e.to) && pg.node(e.from).kind == NodeKind::Service) continue;
    bool warning = pg.node(e.from).kind == NodeKind::AnySource || warning_to(e.to);
    // A member's edge to or from its own class carries no label: the class's edges say
    // the ports.
    bool membership = (graph::is_class(pg.node(e.to).kind) && members.at(e.to).count(e.from)) ||
                      (graph::is_class(pg.node(e.from).kind) && members.at(e.from).count(e.to));
    d.edges.push_back(
        {id_of(e.from), id_of(e.to), membership ? "" : pg.edge(e).ports.label(), warning});
  }
  d.edges.insert(d.edges.end(), group_edges.begin(), group_edges.end());
  return d;
}

bool is_service(const DiagramNode& n) {
  return n.look == Look::Service || n.look == Look::ExposedService;
}

// Member names, several to a line, at most kListed of them.
std::vector<std::string> member_lines(const std::vector<std::string>& members) {
  constexpr std::size_t kWidth = 48, kListed = 40;
  std::vector<std::string> lines = {std::to_string(members.size()) + " services, same edges"};
  std::string line;
  for (std::size_t i = 0; i < members.size() && i < kListed; ++i) {
    std::string item = members[i] + (i + 1 < members.size() ? "," : "");
    if (!line.empty() && line.size() + 1 + item.size() > kWidth) {
      lines.push_back(line);
      line.clear();
    }
    line += (line.empty() ? "" : " ") + item;
  }
  if (!line.empty()) lines.push_back(line);
  if (members.size() > kListed)
    lines.push_back("and " + std::to_string(members.size() - kListed) + " more");
  return lines;
}

std::string count_text(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// Services (in the namespace, or each other namespace) whose edges are the same, to the
// same nodes with the same ports, become one node "netpol-graph:group:FIRST" listing its
// members; edges to and from members become one edge to and from the group. Returns how
// many services were folded into groups.
std::size_t group_services(Diagram& d) {
  // A service's signature: how it looks, where it stands, and its edges (other end, label,
  // style), sorted.
  std::map<std::string, std::vector<std::string>> edges_of;
  auto add = [&](const std::string& node, char direction, const std::string& other,
                 const DiagramEdge& e) {
    edges_of[node].push_back(std::string(1, direction) + other + '\x1f' + e.label + '\x1f' +
                             (e.warning ? "w" : "") + (e.invisible ? "i" : ""));
  };
  for (const auto& e : d.edges) {
    if (!e.from.empty()) add(e.from, '>', e.to, e);
    if (!e.to.empty()) add(e.to, '<', e.from, e);
  }
  std::map<std::string, std::size_t> group_of_signature;  // signature -> index in d.nodes
  std::map<std::string, std::string> renamed;             // member id -> group id
  std::vector<DiagramNode> nodes;
  for (auto& n : d.nodes) {
    if (!is_service(n)) {
      nodes.push_back(std::move(n));
      continue;
    }
    std::vector<std::string>& edges = edges_of[n.id];
    std::sort(edges.begin(), edges.end());
    auto slash = n.id.find('/');
    std::string signature = std::to_string(static_cast<int>(n.look)) + ' ' +
                            std::to_string(static_cast<int>(n.place)) + ' ' +
                            (slash == std::string::npos ? "" : n.id.substr(0, slash));
    for (const auto& e : edges) signature += '\x1e' + e;
    auto [it, fresh] = group_of_signature.emplace(signature, nodes.size());
    if (fresh) {
      nodes.push_back(std::move(n));
      continue;
    }
    DiagramNode& group = nodes[it->second];
    if (group.members.empty()) {
      group.members.push_back(group.id);
      group.id = "netpol-graph:group:" + group.id;
      renamed[group.members.front()] = group.id;
    }
    group.members.push_back(n.id);
    renamed[n.id] = group.id;
  }
  std::size_t folded = 0;
  for (auto& n : nodes)
    if (!n.members.empty()) {
      n.lines = member_lines(n.members);
      folded += n.members.size();
    }
  d.nodes = std::move(nodes);
  // Edges: members' edges become the group's, once each.
  std::set<std::pair<std::string, std::string>> drawn;
  std::vector<DiagramEdge> edges;
  for (auto& e : d.edges) {
    if (auto it = renamed.find(e.from); it != renamed.end()) e.from = it->second;
    if (auto it = renamed.find(e.to); it != renamed.end()) e.to = it->second;
    if (drawn.insert({e.from, e.to}).second) edges.push_back(std::move(e));
  }
  d.edges = std::move(edges);
  return folded;
}

}  // namespace

Focus::Focus(const std::vector<std::string>& ids, const std::vector<std::string>& namespace_ids,
             const std::vector<std::pair<std::string, std::string>>& edges,
             const std::vector<std::string>& focus, std::size_t hops)
    : hops_(hops) {
  std::set<std::string> known(ids.begin(), ids.end());
  for (const auto& f : focus)
    if (!known.count(f)) {
      std::string near = did_you_mean(f, ids);
      throw Error("--focus: no node \"" + one_line(f) + "\" in the picture" +
                  (near.empty() ? "" : " (did you mean \"" + one_line(near) + "\"?)") +
                  "; node ids are those of `graph --format json`");
    }
  std::map<std::string, std::vector<std::string>> next;
  auto ends = [&](const std::string& id) {
    return id.empty() ? namespace_ids : std::vector<std::string>{id};
  };
  for (const auto& [from, to] : edges)
    for (const auto& a : ends(from))
      for (const auto& b : ends(to)) {
        next[a].push_back(b);
        next[b].push_back(a);
      }
  std::vector<std::string> ring;
  for (const auto& f : focus)
    if (distance_.emplace(f, 0).second) ring.push_back(f);
  for (std::size_t h = 1; h <= hops && !ring.empty(); ++h) {
    std::vector<std::string> further;
    for (const auto& id : ring)
      for (const auto& n : next[id])
        if (distance_.emplace(n, h).second) further.push_back(n);
    ring = std::move(further);
  }
  for (const auto& id : namespace_ids)
    if (auto d = distance(id); d && (!namespace_distance_ || *d < *namespace_distance_))
      namespace_distance_ = d;
}

std::optional<std::size_t> Focus::distance(const std::string& id) const {
  if (id.empty()) return namespace_distance_;
  auto it = distance_.find(id);
  if (it == distance_.end()) return std::nullopt;
  return it->second;
}

bool Focus::keeps(const std::string& from, const std::string& to) const {
  auto a = distance(from), b = distance(to);
  return a && b && std::min(*a, *b) < hops_;
}

std::string focus_note(const std::vector<std::string>& focus, std::size_t hops, std::size_t kept,
                       std::size_t all) {
  std::string names;
  for (const auto& f : focus) names += (names.empty() ? "" : ", ") + f;
  return "focused on " + names + " (" + count_text(hops, "hop", "hops") +
         "): " + std::to_string(kept) + " of " + count_text(all, "node", "nodes");
}

namespace {
// A reach answer's paths marked on a drawn picture: their nodes and hops, the rest faded.
// A hop from a service to a destination every service reaches is the namespace's edge.
void mark_paths(Diagram& d, const std::vector<std::vector<std::string>>& paths) {
  std::set<std::pair<std::string, std::string>> hops;
  std::set<std::string> on;
  for (const auto& path : paths)
    for (std::size_t i = 0; i < path.size(); ++i) {
      on.insert(path[i]);
      if (i + 1 < path.size()) hops.insert({path[i], path[i + 1]});
    }
  std::vector<std::string> in_namespace;
  for (auto& n : d.nodes) {
    n.faded = !on.count(n.id);
    if (n.place == Place::Namespace) in_namespace.push_back(n.id);
  }
  for (auto& e : d.edges) {
    if (e.invisible) continue;
    e.on_path = hops.count({e.from, e.to}) > 0;
    if (e.from.empty())
      for (const auto& s : in_namespace) e.on_path = e.on_path || hops.count({s, e.to}) > 0;
    e.faded = !e.on_path;
  }
}

// The focus applied to a drawn picture (before it is fitted to its size).
void focus_on(Diagram& d, const DiagramOptions& options) {
  d.notes.push_back(keep_focused(
      d.nodes, d.edges, options, [](const DiagramNode& n) { return n.id; },
      [](const DiagramNode& n) { return n.place == Place::Namespace; }));
  std::set<Look> looks;
  for (const auto& n : d.nodes) looks.insert(n.look);
  d.legend.assign(looks.begin(), looks.end());
}
}  // namespace

const char* layout_name(Layout layout) {
  return layout == Layout::Sfdp ? "sfdp" : "dot";
}

Diagram make_diagram(const graph::Analysis& a, const DiagramOptions& options) {
  Diagram d = draw(a, options);
  if (!options.focus.empty()) focus_on(d, options);
  if (!options.paths.empty() || !options.caption.empty()) {
    mark_paths(d, options.paths);
    d.notes.push_back(options.caption);
  }
  std::size_t nodes = d.nodes.size();
  if (nodes <= options.max_nodes && options.layout != Layout::Sfdp) return d;
  std::string why = count_text(nodes, "node", "nodes") + " (more than --max-nodes " +
                    std::to_string(options.max_nodes) + ")";
  std::vector<std::string> notes;
  if (nodes > options.max_nodes && options.group && options.paths.empty()) {
    std::size_t groups_before = d.nodes.size();
    std::size_t folded = group_services(d);
    if (folded > 0)
      notes.push_back(count_text(folded, "service", "services") + " with the same edges drawn as " +
                      count_text(folded - (groups_before - d.nodes.size()), "node", "nodes") +
                      " (--no-group draws each)");
  }
  if (options.layout == Layout::Sfdp ||
      (options.layout == Layout::Auto && d.nodes.size() > options.max_nodes)) {
    d.layout = Layout::Sfdp;
    notes.push_back(
        "laid out with sfdp, ports in each edge's tooltip (--layout dot: ranks, "
        "ports on the edges, slow)");
  }
  if (nodes > options.max_nodes) notes.insert(notes.begin(), why);
  d.notes.insert(d.notes.end(), notes.begin(), notes.end());
  return d;
}

}  // namespace netpol::exporters
