#include <algorithm>
#include <deque>
#include <map>
#include <set>

#include "exporters/diff.hpp"
#include "exporters/dot.hpp"
#include "exporters/palette.hpp"

namespace netpol::exporters {

using graph::Change;
using graph::NodeKind;

namespace {

struct DiffNode {
  const graph::Node* node;
  bool removed;  // only the old side has it
  bool in_namespace;
};

struct DiffEdge {
  std::string from, to, label;
  std::optional<Change> change;  // none: unchanged
};

}  // namespace

void write_diff_dot(const graph::DiffReport& r, const DiagramOptions& options, std::ostream& out) {
  const std::size_t max_nodes = options.max_nodes;
  const graph::PolicyGraph& ng = r.new_side.graph;
  const graph::PolicyGraph& og = r.old_side.graph;
  const graph::Diff& d = r.diff;
  std::map<std::pair<std::string, std::string>, const graph::EdgeDiff*> changes;
  for (const auto& e : d.edges) changes[{e.from, e.to}] = &e;

  // Nodes of the new side, then those only the old side has (drawn dashed, removed);
  // services first, in the namespace. Class nodes are not drawn: a change between services
  // that the graphs hold as classes is drawn between the services (or, listed once for many,
  // between nodes standing for its sources and its destinations).
  std::vector<DiffNode> nodes;
  std::set<std::string> seen;
  for (bool services : {true, false})
    for (const graph::PolicyGraph* side : {&ng, &og})
      for (auto v : side->nodes()) {
        const graph::Node& n = side->node(v);
        if (graph::is_class(n.kind)) continue;
        if ((n.kind == NodeKind::Service) == services && seen.insert(n.id).second)
          nodes.push_back({&n, side == &og, services});
      }
  const bool classes = ng.has_classes() || og.has_classes();
  std::deque<graph::Node> groups;  // the ends of changes listed once for many services
  auto end = [&](const std::string& id, std::optional<std::size_t> group) {
    if (!group) return id;
    std::string group_id = "netpol-graph:group:" + std::to_string(*group + 1);
    if (seen.insert(group_id).second) {
      groups.push_back(graph::Node::make(group_id, NodeKind::Service, group_name(r, *group)));
      nodes.push_back({&groups.back(), false, true});
    }
    return group_id;
  };

  std::vector<DiffEdge> edges;
  if (classes)  // the changes alone: the graphs' own edges are between class nodes
    for (const auto& e : d.edges)
      edges.push_back({end(e.from, e.from_group), end(e.to, e.to_group),
                       std::string(graph::change_name(e.change)) + ": " + describe_access(e),
                       e.change});
  else
    for (const auto& e : ng.edges()) {
      std::string from = ng.node(e.from).id, to = ng.node(e.to).id;
      auto it = changes.find({from, to});
      if (it == changes.end())
        edges.push_back({from, to, ng.edge(e).ports.label(), std::nullopt});
      else
        edges.push_back({from, to,
                         std::string(graph::change_name(it->second->change)) + ": " +
                             describe_access(*it->second),
                         it->second->change});
    }
  for (const auto& e : d.edges)
    if (e.change == Change::Removed && !classes)
      edges.push_back({e.from, e.to, "removed: " + describe_access(e), Change::Removed});

  std::vector<std::string> notes;
  if (!options.focus.empty())
    notes.push_back(keep_focused(
        nodes, edges, options, [](const DiffNode& n) { return n.node->id; },
        [](const DiffNode& n) { return n.in_namespace; }));

  // A large picture shows the changes only: the changed edges, their ends, and the services
  // that appeared or went. (With policies switched on or off every edge is the change.) If
  // that is still large, sfdp lays it out, ports in tooltips, as for `graph`.
  if ((nodes.size() > max_nodes || classes) && !d.policies_switched()) {
    std::set<std::string> keep;
    for (const auto& s : d.services) keep.insert(s.name);
    std::size_t unchanged = 0;
    std::vector<DiffEdge> changed;
    for (auto& e : edges) {
      if (!e.change) {
        ++unchanged;
        continue;
      }
      keep.insert(e.from);
      keep.insert(e.to);
      changed.push_back(std::move(e));
    }
    edges = std::move(changed);
    std::size_t before = nodes.size();
    nodes.erase(std::remove_if(nodes.begin(), nodes.end(),
                               [&](const DiffNode& n) { return !keep.count(n.node->id); }),
                nodes.end());
    notes.push_back(
        (before > max_nodes ? std::to_string(before) + " nodes (more than --max-nodes " +
                                  std::to_string(max_nodes) + ")"
                            : std::string("services held as classes (more than "
                                          "--max-pairs pairs)")) +
        ": only the changes drawn, " + std::to_string(unchanged) + " unchanged edges and " +
        std::to_string(before - nodes.size()) + " nodes without a change left out");
  }
  bool ranked = nodes.size() <= max_nodes;
  if (!ranked)
    notes.push_back("laid out with sfdp (" + std::to_string(nodes.size()) +
                    " nodes), ports and changes in each edge's tooltip");

  std::string title = d.empty() ? "No change in effective access"
                                : "Changes in effective access: " + change_counts(d);
  if (d.policies_switched())
    title = d.old_enabled ? "Network policies switched OFF: everything is allowed"
                          : "Network policies switched ON";
  for (const auto& note : notes) title += "\n" + note;
  out << "digraph \"netpol-graph diff\" {\n";
  out << "  graph [";
  if (ranked)
    out << "rankdir=LR, newrank=true, ";
  else
    out << sfdp_attributes(nodes.size());
  out << "fontname=\"Helvetica\", nodesep=0.3, ranksep=1.0, pad=0.3, labelloc=t, fontsize=16, "
         "label="
      << dot_quote(title) << "];\n";
  out << "  node [fontname=\"Helvetica\", fontsize=11, style=\"rounded,filled\", "
         "fillcolor=\"#f9fafb\", color=\"#6b7280\"];\n";
  out << "  edge [fontname=\"Helvetica\", fontsize=9, arrowsize=0.7];\n";

  auto node_line = [&](const DiffNode& n, const char* indent) {
    out << indent << dot_id(n.node->id) << " [label=" << dot_quote(n.node->label)
        << (n.node->kind == NodeKind::Service ? ", shape=box" : ", shape=ellipse")
        << (n.removed ? ", style=\"dashed,rounded\", color=\"#dc2626\", fontcolor=\"#dc2626\"" : "")
        << "];\n";
  };
  // sfdp draws no clusters: the namespace box is left out (services are boxes either way).
  if (ranked) {
    out << "  subgraph \"cluster_namespace\" {\n    label=" << dot_quote("namespace " + ng.ns)
        << ";\n    style=\"rounded,dashed\";\n    color=\"#6b7280\";\n";
    for (const auto& n : nodes)
      if (n.in_namespace) node_line(n, "    ");
    out << "  }\n";
  }
  for (const auto& n : nodes)
    if (!ranked || !n.in_namespace) node_line(n, "  ");

  for (const auto& e : edges) {
    ChangeStyle c = change_style(e.change);
    out << "  " << dot_id(e.from) << " -> " << dot_id(e.to) << " ["
        << (ranked ? "label=" : "tooltip=") << dot_quote(e.label) << ", color=\"" << c.line
        << "\", fontcolor=\"" << c.line << "\", style=" << c.style << "];\n";
  }

  out << "  \"netpol-graph:legend\" [shape=plaintext, style=\"\", label=<<TABLE BORDER=\"0\" "
         "CELLSPACING=\"2\"><TR><TD COLSPAN=\"2\"><B>Legend</B></TD></TR>";
  for (std::optional<Change> c :
       {std::optional<Change>(Change::Added), std::optional<Change>(Change::Removed),
        std::optional<Change>(Change::Widened), std::optional<Change>(Change::Narrowed),
        std::optional<Change>(Change::Changed), std::optional<Change>()}) {
    out << "<TR><TD><FONT COLOR=\"" << change_style(c).line << "\">&#9473;&#9473;</FONT></TD>"
        << "<TD ALIGN=\"LEFT\">" << (c ? std::string(graph::change_name(*c)) : "unchanged")
        << "</TD></TR>";
  }
  out << "</TABLE>>];\n}\n";
}

}  // namespace netpol::exporters
