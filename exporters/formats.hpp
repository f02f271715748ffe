#pragma once
// The one table of output formats: it drives --format, the file-extension lookup, the help
// text and the error for an unknown format.

#include <ostream>
#include <string>
#include <string_view>
#include <variant>
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
  bool show_origin = false;                    // for `values`: where each leaf was set
  SarifPaths sarif;                            // for SARIF: what its file URIs are relative to
};

// What a format writes is what its command made, each its own type: an analysis (table,
// graph, check, manifests), a reach answer on its analysis, a diff (both sides and their
// difference), or the merged values. A format's writer takes the one it writes.
using AnalysisWriter = void (*)(const graph::Analysis&, const WriteOptions&, std::ostream&);
using ReachWriter = void (*)(const graph::Analysis&, const graph::ReachReport&, const WriteOptions&,
                             std::ostream&);
using DiffWriter = void (*)(const graph::DiffReport&, const WriteOptions&, std::ostream&);
using ValuesWriter = void (*)(const values::Value&, const WriteOptions&, std::ostream&);
using Writer = std::variant<AnalysisWriter, ReachWriter, DiffWriter, ValuesWriter>;

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

// Writes what a command made in `format`. Throws Error (an internal one) when the format
// writes something else: the format table says which command writes it, and so which kind.
void write(const Format& format, const graph::Analysis& analysis, const WriteOptions& options,
           std::ostream& out);
void write(const Format& format, const graph::Analysis& analysis, const graph::ReachReport& reach,
           const WriteOptions& options, std::ostream& out);
void write(const Format& format, const graph::DiffReport& diff, const WriteOptions& options,
           std::ostream& out);
void write(const Format& format, const values::Value& values, const WriteOptions& options,
           std::ostream& out);

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
