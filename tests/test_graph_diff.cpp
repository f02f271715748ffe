#include "graph/analysis/diff.hpp"
#include "graph/read/read_manifests.hpp"
#include "values/yaml_reader.hpp"

#include <algorithm>
#include <optional>
#include <random>
#include <set>
#include <tuple>
#include "support.hpp"

using namespace netpol;
using namespace netpol::graph;

namespace {

Diff diff_of(const std::string& old_yaml, const std::string& new_yaml) {
  return diff_analyses(test::analyze_values(old_yaml), test::analyze_values(new_yaml));
}

const EdgeDiff* find(const Diff& d, const std::string& from, const std::string& to) {
  for (const auto& e : d.edges)
    if (e.from == from && e.to == to) return &e;
  return nullptr;
}

const std::string kProduction = test::kEnabled +
                                "    externalEgress:\n"
                                "      - cidr: 10.0.0.0/16\n        ports: [443]\n"
                                "      - cidr: 10.1.0.0/24\n        ports: [5432]\n";

}  // namespace

TEST_SUITE("graph: diff") {
  TEST_CASE("identical access, however it is written") {
    CHECK(diff_of(test::kEnabled, test::kEnabled).empty());
    Diff d = diff_of(test::kEnabled,
                     "global: {networkPolicy: {enabled: yes, externalEgress: [\n"
                     "  {cidr: 0.0.0.0/1, ports: [443]}, {cidr: 128.0.0.0/1, ports: [443]},\n"
                     "  {cidr: 0.0.0.0/0, ports: [{port: 5432, protocol: TCP}]}]}}\n");
    CHECK(d.empty());
    CHECK_FALSE(d.widens());
  }

  TEST_CASE("narrowing external egress") {
    Diff d = diff_of(test::kEnabled, kProduction);
    CHECK(d.edges.size() == 12);
    const EdgeDiff* e = find(d, "ui", "ext:PostgreSQL");
    REQUIRE(e);
    CHECK(e->change == Change::Narrowed);
    CHECK(e->addresses == Change::Narrowed);
    CHECK(e->old_addresses == "0.0.0.0/0");
    CHECK(e->new_addresses == "10.1.0.0/24");
    CHECK(e->new_egress.at(1).path == "global.networkPolicy.externalEgress[1]");
    CHECK(e->new_egress.at(1).where.str() == "values.yaml:7:9");
    CHECK_FALSE(d.widens());
  }

  TEST_CASE("widening is the reverse") {
    Diff d = diff_of(kProduction, test::kEnabled);
    CHECK(find(d, "ui", "ext:PostgreSQL")->change == Change::Widened);
    CHECK(d.widens());
  }

  TEST_CASE("ports added, removed, widened, narrowed and changed") {
    std::string base =
        test::kEnabled +
        "query:\n  networkPolicy:\n    ingressFrom:\n      - app: ui\n        ports: [";
    std::string tail = "]\n      - app: janitor\n        ports: [9510]\n    allowExternal: false\n";
    auto ports_change = [&](const char* before, const char* after) {
      Diff d = diff_of(base + before + tail, base + after + tail);
      std::string ui_egress = "ui:\n  networkPolicy:\n    egressTo: [{app: query}]\n";
      d = diff_of(base + before + tail + ui_egress, base + after + tail + ui_egress);
      return d;
    };
    Diff wider = ports_change("9510", "9510, 9511");
    REQUIRE(find(wider, "ui", "query"));
    CHECK(find(wider, "ui", "query")->change == Change::Widened);
    CHECK(find(wider, "ui", "query")->added_ports.label() == "TCP 9511");
    Diff narrower = ports_change("9510, 9511", "9510");
    CHECK(find(narrower, "ui", "query")->change == Change::Narrowed);
    CHECK(find(narrower, "ui", "query")->removed_ports.label() == "TCP 9511");
    Diff changed = ports_change("9510", "9511");
    CHECK(find(changed, "ui", "query")->change == Change::Changed);
    CHECK(changed.widens());
    Diff removed = ports_change("9510", "1");  // ui egresses to query on all ports; query admits 1
    CHECK(find(removed, "ui", "query")->change == Change::Changed);
  }

  TEST_CASE("edges added and removed, with the keys on the side that has them") {
    // meta admits no outside source by default, so the rule opens something new.
    std::string data_team = test::kEnabled +
                            "meta:\n  networkPolicy:\n    additionalIngress:\n      - from:\n"
                            "          - namespaceSelector: {matchLabels: {name: data-team}}\n"
                            "        ports: [9500]\n";
    Diff added = diff_of(test::kEnabled, data_team);
    REQUIRE(added.edges.size() == 1);
    CHECK(added.edges[0].change == Change::Added);
    CHECK(added.edges[0].from == "sel:ns(name=data-team)");
    CHECK(added.edges[0].new_ingress.at(0).path == "meta.networkPolicy.additionalIngress[0]");
    Diff removed = diff_of(data_team, test::kEnabled);
    REQUIRE(removed.edges.size() == 1);
    CHECK(removed.edges[0].change == Change::Removed);
    CHECK(removed.edges[0].old_ingress.at(0).where.str() == "values.yaml:7:9");
    CHECK_FALSE(removed.widens());
  }

  TEST_CASE("newly reachable from any-source, with the path") {
    Diff d = diff_of(test::kEnabled,
                     test::kEnabled + "janitor:\n  networkPolicy:\n    allowExternal: true\n");
    std::vector<std::string> nodes;
    for (const auto& x : d.exposure) {
      CHECK(x.change == Change::Added);
      nodes.push_back(x.node);
    }
    CHECK(nodes == std::vector<std::string>{"janitor"});
    CHECK(d.exposure[0].path == std::vector<std::string>{"any-source", "janitor"});
    CHECK(d.widens());
  }

  TEST_CASE("verdicts on access: renames, redundant rules, CIDRs, the whole internet") {
    // A name for an externalEgress entry changes no access: a rename, no change.
    Diff renamed =
        diff_of(test::kEnabled, test::kEnabled +
                                    "    externalEgress:\n      - {cidr: 0.0.0.0/0, name: blob, "
                                    "ports: [443]}\n      - {cidr: 0.0.0.0/0, ports: [5432]}\n");
    CHECK(renamed.empty());
    REQUIRE(renamed.renames.size() == 1);
    CHECK(renamed.renames[0].old_id == "ext:S3");
    CHECK(renamed.renames[0].new_id == "ext:blob");
    // A peer on ports query already admits from any source: redundant, not a widening.
    auto batch_to_query = [](const char* port) {
      return diff_of(test::kEnabled,
                     test::kEnabled +
                         "query:\n  networkPolicy:\n    additionalIngress:\n"
                         "      - from: [{podSelector: {matchLabels: {app: batch}}}]\n"
                         "        ports: [" +
                         port + "]\n");
    };
    Diff redundant = batch_to_query("9510");
    CHECK(redundant.empty());
    CHECK_FALSE(redundant.widens());
    REQUIRE(redundant.redundant.size() == 1);
    CHECK(redundant.redundant[0].from == "sel:pods(app=batch)");
    // The same rule on a port any source does not have is new access.
    Diff wider = batch_to_query("9511");
    CHECK(wider.widens());
    CHECK(wider.redundant.empty());
    // An unnamed CIDR made wider is one widened change per service, not removed + added.
    std::string cidr = test::kEnabled + "    externalEgress:\n      - cidr: ";
    Diff cidr_wider = diff_of(cidr + "10.1.0.0/16\n        ports: [8443]\n",
                              cidr + "10.0.0.0/15\n        ports: [8443]\n");
    REQUIRE(cidr_wider.edges.size() == 6);
    for (const auto& e : cidr_wider.edges) {
      CHECK(e.change == Change::Widened);
      CHECK(e.to == "ext:10.0.0.0/15");
      CHECK(e.was == "ext:10.1.0.0/16");
    }
    // 0.0.0.0/0 is any source: meta is exposed in one hop.
    Diff internet = diff_of(test::kEnabled, test::kEnabled +
                                                "meta:\n  networkPolicy:\n    additionalIngress:\n"
                                                "      - from: [{ipBlock: {cidr: 0.0.0.0/0}}]\n");
    REQUIRE(internet.edges.size() == 1);
    CHECK(internet.edges[0].from == "any-source");
    REQUIRE(internet.exposure.size() == 1);
    CHECK(internet.exposure[0].path == std::vector<std::string>{"any-source", "meta"});
    CHECK(internet.exposure[0].old_hops == 2);
    // A removal cites the new line that removed it.
    Diff removed = diff_of(test::kEnabled,
                           test::kEnabled + "query:\n  networkPolicy:\n    allowExternal: false\n");
    REQUIRE(removed.edges.size() == 1);
    CHECK(removed.edges[0].change == Change::Removed);
    REQUIRE(removed.edges[0].removed_by.size() == 1);
    CHECK(removed.edges[0].removed_by[0].path == "query.networkPolicy.allowExternal");
    CHECK(removed.edges[0].removed_by[0].where.str() == "values.yaml:6:20");
  }

  TEST_CASE("changed by: the keys whose values differ, where they are set now") {
    // OTLP pointed away from ingest: meta -> ingest goes, removed by the endpoint (line 6 of
    // the new file), not by meta's egressTo, which did not change.
    std::string otlp = test::kEnabled + "  observability:\n    otlpEnabled: true\n";
    Diff d = diff_of(otlp, otlp + "    otlpEndpoint: \"otel-collector.monitoring:4317\"\n");
    const EdgeDiff* gone = find(d, "meta", "ingest");
    REQUIRE(gone);
    CHECK(gone->change == Change::Removed);
    REQUIRE(gone->removed_by.size() == 1);
    CHECK(gone->removed_by[0].path == "global.observability.otlpEndpoint");
    CHECK(gone->removed_by[0].where.str() == "values.yaml:6:19");
    CHECK(gone->changed_by == gone->removed_by);
    // With an egress entry for the collector, its new edges are changed by both keys.
    Diff to = diff_of(otlp,
                      "global:\n  networkPolicy:\n    enabled: true\n"
                      "    otlpEgress:\n      - cidr: 10.2.0.0/16\n"
                      "  observability:\n    otlpEnabled: true\n"
                      "    otlpEndpoint: \"otel-collector.monitoring:4317\"\n");
    // (on every port, its block joins the default externals' change: meta -> ext:S3)
    const EdgeDiff* added = find(to, "meta", "ext:S3");
    REQUIRE(added);
    CHECK(added->change == Change::Widened);
    std::vector<std::string> paths;
    for (const auto& p : added->changed_by) paths.push_back(p.path);
    CHECK(paths == std::vector<std::string>{"global.observability.otlpEndpoint",
                                            "global.networkPolicy.otlpEgress[0]"});
    // The same value written otherwise is no change of the key.
    Diff same = diff_of(test::kEnabled + "meta:\n  networkPolicy:\n    allowExternal: true\n",
                        test::kEnabled + "meta:\n  networkPolicy:\n    allowExternal: yes\n");
    CHECK(same.empty());
  }

  TEST_CASE("the same pods written otherwise: re-expressed, not redundant") {
    auto meta_from = [](const std::string& peer) {
      return test::kEnabled + "meta:\n  networkPolicy:\n    additionalIngress:\n      - from: [" +
             peer + "]\n        ports: [9090]\n";
    };
    Diff d = diff_of(meta_from("{podSelector: {}}"),
                     meta_from("{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: "
                               "default}}}"));
    CHECK(d.empty());
    CHECK(d.redundant.empty());
    REQUIRE(d.reexpressed.size() == 1);
    CHECK(d.reexpressed[0].from == "sel:ns(kubernetes.io/metadata.name=default)");
    CHECK(d.reexpressed[0].was == "ns-pods");
    CHECK(d.reexpressed[0].to == "meta");
    CHECK_FALSE(d.reexpressed[0].old_ingress.empty());
    CHECK_FALSE(d.reexpressed[0].new_ingress.empty());
    // An address entry given a name: one node where the profile's names made two, the same
    // addresses and ports for every service. Re-expressed, not "redundant".
    std::string entry = test::kEnabled + "    externalEgress:\n      - cidr: 10.5.0.0/16\n";
    Diff named = diff_of(entry + "        ports: [443, 5432]\n",
                         entry + "        name: store\n        ports: [443, 5432]\n");
    CHECK(named.empty());
    CHECK(named.redundant.empty());
    REQUIRE_FALSE(named.reexpressed.empty());
    for (const auto& e : named.reexpressed) {
      CHECK(e.to == "ext:store");
      CHECK(e.was == "ext:S3, ext:PostgreSQL");
    }
    // The name with fewer ports is a change, not a re-expression.
    Diff fewer = diff_of(entry + "        ports: [443, 5432]\n",
                         entry + "        name: store\n        ports: [443]\n");
    CHECK(fewer.reexpressed.empty());
    CHECK_FALSE(fewer.empty());
    // Other pods on the same port are not the same access: a change, nothing re-expressed.
    Diff other = diff_of(meta_from("{podSelector: {}}"),
                         meta_from("{namespaceSelector: {matchLabels: {team: a}}}"));
    CHECK(other.reexpressed.empty());
    CHECK_FALSE(other.empty());
  }

  TEST_CASE("DNS means the DNS rule in diff as in reach: egress anywhere does not widen it") {
    Diff d = diff_of(test::kEnabled, test::kEnabled +
                                         "meta:\n  networkPolicy:\n    additionalEgress:\n"
                                         "      - ports: [25]\n");
    REQUIRE(d.edges.size() == 1);
    CHECK(d.edges[0].to == "ext:*");
    CHECK(find(d, "meta", "dns") == nullptr);
  }

  TEST_CASE("an ipBlock into a service is compared with any source's addresses") {
    // 0.0.0.0/0 is any source; with an except it is those addresses only: a narrowing of the
    // same sources, not "removed any-source" and an unrelated addition.
    auto meta_from = [](const std::string& peers) {
      return test::kEnabled +
             "meta:\n  networkPolicy:\n    additionalIngress:\n      - from: " + peers +
             "\n        ports: [9090]\n";
    };
    std::string all = meta_from("[{ipBlock: {cidr: 0.0.0.0/0}}]");
    std::string except = meta_from("[{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}]");
    std::string halves =
        meta_from("[{ipBlock: {cidr: 0.0.0.0/1}}, {ipBlock: {cidr: 128.0.0.0/1}}]");
    Diff narrowed = diff_of(all, except);
    REQUIRE(narrowed.edges.size() == 1);
    CHECK(narrowed.edges[0].change == Change::Narrowed);
    CHECK(narrowed.edges[0].to == "meta");
    CHECK(narrowed.edges[0].was == "any-source");
    CHECK(narrowed.redundant.empty());
    CHECK_FALSE(narrowed.widens());
    Diff widened = diff_of(except, all);
    REQUIRE(widened.edges.size() == 1);
    CHECK(widened.edges[0].change == Change::Widened);
    CHECK(widened.edges[0].from == "any-source");
    CHECK(widened.widens());
    // Every IPv4 address in two halves is not any source (no IPv6, no pods): narrowed too.
    Diff two = diff_of(all, halves);
    REQUIRE(two.edges.size() == 1);
    CHECK(two.edges[0].change == Change::Narrowed);
    // The except's addresses back: nothing changes between the halves and 0.0.0.0/0 except
    // nothing but 10.0.0.0/8 being taken out.
    Diff within = diff_of(halves, except);
    REQUIRE(within.edges.size() == 1);
    CHECK(within.edges[0].change == Change::Narrowed);
    CHECK(
        diff_of(halves, meta_from("[{ipBlock: {cidr: 128.0.0.0/1}}, {ipBlock: {cidr: 0.0.0.0/1}}]"))
            .empty());
  }

  TEST_CASE("egress to anywhere does not stand for a chart service's ingress") {
    // ui may send anywhere; meta stops admitting it. ui's egress is unchanged, but meta's
    // ingress decides whether ui reaches it: removed, not redundant.
    std::string ui_anywhere = "ui:\n  networkPolicy:\n    additionalEgress:\n      - {}\n";
    Diff d = diff_of(test::kEnabled + ui_anywhere,
                     test::kEnabled + ui_anywhere +
                         "meta:\n  networkPolicy:\n    ingressFrom:\n      - app: query\n"
                         "        ports: [9500]\n");
    const EdgeDiff* e = find(d, "ui", "meta");
    REQUIRE(e);
    CHECK(e->change == Change::Removed);
    CHECK(e->old_ports.label() == "TCP 9500");
    for (const auto& r : d.redundant) CHECK_FALSE((r.from == "ui" && r.to == "meta"));
  }

  TEST_CASE("policies switched on or off are summarised, not listed") {
    Diff off = diff_of(test::kEnabled, "");
    CHECK(off.policies_switched());
    CHECK(off.edges.empty());
    CHECK(off.widens());
    Diff on = diff_of("", test::kEnabled);
    CHECK(on.policies_switched());
    CHECK_FALSE(on.widens());
    CHECK_FALSE(on.empty());
  }

  TEST_CASE("services that appear or disappear") {
    Diff d =
        diff_of(test::kEnabled,
                test::kEnabled + "nursery:\n  networkPolicy: null\nextra:\n  networkPolicy: {}\n");
    REQUIRE(d.services.size() == 2);
    CHECK(d.services[0].change == Change::Added);
    CHECK(d.services[0].name == "extra");
    CHECK(d.services[1].change == Change::Removed);
    CHECK(d.services[1].name == "nursery");
  }
}

