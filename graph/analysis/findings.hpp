#pragma once
// Findings: what a security review should look at, each with a stable code, a severity, the
// values key (file:line:col) it is about, and a suggested fix. Computed once per analysis.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graph/rules/chart.hpp"

namespace netpol::graph {

struct Analysis;

enum class Severity { Info = 0, Warning = 1, Error = 2 };
std::string_view severity_name(Severity s);
// Parses "info", "warning" or "error"; throws ValueError.
Severity parse_severity(std::string_view s);

struct Finding : Warning {
  Severity severity = Severity::Warning;
  // What the finding is about beyond its key ("janitor -> ext:S3", a service, a CIDR as
  // written; empty when the code and key say it all). A waiver or a baseline matches code,
  // values path and subject, never the line.
  std::string subject;
  // Why it is waived (`--ignore CODE`, `--baseline FILE`); empty when it is not. A waived
  // finding is left out of the text report and of --fail-on, and kept in JSON and SARIF.
  std::string waived;
  // What the finding is about by access, not by name, where a name could change while the
  // access stays ("janitor -> 52.216.0.0/15 on TCP 443" for `janitor -> ext:S3`); empty
  // when the subject names nothing renameable. A baseline matches by subject or by it, so
  // renaming an external destination keeps its waiver.
  std::string access;
};

// The findings' waivers: `--ignore CODE` or `--ignore CODE:VALUES.PATH`, and the findings of
// a baseline (code, values path, subject).
struct Waivers {
  struct Ignore {
    std::string code;
    std::optional<std::string> path;
  };
  std::vector<Ignore> ignore;
  struct Known {
    std::string code, path;
    std::optional<std::string> subject;  // absent in a baseline that does not say it
    std::optional<std::string> access;   // absent in a baseline made before it was written
  };
  std::vector<Known> baseline;
  std::string baseline_name;  // the baseline file, for the waiver's reason
};
// Parses an --ignore value; throws ValueError for an unknown code (with the closest one).
Waivers::Ignore parse_ignore(std::string_view text);
// (A baseline, the JSON or SARIF of an earlier `check`, is read beside its writers:
// exporters::read_baseline.)
// Marks the findings the waivers cover.
void apply_waivers(std::vector<Finding>& findings, const Waivers& w);

// The codes netpol-graph reports, with their severity, a one-line description, why it
// matters and what to do (SARIF's shortDescription, fullDescription and help).
struct FindingRule {
  std::string_view code;
  Severity severity;
  std::string_view description;
  std::string_view why;
  std::string_view help;
};
const std::vector<FindingRule>& finding_rules();
// The severity of a finding code; throws std::logic_error for a code no rule has (a typo).
Severity severity_of(std::string_view code);

// Every finding of an analysis: errors first, then warnings, then infos; within a severity
// by code, and within a code in chart order.
std::vector<Finding> find_issues(const Analysis& a);
// That order: errors first, then warnings, then infos; by code; otherwise as they were.
void sort_findings(std::vector<Finding>& findings);

}  // namespace netpol::graph
