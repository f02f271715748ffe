#include "graph/analysis/findings.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

#include "error.hpp"
#include "graph/analysis/analysis.hpp"
#include "graph/analysis/reach.hpp"
#include "graph/read/admin.hpp"
#include "graph/rules/match.hpp"
#include "graph/sets/access.hpp"
#include "graph/sets/address_set.hpp"
#include "graph/sets/pod_cubes.hpp"
#include "suggest.hpp"

namespace netpol::graph {

std::string_view severity_name(Severity s) {
  switch (s) {
    case Severity::Info:
      return "info";
    case Severity::Warning:
      return "warning";
    case Severity::Error:
      return "error";
  }
  return "warning";
}

Severity parse_severity(std::string_view s) {
  for (Severity v : {Severity::Info, Severity::Warning, Severity::Error})
    if (s == severity_name(v)) return v;
  throw ValueError("unknown severity \"" + std::string(s) + "\" (expected error, warning or info)");
}

const std::vector<FindingRule>& finding_rules() {
  static const std::vector<FindingRule> rules = {
      {"policies-disabled", Severity::Warning,
       "Network policies are disabled: nothing is restricted.",
       "With global.networkPolicy.enabled false the chart renders no NetworkPolicy: every pod "
       "may reach every pod on every port, and any source every service.",
       "Set global.networkPolicy.enabled: true, then review the table and check again."},
      {"otlp-egress-missing", Severity::Warning,
       "OTLP goes to a non-default endpoint but otlpEgress is empty, so telemetry is blocked.",
       "The chart opens egress only to the in-namespace ingest:4317; an external collector "
       "needs its addresses in global.networkPolicy.otlpEgress.",
       "Add the collector's CIDRs and port to global.networkPolicy.otlpEgress."},
      {"egress-open-world", Severity::Warning, "An egress rule allows 0.0.0.0/0 or ::/0.",
       "Egress to every address lets a compromised pod send data anywhere on those ports.",
       "Narrow the rule to the address blocks the services need."},
      {"dns-any-destination", Severity::Info, "DNS egress is allowed to any address.",
       "The chart's DNS rule has no destination: port 53 is open to any address, a known "
       "exfiltration channel.",
       "Nothing in the values narrows it; a cluster-wide policy can limit DNS to kube-dns."},
      {"one-sided-peer", Severity::Warning,
       "A peer rule the other side does not match, so it opens nothing.",
       "Traffic between two services needs the source's egress and the destination's ingress; "
       "an entry on one side only is dead configuration that reviewers read as access.",
       "Add the matching entry on the other side, or remove the entry."},
      {"unknown-peer", Severity::Warning, "A peer names no chart service.",
       "A peer app that is no chart service selects pods nobody defined, often a typo.",
       "Correct the name (the message suggests the closest), or select the pods explicitly."},
      {"unknown-key", Severity::Warning,
       "A values key the chart does not have (a typo?): Helm ignores it.",
       "Helm renders nothing from a key the chart does not read, so the intended policy is "
       "silently missing.",
       "Correct the key (the message suggests the closest), or remove it."},
      {"over-permission", Severity::Warning,
       "A service may reach an external destination it is not documented to need.",
       "Access beyond what the service needs widens what a compromised pod can reach.",
       "Give the service an egress rule for what it needs instead of allowExternalEgress, or "
       "add the need to the profile."},
      {"broken-dependency", Severity::Error,
       "A service may not reach an external destination it is documented to need.",
       "The policies block traffic the service is documented to send: it will fail at run "
       "time.",
       "Turn on the service's allowExternalEgress or add an externalEgress entry (the message "
       "says which)."},
      {"selector-all", Severity::Warning,
       "A raw rule selects every namespace, every pod of the namespace, or every address.",
       "An empty selector is easy to write by accident and opens far more than one peer.",
       "Select only the namespaces, pods or addresses that need it."},
      {"external-exposure", Severity::Info, "Services any source can reach, and how deep.",
       "Every service any source reaches, directly or through others, is attack surface.",
       "Expose only services that serve outside traffic, and check what they reach in turn."},
      {"no-service-ports", Severity::Warning,
       "allowExternal on a service with no known ports exposes every port.",
       "allowExternal admits any source on the service ports; without a known port the rule "
       "has no ports, which means every port.",
       "Set the service's service.port (or .ports), or turn allowExternal off."},
      {"intent-violated", Severity::Error,
       "A rule of the intent file (check --intent) does not hold.",
       "A deny rule names traffic that must never be possible, and some path allows it; an "
       "allow rule names traffic that must keep working, and no path allows it.",
       "Close one hop of the offending path (the message lists each hop's values keys), open "
       "the missing path, or change the rule if the access is intended."},
      {"not-kubernetes", Severity::Warning,
       "A file in a --manifests directory holds no Kubernetes object: it was skipped.",
       "A tool's output or a stray file next to the manifests is not part of the cluster; a "
       "manifest file that fails to parse as one would leave objects out of the review.",
       "Move the file out of the directory, or fix it if it was meant to hold objects."},
      {"api-would-refuse", Severity::Warning,
       "--manifests: an object the API server would refuse, read with the API's zero values.",
       "Such objects sit in repositories and in netpol-analyzer's suite, which reads them so; "
       "kubectl refuses them, so the cluster never held them as written. What was assumed "
       "is in the message.",
       "Write the field the API requires (the message says which and what was assumed)."},
      {"duplicate-object", Severity::Warning,
       "--manifests: the same object (kind, namespace and name) is given twice.",
       "Kubernetes keeps one object per name: applied as a stream, the last one replaces the "
       "first, so only the last is read. The first may be what the author meant.",
       "Remove one of the two, or give them different names."},
      {"replicas-differ", Severity::Warning,
       "--manifests: pods of one workload that a selector tells apart, or that differ in their "
       "container ports.",
       "Pods are shown by the workload that controls them; pods that policies treat "
       "differently cannot be one workload, so each kind is kept apart, named by its first "
       "pod. A rollout in progress does this; so does a pod relabelled by hand.",
       "Nothing, if a rollout is under way; else make the pods alike."},
      {"unmodelled-kind", Severity::Info,
       "Objects of kinds netpol-graph does not model were read and ignored.",
       "Only the kinds docs/manifests.md lists change what netpol-graph computes; the others "
       "(ConfigMaps, Secrets, ...) are counted so that nothing is left out silently.",
       "Nothing, if these kinds do not affect network access."},
      {"admin-priority-tie", Severity::Warning, "AdminNetworkPolicies share a priority.",
       "The API leaves the order of AdminNetworkPolicies of equal priority undefined: where "
       "their rules overlap, implementations may decide differently (netpol-graph takes them "
       "by name).",
       "Give each AdminNetworkPolicy its own priority."},
      {"admin-nodes-peer", Severity::Warning,
       "An admin policy rule has a nodes peer, which netpol-graph cannot place.",
       "netpol-graph knows pods and addresses, not which nodes have which addresses, so "
       "traffic to nodes is not in the graph.",
       "Add the nodes' addresses as a networks peer to see that traffic."},
      {"admin-deny-shadowed", Severity::Warning,
       "An AdminNetworkPolicy Deny rule never decides: higher-priority Allow rules take all it "
       "matches.",
       "A reviewer reads the Deny as a guarantee; the cluster allows that traffic first.",
       "Give the Deny a lower priority number than the Allow, or narrow the Allow."},
      {"baseline-decides", Severity::Info,
       "The BaselineAdminNetworkPolicy decides for services no NetworkPolicy selects.",
       "Where no NetworkPolicy selects a pod, the cluster's baseline (not the application's "
       "own policies) decides its traffic; a change to the baseline changes that access.",
       "Nothing, if the baseline is meant to decide; else add NetworkPolicies for them."},
      {"ingress-no-backend", Severity::Warning,
       "An Ingress backend names a Service, port or pods that are not there.",
       "The route is configured but leads nowhere: a typo in a name or port, or a Service "
       "left out of the manifests.",
       "Correct the backend's service name or port, or add the Service and its pods."},
      {"ingress-blocked", Severity::Warning,
       "An Ingress routes to pods whose ingress policies keep the ingress controller out.",
       "The controller's pods are not known, so a route works only where the policies admit "
       "an arbitrary in-cluster pod (netpol-analyzer's rule): else it is configured but "
       "blocked, unless a policy names the controller.",
       "Admit the ingress controller's namespace and pods in the backend's ingress policy."},
      {"noncanonical-cidr", Severity::Warning, "A CIDR with host bits set.",
       "10.0.0.1/16 means 10.0.0.0/16: the written address suggests a narrower block than the "
       "policy allows.",
       "Write the network address the policy means."},
  };
  return rules;
}

Severity severity_of(std::string_view code) {
  for (const auto& r : finding_rules())
    if (r.code == code) return r.severity;
  // A code no rule has is a typo in the code base, not in the input: every path that
  // raises it fails its test instead of passing as a warning.
  throw std::logic_error("finding code \"" + std::string(code) +
                         "\" has no rule in finding_rules()");
}

namespace {

class Finder {
 public:
  explicit Finder(const Analysis& a) : a_(a) {}

