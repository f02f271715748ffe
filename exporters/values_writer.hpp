#pragma once
// `netpol-graph values`: the merged values as Helm computes them (what `helm get values
// --all` shows), as YAML or JSON, optionally with where each leaf was set.

#include <ostream>
#include <string>

#include "values/value.hpp"

namespace netpol::exporters {

// YAML; numbers and booleans in the form a template sees them (0x2526 is 9510, yes is
// true), strings quoted where they would read as something else. With `origins`, each leaf
// is followed by a comment naming where it was set: `# values.yaml:3:14`, `# <--set 2>:1:5`,
// `# <defaults>:12:14`.
void write_values_yaml(const values::Value& merged, bool origins, std::ostream& out);
// One value as a YAML block (no trailing newline), as write_values_yaml writes it.
std::string values_yaml_block(const values::Value& v);

// JSON: the values; with `origins`, {"values": ..., "origins": {"a.b": "file:line:col"}}.
void write_values_json(const values::Value& merged, bool origins, std::ostream& out);

}  // namespace netpol::exporters