// ---- outside pods as sets: diff's verdicts against every class of pod (docs/model.md,
// "Pods as sets")

namespace {

struct Pod {
  Labels ns, pod;
};

// One pod of every class over the labels the random rules read: the namespace's name
// and `team`, the pod's `app` and `tier`, each every value the rules name, one other value, or
// absent (but the namespace's name). Chart services' pods (app = a service's name in the
// release namespace) are not among them, and the release namespace, which the input knows,
// has its name label only (docs/model.md, "Pods as sets").
std::vector<Pod> outside_universe() {
  const std::vector<std::optional<std::string>> names{"default", "monitoring", "a", "zz"};
  const std::vector<std::optional<std::string>> teams{"default", "monitoring", "a", "zz",
                                                      std::nullopt};
  const std::vector<std::optional<std::string>> apps{"grafana", "prom", "web", "zz", std::nullopt};
  const std::vector<std::optional<std::string>>& tiers = apps;
  std::vector<Pod> out;
  for (const auto& n : names)
    for (const auto& t : teams) {
      if (*n == "default" && t) continue;
      for (const auto& a : apps)
        for (const auto& r : tiers) {
          Pod p;
          p.ns[std::string(kNamespaceNameLabel)] = *n;
          if (t) p.ns["team"] = *t;
          if (a) p.pod["app"] = *a;
          if (r) p.pod["tier"] = *r;
          out.push_back(std::move(p));
        }
    }
  return out;
}

struct RandomRules {
  std::mt19937 rng;
  std::size_t pick(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
  }

