// Pictures as Graphviz reads them: the diff's and the graph's come from one printer, every
// option works on both, and a production values file draws a picture fit for docs.
#include <graphviz/cgraph.h>

#include <sstream>

#include "exporters/diff.hpp"
#include "exporters/dot.hpp"
#include "exporters/palette.hpp"
#include "graph/analysis/diff.hpp"
#include "support.hpp"

using namespace netpol;

namespace {

exporters::DiagramOptions options(std::size_t max_nodes, std::vector<std::string> focus = {}) {
  exporters::DiagramOptions o;
  o.max_nodes = max_nodes;
  o.focus = std::move(focus);
  return o;
}

struct Sides {
  graph::Analysis old_side, new_side;
  graph::DiffReport report() const {
    return {old_side, new_side, graph::diff_analyses(old_side, new_side)};
  }
};

Sides sides(const std::string& old_yaml, const std::string& new_yaml) {
  return {test::analyze_values(old_yaml), test::analyze_values(new_yaml)};
}

std::string diff_dot(const Sides& s, const exporters::DiagramOptions& o) {
  std::ostringstream out;
  exporters::write_diff_dot(s.report(), o, out);
  return out.str();
}

std::string graph_dot(const graph::Analysis& a, const exporters::DiagramOptions& o = {}) {
  std::ostringstream out;
  exporters::write_dot(a, o, out);
  return out.str();
}

struct ParsedEdge {
  std::string from, to, label, tooltip, color, style, arrowhead;
};
struct ParsedNode {
  std::string id, label, shape, fill, color, tooltip;
};
// What Graphviz's own parser reads in a DOT text.
struct Parsed {
  std::string layout, overlap, title;  // title: line breaks stay DOT's \n
  bool cluster = false;
  std::vector<ParsedNode> nodes;
  std::vector<ParsedEdge> edges;
  std::size_t labelled_edges() const {
    return static_cast<std::size_t>(std::count_if(
        edges.begin(), edges.end(), [](const ParsedEdge& e) { return !e.label.empty(); }));
  }
  const ParsedNode* node(const std::string& id) const {
    for (const auto& n : nodes)
      if (n.id == id) return &n;
    return nullptr;
  }
};

Parsed parse(const std::string& dot) {
  Parsed p;
  Agraph_t* g = agmemread(dot.c_str());
  REQUIRE(g != nullptr);
  auto attr = [](void* obj, const char* name) {
    const char* v = agget(obj, const_cast<char*>(name));
    return std::string(v ? v : "");
  };
  p.layout = attr(g, "layout");
  p.overlap = attr(g, "overlap");
  p.title = attr(g, "label");
  p.cluster = agfstsubg(g) != nullptr;
  for (Agnode_t* n = agfstnode(g); n; n = agnxtnode(g, n)) {
    p.nodes.push_back({agnameof(n), attr(n, "label"), attr(n, "shape"), attr(n, "fillcolor"),
                       attr(n, "color"), attr(n, "tooltip")});
    for (Agedge_t* e = agfstout(g, n); e; e = agnxtout(g, e))
      p.edges.push_back({agnameof(agtail(e)), agnameof(aghead(e)), attr(e, "label"),
                         attr(e, "tooltip"), attr(e, "color"), attr(e, "style"),
                         attr(e, "arrowhead")});
  }
  agclose(g);
  return p;
}

// A label's lines as DOT writes them ("\n" between lines), and their widths in code points.
std::vector<std::string> label_lines(const std::string& label) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t at; (at = label.find("\\n", start)) != std::string::npos; start = at + 2)
    out.push_back(label.substr(start, at - start));
  out.push_back(label.substr(start));
  return out;
}
std::size_t width(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::size_t visible(const exporters::Diagram& d) {
  return static_cast<std::size_t>(
      std::count_if(d.edges.begin(), d.edges.end(), [](const auto& e) { return !e.invisible; }));
}
std::size_t drawn_nodes(const exporters::Diagram& d) {
  return static_cast<std::size_t>(std::count_if(d.nodes.begin(), d.nodes.end(), [](const auto& n) {
    return n.look != exporters::Look::Junction;
  }));
}

// meta open to any source: one edge added.
const std::string kExposed = test::kEnabled + "meta:\n  networkPolicy:\n    allowExternal: true\n";

}  // namespace

