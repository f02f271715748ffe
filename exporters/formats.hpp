#pragma once
// The one table of output formats: it drives --format, the file-extension lookup, the help
// text and the error for an unknown format.

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "exporters/diagram.hpp"
#include "exporters/findings.hpp"
#include "graph/analysis/analysis.hpp"
#include "graph/analysis/diff.hpp"
#include "graph/analysis/reach_report.hpp"
#include "values/value.hpp"

namespace netpol::exporters {

struct WriteOptions {
  graph::View view = graph::View::Documented;  // for the table
  DiagramOptions diagram;                      // for diagrams (graph)
  bool workloads = false;                      // for manifests: a Deployment per service too
  const graph::ReachReport* reach = nullptr;   // for `reach`: the answer to write
  const graph::DiffReport* diff = nullptr;     // for `diff`: both sides and their difference
  const values::Value* values = nullptr;       // for `values`: the merged values
  bool show_origin = false;                    // for `values`: where each leaf was set
  SarifPaths sarif;                            // for SARIF: what its file URIs are relative to
};

using Writer = void (*)(const graph::Analysis&, const WriteOptions&, std::ostream&);

struct Format {
  std::string_view name;
  std::vector<std::string_view> extensions;  // with the dot: ".dot"
  std::string_view description;
  std::vector<std::string_view> commands;  // the commands that can write it
  Writer write;
  bool picture = false;  // drawn by Graphviz (exporters/graphviz_runtime.hpp)
  bool binary = false;   // bytes, not text: written as they are
};

const std::vector<Format>& formats();

// How `format` spells the second '#' of a "##[" or "##vso[" that would be a CI command
// (text.hpp, neutralise_ci_commands): by the format's own escape, so the output still reads
// back as itself. Its writer sees to it that the escape is valid wherever such text can be
// (YAML double-quotes every string holding "##", HTML's JSON data escapes it itself).
std::string_view ci_hash(const Format& format);
// The same for a file of the review bundle, by its name's extension.
std::string_view ci_hash_for_file(std::string_view name);

// The formats `command` can write, e.g. "dot" for `graph`.
std::vector<const Format*> formats_for(std::string_view command);

// Picks the format for `command`: by name when `name` is given, else by the extension of
// `output_path`, else the command's first format. Throws Error naming the choices.
const Format& choose_format(std::string_view command, const std::string& name,
                            const std::string& output_path);

}  // namespace netpol::exporters
