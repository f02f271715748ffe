#include "graph/analysis/least_privilege.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include "graph/analysis/diff.hpp"
#include "graph/rules/match.hpp"
#include "graph/sets/cidr.hpp"
#include "values/merge.hpp"

namespace netpol::graph {

namespace {

using values::Value;
using Vertex = PolicyGraph::Vertex;

// What asked for one key of one service: the ports, the addresses flows contacted through
// it (for narrowing its blocks), and why.
struct KeyUse {
  PortSet ports;
  std::set<Cidr> addresses;  // one-address blocks
  bool whole = false;        // an ask that needs every address of its blocks (an intent rule)
  std::vector<std::string> reasons;
  std::size_t flows = 0;  // flows that used it, and where the first was read
  Location first_flow;

  void add_reason(const std::string& r) {
    if (std::find(reasons.begin(), reasons.end(), r) == reasons.end()) reasons.push_back(r);
  }
};

// One end of an ask: a chart service, a pod of no chart service, an address, any source
// outside the cluster, or an external destination the profile names.
struct End {
  enum class Kind { Service, Pod, Address, Internet, Need } kind = Kind::Internet;
  const Service* service = nullptr;
  Service pod;  // Pod: its namespace and labels, as a service's
  std::optional<Cidr> address;
  std::string need;
  PortSet need_ports;
};

End service_end(const Service& s) {
  End e;
  e.kind = End::Kind::Service;
  e.service = &s;
  return e;
}

// Why an ask was made, for the overlay's comments.
struct Why {
  std::string text;            // "need S3 (profile)"
  bool whole = false;          // keeps whole blocks (intent)
  const Flow* flow = nullptr;  // a flow (counted, first location kept)
  std::size_t count = 0;
};

// A string as a values file holds it: plain where YAML reads it as a string, else quoted.
Value text_value(const std::string& s) {
  return Value::make_scalar(s, values::resolve_plain(s) != values::ScalarType::Str, {});
}

bool holds(const IpBlock& block, const Cidr& address) {
  return block.cidr.contains(address) &&
         std::none_of(block.except.begin(), block.except.end(),
                      [&](const Cidr& e) { return e.contains(address); });
}

bool has_block(const Rule& r) {
  return std::any_of(r.peers.begin(), r.peers.end(),
                     [](const Peer& p) { return p.ip_block.has_value(); });
}

bool block_holds(const Rule& r, const Cidr& address) {
  return std::any_of(r.peers.begin(), r.peers.end(),
                     [&](const Peer& p) { return p.ip_block && holds(*p.ip_block, address); });
}

// The key a user edits for a rule: its list entry, or allowExternal.
const Provenance* rule_key(const Rule& r) {
  switch (r.origin) {
    case RuleOrigin::PeerApp:
    case RuleOrigin::Raw:
    case RuleOrigin::ExternalEgress:
    case RuleOrigin::OtlpExternal:
    case RuleOrigin::AllowExternal:
      return r.provenance.empty() ? nullptr : &r.provenance.back();
    default:
      return nullptr;
  }
}

// Whether a rule may select pods (a pod selector, or no peer list).
bool selects_pods(const Rule& r) {
  return r.any_peer || std::any_of(r.peers.begin(), r.peers.end(),
                                   [](const Peer& p) { return !p.ip_block.has_value(); });
}

class Planner {
 public:
  Planner(const Analysis& a, const Review& review, const SuggestOptions& options)
      : a_(a), review_(review), options_(options) {
    for (const Service& s : a.chart.services)
      for (const auto* rules : {&s.ingress, &s.egress})
        for (const Rule& r : *rules)
          if (const Provenance* k = rule_key(r)) rules_.try_emplace(k->path, &r);
  }