TEST_SUITE("exporters: diff pictures") {
  TEST_CASE(
      "a small picture draws every edge, ranked, ports on the changed ones, in the others' "
      "tooltips") {
    Sides s = sides(test::kEnabled, kExposed);
    Parsed p = parse(diff_dot(s, options(exporters::kDefaultMaxNodes)));
    CHECK(p.layout == "");
    CHECK(p.cluster);
    // The change is labelled on its line; an unchanged edge, drawn for context, has its
    // ports in its tooltip only (a bundle's members meeting at its junction and the invisible
    // edges that hold the layout have neither).
    std::size_t labelled = 0, quiet = 0;
    for (const auto& e : p.edges) {
      if (e.arrowhead == "none" || e.style == "invis") continue;
      const bool changed = e.color == exporters::change_style(graph::Change::Added).line;
      CHECK_MESSAGE(changed == !e.label.empty(), e.from << " -> " << e.to);
      CHECK_MESSAGE((changed || !e.tooltip.empty()), e.from << " -> " << e.to);
      ++(changed ? labelled : quiet);
    }
    CHECK(labelled == 1);
    CHECK(quiet > 5);
    CHECK(p.title ==
          "Changes in effective access:\\n1 added, 0 removed, 0 widened, 0 narrowed, "
          "0 changed\\nvalues.yaml -> values.yaml, netpol-graph " NETPOL_VERSION);
    // The added edge in the palette's colour for an addition.
    bool added = false;
    for (const auto& e : p.edges)
      if (e.from == "any-source" && e.to == "meta") {
        added = true;
        CHECK(e.color == exporters::change_style(graph::Change::Added).line);
        CHECK(e.label == "added: TCP 9500");
      }
    CHECK(added);
  }

  TEST_CASE("above max_nodes only the changes are drawn, and the title says what was left out") {
    Sides s = sides(test::kEnabled, kExposed);
    exporters::DiagramOptions every = options(exporters::kDefaultMaxNodes);
    every.every_edge = true;
    exporters::Diagram all = exporters::make_diff_diagram(s.report(), every);
    exporters::Diagram d = exporters::make_diff_diagram(s.report(), options(3));
    CHECK(drawn_nodes(d) == 2);  // any-source and meta
    CHECK(visible(d) == 1);
    CHECK(d.layout == exporters::Layout::Dot);
    CHECK(d.notes.front() == std::to_string(drawn_nodes(all)) +
                                 " nodes (more than --max-nodes 3): only the changes drawn, " +
                                 std::to_string(visible(all) - 1) + " unchanged edges and " +
                                 std::to_string(drawn_nodes(all) - 2) +
                                 " nodes without a change left out");
  }

  TEST_CASE("if the changes alone are too many nodes, sfdp draws them, ports in tooltips") {
    Parsed p = parse(diff_dot(sides(test::kEnabled, kExposed), options(1)));
    CHECK(p.layout == "sfdp");
    CHECK(p.overlap == "prism");
    CHECK_FALSE(p.cluster);
    CHECK(p.labelled_edges() == 0);
    REQUIRE(p.edges.size() == 1);
    CHECK(p.edges[0].tooltip == "added: TCP 9500");
    CHECK(p.title.find("\\nlaid out with sfdp, ports in each edge's tooltip") != std::string::npos);
  }

  TEST_CASE("after the changes-only note, the count of nodes says they are still too many") {
    exporters::Diagram d =
        exporters::make_diff_diagram(sides(test::kEnabled, kExposed).report(), options(1));
    REQUIRE(d.notes.size() == 3);
    CHECK(d.notes[0].find(" nodes (more than --max-nodes 1): only the changes drawn") !=
          std::string::npos);
    CHECK(d.notes[1] == "still 2 nodes (more than --max-nodes 1)");
  }

  TEST_CASE("policies switched on: every edge is the change, so nothing is left out") {
    Sides s = sides("", test::kEnabled);
    exporters::Diagram all = exporters::make_diff_diagram(s.report(), options(60));
    exporters::Diagram d = exporters::make_diff_diagram(s.report(), options(2));
    CHECK(drawn_nodes(d) == drawn_nodes(all));
    CHECK(visible(d) == visible(all));
    CHECK(d.layout == exporters::Layout::Sfdp);
    CHECK(d.title == "Network policies switched ON");
  }

  TEST_CASE("--focus draws the focused node, its neighbours and its edges, changed or not") {
    Sides s = sides(test::kEnabled, kExposed);
    // Focused on meta: its five senders, any-source (now sending to it), S3, PostgreSQL and
    // DNS; its edges only (the five senders' meet at one junction), the added one among them.
    exporters::Diagram d = exporters::make_diff_diagram(s.report(), options(60, {"meta"}));
    CHECK(drawn_nodes(d) == 10);
    for (const auto& e : d.edges)
      CHECK_MESSAGE((e.from == "meta" || e.to == "meta" || e.into_junction ||
                     e.from.rfind("netpol-graph:junction:", 0) == 0),
                    e.from << " -> " << e.to);
    CHECK(d.notes.front().rfind("focused on meta (1 hop): 10 of ", 0) == 0);
    // Focused on janitor, which no change touches: no added edge drawn.
    exporters::Diagram j = exporters::make_diff_diagram(s.report(), options(60, {"janitor"}));
    CHECK(drawn_nodes(j) == 6);  // janitor, meta, query, S3, PostgreSQL, DNS
    CHECK(visible(j) == 5);
    for (const auto& e : j.edges) CHECK_FALSE(e.change.has_value());
  }

  TEST_CASE("--layout, --no-group and --every-edge work on the diff as on the graph") {
    Sides s = sides(test::kEnabled, kExposed);
    exporters::DiagramOptions o = options(60);
    o.layout = exporters::Layout::Sfdp;
    CHECK(parse(diff_dot(s, o)).layout == "sfdp");
    // Unchanged DNS edges are one bundle from the namespace; --every-edge draws each.
    exporters::Diagram bundled = exporters::make_diff_diagram(s.report(), options(60));
    auto to_dns = [](const exporters::Diagram& d) {
      return std::count_if(d.edges.begin(), d.edges.end(),
                           [](const auto& e) { return e.to == "dns" && !e.invisible; });
    };
    CHECK(to_dns(bundled) == 1);
    o = options(60);
    o.every_edge = true;
    CHECK(to_dns(exporters::make_diff_diagram(s.report(), o)) == 6);
    // Above max_nodes, services with the same changes are one node unless --no-group: three
    // new services, each added with the same edges.
    std::string three = kExposed;
    for (const char* n : {"x1", "x2", "x3"})
      three += std::string(n) +
               ":\n  networkPolicy:\n    egressTo:\n      - app: meta\n"
               "        ports: [9500]\n";
    Sides grown = sides(test::kEnabled, three);
    exporters::Diagram grouped = exporters::make_diff_diagram(grown.report(), options(4));
    CHECK(std::any_of(grouped.nodes.begin(), grouped.nodes.end(), [](const auto& n) {
      return n.members == std::vector<std::string>{"x1", "x2", "x3"};
    }));
    o = options(4);
    o.group = false;
    exporters::Diagram apart = exporters::make_diff_diagram(grown.report(), o);
    CHECK(std::none_of(apart.nodes.begin(), apart.nodes.end(),
                       [](const auto& n) { return !n.members.empty(); }));
  }
}

