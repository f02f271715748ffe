#include "graph/read/read_manifests.hpp"

#include <algorithm>
#include <iterator>
#include <map>
#include <set>
#include <tuple>

#include "graph/read/admin.hpp"
#include "graph/read/k8s_names.hpp"
#include "graph/read/key_check.hpp"
#include "graph/read/read_rules.hpp"
#include "values/cursor.hpp"

namespace netpol::graph {

using values::Cursor;

namespace {

const std::string kNameLabel(kNamespaceNameLabel);

// Where the pod template of each workload kind is.
std::optional<Cursor> pod_template(const std::string& kind, const Cursor& obj) {
  static const std::set<std::string> templated = {"Deployment", "StatefulSet", "DaemonSet",
                                                  "ReplicaSet", "Job"};
  if (templated.count(kind)) return obj["spec"]["template"];
  if (kind == "CronJob") return obj["spec"]["jobTemplate"]["spec"]["template"];
  if (kind == "Pod") return obj;
  return std::nullopt;
}

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

void add_selector(const std::optional<LabelSelector>& s, PodSelectors& out) {
  if (s && !s->empty()) out.try_emplace(s->str(), *s);
}

void add_selectors(const std::vector<Peer>& peers, PodSelectors& out) {
  for (const Peer& p : peers) add_selector(p.pods, out);
}

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

std::string text_of(const Cursor& c, const char* what) {
  if (!c.present() || !c.value()->is_scalar())
    c.fail(std::string("expected ") + what + ", got " +
           (c.value() ? values::describe(*c.value()) : std::string("nothing")));
  return c.as_string();
}

// What the API server would refuse, read as netpol-analyzer reads it: a warning at `at`
// saying what was assumed (`--strict`: an error).
Warning api_would_refuse(const Cursor& at, std::string message, std::string fix) {
  Warning w;
  w.code = "api-would-refuse";
  w.where = {at.path(), at.where()};
  w.message = std::move(message);
  w.fix = std::move(fix);
  return w;
}

// An object's labels (a Service's selector: `warnings` null). A label value the API would
// refuse (`ns-udn-a/udn-a`, in netpol-analyzer's suite) is read as it is, with a warning: a
// selector matches it only by that same text.
Labels read_labels(const Cursor& c, std::vector<Warning>* warnings) {
  Labels out;
  for (const auto& [k, v] : c.entries()) {
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

// Named container ports of a pod spec (containers only: init containers serve no traffic).
// A port without containerPort (the API requires it; `containerport: 8080` is such a typo)
// is left out, as netpol-analyzer leaves it, with a warning (api-would-refuse).
std::vector<NamedPort> read_container_ports(const Cursor& pod_spec,
                                            std::vector<Warning>& warnings) {
  std::vector<NamedPort> out;
  for (const Cursor& container : pod_spec["containers"].items())
    for (const Cursor& p : container["ports"].items()) {
      if (p.is_map() && !p["containerPort"].present()) {
        warnings.push_back(api_would_refuse(
            p,
            "a container port without containerPort, which the API requires; left out, as "
            "netpol-analyzer leaves it",
            "Write containerPort (the keys of the entry say whether it is misspelt)."));
        continue;
      }
      NamedPort np;
      np.port = read_port_number(p["containerPort"]);
      if (p["protocol"].present()) np.protocol = p["protocol"].parse(parse_protocol);
      if (p["name"].present()) np.name = read_port_name(p["name"]);
      out.push_back(np);
    }
  return out;
}

// An egress rule to every destination on DNS's port only is the DNS rule (drawn as DNS).
bool is_dns_rule(const Rule& r) {
  if (!r.any_peer || r.ports.is_all() || r.ports.empty()) return false;
  return r.ports.subset_of(PortSet::dns());
}

// Gives a rule read from a manifest the origin of the chart feature that renders that shape,
// so both inputs draw and tabulate alike: to every destination on 53 only is DNS; to one
// ipBlock is an external destination (named by the profile's ports); to or from pods `app: x`
// of the namespace is a peer entry for x.
void classify(Rule& r, bool egress) {
  if (egress && is_dns_rule(r)) {
    r.origin = RuleOrigin::Dns;
    return;
  }
  if (r.peers.size() != 1) return;
  const Peer& p = r.peers[0];
  if (egress && p.ip_block) r.origin = RuleOrigin::ExternalEgress;
  if (p.pods && !p.namespaces)
    if (std::string app = single_app(*p.pods); !app.empty()) {
      r.origin = RuleOrigin::PeerApp;
      r.name = app;
    }
}

class ManifestReader {
 public:
  explicit ManifestReader(std::string default_ns) : default_ns_(std::move(default_ns)) {
    check_release_namespace(default_ns_);
  }

  Chart read(const std::vector<values::Value>& docs) {
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
    for (const Grouped& g : grouped) {
      const Workload& w = g.w;
      Service s;
      s.name = w.ns == chart.ns ? w.name : w.ns + "/" + w.name;
      if (names[{w.ns, w.name}] > 1) s.name += "[" + w.kind + "]";
      s.kind = g.id.kind;
      s.workload = g.id.name;
      s.pods = g.pods;
      s.labels = w.labels;
      s.ports = w.ports;
      s.ns = w.ns;
      s.ns_labels = namespace_labels(w.ns);
      s.defined_at = w.at;
      s.ingress_from_key = s.egress_to_key = s.allow_external_key = s.allow_external_egress_key =
          w.at;
      apply_policies(s, w);
      apply_admin_policies(s, admin);
      chart.services.push_back(std::move(s));
    }
    add_ingress_controller(chart);
    chart.admin_policies = std::move(admin_);
    sort_by_decision(chart.admin_policies);
    return chart;
  }

 private:
  // An object, or a list's item (`list`: the list's kind, whose items may leave out their
  // own kind: a NetworkPolicyList's items are NetworkPolicies).
  void read_object(const Cursor& obj, const std::string& list_path, const std::string& list) {
    const std::string item = list.empty() ? "" : "a " + list + " item";
    if (!obj.is_map())
      obj.fail("expected " + (item.empty() ? std::string("a Kubernetes object") : item) +
               " (a map with apiVersion and kind), got " + values::describe(*obj.value()));
    std::string kind;
    if (obj["kind"].present() || list.empty() || list == "List") {
      if (!obj["kind"].present())
        obj.fail((item.empty() ? std::string("a Kubernetes object") : item) +
                 " has no kind (expected one, as apiVersion: v1, kind: Pod)");
      kind = text_of(obj["kind"], "a kind, as every Kubernetes object has");
    } else {
      kind = list.substr(0, list.size() - 4);  // "PodList" -> "Pod"
    }
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
    if (kind == "Namespace") {
      ns_labels_[name] = read_labels(at["metadata"]["labels"], &warnings_);
    } else if (kind == "Service") {
      read_service(at, name, ns);
    } else if (kind == "Ingress") {
      read_ingress(at, id, ns);
    } else if (kind == "Route" && at["apiVersion"].present() &&
               at["apiVersion"].as_string().rfind("route.openshift.io/", 0) == 0) {
      read_route(at, id, ns);
    } else if (admin) {
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
    } else if (kind == "NetworkPolicy") {
      explained(unknown_policy_keys(*at.value(), at.path()), [&] { read_policy(at, name, ns); });
    } else if (auto tmpl = pod_template(kind, at)) {
      Cursor pod_spec = (*tmpl)["spec"];
      std::vector<Warning> unknown;
      if (pod_spec.present())
        unknown = unknown_container_port_keys(*pod_spec.value(), pod_spec.path());
      explained(std::move(unknown), [&] {
        Workload w{kind,
                   name,
                   ns,
                   read_labels((*tmpl)["metadata"]["labels"], &warnings_),
                   read_container_ports(pod_spec, warnings_),
                   prov(at),
                   {},
                   {}};
        read_controller(at["metadata"]["ownerReferences"], w);
        workloads_.push_back(std::move(w));
      });
    } else {
      if (ignored_.empty()) first_ignored_ = at.where();
      ++ignored_[kind];
    }
  }

  // The controller among an object's ownerReferences (`controller: true`), as the
  // Kubernetes garbage collector and netpol-analyzer take it; a Node (a static pod's mirror)
  // is no workload. The API requires the reference's kind and name: without a kind it is
  // read with none (the pod is grouped under the name), without a name it is left out,
  // each with a warning, as netpol-analyzer reads them.
  void read_controller(const Cursor& refs, Workload& w) {
    if (!refs.present()) return;
    if (!refs.value()->is_seq())
      refs.fail("expected ownerReferences as a list, got " + values::describe(*refs.value()));
    for (const Cursor& r : refs.items()) {
      if (!r["controller"].present() || !r["controller"].value()->is_scalar() ||
          r["controller"].as_string() != "true")
        continue;
      std::string kind = r["kind"].present() ? text_of(r["kind"], "the owner's kind") : "";
      if (kind == "Node") return;
      std::string name = r["name"].present() ? text_of(r["name"], "the owner's name") : "";
      if (kind.empty() || name.empty()) {
        warnings_.push_back(api_would_refuse(
            r,
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

  void read_service(const Cursor& obj, const std::string& name, const std::string& ns) {
    ServiceObject svc;
    svc.ns = ns;
    svc.name = name;
    Cursor spec = obj["spec"];
    if (spec["selector"].present()) svc.selector = read_labels(spec["selector"], nullptr);
    for (const Cursor& p : spec["ports"].items()) {
      ServiceObject::Port port;
      port.port = read_port_number(p["port"]);
      if (p["name"].present()) port.name = p["name"].as_string();
      if (p["protocol"].present()) port.protocol = p["protocol"].parse(parse_protocol);
      port.target = port.port;  // targetPort defaults to port
      if (Cursor t = p["targetPort"]; t.present()) {
        if (values::is_number(*t.value())) {
          port.target = read_port_number(t, "targetPort");
        } else {
          port.target_name = read_port_name(t);
          port.target = 0;
        }
      }
      svc.ports.push_back(std::move(port));
    }
    services_.push_back(std::move(svc));
  }

  // Every backend of an Ingress: spec.defaultBackend and each rule's paths.
  void read_ingress(const Cursor& obj, const std::string& id, const std::string& ns) {
    Cursor spec = obj["spec"];
    std::vector<Cursor> backends;
    if (spec["defaultBackend"].present()) backends.push_back(spec["defaultBackend"]);
    for (const Cursor& rule : spec["rules"].items())
      for (const Cursor& path : rule["http"]["paths"].items()) {
        if (!path["backend"].present())
          path.fail("an Ingress path needs a backend (a service or a resource)");
        backends.push_back(path["backend"]);
      }
    for (const Cursor& b : backends) {
      Cursor svc = b["service"];
      if (!svc.present()) continue;  // a `resource` backend: no pods to reach
      Backend be;
      be.ingress = id;
      be.ns = ns;
      be.service = text_of(svc["name"], "the backend Service's name");
      be.at = prov(b);
      Cursor port = svc["port"];
      if (port["number"].present()) {
        be.port = read_port_number(port["number"]);
      } else if (port["name"].present()) {
        be.port_name = port["name"].as_string();
      } else {
        (port.present() ? port : svc)
            .fail("a backend service needs port.number or port.name (the Service's port)");
      }
      backends_.push_back(std::move(be));
    }
  }

  // An OpenShift Route (route.openshift.io/v1): `spec.to` and each `alternateBackends`
  // entry, a Service of the Route's namespace (another kind is left out with a warning),
  // on `spec.port.targetPort`, or every port of the Service when the Route names none.
  void read_route(const Cursor& obj, const std::string& id, const std::string& ns) {
    Cursor spec = obj["spec"];
    if (!spec["to"].present()) spec.fail("a Route needs spec.to (the Service it routes to)");
    Backend proto;
    proto.ingress = id;
    proto.ns = ns;
    proto.route = true;
    if (Cursor t = spec["port"]["targetPort"]; t.present()) {
      if (values::is_number(*t.value()))
        proto.port = read_port_number(t, "targetPort");
      else
        proto.port_name = text_of(t, "a port name or number");
    }
    std::vector<Cursor> targets{spec["to"]};
    for (const Cursor& b : spec["alternateBackends"].items()) targets.push_back(b);
    for (const Cursor& t : targets) {
      std::string kind = t["kind"].present() ? text_of(t["kind"], "a kind") : "Service";
      if (kind != "Service") {
        Warning w;
        w.code = "ingress-no-backend";
        w.where = prov(t["kind"]);
        w.message = id + " routes to a " + kind +
                    ", not a Service (the only kind a Route may name): left out";
        w.fix = "Name a Service (kind: Service).";
        warnings_.push_back(std::move(w));
        continue;
      }
      Backend be = proto;
      be.service = text_of(t["name"], "the Service's name");
      be.at = prov(t);
      backends_.push_back(std::move(be));
    }
  }

  // The ingress controller, when some Ingress routes somewhere: a source any outside client
  // reaches on 80 and 443, sending to each backend's pods on the Service's target ports. Its
  // namespace and labels are unknown, so a policy admits it only where it admits any pod
  // of the cluster (netpol-analyzer's rule; its issue #235).
  void add_ingress_controller(Chart& chart) const {
    if (backends_.empty()) return;
    Service c;
    c.name =
        chart.service("ingress-controller") ? "ingress-controller[Ingress]" : "ingress-controller";
    c.kind = "IngressController";
    c.ingress_controller = true;
    // Its namespace is unknown: a name no namespace can have (it is no DNS label), so that a
    // real namespace of any name, and a policy admitting that namespace's pods, is not it;
    // no labels, not even the name label, so only a selector of every namespace matches.
    c.ns = std::string(kIngressControllerNamespace);
    c.defined_at = c.ingress_from_key = c.egress_to_key = c.allow_external_key =
        c.allow_external_egress_key = backends_.front().at;
    Rule in;  // from outside the cluster (every address), not from its pods
    in.origin = RuleOrigin::Raw;
    for (const char* world : {"0.0.0.0/0", "::/0"})
      in.peers.push_back(Peer{std::nullopt, std::nullopt, IpBlock{Cidr::parse(world), {}}});
    in.ports.add_range(Protocol::TCP, 80, 80);
    in.ports.add_range(Protocol::TCP, 443, 443);
    in.provenance.push_back(
        Provenance{"(the ingress controller serves HTTP and HTTPS)", backends_.front().at.where});
    c.ingress.push_back(std::move(in));
    for (const Backend& b : backends_) {
      IngressRoute route;
      route.ingress = b.ingress;
      route.at = b.at;
      route.service = b.ns + "/" + b.service;
      auto svc = std::find_if(services_.begin(), services_.end(), [&](const ServiceObject& o) {
        return o.ns == b.ns && o.name == b.service;
      });
      std::string problem;
      std::vector<const ServiceObject::Port*> ports;
      if (svc == services_.end()) {
        problem = "names Service " + route.service + ", which is not among the manifests";
      } else {
        for (const auto& p : svc->ports)
          if (b.admits(p)) {
            ports.push_back(&p);
            if (!b.route) break;  // an Ingress names one port
          }
        if (ports.empty())
          problem = "names port " + b.port_text() + " of Service " + route.service +
                    ", which has no such port";
        else if (!svc->selector)
          problem = "names Service " + route.service + ", which has no selector (no pods)";
      }
      if (problem.empty()) {
        for (const ServiceObject::Port* port : ports) {
          if (port->target_name.empty())
            route.ports.add_range(port->protocol, port->target, port->target);
          else
            route.ports.add_name(port->protocol, port->target_name);
        }
        for (const Service& s : chart.services)
          if (s.ns == b.ns && !s.ingress_controller && !svc->selector->empty() &&
              std::all_of(svc->selector->begin(), svc->selector->end(), [&](const auto& kv) {
                auto it = s.labels.find(kv.first);
                return it != s.labels.end() && it->second == kv.second;
              }))
            route.backends.push_back(s.name);
        if (route.backends.empty())
          problem = "names Service " + route.service + ", whose selector matches no workload";
      }
      if (!problem.empty()) {
        Warning w;
        w.where = b.at;
        w.code = "ingress-no-backend";
        w.message = b.ingress + " " + problem + ": nothing is reached through it";
        w.fix = "Correct the backend's service name or port, or add the Service and its pods.";
        chart.warnings.push_back(std::move(w));
        continue;
      }
      Rule out;
      out.origin = RuleOrigin::Raw;
      Peer p;
      p.namespaces.emplace();
      p.namespaces->add_equals(kNameLabel, b.ns);
      p.pods.emplace();
      for (const auto& [k, v] : *svc->selector) p.pods->add_equals(k, v);
      out.peers.push_back(std::move(p));
      out.ports = route.ports;
      out.provenance.push_back(b.at);
      c.egress.push_back(std::move(out));
      chart.ingress_routes.push_back(std::move(route));
    }
    if (!c.egress.empty()) chart.services.push_back(std::move(c));
  }

  // One warning for every object of a kind netpol-graph does not model, counted by kind.
  Warning ignored_kinds() const {
    std::size_t n = 0;
    std::string kinds;
    for (const auto& [kind, count] : ignored_) {
      n += count;
      kinds += (kinds.empty() ? "" : ", ") + kind + " (" + std::to_string(count) + ")";
    }
    Warning w;
    w.where.where = first_ignored_;
    w.code = "unmodelled-kind";
    w.message = "read and ignored " + std::to_string(n) + (n == 1 ? " object" : " objects") +
                " of kinds netpol-graph does not model: " + kinds;
    w.fix =
        "Nothing to do if these kinds do not affect network access; docs/manifests.md "
        "lists the kinds that are read.";
    return w;
  }

  void read_policy(const Cursor& obj, const std::string& name, const std::string& ns) {
    Cursor spec = obj["spec"];
    Policy p;
    p.name = name;
    p.ns = ns;
    // The API decodes a null or absent podSelector as {}: every pod of the namespace.
    if (spec["podSelector"].present()) p.pods = read_selector(spec["podSelector"]);
    for (const Cursor& r : spec["ingress"].items())
      p.ingress_rules.push_back(read_raw_rule(r, true));
    for (const Cursor& r : spec["egress"].items())
      p.egress_rules.push_back(read_raw_rule(r, false));
    for (Rule& r : p.ingress_rules) classify(r, false);
    for (Rule& r : p.egress_rules) classify(r, true);
    Cursor types = spec["policyTypes"];
    if (types.present()) {
      for (const Cursor& t : types.items()) {
        std::string type = text_of(t, "a policy type");
        if (type == "Ingress")
          p.ingress = true, p.ingress_at = prov(t);
        else if (type == "Egress")
          p.egress = true, p.egress_at = prov(t);
        else
          t.fail("unknown policy type \"" + type + "\" (expected Ingress or Egress)");
      }
    } else {
      // As the API server defaults it: Ingress always, Egress when there are egress rules.
      p.ingress = true;
      p.ingress_at = prov(spec["podSelector"]);
      p.egress = !p.egress_rules.empty();
      p.egress_at = prov(spec["egress"]);
    }
    policies_.push_back(std::move(p));
  }

  // Every policy of the workload's namespace selecting its pods adds its rules; a direction
  // that no selecting policy isolates allows everything.
  void apply_policies(Service& s, const Workload& w) const {
    bool ingress = false, egress = false;
    for (const Policy& p : policies_) {
      if (p.ns != w.ns || !p.pods.matches(w.labels)) continue;
      if (p.ingress) {
        if (!ingress) s.ingress_from_key = s.allow_external_key = p.ingress_at;
        ingress = true;
        s.ingress.insert(s.ingress.end(), p.ingress_rules.begin(), p.ingress_rules.end());
      }
      if (p.egress) {
        if (!egress) s.egress_to_key = s.allow_external_egress_key = p.egress_at;
        egress = true;
        s.egress.insert(s.egress.end(), p.egress_rules.begin(), p.egress_rules.end());
      }
    }
    if (!ingress) s.ingress.push_back(unrestricted(w));
    if (!egress) s.egress.push_back(unrestricted(w));
    s.ingress_isolated = ingress;
    s.egress_isolated = egress;
  }

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
  WorkloadId controller_of(const Workload& w,
                           const std::map<WorkloadId, std::size_t>& given) const {
    WorkloadId id{w.ns, w.kind, w.name};
    std::string kind = w.owner_kind, name = w.owner_name;
    for (int hops = 0; !name.empty() && hops < 8; ++hops) {  // 8: an ownership cycle ends
      id.kind = kind;
      id.name = name;
      auto it = given.find(id);
      if (it == given.end()) {
        auto hash = w.labels.find(kPodTemplateHash);
        if (id.kind == "ReplicaSet" && hash != w.labels.end() && !hash->second.empty() &&
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
  PodSelectors pod_selectors() const {
    PodSelectors out;
    for (const Policy& p : policies_) {
      add_selector(p.pods, out);
      for (const Rule& r : p.ingress_rules) add_selectors(r.peers, out);
      for (const Rule& r : p.egress_rules) add_selectors(r.peers, out);
    }
    for (const AdminPolicy& p : admin_) {
      add_selector(p.subject.pods, out);
      for (const AdminRule& r : p.ingress) add_selectors(r.match.peers, out);
      for (const AdminRule& r : p.egress) add_selectors(r.match.peers, out);
    }
    for (const ServiceObject& s : services_)
      if (s.selector) {
        LabelSelector sel;
        for (const auto& [k, v] : *s.selector) sel.add_equals(k, v);
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
  std::vector<Grouped> by_owner(std::vector<Warning>& warnings) const {
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
        const Workload& w = workloads_[i];
        std::string key;
        for (const auto& kv : selectors) key += kv.second.matches(w.labels) ? '1' : '0';
        key += '\n';
        for (const NamedPort& p : w.ports)
          key += std::to_string(p.port) + "/" + std::string(protocol_name(p.protocol)) + "/" +
                 p.name + '\n';
        auto [it, first] = kinds.try_emplace(std::move(key));
        if (first) kind_order.push_back(&it->second);
        it->second.push_back(i);
      }
      for (const std::vector<std::size_t>* alike : kind_order) {
        Grouped g;
        g.w = workloads_[alike->front()];
        g.id = id;
        for (std::size_t i : *alike)
          if (workloads_[i].kind == "Pod") ++g.pods;
        if (kind_order.size() == 1) {
          g.w.kind = id.kind;
          g.w.name = id.name;
        }
        out.push_back(std::move(g));
      }
      if (kind_order.size() > 1) warnings.push_back(replicas_differ(id, kind_order));
    }
    return out;
  }

  Warning replicas_differ(const WorkloadId& id,
                          const std::vector<const std::vector<std::size_t>*>& kinds) const {
    std::string apart;
    for (const std::vector<std::size_t>* alike : kinds) {
      const Workload& w = workloads_[alike->front()];
      apart += (apart.empty() ? "" : ", ") + w.ns + "/" + w.name;
      if (alike->size() > 1) apart += " (and " + std::to_string(alike->size() - 1) + " alike)";
    }
    const Workload& second = workloads_[kinds[1]->front()];
    Warning w;
    w.code = "replicas-differ";
    w.where = second.at;
    w.message = id.ns + "/" + id.name + "[" + id.kind +
                "] has pods that a selector tells apart or that differ in container ports "
                "(a rollout in progress, or pods changed by hand): kept apart as " +
                apart;
    w.fix =
        "Nothing, if a rollout is under way; else make the pods alike (or see why a "
        "selector reads a label they do not share).";
    return w;
  }

  static Rule unrestricted(const Workload& w) {
    Rule r;
    r.origin = RuleOrigin::Unrestricted;
    r.any_peer = true;
    r.ports = PortSet::all();
    r.provenance.push_back(Provenance{w.at.path + " (selected by no NetworkPolicy)", w.at.where});
    return r;
  }

  // The namespace most workloads are in (ties: the first by name); without workloads, the
  // default namespace.
  std::string main_namespace(const std::vector<Grouped>& grouped) const {
    std::map<std::string, int> count;
    for (const Grouped& g : grouped) ++count[g.w.ns];
    std::string best = default_ns_;
    int most = 0;
    for (const auto& [ns, n] : count)
      if (n > most) best = ns, most = n;
    return best;
  }

  Labels namespace_labels(const std::string& ns) const {
    Labels out;
    if (auto it = ns_labels_.find(ns); it != ns_labels_.end()) out = it->second;
    out[kNameLabel] = ns;  // set by the API server on every namespace
    return out;
  }

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

}  // namespace

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
  return ManifestReader(default_ns).read(documents);
}

}  // namespace netpol::graph
