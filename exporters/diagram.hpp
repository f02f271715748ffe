#pragma once
// The picture, decided once for every diagram format (DOT, SVG, Mermaid): which nodes stand
// where, how each looks, which edges are drawn and how DNS is grouped.

#include <cstddef>
#include <string>
#include <vector>

#include "graph/analysis.hpp"

namespace netpol::exporters {

// Graphviz's layout engine: dot draws left to right in ranks but its time grows steeply
// with edge crossings; sfdp (force-directed) lays out 10,000 nodes in seconds.
enum class Layout { Auto, Dot, Sfdp };

// Above this many nodes a diagram is drawn for size (DiagramOptions::max_nodes).
inline constexpr std::size_t kDefaultMaxNodes = 60;

struct DiagramOptions {
  // Draw every edge. By default, a destination that every service reaches on the same
  // ports (DNS, an external everyone may use) gets one edge from the namespace instead.
  bool every_edge = false;
  // A picture of more nodes than this groups services of identical connectivity into one
  // node (unless `group` is false), and if it still has more, is laid out with sfdp
  // (unless `layout` says otherwise).
  std::size_t max_nodes = kDefaultMaxNodes;
  bool group = true;
  Layout layout = Layout::Auto;
};

// How a node looks; also the rows of the legend.
enum class Look {
  Service,
  ExposedService,  // reachable from any source
  AnySource,
  Source,  // selector peers, namespace pods
  UnknownPeer,
  External,
  OpenWorld,  // 0.0.0.0/0, ::/0 or anywhere
  Otlp,
  Dns,
  ServiceClass,  // a class of services held as one (graph/policy_graph.hpp)
};

// Where a node is placed, left to right.
enum class Place { Source, Namespace, Destination, Between };

struct DiagramNode {
  std::string id;
  std::vector<std::string> lines;  // label, one entry per line
  Look look = Look::Service;
  Place place = Place::Between;
  std::vector<std::string> members;  // a group of services: every member, in display order
};

struct DiagramEdge {
  std::string from, to;  // node ids; "" for the namespace as a whole
  std::string label;
  bool warning = false;    // from any source, or to the open world
  bool invisible = false;  // only holds the layout in shape (sources left, sinks right)
};

struct Diagram {
  std::string title;
  std::vector<std::string> notes;  // how the picture was drawn for size, if it was
  bool disabled = false;
  std::string namespace_label;
  std::vector<DiagramNode> nodes;  // in display order
  std::vector<DiagramEdge> edges;
  std::vector<Look> legend;     // the looks that occur, in Look order
  Layout layout = Layout::Dot;  // never Auto
};

Diagram make_diagram(const graph::Analysis& analysis, const DiagramOptions& options);

// The Graphviz engine name: "dot" or "sfdp".
const char* layout_name(Layout layout);

// The legend's words for a look.
std::string look_description(Look look);

}  // namespace netpol::exporters
