#include "exporters/diagram.hpp"

#include "exporters/diagram_stages.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>

#include "embedded.hpp"
#include "error.hpp"
#include "exporters/diagram_ids.hpp"
#include "exporters/palette.hpp"
#include "graph/analysis/holders.hpp"
#include "graph/analysis/pod_space.hpp"
#include "suggest.hpp"
#include "text.hpp"

namespace netpol::exporters {

using graph::NodeKind;
using Vertex = graph::PolicyGraph::Vertex;

std::string look_description(Look look, bool workloads) {
  const std::string service = workloads ? "workload" : "chart service";
  switch (look) {
    case Look::Service:
      return service;
    case Look::ExposedService:
      return service + " reachable from any source";
    case Look::AnySource:
      return "any source (the internet included)";
    case Look::Source:
      return "pods selected by a rule";
    case Look::UnknownPeer:
      return "peer that names no " + service;
    case Look::External:
      return "external destination";
    case Look::OpenWorld:
      return "open to any address (0.0.0.0/0, ::/0)";
    case Look::Otlp:
      return "OTLP collector";
    case Look::Dns:
      return "DNS";
    case Look::ServiceClass:
      return std::string(workloads ? "workloads" : "services") +
             " that every policy treats alike: an edge through it stands for each pair of "
             "members";
    case Look::Junction:
      return "where the edges of one bundle meet";
  }
  return "";
}

namespace {

// Widths count code points, not bytes, so a name in another script is not cut short.
std::size_t text_width(std::string_view t) {
  std::size_t n = 0;
  for (unsigned char c : t) n += (c & 0xC0) != 0x80;
  return n;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1)
    out.push_back(text.substr(start, nl - start));
  out.push_back(text.substr(start));
  return out;
}

DiagramEdge edge(std::string from, std::string to, std::string label, bool warning,
                 bool invisible = false) {
  DiagramEdge e;
  e.from = std::move(from);
  e.to = std::move(to);
  e.label = std::move(label);
  e.warning = warning;
  e.invisible = invisible;
  return e;
}

bool open_world(const graph::Node& node) {
  if (node.id == graph::kAnywhereId) return true;
  return std::any_of(node.entries.begin(), node.entries.end(),
                     [](const graph::ExternalEntry& e) { return e.block.cidr.is_everything(); });
}

std::vector<std::string> lines_of(const graph::Node& node) {
  std::vector<std::string> lines = {node.label};
  if (graph::is_class(node.kind))
    lines.push_back("(a class of " + std::to_string(node.members.size()) + ")");
  if (node.unknown_peer) lines.push_back("(not a chart service)");
  for (const auto& entry : node.entries) {
    std::string block = entry.block.str();
    if (entry.block.cidr.is_everything() && entry.block.except.empty()) block += " (any address)";
    if (block != node.label) lines.push_back(block);
    if (!entry.ports.empty()) lines.push_back(entry.ports.label());
  }
  return lines;
}

Look look_of(const graph::Node& node, bool exposed) {
  switch (node.kind) {
    case NodeKind::Service:
      return exposed ? Look::ExposedService : Look::Service;
    case NodeKind::AnySource:
      return Look::AnySource;
    case NodeKind::NsPods:
      return Look::Source;
    case NodeKind::Selector:
      return node.unknown_peer ? Look::UnknownPeer : Look::Source;
    case NodeKind::External:
      return open_world(node) ? Look::OpenWorld : Look::External;
    case NodeKind::Otlp:
      return open_world(node) ? Look::OpenWorld : Look::Otlp;
    case NodeKind::Dns:
      return Look::Dns;
    case NodeKind::ClassSenders:
    case NodeKind::ClassReceivers:
      return Look::ServiceClass;
  }
  return Look::Service;
}

}  // namespace

std::string input_names(const std::vector<std::string>& inputs) {
  std::vector<std::string> names;
  for (const std::string& input : inputs) {
    if (input.empty() || input == embedded::kChartValuesName) continue;  // the embedded chart
    std::string name = input;
    if (input == "<stdin>") {
      name = "standard input";
    } else if (input[0] == '<' || input.rfind("--set", 0) == 0 || input.rfind("/dev/", 0) == 0 ||
               input.rfind("/proc/", 0) == 0) {
      // A --set as given (its value may hold a '/'); a device or a pipe (`-f <(helm get
      // values x)` reads /dev/fd/63) by its whole path: its file name alone says nothing.
    } else if (const std::size_t slash = input.find_last_of('/');
               slash != std::string::npos && slash + 1 < input.size()) {
      name = input.substr(slash + 1);
    }
    names.push_back(one_line(name));
  }
  return names.empty() ? std::string("the chart's defaults") : join(names, ", ");
}

std::vector<std::string> other_boxes(const Diagram& diagram) {
  std::vector<std::string> boxes;
  for (const auto& n : diagram.nodes)
    if (!n.box.empty() && n.box != diagram.ns &&
        std::find(boxes.begin(), boxes.end(), n.box) == boxes.end())
      boxes.push_back(n.box);
  return boxes;
}

std::string inputs_line(const std::vector<std::string>& inputs) {
  return input_names(inputs) + ", netpol-graph " + NETPOL_VERSION;
}

