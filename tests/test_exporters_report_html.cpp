// exporters/report_html: the review page. Its data blocks read back as the JSON the other
// writers give, whatever the names hold; the drawn edges stand for the graph's edges; the
// header names each input as the bundle shows it.
#include <nlohmann/json.hpp>
#include <sstream>

#include "exporters/diagram.hpp"
#include "exporters/dot.hpp"
#include "exporters/json.hpp"
#include "exporters/report.hpp"
#include "support.hpp"

using namespace netpol;

namespace {

// The text of <script type="application/json" id="ID">, and whether anything ended it early.
std::string data_block(const std::string& page, const std::string& id) {
  const std::string open = "<script type=\"application/json\" id=\"" + id + "\">";
  auto at = page.find(open);
  REQUIRE(at != std::string::npos);
  at += open.size();
  auto end = page.find("</script>", at);
  REQUIRE(end != std::string::npos);
  return page.substr(at, end - at);
}

// Values whose service names a page must keep inside its script elements.
const char* kHostile =
    "global:\n  networkPolicy:\n    enabled: true\n    externalEgress:\n"
    "      - cidr: 10.0.0.0/8\n        name: \"</script><!--<script>alert(1)</script>\"\n"
    "        ports: [{port: 8443, protocol: TCP}]\n";

}  // namespace

