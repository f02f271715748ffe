// check: what any source reaches, and ingress no controller can use.

#include "graph/analysis/finder.hpp"

namespace netpol::graph::findings_detail {

void Finder::exposure() {
  std::vector<std::string> services, names;
  const Route* deepest = nullptr;
  const std::vector<Route>& routes = analysis_.exposed;
  for (const Route& route : routes) {
    if (analysis_.graph.node(route.to).kind != NodeKind::Service) continue;
    services.push_back(analysis_.graph.node(route.to).id + " (" + std::to_string(route.hops()) +
                       (route.hops() == 1 ? " hop)" : " hops)"));
    names.push_back(analysis_.graph.node(route.to).id);
    if (!deepest || route.hops() > deepest->hops()) deepest = &route;
  }
  if (!deepest) return;
  std::string path;
  for (auto v : deepest->path) path += (path.empty() ? "" : " -> ") + analysis_.graph.node(v).id;
  // The entry point: the first hop's service, and the key that exposes it.
  const Edge first = *analysis_.graph.hop_edge(deepest->path[0], deepest->path[1]);
  // Through an ipBlock of internet addresses, not any-source: "the internet".
  bool any_source = std::all_of(routes.begin(), routes.end(), [&](const Route& r) {
    return analysis_.graph.node(r.path[0]).kind == NodeKind::AnySource;
  });
  std::string who = any_source ? "any source reaches " : "the internet reaches ";
  const bool manifests = analysis_.chart.from_manifests;
  add("external-exposure",
      who + std::to_string(services.size()) + " " + service_word(manifests) +
          (services.size() == 1 ? ": " : "s: ") + join(services) + "; deepest: " + path,
      first.ingress.empty() ? Provenance{} : first.ingress.front(),
      manifests ? "admit outside traffic only to the workloads that serve it (a workload no "
                  "ingress policy selects, an ingress rule with no `from` or an ipBlock of public "
                  "addresses opens to it), and check what they may reach in turn"
                : "expose only the services that serve outside traffic (allowExternal), and "
                  "check what they may reach in turn",
      join(names));
}

// An Ingress backend whose pods' ingress policies keep the controller out (on some of
// the Service's target ports): the route is configured but cannot work.
void Finder::ingress_blocked() {
  const Chart& chart = analysis_.chart;
  const Service* controller = nullptr;
  for (const Service& s : chart.services)
    if (s.ingress_controller) controller = &s;
  if (!controller) return;
  for (const IngressRoute& route : chart.ingress_routes)
    for (const std::string& name : route.backends) {
      const Service* backend = chart.service(name);
      if (!backend) continue;
      PortSet wanted = route.ports.resolve(backend->ports).without_names();
      PortSet admitted = ingress_from(chart, *backend, *controller).ports;
      PortSet blocked = wanted.empty() ? route.ports : wanted.subtract(admitted);
      if (blocked.empty()) continue;
      std::string why =
          wanted.empty() ? "no container of " + name + " has the target port " + route.ports.label()
                         : name +
                               "'s ingress policies admit no arbitrary in-cluster pod "
                               "on " +
                               blocked.label();
      add("ingress-blocked",
          route.ingress + " routes to Service " + route.service + " (" + name + ", " +
              route.ports.label() + "), but " + why +
              ": the ingress controller cannot reach it (unless a policy names its pods)",
          route.at,
          wanted.empty() ? "name a port the pods declare as the Service's targetPort"
                         : "admit the ingress controller's namespace and pods in " + name +
                               "'s ingress policy on " + blocked.label(),
          route.ingress + " " + name);
    }
}
}  // namespace netpol::graph::findings_detail