  std::vector<Finding> run() {
    const Chart& c = a_.chart;
    for (const Warning& w : c.warnings) add(w.code, w.message, w.where, w.fix, w.message);
    if (!c.enabled) {
      add("policies-disabled",
          "network policies are disabled: every pod may reach every pod on every port, any "
          "source every service, every service any address",
          c.enabled_at, "set global.networkPolicy.enabled: true");
      return sorted();
    }
    dns();
    open_world();
    one_sided();
    documented();
    selector_all();
    exposure();
    no_service_ports();
    noncanonical();
    admin_shadowed();
    baseline_decides();
    ingress_blocked();
    return sorted();
  }

 private:
  void add(std::string_view code, std::string message, Provenance where, std::string fix,
           std::string subject = "", std::string access = "") {
    if (code.empty()) return;
    out_.push_back({{std::string(code), std::move(message), std::move(where), std::move(fix)},
                    severity_of(code),
                    std::move(subject),
                    "",
                    std::move(access)});
  }

  std::vector<Finding> sorted() {
    sort_findings(out_);  // within a code, in the order they were found: chart order
    return std::move(out_);
  }

  static std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
    return out;
  }

  void dns() {
    if (a_.chart.from_manifests) return dns_rules();
    for (const Service& s : a_.chart.services)
      for (const Rule& r : s.egress)
        if (r.origin == RuleOrigin::Dns) {
          add("dns-any-destination",
              "every service may send DNS (TCP 53, UDP 53) to any address, as the chart always "
              "renders it",
              a_.chart.enabled_at,
              "nothing in the values narrows it; a cluster-wide policy outside the chart can "
              "limit DNS to kube-dns");
          return;
        }
  }

