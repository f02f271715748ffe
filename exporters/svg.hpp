#pragma once
// SVG: the DOT diagram laid out and rendered by Graphviz in-process.

#include <ostream>

#include "exporters/dot.hpp"

namespace netpol::exporters {

// Writes the same picture `dot -Tsvg` draws from write_dot's output.
void write_svg(const graph::Analysis& analysis, const DotOptions& options, std::ostream& out);

}  // namespace netpol::exporters
