#pragma once
// Findings: what a security review should look at, each with a stable code, a severity, the
// values key (file:line:col) it is about, and a suggested fix. Computed once per analysis.

#include <string>
#include <string_view>
#include <vector>

#include "graph/chart.hpp"

namespace netpol::graph {

struct Analysis;

enum class Severity { Info = 0, Warning = 1, Error = 2 };
std::string_view severity_name(Severity s);
// Parses "info", "warning" or "error"; throws ValueError.
Severity parse_severity(std::string_view s);

struct Finding {
  std::string code;
  Severity severity = Severity::Warning;
  std::string message;
  Provenance where;  // the values key, and where it was set
  std::string fix;
};

// The codes netpol-graph reports, with their severity and a one-line description.
struct FindingRule {
  std::string_view code;
  Severity severity;
  std::string_view description;
};
const std::vector<FindingRule>& finding_rules();

// Every finding of an analysis: errors first, then warnings, then infos; within a severity
// by code, and within a code in chart order.
std::vector<Finding> find_issues(const Analysis& a);

}  // namespace netpol::graph