  // Read from manifests, the DNS-shaped rules are whatever the policies say: one finding per
  // rule, naming the services it applies to.
  void dns_rules() {
    std::map<std::string, std::pair<const Rule*, std::vector<std::string>>> by_rule;
    std::vector<std::string> order;
    for (const Service& s : a_.chart.services)
      for (const Rule& r : s.egress)
        if (r.origin == RuleOrigin::Dns) {
          const std::string& key = rule_key(r).path;
          if (!by_rule.count(key)) order.push_back(key);
          by_rule[key].first = &r;
          by_rule[key].second.push_back(s.name);
        }
    for (const auto& key : order) {
      const auto& [rule, services] = by_rule.at(key);
      add("dns-any-destination",
          join(services) + " may send DNS (" + rule->ports.label() +
              ") to any address: the rule has no `to`",
          rule_key(*rule),
          "limit `to` to the cluster's DNS pods (e.g. namespaceSelector kube-system and "
          "podSelector k8s-app: kube-dns)",
          rule->ports.label());
    }
  }

  // The values key that stands for a rule: the entry itself (the last provenance); none for
  // a rule built without one (the readers always give one; a Chart made in code may not).
  static const Provenance& rule_key(const Rule& r) {
    static const Provenance none;
    return r.provenance.empty() ? none : r.provenance.back();
  }