namespace {

// The one namespace all of a selector node's pods are in (every cube names it by its name
// label), else "".
std::string only_namespace(const graph::Node& node) {
  if (!node.pods || node.pods->cubes().empty()) return "";
  std::string name;
  for (const graph::PodCube& cube : node.pods->cubes()) {
    auto it = cube.ns.find(std::string(graph::kNamespaceNameLabel));
    if (it == cube.ns.end() || it->second.others || it->second.values.size() != 1) return "";
    if (!name.empty() && name != it->second.values.front()) return "";
    name = it->second.values.front();
  }
  return name;
}

// A selector node drawn in the box of its one namespace, when its namespace selector says only
// that name: its pods said without the namespace, which the box's title says ("pods with
// app=metrics" in the box "namespace data"); the whole text goes to the tooltip.
void say_within_box(const graph::Node& node, DiagramNode& dn) {
  if (dn.box.empty() || !node.pods || node.pods_label.empty() || dn.lines.empty()) return;
  for (const graph::PodCube& c : node.pods->cubes())
    if (c.ns.size() != 1) return;  // another namespace label narrows it: keep the whole text
  if (node.pods_label == dn.lines.front()) return;
  dn.tooltip = join(dn.lines, " ");
  dn.lines.front() = node.pods_label;
}

// Every node and edge, each edge on its own, before the picture is bundled and fitted to
// its size; with `every_edge`, also the edges drawn elsewhere (below).
// A class is drawn as one node: its receivers node's edges go to its senders node (the class
// edge within the class is then a loop). Receivers node id -> the senders node's.
std::map<std::string, std::string> classes_drawn_as(const graph::PolicyGraph& pg) {
  std::map<std::string, std::string> drawn_as;
  for (Vertex v : pg.nodes()) {
    const graph::Node& n = pg.node(v);
    if (n.kind != NodeKind::ClassReceivers) continue;
    std::string senders = std::string(graph::kClassSendersPrefix) + pg.node(n.members.front()).id;
    if (pg.find(senders)) drawn_as[n.id] = senders;
  }
  return drawn_as;
}

// An edge of a selector (or address block) that a node holding all of its pods (or
// addresses) draws already, on the same ports or more, is drawn once, from that node
// (graph/analysis/holders.hpp): `sel:ns(team=ops) -> db` is left out beside `any-source -> db`
// on all ports, and so is a node left with no edge. Of two nodes of one set, the first drawn
// keeps the edge. And an edge between services whose ends are open to the world on its ports
// (the source's edge to any address, the destination's from any source) is said by those two.
struct DrawnElsewhere {
  std::set<std::pair<Vertex, Vertex>> edges;
  std::map<Vertex, int> degree;  // of each node, in the edges drawn
};

DrawnElsewhere edges_drawn_elsewhere(const graph::Analysis& analysis) {
  const graph::PolicyGraph& pg = analysis.graph;
  DrawnElsewhere out;
  const graph::Holders holders(analysis);
  const std::optional<Vertex> any_source = pg.find(std::string(graph::kAnySourceId));
  const std::optional<Vertex> anywhere = pg.find(std::string(graph::kAnywhereId));
  auto open_both = [&](Vertex from, Vertex to, const graph::PortSet& ports) {
    return any_source && anywhere && pg.has_edge(*any_source, to) && pg.has_edge(from, *anywhere) &&
           ports.subset_of(pg.edge({*any_source, to}).ports) &&
           ports.subset_of(pg.edge({from, *anywhere}).ports);
  };
  auto holds_all = [&](Vertex h, Vertex v, bool as_source) {
    return holders.covers(h, v, as_source) &&
           !(holders.covers(v, h, as_source) && pg.rank(v) < pg.rank(h));
  };
  for (const auto& edge : pg.edges()) {
    const graph::PortSet& ports = pg.edge(edge).ports;
    bool drawn = false;
    for (Vertex h : holders.of(edge.from, true))
      drawn = drawn || (holds_all(h, edge.from, true) && pg.has_edge(h, edge.to) &&
                        ports.subset_of(pg.edge({h, edge.to}).ports));
    // A service that may send anywhere on these ports, to one that admits any source on them:
    // its two open edges say this one already (a workload with no egress policy to one open
    // to the internet). Only a rule with no `to` (every pod and every address) or policies
    // off make an edge to `anywhere`; an ipBlock of 0.0.0.0/0, which holds no pod, does not.
    drawn = drawn ||
            (pg.node(edge.from).kind == NodeKind::Service && open_both(edge.from, edge.to, ports));
    for (Vertex h : holders.of(edge.to, false))
      drawn = drawn || (holds_all(h, edge.to, false) && pg.has_edge(edge.from, h) &&
                        ports.subset_of(pg.edge({edge.from, h}).ports));
    if (drawn) {
      out.edges.emplace(edge.from, edge.to);
    } else {
      ++out.degree[edge.from];
      ++out.degree[edge.to];
    }
  }
  return out;
}

// The nodes, each where it stands (the namespace, a source, a destination, a box of its own)
// and how it looks, and the legend of the looks drawn.
void draw_nodes(const graph::Analysis& analysis, const std::map<std::string, std::string>& drawn_as,
                const DrawnElsewhere& elsewhere, Diagram& diagram) {
  const graph::PolicyGraph& pg = analysis.graph;
  std::set<Look> looks;
  for (Vertex v : pg.nodes()) {
    const graph::Node& node = pg.node(v);
    if (drawn_as.count(node.id)) continue;
    if (!elsewhere.edges.empty() && !elsewhere.degree.count(v) &&
        (!pg.sources_of(v).empty() || !pg.targets_of(v).empty()))
      continue;  // every edge of it drawn elsewhere
    bool exposed = analysis.exposed_directly(v);
    DiagramNode dn;
    dn.id = node.id;
    dn.lines = lines_of(node);
    dn.look = look_of(node, exposed);
    bool has_in = !pg.sources_of(v).empty(), has_out = !pg.targets_of(v).empty();
    if (node.kind != NodeKind::Service || !node.other_ns.empty())
      dn.box = node.kind == NodeKind::Service ? node.other_ns : only_namespace(node);
    if (node.kind == NodeKind::Selector || node.kind == NodeKind::NsPods) say_within_box(node, dn);
    if ((node.kind == NodeKind::Service && node.other_ns.empty()) || graph::is_class(node.kind))
      dn.place = Place::Namespace;
    else if (!has_in)
      dn.place = Place::Source;
    else if (!has_out)
      dn.place = Place::Destination;
    looks.insert(dn.look);
    diagram.nodes.push_back(std::move(dn));
  }
  diagram.legend.assign(looks.begin(), looks.end());
}

// The edges, labelled with their ports (a warning from any source or to the open world); a
// member's edge to or from its own class carries no label: the class's edges say the ports.
void draw_edges(const graph::PolicyGraph& pg, const std::map<std::string, std::string>& drawn_as,
                const DrawnElsewhere& elsewhere, Diagram& diagram) {
  auto id_of = [&](Vertex v) -> const std::string& {
    auto it = drawn_as.find(pg.node(v).id);
    return it == drawn_as.end() ? pg.node(v).id : it->second;
  };
  std::map<Vertex, std::set<std::size_t>> members;
  for (Vertex v : pg.nodes())
    if (graph::is_class(pg.node(v).kind))
      members[v].insert(pg.node(v).members.begin(), pg.node(v).members.end());
  for (const auto& e : pg.edges()) {
    if (elsewhere.edges.count({e.from, e.to})) continue;
    bool warning = pg.node(e.from).kind == NodeKind::AnySource ||
                   look_of(pg.node(e.to), false) == Look::OpenWorld;
    bool membership = (graph::is_class(pg.node(e.to).kind) && members.at(e.to).count(e.from)) ||
                      (graph::is_class(pg.node(e.from).kind) && members.at(e.from).count(e.to));
    diagram.edges.push_back(
        edge(id_of(e.from), id_of(e.to), membership ? "" : pg.edge(e).ports.label(), warning));
  }
}

Diagram draw(const graph::Analysis& analysis, bool every_edge) {
  const graph::PolicyGraph& pg = analysis.graph;
  Diagram diagram;
  diagram.disabled = !pg.policies_enabled;
  diagram.namespace_label = "namespace " + pg.ns;
  diagram.ns = pg.ns;
  diagram.workloads = analysis.chart.from_manifests;
  if (diagram.disabled) {
    diagram.title = "NETWORK POLICIES DISABLED: all traffic is allowed";
    diagram.namespace_label += ": every pod may reach every pod on every port";
  } else {
    diagram.title = "Traffic the network policies allow";
  }
  diagram.source = inputs_line(analysis.inputs);
  const std::map<std::string, std::string> drawn_as = classes_drawn_as(pg);
  const DrawnElsewhere elsewhere =
      diagram.disabled || every_edge ? DrawnElsewhere{} : edges_drawn_elsewhere(analysis);
  draw_nodes(analysis, drawn_as, elsewhere, diagram);
  if (diagram.disabled) {
    // One edge in and one out of the namespace say it all; JSON lists every edge.
    const std::string any(graph::kAnySourceId), anywhere(graph::kAnywhereId);
    if (pg.find(any)) diagram.edges.push_back(edge(any, "", "all ports", true));
    if (pg.find(anywhere)) diagram.edges.push_back(edge("", anywhere, "all ports", true));
    for (const auto& s : analysis.chart.services) {
      diagram.edges.push_back(edge(any, s.name, "", false, true));
      diagram.edges.push_back(edge(s.name, anywhere, "", false, true));
    }
    return diagram;
  }
  draw_edges(pg, drawn_as, elsewhere, diagram);
  return diagram;
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
std::size_t group_services(Diagram& diagram) {
  // A service's signature: how it looks, where it stands, and its edges (other end, label,
  // style), sorted.
  std::map<std::string, std::vector<std::string>> edges_of;
  auto add = [&](const std::string& node, char direction, const std::string& other,
                 const DiagramEdge& edge) {
    edges_of[node].push_back(std::string(1, direction) + other + '\x1f' + edge.label + '\x1f' +
                             (edge.warning ? "w" : "") + (edge.invisible ? "i" : "") +
                             (edge.change ? std::to_string(static_cast<int>(*edge.change)) : ""));
  };
  for (const auto& e : diagram.edges) {
    if (!e.from.empty()) add(e.from, '>', e.to, e);
    if (!e.to.empty()) add(e.to, '<', e.from, e);
  }
  std::map<std::string, std::size_t> group_of_signature;  // signature -> index in d.nodes
  std::map<std::string, std::string> renamed;             // member id -> group id
  std::vector<DiagramNode> nodes;
  for (auto& node : diagram.nodes) {
    if (!is_service(node)) {
      nodes.push_back(std::move(node));
      continue;
    }
    std::vector<std::string>& edges = edges_of[node.id];
    std::sort(edges.begin(), edges.end());
    auto slash = node.id.find('/');
    std::string signature = std::string(node.removed ? "removed " : "") +
                            std::to_string(static_cast<int>(node.look)) + ' ' +
                            std::to_string(static_cast<int>(node.place)) + ' ' +
                            (slash == std::string::npos ? "" : node.id.substr(0, slash));
    for (const auto& e : edges) signature += '\x1e' + e;
    auto [it, fresh] = group_of_signature.emplace(signature, nodes.size());
    if (fresh) {
      nodes.push_back(std::move(node));
      continue;
    }
    DiagramNode& group = nodes[it->second];
    if (group.members.empty()) {
      group.members.push_back(group.id);
      group.id = diagram_ids::group(group.id);
      renamed[group.members.front()] = group.id;
    }
    group.members.push_back(node.id);
    renamed[node.id] = group.id;
  }
  std::size_t folded = 0;
  for (auto& n : nodes)
    if (!n.members.empty()) {
      n.lines = member_lines(n.members);
      folded += n.members.size();
    }
  diagram.nodes = std::move(nodes);
  // Edges: members' edges become the group's, once each.
  std::set<std::pair<std::string, std::string>> drawn;
  std::vector<DiagramEdge> edges;
  for (auto& e : diagram.edges) {
    if (auto it = renamed.find(e.from); it != renamed.end()) e.from = it->second;
    if (auto it = renamed.find(e.to); it != renamed.end()) e.to = it->second;
    if (drawn.insert({e.from, e.to}).second) edges.push_back(std::move(e));
  }
  diagram.edges = std::move(edges);
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
void mark_paths(Diagram& diagram, const std::vector<std::vector<std::string>>& paths) {
  std::set<std::pair<std::string, std::string>> hops;
  std::set<std::string> on;
  for (const auto& path : paths)
    for (std::size_t i = 0; i < path.size(); ++i) {
      on.insert(path[i]);
      if (i + 1 < path.size()) hops.insert({path[i], path[i + 1]});
    }
  std::vector<std::string> in_namespace;
  for (auto& n : diagram.nodes) {
    n.faded = !on.count(n.id);
    if (n.place == Place::Namespace) in_namespace.push_back(n.id);
  }
  for (auto& edge : diagram.edges) {
    if (edge.invisible) continue;
    edge.on_path = hops.count({edge.from, edge.to}) > 0;
    if (edge.from.empty())
      for (const auto& s : in_namespace)
        edge.on_path = edge.on_path || hops.count({s, edge.to}) > 0;
    edge.faded = !edge.on_path;
  }
}

// The focus applied to a drawn picture (before it is fitted to its size).
void focus_on(Diagram& diagram, const DiagramOptions& options) {
  diagram.notes.push_back(keep_focused(
      diagram.nodes, diagram.edges, options, [](const DiagramNode& n) { return n.id; },
      [](const DiagramNode& n) { return n.place == Place::Namespace; }));
  std::set<Look> looks;
  for (const auto& n : diagram.nodes) looks.insert(n.look);
  diagram.legend.assign(looks.begin(), looks.end());
}
}  // namespace

const char* layout_name(Layout layout) {
  return layout == Layout::Sfdp ? "sfdp" : "dot";
}

std::vector<std::string> wrap_label(const std::string& text, std::size_t max_lines,
                                    std::size_t line_width) {
  auto width = text_width;
  // The byte length of t's first `n` code points.
  auto prefix = [](std::string_view t, std::size_t n) {
    std::size_t i = 0;
    for (std::size_t seen = 0; i < t.size(); ++i) {
      if ((static_cast<unsigned char>(t[i]) & 0xC0) != 0x80) {
        if (seen == n) break;
        ++seen;
      }
    }
    return i;
  };
  std::vector<std::string> lines;
  std::string line;
  auto flush = [&] {
    if (!line.empty()) lines.push_back(std::move(line));
    line.clear();
  };
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t space = text.find(' ', start);
    // A protocol stays with its port: "TCP 443", never "TCP" / "443".
    if (space != std::string::npos) {
      const std::string_view first = std::string_view(text).substr(start, space - start);
      if (first == "TCP" || first == "UDP" || first == "SCTP") space = text.find(' ', space + 1);
    }
    // A parenthesis that fits a line is kept whole, as one word: "(any address)".
    if (space != std::string::npos && text[start] == '(' &&
        text.substr(start, space - start).find(')') == std::string::npos)
      if (std::size_t close = text.find(')', space); close != std::string::npos) {
        std::size_t end = text.find(' ', close);
        end = end == std::string::npos ? text.size() : end;
        if (width(std::string_view(text).substr(start, end - start)) <= line_width) space = end;
      }
    std::string_view word = std::string_view(text).substr(
        start, space == std::string::npos ? std::string::npos : space - start);
    start = space == std::string::npos || space >= text.size() ? text.size() + 1 : space + 1;
    if (word.empty()) continue;
    if (!line.empty() && width(line) + 1 + width(word) <= line_width) {
      line += ' ';
      line += word;
      continue;
    }
    flush();
    while (width(word) > line_width) {  // a word wider than a line: cut it
      std::size_t cut = prefix(word, line_width);
      // After the last separator that fits, where the word reads on ("otel-collector.").
      std::size_t after = word.substr(0, cut).find_last_of(".:/-");
      if (after != std::string_view::npos && after > 0) cut = after + 1;
      lines.emplace_back(word.substr(0, cut));
      word.remove_prefix(cut);
    }
    line = std::string(word);
  }
  flush();
  if (lines.size() > max_lines) {
    lines.resize(max_lines);
    std::string& last = lines.back();
    last = last.substr(0, prefix(last, line_width - 3)) + "...";
  }
  return lines;
}

std::vector<std::string> box_title_lines(const std::string& title) {
  return wrap_label(title, 4, kBoxTitleWidth);
}

std::vector<std::string> title_lines(const Diagram& diagram) {
  constexpr std::size_t kMostLines = 8;  // a note shortened after eight lines
  std::vector<std::string> lines;
  auto add = [&](const std::string& text) {
    for (auto& line : wrap_label(text, kMostLines, kTitleWidth)) lines.push_back(std::move(line));
  };
  const std::size_t colon = diagram.title.find(": ");
  if (text_width(diagram.title) > kTitleWidth && colon != std::string::npos) {
    add(diagram.title.substr(0, colon + 1));
    add(diagram.title.substr(colon + 2));
  } else {
    add(diagram.title);
  }
  if (!diagram.source.empty()) add(diagram.source);
  for (const auto& note : diagram.notes) add(note);
  return lines;
}

namespace {

// An edge label longer than this says who and what on two lines.
constexpr std::size_t kShortEdgeLabel = 20;

// `text` wrapped at `width`, a line for each of its "; "-separated parts at least ("0.0.0.0/0;"
// / "TCP 443"), at most `most` lines, the last ending in "..." when shortened.
std::vector<std::string> wrap_by_part(const std::string& text, std::size_t most,
                                      std::size_t width) {
  std::vector<std::string> lines;
  for (std::size_t start = 0; start <= text.size();) {
    std::size_t end = text.find("; ", start);
    std::string part = text.substr(start, end == std::string::npos ? end : end + 1 - start);
    for (auto& line : wrap_label(part, most, width)) lines.push_back(std::move(line));
    start = end == std::string::npos ? text.size() + 1 : end + 2;
  }
  if (lines.size() > most) {
    lines.resize(most);
    lines.back() = wrap_label(lines.back() + " ...", 1, width).front();
  }
  return lines;
}

// Whether no line opens a parenthesis another closes: "(other than the 6 services drawn)"
// stands on one line.
bool whole_parentheses(const std::vector<std::string>& lines) {
  return std::all_of(lines.begin(), lines.end(), [](const std::string& line) {
    return std::count(line.begin(), line.end(), '(') == std::count(line.begin(), line.end(), ')');
  });
}

// How many of `lines` but the last end in a word that leads into the next line ("all pods in"
// / "namespaces with env=x" reads worse than "all pods in namespaces" / "with env=x").
std::size_t dangling_words(const std::vector<std::string>& lines) {
  static const std::set<std::string_view> kLeading = {"a",  "and", "but", "by",  "for", "from",
                                                      "in", "of",  "on",  "the", "to",  "with"};
  std::size_t count = 0;
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
    const std::string_view line = lines[i];
    const std::size_t space = line.rfind(' ');
    if (kLeading.count(space == std::string_view::npos ? line : line.substr(space + 1)) != 0)
      ++count;
  }
  return count;
}

// `text` in as many lines as wrapping at `width` takes, each as short as that allows: "pods
// with app!=pod3" / "in every namespace", not "pods with app!=pod3 in every" / "namespace";
// of those, one where no line ends in a word that leads into the next, if there is one.
std::vector<std::string> balanced_wrap(const std::string& text, std::size_t width) {
  std::vector<std::string> lines = wrap_label(text, 4, width);
  std::vector<std::string> best = lines;
  for (std::size_t narrower = width - 1; narrower > 0; --narrower) {
    std::vector<std::string> tried = wrap_label(text, 4, narrower);
    if (tried.size() != lines.size() || join(tried, " ") != text) break;
    if (dangling_words(tried) <= dangling_words(best)) best = tried;
    lines = std::move(tried);
  }
  return best;
}

// Every label line at most kLabelWidth wide: node lines and edge labels wrap (a long
// selector, a list of CIDRs), the whole text goes to the tooltip.
void fit_labels(Diagram& diagram) {
  std::set<std::string> addresses;  // address destinations, whose labels wrap narrower
  for (auto& node : diagram.nodes) {
    const bool address =
        node.place == Place::Destination &&
        (node.look == Look::External || node.look == Look::OpenWorld || node.look == Look::Otlp);
    if (address) addresses.insert(node.id);
    const bool ellipse = std::string_view(style_of(node.look).dot_shape) == "ellipse";
    std::vector<std::string> lines;
    for (const auto& l : node.lines) {
      auto wrapped = wrap_label(l, 4, address ? kDestinationWidth : kLabelWidth);
      if (ellipse) {  // narrower, where that breaks no word or parenthesis and cuts nothing
        auto narrow = balanced_wrap(l, kEllipseWidth);
        if (join(narrow, " ") == l && (whole_parentheses(narrow) || !whole_parentheses(wrapped)))
          wrapped = std::move(narrow);
      }
      lines.insert(lines.end(), wrapped.begin(), wrapped.end());
    }
    if (lines != node.lines && node.tooltip.empty()) node.tooltip = join(node.lines, " ");
    node.lines = std::move(lines);
  }
  for (auto& edge : diagram.edges) {
    // "every service but janitor: TCP 443": who on one line, the ports on the next. Into an
    // address destination, whose labels stand side by side in one row, who on two lines:
    // "every service" / "but janitor:".
    // (A bundle's label begins with whom it stands for; another's may begin with the
    // change, "removed: ...", which takes the first line likewise.)
    // What is said into an address destination wraps as narrow as the destination's own lines
    // (the row's labels stand side by side between them), a line for each "; "-separated part
    // ("0.0.0.0/0;" / "TCP 443"), on up to five lines.
    std::vector<std::string> parts;
    const bool into_address = addresses.count(edge.to) != 0;
    const std::size_t width = into_address ? kDestinationWidth : kLabelWidth;
    const std::size_t most = into_address ? 5 : 3;
    const std::size_t colon = edge.who.empty() ? edge.label.find(": ") : join(edge.who, " ").size();
    if (colon != std::string::npos && text_width(edge.label) > kShortEdgeLabel) {
      if (into_address && edge.who.size() == 2) {
        parts = wrap_label(edge.who[0], 1);
        parts.push_back(wrap_label(edge.who[1] + ":", 1).front());
      } else {
        parts = wrap_label(edge.label.substr(0, colon + 1), 2);
      }
      for (auto& line : into_address ? wrap_by_part(edge.label.substr(colon + 2), most, width)
                                     : wrap_label(edge.label.substr(colon + 2), most, width))
        parts.push_back(std::move(line));
    } else {
      parts = into_address ? wrap_by_part(edge.label, most, width)
                           : wrap_label(edge.label, most, width);
    }
    std::string label = join(parts, "\n");
    if (label != edge.label && edge.tooltip.empty()) edge.tooltip = edge.label;
    edge.label = std::move(label);
  }
}

// A node of the namespace that stands for chart services: one, or a group of them.
bool is_namespace_service(const DiagramNode& n) {
  return n.place == Place::Namespace && is_service(n);
}

// The services a node stands for: a group's members, else itself.
std::vector<std::string> services_of(const DiagramNode& n) {
  return n.members.empty() ? std::vector<std::string>{n.id} : n.members;
}

// At most this many services may be left out of a bundle drawn from the namespace
// ("every service but janitor"); with more, the bundle meets at a junction.
constexpr std::size_t kLeftOutOfBundle = 2;

// Edges from services of the namespace (or groups of them) that share a destination, a
// label and a look (a warning, a change, a path) become one bundle with one label. To a
// destination outside the namespace that every service (or all but one or two) reaches:
// one edge from the namespace, "every service: TCP 443" or "every service but janitor:
// TCP 443"; else, with three sources or more, their edges meet at a junction and one
// labelled edge goes on. Likewise edges from one node outside the namespace to (nearly)
// every service: one edge into the namespace. Unlabelled edges (a member's link to its
// class) stay as they are.
// `complete`: the picture holds every service of the namespace (no focus left one out, no
// class stands for several), so "every service" is true of it.
class EdgeBundler {
 public:
  EdgeBundler(const Diagram& diagram, bool complete) : diagram_(diagram), complete_(complete) {
    for (const auto& node : diagram.nodes) {
      node_of_[node.id] = &node;
      if (is_namespace_service(node))
        for (const auto& s : services_of(node)) services_.push_back(s);
    }
    for (std::size_t i = 0; i < diagram.edges.size(); ++i)
      if (from_namespace(diagram.edges[i]) || into_namespace(diagram.edges[i]))
        bundles_[key_of(diagram.edges[i])].push_back(i);
  }

