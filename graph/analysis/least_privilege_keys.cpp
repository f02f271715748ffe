// suggest: what each key the chart reads becomes (cut, kept, narrowed, moved), and the shared
// externalEgress list.

#include "graph/analysis/least_privilege_planner.hpp"

namespace netpol::graph::least_privilege_detail {

std::optional<KeyUse> Planner::use_of(const std::string& path,
                                      const std::set<std::string>* only) const {
  auto it = uses_.find(path);
  if (it == uses_.end()) return std::nullopt;
  std::optional<KeyUse> out;
  for (const auto& [service, use] : it->second) {
    if (only && !only->count(service)) continue;
    if (use.ports.empty()) continue;
    if (!out) out.emplace();
    out->ports = out->ports.unite(use.ports);
    out->addresses.insert(use.addresses.begin(), use.addresses.end());
    out->whole = out->whole || use.whole;
    for (const auto& r : use.reasons) out->add_reason(r);
    if (use.flows && !out->flows) out->first_flow = use.first_flow;
    out->flows += use.flows;
  }
  return out;
}

const KeyUse* Planner::service_use(const std::string& path, const std::string& service) const {
  auto it = uses_.find(path);
  if (it == uses_.end()) return nullptr;
  auto u = it->second.find(service);
  return u == it->second.end() || u->second.ports.empty() ? nullptr : &u->second;
}

std::string Planner::why_text(const KeyUse& use) {
  std::string out;
  for (const auto& r : use.reasons) out += (out.empty() ? "" : "; ") + r;
  if (use.flows)
    out += (out.empty() ? "" : "; ") + count_text(use.flows, "flow") + " (first " +
           use.first_flow.str() + ")";
  return out;
}

std::string Planner::answers(const std::string& path) {
  if (!codes_indexed_) {
    codes_indexed_ = true;
    for (const Finding& finding : a_.findings) {
      const std::string& at = finding.where.path;
      codes_at_[at].insert(finding.code);
      for (std::size_t i = 0; i < at.size(); ++i)
        if ((at[i] == '.' && (i == 0 || at[i - 1] != '\\')) || at[i] == '[')
          codes_at_[at.substr(0, i)].insert(finding.code);
    }
  }
  auto it = codes_at_.find(path);
  if (it == codes_at_.end()) return "";
  std::string out;
  for (const auto& c : it->second) out += (out.empty() ? "" : ", ") + c;
  return " (answers " + out + ")";
}

void Planner::decide() {
  const std::string global = "global.networkPolicy";
  decide_external_egress(global + ".externalEgress");
  decide_list(global + ".otlpEgress", nullptr);
  for (const char* list : {".additionalIngress", ".additionalEgress"})
    decide_global_rules(global + list);
  for (const Service& service : a_.chart.services) {
    const std::string np = service.name + ".networkPolicy";
    decide_allow_external(service, np);
    decide_list(np + ".ingressFrom", nullptr);
    decide_list(np + ".egressTo", nullptr);
    auto ingress = extra_ingress_[service.name];
    for (auto& one : moved_rules(service, "global.networkPolicy.additionalIngress"))
      ingress.push_back(std::move(one));
    decide_list(np + ".additionalIngress", nullptr, ingress);
    decide_allow_external_egress(service, np);
    auto egress = moved_egress(service);
    for (auto& one : moved_rules(service, "global.networkPolicy.additionalEgress"))
      egress.push_back(std::move(one));
    decide_list(np + ".additionalEgress", nullptr, egress);
  }
  // What the chart renders whatever the values say.
  out_.unexpressible.push_back(
      "DNS egress (TCP and UDP 53 to any address, every service): the chart renders it from "
      "global.networkPolicy.enabled alone");
  if (a_.chart.otlp && a_.chart.otlp->is_default)
    out_.unexpressible.push_back(
        "telemetry to ingest on TCP 4317 (every pod of the namespace): the chart renders it "
        "from global.observability.otlpEnabled alone");
}

void Planner::decide_global_rules(const std::string& path) {
  const Value* list = values::find_path(*a_.values, path);
  if (!list || !list->is_seq()) return;
  std::set<std::size_t>& kept = global_kept_[path];
  for (std::size_t i = 0; i < list->seq.size(); ++i) {
    const std::string item = values::path_index(path, i);
    auto rule = rules_.find(item);
    // It stays global when no service uses it, or every one alike (the same ports and
    // addresses once narrowed); else each user gets it as it uses it.
    std::set<std::string> narrowed;
    std::size_t users = 0;
    for (const Service& s : a_.chart.services)
      if (const KeyUse* use = service_use(item, s.name); use && rule != rules_.end()) {
        ++users;
        std::string key = narrowed_ports(*rule->second, *use).label();
        for (const IpBlock& b : narrowed_blocks(*rule->second, *use)) key += "|" + b.str();
        narrowed.insert(key);
      }
    if (users == 0 || (users == a_.chart.services.size() && narrowed.size() == 1)) kept.insert(i);
  }
  decide_list(path, nullptr, {}, &kept);
}

std::vector<std::pair<Value, std::vector<std::string>>> Planner::moved_rules(
    const Service& service, const std::string& path) {
  std::vector<std::pair<Value, std::vector<std::string>>> out;
  const Value* list = values::find_path(*a_.values, path);
  auto kept = global_kept_.find(path);
  if (!list || !list->is_seq() || kept == global_kept_.end()) return out;
  for (std::size_t i = 0; i < list->seq.size(); ++i) {
    if (kept->second.count(i)) continue;
    const std::string item = values::path_index(path, i);
    const KeyUse* use = service_use(item, service.name);
    auto rule = rules_.find(item);
    if (!use || rule == rules_.end()) continue;
    std::vector<std::string> comment = {
        item + ", for " + service.name +
        " alone: not every service uses it alike; kept: " + why_text(*use)};
    Value narrowed = narrow_item(list->seq[i], *rule->second, *use, comment);
    out.emplace_back(std::move(narrowed), std::move(comment));
  }
  return out;
}

void Planner::decide_allow_external(const Service& service, const std::string& np) {
  const Rule* rule = nullptr;
  for (const Rule& r : service.ingress)
    if (r.origin == RuleOrigin::AllowExternal) rule = &r;
  if (!rule) return;
  const std::string path = np + ".allowExternal";
  if (auto use = use_of(path)) {
    // allowExternal opens every service port: some of them asked for, it becomes a rule of
    // any source on those alone.
    const PortSet keep = rule->ports.intersect(use->ports);
    if (rule->ports.subset_of(use->ports) || keep.empty()) return;
    if (keep.without_names() != keep) {
      out_.unexpressible.push_back(path + ": only " + keep.label() + " of " + rule->ports.label() +
                                   " is asked for (named ports)");
      return;
    }
    OverlayKey key;
    key.path = path;
    key.value = Value::make_scalar("false", false, {});
    key.comment = {"was true: any source could open " + rule->ports.label() + " of " +
                   service.name + answers(path) + "; only " + keep.label() +
                   " is asked for: any source on that alone, in its additionalIngress below"};
    out_.keys.push_back(std::move(key));
    Value item = Value::make_map({});
    item.set("ports", ports_value(keep, false));
    extra_ingress_[service.name].emplace_back(
        std::move(item),
        std::vector<std::string>{"allowExternal of " + service.name + " on " + keep.label() +
                                 " alone; kept: " + why_text(*use)});
    return;
  }
  OverlayKey key;
  key.path = path;
  key.value = Value::make_scalar("false", false, {});
  key.comment = {"was true: any source could open " + rule->ports.label() + " of " + service.name +
                     answers(path) + ";",
                 "no documented external source, intent rule or flow asks for it"};
  out_.keys.push_back(std::move(key));
}

void Planner::decide_external_egress(const std::string& path) {
  const Value* list = values::find_path(*a_.values, path);
  if (!list || !list->is_seq()) return;
  std::vector<std::set<std::size_t>> candidates = {{}};
  bool first = true;
  std::set<std::size_t> common;
  std::map<std::string, std::size_t> unit_ids;
  for (const Service& service : a_.chart.services) {
    if (!service.allow_external_egress) continue;
    auto& mine = entries_by_service_[service.name];
    for (std::size_t i = 0; i < list->seq.size(); ++i) {
      const std::string item = values::path_index(path, i);
      const KeyUse* use = service_use(item, service.name);
      auto rule = rules_.find(item);
      if (!use || rule == rules_.end()) continue;
      std::string key = std::to_string(i) + "|" + narrowed_ports(*rule->second, *use).label();
      for (const IpBlock& b : narrowed_blocks(*rule->second, *use)) key += "|" + b.str();
      auto [id, fresh] = unit_ids.try_emplace(key, unit_entry_.size());
      if (fresh) unit_entry_.emplace_back(i, service.name);
      mine.insert(id->second);
    }
    if (mine.empty()) continue;
    candidates.push_back(mine);
    std::set<std::size_t> both;
    std::set_intersection(common.begin(), common.end(), mine.begin(), mine.end(),
                          std::inserter(both, both.end()));
    common = first ? mine : both;
    first = false;
  }
  candidates.push_back(common);
  // The copies each choice makes, then the most entries kept shared.
  auto copies = [&](const std::set<std::size_t>& shared) {
    std::size_t n = 0;
    for (const auto& [service, mine] : entries_by_service_)
      n += staying(mine, shared) ? mine.size() - shared.size() : mine.size();
    return n;
  };
  std::size_t best = copies(shared_);
  for (const auto& c : candidates)
    if (std::size_t n = copies(c); n < best || (n == best && c.size() > shared_.size()))
      best = n, shared_ = c;
  std::set<std::string> stay;
  for (const auto& [service, mine] : entries_by_service_)
    if (staying(mine, shared_)) stay.insert(service);
  std::set<std::size_t> shared_entries;
  for (std::size_t id : shared_) {
    shared_entries.insert(unit_entry_[id].first);
    shared_by_.emplace(values::path_index(path, unit_entry_[id].first), unit_entry_[id].second);
  }
  decide_list(path, stay.empty() ? nullptr : &stay, {}, &shared_entries);
}

bool Planner::staying(const std::set<std::size_t>& mine, const std::set<std::size_t>& shared) {
  return !shared.empty() && std::includes(mine.begin(), mine.end(), shared.begin(), shared.end());
}

std::vector<std::pair<Value, std::vector<std::string>>> Planner::moved_egress(
    const Service& service) {
  std::vector<std::pair<Value, std::vector<std::string>>> out;
  auto mine = entries_by_service_.find(service.name);
  if (!service.allow_external_egress || mine == entries_by_service_.end()) return out;
  const bool stays = staying(mine->second, shared_);
  const std::string list = "global.networkPolicy.externalEgress";
  const Value* entries = values::find_path(*a_.values, list);
  for (std::size_t id : mine->second) {
    if (stays && shared_.count(id)) continue;
    const std::size_t i = unit_entry_[id].first;
    const std::string path = values::path_index(list, i);
    const KeyUse* use = service_use(path, service.name);
    auto rule = rules_.find(path);
    if (!use || rule == rules_.end()) continue;
    Value item = Value::make_map({});
    Value peers = Value::make_seq({});
    const std::vector<IpBlock> blocks = narrowed_blocks(*rule->second, *use);
    for (const IpBlock& block : blocks) {
      Value peer = Value::make_map({});
      peer.set("ipBlock", block_value(block));
      peers.seq.push_back(std::move(peer));
    }
    item.set("to", std::move(peers));
    const PortSet ports = narrowed_ports(*rule->second, *use, &entries->seq[i]);
    item.set("ports", ports_value(ports, false));
    const std::string& name = rule->second->name;
    const std::string shown = name.empty() ? path : path + " (" + name + ")";
    std::vector<std::string> comment = {
        shown + ", for " + service.name + " alone" +
        (stays ? ": the other services do not need it" : ", instead of allowExternalEgress") +
        "; kept: " + why_text(*use)};
    if (ports != rule->second->ports)
      comment.push_back("ports narrowed to " + ports.label() + " (was " +
                        rule->second->ports.label() + ")");
    if (std::string now = blocks_text(blocks), was = blocks_text(entry_blocks(*rule->second));
        now != was)
      comment.push_back("narrowed to " + now + " (was " + was +
                        "): the addresses the flows contacted");
    out.emplace_back(std::move(item), std::move(comment));
  }
  return out;
}

void Planner::decide_allow_external_egress(const Service& service, const std::string& np) {
  if (!service.allow_external_egress) return;
  auto mine = entries_by_service_.find(service.name);
  const bool none = mine == entries_by_service_.end() || mine->second.empty();
  if (!none && staying(mine->second, shared_)) return;
  const std::string path = np + ".allowExternalEgress";
  OverlayKey key;
  key.path = path;
  key.value = Value::make_scalar("false", false, {});
  key.comment = {"was true: " + service.name + " could reach every global externalEgress entry" +
                 answers(path) + "; " +
                 (none ? "no documented need, intent rule or flow asks for any of them"
                       : "the entries it needs are its own egress rules below")};
  out_.keys.push_back(std::move(key));
}

void Planner::decide_list(const std::string& path, const std::set<std::string>* only,
                          const std::vector<std::pair<Value, std::vector<std::string>>>& extra,
                          const std::set<std::size_t>* shared) {
  const Value* list = values::find_path(*a_.values, path);
  if (!list || !list->is_seq()) {
    if (extra.empty()) return;
  }
  OverlayKey key;
  key.path = path;
  key.value = Value::make_seq({});
  bool changed = !extra.empty();
  std::vector<std::string> removed;
  const std::size_t entries = list && list->is_seq() ? list->seq.size() : 0;
  for (std::size_t i = 0; i < entries; ++i) {
    const std::string item_path = values::path_index(path, i);
    const Value& item = list->seq[i];
    auto rule = rules_.find(item_path);
    if (rule == rules_.end()) {  // not read as a rule (policies off for it): left as it is
      key.value.seq.push_back(item);
      key.item_comments.push_back({});
      continue;
    }
    if (shared && !shared->count(i) && use_of(item_path)) {
      removed.push_back("[" + std::to_string(i) + "] (" + summary(*rule->second) +
                        "): moved to the rules of the services that use it");
      changed = true;
      continue;
    }
    std::optional<KeyUse> use = use_of(item_path, only);
    if (!use) use = use_of(item_path);  // used only by services that leave the list
    // A shared externalEgress entry: narrowed as each of its services narrows it alike.
    if (auto by = shared_by_.find(item_path); shared && use && by != shared_by_.end())
      if (const KeyUse* one = service_use(item_path, by->second)) {
        use->ports = one->ports;
        use->addresses = one->addresses;
        use->whole = one->whole;
      }
    if (!use) {
      removed.push_back("[" + std::to_string(i) + "] (" + summary(*rule->second) +
                        "): nothing asks for it" + answers(item_path));
      changed = true;
      continue;
    }
    std::vector<std::string> comment = {"kept: " + why_text(*use)};
    Value narrowed = narrow_item(item, *rule->second, *use, comment);
    changed = changed || !values::same_value(narrowed, item) || narrowed.is_seq();
    // A cidr entry may become one entry per prefix; an entry the same as one before it
    // (two blocks narrowed to the one address contacted) is left out.
    std::vector<Value> parts;
    if (narrowed.is_seq())
      parts = std::move(narrowed.seq);
    else
      parts.push_back(std::move(narrowed));
    for (std::size_t k = 0; k < parts.size(); ++k) {
      Value& part = parts[k];
      auto same = std::find_if(key.value.seq.begin(), key.value.seq.end(),
                               [&](const Value& v) { return values::same_value(v, part); });
      if (same != key.value.seq.end()) {
        removed.push_back("[" + std::to_string(i) +
                          "]: once narrowed, the same as an entry "
                          "above");
        changed = true;
        continue;
      }
      key.value.seq.push_back(std::move(part));
      key.item_comments.push_back(k == 0 ? comment
                                         : std::vector<std::string>{"[" + std::to_string(i) +
                                                                    "] continued: prefix " +
                                                                    std::to_string(k + 1) + " of " +
                                                                    std::to_string(parts.size())});
    }
  }
  for (const auto& one : extra) {
    if (std::any_of(key.value.seq.begin(), key.value.seq.end(),
                    [&](const Value& v) { return values::same_value(v, one.first); }))
      continue;  // two entries that say the same once narrowed: one rule
    key.value.seq.push_back(one.first);
    key.item_comments.push_back(one.second);
  }
  if (!changed) return;
  for (const auto& r : removed) key.comment.push_back("removed " + r);
  if (key.comment.empty())
    key.comment.push_back(entries == 0 ? "was empty" : "restated whole (Helm replaces lists)");
  out_.keys.push_back(std::move(key));
}

std::string Planner::summary(const Rule& rule) {
  std::string peers;
  if (rule.origin == RuleOrigin::PeerApp) peers = "app " + rule.name;
  for (const Peer& p : rule.peers)
    if (p.ip_block) peers += (peers.empty() ? "" : ", ") + p.ip_block->str();
  if (rule.any_peer) peers = "any peer";
  if (peers.empty()) peers = "pods";
  return peers + ", " + rule.ports.label();
}

}  // namespace netpol::graph::least_privilege_detail
