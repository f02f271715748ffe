#include <nlohmann/json.hpp>

#include "exporters/diff.hpp"
#include "exporters/json.hpp"

namespace netpol::exporters {

using nlohmann::ordered_json;

namespace {

ordered_json keys_json(const std::vector<graph::Provenance>& ps) {
  ordered_json out = ordered_json::array();
  for (const auto& p : ps) out.push_back({{"path", p.path}, {"location", p.where.str()}});
  return out;
}

ordered_json ports_json(const graph::PortSet& p) {
  return p.empty() ? ordered_json::array() : ordered_json(p.tokens());
}

// `label` in place of each change's name ("same" for edges re-expressed).
ordered_json edges_json(const std::vector<graph::EdgeDiff>& list, const char* label = nullptr) {
  ordered_json edges = ordered_json::array();
  for (const auto& change : list) {
    ordered_json json = {
        {"change", std::string(label ? label : graph::change_name(change.change))},
        {"from", change.from},
        {"to", change.to},
        {"was", change.was.empty() ? ordered_json(nullptr) : ordered_json(change.was)},
        {"oldPorts", ports_json(change.old_ports)},
        {"newPorts", ports_json(change.new_ports)},
        {"addedPorts", ports_json(change.added_ports)},
        {"removedPorts", ports_json(change.removed_ports)}};
    json["addresses"] =
        change.addresses
            ? ordered_json{{"change", std::string(graph::change_name(*change.addresses))},
                           {"old", change.old_addresses},
                           {"new", change.new_addresses}}
            : ordered_json(nullptr);
    json["provenance"] = {
        {"old",
         {{"egress", keys_json(change.old_egress)}, {"ingress", keys_json(change.old_ingress)}}},
        {"new",
         {{"egress", keys_json(change.new_egress)}, {"ingress", keys_json(change.new_ingress)}}}};
    json["removedBy"] = keys_json(change.removed_by);
    json["changedBy"] = keys_json(change.changed_by);
    // A change listed once for many service pairs: the groups at its ends (`groups`).
    if (change.from_group) json["fromGroup"] = *change.from_group;
    if (change.to_group) json["toGroup"] = *change.to_group;
    if (change.pairs > 1) json["pairs"] = change.pairs;
    edges.push_back(json);
  }
  return edges;
}

}  // namespace

void write_diff_json(const graph::DiffReport& report, std::ostream& out) {
  const graph::Diff& diff = report.diff;
  ordered_json doc;
  doc["schemaVersion"] = kDiffSchemaVersion;
  doc["identical"] = diff.empty();
  doc["widens"] = diff.widens();
  doc["policiesEnabled"] = {{"old", diff.old_enabled}, {"new", diff.new_enabled}};
  ordered_json services = ordered_json::array();
  for (const auto& s : diff.services)
    services.push_back({{"change", std::string(graph::change_name(s.change))},
                        {"name", s.name},
                        {"location", s.where.where.str()}});
  doc["services"] = services;
  doc["edges"] = edges_json(diff.edges);
  doc["redundant"] = edges_json(diff.redundant);
  doc["reexpressed"] = edges_json(diff.reexpressed, "same");
  ordered_json renamed = ordered_json::array();
  for (const auto& rn : diff.renames) renamed.push_back({{"old", rn.old_id}, {"new", rn.new_id}});
  doc["renamed"] = renamed;
  ordered_json exposure = ordered_json::array();
  for (const auto& x : diff.exposure)
    exposure.push_back(
        {{"change", std::string(graph::change_name(x.change))},
         {"node", x.node},
         {"path", x.path},
         {"oldHops", x.old_hops ? ordered_json(x.old_hops) : ordered_json(nullptr)}});
  doc["exposure"] = exposure;
  if (!diff.groups.empty()) doc["groups"] = diff.groups;
  out << doc.dump(2) << "\n";
}

}  // namespace netpol::exporters