  // The diagram's edges bundled, and the junctions their bundles meet at.
  void run(std::vector<DiagramEdge>& edges, std::vector<DiagramNode>& junctions) {
    for (std::size_t i = 0; i < diagram_.edges.size(); ++i) {
      if (taken_.count(i)) continue;
      const DiagramEdge& edge = diagram_.edges[i];
      bool fan_in = from_namespace(edge), fan_out = !fan_in && into_namespace(edge);
      auto it = fan_in || fan_out ? bundles_.find(key_of(edge)) : bundles_.end();
      if (it == bundles_.end() || it->second.size() < 2)
        edges.push_back(edge);
      else if (fan_out)
        bundle_into_namespace(edge, it->second, edges);
      else
        bundle_from_namespace(edge, it->second, edges, junctions);
    }
  }

 private:
  // From services of the namespace, labelled: a fan-in.
  bool from_namespace(const DiagramEdge& edge) const {
    if (edge.invisible || edge.from.empty() || edge.to.empty() || edge.from == edge.to ||
        edge.label.empty())
      return false;
    auto it = node_of_.find(edge.from);
    return it != node_of_.end() && is_namespace_service(*it->second);
  }
  // From one node outside the namespace to its services: a fan-out.
  bool into_namespace(const DiagramEdge& edge) const {
    if (edge.invisible || edge.from.empty() || edge.to.empty() || edge.label.empty()) return false;
    auto from = node_of_.find(edge.from), to = node_of_.find(edge.to);
    return from != node_of_.end() && to != node_of_.end() &&
           from->second->place != Place::Namespace && is_namespace_service(*to->second);
  }
  // Edges of one bundle: one fixed end, one label, one look.
  std::string key_of(const DiagramEdge& edge) const {
    std::string look = edge.label + '\x1f' + (edge.warning ? "w" : "") + (edge.on_path ? "p" : "") +
                       (edge.faded ? "f" : "") +
                       (edge.change ? std::to_string(static_cast<int>(*edge.change)) : "");
    return from_namespace(edge) ? "in\x1f" + edge.to + '\x1f' + look
                                : "out\x1f" + edge.from + '\x1f' + look;
  }
  // The services of the namespace the bundle's members do not stand for, as the label says
  // them: "every service", "every service but janitor" ("every workload" from manifests).
  std::vector<std::string> left_out_of(const std::set<std::string>& in) const {
    std::vector<std::string> out;
    for (const auto& s : services_)
      if (!in.count(s)) out.push_back(s);
    return out;
  }
  std::vector<std::string> who(const std::vector<std::string>& left_out) const {
    std::vector<std::string> out{std::string("every ") + service_word(diagram_.workloads)};
    if (!left_out.empty()) out.push_back("but " + join(left_out, ", "));
    return out;
  }