  void open_world() {
    struct Open {
      Provenance key;
      std::string blocks;
      PortSet ports;
      std::vector<std::string> services;
    };
    std::map<std::string, Open> by_key;
    std::vector<std::string> order;
    for (const Service& s : a_.chart.services)
      for (const Rule& r : s.egress) {
        if (r.origin == RuleOrigin::Dns) continue;
        std::string blocks;
        if (r.any_peer) blocks = "any address";
        for (const Peer& p : r.peers)
          if (p.ip_block && p.ip_block->cidr.is_everything())
            blocks += (blocks.empty() ? "" : ", ") + p.ip_block->str();
        if (blocks.empty()) continue;
        const Provenance& key = rule_key(r);
        auto [it, fresh] = by_key.try_emplace(key.path, Open{key, blocks, r.ports, {}});
        if (fresh) order.push_back(key.path);
        auto& services = it->second.services;  // a service's rules may share their key
        if (services.empty() || services.back() != s.name) services.push_back(s.name);
      }
    std::set<std::string> said_alone;
    for (const auto& kv : by_key) said_alone.insert(kv.first);
    open_world_together(said_alone);
    for (const auto& path : order) {
      const Open& o = by_key.at(path);
      add("egress-open-world",
          "egress to " + o.blocks + " on " + o.ports.label() + " for " + join(o.services), o.key,
          "narrow " + o.key.path + " to the addresses the services need",
          o.blocks + " on " + o.ports.label());
    }
  }

  // Services whose egress rules, none of them to every address alone, together allow every
  // globally reachable address of a family on some ports (0.0.0.0/1 and 128.0.0.0/1 on 443):
  // open to the world all the same, said once per first such rule, with its services.
  void open_world_together(const std::set<std::string>& said_alone) {
    const AddressSet global = AddressSet::globally_reachable();
    const AddressSet families[] = {global.intersect(AddressSet::all_v4()),
                                   global.intersect(AddressSet::all_v6())};
    struct Together {
      Provenance key;
      PortSet ports;
      std::vector<std::string> blocks, services;
    };
    std::map<std::string, Together> by_key;
    std::vector<std::string> order;
    for (const Service& s : a_.chart.services) {
      AccessMap egress;
      const Rule* first = nullptr;
      std::vector<std::string> blocks;
      bool single_rule = false;
      for (const Rule& r : s.egress) {
        if (r.origin == RuleOrigin::Dns) continue;
        single_rule = single_rule || said_alone.count(rule_key(r).path);
        for (const Peer& p : r.peers)
          if (p.ip_block) {
            egress.grant_addresses(AddressSet::of(*p.ip_block), r.ports);
            if (!first) first = &r;
            blocks.push_back(p.ip_block->str());
          }
      }
      if (!first || single_rule) continue;
      // The ports every address of a family may be reached on.
      PortSet open;
      for (const AddressSet& family : families) {
        std::optional<PortSet> common;
        AddressSet covered;
        for (const auto& piece : egress.pieces()) {
          if (!piece.to.addresses.intersects(family)) continue;
          covered = covered.unite(piece.to.addresses);
          common = common ? common->intersect(piece.ports) : piece.ports;
        }
        if (common && family.subset_of(covered)) open = open.unite(*common);
      }
      if (open.empty()) continue;
      const Provenance& key = rule_key(*first);
      auto [it, fresh] = by_key.try_emplace(key.path, Together{key, open, blocks, {}});
      if (fresh) order.push_back(key.path);
      it->second.services.push_back(s.name);
    }
    for (const auto& path : order) {
      const Together& t = by_key.at(path);
      std::vector<std::string> blocks = t.blocks;
      std::sort(blocks.begin(), blocks.end());
      blocks.erase(std::unique(blocks.begin(), blocks.end()), blocks.end());
      add("egress-open-world",
          "egress to every public address on " + t.ports.label() + " for " + join(t.services) +
              ", by rules that together cover it (" + join(blocks) + ")",
          t.key,
          "narrow " + t.key.path + " and the rules beside it to the addresses the services need",
          "every public address (" + join(blocks) + ") on " + t.ports.label());
    }
  }

