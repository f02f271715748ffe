#pragma once
// Intent rules (`check --intent FILE`): what must never be reachable (deny) and what must
// stay reachable (allow), checked against the effective graph's multi-hop reachability.
//
//   deny:
//     - {from: any-source, to: ext:PostgreSQL, port: TCP/5432}
//   allow:
//     - {from: svc:ui, to: svc:query, port: TCP/9510, maxHops: 1}
//
// A deny that some path satisfies, or an allow that no path satisfies, is an error finding
// `intent-violated` at the rule's file:line; a deny's names the shortest offending path and
// the values keys of each hop.

#include <optional>
#include <string>
#include <vector>

#include "graph/findings.hpp"
#include "graph/reach.hpp"
#include "values/value.hpp"

namespace netpol::graph {

struct Analysis;

struct IntentRule {
  bool deny = true;
  std::string from, to;  // node ids as written ("svc:NAME" for a service, "ext:NAME", ...)
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
