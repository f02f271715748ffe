#pragma once
// The picture, decided once for every diagram format (DOT, SVG, Mermaid): which nodes stand
// where, how each looks, which edges are drawn and how DNS is grouped.

#include <algorithm>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "graph/analysis/analysis.hpp"
#include "graph/analysis/diff.hpp"

namespace netpol::exporters {

// Graphviz's layout engine: dot draws in ranks but its time grows steeply
// with edge crossings; sfdp (force-directed) lays out 10,000 nodes in seconds.
enum class Layout { Auto, Dot, Sfdp };

// Above this many nodes a diagram is drawn for size (DiagramOptions::max_nodes).
inline constexpr std::size_t kDefaultMaxNodes = 60;
// Above this many edges (drawn, after bundling) sfdp lays out a picture of fewer nodes too:
// dot's time grows steeply with the edges and their crossings (0.6 s at 94 edges of 22
// services, 3 s at 148, 24 s at 197).
inline constexpr std::size_t kDotMostEdges = 120;

// No label line is wider than this; longer text wraps (or is shortened) and the whole
// text is the tooltip.
inline constexpr std::size_t kLabelWidth = 40;
// The lines of an address destination (external, OTLP collector, anywhere) wrap narrower:
// the destinations stand side by side in one row, which sets the picture's width.
inline constexpr std::size_t kDestinationWidth = 20;
// An ellipse (a selector, any source) is about 1.4 times as wide as its text: its lines wrap
// at this, so that it stands about as wide as a box of kLabelWidth, where that breaks no word
// and cuts nothing (else at kLabelWidth).
inline constexpr std::size_t kEllipseWidth = 28;
// A box's title wraps at this width ("namespace default: every pod may" / "reach every pod
// on every port"): it stands in a row with the box's anchor, which a wide title pushes (and
// the sources over it) out beside the box.
inline constexpr std::size_t kBoxTitleWidth = 32;
// The picture's title, what it was drawn from and its notes wrap at this width (16 pt text:
// about 530 pt, narrower than most pictures): a long one set the picture's width ("Changes in
// effective access: 7 added, 3 removed, 0 widened, 10 narrowed, 0 changed", 740 pt).
inline constexpr std::size_t kTitleWidth = 60;

struct DiagramOptions {
  // Draw every edge. By default, edges from the namespace's services that share a
  // destination, ports and look are one bundle with one label (bundle_edges).
  bool every_edge = false;
  // A picture of more nodes than this groups services of identical connectivity into one
  // node (unless `group` is false), and if it still has more, or more than kDotMostEdges
  // edges, is laid out with sfdp (unless `layout` says otherwise).
  std::size_t max_nodes = kDefaultMaxNodes;
  bool group = true;
  Layout layout = Layout::Auto;
  // Only these nodes (ids), the nodes within `hops` edges of them either way, and the edges
  // on those paths (each with an end nearer than `hops`); empty: every node.
  std::vector<std::string> focus;
  std::size_t hops = 1;
  // A reach answer's paths (node ids, source first): drawn in the path colour, everything
  // else faded, services one node each; `caption` joins the title's notes.
  std::vector<std::vector<std::string>> paths;
  std::string caption;
  // A focus, reach answer or diff holds its services in the rows of its chart's whole picture
  // as Graphviz lays it out (Diagram::rows); false for a picture Graphviz does not lay out
  // (Mermaid lays out itself), which then loads no Graphviz.
  bool hold_rows = true;
};

// What a focus keeps (DiagramOptions::focus) of a picture with these node ids and edges: an
// edge end "" stands for every id of `namespace_ids` (an edge from the namespace as a
// whole). Throws Error naming an id of `focus` that is not among `ids`, with the closest.
class Focus {
 public:
  Focus(const std::vector<std::string>& ids, const std::vector<std::string>& namespace_ids,
        const std::vector<std::pair<std::string, std::string>>& edges,
        const std::vector<std::string>& focus, std::size_t hops);
  // The focused nodes and those within `hops` edges of them, either way.
  bool keeps(const std::string& id) const { return distance_.count(id) > 0; }
  // An edge between kept nodes with an end nearer than `hops` (on a path from the focus).
  bool keeps(const std::string& from, const std::string& to) const;

