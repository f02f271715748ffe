#pragma once
// The review bundle (`netpol-graph report -o DIR`): a README.md with everything a reviewer
// needs, the diagram as SVG and DOT, the graph as JSON, findings as SARIF, and index.html, a
// self-contained page where clicking a node highlights its edges and lists their provenance.

#include <string>
#include <utility>
#include <vector>

#include "graph/analysis.hpp"

namespace netpol::exporters {

// The bundle's files as (name, content), in the order they are listed in README.md.
std::vector<std::pair<std::string, std::string>> report_files(const graph::Analysis& analysis);

// The Markdown report; `svg_name` is the picture it embeds.
std::string report_markdown(const graph::Analysis& analysis, const std::string& svg_name);
// The single-page report; `svg` is the rendered diagram, inlined.
std::string report_html(const graph::Analysis& analysis, const std::string& svg);

// Escapes text for HTML element content and attribute values.
std::string html_escape(const std::string& text);

}  // namespace netpol::exporters
