#include "graph/read/read_chart.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "graph/read/k8s_names.hpp"
#include "graph/read/read_rules.hpp"
#include "graph/rules/node_ids.hpp"
#include "suggest.hpp"
#include "values/cursor.hpp"

namespace netpol::graph {

using values::Cursor;

const Service* Chart::service(const std::string& name) const {
  if (indexed_ != services.size() || by_name_.size() > services.size()) {
    by_name_.clear();
    for (std::size_t i = 0; i < services.size(); ++i) by_name_.emplace(services[i].name, i);
    indexed_ = services.size();
  }
  auto it = by_name_.find(name);
  return it == by_name_.end() || services[it->second].name != name ? nullptr
                                                                   : &services[it->second];
}

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
  if (host.empty()) throw bad("expected host:port or scheme://host:port");
  // A DNS name or an IP address (IPv6 in brackets): nothing else can be a host.
  for (char c : host)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.' && c != '_' &&
        c != ':')
      throw bad("the host may hold only letters, digits, '-', '_', '.' and ':' (IPv6)");
  OtlpEndpoint endpoint;
  endpoint.host = host;
  if (port.empty()) {
    if (scheme == "http")
      endpoint.port = 80;
    else if (scheme == "https")
      endpoint.port = 443;
    else
      throw bad("expected host:port or scheme://host:port");
  } else {
    bool digits = port.size() <= 5 && std::all_of(port.begin(), port.end(), ::isdigit);
    endpoint.port = digits ? std::stoi(port) : 0;
    if (!port_number_problem(endpoint.port).empty())
      throw bad("port " + port + " is not in 1-" + std::to_string(kMaxPort));
  }
  endpoint.is_default = endpoint.host == "ingest" && endpoint.port == 4317;
  return endpoint;
}

namespace {

// The rules every service gets from the same global values, read once.
struct GlobalRules {
  std::vector<Rule> external_egress;  // without the service's allowExternalEgress provenance
  std::vector<Rule> otlp_egress;
  std::vector<Rule> ingress;
  std::vector<Rule> egress;
  std::vector<Provenance> otlp;  // otlpEnabled and otlpEndpoint
};

Rule rule_to_pods(RuleOrigin origin, LabelSelector pods, PortSet ports,
                  std::vector<Provenance> provenance) {
  Rule rule;
  rule.origin = origin;
  rule.peers.push_back(Peer{std::move(pods), std::nullopt, std::nullopt});
  rule.ports = std::move(ports);
  rule.provenance = std::move(provenance);
  return rule;
}

// What the graph's node of a reserved id stands for.
std::string reserved_meaning(const std::string& id) {
  if (id == kDnsId) return "DNS";
  if (id == kAnySourceId) return "any source (the internet included)";
  return "every pod of the namespace";
}

class ChartReader {
 public:
  ChartReader(const values::Value& merged, const Profile& profile, const std::string& ns)
      : root_(Cursor::root(merged)), profile_(profile) {
    check_release_namespace(ns);
    chart_.ns = ns;
    chart_.ns_labels = {{std::string(kNamespaceNameLabel), ns}};
  }

  Chart read() {
    Cursor gnp = root_["global"]["networkPolicy"];
    chart_.enabled = gnp["enabled"].as_bool(false);
    chart_.enabled_at = prov(gnp["enabled"]);
    read_globals(gnp, root_["global"]["observability"]);
    auto services = discover_services();
    chart_.services.reserve(services.size());
    for (const auto& [name, c] : services) chart_.services.push_back(read_service(name, c));
    return std::move(chart_);
  }

 private:
  // Where a top-level key is written.
  Location key_location(const std::string& key) const {
    for (const auto& entry : root_.value()->map)
      if (entry.key == key) return entry.key_location();
    return root_.where();
  }

