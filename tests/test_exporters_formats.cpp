// exporters/formats: the one table of output formats, which --help, the completions, -o's
// extension and the dispatch all read.
#include "exporters/formats.hpp"

#include <set>

#include "cli/commands.hpp"
#include "error.hpp"
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
                         "json)",
                         Error);
    CHECK_THROWS_WITH_AS(exporters::choose_format("graph", "", "net.gif"),
                         "cannot tell the format from the extension \".gif\" of net.gif (graph "
                         "writes dot, svg, png, pdf, mermaid, json; pass --format)",
                         Error);
  }

  TEST_CASE("the table is consistent: one format per name and per extension of a command") {
    std::set<std::string> commands_with_formats;
    for (const auto& f : exporters::formats()) {
      CAPTURE(f.name);
      CHECK_FALSE(f.description.empty());
      CHECK(static_cast<bool>(f.write));
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
    // Every command but report (a directory) writes some format.
    for (const auto& c : cli::commands())
      CHECK((commands_with_formats.count(c.name) == 1) == (c.name != "report"));
  }
}
