// Reading rendered manifests (graph/read/read_manifests) with Kubernetes semantics, writing them
// (exporters/manifests), and the proof that both paths agree on every sample.

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "exporters/manifests.hpp"
#include "graph/analysis/findings.hpp"
#include "graph/read/read_manifests.hpp"
#include "support.hpp"
#include "text.hpp"
#include "values/yaml_reader.hpp"

using namespace netpol;
using namespace netpol::graph;

namespace {

// A Deployment named `name` whose pods carry `labels` ("k: v" lines) and container `ports`
// (YAML flow list).
std::string deployment(const std::string& name, const std::string& labels,
                       const std::string& ports = "[]", const std::string& ns = "") {
  std::string indented;
  std::istringstream in(labels);
  for (std::string line; std::getline(in, line);) indented += "        " + line + "\n";
  return "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " + name + "\n" +
         (ns.empty() ? "" : "  namespace: " + ns + "\n") +
         "spec:\n  template:\n    metadata:\n      labels:\n" + indented +
         "    spec:\n      containers:\n        - name: c\n          ports: " + ports + "\n";
}

const std::string kAB = deployment("a", "app: a", "[{containerPort: 80, name: http}]") +
                        deployment("b", "app: b", "[{containerPort: 9000}]");

std::string policy(const std::string& body) {
  return "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\n"
         "spec:\n" +
         body;
}

}  // namespace