  // Egress of `from` towards `to`, without the DNS rule every service has.
  PortSet egress_without_dns(const Service& from, const Service& to) {
    PortSet out;
    for (const Rule& r : from.egress)
      if (r.origin != RuleOrigin::Dns && rule_selects(r, to, from.ns))
        out = out.unite(r.ports.resolve(to.ports));
    return out;
  }

  void one_sided() {
    const Chart& c = a_.chart;
    for (const Service& s : c.services) {
      for (const Rule& r : s.egress) {
        if (r.origin != RuleOrigin::PeerApp) continue;
        const Service* d = c.service(r.name);
        if (!d) continue;
        PortSet sent = r.ports.resolve(d->ports);
        if (!sent.intersect(ingress_from(c, *d, s).ports).empty()) continue;
        add("one-sided-peer",
            s.name + " lists " + d->name + " in egressTo on " + sent.label() + ", but " + d->name +
                "'s ingress does not admit " + s.name + " there: the entry opens nothing",
            rule_key(r),
            "add {app: " + s.name + "} with those ports to " + d->name +
                ".networkPolicy.ingressFrom, or remove the entry",
            s.name + " -> " + d->name);
      }
      for (const Rule& r : s.ingress) {
        if (r.origin != RuleOrigin::PeerApp) continue;
        const Service* from = c.service(r.name);
        if (!from) continue;
        PortSet admitted = r.ports.resolve(s.ports);
        if (!admitted.intersect(egress_without_dns(*from, s)).empty()) continue;
        add("one-sided-peer",
            s.name + " lists " + from->name + " in ingressFrom on " + admitted.label() + ", but " +
                from->name + "'s egress does not send to " + s.name +
                " there: the entry opens nothing",
            rule_key(r),
            "add {app: " + s.name + "} with those ports to " + from->name +
                ".networkPolicy.egressTo, or remove the entry",
            from->name + " -> " + s.name);
      }
    }
  }

  void documented() {
    for (const auto& o : a_.documented_vs_effective.over_permissions) {
      std::string addresses;
      if (auto v = a_.graph.find(o.destination))
        for (const auto& e : a_.graph.node(*v).entries)
          addresses += (addresses.empty() ? "" : ", ") + e.block.str();
      add("over-permission",
          o.service + " may reach " + o.label + (addresses.empty() ? "" : " (" + addresses + ")") +
              " on " + o.ports.label() + ", which the profile does not list among its needs",
          o.opened_by.empty() ? Provenance{} : o.opened_by.front(),
          "if " + o.service +
              " does not need it, give it an egress rule for what it does need "
              "instead of allowExternalEgress; if it does, add it to the profile's needs",
          o.service + " -> " + o.destination,
          // An external destination is named by the profile or an entry's `name:`: by its
          // addresses, the same finding after a rename.
          addresses.empty() ? "" : o.service + " -> " + addresses + " on " + o.ports.label());
    }
    for (const auto& b : a_.documented_vs_effective.broken_dependencies)
      add("broken-dependency",
          b.service + " is documented to need " + b.need + " but may not reach it: " + b.reason,
          b.key, b.fix, b.service + " needs " + b.need);
  }

