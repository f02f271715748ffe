#pragma once
// Findings (`netpol-graph check`) as text, JSON (docs/json.md) and SARIF 2.1.0 for code
// scanning.

#include <ostream>
#include <string>
#include <vector>

#include "graph/analysis/analysis.hpp"
#include "graph/analysis/findings.hpp"

namespace netpol::exporters {

void write_findings_text(const graph::Analysis& analysis, std::ostream& out);
// Reads what write_findings_json or write_findings_sarif wrote, as a baseline (check
// --baseline): each finding's code, values path, subject and access. Throws ValueError naming
// what is wrong.
std::vector<graph::Waivers::Known> read_baseline(const std::string& text);
void write_findings_json(const graph::Analysis& analysis, std::ostream& out);
// SARIF 2.1.0: one rule per finding code, one result per finding, located at the values file
// and line where the file is a real one (embedded defaults and --set have a logical location
// only).
// Where SARIF's artifact URIs are relative to: `root` (--sarif-root), and the directory
// relative file names are relative to (the working directory); both absolute. Empty: file
// names are written as they are.
struct SarifPaths {
  std::string root, cwd;
};
// Every result has a physical location: a finding whose key is in the chart defaults,
// the profile or --set points at the file that enabled policies, else the first values
// file (line 1), and its message names the key.
void write_findings_sarif(const graph::Analysis& analysis, const SarifPaths& paths,
                          std::ostream& out);

}  // namespace netpol::exporters
