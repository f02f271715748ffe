// manifests: NetworkPolicies read, and applied to a workload.

#include "graph/read/manifest_reader.hpp"

namespace netpol::graph::manifests_detail {

void ManifestReader::read_policy(const Cursor& obj, const std::string& name,
                                 const std::string& ns) {
  Cursor spec = obj["spec"];
  Policy policy;
  policy.name = name;
  policy.ns = ns;
  // The API decodes a null or absent podSelector as {}: every pod of the namespace.
  if (spec["podSelector"].present()) policy.pods = read_selector(spec["podSelector"]);
  for (const Cursor& r : spec["ingress"].items())
    policy.ingress_rules.push_back(read_raw_rule(r, true));
  for (const Cursor& r : spec["egress"].items())
    policy.egress_rules.push_back(read_raw_rule(r, false));
  for (Rule& r : policy.ingress_rules) classify(r, false);
  for (Rule& r : policy.egress_rules) classify(r, true);
  Cursor types = spec["policyTypes"];
  if (types.present()) {
    for (const Cursor& cursor : types.items()) {
      std::string type = text_of(cursor, "a policy type");
      if (type == "Ingress")
        policy.ingress = true, policy.ingress_at = prov(cursor);
      else if (type == "Egress")
        policy.egress = true, policy.egress_at = prov(cursor);
      else
        cursor.fail("unknown policy type \"" + type + "\" (expected Ingress or Egress)");
    }
  } else {
    // As the API server defaults it: Ingress always, Egress when there are egress rules.
    policy.ingress = true;
    policy.ingress_at = prov(spec["podSelector"]);
    policy.egress = !policy.egress_rules.empty();
    policy.egress_at = prov(spec["egress"]);
  }
  policies_.push_back(std::move(policy));
}

// Every policy of the workload's namespace selecting its pods adds its rules; a direction
// that no selecting policy isolates allows everything.
void ManifestReader::apply_policies(Service& service, const Workload& workload) const {
  bool ingress = false, egress = false;
  for (const Policy& policy : policies_) {
    if (policy.ns != workload.ns || !policy.pods.matches(workload.labels)) continue;
    if (policy.ingress) {
      if (!ingress) service.ingress_from_key = service.allow_external_key = policy.ingress_at;
      ingress = true;
      service.ingress.insert(service.ingress.end(), policy.ingress_rules.begin(),
                             policy.ingress_rules.end());
    }
    if (policy.egress) {
      if (!egress) service.egress_to_key = service.allow_external_egress_key = policy.egress_at;
      egress = true;
      service.egress.insert(service.egress.end(), policy.egress_rules.begin(),
                            policy.egress_rules.end());
    }
  }
  if (!ingress) service.ingress.push_back(unrestricted(workload));
  if (!egress) service.egress.push_back(unrestricted(workload));
  service.ingress_isolated = ingress;
  service.egress_isolated = egress;
}
}  // namespace netpol::graph::manifests_detail