  // A selector as YAML and as the LabelSelector it means.
  std::pair<std::string, LabelSelector> selector(const std::vector<std::string>& keys,
                                                 const std::vector<std::string>& values) {
    LabelSelector s;
    std::string labels, expressions;
    for (std::size_t n = pick(3); n > 0; --n) {
      const std::string& key = keys[pick(keys.size())];
      std::vector<std::string> vs{values[pick(values.size())]};
      if (pick(2)) vs.push_back(values[pick(values.size())]);
      std::string list = "[" + vs[0] + (vs.size() > 1 ? ", " + vs[1] : "") + "]";
      switch (pick(5)) {
        case 0:  // matchLabels, once per key (a map)
          if (labels.find(key + ":") != std::string::npos) break;
          labels += (labels.empty() ? "" : ", ") + key + ": " + vs[0];
          s.add_equals(key, vs[0]);
          break;
        case 1:
          expressions += "{key: " + key + ", operator: In, values: " + list + "}, ";
          s.add(Requirement{key, Requirement::Op::In, vs});
          break;
        case 2:
          expressions += "{key: " + key + ", operator: NotIn, values: " + list + "}, ";
          s.add(Requirement{key, Requirement::Op::NotIn, vs});
          break;
        case 3:
          expressions += "{key: " + key + ", operator: Exists}, ";
          s.add(Requirement{key, Requirement::Op::Exists, {}});
          break;
        default:
          expressions += "{key: " + key + ", operator: DoesNotExist}, ";
          s.add(Requirement{key, Requirement::Op::DoesNotExist, {}});
          break;
      }
    }
    std::string yaml = "{";
    if (!labels.empty()) yaml += "matchLabels: {" + labels + "}";
    if (!expressions.empty())
      yaml += std::string(labels.empty() ? "" : ", ") + "matchExpressions: [" +
              expressions.substr(0, expressions.size() - 2) + "]";
    return {yaml + "}", s};
  }

