#include "graph/read_chart.hpp"

#include <algorithm>

#include "suggest.hpp"
#include "values/cursor.hpp"

namespace netpol::graph {

using values::Cursor;

const Service* Chart::service(const std::string& name) const {
  for (const auto& s : services)
    if (s.name == name) return &s;
  return nullptr;
}

namespace {

Provenance prov(const Cursor& c) { return Provenance{c.path(), c.where()}; }

int read_port_number(const Cursor& c) {
  std::int64_t n = c.as_int();
  if (n < 1 || n > 65535) c.fail("port " + std::to_string(n) + " is not in 1-65535");
  return static_cast<int>(n);
}

bool is_number(const Cursor& c) {
  return c.value()->is_scalar() && values::as_int(*c.value()).has_value();
}

// One entry of a `ports` list: 9500, "metrics", or {port, protocol, endPort}.
void add_port_entry(PortSet& set, const Cursor& item) {
  if (!item.present()) item.fail("expected a port, got null");
  if (item.value()->is_scalar()) {
    if (is_number(item)) {
      int p = read_port_number(item);
      set.add_range(Protocol::TCP, p, p);
    } else {
      item.parse(check_port_name);
      set.add_name(Protocol::TCP, item.as_string());
    }
    return;
  }
  if (!item.is_map())
    item.fail("expected a port number or a map {port, protocol, endPort}, got " +
              values::describe(*item.value()));
  Protocol proto = Protocol::TCP;
  if (item["protocol"].present()) proto = item["protocol"].parse(parse_protocol);
  Cursor port = item["port"], end = item["endPort"];
  if (!port.present()) {
    if (end.present()) end.fail("endPort needs a numeric port");
    set.add_all(proto);
    return;
  }
  if (!port.value()->is_scalar())
    port.fail("expected a port number or name, got " + values::describe(*port.value()));
  if (!is_number(port)) {
    port.parse(check_port_name);
    if (end.present()) end.fail("endPort needs a numeric port, not the name \"" + port.as_string() + "\"");
    set.add_name(proto, port.as_string());
    return;
  }
  int lo = read_port_number(port), hi = lo;
  if (end.present()) {
    hi = read_port_number(end);
    if (hi < lo)
      end.fail("endPort " + std::to_string(hi) + " is below port " + std::to_string(lo));
  }
  set.add_range(proto, lo, hi);
}

// A `ports` list; absent or empty means every port, as in Kubernetes.
PortSet read_ports(const Cursor& c) {
  std::vector<Cursor> items = c.items();
  if (items.empty()) return PortSet::all();
  PortSet set;
  for (const Cursor& item : items) add_port_entry(set, item);
  return set;
}

LabelSelector read_selector(const Cursor& c) {
  if (!c.is_map()) c.fail("expected a label selector map, got " + values::describe(*c.value()));
  LabelSelector sel;
  for (const auto& [key, v] : c["matchLabels"].entries()) {
    if (!v.present() || !v.value()->is_scalar())
      v.fail("expected a label value, got " + values::describe(*v.value()));
    sel.add_equals(key, v.as_string());
  }
  for (const Cursor& e : c["matchExpressions"].items()) {
    Requirement r;
    r.key = e["key"].as_string();
    std::string op = e["operator"].as_string();
    if (op == "In") r.op = Requirement::Op::In;
    else if (op == "NotIn") r.op = Requirement::Op::NotIn;
    else if (op == "Exists") r.op = Requirement::Op::Exists;
    else if (op == "DoesNotExist") r.op = Requirement::Op::DoesNotExist;
    else
      e["operator"].fail("unknown operator \"" + op + "\" (expected In, NotIn, Exists or DoesNotExist)");
    for (const Cursor& v : e["values"].items()) r.values.push_back(v.as_string());
    bool set_op = r.op == Requirement::Op::In || r.op == Requirement::Op::NotIn;
    if (set_op && r.values.empty()) e["values"].fail("operator " + op + " needs at least one value");
    if (!set_op && !r.values.empty()) e["values"].fail("operator " + op + " takes no values");
    sel.add(std::move(r));
  }
  return sel;
}

Cidr read_cidr(const Cursor& c) { return c.parse(Cidr::parse); }

IpBlock read_ip_block(const Cursor& c, const Cursor& cidr_key, const Cursor& except_key) {
  if (!cidr_key.present()) c.fail("expected a cidr");
  IpBlock b{read_cidr(cidr_key), {}};
  for (const Cursor& e : except_key.items()) {
    Cidr x = read_cidr(e);
    if (!b.cidr.contains(x) || x.prefix() <= b.cidr.prefix())
      e.fail("except " + x.str() + " is not inside cidr " + b.cidr.str());
    b.except.push_back(x);
  }
  std::sort(b.except.begin(), b.except.end());
  b.except.erase(std::unique(b.except.begin(), b.except.end()), b.except.end());
  return b;
}

Peer read_peer(const Cursor& c) {
  if (!c.is_map())
    c.fail("expected a peer map (podSelector, namespaceSelector or ipBlock), got " +
           values::describe(*c.value()));
  Peer p;
  if (c["podSelector"].present()) p.pods = read_selector(c["podSelector"]);
  if (c["namespaceSelector"].present()) p.namespaces = read_selector(c["namespaceSelector"]);
  if (Cursor ip = c["ipBlock"]; ip.present()) {
    if (p.pods || p.namespaces)
      ip.fail("ipBlock cannot be combined with podSelector or namespaceSelector in one peer");
    if (!ip.is_map()) ip.fail("expected a map {cidr, except}, got " + values::describe(*ip.value()));
    p.ip_block = read_ip_block(ip, ip["cidr"], ip["except"]);
  }
  if (!p.pods && !p.namespaces && !p.ip_block)
    c.fail("a peer needs podSelector, namespaceSelector or ipBlock");
  return p;
}

// additionalIngress / additionalEgress: raw NetworkPolicy rules.
Rule read_raw_rule(const Cursor& c, bool ingress) {
  if (!c.is_map())
    c.fail(std::string("expected a NetworkPolicy rule map {") + (ingress ? "from" : "to") +
           ", ports}, got " + values::describe(*c.value()));
  Rule r;
  r.origin = RuleOrigin::Raw;
  for (const Cursor& p : c[ingress ? "from" : "to"].items()) r.peers.push_back(read_peer(p));
  r.any_peer = r.peers.empty();
  r.ports = read_ports(c["ports"]);
  r.provenance.push_back(prov(c));
  return r;
}

// ingressFrom / egressTo: {app, ports}.
Rule read_peer_rule(const Cursor& c) {
  if (!c.is_map()) c.fail("expected a map {app, ports}, got " + values::describe(*c.value()));
  Rule r;
  r.origin = RuleOrigin::PeerApp;
  Cursor app = c["app"];
  if (!app.present()) c.fail("expected an app (the peer service's name)");
  r.name = app.as_string();
  Peer p;
  p.pods.emplace();
  p.pods->add_equals("app", r.name);
  r.peers.push_back(std::move(p));
  r.ports = read_ports(c["ports"]);
  r.provenance.push_back(prov(c));
  return r;
}

// An externalEgress / otlpEgress entry: {cidr, except, ports, name}.
Rule read_cidr_entry(const Cursor& c, RuleOrigin origin) {
  if (!c.is_map()) c.fail("expected a map {cidr, except, ports}, got " + values::describe(*c.value()));
  Rule r;
  r.origin = origin;
  Peer p;
  p.ip_block = read_ip_block(c, c["cidr"], c["except"]);
  r.peers.push_back(std::move(p));
  r.ports = read_ports(c["ports"]);
  if (c["name"].present()) r.name = c["name"].as_string();
  r.provenance.push_back(prov(c));
  return r;
}

std::vector<NamedPort> read_service_ports(const Cursor& svc) {
  std::vector<NamedPort> out;
  if (Cursor port = svc["port"]; port.present()) out.push_back({"", Protocol::TCP, read_port_number(port)});
  for (const Cursor& item : svc["ports"].items()) {
    if (item.present() && item.value()->is_scalar()) {
      out.push_back({"", Protocol::TCP, read_port_number(item)});
      continue;
    }
    if (!item.is_map())
      item.fail("expected a port number or a map {name, port, protocol}, got " +
                values::describe(*item.value()));
    NamedPort np;
    np.port = read_port_number(item["port"]);
    if (item["protocol"].present()) np.protocol = item["protocol"].parse(parse_protocol);
    if (item["name"].present()) {
      item["name"].parse(check_port_name);
      np.name = item["name"].as_string();
    }
    out.push_back(std::move(np));
  }
  return out;
}

}  // namespace

OtlpEndpoint parse_otlp_endpoint(const std::string& text) {
  auto bad = [&](const std::string& why) {
    return ValueError("cannot parse OTLP endpoint \"" + text + "\": " + why);
  };
  std::string rest = text, scheme;
  if (auto p = rest.find("://"); p != std::string::npos) {
    scheme = rest.substr(0, p);
    rest = rest.substr(p + 3);
  }
  if (auto slash = rest.find('/'); slash != std::string::npos) rest = rest.substr(0, slash);
  std::string host, port;
  if (!rest.empty() && rest[0] == '[') {  // [v6]:port
    auto close = rest.find(']');
    if (close == std::string::npos) throw bad("unclosed '['");
    host = rest.substr(1, close - 1);
    if (close + 1 < rest.size()) {
      if (rest[close + 1] != ':') throw bad("expected ':' after ']'");
      port = rest.substr(close + 2);
    }
  } else if (auto colon = rest.rfind(':'); colon != std::string::npos) {
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
  } else {
    host = rest;
  }
  if (host.empty() || host.find_first_of(" \t\n") != std::string::npos)
    throw bad("expected host:port or scheme://host:port");
  OtlpEndpoint e;
  e.host = host;
  if (port.empty()) {
    if (scheme == "http") e.port = 80;
    else if (scheme == "https") e.port = 443;
    else throw bad("expected host:port or scheme://host:port");
  } else {
    bool digits = port.size() <= 5 && std::all_of(port.begin(), port.end(), ::isdigit);
    e.port = digits ? std::stoi(port) : 0;
    if (e.port < 1 || e.port > 65535) throw bad("port " + port + " is not in 1-65535");
  }
  e.is_default = e.host == "ingest" && e.port == 4317;
  return e;
}

Chart read_chart(const values::Value& merged, const Profile& profile, const std::string& ns) {
  Chart chart;
  chart.ns = ns;
  chart.ns_labels = {{"kubernetes.io/metadata.name", ns}};
  Cursor root = Cursor::root(merged);
  Cursor gnp = root["global"]["networkPolicy"];
  chart.enabled = gnp["enabled"].as_bool(false);
  chart.enabled_at = prov(gnp["enabled"]);

  // Discover services: top-level maps holding a networkPolicy map.
  std::vector<std::pair<std::string, Cursor>> found;
  for (const auto& [key, c] : root.entries()) {
    if (key == "global" || !c.is_map()) continue;
    Cursor np = c["networkPolicy"];
    if (!np.present()) continue;
    if (!np.is_map()) np.fail("expected a map, got " + values::describe(*np.value()));
    found.emplace_back(key, c);
  }
  std::stable_sort(found.begin(), found.end(), [&](const auto& a, const auto& b) {
    std::size_t ra = profile.rank(a.first), rb = profile.rank(b.first);
    return ra != rb ? ra < rb : a.first < b.first;
  });
  std::vector<std::string> names;
  for (const auto& f : found) names.push_back(f.first);

  Cursor obs = root["global"]["observability"];
  if (obs["otlpEnabled"].as_bool(false)) {
    Cursor ep = obs["otlpEndpoint"];
    if (!ep.present()) ep.fail("OTLP is enabled but no endpoint is set");
    chart.otlp = ep.parse(parse_otlp_endpoint);
  }
  std::vector<Provenance> otlp_prov = {prov(obs["otlpEnabled"]), prov(obs["otlpEndpoint"])};
  std::vector<Cursor> external_egress = gnp["externalEgress"].items();
  std::vector<Cursor> otlp_egress = gnp["otlpEgress"].items();
  std::vector<Cursor> global_ingress = gnp["additionalIngress"].items();
  std::vector<Cursor> global_egress = gnp["additionalEgress"].items();

  if (chart.otlp && !chart.otlp->is_default && otlp_egress.empty() && chart.enabled)
    chart.warnings.push_back(
        {obs["otlpEndpoint"].where(), obs["otlpEndpoint"].path(),
         "OTLP is enabled with the non-default endpoint \"" + obs["otlpEndpoint"].as_string() +
             "\" but global.networkPolicy.otlpEgress is empty: the network policies will block "
             "telemetry export"});

  auto check_peer = [&](const Rule& r, const Cursor& entry) {
    if (std::find(names.begin(), names.end(), r.name) != names.end()) return;
    std::string hint = did_you_mean(r.name, names);
    chart.warnings.push_back({entry["app"].where(), entry["app"].path(),
                              "\"" + r.name + "\" is not a chart service" +
                                  (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)") +
                                  "; it is drawn as a node of its own"});
  };

  for (const auto& [name, c] : found) {
    Service s;
    s.name = name;
    s.labels = {{"app", name}};
    Cursor np = c["networkPolicy"];
    s.defined_at = prov(np);
    s.ports = read_service_ports(c["service"]);

    for (const Cursor& e : np["ingressFrom"].items()) {
      s.ingress.push_back(read_peer_rule(e));
      check_peer(s.ingress.back(), e);
    }
    if (Cursor ae = np["allowExternal"]; ae.as_bool(false)) {
      Rule r;
      r.origin = RuleOrigin::AllowExternal;
      r.any_peer = true;
      if (s.ports.empty()) {
        r.ports = PortSet::all();
      } else {
        for (const auto& p : s.ports) r.ports.add_range(p.protocol, p.port, p.port);
      }
      r.provenance.push_back(prov(ae));
      s.ingress.push_back(std::move(r));
    }
    for (const Cursor& e : global_ingress) s.ingress.push_back(read_raw_rule(e, true));
    for (const Cursor& e : np["additionalIngress"].items()) s.ingress.push_back(read_raw_rule(e, true));
    if (chart.otlp && chart.otlp->is_default && name == "ingest") {
      Rule r;
      r.origin = RuleOrigin::OtlpDefault;
      Peer all_pods;
      all_pods.pods.emplace();
      r.peers.push_back(std::move(all_pods));
      r.ports.add_range(Protocol::TCP, 4317, 4317);
      r.provenance = otlp_prov;
      s.ingress.push_back(std::move(r));
    }

    for (const Cursor& e : np["egressTo"].items()) {
      s.egress.push_back(read_peer_rule(e));
      check_peer(s.egress.back(), e);
    }
    if (Cursor aee = np["allowExternalEgress"]; aee.as_bool(false)) {
      for (const Cursor& e : external_egress) {
        Rule r = read_cidr_entry(e, RuleOrigin::ExternalEgress);
        r.provenance.insert(r.provenance.begin(), prov(aee));
        s.egress.push_back(std::move(r));
      }
    }
    Rule dns;
    dns.origin = RuleOrigin::Dns;
    dns.any_peer = true;
    dns.ports.add_range(Protocol::UDP, 53, 53);
    dns.ports.add_range(Protocol::TCP, 53, 53);
    dns.provenance.push_back(chart.enabled_at);
    s.egress.push_back(std::move(dns));
    if (chart.otlp && chart.otlp->is_default) {
      Rule r;
      r.origin = RuleOrigin::OtlpDefault;
      r.name = "ingest";
      Peer ingest;
      ingest.pods.emplace();
      ingest.pods->add_equals("app", "ingest");
      r.peers.push_back(std::move(ingest));
      r.ports.add_range(Protocol::TCP, 4317, 4317);
      r.provenance = otlp_prov;
      s.egress.push_back(std::move(r));
    } else if (chart.otlp) {
      for (const Cursor& e : otlp_egress) {
        Rule r = read_cidr_entry(e, RuleOrigin::OtlpExternal);
        r.provenance.insert(r.provenance.begin(), otlp_prov.begin(), otlp_prov.end());
        s.egress.push_back(std::move(r));
      }
    }
    for (const Cursor& e : global_egress) s.egress.push_back(read_raw_rule(e, false));
    for (const Cursor& e : np["additionalEgress"].items()) s.egress.push_back(read_raw_rule(e, false));
    chart.services.push_back(std::move(s));
  }
  // Validate entries even when no service uses them, so a typo is never silently ignored.
  for (const Cursor& e : external_egress) read_cidr_entry(e, RuleOrigin::ExternalEgress);
  for (const Cursor& e : otlp_egress) read_cidr_entry(e, RuleOrigin::OtlpExternal);
  return chart;
}

}  // namespace netpol::graph
