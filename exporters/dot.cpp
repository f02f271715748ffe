#include "exporters/dot.hpp"

namespace netpol::exporters {

using graph::NodeKind;

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

namespace {

// Node text: the label, and for externals their address blocks and ports.
std::string node_text(const graph::Node& n) {
  std::string text = n.label;
  if (n.kind == NodeKind::External || n.kind == NodeKind::Otlp) {
    for (const auto& e : n.entries) {
      std::string block = e.block.str();
      if (block != n.label) text += "\n" + block;
      if (!e.ports.empty()) text += (block != n.label ? " " : "\n") + e.ports.label();
    }
  }
  return text;
}

struct Style {
  const char* shape;
  const char* fill;
};

Style style_of(const graph::Node& n) {
  switch (n.kind) {
    case NodeKind::Service:
      return {"box", "#dbeafe"};
    case NodeKind::External:
      return {"box", "#fef3c7"};
    case NodeKind::Dns:
      return {"box", "#e5e7eb"};
    case NodeKind::Otlp:
      return {"box", "#ede9fe"};
    case NodeKind::AnySource:
      return {"oval", "#fee2e2"};
    case NodeKind::NsPods:
      return {"oval", "#dcfce7"};
    case NodeKind::Selector:
      return {"oval", "#e0f2fe"};
  }
  return {"box", "#ffffff"};
}

void write_node(const graph::Node& n, const char* indent, std::ostream& out) {
  Style s = style_of(n);
  out << indent << dot_quote(n.id) << " [label=" << dot_quote(node_text(n)) << ", shape=" << s.shape
      << ", fillcolor=" << dot_quote(s.fill);
  if (n.unknown_peer) out << ", color=\"#b45309\", penwidth=2";
  out << "];\n";
}

}  // namespace

void write_dot(const graph::Analysis& a, std::ostream& out) {
  const graph::PolicyGraph& pg = a.graph;
  out << "digraph \"netpol-graph\" {\n";
  out << "  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=12, nodesep=0.35, ranksep=1.1";
  if (!pg.policies_enabled)
    out << ", labelloc=t, label=\"Network policies are DISABLED: all traffic is allowed\", "
           "fontcolor=\"#b91c1c\"";
  out << "];\n";
  out << "  node [fontname=\"Helvetica\", fontsize=11, style=\"rounded,filled\", "
         "color=\"#374151\"];\n";
  out << "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#4b5563\", fontcolor=\"#374151\"];\n";
  out << "  subgraph \"cluster_namespace\" {\n";
  out << "    label=" << dot_quote("namespace " + pg.ns) << ";\n";
  out << "    style=\"rounded,dashed\";\n    color=\"#6b7280\";\n";
  for (auto v : pg.nodes())
    if (pg.node(v).kind == NodeKind::Service) write_node(pg.node(v), "    ", out);
  out << "  }\n";
  for (auto v : pg.nodes())
    if (pg.node(v).kind != NodeKind::Service) write_node(pg.node(v), "  ", out);
  for (auto e : pg.edges()) {
    const auto& from = pg.node(e.from);
    const auto& to = pg.node(e.to);
    out << "  " << dot_quote(from.id) << " -> " << dot_quote(to.id)
        << " [label=" << dot_quote(pg.edge(e).ports.label()) << "];\n";
  }
  out << "}\n";
}

}  // namespace netpol::exporters
