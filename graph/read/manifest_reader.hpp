#pragma once
// Inside read_manifests (graph/read/read_manifests.hpp): the ManifestReader and what its parts
// share. read_manifests.cpp reads the objects (and the helpers every part uses),
// manifests_workloads.cpp groups pods under their controllers, manifests_ingress.cpp reads
// Services, Ingresses and Routes and adds the ingress controller, manifests_policies.cpp reads
// NetworkPolicies and applies them to a workload. Only those files include this header.

#include <algorithm>
#include <iterator>
#include <map>
#include <set>
#include <tuple>

#include "error.hpp"
#include "graph/read/admin.hpp"
#include "graph/read/k8s_names.hpp"
#include "graph/read/key_check.hpp"
#include "graph/read/read_manifests.hpp"
#include "graph/read/read_rules.hpp"
#include "values/cursor.hpp"

namespace netpol::graph::manifests_detail {

using values::Cursor;

inline const std::string kNameLabel(kNamespaceNameLabel);

// Where the pod template of each workload kind is.
std::optional<Cursor> pod_template(const std::string& kind, const Cursor& obj);

// An object that makes pods: a Pod, or a workload with a pod template. Its controller is
// the ownerReference marked `controller: true` (a Node owning a static pod is none).
struct Workload {
  std::string kind, name, ns;
  Labels labels;
  std::vector<NamedPort> ports;
  Provenance at;
  std::string owner_kind, owner_name;  // its controller, or empty
};

// The workload a pod belongs to, as a reviewer names it (netpol-analyzer's `ns/name[Kind]`).
struct WorkloadId {
  std::string ns, kind, name;
  bool operator<(const WorkloadId& o) const {
    return std::tie(ns, kind, name) < std::tie(o.ns, o.kind, o.name);
  }
};

// Labels the Deployment and StatefulSet controllers give each revision's pods: a Deployment's
// ReplicaSet is named `<deployment>-<pod-template-hash>`.
constexpr const char* kPodTemplateHash = "pod-template-hash";

// The pod selectors of the input, each once (by its canonical text): pods of one workload
// that every one of them matches alike (a rollout's pods differ in pod-template-hash only)
// are alike for every verdict.
using PodSelectors = std::map<std::string, LabelSelector>;

void add_selector(const std::optional<LabelSelector>& s, PodSelectors& out);

void add_selectors(const std::vector<Peer>& peers, PodSelectors& out);

// A Service: which pods it selects, and which of their ports each of its ports forwards to.
struct ServiceObject {
  std::string ns, name;
  std::optional<Labels> selector;  // absent: it selects no pods (endpoints kept by hand)
  struct Port {
    std::string name;
    int port = 0;
    Protocol protocol = Protocol::TCP;
    int target = 0;           // targetPort as a number, or
    std::string target_name;  // as a container port's name
  };
  std::vector<Port> ports;
};

// An Ingress or Route backend: the Service (in the object's namespace) and its port. An
// Ingress names the Service's port (number or name); a Route's `port.targetPort` names it by
// name, or by the number of the port or of its target (netpol-analyzer's reading of the
// router's rule), and a Route without one reaches every port of the Service.
struct Backend {
  std::string ingress, ns, service;  // ingress: "Ingress/shop/web" or "Route/shop/web"
  int port = 0;
  std::string port_name;
  bool route = false;
  Provenance at;

  bool admits(const ServiceObject::Port& p) const {
    if (!route) return port_name.empty() ? p.port == port : p.name == port_name;
    if (!port_name.empty()) return p.name == port_name || p.target_name == port_name;
    return port == 0 || p.port == port || (p.target_name.empty() && p.target == port);
  }
  std::string port_text() const {
    return port_name.empty() ? port == 0 ? "any" : std::to_string(port) : port_name;
  }
};

struct Policy {
  std::string name, ns;
  LabelSelector pods;
  bool ingress = false, egress = false;  // the policy types it isolates
  std::vector<Rule> ingress_rules, egress_rules;
  Provenance ingress_at, egress_at;  // where each type comes from, for explanations
};

std::string text_of(const Cursor& c, const char* what);

// What the API server would refuse, read as netpol-analyzer reads it: a warning at `at`
// saying what was assumed (`--strict`: an error).
Warning api_would_refuse(const Cursor& at, std::string message, std::string fix);

// An object's labels (a Service's selector: `warnings` null). A label value the API would
// refuse (`ns-udn-a/udn-a`, in netpol-analyzer's suite) is read as it is, with a warning: a
// selector matches it only by that same text.
Labels read_labels(const Cursor& c, std::vector<Warning>* warnings);

// Named container ports of a pod spec (containers only: init containers serve no traffic).
// A port without containerPort (the API requires it; `containerport: 8080` is such a typo)
// is left out, as netpol-analyzer leaves it, with a warning (api-would-refuse).
std::vector<NamedPort> read_container_ports(const Cursor& pod_spec, std::vector<Warning>& warnings);

// An egress rule to every destination on DNS's port only is the DNS rule (drawn as DNS).
bool is_dns_rule(const Rule& r);

// Gives a rule read from a manifest the origin of the chart feature that renders that shape,
// so both inputs draw and tabulate alike: to every destination on 53 only is DNS; to one
// ipBlock is an external destination (named by the profile's ports); to or from pods `app: x`
// of the namespace is a peer entry for x.
void classify(Rule& r, bool egress);

class ManifestReader {
 public:
  explicit ManifestReader(std::string default_ns) : default_ns_(std::move(default_ns)) {
    check_release_namespace(default_ns_);
  }

  Chart read(const std::vector<values::Value>& docs);