  void selector_all() {
    std::set<std::string> seen;
    for (const Service& s : a_.chart.services)
      for (const auto* rules : {&s.ingress, &s.egress})
        for (const Rule& r : *rules) {
          if (s.ingress_controller) break;  // its rules are Ingress objects', not selectors
          if (r.origin != RuleOrigin::Raw || !seen.insert(rule_key(r).path).second) continue;
          for (const Peer& p : r.peers) {
            std::string what;
            if (p.namespaces && p.namespaces->empty())
              what = "every namespace" +
                     std::string(p.pods && !p.pods->empty() ? "" : " (all their pods)");
            else if (!p.namespaces && p.pods && p.pods->empty())
              what = "every pod of the namespace";
            else if (p.ip_block && p.ip_block->cidr.is_everything())
              what = "every address (" + p.ip_block->cidr.str() + ")";
            if (what.empty()) continue;
            add("selector-all", "a raw rule selects " + what, rule_key(r),
                "select only the namespaces, pods or addresses that need it", what);
          }
        }
  }

  void exposure() {
    std::vector<std::string> services, names;
    const Route* deepest = nullptr;
    const std::vector<Route>& routes = a_.exposed;
    for (const Route& r : routes) {
      if (a_.graph.node(r.to).kind != NodeKind::Service) continue;
      services.push_back(a_.graph.node(r.to).id + " (" + std::to_string(r.hops()) +
                         (r.hops() == 1 ? " hop)" : " hops)"));
      names.push_back(a_.graph.node(r.to).id);
      if (!deepest || r.hops() > deepest->hops()) deepest = &r;
    }
    if (!deepest) return;
    std::string path;
    for (auto v : deepest->path) path += (path.empty() ? "" : " -> ") + a_.graph.node(v).id;
    // The entry point: the first hop's service, and the key that exposes it.
    const Edge first = *a_.graph.hop_edge(deepest->path[0], deepest->path[1]);
    // Through an ipBlock of internet addresses, not any-source: "the internet".
    bool any_source = std::all_of(routes.begin(), routes.end(), [&](const Route& r) {
      return a_.graph.node(r.path[0]).kind == NodeKind::AnySource;
    });
    std::string who = any_source ? "any source reaches " : "the internet reaches ";
    add("external-exposure",
        who + std::to_string(services.size()) + " services: " + join(services) +
            "; deepest: " + path,
        first.ingress.empty() ? Provenance{} : first.ingress.front(),
        "expose only the services that serve outside traffic (allowExternal), and check what "
        "they may reach in turn",
        join(names));
  }

  void no_service_ports() {
    for (const Service& s : a_.chart.services)
      for (const Rule& r : s.ingress)
        if (r.origin == RuleOrigin::AllowExternal && s.ports.empty())
          add("no-service-ports",
              s.name +
                  " has allowExternal but no known service port, so any source may reach "
                  "every port of it",
              s.allow_external_key,
              "set " + s.name + ".service.port (or .ports), or turn allowExternal off", s.name);
  }

  // Whether the Allow rules before `deny` (in one service's order) take all it matches: its
  // pods (as sets, docs/model.md "Pods as sets") and addresses, each on its ports, less
  // what each earlier Allow takes on its own ports. The first Allow that took some, or null
  // when something is left for the Deny to decide.
  static const AdminRule* shadowed_by(const std::vector<AdminRule>& order, std::size_t deny) {
    const AdminRule& d = order[deny];
    std::vector<std::pair<PodCubes, PortSet>> pods;
    std::vector<std::pair<AddressSet, PortSet>> addresses;
    if (PodCubes p = match_pods(d.match); !p.empty())
      pods.emplace_back(std::move(p), d.match.ports);
    if (AddressSet a = match_addresses(d.match); !a.empty())
      addresses.emplace_back(std::move(a), d.match.ports);
    if (pods.empty() && addresses.empty()) return nullptr;  // matches nothing: decides nothing
    const AdminRule* by = nullptr;
    // Splits each (set, ports) by what `taken` holds: inside it, the ports `allow` leaves.
    auto take = [](auto& regions, const auto& taken, const PortSet& allow) {
      bool took = false;
      std::remove_reference_t<decltype(regions)> next;
      for (auto& [set, ports] : regions) {
        auto in = set.intersect(taken);
        if (in.empty() || ports.intersect(allow).empty()) {
          next.emplace_back(std::move(set), std::move(ports));
          continue;
        }
        took = true;
        if (PortSet left = ports.subtract(allow); !left.empty()) next.emplace_back(in, left);
        if (auto out = set.subtract(taken); !out.empty()) next.emplace_back(std::move(out), ports);
      }
      regions = std::move(next);
      return took;
    };
    for (std::size_t i = 0; i < deny && !(pods.empty() && addresses.empty()); ++i) {
      const AdminRule& a = order[i];
      if (a.baseline || a.action != AdminAction::Allow) continue;
      bool took = take(pods, match_pods(a.match), a.match.ports);
      took = take(addresses, match_addresses(a.match), a.match.ports) || took;
      if (took && !by) by = &a;
    }
    return pods.empty() && addresses.empty() ? by : nullptr;
  }

