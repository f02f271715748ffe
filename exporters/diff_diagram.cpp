// A diff's picture: a Diagram whose edges carry their change, printed by dot.cpp as the
// graph's picture is.

#include <algorithm>
#include <map>
#include <set>

#include "exporters/diagram_ids.hpp"
#include "exporters/diagram_stages.hpp"
#include "exporters/diff.hpp"
#include "exporters/dot.hpp"

namespace netpol::exporters {

using graph::Change;

namespace {

std::string change_label(const graph::EdgeDiff& e) {
  return std::string(graph::change_name(e.change)) + ": " + describe_access(e);
}

}  // namespace

namespace {

// Nodes as each side draws them: the new side's, then those only the old side has (removed).
// Class nodes are not drawn: a change between services the graphs hold as classes is drawn
// between the services, or, listed once for many, between nodes that stand for its groups.
// A change to or from outside pods that no node of either side is exactly (a part of a
// selector's pods, graph/analysis/diff.hpp) gets a node of its own, named by the set it is.
void add_diff_nodes(const graph::DiffReport& report, Diagram& out, std::set<std::string>& seen) {
  for (const graph::Analysis* side : {&report.new_side, &report.old_side})
    for (auto& node : draw_analysis(*side).nodes) {
      if (node.look == Look::ServiceClass || !seen.insert(node.id).second) continue;
      node.removed = side == &report.old_side;
      out.nodes.push_back(std::move(node));
    }
  for (const auto& change : report.diff.edges)
    for (const std::string* id : {&change.from, &change.to})
      if (!report.new_side.graph.find(*id) && !report.old_side.graph.find(*id) &&
          seen.insert(*id).second) {
        DiagramNode cell;
        cell.id = *id;
        cell.lines = {graph::outside_pods_text(*id)};
        cell.look = Look::Source;
        cell.place = id == &change.from ? Place::Source : Place::Destination;
        out.nodes.push_back(std::move(cell));
      }
}

DiagramEdge diff_edge(std::string from, std::string to, std::string label,
                      std::optional<Change> change) {
  DiagramEdge edge;
  edge.from = std::move(from);
  edge.to = std::move(to);
  edge.label = std::move(label);
  edge.change = change;
  return edge;
}

// The edges: with class nodes on either side, the changes alone (the graphs' own edges are
// between class nodes), a change listed once for a group drawn from or to a node for the
// group; else the new side's edges, each with its change, then the changes no edge of the
// new side carries (removed ones, and those to a node it lacks).
void add_diff_edges(const graph::DiffReport& report, bool classes, Diagram& out,
                    std::set<std::string>& seen) {
  const graph::PolicyGraph& ng = report.new_side.graph;
  const graph::Diff& diff = report.diff;
  if (classes) {
    auto end = [&](const std::string& id, std::optional<std::size_t> group) {
      if (!group) return id;
      std::string group_id = diagram_ids::group(std::to_string(*group + 1));
      if (seen.insert(group_id).second) {
        DiagramNode node;
        node.id = group_id;
        node.lines = {group_name(report, *group)};
        node.place = Place::Namespace;
        node.members = diff.groups.at(*group);
        out.nodes.push_back(std::move(node));
      }
      return group_id;
    };
    for (const auto& e : diff.edges)
      out.edges.push_back(
          diff_edge(end(e.from, e.from_group), end(e.to, e.to_group), change_label(e), e.change));
    return;
  }
  std::map<std::pair<std::string, std::string>, const graph::EdgeDiff*> changes;
  for (const auto& e : diff.edges) changes[{e.from, e.to}] = &e;
  for (const auto& e : ng.edges()) {
    std::string from = ng.node(e.from).id, to = ng.node(e.to).id;
    auto it = changes.find({from, to});
    if (it == changes.end())
      out.edges.push_back(diff_edge(from, to, ng.edge(e).ports.label(), std::nullopt));
    else
      out.edges.push_back(diff_edge(from, to, change_label(*it->second), it->second->change));
  }
  for (const auto& e : diff.edges)
    if (e.change == Change::Removed || !ng.find(e.from) || !ng.find(e.to))  // not an edge above
      out.edges.push_back(diff_edge(e.from, e.to, change_label(e), e.change));
}

// A large picture (more than --max-nodes nodes, or services held as classes) shows the
// changes only: the changed edges, their ends, and the services that appeared or went, with a
// note of what was left out.
void keep_changes_only(const graph::Diff& diff, bool classes, const DiagramOptions& options,
                       Diagram& out) {
  std::size_t before = out.nodes.size();
  if (!(before > options.max_nodes || classes)) return;
  std::set<std::string> keep;
  for (const auto& s : diff.services) keep.insert(s.name);
  std::size_t unchanged = 0;
  std::vector<DiagramEdge> changed;
  for (auto& edge : out.edges) {
    if (!edge.change) {
      ++unchanged;
      continue;
    }
    keep.insert(edge.from);
    keep.insert(edge.to);
    changed.push_back(std::move(edge));
  }
  out.edges = std::move(changed);
  out.changes_only = before > options.max_nodes;
  out.nodes.erase(std::remove_if(out.nodes.begin(), out.nodes.end(),
                                 [&](const DiagramNode& n) { return !keep.count(n.id); }),
                  out.nodes.end());
  out.notes.push_back(
      (before > options.max_nodes
           ? std::to_string(before) + " nodes (more than --max-nodes " +
                 std::to_string(options.max_nodes) + ")"
           : std::string("services held as classes (more than --max-pairs pairs)")) +
      ": only the changes drawn, " + std::to_string(unchanged) + " unchanged edges and " +
      std::to_string(before - out.nodes.size()) + " nodes without a change left out");
}

}  // namespace

Diagram make_diff_diagram(const graph::DiffReport& report, const DiagramOptions& options) {
  const graph::PolicyGraph& ng = report.new_side.graph;
  const graph::Diff& diff = report.diff;
  Diagram out;
  out.diff = true;
  out.namespace_label = "namespace " + ng.ns;
  out.ns = ng.ns;
  out.workloads = report.new_side.chart.from_manifests;
  // What the two sides were read from: "enabled.yaml -> production.yaml, netpol-graph 0.1.0".
  out.source = input_names(report.old_side.inputs) + " -> " + inputs_line(report.new_side.inputs);
  out.title = diff.empty() ? "No change in effective access"
                           : "Changes in effective access: " + change_counts(diff);
  if (diff.policies_switched())
    out.title = diff.old_enabled ? "Network policies switched OFF: everything is allowed"
                                 : "Network policies switched ON";

  std::set<std::string> seen;  // node ids drawn
  add_diff_nodes(report, out, seen);
  const bool classes = ng.has_classes() || report.old_side.graph.has_classes();
  add_diff_edges(report, classes, out, seen);

  std::set<std::string> services = namespace_services(out);
  if (!options.focus.empty()) focus_diagram(out, options);
  name_held_workloads(report.new_side, out);
  // With policies switched on or off every edge is the change.
  if (!diff.policies_switched()) keep_changes_only(diff, classes, options, out);
  finish_diagram(out, options, services);
  // Ranked as the new side's picture is, so that a node keeps its place between the two.
  rank_as_whole_picture(report.new_side, options, out);
  return out;
}

void write_diff_dot(const graph::DiffReport& r, const DiagramOptions& options, std::ostream& out) {
  write_dot(make_diff_diagram(r, options), out);
}

}  // namespace netpol::exporters
