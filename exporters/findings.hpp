#pragma once
// Findings (`netpol-graph check`) as text, JSON (docs/json.md) and SARIF 2.1.0 for code
// scanning.

#include <ostream>

#include "graph/analysis.hpp"

namespace netpol::exporters {

void write_findings_text(const graph::Analysis& analysis, std::ostream& out);
void write_findings_json(const graph::Analysis& analysis, std::ostream& out);
// SARIF 2.1.0: one rule per finding code, one result per finding, located at the values file
// and line where the file is a real one (embedded defaults and --set have a logical location
// only).
void write_findings_sarif(const graph::Analysis& analysis, std::ostream& out);

}  // namespace netpol::exporters
