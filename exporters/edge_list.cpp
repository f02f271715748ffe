#include "exporters/edge_list.hpp"

#include "exporters/markdown_table.hpp"
#include "text.hpp"

namespace netpol::exporters {
namespace {

std::string keys(const std::vector<graph::Provenance>& ps) {
  std::vector<std::string> out;
  for (const auto& p : ps) out.push_back(p.str());
  return join(out, "; ");
}

}  // namespace

std::string csv_cell(const std::string& text) {
  std::string cell = text;
  if (!cell.empty() && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@' ||
                        cell[0] == '\t' || cell[0] == '\r'))
    cell.insert(0, "'");
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string out = "\"";
  for (char c : cell) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

void write_edges_text(const graph::Analysis& analysis, std::ostream& out) {
  const graph::PolicyGraph& g = analysis.graph;
  if (!g.policies_enabled) out << "Network policies are disabled: nothing is restricted.\n";
  for (const auto& e : g.edges())
    out << one_line(g.node(e.from).id) << " -> " << one_line(g.node(e.to).id) << "  "
        << g.edge(e).ports.label() << "\n";
}

void write_edges_csv(const graph::Analysis& analysis, std::ostream& out) {
  const graph::PolicyGraph& graph = analysis.graph;
  out << "from,to,ports,from_kind,to_kind,egress_keys,ingress_keys\n";
  for (const auto& e : graph.edges()) {
    const graph::Edge& edge = graph.edge(e);
    const graph::Node &from = graph.node(e.from), &to = graph.node(e.to);
    out << csv_cell(from.id) << ',' << csv_cell(to.id) << ','
        << csv_cell(join(edge.ports.tokens(), " ")) << ','
        << csv_cell(std::string(graph::kind_name(from.kind))) << ','
        << csv_cell(std::string(graph::kind_name(to.kind))) << ',' << csv_cell(keys(edge.egress))
        << ',' << csv_cell(keys(edge.ingress)) << "\n";
  }
}

void write_edges_markdown(const graph::Analysis& analysis, std::ostream& out) {
  const graph::PolicyGraph& graph = analysis.graph;
  if (!graph.policies_enabled) out << "Network policies are disabled: nothing is restricted.\n\n";
  out << "| From | To | Ports | Keys |\n|---|---|---|---|\n";
  for (const auto& e : graph.edges()) {
    const graph::Edge& edge = graph.edge(e);
    std::vector<std::string> all;
    for (const auto* side : {&edge.egress, &edge.ingress})
      if (!side->empty()) all.push_back(keys(*side));
    out << "| " << markdown_cell(graph.node(e.from).id) << " | "
        << markdown_cell(graph.node(e.to).id) << " | " << markdown_cell(edge.ports.label()) << " | "
        << markdown_cell(join(all, "; ")) << " |\n";
  }
}

}  // namespace netpol::exporters
