#include <map>
#include <set>

#include "exporters/diff.hpp"
#include "exporters/dot.hpp"

namespace netpol::exporters {

using graph::Change;
using graph::NodeKind;

namespace {

struct Colour {
  const char* line;
  const char* style;
};

Colour colour_of(std::optional<Change> c) {
  if (!c) return {"#9ca3af", "solid"};  // unchanged
  switch (*c) {
    case Change::Added:
      return {"#16a34a", "bold"};
    case Change::Removed:
      return {"#dc2626", "dashed"};
    case Change::Widened:
      return {"#ea580c", "bold"};
    case Change::Narrowed:
      return {"#2563eb", "bold"};
    case Change::Changed:
      return {"#9333ea", "bold"};
  }
  return {"#9ca3af", "solid"};
}

}  // namespace

void write_diff_dot(const graph::DiffReport& r, std::ostream& out) {
  const graph::PolicyGraph& ng = r.new_side.graph;
  const graph::PolicyGraph& og = r.old_side.graph;
  const graph::Diff& d = r.diff;
  std::map<std::pair<std::string, std::string>, const graph::EdgeDiff*> changes;
  for (const auto& e : d.edges) changes[{e.from, e.to}] = &e;

  std::string title = d.empty() ? "No change in effective access"
                                : "Changes in effective access: " + change_counts(d);
  if (d.policies_switched())
    title = d.old_enabled ? "Network policies switched OFF: everything is allowed"
                          : "Network policies switched ON";
  out << "digraph \"netpol-graph diff\" {\n";
  out << "  graph [rankdir=LR, newrank=true, fontname=\"Helvetica\", nodesep=0.3, ranksep=1.0, "
         "pad=0.3, labelloc=t, fontsize=16, label="
      << dot_quote(title) << "];\n";
  out << "  node [fontname=\"Helvetica\", fontsize=11, style=\"rounded,filled\", "
         "fillcolor=\"#f9fafb\", color=\"#6b7280\"];\n";
  out << "  edge [fontname=\"Helvetica\", fontsize=9, arrowsize=0.7];\n";

  // Nodes of the new side, then those only the old side has (drawn dashed, removed).
  std::set<std::string> seen;
  auto node_line = [&](const graph::Node& n, bool removed, const char* indent) {
    out << indent << dot_quote(n.id) << " [label=" << dot_quote(n.label)
        << (n.kind == NodeKind::Service ? ", shape=box" : ", shape=ellipse")
        << (removed ? ", style=\"dashed,rounded\", color=\"#dc2626\", fontcolor=\"#dc2626\"" : "")
        << "];\n";
  };
  out << "  subgraph \"cluster_namespace\" {\n    label=" << dot_quote("namespace " + ng.ns)
      << ";\n    style=\"rounded,dashed\";\n    color=\"#6b7280\";\n";
  for (auto v : ng.nodes())
    if (ng.node(v).kind == NodeKind::Service && seen.insert(ng.node(v).id).second)
      node_line(ng.node(v), false, "    ");
  for (auto v : og.nodes())
    if (og.node(v).kind == NodeKind::Service && seen.insert(og.node(v).id).second)
      node_line(og.node(v), true, "    ");
  out << "  }\n";
  for (auto v : ng.nodes())
    if (seen.insert(ng.node(v).id).second) node_line(ng.node(v), false, "  ");
  for (auto v : og.nodes())
    if (seen.insert(og.node(v).id).second) node_line(og.node(v), true, "  ");

  auto edge_line = [&](const std::string& from, const std::string& to, const std::string& label,
                       std::optional<Change> change) {
    Colour c = colour_of(change);
    out << "  " << dot_quote(from) << " -> " << dot_quote(to) << " [label=" << dot_quote(label)
        << ", color=\"" << c.line << "\", fontcolor=\"" << c.line << "\", style=" << c.style
        << "];\n";
  };
  for (const auto& e : ng.edges()) {
    std::string from = ng.node(e.from).id, to = ng.node(e.to).id;
    auto it = changes.find({from, to});
    if (it == changes.end()) {
      edge_line(from, to, ng.edge(e).ports.label(), std::nullopt);
    } else {
      const graph::EdgeDiff& change = *it->second;
      edge_line(from, to,
                std::string(graph::change_name(change.change)) + ": " + describe_access(change),
                change.change);
    }
  }
  for (const auto& e : d.edges)
    if (e.change == Change::Removed)
      edge_line(e.from, e.to, "removed: " + describe_access(e), Change::Removed);

  out << "  \"netpol-graph:legend\" [shape=plaintext, style=\"\", label=<<TABLE BORDER=\"0\" "
         "CELLSPACING=\"2\"><TR><TD COLSPAN=\"2\"><B>Legend</B></TD></TR>";
  for (std::optional<Change> c :
       {std::optional<Change>(Change::Added), std::optional<Change>(Change::Removed),
        std::optional<Change>(Change::Widened), std::optional<Change>(Change::Narrowed),
        std::optional<Change>(Change::Changed), std::optional<Change>()}) {
    out << "<TR><TD><FONT COLOR=\"" << colour_of(c).line << "\">&#9473;&#9473;</FONT></TD>"
        << "<TD ALIGN=\"LEFT\">" << (c ? std::string(graph::change_name(*c)) : "unchanged")
        << "</TD></TR>";
  }
  out << "</TABLE>>];\n}\n";
}

}  // namespace netpol::exporters
