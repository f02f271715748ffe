// AdminNetworkPolicy and BaselineAdminNetworkPolicy (graph/read/admin): the tiers, priorities,
// Pass, named ports, networks, the explanations and findings that name the admin rule, and
// the errors of the reader.

#include <algorithm>
#include <optional>
#include <random>

#include "graph/analysis/explain.hpp"
#include "graph/analysis/findings.hpp"
#include "graph/read/read_manifests.hpp"
#include "graph/rules/match.hpp"
#include "graph/sets/address_set.hpp"
#include "random_selectors.hpp"
#include "support.hpp"
#include "values/yaml_reader.hpp"

using namespace netpol;
using namespace netpol::graph;

namespace {

// Three namespaces (house: g, s, h) with one pod each (app: g, s, h); the port named web is
// TCP 80 on g and s, TCP 8080 on h.
const std::string kHouses = R"(
apiVersion: v1
kind: Namespace
metadata: {name: g, labels: {house: g}}
---
apiVersion: v1
kind: Namespace
metadata: {name: s, labels: {house: s}}
---
apiVersion: v1
kind: Namespace
metadata: {name: h, labels: {house: h}}
---
apiVersion: v1
kind: Pod
metadata: {name: g, namespace: g, labels: {app: g}}
spec: {containers: [{name: c, ports: [{containerPort: 80, name: web}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: s, namespace: s, labels: {app: s}}
spec: {containers: [{name: c, ports: [{containerPort: 80, name: web}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: h, namespace: h, labels: {app: h}}
spec: {containers: [{name: c, ports: [{containerPort: 8080, name: web}]}]}
)";

std::string anp(const std::string& name, int priority, const std::string& subject_house,
                const std::string& body) {
  return "---\napiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\n"
         "metadata: {name: " +
         name + "}\nspec:\n  priority: " + std::to_string(priority) +
         "\n  subject: {namespaces: {matchLabels: {house: " + subject_house + "}}}\n" + body;
}

std::string banp(const std::string& body) {
  return "---\napiVersion: policy.networking.k8s.io/v1alpha1\n"
         "kind: BaselineAdminNetworkPolicy\nmetadata: {name: default}\nspec:\n"
         "  subject: {namespaces: {}}\n" +
         body;
}

std::string from_house(const std::string& house) {
  return "[{namespaces: {matchLabels: {house: " + house + "}}}]";
}

std::string admin_error(const std::string& yaml) {
  return test::input_error([&] { test::analyze_manifests(yaml); });
}

std::vector<std::string> codes(const Analysis& a) {
  std::vector<std::string> out;
  for (const Finding& f : find_issues(a)) out.push_back(f.code);
  return out;
}

bool has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

TEST_SUITE("graph: admin network policies") {
  TEST_CASE("a lower priority number decides first, in both directions") {
    std::string deny =
        "  ingress:\n  - {name: deny-s, action: Deny, from: " + from_house("s") + "}\n";
    std::string allow =
        "  ingress:\n  - {name: allow-s, action: Allow, from: " + from_house("s") + "}\n";
    SUBCASE("Deny at 10 before Allow at 20") {
      Analysis a =
          test::analyze_manifests(kHouses + anp("d", 10, "g", deny) + anp("a", 20, "g", allow));
      CHECK(test::edge_ports(a, "s/s", "g") == "(no edge)");
      CHECK(test::edge_ports(a, "h/h", "g") == "all ports");
    }
    SUBCASE("Allow at 10 before Deny at 20") {
      Analysis a =
          test::analyze_manifests(kHouses + anp("d", 20, "g", deny) + anp("a", 10, "g", allow));
      CHECK(test::edge_ports(a, "s/s", "g") == "all ports");
    }
    SUBCASE("an egress Deny blocks whatever the destination admits") {
      Analysis a = test::analyze_manifests(
          kHouses + anp("e", 10, "g",
                        "  egress:\n  - {action: Deny, to: " + from_house("h") +
                            ", ports: [{portRange: {start: 1, end: 8000}}]}\n"));
      CHECK(test::edge_ports(a, "g", "h/h") == "TCP 8001-65535; UDP all; SCTP all");
      CHECK(test::edge_ports(a, "g", "s/s") == "all ports");
    }
  }

  TEST_CASE("Pass hands the traffic to the NetworkPolicies, which then decide alone") {
    std::string np =
        "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
        "metadata: {name: web, namespace: g}\nspec:\n  podSelector: {}\n  ingress:\n"
        "  - from: [{namespaceSelector: {}}]\n    ports: [{port: 80}]\n";
    std::string body = "  ingress:\n  - {action: Pass, from: " + from_house("s") +
                       "}\n  - {action: Deny, from: " + from_house("s") + "}\n";
    std::string baseline = banp("  ingress:\n  - {action: Deny, from: [{namespaces: {}}]}\n");
    SUBCASE("a NetworkPolicy selects the pod: it decides, the baseline does not") {
      Analysis a = test::analyze_manifests(kHouses + np + anp("p", 5, "g", body) + baseline);
      CHECK(test::edge_ports(a, "s/s", "g") == "TCP 80");
      CHECK(test::edge_ports(a, "h/h", "g") == "TCP 80");
    }
    SUBCASE("no NetworkPolicy selects the pod: the baseline decides") {
      Analysis a = test::analyze_manifests(kHouses + anp("p", 5, "g", body) + baseline);
      CHECK(test::edge_ports(a, "s/s", "g") == "(no edge)");
      CHECK(test::edge_ports(a, "h/h", "g") == "(no edge)");
      // Admin peers are pods only: every address still may, no pod may.
      CHECK(test::edge_ports(a, "any-source", "g") == "(no edge)");
      CHECK(test::edge_ports(a, "ext:0.0.0.0/0", "g") == "all ports");
      CHECK(test::edge_ports(a, "ext:::/0", "g") == "all ports");
      CHECK(!a.graph.find("sel:ns()"));
    }
  }

  TEST_CASE("an admin Allow opens what the NetworkPolicies isolate") {
    std::string np =
        "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
        "metadata: {name: none, namespace: g}\nspec:\n  podSelector: {}\n"
        "  policyTypes: [Ingress]\n";
    Analysis a =
        test::analyze_manifests(kHouses + np +
                                anp("a", 1, "g",
                                    "  ingress:\n  - {action: Allow, from: " + from_house("h") +
                                        ", ports: [{portNumber: {protocol: TCP, port: 443}}]}\n"));
    CHECK(test::edge_ports(a, "h/h", "g") == "TCP 443");
    CHECK(test::edge_ports(a, "s/s", "g") == "(no edge)");
    // The edge names the admin rule.
    auto f = a.graph.find("h/h"), t = a.graph.find("g");
    REQUIRE(a.graph.has_edge(*f, *t));
    const Edge& e = a.graph.edge({*f, *t});
    REQUIRE(e.ingress.size() == 1);
    CHECK(e.ingress[0].path == "AdminNetworkPolicy/a.spec.ingress[0]");
  }

  TEST_CASE("a named port resolves against each destination") {
    Analysis a = test::analyze_manifests(
        kHouses +
        anp("w", 1, "h",
            "  ingress:\n  - {action: Allow, from: " + from_house("g") +
                ", ports: [{namedPort: web}]}\n  - {action: Deny, "
                "from: [{namespaces: {}}]}\n") +
        anp("w2", 2, "s",
            "  ingress:\n  - {action: Allow, from: " + from_house("g") +
                ", ports: [{namedPort: web}]}\n  - {action: Deny, from: [{namespaces: {}}]}\n"));
    CHECK(test::edge_ports(a, "g", "h/h") == "TCP 8080");
    CHECK(test::edge_ports(a, "g", "s/s") == "TCP 80");
    CHECK(test::edge_ports(a, "s/s", "h/h") == "(no edge)");
  }

  TEST_CASE("networks: egress to addresses decided port by port") {
    Analysis a = test::analyze_manifests(
        kHouses + anp("n", 1, "g",
                      "  egress:\n  - {action: Deny, to: [{networks: [8.8.8.8/32]}], ports: "
                      "[{portNumber: {protocol: UDP, port: 53}}]}\n"));
    CHECK(test::edge_ports(a, "g", "ext:0.0.0.0/0 except 8.8.8.8/32") == "UDP 53");
    CHECK(test::edge_ports(a, "g", "ext:0.0.0.0/0") == "TCP all; UDP 1-52, 54-65535; SCTP all");
    CHECK(test::edge_ports(a, "g", "ext:::/0") == "all ports");
    CHECK(test::edge_ports(a, "g", "s/s") == "all ports");  // pods are not addresses
    CHECK(test::edge_ports(a, "s/s", "ext:*") == "all ports");
  }

  TEST_CASE("address sets as ipBlocks: a hull with excepts, or the exact cover") {
    AddressSet world = AddressSet::all_v4();
    AddressSet holed = world.subtract(AddressSet::of(IpBlock{Cidr::parse("8.8.8.8/32"), {}}));
    auto blocks = holed.blocks();
    REQUIRE(blocks.size() == 1);
    CHECK(blocks[0].str() == "0.0.0.0/0 except 8.8.8.8/32");
    AddressSet two = AddressSet::of(IpBlock{Cidr::parse("10.0.0.0/24"), {}})
                         .unite(AddressSet::of(IpBlock{Cidr::parse("10.0.1.0/24"), {}}));
    REQUIRE(two.blocks().size() == 1);
    CHECK(two.blocks()[0].str() == "10.0.0.0/23");
    AddressSet apart = AddressSet::of(IpBlock{Cidr::parse("10.0.0.0/24"), {}})
                           .unite(AddressSet::of(IpBlock{Cidr::parse("192.168.0.0/24"), {}}));
    CHECK(apart.blocks().size() == 2);  // the hull would need a long list of excepts
    for (const IpBlock& b : holed.blocks()) CHECK(AddressSet::of(b) == holed);
  }

  TEST_CASE("explanations name the admin rule that decided") {
    Analysis a = test::analyze_manifests(
        kHouses +
        anp("guard", 7, "g",
            "  ingress:\n  - {name: pass-s, action: Pass, from: " + from_house("s") +
                "}\n  - {name: deny-h, action: Deny, from: " + from_house("h") + "}\n") +
        banp("  ingress:\n  - {name: deny-all, action: Deny, from: [{namespaces: {}}]}\n"));
    Blocked h = explain_blocked(a, *a.graph.find("h/h"), *a.graph.find("g"), std::nullopt);
    REQUIRE(h.reasons.size() == 1);
    CHECK(h.reasons[0] ==
          "AdminNetworkPolicy/guard rule \"deny-h\" (priority 7, Deny) denies h/h -> g "
          "(ingress) on all ports");
    Blocked s = explain_blocked(a, *a.graph.find("s/s"), *a.graph.find("g"), std::nullopt);
    REQUIRE(s.reasons.size() == 2);
    CHECK(s.reasons[0] ==
          "AdminNetworkPolicy/guard rule \"pass-s\" (priority 7, Pass) passes s/s -> g "
          "(ingress) on all ports, to the NetworkPolicies");
    CHECK(s.reasons[1] ==
          "BaselineAdminNetworkPolicy/default rule \"deny-all\" (Deny) denies s/s -> g "
          "(ingress) on all ports, as no NetworkPolicy selects the pods to decide instead");
    REQUIRE(s.keys.size() == 2);
    CHECK(s.keys[1].path == "BaselineAdminNetworkPolicy/default.spec.ingress[0] (deny-all)");
  }

  TEST_CASE("findings: a shadowed Deny, the baseline deciding, a priority tie") {
    Analysis a = test::analyze_manifests(
        kHouses +
        anp("allow", 1, "g", "  ingress:\n  - {action: Allow, from: [{namespaces: {}}]}\n") +
        anp("deny", 2, "g", "  ingress:\n  - {action: Deny, from: " + from_house("s") + "}\n") +
        anp("tie", 2, "h", "  ingress:\n  - {action: Deny, from: " + from_house("s") + "}\n") +
        banp("  egress:\n  - {action: Deny, to: " + from_house("h") + "}\n"));
    auto c = codes(a);
    CHECK(has(c, "admin-deny-shadowed"));
    CHECK(has(c, "baseline-decides"));
    CHECK(has(c, "admin-priority-tie"));
    for (const Finding& f : find_issues(a))
      if (f.code == "admin-deny-shadowed")
        CHECK(f.message ==
              "AdminNetworkPolicy/deny rule \"ingress[0]\" (priority 2, Deny) never decides: "
              "AdminNetworkPolicy/allow rule \"ingress[0]\" (priority 1, Allow) allows all it "
              "matches first (for g)");
    SUBCASE("a Deny that decides something is not shadowed") {
      Analysis b = test::analyze_manifests(
          kHouses +
          anp("allow", 1, "g", "  ingress:\n  - {action: Allow, from: " + from_house("h") + "}\n") +
          anp("deny", 2, "g", "  ingress:\n  - {action: Deny, from: [{namespaces: {}}]}\n"));
      CHECK_FALSE(has(codes(b), "admin-deny-shadowed"));
      CHECK_FALSE(has(codes(b), "baseline-decides"));
      CHECK_FALSE(has(codes(b), "admin-priority-tie"));
    }
    SUBCASE("shadowing is decided on sets of pods and ports, not on selectors' spelling") {
      auto shadowed = [](const std::string& allows, const std::string& deny) {
        return has(
            codes(test::analyze_manifests(kHouses + anp("allow", 1, "g", "  ingress:\n" + allows) +
                                          anp("deny", 2, "g", "  ingress:\n" + deny))),
            "admin-deny-shadowed");
      };
      const std::string deny_s_or_h =
          "  - {action: Deny, from: [{namespaces: {matchExpressions: [{key: house, operator: In, "
          "values: [s, h]}]}}]}\n";
      // Two Allows whose union is the Deny's namespaces.
      CHECK(shadowed("  - {action: Allow, from: " + from_house("s") + "}\n" +
                         "  - {action: Allow, from: " + from_house("h") + "}\n",
                     deny_s_or_h));
      // One of them: the other namespace is still the Deny's to decide.
      CHECK_FALSE(shadowed("  - {action: Allow, from: " + from_house("s") + "}\n", deny_s_or_h));
      // A wider Allow written otherwise (every house but g, with the key).
      CHECK(
          shadowed("  - {action: Allow, from: [{namespaces: {matchExpressions: [{key: house, "
                   "operator: NotIn, values: [g]}, {key: house, operator: Exists}]}}]}\n",
                   deny_s_or_h));
      // Ports: the Allow takes 80 only; the Deny of 80 and 443 still decides 443.
      CHECK_FALSE(shadowed(
          "  - {action: Allow, from: [{namespaces: {}}], ports: [{portNumber: {port: 80}}]}\n",
          "  - {action: Deny, from: [{namespaces: {}}], ports: [{portNumber: {port: 80}}, "
          "{portNumber: {port: 443}}]}\n"));
      CHECK(shadowed(
          "  - {action: Allow, from: [{namespaces: {}}], ports: [{portNumber: {port: 80}}]}\n"
          "  - {action: Allow, from: [{namespaces: {}}], ports: [{portNumber: {port: 443}}]}\n",
          "  - {action: Deny, from: [{namespaces: {}}], ports: [{portNumber: {port: 80}}, "
          "{portNumber: {port: 443}}]}\n"));
      // Pods within namespaces: an Allow of every pod with app in (s, x) there covers app=s.
      CHECK(
          shadowed("  - {action: Allow, from: [{pods: {namespaceSelector: {}, podSelector: "
                   "{matchExpressions: [{key: app, operator: In, values: [s, x]}]}}}]}\n",
                   "  - {action: Deny, from: [{pods: {namespaceSelector: {matchLabels: {house: "
                   "s}}, podSelector: {matchLabels: {app: s}}}}]}\n"));
    }
  }

  TEST_CASE("a pods peer or subject without a selector: read as {}, as the peer reads it") {
    // The API requires both selectors; netpol-analyzer's suite has such objects and reads a
    // missing one as {} (every namespace or pod). So do we, with a warning saying so.
    Analysis a = test::analyze_manifests(
        kHouses +
        anp("deny-g", 1, "s",
            "  ingress:\n    - name: d\n      action: Deny\n"
            "      from: [{pods: {podSelector: {matchLabels: {app: g}}}}]\n") +
        "---\napiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\n"
        "metadata: {name: allow-h}\nspec:\n  priority: 2\n"
        "  subject: {pods: {namespaceSelector: {matchLabels: {house: s}}}}\n"
        "  ingress:\n    - name: a\n      action: Allow\n      from: [{namespaces: {}}]\n");
    // g's pods in every namespace are denied into s; h is allowed.
    CHECK(test::edge_ports(a, "g/g", "s/s") == "(no edge)");
    CHECK(test::edge_ports(a, "h/h", "s/s") == "all ports");
    std::vector<std::string> messages;
    for (const Warning& w : a.chart.warnings)
      if (w.code == "api-would-refuse") messages.push_back(w.message);
    CHECK(messages == std::vector<std::string>{
                          "a pods peer has no namespaceSelector, which the API requires; read as "
                          "namespaceSelector: {} (every namespace), as netpol-analyzer reads it",
                          "a pods subject has no podSelector, which the API requires; read as "
                          "podSelector: {} (every pod), as netpol-analyzer reads it"});
    CHECK(severity_of("api-would-refuse") == Severity::Warning);
  }

  TEST_CASE("errors say what the API expects, with did-you-mean") {
    CHECK(
        admin_error(kHouses + anp("x", 1, "g",
                                  "  ingress:\n  - {actoin: Deny, from: [{namespaces: {}}]}\n")) ==
        "m.yaml:36:14: AdminNetworkPolicy/x.spec.ingress[0].actoin: unknown field \"actoin\" in "
        "an AdminNetworkPolicy ingress rule (did you mean \"action\"?); expected name, action, "
        "from, ports");
    CHECK(
        admin_error(kHouses + banp("  ingress:\n  - {action: Pass, from: [{namespaces: {}}]}\n")) ==
        "m.yaml:35:14: BaselineAdminNetworkPolicy/default.spec.ingress[0].action: unknown "
        "action \"Pass\" (expected Allow or Deny; Pass is for AdminNetworkPolicy only)");
    CHECK(admin_error(kHouses + anp("x", 1001, "g", "")) ==
          "m.yaml:33:13: AdminNetworkPolicy/x.spec.priority: priority 1001 is not in 0-1000");
    CHECK(admin_error(kHouses + anp("x", 1, "g", "  ingress:\n  - {action: Allow}\n")) ==
          "m.yaml:36:5: AdminNetworkPolicy/x.spec.ingress[0]: an AdminNetworkPolicy ingress rule "
          "needs at least one peer in `from` (the API requires one)");
    CHECK(admin_error(kHouses + anp("x", 1, "g",
                                    "  egress:\n  - {action: Allow, to: [{networks: [10.0.0.0/8], "
                                    "namespaces: {}}]}\n")) ==
          "m.yaml:36:26: AdminNetworkPolicy/x.spec.egress[0].to[0]: an admin policy egress peer "
          "holds exactly one of namespaces, pods, nodes and networks");
    std::string other =
        "---\napiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\n"
        "metadata: {name: mine}\nspec:\n  subject: {namespaces: {}}\n";
    CHECK(admin_error(kHouses + other) ==
          "m.yaml:31:18: BaselineAdminNetworkPolicy/mine.metadata.name: a "
          "BaselineAdminNetworkPolicy must be named \"default\" (the API admits one, by that "
          "name)");
  }
}

// The tiers evaluated pair by pair, port by port, straight from the API's rules, against the
// graph, where they were folded into exclusions (graph/read/admin.cpp): ANP rules in priority
// order, the first that selects the peer on the port decides (Allow, Deny, or Pass to the
// NetworkPolicies); then the NetworkPolicies if one selects the pod (read without the admin
// policies); else the baseline's first matching rule; else allowed. Both sides must allow.
namespace {

bool tier_allows(const std::vector<AdminRule>& admin, const Service& peer,
                 const Service& destination, Protocol protocol, int port, bool isolated,
                 const PortSet& policies) {
  auto hits = [&](const AdminRule& r) {
    return admin_selects(r.match, peer) &&
           r.match.ports.resolve(destination.ports).without_names().contains(protocol, port);
  };
  for (const AdminRule& r : admin) {
    if (r.baseline || !hits(r)) continue;
    if (r.action == AdminAction::Allow) return true;
    if (r.action == AdminAction::Deny) return false;
    break;  // Pass: on to the NetworkPolicies
  }
  if (isolated) return policies.contains(protocol, port);
  for (const AdminRule& r : admin)
    if (r.baseline && hits(r)) return r.action == AdminAction::Allow;
  return true;
}

}  // namespace

TEST_SUITE("graph: admin network policies, the tiers pair by pair") {
  TEST_CASE("the folded graph agrees with the tiers on every oracle case with admin policies") {
    for (const char* name : {"anp-priority", "anp-pass-to-networkpolicy", "banp-default",
                             "anp-egress-networks", "anp-named-port"}) {
      CAPTURE(name);
      std::string text = test::slurp(std::string(NETPOL_SAMPLES_DIR) + "/../tests/oracle/" + name +
                                     "/manifests.yaml");
      std::vector<values::Value> docs = values::read_yaml_documents(text, name);
      std::vector<values::Value> without;  // the same objects but the admin policies
      for (const auto& d : docs)
        if (d.find("kind")->scalar.find("AdminNetworkPolicy") == std::string::npos)
          without.push_back(d);
      REQUIRE(without.size() < docs.size());
      Analysis a = analyze(read_manifests(docs, "default"), test::embedded_profile(), {name});
      Chart plain = read_manifests(without, "default");
      std::size_t checked = 0, denied = 0;
      for (const Service& s : a.chart.services)
        for (const Service& d : a.chart.services) {
          if (&s == &d || s.ingress_controller || d.ingress_controller) continue;
          const Service* ps = plain.service(s.name);
          const Service* pd = plain.service(d.name);
          REQUIRE((ps && pd));
          PortSet egress = egress_towards(plain, *ps, *pd).ports;
          PortSet ingress = ingress_from(plain, *pd, *ps).ports;
          std::vector<std::pair<Protocol, int>> probes = {{Protocol::TCP, 1},
                                                          {Protocol::UDP, 5353}};
          for (const NamedPort& p : d.ports) probes.emplace_back(p.protocol, p.port);
          auto vs = a.graph.find(s.name), vd = a.graph.find(d.name);
          REQUIRE((vs && vd));
          const PortSet* graph_ports = a.graph.hop_ports(*vs, *vd);
          for (const auto& probe : probes) {
            Protocol protocol = probe.first;  // (a structured binding cannot be captured)
            int port = probe.second;
            CAPTURE(s.name + " -> " + d.name + " " + std::to_string(port));
            bool expected =
                tier_allows(s.admin_egress, d, d, protocol, port, s.egress_isolated, egress) &&
                tier_allows(d.admin_ingress, s, d, protocol, port, d.ingress_isolated, ingress);
            bool got = graph_ports && graph_ports->contains(protocol, port);
            CHECK(got == expected);
            ++checked;
            denied += !expected;
          }
        }
      CHECK(checked > 0);
      CHECK(denied > 0);  // the case decides something
    }
  }
}

// The admin tiers on the pods nobody listed: random AdminNetworkPolicies (Allow, Deny, Pass
// over namespace and pod selectors, on a port or all) and a NetworkPolicy isolating db,
// compared for every class of outside pod and two ports with the tiers worked out by hand:
// the first admin rule that matches decides (Pass hands over to the NetworkPolicy), else the
// NetworkPolicy. The graph's answer: an edge into db from a node whose pods hold the pod.
TEST_SUITE("graph: admin network policies on outside pods, against enumeration") {
  using Sel = test::RandomSel;
  using Peer2 = test::RandomPeer;
  using test::random_sel;
  struct AdminRule2 {
    int action;  // 0 Allow, 1 Deny, 2 Pass
    Peer2 peer;
    bool only_80;
  };
  struct NpRule {
    Peer2 peer;
    bool any = false;  // no `from`: every source
    bool only_80;
  };

  TEST_CASE("random admin and NetworkPolicy rules, every class of outside pod") {
    std::mt19937 rng(20261205);
    // The classes: the release namespace (no team label) or another with team a, b or none;
    // a pod with app x, y, another value or none.
    std::vector<Labels> namespaces = {{{std::string(kNamespaceNameLabel), "default"}},
                                      {{std::string(kNamespaceNameLabel), "shop"}, {"team", "a"}},
                                      {{std::string(kNamespaceNameLabel), "ops"}, {"team", "b"}},
                                      {{std::string(kNamespaceNameLabel), "misc"}}};
    std::vector<Labels> pods = {{{"app", "x"}}, {{"app", "y"}}, {{"app", "z"}}, {}};
    int cases = 0, compared = 0, allowed_count = 0;
    for (int round = 0; round < 150; ++round) {
      auto peer = [&](bool admin) {
        Peer2 p;
        int shape = static_cast<int>(rng() % 3);  // ns only, pods only (NP), both
        if (admin && shape == 1) shape = 2;       // an admin peer always names namespaces
        if (shape != 1) p.ns = random_sel(rng, "team", "a", "b");
        if (shape != 0) p.pods = random_sel(rng, "app", "x", "y");
        return p;
      };
      std::vector<NpRule> np(1 + rng() % 2);
      std::string text =
          "apiVersion: v1\nkind: Pod\nmetadata: {name: db, namespace: default, labels: {app: db}}\n"
          "spec: {containers: [{name: c, ports: [{containerPort: 80}, {containerPort: 443}]}]}\n"
          "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
          "metadata: {name: db, namespace: default}\n"
          "spec:\n  podSelector: {matchLabels: {app: db}}\n  ingress:\n";
      for (NpRule& r : np) {
        r.peer = peer(false);
        r.any = rng() % 4 == 0;
        r.only_80 = rng() % 2;
        if (r.any)
          text += r.only_80 ? "    - ports: [{port: 80}]\n" : "    - {}\n";
        else
          text += "    - from: [" + r.peer.yaml() + "]\n";
        if (r.only_80 && !r.any) text += "      ports: [{port: 80}]\n";
      }
      std::vector<AdminRule2> admin(rng() % 4);  // in priority order, one policy each
      for (std::size_t i = 0; i < admin.size(); ++i) {
        AdminRule2& r = admin[i];
        r.action = static_cast<int>(rng() % 3);
        r.peer = peer(true);
        r.only_80 = rng() % 2;
        static const char* kActions[] = {"Allow", "Deny", "Pass"};
        text +=
            "---\napiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\n"
            "metadata: {name: a" +
            std::to_string(i) + "}\nspec:\n  priority: " + std::to_string(i + 1) +
            "\n  subject: {namespaces: {}}\n  ingress:\n    - name: r\n      action: " +
            kActions[r.action] + "\n      from: [" + r.peer.admin_yaml() + "]\n";
        if (r.only_80) text += "      ports: [{portNumber: {protocol: TCP, port: 80}}]\n";
      }
      CAPTURE(text);
      Analysis a = test::analyze_manifests(text);
      auto db = a.graph.find("db");
      REQUIRE(db);
      ++cases;
      // A peer's pods that the admin rules took whole are no node at all (none drawn alone).
      for (PolicyGraph::Vertex v : a.graph.nodes())
        if (a.graph.node(v).kind == NodeKind::Selector || a.graph.node(v).kind == NodeKind::NsPods)
          CHECK((!a.graph.sources_of(v).empty() || !a.graph.targets_of(v).empty()));
      for (const Labels& ns : namespaces)
        for (const Labels& pod : pods)
          for (int port : {80, 443}) {
            // The tiers, by hand.
            std::optional<bool> decided;
            for (const AdminRule2& r : admin) {
              if (!r.peer.matches(ns, pod) || (r.only_80 && port != 80)) continue;
              if (r.action != 2) decided = r.action == 0;
              break;
            }
            bool expected =
                decided ? *decided : std::any_of(np.begin(), np.end(), [&](const NpRule& r) {
                  return (r.any || r.peer.matches(ns, pod)) && (!r.only_80 || port == 80);
                });
            // The graph.
            bool got = false;
            for (PolicyGraph::Vertex s : a.graph.sources_of(*db)) {
              const Node& n = a.graph.node(s);
              bool holds = n.kind == NodeKind::AnySource || (n.pods && n.pods->contains(ns, pod));
              if (holds && a.graph.edge({s, *db}).ports.contains(Protocol::TCP, port)) got = true;
            }
            CAPTURE(ns.at(std::string(kNamespaceNameLabel)));
            CAPTURE(pod.count("app") ? pod.at("app") : std::string("(none)"));
            CAPTURE(port);
            CHECK(got == expected);
            ++compared;
            allowed_count += expected;
          }
    }
    CHECK(cases == 150);
    CHECK(allowed_count > compared / 10);             // the cases allow something
    CHECK(allowed_count < compared - compared / 10);  // and deny something
  }

  // Admin subjects among the pods nobody listed: random AdminNetworkPolicies and a baseline
  // whose subjects select outside pods (by namespace, or by namespace and pod), with ingress
  // and egress rules over peers that select db or not; db's NetworkPolicy admits and reaches
  // every pod. For every class of outside pod and two ports, each direction is the tiers
  // worked out by hand on both ends: db's side (the policies whose subject selects db) and the
  // outside pod's (those selecting it; its own NetworkPolicies are not known and read as
  // none, so the baseline decides where no AdminNetworkPolicy does).
  struct Policy2 {
    bool baseline = false;
    Peer2 subject;  // ns set; pods set for a pods subject
    std::vector<AdminRule2> ingress, egress;
  };

  // The first rule of the policies selecting `subject` (in order) that matches the peer
  // `peer` on `port` decides; Pass and no match go on to the NetworkPolicy tier (`np`, or
  // nullopt: none selects the pod, so the baseline decides, else allowed).
  bool tiers(const std::vector<Policy2>& policies, bool egress, const Labels& subject_ns,
             const Labels& subject_pod, const Labels& peer_ns, const Labels& peer_pod, int port,
             std::optional<bool> np) {
    bool passed_to_np = false;
    for (const Policy2& p : policies) {
      if (p.baseline) break;
      if (!p.subject.matches(subject_ns, subject_pod)) continue;
      for (const AdminRule2& r : egress ? p.egress : p.ingress) {
        if (!r.peer.matches(peer_ns, peer_pod) || (r.only_80 && port != 80)) continue;
        if (r.action == 2) {
          passed_to_np = true;
          break;
        }
        return r.action == 0;
      }
      if (passed_to_np) break;
    }
    if (np) return *np;
    for (const Policy2& p : policies) {
      if (!p.baseline || !p.subject.matches(subject_ns, subject_pod)) continue;
      for (const AdminRule2& r : egress ? p.egress : p.ingress)
        if (r.peer.matches(peer_ns, peer_pod) && (!r.only_80 || port == 80)) return r.action == 0;
    }
    return true;
  }

  TEST_CASE("random admin subjects among outside pods, both directions, every class") {
    std::mt19937 rng(20261206);
    std::vector<Labels> namespaces = {{{std::string(kNamespaceNameLabel), "default"}},
                                      {{std::string(kNamespaceNameLabel), "shop"}, {"team", "a"}},
                                      {{std::string(kNamespaceNameLabel), "ops"}, {"team", "b"}},
                                      {{std::string(kNamespaceNameLabel), "misc"}}};
    std::vector<Labels> pods = {{{"app", "x"}}, {{"app", "y"}}, {}};
    const Labels db_ns = namespaces[0], db_pod = {{"app", "db"}};
    int compared = 0, allowed_count = 0, decided_outside = 0;
    for (int round = 0; round < 150; ++round) {
      auto peer = [&](bool subject) {
        Peer2 p;
        p.ns = random_sel(rng, "team", "a", "b");
        if (rng() % 2) p.pods = random_sel(rng, "app", subject ? "x" : "db", subject ? "y" : "x");
        return p;
      };
      // db admits and reaches every pod: by a peer of every namespace, or with no peer at
      // all (every source, every destination).
      const bool any_peer = rng() % 2;
      std::string text =
          "apiVersion: v1\nkind: Pod\nmetadata: {name: db, namespace: default, labels: {app: db}}\n"
          "spec: {containers: [{name: c, ports: [{containerPort: 80}, {containerPort: 443}]}]}\n"
          "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
          "metadata: {name: db, namespace: default}\n"
          "spec:\n  podSelector: {matchLabels: {app: db}}\n  policyTypes: [Ingress, Egress]\n" +
          std::string(any_peer ? "  ingress: [{}]\n  egress: [{}]\n"
                               : "  ingress: [{from: [{namespaceSelector: {}}]}]\n"
                                 "  egress: [{to: [{namespaceSelector: {}}]}]\n");
      std::vector<Policy2> policies(1 + rng() % 3);
      if (rng() % 2) policies.back().baseline = true;
      static const char* kActions[] = {"Allow", "Deny", "Pass"};
      for (std::size_t i = 0; i < policies.size(); ++i) {
        Policy2& p = policies[i];
        p.subject = peer(true);
        const std::string subject = p.subject.admin_yaml();
        text += std::string("---\napiVersion: policy.networking.k8s.io/v1alpha1\nkind: ") +
                (p.baseline ? "BaselineAdminNetworkPolicy\nmetadata: {name: default}\nspec:\n"
                            : "AdminNetworkPolicy\nmetadata: {name: a" + std::to_string(i) +
                                  "}\nspec:\n  priority: " + std::to_string(i + 1) + "\n") +
                "  subject: " + subject + "\n";
        for (int e = 0; e < 2; ++e) {
          std::vector<AdminRule2>& rules = e ? p.egress : p.ingress;
          rules.resize(rng() % 3);
          if (rules.empty()) continue;
          text += e ? "  egress:\n" : "  ingress:\n";
          for (AdminRule2& r : rules) {
            r.action = static_cast<int>(rng() % (p.baseline ? 2 : 3));
            r.peer = peer(false);
            r.only_80 = rng() % 2;
            text += std::string("    - action: ") + kActions[r.action] + "\n      " +
                    (e ? "to" : "from") + ": [" + r.peer.admin_yaml() + "]\n";
            if (r.only_80) text += "      ports: [{portNumber: {protocol: TCP, port: 80}}]\n";
          }
        }
      }
      CAPTURE(text);
      Analysis a = test::analyze_manifests(text);
      auto db = a.graph.find("db");
      REQUIRE(db);
      for (const Labels& ns : namespaces)
        for (const Labels& pod : pods)
          for (int port : {80, 443}) {
            CAPTURE(ns.at(std::string(kNamespaceNameLabel)));
            CAPTURE(pod.count("app") ? pod.at("app") : std::string("(none)"));
            CAPTURE(port);
            for (int into_db = 0; into_db < 2; ++into_db) {
              CAPTURE(into_db);
              // The outside pod sends to db, or db sends to it: each end's tiers.
              bool outside_side = tiers(policies, into_db, ns, pod, db_ns, db_pod, port, {});
              bool db_side = tiers(policies, !into_db, db_ns, db_pod, ns, pod, port, true);
              bool expected = outside_side && db_side;
              bool got = false;
              for (PolicyGraph::Vertex v :
                   into_db ? a.graph.sources_of(*db) : a.graph.targets_of(*db)) {
                const Node& n = a.graph.node(v);
                bool holds = n.kind == NodeKind::AnySource || n.id == kAnywhereId ||
                             (n.pods && n.pods->contains(ns, pod));
                const Edge& edge = into_db ? a.graph.edge({v, *db}) : a.graph.edge({*db, v});
                if (holds && edge.ports.contains(Protocol::TCP, port)) got = true;
              }
              CHECK(got == expected);
              ++compared;
              allowed_count += expected;
              decided_outside += db_side && !outside_side;
            }
          }
    }
    CHECK(allowed_count > compared / 10);             // the cases allow something
    CHECK(allowed_count < compared - compared / 10);  // and deny something
    CHECK(decided_outside > compared / 20);           // outside pods' own tiers decide some
  }
}

// admin-deny-shadowed against enumeration: random Allow rules (namespace and pod selectors,
// all four operators, on a port or all) before a random Deny; the Deny is shadowed exactly
// when every class of pod and port it matches is matched by an earlier Allow.
TEST_SUITE("graph: admin network policies on outside pods, against enumeration") {
  TEST_CASE("a Deny is shadowed when earlier Allows take every pod and port it matches") {
    std::mt19937 rng(20261207);
    std::vector<Labels> namespaces;
    for (const char* team : {"a", "b", "c", ""}) {
      Labels ns = {{std::string(kNamespaceNameLabel), std::string("n") + team}};
      if (*team) ns["team"] = team;
      namespaces.push_back(ns);
    }
    std::vector<Labels> pods = {{{"app", "x"}}, {{"app", "y"}}, {{"app", "z"}}, {}};
    int shadowed_count = 0, rounds = 0;
    for (int round = 0; round < 300; ++round) {
      auto peer = [&]() {
        test::RandomPeer p;
        p.ns = test::random_sel(rng, "team", "a", "b");
        if (rng() % 2) p.pods = test::random_sel(rng, "app", "x", "y");
        return p;
      };
      struct Rule {
        test::RandomPeer peer;
        bool only_80;
      };
      std::vector<Rule> allows(1 + rng() % 3);
      std::string body = "  ingress:\n";
      for (Rule& r : allows) {
        r = {peer(), rng() % 2 == 0};
        body += "  - {action: Allow, from: [" + r.peer.admin_yaml() + "]" +
                (r.only_80 ? ", ports: [{portNumber: {port: 80}}]" : "") + "}\n";
      }
      Rule deny{peer(), rng() % 2 == 0};
      std::string deny_body = "  ingress:\n  - {action: Deny, from: [" + deny.peer.admin_yaml() +
                              "]" + (deny.only_80 ? ", ports: [{portNumber: {port: 80}}]" : "") +
                              "}\n";
      std::string text = kHouses + anp("allow", 1, "g", body) + anp("deny", 2, "g", deny_body);
      CAPTURE(text);
      // By hand: some pod and port the Deny matches that no Allow matches first.
      bool decides = false;
      for (const Labels& ns : namespaces)
        for (const Labels& pod : pods)
          for (int port : {80, 443}) {
            if (!deny.peer.matches(ns, pod) || (deny.only_80 && port != 80)) continue;
            bool taken = std::any_of(allows.begin(), allows.end(), [&](const Rule& r) {
              return r.peer.matches(ns, pod) && (!r.only_80 || port == 80);
            });
            decides = decides || !taken;
          }
      bool matches_something = false;
      for (const Labels& ns : namespaces)
        for (const Labels& pod : pods)
          matches_something = matches_something || deny.peer.matches(ns, pod);
      bool expected = matches_something && !decides;
      CHECK(has(codes(test::analyze_manifests(text)), "admin-deny-shadowed") == expected);
      shadowed_count += expected;
      ++rounds;
    }
    // The cases meet both verdicts.
    CHECK(shadowed_count > rounds / 10);
    CHECK(shadowed_count < rounds - rounds / 10);
  }
}