TEST_SUITE("exporters: one printer") {
  TEST_CASE("a Diagram with changes prints through the graph's printer") {
    // A hand-made diff picture: the printer colours each edge by its change, draws a removed
    // node dashed, and keeps each look's shape and fill.
    exporters::Diagram d;
    d.title = "t";
    d.diff = true;
    d.namespace_label = "namespace n";
    auto node = [](std::string id, exporters::Look look, exporters::Place place) {
      exporters::DiagramNode n;
      n.id = id;
      n.lines = {id};
      n.look = look;
      n.place = place;
      return n;
    };
    d.nodes = {node("a", exporters::Look::Service, exporters::Place::Namespace),
               node("b", exporters::Look::Service, exporters::Place::Namespace),
               node("gone", exporters::Look::Service, exporters::Place::Namespace),
               node("ext", exporters::Look::External, exporters::Place::Destination)};
    d.nodes[2].removed = true;
    std::vector<std::optional<graph::Change>> changes = {
        graph::Change::Added, graph::Change::Widened, graph::Change::Removed, std::nullopt};
    const char* from[] = {"a", "b", "gone", "a"};
    const char* to[] = {"b", "ext", "ext", "ext"};
    for (std::size_t i = 0; i < changes.size(); ++i) {
      exporters::DiagramEdge e;
      e.from = from[i];
      e.to = to[i];
      e.label = "l" + std::to_string(i);
      e.change = changes[i];
      d.edges.push_back(e);
    }
    d.legend = {exporters::Look::Service, exporters::Look::External};
    std::ostringstream out;
    exporters::write_dot(d, out);
    Parsed p = parse(out.str());
    REQUIRE(p.edges.size() == 4);
    for (const auto& e : p.edges) {
      // The unchanged edge's label is its tooltip.
      const std::string& said = e.label.empty() ? e.tooltip : e.label;
      std::size_t i = std::stoul(said.substr(1));
      CHECK(e.color == exporters::change_style(changes[i]).line);
      CHECK(e.label.empty() == !changes[i].has_value());
    }
    CHECK(p.node("gone")->color == exporters::change_style(graph::Change::Removed).line);
    CHECK(p.node("gone")->tooltip.rfind("removed", 0) == 0);
    const exporters::LookStyle& ext = exporters::style_of(exporters::Look::External);
    CHECK(p.node("ext")->shape == ext.dot_shape);
    CHECK(p.node("ext")->fill == ext.fill);
    // The legend names the changes.
    CHECK(out.str().find("widened access") != std::string::npos);
  }

  TEST_CASE("a node looks the same in the graph's picture and the diff's") {
    Sides s = sides(test::kEnabled, kExposed);
    Parsed g = parse(graph_dot(s.new_side));
    Parsed d = parse(diff_dot(s, options(60)));
    for (const char* id : {"query", "meta", "any-source", "ext:S3", "dns"}) {
      CAPTURE(id);
      REQUIRE(g.node(id) != nullptr);
      REQUIRE(d.node(id) != nullptr);
      CHECK(g.node(id)->label == d.node(id)->label);
      CHECK(g.node(id)->shape == d.node(id)->shape);
      CHECK(g.node(id)->fill == d.node(id)->fill);
    }
  }
}

