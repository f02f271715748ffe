#include "graph/analysis/explain.hpp"

#include <algorithm>

#include "graph/read/admin.hpp"
#include "graph/rules/match.hpp"

namespace netpol::graph {
namespace {

using Vertex = PolicyGraph::Vertex;

bool allows(const PortSet& ports, const std::optional<PortQuery>& port) {
  return port ? ports.contains(port->protocol, port->port) : !ports.empty();
}

// The ports to suggest for a new peer entry: the asked port, else the destination's ports.
std::string suggested_ports(const Service& to, const std::optional<PortQuery>& port) {
  if (port) return "[" + std::to_string(port->port) + "]";
  if (to.ports.empty()) return "[PORT]";
  std::string out;
  for (const auto& p : to.ports) out += (out.empty() ? "" : ", ") + std::to_string(p.port);
  return "[" + out + "]";
}

std::string on(const std::optional<PortQuery>& port) {
  return port ? " on " + port->str() : "";
}

// The ports asked about: the one port, else all.
PortSet asked_ports(const std::optional<PortQuery>& port) {
  if (!port) return PortSet::all();
  PortSet out;
  out.add_range(port->protocol, port->port, port->port);
  return out;
}

// What the admin tiers decided on one side of s -> d (`egress`: s's, else d's;
// graph/read/admin.hpp, decide_tiers): each Deny that decided some port, and each Pass that handed
// ports on to NetworkPolicies, said as a reason. True when a Deny decided a port.
bool admin_reasons(const Chart& chart, const Service& source, const Service& destination,
                   bool egress, const std::optional<PortQuery>& port, const std::string& traffic,
                   Blocked& blocked) {
  const Service& subject = egress ? source : destination;
  // The ingress controller's namespace and labels are unknown: no admin subject is known to
  // select it (as when its rules were made).
  if (chart.admin_policies.empty() || subject.ingress_controller) return false;
  auto resolved = [&](const PortSet& ports) {
    PortSet p = ports.resolve(destination.ports);
    return chart.from_manifests ? p.without_names() : p;
  };
  std::vector<TierDecision> decisions;
  decide_tiers(chart.admin_policies, subject_point(chart.admin_policies, subject),
               egress ? destination : source, egress, asked_ports(port), resolved,
               egress ? source.egress_isolated : destination.ingress_isolated, &decisions);
  bool denied = false;
  for (const TierDecision& decision : decisions) {
    const AdminRule& r = *decision.rule;
    const bool deny = r.action == AdminAction::Deny;
    blocked.reasons.push_back(r.describe() + (deny ? " denies " : " passes ") + traffic + " on " +
                              decision.ports.label() +
                              (!deny ? ", to the NetworkPolicies"
                               : r.baseline
                                   ? ", as no NetworkPolicy selects the pods to decide instead"
                                   : ""));
    blocked.keys.push_back(r.at);
    denied = denied || deny;
  }
  return denied;
}

// The admin policies whose subjects select the pods of `outside` (a node of pods nobody
// listed), on their side of the traffic with `known` (`outside_sends`: they send): each Deny
// that decided, as a reason. True when they allow nothing of what was asked.
bool outside_admin_reasons(const Chart& chart, const Node& outside, const Service& known,
                           bool outside_sends, const std::optional<PortQuery>& port,
                           const std::string& traffic, Blocked& blocked) {
  if (!outside.pods || chart.admin_policies.empty() || known.ingress_controller) return false;
  auto resolve = [&](const PortSet& q) {
    if (!outside_sends) return q;  // the outside pods' port names are unknown
    PortSet out = q.resolve(known.ports);
    return chart.from_manifests ? out.without_names() : out;
  };
  std::vector<TierDecision> decisions;
  bool allowed = !outside_tiers(chart.admin_policies, *outside.pods, known, outside_sends,
                                asked_ports(port), resolve, &decisions)
                      .empty();
  bool denied = false;
  for (const TierDecision& decision : decisions) {
    if (decision.rule->action != AdminAction::Deny) continue;
    denied = true;
    blocked.reasons.push_back(decision.rule->describe() + " denies " + traffic + " (" +
                              (outside_sends ? "egress" : "ingress") + " of " +
                              decision.pods.describe() + ") on " + decision.ports.label() +
                              (decision.rule->baseline
                                   ? ", as no NetworkPolicy of theirs is known to decide "
                                     "instead"
                                   : ""));
    blocked.keys.push_back(decision.rule->at);
  }
  return !allowed && denied;
}

void between_services(const Chart& chart, const Service& source, const Service& destination,
                      const std::optional<PortQuery>& port, Blocked& blocked) {
  SidePorts eg = egress_towards(chart, source, destination),
            in = ingress_from(chart, destination, source);
  bool eg_ok = allows(eg.ports, port), in_ok = allows(in.ports, port);
  // Admin network policies first: they decide before NetworkPolicies do.
  bool eg_denied =
      !eg_ok && admin_reasons(chart, source, destination, true, port,
                              source.name + " -> " + destination.name + " (egress)", blocked);
  bool in_denied =
      !in_ok && admin_reasons(chart, source, destination, false, port,
                              source.name + " -> " + destination.name + " (ingress)", blocked);
  // Where a Deny took all a side allowed, the side is explained; else NetworkPolicies too.
  bool eg_said = eg_denied && eg.ports.empty(), in_said = in_denied && in.ports.empty();
  // The DNS rule reaches every destination on 53; beyond it, a service may have no rule.
  bool dns_only = std::all_of(eg.rules.begin(), eg.rules.end(),
                              [](const Rule* r) { return r->origin == RuleOrigin::Dns; });
  if (eg_said) {
    eg_ok = false;
  } else if (eg.ports.empty() || (dns_only && !(port && eg_ok))) {
    blocked.reasons.push_back(source.name + "'s egress has no rule for " + destination.name +
                              (eg.ports.empty() ? "" : " (only DNS, on 53)") + ": add {app: " +
                              destination.name + ", ports: " + suggested_ports(destination, port) +
                              "} to " + source.name + ".networkPolicy.egressTo");
    eg_ok = false;
    blocked.keys.push_back(source.egress_to_key);
  } else if (!eg_ok) {
    blocked.reasons.push_back(source.name + "'s egress allows " + destination.name + " only on " +
                              eg.ports.label());
    for (const Rule* r : eg.rules)
      blocked.keys.insert(blocked.keys.end(), r->provenance.begin(), r->provenance.end());
  }
  if (in_said) {
    in_ok = false;
  } else if (in.ports.empty()) {
    blocked.reasons.push_back(destination.name + "'s ingress has no rule for " + source.name +
                              ": add {app: " + source.name +
                              ", ports: " + suggested_ports(destination, port) + "} to " +
                              destination.name + ".networkPolicy.ingressFrom");
    blocked.keys.push_back(destination.ingress_from_key);
  } else if (!in_ok) {
    blocked.reasons.push_back(destination.name + "'s ingress admits " + source.name + " only on " +
                              in.ports.label());
    for (const Rule* r : in.rules)
      blocked.keys.insert(blocked.keys.end(), r->provenance.begin(), r->provenance.end());
  }
  if (eg_ok && in_ok && !port && !dns_only)
    blocked.reasons.push_back(source.name + " may send to " + destination.name + " on " +
                              eg.ports.label() + " and " + destination.name + " admits " +
                              source.name + " on " + in.ports.label() + ", but no port is in both");
}

}  // namespace

Blocked explain_blocked(const Analysis& analysis, Vertex from, Vertex to,
                        const std::optional<PortQuery>& port) {
  Blocked blocked;
  const PolicyGraph& graph = analysis.graph;
  const Node& src = graph.node(from);
  const Node& dst = graph.node(to);
  std::optional<Edge> hop = graph.hop_edge(from, to);
  bool edge = hop.has_value();
  if (edge && allows(hop->ports, port)) return blocked;
  if (!graph.policies_enabled) return blocked;  // nothing is blocked
  const Service* source = src.kind == NodeKind::Service ? analysis.chart.service(src.id) : nullptr;
  const Service* destination =
      dst.kind == NodeKind::Service ? analysis.chart.service(dst.id) : nullptr;

  if (edge) {  // allowed, but not on the asked port
    const Edge& edge = *hop;
    blocked.reasons.push_back(src.id + " -> " + dst.id + " is allowed only on " +
                              edge.ports.label() + ", not on " + port->str());
    blocked.keys = edge.egress;
    blocked.keys.insert(blocked.keys.end(), edge.ingress.begin(), edge.ingress.end());
    // What the outside pods' admin policies took of it.
    if (destination)
      outside_admin_reasons(analysis.chart, src, *destination, true, port, src.id + " -> " + dst.id,
                            blocked);
    if (source)
      outside_admin_reasons(analysis.chart, dst, *source, false, port, src.id + " -> " + dst.id,
                            blocked);
    if (!(source && destination)) return blocked;
    blocked = Blocked{};  // between services, say which side it is
  }
  if (source && destination) {
    between_services(analysis.chart, *source, *destination, port, blocked);
  } else if (destination && outside_admin_reasons(analysis.chart, src, *destination, true, port,
                                                  src.id + " -> " + dst.id, blocked)) {
    // the outside pods' admin policies decided: said
  } else if (source && outside_admin_reasons(analysis.chart, dst, *source, false, port,
                                             src.id + " -> " + dst.id, blocked)) {
    // likewise
  } else if (analysis.chart.from_manifests && (destination || source)) {
    // Manifests: the fix is a rule of a NetworkPolicy, not a values key. The key shown is
    // where the workload is isolated (the policy that selects it for that direction), else
    // the workload.
    std::string what = src.kind == NodeKind::AnySource ? "any source" : src.label;
    blocked.reasons.push_back(
        destination ? destination->name + "'s ingress admits nothing from " + what + on(port) +
                          ": add an ingress rule admitting it to a NetworkPolicy that selects " +
                          destination->name
                    : source->name + "'s egress has no rule to " + dst.label + on(port) +
                          ": add an egress rule to a NetworkPolicy that selects " + source->name);
    blocked.keys.push_back(
        destination
            ? (src.kind == NodeKind::AnySource ? destination->allow_external_key
                                               : destination->defined_at)
            : (dst.kind == NodeKind::External && dst.id != kAnywhereId && !dst.entries.empty()
                   ? source->allow_external_egress_key
                   : source->defined_at));
  } else if (destination) {
    std::string what = src.kind == NodeKind::AnySource ? "any source" : src.label;
    blocked.reasons.push_back(
        destination->name + "'s ingress admits nothing from " + what + on(port) + ": " +
        (src.kind == NodeKind::AnySource
             ? "set " + destination->name +
                   ".networkPolicy.allowExternal: true (any source on its service ports) or add"
             : "add") +
        " a rule to " + destination->name + ".networkPolicy.additionalIngress");
    blocked.keys.push_back(src.kind == NodeKind::AnySource ? destination->allow_external_key
                                                           : destination->defined_at);
  } else if (source) {
    if (dst.kind == NodeKind::External && !source->allow_external_egress && dst.id != kAnywhereId &&
        !dst.entries.empty()) {
      blocked.reasons.push_back(source->name +
                                ".networkPolicy.allowExternalEgress is not true, so " +
                                source->name + " gets none of global.networkPolicy.externalEgress");
      blocked.keys.push_back(source->allow_external_egress_key);
    } else {
      blocked.reasons.push_back(source->name + "'s egress has no rule to " + dst.label + on(port) +
                                ": add one to " + source->name + ".networkPolicy.additionalEgress" +
                                (dst.kind == NodeKind::External
                                     ? " (or to global.networkPolicy.externalEgress, for every "
                                       "service with allowExternalEgress)"
                                     : ""));
      blocked.keys.push_back(source->defined_at);
    }
  } else {
    blocked.reasons.push_back(
        "neither " + src.id + " nor " + dst.id +
        (analysis.chart.from_manifests
             ? " is a workload of the input: its policies do not govern traffic between them"
             : " is a chart service: the chart's policies do not govern traffic between them"));
  }
  return blocked;
}

}  // namespace netpol::graph
