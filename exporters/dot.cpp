#include "exporters/dot.hpp"

#include <algorithm>

#include "exporters/palette.hpp"

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

std::string dot_id(const std::string& id) {
  std::string out = "\"";
  for (char c : id) {
    if (c == '"') out += '\\';
    out += c;
  }
  // A backslash before the closing quote would escape it; DOT cannot end an ID with one.
  if (!id.empty() && id.back() == '\\') out += ' ';
  return out + "\"";
}

namespace {

const char* const kCluster = "cluster_namespace";
const char* const kLegendId = "netpol-graph:legend";
const char* const kNamespaceNode = "netpol-graph:namespace";

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i) out += (i ? "\n" : "") + lines[i];
  return out;
}

void write_node(const DiagramNode& n, const char* indent, std::ostream& out) {
  const LookStyle& s = style_of(n.look);
  out << indent << dot_id(n.id) << " [label=" << dot_quote(join_lines(n.lines))
      << ", shape=" << s.dot_shape << ", style=\"" << s.dot_style << "\", fillcolor=\""
      << (n.faded ? colour::kFadedFill : s.fill) << "\", color=\""
      << (n.faded ? colour::kFaded : s.stroke) << "\", penwidth=" << s.penwidth;
  if (n.faded) out << ", fontcolor=\"" << colour::kFadedText << "\"";
  if (!n.members.empty()) {
    std::string all;
    for (const auto& m : n.members) all += (all.empty() ? "" : ", ") + m;
    out << ", tooltip=" << dot_quote(all);
  }
  out << "];\n";
}

void write_legend(const Diagram& d, std::ostream& out) {
  out << "  " << dot_id(kLegendId)
      << " [shape=plaintext, style=\"\", label=<<TABLE BORDER=\"0\" CELLBORDER=\"1\" "
         "CELLSPACING=\"3\" CELLPADDING=\"3\" COLOR=\""
      << colour::kLegendBorder
      << "\">"
         "<TR><TD BORDER=\"0\" COLSPAN=\"2\"><B>Legend</B></TD></TR>";
  for (Look look : d.legend) {
    const LookStyle& s = style_of(look);
    out << "<TR><TD BGCOLOR=\"" << s.fill << "\" COLOR=\"" << s.stroke
        << "\" WIDTH=\"18\"> </TD><TD BORDER=\"0\" ALIGN=\"LEFT\">" << look_description(look)
        << "</TD></TR>";
  }
  out << "<TR><TD BORDER=\"0\" COLSPAN=\"2\" ALIGN=\"LEFT\"><FONT COLOR=\"" << colour::kWarning
      << "\">red "
         "edges: from any source or to any address</FONT></TD></TR>";
  if (std::any_of(d.edges.begin(), d.edges.end(), [](const DiagramEdge& e) { return e.faded; }))
    out << "<TR><TD BORDER=\"0\" COLSPAN=\"2\" ALIGN=\"LEFT\"><FONT COLOR=\"" << colour::kPath
        << "\">purple edges: the paths of the answer</FONT></TD></TR>";
  out << "</TABLE>>];\n";
}

void write_rank(const Diagram& d, Place place, const char* rank, std::ostream& out) {
  std::string members;
  for (const auto& n : d.nodes)
    if (n.place == place) members += " " + dot_id(n.id) + ";";
  if (place == Place::Destination) members += " " + dot_id(kLegendId) + ";";
  if (!members.empty()) out << "  { rank=" << rank << ";" << members << " }\n";
}

}  // namespace

std::string sfdp_attributes(std::size_t nodes) {
  return std::string("layout=") + layout_name(Layout::Sfdp) + ", quadtree=fast, " +
         "outputorder=edgesfirst, " + (nodes <= kOverlapRemovalMaxNodes ? "overlap=prism, " : "");
}

void write_dot(const graph::Analysis& a, const DotOptions& options, std::ostream& out) {
  write_dot(make_diagram(a, options), out);
}

std::string namespace_anchor(const Diagram& d) {
  if (d.layout != Layout::Dot) return kNamespaceNode;
  for (const auto& n : d.nodes)
    if (n.place == Place::Namespace) return n.id;
  return "netpol-graph:empty";
}

