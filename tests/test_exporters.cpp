#include <graphviz/cgraph.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "exporters/diagram.hpp"
#include "exporters/dot.hpp"
#include "exporters/formats.hpp"
#include "exporters/graphviz_runtime.hpp"
#include "exporters/json.hpp"
#include "exporters/json_writer.hpp"
#include "exporters/markdown_table.hpp"
#include "exporters/mermaid.hpp"
#include "exporters/palette.hpp"
#include "exporters/report.hpp"
#include "graph/read/read_manifests.hpp"
#include "support.hpp"
#include "values/yaml_reader.hpp"

using namespace netpol;

namespace {

std::string dot_of(const graph::Analysis& a) {
  std::ostringstream out;
  exporters::write_dot(a, {}, out);
  return out.str();
}

std::string table_of(const graph::CommunicationMap& m) {
  std::ostringstream out;
  exporters::write_markdown_table(m, out);
  return out.str();
}

// Parses DOT with Graphviz's own parser; returns (nodes, edges), or (-1, -1) if it fails.
// The nodes and edges Graphviz should read in the DOT of a ranked diagram: its nodes, the
// legend, and the invisible anchors of the namespace's own edges with an invisible edge to
// (or from) each node of the namespace.
std::pair<int, int> dot_counts(const exporters::Diagram& d) {
  bool out = std::any_of(d.edges.begin(), d.edges.end(),
                         [](const auto& e) { return e.from.empty() && !e.invisible; });
  bool in = std::any_of(d.edges.begin(), d.edges.end(),
                        [](const auto& e) { return e.to.empty() && !e.invisible; });
  int anchors = int(out) + int(in);
  int in_namespace =
      static_cast<int>(std::count_if(d.nodes.begin(), d.nodes.end(), [](const auto& n) {
        return n.place == exporters::Place::Namespace && n.look != exporters::Look::Junction;
      }));
  // Top down: an edge from each box's title to each node of the box, and to the legend from
  // each node no visible edge leaves.
  int top_down = 0;
  if (d.top_down) {
    std::set<std::string> leave;
    for (const auto& e : d.edges)
      if (!e.invisible) leave.insert(e.from.empty() ? "(namespace)" : e.from);
    for (const auto& n : d.nodes) {
      if (n.look == exporters::Look::Junction) continue;
      top_down += int(n.place == exporters::Place::Namespace || !n.box.empty());
      top_down += int(!leave.count(n.id));
    }
  }
  // The destinations' row held in order (either way).
  int destinations =
      static_cast<int>(std::count_if(d.nodes.begin(), d.nodes.end(), [](const auto& n) {
        return n.place == exporters::Place::Destination && n.box.empty();
      }));
  int held = std::max(destinations - 1, 0);
  // The services' rows held in order: an edge between each two services drawn in one box.
  for (const auto& row : d.rows) {
    std::map<std::string, int> drawn;  // by box
    for (const auto& id : row)
      for (const auto& n : d.nodes)
        if (n.id == id) ++drawn[exporters::in_main_box(d, n) ? "" : "/" + n.box];
    for (const auto& [box, count] : drawn) held += count * (count - 1) / 2;
  }
  // + the legend and the namespace's title (a node, so that edges route around it)
  return {static_cast<int>(d.nodes.size()) + 2 + anchors,
          static_cast<int>(d.edges.size()) + anchors * in_namespace + top_down + held};
}

std::pair<int, int> parse_dot(const std::string& text) {
  Agraph_t* g = agmemread(text.c_str());
  if (!g) return {-1, -1};
  std::pair<int, int> counts{agnnodes(g), agnedges(g)};
  agclose(g);
  return counts;
}

// Free text where the chart takes it (externalEgress names): Kubernetes names cannot carry
// these characters (the readers refuse them).
const std::string kAwkward =
    "global:\n  networkPolicy:\n    enabled: true\n    externalEgress:\n"
    "      - {name: \"a\\\"b|c\", cidr: 10.0.0.0/16}\n"
    "      - {name: \"x|<y>&z\\\\w\", cidr: 10.1.0.0/16}\n"
    // A backslash before a quote, one at the end, and runs of them before each (fuzz_outputs
    // found the first and a"b followed by two at the end).
    "      - {name: \"9\\\\\\\"35xs\", cidr: 10.2.0.0/16}\n"
    "      - {name: \"end\\\\\", cidr: 10.3.0.0/16}\n"
    "      - {name: \"a\\\"b\\\\\\\\\", cidr: 10.4.0.0/16}\n"
    "      - {name: \"c\\\\\\\\\\\"d\", cidr: 10.5.0.0/16}\n"
    "meta:\n  networkPolicy:\n    allowExternalEgress: true\n";

}  // namespace