  // One edge into the namespace when the bundle reaches (nearly) every service; else `e`
  // alone, its members drawn as they are.
  void bundle_into_namespace(const DiagramEdge& edge, const std::vector<std::size_t>& members,
                             std::vector<DiagramEdge>& edges) {
    std::set<std::string> receivers;
    for (std::size_t m : members)
      for (const auto& s : services_of(*node_of_.at(diagram_.edges[m].to))) receivers.insert(s);
    std::vector<std::string> left_out = left_out_of(receivers);
    if (complete_ && left_out.size() <= kLeftOutOfBundle && left_out.size() < receivers.size()) {
      DiagramEdge bundle = edge;
      bundle.to = "";
      bundle.who = who(left_out);
      bundle.label = join(bundle.who, " ") + ": " + edge.label;
      edges.push_back(std::move(bundle));
      taken_.insert(members.begin(), members.end());
    } else {
      edges.push_back(edge);
    }
  }

  // One edge from the namespace to an outside destination that (nearly) every service
  // reaches; else, with three members or more, their edges meet at a junction and one
  // labelled edge goes on; else `e` alone.
  void bundle_from_namespace(const DiagramEdge& edge, const std::vector<std::size_t>& members,
                             std::vector<DiagramEdge>& edges, std::vector<DiagramNode>& junctions) {
    std::set<std::string> senders;
    for (std::size_t m : members)
      for (const auto& s : services_of(*node_of_.at(diagram_.edges[m].from))) senders.insert(s);
    const DiagramNode* to = node_of_.count(edge.to) ? node_of_.at(edge.to) : nullptr;
    bool outside = to && to->place != Place::Namespace;
    std::vector<std::string> left_out = left_out_of(senders);
    DiagramEdge bundle = edge;
    if (complete_ && outside && left_out.size() <= kLeftOutOfBundle &&
        left_out.size() < senders.size()) {
      bundle.from = "";
      bundle.who = who(left_out);
      bundle.label = join(bundle.who, " ") + ": " + edge.label;
      edges.push_back(std::move(bundle));
    } else if (members.size() >= 3) {
      DiagramNode node;
      node.id = diagram_ids::junction(junctions.size() + 1);
      node.look = Look::Junction;
      node.place = outside ? Place::Between : Place::Namespace;
      node.faded = edge.faded;
      for (std::size_t m : members) {
        DiagramEdge in = diagram_.edges[m];
        in.to = node.id;
        in.label.clear();
        in.into_junction = true;
        edges.push_back(std::move(in));
      }
      bundle.from = node.id;
      edges.push_back(std::move(bundle));
      junctions.push_back(std::move(node));
    } else {
      edges.push_back(edge);
      return;
    }
    taken_.insert(members.begin(), members.end());
  }

