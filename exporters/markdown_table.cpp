#include "exporters/markdown_table.hpp"

#include <algorithm>

#include "text.hpp"

namespace netpol::exporters {

std::string markdown_cell(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '|':
      case '\\':
      case '*':
      case '_':
      case '`':
      case '<':
      case '>':
      case '[':
      case ']':
        out += '\\';
        out += c;
        break;
      case '\n':
      case '\r':
        out += ' ';
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string markdown_fence(std::string_view text, std::size_t least) {
  std::size_t run = 0, longest = 0;
  for (char c : text) longest = std::max(longest, run = c == '`' ? run + 1 : 0);
  return std::string(std::max(least, longest + 1), '`');
}

std::string markdown_code(std::string_view text) {
  std::string line = one_line(text);
  std::string fence = markdown_fence(line);
  // A space on each side when the text begins or ends with a backtick (stripped by readers).
  std::string pad = !line.empty() && (line.front() == '`' || line.back() == '`') ? " " : "";
  return fence + pad + line + pad + fence;
}

namespace {
std::string cell(const std::vector<std::string>& items) {
  if (items.empty()) return "(none)";
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + markdown_cell(items[i]);
  return out;
}
}  // namespace

void write_markdown_table(const graph::CommunicationMap& map, std::ostream& out) {
  if (!map.policies_enabled) {
    out << "Network policies are disabled (`global.networkPolicy.enabled` is not true";
    if (map.enabled_at.where.known()) out << ", " << map.enabled_at.where.str();
    out << "): nothing is restricted. Every pod may reach every pod on every port, any "
           "source may reach every service, and every service may reach any address.\n";
    return;
  }
  out << "| Service | Ingress From | Egress To | External Ingress |\n";
  out << "|---|---|---|---|\n";
  for (const auto& row : map.rows) {
    out << "| " << markdown_cell(row.service) << " | " << cell(row.ingress_from) << " | "
        << cell(row.egress_to) << " | " << (row.external_ingress ? "Yes" : "No") << " |\n";
  }
  if (map.dns_everywhere)
    out << "\nAll services are always allowed DNS egress (port 53 UDP/TCP).\n";
  if (map.has_undocumented)
    out << "\n(undocumented): the policies allow it, but the chart profile does not list it among "
           "the service's needs.\n";
}

}  // namespace netpol::exporters
