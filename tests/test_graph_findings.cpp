#include <array>
#include <random>
#include <set>
#include <sstream>
#include "exporters/findings.hpp"
#include "graph/analysis/comm_map.hpp"
#include "graph/analysis/intent.hpp"
#include "graph/read/read_manifests.hpp"
#include "graph/sets/address_set.hpp"
#include "random_selectors.hpp"
#include "support.hpp"
#include "values/yaml_reader.hpp"

using namespace netpol;
using namespace netpol::graph;
using netpol::exporters::read_baseline;  // beside the writers of what it reads

namespace {

std::vector<const Finding*> with_code(const Analysis& a, const std::string& code) {
  std::vector<const Finding*> out;
  for (const auto& f : a.findings)
    if (f.code == code) out.push_back(&f);
  return out;
}

std::size_t count(const std::string& values, const std::string& code) {
  return with_code(test::analyze_values(values), code).size();
}

}  // namespace

TEST_SUITE("graph: findings") {
  TEST_CASE("policies-disabled") {
    Analysis a = test::analyze_values("");
    auto f = with_code(a, "policies-disabled");
    REQUIRE(f.size() == 1);
    CHECK(f[0]->severity == Severity::Warning);
    CHECK(f[0]->where.path == "global.networkPolicy.enabled");
    CHECK(f[0]->where.where.str() == "<defaults>:12:14");
    CHECK(count(test::kEnabled, "policies-disabled") == 0);
  }

  TEST_CASE("otlp-egress-missing") {
    std::string otlp =
        test::kEnabled +
        "  observability:\n    otlpEnabled: true\n    otlpEndpoint: collector.obs:4317\n";
    CHECK(count(otlp, "otlp-egress-missing") == 1);
    CHECK(count(otlp + "    otlpEgress:\n      - cidr: 10.2.0.0/16\n", "otlp-egress-missing") ==
          1);  // wrong indentation: under observability
    std::string with_egress =
        test::kEnabled +
        "    otlpEgress:\n      - cidr: 10.2.0.0/16\n        ports: [4317]\n"
        "  observability:\n    otlpEnabled: true\n    otlpEndpoint: collector.obs:4317\n";
    CHECK(count(with_egress, "otlp-egress-missing") == 0);
  }

  TEST_CASE("egress-open-world: one finding per rule, naming ports and services") {
    Analysis a = test::analyze_values(test::kEnabled);
    auto f = with_code(a, "egress-open-world");
    REQUIRE(f.size() == 2);
    CHECK(f[0]->message ==
          "egress to 0.0.0.0/0 on TCP 443 for meta, query, ingest, janitor, ui, nursery");
    CHECK(f[0]->where.path == "global.networkPolicy.externalEgress[0]");
    CHECK(count(test::kEnabled +
                    "    externalEgress:\n      - cidr: 10.0.0.0/16\n        ports: [443]\n",
                "egress-open-world") == 0);
    CHECK(count(test::kEnabled + "    externalEgress: []\n    additionalEgress:\n      - to: "
                                 "[{ipBlock: {cidr: '::/0'}}]\n",
                "egress-open-world") == 1);
  }

  TEST_CASE("dns-any-destination") {
    CHECK(count(test::kEnabled, "dns-any-destination") == 1);
    CHECK(count("", "dns-any-destination") == 0);
  }

  TEST_CASE("one-sided-peer, both ways") {
    CHECK(count(test::kEnabled, "one-sided-peer") == 0);
    Analysis sent = test::analyze_values(
        test::kEnabled +
        "meta:\n  networkPolicy:\n    egressTo:\n      - app: janitor\n        ports: [8000]\n");
    auto f = with_code(sent, "one-sided-peer");
    REQUIRE(f.size() == 1);
    CHECK(f[0]->message ==
          "meta lists janitor in egressTo on TCP 8000, but janitor's ingress does not admit meta "
          "there: the entry opens nothing");
    CHECK(f[0]->where.where.str() == "values.yaml:7:9");
    Analysis admitted = test::analyze_values(
        test::kEnabled + "janitor:\n  networkPolicy:\n    ingressFrom:\n      - app: nursery\n");
    auto g = with_code(admitted, "one-sided-peer");
    REQUIRE(g.size() == 1);
    CHECK(g[0]->message ==
          "janitor lists nursery in ingressFrom on all ports, but nursery's egress does not send "
          "to janitor there: the entry opens nothing");
  }

  TEST_CASE("reserved-name") {
    // A values service named like a node of the graph's own is left out with a warning at
    // its key; DNS stays DNS, and a peer naming it selects pods, as the chart renders.
    Analysis a = test::analyze_values(test::kEnabled +
                                      "ui:\n  networkPolicy:\n    egressTo:\n"
                                      "      - app: dns\n        ports: [5353]\n"
                                      "dns:\n  networkPolicy:\n    ingressFrom:\n"
                                      "      - app: ui\n"
                                      "any-source:\n  networkPolicy: {}\n");
    auto f = with_code(a, "reserved-name");
    REQUIRE(f.size() == 2);
    CHECK(f[0]->where.path == "dns");
    CHECK(f[0]->where.where.str() == "values.yaml:9:1");
    CHECK(f[0]->message.find("\"dns\" stands for DNS") != std::string::npos);
    CHECK(f[1]->where.path == "any-source");
    CHECK(a.chart.service("dns") == nullptr);
    CHECK(a.chart.service("any-source") == nullptr);
    CHECK(a.graph.node(*a.graph.find("dns")).kind == NodeKind::Dns);
    CHECK(test::edge_ports(a, "ui", "sel:pods(app=dns)") == "TCP 5353");
    CHECK(with_code(a, "unknown-key").empty());
    CHECK(count(test::kEnabled, "reserved-name") == 0);
  }

  TEST_CASE("reserved-name: an externalEgress entry named *") {
    // "*" would make the entry ext:*, the node for any address: a reach to 10.0.0.0/8 on 8443
    // would read as every address's, and merge with an additionalEgress to anywhere.
    Analysis a =
        test::analyze_values(test::kEnabled +
                             "    externalEgress:\n      - name: \"*\"\n        cidr: 10.0.0.0/8\n"
                             "        ports: [8443]\n"
                             "janitor:\n  networkPolicy:\n    allowExternalEgress: true\n"
                             "    additionalEgress:\n      - {}\n");
    auto f = with_code(a, "reserved-name");
    REQUIRE(f.size() == 1);
    CHECK(f[0]->where.path == "global.networkPolicy.externalEgress[0].name");
    CHECK(f[0]->where.where.str() == "values.yaml:5:15");
    CHECK(test::edge_ports(a, "janitor", "ext:10.0.0.0/8") == "TCP 8443");
    CHECK(test::edge_ports(a, "janitor", "ext:*") == "all ports");
    CHECK(a.graph.node(*a.graph.find("ext:*")).entries.empty());
    // Only the additionalEgress to anywhere is over-permission of the open-world kind.
    for (const Finding* over : with_code(a, "over-permission"))
      CHECK(over->message.find("* (10.0.0.0/8)") == std::string::npos);
  }

  TEST_CASE("unknown-peer") {
    Analysis a = test::analyze_values(test::kEnabled +
                                      "ui:\n  networkPolicy:\n    egressTo:\n      - app: metaa\n");
    auto f = with_code(a, "unknown-peer");
    REQUIRE(f.size() == 1);
    CHECK(f[0]->fix == "write \"meta\" in ui.networkPolicy.egressTo[0].app");
    CHECK(count(test::kEnabled, "unknown-peer") == 0);
  }

  TEST_CASE("over-permission and broken-dependency") {
    CHECK(count(test::kEnabled, "over-permission") == 5);
    CHECK(count(test::kEnabled, "broken-dependency") == 0);
    Analysis a = test::analyze_values(
        test::kEnabled + "nursery:\n  networkPolicy:\n    allowExternalEgress: false\n");
    auto f = with_code(a, "broken-dependency");
    REQUIRE(f.size() == 1);
    CHECK(f[0]->severity == Severity::Error);
    CHECK(a.findings.front().code == "broken-dependency");  // errors first
    CHECK(count(test::kEnabled +
                    "    externalEgress:\n      - cidr: 10.0.0.0/16\n        ports: [443]\n",
                "over-permission") == 0);
  }

  TEST_CASE("selector-all") {
    CHECK(count(test::kEnabled, "selector-all") == 0);
    std::string all_ns =
        test::kEnabled + "    additionalIngress:\n      - from: [{namespaceSelector: {}}]\n";
    CHECK(count(all_ns, "selector-all") == 1);
    std::string all_pods =
        test::kEnabled + "    additionalIngress:\n      - from: [{podSelector: {}}]\n";
    CHECK(count(all_pods, "selector-all") == 1);
    std::string some =
        test::kEnabled +
        "    additionalIngress:\n      - from: [{namespaceSelector: {matchLabels: {name: x}}}]\n";
    CHECK(count(some, "selector-all") == 0);
  }

  TEST_CASE("external-exposure: who and how deep") {
    Analysis a = test::analyze_values(test::kEnabled);
    auto f = with_code(a, "external-exposure");
    REQUIRE(f.size() == 1);
    CHECK(f[0]->message ==
          "any source reaches 4 services: query (1 hop), ingest (1 hop), ui (1 hop), meta (2 "
          "hops); deepest: any-source -> query -> meta");
    CHECK(count(test::kEnabled + "query:\n  networkPolicy:\n    allowExternal: false\n"
                                 "ingest:\n  networkPolicy:\n    allowExternal: false\n"
                                 "ui:\n  networkPolicy:\n    allowExternal: false\n",
                "external-exposure") == 0);
    CHECK(f[0]->fix.find("allowExternal") != std::string::npos);
    // From manifests, workloads, and a fix in their words: "1 workload", not "1 workloads".
    Analysis one = test::analyze_manifests(test::deployment("web", "shop"));
    auto lone = with_code(one, "external-exposure");
    REQUIRE(lone.size() == 1);
    CHECK(lone[0]->message.rfind("any source reaches 1 workload: web (1 hop); ", 0) == 0);
    CHECK(lone[0]->fix.find("allowExternal") == std::string::npos);
    CHECK(lone[0]->fix.find("no ingress policy selects") != std::string::npos);
    // Its egress open to the world for want of any policy: the fix is one that selects it.
    auto open = with_code(one, "egress-open-world");
    REQUIRE(open.size() == 1);
    CHECK(open[0]->fix ==
          "select web with a NetworkPolicy for Egress that allows only what it needs");
    // A policy's rule to 0.0.0.0/0: that rule is what to narrow, for the workloads.
    Analysis ruled = test::analyze_manifests(
        test::deployment("web", "shop") +
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: out, "
        "namespace: shop}\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n"
        "    - to: [{ipBlock: {cidr: 0.0.0.0/0}}]\n");
    auto narrow = with_code(ruled, "egress-open-world");
    REQUIRE(narrow.size() == 1);
    CHECK(narrow[0]->fix ==
          "narrow NetworkPolicy/shop/out.spec.egress[0] to the addresses the workloads need");
  }

  TEST_CASE("no-service-ports") {
    CHECK(count(test::kEnabled, "no-service-ports") == 0);
    Analysis a = test::analyze_values(test::kEnabled +
                                      "janitor:\n  networkPolicy:\n    allowExternal: true\n");
    auto f = with_code(a, "no-service-ports");
    REQUIRE(f.size() == 1);
    CHECK(f[0]->where.where.str() == "values.yaml:6:20");
  }

  TEST_CASE("noncanonical-cidr") {
    CHECK(count(test::kEnabled, "noncanonical-cidr") == 0);
    Analysis a = test::analyze_values(
        test::kEnabled + "    externalEgress:\n      - cidr: 10.0.0.1/16\n        ports: [443]\n");
    auto f = with_code(a, "noncanonical-cidr");
    REQUIRE(f.size() == 1);  // once, though six services use it
    CHECK(f[0]->message == "10.0.0.1/16 has host bits set; it means 10.0.0.0/16");
    CHECK(f[0]->where.path == "global.networkPolicy.externalEgress[0].cidr");
    CHECK(f[0]->where.where.str() == "values.yaml:5:15");
  }

  TEST_CASE("every code has a rule and a severity") {
    std::set<std::string_view> codes;
    for (const auto& r : finding_rules()) {
      INFO(r.code);
      CHECK(codes.insert(r.code).second);  // once
      CHECK(!r.description.empty());
      CHECK(!r.why.empty());
      CHECK(!r.help.empty());
    }
    CHECK(codes.count("intent-violated") == 1);
    // A misspelt code is refused, not taken for a warning.
    CHECK(severity_of("unknown-peer") == Severity::Warning);
    CHECK_THROWS_AS(severity_of("unkown-peer"), std::logic_error);
    CHECK(parse_severity("info") == Severity::Info);
    CHECK_THROWS_AS(parse_severity("fatal"), ValueError);
  }
}