  const Diagram& diagram_;
  const bool complete_;
  std::map<std::string, const DiagramNode*> node_of_;
  std::vector<std::string> services_;                        // of the namespace, in display order
  std::map<std::string, std::vector<std::size_t>> bundles_;  // key_of -> edge indices
  std::set<std::size_t> taken_;                              // edges drawn in a bundle
};

void bundle_edges(Diagram& diagram, bool complete) {
  std::vector<DiagramEdge> edges;
  std::vector<DiagramNode> junctions;
  EdgeBundler(diagram, complete).run(edges, junctions);
  diagram.edges = std::move(edges);
  diagram.nodes.insert(diagram.nodes.end(), junctions.begin(), junctions.end());
}

// Which way dot ranks the picture: top down when that makes it narrower than left to right,
// so that it shows larger where a page fits it to its width. Estimated without laying it
// out (rows as dot ranks them: sources first, destinations last, every other node after
// its sources' longest path, the labels of the edges leaving a row between it and the
// next), the same for DOT as for the SVG, so `--format dot` needs no Graphviz.
bool narrower_top_down(const Diagram& diagram) {
  constexpr double kNodeChar = 7.0, kEdgeChar = 6.5, kNodePad = 24.0, kGap = 22.0;
  auto widest = [](const std::vector<std::string>& lines) {
    std::size_t w = 0;
    for (const auto& l : lines) w = std::max(w, text_width(l));
    return static_cast<double>(w);
  };
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < diagram.nodes.size(); ++i) index.emplace(diagram.nodes[i].id, i);
  std::vector<std::pair<std::size_t, std::size_t>> links;  // visible edges between nodes
  for (const auto& e : diagram.edges)
    if (!e.invisible && index.count(e.from) && index.count(e.to) && e.from != e.to)
      links.emplace_back(index.at(e.from), index.at(e.to));
  // Longest paths, relaxed at most once per node (a cycle stops there).
  std::vector<std::size_t> row(diagram.nodes.size(), 0);
  for (std::size_t pass = 0; pass < diagram.nodes.size(); ++pass) {
    bool moved = false;
    for (auto [from, to] : links)
      if (diagram.nodes[to].place != Place::Source && row[to] < row[from] + 1) {
        row[to] = row[from] + 1;
        moved = true;
      }
    if (!moved) break;
  }
  std::size_t last = 0;
  for (std::size_t i = 0; i < diagram.nodes.size(); ++i)
    if (diagram.nodes[i].place != Place::Destination) last = std::max(last, row[i]);
  for (std::size_t i = 0; i < diagram.nodes.size(); ++i)
    if (diagram.nodes[i].place == Place::Destination) row[i] = last + 1;
  // Per row: the nodes side by side (top down) or the widest (left to right), and the
  // labels of the edges leaving it.
  std::vector<double> across(last + 2, 0), deepest(last + 2, 0), labels(last + 2, 0),
      longest_label(last + 2, 0);
  for (std::size_t i = 0; i < diagram.nodes.size(); ++i) {
    double w =
        diagram.nodes[i].look == Look::Junction ? 0 : widest(diagram.nodes[i].lines) * kNodeChar;
    across[row[i]] += w + kNodePad + kGap;
    deepest[row[i]] = std::max(deepest[row[i]], w + kNodePad);
  }
  for (const auto& edge : diagram.edges) {
    if (edge.invisible || edge.label.empty()) continue;
    auto from = index.find(edge.from);
    std::size_t r = from == index.end() ? 0 : row[from->second];
    double w = widest(split_lines(edge.label)) * kEdgeChar;
    labels[r] += w + kGap;
    longest_label[r] = std::max(longest_label[r], w);
  }
  double top_down = 0, left_right = 0;
  for (std::size_t r = 0; r < across.size(); ++r) {
    top_down = std::max({top_down, across[r], labels[r]});
    left_right += deepest[r] + std::max(longest_label[r], 36.0);
  }
  // A box's title: a row of its own top down, a column beside the box's nodes left to right.
  std::vector<std::string> titles = {diagram.namespace_label};
  for (const auto& box : other_boxes(diagram)) titles.push_back("namespace " + box);
  // (Top down, its widest line as drawn. Left to right, its whole length: the estimate of a
  // left-to-right picture runs short, and the title counted whole keeps it from winning
  // where it is no narrower, as it did before titles wrapped.)
  for (const auto& title : titles) {
    std::size_t widest = 0;
    for (const auto& line : box_title_lines(title)) widest = std::max(widest, text_width(line));
    top_down = std::max(top_down, static_cast<double>(widest) * kNodeChar + kNodePad);
    left_right += static_cast<double>(text_width(title)) * kNodeChar + kNodePad;
  }
  return top_down < left_right;
}

