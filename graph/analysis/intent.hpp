#pragma once
// Intent rules (`check --intent FILE`): what must never be reachable (deny) and what must
// stay reachable (allow), checked against the effective graph's multi-hop reachability.
//
//   deny:
//     - {from: any-source, to: ext:PostgreSQL, port: TCP/5432}
//     - {from: {namespaceSelector: {matchLabels: {team: shop}}}, to: svc:db}
//   allow:
//     - {from: svc:ui, to: svc:query, port: TCP/9510, maxHops: 1}
//
// `from` and `to` are node ids, or pods as a NetworkPolicy peer selects them (docs/model.md,
// "Pods as sets"): a deny holds when no pod of `from` reaches a pod of `to` (through any
// node that holds some of them), an allow when every pod of `from` reaches every pod of
// `to`. A deny that some path satisfies, or an allow that not every pod meets, is an error
// finding `intent-violated` at the rule's file:line; a deny's names the shortest offending
// path and the values keys of each hop, an allow's the pods left without a path.

#include <optional>
#include <string>
#include <vector>

#include "graph/analysis/findings.hpp"
#include "graph/analysis/reach.hpp"
#include "graph/sets/selector.hpp"
#include "values/value.hpp"

namespace netpol::graph {

struct Analysis;

// One end of a rule given as pods: a NetworkPolicy peer's selectors (a podSelector alone
// means the release namespace's pods).
struct IntentPods {
  std::optional<LabelSelector> namespaces, pods;
};

struct IntentRule {
  bool deny = true;
  // Node ids as written ("svc:NAME" for a service, "ext:NAME", ...); for pods, their
  // selectors written as a selector node's id ("sel:ns(team=shop)/pods(app=web)").
  std::string from, to;
  std::optional<IntentPods> from_pods, to_pods;
  std::optional<PortQuery> port;
  int max_hops = 0;  // 0: any number
  Provenance at;     // "deny[0]" and where the rule is
};

// Reads an intent file's tree; throws InputError (file:line:col, path) for anything else
// than `deny:` and `allow:` lists of {from, to, port?, maxHops?}.
std::vector<IntentRule> read_intents(const values::Value& doc);

// The rules the analysis violates, as findings. Throws InputError at the rule for a node
// that is not in the graph (with the closest id).
std::vector<Finding> check_intents(const Analysis& a, const std::vector<IntentRule>& rules);

}  // namespace netpol::graph