void write_dot(const Diagram& d, std::ostream& out) {
  // dot: ranks left to right, the namespace a cluster, ports on the edges. sfdp (a large
  // picture): no ranks or clusters, the namespace a node, ports in tooltips, since sfdp's
  // placement of 30,000 edge labels alone takes minutes.
  bool ranked = d.layout == Layout::Dot;
  std::string first_service;
  for (const auto& n : d.nodes)
    if (n.place == Place::Namespace && first_service.empty()) first_service = n.id;
  const std::string namespace_node = namespace_anchor(d);
  std::string title = d.title;
  for (const auto& note : d.notes) title += "\n" + note;

  out << "digraph \"netpol-graph\" {\n";
  out << "  graph [";
  if (ranked)
    out << "rankdir=LR, compound=true, newrank=true, ";
  else
    out << sfdp_attributes(d.nodes.size());
  out << "fontname=\"Helvetica\", nodesep=0.3, ranksep=1.0, pad=0.3, labelloc=t, label="
      << dot_quote(title) << ", fontsize=" << (d.disabled ? 20 : 16) << ", fontcolor=\""
      << (d.disabled ? colour::kWarning : colour::kTitle) << "\"];\n";
  out << "  node [fontname=\"Helvetica\", fontsize=11];\n";
  out << "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#6b7280\", fontcolor=\"#374151\", "
         "arrowsize=0.7];\n";
  if (ranked) {
    out << "  subgraph \"" << kCluster << "\" {\n";
    out << "    label=" << dot_quote(d.namespace_label) << ";\n";
    out << "    fontsize=12;\n    style=\"rounded,dashed\";\n    color=\""
        << (d.disabled ? colour::kWarning : colour::kBorder) << "\";\n";
    if (first_service.empty())  // an empty cluster is not drawn; keep the namespace visible
      out << "    \"netpol-graph:empty\" [label=\"no services\", shape=plaintext];\n";
    for (const auto& n : d.nodes)
      if (n.place == Place::Namespace) write_node(n, "    ", out);
    out << "  }\n";
  } else {
    out << "  " << dot_id(namespace_node)
        << " [label=" << dot_quote(d.namespace_label + "\n(every service in it)")
        << ", shape=box, style=\"rounded,dashed\", color=\""
        << (d.disabled ? colour::kWarning : colour::kBorder) << "\"];\n";
    for (const auto& n : d.nodes)
      if (n.place == Place::Namespace) write_node(n, "  ", out);
  }
  for (const auto& n : d.nodes)
    if (n.place != Place::Namespace) write_node(n, "  ", out);
  write_legend(d, out);
  if (ranked) {
    write_rank(d, Place::Source, "min", out);
    write_rank(d, Place::Destination, "max", out);
  }

  for (const auto& e : d.edges) {
    if (e.invisible) {
      if (ranked) out << "  " << dot_id(e.from) << " -> " << dot_id(e.to) << " [style=invis];\n";
      continue;
    }
    out << "  " << dot_id(e.from.empty() ? namespace_node : e.from) << " -> "
        << dot_id(e.to.empty() ? namespace_node : e.to) << " [" << (ranked ? "label" : "tooltip")
        << "=" << dot_quote(e.label);
    if (e.from.empty())
      out << (ranked ? ", ltail=\"" + std::string(kCluster) + "\"" : "") << ", style=dashed";
    if (e.to.empty() && ranked) out << ", lhead=\"" << kCluster << "\"";
    if (e.on_path)
      out << ", color=\"" << colour::kPath << "\", fontcolor=\"" << colour::kPath
          << "\", penwidth=2.5";
    else if (e.faded)
      out << ", color=\"" << colour::kFaded << "\", fontcolor=\"" << colour::kFaded << "\"";
    else if (e.warning)
      out << ", color=\"" << colour::kWarning << "\", fontcolor=\"" << colour::kWarning
          << "\", penwidth=1.5";
    out << "];\n";
  }
  out << "}\n";
}

}  // namespace netpol::exporters