// Edges that say the same thing of every workload of another namespace's box: one edge into
// (or out of) the box, as bundle_edges draws them for the main namespace ("every workload:
// TCP 9000"), for a box of two workloads or more. A selector's pods in the box are not
// workloads: the label says whom the edge stands for, as the main namespace's does.
void bundle_boxes(Diagram& diagram) {
  std::map<std::string, std::vector<std::string>> members;  // box -> its workloads, drawn order
  std::map<std::string, std::string> stands_in;             // node -> its box, any node
  for (const auto& n : diagram.nodes) {
    if (n.box.empty() || in_main_box(diagram, n)) continue;
    stands_in[n.id] = n.box;
    if (is_service(n)) members[n.box].push_back(n.id);
  }
  std::map<std::string, std::string> box_of;
  for (const auto& [box, ids] : members)
    if (ids.size() > 1)
      for (const auto& id : ids) box_of[id] = box;
  if (box_of.empty()) return;
  // What an edge says but for its end in the box: the other end, and how it is drawn.
  auto said = [](const DiagramEdge& edge, bool into) {
    return (into ? edge.from : edge.to) + '\x1f' + edge.label + '\x1f' + edge.tooltip + '\x1f' +
           (edge.warning ? "w" : "") + (edge.on_path ? "p" : "") + (edge.faded ? "f" : "") +
           '\x1f' + (edge.change ? std::to_string(static_cast<int>(*edge.change)) : "-");
  };
  for (bool into : {true, false}) {
    // (box, what is said) -> the edges that say it, one per node of the box
    std::map<std::pair<std::string, std::string>, std::vector<std::size_t>> groups;
    for (std::size_t i = 0; i < diagram.edges.size(); ++i) {
      const DiagramEdge& e = diagram.edges[i];
      if (e.invisible || e.into_junction || !e.to_box.empty() || !e.from_box.empty()) continue;
      auto in_box = box_of.find(into ? e.to : e.from);
      if (in_box == box_of.end()) continue;
      auto other = stands_in.find(into ? e.from : e.to);
      if (other != stands_in.end() && other->second == in_box->second) continue;  // within
      groups[{in_box->second, said(e, into)}].push_back(i);
    }
    std::set<std::size_t> dropped;
    for (const auto& [key, edges] : groups) {
      const std::vector<std::string>& ids = members.at(key.first);
      std::set<std::string> ends;
      for (std::size_t i : edges) ends.insert(into ? diagram.edges[i].to : diagram.edges[i].from);
      if (ends.size() != ids.size()) continue;
      DiagramEdge& kept = diagram.edges[edges.front()];
      (into ? kept.to : kept.from) = ids.front();
      (into ? kept.to_box : kept.from_box) = key.first;
      if (kept.who.empty()) {  // a main-namespace bundle says whom already
        kept.who = {std::string("every ") + service_word(diagram.workloads)};
        const std::string who = kept.who.front() + ": ";
        if (!kept.tooltip.empty()) kept.tooltip = who + kept.tooltip;
        kept.label = who + kept.label;
      }
      dropped.insert(edges.begin() + 1, edges.end());
    }
    std::vector<DiagramEdge> left;
    for (std::size_t i = 0; i < diagram.edges.size(); ++i)
      if (!dropped.count(i)) left.push_back(std::move(diagram.edges[i]));
    diagram.edges = std::move(left);
  }
}

