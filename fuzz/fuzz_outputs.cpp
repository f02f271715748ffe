// libFuzzer target: random names through every text format, each read back by its parser.
// The input, cut at NUL bytes, gives up to three externalEgress names, an unknown key and the
// values file's name (free text that reaches the outputs). A name the reader accepts must
// come out of every writer, after the CI-command guard the CLI applies (src/text.hpp), as
// text its format's parser reads back: JSON parses and holds the node, the values YAML reads
// back to the same names, DOT parses with cgraph, no Markdown table row gains or loses a
// column, the edge list's CSV reads back record by record, and no line begins with "::" or
// holds "##[" or "##vso[". Any other outcome aborts.
#include <graphviz/cgraph.h>
#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "embedded.hpp"
#include "error.hpp"
#include "exporters/dot.hpp"
#include "exporters/edge_list.hpp"
#include "exporters/findings.hpp"
#include "exporters/json.hpp"
#include "exporters/markdown_table.hpp"
#include "exporters/values_writer.hpp"
#include "graph/analysis/analysis.hpp"
#include "text.hpp"
#include "values/loader.hpp"

namespace {

using namespace netpol;

[[noreturn]] void fail(const std::string& what, const std::string& output) {
  std::fprintf(stderr, "fuzz_outputs: %s\n--- output ---\n%s\n", what.c_str(),
               output.substr(0, 4000).c_str());
  std::abort();
}

// What every line of every output must not hold (src/text.hpp).
void no_ci_command(const std::string& out) {
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    std::size_t first = line.find_first_not_of(" \t");
    if (first != std::string::npos && line.compare(first, 2, "::") == 0)
      fail("a line begins with ::", out);
    if (line.find("##[") != std::string::npos || line.find("##vso[") != std::string::npos)
      fail("a line holds ##[ or ##vso[", out);
  }
}

// Every row of a Markdown table has as many unescaped '|' as the table's header.
void tables_keep_columns(const std::string& md) {
  std::istringstream lines(md);
  int width = -1;
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] != '|') {
      width = -1;
      continue;
    }
    int pipes = 0;
    for (std::size_t i = 0; i < line.size(); ++i)
      if (line[i] == '\\')
        ++i;
      else if (line[i] == '|')
        ++pipes;
    if (width < 0) width = pipes;
    if (pipes != width) fail("a table row gains or loses a column", md);
  }
}

// The records of a CSV text as RFC 4180 reads them (quoted fields may hold commas, quotes
// doubled, and line breaks); nullopt when a quote is left open or stray.
std::optional<std::vector<std::vector<std::string>>> csv_records(const std::string& text) {
  std::vector<std::vector<std::string>> out(1, std::vector<std::string>(1));
  bool quoted = false, was_quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    std::string& cell = out.back().back();
    if (quoted) {
      if (c != '"') {
        cell += c;
      } else if (i + 1 < text.size() && text[i + 1] == '"') {
        cell += '"';
        ++i;
      } else {
        quoted = false;
      }
    } else if (c == '"') {
      if (!cell.empty() || was_quoted) return std::nullopt;
      quoted = was_quoted = true;
    } else if (c == ',') {
      out.back().emplace_back();
      was_quoted = false;
    } else if (c == '\n') {
      out.emplace_back(1);
      was_quoted = false;
    } else {
      if (was_quoted) return std::nullopt;
      cell += c;
    }
  }
  if (quoted) return std::nullopt;
  if (out.back().size() == 1 && out.back()[0].empty()) out.pop_back();
  return out;
}