TEST_SUITE("exporters") {
  TEST_CASE("the streaming JSON writer prints what nlohmann's dump(2) prints") {
    using nlohmann::ordered_json;
    std::string awkward =
        std::string("a\"b\\c\n\t\r\b\f") + '\x01' + '\x1f' + '\x7f' + "\u00e9/\u6f22";
    ordered_json doc = {
        {"empty object", ordered_json::object()},
        {"empty array", ordered_json::array()},
        {awkward, awkward},
        {"numbers", {0, -7, 65535}},
        {"flags", {true, false, nullptr}},
        {"nested",
         {{{"a", ordered_json::array()}, {"b", {{"c", {1, {{"d", "e"}}}}}}},
          ordered_json::object()}},
    };
    std::ostringstream streamed;
    exporters::JsonWriter w(streamed);
    w.value(doc);
    CHECK(streamed.str() == doc.dump(2));
    // Built call by call, as the writers do.
    std::ostringstream built;
    exporters::JsonWriter b(built);
    b.begin_object()
        .field("x", awkward)
        .key("list")
        .begin_array()
        .number(1)
        .begin_object()
        .key("y")
        .null()
        .end_object()
        .begin_array()
        .end_array()
        .end_array()
        .key("z")
        .boolean(true)
        .end_object();
    ordered_json same = {
        {"x", awkward}, {"list", {1, {{"y", nullptr}}, ordered_json::array()}}, {"z", true}};
    CHECK(built.str() == same.dump(2));
  }

  TEST_CASE("markdown cells escape what Markdown would read") {
    CHECK(exporters::markdown_cell("a|b") == "a\\|b");
    CHECK(exporters::markdown_cell("x_y*z") == "x\\_y\\*z");
    CHECK(exporters::markdown_cell("line\nbreak") == "line break");
    CHECK(exporters::markdown_cell("<b>") == "\\<b\\>");
  }

  TEST_CASE("the documented table of the enabled defaults is the chart docs' table") {
    graph::Analysis a = test::analyze_values(test::kEnabled);
    CHECK(table_of(a.documented()) ==
          "| Service | Ingress From | Egress To | External Ingress |\n"
          "|---|---|---|---|\n"
          "| meta | query, ingest, janitor, ui, nursery | S3, PostgreSQL | No |\n"
          "| query | ui, janitor | meta, S3 | Yes |\n"
          "| ingest | (external telemetry sources) | meta, S3 | Yes |\n"
          "| janitor | (none) | meta, query, S3 | No |\n"
          "| ui | (external ingress controller) | query, meta, S3 | Yes |\n"
          "| nursery | (none) | meta, S3 | No |\n"
          "\n"
          "All services are always allowed DNS egress (port 53 UDP/TCP).\n");
  }

  TEST_CASE("disabled policies are said plainly") {
    std::string t = table_of(test::analyze_values("").documented());
    CHECK(t.rfind("Network policies are disabled", 0) == 0);
    CHECK(t.find("| Service") == std::string::npos);
  }

  TEST_CASE(
      "the bundle writes, in order, exactly the files its list names, and README lists them") {
    graph::Analysis a = test::analyze_values(test::kEnabled);
    exporters::BundleProvenance p;
    p.command = {"netpol-graph", "report"};
    p.generated_at = "2026-01-01T00:00:00Z";
    auto files = exporters::report_files(a, p);
    std::vector<std::string> written, listed;
    for (const auto& [name, content] : files) written.push_back(name);
    for (const auto& f : exporters::bundle_files()) listed.push_back(f.name);
    CHECK(written == listed);
    const std::string& readme = files.front().second;
    for (const auto& f : exporters::bundle_files())
      if (std::string(f.name) != "README.md")
        CHECK_MESSAGE(readme.find("- `" + std::string(f.name) + "`: ") != std::string::npos,
                      f.name);
    // Without provenance, README leaves out the audit files.
    std::string plain = exporters::report_markdown(a, "graph.svg");
    CHECK(plain.find("`SHA256SUMS`") == std::string::npos);
    CHECK(plain.find("- `graph.dot`: ") != std::string::npos);
  }

  TEST_CASE(
      "the internet card lists what Analysis::exposed reaches, with the last hop's ports and "
      "keys") {
    graph::Analysis a = test::analyze_values(test::kEnabled);
    exporters::BundleProvenance p;
    p.inputs.push_back({"<defaults>", "00", 1, "chart-defaults"});
    auto rows = exporters::exposure_rows(a, &p);
    REQUIRE(rows.size() == a.exposed.size());
    REQUIRE(!rows.empty());
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const graph::Route& r = a.exposed[i];
      const auto& g = a.graph;
      CHECK(rows[i].node == g.node(r.to).id);
      CHECK(rows[i].hops == r.hops());
      CHECK(rows[i].path.size() == r.path.size());
      auto hop = g.hop_edge(r.path[r.path.size() - 2], r.path.back());
      REQUIRE(hop);
      CHECK(rows[i].ports == hop->ports.label());
      CHECK(rows[i].keys.size() >= hop->ingress.size());
      for (const auto& k : rows[i].keys)  // the defaults' keys name the file as shown
        CHECK(k.where.file != "<defaults>");
      if (r.hops() == 1 && g.node(r.to).kind == graph::NodeKind::Service)
        CHECK(rows[i].keys.front().path == rows[i].node + ".networkPolicy.allowExternal");
    }
    CHECK(exporters::shown_input(&p, "<defaults>") == "chart-defaults");
    CHECK(exporters::shown_input(&p, "other.yaml") == "other.yaml");
    CHECK(exporters::shown_input(nullptr, "<defaults>") == "<defaults>");
    // The page puts the card first, before the diagram.
    std::string page = exporters::report_html(a, "<svg></svg>", exporters::Diagram{}, &p);
    auto card = page.find("<section id=\"internet\" class=\"card\">");
    REQUIRE(card != std::string::npos);
    CHECK(page.find("<section") == card);
    CHECK(page.find("<h2>Diagram</h2>") > card);
    CHECK(page.find("<code>chart-defaults</code>") < card);  // the inputs, in the header
  }

  TEST_CASE(
      "the review's sections are computed once: README.md and index.html print the same rows") {
    graph::Analysis a = test::analyze_values(
        test::kEnabled + "query:\n  networkPolicy:\n    ingressFrom: [{app: ghost}]\n");
    exporters::BundleProvenance p;
    p.generated_at = "2026-01-02T03:04:05Z";
    p.command = {"netpol-graph", "report", "-o", "out dir"};
    p.inputs.push_back({"<defaults>", "aa", 1, "chart-defaults"});
    p.inputs.push_back({"values.yaml", "bb", 2, ""});
    p.inputs.push_back({"extra.yaml", "cc", 3, "inputs/extra.yaml"});  // not layered
    exporters::ReviewSections r = exporters::review_sections(a, &p);
    // Inputs: the layered ones in order, then the provenance's others, each as shown.
    REQUIRE(r.inputs.size() == 3);
    CHECK(r.inputs[0].shown == "chart-defaults");
    CHECK(r.inputs[0].sha256 == "aa");
    CHECK(r.inputs[1].shown == "values.yaml");
    CHECK((r.inputs[2].shown == "inputs/extra.yaml" && !r.inputs[2].layered));
    CHECK(r.shown_names.size() == 2);
    // Every edge, with keys whose files are named as shown.
    REQUIRE(r.edges.size() == a.graph.edges().size());
    for (const auto& e : r.edges)
      for (const auto* keys : {&e.egress, &e.ingress})
        for (const auto& k : *keys) CHECK(k.where.file != "<defaults>");
    // Every finding, located where the analysis says (the unknown peer is on values.yaml).
    REQUIRE(r.findings.size() == a.findings.size());
    bool ghost = false;
    for (std::size_t i = 0; i < r.findings.size(); ++i) {
      CHECK(r.findings[i].code == a.findings[i].code);
      CHECK(r.findings[i].location.empty() == !a.findings[i].where.where.known());
      ghost = ghost || r.findings[i].location.rfind("values.yaml:", 0) == 0;
    }
    CHECK(ghost);
    REQUIRE(r.made);
    CHECK(r.made->command_line == "netpol-graph report -o 'out dir'");
    // Both documents print those sections: the same finding codes, the same inputs.
    std::string md = exporters::report_markdown(r, "graph.svg");
    std::string html = exporters::report_html(r, a, "<svg></svg>", exporters::Diagram{});
    CHECK(md == exporters::report_markdown(a, "graph.svg", &p));
    CHECK(html == exporters::report_html(a, "<svg></svg>", exporters::Diagram{}, &p));
    for (const auto& f : r.findings) {
      CHECK(md.find("`" + f.code + "`") != std::string::npos);
      CHECK(html.find("<code>" + f.code + "</code>") != std::string::npos);
    }
    CHECK(md.find("`inputs/extra.yaml`") == std::string::npos);  // README: the layered inputs
    CHECK(html.find("<code>inputs/extra.yaml</code>") != std::string::npos);
    CHECK(md.find("2026-01-02T03:04:05Z") != std::string::npos);
    CHECK(html.find("2026-01-02T03:04:05Z") != std::string::npos);
  }

  TEST_CASE("renders from two threads at once each get their own picture or error") {
    const std::string good = "digraph { a -> b }";
    const std::string bad = "digraph { a -> }";
    std::vector<std::string> pictures(20), errors(20);
    std::thread t1([&] {
      for (auto& p : pictures) p = exporters::render_picture(good, "svg");
    });
    std::thread t2([&] {
      for (auto& e : errors) try {
          exporters::render_picture(bad, "svg");
        } catch (const Error& x) {
          e = x.what();
        }
    });
    t1.join();
    t2.join();
    for (const auto& p : pictures) CHECK(p.find("<svg") != std::string::npos);
    // cgraph's scanner keeps its line count in process-wide state that a read does not always
    // reset: the line it names may differ between renders, so it is left out of the comparison.
    auto without_line = [](std::string e) {
      auto at = e.find("in line ");
      if (at != std::string::npos) e.erase(at, e.find(' ', at + 8) - at);
      return e;
    };
    for (const auto& e : errors) {
      CHECK(e.rfind("cannot draw the picture as svg: ", 0) == 0);
      CHECK(e.find("syntax error") != std::string::npos);
      CHECK(without_line(e) == without_line(errors.front()));  // nothing of another render mixed in
    }
  }

  TEST_CASE("DOT is deterministic, parses with Graphviz and holds every node") {
    graph::Analysis a = test::analyze_values(test::kEnabled);
    std::string dot = dot_of(a);
    CHECK(dot == dot_of(test::analyze_values(test::kEnabled)));
    Agraph_t* g = agmemread(dot.c_str());
    REQUIRE(g);
    for (auto v : a.graph.nodes())
      CHECK_MESSAGE(agnode(g, const_cast<char*>(a.graph.node(v).id.c_str()), 0) != nullptr,
                    a.graph.node(v).id);
    auto [nodes, edges] = dot_counts(exporters::make_diagram(a, {}));
    CHECK(agnnodes(g) == nodes);
    CHECK(agnedges(g) == edges);
    agclose(g);
    CHECK(dot.find("subgraph \"cluster_namespace\"") != std::string::npos);
    CHECK(dot.find("\"netpol-graph:namespace-title\" [label=\"namespace default\", "
                   "shape=plaintext") != std::string::npos);
    CHECK(dot.find("\"ui\" -> \"query\" [label=\"TCP 9510\"];") != std::string::npos);
    CHECK(dot.find("ltail=\"cluster_namespace\"") != std::string::npos);
  }

  TEST_CASE("top down, boxes stand below what enters them and a way back up does not rank") {
    graph::Analysis a = test::analyze_manifests(
        test::slurp(std::string(NETPOL_SAMPLES_DIR) + "/manifests/three-namespaces.yaml"));
    REQUIRE(exporters::make_diagram(a, {}).top_down);
    std::string dot = dot_of(a);
    auto line_of = [&](const std::string& start) {
      auto at = dot.find("\n  " + start);
      REQUIRE_MESSAGE(at != std::string::npos, start);
      return dot.substr(at + 1, dot.find('\n', at + 1) - at - 1);
    };
    // frontend/web sends to backend (the main box) as a whole. Any source enters frontend,
    // and frontend backend: the way down ranks. The tier=frontend pods only send, and rank.
    const std::string in = " -> \"netpol-graph:namespace-in\" [";
    CHECK(line_of("\"frontend/web\"" + in).find("constraint=false") == std::string::npos);
    CHECK(line_of("\"sel:ns(tier=frontend)\"" + in).find("constraint=false") == std::string::npos);
    // backend's way back up to frontend (its workloads send anywhere, frontend admits any
    // source: drawn with every edge) does not rank: backend is deeper from any source.
    exporters::DiagramOptions every;
    every.every_edge = true;
    std::ostringstream every_dot;
    exporters::write_dot(exporters::make_diagram(a, every), every_dot);
    const std::string api_up = "\n  \"api\" -> \"frontend/web\" [";
    const std::size_t up = every_dot.str().find(api_up);
    REQUIRE(up != std::string::npos);
    CHECK(every_dot.str()
              .substr(up, every_dot.str().find('\n', up + 1) - up)
              .find("constraint=false") != std::string::npos);
    // Into a box from outside it: two rows between, the label in the upper.
    CHECK(line_of("\"any-source\" -> \"frontend/web\" [").find("minlen=3") != std::string::npos);
    // Out of a box: no such row.
    CHECK(line_of("\"frontend/web\" -> \"sel:ns(tier=backend)\" [").find("minlen") ==
          std::string::npos);
    // Every workload of the frontend box gets the same from any source: one edge, into the
    // box (drawn to its first node, clipped at the box).
    CHECK(line_of("\"any-source\" -> \"frontend/web\" [")
              .find("lhead=\"cluster_namespace:frontend\"") != std::string::npos);
    CHECK(line_of("\"any-source\" -> \"frontend/web\" [").find("label=\"every workload:") !=
          std::string::npos);
    CHECK(dot.find("\"any-source\" -> \"frontend/admin\"") == std::string::npos);
    CHECK(dot.find("\"data/redis\" -> \"frontend/admin\"") == std::string::npos);
    // The data box holds a selector's pods too: backend's edges to both its workloads are one
    // edge into the box, the selector's own edges to them stay one by one.
    CHECK(line_of("\"netpol-graph:namespace\" -> \"data/postgres\" [")
              .find("lhead=\"cluster_namespace:data\"") != std::string::npos);
    CHECK(dot.find("\"netpol-graph:namespace\" -> \"data/redis\"") == std::string::npos);
    const std::string metrics = "\"sel:ns(kubernetes.io/metadata.name=data)/pods(app=metrics)\"";
    CHECK(line_of(metrics + " -> \"data/postgres\" [").find("lhead") == std::string::npos);
    CHECK(line_of(metrics + " -> \"data/redis\" [").find("lhead") == std::string::npos);
    // --every-edge draws them one by one.
    for (const auto& e : exporters::make_diagram(a, every).edges) {
      CHECK(e.to_box.empty());
      CHECK(e.from_box.empty());
    }
    // Bundles name what the picture draws: workloads, as the legend does.
    CHECK(line_of("\"sel:ns(tier=frontend)\"" + in).find("label=\"every workload:") !=
          std::string::npos);
    CHECK(dot.find("every service") == std::string::npos);
    // Each box's title above its nodes, the legend below every node no edge leaves.
    CHECK(dot.find("\"netpol-graph:namespace-title:frontend\" -> \"frontend/web\" [style=invis]") !=
          std::string::npos);
    CHECK(dot.find("\"ext:52.216.0.0/15\" -> \"netpol-graph:legend\" [style=invis]") !=
          std::string::npos);
  }

  TEST_CASE("awkward names stay valid DOT and Markdown") {
    graph::Analysis a = test::analyze_values(kAwkward);
    std::string dot = dot_of(a);
    auto [nodes, edges] = parse_dot(dot);
    CHECK(std::make_pair(nodes, edges) == dot_counts(exporters::make_diagram(a, {})));
    CHECK(dot.find("\"ext:a\\\"b|c\"") != std::string::npos);
    std::string md = table_of(a.effective());
    CHECK(md.find(" a\"b\\|c (undocumented),") != std::string::npos);
    CHECK(md.find(" x\\|\\<y\\>&z\\\\w") != std::string::npos);
    for (std::size_t pos = 0; (pos = md.find('\n', pos)) != std::string::npos; ++pos) {
      // every table line still has exactly five unescaped pipes
      std::size_t start = md.rfind('\n', pos - 1);
      std::string line = md.substr(start == std::string::npos ? 0 : start + 1,
                                   pos - (start == std::string::npos ? 0 : start + 1));
      if (line.rfind("|", 0) != 0) continue;
      int pipes = 0;
      for (std::size_t i = 0; i < line.size(); ++i)
        if (line[i] == '|' && (i == 0 || line[i - 1] != '\\')) ++pipes;
      CHECK_MESSAGE(pipes == 5, line);
    }
  }

  TEST_CASE("awkward names stay valid JSON") {
    graph::Analysis a = test::analyze_values(kAwkward);
    std::ostringstream out;
    exporters::write_json(a, out);
    nlohmann::json doc = nlohmann::json::parse(out.str());
    bool found = false;
    for (const auto& n : doc["nodes"]) found = found || n["id"] == "ext:a\"b|c";
    CHECK(found);
    CHECK(doc["schemaVersion"] == 1);
  }

  TEST_CASE("Mermaid labels keep only safe characters") {
    CHECK(exporters::mermaid_text("a\"b|c<d>&e;f#g") == "a#34;b#124;c#60;d#62;#38;e#59;f#35;g");
    CHECK(exporters::mermaid_text("S3\n10.0.0.0/16") == "S3<br/>10.0.0.0/16");
    graph::Analysis a = test::analyze_values(kAwkward);
    std::ostringstream out;
    exporters::write_mermaid(a, {}, out);
    std::string m = out.str();
    CHECK(m.find("[\"a#34;b#124;c<br/>10.0.0.0/16<br/>all ports\"]") != std::string::npos);
    // every quoted label is closed on its own line
    std::istringstream lines(m);
    for (std::string line; std::getline(lines, line);)
      CHECK_MESSAGE(std::count(line.begin(), line.end(), '"') % 2 == 0, line);
  }

  TEST_CASE("Mermaid has DOT's legend, in DOT's colours (one palette)") {
    graph::Analysis a = test::analyze_values(test::kEnabled);
    exporters::Diagram d = exporters::make_diagram(a, {});
    std::ostringstream mermaid, dot;
    exporters::write_mermaid(a, {}, mermaid);
    exporters::write_dot(a, {}, dot);
    std::string m = mermaid.str(), g = dot.str();
    REQUIRE(d.legend.size() >= 4);
    for (std::size_t i = 0; i < d.legend.size(); ++i) {
      exporters::Look look = d.legend[i];
      std::string text = exporters::mermaid_text(exporters::look_description(look, false));
      // A legend box with the look's words, in the look's class, whose fill DOT's legend uses.
      CHECK(m.find("    legend" + std::to_string(i) + "[\"" + text + "\"]") != std::string::npos);
      const auto& style = exporters::style_of(look);
      std::string classdef = std::string("classDef ") + style.mermaid_class + " fill:" + style.fill;
      CHECK(m.find(classdef) != std::string::npos);
      bool in_class =
          m.find("legend" + std::to_string(i) + " " + style.mermaid_class) != std::string::npos;
      CHECK(in_class);
      CHECK(g.find(std::string("<TD BGCOLOR=\"") + style.fill + "\"") != std::string::npos);
      CHECK(g.find(exporters::look_description(look, false)) != std::string::npos);
    }
    CHECK(m.find("legend_red[\"red edges: from any source or to any address\"]") !=
          std::string::npos);
    // Read from manifests, the legend says workloads, not chart services.
    std::vector<values::Value> docs = values::read_yaml_documents(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: api, labels: {app: api}}\n"
        "spec: {containers: [{name: c}]}\n",
        "m.yaml");
    graph::Analysis w = graph::analyze(graph::read_manifests(docs, "default"),
                                       test::embedded_profile(), {"m.yaml"});
    std::ostringstream wm;
    exporters::write_mermaid(w, {}, wm);
    CHECK(wm.str().find("[\"workload reachable from any source\"]") != std::string::npos);
    CHECK(wm.str().find("chart service") == std::string::npos);
  }

  TEST_CASE("dot: sfdp pictures have overlapping nodes moved apart, up to a size") {
    exporters::DiagramOptions o;
    o.max_nodes = 5;
    std::ostringstream out;
    exporters::write_dot(test::analyze_values(test::kEnabled), o, out);
    CHECK(out.str().find("layout=sfdp, quadtree=fast, outputorder=edgesfirst, overlap=prism, ") !=
          std::string::npos);
    CHECK(exporters::sfdp_attributes(exporters::kOverlapRemovalMaxNodes).find("overlap=prism") !=
          std::string::npos);
    CHECK(exporters::sfdp_attributes(exporters::kOverlapRemovalMaxNodes + 1).find("overlap") ==
          std::string::npos);
  }
}

