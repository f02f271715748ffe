#include <algorithm>
#include <iomanip>

#include "exporters/diff.hpp"
#include "exporters/markdown_table.hpp"

namespace netpol::exporters {

using graph::Change;

std::string describe_access(const graph::EdgeDiff& edge) {
  std::vector<std::string> parts;
  if (edge.change == Change::Added) {
    if (!edge.new_addresses_text.empty()) parts.push_back(edge.new_addresses_text);
    parts.push_back(edge.new_ports.label());
  } else if (edge.change == Change::Removed) {
    if (!edge.old_addresses_text.empty()) parts.push_back(edge.old_addresses_text);
    parts.push_back(edge.old_ports.label());
  } else {
    if (edge.addresses)
      parts.push_back("addresses " + edge.new_addresses_text + " (was " + edge.old_addresses_text +
                      ")");
    if (edge.old_ports != edge.new_ports)
      parts.push_back("ports " + edge.new_ports.label() + " (was " + edge.old_ports.label() + ")");
    else
      parts.push_back(edge.new_ports.label());
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out;
}

std::string change_counts(const graph::Diff& diff) {
  int counts[5] = {0, 0, 0, 0, 0};
  for (const auto& e : diff.edges) counts[static_cast<int>(e.change)] += e.pairs;
  std::string out;
  for (Change c :
       {Change::Added, Change::Removed, Change::Widened, Change::Narrowed, Change::Changed})
    out += (out.empty() ? "" : ", ") + std::to_string(counts[static_cast<int>(c)]) + " " +
           std::string(graph::change_name(c));
  return out;
}

namespace {
const char* noun(const graph::DiffReport& r) {
  return r.new_side.chart.from_manifests ? "workloads" : "services";
}
}  // namespace

std::string group_name(const graph::DiffReport& report, std::size_t group) {
  const auto& members = report.diff.groups.at(group);
  std::string out = "group " + std::to_string(group + 1) + " (" + std::to_string(members.size()) +
                    " " + noun(report) + " alike: ";
  for (std::size_t i = 0; i < members.size() && i < 3; ++i) out += (i ? ", " : "") + members[i];
  return out + (members.size() > 3 ? ", ...)" : ")");
}

std::string from_name(const graph::DiffReport& r, const graph::EdgeDiff& e) {
  return e.from_group ? group_name(r, *e.from_group) : e.from;
}

std::string to_name(const graph::DiffReport& r, const graph::EdgeDiff& e) {
  return (e.to_group ? group_name(r, *e.to_group) : e.to) +
         (e.was.empty() ? "" : " (was " + e.was + ")");
}

void write_groups(const graph::DiffReport& report, bool markdown, std::ostream& out) {
  if (report.diff.groups.empty()) return;
  out << "\nGroups of " << noun(report)
      << " alike (a change to or from a group holds for every pair of their members but a "
      << (report.new_side.chart.from_manifests ? "workload" : "service") << " with itself):\n"
      << (markdown ? "\n" : "");
  for (std::size_t g = 0; g < report.diff.groups.size(); ++g) {
    out << (markdown ? "- group " : "  group ") << g + 1 << ": ";
    const auto& members = report.diff.groups[g];
    for (std::size_t i = 0; i < members.size(); ++i)
      out << (i ? ", " : "") << (markdown ? markdown_cell(members[i]) : members[i]);
    out << "\n";
  }
}

std::string switched_summary(const graph::Diff& diff) {
  std::string where =
      diff.new_enabled_at.where.known() ? " (" + diff.new_enabled_at.where.str() + ")" : "";
  if (diff.old_enabled)
    return "Network policies were switched off" + where +
           ": nothing is restricted any more. Every pod may reach every pod on every port, any "
           "source every service, every service any address.";
  return "Network policies were switched on" + where +
         ": access went from everything to what the policies allow (`netpol-graph table` and "
         "`graph` on the new values show it).";
}

std::vector<graph::Provenance> only_old(const std::vector<graph::Provenance>& old_keys,
                                        const std::vector<graph::Provenance>& new_keys) {
  std::vector<graph::Provenance> out;
  for (const auto& k : old_keys)
    if (std::find(new_keys.begin(), new_keys.end(), k) == new_keys.end()) out.push_back(k);
  return out;
}

namespace {

void keys(const char* side, const std::vector<graph::Provenance>& ps, std::ostream& out) {
  for (const auto& p : ps)
    out << "           " << std::left << std::setw(12) << side << p.path
        << (p.where.known() ? "  " + p.where.str() : "") << "\n";
}

// The keys behind a change, on both sides: the new side's, the old side's that the new one
// no longer has, and the new keys that remove access.
void change_keys(const graph::EdgeDiff& change, std::ostream& out) {
  keys("egress", change.new_egress, out);
  keys("ingress", change.new_ingress, out);
  keys("old egress", only_old(change.old_egress, change.new_egress), out);
  keys("old ingress", only_old(change.old_ingress, change.new_ingress), out);
  keys("removed by", change.removed_by, out);
  if (change.changed_by != change.removed_by) keys("changed by", change.changed_by, out);
}

// `label` in place of the change's name ("same" for an edge re-expressed).
void edge_line(const graph::DiffReport& report, const graph::EdgeDiff& e, std::ostream& out,
               const char* label = nullptr) {
  out << std::left << std::setw(10) << (label ? label : graph::change_name(e.change)) << " "
      << from_name(report, e) << " -> " << to_name(report, e) << "  " << describe_access(e) << "\n";
  if (e.pairs > 1)  // every member's own keys are its rules at the same positions
    out << "           " << e.pairs << " pairs; the keys of " << e.from << " -> " << e.to
        << ", each member's own alike:\n";
  change_keys(e, out);
}

// Renames and redundant edges: listed, never counted as a change.
void unchanged_notes(const graph::DiffReport& report, std::ostream& out) {
  const graph::Diff& d = report.diff;
  if (!d.renames.empty()) out << "\nRenamed, same access:\n";
  for (const auto& r : d.renames) out << "  " << r.old_id << " -> " << r.new_id << "\n";
  if (!d.reexpressed.empty()) out << "\nRe-expressed, the same access written otherwise:\n";
  for (const auto& e : d.reexpressed) edge_line(report, e, out, "same");
  if (!d.redundant.empty())
    out << "\nRedundant, no change in access (something else grants, or still grants, it):\n";
  for (const auto& e : d.redundant) edge_line(report, e, out);
  write_groups(report, false, out);
}

}  // namespace

void write_diff_text(const graph::DiffReport& report, std::ostream& out) {
  const graph::Diff& diff = report.diff;
  if (diff.empty()) {
    out << "No change in effective access.\n";
    unchanged_notes(report, out);
    return;
  }
  if (diff.policies_switched()) out << switched_summary(diff) << "\n";
  for (const auto& s : diff.services)
    out << "Service " << s.name << " " << graph::change_name(s.change)
        << (s.where.where.known() ? " (" + s.where.where.str() + ")" : "") << ".\n";
  if (diff.policies_switched()) return;
  out << "Effective access: " << change_counts(diff) << ".\n";
  if (diff.widens()) out << "Access is widened.\n";
  out << "\n";
  for (const auto& e : diff.edges) edge_line(report, e, out);
  for (Change change : {Change::Added, Change::Widened, Change::Removed}) {
    bool first = true;
    for (const auto& exposed : diff.exposure) {
      if (exposed.change != change) continue;
      if (first)
        out << "\n"
            << (change == Change::Added     ? "Newly reachable from any-source"
                : change == Change::Widened ? "Reachable from any-source more widely"
                                            : "No longer reachable from any-source")
            << ":\n";
      first = false;
      std::string path;
      for (const auto& n : exposed.path) path += (path.empty() ? "" : " -> ") + n;
      out << "  " << exposed.node << " (" << exposed.path.size() - 1
          << (exposed.path.size() == 2 ? " hop" : " hops")
          << (change != Change::Widened ? ""
              : exposed.old_hops        ? ", was " + std::to_string(exposed.old_hops)
                                        : ", more addresses or ports")
          << "): " << path << "\n";
    }
  }
  unchanged_notes(report, out);
}

}  // namespace netpol::exporters