  struct Peer {
    std::optional<LabelSelector> ns, pod;
    std::string pod_yaml, ns_yaml;
    bool matches(const Pod& p) const {
      bool in_ns = ns ? ns->matches(p.ns) : p.ns.at(std::string(kNamespaceNameLabel)) == "default";
      return in_ns && (!pod || pod->matches(p.pod));
    }
  };
  struct Rule {
    std::vector<Peer> peers;
    std::vector<int> ports;
  };

  // Rules of meta's additionalIngress.
  std::vector<Rule> rules() {
    std::vector<Rule> out;
    for (std::size_t r = 1 + pick(2); r > 0; --r) {
      Rule rule;
      for (std::size_t p = 1 + pick(2); p > 0; --p) {
        Peer peer;
        std::size_t kind = pick(3);
        if (kind != 1)
          std::tie(peer.pod_yaml, peer.pod) = selector({"app", "tier"}, {"grafana", "prom", "web"});
        if (kind != 0)
          std::tie(peer.ns_yaml, peer.ns) =
              selector({std::string(kNamespaceNameLabel), "team"}, {"default", "monitoring", "a"});
        rule.peers.push_back(std::move(peer));
      }
      std::vector<std::vector<int>> port_lists{{9090}, {9091}, {9090, 9091}};
      rule.ports = port_lists[pick(port_lists.size())];
      out.push_back(std::move(rule));
    }
    return out;
  }

