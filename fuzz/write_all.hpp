#pragma once
// What the pipeline fuzz targets do with an analysis: every text writer, into one stream,
// the diagrams also as drawn for size.
#include <sstream>

#include "exporters/dot.hpp"
#include "exporters/json.hpp"
#include "exporters/markdown_table.hpp"
#include "exporters/mermaid.hpp"
#include "graph/analysis/analysis.hpp"

namespace netpol::fuzz {

inline void write_all(const graph::Analysis& a, std::ostream& out) {
  exporters::write_markdown_table(a.documented(), out);
  exporters::write_markdown_table(a.effective(), out);
  exporters::write_dot(a, {}, out);
  exporters::write_json(a, out);
  exporters::write_mermaid(a, {}, out);
  // The picture drawn for size: services grouped, sfdp's DOT.
  exporters::DiagramOptions small;
  small.max_nodes = 1;
  exporters::write_dot(a, small, out);
  exporters::write_mermaid(a, small, out);
}

}  // namespace netpol::fuzz
