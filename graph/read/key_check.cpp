#include "graph/read/key_check.hpp"

#include <algorithm>
#include <set>

#include "graph/rules/node_ids.hpp"
#include "suggest.hpp"

namespace netpol::graph {
namespace {

using values::Value;
using Keys = std::vector<std::string>;

const Keys kPeer = {"app", "ports"};
const Keys kIngressRule = {"from", "ports"};
const Keys kEgressRule = {"to", "ports"};
const Keys kNetworkPolicyPeer = {"podSelector", "namespaceSelector", "ipBlock"};
const Keys kSelector = {"matchLabels", "matchExpressions"};
const Keys kExpression = {"key", "operator", "values"};
const Keys kIpBlock = {"cidr", "except"};
const Keys kPort = {"port", "endPort", "protocol"};
const Keys kCidrEntry = {"cidr", "except", "ports", "name"};
// networking.k8s.io/v1 NetworkPolicy, and core/v1 ContainerPort.
const Keys kObject = {"apiVersion", "kind", "metadata", "spec", "status"};
const Keys kPolicySpec = {"podSelector", "policyTypes", "ingress", "egress"};
const Keys kContainerPort = {"containerPort", "name", "protocol", "hostPort", "hostIP"};

const char* const kHelmIgnores = "; Helm ignores it, so it changes nothing";
const char* const kKubernetesRefuses =
    "; the Kubernetes API does not have it (kubectl apply refuses it), and netpol-graph "
    "ignores it";

// The keys of a map of the defaults (none for anything else).
Keys keys_of(const Value* map) {
  Keys out;
  if (map && map->is_map())
    for (const auto& e : map->map) out.push_back(e.key);
  return out;
}

class Checker {
 public:
  // For Kubernetes objects: their schema, no chart defaults.
  Checker() : effect_(kKubernetesRefuses) {}

  explicit Checker(const Value& defaults) : effect_(kHelmIgnores) {
    const Value* global = defaults.find("global");
    global_np_ = keys_of(global ? global->find("networkPolicy") : nullptr);
    std::set<std::string> np;
    for (const auto& entry : defaults.map) {
      if (entry.key == "global" || !entry.value.is_map()) continue;
      const Value* p = entry.value.find("networkPolicy");
      if (!p) continue;
      services_.push_back(entry.key);
      for (const auto& k : keys_of(p)) np.insert(k);
    }
    service_np_.assign(np.begin(), np.end());
  }

  std::vector<Warning> run(const Value& merged) {
    // Defaults that describe no network policy (--defaults /dev/null) are no schema.
    if (!merged.is_map() || (global_np_.empty() && service_np_.empty())) return out_;
    for (const auto& entry : merged.map) {
      if (entry.key == "global") {
        if (const Value* np = entry.value.is_map() ? entry.value.find("networkPolicy") : nullptr)
          network_policy(*np, "global.networkPolicy", global_np_, true);
        continue;
      }
      const Value* np = entry.value.is_map() ? entry.value.find("networkPolicy") : nullptr;
      if (!np) continue;
      // (A service named like a node of the graph's own is left out, and says so itself.)
      if (!services_.empty() && !is_reserved_node_id(entry.key) &&
          std::find(services_.begin(), services_.end(), entry.key) == services_.end())
        unknown(entry.key, entry.key_location(), "", services_, "a service of the chart defaults",
                "; the chart renders no policy for it, while netpol-graph reads it as a service");
      network_policy(*np, entry.key + ".networkPolicy", service_np_, false);
    }
    return out_;
  }

  std::vector<Warning> policy_object(const Value& obj, const std::string& path) {
    if (!check(obj, path, kObject, "a key of a Kubernetes object")) return out_;
    const Value* spec = obj.find("spec");
    std::string at = values::path_key(path, "spec");
    if (!spec || !check(*spec, at, kPolicySpec, "a key of a NetworkPolicy spec")) return out_;
    if (const Value* sel = spec->find("podSelector"))
      selector(*sel, values::path_key(at, "podSelector"));
    for (bool ingress : {true, false}) {
      const char* key = ingress ? "ingress" : "egress";
      if (const Value* rules = spec->find(key))
        items(*rules, values::path_key(at, key),
              [&](const Value& r, const std::string& p) { raw_rule(r, p, ingress); });
    }
    return out_;
  }

  std::vector<Warning> container_ports(const Value& pod_spec, const std::string& path) {
    const Value* containers = pod_spec.is_map() ? pod_spec.find("containers") : nullptr;
    if (!containers) return out_;
    items(*containers, values::path_key(path, "containers"),
          [&](const Value& value, const std::string& at) {
            if (const Value* ports = value.is_map() ? value.find("ports") : nullptr)
              items(*ports, values::path_key(at, "ports"),
                    [&](const Value& p, const std::string& pp) {
                      check(p, pp, kContainerPort, "a key of a container port");
                    });
          });
    return out_;
  }

 private:
  void network_policy(const Value& np, const std::string& path, const Keys& allowed, bool global) {
    if (!check(np, path, allowed, "a networkPolicy key of the chart")) return;
    for (const auto& entry : np.map) {
      std::string at = values::path_key(path, entry.key);
      if (entry.key == "ingressFrom" || entry.key == "egressTo")
        items(entry.value, at, [&](const Value& v, const std::string& p) { peer(v, p); });
      else if (entry.key == "additionalIngress" || entry.key == "additionalEgress")
        items(entry.value, at, [&](const Value& v, const std::string& p) {
          raw_rule(v, p, entry.key == "additionalIngress");
        });
      else if (global && (entry.key == "externalEgress" || entry.key == "otlpEgress"))
        items(entry.value, at, [&](const Value& value, const std::string& p) {
          if (check(value, p, kCidrEntry, "a key of an " + entry.key + " entry"))
            if (const Value* ports = value.find("ports"))
              port_list(*ports, values::path_key(p, "ports"));
        });
    }
  }

