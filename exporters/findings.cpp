#include "exporters/findings.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <optional>

#include <nlohmann/json.hpp>

#include "error.hpp"
#include "exporters/json.hpp"

namespace netpol::exporters {

using nlohmann::ordered_json;

void write_findings_text(const graph::Analysis& analysis, std::ostream& out) {
  bool any = false;
  for (const auto& finding : analysis.findings) {
    if (!finding.waived.empty()) continue;
    any = true;
    out << graph::severity_name(finding.severity) << "[" << finding.code << "]: ";
    std::string where = format_located(finding.where.where, finding.where.path, "");
    if (!where.empty()) out << where;
    out << finding.message << "\n";
    if (!finding.fix.empty()) out << "    fix: " << finding.fix << "\n";
  }
  if (any) out << "\n";
  out << analysis.count_text() << "\n";
}

void write_findings_json(const graph::Analysis& analysis, std::ostream& out) {
  ordered_json doc;
  doc["schemaVersion"] = kJsonSchemaVersion;
  ordered_json list = ordered_json::array();
  for (const auto& finding : analysis.findings)
    list.push_back(
        {{"code", finding.code},
         {"severity", std::string(graph::severity_name(finding.severity))},
         {"message", finding.message},
         {"path", finding.where.path},
         {"location", finding.where.where.str()},
         {"fix", finding.fix},
         {"subject", finding.subject},
         {"access", finding.access.empty() ? ordered_json(nullptr) : ordered_json(finding.access)},
         {"waived",
          finding.waived.empty() ? ordered_json(nullptr) : ordered_json(finding.waived)}});
  doc["findings"] = list;
  out << doc.dump(2) << "\n";
}

namespace {

const char* sarif_level(graph::Severity severity) {
  switch (severity) {
    case graph::Severity::Error:
      return "error";
    case graph::Severity::Warning:
      return "warning";
    case graph::Severity::Info:
      return "note";
  }
  return "warning";
}

// A location inside a real file (not "<defaults>", "<--set 1>", "<stdin>").
bool in_a_file(const Location& l) {
  return l.known() && l.file.front() != '<' && l.line > 0;
}

// A file name as a URI reference (RFC 3986): unreserved characters and '/' as they are,
// every other byte percent-encoded, so a name with spaces, '#', '?' or '%' stays one path.
std::string uri_reference(const std::string& path) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (char ch : path) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

// A file name as SARIF's artifact URI: relative to paths.root when one is given.
std::string artifact_uri(const std::string& file, const SarifPaths& paths) {
  namespace fs = std::filesystem;
  if (paths.root.empty()) return uri_reference(file);
  fs::path f(file);
  if (f.is_relative()) f = fs::path(paths.cwd) / f;
  fs::path rel = f.lexically_normal().lexically_relative(fs::path(paths.root).lexically_normal());
  return uri_reference(rel.empty() ? f.lexically_normal().generic_string() : rel.generic_string());
}

// Where a finding whose key is not in a values file points: the file that enabled the
// policies, else the first values file (line 1); none when every input is a pseudo-file.
std::optional<Location> fallback_location(const graph::Analysis& analysis) {
  if (in_a_file(analysis.chart.enabled_at.where)) return analysis.chart.enabled_at.where;
  // The inputs in layering order; the first is the chart defaults, except for manifests.
  for (std::size_t i = analysis.chart.from_manifests ? 0 : 1; i < analysis.inputs.size(); ++i) {
    const std::string& input = analysis.inputs[i];
    if (!input.empty() && input.front() != '<' && input.rfind("--set", 0) != 0)
      return Location{input, 1, 1};
  }
  return std::nullopt;
}

// What a pseudo-file is, for a message: "the chart defaults", "--set", ...
std::string origin_name(const Location& location) {
  if (!location.known()) return "";
  if (location.file == "<defaults>") return " in the chart defaults";
  if (location.file == "<profile>") return " in the profile";
  if (location.file == "<stdin>") return " on standard input";
  if (location.file.rfind("<--set", 0) == 0)
    return " by " + location.file.substr(1, location.file.str().size() - 2);
  return " at " + location.str();
}

// FNV-1a, 64 bits, as 16 hex digits: a fingerprint, not a security hash.
std::string fingerprint(const std::string& text) {
  std::uint64_t h = 14695981039346656037ull;
  for (char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace

void write_findings_sarif(const graph::Analysis& analysis, const SarifPaths& paths,
                          std::ostream& out) {
  ordered_json rules = ordered_json::array();
  for (const auto& rule : graph::finding_rules()) {
    std::string code(rule.code), help(rule.help);
    rules.push_back(
        {{"id", code},
         {"name", code},
         {"shortDescription", {{"text", std::string(rule.description)}}},
         {"fullDescription",
          {{"text", std::string(rule.description) + " " + std::string(rule.why)}}},
         {"help",
          {{"text", help},
           {"markdown", "**" + std::string(rule.description) + "**\n\n" + std::string(rule.why) +
                            "\n\n" + help + " See [docs/findings.md](" + NETPOL_DOCS_URL +
                            "/findings.md#" + code + ")."}}},
         {"helpUri", std::string(NETPOL_DOCS_URL) + "/findings.md#" + code},
         {"defaultConfiguration", {{"level", sarif_level(rule.severity)}}}});
  }
  const std::optional<Location> fallback = fallback_location(analysis);
  ordered_json results = ordered_json::array();
  for (const auto& finding : analysis.findings) {
    ordered_json location;
    std::string note;
    const Location* at = &finding.where.where;
    if (!in_a_file(*at) && fallback) {
      at = &*fallback;
      note = finding.where.path.empty() ? ""
                                        : " (the key " + finding.where.path + " is set" +
                                              origin_name(finding.where.where) + ")";
    }
    if (in_a_file(*at))
      location["physicalLocation"] = {
          {"artifactLocation", {{"uri", artifact_uri(at->file, paths)}}},
          {"region", {{"startLine", at->line}, {"startColumn", std::max(at->column, 1)}}}};
    if (!finding.where.path.empty())
      location["logicalLocations"] =
          ordered_json::array({{{"fullyQualifiedName", finding.where.path}, {"kind", "member"}}});
    ordered_json result = {{"ruleId", finding.code},
                           {"level", sarif_level(finding.severity)},
                           {"message",
                            {{"text", finding.message + note +
                                          (finding.fix.empty() ? "" : ". Fix: " + finding.fix)}}}};
    result["locations"] =
        location.empty() ? ordered_json::array() : ordered_json::array({location});
    // Stable across line moves: what a baseline matches (code, values path, subject).
    result["partialFingerprints"] = {
        {"netpolGraphFinding/v1",
         fingerprint(finding.code + '\n' + finding.where.path + '\n' + finding.subject)}};
    result["properties"] = {{"valuesPath", finding.where.path}, {"subject", finding.subject}};
    if (!finding.access.empty()) result["properties"]["access"] = finding.access;
    if (!finding.waived.empty())
      result["suppressions"] =
          ordered_json::array({{{"kind", "external"}, {"justification", finding.waived}}});
    results.push_back(result);
  }
  ordered_json doc = {
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs",
       ordered_json::array(
           {{{"tool",
              {{"driver",
                {{"name", "netpol-graph"}, {"version", NETPOL_VERSION}, {"rules", rules}}}}},
             {"results", results}}})}};
  out << doc.dump(2) << "\n";
}

// The JSON or SARIF written above, read back as a baseline: what each finding was.
namespace {
std::string baseline_text_at(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}
}  // namespace

std::vector<graph::Waivers::Known> read_baseline(const std::string& text) {
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    throw ValueError("not JSON: expected the JSON or SARIF output of `netpol-graph check`");
  std::vector<graph::Waivers::Known> out;
  if (auto found = doc.find("findings");
      found != doc.end() && found->is_array()) {  // check --format json
    for (const auto& x : *found) {
      if (!x.is_object() || baseline_text_at(x, "code").empty())
        throw ValueError("a finding without a code: expected the output of check --format json");
      graph::Waivers::Known known{baseline_text_at(x, "code"), baseline_text_at(x, "path"),
                                  std::nullopt, std::nullopt};
      if (x.contains("subject")) known.subject = baseline_text_at(x, "subject");
      if (auto a = x.find("access"); a != x.end() && a->is_string())
        known.access = a->get<std::string>();
      out.push_back(std::move(known));
    }
    return out;
  }
  auto runs = doc.find("runs");
  if (runs == doc.end() || !runs->is_array())
    throw ValueError("neither \"findings\" (check --format json) nor \"runs\" (SARIF)");
  for (const auto& run : *runs) {
    auto results = run.find("results");
    if (results == run.end() || !results->is_array()) continue;
    for (const auto& result : *results) {
      if (!result.is_object() || baseline_text_at(result, "ruleId").empty())
        throw ValueError("a SARIF result without a ruleId");
      graph::Waivers::Known k{baseline_text_at(result, "ruleId"), "", std::nullopt, std::nullopt};
      if (auto props = result.find("properties"); props != result.end() && props->is_object()) {
        k.path = baseline_text_at(*props, "valuesPath");
        if (props->contains("subject")) k.subject = baseline_text_at(*props, "subject");
        if (auto a = props->find("access"); a != props->end() && a->is_string())
          k.access = a->get<std::string>();
      }
      out.push_back(std::move(k));
    }
  }
  return out;
}

}  // namespace netpol::exporters
