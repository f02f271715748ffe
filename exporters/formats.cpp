#include "exporters/formats.hpp"

#include <algorithm>
#include <sstream>

#include "error.hpp"
#include "exporters/diff.hpp"
#include "exporters/dot.hpp"
#include "exporters/edge_list.hpp"
#include "exporters/findings.hpp"
#include "exporters/graphviz_runtime.hpp"
#include "exporters/json.hpp"
#include "exporters/manifests.hpp"
#include "exporters/markdown_table.hpp"
#include "exporters/mermaid.hpp"
#include "exporters/reach.hpp"
#include "exporters/values_writer.hpp"
#include "text.hpp"

namespace netpol::exporters {
namespace {

void table_writer(const graph::Analysis& a, const WriteOptions& options, std::ostream& out) {
  write_markdown_table(a.map(options.view), out);
}

void dot_writer(const graph::Analysis& a, const WriteOptions& options, std::ostream& out) {
  write_dot(a, options.diagram, out);
}

void edges_text_writer(const graph::Analysis& a, const WriteOptions&, std::ostream& out) {
  write_edges_text(a, out);
}

void edges_csv_writer(const graph::Analysis& a, const WriteOptions&, std::ostream& out) {
  write_edges_csv(a, out);
}

void edges_md_writer(const graph::Analysis& a, const WriteOptions&, std::ostream& out) {
  write_edges_markdown(a, out);
}

void mermaid_writer(const graph::Analysis& a, const WriteOptions& options, std::ostream& out) {
  write_mermaid(a, options.diagram, out);
}

void json_writer(const graph::Analysis& a, const WriteOptions&, std::ostream& out) {
  write_json(a, out);
}

void reach_text_writer(const graph::Analysis& a, const graph::ReachReport& r, const WriteOptions&,
                       std::ostream& out) {
  write_reach_text(a, r, out);
}

void reach_json_writer(const graph::Analysis& a, const graph::ReachReport& r, const WriteOptions&,
                       std::ostream& out) {
  write_reach_json(a, r, out);
}

void findings_text_writer(const graph::Analysis& a, const WriteOptions&, std::ostream& out) {
  write_findings_text(a, out);
}

void findings_json_writer(const graph::Analysis& a, const WriteOptions&, std::ostream& out) {
  write_findings_json(a, out);
}

void findings_sarif_writer(const graph::Analysis& a, const WriteOptions& options,
                           std::ostream& out) {
  write_findings_sarif(a, options.sarif, out);
}

void diff_text_writer(const graph::DiffReport& d, const WriteOptions&, std::ostream& out) {
  write_diff_text(d, out);
}

void diff_md_writer(const graph::DiffReport& d, const WriteOptions&, std::ostream& out) {
  write_diff_markdown(d, out);
}

void diff_json_writer(const graph::DiffReport& d, const WriteOptions&, std::ostream& out) {
  write_diff_json(d, out);
}

void diff_dot_writer(const graph::DiffReport& d, const WriteOptions& options, std::ostream& out) {
  write_diff_dot(d, options.diagram, out);
}

// A reach answer drawn on the graph: its paths in the path colour, the rest faded.
DiagramOptions reach_picture(const graph::Analysis& analysis, const graph::ReachReport& report,
                             const WriteOptions& options) {
  using Kind = graph::ReachReport::Kind;
  if (report.kind == Kind::Matrix)
    throw Error(
        "reach draws the paths of one question: pass --from, --to or both (the "
        "table of every start against every node is text or JSON)");
  DiagramOptions diagram_options = options.diagram;
  for (const graph::Route& route : report.routes) {
    std::vector<std::string> path;
    for (auto v : route.path) path.push_back(analysis.graph.node(v).id);
    diagram_options.paths.push_back(std::move(path));
  }
  std::string from = report.from_id, to = report.to_id;
  std::string question = report.kind == Kind::From ? "what " + from + " reaches"
                         : report.kind == Kind::To ? "what reaches " + to
                                                   : from + " to " + to;
  if (report.options.port) question += " on " + report.options.port->str();
  std::size_t n = report.routes.size();
  diagram_options.caption =
      question + ": " +
      (n == 0 ? std::string("no path")
              : std::to_string(n) + (n == 1 ? " path" : " paths") + ", in purple");
  return diagram_options;
}

void reach_dot_writer(const graph::Analysis& a, const graph::ReachReport& r,
                      const WriteOptions& options, std::ostream& out) {
  write_dot(a, reach_picture(a, r, options), out);
}

// The DOT of `Dot` (the graph, the diff, a reach answer) drawn by Graphviz in-process as
// `Format`: SVG as `dot -Tsvg` draws it, PNG and PDF through cairo (bytes).
constexpr char kSvg[] = "svg", kPng[] = "png", kPdf[] = "pdf";
void picture(const std::ostringstream& dot, const char* format, std::ostream& out) {
  std::string drawn = render_picture(dot.str(), format);
  out.write(drawn.data(), static_cast<std::streamsize>(drawn.size()));
}
template <AnalysisWriter Dot, const char* Format>
void rendered(const graph::Analysis& analysis, const WriteOptions& options, std::ostream& out) {
  std::ostringstream dot;
  Dot(analysis, options, dot);
  picture(dot, Format, out);
}
template <ReachWriter Dot, const char* Format>
void rendered_reach(const graph::Analysis& analysis, const graph::ReachReport& report,
                    const WriteOptions& options, std::ostream& out) {
  std::ostringstream dot;
  Dot(analysis, report, options, dot);
  picture(dot, Format, out);
}
template <DiffWriter Dot, const char* Format>
void rendered_diff(const graph::DiffReport& report, const WriteOptions& options,
                   std::ostream& out) {
  std::ostringstream dot;
  Dot(report, options, dot);
  picture(dot, Format, out);
}

void values_yaml_writer(const values::Value& v, const WriteOptions& options, std::ostream& out) {
  write_values_yaml(v, options.show_origin, out);
}

void values_json_writer(const values::Value& v, const WriteOptions& options, std::ostream& out) {
  write_values_json(v, options.show_origin, out);
}

void manifests_writer(const graph::Analysis& a, const WriteOptions& options, std::ostream& out) {
  write_manifests(a, options.workloads, out);
}

std::string names_of(const std::vector<const Format*>& fs) {
  std::string out;
  for (std::size_t i = 0; i < fs.size(); ++i) out += (i ? ", " : "") + std::string(fs[i]->name);
  return out;
}

}  // namespace

const std::vector<Format>& formats() {
  static const std::vector<Format> table = {
      {"md", {".md", ".markdown"}, "Markdown Service Communication Map", {"table"}, table_writer},
      {"dot", {".dot", ".gv"}, "Graphviz DOT graph", {"graph"}, dot_writer},
      {"svg",
       {".svg"},
       "SVG picture, laid out by Graphviz in-process",
       {"graph"},
       rendered<dot_writer, kSvg>,
       true},
      {"png",
       {".png"},
       "PNG picture (Graphviz's cairo renderer)",
       {"graph"},
       rendered<dot_writer, kPng>,
       true,
       true},
      {"pdf",
       {".pdf"},
       "PDF document (Graphviz's cairo renderer)",
       {"graph"},
       rendered<dot_writer, kPdf>,
       true,
       true},
      {"mermaid",
       {".mmd", ".mermaid"},
       "Mermaid flowchart (for ```mermaid blocks)",
       {"graph"},
       mermaid_writer},
      {"json", {".json"}, "JSON document (docs/json.md)", {"graph"}, json_writer},
      {"text", {".txt"}, "every edge, one a line: FROM -> TO  PORTS", {"graph"}, edges_text_writer},
      {"csv",
       {".csv"},
       "every edge as CSV: from,to,ports,kinds,keys (for spreadsheets)",
       {"graph"},
       edges_csv_writer},
      {"md", {".md", ".markdown"}, "every edge as a Markdown table", {"graph"}, edges_md_writer},
      {"text", {".txt"}, "text for people", {"reach"}, reach_text_writer},
      {"text", {".txt"}, "text for people", {"diff"}, diff_text_writer},
      {"text", {".txt"}, "text for people", {"check"}, findings_text_writer},
      {"json", {".json"}, "JSON document (docs/json.md)", {"check"}, findings_json_writer},
      {"sarif",
       {".sarif"},
       "SARIF 2.1.0, for GitHub code scanning",
       {"check"},
       findings_sarif_writer},
      {"md", {".md", ".markdown"}, "Markdown table for a pull request", {"diff"}, diff_md_writer},
      {"json", {".json"}, "JSON document (docs/json.md)", {"diff"}, diff_json_writer},
      {"dot", {".dot", ".gv"}, "Graphviz DOT, changes in colour", {"diff"}, diff_dot_writer},
      {"svg",
       {".svg"},
       "SVG picture, changes in colour",
       {"diff"},
       rendered_diff<diff_dot_writer, kSvg>,
       true},
      {"png",
       {".png"},
       "PNG picture, changes in colour",
       {"diff"},
       rendered_diff<diff_dot_writer, kPng>,
       true,
       true},
      {"pdf",
       {".pdf"},
       "PDF document, changes in colour",
       {"diff"},
       rendered_diff<diff_dot_writer, kPdf>,
       true,
       true},
      {"json", {".json"}, "JSON document (docs/json.md)", {"reach"}, reach_json_writer},
      {"dot", {".dot", ".gv"}, "Graphviz DOT, the paths on the graph", {"reach"}, reach_dot_writer},
      {"svg",
       {".svg"},
       "SVG picture, the paths on the graph",
       {"reach"},
       rendered_reach<reach_dot_writer, kSvg>,
       true},
      {"png",
       {".png"},
       "PNG picture, the paths on the graph",
       {"reach"},
       rendered_reach<reach_dot_writer, kPng>,
       true,
       true},
      {"pdf",
       {".pdf"},
       "PDF document, the paths on the graph",
       {"reach"},
       rendered_reach<reach_dot_writer, kPdf>,
       true,
       true},
      {"yaml",
       {".yaml", ".yml"},
       "Kubernetes manifests (YAML stream)",
       {"manifests"},
       manifests_writer},
      {"yaml", {".yaml", ".yml"}, "the merged values, as YAML", {"values"}, values_yaml_writer},
      {"json", {".json"}, "the merged values, as JSON", {"values"}, values_json_writer},
  };
  return table;
}

namespace {

// The writer of `format`, which must be of the kind `W`.
template <typename W>
W writer_of(const Format& format) {
  if (const W* w = std::get_if<W>(&format.write)) return *w;
  throw Error("internal: the format " + std::string(format.name) + " of " +
              std::string(format.commands.front()) + " writes something else");
}

}  // namespace

void write(const Format& format, const graph::Analysis& analysis, const WriteOptions& options,
           std::ostream& out) {
  writer_of<AnalysisWriter>(format)(analysis, options, out);
}

void write(const Format& format, const graph::Analysis& analysis, const graph::ReachReport& reach,
           const WriteOptions& options, std::ostream& out) {
  writer_of<ReachWriter>(format)(analysis, reach, options, out);
}

void write(const Format& format, const graph::DiffReport& diff, const WriteOptions& options,
           std::ostream& out) {
  writer_of<DiffWriter>(format)(diff, options, out);
}

void write(const Format& format, const values::Value& values, const WriteOptions& options,
           std::ostream& out) {
  writer_of<ValuesWriter>(format)(values, options, out);
}

std::string_view ci_hash_for_file(std::string_view name) {
  std::string_view ext = name.substr(std::min(name.size(), name.rfind('.')));
  if (ext == ".json" || ext == ".sarif") return kHashJson;
  if (ext == ".svg" || ext == ".html" || ext == ".dot" || ext == ".gv") return kHashXml;
  if (ext == ".yaml" || ext == ".yml") return kHashYaml;
  return kHashProse;  // text, Markdown (Mermaid writes '#' and '[' as its entities already)
}

std::string_view ci_hash(const Format& format) {
  // A format's escape is that of the files it writes (DOT reads XML's entities).
  return format.extensions.empty() ? kHashProse : ci_hash_for_file(format.extensions.front());
}

std::vector<const Format*> formats_for(std::string_view command) {
  std::vector<const Format*> out;
  for (const Format& f : formats())
    if (std::find(f.commands.begin(), f.commands.end(), command) != f.commands.end())
      out.push_back(&f);
  return out;
}

const Format& choose_format(std::string_view command, const std::string& name,
                            const std::string& output_path) {
  std::vector<const Format*> choices = formats_for(command);
  if (!name.empty()) {
    for (const Format* f : choices)
      if (f->name == name) return *f;
    throw Error("unknown format \"" + name + "\" for " + std::string(command) + " (expected " +
                names_of(choices) + ")");
  }
  if (!output_path.empty()) {
    auto dot = output_path.rfind('.');
    auto slash = output_path.rfind('/');
    if (dot != std::string::npos && (slash == std::string::npos || dot > slash)) {
      std::string ext = output_path.substr(dot);
      for (const Format* f : choices)
        if (std::find(f->extensions.begin(), f->extensions.end(), ext) != f->extensions.end())
          return *f;
      throw Error("cannot tell the format from the extension \"" + ext + "\" of " + output_path +
                  " (" + std::string(command) + " writes " + names_of(choices) +
                  "; pass --format)");
    }
  }
  return *choices.front();
}

}  // namespace netpol::exporters