  // Top-level maps holding a networkPolicy map, in profile order, then by name; not one
  // named like a node of the graph's own, with a warning.
  std::vector<std::pair<std::string, Cursor>> discover_services() {
    std::vector<std::pair<std::string, Cursor>> found;
    for (const auto& [key, c] : root_.entries()) {
      if (key == "global" || !c.is_map()) continue;
      Cursor np = c["networkPolicy"];
      if (!np.present()) continue;
      if (!np.is_map()) np.fail("expected a map, got " + values::describe(*np.value()));
      // The chart names the service's Service, NetworkPolicy and `app` label after the key.
      if (std::string why = dns1035_label_problem(key); !why.empty())
        c.fail("the service name \"" + key + "\" cannot name a Kubernetes Service: " + why);
      if (is_reserved_node_id(key)) {
        chart_.warnings.push_back(
            {"reserved-name",
             "a service named \"" + key + "\" is left out: netpol-graph's own node \"" + key +
                 "\" stands for " + reserved_meaning(key) +
                 ", and the two would be drawn and counted as one",
             {c.path(), key_location(key)},
             "rename the service, or read the rendered manifests with --manifests, which "
             "name it " +
                 chart_.ns + "/" + key});
        continue;
      }
      found.emplace_back(key, c);
    }
    std::stable_sort(found.begin(), found.end(), [&](const auto& a, const auto& b) {
      std::size_t ra = profile_.rank(a.first), rb = profile_.rank(b.first);
      return ra != rb ? ra < rb : a.first < b.first;
    });
    for (const auto& f : found) names_.push_back(f.first);
    known_.insert(names_.begin(), names_.end());
    return found;
  }

  // An entry named "*" would be ext:*, the node for any address: drawn by its address block
  // instead, with a warning at the name.
  void keep_off_anywhere(Rule& entry, const Cursor& name) {
    if (!names_anywhere(entry.name)) return;
    chart_.warnings.push_back({"reserved-name",
                               "the name \"" + entry.name +
                                   "\" would make the entry netpol-graph's node for any "
                                   "address (" +
                                   std::string(kAnywhereId) +
                                   "): it is drawn by its address block instead",
                               {name.path(), name.where()},
                               "give the entry another name"});
    entry.name.clear();
  }

  void read_globals(const Cursor& gnp, const Cursor& obs) {
    for (const Cursor& e : gnp["externalEgress"].items()) {
      globals_.external_egress.push_back(read_cidr_entry(e, RuleOrigin::ExternalEgress));
      keep_off_anywhere(globals_.external_egress.back(), e["name"]);
    }
    for (const Cursor& e : gnp["otlpEgress"].items())
      globals_.otlp_egress.push_back(read_cidr_entry(e, RuleOrigin::OtlpExternal));
    for (const Cursor& e : gnp["additionalIngress"].items())
      globals_.ingress.push_back(read_raw_rule(e, true));
    for (const Cursor& e : gnp["additionalEgress"].items())
      globals_.egress.push_back(read_raw_rule(e, false));

    if (!obs["otlpEnabled"].as_bool(false)) return;
    Cursor ep = obs["otlpEndpoint"];
    if (!ep.present()) ep.fail("OTLP is enabled but no endpoint is set");
    chart_.otlp = ep.parse(parse_otlp_endpoint);
    globals_.otlp = {prov(obs["otlpEnabled"]), prov(ep)};
    for (Rule& r : globals_.otlp_egress)
      r.provenance.insert(r.provenance.begin(), globals_.otlp.begin(), globals_.otlp.end());
    if (!chart_.otlp->is_default && globals_.otlp_egress.empty() && chart_.enabled)
      chart_.warnings.push_back(
          {"otlp-egress-missing",
           "OTLP is enabled with the non-default endpoint \"" + ep.as_string() +
               "\" but global.networkPolicy.otlpEgress is empty: the network policies will "
               "block telemetry export",
           {ep.path(), ep.where()},
           "add the collector's addresses and port to global.networkPolicy.otlpEgress"});
  }

  Service read_service(const std::string& name, const Cursor& cursor) {
    Service service;
    service.name = name;
    service.labels = {{std::string(kAppLabel), name}};
    service.ns = chart_.ns;
    service.ns_labels = chart_.ns_labels;
    Cursor np = cursor["networkPolicy"];
    service.defined_at = prov(np);
    service.ingress_from_key = prov(np["ingressFrom"]);
    service.egress_to_key = prov(np["egressTo"]);
    service.allow_external_key = prov(np["allowExternal"]);
    service.allow_external_egress_key = prov(np["allowExternalEgress"]);
    service.allow_external_egress = np["allowExternalEgress"].as_bool(false);
    service.ports = read_service_ports(cursor["service"]);
    read_ingress(service, np);
    read_egress(service, np);
    return service;
  }