TEST_SUITE("manifests: reading with Kubernetes semantics") {
  TEST_CASE("a pod selected by no policy is unrestricted in both directions") {
    Analysis a = test::analyze_manifests(kAB);
    CHECK(test::edge_ports(a, "a", "b") == "all ports");
    CHECK(test::edge_ports(a, "b", "a") == "all ports");
    CHECK(test::edge_ports(a, "any-source", "a") == "all ports");
    CHECK(test::edge_ports(a, "a", "ext:*") == "all ports");
  }

  TEST_CASE("a workload named like a node of the graph's own is named namespace/name") {
    // dns, any-source and ns-pods are valid workload names and ids of the graph's own nodes:
    // a workload keeping its bare name would share DNS's (any source's) node and access.
    const std::string yaml =
        deployment("dns", "app: dns", "[{containerPort: 5353, protocol: UDP}]") +
        deployment("any-source", "app: any-source") + deployment("ns-pods", "app: ns-pods") +
        deployment("web", "app: web") +
        policy(
            "  podSelector: {matchLabels: {app: web}}\n  policyTypes: [Egress]\n"
            "  egress:\n    - to: [{podSelector: {matchLabels: {app: dns}}}]\n"
            "      ports: [{port: 5353, protocol: UDP}]\n"
            "    - ports: [{port: 53, protocol: UDP}]\n") +
        "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: q\n"
        "spec:\n  podSelector: {matchLabels: {app: dns}}\n  policyTypes: [Ingress]\n"
        "  ingress:\n    - from: [{podSelector: {matchLabels: {app: web}}}]\n";
    Analysis a = test::analyze_manifests(yaml);
    for (const char* name : {"dns", "any-source", "ns-pods"}) {
      CAPTURE(name);
      CHECK(a.chart.service(name) == nullptr);
      REQUIRE(a.chart.service(std::string("default/") + name) != nullptr);
    }
    REQUIRE(a.graph.find("dns"));
    CHECK(a.graph.node(*a.graph.find("dns")).kind == NodeKind::Dns);
    CHECK(a.graph.node(*a.graph.find("any-source")).kind == NodeKind::AnySource);
    CHECK(a.graph.node(*a.graph.find("default/dns")).kind == NodeKind::Service);
    // web's DNS rule (53 anywhere) and its rule to the dns workload, each on its own node.
    CHECK(test::edge_ports(a, "web", "dns") == "UDP 53");
    CHECK(test::edge_ports(a, "web", "default/dns") == "UDP 53, 5353");
    // The dns workload admits web alone; the any-source workload, selected by no policy,
    // admits any source.
    CHECK(test::edge_ports(a, "any-source", "default/dns") == "(no edge)");
    CHECK(test::edge_ports(a, "any-source", "default/any-source") == "all ports");
    CHECK(test::edge_ports(a, "default/any-source", "web") == "all ports");
  }

  TEST_CASE("policyTypes absent: Ingress always, Egress only when egress rules exist") {
    SUBCASE("ingress rules only: egress stays open") {
      Analysis a = test::analyze_manifests(
          kAB + policy("  podSelector: {matchLabels: {app: a}}\n  ingress:\n"
                       "    - from: [{podSelector: {matchLabels: {app: b}}}]\n"));
      CHECK(test::edge_ports(a, "b", "a") == "all ports");
      CHECK(test::edge_ports(a, "any-source", "a") == "(no edge)");
      CHECK(test::edge_ports(a, "a", "ext:*") == "all ports");
    }
    SUBCASE("egress rules make it an egress policy too") {
      Analysis a = test::analyze_manifests(
          kAB + policy("  podSelector: {matchLabels: {app: a}}\n  egress:\n"
                       "    - to: [{podSelector: {matchLabels: {app: b}}}]\n"
                       "      ports: [{port: 9000}]\n"));
      CHECK(test::edge_ports(a, "a", "b") == "TCP 9000");
      CHECK(test::edge_ports(a, "a", "ext:*") == "(no edge)");
      CHECK(test::edge_ports(a, "any-source", "a") == "(no edge)");  // and ingress is denied
    }
    SUBCASE("policyTypes [Egress] leaves ingress open") {
      Analysis a = test::analyze_manifests(
          kAB + policy("  podSelector: {matchLabels: {app: a}}\n  policyTypes: [Egress]\n"));
      CHECK(test::edge_ports(a, "any-source", "a") == "all ports");
      CHECK(test::edge_ports(a, "a", "b") == "(no edge)");
    }
  }

  TEST_CASE("several policies selecting one pod add up") {
    Analysis a = test::analyze_manifests(
        kAB + deployment("c", "app: c") +
        policy("  podSelector: {matchLabels: {app: b}}\n  ingress:\n"
               "    - from: [{podSelector: {matchLabels: {app: a}}}]\n"
               "      ports: [{port: 9000}]\n") +
        "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: q}\n"
        "spec:\n  podSelector: {}\n  ingress:\n"
        "    - from: [{podSelector: {matchLabels: {app: c}}}]\n      ports: [{port: 7}]\n"
        "    - from: [{podSelector: {matchLabels: {app: a}}}]\n      ports: [{port: 8}]\n");
    CHECK(test::edge_ports(a, "a", "b") == "TCP 8, 9000");
    CHECK(test::edge_ports(a, "c", "b") == "TCP 7");
    CHECK(test::edge_ports(a, "c", "a") ==
          "TCP 7");  // the podSelector: {} policy selects a as well
  }

  TEST_CASE("an empty from/to means every peer, an empty rule list denies") {
    Analysis open = test::analyze_manifests(
        kAB + policy("  podSelector: {matchLabels: {app: a}}\n  policyTypes: [Ingress, Egress]\n"
                     "  ingress: [{from: [], ports: [{port: 80}]}]\n  egress: [{}]\n"));
    CHECK(test::edge_ports(open, "any-source", "a") == "TCP 80");
    CHECK(test::edge_ports(open, "b", "a") == "TCP 80");
    CHECK(test::edge_ports(open, "a", "ext:*") == "all ports");
    Analysis closed = test::analyze_manifests(
        kAB + policy("  podSelector: {matchLabels: {app: a}}\n  policyTypes: [Ingress, Egress]\n"
                     "  ingress: []\n  egress: []\n"));
    CHECK(test::edge_ports(closed, "b", "a") == "(no edge)");
    CHECK(test::edge_ports(closed, "a", "b") == "(no edge)");
    CHECK(test::edge_ports(closed, "b", "ext:*") == "all ports");
  }

  TEST_CASE("AND within one peer, OR across peers") {
    std::string pods = deployment("a", "app: a") + deployment("b", "app: b\nrole: x") +
                       deployment("c", "app: c\nrole: x", "[]", "other") +
                       "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: other\n"
                       "  labels: {team: t}\n";
    SUBCASE("one peer: namespace AND pod labels") {
      Analysis a = test::analyze_manifests(
          pods + policy("  podSelector: {matchLabels: {app: a}}\n  ingress:\n"
                        "    - from:\n        - namespaceSelector: {matchLabels: {team: t}}\n"
                        "          podSelector: {matchLabels: {role: x}}\n"));
      CHECK(test::edge_ports(a, "other/c", "a") == "all ports");
      CHECK(test::edge_ports(a, "b", "a") == "(no edge)");  // role x, but not in a team-t namespace
    }
    SUBCASE("two peers: either") {
      Analysis a = test::analyze_manifests(
          pods + policy("  podSelector: {matchLabels: {app: a}}\n  ingress:\n"
                        "    - from:\n        - namespaceSelector: {matchLabels: {team: t}}\n"
                        "        - podSelector: {matchLabels: {role: x}}\n"));
      CHECK(test::edge_ports(a, "other/c", "a") == "all ports");
      CHECK(test::edge_ports(a, "b", "a") == "all ports");
    }
    SUBCASE("a podSelector alone means the policy's own namespace") {
      Analysis a = test::analyze_manifests(
          pods + policy("  podSelector: {matchLabels: {app: a}}\n  ingress:\n"
                        "    - from: [{podSelector: {matchLabels: {role: x}}}]\n"));
      CHECK(test::edge_ports(a, "b", "a") == "all ports");
      CHECK(test::edge_ports(a, "other/c", "a") == "(no edge)");
    }
  }

  TEST_CASE("matchExpressions In, NotIn, Exists, DoesNotExist") {
    std::string pods = deployment("a", "app: a") + deployment("b", "app: b\ntier: web") +
                       deployment("c", "app: c\ntier: db") + deployment("d", "app: d");
    auto admitted = [&](const std::string& expr) {
      Analysis a = test::analyze_manifests(
          pods + policy("  podSelector: {matchLabels: {app: a}}\n  ingress:\n"
                        "    - from: [{podSelector: {matchExpressions: [" +
                        expr + "]}}]\n"));
      std::string out;
      for (const char* s : {"b", "c", "d"})
        if (test::edge_ports(a, s, "a") != "(no edge)") out += s;
      return out;
    };
    CHECK(admitted("{key: tier, operator: In, values: [web]}") == "b");
    CHECK(admitted("{key: tier, operator: NotIn, values: [web]}") == "cd");  // absent key too
    CHECK(admitted("{key: tier, operator: Exists}") == "bc");
    CHECK(admitted("{key: tier, operator: DoesNotExist}") == "d");
  }

  TEST_CASE("ipBlock with except reaches addresses outside, never pods") {
    Analysis a = test::analyze_manifests(
        kAB + policy("  podSelector: {matchLabels: {app: a}}\n  policyTypes: [Egress]\n  egress:\n"
                     "    - to: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}]\n"
                     "      ports: [{port: 8443}]\n"));
    CHECK(test::edge_ports(a, "a", "b") == "(no edge)");
    auto v = a.graph.find("ext:10.0.0.0/8 except 10.1.0.0/16");
    REQUIRE(v);
    REQUIRE(a.graph.node(*v).entries.size() == 1);
    CHECK(a.graph.node(*v).entries[0].block.str() == "10.0.0.0/8 except 10.1.0.0/16");
    CHECK(test::edge_ports(a, "a", "ext:10.0.0.0/8 except 10.1.0.0/16") == "TCP 8443");
  }

  TEST_CASE("endPort ranges, SCTP and whole protocols") {
    Analysis a = test::analyze_manifests(
        kAB + policy("  podSelector: {matchLabels: {app: a}}\n  ingress:\n    - ports:\n"
                     "        - {port: 8000, endPort: 8100}\n"
                     "        - {protocol: SCTP, port: 9}\n        - {protocol: UDP}\n"));
    CHECK(test::edge_ports(a, "b", "a") == "TCP 8000-8100; UDP all; SCTP 9");
    SUBCASE("1-65535 on every protocol is everything") {
      Analysis all = test::analyze_manifests(
          kAB + policy("  podSelector: {}\n  ingress:\n    - ports:\n"
                       "        - {port: 1, endPort: 65535, protocol: UDP}\n"
                       "        - {port: 1, endPort: 65535, protocol: TCP}\n"
                       "        - {port: 1, endPort: 65535, protocol: SCTP}\n"));
      CHECK(test::edge_ports(all, "any-source", "a") == "all ports");
    }
  }

  TEST_CASE("named ports resolve per destination pod and protocol") {
    std::string pods =
        deployment("a", "app: a", "[{containerPort: 80, name: http}]") +
        deployment("b", "app: b", "[{containerPort: 8080, name: http}]") +
        deployment("c", "app: c", "[{containerPort: 53, name: http, protocol: UDP}]") +
        deployment("src", "app: src");
    Analysis a = test::analyze_manifests(
        pods + policy("  podSelector: {matchLabels: {app: src}}\n  policyTypes: [Egress]\n"
                      "  egress: [{ports: [{port: http}]}]\n"));
    CHECK(test::edge_ports(a, "src", "a") == "TCP 80");
    CHECK(test::edge_ports(a, "src", "b") == "TCP 8080");
    CHECK(test::edge_ports(a, "src", "c") ==
          "(no edge)");  // c's "http" is UDP, the rule asks for TCP
  }

  TEST_CASE("Namespaces give labels, the name label is always there") {
    std::string pods = deployment("a", "app: a") + deployment("x", "app: x", "[]", "ops") +
                       deployment("y", "app: y", "[]", "dev") +
                       "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: ops, labels: "
                       "{tier: infra}}\n";
    Analysis a = test::analyze_manifests(
        pods + policy("  podSelector: {matchLabels: {app: a}}\n  ingress:\n"
                      "    - from: [{namespaceSelector: {matchLabels: {tier: infra}}}]\n"
                      "    - from: [{namespaceSelector: {matchLabels: "
                      "{kubernetes.io/metadata.name: dev}}}]\n"));
    CHECK(test::edge_ports(a, "ops/x", "a") == "all ports");
    CHECK(test::edge_ports(a, "dev/y", "a") == "all ports");
  }

  TEST_CASE("pods from every workload kind, other kinds are ignored") {
    std::string text = R"(apiVersion: apps/v1
kind: StatefulSet
metadata: {name: s}
spec: {template: {metadata: {labels: {app: s}}, spec: {containers: [{name: c}]}}}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: cj}
spec: {jobTemplate: {spec: {template: {metadata: {labels: {app: cj}}, spec: {containers: []}}}}}
---
apiVersion: v1
kind: Pod
metadata: {name: p, labels: {app: p}}
spec: {containers: [{name: c, ports: [{containerPort: 1}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: svc}
spec: {selector: {app: s}}
---
apiVersion: v1
kind: List
items:
  - apiVersion: apps/v1
    kind: DaemonSet
    metadata: {name: ds}
    spec: {template: {metadata: {labels: {app: ds}}, spec: {containers: []}}}
)";
    Analysis a = test::analyze_manifests(text);
    std::vector<std::string> names;
    for (const auto& s : a.chart.services) names.push_back(s.name + ":" + s.kind);
    CHECK(names ==
          std::vector<std::string>{"s:StatefulSet", "cj:CronJob", "p:Pod", "ds:DaemonSet"});
  }

  TEST_CASE("typed lists: each item's kind is the list's when the item leaves it out") {
    std::string text = R"(apiVersion: v1
kind: PodList
items:
  - metadata: {name: a, labels: {app: a}}
    spec: {containers: [{name: c, ports: [{containerPort: 80}]}]}
  - kind: Pod
    metadata: {name: b, labels: {app: b}}
    spec: {containers: [{name: c}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicyList
items:
  - metadata: {name: only-b}
    spec:
      podSelector: {matchLabels: {app: a}}
      ingress: [{from: [{podSelector: {matchLabels: {app: b}}}]}]
---
apiVersion: v1
kind: List
items:
  - apiVersion: apps/v1
    kind: DeploymentList
    items:
      - metadata: {name: d}
        spec: {template: {metadata: {labels: {app: d}}, spec: {containers: []}}}
)";
    Analysis a = test::analyze_manifests(text);
    std::vector<std::string> names;
    for (const auto& s : a.chart.services) names.push_back(s.name + ":" + s.kind);
    CHECK(names == std::vector<std::string>{"a:Pod", "b:Pod", "d:Deployment"});
    // The NetworkPolicyList's item is a NetworkPolicy: a admits b only.
    CHECK(test::edge_ports(a, "b", "a") == "all ports");
    CHECK(test::edge_ports(a, "d", "a") == "(no edge)");
    // Provenance names the item through its list.
    bool via_list = false;
    for (const auto& p : a.graph.edge({*a.graph.find("b"), *a.graph.find("a")}).ingress)
      via_list = via_list || p.path.rfind("items[0](NetworkPolicy/default/only-b)", 0) == 0;
    CHECK(via_list);
  }

  TEST_CASE(
      "a null or absent podSelector selects every pod of the namespace, as the API reads it") {
    for (const char* selector : {"  podSelector: null\n", ""}) {
      CAPTURE(selector);
      std::string text = deployment("a", "app: a") + "---\n" + deployment("b", "app: b") +
                         "---\nkind: NetworkPolicy\nmetadata: {name: deny-in}\nspec:\n" + selector +
                         "  policyTypes: [Ingress]\n";
      Analysis a = test::analyze_manifests(text);
      CHECK(test::edge_ports(a, "a", "b") == "(no edge)");
      CHECK(test::edge_ports(a, "b", "a") == "(no edge)");
      CHECK(test::edge_ports(a, "a", "ext:*") == "all ports");  // egress stays open
    }
  }

  TEST_CASE("objects of kinds not modelled are counted by kind in one note") {
    std::string text = deployment("a", "app: a") +
                       "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c1}\n"
                       "---\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\n"
                       "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c2}\n";
    Analysis a = test::analyze_manifests(text);
    REQUIRE(a.chart.warnings.size() == 1);
    const Warning& w = a.chart.warnings[0];
    CHECK(w.code == "unmodelled-kind");
    CHECK(w.message ==
          "read and ignored 3 objects of kinds netpol-graph does not model: ConfigMap (2), "
          "Secret (1)");
    CHECK(severity_of(w.code) == Severity::Info);
    CHECK(test::analyze_manifests(deployment("a", "app: a")).chart.warnings.empty());
  }

  TEST_CASE("the same object twice: the last one is read, the first is a warning") {
    // Two policies named p: the first admits a, the second (the one kubectl would leave)
    // admits nothing. A Deployment given twice is one workload, as its last.
    std::string first = policy(
        "  podSelector: {matchLabels: {app: b}}\n  ingress:\n"
        "    - from: [{podSelector: {matchLabels: {app: a}}}]\n");
    std::string last = policy("  podSelector: {matchLabels: {app: b}}\n  ingress: []\n");
    Analysis a = test::analyze_manifests(kAB + first + last + deployment("a", "app: a"));
    CHECK(test::edge_ports(a, "a", "b") == "(no edge)");
    CHECK(a.chart.services.size() == 2);
    std::vector<std::string> messages;
    for (const Warning& w : a.chart.warnings) {
      CHECK(w.code == "duplicate-object");
      messages.push_back(w.str());
    }
    CHECK(messages == std::vector<std::string>{
                          "m.yaml:2:1: Deployment/default/a: the same object is given again at "
                          "m.yaml:47:1; the last one is read, as kubectl apply of the stream "
                          "would leave it",
                          "m.yaml:30:1: NetworkPolicy/default/p: the same object is given again "
                          "at m.yaml:39:1; the last one is read, as kubectl apply of the stream "
                          "would leave it"});
    CHECK(severity_of("duplicate-object") == Severity::Warning);
    // Read the other way round, the policy that admits a is the one read.
    CHECK(test::edge_ports(test::analyze_manifests(kAB + last + first), "a", "b") == "all ports");
  }

  TEST_CASE("objects the API would refuse are read as netpol-analyzer reads them, with a warning") {
    // A policy name with underscores (from the peer's suite) and a container port spelled
    // containerport: read, the name as it is and the port left out.
    std::string text = deployment("a", "app: a", "[{containerport: 80}, {containerPort: 81}]") +
                       "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
                       "metadata: {name: use_common_labels_same_values}\n"
                       "spec: {podSelector: {}, ingress: []}\n";
    Analysis a = test::analyze_manifests(text);
    REQUIRE(a.chart.services.size() == 1);
    REQUIRE(a.chart.services[0].ports.size() == 1);
    CHECK(a.chart.services[0].ports[0].port == 81);
    // The policy was read: it isolates a, whose ingress nothing admits.
    CHECK(a.graph.sources_of(*a.graph.find("a")).empty());
    std::vector<std::string> refused;
    for (const Warning& w : a.chart.warnings)
      if (w.code == "api-would-refuse") refused.push_back(w.str());
    REQUIRE(refused.size() == 2);
    CHECK(refused[0].find("containers[0].ports[0]: a container port without containerPort") !=
          std::string::npos);
    CHECK(refused[1].find("NetworkPolicy/default/use_common_labels_same_values.metadata.name: "
                          "\"use_common_labels_same_values\" cannot name a Kubernetes "
                          "NetworkPolicy") != std::string::npos);
    // A Namespace's name is a label value: still refused.
    CHECK(test::input_error([] {
            test::analyze_manifests("apiVersion: v1\nkind: Namespace\nmetadata: {name: a_b}\n");
          }).find("cannot name a Kubernetes Namespace") != std::string::npos);
  }

  TEST_CASE("a port written as a YAML 1.1 boolean is refused, as the API refuses it") {
    for (const char* port : {"true", "yes", "on"}) {
      INFO(port);
      std::string text = kAB + policy(std::string("  podSelector: {}\n  ingress:\n"
                                                  "    - ports: [{port: ") +
                                      port + "}]\n");
      CHECK(test::input_error([&] { test::analyze_manifests(text); })
                .find(std::string(port) + " is the boolean true to Helm's and kubectl's YAML "
                                          "parsers (YAML 1.1), which the API refuses as a port") !=
            std::string::npos);
    }
    // Quoted, it is the name "yes".
    CHECK(test::edge_ports(test::analyze_manifests(kAB + policy("  podSelector: {}\n  ingress:\n"
                                                                "    - ports: [{port: \"on\"}]\n")),
                           "a", "b") == "(no edge)");
  }

  TEST_CASE("errors in lists say so in Kubernetes terms") {
    auto error = [](const std::string& yaml) {
      return test::input_error([&] { test::analyze_manifests(yaml); });
    };
    CHECK(error("apiVersion: v1\nkind: PodList\nitems:\n  - metadata: {labels: {a: b}}\n") ==
          "m.yaml:4:15: items[0].metadata: a PodList item has no metadata.name (every "
          "Kubernetes object is named there)");
    CHECK(error("apiVersion: v1\nkind: List\nitems:\n  - metadata: {name: x}\n") ==
          "m.yaml:4:5: items[0]: a List item has no kind (expected one, as apiVersion: v1, "
          "kind: Pod)");
    CHECK(error("apiVersion: v1\nkind: PodList\nitems: {a: 1}\n") ==
          "m.yaml:3:8: items: expected the PodList's items as a list, got a map");
  }

  TEST_CASE("errors name the object, the place and what was expected") {
    auto error = [](const std::string& yaml) {
      return test::input_error([&] { test::analyze_manifests(yaml); });
    };
    CHECK(error("kind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  podSelector: {}\n"
                "  ingress: [{ports: [{port: 80, endPort: 70}]}]\n") ==
          "m.yaml:5:42: NetworkPolicy/default/p.spec.ingress[0].ports[0].endPort: endPort 70 is "
          "below port 80");
    CHECK(error("apiVersion: v1\nmetadata: {name: x}\n") ==
          "m.yaml:1:1: a Kubernetes object has no kind (expected one, as apiVersion: v1, kind: "
          "Pod)");
    CHECK(error("kind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  podSelector: {}\n"
                "  policyTypes: [ingress]\n") ==
          "m.yaml:5:17: NetworkPolicy/default/p.spec.policyTypes[0]: unknown policy type "
          "\"ingress\" (expected Ingress or Egress)");
    CHECK(error("- a\n- b\n") ==
          "m.yaml:1:1: expected a Kubernetes object (a map with apiVersion and kind), got a list");
  }

  // Service and Ingress: the ingress controller, admitted only where any in-cluster pod is.
  const std::string kServiceA =
      "---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\n"
      "spec: {selector: {app: a}, ports: [{name: front, port: 443, targetPort: http}]}\n";
  std::string ingress_to(const std::string& service, const std::string& port) {
    return "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: in}\n"
           "spec:\n  defaultBackend: {service: {name: " +
           service + ", port: " + port + "}}\n";
  }

  TEST_CASE("an Ingress makes the controller reach its backend's pods on the target port") {
    Analysis a = test::analyze_manifests(kAB + kServiceA + ingress_to("web", "{number: 443}"));
    // targetPort http is a's container port 80: the named target port resolved.
    CHECK(test::edge_ports(a, "ingress-controller", "a") == "TCP 80");
    CHECK(test::edge_ports(a, "ingress-controller", "b") == "(no edge)");
    CHECK(test::edge_ports(a, "any-source", "ingress-controller") == "TCP 80, 443");
    CHECK(test::edge_ports(a, "b", "ingress-controller") == "(no edge)");  // outside clients only
    for (const MapRow& row : a.effective().rows)
      if (row.service == "a") CHECK(row.external_ingress);
    SUBCASE("by the Service port's name, the same") {
      Analysis b = test::analyze_manifests(kAB + kServiceA + ingress_to("web", "{name: front}"));
      CHECK(test::edge_ports(b, "ingress-controller", "a") == "TCP 80");
    }
  }

  TEST_CASE("a policy admits the controller only where it admits any in-cluster pod") {
    std::string only_b = policy(
        "  podSelector: {matchLabels: {app: a}}\n  ingress:\n"
        "    - from: [{podSelector: {matchLabels: {app: b}}}]\n");
    Analysis a =
        test::analyze_manifests(kAB + kServiceA + ingress_to("web", "{number: 443}") + only_b);
    CHECK(test::edge_ports(a, "ingress-controller", "a") == "(no edge)");
    std::vector<Finding> found = find_issues(a);
    auto it = std::find_if(found.begin(), found.end(),
                           [](const Finding& f) { return f.code == "ingress-blocked"; });
    REQUIRE(it != found.end());
    CHECK(it->message ==
          "Ingress/default/in routes to Service default/web (a, TCP http), but a's ingress "
          "policies admit no arbitrary in-cluster pod on TCP 80: the ingress controller cannot "
          "reach it (unless a policy names its pods)");
    std::string any_ns = policy(
        "  podSelector: {matchLabels: {app: a}}\n  ingress:\n"
        "    - from: [{namespaceSelector: {}}]\n");
    Analysis b =
        test::analyze_manifests(kAB + kServiceA + ingress_to("web", "{number: 443}") + any_ns);
    CHECK(test::edge_ports(b, "ingress-controller", "a") == "TCP 80");
    for (const Finding& f : find_issues(b)) CHECK(f.code != "ingress-blocked");
  }

  TEST_CASE("a real namespace named ingress-controller does not hold the controller") {
    // Its policy admits the pods of its own namespace; the controller's namespace is unknown,
    // whatever the real namespaces are called.
    std::string ns =
        "---\napiVersion: apps/v1\nkind: Deployment\n"
        "metadata: {name: x, namespace: ingress-controller}\n"
        "spec: {selector: {matchLabels: {app: x}}, template: {metadata: {labels: {app: x}}, "
        "spec: {containers: [{name: c, ports: [{containerPort: 80}]}]}}}\n"
        "---\napiVersion: v1\nkind: Service\nmetadata: {name: xs, namespace: ingress-controller}\n"
        "spec: {selector: {app: x}, ports: [{port: 80, targetPort: 80}]}\n"
        "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
        "metadata: {name: own, namespace: ingress-controller}\n"
        "spec: {podSelector: {}, ingress: [{from: [{podSelector: {}}]}]}\n"
        "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\n"
        "metadata: {name: in, namespace: ingress-controller}\n"
        "spec: {defaultBackend: {service: {name: xs, port: {number: 80}}}}\n";
    Analysis a = test::analyze_manifests(kAB + ns);
    REQUIRE(a.graph.find("ingress-controller"));
    std::string x = a.graph.find("ingress-controller/x") ? "ingress-controller/x" : "x";
    REQUIRE(a.graph.find(x));
    CHECK(test::edge_ports(a, "ingress-controller", x) == "(no edge)");
  }

  TEST_CASE("an Ingress to a Service or port that is not there is a warning") {
    auto warning = [&](const std::string& yaml) {
      Analysis a = test::analyze_manifests(yaml);
      for (const Warning& w : a.chart.warnings)
        if (w.code == "ingress-no-backend") return w.message;
      return std::string();
    };
    CHECK(warning(kAB + ingress_to("nope", "{number: 80}")) ==
          "Ingress/default/in names Service default/nope, which is not among the manifests: "
          "nothing is reached through it");
    CHECK(warning(kAB + kServiceA + ingress_to("web", "{number: 80}")) ==
          "Ingress/default/in names port 80 of Service default/web, which has no such port: "
          "nothing is reached through it");
    CHECK(test::analyze_manifests(kAB + ingress_to("nope", "{number: 80}"))
              .graph.find("ingress-controller") == std::nullopt);
  }

  // OpenShift Routes: the same controller, reaching a Service's pods by targetPort.
  std::string route_to(const std::string& spec) {
    return "---\napiVersion: route.openshift.io/v1\nkind: Route\nmetadata: {name: r}\n"
           "spec: " +
           spec + "\n";
  }
  const std::string kServiceTwoPorts =
      "---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\n"
      "spec: {selector: {app: a}, ports: [{name: front, port: 443, targetPort: http}, "
      "{name: admin, port: 8443, targetPort: 9443}]}\n";

  TEST_CASE("a Route makes the controller reach its Service's pods on the target port") {
    std::string a9443 = deployment("a", "app: a",
                                   "[{containerPort: 80, name: http}, "
                                   "{containerPort: 9443}]") +
                        deployment("b", "app: b", "[{containerPort: 9000}]");
    // By the Service port's name, by its target's number, by its target's name, and none:
    // every port of the Service.
    CHECK(test::edge_ports(
              test::analyze_manifests(
                  a9443 + kServiceTwoPorts +
                  route_to("{to: {kind: Service, name: web}, port: {targetPort: front}}")),
              "ingress-controller", "a") == "TCP 80");
    CHECK(test::edge_ports(
              test::analyze_manifests(a9443 + kServiceTwoPorts +
                                      route_to("{to: {name: web}, port: {targetPort: 9443}}")),
              "ingress-controller", "a") == "TCP 9443");
    CHECK(test::edge_ports(
              test::analyze_manifests(a9443 + kServiceTwoPorts +
                                      route_to("{to: {name: web}, port: {targetPort: http}}")),
              "ingress-controller", "a") == "TCP 80");
    Analysis all =
        test::analyze_manifests(a9443 + kServiceTwoPorts + route_to("{to: {name: web}}"));
    CHECK(test::edge_ports(all, "ingress-controller", "a") == "TCP 80, 9443");
    CHECK(test::edge_ports(all, "ingress-controller", "b") == "(no edge)");
    CHECK(test::edge_ports(all, "any-source", "ingress-controller") == "TCP 80, 443");
    REQUIRE(all.chart.ingress_routes.size() == 1);
    CHECK(all.chart.ingress_routes[0].ingress == "Route/default/r");
  }

  TEST_CASE("a Route's alternate backends are routes too, other kinds a warning") {
    std::string svc_b =
        "---\napiVersion: v1\nkind: Service\nmetadata: {name: api}\n"
        "spec: {selector: {app: b}, ports: [{port: 9000}]}\n";
    Analysis a = test::analyze_manifests(
        kAB + kServiceA + svc_b +
        route_to("{to: {kind: Service, name: web}, alternateBackends: [{kind: Service, name: api, "
                 "weight: 10}, {kind: Deployment, name: x}]}"));
    CHECK(test::edge_ports(a, "ingress-controller", "a") == "TCP 80");
    CHECK(test::edge_ports(a, "ingress-controller", "b") == "TCP 9000");
    std::vector<std::string> messages;
    for (const Warning& w : a.chart.warnings)
      if (w.code == "ingress-no-backend") messages.push_back(w.message);
    CHECK(messages == std::vector<std::string>{
                          "Route/default/r routes to a Deployment, not a Service (the only kind a "
                          "Route may name): left out"});
    // Only route.openshift.io's Route is one.
    Analysis other =
        test::analyze_manifests(kAB + kServiceA +
                                "---\napiVersion: example.com/v1\nkind: Route\nmetadata: "
                                "{name: r}\nspec: {to: {name: web}}\n");
    CHECK(other.graph.find("ingress-controller") == std::nullopt);
  }
}

namespace {

// A Pod of a dump: `owner` is its controller ("ReplicaSet web-5d9c7"), `labels` a flow map.
std::string pod(const std::string& name, const std::string& labels, const std::string& owner,
                const std::string& ports = "[{containerPort: 8080}]") {
  std::string refs;
  if (!owner.empty()) {
    auto space = owner.find(' ');
    refs = ", ownerReferences: [{apiVersion: apps/v1, kind: " + owner.substr(0, space) +
           ", name: " + owner.substr(space + 1) + ", controller: true, uid: x}]";
  }
  return "---\napiVersion: v1\nkind: Pod\nmetadata: {name: " + name + ", labels: " + labels + refs +
         "}\nspec: {containers: [{name: c, ports: " + ports + "}]}\n";
}

std::vector<std::string> workloads(const Analysis& a) {
  std::vector<std::string> out;
  for (const Service& s : a.chart.services)
    out.push_back(s.name + "=" + s.kind + "/" + s.workload + ":" + std::to_string(s.pods));
  return out;
}

std::vector<std::string> warnings_of(const Analysis& a, const std::string& code) {
  std::vector<std::string> out;
  for (const Warning& w : a.chart.warnings)
    if (w.code == code) out.push_back(w.str());
  return out;
}

}  // namespace

TEST_SUITE("manifests: workloads by owner") {
  TEST_CASE("pods are grouped under their Deployment, through a ReplicaSet not given") {
    std::string dump;
    for (const char* p : {"web-5d9c7-aaaaa", "web-5d9c7-bbbbb", "web-5d9c7-ccccc"})
      dump += pod(p, "{app: web, pod-template-hash: 5d9c7}", "ReplicaSet web-5d9c7");
    dump += pod("db-0", "{app: db}", "StatefulSet db");
    dump += pod("db-1", "{app: db}", "StatefulSet db");
    dump += pod("agent-x7k2p", "{app: agent}", "DaemonSet agent");
    dump += pod("agent-q9z4m", "{app: agent}", "DaemonSet agent");
    dump += pod("lonely", "{app: lonely}", "");
    Analysis a = test::analyze_manifests(dump);
    CHECK(workloads(a) == std::vector<std::string>{"web=Deployment/web:3", "db=StatefulSet/db:2",
                                                   "agent=DaemonSet/agent:2",
                                                   "lonely=Pod/lonely:1"});
    // A ReplicaSet whose name does not end in the pods' hash is its own workload.
    Analysis b =
        test::analyze_manifests(pod("x-1", "{app: x, pod-template-hash: 77}", "ReplicaSet x"));
    CHECK(workloads(b) == std::vector<std::string>{"x=ReplicaSet/x:1"});
  }

  TEST_CASE("a dump with the Deployment, its ReplicaSet and its pods is one workload") {
    std::string rs =
        "---\napiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: web-abc, ownerReferences: "
        "[{kind: Deployment, name: web, controller: true}]}\n"
        "spec: {template: {metadata: {labels: {app: web, pod-template-hash: abc}}, "
        "spec: {containers: [{name: c}]}}}\n";
    std::string dump =
        deployment("web", "app: web", "[{containerPort: 8080}]") + rs +
        pod("web-abc-1", "{app: web, pod-template-hash: abc}", "ReplicaSet web-abc") +
        pod("web-abc-2", "{app: web, pod-template-hash: abc}", "ReplicaSet web-abc");
    CHECK(workloads(test::analyze_manifests(dump)) ==
          std::vector<std::string>{"web=Deployment/web:2"});
    // Without pods, the Deployment's own template stands for them.
    CHECK(workloads(test::analyze_manifests(deployment("web", "app: web") + rs)) ==
          std::vector<std::string>{"web=Deployment/web:0"});
    // A Job's pods under the CronJob that owns the Job.
    std::string job =
        "---\napiVersion: batch/v1\nkind: Job\nmetadata: {name: nightly-2900, ownerReferences: "
        "[{kind: CronJob, name: nightly, controller: true}]}\n"
        "spec: {template: {metadata: {labels: {app: nightly}}, spec: {containers: [{name: c}]}}}\n";
    CHECK(workloads(test::analyze_manifests(
              job + pod("nightly-2900-x", "{app: nightly}", "Job nightly-2900"))) ==
          std::vector<std::string>{"nightly=CronJob/nightly:1"});
  }

  TEST_CASE("pods a selector tells apart are kept apart, with a warning") {
    std::string two =
        pod("web-h-1", "{app: web, tier: a, pod-template-hash: h}", "ReplicaSet web-h") +
        pod("web-h-2", "{app: web, tier: b, pod-template-hash: h}", "ReplicaSet web-h");
    // No selector reads tier: alike (the first pod's labels stand for both).
    CHECK(workloads(test::analyze_manifests(two)) ==
          std::vector<std::string>{"web=Deployment/web:2"});
    // A selector that reads tier but matches neither: still alike.
    std::string neither = policy("  podSelector: {matchLabels: {tier: c}}\n  ingress: []\n");
    CHECK(workloads(test::analyze_manifests(two + neither)) ==
          std::vector<std::string>{"web=Deployment/web:2"});
    // One that matches one of them: two workloads, and the policy isolates only the first.
    std::string first = policy("  podSelector: {matchLabels: {tier: a}}\n  ingress: []\n");
    Analysis a = test::analyze_manifests(two + first);
    CHECK(workloads(a) ==
          std::vector<std::string>{"web-h-1=Deployment/web:1", "web-h-2=Deployment/web:1"});
    CHECK(test::edge_ports(a, "any-source", "web-h-1") == "(no edge)");
    CHECK(test::edge_ports(a, "any-source", "web-h-2") == "all ports");
    std::vector<std::string> differ = warnings_of(a, "replicas-differ");
    REQUIRE(differ.size() == 1);
    CHECK(differ[0].find("default/web[Deployment] has pods that a selector tells apart or that "
                         "differ in container ports (a rollout in progress, or pods changed by "
                         "hand): kept apart as default/web-h-1, default/web-h-2") !=
          std::string::npos);
    CHECK(severity_of("replicas-differ") == Severity::Warning);
    // Container ports that differ keep pods apart too (a named port may resolve otherwise).
    Analysis b = test::analyze_manifests(
        pod("w-h-1", "{pod-template-hash: h}", "ReplicaSet w-h") +
        pod("w-h-2", "{pod-template-hash: h}", "ReplicaSet w-h", "[{containerPort: 9090}]") +
        pod("w-h-3", "{pod-template-hash: h}", "ReplicaSet w-h"));
    CHECK(workloads(b) == std::vector<std::string>{"w-h-1=Deployment/w:2", "w-h-2=Deployment/w:1"});
    CHECK(warnings_of(b, "replicas-differ")[0].find(
              "kept apart as default/w-h-1 (and 1 alike), default/w-h-2") != std::string::npos);
  }

  TEST_CASE("owner references as the peer reads them: no kind, no name, a Node, a cycle") {
    std::string no_kind =
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p1, labels: {app: x}, "
        "ownerReferences: [{name: sec, controller: true}]}\nspec: {containers: []}\n";
    Analysis a = test::analyze_manifests(no_kind);
    CHECK(workloads(a) == std::vector<std::string>{"sec=/sec:1"});
    std::vector<std::string> refused = warnings_of(a, "api-would-refuse");
    REQUIRE(refused.size() == 1);
    CHECK(refused[0].find("ownerReferences[0]: an ownerReference without kind, which the API "
                          "requires; the pods are grouped under \"sec\" of no kind") !=
          std::string::npos);
    std::string no_name =
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p2, labels: {app: x}, "
        "ownerReferences: [{kind: ReplicaSet, controller: true}]}\nspec: {containers: []}\n";
    CHECK(workloads(test::analyze_manifests(no_name)) == std::vector<std::string>{"p2=Pod/p2:1"});
    // A static pod's mirror is owned by its Node: no workload. A reference that is not the
    // controller does not group.
    CHECK(workloads(test::analyze_manifests(pod("etcd-n1", "{app: etcd}", "Node n1"))) ==
          std::vector<std::string>{"etcd-n1=Pod/etcd-n1:1"});
    std::string not_controller =
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p3, ownerReferences: "
        "[{kind: ReplicaSet, name: r, controller: false}]}\nspec: {containers: []}\n";
    CHECK(workloads(test::analyze_manifests(not_controller)) ==
          std::vector<std::string>{"p3=Pod/p3:1"});
    // Two ReplicaSets owning each other end the walk.
    auto owned_by = [](const std::string& name, const std::string& owner) {
      return "---\napiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: " + name +
             ", ownerReferences: [{kind: ReplicaSet, name: " + owner +
             ", controller: true}]}\nspec: {template: {metadata: {labels: {app: r}}, "
             "spec: {containers: []}}}\n";
    };
    CHECK(workloads(test::analyze_manifests(owned_by("r1", "r2") + owned_by("r2", "r1"))).size() ==
          2);
  }

  TEST_CASE("a label value the API would refuse is read as it is, with a warning") {
    Analysis a = test::analyze_manifests(
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: n, labels: {net: n/udn}}\n" +
        pod("p", "{app: p}", ""));
    std::vector<std::string> refused = warnings_of(a, "api-would-refuse");
    REQUIRE(refused.size() == 1);
    CHECK(refused[0].find("\"n/udn\" is not a Kubernetes label value") != std::string::npos);
    // In a selector it is still an error: a selector that cannot match is a mistake.
    CHECK(test::input_error([] {
            test::analyze_manifests(policy("  podSelector: {matchLabels: {net: n/udn}}\n"));
          }).find("is not a Kubernetes label value") != std::string::npos);
  }
}

namespace {

// The values analysis of a sample file over the embedded defaults.
Analysis analyze_sample(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return test::analyze_values(text.str());
}

std::vector<std::filesystem::path> samples() {
  std::vector<std::filesystem::path> out;
  for (const auto& e : std::filesystem::directory_iterator(NETPOL_SAMPLES_DIR))
    if (e.path().extension() == ".yaml") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::string rendered(const Analysis& a, bool workloads) {
  std::ostringstream out;
  exporters::write_manifests(a, workloads, out);
  return out.str();
}

// What a graph allows, independent of how nodes outside the services are named: services by
// name, external and OTLP destinations by their address blocks, the rest by id.
std::map<std::string, PortSet> connectivity(const PolicyGraph& g) {
  std::map<std::string, PortSet> out;
  auto ends = [&](PolicyGraph::Vertex v, const PortSet& ports) {
    const Node& n = g.node(v);
    std::vector<std::pair<std::string, PortSet>> keys;
    if ((n.kind == NodeKind::External || n.kind == NodeKind::Otlp) && !n.entries.empty()) {
      for (const auto& e : n.entries)
        keys.emplace_back("addresses " + e.block.str(),
                          e.ports.is_all() ? ports : ports.intersect(e.ports));
    } else {
      keys.emplace_back(n.id, ports);
    }
    return keys;
  };
  for (const auto& e : g.edges()) {
    const PortSet& ports = g.edge(e).ports;
    for (const auto& [from, p1] : ends(e.from, ports))
      for (const auto& [to, p2] : ends(e.to, p1)) {
        if (p2.empty()) continue;
        PortSet& slot = out[from + " -> " + to];
        slot = slot.unite(p2);
      }
  }
  return out;
}

std::string show(const std::map<std::string, PortSet>& c) {
  std::string out;
  for (const auto& [k, v] : c) out += k + " : " + v.label() + "\n";
  return out;
}

// Kubernetes' own validation rules for what we write (apimachinery's IsDNS1123Label,
// IsValidLabelValue, IsQualifiedName, IsValidPortName; the NetworkPolicy validation).
const std::regex kDns1123Label("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
const std::regex kLabelValue("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
const std::regex kQualifiedName(
    "([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
    "[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
const std::regex kPortName("[a-z0-9]([a-z0-9-]*[a-z0-9])?");

void check_name(const YAML::Node& n, const std::string& what) {
  std::string s = n.as<std::string>();
  INFO(what << " = " << s);
  CHECK(s.size() <= 63);
  CHECK(std::regex_match(s, kDns1123Label));
}

void check_port_name_rule(const std::string& s) {
  INFO("port name " << s);
  CHECK(s.size() <= 15);
  CHECK(std::regex_match(s, kPortName));
  CHECK(s.find("--") == std::string::npos);
  CHECK(std::any_of(s.begin(), s.end(), [](char c) { return c >= 'a' && c <= 'z'; }));
}

void check_labels(const YAML::Node& labels) {
  for (const auto& kv : labels) {
    std::string k = kv.first.as<std::string>(), v = kv.second.as<std::string>();
    INFO("label " << k << "=" << v);
    CHECK(std::regex_match(k, kQualifiedName));
    CHECK(v.size() <= 63);
    CHECK(std::regex_match(v, kLabelValue));
  }
}

void check_selector(const YAML::Node& sel) {
  REQUIRE(sel.IsMap());
  if (sel["matchLabels"]) check_labels(sel["matchLabels"]);
  for (const auto& e : sel["matchExpressions"]) {
    std::string op = e["operator"].as<std::string>();
    CHECK(std::set<std::string>{"In", "NotIn", "Exists", "DoesNotExist"}.count(op) == 1);
    bool set_op = op == "In" || op == "NotIn";
    CHECK((set_op ? e["values"].size() > 0 : !e["values"]));
  }
}

void check_cidr(const YAML::Node& n) {
  std::string text = n.as<std::string>();
  Cidr c = Cidr::parse(text);
  INFO("cidr " << text);
  CHECK(c.str() == text);  // canonical
}

void check_rule(const YAML::Node& rule, const char* peers_key) {
  for (const auto& peer : rule[peers_key]) {
    if (peer["ipBlock"]) {
      CHECK(peer.size() == 1);  // ipBlock stands alone in a peer
      check_cidr(peer["ipBlock"]["cidr"]);
      Cidr outer = Cidr::parse(peer["ipBlock"]["cidr"].as<std::string>());
      for (const auto& x : peer["ipBlock"]["except"]) {
        check_cidr(x);
        Cidr inner = Cidr::parse(x.as<std::string>());
        CHECK(outer.contains(inner));
        CHECK(inner.prefix() > outer.prefix());
      }
    } else {
      CHECK((peer["podSelector"] || peer["namespaceSelector"]));
      if (peer["podSelector"]) check_selector(peer["podSelector"]);
      if (peer["namespaceSelector"]) check_selector(peer["namespaceSelector"]);
    }
  }
  for (const auto& p : rule["ports"]) {
    std::string proto = p["protocol"] ? p["protocol"].as<std::string>() : "TCP";
    CHECK(std::set<std::string>{"TCP", "UDP", "SCTP"}.count(proto) == 1);
    if (!p["port"]) {
      CHECK(!p["endPort"]);
      continue;
    }
    std::string port = p["port"].as<std::string>();
    bool numeric = !port.empty() && std::all_of(port.begin(), port.end(), ::isdigit);
    if (!numeric) {
      check_port_name_rule(port);
      CHECK(!p["endPort"]);  // endPort only with a numeric port
      continue;
    }
    int lo = std::stoi(port);
    CHECK((lo >= 1 && lo <= 65535));
    if (p["endPort"]) {
      int hi = p["endPort"].as<int>();
      CHECK(hi >= lo);
      CHECK(hi <= 65535);
    }
  }
}

void check_object(const YAML::Node& doc) {
  std::string kind = doc["kind"].as<std::string>();
  check_name(doc["metadata"]["name"], kind + " name");
  check_name(doc["metadata"]["namespace"], "namespace");
  check_labels(doc["metadata"]["labels"]);
  const YAML::Node spec = doc["spec"];
  if (kind == "NetworkPolicy") {
    CHECK(doc["apiVersion"].as<std::string>() == "networking.k8s.io/v1");
    check_selector(spec["podSelector"]);
    for (const auto& t : spec["policyTypes"])
      CHECK(std::set<std::string>{"Ingress", "Egress"}.count(t.as<std::string>()) == 1);
    for (const auto& r : spec["ingress"]) check_rule(r, "from");
    for (const auto& r : spec["egress"]) check_rule(r, "to");
  } else {
    REQUIRE(kind == "Deployment");
    CHECK(doc["apiVersion"].as<std::string>() == "apps/v1");
    // The selector must select the template's labels.
    for (const auto& kv : spec["selector"]["matchLabels"])
      CHECK(spec["template"]["metadata"]["labels"][kv.first.as<std::string>()].as<std::string>() ==
            kv.second.as<std::string>());
    for (const auto& c : spec["template"]["spec"]["containers"]) {
      check_name(c["name"], "container name");
      CHECK(!c["image"].as<std::string>().empty());
      for (const auto& p : c["ports"]) {
        int n = p["containerPort"].as<int>();
        CHECK((n >= 1 && n <= 65535));
        if (p["name"]) check_port_name_rule(p["name"].as<std::string>());
      }
    }
  }
}

}  // namespace

TEST_SUITE("manifests: writing what the chart renders") {
  TEST_CASE("every sample's output passes Kubernetes' validation rules") {
    int objects = 0;
    for (const auto& file : samples()) {
      INFO("sample " << file.filename().string());
      Analysis a = analyze_sample(file);
      std::vector<YAML::Node> docs = YAML::LoadAll(rendered(a, true));
      if (!a.chart.enabled) {
        CHECK(docs.empty());
        continue;
      }
      CHECK(docs.size() == 2 * a.chart.services.size());
      for (const auto& d : docs) check_object(d), ++objects;
    }
    CHECK(objects > 0);
  }

  TEST_CASE("proof: values -> manifests --workloads -> --manifests gives the same graph") {
    int compared = 0;
    for (const auto& file : samples()) {
      INFO("sample " << file.filename().string());
      Analysis values_path = analyze_sample(file);
      if (!values_path.chart.enabled) continue;
      std::string text = rendered(values_path, true);
      Analysis manifests_path =
          analyze(read_manifests(values::read_yaml_documents(text, "rendered.yaml"), "default"),
                  test::embedded_profile(), {"rendered.yaml"});
      auto expected = connectivity(values_path.graph);
      CHECK(expected.size() > 10);
      CHECK(show(connectivity(manifests_path.graph)) == show(expected));
      ++compared;
    }
    CHECK(compared >= 5);
  }

  TEST_CASE("policies disabled: nothing is written") {
    Analysis a = test::analyze_values("");
    CHECK(rendered(a, true).empty());
  }
}

#include "exporters/json.hpp"

namespace {

// The graph of manifests read with `limits`, as graph --format json prints it.
std::string graph_json(const std::string& text, const values::ReadLimits& limits) {
  std::vector<values::Value> docs = values::read_yaml_documents(text, "m", limits);
  Analysis a = analyze(read_manifests(docs, "default"), test::embedded_profile(), {"m"});
  std::ostringstream out;
  exporters::write_json(a, out);
  for (const Warning& w : a.chart.warnings) out << w.str() << "\n";
  return out.str();
}

values::ReadLimits manifest_limits(bool skip, bool json) {
  values::ReadLimits l;
  l.skip = skip ? &manifest_skip() : nullptr;
  l.json = json;
  return l;
}

// A dump as `kubectl get ns,deploy,rs,pods,svc,netpol -o json` prints one: every object with
// the fields real ones carry (managedFields, annotations, status, a full pod spec); the
// golden case kubectl-dump shows its table.
std::string kubectl_dump() {
  std::ifstream in(std::string(NETPOL_SAMPLES_DIR) +
                   "/../tests/golden/inputs/manifest-kubectl-dump.json");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_SUITE("manifests: cluster dumps") {
  TEST_CASE("a dump read as JSON and as YAML, with fields skipped or not, is the same graph") {
    // The YAML as `kubectl get -o yaml` prints it: block style.
    const std::string dump = kubectl_dump();
    REQUIRE(dump.find("managedFields") != std::string::npos);
    YAML::Emitter yaml;
    yaml << YAML::Load(dump);
    REQUIRE(yaml.good());
    const std::string reference = graph_json(dump, manifest_limits(false, false));
    CHECK(reference.find("\"id\": \"web\"") != std::string::npos);  // pods under Deployment web
    CHECK(reference.find("\"id\": \"db\"") != std::string::npos);
    for (bool skip : {false, true})
      for (bool json : {false, true}) {
        INFO("skip " << skip << ", json " << json);
        CHECK(graph_json(dump, manifest_limits(skip, json)) == reference);
        // Places differ between the two texts; the graph without them does not.
        std::string from_yaml = graph_json(yaml.c_str(), manifest_limits(skip, json));
        std::regex places("\"location\": \"m:[0-9]+:[0-9]+\"");
        CHECK(std::regex_replace(from_yaml, places, "") ==
              std::regex_replace(reference, places, ""));
      }
  }

  TEST_CASE("skipping what read_manifests does not read changes no sample and no oracle case") {
    std::vector<std::string> texts;
    for (const auto& file : samples()) {
      Analysis a = analyze_sample(file);
      texts.push_back(rendered(a, true));
    }
    for (const auto& e :
         std::filesystem::directory_iterator(std::string(NETPOL_SAMPLES_DIR) + "/../tests/oracle"))
      if (e.is_directory()) {
        std::ifstream in(e.path() / "manifests.yaml");
        std::stringstream text;
        text << in.rdbuf();
        texts.push_back(text.str());
      }
    CHECK(texts.size() > 20);
    for (const std::string& text : texts)
      CHECK(graph_json(text, manifest_limits(true, true)) ==
            graph_json(text, manifest_limits(false, false)));
  }
}

#include "exporters/diagram.hpp"
#include "random_selectors.hpp"

TEST_SUITE("manifests: pictures") {
  TEST_CASE("the workloads a selector node names are those it selects, one pod at a time") {
    // Random namespaces and pod labels, one policy of w0's to a random peer: the names in
    // "(other than ...)" must be exactly the workloads whose one pod the peer's predicates
    // match (RandomPeer::matches on the labels, not the cube algebra).
    std::mt19937 rng(20261206);
    auto pick = [&](const char* a, const char* b) -> std::string {
      int r = static_cast<int>(rng() % 3);
      return r == 0 ? a : r == 1 ? b : "";
    };
    int checked = 0;
    for (int round = 0; round < 300; ++round) {
      graph::Labels ns_default{{"kubernetes.io/metadata.name", "default"}},
          ns_other{{"kubernetes.io/metadata.name", "other"}};
      std::string yaml;
      for (auto* labels : {&ns_default, &ns_other}) {
        std::string team = pick("x", "y");
        if (!team.empty()) (*labels)["team"] = team;
        yaml +=
            "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: " +
            labels->at("kubernetes.io/metadata.name") +
            ", labels: {kubernetes.io/metadata.name: " + labels->at("kubernetes.io/metadata.name") +
            (team.empty() ? "" : ", team: " + team) + "}}\n";
      }
      struct Workload {
        std::string name, ns, shown;
        graph::Labels pod;
      };
      std::vector<Workload> workloads = {{"w0", "default", "w0", {}},
                                         {"w1", "default", "w1", {}},
                                         {"w2", "other", "other/w2", {}}};
      for (auto& w : workloads) {
        w.pod = {{"app", w.name}};
        std::string tier = pick("p", "q");
        if (!tier.empty()) w.pod["tier"] = tier;
        yaml += deployment(w.name, "app: " + w.name + (tier.empty() ? "" : "\ntier: " + tier), "[]",
                           w.ns);
      }
      test::RandomPeer peer;
      if (rng() % 3) peer.ns = test::random_sel(rng, "team", "x", "y");
      if (!peer.ns || rng() % 2) peer.pods = test::random_sel(rng, "tier", "p", "q");
      yaml +=
          "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, "
          "namespace: default}\nspec:\n  podSelector: {matchLabels: {app: w0}}\n"
          "  policyTypes: [Egress]\n  egress:\n    - to: [" +
          peer.yaml() + "]\n";
      CAPTURE(yaml);
      Analysis a = test::analyze_manifests(yaml, "default");
      exporters::Diagram d = exporters::make_diagram(a, {});
      for (const auto& n : d.nodes) {
        auto v = a.graph.find(n.id);
        if (!v || (a.graph.node(*v).kind != graph::NodeKind::Selector &&
                   a.graph.node(*v).kind != graph::NodeKind::NsPods))
          continue;
        std::vector<std::string> expected;
        for (const auto& w : workloads)
          if (peer.matches(w.ns == "default" ? ns_default : ns_other, w.pod))
            expected.push_back(w.shown);
        std::set<std::string> named;
        const std::string& last = n.lines.back();
        if (last.rfind("(other than ", 0) == 0) {
          std::stringstream list(last.substr(12, last.size() - 13));
          for (std::string name; std::getline(list, name, ',');)
            named.insert(name.substr(name.find_first_not_of(' ')));
        }
        CHECK(named == std::set<std::string>(expected.begin(), expected.end()));
        ++checked;
      }
    }
    CHECK(checked > 150);
  }

  TEST_CASE("a selector node holding drawn workloads says it stands for the others") {
    auto ns = [](const std::string& name, const std::string& tier) {
      return "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: " + name +
             ", labels: {kubernetes.io/metadata.name: " + name + ", tier: " + tier + "}}\n";
    };
    // web (in front) may reach every pod of the back tier, and any pod of namespaces with
    // tier=cache (none is known, so no workload is in it).
    const std::string yaml =
        ns("front", "front") + ns("back", "back") + deployment("web", "app: web", "[]", "front") +
        deployment("api", "app: api", "[{containerPort: 9000}]", "back") +
        deployment("worker", "app: worker", "[{containerPort: 9000}]", "back") +
        "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, "
        "namespace: front}\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n"
        "    - to: [{namespaceSelector: {matchLabels: {tier: back}}}]\n"
        "    - to: [{namespaceSelector: {matchLabels: {tier: cache}}}]\n";
    Analysis a = test::analyze_manifests(yaml, "back");
    exporters::Diagram d = exporters::make_diagram(a, {});
    auto lines_of = [&](const std::string& id) {
      for (const auto& n : d.nodes)
        if (n.id == id) return n.lines;
      return std::vector<std::string>{"(not drawn)"};
    };
    std::vector<std::string> back = lines_of("sel:ns(tier=back)");
    REQUIRE(!back.empty());
    CHECK(back.back() == "(other than api, worker)");
    std::vector<std::string> cache = lines_of("sel:ns(tier=cache)");
    // holds no drawn workload: its label alone
    CHECK(netpol::join(cache, " ") == "all pods in namespaces with tier=cache");
    // A focus that leaves the workloads out leaves them out of the label too.
    exporters::DiagramOptions focus;
    focus.focus = {"sel:ns(tier=back)"};
    focus.hops = 1;
    exporters::Diagram near = exporters::make_diagram(a, focus);
    for (const auto& n : near.nodes)
      if (n.id == "sel:ns(tier=back)")
        CHECK(n.lines.back().find("other than") == std::string::npos);
  }
}