TEST_SUITE("graph: findings on a chart made in code") {
  TEST_CASE("rules without provenance are reported without a key, not a crash") {
    // The readers give every rule its values key; a Chart built by other code may not.
    Chart c;
    c.enabled = true;
    c.ns = "a";
    c.from_manifests = true;
    for (const char* name : {"web", "db"}) {
      Service s;
      s.name = name;
      s.ns = "a";
      s.labels["app"] = name;
      Rule any;  // any source, any destination, every port
      any.any_peer = true;
      any.ports = PortSet::all();
      Rule dns = any;
      dns.origin = RuleOrigin::Dns;
      dns.ports = PortSet();
      dns.ports.add_range(Protocol::UDP, 53, 53);
      s.ingress.push_back(any);
      s.egress.push_back(any);
      s.egress.push_back(dns);
      c.services.push_back(std::move(s));
    }
    Analysis a = analyze(c, Profile(), {"m.yaml"});
    bool dns_finding = false;
    for (const Finding& f : a.findings)
      if (f.code == "dns-any-destination") {
        dns_finding = true;
        CHECK(f.where.path.empty());
      }
    CHECK(dns_finding);
  }
}

TEST_SUITE("graph: waivers") {
  Finding finding(std::string code, std::string path, std::string subject, int line) {
    Finding f;
    f.code = std::move(code);
    f.where = {std::move(path), {"values.yaml", line, 3}};
    f.subject = std::move(subject);
    return f;
  }

  TEST_CASE("--ignore takes a known code, with or without a values path") {
    auto all = parse_ignore("over-permission");
    CHECK(all.code == "over-permission");
    CHECK_FALSE(all.path);
    auto one = parse_ignore("over-permission:janitor.networkPolicy.allowExternalEgress");
    CHECK(*one.path == "janitor.networkPolicy.allowExternalEgress");
    CHECK_THROWS_WITH_AS(parse_ignore("over-permision"),
                         doctest::Contains("did you mean \"over-permission\"?"), ValueError);
    CHECK_THROWS_WITH_AS(parse_ignore("selector-all:"), doctest::Contains("no values path"),
                         ValueError);
  }

  TEST_CASE("a baseline matches code, values path and subject, not the line") {
    Waivers w;
    w.baseline = read_baseline(
        R"({"schemaVersion": 1, "findings": [{"code": "over-permission", "path": "a.b",
            "location": "values.yaml:3:1", "subject": "janitor -> ext:S3"}]})");
    w.baseline_name = "base.json";
    std::vector<Finding> fs = {finding("over-permission", "a.b", "janitor -> ext:S3", 40),
                               finding("over-permission", "a.b", "ui -> ext:S3", 3),
                               finding("over-permission", "a.c", "janitor -> ext:S3", 3),
                               finding("selector-all", "a.b", "janitor -> ext:S3", 3)};
    apply_waivers(fs, w);
    CHECK(fs[0].waived == "in the baseline base.json");  // moved 37 lines: still the same
    CHECK(fs[1].waived.empty());                         // another subject
    CHECK(fs[2].waived.empty());                         // another path
    CHECK(fs[3].waived.empty());                         // another code
  }

  TEST_CASE("a baseline keeps its waivers when an external destination is renamed") {
    // The defaults' 5432 entry is ext:PostgreSQL by the profile; named `database`, it is
    // ext:database: the subjects change, the access does not.
    const std::string renamed = test::kEnabled +
                                "    externalEgress:\n"
                                "      - {cidr: 0.0.0.0/0, ports: [{port: 443, protocol: TCP}]}\n"
                                "      - {cidr: 0.0.0.0/0, name: database,\n"
                                "         ports: [{port: 5432, protocol: TCP}]}\n";
    Analysis before = test::analyze_values(test::kEnabled);
    Analysis after = test::analyze_values(renamed);
    std::ostringstream json;
    exporters::write_findings_json(before, json);
    auto over = [](const std::vector<Finding>& fs) {
      std::vector<const Finding*> out;
      for (const Finding& f : fs)
        if (f.code == "over-permission") out.push_back(&f);
      return out;
    };
    REQUIRE(over(before.findings).size() == 5);
    REQUIRE(over(after.findings).size() == 5);
    CHECK(over(before.findings)[0]->subject == "query -> ext:PostgreSQL");
    CHECK(over(after.findings)[0]->subject == "query -> ext:database");
    CHECK(over(after.findings)[0]->access == "query -> 0.0.0.0/0 on TCP 5432");
    Waivers w;
    w.baseline = read_baseline(json.str());
    w.baseline_name = "base.json";
    std::vector<Finding> fs = after.findings;
    apply_waivers(fs, w);
    for (const Finding* f : over(fs)) CHECK(f->waived == "in the baseline base.json");
    // A baseline without access (an older check's) matches by subject: not these.
    for (Waivers::Known& k : w.baseline) k.access.reset();
    fs = after.findings;
    apply_waivers(fs, w);
    for (const Finding* f : over(fs)) CHECK(f->waived.empty());
  }

  TEST_CASE("a SARIF baseline, and --ignore before the baseline") {
    Waivers w;
    w.baseline = read_baseline(
        R"({"version": "2.1.0", "runs": [{"results": [{"ruleId": "selector-all",
            "properties": {"valuesPath": "x.y", "subject": "every pod of the namespace"}}]}]})");
    w.ignore = {parse_ignore("no-service-ports")};
    std::vector<Finding> fs = {finding("selector-all", "x.y", "every pod of the namespace", 9),
                               finding("no-service-ports", "z", "ui", 1)};
    apply_waivers(fs, w);
    CHECK(fs[0].waived.rfind("in the baseline", 0) == 0);
    CHECK(fs[1].waived == "--ignore no-service-ports");
  }

  TEST_CASE("a baseline that is not a check output is refused, saying what was expected") {
    CHECK_THROWS_WITH_AS(read_baseline("findings: []"), doctest::Contains("not JSON"), ValueError);
    CHECK_THROWS_WITH_AS(read_baseline(R"({"nodes": []})"),
                         doctest::Contains("neither \"findings\""), ValueError);
  }
}

