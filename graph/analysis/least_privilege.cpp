// suggest: the order of the work, the entry points, and the check of an overlay
// (least_privilege_planner.hpp says where the rest is).

#include "graph/analysis/least_privilege_planner.hpp"

#include "graph/analysis/diff.hpp"

namespace netpol::graph::least_privilege_detail {

Value text_value(const std::string& s) {
  return Value::make_scalar(s, values::resolve_plain(s) != values::ScalarType::Str, {});
}

bool has_block(const Rule& r) {
  return std::any_of(r.peers.begin(), r.peers.end(),
                     [](const Peer& p) { return p.ip_block.has_value(); });
}

bool block_holds(const Rule& r, const Cidr& address) {
  return std::any_of(r.peers.begin(), r.peers.end(),
                     [&](const Peer& p) { return p.ip_block && p.ip_block->holds(address); });
}

const Provenance* rule_key(const Rule& rule) {
  switch (rule.origin) {
    case RuleOrigin::PeerApp:
    case RuleOrigin::Raw:
    case RuleOrigin::ExternalEgress:
    case RuleOrigin::OtlpExternal:
    case RuleOrigin::AllowExternal:
      return rule.provenance.empty() ? nullptr : &rule.provenance.back();
    default:
      return nullptr;
  }
}

bool selects_pods(const Rule& r) {
  return r.any_peer || std::any_of(r.peers.begin(), r.peers.end(),
                                   [](const Peer& p) { return !p.ip_block.has_value(); });
}

Planner::Planner(const Analysis& analysis, const Review& review, const SuggestOptions& options)
    : a_(analysis), review_(review), options_(options) {
  for (const Service& s : analysis.chart.services)
    for (const auto* rules : {&s.ingress, &s.egress})
      for (const Rule& r : *rules)
        if (const Provenance* k = rule_key(r)) rules_.try_emplace(k->path, &r);
}

Suggestion Planner::plan() {
  ask_profile();
  ask_telemetry();
  ask_intents();
  if (review_.flows)
    ask_flows(*review_.flows);
  else
    keep_pod_traffic();
  decide();
  return std::move(out_);
}

}  // namespace netpol::graph::least_privilege_detail

namespace netpol::graph {

using least_privilege_detail::Planner;

namespace {

using values::Value;

// Sets `path` ("a.b.c") in a map tree, creating the maps on the way.
void set_path(Value& root, const std::string& path, const Value& value) {
  Value* at = &root;
  std::size_t start = 0;
  while (true) {
    std::size_t dot = path.find('.', start);
    std::string key = path.substr(start, dot == std::string::npos ? dot : dot - start);
    if (dot == std::string::npos) {
      at->set(key, value);
      return;
    }
    Value* next = at->find(key);
    if (!next) next = &at->set(key, Value::make_map({}));
    at = next;
    start = dot + 1;
  }
}

std::string finding_key(const Finding& f) {
  return f.code + ": " + f.subject;
}

}  // namespace

values::Value Suggestion::tree() const {
  Value root = Value::make_map({});
  for (const OverlayKey& k : keys) set_path(root, k.path, k.value);
  return root;
}

Suggestion suggest(const Analysis& analysis, const Review& review, const SuggestOptions& options) {
  if (analysis.chart.from_manifests || !analysis.values)
    throw Error("suggest writes a values overlay: give values files (-f), not --manifests");
  if (!analysis.chart.enabled)
    throw Error("the policies are disabled (" + analysis.chart.enabled_at.path +
                " is not true): there is nothing to narrow; enable them first");
  return Planner(analysis, review, options).plan();
}

SuggestCheck check_suggestion(const Analysis& before, const Analysis& after) {
  SuggestCheck out;
  Diff diff = diff_analyses(before, after);
  out.widens = diff.widens();
  out.changes = diff.edges.size();
  std::set<std::string> had;
  for (const Finding& finding : before.findings) {
    had.insert(finding_key(finding));
    if (finding.code == "broken-dependency" || finding.code == "intent-violated" ||
        finding.code == "denied-flow")
      out.unmet.push_back(finding.code + ": " + finding.subject);
  }
  for (const Finding& f : after.findings) {
    const bool asks =
        f.code == "broken-dependency" || f.code == "intent-violated" || f.code == "denied-flow";
    if (asks && !had.count(finding_key(f))) out.broken.push_back(f.code + ": " + f.message);
    if (f.code == "over-permission") out.remaining.push_back(f.message);
  }
  std::map<std::string, std::pair<std::size_t, std::size_t>> by_code;
  for (const Finding& f : before.findings)
    if (f.waived.empty()) ++by_code[f.code].first;
  for (const Finding& f : after.findings)
    if (f.waived.empty()) ++by_code[f.code].second;
  for (const auto& [code, n] : by_code)
    if (n.first != n.second)
      out.counts.push_back(code + " " + std::to_string(n.first) + " -> " +
                           std::to_string(n.second));
  return out;
}

}  // namespace netpol::graph
