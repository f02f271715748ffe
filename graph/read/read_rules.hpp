#pragma once
// Reading the rule-shaped parts of the values: ports lists, label selectors, NetworkPolicy
// peers and rules, CIDR entries and service ports. Each throws InputError at the offending
// node, naming its values path.

#include <string_view>
#include <vector>

#include "graph/rules/chart.hpp"
#include "values/cursor.hpp"

namespace netpol::graph {

// The values path and location of a node, as provenance.
Provenance prov(const values::Cursor& c);

// A port number (1-65535), as Helm reads numbers (0x1F, 0750, 9_510, 9510.0 included);
// `what` names it in the error ("port", "targetPort").
int read_port_number(const values::Cursor& c, std::string_view what = "port");

// A port name (an IANA service name: 1-15 lowercase letters, digits and '-', at least one
// letter). A plain `yes`, `on` or `true` is a YAML 1.1 boolean to Helm's and kubectl's
// parsers, which the API refuses as a port: an error that says to quote it.
std::string read_port_name(const values::Cursor& c);

// A `ports` list: 9500, "metrics", or {port, protocol, endPort}; absent or empty means every
// port, as in Kubernetes.
PortSet read_ports(const values::Cursor& c);

// A label key and a label value as the API server checks them (graph/read/k8s_names.hpp): an
// InputError at `at` otherwise.
void check_label_key(const values::Cursor& at, const std::string& key);
std::string read_label_value(const values::Cursor& c);

// matchLabels and matchExpressions.
LabelSelector read_selector(const values::Cursor& c);

// An ipBlock given by its cidr and except nodes; every except must lie inside the cidr.
IpBlock read_ip_block(const values::Cursor& c, const values::Cursor& cidr_key,
                      const values::Cursor& except_key);

// A NetworkPolicyPeer: podSelector and/or namespaceSelector, or an ipBlock alone.
Peer read_peer(const values::Cursor& c);

// An additionalIngress / additionalEgress entry: a raw NetworkPolicy rule.
Rule read_raw_rule(const values::Cursor& c, bool ingress);

// An ingressFrom / egressTo entry: {app, ports}.
Rule read_peer_rule(const values::Cursor& c);

// An externalEgress / otlpEgress entry: {cidr, except, ports, name}.
Rule read_cidr_entry(const values::Cursor& c, RuleOrigin origin);

// A service's `service.port` and `service.ports` (numbers or {name, port, protocol}).
std::vector<NamedPort> read_service_ports(const values::Cursor& svc);

}  // namespace netpol::graph