  // The same access written otherwise: a rule per peer, in the other order, and a
  // podSelector alone as the release namespace selected by name.
  static std::vector<Rule> respelled(const std::vector<Rule>& rules) {
    std::vector<Rule> out;
    for (const auto& r : rules)
      for (const auto& p : r.peers) {
        Peer peer = p;
        if (!peer.ns) {
          peer.ns.emplace();
          peer.ns->add_equals(std::string(kNamespaceNameLabel), "default");
          peer.ns_yaml = "{matchLabels: {kubernetes.io/metadata.name: default}}";
        }
        out.insert(out.begin(), Rule{{peer}, r.ports});
      }
    return out;
  }

  static std::string yaml(const std::vector<Rule>& rules) {
    std::string out = test::kEnabled + "meta:\n  networkPolicy:\n    additionalIngress:\n";
    for (const auto& r : rules) {
      out += "      - from:\n";
      for (const auto& p : r.peers) {
        out += "          - {";
        if (p.pod) out += "podSelector: " + p.pod_yaml;
        if (p.ns) out += std::string(p.pod ? ", " : "") + "namespaceSelector: " + p.ns_yaml;
        out += "}\n";
      }
      out += "        ports: [" + std::to_string(r.ports[0]) +
             (r.ports.size() > 1 ? ", " + std::to_string(r.ports[1]) : "") + "]\n";
    }
    return out;
  }
};

std::set<int> ports_from(const std::vector<RandomRules::Rule>& rules, const Pod& p) {
  std::set<int> out;
  for (const auto& r : rules)
    if (std::any_of(r.peers.begin(), r.peers.end(),
                    [&](const auto& peer) { return peer.matches(p); }))
      out.insert(r.ports.begin(), r.ports.end());
  return out;
}

}  // namespace

