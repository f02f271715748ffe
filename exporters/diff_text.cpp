#include <algorithm>
#include <iomanip>

#include "exporters/diff.hpp"

namespace netpol::exporters {

using graph::Change;

std::string describe_access(const graph::EdgeDiff& e) {
  std::vector<std::string> parts;
  if (e.change == Change::Added) {
    if (!e.new_addresses.empty()) parts.push_back(e.new_addresses);
    parts.push_back(e.new_ports.label());
  } else if (e.change == Change::Removed) {
    if (!e.old_addresses.empty()) parts.push_back(e.old_addresses);
    parts.push_back(e.old_ports.label());
  } else {
    if (e.addresses)
      parts.push_back("addresses " + e.new_addresses + " (was " + e.old_addresses + ")");
    if (e.old_ports != e.new_ports)
      parts.push_back("ports " + e.new_ports.label() + " (was " + e.old_ports.label() + ")");
    else
      parts.push_back(e.new_ports.label());
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out;
}

std::string change_counts(const graph::Diff& d) {
  int counts[5] = {0, 0, 0, 0, 0};
  for (const auto& e : d.edges) ++counts[static_cast<int>(e.change)];
  std::string out;
  for (Change c :
       {Change::Added, Change::Removed, Change::Widened, Change::Narrowed, Change::Changed})
    out += (out.empty() ? "" : ", ") + std::to_string(counts[static_cast<int>(c)]) + " " +
           std::string(graph::change_name(c));
  return out;
}

std::string switched_summary(const graph::Diff& d) {
  std::string where =
      d.new_enabled_at.where.known() ? " (" + d.new_enabled_at.where.str() + ")" : "";
  if (d.old_enabled)
    return "Network policies were switched off" + where +
           ": nothing is restricted any more. Every pod may reach every pod on every port, any "
           "source every service, every service any address.";
  return "Network policies were switched on" + where +
         ": access went from everything to what the policies allow (`netpol-graph table` and "
         "`graph` on the new values show it).";
}

namespace {

void keys(const char* side, const std::vector<graph::Provenance>& ps, std::ostream& out) {
  for (const auto& p : ps)
    out << "           " << std::left << std::setw(12) << side << p.path
        << (p.where.known() ? "  " + p.where.str() : "") << "\n";
}

// The keys behind a change: the old side's for a removal, the new side's otherwise.
void change_keys(const graph::EdgeDiff& e, std::ostream& out) {
  bool removed = e.change == Change::Removed;
  keys(removed ? "old egress" : "egress", removed ? e.old_egress : e.new_egress, out);
  keys(removed ? "old ingress" : "ingress", removed ? e.old_ingress : e.new_ingress, out);
}

}  // namespace

void write_diff_text(const graph::DiffReport& r, std::ostream& out) {
  const graph::Diff& d = r.diff;
  if (d.empty()) {
    out << "No change in effective access.\n";
    return;
  }
  if (d.policies_switched()) out << switched_summary(d) << "\n";
  for (const auto& s : d.services)
    out << "Service " << s.name << " " << graph::change_name(s.change)
        << (s.where.where.known() ? " (" + s.where.where.str() + ")" : "") << ".\n";
  if (d.policies_switched()) return;
  out << "Effective access: " << change_counts(d) << ".\n";
  if (d.widens()) out << "Access is widened.\n";
  out << "\n";
  for (const auto& e : d.edges) {
    out << std::left << std::setw(10) << graph::change_name(e.change) << " " << e.from << " -> "
        << e.to << "  " << describe_access(e) << "\n";
    change_keys(e, out);
  }
  for (Change c : {Change::Added, Change::Removed}) {
    bool first = true;
    for (const auto& x : d.exposure) {
      if (x.change != c) continue;
      if (first)
        out << "\n"
            << (c == Change::Added ? "Newly reachable" : "No longer reachable")
            << " from any-source:\n";
      first = false;
      std::string path;
      for (const auto& n : x.path) path += (path.empty() ? "" : " -> ") + n;
      out << "  " << x.node << " (" << x.path.size() - 1 << (x.path.size() == 2 ? " hop" : " hops")
          << "): " << path << "\n";
    }
  }
}

}  // namespace netpol::exporters
