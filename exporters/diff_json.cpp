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
  for (const auto& e : list) {
    ordered_json json = {{"change", std::string(label ? label : graph::change_name(e.change))},
                         {"from", e.from},
                         {"to", e.to},
                         {"was", e.was.empty() ? ordered_json(nullptr) : ordered_json(e.was)},
                         {"oldPorts", ports_json(e.old_ports)},
                         {"newPorts", ports_json(e.new_ports)},
                         {"addedPorts", ports_json(e.added_ports)},
                         {"removedPorts", ports_json(e.removed_ports)}};
    json["addresses"] =
        e.addresses ? ordered_json{{"change", std::string(graph::change_name(*e.addresses))},
                                   {"old", e.old_addresses},
                                   {"new", e.new_addresses}}
                    : ordered_json(nullptr);
    json["provenance"] = {
        {"old", {{"egress", keys_json(e.old_egress)}, {"ingress", keys_json(e.old_ingress)}}},
        {"new", {{"egress", keys_json(e.new_egress)}, {"ingress", keys_json(e.new_ingress)}}}};
    json["removedBy"] = keys_json(e.removed_by);
    json["changedBy"] = keys_json(e.changed_by);
    // A change listed once for many service pairs: the groups at its ends (`groups`).
    if (e.from_group) json["fromGroup"] = *e.from_group;
    if (e.to_group) json["toGroup"] = *e.to_group;
    if (e.pairs > 1) json["pairs"] = e.pairs;
    edges.push_back(json);
  }
  return edges;
}

}  // namespace

void write_diff_json(const graph::DiffReport& report, std::ostream& out) {
  const graph::Diff& d = report.diff;
  ordered_json doc;
  doc["schemaVersion"] = kDiffSchemaVersion;
  doc["identical"] = d.empty();
  doc["widens"] = d.widens();
  doc["policiesEnabled"] = {{"old", d.old_enabled}, {"new", d.new_enabled}};
  ordered_json services = ordered_json::array();
  for (const auto& s : d.services)
    services.push_back({{"change", std::string(graph::change_name(s.change))},
                        {"name", s.name},
                        {"location", s.where.where.str()}});
  doc["services"] = services;
  doc["edges"] = edges_json(d.edges);
  doc["redundant"] = edges_json(d.redundant);
  doc["reexpressed"] = edges_json(d.reexpressed, "same");
  ordered_json renamed = ordered_json::array();
  for (const auto& rn : d.renames) renamed.push_back({{"old", rn.old_id}, {"new", rn.new_id}});
  doc["renamed"] = renamed;
  ordered_json exposure = ordered_json::array();
  for (const auto& x : d.exposure)
    exposure.push_back(
        {{"change", std::string(graph::change_name(x.change))},
         {"node", x.node},
         {"path", x.path},
         {"oldHops", x.old_hops ? ordered_json(x.old_hops) : ordered_json(nullptr)}});
  doc["exposure"] = exposure;
  if (!d.groups.empty()) doc["groups"] = d.groups;
  out << doc.dump(2) << "\n";
}

}  // namespace netpol::exporters