 private:
  // An object, or a list's item (`list`: the list's kind, whose items may leave out their
  // own kind: a NetworkPolicyList's items are NetworkPolicies).
  void read_object(const Cursor& obj, const std::string& list_path, const std::string& list);
  void read_kind(const Cursor& at, const std::string& kind, const std::string& id,
                 const std::string& name, const std::string& ns);
  void read_admin(const Cursor& at, const std::string& kind);
  void read_workload(const Cursor& at, const Cursor& tmpl, const std::string& kind,
                     const std::string& name, const std::string& ns);

  // The controller among an object's ownerReferences (`controller: true`), as the
  // Kubernetes garbage collector and netpol-analyzer take it; a Node (a static pod's mirror)
  // is no workload. The API requires the reference's kind and name: without a kind it is
  // read with none (the pod is grouped under the name), without a name it is left out,
  // each with a warning, as netpol-analyzer reads them.
  void read_controller(const Cursor& refs, Workload& w);

  void read_service(const Cursor& obj, const std::string& name, const std::string& ns);

  // Every backend of an Ingress: spec.defaultBackend and each rule's paths.
  void read_ingress(const Cursor& obj, const std::string& id, const std::string& ns);

  // An OpenShift Route (route.openshift.io/v1): `spec.to` and each `alternateBackends`
  // entry, a Service of the Route's namespace (another kind is left out with a warning),
  // on `spec.port.targetPort`, or every port of the Service when the Route names none.
  void read_route(const Cursor& obj, const std::string& id, const std::string& ns);

  // The ingress controller, when some Ingress routes somewhere: a source any outside client
  // reaches on 80 and 443, sending to each backend's pods on the Service's target ports. Its
  // namespace and labels are unknown, so a policy admits it only where it admits any pod
  // of the cluster (netpol-analyzer's rule; its issue #235).
  void add_ingress_controller(Chart& chart) const;

  // One warning for every object of a kind netpol-graph does not model, counted by kind.
  Warning ignored_kinds() const;

  void read_policy(const Cursor& obj, const std::string& name, const std::string& ns);

  // Every policy of the workload's namespace selecting its pods adds its rules; a direction
  // that no selecting policy isolates allows everything.
  void apply_policies(Service& s, const Workload& w) const;

  // A workload as the table and the graph show it: pods grouped under their controller.
  struct Grouped {
    Workload w;     // what is drawn: the controller's name and kind, the pods' labels and ports
    WorkloadId id;  // the controller (or the pod or object itself, when it has none)
    std::size_t pods = 0;  // the pods given (0: a pod template, as in a repository)
  };

  // The controller a pod or pod template belongs to: its ownerReferences followed through
  // the objects given (a Pod to its ReplicaSet to its Deployment; a Job to its CronJob). A
  // controller that is not given ends the walk; a ReplicaSet that is not given but whose
  // name is `<name>-<pod-template-hash>` of the pod is Deployment <name>, as the Deployment
  // controller names them.
  WorkloadId controller_of(const Workload& w, const std::map<WorkloadId, std::size_t>& given) const;

  // Every pod selector of the input: policies, admin policies, Services.
  PodSelectors pod_selectors() const;

  // The workloads, pods grouped under their controller (`controller_of`): one per
  // controller, named by it. Where pods are given they stand for their controller's
  // template (a cluster dump holds both); where none are, the controller's own template
  // (else every template under it). Pods of one controller that some selector of the input
  // tells apart, or that differ in container ports, are kept apart, each kind named by its
  // first pod, and a `replicas-differ` warning says so. The first pod's labels stand for the
  // others: every selector of the input matches them alike.
  std::vector<Grouped> by_owner(std::vector<Warning>& warnings) const;

  Warning replicas_differ(const WorkloadId& id,
                          const std::vector<const std::vector<std::size_t>*>& kinds) const;

  static Rule unrestricted(const Workload& w);

  // The namespace most workloads are in (ties: the first by name); without workloads, the
  // default namespace.
  std::string main_namespace(const std::vector<Grouped>& grouped) const;

  Labels namespace_labels(const std::string& ns) const;

  std::string default_ns_;
  std::vector<Workload> workloads_;
  std::vector<Policy> policies_;
  std::vector<AdminPolicy> admin_;  // AdminNetworkPolicies and the baseline, as read
  std::vector<ServiceObject> services_;
  std::vector<Backend> backends_;  // of every Ingress, in order
  // Reads an object with `read`, keeping the unknown keys found in it as warnings; an error
  // while reading it also names the first of them, which is its likely cause
  // (`containerport: 8080` leaves containerPort missing).
  template <typename F>
  void explained(std::vector<Warning> unknown, F&& read) {
    try {
      read();
    } catch (const InputError& e) {
      if (unknown.empty()) throw;
      const Warning& w = unknown.front();
      std::string at = w.where.where == e.where() ? "" : w.where.where.str() + ": ";
      throw InputError(e.where(), e.path(), e.detail() + " (" + at + w.message + ")");
    }
    warnings_.insert(warnings_.end(), std::make_move_iterator(unknown.begin()),
                     std::make_move_iterator(unknown.end()));
  }

  std::map<std::string, Labels> ns_labels_;
  std::vector<Warning> warnings_;                                 // unknown keys
  bool counting_ = false;                                         // the first pass: ids only
  std::size_t ordinal_ = 0;                                       // objects seen in this pass
  std::map<std::string, std::pair<std::size_t, Location>> last_;  // id -> its last object
  std::map<std::string, std::size_t> ignored_;  // kinds not modelled -> objects read
  Location first_ignored_;
};

}  // namespace netpol::graph::manifests_detail
