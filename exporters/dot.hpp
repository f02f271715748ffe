#pragma once
// Graphviz DOT: sources on the left, services in a namespace cluster, destinations on the
// right; styles by kind, warnings in red, a legend.

#include <ostream>
#include <string>

#include "exporters/diagram.hpp"
#include "graph/analysis.hpp"

namespace netpol::exporters {

using DotOptions = DiagramOptions;

// Writes the diagram as DOT; the same analysis always gives the same bytes.
void write_dot(const graph::Analysis& analysis, const DotOptions& options, std::ostream& out);
void write_dot(const Diagram& diagram, std::ostream& out);

// Quotes text as a DOT string ("a\"b"), escaping quotes, backslashes and line breaks.
std::string dot_quote(const std::string& text);

}  // namespace netpol::exporters