  void read_ingress(Service& service, const Cursor& np) {
    for (const Cursor& e : np["ingressFrom"].items()) service.ingress.push_back(peer_rule(e));
    if (Cursor ae = np["allowExternal"]; ae.as_bool(false)) {
      Rule rule;
      rule.origin = RuleOrigin::AllowExternal;
      rule.any_peer = true;
      // Any source on the service's ports; with no port known, on every port.
      if (service.ports.empty()) rule.ports = PortSet::all();
      for (const auto& p : service.ports) rule.ports.add_range(p.protocol, p.port, p.port);
      rule.provenance.push_back(prov(ae));
      service.ingress.push_back(std::move(rule));
    }
    append(service.ingress, globals_.ingress);
    for (const Cursor& e : np["additionalIngress"].items())
      service.ingress.push_back(read_raw_rule(e, true));
    if (chart_.otlp && chart_.otlp->is_default && service.name == "ingest") {
      PortSet otlp;
      otlp.add_range(Protocol::TCP, 4317, 4317);
      service.ingress.push_back(
          rule_to_pods(RuleOrigin::OtlpDefault, LabelSelector(), otlp, globals_.otlp));
    }
  }

  void read_egress(Service& service, const Cursor& np) {
    for (const Cursor& e : np["egressTo"].items()) service.egress.push_back(peer_rule(e));
    if (Cursor aee = np["allowExternalEgress"]; aee.as_bool(false)) {
      for (Rule r : globals_.external_egress) {
        r.provenance.insert(r.provenance.begin(), prov(aee));
        service.egress.push_back(std::move(r));
      }
    }
    Rule dns;
    dns.origin = RuleOrigin::Dns;
    dns.any_peer = true;
    dns.ports = PortSet::dns();
    dns.provenance.push_back(chart_.enabled_at);
    service.egress.push_back(std::move(dns));
    if (chart_.otlp && chart_.otlp->is_default) {
      LabelSelector ingest;
      ingest.add_equals(std::string(kAppLabel), "ingest");
      PortSet otlp;
      otlp.add_range(Protocol::TCP, 4317, 4317);
      service.egress.push_back(rule_to_pods(RuleOrigin::OtlpDefault, ingest, otlp, globals_.otlp));
      service.egress.back().name = "ingest";
    } else if (chart_.otlp) {
      append(service.egress, globals_.otlp_egress);
    }
    append(service.egress, globals_.egress);
    for (const Cursor& e : np["additionalEgress"].items())
      service.egress.push_back(read_raw_rule(e, false));
  }

  // An ingressFrom / egressTo entry; a peer naming no chart service is kept, with a warning.
  Rule peer_rule(const Cursor& entry) {
    Rule rule = read_peer_rule(entry);
    if (!known_.count(rule.name)) {
      std::string hint = did_you_mean(rule.name, names_);
      chart_.warnings.push_back({"unknown-peer",
                                 "\"" + rule.name + "\" is not a chart service" +
                                     (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)") +
                                     "; it is drawn as a node of its own",
                                 {entry["app"].path(), entry["app"].where()},
                                 hint.empty()
                                     ? "name a chart service in " + entry["app"].path()
                                     : "write \"" + hint + "\" in " + entry["app"].path()});
    }
    return rule;
  }

  static void append(std::vector<Rule>& to, const std::vector<Rule>& from) {
    to.insert(to.end(), from.begin(), from.end());
  }

  Cursor root_;
  const Profile& profile_;
  Chart chart_;
  std::vector<std::string> names_;
  std::set<std::string> known_;  // names_, for lookups
  GlobalRules globals_;
};

}  // namespace

Chart read_chart(const values::Value& merged, const Profile& profile, const std::string& ns) {
  return ChartReader(merged, profile, ns).read();
}

}  // namespace netpol::graph
