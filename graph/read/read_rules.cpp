#include "graph/read/read_rules.hpp"

#include <algorithm>

#include "graph/read/k8s_names.hpp"
#include "suggest.hpp"

namespace netpol::graph {

using values::Cursor;

namespace {

// Whether a port is a number, in any form YAML gives one, rather than a port name: 0x2526 is
// the number 9510, never the name "0x2526".
bool is_number(const Cursor& c) {
  return c.present() && values::is_number(*c.value());
}

// One entry of a `ports` list: 9500, "metrics", or {port, protocol, endPort}.
void add_port_entry(PortSet& set, const Cursor& item) {
  if (!item.present()) item.fail("expected a port, got null");
  if (item.value()->is_scalar()) {
    if (is_number(item)) {
      int p = read_port_number(item);
      set.add_range(Protocol::TCP, p, p);
    } else {
      set.add_name(Protocol::TCP, read_port_name(item));
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
    std::string name = read_port_name(port);
    if (end.present()) end.fail("endPort needs a numeric port, not the name \"" + name + "\"");
    set.add_name(proto, name);
    return;
  }
  int lo = read_port_number(port), hi = lo;
  if (end.present()) {
    hi = read_port_number(end);
    if (hi < lo) end.fail("endPort " + std::to_string(hi) + " is below port " + std::to_string(lo));
  }
  set.add_range(proto, lo, hi);
}

}  // namespace

void check_label_key(const Cursor& at, const std::string& key) {
  if (std::string why = label_key_problem(key); !why.empty())
    at.fail("\"" + key + "\" is not a Kubernetes label key: " + why);
}

std::string read_label_value(const Cursor& cursor) {
  std::string v = cursor.as_string();
  if (std::string why = label_value_problem(v); !why.empty())
    cursor.fail("\"" + v + "\" is not a Kubernetes label value: " + why);
  return v;
}

int read_port_number(const Cursor& cursor, std::string_view what) {
  if (cursor.present() && values::is_number(*cursor.value()) && !values::as_int(*cursor.value()))
    cursor.fail(std::string(what) + " " + cursor.value()->scalar + " is not a whole number in 1-" +
                std::to_string(kMaxPort));
  std::int64_t n = cursor.as_int();
  if (std::string why = port_number_problem(n, what); !why.empty()) cursor.fail(why);
  return static_cast<int>(n);
}

std::string read_port_name(const Cursor& cursor) {
  if (cursor.present() && cursor.value()->is_scalar() && values::as_bool(*cursor.value()))
    cursor.fail(
        cursor.value()->scalar + " is the boolean " +
        (*values::as_bool(*cursor.value()) ? "true" : "false") +
        " to Helm's and kubectl's YAML parsers (YAML 1.1), which the API refuses as a port or "
        "port name; quote it (\"" +
        cursor.value()->scalar + "\") to mean the name");
  cursor.parse(check_port_name);
  return cursor.as_string();
}

Provenance prov(const Cursor& c) {
  return Provenance{c.path(), c.where()};
}

// A `ports` list; absent or empty means every port, as in Kubernetes.
PortSet read_ports(const Cursor& cursor) {
  std::vector<Cursor> items = cursor.items();
  if (items.empty()) return PortSet::all();
  PortSet set;
  for (const Cursor& item : items) add_port_entry(set, item);
  return set;
}

LabelSelector read_selector(const Cursor& cursor) {
  if (!cursor.is_map())
    cursor.fail("expected a label selector map, got " + values::describe(*cursor.value()));
  LabelSelector sel;
  for (const auto& [key, v] : cursor["matchLabels"].entries()) {
    if (!v.present() || !v.value()->is_scalar())
      v.fail("expected a label value, got " + values::describe(*v.value()));
    check_label_key(v, key);
    sel.add_equals(key, read_label_value(v));
  }
  for (const Cursor& expression : cursor["matchExpressions"].items()) {
    Requirement requirement;
    requirement.key = expression["key"].as_string();
    check_label_key(expression["key"], requirement.key);
    std::string op = expression["operator"].as_string();
    if (!parse_operator(op, requirement.op))
      expression["operator"].fail("unknown operator \"" + op +
                                  "\" (expected In, NotIn, Exists or DoesNotExist)");
    for (const Cursor& v : expression["values"].items())
      requirement.values.push_back(read_label_value(v));
    bool set_op = requirement.op == Requirement::Op::In || requirement.op == Requirement::Op::NotIn;
    if (set_op && requirement.values.empty())
      expression["values"].fail("operator " + op + " needs at least one value");
    if (!set_op && !requirement.values.empty())
      expression["values"].fail("operator " + op + " takes no values");
    sel.add(std::move(requirement));
  }
  return sel;
}

static Cidr read_cidr(const Cursor& cursor) {
  Cidr cidr = cursor.parse(Cidr::parse);
  cidr.set_origin(cursor.path(), cursor.where());
  return cidr;
}

IpBlock read_ip_block(const Cursor& cursor, const Cursor& cidr_key, const Cursor& except_key) {
  if (!cidr_key.present()) cursor.fail("expected a cidr");
  IpBlock block{read_cidr(cidr_key), {}};
  for (const Cursor& e : except_key.items()) {
    Cidr x = read_cidr(e);
    if (!block.cidr.contains(x) || x.prefix() <= block.cidr.prefix())
      e.fail("except " + x.str() + " is not inside cidr " + block.cidr.str());
    block.except.push_back(x);
  }
  std::sort(block.except.begin(), block.except.end());
  block.except.erase(std::unique(block.except.begin(), block.except.end()), block.except.end());
  return block;
}

Peer read_peer(const Cursor& cursor) {
  if (!cursor.is_map())
    cursor.fail("expected a peer map (podSelector, namespaceSelector or ipBlock), got " +
                values::describe(*cursor.value()));
  Peer peer;
  if (cursor["podSelector"].present()) peer.pods = read_selector(cursor["podSelector"]);
  if (cursor["namespaceSelector"].present())
    peer.namespaces = read_selector(cursor["namespaceSelector"]);
  if (Cursor ip = cursor["ipBlock"]; ip.present()) {
    if (peer.pods || peer.namespaces)
      ip.fail("ipBlock cannot be combined with podSelector or namespaceSelector in one peer");
    if (!ip.is_map())
      ip.fail("expected a map {cidr, except}, got " + values::describe(*ip.value()));
    peer.ip_block = read_ip_block(ip, ip["cidr"], ip["except"]);
  }
  if (!peer.pods && !peer.namespaces && !peer.ip_block) {
    std::string also;  // a misspelt key is the likely cause: name it
    for (const auto& entry : cursor.value()->map) {
      std::string hint = did_you_mean(entry.key, {"podSelector", "namespaceSelector", "ipBlock"});
      also += " (\"" + entry.key + "\" is not one of them" +
              (hint.empty() ? "" : ": did you mean \"" + hint + "\"?") + ")";
      break;
    }
    cursor.fail("a peer needs podSelector, namespaceSelector or ipBlock" + also);
  }
  return peer;
}

// additionalIngress / additionalEgress: raw NetworkPolicy rules.
Rule read_raw_rule(const Cursor& cursor, bool ingress) {
  if (!cursor.is_map())
    cursor.fail(std::string("expected a NetworkPolicy rule map {") + (ingress ? "from" : "to") +
                ", ports}, got " + values::describe(*cursor.value()));
  Rule r;
  r.origin = RuleOrigin::Raw;
  for (const Cursor& p : cursor[ingress ? "from" : "to"].items()) r.peers.push_back(read_peer(p));
  r.any_peer = r.peers.empty();
  r.ports = read_ports(cursor["ports"]);
  r.provenance.push_back(prov(cursor));
  return r;
}

// ingressFrom / egressTo: {app, ports}.
Rule read_peer_rule(const Cursor& cursor) {
  if (!cursor.is_map())
    cursor.fail("expected a map {app, ports}, got " + values::describe(*cursor.value()));
  Rule rule;
  rule.origin = RuleOrigin::PeerApp;
  Cursor app = cursor["app"];
  if (!app.present()) cursor.fail("expected an app (the peer service's name)");
  rule.name = read_label_value(app);
  Peer p;
  p.pods.emplace();
  p.pods->add_equals(std::string(kAppLabel), rule.name);
  rule.peers.push_back(std::move(p));
  rule.ports = read_ports(cursor["ports"]);
  rule.provenance.push_back(prov(cursor));
  return rule;
}

// An externalEgress / otlpEgress entry: {cidr, except, ports, name}.
Rule read_cidr_entry(const Cursor& cursor, RuleOrigin origin) {
  if (!cursor.is_map())
    cursor.fail("expected a map {cidr, except, ports}, got " + values::describe(*cursor.value()));
  Rule rule;
  rule.origin = origin;
  Peer peer;
  peer.ip_block = read_ip_block(cursor, cursor["cidr"], cursor["except"]);
  rule.peers.push_back(std::move(peer));
  rule.ports = read_ports(cursor["ports"]);
  if (Cursor name = cursor["name"]; name.present()) {
    rule.name = name.as_string();
    // Free text, shown as the node ext:NAME; one line, so no output line can begin with it.
    if (rule.name.empty() || rule.name.find_first_of("\n\r\t") != std::string::npos)
      name.fail("expected a one-line name, got " + values::describe(*name.value()));
  }
  rule.provenance.push_back(prov(cursor));
  return rule;
}

std::vector<NamedPort> read_service_ports(const Cursor& svc) {
  std::vector<NamedPort> out;
  if (Cursor port = svc["port"]; port.present())
    out.push_back({"", Protocol::TCP, read_port_number(port)});
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
    if (item["name"].present()) np.name = read_port_name(item["name"]);
    out.push_back(std::move(np));
  }
  return out;
}

}  // namespace netpol::graph
