#pragma once
// Layers values as Helm does: chart defaults, then each -f file, then --set, then --set-string.

#include <optional>
#include <string>
#include <vector>

#include "values/value.hpp"
#include "values/yaml_reader.hpp"

namespace netpol::values {

// The text of one input and the name it is known by in messages ("prod.yaml", "<stdin>").
struct Source {
  std::string name;
  std::string text;
};

struct Layers {
  Source defaults;                     // the chart's values.yaml
  std::optional<Value> defaults_tree;  // the same already read (the compiled-in defaults)
  std::vector<Source> files;           // -f, lowest first
  // Parallel to files, when given: a file's tree already read (a file both sides of a diff
  // use is parsed once), nullptr to read it from its text.
  std::vector<const Value*> file_trees;
  std::vector<std::string> set;         // --set arguments, in order
  std::vector<std::string> set_string;  // --set-string arguments, in order
};

// Pseudo-file names used in locations for command-line values.
std::string set_source_name(std::size_t index, bool force_string);

// Merges the layers into the values the chart's templates see. As in Helm, all --set apply
// before all --set-string, and the user's values (files and --set) are coalesced over the
// defaults only at the end, so a user null deletes a default key.
Value load_values(const Layers& layers, const ReadLimits& limits = {});

// A values file as Helm 4 reads one: each YAML document ("---") in order, merged as if it
// were one more -f file; empty documents add nothing (so an empty first document is not
// "no values"); every other document must be a map. (Helm 3 read the first document only.)
Value read_values_file(std::string_view text, const std::string& file,
                       const ReadLimits& limits = {});

}  // namespace netpol::values