  Suggestion plan() {
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

 private:
  // ---- asks ----

  void ask_profile() {
    std::size_t needs = 0, sources = 0;
    for (const Service& s : a_.chart.services) {
      const ProfileService* ps = a_.profile.service(s.name);
      if (!ps) continue;
      if (ps->needs)
        for (const auto& need : *ps->needs) {
          End to;
          to.kind = End::Kind::Need;
          to.need = need;
          to.need_ports = need_ports(a_.profile, need);
          PortSet ports = to.need_ports.empty() ? PortSet::all() : to.need_ports;
          ask(service_end(s), to, ports, {"need " + need + " (profile)"});
          ++needs;
        }
      if (!ps->external_sources.empty()) {
        ask(End{}, service_end(s), PortSet::all(),
            {"external sources: " + ps->external_sources + " (profile)"});
        ++sources;
      }
    }
    if (needs) out_.asks.push_back(count_text(needs, "documented need"));
    if (sources) out_.asks.push_back(count_text(sources, "documented external source"));
  }

  // The values switch telemetry on; its rules stay (their blocks narrowed where flows say).
  void ask_telemetry() {
    bool any = false;
    for (const Service& s : a_.chart.services)
      for (const Rule& r : s.egress)
        if (r.origin == RuleOrigin::OtlpExternal) {
          mark(s, r, r.ports, std::nullopt, {"telemetry (observability.otlpEnabled)"});
          any = true;
        }
    if (any) out_.asks.push_back("telemetry to the OTLP collector");
  }

  // Each allow rule keeps the edges on every path that meets it (within its maxHops).
  void ask_intents() {
    const PolicyGraph& g = a_.graph;
    std::size_t n = 0;
    for (const IntentRule& rule : review_.intents) {
      if (rule.deny) continue;
      ++n;
      auto from = g.find(rule.from), to = g.find(rule.to);
      if (!from || !to) continue;
      auto forward = distances(*from, true), backward = distances(*to, false);
      // The edges of the shortest paths (within maxHops): enough to keep the rule met.
      auto shortest = forward.find(*to);
      if (shortest == forward.end()) continue;
      const std::size_t limit = shortest->second;
      if (rule.max_hops > 0 && limit > static_cast<std::size_t>(rule.max_hops)) continue;
      const std::string why = "intent " + rule.at.str();
      for (const auto& e : g.edges()) {
        auto df = forward.find(e.from);
        auto db = backward.find(e.to);
        if (df == forward.end() || db == backward.end() || df->second + 1 + db->second > limit)
          continue;
        std::optional<Edge> edge = g.hop_edge(e.from, e.to);
        if (!edge) continue;
        for (const auto& [side, keys] :
             {std::make_pair(e.from, &edge->egress), std::make_pair(e.to, &edge->ingress)}) {
          const Service* s = a_.chart.service(g.node(side).id);
          if (!s) continue;
          for (const Provenance& k : *keys) mark_key(*s, k.path, edge->ports, {why, true});
        }
      }
    }
    if (n) out_.asks.push_back(count_text(n, "intent allow rule"));
  }

  // Hops from `start` along the edges (forward) or against them, through chart services
  // only: externals and DNS end a path, any-source and selectors start one.
  std::unordered_map<Vertex, std::size_t> distances(Vertex start, bool forward) const {
    const PolicyGraph& g = a_.graph;
    std::unordered_map<Vertex, std::size_t> dist{{start, 0}};
    std::deque<Vertex> todo{start};
    while (!todo.empty()) {
      Vertex v = todo.front();
      todo.pop_front();
      if (v != start && g.node(v).kind != NodeKind::Service) continue;
      for (Vertex w : forward ? g.hop_targets(v) : g.hop_sources(v))
        if (dist.try_emplace(w, dist[v] + 1).second) todo.push_back(w);
    }
    return dist;
  }

  void ask_flows(const std::vector<Flow>& flows) {
    FlowServices services(a_.chart, a_.graph.ns);
    // The same connection seen again asks nothing new: counted, asked once.
    std::map<std::string, std::size_t> seen;
    std::vector<std::pair<const Flow*, std::size_t>> distinct;
    for (const Flow& f : flows) {
      std::string key = end_key(f.from) + '\x1e' + end_key(f.to) + '\x1e' +
                        std::string(protocol_name(f.protocol)) + std::to_string(f.port);
      auto [it, fresh] = seen.try_emplace(key, distinct.size());
      if (fresh) distinct.emplace_back(&f, 0);
      distinct[it->second].second += f.count;
    }
    std::size_t total = 0;
    for (const auto& [flow, count] : distinct) {
      total += count;
      std::optional<End> from = flow_end(flow->from, services), to = flow_end(flow->to, services);
      if (!from || !to) continue;
      PortSet port;
      port.add_range(flow->protocol, flow->port, flow->port);
      ask(*from, *to, port, {"flows", false, flow, count});
    }
    out_.asks.push_back(count_text(total, "observed flow"));
  }

  static std::string end_key(const FlowEnd& e) {
    std::string k =
        e.ns + '\x1f' + e.name + '\x1f' + e.ip + (e.pod ? "p" : "") + (e.named ? "n" : "");
    for (const auto& [key, value] : e.labels) k += '\x1f' + key + '=' + value;
    return k;
  }

  std::optional<End> flow_end(const FlowEnd& e, const FlowServices& services) const {
    if (const Service* s = services.of(e)) return service_end(*s);
    if (e.named) return std::nullopt;  // a name the inputs lack (flow-unknown-endpoint)
    End out;
    if (e.pod) {
      out.kind = End::Kind::Pod;
      out.pod.name = e.ns + "/" + e.name;
      out.pod.labels = e.labels;
      out.pod.ns = e.ns;
      out.pod.ns_labels = e.ns_labels;
      return out;
    }
    out.kind = End::Kind::Address;
    out.address = Cidr::parse(e.ip + (e.ip.find(':') == std::string::npos ? "/32" : "/128"));
    return out;
  }

  // Without flows nothing speaks of the traffic between pods: the rules that may carry it
  // stay as they are, and so does every rule that lets one chart service reach another (an
  // allowExternal admits the other services' pods too).
  void keep_pod_traffic() {
    const Why why{"traffic between pods (no --flows to judge it)"};
    for (const Service& s : a_.chart.services)
      for (const auto* rules : {&s.ingress, &s.egress})
        for (const Rule& r : *rules)
          if ((r.origin == RuleOrigin::PeerApp || r.origin == RuleOrigin::Raw) && selects_pods(r))
            mark(s, r, r.ports, std::nullopt, why);
    const PolicyGraph& g = a_.graph;
    auto service_at = [&](std::size_t v) { return a_.chart.service(g.node(v).id); };
    for (const auto& e : g.edges()) {
      const Node &from = g.node(e.from), &to = g.node(e.to);
      // Into a senders node, out of a receivers node: a member joining its class.
      if (to.kind == NodeKind::ClassSenders || from.kind == NodeKind::ClassReceivers) continue;
      auto held = [&](std::size_t v) {
        return is_class(g.node(v).kind) ? g.node(v).members : std::vector<std::size_t>{v};
      };
      const std::vector<std::size_t> sources = held(e.from), destinations = held(e.to);
      // Members of a class are alike: each source once, each destination once, is every rule.
      for (std::size_t i = 0; i < std::max(sources.size(), destinations.size()); ++i) {
        const Service* a = service_at(sources[std::min(i, sources.size() - 1)]);
        const Service* b = service_at(destinations[std::min(i, destinations.size() - 1)]);
        if (a && b && a != b) ask(service_end(*a), service_end(*b), g.edge(e).ports, why);
      }
    }
  }

  // The part of `ports` that rule `r` of `owner` allows with `peer` (the destination for an
  // egress rule, the source for an ingress rule).
  static PortSet rule_allows(const Rule& r, const Service& owner, const End& peer,
                             const PortSet& ports, bool egress) {
    const std::vector<NamedPort> none;
    const std::vector<NamedPort>& named = egress ? none : owner.ports;
    switch (peer.kind) {
      case End::Kind::Service:
        if (!rule_selects(r, *peer.service, owner.ns)) return {};
        return r.ports.resolve(egress ? peer.service->ports : owner.ports).intersect(ports);
      case End::Kind::Pod:
        if (!rule_selects(r, peer.pod, owner.ns)) return {};
        return r.ports.resolve(named).without_names().intersect(ports);
      case End::Kind::Address:
        if (!r.any_peer && !block_holds(r, *peer.address)) return {};
        return r.ports.resolve(named).without_names().intersect(ports);
      case End::Kind::Internet:  // from outside the chart: any peer, a block, a namespace
        if (!r.any_peer && !has_block(r) &&
            std::none_of(r.peers.begin(), r.peers.end(),
                         [](const Peer& p) { return p.namespaces.has_value(); }))
          return {};
        return r.ports.resolve(named).without_names().intersect(ports);
      case End::Kind::Need:
        if (!egress || r.origin == RuleOrigin::Dns || (!r.any_peer && !has_block(r))) return {};
        if (peer.need_ports.empty()) return r.name == peer.need ? r.ports : PortSet();
        if (!peer.need_ports.subset_of(r.ports.without_names())) return {};
        return peer.need_ports;
    }
    return {};
  }

  // Asks for `from` -> `to` on `ports`: where both sides allow some of it, every rule that
  // does is marked with what it allows.
  void ask(const End& from, const End& to, const PortSet& ports, const Why& why) {
    std::vector<std::pair<const Rule*, PortSet>> egress, ingress;
    PortSet out_ok = ports, in_ok = ports;
    if (from.kind == End::Kind::Service) {
      out_ok = PortSet();
      for (const Rule& r : from.service->egress)
        if (PortSet p = rule_allows(r, *from.service, to, ports, true); !p.empty()) {
          out_ok = out_ok.unite(p);
          egress.emplace_back(&r, std::move(p));
        }
    }
    if (to.kind == End::Kind::Service) {
      in_ok = PortSet();
      for (const Rule& r : to.service->ingress)
        if (PortSet p = rule_allows(r, *to.service, from, ports, false); !p.empty()) {
          in_ok = in_ok.unite(p);
          ingress.emplace_back(&r, std::move(p));
        }
    }
    PortSet ok = out_ok.intersect(in_ok);
    if (ok.empty()) return;  // not allowed now: nothing to keep (check reports it)
    mark_side(from.service, egress, ok, to.address, why);
    mark_side(to.service, ingress, ok, from.address, why);
  }

  // Marks the rules of one side that allow an ask: those naming their peers when they allow
  // all of it alone, else every one (a rule of any peer, allowExternal, is kept only where
  // nothing narrower does its work).
  void mark_side(const Service* owner, const std::vector<std::pair<const Rule*, PortSet>>& rules,
                 const PortSet& ok, const std::optional<Cidr>& address, const Why& why) {
    PortSet named;
    for (const auto& [r, p] : rules)
      if (!r->any_peer) named = named.unite(p);
    const bool named_enough = ok.subset_of(named);
    for (const auto& [r, p] : rules)
      if (!named_enough || !r->any_peer) mark(*owner, *r, p.intersect(ok), address, why);
  }

  void mark(const Service& s, const Rule& r, const PortSet& ports,
            const std::optional<Cidr>& address, const Why& why) {
    if (ports.empty()) return;
    for (const Provenance& k : r.provenance) {
      KeyUse& use = mark_key(s, k.path, ports, why);
      if (address && block_holds(r, *address)) use.addresses.insert(*address);
    }
  }

  KeyUse& mark_key(const Service& s, const std::string& path, const PortSet& ports,
                   const Why& why) {
    KeyUse& use = uses_[path][s.name];
    use.ports = use.ports.unite(ports);
    use.whole = use.whole || why.whole;
    if (why.flow) {
      if (!use.flows) use.first_flow = why.flow->at;
      use.flows += why.count;
    } else {
      use.add_reason(why.text);
    }
    return use;
  }

  static std::string count_text(std::size_t n, const std::string& what) {
    return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
  }

  // ---- decisions ----

  // All services' use of a key together (nullopt when none used it).
  std::optional<KeyUse> use_of(const std::string& path,
                               const std::set<std::string>* only = nullptr) const {
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

  const KeyUse* service_use(const std::string& path, const std::string& service) const {
    auto it = uses_.find(path);
    if (it == uses_.end()) return nullptr;
    auto u = it->second.find(service);
    return u == it->second.end() || u->second.ports.empty() ? nullptr : &u->second;
  }

  static std::string why_text(const KeyUse& use) {
    std::string out;
    for (const auto& r : use.reasons) out += (out.empty() ? "" : "; ") + r;
    if (use.flows)
      out += (out.empty() ? "" : "; ") + count_text(use.flows, "flow") + " (first " +
             use.first_flow.str() + ")";
    return out;
  }

  // The findings at a key, as "answers over-permission, egress-open-world".
  // (Indexed on first use: a key, and every key above it, by the codes of its findings.)
  std::string answers(const std::string& path) {
    if (!codes_indexed_) {
      codes_indexed_ = true;
      for (const Finding& f : a_.findings) {
        const std::string& at = f.where.path;
        codes_at_[at].insert(f.code);
        for (std::size_t i = 0; i < at.size(); ++i)
          if ((at[i] == '.' && (i == 0 || at[i - 1] != '\\')) || at[i] == '[')
            codes_at_[at.substr(0, i)].insert(f.code);
      }
    }
    auto it = codes_at_.find(path);
    if (it == codes_at_.end()) return "";
    std::string out;
    for (const auto& c : it->second) out += (out.empty() ? "" : ", ") + c;
    return " (answers " + out + ")";
  }

  void decide() {
    const std::string g = "global.networkPolicy";
    decide_external_egress(g + ".externalEgress");
    decide_list(g + ".otlpEgress", nullptr);
    for (const char* list : {".additionalIngress", ".additionalEgress"})
      decide_global_rules(g + list);
    for (const Service& s : a_.chart.services) {
      const std::string np = s.name + ".networkPolicy";
      decide_allow_external(s, np);
      decide_list(np + ".ingressFrom", nullptr);
      decide_list(np + ".egressTo", nullptr);
      auto ingress = extra_ingress_[s.name];
      for (auto& one : moved_rules(s, "global.networkPolicy.additionalIngress"))
        ingress.push_back(std::move(one));
      decide_list(np + ".additionalIngress", nullptr, ingress);
      decide_allow_external_egress(s, np);
      auto egress = moved_egress(s);
      for (auto& one : moved_rules(s, "global.networkPolicy.additionalEgress"))
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

  // A global raw rule applies to every service: one that only some of them use, or that they
  // use differently, moves to their own lists (each narrowed as that service uses it).
  void decide_global_rules(const std::string& path) {
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

  // The global raw rules of `path` that `s` uses and that leave the global list, as its own.
  std::vector<std::pair<Value, std::vector<std::string>>> moved_rules(const Service& s,
                                                                      const std::string& path) {
    std::vector<std::pair<Value, std::vector<std::string>>> out;
    const Value* list = values::find_path(*a_.values, path);
    auto kept = global_kept_.find(path);
    if (!list || !list->is_seq() || kept == global_kept_.end()) return out;
    for (std::size_t i = 0; i < list->seq.size(); ++i) {
      if (kept->second.count(i)) continue;
      const std::string item = values::path_index(path, i);
      const KeyUse* use = service_use(item, s.name);
      auto rule = rules_.find(item);
      if (!use || rule == rules_.end()) continue;
      std::vector<std::string> comment = {
          item + ", for " + s.name +
          " alone: not every service uses it alike; kept: " + why_text(*use)};
      Value narrowed = narrow_item(list->seq[i], *rule->second, *use, comment);
      out.emplace_back(std::move(narrowed), std::move(comment));
    }
    return out;
  }

  void decide_allow_external(const Service& s, const std::string& np) {
    const Rule* rule = nullptr;
    for (const Rule& r : s.ingress)
      if (r.origin == RuleOrigin::AllowExternal) rule = &r;
    if (!rule) return;
    const std::string path = np + ".allowExternal";
    if (auto use = use_of(path)) {
      // allowExternal opens every service port: some of them asked for, it becomes a rule of
      // any source on those alone.
      const PortSet keep = rule->ports.intersect(use->ports);
      if (rule->ports.subset_of(use->ports) || keep.empty()) return;
      if (keep.without_names() != keep) {
        out_.unexpressible.push_back(path + ": only " + keep.label() + " of " +
                                     rule->ports.label() + " is asked for (named ports)");
        return;
      }
      OverlayKey key;
      key.path = path;
      key.value = Value::make_scalar("false", false, {});
      key.comment = {"was true: any source could open " + rule->ports.label() + " of " + s.name +
                     answers(path) + "; only " + keep.label() +
                     " is asked for: any source on that alone, in its additionalIngress below"};
      out_.keys.push_back(std::move(key));
      Value item = Value::make_map({});
      item.set("ports", ports_value(keep, false));
      extra_ingress_[s.name].emplace_back(
          std::move(item),
          std::vector<std::string>{"allowExternal of " + s.name + " on " + keep.label() +
                                   " alone; kept: " + why_text(*use)});
      return;
    }
    OverlayKey key;
    key.path = path;
    key.value = Value::make_scalar("false", false, {});
    key.comment = {"was true: any source could open " + rule->ports.label() + " of " + s.name +
                       answers(path) + ";",
                   "no documented external source, intent rule or flow asks for it"};
    out_.keys.push_back(std::move(key));
  }

  // externalEgress serves every service whose allowExternalEgress is on, so it keeps the
  // entries (`shared_`) that the fewest copies leave: a service that uses all of them keeps
  // allowExternalEgress and gets the others it uses as its own egress rules; one that does not
  // turns it off and gets all it uses so. An entry is shared as one service narrows it (its
  // ports and the addresses it contacted): two services that contacted different addresses
  // of one entry do not share it, so that neither reaches what only the other needs.
  void decide_external_egress(const std::string& path) {
    const Value* list = values::find_path(*a_.values, path);
    if (!list || !list->is_seq()) return;
    std::vector<std::set<std::size_t>> candidates = {{}};
    bool first = true;
    std::set<std::size_t> common;
    std::map<std::string, std::size_t> unit_ids;
    for (const Service& s : a_.chart.services) {
      if (!s.allow_external_egress) continue;
      auto& mine = entries_by_service_[s.name];
      for (std::size_t i = 0; i < list->seq.size(); ++i) {
        const std::string item = values::path_index(path, i);
        const KeyUse* use = service_use(item, s.name);
        auto rule = rules_.find(item);
        if (!use || rule == rules_.end()) continue;
        std::string key = std::to_string(i) + "|" + narrowed_ports(*rule->second, *use).label();
        for (const IpBlock& b : narrowed_blocks(*rule->second, *use)) key += "|" + b.str();
        auto [id, fresh] = unit_ids.try_emplace(key, unit_entry_.size());
        if (fresh) unit_entry_.emplace_back(i, s.name);
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

  // Whether a service that uses `mine` of externalEgress keeps allowExternalEgress.
  static bool staying(const std::set<std::size_t>& mine, const std::set<std::size_t>& shared) {
    return !shared.empty() && std::includes(mine.begin(), mine.end(), shared.begin(), shared.end());
  }

  // The externalEgress entries `s` uses that the shared list does not give it, as its own
  // egress rules.
  std::vector<std::pair<Value, std::vector<std::string>>> moved_egress(const Service& s) {
    std::vector<std::pair<Value, std::vector<std::string>>> out;
    auto mine = entries_by_service_.find(s.name);
    if (!s.allow_external_egress || mine == entries_by_service_.end()) return out;
    const bool stays = staying(mine->second, shared_);
    const std::string list = "global.networkPolicy.externalEgress";
    const Value* entries = values::find_path(*a_.values, list);
    for (std::size_t id : mine->second) {
      if (stays && shared_.count(id)) continue;
      const std::size_t i = unit_entry_[id].first;
      const std::string path = values::path_index(list, i);
      const KeyUse* use = service_use(path, s.name);
      auto rule = rules_.find(path);
      if (!use || rule == rules_.end()) continue;
      Value item = Value::make_map({});
      Value peers = Value::make_seq({});
      const std::vector<IpBlock> blocks = narrowed_blocks(*rule->second, *use);
      for (const IpBlock& b : blocks) {
        Value peer = Value::make_map({});
        peer.set("ipBlock", block_value(b));
        peers.seq.push_back(std::move(peer));
      }
      item.set("to", std::move(peers));
      const PortSet ports = narrowed_ports(*rule->second, *use, &entries->seq[i]);
      item.set("ports", ports_value(ports, false));
      const std::string& name = rule->second->name;
      const std::string shown = name.empty() ? path : path + " (" + name + ")";
      std::vector<std::string> comment = {
          shown + ", for " + s.name + " alone" +
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

  void decide_allow_external_egress(const Service& s, const std::string& np) {
    if (!s.allow_external_egress) return;
    auto mine = entries_by_service_.find(s.name);
    const bool none = mine == entries_by_service_.end() || mine->second.empty();
    if (!none && staying(mine->second, shared_)) return;
    const std::string path = np + ".allowExternalEgress";
    OverlayKey key;
    key.path = path;
    key.value = Value::make_scalar("false", false, {});
    key.comment = {"was true: " + s.name + " could reach every global externalEgress entry" +
                   answers(path) + "; " +
                   (none ? "no documented need, intent rule or flow asks for any of them"
                         : "the entries it needs are its own egress rules below")};
    out_.keys.push_back(std::move(key));
  }

  // A list the chart reads: each entry kept, narrowed or removed, and `extra` entries
  // appended; restated whole when anything changes. `only`: the services whose use counts.
  // `shared`: for externalEgress, the entries it keeps; the others move to the services.
  void decide_list(const std::string& path, const std::set<std::string>* only,
                   const std::vector<std::pair<Value, std::vector<std::string>>>& extra = {},
                   const std::set<std::size_t>* shared = nullptr) {
    const Value* list = values::find_path(*a_.values, path);
    if (!list || !list->is_seq()) {
      if (extra.empty()) return;
    }
    OverlayKey key;
    key.path = path;
    key.value = Value::make_seq({});
    bool changed = !extra.empty();
    std::vector<std::string> removed;
    const std::size_t n = list && list->is_seq() ? list->seq.size() : 0;
    for (std::size_t i = 0; i < n; ++i) {
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
        key.item_comments.push_back(
            k == 0 ? comment
                   : std::vector<std::string>{"[" + std::to_string(i) + "] continued: prefix " +
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
      key.comment.push_back(n == 0 ? "was empty" : "restated whole (Helm replaces lists)");
    out_.keys.push_back(std::move(key));
  }

  static std::vector<IpBlock> entry_blocks(const Rule& r) {
    std::vector<IpBlock> out;
    for (const Peer& p : r.peers)
      if (p.ip_block) out.push_back(*p.ip_block);
    return out;
  }

  static std::string blocks_text(const std::vector<IpBlock>& blocks) {
    std::string out;
    for (const auto& b : blocks) out += (out.empty() ? "" : ", ") + b.str();
    return out;
  }

  static std::string summary(const Rule& r) {
    std::string peers;
    if (r.origin == RuleOrigin::PeerApp) peers = "app " + r.name;
    for (const Peer& p : r.peers)
      if (p.ip_block) peers += (peers.empty() ? "" : ", ") + p.ip_block->str();
    if (r.any_peer) peers = "any peer";
    if (peers.empty()) peers = "pods";
    return peers + ", " + r.ports.label();
  }

  // The rule's ports narrowed to those used; for an entry with named ports, unchanged.
  PortSet narrowed_ports(const Rule& r, const KeyUse& use, const Value* item = nullptr) {
    PortSet numeric = r.ports.without_names();
    if (numeric != r.ports) {
      if (item)
        out_.unexpressible.push_back(item->loc.str() + ": named ports are kept as they are");
      return r.ports;
    }
    PortSet p = r.ports.intersect(use.ports);
    return p.empty() ? r.ports : p;
  }

  // The rule's blocks narrowed to a cover of the addresses flows contacted through them
  // (blocks none contacted dropped), or as they are when an ask needs them whole or no
  // address is known.
  std::vector<IpBlock> narrowed_blocks(const Rule& r, const KeyUse& use) const {
    std::vector<IpBlock> blocks;
    for (const Peer& p : r.peers)
      if (p.ip_block) blocks.push_back(*p.ip_block);
    if (use.whole || use.addresses.empty() || !review_.flows) return blocks;
    std::vector<IpBlock> out;
    for (const IpBlock& b : blocks) {
      std::vector<Cidr> inside;
      for (const Cidr& a : use.addresses)
        if (holds(b, a)) inside.push_back(a);
      if (inside.empty()) continue;
      for (const Cidr& c : cover(inside, options_.max_prefixes)) {
        if (c.prefix() <= b.cidr.prefix()) {  // no narrower than the block: keep it
          out.push_back(b);
          break;
        }
        IpBlock nb;
        nb.cidr = c;
        for (const Cidr& e : b.except)
          if (c.contains(e) && !(e == c)) nb.except.push_back(e);
        out.push_back(std::move(nb));
      }
    }
    return out.empty() ? blocks : out;
  }

  // One entry narrowed: its ports to those used, its blocks to the addresses contacted. A
  // cidr entry (externalEgress, otlpEgress) covering several prefixes becomes a list of
  // entries, one per prefix.
  Value narrow_item(const Value& item, const Rule& r, const KeyUse& use,
                    std::vector<std::string>& comment) {
    Value out = item;
    if (!item.is_map()) return out;
    PortSet ports = narrowed_ports(r, use, &item);
    if (ports != r.ports) {
      out.set("ports", ports_value(ports, r.origin == RuleOrigin::PeerApp));
      comment.push_back("ports narrowed to " + ports.label() + " (was " + r.ports.label() + ")");
    }
    if (!has_block(r) || r.any_peer) return out;
    std::vector<IpBlock> blocks = narrowed_blocks(r, use);
    std::vector<IpBlock> before;
    for (const Peer& p : r.peers)
      if (p.ip_block) before.push_back(*p.ip_block);
    if (blocks == before) return out;
    std::string was, now;
    for (const auto& b : before) was += (was.empty() ? "" : ", ") + b.str();
    for (const auto& b : blocks) now += (now.empty() ? "" : ", ") + b.str();
    comment.push_back("narrowed to " + now + " (was " + was +
                      "): the addresses the flows contacted");
    if (r.origin == RuleOrigin::ExternalEgress || r.origin == RuleOrigin::OtlpExternal) {
      Value parts = Value::make_seq({});
      for (const IpBlock& b : blocks) {
        Value part = out;
        part.set("cidr", text_value(b.cidr.str()));
        part.erase("except");
        if (!b.except.empty()) part.set("except", cidrs_value(b.except));
        parts.seq.push_back(std::move(part));
      }
      return parts.seq.size() == 1 ? parts.seq.front() : parts;
    }
    // A raw rule whose peers are all blocks: one ipBlock peer per prefix.
    if (selects_pods(r)) return out;
    const char* side = item.find("to") ? "to" : "from";
    Value peers = Value::make_seq({});
    for (const IpBlock& b : blocks) {
      Value peer = Value::make_map({});
      peer.set("ipBlock", block_value(b));
      peers.seq.push_back(std::move(peer));
    }
    out.set(side, std::move(peers));
    return out;
  }

  static Value cidrs_value(const std::vector<Cidr>& cidrs) {
    Value seq = Value::make_seq({});
    for (const Cidr& c : cidrs) seq.seq.push_back(text_value(c.str()));
    return seq;
  }

  static Value block_value(const IpBlock& b) {
    Value v = Value::make_map({});
    v.set("cidr", text_value(b.cidr.str()));
    if (!b.except.empty()) v.set("except", cidrs_value(b.except));
    return v;
  }

  // A `ports` list: bare numbers for TCP ports of an {app, ports} entry, else {port,
  // protocol, endPort} maps ({protocol} alone for every port of a protocol).
  static Value ports_value(const PortSet& ports, bool bare_tcp) {
    Value seq = Value::make_seq({});
    for (const auto& item : ports.items()) {
      const std::string protocol(protocol_name(item.protocol));
      if (!item.all && item.name.empty() && bare_tcp && item.protocol == Protocol::TCP) {
        for (int p = item.lo; p <= item.hi && p - item.lo < 64; ++p)
          seq.seq.push_back(Value::make_scalar(std::to_string(p), false, {}));
        if (item.hi - item.lo < 64) continue;
        seq.seq.pop_back();  // a long range: as a map below
      }
      Value m = Value::make_map({});
      if (!item.all)
        m.set("port", item.name.empty() ? Value::make_scalar(std::to_string(item.lo), false, {})
                                        : text_value(item.name));
      m.set("protocol", Value::make_scalar(protocol, false, {}));
      if (!item.all && item.name.empty() && item.hi > item.lo)
        m.set("endPort", Value::make_scalar(std::to_string(item.hi), false, {}));
      seq.seq.push_back(std::move(m));
    }
    return seq;
  }

  // At most `max` blocks that hold every address (one-address blocks of one family): the
  // two neighbours with the longest common prefix are joined, with every block that prefix
  // holds, until few enough remain (ties: the lowest addresses first). Done level by level,
  // longest prefix first: at each length, the runs of blocks sharing a prefix that long are
  // joined left to right; O(n) a level, so thousands of addresses cost little.
  static std::vector<Cidr> cover(const std::vector<Cidr>& addresses, std::size_t max) {
    std::vector<Cidr> out;
    max = std::max<std::size_t>(max, 1);
    for (bool v4 : {true, false}) {
      std::vector<std::pair<Address128, int>> blocks;  // network, prefix length
      const int bits = v4 ? 32 : 128;
      for (const Cidr& a : addresses)
        if (a.is_v4() == v4) blocks.emplace_back(a.range().first, bits);
      std::sort(blocks.begin(), blocks.end());
      blocks.erase(std::unique(blocks.begin(), blocks.end()), blocks.end());
      for (int len = bits - 1; len >= 0 && blocks.size() > max; --len) {
        auto prefix = [&](Address128 a) { return len == 0 ? Address128(0) : a >> (bits - len); };
        std::vector<std::pair<Address128, int>> next;
        std::size_t count = blocks.size();
        for (std::size_t i = 0; i < blocks.size();) {
          std::size_t j = i + 1;
          if (count > max)
            while (j < blocks.size() && prefix(blocks[j].first) == prefix(blocks[i].first)) ++j;
          if (j - i > 1) {
            next.emplace_back(blocks[i].first & ~host_mask(bits - len), len);
            count -= j - i - 1;
          } else {
            next.push_back(blocks[i]);
          }
          i = j;
        }
        blocks = std::move(next);
      }
      for (const auto& [net, len] : blocks)
        out.push_back(Cidr::parse(address_text(v4, net) + "/" + std::to_string(len)));
    }
    return out;
  }

  const Analysis& a_;
  const Review& review_;
  const SuggestOptions& options_;
  std::unordered_map<std::string, const Rule*> rules_;               // by the key a user edits
  std::map<std::string, std::map<std::string, KeyUse>> uses_;        // by key, then service
  std::map<std::string, std::set<std::size_t>> entries_by_service_;  // externalEgress units used
  std::set<std::size_t> shared_;  // the externalEgress entries (units) the global list keeps
  // allowExternal narrowed to the ports asked for: a rule of any source, by service.
  std::map<std::string, std::vector<std::pair<Value, std::vector<std::string>>>> extra_ingress_;
  // A unit: an externalEgress entry as one service narrows it (the entry, and a service that
  // narrows it so); entries_by_service_ and shared_ hold units' positions here.
  std::vector<std::pair<std::size_t, std::string>> unit_entry_;
  // A shared externalEgress entry, by its path: a service it is shared as.
  std::map<std::string, std::string> shared_by_;
  // The global raw rules some services use and others do not: by list, the positions of those
  // that stay global.
  std::map<std::string, std::set<std::size_t>> global_kept_;
  bool codes_indexed_ = false;
  std::unordered_map<std::string, std::set<std::string>> codes_at_;  // answers' index
  Suggestion out_;
};

// Sets `path` ("a.b.c") in a map tree, creating the maps on the way.
void set_path(Value& root, const std::string& path, const Value& v) {
  Value* at = &root;
  std::size_t start = 0;
  while (true) {
    std::size_t dot = path.find('.', start);
    std::string key = path.substr(start, dot == std::string::npos ? dot : dot - start);
    if (dot == std::string::npos) {
      at->set(key, v);
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

Suggestion suggest(const Analysis& a, const Review& review, const SuggestOptions& options) {
  if (a.chart.from_manifests || !a.values)
    throw Error("suggest writes a values overlay: give values files (-f), not --manifests");
  if (!a.chart.enabled)
    throw Error("the policies are disabled (" + a.chart.enabled_at.path +
                " is not true): there is nothing to narrow; enable them first");
  return Planner(a, review, options).plan();
}

SuggestCheck check_suggestion(const Analysis& before, const Analysis& after) {
  SuggestCheck out;
  Diff d = diff_analyses(before, after);
  out.widens = d.widens();
  out.changes = d.edges.size();
  std::set<std::string> had;
  for (const Finding& f : before.findings) {
    had.insert(finding_key(f));
    if (f.code == "broken-dependency" || f.code == "intent-violated" || f.code == "denied-flow")
      out.unmet.push_back(f.code + ": " + f.subject);
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
