#include "graph/read_manifests.hpp"

#include <algorithm>
#include <iterator>
#include <map>
#include <set>

#include "graph/admin.hpp"
#include "graph/k8s_names.hpp"
#include "graph/key_check.hpp"
#include "graph/read_rules.hpp"
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

struct Workload {
  std::string kind, name, ns;
  Labels labels;
  std::vector<NamedPort> ports;
  Provenance at;
};

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

// An Ingress backend: the Service (in the Ingress's namespace) and its port.
struct Backend {
  std::string ingress, ns, service;
  int port = 0;
  std::string port_name;
  Provenance at;
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

Labels read_labels(const Cursor& c) {
  Labels out;
  for (const auto& [k, v] : c.entries()) {
    text_of(v, "a label value");
    check_label_key(v, k);
    out[k] = read_label_value(v);
  }
  return out;
}

// Named container ports of a pod spec (containers only: init containers serve no traffic).
// A port without containerPort (the API requires it; `containerport: 8080` is such a typo)
// is left out, as netpol-analyzer leaves it, with a warning (api-would-refuse).
std::vector<NamedPort> read_container_ports(const Cursor& pod_spec, std::vector<Warning>& warnings) {
  std::vector<NamedPort> out;
  for (const Cursor& container : pod_spec["containers"].items())
    for (const Cursor& p : container["ports"].items()) {
      if (p.is_map() && !p["containerPort"].present()) {
        Warning w;
        w.code = "api-would-refuse";
        w.where = {p.path(), p.where()};
        w.message = "a container port without containerPort, which the API requires; left out, "
                    "as netpol-analyzer leaves it";
        w.fix = "Write containerPort (the keys of the entry say whether it is misspelt).";
        warnings.push_back(std::move(w));
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
    chart.ns = main_namespace();
    chart.ns_labels = namespace_labels(chart.ns);
    std::map<std::pair<std::string, std::string>, int> names;  // (ns, name) -> count
    for (const Workload& w : workloads_) ++names[{w.ns, w.name}];
    std::vector<const AdminPolicy*> admin;
    for (const AdminPolicy& p : admin_) admin.push_back(&p);
    for (Warning& w : admin_policy_warnings(admin_)) chart.warnings.push_back(std::move(w));
    chart.services.reserve(workloads_.size());
    for (const Workload& w : workloads_) {
      Service s;
      s.name = w.ns == chart.ns ? w.name : w.ns + "/" + w.name;
      if (names[{w.ns, w.name}] > 1) s.name += "[" + w.kind + "]";
      s.kind = w.kind;
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
      Warning w;
      w.code = "api-would-refuse";
      w.where = {at["metadata"]["name"].path(), at["metadata"]["name"].where()};
      w.message = "\"" + name + "\" cannot name a Kubernetes " + kind + ": " + bad_name +
                  "; read as it is, as netpol-analyzer reads it";
      w.fix = "Rename it: kubectl refuses the object as it is.";
      warnings_.push_back(std::move(w));
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
      ns_labels_[name] = read_labels(at["metadata"]["labels"]);
    } else if (kind == "Service") {
      read_service(at, name, ns);
    } else if (kind == "Ingress") {
      read_ingress(at, id, ns);
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
        workloads_.push_back(Workload{kind, name, ns, read_labels((*tmpl)["metadata"]["labels"]),
                                      read_container_ports(pod_spec, warnings_), prov(at)});
      });
    } else {
      if (ignored_.empty()) first_ignored_ = at.where();
      ++ignored_[kind];
    }
  }

  void read_service(const Cursor& obj, const std::string& name, const std::string& ns) {
    ServiceObject svc;
    svc.ns = ns;
    svc.name = name;
    Cursor spec = obj["spec"];
    if (spec["selector"].present()) svc.selector = read_labels(spec["selector"]);
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
      const ServiceObject::Port* port = nullptr;
      if (svc == services_.end()) {
        problem = "names Service " + route.service + ", which is not among the manifests";
      } else {
        for (const auto& p : svc->ports)
          if (b.port_name.empty() ? p.port == b.port : p.name == b.port_name) port = &p;
        if (!port)
          problem = "names port " + (b.port_name.empty() ? std::to_string(b.port) : b.port_name) +
                    " of Service " + route.service + ", which has no such port";
        else if (!svc->selector)
          problem = "names Service " + route.service + ", which has no selector (no pods)";
      }
      if (problem.empty()) {
        if (port->target_name.empty())
          route.ports.add_range(port->protocol, port->target, port->target);
        else
          route.ports.add_name(port->protocol, port->target_name);
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
  std::string main_namespace() const {
    std::map<std::string, int> count;
    for (const Workload& w : workloads_) ++count[w.ns];
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
  std::vector<Warning> warnings_;               // unknown keys
  bool counting_ = false;                       // the first pass: ids only
  std::size_t ordinal_ = 0;                     // objects seen in this pass
  std::map<std::string, std::pair<std::size_t, Location>> last_;  // id -> its last object
  std::map<std::string, std::size_t> ignored_;  // kinds not modelled -> objects read
  Location first_ignored_;
};

}  // namespace

Chart read_manifests(const std::vector<values::Value>& documents, const std::string& default_ns) {
  return ManifestReader(default_ns).read(documents);
}

}  // namespace netpol::graph
