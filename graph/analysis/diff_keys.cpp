// diff: the keys that opened a change, changed it or now block it.

#include "graph/analysis/differ.hpp"

namespace netpol::graph::diff_detail {

// ---- keys, and what the change touched (for the redundant list)
void Differ::finish(EdgeDiff& e, const Side& os, const Side& ns) {
  complete(e, os, ns);
  out_.edges.push_back(std::move(e));
}

void Differ::complete(EdgeDiff& e, const Side& os, const Side& ns) {
  os.keys(e.old_egress, e.old_ingress);
  ns.keys(e.new_egress, e.new_ingress);
  e.changed_by = changed_keys(e);
  if (e.change == Change::Removed || e.change == Change::Narrowed ||
      (e.change == Change::Changed && !e.removed_ports.empty()))
    // The keys whose change took it away, where the values say so; else the new side's
    // keys that block it.
    e.removed_by = e.changed_by.empty() ? removal_keys(e) : e.changed_by;
  for (const Side* s : {&os, &ns})
    for (const auto& r : s->edges) touched_.insert({s == &os, r.from, r.to});
}

// The keys of e's provenance, either side, whose merged values differ between the sides:
// each where its value is set now, or was, when it is gone.
std::vector<Provenance> Differ::changed_keys(const EdgeDiff& change) {
  std::vector<Provenance> out;
  if (!old_.values || !new_.values) return out;
  std::set<std::string> seen;
  for (const auto* keys :
       {&change.new_egress, &change.new_ingress, &change.old_egress, &change.old_ingress})
    for (const Provenance& key : *keys) {
      if (key.path.empty() || !seen.insert(key.path).second) continue;
      // Thousands of changes share a few keys each: each key is compared once.
      auto [it, fresh] = changed_.try_emplace(key.path);
      if (fresh) {
        const values::Value* before = value_at(true, key.path);
        const values::Value* now = value_at(false, key.path);
        if ((before || now) && !(before && now && values::same_value(*before, *now)))
          it->second = Provenance{key.path, now ? now->loc : before->loc};
      }
      if (it->second) out.push_back(*it->second);
    }
  return out;
}

// The merged value at a values path on one side; the top level (thousands of services) by
// an index.
const values::Value* Differ::value_at(bool old_side, const std::string& path) {
  const values::Value& root = old_side ? *old_.values : *new_.values;
  auto& index = top_[old_side ? 0 : 1];
  if (index.empty() && root.is_map())
    for (const auto& entry : root.map) index.emplace(entry.key, &entry.value);
  std::string first;
  std::size_t i = 0;
  for (; i < path.size() && path[i] != '.' && path[i] != '['; ++i) {
    if (path[i] == '\\' && i + 1 < path.size()) ++i;
    first += path[i];
  }
  auto it = index.find(first);
  if (it == index.end()) return nullptr;
  return values::find_path(*it->second, std::string_view(path).substr(i));
}

// The new side's keys that block what was removed.
std::vector<Provenance> Differ::removal_keys(const EdgeDiff& change) const {
  const PolicyGraph& graph = new_.graph;
  auto u = graph.find(change.from), v = graph.find(change.to);
  std::optional<PortQuery> port;
  for (const auto& item : change.removed_ports.items())
    if (!item.all && item.name.empty()) {
      port = PortQuery{item.protocol, item.lo};
      break;
    }
  if (u && v && graph.hop_ports(*u, *v))  // still there: the new keys say it
    return port ? explain_blocked(new_, *u, *v, port).keys : std::vector<Provenance>{};
  if (u && v) {
    Blocked b = explain_blocked(new_, *u, *v, std::nullopt);
    if (!b.keys.empty()) return b.keys;
  }
  // An end that no longer exists: the keys of the service on the other end.
  if (const Service* d = new_.chart.service(change.to))
    return {change.from == kAnySourceId ? d->allow_external_key : d->ingress_from_key};
  if (const Service* s = new_.chart.service(change.from)) {
    const Node* dst = nullptr;
    if (auto ov = old_.graph.find(change.was.empty() ? change.to : change.was))
      dst = &old_.graph.node(*ov);
    if (dst && address_node(*dst))  // an entry that is gone has no key left to cite
      return s->allow_external_egress ? std::vector<Provenance>{}
                                      : std::vector<Provenance>{s->allow_external_egress_key};
    return {s->egress_to_key};
  }
  return {};
}
}  // namespace netpol::graph::diff_detail
