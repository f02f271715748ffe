#pragma once
// `suggest`'s values overlay as YAML: every key under its parents, each with the comment
// lines that say what it removes and what keeps what stays, a list's items with their own.

#include <ostream>
#include <string>
#include <vector>

#include "graph/analysis/least_privilege.hpp"

namespace netpol::exporters {

// `header`: comment lines for the top of the file (what it is, how to apply it).
void write_overlay_yaml(const graph::Suggestion& suggestion, const std::vector<std::string>& header,
                        std::ostream& out);

}  // namespace netpol::exporters
