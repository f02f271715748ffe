// exporters/formats: the one table of output formats, which --help, the completions, -o's
// extension and the dispatch all read.
#include "exporters/formats.hpp"

#include <set>

#include "cli/commands.hpp"
#include "error.hpp"
#include "exporters/edge_list.hpp"
#include "support.hpp"

using namespace netpol;

TEST_SUITE("exporters: the format table") {
  TEST_CASE("choosing: by name, else by the extension of -o, else the command's first") {
    CHECK(exporters::choose_format("graph", "", "").name == "dot");
    CHECK(exporters::choose_format("graph", "", "out/net.gv").name == "dot");
    CHECK(exporters::choose_format("table", "", "MAP.md").name == "md");
    CHECK(exporters::choose_format("graph", "", "net.svg").name == "svg");
    CHECK(exporters::choose_format("graph", "", "net.mmd").name == "mermaid");
    CHECK(exporters::choose_format("graph", "", "net.json").name == "json");
    CHECK(exporters::choose_format("graph", "", "net.png").name == "png");
    CHECK(exporters::choose_format("diff", "", "change.pdf").name == "pdf");
    CHECK(exporters::choose_format("graph", "png", "").binary);
    CHECK_FALSE(exporters::choose_format("graph", "svg", "").binary);
    CHECK(exporters::choose_format("graph", "svg", "").picture);
    CHECK_FALSE(exporters::choose_format("graph", "dot", "").picture);
    CHECK_THROWS_WITH_AS(exporters::choose_format("graph", "gif", ""),
                         "unknown format \"gif\" for graph (expected dot, svg, png, pdf, mermaid, "
                         "json, text, csv, md)",
                         Error);
    CHECK_THROWS_WITH_AS(exporters::choose_format("graph", "", "net.gif"),
                         "cannot tell the format from the extension \".gif\" of net.gif (graph "
                         "writes dot, svg, png, pdf, mermaid, json, text, csv, md; pass --format)",
                         Error);
  }

  TEST_CASE("a format writes only what its command makes") {
    const exporters::Format& diff_text = exporters::choose_format("diff", "text", "");
    graph::Analysis nothing;
    std::ostringstream out;
    CHECK_THROWS_WITH_AS(exporters::write(diff_text, nothing, {}, out),
                         doctest::Contains("writes something else"), Error);
  }

  TEST_CASE("the table is consistent: one format per name and per extension of a command") {
    std::set<std::string> commands_with_formats;
    for (const auto& f : exporters::formats()) {
      CAPTURE(f.name);
      CHECK_FALSE(f.description.empty());
      // A writer of what its commands make: an analysis, a reach answer, a diff, the values.
      std::visit([](auto w) { CHECK(static_cast<bool>(w)); }, f.write);
      for (auto c : f.commands) {
        CAPTURE(c);
        std::size_t kind = c == "reach" ? 1 : c == "diff" ? 2 : c == "values" ? 3 : 0;
        CHECK(f.write.index() == kind);
      }
      CHECK_FALSE(f.commands.empty());
      for (auto e : f.extensions) CHECK(e.size() > 1);
      for (auto e : f.extensions) CHECK(e[0] == '.');
      if (f.binary) CHECK(f.picture);  // bytes come only from Graphviz
      for (auto c : f.commands) {
        commands_with_formats.insert(std::string(c));
        // Each command knows the command table, and chooses this very format by its name
        // and by each of its extensions.
        CHECK(cli::find_command(c) != nullptr);
        CHECK(&exporters::choose_format(c, std::string(f.name), "") == &f);
        for (auto e : f.extensions)
          CHECK(&exporters::choose_format(c, "", "out" + std::string(e)) == &f);
      }
    }
    // Every command but report (a directory) and suggest (one values overlay, YAML) writes
    // some format.
    for (const auto& c : cli::commands())
      CHECK((commands_with_formats.count(c.name) == 1) ==
            (c.name != "report" && c.name != "suggest"));
  }
}

TEST_SUITE("exporters: edge lists") {
  TEST_CASE("CSV cells: quoted as RFC 4180 says, never run as a formula") {
    CHECK(exporters::csv_cell("meta") == "meta");
    CHECK(exporters::csv_cell("a,b") == "\"a,b\"");
    CHECK(exporters::csv_cell("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(exporters::csv_cell("two\nlines") == "\"two\nlines\"");
    CHECK(exporters::csv_cell("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"");
    for (const char* formula : {"+1", "-1", "@SUM(A1)", "\tx"})
      CHECK(exporters::csv_cell(formula) == std::string("'") + formula);
    CHECK(exporters::csv_cell("") == "");
  }

  TEST_CASE("every edge of the graph, in the JSON's order, one a line") {
    graph::Analysis a = test::analyze_values(test::kEnabled);
    std::ostringstream text, csv;
    exporters::write_edges_text(a, text);
    exporters::write_edges_csv(a, csv);
    std::size_t lines = 0, rows = 0;
    for (char c : text.str()) lines += c == '\n';
    for (char c : csv.str()) rows += c == '\n';
    CHECK(lines == a.graph.edge_count());
    CHECK(rows == a.graph.edge_count() + 1);  // the header
    CHECK(text.str().rfind("any-source -> query  TCP 9510\n", 0) == 0);
    CHECK(csv.str().find("\nquery,meta,TCP/9500,service,service,query.networkPolicy.egressTo[0] "
                         "(<defaults>:") != std::string::npos);
  }
}
