// exporters/diff_text, diff_markdown, diff_json: the audit diff for people, for pull
// requests and for tools, each read back and checked against the diff it writes.
#include "exporters/diff.hpp"

#include <nlohmann/json.hpp>
#include <sstream>

#include "support.hpp"

using namespace netpol;

namespace {

// The enabled defaults, and the same with ui closed to the internet and meta opened to it.
const std::string kChanged = test::kEnabled +
                             "ui:\n  networkPolicy:\n    allowExternal: false\n"
                             "meta:\n  networkPolicy:\n    allowExternal: true\n";

struct Written {
  std::string text, markdown;
  nlohmann::json json;
};

Written written(const graph::DiffReport& r) {
  std::ostringstream text, md, json;
  exporters::write_diff_text(r, text);
  exporters::write_diff_markdown(r, md);
  exporters::write_diff_json(r, json);
  return {text.str(), md.str(), nlohmann::json::parse(json.str())};
}

// The rows of the Markdown table whose header begins `header` ("| Change |").
std::vector<std::string> table_rows(const std::string& md, const std::string& header) {
  std::vector<std::string> rows;
  std::istringstream in(md);
  bool inside = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(header, 0) == 0) {
      inside = true;
      std::getline(in, line);  // |---|
      continue;
    }
    if (inside && line.rfind("| ", 0) != 0) break;
    if (inside) rows.push_back(line);
  }
  return rows;
}

// The cells of a Markdown row, '\|' being a pipe inside a cell.
std::size_t cells(const std::string& row) {
  std::size_t n = 0;
  for (std::size_t i = 1; i < row.size(); ++i)
    if (row[i] == '|' && row[i - 1] != '\\') ++n;
  return n;
}

}  // namespace

TEST_SUITE("exporters: diff writers") {
  TEST_CASE("every change is in all three, the same ones in the same order") {
    graph::Analysis old_side = test::analyze_values(test::kEnabled);
    graph::Analysis new_side = test::analyze_values(kChanged);
    graph::DiffReport r{old_side, new_side, graph::diff_analyses(old_side, new_side)};
    REQUIRE(r.diff.edges.size() >= 2);
    Written w = written(r);

    CHECK(w.json["identical"] == false);
    CHECK(w.json["widens"] == r.diff.widens());
    REQUIRE(w.json["edges"].size() == r.diff.edges.size());
    std::vector<std::string> rows = table_rows(w.markdown, "| Change |");
    REQUIRE(rows.size() == r.diff.edges.size());
    for (std::size_t i = 0; i < r.diff.edges.size(); ++i) {
      const graph::EdgeDiff& e = r.diff.edges[i];
      CAPTURE(e.from + " -> " + e.to);
      CHECK(w.json["edges"][i]["from"] == e.from);
      CHECK(w.json["edges"][i]["to"] == e.to);
      CHECK(rows[i].rfind("| " + w.json["edges"][i]["change"].get<std::string>() + " | " + e.from +
                              " | " + e.to + " | ",
                          0) == 0);
      CHECK(cells(rows[i]) == 5);
      CHECK(w.text.find(e.from + " -> " + e.to) != std::string::npos);
    }
    // What any-source reaches that it did not (or no longer does): both tables.
    REQUIRE_FALSE(r.diff.exposure.empty());
    CHECK(w.json["exposure"].size() == r.diff.exposure.size());
    CHECK(table_rows(w.markdown, "| Reachable from any-source |").size() == r.diff.exposure.size());
    // The counts, the same words in text and Markdown.
    std::string counts = exporters::change_counts(r.diff);
    CHECK(w.text.find(counts) != std::string::npos);
    CHECK(w.markdown.find(counts) != std::string::npos);
    CHECK(w.text.find("Access is widened.") != std::string::npos);
  }

  TEST_CASE("no change is said as such in all three") {
    graph::Analysis a = test::analyze_values(test::kEnabled);
    graph::Analysis b = test::analyze_values(test::kEnabled);
    graph::DiffReport r{a, b, graph::diff_analyses(a, b)};
    REQUIRE(r.diff.empty());
    Written w = written(r);
    CHECK(w.json["identical"] == true);
    CHECK(w.json["widens"] == false);
    CHECK(w.json["edges"].empty());
    CHECK(w.text == "No change in effective access.\n");
    CHECK(table_rows(w.markdown, "| Change |").empty());
    CHECK(w.markdown.find("No change in effective access.") != std::string::npos);
  }
}
