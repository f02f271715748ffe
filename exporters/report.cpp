#include "exporters/report.hpp"

#include <sstream>

#include "exporters/dot.hpp"
#include "exporters/findings.hpp"
#include "exporters/graphviz_runtime.hpp"
#include "exporters/json.hpp"
#include "exporters/markdown_table.hpp"
#include "graph/reach.hpp"

namespace netpol::exporters {
namespace {

std::string keys_text(const std::vector<graph::Provenance>& ps) {
  std::string out;
  for (const auto& p : ps)
    out += (out.empty() ? "" : "<br>") + std::string("`") + p.path + "`" +
           (p.where.known() ? " " + markdown_cell(p.where.str()) : "");
  return out.empty() ? "(none)" : out;
}

std::string verdict(const graph::Analysis& a) {
  std::string out = a.count_text();
  out += a.graph.policies_enabled ? ". Network policies are enabled."
                                  : ". Network policies are DISABLED: all traffic is allowed.";
  return out;
}

std::string inputs_text(const graph::Analysis& a) {
  std::string out;
  for (const auto& i : a.inputs) out += (out.empty() ? "" : ", ") + std::string("`") + i + "`";
  return out;
}

std::string table_markdown(const graph::CommunicationMap& m) {
  std::ostringstream out;
  write_markdown_table(m, out);
  return out.str();
}

}  // namespace

std::string html_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string report_markdown(const graph::Analysis& a, const std::string& svg_name) {
  const graph::PolicyGraph& g = a.graph;
  std::ostringstream out;
  out << "# Network policy review\n\n";
  out << "Inputs, in layering order: " << inputs_text(a) << "; namespace `" << g.ns << "`.\n\n";
  out << "**Verdict:** " << verdict(a) << "\n\n";
  out << "## Diagram\n\n![Traffic the network policies allow](" << svg_name << ")\n\n";
  out << "Open `index.html` to click a node and see its edges and the values keys behind them.\n\n";
  out << "## Service Communication Map\n\nAs documented (the chart docs' view):\n\n"
      << table_markdown(a.documented()) << "\nEverything the policies allow:\n\n"
      << table_markdown(a.effective()) << "\n";
  out << "## Findings\n\n";
  if (a.findings.empty()) out << "None.\n";
  for (const auto& f : a.findings) {
    out << "- **" << graph::severity_name(f.severity) << "** `" << f.code << "`";
    if (!f.where.path.empty()) out << " at `" << f.where.path << "`";
    if (f.where.where.known()) out << " (" << markdown_cell(f.where.where.str()) << ")";
    out << ": " << markdown_cell(f.message) << ". Fix: " << markdown_cell(f.fix) << ".\n";
  }
  out << "\n## Reachable from any source\n\n";
  const std::vector<graph::Route>& routes = a.exposed;
  if (routes.empty())
    out << "Nothing.\n";
  else
    out << "| Node | Hops | Shortest path |\n|---|---|---|\n";
  for (const auto& r : routes) {
    std::string path;
    for (auto v : r.path) path += (path.empty() ? "" : " → ") + g.node(v).id;
    out << "| " << markdown_cell(g.node(r.to).id) << " | " << r.hops() << " | "
        << markdown_cell(path) << " |\n";
  }
  out << "\n## Provenance of every edge\n\n";
  out << "| From | To | Ports | Egress keys (source) | Ingress keys (destination) |\n"
         "|---|---|---|---|---|\n";
  for (const auto& e : g.edges()) {
    const graph::Edge& edge = g.edge(e);
    out << "| " << markdown_cell(g.node(e.from).id) << " | " << markdown_cell(g.node(e.to).id)
        << " | " << markdown_cell(edge.ports.label()) << " | " << keys_text(edge.egress) << " | "
        << keys_text(edge.ingress) << " |\n";
  }
  out << "\n## Files\n\n"
         "- `graph.svg`, `graph.dot`: the diagram\n"
         "- `graph.json`: every node and edge with provenance (schema version 1)\n"
         "- `findings.sarif`: the findings, for code scanning\n"
         "- `index.html`: this report as one page, clickable\n";
  return out.str();
}

std::vector<std::pair<std::string, std::string>> report_files(const graph::Analysis& a) {
  std::ostringstream dot, json, sarif;
  write_dot(a, {}, dot);
  write_json(a, json);
  write_findings_sarif(a, {}, sarif);
  std::string svg = render_svg(dot.str());
  return {{"README.md", report_markdown(a, "graph.svg")},
          {"graph.svg", svg},
          {"graph.dot", dot.str()},
          {"graph.json", json.str()},
          {"findings.sarif", sarif.str()},
          {"index.html", report_html(a, svg)}};
}

}  // namespace netpol::exporters
