#include "exporters/findings.hpp"

#include <cctype>
#include <cstdint>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "exporters/json.hpp"

namespace netpol::exporters {

using nlohmann::ordered_json;

void write_findings_text(const graph::Analysis& a, std::ostream& out) {
  bool any = false;
  for (const auto& f : a.findings) {
    if (!f.waived.empty()) continue;
    any = true;
    out << graph::severity_name(f.severity) << "[" << f.code << "]: ";
    std::string where = format_located(f.where.where, f.where.path, "");
    if (!where.empty()) out << where;
    out << f.message << "\n";
    if (!f.fix.empty()) out << "    fix: " << f.fix << "\n";
  }
  if (any) out << "\n";
  out << a.count_text() << "\n";
}

void write_findings_json(const graph::Analysis& a, std::ostream& out) {
  ordered_json doc;
  doc["schemaVersion"] = kJsonSchemaVersion;
  ordered_json list = ordered_json::array();
  for (const auto& f : a.findings)
    list.push_back({{"code", f.code},
                    {"severity", std::string(graph::severity_name(f.severity))},
                    {"message", f.message},
                    {"path", f.where.path},
                    {"location", f.where.where.str()},
                    {"fix", f.fix},
                    {"subject", f.subject},
                    {"waived", f.waived.empty() ? ordered_json(nullptr) : ordered_json(f.waived)}});
  doc["findings"] = list;
  out << doc.dump(2) << "\n";
}

namespace {

const char* sarif_level(graph::Severity s) {
  switch (s) {
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

void write_findings_sarif(const graph::Analysis& a, std::ostream& out) {
  ordered_json rules = ordered_json::array();
  for (const auto& r : graph::finding_rules())
    rules.push_back({{"id", std::string(r.code)},
                     {"shortDescription", {{"text", std::string(r.description)}}},
                     {"defaultConfiguration", {{"level", sarif_level(r.severity)}}}});
  ordered_json results = ordered_json::array();
  for (const auto& f : a.findings) {
    ordered_json location;
    if (in_a_file(f.where.where))
      location["physicalLocation"] = {
          {"artifactLocation", {{"uri", uri_reference(f.where.where.file)}}},
          {"region", {{"startLine", f.where.where.line}, {"startColumn", f.where.where.column}}}};
    if (!f.where.path.empty())
      location["logicalLocations"] =
          ordered_json::array({{{"fullyQualifiedName", f.where.path}, {"kind", "member"}}});
    ordered_json result = {
        {"ruleId", f.code},
        {"level", sarif_level(f.severity)},
        {"message", {{"text", f.message + (f.fix.empty() ? "" : ". Fix: " + f.fix)}}}};
    result["locations"] =
        location.empty() ? ordered_json::array() : ordered_json::array({location});
    // Stable across line moves: what a baseline matches (code, values path, subject).
    result["partialFingerprints"] = {
        {"netpolGraphFinding/v1", fingerprint(f.code + '\n' + f.where.path + '\n' + f.subject)}};
    result["properties"] = {{"valuesPath", f.where.path}, {"subject", f.subject}};
    if (!f.waived.empty())
      result["suppressions"] =
          ordered_json::array({{{"kind", "external"}, {"justification", f.waived}}});
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

}  // namespace netpol::exporters
