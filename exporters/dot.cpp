#include "exporters/dot.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include "exporters/diagram_ids.hpp"
#include "exporters/palette.hpp"
#include "graph/rules/node_ids.hpp"
#include "text.hpp"

namespace netpol::exporters {

std::string dot_quote(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (c == '\r') continue;
    out += c;
  }
  return out + "\"";
}

std::string dot_id(std::string_view id) {
  // cgraph's scanner keeps a backslash as it is, but reads "\\" as a pair (both kept, left
  // to right) and "\"" as a quote. So a run of backslashes before a quote, or at the end, is
  // doubled whole: left odd, its last backslash would pair with the quote's escape and end
  // the ID early or never (`9\"x` and `b\\` at the end, both found by fuzz_outputs). Such
  // an ID reads back with that run doubled, the same in every place it is written; any
  // other ID reads back as itself.
  std::string out = "\"";
  for (std::size_t i = 0; i < id.size();) {
    if (id[i] != '\\') {
      if (id[i] == '"') out += '\\';
      out += id[i++];
      continue;
    }
    std::size_t end = id.find_first_not_of('\\', i);
    const std::size_t run = (end == std::string_view::npos ? id.size() : end) - i;
    const bool before_quote = end == std::string_view::npos || id[end] == '"';
    out.append(before_quote ? 2 * run : run, '\\');
    i += run;
  }
  return out + "\"";
}

namespace {

const char* const kCluster = "cluster_namespace";

// Text sizes (points at 1:1): labels at least 12 pt, so that a picture a page shrinks to its
// width still reads (docs/diagrams.md, "Legibility").
constexpr int kNodeFontSize = 13, kEdgeFontSize = 12, kBoxTitleFontSize = 13;

void write_node(const DiagramNode& node, const char* indent, std::ostream& out) {
  if (node.look == Look::Junction) {  // a point where a bundle's edges meet
    out << indent << dot_id(node.id) << " [shape=point, width=0.06, label=\"\", color=\""
        << (node.faded ? colour::kFaded : colour::kBorder) << "\"];\n";
    return;
  }
  const LookStyle& style = style_of(node.look);
  out << indent << dot_id(node.id) << " [label=" << dot_quote(join(node.lines, "\n"))
      << ", shape=" << style.dot_shape << ", style=\"" << (node.removed ? "dashed," : "")
      << style.dot_style << "\", fillcolor=\"" << (node.faded ? colour::kFadedFill : style.fill)
      << "\", color=\""
      << (node.faded     ? colour::kFaded
          : node.removed ? change_style(graph::Change::Removed).line
                         : style.stroke)
      << "\", penwidth=" << style.penwidth;
  if (node.faded) out << ", fontcolor=\"" << colour::kFadedText << "\"";
  std::string tooltip = node.tooltip;
  if (!node.members.empty()) {
    tooltip.clear();
    for (const auto& m : node.members) tooltip += (tooltip.empty() ? "" : ", ") + m;
  }
  if (node.removed)
    tooltip = "removed (only the old side has it): " + (tooltip.empty() ? node.id : tooltip);
  if (!tooltip.empty()) out << ", tooltip=" << dot_quote(tooltip);
  out << "];\n";
}

void write_legend(const Diagram& diagram, std::ostream& out) {
  out << "  " << dot_id(diagram_ids::kLegend)
      << " [shape=plaintext, style=\"\", label=<<TABLE BORDER=\"0\" CELLBORDER=\"1\" "
         "CELLSPACING=\"3\" CELLPADDING=\"3\" COLOR=\""
      << colour::kLegendBorder
      << "\">"
         "<TR><TD BORDER=\"0\" COLSPAN=\"2\"><B>Legend</B></TD></TR>";
  for (Look look : diagram.legend) {
    const LookStyle& s = style_of(look);
    out << "<TR><TD BGCOLOR=\"" << s.fill << "\" COLOR=\"" << s.stroke
        << "\" WIDTH=\"18\"> </TD><TD BORDER=\"0\" ALIGN=\"LEFT\">"
        << look_description(look, diagram.workloads) << "</TD></TR>";
  }
  if (diagram.diff) {     // edges coloured by their change: a row for each change drawn
    std::set<int> drawn;  // a change's number, -1 for unchanged
    for (const auto& e : diagram.edges)
      if (!e.invisible) drawn.insert(e.change ? static_cast<int>(*e.change) : -1);
    for (std::optional<graph::Change> change :
         {std::optional<graph::Change>(graph::Change::Added),
          std::optional<graph::Change>(graph::Change::Removed),
          std::optional<graph::Change>(graph::Change::Widened),
          std::optional<graph::Change>(graph::Change::Narrowed),
          std::optional<graph::Change>(graph::Change::Changed), std::optional<graph::Change>()}) {
      if (!drawn.count(change ? static_cast<int>(*change) : -1)) continue;
      out << "<TR><TD BORDER=\"0\"><FONT COLOR=\"" << change_style(change).line
          << "\">&#9473;&#9473;</FONT></TD><TD BORDER=\"0\" ALIGN=\"LEFT\">"
          << (change ? std::string(graph::change_name(*change)) + " access"
                     : std::string("unchanged"))
          << "</TD></TR>";
    }
  } else {
    out << "<TR><TD BORDER=\"0\" COLSPAN=\"2\" ALIGN=\"LEFT\"><FONT COLOR=\"" << colour::kWarning
        << "\">red edges: from any source or to any address</FONT></TD></TR>";
  }
  if (std::any_of(diagram.edges.begin(), diagram.edges.end(),
                  [](const DiagramEdge& e) { return e.faded; }))
    out << "<TR><TD BORDER=\"0\" COLSPAN=\"2\" ALIGN=\"LEFT\"><FONT COLOR=\"" << colour::kPath
        << "\">purple edges: the paths of the answer</FONT></TD></TR>";
  out << "</TABLE>>];\n";
}

}  // namespace

