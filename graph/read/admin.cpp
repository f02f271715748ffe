#include "graph/read/admin.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>

#include "graph/read/read_rules.hpp"
#include "graph/rules/match.hpp"
#include "graph/sets/address_set.hpp"
#include "suggest.hpp"

namespace netpol::graph {

using values::Cursor;

std::string_view admin_action_name(AdminAction action) {
  switch (action) {
    case AdminAction::Allow:
      return "Allow";
    case AdminAction::Deny:
      return "Deny";
    case AdminAction::Pass:
      return "Pass";
  }
  return "Allow";
}

std::string AdminRule::describe() const {
  return policy + " rule \"" + rule + "\" (" +
         (baseline ? std::string() : "priority " + std::to_string(priority) + ", ") +
         std::string(admin_action_name(action)) + ")";
}

namespace {

// Fails at the first key of `c` that is not one of `known`, naming what `c` is, what it may
// hold, and the closest known key.
void only_keys(const Cursor& cursor, const std::vector<std::string>& known,
               const std::string& what) {
  if (!cursor.is_map()) return;
  for (const auto& [key, v] : cursor.entries()) {
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    std::string hint = did_you_mean(key, known);
    std::string list;
    for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
    v.fail("unknown field \"" + key + "\" in " + what +
           (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)") + "; expected " + list);
  }
}

void need_map(const Cursor& cursor, const std::string& what) {
  if (!cursor.is_map())
    cursor.fail("expected " + what + ", got " +
                (cursor.value() ? values::describe(*cursor.value()) : std::string("nothing")));
}

// {namespaceSelector, podSelector}: both required by the API. A missing one is read with
// the API's zero value, {} (every namespace, every pod), as netpol-analyzer reads it, and
// is a warning (api-would-refuse; --strict: an error): such objects sit in repositories.
Peer read_pods(const Cursor& cursor, const std::string& what, std::vector<Warning>& warnings) {
  need_map(cursor, what + " (a map {namespaceSelector, podSelector})");
  only_keys(cursor, {"namespaceSelector", "podSelector"}, what);
  Peer peer;
  for (const char* key : {"namespaceSelector", "podSelector"})
    if (!cursor[key].present()) {
      bool pods = std::string(key) == "podSelector";
      Warning warning;
      warning.code = "api-would-refuse";
      warning.where = {cursor.path(), cursor.where()};
      warning.message = what + " has no " + key + ", which the API requires; read as " + key +
                        ": {} (every " + (pods ? "pod" : "namespace") +
                        "), as netpol-analyzer reads it";
      warning.fix = std::string("Write ") + key + ": {} to mean every " +
                    (pods ? "pod" : "namespace") +
                    ", or the selector meant: kubectl refuses the "
                    "object as it is.";
      warnings.push_back(std::move(warning));
    }
  peer.namespaces = cursor["namespaceSelector"].present()
                        ? read_selector(cursor["namespaceSelector"])
                        : LabelSelector();
  peer.pods =
      cursor["podSelector"].present() ? read_selector(cursor["podSelector"]) : LabelSelector();
  return peer;
}

int read_protocol_port(const Cursor& c, const char* key, const std::string& what) {
  if (!c[key].present()) c.fail(what + " needs " + key);
  return read_port_number(c[key]);
}

Protocol read_admin_protocol(const Cursor& c) {
  return c["protocol"].present() ? c["protocol"].parse(parse_protocol) : Protocol::TCP;
}

// `ports`: portNumber {protocol, port}, namedPort, or portRange {protocol, start, end}, one
// per entry; absent means every port.
PortSet read_admin_ports(const Cursor& cursor) {
  std::vector<Cursor> items = cursor.items();
  if (items.empty()) return PortSet::all();
  PortSet set;
  for (const Cursor& item : items) {
    const std::string what = "an admin policy port";
    need_map(item, what + " (portNumber, namedPort or portRange)");
    only_keys(item, {"portNumber", "namedPort", "portRange"}, what);
    if (item.value()->map.size() != 1)
      item.fail(what + " holds exactly one of portNumber, namedPort and portRange");
    if (Cursor number = item["portNumber"]; number.present()) {
      need_map(number, "a portNumber {protocol, port}");
      only_keys(number, {"protocol", "port"}, "a portNumber");
      int p = read_protocol_port(number, "port", "a portNumber");
      set.add_range(read_admin_protocol(number), p, p);
    } else if (Cursor named = item["namedPort"]; named.present()) {
      // A named port is the container port of that name, of whichever protocol it has.
      std::string name = read_port_name(named);
      for (Protocol proto : kProtocols) set.add_name(proto, name);
    } else {
      Cursor r = item["portRange"];
      need_map(r, "a portRange {protocol, start, end}");
      only_keys(r, {"protocol", "start", "end"}, "a portRange");
      int lo = read_protocol_port(r, "start", "a portRange");
      int hi = read_protocol_port(r, "end", "a portRange");
      if (hi < lo)
        r["end"].fail("end " + std::to_string(hi) + " is below start " + std::to_string(lo));
      set.add_range(read_admin_protocol(r), lo, hi);
    }
  }
  return set;
}

AdminRule read_admin_rule(const Cursor& cursor, const AdminPolicy& policy, bool egress,
                          std::size_t index, std::vector<Warning>& warnings) {
  const std::string what =
      std::string(policy.baseline ? "a BaselineAdminNetworkPolicy" : "an AdminNetworkPolicy") +
      (egress ? " egress" : " ingress") + " rule";
  const char* peers_key = egress ? "to" : "from";
  need_map(cursor, what + " (a map {name, action, " + peers_key + ", ports})");
  only_keys(cursor, {"name", "action", peers_key, "ports"}, what);
  AdminRule out;
  out.baseline = policy.baseline;
  out.priority = policy.priority;
  out.policy = policy.id;
  out.at = prov(cursor);
  out.rule = cursor["name"].present()
                 ? cursor["name"].as_string()
                 : std::string(egress ? "egress[" : "ingress[") + std::to_string(index) + "]";
  if (out.rule.size() > 100)
    cursor["name"].fail("a rule name has at most 100 characters (the API's limit), got " +
                        std::to_string(out.rule.size()));
  if (out.rule.find_first_of("\n\r\t") != std::string::npos)
    cursor["name"].fail("expected a one-line rule name, got " +
                        values::describe(*cursor["name"].value()));
  // Edges name the rule: "AdminNetworkPolicy/x.spec.egress[0] (allow-dns)".
  if (cursor["name"].present()) out.at.path += " (" + out.rule + ")";
  Cursor action = cursor["action"];
  if (!action.present())
    cursor.fail(what + " needs an action (" +
                (policy.baseline ? "Allow or Deny" : "Allow, Deny or Pass") + ")");
  std::string verb = action.as_string();
  if (verb == "Allow")
    out.action = AdminAction::Allow;
  else if (verb == "Deny")
    out.action = AdminAction::Deny;
  else if (verb == "Pass" && !policy.baseline)
    out.action = AdminAction::Pass;
  else
    action.fail("unknown action \"" + verb + "\" (expected " +
                (policy.baseline ? "Allow or Deny; Pass is for AdminNetworkPolicy only"
                                 : "Allow, Deny or Pass") +
                ")");
  std::vector<Cursor> peers = cursor[peers_key].items();
  if (peers.empty())
    cursor.fail(what + " needs at least one peer in `" + peers_key + "` (the API requires one)");
  for (const Cursor& peer : peers) {
    std::vector<std::string> kinds = {"namespaces", "pods"};
    if (egress) kinds.insert(kinds.end(), {"nodes", "networks"});
    const std::string peer_what =
        std::string("an admin policy ") + (egress ? "egress" : "ingress") + " peer";
    need_map(peer, peer_what + " (one of " +
                       (egress ? "namespaces, pods, nodes, networks" : "namespaces, pods") + ")");
    only_keys(peer, kinds, peer_what);
    if (peer.value()->map.size() != 1)
      peer.fail(peer_what + " holds exactly one of " +
                (egress ? "namespaces, pods, nodes and networks" : "namespaces and pods"));
    if (Cursor ns = peer["namespaces"]; ns.present()) {
      Peer x;
      x.namespaces = read_selector(ns);
      out.match.peers.push_back(std::move(x));
    } else if (Cursor pods = peer["pods"]; pods.present()) {
      out.match.peers.push_back(read_pods(pods, "a pods peer", warnings));
    } else if (Cursor nets = peer["networks"]; nets.present()) {
      std::vector<Cursor> cidrs = nets.items();
      if (cidrs.empty()) nets.fail("networks needs at least one CIDR");
      for (const Cursor& n : cidrs) {
        Peer x;
        x.ip_block = read_ip_block(n, n, Cursor(nullptr, n.path(), n.where()));
        out.match.peers.push_back(std::move(x));
      }
    } else {
      read_selector(peer["nodes"]);
      Warning warning;
      warning.where = {peer["nodes"].path(), peer["nodes"].where()};
      warning.code = "admin-nodes-peer";
      warning.message = out.describe() +
                        " has a nodes peer; netpol-graph knows no node addresses and reads it as "
                        "matching nothing";
      warning.fix = "Add the nodes' addresses as a networks peer to see that traffic in the graph.";
      warnings.push_back(std::move(warning));
    }
  }
  out.match.ports = read_admin_ports(cursor["ports"]);
  return out;
}

}  // namespace

AdminPolicy read_admin_policy(const Cursor& obj, bool baseline, std::vector<Warning>& warnings) {
  AdminPolicy policy;
  policy.baseline = baseline;
  policy.id = obj.path();
  policy.at = prov(obj);
  const std::string kind = baseline ? "BaselineAdminNetworkPolicy" : "AdminNetworkPolicy";
  if (baseline && obj["metadata"]["name"].as_string() != "default")
    obj["metadata"]["name"].fail(
        "a BaselineAdminNetworkPolicy must be named \"default\" (the "
        "API admits one, by that name)");
  Cursor spec = obj["spec"];
  need_map(spec, "the " + kind + "'s spec");
  std::vector<std::string> keys = {"subject", "ingress", "egress"};
  if (!baseline) keys.insert(keys.begin(), "priority");
  only_keys(spec, keys, (baseline ? "a " : "an ") + kind + "'s spec");
  if (!baseline) {
    if (!spec["priority"].present())
      spec.fail("an AdminNetworkPolicy needs a priority (0-1000; lower numbers decide first)");
    std::int64_t n = spec["priority"].as_int();
    if (n < 0 || n > 1000)
      spec["priority"].fail("priority " + std::to_string(n) + " is not in 0-1000");
    policy.priority = static_cast<int>(n);
  }
  Cursor subject = spec["subject"];
  need_map(subject, "a subject (namespaces or pods)");
  only_keys(subject, {"namespaces", "pods"}, "a subject");
  if (subject.value()->map.size() != 1)
    subject.fail("a subject holds exactly one of namespaces and pods");
  if (subject["namespaces"].present())
    policy.subject.namespaces = read_selector(subject["namespaces"]);
  else
    policy.subject = read_pods(subject["pods"], "a pods subject", warnings);
  for (int e = 0; e < 2; ++e) {
    std::vector<Cursor> rules = spec[e ? "egress" : "ingress"].items();
    if (rules.size() > 100)
      rules[100].fail("more than 100 " + std::string(e ? "egress" : "ingress") +
                      " rules (the API admits at most 100)");
    for (std::size_t i = 0; i < rules.size(); ++i)
      (e ? policy.egress : policy.ingress)
          .push_back(read_admin_rule(rules[i], policy, e, i, warnings));
  }
  return policy;
}

bool subject_selects(const AdminPolicy& p, const Service& s) {
  if (!p.subject.namespaces->matches(s.ns_labels)) return false;
  return !p.subject.pods || p.subject.pods->matches(s.labels);
}

std::vector<Warning> admin_policy_warnings(const std::vector<AdminPolicy>& policies) {
  std::vector<Warning> out;
  std::map<int, std::vector<const AdminPolicy*>> by_priority;
  for (const AdminPolicy& p : policies)
    if (!p.baseline) by_priority[p.priority].push_back(&p);
  for (auto& [priority, same] : by_priority) {
    if (same.size() < 2) continue;
    std::sort(same.begin(), same.end(),
              [](const AdminPolicy* a, const AdminPolicy* b) { return a->id < b->id; });
    std::string names;
    for (const AdminPolicy* p : same) names += (names.empty() ? "" : ", ") + p->id;
    Warning warning;
    warning.where = {same[1]->at.path + ".spec.priority", same[1]->at.where};
    warning.code = "admin-priority-tie";
    warning.message = std::to_string(same.size()) + " AdminNetworkPolicies share priority " +
                      std::to_string(priority) + " (" + names +
                      "): the API leaves their order undefined, so where their rules overlap the "
                      "cluster may decide either way; netpol-graph takes them by name";
    warning.fix = "Give each AdminNetworkPolicy its own priority.";
    out.push_back(std::move(warning));
  }
  return out;
}

namespace {

AdminMatch pods_of(const AdminMatch& match) {
  AdminMatch out;
  out.ports = match.ports;
  for (const Peer& p : match.peers)
    if (!p.ip_block) out.peers.push_back(p);
  return out;
}

AddressSet addresses_of(const std::vector<Peer>& peers) {
  AddressSet out;
  for (const Peer& p : peers)
    if (p.ip_block) out.add(*p.ip_block);
  return out;
}

}  // namespace

PodCubes match_pods(const AdminMatch& match) {
  PodCubes out;
  for (const Peer& p : match.peers)
    if (!p.ip_block) out = out.unite(PodCubes::selected(p.namespaces, p.pods, ""));
  return out;
}

AddressSet match_addresses(const AdminMatch& m) {
  return addresses_of(m.peers);
}

namespace {

// How the admin tiers decide, in one place: what of some traffic (a set: addresses on one port
// range, or ports for one region of pods) is still undecided, allowed, or passed to the
// NetworkPolicies. The AdminNetworkPolicies' rules, in the order they decide, each take what
// of the undecided they match (take); what they pass or leave is the NetworkPolicies' to
// decide when a policy isolates the pods (to_networkpolicies), else the
// BaselineAdminNetworkPolicy's (to_baseline), whose rules take alike; what no tier decided is
// then allowed (allowed_at_end). fold_addresses and decide_tiers walk the tiers with it.
template <typename Set>
struct TierWalk {
  Set undecided, allowed, passed;

