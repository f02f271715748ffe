#include "exporters/mermaid.hpp"

#include <cctype>
#include <map>

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

struct ClassStyle {
  const char* name;
  const char* style;
};

ClassStyle class_of(Look look) {
  switch (look) {
    case Look::Service:
      return {"service", "fill:#dbeafe,stroke:#1d4ed8"};
    case Look::ExposedService:
      return {"exposed", "fill:#ffedd5,stroke:#c2410c,stroke-width:2px"};
    case Look::AnySource:
      return {"anysource", "fill:#fee2e2,stroke:#b91c1c,stroke-width:2px"};
    case Look::Source:
      return {"source", "fill:#e0f2fe,stroke:#0369a1"};
    case Look::UnknownPeer:
      return {"unknown", "fill:#fff7ed,stroke:#c2410c,stroke-dasharray:4 3"};
    case Look::External:
      return {"external", "fill:#fef9c3,stroke:#a16207"};
    case Look::OpenWorld:
      return {"openworld", "fill:#fee2e2,stroke:#b91c1c,stroke-width:2px"};
    case Look::Otlp:
      return {"otlp", "fill:#ede9fe,stroke:#6d28d9"};
    case Look::Dns:
      return {"dns", "fill:#f3f4f6,stroke:#6b7280"};
    case Look::ServiceClass:
      return {"serviceclass", "fill:#dbeafe,stroke:#1d4ed8,stroke-width:3px"};
  }
  return {"service", ""};
}

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
    case Look::AnySource:
    case Look::Source:
    case Look::UnknownPeer:
      return "([" + q + "])";
    default:
      return "[" + q + "]";
  }
}

std::string join(const std::vector<std::string>& lines) {
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i) out += (i ? "\n" : "") + lines[i];
  return out;
}

}  // namespace

void write_mermaid(const graph::Analysis& a, const DiagramOptions& options, std::ostream& out) {
  DiagramOptions o = options;
  o.layout = Layout::Dot;  // Mermaid lays out itself: grouping applies, the engine does not
  Diagram d = make_diagram(a, o);
  std::map<std::string, std::string> ids;
  for (std::size_t i = 0; i < d.nodes.size(); ++i) ids[d.nodes[i].id] = "n" + std::to_string(i);
  auto id = [&](const std::string& node) { return node.empty() ? kNamespace : ids.at(node); };

  out << "---\ntitle: \"" << d.title;
  for (std::size_t i = 0; i < d.notes.size(); ++i) out << (i ? "; " : ". ") << d.notes[i];
  out << "\"\n---\n";
  out << "flowchart LR\n";
  out << "  subgraph " << kNamespace << "[\"" << mermaid_text(d.namespace_label) << "\"]\n";
  for (const auto& n : d.nodes)
    if (n.place == Place::Namespace)
      out << "    " << id(n.id) << shaped(n.look, mermaid_text(join(n.lines))) << "\n";
  out << "  end\n";
  for (const auto& n : d.nodes)
    if (n.place != Place::Namespace)
      out << "  " << id(n.id) << shaped(n.look, mermaid_text(join(n.lines))) << "\n";

  std::vector<std::size_t> warnings;
  std::size_t index = 0;
  for (const auto& e : d.edges) {
    out << "  " << id(e.from);
    if (e.invisible)
      out << " ~~~ ";
    else if (e.from.empty())
      out << " -.->|\"" << mermaid_text(e.label) << "\"| ";
    else
      out << " -->|\"" << mermaid_text(e.label) << "\"| ";
    out << id(e.to) << "\n";
    if (e.warning) warnings.push_back(index);
    ++index;
  }

  std::map<std::string, std::string> members;  // class -> "n0,n3"
  for (const auto& n : d.nodes) {
    std::string& m = members[class_of(n.look).name];
    m += (m.empty() ? "" : ",") + id(n.id);
  }
  for (Look look : d.legend) {
    ClassStyle c = class_of(look);
    out << "  classDef " << c.name << " " << c.style << "\n";
    out << "  class " << members[c.name] << " " << c.name << "\n";
  }
  out << "  style " << kNamespace << " fill:none,stroke:" << (d.disabled ? "#b91c1c" : "#6b7280")
      << ",stroke-dasharray:5 4\n";
  if (!warnings.empty()) {
    out << "  linkStyle ";
    for (std::size_t i = 0; i < warnings.size(); ++i) out << (i ? "," : "") << warnings[i];
    out << " stroke:#b91c1c,color:#b91c1c\n";
  }
}

}  // namespace netpol::exporters
