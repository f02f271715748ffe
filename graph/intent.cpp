#include "graph/intent.hpp"

#include <algorithm>

#include "error.hpp"
#include "graph/analysis.hpp"
#include "suggest.hpp"
#include "values/cursor.hpp"

namespace netpol::graph {
namespace {

const std::vector<std::string> kRuleKeys = {"from", "to", "port", "maxHops"};

IntentRule read_rule(const values::Cursor& c, bool deny) {
  if (!c.is_map()) c.fail("expected a map {from, to, port?, maxHops?}");
  for (const auto& [key, value] : c.entries())
    if (std::find(kRuleKeys.begin(), kRuleKeys.end(), key) == kRuleKeys.end()) {
      std::string hint = did_you_mean(key, kRuleKeys);
      value.fail("unknown key \"" + key + "\"" +
                 (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)") +
                 "; a rule has from, to, port and maxHops");
    }
  IntentRule r;
  r.deny = deny;
  r.at = {c.path(), c.where()};
  for (auto* field : {&r.from, &r.to}) {
    values::Cursor v = c[field == &r.from ? "from" : "to"];
    if (!v.present())
      c.fail(std::string("missing \"") + (field == &r.from ? "from" : "to") +
             "\": a node id (svc:NAME, ext:NAME, any-source, dns, ...)");
    *field = v.as_string();
  }
  if (c["port"].present()) r.port = c["port"].parse(parse_port_query);
  if (c["maxHops"].present()) {
    std::int64_t hops = c["maxHops"].as_int();
    if (hops < 1 || hops > 1000000) c["maxHops"].fail("expected a number of hops from 1");
    r.max_hops = static_cast<int>(hops);
  }
  return r;
}

// The graph's node for an id as an intent file writes it ("svc:NAME" is the service NAME).
PolicyGraph::Vertex node_of(const PolicyGraph& g, const std::string& id, const IntentRule& r,
                            const char* side) {
  std::string plain = id.rfind("svc:", 0) == 0 ? id.substr(4) : id;
  if (auto v = g.find(plain); v && !is_class(g.node(*v).kind)) return *v;
  // The closest id, services compared by name and written svc:NAME.
  std::vector<std::string> ids;
  for (auto v : g.nodes())
    if (!is_class(g.node(v).kind)) ids.push_back(g.node(v).id);
  std::string hint = did_you_mean(plain, ids);
  if (auto v = g.find(hint); v && g.node(*v).kind == NodeKind::Service) hint = "svc:" + hint;
  throw InputError(r.at.where, r.at.path + "." + side,
                   "no node \"" + id + "\" in the graph" +
                       (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)"));
}

std::string describe(const IntentRule& r) {
  return std::string(r.deny ? "deny " : "allow ") + r.from + " -> " + r.to +
         (r.port ? " on " + r.port->str() : "") +
         (r.max_hops ? " within " + std::to_string(r.max_hops) + " hops" : "");
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

std::vector<Finding> check_intents(const Analysis& a, const std::vector<IntentRule>& rules) {
  const PolicyGraph& g = a.graph;
  std::vector<Finding> out;
  for (const IntentRule& r : rules) {
    auto from = node_of(g, r.from, r, "from"), to = node_of(g, r.to, r, "to");
    ReachOptions options;
    options.port = r.port;
    options.max_hops = r.max_hops;
    std::optional<Route> route = route_between(g, from, to, options);
    if (r.deny == !route.has_value()) continue;
    Finding f;
    f.code = "intent-violated";
    f.severity = Severity::Error;
    f.where = r.at;
    f.subject = describe(r);
    if (route) {
      std::string path, keys;
      for (std::size_t i = 0; i < route->path.size(); ++i) {
        path += (i ? " -> " : "") + g.node(route->path[i]).id;
        if (i + 1 == route->path.size()) continue;
        Edge e = *g.hop_edge(route->path[i], route->path[i + 1]);
        std::string hop;
        for (const auto* side : {&e.egress, &e.ingress})
          for (const auto& p : *side)
            hop += (hop.empty() ? "" : ", ") + p.path +
                   (p.where.known() ? " (" + p.where.str() + ")" : "");
        keys += "; hop " + std::to_string(i + 1) + " " + g.node(route->path[i]).id + " -> " +
                g.node(route->path[i + 1]).id + " " + e.ports.label() + ": " +
                (hop.empty() ? "(no key)" : hop);
      }
      f.message = describe(r) + " is violated: " + path + keys;
      f.fix =
          "close one hop of the path (each hop's keys above), or change the rule if the "
          "access is intended";
    } else {
      f.message = describe(r) + " is not met: no path" +
                  (r.port ? " whose last hop allows " + r.port->str() : "");
      f.fix = "open the path (`netpol-graph reach --from " +
              r.from.substr(r.from.rfind("svc:", 0) == 0 ? 4 : 0) + " --to " +
              r.to.substr(r.to.rfind("svc:", 0) == 0 ? 4 : 0) +
              " --explain` says what blocks a hop), or change the rule";
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace netpol::graph
