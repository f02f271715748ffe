#pragma once
// The review bundle (`netpol-graph report -o DIR`): a README.md with everything a reviewer
// needs, the diagram as SVG and DOT, the graph as JSON, findings as SARIF, and index.html, a
// self-contained page where clicking a node highlights its edges and lists their provenance.

#include <string>
#include <utility>
#include <vector>

#include "exporters/diagram.hpp"
#include "graph/analysis/analysis.hpp"

namespace netpol::exporters {

// What produced a bundle, for an audit: the tool, the command line, when (UTC, ISO 8601),
// and each input with its SHA-256.
struct BundleProvenance {
  std::vector<std::string> command;  // the arguments, the program's name first
  std::string generated_at;          // "2026-11-28T11:46:21Z"
  struct Input {
    std::string name;  // as in the analysis' inputs: "<defaults>", a file, "--set a=b"
    std::string sha256;
    std::size_t bytes = 0;
    // How README.md and index.html name it: a file relative to the bundle, or by its file
    // name; the name itself when empty. provenance.json keeps `name`.
    std::string shown;
  };
  std::vector<Input> inputs;
};

// One file of the bundle, and what README.md says it is. The one list the bundle, README.md
// and `report --help` are made from.
struct BundleFile {
  const char* name;
  const char* what;
  bool audit = false;  // written with provenance only (provenance.json, SHA256SUMS)
};
const std::vector<BundleFile>& bundle_files();
// "README.md, graph.svg, graph.dot, ..." (every file, for help text).
std::string bundle_file_names();

// The bundle's files as (name, content), in the order of bundle_files():
// README.md, graph.svg, graph.dot, graph.json, findings.sarif, index.html, provenance.json,
// and SHA256SUMS (every other file's SHA-256, as `sha256sum -c` reads it). The picture is
// drawn with `diagram` (--focus, --max-nodes, ...), once for the SVG, the DOT and the page.
std::vector<std::pair<std::string, std::string>> report_files(const graph::Analysis& analysis,
                                                              const BundleProvenance& provenance,
                                                              const DiagramOptions& diagram = {});

// The Markdown report; `svg_name` is the picture it embeds.
std::string report_markdown(const graph::Analysis& analysis, const std::string& svg_name,
                            const BundleProvenance* provenance = nullptr);
// The single-page report; `svg` is `diagram` rendered, inlined.
std::string report_html(const graph::Analysis& analysis, const std::string& svg,
                        const Diagram& diagram, const BundleProvenance* provenance = nullptr);

// One row of "Reachable from the internet", the first thing README.md and index.html say:
// a node the internet reaches (Analysis::exposed), in how many hops, on which ports of the
// last hop, the keys that open that hop (the destination's, then the source's) and the path.
struct ExposureRow {
  std::string node;
  int hops = 0;
  std::string ports;
  std::vector<graph::Provenance> keys;  // locations name the files as README.md shows them
  std::vector<std::string> path;
};
std::vector<ExposureRow> exposure_rows(const graph::Analysis& analysis,
                                       const BundleProvenance* provenance);
// An input's name as the bundle shows it (BundleProvenance::Input::shown), or `name`.
std::string shown_input(const BundleProvenance* provenance, const std::string& name);
// "file:line:col" with the file named as shown_input names it.
std::string shown_location(const Location& where, const BundleProvenance* provenance);

// Escapes text for HTML element content and attribute values.
std::string html_escape(const std::string& text);

}  // namespace netpol::exporters
