#include "exporters/diff.hpp"
#include "exporters/markdown_table.hpp"

namespace netpol::exporters {

namespace {

// Text for a code span inside a table cell: only pipes and line breaks need care.
std::string code(const std::string& text) {
  std::string out = "`";
  for (char c : text) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n' || c == '\r' || c == '`')
      out += ' ';
    else
      out += c;
  }
  return out + "`";
}

std::string keys_cell(const graph::EdgeDiff& e) {
  bool removed = e.change == graph::Change::Removed;
  std::string out;
  for (const auto* ps :
       {removed ? &e.old_egress : &e.new_egress, removed ? &e.old_ingress : &e.new_ingress})
    for (const auto& p : *ps)
      out += (out.empty() ? "" : "<br>") + code(p.path) +
             (p.where.known() ? " " + markdown_cell(p.where.str()) : "");
  return out.empty() ? " " : out;
}

}  // namespace

void write_diff_markdown(const graph::DiffReport& r, std::ostream& out) {
  const graph::Diff& d = r.diff;
  out << "### Network access changes\n\n";
  if (d.empty()) {
    out << "No change in effective access.\n";
    return;
  }
  if (d.policies_switched()) out << "**" << markdown_cell(switched_summary(d)) << "**\n\n";
  for (const auto& s : d.services)
    out << "- Service " << code(s.name) << " " << graph::change_name(s.change) << "\n";
  if (!d.services.empty()) out << "\n";
  if (d.policies_switched()) return;
  out << change_counts(d) << (d.widens() ? " (**access widened**)" : "") << ".\n\n";
  if (!d.edges.empty()) {
    out << "| Change | From | To | Access | Values keys |\n|---|---|---|---|---|\n";
    for (const auto& e : d.edges)
      out << "| " << graph::change_name(e.change) << " | " << markdown_cell(e.from) << " | "
          << markdown_cell(e.to) << " | " << markdown_cell(describe_access(e)) << " | "
          << keys_cell(e) << " |\n";
  }
  bool header = false;
  for (const auto& x : d.exposure) {
    if (!header) out << "\n| Reachable from any-source | Node | Path |\n|---|---|---|\n";
    header = true;
    std::string path;
    for (const auto& n : x.path) path += (path.empty() ? "" : " → ") + n;
    out << "| " << (x.change == graph::Change::Added ? "newly" : "no longer") << " | "
        << markdown_cell(x.node) << " | " << markdown_cell(path) << " |\n";
  }
}

}  // namespace netpol::exporters