TEST_SUITE("graph: intent rules") {
  std::vector<IntentRule> rules(const std::string& yaml) {
    return read_intents(values::read_yaml(yaml, "intent.yaml"));
  }

  TEST_CASE("a deny some path satisfies and an allow no path satisfies are findings") {
    Analysis a = test::analyze_values(test::kEnabled);
    auto found =
        check_intents(a, rules("deny:\n  - {from: any-source, to: ext:PostgreSQL}\n"
                               "  - {from: svc:nursery, to: svc:query}\n"
                               "allow:\n  - {from: svc:ui, to: svc:query, port: TCP/9510}\n"
                               "  - {from: svc:janitor, to: svc:ui}\n"));
    REQUIRE(found.size() == 2);
    CHECK(found[0].code == "intent-violated");
    CHECK(found[0].where.path == "deny[0]");
    CHECK(found[0].where.where.line == 2);
    CHECK(found[0].message.find("any-source -> query -> ext:PostgreSQL") != std::string::npos);
    CHECK(found[0].message.find("query.networkPolicy.allowExternal (") != std::string::npos);
    CHECK(found[1].where.path == "allow[1]");
    CHECK(found[1].message.find("is not met: no path") != std::string::npos);
  }

  TEST_CASE("the analysis applies a review itself: intent findings join, waivers mark") {
    Analysis plain = test::analyze_values(test::kEnabled);
    Review review;
    review.intents = rules("deny:\n  - {from: any-source, to: ext:PostgreSQL}\n");
    review.waivers.ignore.push_back(parse_ignore("intent-violated"));
    Analysis reviewed =
        analyze(test::merged_values(test::kEnabled), test::embedded_profile(), "default",
                {"<defaults>", "values.yaml"}, nullptr, PolicyGraph::kMaxPairs, review);
    // The rule's violation is one more finding, in the order sort_findings gives, and the
    // --ignore waives it and nothing else.
    REQUIRE(reviewed.findings.size() == plain.findings.size() + 1);
    auto violated = std::find_if(reviewed.findings.begin(), reviewed.findings.end(),
                                 [](const Finding& f) { return f.code == "intent-violated"; });
    REQUIRE(violated != reviewed.findings.end());
    CHECK(violated->waived == "--ignore intent-violated");
    for (const Finding& f : reviewed.findings)
      if (f.code != "intent-violated") CHECK(f.waived.empty());
    std::vector<Finding> sorted = reviewed.findings;
    sort_findings(sorted);
    for (std::size_t i = 0; i < sorted.size(); ++i)
      CHECK(sorted[i].code == reviewed.findings[i].code);
  }

  TEST_CASE("port and maxHops narrow what satisfies a rule") {
    Analysis a = test::analyze_values(test::kEnabled);
    // any-source reaches meta in 2 hops, on 9500: a deny within 1 hop or on another port holds.
    CHECK(check_intents(a, rules("deny:\n  - {from: any-source, to: svc:meta, maxHops: 1}\n"
                                 "  - {from: any-source, to: svc:meta, port: TCP/22}\n"))
              .empty());
    CHECK(check_intents(a, rules("deny:\n  - {from: any-source, to: svc:meta, maxHops: 2}\n"))
              .size() == 1);
  }

  TEST_CASE("an intent file that is not rules is refused at the line") {
    CHECK(test::input_error([] { rules("deny:\n  - {form: any-source, to: dns}\n"); })
              .find("intent.yaml:2:12: deny[0].form: unknown key \"form\" (did you mean "
                    "\"from\"?)") != std::string::npos);
    CHECK(test::input_error([] { rules("deny:\n  - {to: dns}\n"); }).find("missing \"from\"") !=
          std::string::npos);
    CHECK(test::input_error([] {
            rules("allw: []\n");
          }).find("unknown key \"allw\" (did you mean \"allow\"?)") != std::string::npos);
    Analysis a = test::analyze_values(test::kEnabled);
    CHECK(test::input_error([&] {
            check_intents(a, rules("allow:\n  - {from: svc:ui, to: metaa}\n"));
          }).find("no node \"metaa\" in the graph (did you mean \"svc:meta\"?)") !=
          std::string::npos);
  }
}