  template <typename F>
  static void items(const Value& list, const std::string& path, F&& f) {
    if (!list.is_seq()) return;
    for (std::size_t i = 0; i < list.seq.size(); ++i) f(list.seq[i], values::path_index(path, i));
  }

  void peer(const Value& v, const std::string& path) {
    if (!check(v, path, kPeer, "a peer key ({app, ports})")) return;
    if (const Value* ports = v.find("ports")) port_list(*ports, values::path_key(path, "ports"));
  }

  void raw_rule(const Value& value, const std::string& path, bool ingress) {
    // A misspelt `from`, `to` or `ports` is not only ignored: without it the rule allows more.
    std::string consequence;
    if (value.is_map()) {
      const char* peers = ingress ? "from" : "to";
      bool no_peers = !value.find(peers), no_ports = !value.find("ports");
      if (no_peers)
        consequence = std::string(": without \"") + peers + "\", this rule " +
                      (ingress ? "admits every source" : "allows every destination") +
                      (no_ports ? " on every port" : " on its ports");
      else if (no_ports)
        consequence = ": without \"ports\", this rule allows every port";
    }
    if (!check(
            value, path, ingress ? kIngressRule : kEgressRule,
            std::string("a key of a NetworkPolicy ") + (ingress ? "ingress" : "egress") + " rule",
            consequence))
      return;
    if (const Value* peers = value.find(ingress ? "from" : "to"))
      items(*peers, values::path_key(path, ingress ? "from" : "to"),
            [&](const Value& p, const std::string& at) { network_policy_peer(p, at); });
    if (const Value* ports = value.find("ports"))
      port_list(*ports, values::path_key(path, "ports"));
  }

  void network_policy_peer(const Value& value, const std::string& path) {
    if (!check(value, path, kNetworkPolicyPeer, "a key of a NetworkPolicy peer")) return;
    for (const char* s : {"podSelector", "namespaceSelector"})
      if (const Value* sel = value.find(s)) selector(*sel, values::path_key(path, s));
    if (const Value* b = value.find("ipBlock"))
      check(*b, values::path_key(path, "ipBlock"), kIpBlock, "a key of an ipBlock");
  }

  void selector(const Value& value, const std::string& path) {
    std::string consequence;
    if (value.is_map() && !value.find("matchLabels") && !value.find("matchExpressions"))
      consequence =
          ": without matchLabels or matchExpressions, this selector is empty and "
          "selects everything";
    if (!check(value, path, kSelector, "a key of a label selector", consequence)) return;
    if (const Value* exprs = value.find("matchExpressions"))
      items(*exprs, values::path_key(path, "matchExpressions"),
            [&](const Value& e, const std::string& at) {
              check(e, at, kExpression, "a key of a selector requirement");
            });
  }

  void port_list(const Value& value, const std::string& path) {
    items(value, path, [&](const Value& p, const std::string& at) {
      if (p.is_map()) check(p, at, kPort, "a key of a NetworkPolicy port");
    });
  }

  // Warns for every key of map `v` not in `allowed`; false when `v` is not a map.
  // `consequence`, when the keys ignored change what the map means, follows the effect
  // (": without \"from\", this rule admits every source ...").
  bool check(const Value& value, const std::string& path, const Keys& allowed,
             const std::string& what, const std::string& consequence = "") {
    if (!value.is_map()) return false;
    for (const auto& e : value.map)
      if (std::find(allowed.begin(), allowed.end(), e.key) == allowed.end())
        unknown(e.key, e.key_location(), path, allowed, what,
                consequence.empty() ? "" : ignored_but() + consequence);
    return true;
  }

  // The effect without its "changes nothing": what follows says what it changes.
  std::string ignored_but() const {
    std::string e = effect_;
    if (auto at = e.find(", so it changes nothing"); at != std::string::npos) e.erase(at);
    return e;
  }

  void unknown(const std::string& key, const Location& where, const std::string& parent,
               const Keys& allowed, const std::string& what, const std::string& effect = "") {
    std::string hint = did_you_mean(key, allowed);
    std::string path = parent.empty() ? values::path_key("", key) : values::path_key(parent, key);
    out_.push_back({"unknown-key",
                    "\"" + key + "\" is not " + what +
                        (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)") +
                        (effect.empty() ? effect_ : effect),
                    {path, where},
                    hint.empty() ? "remove it, or check the chart's documentation for the key"
                                 : "write \"" + hint + "\""});
  }

  std::string effect_;  // what an unknown key does, after "is not ..."
  Keys global_np_, service_np_, services_;
  std::vector<Warning> out_;
};

}  // namespace

std::vector<Warning> unknown_keys(const values::Value& merged, const values::Value& defaults) {
  return Checker(defaults).run(merged);
}

std::vector<Warning> unknown_policy_keys(const values::Value& policy, const std::string& path) {
  return Checker().policy_object(policy, path);
}

std::vector<Warning> unknown_container_port_keys(const values::Value& pod_spec,
                                                 const std::string& path) {
  return Checker().container_ports(pod_spec, path);
}

}  // namespace netpol::graph