TEST_SUITE("exporters: a production picture") {
  std::string production() {
    return test::slurp(std::string(NETPOL_SAMPLES_DIR) + "/production.yaml");
  }

  // Every line of every node and edge label (and tooltip-less labels of HTML tables are
  // not plain text: the legend is left out).
  void check_label_widths(const Parsed& p) {
    for (const auto& n : p.nodes) {
      if (!n.label.empty() && n.label.front() == '<') continue;  // the legend, HTML
      for (const auto& line : label_lines(n.label))
        CHECK_MESSAGE(width(line) <= exporters::kLabelWidth, line);
    }
    for (const auto& e : p.edges)
      for (const auto& line : label_lines(e.label))
        CHECK_MESSAGE(width(line) <= exporters::kLabelWidth, line);
  }

  TEST_CASE("at most 14 labelled edges, no label line over 40 characters, the whole in tooltips") {
    graph::Analysis a = test::analyze_values(production());
    Parsed p = parse(graph_dot(a));
    CHECK(p.labelled_edges() <= 14);
    CHECK(p.labelled_edges() >= 5);  // not an empty picture
    check_label_widths(p);
    // The ingress controller's selector is wrapped, and whole in the tooltip.
    bool selector = false;
    for (const auto& n : p.nodes)
      if (n.tooltip.find("app.kubernetes.io/component=controller and "
                         "app.kubernetes.io/name=ingress-nginx in namespaces with "
                         "kubernetes.io/metadata.name=ingress-nginx") != std::string::npos) {
        selector = true;
        CHECK(label_lines(n.label).size() > 1);
      }
    CHECK(selector);
    // janitor has no external egress: the others' edges to S3 are one bundle that says so.
    CHECK(std::count_if(p.edges.begin(), p.edges.end(), [](const ParsedEdge& e) {
            return e.label == "every service\\nbut janitor:\\nTCP 443" &&
                   e.tooltip == "every service but janitor: TCP 443";
          }) == 1);
  }

  TEST_CASE("its diff against the chart defaults keeps every label line within 40 characters") {
    Sides s = sides(test::kEnabled, production());
    Parsed p = parse(diff_dot(s, options(60)));
    check_label_widths(p);
    for (const auto& e : p.edges) {
      if (label_lines(e.label).size() > 1 && e.label.find("...") != std::string::npos)
        CHECK_FALSE(e.tooltip.empty());
      // Who on up to two lines, what changed on up to three: every label here fits whole
      // ("every service but janitor:" / "narrowed: addresses 10.0.0.0/16 (except" / ...).
      CHECK_MESSAGE(e.label.find("...") == std::string::npos, e.label);
    }
  }
}