TEST_SUITE("graph: findings") {
  TEST_CASE("egress-open-world: rules that together cover every public address") {
    auto egress = [](const std::string& entries) {
      return test::kEnabled + "    externalEgress:\n" + entries;
    };
    // Two halves of IPv4 on 443: every public address, though neither rule is 0.0.0.0/0.
    Analysis a =
        test::analyze_values(egress("      - {cidr: 0.0.0.0/1, ports: [443]}\n"
                                    "      - {cidr: 128.0.0.0/1, ports: [443, 80]}\n"));
    auto f = with_code(a, "egress-open-world");
    REQUIRE(f.size() == 1);
    CHECK(f[0]->where.path == "global.networkPolicy.externalEgress[0]");
    CHECK(f[0]->message.find("every public address on TCP 443 for meta") != std::string::npos);
    CHECK(f[0]->message.find("(0.0.0.0/1, 128.0.0.0/1)") != std::string::npos);
    // Every address but private ones is still the whole internet.
    CHECK(count(egress("      - {cidr: 0.0.0.0/1, ports: [443]}\n"
                       "      - {cidr: 128.0.0.0/2, ports: [443]}\n"
                       "      - {cidr: 192.0.0.0/2, ports: [443], except: [192.168.0.0/16, "
                       "224.0.0.0/3]}\n"),
                "egress-open-world") == 1);
    // A quarter left out, or the halves on other ports: not open to the world.
    CHECK(count(egress("      - {cidr: 0.0.0.0/1, ports: [443]}\n"
                       "      - {cidr: 128.0.0.0/2, ports: [443]}\n"),
                "egress-open-world") == 0);
    CHECK(count(egress("      - {cidr: 0.0.0.0/1, ports: [443]}\n"
                       "      - {cidr: 128.0.0.0/1, ports: [80]}\n"),
                "egress-open-world") == 0);
    // A rule to every address alone is said as before, once.
    CHECK(count(egress("      - {cidr: 0.0.0.0/0, ports: [443]}\n"
                       "      - {cidr: 128.0.0.0/1, ports: [443]}\n"),
                "egress-open-world") == 1);
  }

  TEST_CASE("globally reachable addresses: the special-purpose ranges left out") {
    AddressSet g = AddressSet::globally_reachable();
    auto has = [&](const char* cidr) {
      return AddressSet::of(IpBlock{Cidr::parse(cidr), {}}).subset_of(g);
    };
    CHECK(has("8.8.8.8/32"));
    CHECK(has("2606:4700::/32"));
    for (const char* private_range :
         {"10.1.2.3/32", "172.16.0.0/12", "192.168.1.0/24", "100.64.0.1/32", "127.0.0.1/32",
          "169.254.1.1/32", "fc00::1/128", "fe80::1/128", "224.0.0.1/32"})
      CHECK_FALSE(AddressSet::of(IpBlock{Cidr::parse(private_range), {}}).intersects(g));
  }
}