  // An AdminNetworkPolicy Deny that decides nothing: for every service it applies to, Allow
  // rules of higher priority take all the traffic it matches first.
  void admin_shadowed() {
    struct Seen {
      const AdminRule* rule;
      const AdminRule* by = nullptr;
      bool shadowed = true;
      std::vector<std::string> services;
    };
    std::map<std::string, Seen> by_rule;  // by "file:line:col path"
    std::vector<std::string> order;
    for (const Service& s : a_.chart.services)
      for (const auto* list : {&s.admin_ingress, &s.admin_egress})
        for (std::size_t i = 0; i < list->size(); ++i) {
          const AdminRule& r = (*list)[i];
          if (r.baseline || r.action != AdminAction::Deny) continue;
          std::string key = r.at.where.str() + " " + r.at.path;
          auto [it, fresh] = by_rule.try_emplace(key, Seen{&r, nullptr, true, {}});
          if (fresh) order.push_back(key);
          const AdminRule* by = shadowed_by(*list, i);
          if (!by) it->second.shadowed = false;
          if (!it->second.by) it->second.by = by;
          it->second.services.push_back(s.name);
        }
    for (const auto& key : order) {
      const Seen& seen = by_rule.at(key);
      if (!seen.shadowed) continue;
      add("admin-deny-shadowed",
          seen.rule->describe() + " never decides: " + seen.by->describe() +
              " allows all it matches first (for " + join(seen.services) + ")",
          seen.rule->at,
          "give the Deny a lower priority number than the Allow, or narrow the Allow",
          seen.rule->describe());
    }
  }

  // Pods that no NetworkPolicy selects for a direction, where the BaselineAdminNetworkPolicy
  // has rules for them: the baseline, not the application's own policies, decides.
  void baseline_decides() {
    for (bool egress : {false, true}) {
      std::vector<std::string> services;
      const AdminRule* first = nullptr;
      for (const Service& s : a_.chart.services) {
        if (egress ? s.egress_isolated : s.ingress_isolated) continue;
        for (const AdminRule& r : egress ? s.admin_egress : s.admin_ingress)
          if (r.baseline) {
            if (!first) first = &r;
            services.push_back(s.name);
            break;
          }
      }
      if (!first) continue;
      std::string dir = egress ? "egress" : "ingress";
      add("baseline-decides",
          first->policy + " decides the " + dir + " of " + std::to_string(services.size()) +
              (services.size() == 1 ? " service" : " services") +
              " no NetworkPolicy overrides: " + join(services),
          first->at,
          "add NetworkPolicies for these services if their " + dir +
              " should be the application's decision rather than the cluster default",
          first->policy + " " + dir);
    }
  }