 private:
  std::optional<std::size_t> distance(const std::string& id) const;
  std::map<std::string, std::size_t> distance_;
  std::optional<std::size_t> namespace_distance_;  // the nearest kept namespace node's
  std::size_t hops_;
};
// The note a focused picture carries: "focused on a, b (1 hop): 5 of 12 nodes".
std::string focus_note(const std::vector<std::string>& focus, std::size_t hops, std::size_t kept,
                       std::size_t all);

// Keeps of a picture's `nodes` and `edges` (each with `from` and `to` ids) what
// `options.focus` keeps, for the graph's Diagram and diff's picture alike; `id(node)` and
// `in_namespace(node)` read a node. Returns the note.
template <typename Node, typename Edge, typename Id, typename InNamespace>
std::string keep_focused(std::vector<Node>& nodes, std::vector<Edge>& edges,
                         const DiagramOptions& options, Id id, InNamespace in_namespace) {
  std::vector<std::string> ids, namespace_ids;
  for (const auto& n : nodes) {
    ids.push_back(id(n));
    if (in_namespace(n)) namespace_ids.push_back(id(n));
  }
  std::vector<std::pair<std::string, std::string>> ends;
  for (const auto& e : edges) ends.emplace_back(e.from, e.to);
  Focus focus(ids, namespace_ids, ends, options.focus, options.hops);
  std::size_t all = nodes.size();
  nodes.erase(std::remove_if(nodes.begin(), nodes.end(),
                             [&](const Node& n) { return !focus.keeps(id(n)); }),
              nodes.end());
  edges.erase(std::remove_if(edges.begin(), edges.end(),
                             [&](const Edge& e) { return !focus.keeps(e.from, e.to); }),
              edges.end());
  return focus_note(options.focus, options.hops, nodes.size(), all);
}

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
  ServiceClass,  // a class of services held as one (graph/model/policy_graph.hpp)
  Junction,      // where the edges of a bundle meet (not in the legend)
};

// Where a node is placed, in the order dot ranks them (top down, or left to right).
enum class Place { Source, Namespace, Destination, Between };

struct DiagramNode {
  std::string id;
  std::vector<std::string> lines;  // label, one entry per line
  Look look = Look::Service;
  Place place = Place::Between;
  std::vector<std::string> members;  // a group of services: every member, in display order
  bool faded = false;                // not on a path of a reach answer
  bool removed = false;              // a diff's node only the old side has
  std::string tooltip;               // the whole text, when `lines` wrap or shorten it
  // The namespace whose box it is drawn in, when it is not a service of the main one: a
  // workload of another namespace, or a selector peer whose pods are all in one namespace
  // (Diagram::ns: the main box; another: a box of its own). "": outside every box.
  std::string box;
};

struct DiagramEdge {
  std::string from, to;  // node ids; "" for the namespace as a whole
  std::string label;
  bool warning = false;    // from any source, or to the open world
  bool invisible = false;  // only holds the layout in shape (sources left, sinks right)
  bool on_path = false;    // a hop of a reach answer's path
  bool faded = false;      // a picture of paths: not one of their hops
  // A diff's edge: what changed on it; none: unchanged.
  std::optional<graph::Change> change = std::nullopt;
  bool into_junction = false;  // one source of a bundle: no arrow, no label
  // Stands for the edges to (from) every node of the box of this namespace, other than the
  // main one: drawn to (from) its first node, clipped at the box (bundle_boxes).
  std::string to_box, from_box;
  std::string tooltip;  // the whole label, when `label` wraps or shortens it
  // A bundle that stands for every service of a box (bundle_edges, bundle_boxes): whom, as
  // its label begins before ": ", {"every service"} or {"every service", "but janitor"}.
  std::vector<std::string> who;
};

