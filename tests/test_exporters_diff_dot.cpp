#include <graphviz/cgraph.h>

#include <sstream>

#include "exporters/diff.hpp"
#include "exporters/dot.hpp"
#include "graph/diff.hpp"
#include "support.hpp"

using namespace netpol;

namespace {

// The diff picture of two values files over the chart defaults, drawn for `max_nodes`
// (and focused on `focus`, when given).
std::string diff_dot(const std::string& old_yaml, const std::string& new_yaml,
                     std::size_t max_nodes, std::vector<std::string> focus = {}) {
  graph::Analysis a = test::analyze_values(old_yaml), b = test::analyze_values(new_yaml);
  graph::DiffReport report{a, b, graph::diff_analyses(a, b)};
  std::ostringstream out;
  exporters::DiagramOptions options;
  options.max_nodes = max_nodes;
  options.focus = std::move(focus);
  exporters::write_diff_dot(report, options, out);
  return out.str();
}

// What Graphviz's own parser reads in a DOT text.
struct Parsed {
  int nodes = -1, edges = -1, labelled_edges = 0, tooltip_edges = 0;
  std::string layout, overlap, title;  // title: line breaks stay DOT's \n
  bool cluster = false;
};

Parsed parse(const std::string& dot) {
  Parsed p;
  Agraph_t* g = agmemread(dot.c_str());
  if (!g) return p;
  p.nodes = agnnodes(g);
  p.edges = agnedges(g);
  auto attr = [](void* obj, const char* name) {
    const char* v = agget(obj, const_cast<char*>(name));
    return std::string(v ? v : "");
  };
  p.layout = attr(g, "layout");
  p.overlap = attr(g, "overlap");
  p.title = attr(g, "label");
  p.cluster = agfstsubg(g) != nullptr;
  for (Agnode_t* n = agfstnode(g); n; n = agnxtnode(g, n))
    for (Agedge_t* e = agfstout(g, n); e; e = agnxtout(g, e)) {
      p.labelled_edges += !attr(e, "label").empty();
      p.tooltip_edges += !attr(e, "tooltip").empty();
    }
  agclose(g);
  return p;
}

// meta open to any source: one edge added.
const std::string kExposed = test::kEnabled + "meta:\n  networkPolicy:\n    allowExternal: true\n";

}  // namespace

TEST_SUITE("exporters: diff_dot") {
  TEST_CASE("a small picture draws every edge, ranked, with ports on the edges") {
    Parsed p = parse(diff_dot(test::kEnabled, kExposed, exporters::kDefaultMaxNodes));
    REQUIRE(p.nodes > 3);
    CHECK(p.layout == "");
    CHECK(p.cluster);
    CHECK(p.labelled_edges == p.edges);
    CHECK(p.title ==
          "Changes in effective access: 1 added, 0 removed, 0 widened, 0 narrowed, "
          "0 changed");
  }

  TEST_CASE("above max_nodes only the changes are drawn, and the title says what was left out") {
    Parsed all = parse(diff_dot(test::kEnabled, kExposed, exporters::kDefaultMaxNodes));
    Parsed p = parse(diff_dot(test::kEnabled, kExposed, 3));
    // any-source -> meta and the legend; nothing else.
    CHECK(p.nodes == 3);
    CHECK(p.edges == 1);
    CHECK(p.layout == "");
    // The legend is not counted among the chart's nodes.
    CHECK(p.title ==
          "Changes in effective access: 1 added, 0 removed, 0 widened, 0 narrowed, "
          "0 changed\\n" +
              std::to_string(all.nodes - 1) +
              " nodes (more than --max-nodes 3): only the changes drawn, " +
              std::to_string(all.edges - 1) + " unchanged edges and " +
              std::to_string(all.nodes - 3) + " nodes without a change left out");
  }

  TEST_CASE("if the changes alone are too many nodes, sfdp draws them, ports in tooltips") {
    Parsed p = parse(diff_dot(test::kEnabled, kExposed, 1));
    CHECK(p.nodes == 3);
    CHECK(p.layout == "sfdp");
    CHECK(p.overlap == "prism");
    CHECK_FALSE(p.cluster);
    CHECK(p.labelled_edges == 0);
    CHECK(p.tooltip_edges == 1);
    CHECK(p.title.find("\\nlaid out with sfdp (2 nodes), ports and changes in each edge's "
                       "tooltip") != std::string::npos);
  }

  TEST_CASE("policies switched on: every edge is the change, so nothing is left out") {
    Parsed all = parse(diff_dot("", test::kEnabled, exporters::kDefaultMaxNodes));
    Parsed p = parse(diff_dot("", test::kEnabled, 2));
    CHECK(p.nodes == all.nodes);
    CHECK(p.edges == all.edges);
    CHECK(p.layout == "sfdp");
    CHECK(p.title.rfind("Network policies switched ON\\nlaid out with sfdp", 0) == 0);
  }

  TEST_CASE("--focus draws the focused node, its neighbours and its edges, changed or not") {
    // Focused on meta: its five senders, any-source (now sending to it), S3, PostgreSQL and
    // DNS, and the legend; its edges only (9 of them), the added one among them.
    Parsed p = parse(diff_dot(test::kEnabled, kExposed, exporters::kDefaultMaxNodes, {"meta"}));
    CHECK(p.nodes == 11);
    CHECK(p.edges == 9);
    CHECK(p.title.find("focused on meta (1 hop): 10 of ") != std::string::npos);
    // Focused on janitor, which no change touches: no added edge drawn.
    Parsed j = parse(diff_dot(test::kEnabled, kExposed, exporters::kDefaultMaxNodes, {"janitor"}));
    CHECK(j.nodes == 7);  // janitor, meta, query, S3, PostgreSQL, DNS, the legend
    CHECK(j.edges == 5);
  }
}