std::string sfdp_attributes(std::size_t nodes) {
  return std::string("layout=") + layout_name(Layout::Sfdp) + ", quadtree=fast, " +
         "outputorder=edgesfirst, " + (nodes <= kOverlapRemovalMaxNodes ? "overlap=prism, " : "");
}

void write_dot(const graph::Analysis& a, const DotOptions& options, std::ostream& out) {
  write_dot(make_diagram(a, options), out);
}

std::string namespace_anchor(const Diagram& d, bool into) {
  return std::string(d.layout != Layout::Dot || !into ? diagram_ids::kNamespace
                                                      : diagram_ids::kNamespaceIn);
}

namespace {

// What write_dot's parts share: whether dot ranks the picture, and where the edges of the
// whole namespace leave from and arrive at.
struct DotFrame {
  bool ranked = true;
  bool any_service = false;
  bool from_namespace = false, into_namespace = false;
  std::string anchor_out, anchor_in;
  // Top down: the box each node is drawn in (the main namespace's, another's; none: absent).
  std::map<std::string, std::string> box;
  std::string box_of(const std::string& id) const {
    if (id.empty()) return main_box;  // the namespace as a whole
    auto it = box.find(id);
    return it == box.end() ? "" : it->second;
  }
  std::string main_box;
  // Top down: the nodes the namespace as a whole sends to (an edge from "").
  std::set<std::string> namespace_sends_to;
  // Top down, each box any source reaches along the picture's edges between boxes, by how many
  // boxes deep (1: any source sends to it): an edge from a deeper box to a shallower one does
  // not rank, so the boxes stand in the order traffic from outside enters them (frontend,
  // backend, data), and an edge back up is drawn back up.
  std::map<std::string, int> depth;
  // Top down, the boxes other than the main one that an edge from elsewhere enters: a source
  // drawn in one (a selector of its pods) is not held in the top row, where it would stretch
  // its box over the whole picture.
  std::set<std::string> entered;
  // Two services or more drawn in one of the picture's rows (Diagram::rows), by box ("" the
  // main one), each row in its order.
  std::map<std::string, std::vector<std::vector<std::string>>> rows;
};

// The pairs of nodes an edge of the picture joins, either way, directly or through a junction.
std::set<std::pair<std::string, std::string>> joined(const Diagram& diagram) {
  std::map<std::string, std::vector<std::string>> into_junction;
  for (const auto& e : diagram.edges)
    if (e.into_junction) into_junction[e.to].push_back(e.from);
  std::set<std::pair<std::string, std::string>> pairs;
  auto join_pair = [&](const std::string& a, const std::string& b) {
    pairs.emplace(a, b);
    pairs.emplace(b, a);
  };
  for (const auto& e : diagram.edges) {
    if (e.invisible || e.into_junction) continue;
    auto sources = into_junction.find(e.from);
    if (sources == into_junction.end())
      join_pair(e.from, e.to);
    else
      for (const auto& from : sources->second) join_pair(from, e.to);
  }
  return pairs;
}

// The picture's rows (Diagram::rows) by box, of the nodes it draws (DOT ids), those of two
// nodes or more. A node an edge of this picture joins to one before it in its row is left
// out: held in one rank, the two would make a flat edge with a label, which dot can fail to
// route ("lost edge") and then frees twice (a reach answer's direct edge between two
// services the whole picture joins through a junction).
std::map<std::string, std::vector<std::vector<std::string>>> drawn_rows(const Diagram& diagram) {
  std::map<std::string, const DiagramNode*> drawn;
  for (const auto& n : diagram.nodes) drawn.emplace(n.id, &n);
  const std::set<std::pair<std::string, std::string>> pairs = joined(diagram);
  std::map<std::string, std::vector<std::vector<std::string>>> rows;
  for (const auto& row : diagram.rows) {
    std::map<std::string, std::vector<std::string>> held;  // by box
    std::vector<std::string> kept;
    for (const auto& id : row) {
      auto node = drawn.find(id);
      if (node == drawn.end() || std::any_of(kept.begin(), kept.end(), [&](const std::string& k) {
            return pairs.count({k, id}) > 0;
          }))
        continue;
      kept.push_back(id);
      const DiagramNode& n = *node->second;
      if (in_main_box(diagram, n))
        held[""].push_back(dot_id(id));
      else if (!n.box.empty())
        held[n.box].push_back(dot_id(id));
    }
    for (auto& [box, ids] : held)
      if (ids.size() >= 2) rows[box].push_back(std::move(ids));
  }
  return rows;
}

DotFrame dot_frame(const Diagram& diagram) {
  DotFrame frame;
  frame.ranked = diagram.layout == Layout::Dot;
  frame.any_service = std::any_of(diagram.nodes.begin(), diagram.nodes.end(),
                                  [](const DiagramNode& n) { return n.place == Place::Namespace; });
  frame.from_namespace =
      std::any_of(diagram.edges.begin(), diagram.edges.end(),
                  [](const DiagramEdge& e) { return e.from.empty() && !e.invisible; });
  frame.into_namespace =
      std::any_of(diagram.edges.begin(), diagram.edges.end(),
                  [](const DiagramEdge& e) { return e.to.empty() && !e.invisible; });
  if (frame.ranked) frame.rows = drawn_rows(diagram);
  frame.anchor_out = namespace_anchor(diagram, false);
  frame.anchor_in = namespace_anchor(diagram, true);
  if (diagram.top_down) {
    for (const auto& e : diagram.edges)
      if (e.from.empty() && !e.invisible) frame.namespace_sends_to.insert(e.to);
    frame.main_box = "namespace " + diagram.ns;
    for (const auto& node : diagram.nodes)
      if (in_main_box(diagram, node))
        frame.box[node.id] = frame.main_box;
      else if (!node.box.empty())
        frame.box[node.id] = "namespace " + node.box;
    std::map<std::string, std::set<std::string>> next;  // box -> the boxes it sends to
    std::vector<std::string> first;                     // the boxes any source sends to
    for (const auto& e : diagram.edges) {
      if (e.invisible) continue;
      const std::string from = frame.box_of(e.from), to = frame.box_of(e.to);
      if (to.empty() || from == to) continue;
      if (to != frame.main_box) frame.entered.insert(to);
      if (from.empty() && e.from == graph::kAnySourceId) first.push_back(to);
      if (!from.empty()) next[from].insert(to);
    }
    for (const auto& box : first) frame.depth.emplace(box, 1);
    for (std::vector<std::string> level = first; !level.empty();) {
      std::vector<std::string> deeper;
      for (const auto& box : level)
        for (const auto& to : next[box])
          if (frame.depth.emplace(to, frame.depth.at(box) + 1).second) deeper.push_back(to);
      level = std::move(deeper);
    }
  }
  return frame;
}

// The graph's attributes: the title (with what it was drawn from and its notes), the layout.
void write_dot_header(const Diagram& diagram, const DotFrame& frame, std::ostream& out) {
  const std::string title = join(title_lines(diagram), "\n");
  out << "digraph \"netpol-graph\" {\n";
  out << "  graph [";
  if (frame.ranked)
    out << "rankdir=" << (diagram.top_down ? "TB" : "LR") << ", compound=true, newrank=true, ";
  else
    out << sfdp_attributes(diagram.nodes.size());
  // The services' rows hold their order only without dot's second crossing minimisation over
  // the boxes, which moves nodes past the invisible edges along a row.
  if (!frame.rows.empty()) out << "remincross=false, ";
  // Top down, the labels sit beside the edges, not on them: the ranks need less room. Nodes
  // stand dot's default 18 pt apart (22 left otlp-default-endpoint 10.6 pt in an 880 px
  // column; label_room keeps labels an em apart whatever the nodes' spacing).
  out << "fontname=\"Helvetica\", nodesep=0.25, ranksep=" << (diagram.top_down ? "0.5" : "1.0")
      << ", pad=0.3, labelloc=t, label=" << dot_quote(title)
      << ", fontsize=" << (diagram.disabled ? 20 : 16) << ", fontcolor=\""
      << (diagram.disabled ? colour::kWarning : colour::kTitle) << "\"];\n";
  out << "  node [fontname=\"Helvetica\", fontsize=" << kNodeFontSize << "];\n";
  out << "  edge [fontname=\"Helvetica\", fontsize=" << kEdgeFontSize << ", color=\""
      << colour::kBorder << "\", fontcolor=\"#374151\", arrowsize=0.7];\n";
}

// The rows of the services of a box (`box`, "" for the main one), each held in its order by
// invisible edges along it (Diagram::rows).
void write_rows(const DotFrame& frame, const std::string& box, std::ostream& out) {
  auto rows = frame.rows.find(box);
  if (rows == frame.rows.end()) return;
  for (const auto& row : rows->second) {
    out << "    { rank=same; " << join(row, "; ") << "; }\n";
    // An edge from each node to every one after it: dot keeps the order of two nodes a flat
    // edge joins, but with edges between neighbours only it can still move a node past two
    // of them (in a left-to-right picture of a reach answer it did).
    for (std::size_t i = 0; i + 1 < row.size(); ++i)
      out << "    " << row[i] << " -> { "
          << join(std::vector<std::string>(row.begin() + i + 1, row.end()), " ")
          << " } [style=invis];\n";
  }
}

// dot: the namespace's box with its title, anchors and services, then a box for every other
// namespace that holds a drawn workload or selected pods. sfdp: the namespace as one node.
void write_dot_boxes(const Diagram& diagram, const DotFrame& frame, std::ostream& out) {
  if (!frame.ranked) {
    out << "  " << dot_id(frame.anchor_out) << " [label="
        << dot_quote(diagram.namespace_label + "\n(every " + service_word(diagram.workloads) +
                     " in it)")
        << ", shape=box, style=\"rounded,dashed\", color=\""
        << (diagram.disabled ? colour::kWarning : colour::kBorder) << "\"];\n";
    for (const auto& n : diagram.nodes)
      if (n.place == Place::Namespace) write_node(n, "  ", out);
    return;
  }
  out << "  subgraph \"" << kCluster << "\" {\n";
  out << "    label=\"\";\n    style=\"rounded,dashed\";\n    color=\""
      << (diagram.disabled ? colour::kWarning : colour::kBorder) << "\";\n";
  // The title is a node of the box: Graphviz routes edges around nodes, never through
  // them, so no edge crosses it (tests/title_clear.py checks the docs, samples and oracle
  // cases). A cluster label is only painted over. It is tied to no rank: dot sets it at the
  // box's left, where no edge runs (in the column of the namespace's last service, edges
  // to the boxes of other namespaces ran through it).
  out << "    " << dot_id(diagram_ids::kNamespaceTitle)
      << " [label=" << dot_quote(join(box_title_lines(diagram.namespace_label), "\n"))
      << ", shape=plaintext, fontsize=" << kBoxTitleFontSize << ", fontcolor=\"" << colour::kTitle
      << "\", tooltip=" << dot_quote(diagram.namespace_label) << "];\n";
  if (!frame.any_service)  // an empty cluster is not drawn; keep the namespace visible
    out << "    " << dot_id(diagram_ids::kEmpty) << " [label=\"no services\", shape=plaintext];\n";
  // Edges of the whole namespace leave from a point right of its services (and arrive at
  // one left of them), clipped at the box: they leave the box, not a service.
  if (frame.from_namespace)
    out << "    " << dot_id(frame.anchor_out)
        << " [shape=point, style=invis, width=0, height=0, label=\"\"];\n";
  if (frame.into_namespace)
    out << "    " << dot_id(frame.anchor_in)
        << " [shape=point, style=invis, width=0, height=0, label=\"\"];\n";
  for (const auto& n : diagram.nodes)
    if (in_main_box(diagram, n))
      write_node(n, "    ", out);  // its services, and selectors of its own pods
  write_rows(frame, "", out);
  out << "  }\n";
  const std::vector<std::string> boxes = other_boxes(diagram);
  for (std::size_t i = 0; i < boxes.size(); ++i) {
    const std::string title = "namespace " + boxes[i];
    out << "  subgraph " << dot_quote(std::string(kCluster) + ":" + boxes[i]) << " {\n";
    out << "    label=\"\";\n    style=\"rounded,dashed\";\n    color=\"" << colour::kBorder
        << "\";\n";
    out << "    " << dot_id(diagram_ids::namespace_title(boxes[i]))
        << " [label=" << dot_quote(join(box_title_lines(title), "\n"))
        << ", shape=plaintext, fontsize=" << kBoxTitleFontSize << ", fontcolor=\"" << colour::kTitle
        << "\", tooltip=" << dot_quote(title) << "];\n";
    for (const auto& n : diagram.nodes)
      if (n.box == boxes[i] && n.place != Place::Namespace) write_node(n, "    ", out);
    write_rows(frame, boxes[i], out);
    out << "  }\n";
  }
}

// The nodes of one place in one rank: the sources in the top row (but a source drawn in
// another namespace's box that an edge enters, DotFrame::entered), the destinations in one.
void write_rank(const Diagram& diagram, const DotFrame& frame, Place place, const char* rank,
                std::ostream& out) {
  std::string members;
  for (const auto& n : diagram.nodes)
    if (n.place == place && !(place == Place::Source && !in_main_box(diagram, n) &&
                              frame.entered.count(frame.box_of(n.id))))
      members += " " + dot_id(n.id) + ";";
  // Left to right, the legend stands in the destinations' column; top down, in a row of its
  // own under them, where it makes the picture no wider.
  if (place == Place::Destination && !diagram.top_down)
    members += " " + dot_id(diagram_ids::kLegend) + ";";
  if (!members.empty()) out << "  { rank=" << rank << ";" << members << " }\n";
}

// dot: sources first, destinations last, and the namespace's anchors right of (and left of)
// its services.
void write_dot_ranks(const Diagram& diagram, const DotFrame& frame, std::ostream& out) {
  if (!frame.ranked) return;
  write_rank(diagram, frame, Place::Source, "min", out);
  // Top down, the legend is a row under everything: below every node no visible edge leaves,
  // the destinations in one row (not the last rank, which the legend takes).
  write_rank(diagram, frame, Place::Destination, diagram.top_down ? "same" : "max", out);
  // The destinations in the order the picture lists them, the same in the graph's, a focus's
  // and a diff's picture of one chart: invisible edges along the row (the column, left to
  // right) hold it.
  std::string row;
  for (const auto& n : diagram.nodes)
    if (n.place == Place::Destination && n.box.empty())
      row += (row.empty() ? "  " : " -> ") + dot_id(n.id);
  if (row.find(" -> ") != std::string::npos) out << row << " [style=invis];\n";
  if (diagram.top_down) {
    std::set<std::string> leave;
    for (const auto& e : diagram.edges)
      if (!e.invisible) leave.insert(e.from.empty() ? frame.anchor_out : e.from);
    for (const auto& n : diagram.nodes)
      if (n.look != Look::Junction && !leave.count(n.id))
        out << "  " << dot_id(n.id) << " -> " << dot_id(diagram_ids::kLegend)
            << " [style=invis];\n";
    // Each box's title in a row above its nodes, not beside them, where it would widen the
    // picture.
    for (const auto& n : diagram.nodes) {
      if (n.look == Look::Junction) continue;
      if (in_main_box(diagram, n))
        out << "  " << dot_id(diagram_ids::kNamespaceTitle) << " -> " << dot_id(n.id)
            << " [style=invis];\n";
      else if (!n.box.empty())
        out << "  " << dot_id(diagram_ids::namespace_title(n.box)) << " -> " << dot_id(n.id)
            << " [style=invis];\n";
    }
  }
  for (const auto& n : diagram.nodes) {
    if (n.place != Place::Namespace || n.look == Look::Junction) continue;
    if (frame.from_namespace)
      out << "  " << dot_id(n.id) << " -> " << dot_id(frame.anchor_out) << " [style=invis];\n";
    if (frame.into_namespace)
      out << "  " << dot_id(frame.anchor_in) << " -> " << dot_id(n.id) << " [style=invis];\n";
  }
}

// One edge: its label (a tooltip under sfdp), the box it leaves or enters, and its colour:
// a path of a reach answer, faded, a diff's change, or a warning.
void write_dot_edge(const Diagram& diagram, const DotFrame& frame, const DiagramEdge& edge,
                    std::ostream& out) {
  if (edge.invisible) {
    if (frame.ranked)
      out << "  " << dot_id(edge.from) << " -> " << dot_id(edge.to) << " [style=invis];\n";
    return;
  }
  out << "  " << dot_id(edge.from.empty() ? frame.anchor_out : edge.from) << " -> "
      << dot_id(edge.to.empty() ? frame.anchor_in : edge.to) << " [";
  std::vector<std::string> attrs, styles;
  // A diff's unchanged edge is context: drawn faded, its ports in its tooltip, so that the
  // changes' labels are the ones read (and the picture is narrower by the labels' room).
  const bool label_on_line = frame.ranked && !(diagram.diff && !edge.change);
  if (edge.into_junction)
    attrs.push_back("arrowhead=none");
  else if (!label_on_line)
    attrs.push_back("tooltip=" + dot_quote(edge.tooltip.empty() ? edge.label : edge.tooltip));
  else
    attrs.push_back("label=" + dot_quote(edge.label));
  if (label_on_line && !edge.tooltip.empty()) attrs.push_back("tooltip=" + dot_quote(edge.tooltip));
  // Top down, an edge into a box from outside it leaves two rows between them: the box can
  // stand below its sources (another box, any source) instead of beside them, and the label
  // sits in the upper row, clear of the box's border (in the lower it would lie on it).
  if (diagram.top_down) {
    std::string to = frame.box_of(edge.to);
    const std::string from = frame.box_of(edge.from);
    if (!to.empty() && from != to) attrs.push_back("minlen=3");
    // From a box deeper from any source to a shallower one: the way back up does not rank.
    // Otherwise, into the namespace as a whole from a node it sends to as a whole: the way back
    // does not rank (the cycle through the namespace's anchors would stretch its box over every
    // rank between them).
    auto from_depth = frame.depth.find(from), to_depth = frame.depth.find(to);
    if (from_depth != frame.depth.end() && to_depth != frame.depth.end() &&
        from_depth->second != to_depth->second) {
      if (from_depth->second > to_depth->second) attrs.push_back("constraint=false");
    } else if (edge.to.empty() && frame.namespace_sends_to.count(edge.from)) {
      attrs.push_back("constraint=false");
    }
  }
  if (edge.from.empty()) {
    if (frame.ranked) attrs.push_back(std::string("ltail=\"") + kCluster + "\"");
    styles.push_back("dashed");
  }
  if (edge.to.empty()) {
    if (frame.ranked) attrs.push_back(std::string("lhead=\"") + kCluster + "\"");
    if (styles.empty()) styles.push_back("dashed");
  }
  // An edge for every node of another namespace's box (bundle_boxes): clipped at the box.
  if (frame.ranked && !edge.to_box.empty())
    attrs.push_back("lhead=" + dot_quote(std::string(kCluster) + ":" + edge.to_box));
  if (frame.ranked && !edge.from_box.empty())
    attrs.push_back("ltail=" + dot_quote(std::string(kCluster) + ":" + edge.from_box));
  auto colours = [&](const char* c, const char* width) {
    attrs.push_back(std::string("color=\"") + c + "\"");
    if (!edge.into_junction) attrs.push_back(std::string("fontcolor=\"") + c + "\"");
    if (width) attrs.push_back(std::string("penwidth=") + width);
  };
  if (edge.on_path) {
    colours(colour::kPath, "2.5");
  } else if (edge.faded) {
    colours(colour::kFaded, nullptr);
  } else if (diagram.diff) {
    ChangeStyle c = change_style(edge.change);
    colours(c.line, nullptr);
    if (std::string(c.style) != "solid" &&
        std::find(styles.begin(), styles.end(), c.style) == styles.end())
      styles.push_back(c.style);
  } else if (edge.warning) {
    colours(colour::kWarning, "1.5");
  }
  if (!styles.empty()) {
    std::string joined;
    for (const auto& st : styles) joined += (joined.empty() ? "" : ",") + st;
    attrs.push_back("style=\"" + joined + "\"");
  }
  for (std::size_t i = 0; i < attrs.size(); ++i) out << (i ? ", " : "") << attrs[i];
  out << "];\n";
}

}  // namespace

void write_dot(const Diagram& diagram, std::ostream& out) {
  // dot: ranks left to right, the namespace a cluster, ports on the edges. sfdp (a large
  // picture): no ranks or clusters, the namespace a node, ports in tooltips, since sfdp's
  // placement of 30,000 edge labels alone takes minutes.
  const DotFrame frame = dot_frame(diagram);
  write_dot_header(diagram, frame, out);
  write_dot_boxes(diagram, frame, out);
  for (const auto& n : diagram.nodes)
    if (n.place != Place::Namespace && (!frame.ranked || n.box.empty())) write_node(n, "  ", out);
  write_legend(diagram, out);
  write_dot_ranks(diagram, frame, out);
  for (const auto& e : diagram.edges) write_dot_edge(diagram, frame, e, out);
  out << "}\n";
}

}  // namespace netpol::exporters
