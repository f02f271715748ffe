#include "graph/read/read_manifests.hpp"

#include <iterator>
#include <set>

#include "graph/read/manifest_reader.hpp"
#include "graph/rules/node_ids.hpp"

namespace netpol::graph {

namespace manifests_detail {

std::optional<Cursor> pod_template(const std::string& kind, const Cursor& obj) {
  static const std::set<std::string> templated = {"Deployment", "StatefulSet", "DaemonSet",
                                                  "ReplicaSet", "Job"};
  if (templated.count(kind)) return obj["spec"]["template"];
  if (kind == "CronJob") return obj["spec"]["jobTemplate"]["spec"]["template"];
  if (kind == "Pod") return obj;
  return std::nullopt;
}

void add_selector(const std::optional<LabelSelector>& s, PodSelectors& out) {
  if (s && !s->empty()) out.try_emplace(s->str(), *s);
}

void add_selectors(const std::vector<Peer>& peers, PodSelectors& out) {
  for (const Peer& p : peers) add_selector(p.pods, out);
}

std::string text_of(const Cursor& cursor, const char* what) {
  if (!cursor.present() || !cursor.value()->is_scalar())
    cursor.fail(std::string("expected ") + what + ", got " +
                (cursor.value() ? values::describe(*cursor.value()) : std::string("nothing")));
  return cursor.as_string();
}

// An object's kind: its own, or, for an item of a typed list without one, the list's
// ("PodList" -> "Pod"). `item` names the object in errors ("a PodList item"), or is empty.
std::string kind_of(const Cursor& obj, const std::string& list, const std::string& item) {
  if (obj["kind"].present() || list.empty() || list == "List") {
    if (!obj["kind"].present())
      obj.fail((item.empty() ? std::string("a Kubernetes object") : item) +
               " has no kind (expected one, as apiVersion: v1, kind: Pod)");
    return text_of(obj["kind"], "a kind, as every Kubernetes object has");
  }
  return list.substr(0, list.size() - 4);
}

Warning api_would_refuse(const Cursor& at, std::string message, std::string fix) {
  Warning warning;
  warning.code = "api-would-refuse";
  warning.where = {at.path(), at.where()};
  warning.message = std::move(message);
  warning.fix = std::move(fix);
  return warning;
}

Labels read_labels(const Cursor& cursor, std::vector<Warning>* warnings) {
  Labels out;
  for (const auto& [k, v] : cursor.entries()) {
    std::string value = text_of(v, "a label value");
    check_label_key(v, k);
    if (std::string why = label_value_problem(value); !why.empty() && warnings) {
      warnings->push_back(
          api_would_refuse(v,
                           "\"" + value + "\" is not a Kubernetes label value: " + why +
                               "; read as it is, as netpol-analyzer reads it",
                           "Correct the value: kubectl refuses the object as it is."));
      out[k] = value;
      continue;
    }
    out[k] = read_label_value(v);
  }
  return out;
}

std::vector<NamedPort> read_container_ports(const Cursor& pod_spec,
                                            std::vector<Warning>& warnings) {
  std::vector<NamedPort> out;
  for (const Cursor& container : pod_spec["containers"].items())
    for (const Cursor& cursor : container["ports"].items()) {
      if (cursor.is_map() && !cursor["containerPort"].present()) {
        warnings.push_back(api_would_refuse(
            cursor,
            "a container port without containerPort, which the API requires; left out, as "
            "netpol-analyzer leaves it",
            "Write containerPort (the keys of the entry say whether it is misspelt)."));
        continue;
      }
      NamedPort np;
      np.port = read_port_number(cursor["containerPort"]);
      if (cursor["protocol"].present()) np.protocol = cursor["protocol"].parse(parse_protocol);
      if (cursor["name"].present()) np.name = read_port_name(cursor["name"]);
      out.push_back(np);
    }
  return out;
}

bool is_dns_rule(const Rule& r) {
  if (!r.any_peer || r.ports.is_all() || r.ports.empty()) return false;
  return r.ports.subset_of(PortSet::dns());
}

void classify(Rule& rule, bool egress) {
  if (egress && is_dns_rule(rule)) {
    rule.origin = RuleOrigin::Dns;
    return;
  }
  if (rule.peers.size() != 1) return;
  const Peer& peer = rule.peers[0];
  if (egress && peer.ip_block) rule.origin = RuleOrigin::ExternalEgress;
  if (peer.pods && !peer.namespaces)
    if (std::string app = single_app(*peer.pods); !app.empty()) {
      rule.origin = RuleOrigin::PeerApp;
      rule.name = app;
    }
}

Chart ManifestReader::read(const std::vector<values::Value>& docs) {
  // Kubernetes keeps one object per kind, namespace and name: of the same object given
  // twice, the last is what `kubectl apply` of the stream leaves. A first pass finds it.
  counting_ = true;
  for (const values::Value& d : docs) read_object(Cursor(&d, "", d.loc), "", "");
  counting_ = false;
  ordinal_ = 0;
  for (const values::Value& d : docs) read_object(Cursor(&d, "", d.loc), "", "");
  Chart chart;
  if (!ignored_.empty()) warnings_.push_back(ignored_kinds());
  chart.warnings = std::move(warnings_);
  chart.enabled = true;
  chart.from_manifests = true;
  if (!docs.empty()) chart.enabled_at = Provenance{"(manifests)", docs.front().loc};
  const std::vector<Grouped> grouped = by_owner(chart.warnings);
  chart.ns = main_namespace(grouped);
  chart.ns_labels = namespace_labels(chart.ns);
  std::map<std::pair<std::string, std::string>, int> names;  // (ns, name) -> count
  for (const Grouped& g : grouped) ++names[{g.w.ns, g.w.name}];
  std::vector<const AdminPolicy*> admin;
  for (const AdminPolicy& p : admin_) admin.push_back(&p);
  for (Warning& w : admin_policy_warnings(admin_)) chart.warnings.push_back(std::move(w));
  chart.services.reserve(grouped.size());
  for (const Grouped& group : grouped) {
    const Workload& w = group.w;
    Service service;
    // A workload of the main namespace by its name, unless that is a node id of the graph's
    // own (`dns`): then, as another namespace's, by namespace and name.
    service.name = w.ns == chart.ns && !is_reserved_node_id(w.name) ? w.name : w.ns + "/" + w.name;
    if (names[{w.ns, w.name}] > 1) service.name += "[" + w.kind + "]";
    service.kind = group.id.kind;
    service.workload = group.id.name;
    service.pods = group.pods;
    service.labels = w.labels;
    service.ports = w.ports;
    service.ns = w.ns;
    service.ns_labels = namespace_labels(w.ns);
    service.defined_at = w.at;
    service.ingress_from_key = service.egress_to_key = service.allow_external_key =
        service.allow_external_egress_key = w.at;
    apply_policies(service, w);
    apply_admin_policies(service, admin);
    chart.services.push_back(std::move(service));
  }
  add_ingress_controller(chart);
  chart.admin_policies = std::move(admin_);
  sort_by_decision(chart.admin_policies);
  return chart;
}

// An object, or a list's item (`list`: the list's kind, whose items may leave out their
// own kind: a NetworkPolicyList's items are NetworkPolicies).
void ManifestReader::read_object(const Cursor& obj, const std::string& list_path,
                                 const std::string& list) {
  const std::string item = list.empty() ? "" : "a " + list + " item";
  if (!obj.is_map())
    obj.fail("expected " + (item.empty() ? std::string("a Kubernetes object") : item) +
             " (a map with apiVersion and kind), got " + values::describe(*obj.value()));
  const std::string kind = kind_of(obj, list, item);
  // What `kubectl get -o yaml` prints: a List, or a typed list (NetworkPolicyList, ...).
  if (kind.size() >= 4 && kind.compare(kind.size() - 4, 4, "List") == 0) {
    if (obj["items"].present() && !obj["items"].value()->is_seq())
      obj["items"].fail("expected the " + kind + "'s items as a list, got " +
                        values::describe(*obj["items"].value()));
    for (const Cursor& i : obj["items"].items()) read_object(i, i.path(), kind);
    return;
  }
  Cursor meta = obj["metadata"];
  if (!meta["name"].present())
    (meta.present() ? meta : obj)
        .fail((item.empty() ? "a " + kind : item) +
              " has no metadata.name (every Kubernetes object is named there)");
  std::string name = text_of(meta["name"], "metadata.name");
  // A namespace's name is a label value everywhere: it must be one. Another object's name
  // the API would refuse is read as it is, as netpol-analyzer reads it, with a warning.
  std::string bad_name;  // why the API would refuse the name (not a namespace's)
  if (kind == "Namespace") {
    if (std::string why = dns1123_label_problem(name); !why.empty())
      meta["name"].fail("\"" + name + "\" cannot name a Kubernetes " + kind + ": " + why);
  } else {
    bad_name = dns1123_subdomain_problem(name);
  }
  std::string ns = default_ns_;
  if (meta["namespace"].present()) {
    ns = text_of(meta["namespace"], "a namespace");
    if (std::string why = dns1123_label_problem(ns); !why.empty())
      meta["namespace"].fail("\"" + ns + "\" cannot name a Kubernetes namespace: " + why);
  }
  const bool admin = kind == "AdminNetworkPolicy" || kind == "BaselineAdminNetworkPolicy";
  // Namespaces and the admin policies are cluster-scoped: named without a namespace.
  std::string id = kind + "/" + (kind == "Namespace" || admin ? "" : ns + "/") + name;
  // Paths name the object, so provenance reads "NetworkPolicy/prod/api.spec.ingress[0]".
  Cursor at(obj.value(), list_path.empty() ? id : list_path + "(" + id + ")", obj.where());
  std::size_t ordinal = ordinal_++;
  if (counting_) {
    auto [it, first] = last_.try_emplace(id, ordinal, obj.where());
    if (!first) it->second = {ordinal, obj.where()};
    return;
  }
  if (!bad_name.empty()) {
    warnings_.push_back(api_would_refuse(at["metadata"]["name"],
                                         "\"" + name + "\" cannot name a Kubernetes " + kind +
                                             ": " + bad_name +
                                             "; read as it is, as netpol-analyzer reads it",
                                         "Rename it: kubectl refuses the object as it is."));
  }
  if (auto it = last_.find(id); it != last_.end() && it->second.first != ordinal) {
    Warning w;
    w.code = "duplicate-object";
    w.where = Provenance{at.path(), obj.where()};
    w.message = "the same object is given again at " + it->second.second.str() +
                "; the last one is read, as kubectl apply of the stream would leave it";
    w.fix = "Remove one of the two, or give them different names.";
    warnings_.push_back(std::move(w));
    return;
  }
  read_kind(at, kind, id, name, ns);
}

// A Namespace, Service, Ingress, Route, admin policy, NetworkPolicy or workload (its pods),
// by its kind; another kind is counted as not modelled.
void ManifestReader::read_kind(const Cursor& at, const std::string& kind, const std::string& id,
                               const std::string& name, const std::string& ns) {
  if (kind == "Namespace") {
    ns_labels_[name] = read_labels(at["metadata"]["labels"], &warnings_);
  } else if (kind == "Service") {
    read_service(at, name, ns);
  } else if (kind == "Ingress") {
    read_ingress(at, id, ns);
  } else if (kind == "Route" && at["apiVersion"].present() &&
             at["apiVersion"].as_string().rfind("route.openshift.io/", 0) == 0) {
    read_route(at, id, ns);
  } else if (kind == "AdminNetworkPolicy" || kind == "BaselineAdminNetworkPolicy") {
    read_admin(at, kind);
  } else if (kind == "NetworkPolicy") {
    explained(unknown_policy_keys(*at.value(), at.path()), [&] { read_policy(at, name, ns); });
  } else if (auto tmpl = pod_template(kind, at)) {
    read_workload(at, *tmpl, kind, name, ns);
  } else {
    if (ignored_.empty()) first_ignored_ = at.where();
    ++ignored_[kind];
  }
}

void ManifestReader::read_admin(const Cursor& at, const std::string& kind) {
  if (!at["apiVersion"].present() ||
      at["apiVersion"].as_string().rfind("policy.networking.k8s.io/", 0) != 0)
    (at["apiVersion"].present() ? at["apiVersion"] : at)
        .fail("expected apiVersion policy.networking.k8s.io/v1alpha1 for a " + kind);
  const bool baseline = kind == "BaselineAdminNetworkPolicy";
  if (baseline)
    for (const AdminPolicy& p : admin_)
      if (p.baseline)
        at.fail("a second BaselineAdminNetworkPolicy (the first is at " + p.at.where.str() +
                "); the API admits one, named default");
  admin_.push_back(read_admin_policy(at, baseline, warnings_));
}

// A workload's pods, from its pod template `tmpl` (a Pod's is the object itself).
void ManifestReader::read_workload(const Cursor& at, const Cursor& tmpl, const std::string& kind,
                                   const std::string& name, const std::string& ns) {
  Cursor pod_spec = tmpl["spec"];
  std::vector<Warning> unknown;
  if (pod_spec.present()) unknown = unknown_container_port_keys(*pod_spec.value(), pod_spec.path());
  explained(std::move(unknown), [&] {
    Workload workload{kind,
                      name,
                      ns,
                      read_labels(tmpl["metadata"]["labels"], &warnings_),
                      read_container_ports(pod_spec, warnings_),
                      prov(at),
                      {},
                      {}};
    read_controller(at["metadata"]["ownerReferences"], workload);
    workloads_.push_back(std::move(workload));
  });
}

// One warning for every object of a kind netpol-graph does not model, counted by kind.
Warning ManifestReader::ignored_kinds() const {
  std::size_t total = 0;
  std::string kinds;
  for (const auto& [kind, count] : ignored_) {
    total += count;
    kinds += (kinds.empty() ? "" : ", ") + kind + " (" + std::to_string(count) + ")";
  }
  Warning warning;
  warning.where.where = first_ignored_;
  warning.code = "unmodelled-kind";
  warning.message = "read and ignored " + std::to_string(total) +
                    (total == 1 ? " object" : " objects") +
                    " of kinds netpol-graph does not model: " + kinds;
  warning.fix =
      "Nothing to do if these kinds do not affect network access; docs/manifests.md "
      "lists the kinds that are read.";
  return warning;
}
}  // namespace manifests_detail

const values::SkipFields& manifest_skip() {
  static const values::SkipFields skip = [] {
    std::vector<std::string> patterns = {"status", "items.*.@",
                                         "metadata.!name,namespace,labels,ownerReferences",
                                         "metadata.ownerReferences.*.!kind,name,controller"};
    // A workload's pod template and a CronJob's: only the labels and the containers.
    for (const char* tmpl : {"spec.template", "spec.jobTemplate.spec.template"}) {
      const std::string at(tmpl);
      patterns.push_back(at + ".metadata.!labels");
      patterns.push_back(at + ".spec.!containers");
      patterns.push_back(at + ".spec.containers.*.!name,ports");
    }
    // A Pod's spec is the object's: the keys only a pod spec has (not `priority`, which an
    // AdminNetworkPolicy's spec has too).
    patterns.push_back("spec.containers.*.!name,ports");
    for (const char* unread :
         {"initContainers",   "ephemeralContainers", "volumes",
          "affinity",         "tolerations",         "topologySpreadConstraints",
          "dnsPolicy",        "dnsConfig",           "nodeName",
          "nodeSelector",     "restartPolicy",       "schedulerName",
          "serviceAccount",   "serviceAccountName",  "terminationGracePeriodSeconds",
          "securityContext",  "priorityClassName",   "enableServiceLinks",
          "preemptionPolicy", "imagePullSecrets",    "hostname",
          "subdomain",        "readinessGates",      "runtimeClassName",
          "overhead"})
      patterns.push_back(std::string("spec.") + unread);
    return values::SkipFields(patterns);
  }();
  return skip;
}

Chart read_manifests(const std::vector<values::Value>& documents, const std::string& default_ns) {
  return manifests_detail::ManifestReader(default_ns).read(documents);
}

}  // namespace netpol::graph