TEST_SUITE("graph: findings") {
  TEST_CASE("exposure: an ipBlock holding internet addresses, not only 0.0.0.0/0") {
    auto ingress_from = [](const std::string& block) {
      return test::kEnabled +
             "meta:\n  networkPolicy:\n    additionalIngress:\n"
             "      - from: [{ipBlock: " +
             block + "}]\n        ports: [9500]\n";
    };
    auto meta_row = [](const Analysis& a) {
      for (const auto& r : a.effective().rows)
        if (r.service == "meta") return r;
      FAIL("no row for meta");
      return MapRow{};
    };
    // Every address but a private range: the internet still reaches meta, in one hop.
    Analysis a = test::analyze_values(ingress_from("{cidr: 0.0.0.0/0, except: [10.0.0.0/8]}"));
    CHECK(meta_row(a).external_ingress);
    CHECK(a.exposed_directly(*a.graph.find("meta")));
    auto f = with_code(a, "external-exposure");
    REQUIRE(f.size() == 1);
    CHECK(f[0]->message.find("the internet reaches") != std::string::npos);
    CHECK(f[0]->message.find("meta (1 hop)") != std::string::npos);
    // One public address is the internet too.
    CHECK(meta_row(test::analyze_values(ingress_from("{cidr: 8.8.8.8/32}"))).external_ingress);
    // Private ranges only: not the internet; meta is reached in two hops through query.
    for (const char* block : {"{cidr: 10.0.0.0/8}", "{cidr: 192.168.0.0/16}", "{cidr: fc00::/7}"}) {
      INFO(block);
      Analysis p = test::analyze_values(ingress_from(block));
      CHECK_FALSE(meta_row(p).external_ingress);
      CHECK_FALSE(p.exposed_directly(*p.graph.find("meta")));
      auto g = with_code(p, "external-exposure");
      REQUIRE(g.size() == 1);
      CHECK(g[0]->message.find("any source reaches") != std::string::npos);
      CHECK(g[0]->message.find("meta (2 hops)") != std::string::npos);
    }
  }
}