  // An Ingress backend whose pods' ingress policies keep the controller out (on some of
  // the Service's target ports): the route is configured but cannot work.
  void ingress_blocked() {
    const Chart& c = a_.chart;
    const Service* controller = nullptr;
    for (const Service& s : c.services)
      if (s.ingress_controller) controller = &s;
    if (!controller) return;
    for (const IngressRoute& r : c.ingress_routes)
      for (const std::string& name : r.backends) {
        const Service* b = c.service(name);
        if (!b) continue;
        PortSet wanted = r.ports.resolve(b->ports).without_names();
        PortSet admitted = ingress_from(c, *b, *controller).ports;
        PortSet blocked = wanted.empty() ? r.ports : wanted.subtract(admitted);
        if (blocked.empty()) continue;
        std::string why =
            wanted.empty() ? "no container of " + name + " has the target port " + r.ports.label()
                           : name +
                                 "'s ingress policies admit no arbitrary in-cluster pod "
                                 "on " +
                                 blocked.label();
        add("ingress-blocked",
            r.ingress + " routes to Service " + r.service + " (" + name + ", " + r.ports.label() +
                "), but " + why +
                ": the ingress controller cannot reach it (unless a policy names its pods)",
            r.at,
            wanted.empty() ? "name a port the pods declare as the Service's targetPort"
                           : "admit the ingress controller's namespace and pods in " + name +
                                 "'s ingress policy on " + blocked.label(),
            r.ingress + " " + name);
      }
  }

  void noncanonical() {
    std::set<std::string> seen;
    auto check = [&](const Cidr& c) {
      if (c.is_canonical() || !seen.insert(c.origin_path()).second) return;
      add("noncanonical-cidr", c.written() + " has host bits set; it means " + c.str(),
          {c.origin_path(), c.origin()}, "write " + c.str(), c.written());
    };
    for (const Service& s : a_.chart.services)
      for (const auto* rules : {&s.ingress, &s.egress})
        for (const Rule& r : *rules)
          for (const Peer& p : r.peers)
            if (p.ip_block) {
              check(p.ip_block->cidr);
              for (const Cidr& e : p.ip_block->except) check(e);
            }
  }

  const Analysis& a_;
  std::vector<Finding> out_;
};

}  // namespace

std::vector<Finding> find_issues(const Analysis& a) {
  return Finder(a).run();
}

void sort_findings(std::vector<Finding>& findings) {
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& x, const Finding& y) {
    if (x.severity != y.severity) return x.severity > y.severity;
    return x.code < y.code;
  });
}

Waivers::Ignore parse_ignore(std::string_view text) {
  auto colon = text.find(':');
  Waivers::Ignore out{std::string(text.substr(0, colon)), std::nullopt};
  if (colon != std::string_view::npos) out.path = std::string(text.substr(colon + 1));
  std::vector<std::string> codes;
  for (const auto& r : finding_rules()) codes.emplace_back(r.code);
  if (std::find(codes.begin(), codes.end(), out.code) == codes.end()) {
    std::string hint = did_you_mean(out.code, codes);
    throw ValueError("no finding code \"" + out.code + "\"" +
                     (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)") +
                     "; expected CODE or CODE:VALUES.PATH with a code of docs/findings.md");
  }
  if (out.path && out.path->empty())
    throw ValueError("\"" + std::string(text) + "\" has no values path after the colon");
  return out;
}

void apply_waivers(std::vector<Finding>& findings, const Waivers& w) {
  for (Finding& f : findings) {
    for (const auto& i : w.ignore)
      if (i.code == f.code && (!i.path || *i.path == f.where.path)) {
        f.waived = "--ignore " + i.code + (i.path ? ":" + *i.path : "");
        break;
      }
    if (!f.waived.empty()) continue;
    for (const auto& k : w.baseline) {
      // By subject, or by access where both say it: a renamed destination is the same
      // finding, and so is a narrowed one under its name.
      const bool same = !k.subject || *k.subject == f.subject ||
                        (k.access && !f.access.empty() && *k.access == f.access);
      if (k.code == f.code && k.path == f.where.path && same) {
        f.waived = "in the baseline " + w.baseline_name;
        break;
      }
    }
  }
}

}  // namespace netpol::graph
