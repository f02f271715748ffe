#pragma once
// Reads one YAML values document into a values tree, with locations, under size limits.

#include <cstddef>
#include <string>
#include <string_view>

#include "values/value.hpp"

namespace netpol::values {

// Bounds on what one document may expand to (aliases are expanded into the tree).
struct ReadLimits {
  std::size_t max_nodes = 2'000'000;
  int max_depth = 200;
};

// Parses `text` (named `file` in locations and errors) as exactly one YAML document whose top
// is a map; an empty document is an empty map. Throws InputError on syntax errors, a second
// document, a top that is not a map, duplicate keys and exceeded limits.
Value read_yaml(std::string_view text, const std::string& file, const ReadLimits& limits = {});

}  // namespace netpol::values