TEST_SUITE("graph: diff") {
  TEST_CASE("outside pods: the issue's cases are sets, not spellings") {
    std::string every_ns = test::kEnabled +
                           "meta:\n  networkPolicy:\n    additionalIngress:\n"
                           "      - from: [{namespaceSelector: {}}]\n        ports: [9090]\n";
    std::string grafana =
        every_ns +
        "      - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: "
        "monitoring}}, podSelector: {matchLabels: {app: grafana}}}]\n        ports: [9090]\n";
    Diff added = diff_of(every_ns, grafana);
    CHECK(added.empty());
    CHECK_FALSE(added.widens());
    REQUIRE(added.redundant.size() == 1);
    CHECK(added.redundant[0].from ==
          "sel:ns(kubernetes.io/metadata.name=monitoring)/pods(app=grafana)");
    CHECK(diff_of(grafana, every_ns).empty());
    std::string own = test::kEnabled +
                      "meta:\n  networkPolicy:\n    additionalIngress:\n"
                      "      - from: [{podSelector: {}}]\n        ports: [9090]\n";
    std::string by_name = test::kEnabled +
                          "meta:\n  networkPolicy:\n    additionalIngress:\n"
                          "      - from: [{namespaceSelector: {matchLabels: "
                          "{kubernetes.io/metadata.name: default}}}]\n        ports: [9090]\n";
    CHECK(diff_of(own, by_name).empty());
    // Narrowing every namespace to grafana's pods takes access from the rest, named as a set.
    std::string only_grafana =
        test::kEnabled +
        "meta:\n  networkPolicy:\n    additionalIngress:\n"
        "      - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: "
        "monitoring}}, podSelector: {matchLabels: {app: grafana}}}]\n        ports: [9090]\n";
    Diff narrowed = diff_of(every_ns, only_grafana);
    CHECK_FALSE(narrowed.widens());
    REQUIRE(narrowed.edges.size() == 1);
    CHECK(narrowed.edges[0].change == Change::Removed);
    CHECK(outside_pods_text(narrowed.edges[0].from) ==
          "every pod but pods with app in (ingest,janitor,meta,nursery,query,ui) in namespace "
          "default; or pods with app=grafana in namespace monitoring");
    CHECK(diff_of(only_grafana, every_ns).widens());
  }

  TEST_CASE("outside pods: random rules against one pod of every class") {
    const std::vector<Pod> pods = outside_universe();
    RandomRules random{std::mt19937(30)};
    int identical = 0, widened = 0, narrowed = 0;
    for (int i = 0; i < 250; ++i) {
      std::vector<RandomRules::Rule> old_rules = random.rules();
      std::vector<RandomRules::Rule> new_rules;
      switch (random.pick(4)) {
        case 0:  // the same access, spelled otherwise
          new_rules = RandomRules::respelled(old_rules);
          break;
        case 1:  // one rule more
          new_rules = old_rules;
          new_rules.push_back(random.rules().front());
          break;
        default:
          new_rules = random.rules();
      }
      std::string old_yaml = RandomRules::yaml(old_rules), new_yaml = RandomRules::yaml(new_rules);
      CAPTURE(old_yaml);
      CAPTURE(new_yaml);
      bool same = true, wider = false;
      for (const auto& p : pods) {
        std::set<int> before = ports_from(old_rules, p), now = ports_from(new_rules, p);
        same = same && before == now;
        wider = wider || !std::includes(before.begin(), before.end(), now.begin(), now.end());
      }
      Diff d = diff_of(old_yaml, new_yaml);
      // Changes from outside pods only: the rules may also admit chart services, whose own
      // egress decides (and is checked elsewhere).
      bool outside_changed = false, outside_wider = false;
      for (const auto& e : d.edges) {
        if (e.from == "ingest" || e.from == "janitor" || e.from == "meta" || e.from == "nursery" ||
            e.from == "query" || e.from == "ui")
          continue;
        outside_changed = true;
        outside_wider = outside_wider || e.change == Change::Added || e.change == Change::Widened ||
                        e.change == Change::Changed;
      }
      CHECK(outside_changed == !same);
      CHECK(outside_wider == wider);
      identical += same;
      widened += wider;
      narrowed += !same && !wider;
    }
    // The random pairs meet every verdict.
    CHECK(identical > 50);
    CHECK(widened > 50);
    CHECK(narrowed > 20);
  }
}

