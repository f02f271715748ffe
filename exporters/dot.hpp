#pragma once
// Graphviz DOT: sources on the left, services in a namespace cluster, destinations on the
// right; styles by kind, warnings in red, a legend.

#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>

#include "exporters/diagram.hpp"
#include "graph/analysis/analysis.hpp"

namespace netpol::exporters {

using DotOptions = DiagramOptions;

// Writes the diagram as DOT; the same analysis always gives the same bytes.
void write_dot(const graph::Analysis& analysis, const DotOptions& options, std::ostream& out);
void write_dot(const Diagram& diagram, std::ostream& out);

// Up to this many nodes an sfdp picture has its node overlaps removed (overlap=prism): a
// second at 1,000 nodes, several at 3,000; beyond, nodes may overlap.
inline constexpr std::size_t kOverlapRemovalMaxNodes = 2000;

// The graph attributes, each followed by ", ", that ask Graphviz to lay out a picture of
// `nodes` nodes with sfdp, fast: edges under nodes, overlaps removed up to
// kOverlapRemovalMaxNodes.
std::string sfdp_attributes(std::size_t nodes);

// The node an edge of the whole namespace (DiagramEdge from or to "") is drawn from, or
// (`into`) to: with dot, invisible points right and left of the services in the namespace
// cluster (the edge is clipped to the cluster); with sfdp, a namespace node.
std::string namespace_anchor(const Diagram& diagram, bool into);

// Quotes text as a DOT string ("a\"b"), escaping quotes, backslashes and line breaks.
std::string dot_quote(const std::string& text);
// A node ID as DOT reads one back: only '"' is escaped there, a backslash is itself (so
// Graphviz's SVG titles show the name as it is). An ID cannot end in a backslash in DOT:
// one that would gets a space after it.
std::string dot_id(std::string_view id);

}  // namespace netpol::exporters
