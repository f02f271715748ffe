#pragma once
// The review bundle (`netpol-graph report -o DIR`): a README.md with everything a reviewer
// needs, the diagram as SVG and DOT, the graph as JSON, findings as SARIF, and index.html, a
// self-contained page where clicking a node highlights its edges and lists their provenance.

#include <functional>
#include <map>
#include <optional>
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

// What README.md and index.html both say, computed once from the analysis and the bundle's
// provenance (review_sections), each printed in its own markup: report_markdown,
// report_html. Input files are named as the bundle shows them (BundleProvenance::Input::shown),
// in the keys' locations too.
struct ReviewSections;

// The Markdown report; `svg_name` is the picture it embeds.
std::string report_markdown(const ReviewSections& sections, const std::string& svg_name);
std::string report_markdown(const graph::Analysis& analysis, const std::string& svg_name,
                            const BundleProvenance* provenance = nullptr);
// The single-page report; `svg` is `diagram` rendered, inlined; `analysis` is also the
// page's data (its JSON), for the clicks.
std::string report_html(const ReviewSections& sections, const graph::Analysis& analysis,
                        const std::string& svg, const Diagram& diagram);
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

struct ReviewSections {
  // Where the workloads are: the namespace ("default"); from manifests of several, their
  // namespaces, the first five by name, and how many more.
  std::vector<std::string> namespaces;
  std::size_t more_namespaces = 0;
  bool layered = true;  // values layer, in order; manifests are read side by side
  std::string verdict;  // "9 services, 21 edges. Network policies are enabled."
  // The inputs in layering order, then those only the provenance lists (the page shows both).
  struct Input {
    std::string shown;   // as the bundle shows it
    std::string sha256;  // with a provenance
    bool layered = true;
  };
  std::vector<Input> inputs;
  std::vector<ExposureRow> exposed;  // first: what the internet reaches
  struct FindingRow {
    std::string severity, code, key;
    std::string location;  // "file:line:col", the file as shown; "" when not known
    std::string message, fix;
  };
  std::vector<FindingRow> findings;
  // The Service Communication Map in both views; `documented` is null where it is the same
  // table as `effective` (always so without a profile: nothing documents a need), and the
  // page shows the one table, introduced by `one_map` ("What the policies allow (no profile
  // documents what these workloads need)").
  const graph::CommunicationMap* documented = nullptr;
  const graph::CommunicationMap* effective = nullptr;
  std::string one_map;
  struct EdgeRow {
    std::string from, to, ports;
    std::vector<graph::Provenance> egress, ingress;
  };
  std::vector<EdgeRow> edges;  // every edge with the keys that opened it
  // How the bundle was made, with a provenance: when, the command line as a shell reads it
  // back, and each input as read (its name, bytes and SHA-256).
  struct Made {
    std::string generated_at, command_line;
    std::vector<BundleProvenance::Input> inputs;
  };
  std::optional<Made> made;
  // (input name, as shown) where they differ, in the provenance's order
  std::vector<std::pair<std::string, std::string>> shown_names;
};
ReviewSections review_sections(const graph::Analysis& analysis, const BundleProvenance* provenance);
// An input's name as the bundle shows it (BundleProvenance::Input::shown), or `name`.
std::string shown_input(const BundleProvenance* provenance, const std::string& name);
// "file:line:col" with the file named as shown_input names it.
std::string shown_location(const Location& where, const BundleProvenance* provenance);

// Escapes text for HTML element content and attribute values.
std::string html_escape(const std::string& text);

// Where the workloads are, each name in the printer's markup (`code`): "namespace `default`",
// "namespaces `backend`, `data`, `frontend`", "... and 2 more".
std::string namespaces_phrase(const ReviewSections& sections,
                              const std::function<std::string(const std::string&)>& code);

}  // namespace netpol::exporters
