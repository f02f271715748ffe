#pragma once
// Graphviz's layout and rendering, in-process. The libraries (libgvc, libcgraph and the
// dot_layout, core and pango plugins; neato_layout, for sfdp, only when a picture asks for it)
// are opened with dlopen on first use, so commands that write text never load the render stack.

#include <map>
#include <string>
#include <string_view>

namespace netpol::exporters {

// Starts loading Graphviz and warming its fonts on another thread, so that the work overlaps
// with reading values; a command that will render SVG calls it first. Optional.
void preload_graphviz();

// Lays out `dot` with the engine its `layout` attribute names (dot when none) and renders it
// in `format`: "svg" exactly as `dot -Tsvg` would, "png" or "pdf" through Graphviz's cairo
// renderer (in the pango plugin), as `dot -Tpng` and `dot -Tpdf` do. PNG and PDF are bytes.
// Throws Error when Graphviz cannot be loaded or rejects the graph.
// Sibling clusters (the namespace boxes) are laid out and written in the order the DOT
// creates them, whatever the process allocated before (cgraph's own ids are the addresses of
// the names, by which dot orders clusters: graphviz_runtime.cpp gives its own).
std::string render_picture(const std::string& dot, std::string_view format);
// Where dot puts a node: its rank, and its index in the rank in dot's order (left to right
// top down; along the column left to right).
struct NodePlace {
  int rank = 0;
  int order = 0;
};
// Lays out `dot` as render_picture does (the dot engine), draws nothing, and says where each
// node stands, by name. Throws Error when Graphviz cannot be loaded or rejects the graph.
std::map<std::string, NodePlace> node_places(const std::string& dot);
inline std::string render_svg(const std::string& dot) {
  return render_picture(dot, "svg");
}

}  // namespace netpol::exporters
