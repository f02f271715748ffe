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

// The new side's keys, the old side's it no longer cites, and the keys that remove access.
std::string keys_cell(const graph::EdgeDiff& change) {
  std::string out;
  if (change.pairs > 1)
    out = std::to_string(change.pairs) + " pairs; the keys of " + code(change.from) + " → " +
          code(change.to) + ", each member's own alike:";
  auto add = [&](const char* prefix, const std::vector<graph::Provenance>& ps) {
    for (const auto& p : ps)
      out += (out.empty() ? "" : "<br>") + std::string(prefix) + code(p.path) +
             (p.where.known() ? " " + markdown_cell(p.where.str()) : "");
  };
  add("", change.new_egress);
  add("", change.new_ingress);
  add("old: ", only_old(change.old_egress, change.new_egress));
  add("old: ", only_old(change.old_ingress, change.new_ingress));
  add("removed by: ", change.removed_by);
  if (change.changed_by != change.removed_by) add("changed by: ", change.changed_by);
  return out.empty() ? " " : out;
}

// `label` in place of each change's name ("same" for edges re-expressed).
void edge_rows(const graph::DiffReport& report, const std::vector<graph::EdgeDiff>& edges,
               std::ostream& out, const char* label = nullptr) {
  out << "| Change | From | To | Access | Values keys |\n|---|---|---|---|---|\n";
  for (const auto& e : edges)
    out << "| " << (label ? label : graph::change_name(e.change)) << " | "
        << markdown_cell(from_name(report, e)) << " | " << markdown_cell(to_name(report, e))
        << " | " << markdown_cell(describe_access(e)) << " | " << keys_cell(e) << " |\n";
}

// Renames and redundant edges: listed, never counted as a change.
void unchanged_notes_markdown(const graph::DiffReport& report, std::ostream& out) {
  const graph::Diff& diff = report.diff;
  if (!diff.renames.empty()) out << "\nRenamed, same access:\n\n";
  for (const auto& report : diff.renames)
    out << "- " << code(report.old_id) << " → " << code(report.new_id) << "\n";
  if (!diff.reexpressed.empty()) {
    out << "\nRe-expressed, the same access written otherwise:\n\n";
    edge_rows(report, diff.reexpressed, out, "same");
  }
  if (!diff.redundant.empty()) {
    out << "\nRedundant, no change in access (something else grants, or still grants, it):\n\n";
    edge_rows(report, diff.redundant, out);
  }
  write_groups(report, true, out);
}

}  // namespace

void write_diff_markdown(const graph::DiffReport& report, std::ostream& out) {
  const graph::Diff& diff = report.diff;
  out << "### Network access changes\n\n";
  if (diff.empty()) {
    out << "No change in effective access.\n";
    unchanged_notes_markdown(report, out);
    return;
  }
  if (diff.policies_switched()) out << "**" << markdown_cell(switched_summary(diff)) << "**\n\n";
  for (const auto& s : diff.services)
    out << "- Service " << code(s.name) << " " << graph::change_name(s.change) << "\n";
  if (!diff.services.empty()) out << "\n";
  if (diff.policies_switched()) return;
  out << change_counts(diff) << (diff.widens() ? " (**access widened**)" : "") << ".\n\n";
  if (!diff.edges.empty()) edge_rows(report, diff.edges, out);
  bool header = false;
  for (const auto& x : diff.exposure) {
    if (!header) out << "\n| Reachable from any-source | Node | Path |\n|---|---|---|\n";
    header = true;
    std::string path;
    for (const auto& n : x.path) path += (path.empty() ? "" : " → ") + n;
    out << "| "
        << (x.change == graph::Change::Added     ? "newly"
            : x.change == graph::Change::Widened ? "more widely"
                                                 : "no longer")
        << " | " << markdown_cell(x.node) << " | " << markdown_cell(path) << " |\n";
  }
  unchanged_notes_markdown(report, out);
}

}  // namespace netpol::exporters