TEST_SUITE("exporters: graphviz runtime") {
  TEST_CASE("sibling clusters are drawn in the order the DOT creates them, whatever the heap") {
    // Names created in an order unlike their sorted one, each box with a node.
    const std::vector<std::string> boxes = {"cluster_m", "cluster_b", "cluster_x", "cluster_a",
                                            "cluster_q", "cluster_c", "cluster_z", "cluster_d"};
    std::string dot = "digraph g {\n";
    for (std::size_t i = 0; i < boxes.size(); ++i)
      dot += "  subgraph " + boxes[i] + " { label=\"" + boxes[i] + "\"; n" + std::to_string(i) +
             "; }\n";
    dot += "}\n";
    const std::string first = exporters::render_picture(dot, "svg");
    // What the process allocated before must not matter (cgraph's own ids were the names'
    // addresses, and dot orders clusters by id).
    for (int round = 0; round < 5; ++round) {
      std::vector<std::string> noise;
      for (int k = 0; k < 200; ++k)
        noise.emplace_back(static_cast<std::size_t>(17 + k * round), 'x');
      noise.erase(noise.begin(), noise.begin() + 150);
      CHECK(exporters::render_picture(dot, "svg") == first);
    }
    std::size_t at = 0;
    for (const auto& box : boxes) {
      std::size_t title = first.find("<title>" + box + "</title>");
      REQUIRE(title != std::string::npos);
      CHECK(title > at);
      at = title;
    }
  }
}
