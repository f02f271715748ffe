#pragma once
// What the chart renders from its values: one NetworkPolicy per service, as rules with
// Kubernetes semantics, each rule remembering the values keys that opened it.

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "error.hpp"
#include "graph/rules/node_ids.hpp"
#include "graph/sets/cidr.hpp"
#include "graph/sets/ports.hpp"
#include "graph/sets/selector.hpp"

namespace netpol::graph {

// A values key that contributed to a rule, and where it was set.
struct Provenance {
  std::string path;
  Location where;
  bool operator==(const Provenance& o) const { return path == o.path && where == o.where; }
  // "meta.networkPolicy.egressTo[0] (values.yaml:12:7)", or the path alone where unknown.
  std::string str() const { return path + (where.known() ? " (" + where.str() + ")" : ""); }
};

// Appends the provenance of `from` that `to` does not hold yet, in order.
inline void add_unique(std::vector<Provenance>& to, const std::vector<Provenance>& from) {
  for (const auto& p : from)
    if (std::find(to.begin(), to.end(), p) == to.end()) to.push_back(p);
}

// One NetworkPolicyPeer: podSelector and/or namespaceSelector (AND), or an ipBlock.
struct Peer {
  std::optional<LabelSelector> pods;
  std::optional<LabelSelector> namespaces;
  std::optional<IpBlock> ip_block;
};

// Which feature of the chart produced a rule; it decides how the graph names its nodes.
enum class RuleOrigin {
  PeerApp,         // ingressFrom / egressTo {app, ports}
  AllowExternal,   // allowExternal: any source on the service ports
  ExternalEgress,  // allowExternalEgress x one externalEgress entry
  Dns,             // the always-present DNS egress rule
  OtlpDefault,     // OTLP to the in-namespace ingest endpoint (either side)
  OtlpExternal,    // OTLP to an external collector (one otlpEgress entry)
  Raw,             // additionalIngress / additionalEgress; a rule of a read manifest
  Unrestricted,    // manifests: no policy selects the pod for this direction, so all is allowed
};

// What an admin network policy (policy.networking.k8s.io) does with the traffic its rule
// matches: AdminNetworkPolicy rules Allow, Deny or Pass (hand the decision to
// NetworkPolicies); the BaselineAdminNetworkPolicy's rules Allow or Deny.
enum class AdminAction { Allow, Deny, Pass };
std::string_view admin_action_name(AdminAction a);

// The traffic of one admin rule as seen from a pod it applies to: peers (cluster-scoped, so
// each pod peer has `namespaces` set; `networks` are ip_block peers) on ports.
struct AdminMatch {
  std::vector<Peer> peers;
  PortSet ports;  // PortSet::all() when the rule has no `ports`
};

// One rule of an AdminNetworkPolicy or of the BaselineAdminNetworkPolicy, as it applies to
// one service and direction.
struct AdminRule {
  AdminAction action = AdminAction::Allow;
  bool baseline = false;  // of the BaselineAdminNetworkPolicy
  int priority = 0;       // AdminNetworkPolicy: lower numbers decide first
  AdminMatch match;
  std::string policy;  // "AdminNetworkPolicy/deny-slytherin"
  std::string rule;    // the rule's `name:`, or its position "egress[0]"
  Provenance at;
  // "AdminNetworkPolicy/deny-slytherin rule \"deny-egress\" (priority 50, Deny)".
  std::string describe() const;
};

// An AdminNetworkPolicy or the BaselineAdminNetworkPolicy (graph/read/admin.hpp).
struct AdminPolicy {
  bool baseline = false;
  std::string id;  // "AdminNetworkPolicy/name"
  int priority = 0;
  // The subject: pods of the namespaces `namespaces` selects, or pods `pods` selects
  // (`namespaces` and `pods` of the Peer both set).
  Peer subject;
  std::vector<AdminRule> ingress, egress;
  Provenance at;
};

// Traffic that an admin rule decided before a rule could: taken out of the rule, except the
// part that an earlier Pass handed on (`unless`).
struct Exclusion {
  AdminMatch match;
  std::vector<AdminMatch> unless;
};

struct Rule {
  RuleOrigin origin = RuleOrigin::Raw;
  bool any_peer = false;    // `from`/`to` absent or empty: every source or destination
  std::vector<Peer> peers;  // OR across peers
  PortSet ports;            // PortSet::all() when the rule has no `ports`
  std::vector<Provenance> provenance;
  std::string name;  // PeerApp: the app; ExternalEgress/OtlpExternal: the entry's `name:`
  // Manifests with admin network policies: the pods (never addresses) this rule does not
  // allow after all, because an admin rule decided them first (graph/read/admin.hpp).
  std::vector<Exclusion> except;
};

// The ingress controller's namespace (graph/read/read_manifests.cpp): unknown, so a name no
// namespace can have.
inline constexpr std::string_view kIngressControllerNamespace = "(ingress controller)";

struct Service {
  std::string name;
  Labels labels;                 // {app: name}; from manifests, the pod template's labels
  std::vector<NamedPort> ports;  // service.port / service.ports (names may be empty)
  std::string ns;                // its namespace, and that namespace's labels
  Labels ns_labels;
  // From manifests: the workload (its controller's kind and name, "Deployment" "api"; a
  // Pod's own when it has none), and how many of its pods were given (0: a pod template).
  std::string kind, workload;
  std::size_t pods = 0;
  std::vector<Rule> ingress;
  std::vector<Rule> egress;
  Provenance defined_at;  // its networkPolicy map
  // The keys a user edits to open traffic, where they are (or, when absent, where the
  // networkPolicy map is): for explanations of what blocks a path.
  Provenance ingress_from_key, egress_to_key, allow_external_key, allow_external_egress_key;
  bool allow_external_egress = false;
  // The admin rules that apply to its pods, in the order they decide (AdminNetworkPolicies
  // by priority, then the BaselineAdminNetworkPolicy), for explanations; its rules above
  // already account for them.
  std::vector<AdminRule> admin_ingress, admin_egress;
  // Whether a NetworkPolicy selects its pods for each direction (manifests; the chart's
  // policies always do when enabled).
  bool ingress_isolated = true, egress_isolated = true;
  // The ingress controller that Ingress objects imply (manifests): a pod of unknown
  // namespace and labels, which policies admit only where they admit any in-cluster pod.
  bool ingress_controller = false;
};

// Something the values say that is likely a mistake; printed to stderr by every command and
// reported by `check` under its code.
// What a reader found wrong or doubtful in its input: the finding code ("unknown-peer",
// "otlp-egress-missing"; its rule in graph/analysis/findings.cpp gives the severity), what is
// wrong, the values key where, and what to change. Commands print it as a warning (or a note);
// `check` lists it as a Finding, which is a Warning with a severity, subject and waiver.
struct Warning {
  std::string code;
  std::string message;
  Provenance where;
  std::string fix;
  std::string str() const { return format_located(where.where, where.path, message); }
};

struct OtlpEndpoint {
  std::string host;
  int port = 0;
  bool is_default = false;  // the in-namespace ingest:4317
  std::string id() const { return std::string(kOtlpPrefix) + host + ":" + std::to_string(port); }
};

// One backend of an Ingress (networking.k8s.io/v1): the Service it names and the pods'
// ports that Service forwards to (named target ports stay names, resolved per pod).
struct IngressRoute {
  std::string ingress;  // "Ingress/shop/web"
  Provenance at;        // the backend
  std::string service;  // "shop/web"
  PortSet ports;
  std::vector<std::string> backends;  // the services (workloads) the Service selects
};

// What the inputs call what the policies select: "workload" when read from manifests (as in
// "every workload: TCP 9000", "any source reaches 2 workloads"), else "service".
inline const char* service_word(bool from_manifests) {
  return from_manifests ? "workload" : "service";
}

struct Chart {
  bool enabled = false;
  // Read from rendered manifests (read_manifests), not values. There every pod's container
  // ports are known, so a named port that no container of the destination declares matches
  // nothing; from values the chart's containers are not known, so such a name is kept.
  bool from_manifests = false;
  Provenance enabled_at;             // global.networkPolicy.enabled
  std::string ns;                    // the release namespace (manifests: the workloads' main one)
  Labels ns_labels;                  // {kubernetes.io/metadata.name: ns}
  std::vector<Service> services;     // in display order
  std::optional<OtlpEndpoint> otlp;  // set when OTLP is enabled
  std::vector<Warning> warnings;
  // Manifests with Ingress objects: what they route to. The ingress controller is then a
  // service (ingress_controller set) whose egress rules are these routes.
  std::vector<IngressRoute> ingress_routes;
  // Manifests: the admin network policies, in the order the tiers decide. Services' rules
  // already account for them; the graph applies them to the pods nobody listed.
  std::vector<AdminPolicy> admin_policies;

  // The service called `name`, or nullptr (through an index built on first use and rebuilt
  // when services were added).
  const Service* service(const std::string& name) const;

 private:
  mutable std::unordered_map<std::string, std::size_t> by_name_;
  mutable std::size_t indexed_ = 0;
};

}  // namespace netpol::graph
