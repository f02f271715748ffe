#include "graph/read/read_chart.hpp"
#include "suggest.hpp"
#include "support.hpp"

using namespace netpol;
using namespace netpol::graph;
using netpol::test::input_error;

namespace {
Chart chart_of(const std::string& yaml, std::vector<std::string> set = {}) {
  return read_chart(test::merged_values(yaml, std::move(set)), test::embedded_profile(), "default");
}
std::string error_of(const std::string& yaml) {
  return input_error([&] { chart_of(yaml); });
}
}  // namespace

TEST_SUITE("graph: read_chart") {
  TEST_CASE("services are discovered from values and ordered by the profile, then by name") {
    Chart c =
        chart_of("zeta:\n  networkPolicy: {}\nalpha:\n  networkPolicy: {}\nnotaservice:\n  x: 1\n");
    std::vector<std::string> names;
    for (const auto& s : c.services) names.push_back(s.name);
    CHECK(names == std::vector<std::string>{"meta", "query", "ingest", "janitor", "ui", "nursery",
                                            "alpha", "zeta"});
  }

  TEST_CASE("a null networkPolicy removes a service") {
    Chart c = chart_of("nursery:\n  networkPolicy: null\n");
    CHECK(c.service("nursery") == nullptr);
    CHECK(c.services.size() == 5);
  }

  TEST_CASE("policies are off by default, enabled names where it was set") {
    CHECK_FALSE(chart_of("").enabled);
    Chart c = chart_of(test::kEnabled);
    CHECK(c.enabled);
    CHECK(c.enabled_at.path == "global.networkPolicy.enabled");
    CHECK(c.enabled_at.where.str() == "values.yaml:3:14");
  }

  TEST_CASE("peer rules, service ports and the DNS rule") {
    Chart c = chart_of(test::kEnabled);
    const Service* ingest = c.service("ingest");
    REQUIRE(ingest);
    REQUIRE(ingest->ports.size() == 2);
    CHECK(ingest->ports[1].port == 4318);
    const Service* meta = c.service("meta");
    REQUIRE(meta->ingress.size() == 5);
    CHECK(meta->ingress[3].name == "ui");
    CHECK(meta->ingress[3].provenance.at(0).path == "meta.networkPolicy.ingressFrom[3]");
    CHECK(meta->ingress[3].provenance.at(0).where.file == "<defaults>");
    const Rule& dns = meta->egress.back();
    CHECK(dns.origin == RuleOrigin::Dns);
    CHECK(dns.ports.tokens() == std::vector<std::string>{"TCP/53", "UDP/53"});
  }

  TEST_CASE("ports: numbers, names, maps with protocol and endPort") {
    Chart c =
        chart_of(test::kEnabled +
                 "query:\n  networkPolicy:\n    ingressFrom:\n      - app: ui\n        ports:\n"
                 "          - 9510\n          - metrics\n          - {port: 8000, endPort: 8100}\n"
                 "          - {protocol: UDP}\n");
    const Rule& r = c.service("query")->ingress.at(0);
    CHECK(r.ports.tokens() ==
          std::vector<std::string>{"TCP/8000-8100", "TCP/9510", "TCP/metrics", "UDP/*"});
  }

  TEST_CASE("a peer naming no chart service is a warning with a suggestion") {
    Chart c =
        chart_of(test::kEnabled + "ui:\n  networkPolicy:\n    egressTo:\n      - app: quey\n");
    REQUIRE(c.warnings.size() == 1);
    CHECK(
        c.warnings[0].str() ==
        "values.yaml:7:14: ui.networkPolicy.egressTo[0].app: \"quey\" is not a chart service (did "
        "you mean \"query\"?); it is drawn as a node of its own");
  }

  TEST_CASE("OTLP with a non-default endpoint and no otlpEgress warns as Helm does") {
    Chart c = chart_of(test::kEnabled +
                       "  observability:\n    otlpEnabled: true\n    otlpEndpoint: "
                       "\"otel-collector.monitoring:4317\"\n");
    REQUIRE(c.otlp);
    CHECK_FALSE(c.otlp->is_default);
    REQUIRE(c.warnings.size() == 1);
    CHECK(c.warnings[0].str() ==
          "values.yaml:6:19: global.observability.otlpEndpoint: OTLP is enabled with the "
          "non-default endpoint \"otel-collector.monitoring:4317\" but "
          "global.networkPolicy.otlpEgress is empty: the network policies will block telemetry "
          "export");
  }

  TEST_CASE("OTLP endpoints") {
    OtlpEndpoint d = parse_otlp_endpoint("ingest:4317");
    CHECK(d.is_default);
    CHECK(d.id() == "otlp:ingest:4317");
    OtlpEndpoint e = parse_otlp_endpoint("http://otel.monitoring.svc:4318/v1/traces");
    CHECK(e.host == "otel.monitoring.svc");
    CHECK(e.port == 4318);
    CHECK_FALSE(e.is_default);
    CHECK(parse_otlp_endpoint("https://collector.example.com").port == 443);
    CHECK(parse_otlp_endpoint("[fd00::1]:4317").host == "fd00::1");
    CHECK_THROWS_WITH_AS(parse_otlp_endpoint("collector"),
                         "cannot parse OTLP endpoint \"collector\": expected host:port or "
                         "scheme://host:port",
                         ValueError);
    CHECK_THROWS_WITH_AS(
        parse_otlp_endpoint("collector:99999"),
        "cannot parse OTLP endpoint \"collector:99999\": port 99999 is not in 1-65535", ValueError);
  }

  TEST_CASE("a namespace Kubernetes would reject is an error") {
    CHECK_THROWS_WITH_AS(
        read_chart(test::merged_values(""), test::embedded_profile(), "Prod"),
        "the namespace \"Prod\" (-n, --namespace) cannot name a Kubernetes namespace: it may "
        "hold only lower-case letters, digits and '-'",
        netpol::Error);
  }

  TEST_CASE("did you mean") {
    CHECK(did_you_mean("quey", {"meta", "query"}) == "query");
    CHECK(did_you_mean("postgres", {"meta", "query"}) == "");
  }

  TEST_CASE("malformed values: one message with file, line, column, path and expectation") {
    SUBCASE("a string where a list belongs") {
      CHECK(error_of("query:\n  networkPolicy:\n    ingressFrom: ui\n") ==
            "values.yaml:3:18: query.networkPolicy.ingressFrom: expected a list, got a string "
            "(\"ui\")");
    }
    SUBCASE("port out of range") {
      CHECK(error_of("query:\n  networkPolicy:\n    ingressFrom:\n      - app: ui\n        ports: "
                     "[9510, 70000]\n") ==
            "values.yaml:5:23: query.networkPolicy.ingressFrom[0].ports[1]: port 70000 is not in "
            "1-65535");
    }
    SUBCASE("endPort below port") {
      CHECK(error_of("query:\n  networkPolicy:\n    ingressFrom:\n      - app: ui\n        "
                     "ports:\n          - {port: 90, endPort: 80}\n") ==
            "values.yaml:6:33: query.networkPolicy.ingressFrom[0].ports[0].endPort: endPort 80 is "
            "below port 90");
    }
    SUBCASE("invalid CIDRs") {
      CHECK(
          error_of("global:\n  networkPolicy:\n    externalEgress:\n      - cidr: 10.0.0.0/33\n") ==
          "values.yaml:4:15: global.networkPolicy.externalEgress[0].cidr: invalid CIDR "
          "\"10.0.0.0/33\": prefix length 33 is not in 0-32");
      CHECK(
          error_of("global:\n  networkPolicy:\n    externalEgress:\n      - cidr: 300.1.1.1/8\n") ==
          "values.yaml:4:15: global.networkPolicy.externalEgress[0].cidr: invalid CIDR "
          "\"300.1.1.1/8\": \"300.1.1.1\" is not an IP address");
    }
    SUBCASE("except outside its cidr") {
      CHECK(error_of("global:\n  networkPolicy:\n    externalEgress:\n      - cidr: 10.1.0.0/16\n  "
                     "      except: [10.2.0.0/24]\n") ==
            "values.yaml:5:18: global.networkPolicy.externalEgress[0].except[0]: except "
            "10.2.0.0/24 is not inside cidr 10.1.0.0/16");
    }
    SUBCASE("unknown protocol") {
      CHECK(error_of("ui:\n  networkPolicy:\n    egressTo:\n      - app: query\n        ports:\n   "
                     "       - {port: 9510, protocol: HTTP}\n") ==
            "values.yaml:6:36: ui.networkPolicy.egressTo[0].ports[0].protocol: unknown protocol "
            "\"HTTP\" (expected TCP, UDP or SCTP)");
    }
    SUBCASE("not a boolean") {
      CHECK(error_of("ui:\n  networkPolicy:\n    allowExternal: \"yes\"\n") ==
            "values.yaml:3:20: ui.networkPolicy.allowExternal: expected a boolean (true or "
            "false), got a string (\"yes\")");
    }
    SUBCASE("a peer without app") {
      CHECK(error_of("ui:\n  networkPolicy:\n    egressTo:\n      - ports: [1]\n") ==
            "values.yaml:4:9: ui.networkPolicy.egressTo[0]: expected an app (the peer service's "
            "name)");
    }
    SUBCASE("raw rules: a peer with ipBlock and a selector") {
      CHECK(error_of("global:\n  networkPolicy:\n    additionalIngress:\n      - from:\n          "
                     "- ipBlock: {cidr: 10.0.0.0/8}\n            podSelector: {}\n") ==
            "values.yaml:5:22: global.networkPolicy.additionalIngress[0].from[0].ipBlock: ipBlock "
            "cannot be combined with podSelector or namespaceSelector in one peer");
    }
    SUBCASE("raw rules: unknown selector operator") {
      CHECK(error_of("global:\n  networkPolicy:\n    additionalEgress:\n      - to:\n          - "
                     "podSelector:\n              matchExpressions:\n                - {key: app, "
                     "operator: Is, values: [x]}\n") ==
            "values.yaml:7:40: global.networkPolicy.additionalEgress[0].to[0].podSelector."
            "matchExpressions[0].operator: unknown operator \"Is\" (expected In, NotIn, Exists or "
            "DoesNotExist)");
    }
    SUBCASE("an endpoint that cannot be parsed") {
      CHECK(
          error_of(
              "global:\n  observability:\n    otlpEnabled: true\n    otlpEndpoint: collector\n") ==
          "values.yaml:4:19: global.observability.otlpEndpoint: cannot parse OTLP endpoint "
          "\"collector\": expected host:port or scheme://host:port");
    }
    SUBCASE("a service name Kubernetes would reject, at its key") {
      CHECK(error_of("Bad_Name:\n  networkPolicy: {}\n") ==
            "values.yaml:2:3: Bad_Name: the service name \"Bad_Name\" cannot name a Kubernetes "
            "Service: it may hold only lower-case letters, digits and '-'");
      CHECK(error_of("9lives:\n  networkPolicy: {}\n") ==
            "values.yaml:2:3: 9lives: the service name \"9lives\" cannot name a Kubernetes "
            "Service: it must start with a lower-case letter");
    }
    SUBCASE("a peer app that cannot be a label value") {
      CHECK(error_of("ui:\n  networkPolicy:\n    egressTo:\n      - app: \"x<y>\"\n") ==
            "values.yaml:4:14: ui.networkPolicy.egressTo[0].app: \"x<y>\" is not a Kubernetes "
            "label value: it may hold only letters, digits, '-', '_' and '.'");
    }
    SUBCASE("selector keys and values as the API server checks them") {
      std::string rule =
          "global:\n  networkPolicy:\n    additionalIngress:\n      - from:\n          - "
          "podSelector:\n";
      CHECK(error_of(rule + "              matchLabels: {team: \"a b\"}\n") ==
            "values.yaml:6:35: global.networkPolicy.additionalIngress[0].from[0].podSelector."
            "matchLabels.team: \"a b\" is not a Kubernetes label value: it may hold only "
            "letters, digits, '-', '_' and '.'");
      CHECK(error_of(rule + "              matchLabels: {\"a/b/c\": x}\n") ==
            "values.yaml:6:38: global.networkPolicy.additionalIngress[0].from[0].podSelector."
            "matchLabels.a/b/c: \"a/b/c\" is not a Kubernetes label key: it may hold at most "
            "one '/'");
      CHECK(error_of(rule + "              matchExpressions:\n                - {key: \"env]\", "
                            "operator: Exists}\n") ==
            "values.yaml:7:25: global.networkPolicy.additionalIngress[0].from[0].podSelector."
            "matchExpressions[0].key: \"env]\" is not a Kubernetes label key: it may hold only "
            "letters, digits, '-', '_' and '.'");
      CHECK(error_of(rule +
                     "              matchExpressions:\n                - {key: env, operator: "
                     "In, values: [ok, \"c)d\"]}\n") ==
            "values.yaml:7:57: global.networkPolicy.additionalIngress[0].from[0].podSelector."
            "matchExpressions[0].values[1]: \"c)d\" is not a Kubernetes label value: it may "
            "hold only letters, digits, '-', '_' and '.'");
    }
    SUBCASE("an externalEgress name is one line") {
      CHECK(error_of("global:\n  networkPolicy:\n    externalEgress:\n      - {cidr: "
                     "10.0.0.0/8, name: \"a\\n::error::x\"}\n") ==
            "values.yaml:4:34: global.networkPolicy.externalEgress[0].name: expected a one-line "
            "name, got a string (\"a\\n::error::x\")");
    }
    SUBCASE("an OTLP host holds only host characters") {
      CHECK(error_of("global:\n  observability:\n    otlpEnabled: true\n    otlpEndpoint: "
                     "\"<x>:4317\"\n") ==
            "values.yaml:4:19: global.observability.otlpEndpoint: cannot parse OTLP endpoint "
            "\"<x>:4317\": the host may hold only letters, digits, '-', '_', '.' and ':' (IPv6)");
    }
    SUBCASE("an error from --set names the argument") {
      CHECK(input_error([] { chart_of("", {"meta.service.port=0"}); }) ==
            "<--set 1>:1:19: meta.service.port: port 0 is not in 1-65535");
    }
  }
}