// Intent rules on pods, against enumeration: random NetworkPolicies over three workloads in
// two known namespaces, and random deny and allow rules whose ends are pods (namespace and
// pod selectors, all four operators) or nodes; each verdict compared with one worked out
// pod by pod over one pod of every label class (known namespaces with exactly their labels,
// unknown ones with any): a deny is violated when some pod of `from` reaches some pod of
// `to` through nodes holding them, an allow met when every pod of `from` reaches every pod
// of `to` (a service's own pods are not asked to reach it).
TEST_SUITE("graph: intent rules on pods, against enumeration") {
  using Sel = test::RandomSel;
  using Pods = test::RandomPeer;
  using test::random_sel;
  Pods random_pods(std::mt19937 & rng) {
    Pods p;
    int shape = static_cast<int>(rng() % 3);  // ns only, pods only, both
    if (shape != 1) p.ns = random_sel(rng, "team", "a", "b");
    if (shape != 0) p.pods = random_sel(rng, "app", rng() % 2 ? "web" : "api", "x");
    return p;
  }

  TEST_CASE("random intents on pods and nodes, every class of pod") {
    std::mt19937 rng(20261207);
    auto ns_of = [](const std::string& name, const std::string& team) {
      Labels l = {{std::string(kNamespaceNameLabel), name}};
      if (!team.empty()) l["team"] = team;
      return l;
    };
    // Known: default (no team), shop (team a). Unknown namespaces: any team, or none.
    std::vector<Labels> namespaces = {ns_of("default", ""), ns_of("shop", "a"),
                                      ns_of("other", "a"),  ns_of("other", "b"),
                                      ns_of("other", "c"),  ns_of("other", "")};
    std::vector<Labels> pod_classes;
    for (const char* app : {"web", "api", "db", "x", "y", ""})
      pod_classes.push_back(*app ? Labels{{"app", app}} : Labels{});
    int rules_checked = 0, violated = 0;
    for (int round = 0; round < 120; ++round) {
      std::string text =
          "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {team: a}}\n";
      for (const auto& [name, ns] : std::vector<std::pair<std::string, std::string>>{
               {"web", "shop"}, {"api", "default"}, {"db", "default"}})
        text += "---\napiVersion: v1\nkind: Pod\nmetadata: {name: " + name + ", namespace: " + ns +
                ", labels: {app: " + name +
                "}}\nspec: {containers: [{name: c, ports: "
                "[{containerPort: 80}, {containerPort: 5432}]}]}\n";
      // Each workload: ingress and egress rules from random peers (or no policy).
      for (const auto& [name, ns] : std::vector<std::pair<std::string, std::string>>{
               {"web", "shop"}, {"api", "default"}, {"db", "default"}}) {
        if (rng() % 4 == 0) continue;
        text +=
            "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: " + name +
            ", namespace: " + ns + "}\nspec:\n  podSelector: {matchLabels: {app: " + name +
            "}}\n  policyTypes: [Ingress, Egress]\n  ingress:\n";
        for (unsigned i = 0, n = rng() % 3; i < n; ++i)
          text += "    - from: [" + random_pods(rng).yaml() + "]\n" +
                  (rng() % 2 ? "      ports: [{port: 5432}]\n" : "");
        text += "  egress:\n";
        for (unsigned i = 0, n = rng() % 3; i < n; ++i)
          text += "    - to: [" + random_pods(rng).yaml() + "]\n" +
                  (rng() % 2 ? "      ports: [{port: 80}]\n" : "");
      }
      CAPTURE(text);
      Analysis a = analyze(read_manifests(values::read_yaml_documents(text, "m.yaml"), "default"),
                           test::embedded_profile(), {"m.yaml"});
      const PolicyGraph& g = a.graph;
      // Random rules: each end pods or a node of the graph.
      struct End {
        std::optional<Pods> pods;
        std::string node;
      };
      static const char* kNodes[] = {"svc:shop/web", "svc:api", "svc:db", "any-source"};
      std::vector<std::pair<bool, std::array<End, 2>>> drawn;
      std::vector<std::optional<PortQuery>> ports;
      std::vector<int> hops;
      std::string intent = "deny:\n";
      std::string allow = "allow:\n";
      for (int i = 0; i < 6; ++i) {
        bool deny = rng() % 2;
        std::array<End, 2> ends;
        for (int e = 0; e < 2; ++e) {
          if (rng() % 3 == 0 && (e == 1 || g.find("any-source"))) {
            ends[e].node = kNodes[e == 0 && g.find("any-source") ? rng() % 4 : rng() % 3];
          } else {
            ends[e].pods = random_pods(rng);
          }
        }
        std::optional<PortQuery> port;
        if (rng() % 3 == 0) port = PortQuery{Protocol::TCP, rng() % 2 ? 80 : 5432};
        int max_hops = rng() % 3 == 0 ? 1 : 0;
        std::string line = "  - {from: " + (ends[0].pods ? ends[0].pods->yaml() : ends[0].node) +
                           ", to: " + (ends[1].pods ? ends[1].pods->yaml() : ends[1].node) +
                           (port ? ", port: " + port->str() : "") +
                           (max_hops ? ", maxHops: 1" : "") + "}\n";
        (deny ? intent : allow) += line;
        drawn.emplace_back(deny, ends);
        ports.push_back(port);
        hops.push_back(max_hops);
      }
      // The file lists denies first, then allows: the rules in that order.
      std::vector<std::size_t> order;
      for (int d = 1; d >= 0; --d)
        for (std::size_t i = 0; i < drawn.size(); ++i)
          if (drawn[i].first == static_cast<bool>(d)) order.push_back(i);
      CAPTURE(intent + allow);
      std::vector<IntentRule> parsed = read_intents(values::read_yaml(intent + allow, "i.yaml"));
      REQUIRE(parsed.size() == drawn.size());
      // Which nodes hold a pod, by hand.
      auto holders = [&](const Labels& ns, const Labels& pod) {
        std::vector<PolicyGraph::Vertex> out;
        for (PolicyGraph::Vertex v : g.nodes()) {
          const Node& n = g.node(v);
          bool holds = false;
          if (n.kind == NodeKind::AnySource || n.id == kAnywhereId) holds = true;
          if ((n.kind == NodeKind::Selector || n.kind == NodeKind::NsPods) && n.pods)
            holds = n.pods->contains(ns, pod);
          if (n.kind == NodeKind::Service)
            if (const Service* s = a.chart.service(n.id))
              holds = s->ns_labels == ns && s->labels == pod;
          if (holds) out.push_back(v);
        }
        return out;
      };
      for (std::size_t k = 0; k < order.size(); ++k) {
        std::size_t i = order[k];
        const auto& [deny, ends] = drawn[i];
        ReachOptions options;
        options.port = ports[i];
        options.max_hops = hops[i];
        auto routes = [&](PolicyGraph::Vertex x, PolicyGraph::Vertex y) {
          return x != y && route_between(g, x, y, options).has_value();
        };
        // Each end as (pod or nullopt for a node end, the nodes standing for it).
        using Member =
            std::pair<std::optional<std::pair<Labels, Labels>>, std::vector<PolicyGraph::Vertex>>;
        auto members = [&](const End& e) {
          std::vector<Member> out;
          if (!e.pods) {
            std::string id = e.node.rfind("svc:", 0) == 0 ? e.node.substr(4) : e.node;
            auto v = g.find(id);
            REQUIRE(v);
            out.push_back({std::nullopt, {*v}});
            return out;
          }
          for (const Labels& ns : namespaces)
            for (const Labels& pod : pod_classes)
              if (e.pods->matches(ns, pod))
                out.push_back({std::make_pair(ns, pod), holders(ns, pod)});
          return out;
        };
        auto is_self = [&](const Member& m, const End& node_end) {  // a service's own pod
          if (!m.first || node_end.pods || node_end.node.rfind("svc:", 0) != 0) return false;
          const Service* s = a.chart.service(node_end.node.substr(4));
          return s->ns_labels == m.first->first && s->labels == m.first->second;
        };
        std::vector<Member> from = members(ends[0]), to = members(ends[1]);
        bool expected_violation;
        if (deny) {
          bool some = false;
          for (const Member& p : from)
            for (const Member& q : to)
              for (auto x : p.second)
                for (auto y : q.second) some = some || routes(x, y);
          expected_violation = some;
        } else {
          bool all = true;
          for (const Member& p : from) {
            if (is_self(p, ends[1])) continue;
            for (const Member& q : to) {
              if (is_self(q, ends[0])) continue;
              bool one = false;
              for (auto x : p.second)
                for (auto y : q.second) one = one || routes(x, y);
              all = all && one;
            }
          }
          expected_violation = !all;
        }
        CAPTURE(k);
        CAPTURE(parsed[k].from + " -> " + parsed[k].to);
        std::vector<Finding> got = check_intents(a, {parsed[k]});
        CHECK(got.size() == static_cast<std::size_t>(expected_violation));
        ++rules_checked;
        violated += expected_violation;
      }
    }
    CHECK(rules_checked == 720);
    CHECK(violated > rules_checked / 10);
    CHECK(violated < rules_checked - rules_checked / 10);
  }
}
