#pragma once
// The answer of `netpol-graph reach`, as text for people or JSON for tools (docs/json.md).

#include <ostream>

#include "graph/analysis/reach_report.hpp"

namespace netpol::exporters {

void write_reach_text(const graph::Analysis& analysis, const graph::ReachReport& report,
                      std::ostream& out);
void write_reach_json(const graph::Analysis& analysis, const graph::ReachReport& report,
                      std::ostream& out);

}  // namespace netpol::exporters
