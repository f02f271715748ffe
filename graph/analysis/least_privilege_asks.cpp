// suggest: the asks (documented needs and sources, telemetry, intent allows, flows, traffic
// between pods) and the rules each marks, key by key.

#include "graph/analysis/least_privilege_planner.hpp"

#include <deque>

namespace netpol::graph::least_privilege_detail {

void Planner::ask_profile() {
  std::size_t needs = 0, sources = 0;
  for (const Service& service : a_.chart.services) {
    const ProfileService* ps = a_.profile.service(service.name);
    if (!ps) continue;
    if (ps->needs)
      for (const auto& need : *ps->needs) {
        End to;
        to.kind = End::Kind::Need;
        to.need = need;
        to.need_ports = need_ports(a_.profile, need);
        PortSet ports = to.need_ports.empty() ? PortSet::all() : to.need_ports;
        ask(service_end(service), to, ports, {"need " + need + " (profile)"});
        ++needs;
      }
    if (!ps->external_sources.empty()) {
      ask(End{}, service_end(service), PortSet::all(),
          {"external sources: " + ps->external_sources + " (profile)"});
      ++sources;
    }
  }
  if (needs) out_.asks.push_back(count_text(needs, "documented need"));
  if (sources) out_.asks.push_back(count_text(sources, "documented external source"));
}

void Planner::ask_telemetry() {
  bool any = false;
  for (const Service& service : a_.chart.services)
    for (const Rule& rule : service.egress)
      if (rule.origin == RuleOrigin::OtlpExternal) {
        mark(service, rule, rule.ports, std::nullopt, {"telemetry (observability.otlpEnabled)"});
        any = true;
      }
  if (any) out_.asks.push_back("telemetry to the OTLP collector");
}

void Planner::ask_intents() {
  const PolicyGraph& graph = a_.graph;
  std::size_t count = 0;
  for (const IntentRule& rule : review_.intents) {
    if (rule.deny) continue;
    ++count;
    auto from = graph.find(rule.from), to = graph.find(rule.to);
    if (!from || !to) continue;
    auto forward = distances(*from, true), backward = distances(*to, false);
    // The edges of the shortest paths (within maxHops): enough to keep the rule met.
    auto shortest = forward.find(*to);
    if (shortest == forward.end()) continue;
    const std::size_t limit = shortest->second;
    if (rule.max_hops > 0 && limit > static_cast<std::size_t>(rule.max_hops)) continue;
    const std::string why = "intent " + rule.at.str();
    for (const auto& ref : graph.edges()) {
      auto df = forward.find(ref.from);
      auto db = backward.find(ref.to);
      if (df == forward.end() || db == backward.end() || df->second + 1 + db->second > limit)
        continue;
      std::optional<Edge> edge = graph.hop_edge(ref.from, ref.to);
      if (!edge) continue;
      for (const auto& [side, keys] :
           {std::make_pair(ref.from, &edge->egress), std::make_pair(ref.to, &edge->ingress)}) {
        const Service* s = a_.chart.service(graph.node(side).id);
        if (!s) continue;
        for (const Provenance& k : *keys) mark_key(*s, k.path, edge->ports, {why, true});
      }
    }
  }
  if (count) out_.asks.push_back(count_text(count, "intent allow rule"));
}

std::unordered_map<Vertex, std::size_t> Planner::distances(Vertex start, bool forward) const {
  const PolicyGraph& graph = a_.graph;
  std::unordered_map<Vertex, std::size_t> dist{{start, 0}};
  std::deque<Vertex> todo{start};
  while (!todo.empty()) {
    Vertex v = todo.front();
    todo.pop_front();
    if (v != start && graph.node(v).kind != NodeKind::Service) continue;
    for (Vertex w : forward ? graph.hop_targets(v) : graph.hop_sources(v))
      if (dist.try_emplace(w, dist[v] + 1).second) todo.push_back(w);
  }
  return dist;
}

void Planner::ask_flows(const std::vector<Flow>& flows) {
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

std::string Planner::end_key(const FlowEnd& end) {
  std::string k =
      end.ns + '\x1f' + end.name + '\x1f' + end.ip + (end.pod ? "p" : "") + (end.named ? "n" : "");
  for (const auto& [key, value] : end.labels) k += '\x1f' + key + '=' + value;
  return k;
}

std::optional<End> Planner::flow_end(const FlowEnd& end, const FlowServices& services) const {
  if (const Service* s = services.of(end)) return service_end(*s);
  if (end.named) return std::nullopt;  // a name the inputs lack (flow-unknown-endpoint)
  End out;
  if (end.pod) {
    out.kind = End::Kind::Pod;
    out.pod.name = end.ns + "/" + end.name;
    out.pod.labels = end.labels;
    out.pod.ns = end.ns;
    out.pod.ns_labels = end.ns_labels;
    return out;
  }
  out.kind = End::Kind::Address;
  out.address = Cidr::parse(end.ip + (end.ip.find(':') == std::string::npos ? "/32" : "/128"));
  return out;
}

void Planner::keep_pod_traffic() {
  const Why why{"traffic between pods (no --flows to judge it)"};
  for (const Service& s : a_.chart.services)
    for (const auto* rules : {&s.ingress, &s.egress})
      for (const Rule& r : *rules)
        if ((r.origin == RuleOrigin::PeerApp || r.origin == RuleOrigin::Raw) && selects_pods(r))
          mark(s, r, r.ports, std::nullopt, why);
  const PolicyGraph& graph = a_.graph;
  auto service_at = [&](std::size_t v) { return a_.chart.service(graph.node(v).id); };
  for (const auto& ref : graph.edges()) {
    const Node &from = graph.node(ref.from), &to = graph.node(ref.to);
    // Into a senders node, out of a receivers node: a member joining its class.
    if (to.kind == NodeKind::ClassSenders || from.kind == NodeKind::ClassReceivers) continue;
    auto held = [&](std::size_t v) {
      return is_class(graph.node(v).kind) ? graph.node(v).members : std::vector<std::size_t>{v};
    };
    const std::vector<std::size_t> sources = held(ref.from), destinations = held(ref.to);
    // Members of a class are alike: each source once, each destination once, is every rule.
    for (std::size_t i = 0; i < std::max(sources.size(), destinations.size()); ++i) {
      const Service* a = service_at(sources[std::min(i, sources.size() - 1)]);
      const Service* b = service_at(destinations[std::min(i, destinations.size() - 1)]);
      if (a && b && a != b) ask(service_end(*a), service_end(*b), graph.edge(ref).ports, why);
    }
  }
}

PortSet Planner::rule_allows(const Rule& rule, const Service& owner, const End& peer,
                             const PortSet& ports, bool egress) {
  const std::vector<NamedPort> none;
  const std::vector<NamedPort>& named = egress ? none : owner.ports;
  switch (peer.kind) {
    case End::Kind::Service:
      if (!rule_selects(rule, *peer.service, owner.ns)) return {};
      return rule.ports.resolve(egress ? peer.service->ports : owner.ports).intersect(ports);
    case End::Kind::Pod:
      if (!rule_selects(rule, peer.pod, owner.ns)) return {};
      return rule.ports.resolve(named).without_names().intersect(ports);
    case End::Kind::Address:
      if (!rule.any_peer && !block_holds(rule, *peer.address)) return {};
      return rule.ports.resolve(named).without_names().intersect(ports);
    case End::Kind::Internet:  // from outside: any peer, a block, pods of other namespaces
      if (!rule.any_peer && std::none_of(rule.peers.begin(), rule.peers.end(), [&](const Peer& p) {
            return p.ip_block || selects_outside_namespace(p, owner.ns);
          }))
        return {};
      return rule.ports.resolve(named).without_names().intersect(ports);
    case End::Kind::Need:
      if (!egress || rule.origin == RuleOrigin::Dns || (!rule.any_peer && !has_block(rule)))
        return {};
      if (peer.need_ports.empty()) return rule.name == peer.need ? rule.ports : PortSet();
      if (!peer.need_ports.subset_of(rule.ports.without_names())) return {};
      return peer.need_ports;
  }
  return {};
}

void Planner::ask(const End& from, const End& to, const PortSet& ports, const Why& why) {
  std::vector<std::pair<const Rule*, PortSet>> egress, ingress;
  // What one end's own rules allow towards the other (all of `ports` for an end that is not
  // a chart service: nothing of its own decides), and which rules allow it.
  auto allowed = [&](const End& self, const End& other, bool is_egress,
                     std::vector<std::pair<const Rule*, PortSet>>& rules) {
    if (self.kind != End::Kind::Service) return ports;
    PortSet out;
    for (const Rule& rule : is_egress ? self.service->egress : self.service->ingress)
      if (PortSet p = rule_allows(rule, *self.service, other, ports, is_egress); !p.empty()) {
        out = out.unite(p);
        rules.emplace_back(&rule, std::move(p));
      }
    return out;
  };
  PortSet ok = allowed(from, to, true, egress).intersect(allowed(to, from, false, ingress));
  if (ok.empty()) return;  // not allowed now: nothing to keep (check reports it)
  mark_side(from.service, egress, ok, to.address, why);
  mark_side(to.service, ingress, ok, from.address, why);
}

void Planner::mark_side(const Service* owner,
                        const std::vector<std::pair<const Rule*, PortSet>>& rules,
                        const PortSet& ok, const std::optional<Cidr>& address, const Why& why) {
  PortSet named;
  for (const auto& [r, p] : rules)
    if (!r->any_peer) named = named.unite(p);
  const bool named_enough = ok.subset_of(named);
  for (const auto& [r, p] : rules)
    if (!named_enough || !r->any_peer) mark(*owner, *r, p.intersect(ok), address, why);
}

void Planner::mark(const Service& service, const Rule& rule, const PortSet& ports,
                   const std::optional<Cidr>& address, const Why& why) {
  if (ports.empty()) return;
  for (const Provenance& k : rule.provenance) {
    KeyUse& use = mark_key(service, k.path, ports, why);
    if (address && block_holds(rule, *address)) use.addresses.insert(*address);
  }
}

KeyUse& Planner::mark_key(const Service& service, const std::string& path, const PortSet& ports,
                          const Why& why) {
  KeyUse& use = uses_[path][service.name];
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

std::string Planner::count_text(std::size_t n, const std::string& what) {
  return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
}

}  // namespace netpol::graph::least_privilege_detail