std::string guarded(const std::string& text, std::string_view hash) {
  std::string out = neutralise_ci_commands(text, hash);
  no_ci_command(out);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<std::string> parts(1);
  for (size_t i = 0; i < size && parts.size() <= 5; ++i) {
    if (data[i] == 0)
      parts.emplace_back();
    else
      parts.back() += static_cast<char>(data[i]);
  }
  parts.resize(5);
  std::vector<std::string> names(parts.begin(), parts.begin() + 3);
  const std::string& unknown = parts[3];
  std::string file = parts[4].empty() ? "fuzz.yaml" : parts[4];
  if (unknown.empty()) return 0;

  // The names as YAML double-quoted scalars (JSON's escapes are YAML's): the reader decides
  // what a name may hold.
  nlohmann::json quoted;
  std::string yaml = "global:\n  networkPolicy:\n    enabled: true\n    externalEgress:\n";
  try {
    for (std::size_t i = 0; i < names.size(); ++i)
      yaml += "      - name: " + nlohmann::json(names[i]).dump() + "\n        cidr: 10." +
              std::to_string(i) + ".0.0/16\n";
    yaml += "    " + nlohmann::json(unknown).dump() + ": true\n";
  } catch (const nlohmann::json::exception&) {
    return 0;  // not UTF-8: the reader refuses such bytes in any file
  }
  yaml += "meta:\n  networkPolicy:\n    allowExternalEgress: true\n";

  // The chart's defaults and profile, read once: every run is about the names.
  static const values::Value defaults = values::read_yaml(embedded::kChartValues, "<defaults>");
  static const graph::Profile profile =
      graph::read_profile(values::read_yaml(embedded::kChartProfile, "<profile>"));
  values::Layers layers;
  layers.defaults = {"<defaults>", embedded::kChartValues};
  layers.defaults_tree = defaults;
  layers.files.push_back({file, yaml});
  values::Value merged;
  graph::Analysis analysis;
  try {
    values::check_text(file, "<file name>", {});  // as messages show a file name: one line
    merged = values::load_values(layers);
    analysis = graph::analyze(merged, profile, "default", {"<defaults>", file}, &defaults);
  } catch (const Error&) {
    return 0;  // refused with a message: the expected outcome for what a name may not hold
  }

  // JSON: parses, and holds a node for each name.
  std::ostringstream json;
  exporters::write_json(analysis, json);
  std::string json_text = guarded(json.str(), kHashJson);
  nlohmann::json doc = nlohmann::json::parse(json_text, nullptr, false);
  if (doc.is_discarded()) fail("graph JSON does not parse", json_text);
  for (const std::string& n : names) {
    bool found = false;
    for (const auto& node : doc["nodes"]) found = found || node["id"] == "ext:" + n;
    if (!found) fail("graph JSON lacks the node ext:" + n, json_text);
  }
  for (auto* writer : {&exporters::write_findings_json}) {
    std::ostringstream out;
    writer(analysis, out);
    std::string text = guarded(out.str(), kHashJson);
    if (nlohmann::json::parse(text, nullptr, false).is_discarded())
      fail("findings JSON does not parse", text);
  }
  std::ostringstream sarif;
  exporters::write_findings_sarif(analysis, {}, sarif);
  std::string sarif_text = guarded(sarif.str(), kHashJson);
  if (nlohmann::json::parse(sarif_text, nullptr, false).is_discarded())
    fail("SARIF does not parse", sarif_text);

  // The values, as YAML and JSON: read back to the same names.
  for (bool origins : {false, true}) {
    std::ostringstream out;
    exporters::write_values_yaml(merged, origins, out);
    std::string text = guarded(out.str(), kHashYaml);
    try {
      YAML::Node back = YAML::Load(text);
      const YAML::Node list = back["global"]["networkPolicy"]["externalEgress"];
      for (std::size_t i = 0; i < names.size(); ++i)
        if (list[i]["name"].as<std::string>() != names[i])
          fail("values YAML reads back another name than \"" + names[i] + "\"", text);
      if (!back["global"]["networkPolicy"][unknown])
        fail("values YAML loses the key \"" + unknown + "\"", text);
    } catch (const YAML::Exception& e) {
      fail(std::string("values YAML does not parse: ") + e.what(), text);
    }
  }
  std::ostringstream values_json;
  exporters::write_values_json(merged, true, values_json);
  std::string values_json_text = guarded(values_json.str(), kHashJson);
  nlohmann::json vdoc = nlohmann::json::parse(values_json_text, nullptr, false);
  if (vdoc.is_discarded()) fail("values JSON does not parse", values_json_text);
  for (std::size_t i = 0; i < names.size(); ++i)
    if (vdoc["values"]["global"]["networkPolicy"]["externalEgress"][i]["name"] != names[i])
      fail("values JSON reads back another name", values_json_text);

  // DOT: cgraph reads it.
  std::ostringstream dot;
  exporters::write_dot(analysis, {}, dot);
  std::string dot_text = guarded(dot.str(), kHashXml);
  if (Agraph_t* g = agmemread(dot_text.c_str()))
    agclose(g);
  else
    fail("cgraph cannot read the DOT", dot_text);

  // The edge list as CSV: it reads back as RFC 4180 says, every record has the header's
  // seven fields, and no cell begins as a formula.
  std::ostringstream csv;
  exporters::write_edges_csv(analysis, csv);
  std::string csv_text = guarded(csv.str(), kHashProse);
  auto records = csv_records(csv_text);
  if (!records) fail("the CSV does not read back", csv_text);
  for (const auto& record : *records) {
    if (record.size() != 7) fail("a CSV record has not seven fields", csv_text);
    for (const std::string& cell : record)
      if (!cell.empty() && std::string("=+-@\t\r").find(cell[0]) != std::string::npos)
        fail("a CSV cell begins as a formula", csv_text);
  }
  std::ostringstream edges, edges_md;
  exporters::write_edges_text(analysis, edges);
  guarded(edges.str(), kHashProse);
  exporters::write_edges_markdown(analysis, edges_md);
  tables_keep_columns(guarded(edges_md.str(), kHashProse));

  // Markdown and text.
  std::ostringstream md;
  exporters::write_markdown_table(analysis.effective(), md);
  tables_keep_columns(guarded(md.str(), kHashProse));
  std::ostringstream findings;
  exporters::write_findings_text(analysis, findings);
  guarded(findings.str(), kHashProse);
  return 0;
}