struct Diagram {
  std::string title;
  std::string source;              // what it was drawn from (inputs_line), under the title
  std::vector<std::string> notes;  // how the picture was drawn for size, if it was
  // A diff's picture past --max-nodes that already draws only the changes (its note says so):
  // a note of the nodes left says how many are still drawn.
  bool changes_only = false;
  bool disabled = false;
  std::string namespace_label;
  std::string ns;                  // the main box's namespace
  std::vector<DiagramNode> nodes;  // in display order
  std::vector<DiagramEdge> edges;
  std::vector<Look> legend;     // the looks that occur, in Look order
  Layout layout = Layout::Dot;  // never Auto
  // dot ranks it top down (sources at the top), where that is narrower than left to right.
  bool top_down = false;
  // A focus's, a reach answer's or a diff's picture: the services of each box that share a
  // rank in the chart's whole picture as dot lays it out, each row in its order there
  // (laid_out_rows). dot holds them, so that a service keeps its place between the graph's
  // picture and these. Empty for the whole picture, which dot orders freely.
  std::vector<std::vector<std::string>> rows;
  bool diff = false;       // a diff's picture: edges coloured by their change
  bool workloads = false;  // read from manifests: its services are workloads
};

// Whether a node is drawn in the main namespace's box: its services (and classes), and
// selectors of its own pods. Any other node with a `box` is drawn in that namespace's box.
inline bool in_main_box(const Diagram& diagram, const DiagramNode& node) {
  return node.place == Place::Namespace || (!diagram.ns.empty() && node.box == diagram.ns);
}

// The edges a picture draws (the invisible ones that only hold its order aside).
inline std::size_t drawn_edge_count(const Diagram& diagram) {
  return static_cast<std::size_t>(std::count_if(diagram.edges.begin(), diagram.edges.end(),
                                                [](const DiagramEdge& e) { return !e.invisible; }));
}

// The namespaces other than the main one that have a box (DiagramNode::box), in the order
// their first node is drawn.
std::vector<std::string> other_boxes(const Diagram& diagram);

// The graph's picture.
Diagram make_diagram(const graph::Analysis& analysis, const DiagramOptions& options);
// A diff's picture: the new side's nodes and those only the old side has (removed), every
// edge with its change, or with classes or above `max_nodes` nodes only the changed ones.
// Every option works as for make_diagram.
Diagram make_diff_diagram(const graph::DiffReport& report, const DiagramOptions& options);

// Text wrapped at spaces into lines of at most `width` characters (of UTF-8 code points), at
// most `max_lines` of them, the last ending in "..." when shortened. A word wider than a line
// is cut after its last '.', ':', '/' or '-' that fits ("otel-collector." / "monitoring:4317"),
// else where the line is full.
std::vector<std::string> wrap_label(const std::string& text, std::size_t max_lines = 4,
                                    std::size_t width = kLabelWidth);

// A namespace box's title as drawn: wrapped at kBoxTitleWidth (the whole is its tooltip).
std::vector<std::string> box_title_lines(const std::string& title);

// The picture's title as drawn, line by line: its title (broken after its first ": " when
// wider than kTitleWidth, "Changes in effective access:" / "7 added, ..."), what it was drawn
// from and each note, every line at most kTitleWidth wide.
std::vector<std::string> title_lines(const Diagram& diagram);

// The Graphviz engine name: "dot" or "sfdp".
const char* layout_name(Layout layout);

// What a picture was drawn from, for its title: the inputs' file names (not the embedded
// defaults; "the chart's defaults" when there is no other), "production.yaml"; "standard
// input" for `-`, a `--set` as given, and a device or a pipe by its whole path ("/dev/fd/63"
// for `-f <(helm get values x)`); and with netpol-graph's version, "production.yaml,
// netpol-graph 0.1.0".
std::string input_names(const std::vector<std::string>& inputs);
std::string inputs_line(const std::vector<std::string>& inputs);

// What the picture calls its services (graph/rules/chart.hpp).
using graph::service_word;

// The legend's words for a look; `workloads`: the services are workloads (--manifests).
std::string look_description(Look look, bool workloads);

}  // namespace netpol::exporters
