// manifests: pods grouped under their controllers, as a reviewer names workloads.

#include "graph/read/manifest_reader.hpp"

namespace netpol::graph::manifests_detail {

// The controller among an object's ownerReferences (`controller: true`), as the
// Kubernetes garbage collector and netpol-analyzer take it; a Node (a static pod's mirror)
// is no workload. The API requires the reference's kind and name: without a kind it is
// read with none (the pod is grouped under the name), without a name it is left out,
// each with a warning, as netpol-analyzer reads them.
void ManifestReader::read_controller(const Cursor& refs, Workload& w) {
  if (!refs.present()) return;
  if (!refs.value()->is_seq())
    refs.fail("expected ownerReferences as a list, got " + values::describe(*refs.value()));
  for (const Cursor& cursor : refs.items()) {
    if (!cursor["controller"].present() || !cursor["controller"].value()->is_scalar() ||
        cursor["controller"].as_string() != "true")
      continue;
    std::string kind = cursor["kind"].present() ? text_of(cursor["kind"], "the owner's kind") : "";
    if (kind == "Node") return;
    std::string name = cursor["name"].present() ? text_of(cursor["name"], "the owner's name") : "";
    if (kind.empty() || name.empty()) {
      warnings_.push_back(api_would_refuse(
          cursor,
          std::string("an ownerReference without ") + (name.empty() ? "name" : "kind") +
              ", which the API requires; " +
              (name.empty() ? "left out (the pod is its own workload)"
                            : "the pods are grouped under \"" + name + "\" of no kind") +
              ", as netpol-analyzer reads it",
          "Write the owner's kind and name (kubectl get -o yaml of the owner)."));
      if (name.empty()) return;
    }
    w.owner_kind = std::move(kind);
    w.owner_name = std::move(name);
    return;
  }
}

// The controller a pod or pod template belongs to: its ownerReferences followed through
// the objects given (a Pod to its ReplicaSet to its Deployment; a Job to its CronJob). A
// controller that is not given ends the walk; a ReplicaSet that is not given but whose
// name is `<name>-<pod-template-hash>` of the pod is Deployment <name>, as the Deployment
// controller names them.
WorkloadId ManifestReader::controller_of(const Workload& workload,
                                         const std::map<WorkloadId, std::size_t>& given) const {
  WorkloadId id{workload.ns, workload.kind, workload.name};
  std::string kind = workload.owner_kind, name = workload.owner_name;
  for (int hops = 0; !name.empty() && hops < 8; ++hops) {  // 8: an ownership cycle ends
    id.kind = kind;
    id.name = name;
    auto it = given.find(id);
    if (it == given.end()) {
      auto hash = workload.labels.find(kPodTemplateHash);
      if (id.kind == "ReplicaSet" && hash != workload.labels.end() && !hash->second.empty() &&
          id.name.size() > hash->second.size() + 1 &&
          id.name.compare(id.name.size() - hash->second.size() - 1, std::string::npos,
                          "-" + hash->second) == 0) {
        id.kind = "Deployment";
        id.name.resize(id.name.size() - hash->second.size() - 1);
      }
      break;
    }
    kind = workloads_[it->second].owner_kind;
    name = workloads_[it->second].owner_name;
  }
  return id;
}

// Every pod selector of the input: policies, admin policies, Services.
PodSelectors ManifestReader::pod_selectors() const {
  PodSelectors out;
  for (const Policy& policy : policies_) {
    add_selector(policy.pods, out);
    for (const Rule& r : policy.ingress_rules) add_selectors(r.peers, out);
    for (const Rule& r : policy.egress_rules) add_selectors(r.peers, out);
  }
  for (const AdminPolicy& p : admin_) {
    add_selector(p.subject.pods, out);
    for (const AdminRule& r : p.ingress) add_selectors(r.match.peers, out);
    for (const AdminRule& r : p.egress) add_selectors(r.match.peers, out);
  }
  for (const ServiceObject& object : services_)
    if (object.selector) {
      LabelSelector sel;
      for (const auto& [k, v] : *object.selector) sel.add_equals(k, v);
      add_selector(sel, out);
    }
  return out;
}

// The workloads, pods grouped under their controller (`controller_of`): one per
// controller, named by it. Where pods are given they stand for their controller's
// template (a cluster dump holds both); where none are, the controller's own template
// (else every template under it). Pods of one controller that some selector of the input
// tells apart, or that differ in container ports, are kept apart, each kind named by its
// first pod, and a `replicas-differ` warning says so. The first pod's labels stand for the
// others: every selector of the input matches them alike.
std::vector<ManifestReader::Grouped> ManifestReader::by_owner(
    std::vector<Warning>& warnings) const {
  std::map<WorkloadId, std::size_t> given;
  for (std::size_t i = 0; i < workloads_.size(); ++i)
    given.emplace(WorkloadId{workloads_[i].ns, workloads_[i].kind, workloads_[i].name}, i);
  std::map<WorkloadId, std::vector<std::size_t>> members;
  std::vector<WorkloadId> order;  // input order of each controller's first member
  for (std::size_t i = 0; i < workloads_.size(); ++i) {
    WorkloadId id = controller_of(workloads_[i], given);
    auto [it, first] = members.try_emplace(id);
    if (first) order.push_back(id);
    it->second.push_back(i);
  }
  const PodSelectors selectors = pod_selectors();
  std::vector<Grouped> out;
  out.reserve(order.size());
  for (const WorkloadId& id : order) {
    const std::vector<std::size_t>& all = members[id];
    std::vector<std::size_t> pods, own;
    for (std::size_t i : all) {
      const Workload& w = workloads_[i];
      if (w.kind == "Pod") pods.push_back(i);
      if (w.kind == id.kind && w.name == id.name) own.push_back(i);
    }
    const std::vector<std::size_t>& use = !pods.empty() ? pods : !own.empty() ? own : all;
    // Alike: matched by the same selectors, with the same container ports.
    std::map<std::string, std::vector<std::size_t>> kinds;
    std::vector<const std::vector<std::size_t>*> kind_order;
    for (std::size_t i : use) {
      const Workload& workload = workloads_[i];
      std::string key;
      for (const auto& kv : selectors) key += kv.second.matches(workload.labels) ? '1' : '0';
      key += '\n';
      for (const NamedPort& p : workload.ports)
        key += std::to_string(p.port) + "/" + std::string(protocol_name(p.protocol)) + "/" +
               p.name + '\n';
      auto [it, first] = kinds.try_emplace(std::move(key));
      if (first) kind_order.push_back(&it->second);
      it->second.push_back(i);
    }
    for (const std::vector<std::size_t>* alike : kind_order) {
      Grouped grouped;
      grouped.w = workloads_[alike->front()];
      grouped.id = id;
      for (std::size_t i : *alike)
        if (workloads_[i].kind == "Pod") ++grouped.pods;
      if (kind_order.size() == 1) {
        grouped.w.kind = id.kind;
        grouped.w.name = id.name;
      }
      out.push_back(std::move(grouped));
    }
    if (kind_order.size() > 1) warnings.push_back(replicas_differ(id, kind_order));
  }
  return out;
}

Warning ManifestReader::replicas_differ(
    const WorkloadId& id, const std::vector<const std::vector<std::size_t>*>& kinds) const {
  std::string apart;
  for (const std::vector<std::size_t>* alike : kinds) {
    const Workload& w = workloads_[alike->front()];
    apart += (apart.empty() ? "" : ", ") + w.ns + "/" + w.name;
    if (alike->size() > 1) apart += " (and " + std::to_string(alike->size() - 1) + " alike)";
  }
  const Workload& second = workloads_[kinds[1]->front()];
  Warning warning;
  warning.code = "replicas-differ";
  warning.where = second.at;
  warning.message = id.ns + "/" + id.name + "[" + id.kind +
                    "] has pods that a selector tells apart or that differ in container ports "
                    "(a rollout in progress, or pods changed by hand): kept apart as " +
                    apart;
  warning.fix =
      "Nothing, if a rollout is under way; else make the pods alike (or see why a "
      "selector reads a label they do not share).";
  return warning;
}

Rule ManifestReader::unrestricted(const Workload& workload) {
  Rule rule;
  rule.origin = RuleOrigin::Unrestricted;
  rule.any_peer = true;
  rule.ports = PortSet::all();
  rule.provenance.push_back(
      Provenance{workload.at.path + " (selected by no NetworkPolicy)", workload.at.where});
  return rule;
}

// The namespace most workloads are in (ties: the first by name); without workloads, the
// default namespace.
std::string ManifestReader::main_namespace(const std::vector<Grouped>& grouped) const {
  std::map<std::string, int> count;
  for (const Grouped& g : grouped) ++count[g.w.ns];
  std::string best = default_ns_;
  int most = 0;
  for (const auto& [ns, n] : count)
    if (n > most) best = ns, most = n;
  return best;
}

Labels ManifestReader::namespace_labels(const std::string& ns) const {
  Labels out;
  if (auto it = ns_labels_.find(ns); it != ns_labels_.end()) out = it->second;
  out[kNameLabel] = ns;  // set by the API server on every namespace
  return out;
}
}  // namespace netpol::graph::manifests_detail