TEST_SUITE("graph: diff") {
  TEST_CASE("outside pods: a namespace the dump knows has the labels the dump gives it") {
    auto dump = [](const std::string& peer) {
      std::string text =
          "apiVersion: v1\nkind: Namespace\nmetadata: {name: monitoring, labels: "
          "{kubernetes.io/metadata.name: monitoring, team: monitoring}}\n---\n"
          "apiVersion: v1\nkind: Namespace\nmetadata: {name: data, labels: "
          "{kubernetes.io/metadata.name: data}}\n---\n";
      for (const char* app : {"grafana", "prom"})
        text += std::string("apiVersion: v1\nkind: Pod\nmetadata: {name: ") + app +
                ", namespace: monitoring, labels: {app: " + app +
                "}}\n"
                "spec: {containers: [{name: c, ports: [{containerPort: 9090}]}]}\n---\n";
      text +=
          "apiVersion: v1\nkind: Pod\nmetadata: {name: db, namespace: data, labels: {app: db}}\n"
          "spec: {containers: [{name: c, ports: [{containerPort: 5432}]}]}\n---\n"
          "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: db, "
          "namespace: data}\nspec:\n  podSelector: {matchLabels: {app: db}}\n"
          "  ingress: [{from: [" +
          peer + "], ports: [{port: 5432}]}]\n";
      return analyze(read_manifests(values::read_yaml_documents(text, "m.yaml"), "default"),
                     test::embedded_profile(), {"m.yaml"});
    };
    // Namespaces with team=monitoring, then only prom pods of the namespace named monitoring:
    // grafana loses access, and no namespace "monitoring" with other labels gains any.
    Diff d = diff_analyses(
        dump("{namespaceSelector: {matchLabels: {team: monitoring}}}"),
        dump("{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}, "
             "podSelector: {matchLabels: {app: prom}}}"));
    CHECK_FALSE(d.widens());
    CHECK(find(d, "grafana", "data/db") != nullptr);
    for (const auto& e : d.edges) {
      INFO(e.from << " -> " << e.to);
      CHECK(e.change == Change::Removed);
    }
  }
}