std::size_t drawn_nodes(const Diagram& d) {
  return static_cast<std::size_t>(std::count_if(
      d.nodes.begin(), d.nodes.end(), [](const auto& n) { return n.look != Look::Junction; }));
}

std::set<std::string> services_in_namespace(const Diagram& diagram) {
  std::set<std::string> out;
  for (const auto& n : diagram.nodes)
    if (is_namespace_service(n))
      for (const auto& s : services_of(n)) out.insert(s);
  return out;
}

// sfdp draws no boxes: a workload of the main namespace, named bare in its box, says its
// namespace as the others' do ("ns-00/app-00000") when the picture holds other namespaces.
void name_namespace_of_workloads(Diagram& diagram) {
  if (!diagram.workloads || diagram.ns.empty() || other_boxes(diagram).empty()) return;
  for (auto& n : diagram.nodes)
    if (is_namespace_service(n) && n.members.empty() && n.lines.size() == 1 &&
        n.lines.front() == n.id)
      n.lines.front() = diagram.ns + "/" + n.id;
}

// Fits a picture of more than max_nodes nodes to its size (services with the same edges as
// one node, sfdp when still too many), bundles edges and wraps long labels. `services`:
// the namespace's services before a focus left some out.
void finish(Diagram& diagram, const DiagramOptions& options,
            const std::set<std::string>& services) {
  std::size_t nodes = drawn_nodes(diagram);
  std::vector<std::string> notes;
  if (nodes > options.max_nodes && options.group && options.paths.empty()) {
    std::size_t groups_before = diagram.nodes.size();
    std::size_t folded = group_services(diagram);
    if (folded > 0)
      notes.push_back(count_text(folded, "service", "services") + " with the same edges drawn as " +
                      count_text(folded - (groups_before - diagram.nodes.size()), "node", "nodes") +
                      " (--no-group draws each)");
  }
  bool classes = std::any_of(diagram.nodes.begin(), diagram.nodes.end(),
                             [](const auto& n) { return n.look == Look::ServiceClass; });
  if (!options.every_edge && !diagram.disabled)
    bundle_edges(diagram, !classes && services_in_namespace(diagram) == services);
  const std::size_t edges = drawn_edge_count(diagram);
  const bool too_many_nodes = drawn_nodes(diagram) > options.max_nodes;
  const bool too_many_edges = edges > kDotMostEdges;
  if (options.layout == Layout::Sfdp ||
      (options.layout == Layout::Auto && (too_many_nodes || too_many_edges))) {
    diagram.layout = Layout::Sfdp;
    name_namespace_of_workloads(diagram);
    // Why, when the nodes' note (below) does not say it already.
    if (options.layout == Layout::Auto && too_many_edges && !too_many_nodes)
      notes.push_back(count_text(edges, "edge", "edges") + " (more than " +
                      std::to_string(kDotMostEdges) + ", which dot lays out for seconds)");
    notes.push_back(
        "laid out with sfdp, ports in each edge's tooltip (--layout dot: ranks, "
        "ports on the edges, slow)");
  }
  if (nodes > options.max_nodes)  // (after a diff's changes-only note: what is still drawn)
    notes.insert(notes.begin(),
                 (diagram.changes_only ? "still " : "") + count_text(nodes, "node", "nodes") +
                     " (more than --max-nodes " + std::to_string(options.max_nodes) + ")");
  diagram.notes.insert(diagram.notes.end(), notes.begin(), notes.end());
  std::set<Look> looks;
  for (const auto& n : diagram.nodes)
    if (n.look != Look::Junction) looks.insert(n.look);
  diagram.legend.assign(looks.begin(), looks.end());
  if (!options.every_edge && !diagram.disabled && diagram.layout == Layout::Dot)
    bundle_boxes(diagram);
  fit_labels(diagram);
  diagram.top_down = diagram.layout == Layout::Dot && narrower_top_down(diagram);
}

}  // namespace

