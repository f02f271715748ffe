#pragma once
// Random label selectors and peers for the property tests that compare verdicts with an
// enumeration over one pod of every label class: a selector reads one key, with any of the
// four operators or none, and is known both as YAML and as a predicate.

#include <optional>
#include <random>
#include <string>

#include "graph/sets/selector.hpp"

namespace netpol::test {

struct RandomSel {
  std::string yaml;
  int kind = 0;  // 0 {}, 1 key=v, 2 key In [v, w], 3 key NotIn [v], 4 Exists, 5 DoesNotExist
  std::string key, v, w;

  bool matches(const graph::Labels& labels) const {
    auto it = labels.find(key);
    const bool has = it != labels.end();
    switch (kind) {
      case 1:
        return has && it->second == v;
      case 2:
        return has && (it->second == v || it->second == w);
      case 3:
        return !has || it->second != v;
      case 4:
        return has;
      case 5:
        return !has;
      default:
        return true;
    }
  }
};

// A selector over `key`, naming the values `v` and `w` where its operator names values.
inline RandomSel random_sel(std::mt19937& rng, const std::string& key, const std::string& v,
                            const std::string& w) {
  RandomSel s{"", static_cast<int>(rng() % 6), key, v, w};
  const std::string expression = "{matchExpressions: [{key: " + key + ", operator: ";
  switch (s.kind) {
    case 0:
      s.yaml = "{}";
      break;
    case 1:
      s.yaml = "{matchLabels: {" + key + ": " + v + "}}";
      break;
    case 2:
      s.yaml = expression + "In, values: [" + v + ", " + w + "]}]}";
      break;
    case 3:
      s.yaml = expression + "NotIn, values: [" + v + "]}]}";
      break;
    case 4:
      s.yaml = expression + "Exists}]}";
      break;
    default:
      s.yaml = expression + "DoesNotExist}]}";
  }
  return s;
}

// A peer: a namespace selector (none: the policy's namespace, "default") and a pod selector
// (none: every pod).
struct RandomPeer {
  std::optional<RandomSel> ns, pods;

  bool matches(const graph::Labels& ns_labels, const graph::Labels& pod_labels) const {
    if (ns ? !ns->matches(ns_labels)
           : ns_labels.at(std::string(graph::kNamespaceNameLabel)) != "default")
      return false;
    return !pods || pods->matches(pod_labels);
  }
  // As a NetworkPolicy peer: {namespaceSelector, podSelector}.
  std::string yaml() const {
    std::string out = "{";
    if (ns) out += "namespaceSelector: " + ns->yaml;
    if (pods) out += std::string(ns ? ", " : "") + "podSelector: " + pods->yaml;
    return out + "}";
  }
  // As an admin policy's peer or subject (`ns` set): {pods: {...}} or {namespaces: ...}.
  std::string admin_yaml() const {
    return pods ? "{pods: {namespaceSelector: " + ns->yaml + ", podSelector: " + pods->yaml + "}}"
                : "{namespaces: " + ns->yaml + "}";
  }
};

}  // namespace netpol::test
