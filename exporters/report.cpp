#include "exporters/report.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <tuple>

#include "exporters/dot.hpp"
#include "exporters/findings.hpp"
#include "exporters/formats.hpp"
#include "exporters/graphviz_runtime.hpp"
#include "exporters/json.hpp"
#include "exporters/markdown_table.hpp"
#include "graph/analysis/reach.hpp"
#include "graph/rules/chart.hpp"
#include "sha256.hpp"
#include "text.hpp"

#include <nlohmann/json.hpp>

namespace netpol::exporters {
namespace {

// A cell of keys: each values path as code, and where it was set (its file as shown).
std::string keys_text(const std::vector<graph::Provenance>& ps) {
  std::string out;
  for (const auto& p : ps)
    out += (out.empty() ? "" : "<br>") + std::string("`") + p.path + "`" +
           (p.where.known() ? " " + markdown_cell(p.where.str()) : "");
  return out.empty() ? "(none)" : out;
}

// An argument as a POSIX shell reads it back: as it is when it holds only safe characters,
// else in single quotes.
std::string shell_word(const std::string& arg) {
  bool safe = !arg.empty() && arg.find_first_not_of(
                                  "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS"
                                  "TUVWXYZ0123456789-_./=:,@+%") == std::string::npos;
  if (safe) return arg;
  std::string out = "'";
  for (char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Whether two maps print as the same table.
bool same_rows(const graph::CommunicationMap& a, const graph::CommunicationMap& b) {
  return std::equal(a.rows.begin(), a.rows.end(), b.rows.begin(), b.rows.end(),
                    [](const graph::MapRow& x, const graph::MapRow& y) {
                      return x.service == y.service && x.ingress_from == y.ingress_from &&
                             x.egress_to == y.egress_to && x.external_ingress == y.external_ingress;
                    }) &&
         a.policies_enabled == b.policies_enabled && a.dns_everywhere == b.dns_everywhere;
}

std::string table_markdown(const graph::CommunicationMap& map) {
  std::ostringstream out;
  write_markdown_table(map, out);
  return out.str();
}

// The namespace, or from manifests the namespaces of the workloads read, the first
// kNamedNamespaces by name; how many more.
constexpr std::size_t kNamedNamespaces = 5;
std::pair<std::vector<std::string>, std::size_t> namespaces_of(const graph::Analysis& analysis) {
  std::set<std::string> namespaces;
  if (analysis.chart.from_manifests)
    for (const auto& service : analysis.chart.services)
      if (!service.ns.empty() && service.ns != graph::kIngressControllerNamespace)
        namespaces.insert(service.ns);
  if (namespaces.size() < 2) return {{analysis.graph.ns}, 0};
  std::vector<std::string> named(namespaces.begin(), namespaces.end());
  const std::size_t more = named.size() > kNamedNamespaces ? named.size() - kNamedNamespaces : 0;
  named.resize(named.size() - more);
  return {named, more};
}

}  // namespace

std::string shown_input(const BundleProvenance* provenance, const std::string& name) {
  if (provenance)
    for (const auto& i : provenance->inputs)
      if (i.name == name && !i.shown.empty()) return i.shown;
  return name;
}

std::string shown_location(const Location& where, const BundleProvenance* provenance) {
  Location shown = where;
  if (shown.known()) shown.file = shown_input(provenance, where.file);
  return shown.str();
}

std::vector<ExposureRow> exposure_rows(const graph::Analysis& analysis,
                                       const BundleProvenance* provenance) {
  const graph::PolicyGraph& graph = analysis.graph;
  std::vector<ExposureRow> rows;
  for (const graph::Route& route : analysis.exposed) {
    ExposureRow row;
    row.node = graph.node(route.to).id;
    row.hops = route.hops();
    for (auto v : route.path) row.path.push_back(graph.node(v).id);
    if (route.path.size() >= 2) {
      if (auto e = graph.hop_edge(route.path[route.path.size() - 2], route.path.back())) {
        row.ports = e->ports.label();
        row.keys = e->ingress;
        graph::add_unique(row.keys, e->egress);
      }
    }
    for (auto& k : row.keys)
      if (k.where.known()) k.where.file = shown_input(provenance, k.where.file);
    rows.push_back(std::move(row));
  }
  return rows;
}

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

ReviewSections review_sections(const graph::Analysis& analysis,
                               const BundleProvenance* provenance) {
  const graph::PolicyGraph& graph = analysis.graph;
  ReviewSections out;
  std::tie(out.namespaces, out.more_namespaces) = namespaces_of(analysis);
  out.layered = !analysis.chart.from_manifests;
  out.verdict =
      analysis.count_text() + (graph.policies_enabled
                                   ? ". Network policies are enabled."
                                   : ". Network policies are DISABLED: all traffic is allowed.");
  auto sha_of = [&](const std::string& name) {
    std::string sha;
    if (provenance)
      for (const auto& i : provenance->inputs)
        if (i.name == name) sha = i.sha256;
    return sha;
  };
  for (const auto& name : analysis.inputs)
    out.inputs.push_back({shown_input(provenance, name), sha_of(name), true});
  if (provenance)
    for (const auto& i : provenance->inputs)
      if (std::find(analysis.inputs.begin(), analysis.inputs.end(), i.name) ==
          analysis.inputs.end())
        out.inputs.push_back({shown_input(provenance, i.name), sha_of(i.name), false});
  out.exposed = exposure_rows(analysis, provenance);
  for (const auto& f : analysis.findings)
    out.findings.push_back({std::string(graph::severity_name(f.severity)), f.code, f.where.path,
                            f.where.where.known() ? shown_location(f.where.where, provenance) : "",
                            f.message, f.fix});
  out.effective = &analysis.effective();
  if (!same_rows(analysis.documented(), analysis.effective()))
    out.documented = &analysis.documented();
  const bool profiled = std::any_of(
      analysis.chart.services.begin(), analysis.chart.services.end(), [&](const graph::Service& s) {
        const graph::ProfileService* documented = analysis.profile.service(s.name);
        return documented && documented->needs.has_value();
      });
  out.one_map = profiled ? "As documented, which is all the policies allow"
                         : "What the policies allow (no profile documents what these " +
                               std::string(graph::service_word(analysis.chart.from_manifests)) +
                               "s need)";
  auto shown_keys = [&](std::vector<graph::Provenance> keys) {
    for (auto& k : keys)
      if (k.where.known()) k.where.file = shown_input(provenance, k.where.file);
    return keys;
  };
  for (const auto& e : graph.edges()) {
    const graph::Edge& edge = graph.edge(e);
    out.edges.push_back({graph.node(e.from).id, graph.node(e.to).id, edge.ports.label(),
                         shown_keys(edge.egress), shown_keys(edge.ingress)});
  }
  if (provenance) {
    std::string line;
    for (const auto& arg : provenance->command) line += (line.empty() ? "" : " ") + shell_word(arg);
    out.made = ReviewSections::Made{provenance->generated_at, one_line(line), provenance->inputs};
    for (const auto& i : provenance->inputs)
      if (!i.shown.empty() && i.shown != i.name) out.shown_names.emplace_back(i.name, i.shown);
  }
  return out;
}

std::string namespaces_phrase(const ReviewSections& sections,
                              const std::function<std::string(const std::string&)>& code) {
  std::string names;
  for (const auto& ns : sections.namespaces) names += (names.empty() ? "" : ", ") + code(ns);
  return (sections.namespaces.size() == 1 ? "namespace " : "namespaces ") + names +
         (sections.more_namespaces ? " and " + std::to_string(sections.more_namespaces) + " more"
                                   : "");
}

std::string report_markdown(const ReviewSections& sections, const std::string& svg_name) {
  std::ostringstream out;
  out << "# Network policy review\n\n";
  std::string inputs;
  for (const auto& i : sections.inputs)
    if (i.layered) inputs += (inputs.empty() ? "" : ", ") + markdown_code(i.shown);
  out << (sections.layered ? "Inputs, in layering order: " : "Inputs: ") << inputs << "; "
      << namespaces_phrase(sections, [](const std::string& ns) { return markdown_code(ns); })
      << ".\n\n";
  out << "**Verdict:** " << sections.verdict << "\n\n";
  // What the internet reaches comes first: it is what a reviewer looks for first.
  out << "## Reachable from the internet\n\n";
  if (sections.exposed.empty())
    out << "Nothing: no source outside the cluster reaches a workload.\n\n";
  else
    out << "| Node | Hops | Ports | Opened by | Shortest path |\n|---|---|---|---|---|\n";
  for (const ExposureRow& row : sections.exposed) {
    std::string path;
    for (const auto& n : row.path) path += (path.empty() ? "" : " → ") + n;
    out << "| " << markdown_cell(row.node) << " | " << row.hops << " | " << markdown_cell(row.ports)
        << " | " << keys_text(row.keys) << " | " << markdown_cell(path) << " |\n";
  }
  if (!sections.exposed.empty()) out << "\n";
  out << "## Diagram\n\n![Traffic the network policies allow](" << svg_name << ")\n\n";
  out << "Open `index.html` to click a node and see its edges and the values keys behind them.\n\n";
  out << "## Service Communication Map\n\n";
  if (sections.documented)
    out << "As documented (the chart docs' view):\n\n"
        << table_markdown(*sections.documented) << "\nEverything the policies allow:\n\n";
  else
    out << sections.one_map << ":\n\n";
  out << table_markdown(*sections.effective) << "\n";
  out << "## Findings\n\n";
  if (sections.findings.empty()) out << "None.\n";
  for (const auto& f : sections.findings) {
    out << "- **" << f.severity << "** `" << f.code << "`";
    if (!f.key.empty()) out << " at `" << f.key << "`";
    if (!f.location.empty()) out << " (" << markdown_cell(f.location) << ")";
    out << ": " << markdown_cell(f.message) << ". Fix: " << markdown_cell(f.fix) << ".\n";
  }
  out << "\n## Provenance of every edge\n\n";
  out << "| From | To | Ports | Egress keys (source) | Ingress keys (destination) |\n"
         "|---|---|---|---|---|\n";
  for (const auto& e : sections.edges)
    out << "| " << markdown_cell(e.from) << " | " << markdown_cell(e.to) << " | "
        << markdown_cell(e.ports) << " | " << keys_text(e.egress) << " | " << keys_text(e.ingress)
        << " |\n";
  if (sections.made) {
    out << "\n## How this bundle was made\n\n"
        << "Written by netpol-graph " << NETPOL_VERSION << " at " << sections.made->generated_at
        << " (UTC) from:\n\n";
    std::string fence = markdown_fence(sections.made->command_line, 3);
    out << fence << "\n"
        << sections.made->command_line << "\n"
        << fence << "\n\n| Input | Bytes | SHA-256 |\n|---|---|---|\n";
    for (const auto& i : sections.made->inputs)
      out << "| " << markdown_cell(i.name) << " | " << i.bytes << " | `" << i.sha256 << "` |\n";
  }
  out << "\n## Files\n\n";
  for (const BundleFile& f : bundle_files())
    if (std::string(f.name) != "README.md" && (!f.audit || sections.made))
      out << "- `" << f.name << "`: " << f.what << "\n";
  return out.str();
}

std::string report_markdown(const graph::Analysis& a, const std::string& svg_name,
                            const BundleProvenance* provenance) {
  return report_markdown(review_sections(a, provenance), svg_name);
}

const std::vector<BundleFile>& bundle_files() {
  static const std::vector<BundleFile> files = {
      {"README.md", "this report"},
      {"graph.svg", "the diagram"},
      {"graph.dot", "the diagram, as Graphviz DOT"},
      {"graph.json", "every node and edge with provenance (schema version 1)"},
      {"findings.sarif", "the findings, for code scanning"},
      {"index.html", "this report as one page, clickable"},
      {"provenance.json", "the tool, command line, time and inputs above", true},
      {"SHA256SUMS", "every file's SHA-256 (`sha256sum -c SHA256SUMS`)", true}};
  return files;
}

std::string bundle_file_names() {
  std::string out;
  for (const BundleFile& f : bundle_files()) out += (out.empty() ? "" : ", ") + std::string(f.name);
  return out;
}

std::vector<std::pair<std::string, std::string>> report_files(const graph::Analysis& analysis,
                                                              const BundleProvenance& provenance,
                                                              const DiagramOptions& diagram) {
  std::ostringstream dot, json, sarif;
  Diagram picture = make_diagram(analysis, diagram);
  write_dot(picture, dot);
  write_json(analysis, json);
  write_findings_sarif(analysis, {}, sarif);
  std::string svg = render_svg(dot.str());
  const ReviewSections sections =
      review_sections(analysis, &provenance);  // README.md and index.html
  nlohmann::ordered_json prov = {{"schemaVersion", kJsonSchemaVersion},
                                 {"tool", {{"name", "netpol-graph"}, {"version", NETPOL_VERSION}}},
                                 {"command", provenance.command},
                                 {"generatedAt", provenance.generated_at},
                                 {"inputs", nlohmann::ordered_json::array()}};
  for (const auto& i : provenance.inputs)
    prov["inputs"].push_back({{"name", i.name}, {"sha256", i.sha256}, {"bytes", i.bytes}});
  const std::map<std::string, std::string> content = {
      {"README.md", report_markdown(sections, "graph.svg")},
      {"graph.svg", svg},
      {"graph.dot", dot.str()},
      {"graph.json", json.str()},
      {"findings.sarif", sarif.str()},
      {"index.html", report_html(sections, analysis, svg, picture)},
      {"provenance.json", prov.dump(2) + "\n"}};
  std::vector<std::pair<std::string, std::string>> files;
  for (const BundleFile& f : bundle_files())  // SHA256SUMS last, of the others
    if (auto it = content.find(f.name); it != content.end()) files.emplace_back(*it);
  if (files.size() != content.size())
    throw std::logic_error("a bundle file is missing from bundle_files()");
  // No line of any file starts a CI command (text.hpp); the digests are of what is written.
  for (auto& [name, content] : files)
    content = neutralise_ci_commands(std::move(content), ci_hash_for_file(name));
  std::string sums;
  for (const auto& [name, content] : files) sums += sha256_hex(content) + "  " + name + "\n";
  files.emplace_back("SHA256SUMS", sums);
  return files;
}

}  // namespace netpol::exporters