// A selector (or ns-pods) node whose pods hold workloads drawn as nodes of their own (after
// a focus) says it stands for the others: "(other than api, worker)". With values the
// model already takes the chart services' pods out of it (graph/analysis/pod_space.hpp); with
// manifests it holds the workloads' pods too, and their edges are drawn from their own nodes.
constexpr std::size_t kNamedOtherThan = 3;

void name_held_workloads(const graph::Analysis& analysis, Diagram& diagram) {
  const graph::PolicyGraph& pg = analysis.graph;
  std::vector<std::pair<DiagramNode*, Vertex>> sets, workloads;
  for (DiagramNode& n : diagram.nodes) {
    auto v = pg.find(n.id);
    if (!v) continue;
    NodeKind k = pg.node(*v).kind;
    if (k == NodeKind::Selector || k == NodeKind::NsPods)
      sets.emplace_back(&n, *v);
    else if (k == NodeKind::Service)
      workloads.emplace_back(&n, *v);
  }
  if (sets.empty() || workloads.empty()) return;
  const graph::PodSpace space({&analysis});
  std::vector<graph::PodCubes> pods;
  for (const auto& w : workloads) pods.push_back(space.of(pg.node(w.second)));
  for (auto& [node, v] : sets) {
    const graph::PodCubes held = space.of(pg.node(v));
    std::vector<std::string> names;
    for (std::size_t i = 0; i < workloads.size(); ++i)
      if (!pods[i].empty() && pods[i].subset_of(held))
        names.push_back(workloads[i].first->lines.front());
    if (names.empty()) continue;
    node->lines.push_back(names.size() <= kNamedOtherThan
                              ? "(other than " + join(names, ", ") + ")"
                              : "(other than the " + std::to_string(names.size()) +
                                    (diagram.workloads ? " workloads drawn)" : " services drawn)"));
  }
}

Diagram draw_analysis(const graph::Analysis& a) {
  return draw(a, true);
}

std::set<std::string> namespace_services(const Diagram& d) {
  return services_in_namespace(d);
}

void focus_diagram(Diagram& d, const DiagramOptions& options) {
  focus_on(d, options);
}

void finish_diagram(Diagram& d, const DiagramOptions& options,
                    const std::set<std::string>& services) {
  finish(d, options, services);
}

Diagram make_diagram(const graph::Analysis& analysis, const DiagramOptions& options) {
  // A focus or a path may name a node or edge that is drawn elsewhere: all are kept then.
  Diagram diagram =
      draw(analysis, options.every_edge || !options.focus.empty() || !options.paths.empty());
  std::set<std::string> services = services_in_namespace(diagram);
  if (!options.focus.empty()) focus_on(diagram, options);
  name_held_workloads(analysis, diagram);
  if (!options.paths.empty() || !options.caption.empty()) {
    mark_paths(diagram, options.paths);
    diagram.notes.push_back(options.caption);
  }
  finish(diagram, options, services);
  // A focus or a reach answer is ranked as the whole picture is, so that its nodes keep their
  // places (top and bottom, or left and right; in their rows) between the pictures of one chart.
  if (!options.focus.empty() || !options.paths.empty())
    rank_as_whole_picture(analysis, options, diagram);
  return diagram;
}

void rank_as_whole_picture(const graph::Analysis& analysis, const DiagramOptions& options,
                           Diagram& diagram) {
  if (diagram.layout != Layout::Dot) return;
  DiagramOptions whole = options;
  whole.focus.clear();
  whole.paths.clear();
  whole.caption.clear();
  Diagram picture = make_diagram(analysis, whole);
  diagram.top_down = picture.top_down;
  if (options.hold_rows) diagram.rows = laid_out_rows(picture);
}

}  // namespace netpol::exporters