  // A rule of the current tier matching `match`: what it took (empty: it decides nothing).
  Set take(AdminAction action, const Set& match) {
    Set hit = undecided.intersect(match);
    if (hit.empty()) return hit;
    if (action == AdminAction::Allow) allowed = allowed.unite(hit);
    if (action == AdminAction::Pass) passed = passed.unite(hit);
    undecided = undecided.subtract(hit);
    return hit;
  }
  // No NetworkPolicy isolates the pods: what was passed or left is the baseline's to decide.
  void to_baseline() {
    undecided = undecided.unite(passed);
    passed = Set();
  }
  // With the pods isolated, what the NetworkPolicies decide.
  Set to_networkpolicies() const { return undecided.unite(passed); }
  // Without, what the tiers allow at the end: what they allowed, and what none decided.
  Set allowed_at_end() const { return allowed.unite(undecided).unite(passed); }
};

// A rule's traffic to addresses: an action on addresses and ports.
struct AddressRule {
  AdminAction action = AdminAction::Allow;
  AddressSet addresses;
  PortSet ports;
  std::vector<Provenance> at;
};

// The port ranges on which every rule's ports are constant: (protocol, lo, hi).
std::vector<PortSet::Item> port_atoms(const std::vector<const AddressRule*>& rules) {
  std::vector<PortSet::Item> out;
  for (Protocol proto : kProtocols) {
    std::set<int> cuts = {1, 65536};
    for (const AddressRule* rule : rules)
      for (const auto& item : rule->ports.items())
        if (item.protocol == proto && !item.all && item.name.empty()) {
          cuts.insert(item.lo);
          cuts.insert(item.hi + 1);
        }
    for (auto it = cuts.begin(); std::next(it) != cuts.end(); ++it) {
      PortSet::Item atom{proto, false, *it, *std::next(it) - 1, ""};
      out.push_back(atom);
    }
  }
  return out;
}

// Egress to addresses, when admin rules with `networks` apply: what the tiers allow, worked
// out per port range, replaces the addresses of the service's rules.
void fold_addresses(std::vector<Rule>& rules, const std::vector<AdminRule>& admin, bool isolated) {
  std::vector<AddressRule> anp, banp, np;
  for (const AdminRule& rule : admin) {
    AddressSet a = addresses_of(rule.match.peers);
    if (a.empty()) continue;
    (rule.baseline ? banp : anp)
        .push_back({rule.action, a, rule.match.ports.without_names(), {rule.at}});
  }
  std::vector<Provenance> unrestricted;
  for (const Rule& r : rules) {
    AddressSet a = r.any_peer ? AddressSet::everything() : addresses_of(r.peers);
    if (a.empty()) continue;
    if (r.origin == RuleOrigin::Unrestricted) add_unique(unrestricted, r.provenance);
    np.push_back({AdminAction::Allow, a, r.ports.without_names(), r.provenance});
  }
  std::vector<const AddressRule*> all;
  for (const auto* list : {&anp, &banp, &np})
    for (const AddressRule& r : *list) all.push_back(&r);
  struct Group {
    AddressSet allowed;
    PortSet ports;
    std::vector<Provenance> at;
  };
  std::vector<Group> groups;
  for (const PortSet::Item& atom : port_atoms(all)) {
    auto applies = [&](const AddressRule& r) { return r.ports.contains(atom.protocol, atom.lo); };
    TierWalk<AddressSet> walk{AddressSet::everything(), {}, {}};
    std::vector<Provenance> at;
    auto take = [&](const AddressRule& r) {
      if (applies(r) && !walk.take(r.action, r.addresses).empty() && r.action == AdminAction::Allow)
        add_unique(at, r.at);
    };
    for (const AddressRule& r : anp) take(r);
    AddressSet allowed;
    if (isolated) {
      const AddressSet rest = walk.to_networkpolicies();
      allowed = walk.allowed;
      for (const AddressRule& r : np) {
        if (!applies(r)) continue;
        AddressSet hit = r.addresses.intersect(rest);
        if (hit.empty()) continue;
        allowed = allowed.unite(hit);
        add_unique(at, r.at);
      }
    } else {
      walk.to_baseline();
      for (const AddressRule& r : banp) take(r);
      if (!walk.undecided.empty()) add_unique(at, unrestricted);
      allowed = walk.allowed_at_end();
    }
    if (allowed.empty()) continue;
    auto group = std::find_if(groups.begin(), groups.end(),
                              [&](const Group& x) { return x.allowed == allowed; });
    if (group == groups.end()) group = groups.insert(groups.end(), Group{allowed, {}, {}});
    group->ports.add_range(atom.protocol, atom.lo, atom.hi);
    add_unique(group->at, at);
  }
  // The rules keep their pods; their addresses are the groups'.
  std::vector<Rule> kept;
  for (Rule& rule : rules) {
    if (rule.any_peer) {
      rule.any_peer = false;
      rule.peers.assign(1, Peer{std::nullopt, LabelSelector(), std::nullopt});
      if (rule.origin == RuleOrigin::Dns) rule.origin = RuleOrigin::Raw;
    } else {
      rule.peers.erase(std::remove_if(rule.peers.begin(), rule.peers.end(),
                                      [](const Peer& p) { return p.ip_block.has_value(); }),
                       rule.peers.end());
      if (rule.peers.empty()) continue;
      if (rule.origin == RuleOrigin::ExternalEgress) rule.origin = RuleOrigin::Raw;
    }
    kept.push_back(std::move(rule));
  }
  for (const Group& group : groups)
    for (IpBlock& block : group.allowed.blocks()) {
      Rule r;
      r.origin = RuleOrigin::ExternalEgress;
      r.peers.push_back(Peer{std::nullopt, std::nullopt, std::move(block)});
      r.ports = group.ports;
      r.provenance = group.at;
      kept.push_back(std::move(r));
    }
  rules = std::move(kept);
}

// An admin Allow as an allow rule of the service.
Rule allow_rule(const AdminMatch& pods, const Provenance& at, std::vector<Exclusion> except) {
  Rule rule;
  rule.origin = RuleOrigin::Raw;
  rule.peers = pods.peers;
  rule.ports = pods.ports;
  rule.provenance.push_back(at);
  rule.except = std::move(except);
  return rule;
}

void fold(std::vector<Rule>& rules, const std::vector<AdminRule>& admin, bool isolated,
          bool egress) {
  if (admin.empty()) return;
  std::vector<AdminMatch> decided, passed, baseline_allowed;  // pods only
  std::vector<Exclusion> denied;  // what the NetworkPolicy tier (or the default) loses
  std::vector<Rule> allows;
  bool networks = false;
  for (const AdminRule& rule : admin) {
    networks = networks || std::any_of(rule.match.peers.begin(), rule.match.peers.end(),
                                       [](const Peer& p) { return p.ip_block.has_value(); });
    AdminMatch pods = pods_of(rule.match);
    if (pods.peers.empty()) continue;
    if (rule.baseline) {
      if (isolated) continue;  // NetworkPolicies decide for pods they select
      if (rule.action == AdminAction::Allow) {
        // Allowed by default too, but the edge should name the rule that says so; less
        // what the AdminNetworkPolicies and earlier Denies decided.
        allows.push_back(allow_rule(pods, rule.at, denied));
        baseline_allowed.push_back(std::move(pods));
      } else {
        denied.push_back({std::move(pods), baseline_allowed});
      }
      continue;
    }
    if (rule.action == AdminAction::Allow) {
      std::vector<Exclusion> earlier;  // an earlier Deny or Pass decided first
      for (const AdminMatch& m : decided) earlier.push_back({m, {}});
      allows.push_back(allow_rule(pods, rule.at, std::move(earlier)));
      continue;
    }
    if (rule.action == AdminAction::Deny) denied.push_back({pods, passed});
    if (rule.action == AdminAction::Pass) passed.push_back(pods);
    decided.push_back(std::move(pods));
  }
  for (Rule& r : rules) r.except.insert(r.except.end(), denied.begin(), denied.end());
  if (egress && networks) fold_addresses(rules, admin, isolated);
  rules.insert(rules.end(), std::make_move_iterator(allows.begin()),
               std::make_move_iterator(allows.end()));
}

}  // namespace

namespace {
bool decides_first(const AdminPolicy& policy, const AdminPolicy& b) {
  if (policy.baseline != b.baseline) return b.baseline;
  if (policy.priority != b.priority) return policy.priority < b.priority;
  return policy.id < b.id;
}
}  // namespace

void sort_by_decision(std::vector<AdminPolicy>& policies) {
  std::stable_sort(policies.begin(), policies.end(), decides_first);
}

void apply_admin_policies(Service& service, const std::vector<const AdminPolicy*>& policies) {
  std::vector<const AdminPolicy*> applying;
  for (const AdminPolicy* p : policies)
    if (subject_selects(*p, service)) applying.push_back(p);
  if (applying.empty()) return;
  std::stable_sort(
      applying.begin(), applying.end(),
      [](const AdminPolicy* a, const AdminPolicy* b) { return decides_first(*a, *b); });
  for (const AdminPolicy* p : applying) {
    service.admin_ingress.insert(service.admin_ingress.end(), p->ingress.begin(), p->ingress.end());
    service.admin_egress.insert(service.admin_egress.end(), p->egress.begin(), p->egress.end());
  }
  fold(service.ingress, service.admin_ingress, service.ingress_isolated, false);
  fold(service.egress, service.admin_egress, service.egress_isolated, true);
}

std::vector<TierPiece> decide_tiers(const std::vector<AdminPolicy>& policies, const PodCubes& pods,
                                    const Service& other, bool sends, const PortSet& ports,
                                    const std::function<PortSet(const PortSet&)>& resolve,
                                    bool isolated, std::vector<TierDecision>* decisions) {
  // Pods decided alike: the ports not decided yet, handed to the NetworkPolicies (Pass) and
  // allowed.
  struct Region {
    PodCubes pods;
    TierWalk<PortSet> ports;
  };
  std::vector<Region> regions = {{pods, {ports, {}, {}}}};
  auto join = [](std::vector<Region>& list) {  // regions decided alike are one
    std::vector<Region> out;
    for (Region& region : list) {
      auto same = std::find_if(out.begin(), out.end(), [&](const Region& o) {
        return o.ports.undecided == region.ports.undecided &&
               o.ports.passed == region.ports.passed && o.ports.allowed == region.ports.allowed;
      });
      if (same == out.end())
        out.push_back(std::move(region));
      else
        same->pods = same->pods.unite(region.pods);
    }
    list = std::move(out);
  };
  bool baseline = false;
  for (const AdminPolicy& policy : policies) {
    if (policy.baseline && !baseline) {
      if (isolated) break;  // the NetworkPolicies decide: the baseline is not consulted
      for (Region& g : regions) g.ports.to_baseline();
      baseline = true;
    }
    std::vector<std::pair<const AdminRule*, PortSet>> hits;  // its rules that match `other`
    for (const AdminRule& r : sends ? policy.egress : policy.ingress)
      if (admin_selects(r.match, other)) hits.emplace_back(&r, resolve(r.match.ports));
    if (hits.empty()) continue;
    const PodCubes subject = PodCubes::selected(policy.subject.namespaces, policy.subject.pods, "");
    std::vector<Region> next;
    for (Region& region : regions) {
      PodCubes in = region.pods.intersect(subject);
      if (in.empty()) {
        next.push_back(std::move(region));
        continue;
      }
      Region d{std::move(in), region.ports};
      for (const auto& hit : hits) {
        PortSet now = d.ports.take(hit.first->action, hit.second);
        if (!now.empty() && hit.first->action != AdminAction::Allow && decisions)
          decisions->push_back({hit.first, d.pods, now});
      }
      if (PodCubes out = region.pods.subtract(subject); !out.empty())
        next.push_back({std::move(out), std::move(region.ports)});
      next.push_back(std::move(d));
    }
    regions = std::move(next);
    join(regions);
  }
  std::vector<TierPiece> out;
  for (Region& region : regions) {
    TierPiece piece{std::move(region.pods), {}, {}};
    if (isolated) {
      piece.allowed = region.ports.allowed;
      piece.to_networkpolicies = region.ports.to_networkpolicies();
    } else {  // what no tier decided is allowed
      piece.allowed = region.ports.allowed_at_end();
    }
    auto same = std::find_if(out.begin(), out.end(), [&](const TierPiece& o) {
      return o.allowed == piece.allowed && o.to_networkpolicies == piece.to_networkpolicies;
    });
    if (same == out.end())
      out.push_back(std::move(piece));
    else
      same->pods = same->pods.unite(piece.pods);
  }
  return out;
}

PodCubes subject_point(const std::vector<AdminPolicy>& policies, const Service& service) {
  std::vector<std::string> ns_keys, pod_keys;
  for (const AdminPolicy& policy : policies) {
    if (policy.subject.namespaces)
      for (const Requirement& q : policy.subject.namespaces->requirements())
        ns_keys.push_back(q.key);
    if (policy.subject.pods)
      for (const Requirement& q : policy.subject.pods->requirements()) pod_keys.push_back(q.key);
  }
  return PodCubes::point(service.ns_labels, service.labels, ns_keys, pod_keys);
}

std::vector<std::pair<PodCubes, PortSet>> outside_tiers(
    const std::vector<AdminPolicy>& policies, const PodCubes& pods, const Service& other,
    bool sends, const PortSet& ports, const std::function<PortSet(const PortSet&)>& resolve,
    std::vector<TierDecision>* decisions) {
  std::vector<std::pair<PodCubes, PortSet>> out;
  for (TierPiece& piece :
       decide_tiers(policies, pods, other, sends, ports, resolve, false, decisions))
    if (!piece.allowed.empty()) out.emplace_back(std::move(piece.pods), std::move(piece.allowed));
  return out;
}

}  // namespace netpol::graph
