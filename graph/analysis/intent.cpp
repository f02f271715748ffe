#include "graph/analysis/intent.hpp"

#include <algorithm>
#include <map>

#include "error.hpp"
#include "graph/analysis/analysis.hpp"
#include "graph/analysis/pod_space.hpp"
#include "graph/read/read_rules.hpp"
#include "graph/rules/node_ids.hpp"
#include "graph/sets/pod_cubes.hpp"
#include "suggest.hpp"
#include "values/cursor.hpp"

namespace netpol::graph {
namespace {

const std::vector<std::string> kRuleKeys = {"from", "to", "port", "maxHops"};

// Pods as a NetworkPolicy peer selects them: {namespaceSelector, podSelector}, one at least.
IntentPods read_pods(const values::Cursor& cursor) {
  const std::vector<std::string> keys = {"namespaceSelector", "podSelector"};
  for (const auto& [key, value] : cursor.entries())
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
      std::string hint = did_you_mean(key, keys);
      value.fail("unknown key \"" + key + "\"" +
                 (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)") +
                 "; pods are given as {namespaceSelector, podSelector}, as a NetworkPolicy "
                 "peer selects them");
    }
  if (cursor.entries().empty())
    cursor.fail("expected pods {namespaceSelector, podSelector} (one at least), got an empty map");
  IntentPods p;
  if (cursor["namespaceSelector"].present())
    p.namespaces = read_selector(cursor["namespaceSelector"]);
  if (cursor["podSelector"].present()) p.pods = read_selector(cursor["podSelector"]);
  return p;
}

// The pods written as a selector node's id: "sel:ns(team=shop)/pods(app=web)".
std::string pods_id(const IntentPods& p) {
  if (!p.namespaces) return std::string(kSelectorPrefix) + "pods(" + p.pods->str() + ")";
  return std::string(kSelectorPrefix) + "ns(" + p.namespaces->str() + ")" +
         (p.pods ? "/pods(" + p.pods->str() + ")" : "");
}

IntentRule read_rule(const values::Cursor& cursor, bool deny) {
  if (!cursor.is_map()) cursor.fail("expected a map {from, to, port?, maxHops?}");
  for (const auto& [key, value] : cursor.entries())
    if (std::find(kRuleKeys.begin(), kRuleKeys.end(), key) == kRuleKeys.end()) {
      std::string hint = did_you_mean(key, kRuleKeys);
      value.fail("unknown key \"" + key + "\"" +
                 (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)") +
                 "; a rule has from, to, port and maxHops");
    }
  IntentRule intent;
  intent.deny = deny;
  intent.at = {cursor.path(), cursor.where()};
  for (auto* field : {&intent.from, &intent.to}) {
    const bool from = field == &intent.from;
    values::Cursor v = cursor[from ? "from" : "to"];
    if (!v.present())
      cursor.fail(std::string("missing \"") + (from ? "from" : "to") +
                  "\": a node id (svc:NAME, ext:NAME, any-source, dns, ...) or pods "
                  "{namespaceSelector, podSelector}");
    if (v.is_map()) {
      (from ? intent.from_pods : intent.to_pods) = read_pods(v);
      *field = pods_id(*(from ? intent.from_pods : intent.to_pods));
    } else {
      *field = v.as_string();
    }
  }
  if (cursor["port"].present()) intent.port = cursor["port"].parse(parse_port_query);
  if (cursor["maxHops"].present()) {
    std::int64_t hops = cursor["maxHops"].as_int();
    if (hops < 1 || hops > 1000000) cursor["maxHops"].fail("expected a number of hops from 1");
    intent.max_hops = static_cast<int>(hops);
  }
  return intent;
}

// The graph's node for an id as an intent file writes it ("svc:NAME" is the service NAME).
PolicyGraph::Vertex node_of(const PolicyGraph& graph, const std::string& id,
                            const IntentRule& intent, const char* side) {
  std::string plain = id.rfind("svc:", 0) == 0 ? id.substr(4) : id;
  if (auto v = graph.find(plain); v && !is_class(graph.node(*v).kind)) return *v;
  // The closest id, services compared by name and written svc:NAME.
  std::vector<std::string> ids;
  for (auto v : graph.nodes())
    if (!is_class(graph.node(v).kind)) ids.push_back(graph.node(v).id);
  std::string hint = did_you_mean(plain, ids);
  if (auto v = graph.find(hint); v && graph.node(*v).kind == NodeKind::Service)
    hint = "svc:" + hint;
  throw InputError(intent.at.where, intent.at.path + "." + side,
                   "no node \"" + id + "\" in the graph" +
                       (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)"));
}

// One end of a rule: its node, or its pods and the nodes holding some of them (each with
// the part it holds).
struct End {
  std::optional<PolicyGraph::Vertex> node;
  std::optional<PodCubes> pods;
  std::vector<std::pair<PolicyGraph::Vertex, PodCubes>> holders;
};

End end_of(const PolicyGraph& pg, const PodSpace& space, const IntentRule& intent, bool from) {
  End end;
  const std::optional<IntentPods>& pods = from ? intent.from_pods : intent.to_pods;
  if (!pods) {
    end.node = node_of(pg, from ? intent.from : intent.to, intent, from ? "from" : "to");
    return end;
  }
  end.pods = space.selected(pods->namespaces, pods->pods);
  for (PolicyGraph::Vertex v : pg.nodes()) {
    if (is_class(pg.node(v).kind)) continue;
    PodCubes part = space.of(pg.node(v)).intersect(*end.pods);
    if (!part.empty()) end.holders.emplace_back(v, std::move(part));
  }
  return end;
}

std::string describe(const IntentRule& intent) {
  return std::string(intent.deny ? "deny " : "allow ") + intent.from + " -> " + intent.to +
         (intent.port ? " on " + intent.port->str() : "") +
         (intent.max_hops ? " within " + std::to_string(intent.max_hops) + " hops" : "");
}

}  // namespace

std::vector<IntentRule> read_intents(const values::Value& doc) {
  values::Cursor root = values::Cursor::root(doc);
  if (!root.is_map()) root.fail("expected a map with deny: and allow: lists of rules");
  for (const auto& [key, value] : root.entries())
    if (key != "deny" && key != "allow") {
      std::string hint = did_you_mean(key, {"deny", "allow"});
      value.fail("unknown key \"" + key + "\"" +
                 (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)") +
                 "; an intent file has deny: and allow:");
    }
  std::vector<IntentRule> out;
  for (bool deny : {true, false})
    for (const auto& item : root[deny ? "deny" : "allow"].items())
      out.push_back(read_rule(item, deny));
  return out;
}

namespace {

// The pods the intent rules speak of: a known pod lacks the label keys the rules read that it
// does not have.
PodSpace intent_space(const Analysis& analysis, const std::vector<IntentRule>& rules) {
  std::vector<std::string> ns_keys, pod_keys;
  for (const IntentRule& intent : rules)
    for (const auto* e : {&intent.from_pods, &intent.to_pods}) {
      if (!*e) continue;
      if ((*e)->namespaces)
        for (const Requirement& q : (*e)->namespaces->requirements()) ns_keys.push_back(q.key);
      if ((*e)->pods)
        for (const Requirement& q : (*e)->pods->requirements()) pod_keys.push_back(q.key);
    }
  return PodSpace({&analysis}, std::move(ns_keys), std::move(pod_keys));
}

// What each start of a rule's `from` end (its node, then its holders) reaches of the `to`
// end's nodes: the shortest route to each, and the shortest of all.
struct Reached {
  std::vector<std::vector<Route>> routes;  // by start
  std::optional<Route> shortest;
};

Reached reach_ends(const PolicyGraph& pg, const End& from, const End& to,
                   const ReachOptions& options) {
  std::vector<PolicyGraph::Vertex> sources, targets;
  if (from.node) sources.push_back(*from.node);
  for (const auto& h : from.holders) sources.push_back(h.first);
  if (to.node) targets.push_back(*to.node);
  for (const auto& h : to.holders) targets.push_back(h.first);
  Reached out;
  out.routes.resize(sources.size());
  for (std::size_t i = 0; i < sources.size(); ++i) {
    if (from.node && to.node) {
      if (auto route = route_between(pg, sources[i], targets[0], options))
        out.routes[i].push_back(std::move(*route));
    } else {
      for (Route& route : reach_from(pg, sources[i], options))
        if (std::find(targets.begin(), targets.end(), route.to) != targets.end())
          out.routes[i].push_back(std::move(route));
    }
    for (const Route& route : out.routes[i])
      if (!out.shortest || route.hops() < out.shortest->hops()) out.shortest = route;
  }
  return out;
}

// For an allow rule: whether it is met, and if not for some pods only, the pods of `from`
// left without a path to every pod of `to` (and those of `to` they miss).
struct Unmet {
  bool met = true;
  std::optional<std::pair<PodCubes, PodCubes>> pods;
};

Unmet unmet_pods(const End& from, const End& to, const Reached& reached) {
  Unmet out;
  auto covered_to = [&](std::size_t i) {  // what start i reaches of `to`'s pods
    PodCubes covered;
    for (const Route& route : reached.routes[i])
      for (const auto& h : to.holders)
        if (h.first == route.to) covered = covered.unite(h.second);
    return covered;
  };
  if (from.node && to.node) {
    out.met = !reached.routes[0].empty();
  } else if (to.node) {
    PodCubes covered;
    for (std::size_t i = 0; i < from.holders.size(); ++i)
      if (!reached.routes[i].empty()) covered = covered.unite(from.holders[i].second);
    if (PodCubes left = from.pods->subtract(covered); !left.empty())
      out.pods.emplace(std::move(left), PodCubes());
  } else if (from.node) {
    if (PodCubes left = to.pods->subtract(covered_to(0)); !left.empty())
      out.pods.emplace(PodCubes(), std::move(left));
  } else {
    std::vector<PodCubes> parts;
    PodCubes held;
    for (const auto& h : from.holders) parts.push_back(h.second), held = held.unite(h.second);
    if (PodCubes none = from.pods->subtract(held); !none.empty() && !to.pods->empty())
      out.pods.emplace(std::move(none), *to.pods);
    std::optional<PodCells> cells = partition(parts);
    for (std::size_t c = 0; cells && !out.pods && c < cells->cells.size(); ++c) {
      PodCubes covered;
      for (std::size_t i = 0; i < parts.size(); ++i) {
        const auto& of_i = cells->cells_of[i];
        if (std::find(of_i.begin(), of_i.end(), c) != of_i.end())
          covered = covered.unite(covered_to(i));
      }
      if (PodCubes left = to.pods->subtract(covered); !left.empty())
        out.pods.emplace(cells->cells[c], std::move(left));
    }
  }
  out.met = out.met && !out.pods;
  return out;
}

// A deny rule's violation: the shortest path, with each hop's ports and keys.
std::string violation_path(const PolicyGraph& pg, const Route& route) {
  std::string path, keys;
  for (std::size_t i = 0; i < route.path.size(); ++i) {
    path += (i ? " -> " : "") + pg.node(route.path[i]).id;
    if (i + 1 == route.path.size()) continue;
    Edge edge = *pg.hop_edge(route.path[i], route.path[i + 1]);
    std::string hop;
    for (const auto* side : {&edge.egress, &edge.ingress})
      for (const auto& p : *side) hop += (hop.empty() ? "" : ", ") + p.str();
    keys += "; hop " + std::to_string(i + 1) + " " + pg.node(route.path[i]).id + " -> " +
            pg.node(route.path[i + 1]).id + " " + edge.ports.label() + ": " +
            (hop.empty() ? "(no key)" : hop);
  }
  return path + keys;
}

Finding intent_violated(const PolicyGraph& pg, const IntentRule& rule, const Reached& reached,
                        const Unmet& unmet) {
  Finding finding;
  finding.code = "intent-violated";
  finding.severity = Severity::Error;
  finding.where = rule.at;
  finding.subject = describe(rule);
  if (rule.deny) {
    finding.message = describe(rule) + " is violated: " + violation_path(pg, *reached.shortest);
    finding.fix =
        "close one hop of the path (each hop's keys above), or change the rule if the "
        "access is intended";
  } else if (!unmet.pods) {
    finding.message = describe(rule) + " is not met: no path" +
                      (rule.port ? " whose last hop allows " + rule.port->str() : "");
    finding.fix = "open the path (`netpol-graph reach --from " +
                  rule.from.substr(rule.from.rfind("svc:", 0) == 0 ? 4 : 0) + " --to " +
                  rule.to.substr(rule.to.rfind("svc:", 0) == 0 ? 4 : 0) +
                  " --explain` says what blocks a hop), or change the rule";
  } else {
    const auto& [left_from, left_to] = *unmet.pods;
    finding.message = describe(rule) + " is not met: no path" +
                      (rule.port ? " whose last hop allows " + rule.port->str() : "") + " from " +
                      (left_from.empty() ? rule.from : left_from.describe()) + " to " +
                      (left_to.empty() ? rule.to : left_to.describe());
    finding.fix =
        "open a path for those pods (`netpol-graph reach` lists what each node reaches, "
        "`--explain` what blocks a hop), or change the rule";
  }
  return finding;
}

}  // namespace

std::vector<Finding> check_intents(const Analysis& analysis, const std::vector<IntentRule>& rules) {
  const PolicyGraph& graph = analysis.graph;
  const PodSpace space = intent_space(analysis, rules);
  std::vector<Finding> out;
  for (const IntentRule& intent : rules) {
    End from = end_of(graph, space, intent, true), to = end_of(graph, space, intent, false);
    ReachOptions options;
    options.port = intent.port;
    options.max_hops = intent.max_hops;
    // A pod is not asked to reach itself: an end given as a service leaves its pods out of
    // the other end.
    auto own = [&](const std::optional<PolicyGraph::Vertex>& v) {  // a service's pods
      return v && graph.node(*v).kind == NodeKind::Service ? space.of(graph.node(*v)) : PodCubes();
    };
    if (to.node && from.pods) *from.pods = from.pods->subtract(own(to.node));
    if (from.node && to.pods) *to.pods = to.pods->subtract(own(from.node));
    const Reached reached = reach_ends(graph, from, to, options);
    const Unmet unmet = intent.deny ? Unmet{} : unmet_pods(from, to, reached);
    if (intent.deny ? !reached.shortest : unmet.met) continue;
    out.push_back(intent_violated(graph, intent, reached, unmet));
  }
  return out;
}

}  // namespace netpol::graph
