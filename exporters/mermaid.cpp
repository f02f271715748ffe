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
  std::string quoted = "\"" + label + "\"";
  switch (look) {
    case Look::Service:
    case Look::ExposedService:
      return "(" + quoted + ")";
    case Look::ServiceClass:
      return "[[" + quoted + "]]";
    case Look::Junction:  // where a bundle's edges meet: a small circle
      return "((\" \"))";
    case Look::AnySource:
    case Look::Source:
    case Look::UnknownPeer:
      return "([" + quoted + "])";
    default:
      return "[" + quoted + "]";
  }
}

// Prints one Diagram as Mermaid, part by part: the title, the boxes and nodes, the edges,
// the legend and the styles.
class MermaidWriter {
 public:
  MermaidWriter(const Diagram& diagram, std::ostream& out)
      : diagram_(diagram), out_(out), boxes_(other_boxes(diagram)) {
    for (std::size_t i = 0; i < diagram.nodes.size(); ++i)
      ids_[diagram.nodes[i].id] = "n" + std::to_string(i);
  }

  void write() {
    write_title();
    out_ << "flowchart " << (diagram_.top_down ? "TB" : "LR") << "\n";
    write_nodes();
    write_edges();
    write_legend();
    write_styles();
  }

 private:
  std::string id(const std::string& node) const {
    return node.empty() ? kNamespace : ids_.at(node);
  }

  // Another namespace's box (bundle_boxes links the box for every node of it).
  std::string box_id(const std::string& box) const {
    return kNamespace + std::to_string(static_cast<std::size_t>(
                            std::find(boxes_.begin(), boxes_.end(), box) - boxes_.begin()));
  }

  void write_node(const DiagramNode& node, const char* indent) {
    out_ << indent << id(node.id) << shaped(node.look, mermaid_text(join(node.lines, "\n")))
         << "\n";
  }

  // The front matter's title as a JSON string, which YAML reads as it is (a file name may
  // hold quotes and backslashes).
  void write_title() {
    std::string title = diagram_.title;
    if (!diagram_.source.empty()) title += " (" + diagram_.source + ")";
    for (std::size_t i = 0; i < diagram_.notes.size(); ++i)
      title += (i ? "; " : ". ") + diagram_.notes[i];
    out_ << "---\ntitle: "
         << nlohmann::json(title).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
         << "\n---\n";
  }

  // The main namespace's box, every other namespace that holds a drawn workload or selected
  // pods as a box of its own, then the nodes in no box.
  void write_nodes() {
    out_ << "  subgraph " << kNamespace << "[\"" << mermaid_text(diagram_.namespace_label)
         << "\"]\n";
    for (const auto& node : diagram_.nodes)
      if (in_main_box(diagram_, node)) write_node(node, "    ");
    out_ << "  end\n";
    for (std::size_t i = 0; i < boxes_.size(); ++i) {
      out_ << "  subgraph " << kNamespace << i << "[\"" << mermaid_text("namespace " + boxes_[i])
           << "\"]\n";
      for (const auto& node : diagram_.nodes)
        if (node.box == boxes_[i] && node.place != Place::Namespace) write_node(node, "    ");
      out_ << "  end\n";
    }
    for (const auto& node : diagram_.nodes)
      if (node.place != Place::Namespace && node.box.empty()) write_node(node, "  ");
  }

  void write_edges() {
    std::size_t index = 0;
    for (const auto& edge : diagram_.edges) {
      out_ << "  " << (edge.from_box.empty() ? id(edge.from) : box_id(edge.from_box));
      if (edge.invisible)
        out_ << " ~~~ ";
      else if (edge.into_junction)
        out_ << " --- ";
      else if (edge.from.empty())
        out_ << " -.->|\"" << mermaid_text(edge.label) << "\"| ";
      else
        out_ << " -->|\"" << mermaid_text(edge.label) << "\"| ";
      out_ << (edge.to_box.empty() ? id(edge.to) : box_id(edge.to_box)) << "\n";
      if (edge.warning) warnings_.push_back(index);
      ++index;
    }
  }

  // The legend, as DOT draws it: a box per look that occurs, and what red edges mean; right
  // of the destinations, as in DOT, not among the sources.
  void write_legend() {
    out_ << "  subgraph " << kLegend << "[\"Legend\"]\n    direction TB\n";
    for (std::size_t i = 0; i < diagram_.legend.size(); ++i)
      out_ << "    " << kLegend << i << "[\""
           << mermaid_text(look_description(diagram_.legend[i], diagram_.workloads)) << "\"]\n";
    out_ << "    " << kLegend << "_red[\""
         << mermaid_text("red edges: from any source or to any address") << "\"]\n";
    out_ << "  end\n";
    std::string last;
    for (const auto& node : diagram_.nodes)
      if (node.place == Place::Destination) last = node.id;
    if (!last.empty()) out_ << "  " << id(last) << " ~~~ " << kLegend << "\n";
  }

  // A class per look that occurs, the boxes' borders, and the red of warning edges.
  void write_styles() {
    std::map<std::string, std::string> members;  // class -> "n0,n3"
    auto add_member = [&](Look look, const std::string& member) {
      std::string& listed = members[style_of(look).mermaid_class];
      listed += (listed.empty() ? "" : ",") + member;
    };
    for (const auto& node : diagram_.nodes) add_member(node.look, id(node.id));
    for (std::size_t i = 0; i < diagram_.legend.size(); ++i)
      add_member(diagram_.legend[i], std::string(kLegend) + std::to_string(i));
    std::vector<Look> styled = diagram_.legend;
    if (!members[style_of(Look::Junction).mermaid_class].empty()) styled.push_back(Look::Junction);
    for (Look look : styled) {
      const char* name = style_of(look).mermaid_class;
      out_ << "  classDef " << name << " " << mermaid_style(look) << "\n";
      out_ << "  class " << members[name] << " " << name << "\n";
    }
    out_ << "  style " << kNamespace
         << " fill:none,stroke:" << (diagram_.disabled ? colour::kWarning : colour::kBorder)
         << ",stroke-dasharray:5 4\n";
    out_ << "  style " << kLegend << " fill:none,stroke:" << colour::kLegendBorder << "\n";
    out_ << "  style " << kLegend << "_red fill:none,stroke:none,color:" << colour::kWarning
         << "\n";
    if (!warnings_.empty()) {
      out_ << "  linkStyle ";
      for (std::size_t i = 0; i < warnings_.size(); ++i) out_ << (i ? "," : "") << warnings_[i];
      out_ << " stroke:" << colour::kWarning << ",color:" << colour::kWarning << "\n";
    }
  }

  const Diagram& diagram_;
  std::ostream& out_;
  const std::vector<std::string> boxes_;
  std::map<std::string, std::string> ids_;  // node id -> n0, n1, ...
  std::vector<std::size_t> warnings_;       // the edges drawn red, by index
};

}  // namespace

void write_mermaid(const graph::Analysis& analysis, const DiagramOptions& options,
                   std::ostream& out) {
  // Mermaid lays out itself: grouping applies, the engine and Graphviz's rows do not.
  DiagramOptions mermaid_options = options;
  mermaid_options.layout = Layout::Dot;
  mermaid_options.hold_rows = false;
  const Diagram diagram = make_diagram(analysis, mermaid_options);
  MermaidWriter(diagram, out).write();
}

}  // namespace netpol::exporters
