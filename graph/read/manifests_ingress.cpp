// manifests: Services, Ingresses and Routes, and the ingress controller they imply.

#include "graph/read/manifest_reader.hpp"

namespace netpol::graph::manifests_detail {

void ManifestReader::read_service(const Cursor& obj, const std::string& name,
                                  const std::string& ns) {
  ServiceObject svc;
  svc.ns = ns;
  svc.name = name;
  Cursor spec = obj["spec"];
  if (spec["selector"].present()) svc.selector = read_labels(spec["selector"], nullptr);
  for (const Cursor& cursor : spec["ports"].items()) {
    ServiceObject::Port port;
    port.port = read_port_number(cursor["port"]);
    if (cursor["name"].present()) port.name = cursor["name"].as_string();
    if (cursor["protocol"].present()) port.protocol = cursor["protocol"].parse(parse_protocol);
    port.target = port.port;  // targetPort defaults to port
    if (Cursor t = cursor["targetPort"]; t.present()) {
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
void ManifestReader::read_ingress(const Cursor& obj, const std::string& id, const std::string& ns) {
  Cursor spec = obj["spec"];
  std::vector<Cursor> backends;
  if (spec["defaultBackend"].present()) backends.push_back(spec["defaultBackend"]);
  for (const Cursor& rule : spec["rules"].items())
    for (const Cursor& path : rule["http"]["paths"].items()) {
      if (!path["backend"].present())
        path.fail("an Ingress path needs a backend (a service or a resource)");
      backends.push_back(path["backend"]);
    }
  for (const Cursor& cursor : backends) {
    Cursor svc = cursor["service"];
    if (!svc.present()) continue;  // a `resource` backend: no pods to reach
    Backend be;
    be.ingress = id;
    be.ns = ns;
    be.service = text_of(svc["name"], "the backend Service's name");
    be.at = prov(cursor);
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
void ManifestReader::read_route(const Cursor& obj, const std::string& id, const std::string& ns) {
  Cursor spec = obj["spec"];
  if (!spec["to"].present()) spec.fail("a Route needs spec.to (the Service it routes to)");
  Backend proto;
  proto.ingress = id;
  proto.ns = ns;
  proto.route = true;
  if (Cursor cursor = spec["port"]["targetPort"]; cursor.present()) {
    if (values::is_number(*cursor.value()))
      proto.port = read_port_number(cursor, "targetPort");
    else
      proto.port_name = text_of(cursor, "a port name or number");
  }
  std::vector<Cursor> targets{spec["to"]};
  for (const Cursor& b : spec["alternateBackends"].items()) targets.push_back(b);
  for (const Cursor& target : targets) {
    std::string kind = target["kind"].present() ? text_of(target["kind"], "a kind") : "Service";
    if (kind != "Service") {
      Warning warning;
      warning.code = "ingress-no-backend";
      warning.where = prov(target["kind"]);
      warning.message = id + " routes to a " + kind +
                        ", not a Service (the only kind a Route may name): left out";
      warning.fix = "Name a Service (kind: Service).";
      warnings_.push_back(std::move(warning));
      continue;
    }
    Backend be = proto;
    be.service = text_of(target["name"], "the Service's name");
    be.at = prov(target);
    backends_.push_back(std::move(be));
  }
}

// The ingress controller, when some Ingress routes somewhere: a source any outside client
// reaches on 80 and 443, sending to each backend's pods on the Service's target ports. Its
// namespace and labels are unknown, so a policy admits it only where it admits any pod
// of the cluster (netpol-analyzer's rule; its issue #235).
void ManifestReader::add_ingress_controller(Chart& chart) const {
  if (backends_.empty()) return;
  Service controller;
  controller.name =
      chart.service("ingress-controller") ? "ingress-controller[Ingress]" : "ingress-controller";
  controller.kind = "IngressController";
  controller.ingress_controller = true;
  // Its namespace is unknown: a name no namespace can have (it is no DNS label), so that a
  // real namespace of any name, and a policy admitting that namespace's pods, is not it;
  // no labels, not even the name label, so only a selector of every namespace matches.
  controller.ns = std::string(kIngressControllerNamespace);
  controller.defined_at = controller.ingress_from_key = controller.egress_to_key =
      controller.allow_external_key = controller.allow_external_egress_key = backends_.front().at;
  Rule in;  // from outside the cluster (every address), not from its pods
  in.origin = RuleOrigin::Raw;
  for (const char* world : {"0.0.0.0/0", "::/0"})
    in.peers.push_back(Peer{std::nullopt, std::nullopt, IpBlock{Cidr::parse(world), {}}});
  in.ports.add_range(Protocol::TCP, 80, 80);
  in.ports.add_range(Protocol::TCP, 443, 443);
  in.provenance.push_back(
      Provenance{"(the ingress controller serves HTTP and HTTPS)", backends_.front().at.where});
  controller.ingress.push_back(std::move(in));
  for (const Backend& backend : backends_) {
    IngressRoute route;
    route.ingress = backend.ingress;
    route.at = backend.at;
    route.service = backend.ns + "/" + backend.service;
    auto svc = std::find_if(services_.begin(), services_.end(), [&](const ServiceObject& o) {
      return o.ns == backend.ns && o.name == backend.service;
    });
    std::string problem;
    std::vector<const ServiceObject::Port*> ports;
    if (svc == services_.end()) {
      problem = "names Service " + route.service + ", which is not among the manifests";
    } else {
      for (const auto& p : svc->ports)
        if (backend.admits(p)) {
          ports.push_back(&p);
          if (!backend.route) break;  // an Ingress names one port
        }
      if (ports.empty())
        problem = "names port " + backend.port_text() + " of Service " + route.service +
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
        if (s.ns == backend.ns && !s.ingress_controller && !svc->selector->empty() &&
            std::all_of(svc->selector->begin(), svc->selector->end(), [&](const auto& kv) {
              auto it = s.labels.find(kv.first);
              return it != s.labels.end() && it->second == kv.second;
            }))
          route.backends.push_back(s.name);
      if (route.backends.empty())
        problem = "names Service " + route.service + ", whose selector matches no workload";
    }
    if (!problem.empty()) {
      Warning warning;
      warning.where = backend.at;
      warning.code = "ingress-no-backend";
      warning.message = backend.ingress + " " + problem + ": nothing is reached through it";
      warning.fix = "Correct the backend's service name or port, or add the Service and its pods.";
      chart.warnings.push_back(std::move(warning));
      continue;
    }
    Rule out;
    out.origin = RuleOrigin::Raw;
    Peer peer;
    peer.namespaces.emplace();
    peer.namespaces->add_equals(kNameLabel, backend.ns);
    peer.pods.emplace();
    for (const auto& [k, v] : *svc->selector) peer.pods->add_equals(k, v);
    out.peers.push_back(std::move(peer));
    out.ports = route.ports;
    out.provenance.push_back(backend.at);
    controller.egress.push_back(std::move(out));
    chart.ingress_routes.push_back(std::move(route));
  }
  if (!controller.egress.empty()) chart.services.push_back(std::move(controller));
}
}  // namespace netpol::graph::manifests_detail