TEST_SUITE("exporters: report page") {
  TEST_CASE("the graph's data block is write_json's document, names with </script> included") {
    graph::Analysis a = test::analyze_values(kHostile);
    exporters::Diagram d = exporters::make_diagram(a, {});
    std::string page = exporters::report_html(a, "<svg></svg>", d);
    std::ostringstream json;
    exporters::write_json(a, json);
    std::string block = data_block(page, "graph-data");
    CHECK(block.find('<') == std::string::npos);  // nothing can end or open an element
    CHECK(nlohmann::json::parse(block) == nlohmann::json::parse(json.str()));
    // The page has exactly the script elements it writes: the three data blocks and its code.
    std::size_t scripts = 0;
    for (auto at = page.find("<script"); at != std::string::npos; at = page.find("<script", at + 1))
      ++scripts;
    CHECK(scripts == 4);
  }

  TEST_CASE("each drawn edge stands for graph edges, at both ends nodes of the graph") {
    graph::Analysis a = test::analyze_values(test::kEnabled);
    exporters::Diagram d = exporters::make_diagram(a, {});
    std::string page = exporters::report_html(a, "<svg></svg>", d);
    nlohmann::json drawn = nlohmann::json::parse(data_block(page, "drawn-data"));
    REQUIRE_FALSE(drawn.empty());
    std::size_t visible = 0;
    for (const auto& e : d.edges) visible += e.invisible ? 0 : 1;
    CHECK(drawn.size() <= visible);           // keyed by Graphviz's title: one per drawn edge
    for (const auto& item : drawn.items()) {  // named: clang 14 cannot CAPTURE a binding
      const std::string title = item.key();
      const auto& edge = item.value();
      CAPTURE(title);
      CHECK(title.find("->") != std::string::npos);
      REQUIRE_FALSE(edge["from"].empty());
      REQUIRE_FALSE(edge["to"].empty());
      for (const auto& id : edge["from"]) CHECK(a.graph.find(id.get<std::string>()));
      for (const auto& id : edge["to"]) CHECK(a.graph.find(id.get<std::string>()));
      // Some graph edge joins one end to the other, as the panel lists.
      bool joined = false;
      for (const auto& f : edge["from"])
        for (const auto& t : edge["to"])
          joined = joined || a.graph.has_edge(*a.graph.find(f.get<std::string>()),
                                              *a.graph.find(t.get<std::string>()));
      CHECK(joined);
    }
  }

  TEST_CASE("the header: version, time, and each input as shown with its SHA-256") {
    graph::Analysis a = test::analyze_values(test::kEnabled);
    exporters::BundleProvenance p;
    p.generated_at = "2026-12-06T10:00:00Z";
    p.inputs.push_back({"<defaults>", std::string(64, 'a'), 10, ""});
    p.inputs.push_back({"/home/me/values.yaml", std::string(64, 'b'), 20, "../values.yaml"});
    std::string page = exporters::report_html(a, "<svg></svg>", exporters::Diagram{}, &p);
    CHECK(page.find(std::string("netpol-graph ") + NETPOL_VERSION) != std::string::npos);
    CHECK(page.find("generated 2026-12-06T10:00:00Z (UTC)") != std::string::npos);
    CHECK(page.find(std::string(64, 'a')) != std::string::npos);
    CHECK(page.find(std::string(64, 'b')) != std::string::npos);
    CHECK(page.find("../values.yaml") != std::string::npos);
    // The absolute path is in no text of the page, only in the name map for its panel.
    std::string names = data_block(page, "input-names");
    CHECK(nlohmann::json::parse(names)["/home/me/values.yaml"] == "../values.yaml");
    CHECK(page.find("/home/me/values.yaml") == page.find(names) + names.find("/home/me"));
    // Values: layered inputs, the release namespace.
    CHECK(page.find("<th>Input, in layering order</th>") != std::string::npos);
    CHECK(page.find("&middot; namespace <code>default</code></p>") != std::string::npos);
    CHECK(
        exporters::report_markdown(a, "graph.svg")
            .find("Inputs, in layering order: `<defaults>`, `values.yaml`; namespace `default`.") !=
        std::string::npos);
  }

  TEST_CASE("the header of manifests: inputs side by side, every namespace of their workloads") {
    std::string yaml;
    for (const char* ns : {"web", "api", "db"})
      yaml += test::deployment(std::string("a-") + ns, ns);
    const graph::Analysis three = test::analyze_manifests(yaml);
    std::string page = exporters::report_html(three, "<svg></svg>", exporters::Diagram{});
    CHECK(page.find("<th>Input</th>") != std::string::npos);
    CHECK(
        page.find("&middot; namespaces <code>api</code>, <code>db</code>, <code>web</code></p>") !=
        std::string::npos);
    CHECK(exporters::report_markdown(three, "graph.svg")
              .find("Inputs: `m.yaml`; namespaces `api`, `db`, `web`.") != std::string::npos);
    // Past five, the first five by name and how many more.
    for (const char* ns : {"e", "f", "g", "h"})
      yaml += test::deployment(std::string("a-") + ns, ns);
    const std::string md = exporters::report_markdown(test::analyze_manifests(yaml), "graph.svg");
    CHECK(md.find("namespaces `api`, `db`, `e`, `f`, `g` and 2 more.") != std::string::npos);
  }

  TEST_CASE("the map is one table where nothing documents a need, two where the views differ") {
    const graph::Analysis cluster = test::analyze_manifests(test::deployment("web", "shop"));
    const std::string intro =
        "What the policies allow (no profile documents what these workloads need):";
    std::string md = exporters::report_markdown(cluster, "graph.svg");
    CHECK(md.find(intro + "\n\n| Service |") != std::string::npos);
    CHECK(md.find("As documented") == std::string::npos);
    std::string page = exporters::report_html(cluster, "<svg></svg>", exporters::Diagram{});
    CHECK(page.find("<p>" + intro + "</p>") != std::string::npos);
    CHECK(page.find("As documented") == std::string::npos);
    // The chart's services, whose needs the profile documents: both views.
    const graph::Analysis chart = test::analyze_values(test::kEnabled);
    md = exporters::report_markdown(chart, "graph.svg");
    CHECK(md.find("As documented (the chart docs' view):") != std::string::npos);
    CHECK(md.find("Everything the policies allow:") != std::string::npos);
    CHECK(md.find("What the policies allow") == std::string::npos);
    page = exporters::report_html(chart, "<svg></svg>", exporters::Diagram{});
    CHECK(page.find("<p>As documented:</p>") != std::string::npos);
    CHECK(page.find("<p>Everything the policies allow:</p>") != std::string::npos);
  }
}
