#pragma once
// Graphviz DOT: services in a namespace cluster, sources on the left, destinations right.

#include <ostream>
#include <string>

#include "graph/analysis.hpp"

namespace netpol::exporters {

// Writes the effective graph as DOT; the same analysis always gives the same bytes.
void write_dot(const graph::Analysis& analysis, std::ostream& out);

// Quotes text as a DOT string ("a\"b"), escaping quotes, backslashes and line breaks.
std::string dot_quote(const std::string& text);

}  // namespace netpol::exporters
