#include "exporters/mermaid.hpp"

#include <cctype>
#include <map>
#include <nlohmann/json.hpp>

#include "exporters/palette.hpp"
#include "text.hpp"

namespace netpol::exporters {

std::string mermaid_text(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (c == '\n') {
      out += "<br/>";
    } else if (std::isalnum(c) || c == ' ' || c == '.' || c == ',' || c == ':' || c == '/' ||
               c == '(' || c == ')' || c == '=' || c == '_' || c == '-' || c == '*' || c >= 0x80) {
      out += static_cast<char>(c);
    } else {
      out += "#" + std::to_string(c) + ";";
    }
  }
  return out;
}

namespace {

const char* const kNamespace = "ns";
const char* const kLegend = "legend";  // the legend subgraph, and its nodes legend0, ...

// The node's shape around its quoted label: rounded boxes for services, stadiums for
// sources, plain boxes for destinations.
std::string shaped(Look look, const std::string& label) {
  std::string q = "\"" + label + "\"";
  switch (look) {
    case Look::Service:
    case Look::ExposedService:
      return "(" + q + ")";
    case Look::ServiceClass:
      return "[[" + q + "]]";
    case Look::Junction:  // where a bundle's edges meet: a small circle
      return "((\" \"))";
    case Look::AnySource:
    case Look::Source:
    case Look::UnknownPeer:
      return "([" + q + "])";
    default:
      return "[" + q + "]";
  }
}

}  // namespace

void write_mermaid(const graph::Analysis& analysis, const DiagramOptions& options,
                   std::ostream& out) {
  DiagramOptions o = options;
  o.layout = Layout::Dot;  // Mermaid lays out itself: grouping applies, the engine does not
  Diagram diagram = make_diagram(analysis, o);
  std::map<std::string, std::string> ids;
  for (std::size_t i = 0; i < diagram.nodes.size(); ++i)
    ids[diagram.nodes[i].id] = "n" + std::to_string(i);
  auto id = [&](const std::string& node) { return node.empty() ? kNamespace : ids.at(node); };

  // The front matter's title as a JSON string, which YAML reads as it is (a file name may
  // hold quotes and backslashes).
  std::string title = diagram.title;
  if (!diagram.source.empty()) title += " (" + diagram.source + ")";
  for (std::size_t i = 0; i < diagram.notes.size(); ++i)
    title += (i ? "; " : ". ") + diagram.notes[i];
  out << "---\ntitle: "
      << nlohmann::json(title).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
      << "\n---\n";
  out << "flowchart " << (diagram.top_down ? "TB" : "LR") << "\n";
  out << "  subgraph " << kNamespace << "[\"" << mermaid_text(diagram.namespace_label) << "\"]\n";
  for (const auto& n : diagram.nodes)
    if (in_main_box(diagram, n))
      out << "    " << id(n.id) << shaped(n.look, mermaid_text(join(n.lines, "\n"))) << "\n";
  out << "  end\n";
  // Every other namespace that holds a drawn workload or selected pods: a box of its own.
  const std::vector<std::string> boxes = other_boxes(diagram);
  for (std::size_t i = 0; i < boxes.size(); ++i) {
    out << "  subgraph " << kNamespace << i << "[\"" << mermaid_text("namespace " + boxes[i])
        << "\"]\n";
    for (const auto& n : diagram.nodes)
      if (n.box == boxes[i] && n.place != Place::Namespace)
        out << "    " << id(n.id) << shaped(n.look, mermaid_text(join(n.lines, "\n"))) << "\n";
    out << "  end\n";
  }
  for (const auto& n : diagram.nodes)
    if (n.place != Place::Namespace && n.box.empty())
      out << "  " << id(n.id) << shaped(n.look, mermaid_text(join(n.lines, "\n"))) << "\n";

  std::vector<std::size_t> warnings;
  std::size_t index = 0;
  // An edge for every node of another namespace's box (bundle_boxes) links the box.
  auto box_id = [&](const std::string& box) {
    return kNamespace + std::to_string(static_cast<std::size_t>(
                            std::find(boxes.begin(), boxes.end(), box) - boxes.begin()));
  };
  for (const auto& e : diagram.edges) {
    out << "  " << (e.from_box.empty() ? id(e.from) : box_id(e.from_box));
    if (e.invisible)
      out << " ~~~ ";
    else if (e.into_junction)
      out << " --- ";
    else if (e.from.empty())
      out << " -.->|\"" << mermaid_text(e.label) << "\"| ";
    else
      out << " -->|\"" << mermaid_text(e.label) << "\"| ";
    out << (e.to_box.empty() ? id(e.to) : box_id(e.to_box)) << "\n";
    if (e.warning) warnings.push_back(index);
    ++index;
  }

  // The legend, as DOT draws it: a box per look that occurs, and what red edges mean.
  out << "  subgraph " << kLegend << "[\"Legend\"]\n    direction TB\n";
  for (std::size_t i = 0; i < diagram.legend.size(); ++i)
    out << "    " << kLegend << i << "[\""
        << mermaid_text(look_description(diagram.legend[i], diagram.workloads)) << "\"]\n";
  out << "    " << kLegend << "_red[\""
      << mermaid_text("red edges: from any source or to any address") << "\"]\n";
  out << "  end\n";
  // Right of the destinations, as in DOT, not among the sources.
  std::string last;
  for (const auto& n : diagram.nodes)
    if (n.place == Place::Destination) last = n.id;
  if (!last.empty()) out << "  " << id(last) << " ~~~ " << kLegend << "\n";

  std::map<std::string, std::string> members;  // class -> "n0,n3"
  for (const auto& n : diagram.nodes) {
    std::string& m = members[style_of(n.look).mermaid_class];
    m += (m.empty() ? "" : ",") + id(n.id);
  }
  for (std::size_t i = 0; i < diagram.legend.size(); ++i) {
    std::string& m = members[style_of(diagram.legend[i]).mermaid_class];
    m += (m.empty() ? "" : ",") + std::string(kLegend) + std::to_string(i);
  }
  std::vector<Look> styled = diagram.legend;
  if (!members[style_of(Look::Junction).mermaid_class].empty()) styled.push_back(Look::Junction);
  for (Look look : styled) {
    const char* name = style_of(look).mermaid_class;
    out << "  classDef " << name << " " << mermaid_style(look) << "\n";
    out << "  class " << members[name] << " " << name << "\n";
  }
  out << "  style " << kNamespace
      << " fill:none,stroke:" << (diagram.disabled ? colour::kWarning : colour::kBorder)
      << ",stroke-dasharray:5 4\n";
  out << "  style " << kLegend << " fill:none,stroke:" << colour::kLegendBorder << "\n";
  out << "  style " << kLegend << "_red fill:none,stroke:none,color:" << colour::kWarning << "\n";
  if (!warnings.empty()) {
    out << "  linkStyle ";
    for (std::size_t i = 0; i < warnings.size(); ++i) out << (i ? "," : "") << warnings[i];
    out << " stroke:" << colour::kWarning << ",color:" << colour::kWarning << "\n";
  }
}

}  // namespace netpol::exporters
