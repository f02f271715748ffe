#include "exporters/manifests.hpp"

#include <yaml-cpp/yaml.h>

#include <map>

#include "error.hpp"
#include "exporters/yaml_text.hpp"

namespace netpol::exporters {
namespace {

using graph::LabelSelector;
using graph::Requirement;

// A selector as matchLabels (single-value In) and matchExpressions (the rest); {} selects all.
void emit_selector(YAML::Emitter& yaml, const LabelSelector& sel) {
  std::map<std::string, std::string> labels;
  std::vector<const Requirement*> expressions;
  for (const Requirement& requirement : sel.requirements()) {
    if (requirement.op == Requirement::Op::In && requirement.values.size() == 1 &&
        !labels.count(requirement.key))
      labels[requirement.key] = requirement.values[0];
    else
      expressions.push_back(&requirement);
  }
  yaml << YAML::BeginMap;
  if (!labels.empty()) {
    yaml << YAML::Key << "matchLabels" << YAML::Value << YAML::BeginMap;
    for (const auto& [k, v] : labels)
      yaml << YAML::Key << YamlString{k} << YAML::Value << YAML::DoubleQuoted << v;
    yaml << YAML::EndMap;
  }
  if (!expressions.empty()) {
    yaml << YAML::Key << "matchExpressions" << YAML::Value << YAML::BeginSeq;
    for (const Requirement* r : expressions) {
      yaml << YAML::BeginMap << YAML::Key << "key" << YAML::Value << YamlString{r->key};
      yaml << YAML::Key << "operator" << YAML::Value << std::string(graph::operator_name(r->op));
      if (r->op == Requirement::Op::In || r->op == Requirement::Op::NotIn) {
        yaml << YAML::Key << "values" << YAML::Value << YAML::BeginSeq;
        for (const auto& v : r->values) yaml << YAML::DoubleQuoted << v;
        yaml << YAML::EndSeq;
      }
      yaml << YAML::EndMap;
    }
    yaml << YAML::EndSeq;
  }
  yaml << YAML::EndMap;
}

void emit_peer(YAML::Emitter& yaml, const graph::Peer& peer) {
  yaml << YAML::BeginMap;
  if (peer.ip_block) {
    yaml << YAML::Key << "ipBlock" << YAML::Value << YAML::BeginMap;
    yaml << YAML::Key << "cidr" << YAML::Value << peer.ip_block->cidr.str();
    if (!peer.ip_block->except.empty()) {
      yaml << YAML::Key << "except" << YAML::Value << YAML::BeginSeq;
      for (const auto& e : peer.ip_block->except) yaml << e.str();
      yaml << YAML::EndSeq;
    }
    yaml << YAML::EndMap;
  }
  if (peer.namespaces) {
    yaml << YAML::Key << "namespaceSelector" << YAML::Value;
    emit_selector(yaml, *peer.namespaces);
  }
  if (peer.pods) {
    yaml << YAML::Key << "podSelector" << YAML::Value;
    emit_selector(yaml, *peer.pods);
  }
  yaml << YAML::EndMap;
}

// `ports` of a rule: one entry per whole protocol, range or name; absent for every port.
void emit_ports(YAML::Emitter& yaml, const graph::PortSet& ports) {
  if (ports.is_all()) return;
  yaml << YAML::Key << "ports" << YAML::Value << YAML::BeginSeq;
  for (const auto& item : ports.items()) {
    yaml << YAML::BeginMap;
    yaml << YAML::Key << "protocol" << YAML::Value
         << std::string(graph::protocol_name(item.protocol));
    if (!item.name.empty()) {
      yaml << YAML::Key << "port" << YAML::Value << YamlString{item.name};
    } else if (!item.all) {
      yaml << YAML::Key << "port" << YAML::Value << item.lo;
      if (item.hi > item.lo) yaml << YAML::Key << "endPort" << YAML::Value << item.hi;
    }
    yaml << YAML::EndMap;
  }
  yaml << YAML::EndSeq;
}

void emit_rules(YAML::Emitter& yaml, const std::vector<graph::Rule>& rules, const char* peers_key) {
  yaml << YAML::BeginSeq;
  for (const graph::Rule& rule : rules) {
    yaml << YAML::BeginMap;
    if (!rule.any_peer) {
      yaml << YAML::Key << peers_key << YAML::Value << YAML::BeginSeq;
      for (const auto& p : rule.peers) emit_peer(yaml, p);
      yaml << YAML::EndSeq;
    }
    emit_ports(yaml, rule.ports);
    yaml << YAML::EndMap;
  }
  yaml << YAML::EndSeq;
}

void emit_metadata(YAML::Emitter& emitter, const graph::Service& service) {
  emitter << YAML::Key << "metadata" << YAML::Value << YAML::BeginMap;
  // Quoted, like label values: a name such as "123" or "true" must stay a string.
  emitter << YAML::Key << "name" << YAML::Value << YAML::DoubleQuoted << service.name;
  emitter << YAML::Key << "namespace" << YAML::Value << YAML::DoubleQuoted << service.ns;
  emitter << YAML::Key << "labels" << YAML::Value << YAML::BeginMap;
  for (const auto& [k, v] : service.labels)
    emitter << YAML::Key << YamlString{k} << YAML::Value << YAML::DoubleQuoted << v;
  emitter << YAML::EndMap << YAML::EndMap;
}

// Opens a document for one object of the service: apiVersion, kind, metadata, then `spec`.
void begin_object(YAML::Emitter& emitter, const graph::Service& service, const char* api,
                  const char* kind) {
  emitter << YAML::BeginDoc << YAML::BeginMap;
  emitter << YAML::Key << "apiVersion" << YAML::Value << api;
  emitter << YAML::Key << "kind" << YAML::Value << kind;
  emit_metadata(emitter, service);
  emitter << YAML::Key << "spec" << YAML::Value << YAML::BeginMap;
}

// The selector of the service's pods: its labels.
LabelSelector pods_of(const graph::Service& service) {
  LabelSelector pods;
  for (const auto& [k, v] : service.labels) pods.add_equals(k, v);
  return pods;
}

void emit_policy(YAML::Emitter& emitter, const graph::Service& service) {
  begin_object(emitter, service, "networking.k8s.io/v1", "NetworkPolicy");
  emitter << YAML::Key << "podSelector" << YAML::Value;
  emit_selector(emitter, pods_of(service));
  emitter << YAML::Key << "policyTypes" << YAML::Value << YAML::Flow << YAML::BeginSeq << "Ingress"
          << "Egress" << YAML::EndSeq;
  emitter << YAML::Key << "ingress" << YAML::Value;
  emit_rules(emitter, service.ingress, "from");
  emitter << YAML::Key << "egress" << YAML::Value;
  emit_rules(emitter, service.egress, "to");
  emitter << YAML::EndMap << YAML::EndMap;
}

// A Deployment with the service's label and its ports as container ports: enough pods for
// an analyzer to resolve selectors and named ports.
void emit_workload(YAML::Emitter& yaml, const graph::Service& service) {
  begin_object(yaml, service, "apps/v1", "Deployment");
  yaml << YAML::Key << "replicas" << YAML::Value << 1;
  yaml << YAML::Key << "selector" << YAML::Value;
  emit_selector(yaml, pods_of(service));
  yaml << YAML::Key << "template" << YAML::Value << YAML::BeginMap;
  yaml << YAML::Key << "metadata" << YAML::Value << YAML::BeginMap;
  yaml << YAML::Key << "labels" << YAML::Value << YAML::BeginMap;
  for (const auto& [k, v] : service.labels)
    yaml << YAML::Key << YamlString{k} << YAML::Value << YAML::DoubleQuoted << v;
  yaml << YAML::EndMap << YAML::EndMap;
  yaml << YAML::Key << "spec" << YAML::Value << YAML::BeginMap;
  yaml << YAML::Key << "containers" << YAML::Value << YAML::BeginSeq << YAML::BeginMap;
  yaml << YAML::Key << "name" << YAML::Value << YAML::DoubleQuoted << service.name;
  yaml << YAML::Key << "image" << YAML::Value
       << "registry.invalid/" + service.name + ":placeholder";
  if (!service.ports.empty()) {
    yaml << YAML::Key << "ports" << YAML::Value << YAML::BeginSeq;
    for (const auto& p : service.ports) {
      yaml << YAML::BeginMap;
      if (!p.name.empty()) yaml << YAML::Key << "name" << YAML::Value << YamlString{p.name};
      yaml << YAML::Key << "containerPort" << YAML::Value << p.port;
      yaml << YAML::Key << "protocol" << YAML::Value
           << std::string(graph::protocol_name(p.protocol));
      yaml << YAML::EndMap;
    }
    yaml << YAML::EndSeq;
  }
  yaml << YAML::EndMap << YAML::EndSeq;  // container, containers
  yaml << YAML::EndMap << YAML::EndMap;  // pod spec, template
  yaml << YAML::EndMap << YAML::EndMap;  // spec, document
}

}  // namespace

void write_manifests(const graph::Analysis& analysis, bool workloads, std::ostream& out) {
  if (!analysis.chart.enabled) return;
  YAML::Emitter emitter;
  emitter.SetIndent(2);
  emitter.SetSeqFormat(YAML::Block);
  for (const auto& s : analysis.chart.services) emit_policy(emitter, s);
  if (workloads)
    for (const auto& s : analysis.chart.services) emit_workload(emitter, s);
  // The namespace is the user's text: a line break in it must not end the comment.
  std::string ns = analysis.chart.ns;
  for (char& c : ns)
    if (c == '\n' || c == '\r') c = ' ';
  out << "# NetworkPolicies rendered by netpol-graph from the values (namespace " << ns << ")\n";
  out << emitter.c_str() << "\n";
}

}  // namespace netpol::exporters
